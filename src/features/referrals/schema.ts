import { z } from 'zod'
import { REFERRAL_STATUSES, type ReferralStatus } from '../../domain/sessions'
import { optionalDate } from '../../forms/fields'

const STATUS_CODES = Object.keys(REFERRAL_STATUSES) as ReferralStatus[]

/** The follow-up form of a referral: what happened, and when to follow it up next. */
export const referralUpdateSchema = z.object({
  status: z
    .string({ error: 'Select what happened to the referral' })
    .trim()
    .refine((v): v is ReferralStatus => (STATUS_CODES as string[]).includes(v), {
      message: 'Select what happened to the referral',
    })
    .transform(v => v as ReferralStatus),
  followUpDate: optionalDate('follow-up date'),
  note: z
    .string()
    .optional()
    .transform(v => v?.trim() || null)
    .refine(v => v === null || v.length <= 2000, { message: 'The note must be 2,000 characters or fewer' }),
})

export type ReferralUpdate = z.infer<typeof referralUpdateSchema>
