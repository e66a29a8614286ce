import { z } from 'zod'
import { date, oneOf, optionalText, text } from '../../forms/fields'
import { OUTCOMES } from '../../domain/training'

/** Hours of a completion: a number above 0 and at most 200, to two places; empty: the module's hours. */
const hours = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const n = /^\d{1,3}(\.\d{1,2})?$/.test(v) ? Number(v) : NaN
      if (!(n > 0 && n <= 200)) {
        ctx.addIssue({ code: 'custom', message: `${label} must be a number more than 0 and at most 200, like 2.5` })
        return z.NEVER
      }
      return n
    })

/** A completion recorded by hand by a Supervising Officer or an admin. */
export const manualCompletionSchema = z.object({
  moduleCode: text('the module', 60).transform(v => v.toUpperCase()),
  completedOn: date('the date completed', { notFuture: true }),
  hours: hours('Hours'),
  outcome: oneOf('the outcome', OUTCOMES),
  evidence: text('the evidence (what shows it was done)', 2000),
})
export type ManualCompletionInput = z.infer<typeof manualCompletionSchema>

/** One row of a CSV of completions from an e-learning system (the same fields, by staff number). */
export const completionRowSchema = z.object({
  staffNumber: text('the staff number', 30).transform(v => v.toUpperCase()),
  moduleCode: text('the module code', 60).transform(v => v.toUpperCase()),
  completedOn: date('the date completed', { notFuture: true }),
  outcome: oneOf('the outcome', OUTCOMES, 'completed'),
  hours: hours('Hours'),
  externalId: optionalText('the external id', 100),
})
export type CompletionRowInput = z.infer<typeof completionRowSchema>

/** Voiding a completion: the reason is kept with it. */
export const voidSchema = z.object({ reason: text('the reason for voiding it', 500) })
