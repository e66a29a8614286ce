import { z } from 'zod'
import { todayIso } from '../../domain/dates'
import { date, text } from '../../forms/fields'

/** A record id chosen from a list: digits only. */
const chosenId = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, message)
    .transform(Number)

/**
 * A module assigned to an officer: which module, why, and by when (today or later). From a QA review the officer is
 * the review's; by hand they are chosen too.
 */
export const assignFormSchema = (chooseOfficer: boolean) =>
  z
    .object({
      staffId: chooseOfficer
        ? chosenId('Choose the officer')
        : z
            .unknown()
            .optional()
            .transform(() => null),
      moduleCode: text('the module to assign', 60),
      reason: text('why you are assigning it', 1000),
      dueOn: date('the date it is due'),
    })
    .superRefine((v, ctx) => {
      if (v.dueOn < todayIso())
        ctx.addIssue({ code: 'custom', path: ['dueOn'], message: 'The date it is due must be today or in the future' })
    })

export type AssignForm = z.infer<ReturnType<typeof assignFormSchema>>

export interface AssignInput {
  staffId: number
  reviewId: number | null
  moduleCode: string
  reason: string
  dueOn: string
}
