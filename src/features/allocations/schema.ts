import { z } from 'zod'
import { date } from '../../forms/fields'

export const DEALLOCATION_REASONS = {
  released: 'Released',
  transferred: 'Transferred',
  staff_unavailable: 'Staff unavailable',
  staff_left_role: 'Staff left the role',
  complexity_changed: 'Complexity of need changed',
  manual: 'Other (say why)',
} as const
export type DeallocationReason = keyof typeof DEALLOCATION_REASONS

export const ALLOCATION_REASONS = { auto: 'Automatic', manual: 'Manual', imported: 'Imported' } as const

/** The "allocate anyway" box (an untrained Key Worker where the training rules warn): ticked or not. */
const allocateAnyway = z
  .unknown()
  .optional()
  .transform(v => v === 'yes' || (Array.isArray(v) && v.includes('yes')))

export const allocateSchema = z.object({
  staffId: z.string({ error: 'Choose a Key Worker' }).trim().regex(/^\d+$/, 'Choose a Key Worker').transform(Number),
  handoverNote: z.string().trim().max(2000, 'The handover note must be 2,000 characters or fewer').optional(),
  untrainedConfirmed: allocateAnyway,
})

export const deallocateSchema = z
  .object({
    reason: z.enum(Object.keys(DEALLOCATION_REASONS) as [DeallocationReason, ...DeallocationReason[]], {
      error: 'Choose why the Key Worker is being removed',
    }),
    note: z.string().trim().max(500, 'The reason must be 500 characters or fewer').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'manual' && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why the Key Worker is being removed' })
  })

export const coverSchema = z.object({ until: date('the date the cover ends'), untrainedConfirmed: allocateAnyway })
