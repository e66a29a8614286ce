import { z } from 'zod'
import { optionalText, text } from '../../forms/fields'

/** The kinds of intervention the national team trials (any other is "other"). */
export const KINDS = {
  key_worker_hub: 'Key Worker hub opened',
  supervising_officer: 'Supervising Officer appointed',
  initial_training: 'Initial training course',
  guide_version: 'New guide version',
  other: 'Other',
} as const
export type Kind = keyof typeof KINDS
export const isKind = (v: string): v is Kind => Object.hasOwn(KINDS, v)

/** Counts from outside keywork that an outcome CSV may carry (the measure column), per 1,000 prisoners. */
export const COUNT_MEASURES = {
  violence: 'Violent incidents',
  self_harm: 'Self-harm incidents',
  adjudications: 'Adjudications',
} as const
export type CountMeasure = keyof typeof COUNT_MEASURES
export const isCountMeasure = (v: string): v is CountMeasure => Object.hasOwn(COUNT_MEASURES, v)

/** keywork's own measures, per establishment and month. */
export const KEYWORK_MEASURES = {
  compliance: { name: 'Compliance', higherIsBetter: true, unit: 'percentage points' },
  seen_28: { name: 'Eligible prisoners seen in the last 28 days', higherIsBetter: true, unit: 'percentage points' },
  qa_score: { name: 'Mean QA score', higherIsBetter: true, unit: 'points (1 to 4)' },
  gap_days: { name: 'Mean days between sessions', higherIsBetter: false, unit: 'days' },
} as const
export type KeyworkMeasure = keyof typeof KEYWORK_MEASURES

/** The form as typed: adoptions and comparisons as lines of text, the outcome measures as checkboxes. */
export const trialFormSchema = z.object({
  name: text('the name of the intervention', 150),
  kind: z.string({ error: 'Choose the kind of intervention' }).trim().refine(isKind, 'Choose the kind of intervention'),
  description: optionalText('the description', 4000),
  adoptions: z.string().optional().default(''),
  comparison: z
    .string({ error: 'Choose which establishments to compare with' })
    .trim()
    .refine(v => v === 'all' || v === 'chosen', 'Choose which establishments to compare with'),
  comparisons: z.string().optional().default(''),
  outcomes: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(v => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .transform(v => [...new Set(v.map(x => x.trim()).filter(Boolean))]),
})
export type TrialForm = z.infer<typeof trialFormSchema>

/** A trial as the service saves it: establishment ids, ISO start dates, measure codes. */
export interface TrialDefinition {
  name: string
  kind: Kind
  description: string
  adoptions: { establishmentId: number; startDate: string }[]
  /** empty: every establishment that did not adopt */
  comparisons: number[]
  outcomes: string[]
}
