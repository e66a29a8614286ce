import { z } from 'zod'
import { capitalise, text } from '../../forms/fields'
import { UNTRAINED_ALLOCATIONS, type UntrainedAllocation } from '../../domain/training'

// The forms of the training rules. Shapes only (a number where a number is wanted); the bounds are checked by
// src/domain/training.ts (policyProblems, settingsProblems), and the routes show both kinds of problem at once.

const NUMBER = /^\d{1,4}(\.\d{1,2})?$/

/** A number typed in a form: required. */
const number = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .refine(v => NUMBER.test(v), { message: `${capitalise(label)} must be a number, like 6` })
    .transform(Number)

/** A number typed in a form, blank for the national default. */
const optionalNumber = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine(v => !v || NUMBER.test(v), { message: `${capitalise(label)} must be a number, like 6, or blank` })
    .transform(v => (v ? Number(v) : null))

const rule = z.enum(UNTRAINED_ALLOCATIONS as [UntrainedAllocation, ...UntrainedAllocation[]], {
  error: 'Select what happens when an untrained officer is allocated prisoners',
})

export const POLICY_LABELS = {
  windowFromMonths: 'the months from the start in post to the opening of the initial course window',
  windowToMonths: 'the months from the start in post to the close of the initial course window',
  windowToMax: 'the latest an establishment may close the window, in months',
  topupMonths: 'the months between top-ups',
  topupMonthsMin: 'the shortest interval between top-ups an establishment may set, in months',
  topupMonthsMax: 'the longest interval between top-ups an establishment may set, in months',
  cpdHours: 'the CPD hours a year',
  cpdHoursMin: 'the smallest CPD target an establishment may set, in hours',
  cpdHoursMax: 'the largest CPD target an establishment may set, in hours',
} as const

export const policySchema = z.object({
  windowFromMonths: number(POLICY_LABELS.windowFromMonths),
  windowToMonths: number(POLICY_LABELS.windowToMonths),
  windowToMax: number(POLICY_LABELS.windowToMax),
  topupMonths: number(POLICY_LABELS.topupMonths),
  topupMonthsMin: number(POLICY_LABELS.topupMonthsMin),
  topupMonthsMax: number(POLICY_LABELS.topupMonthsMax),
  cpdHours: number(POLICY_LABELS.cpdHours),
  cpdHoursMin: number(POLICY_LABELS.cpdHoursMin),
  cpdHoursMax: number(POLICY_LABELS.cpdHoursMax),
  untrainedAllocation: rule,
  untrainedLocal: z.enum(['yes', 'no'], {
    error: 'Select whether establishments may choose their own rule for untrained officers',
  }),
})

export const settingsSchema = z.object({
  windowFromMonths: optionalNumber(POLICY_LABELS.windowFromMonths),
  windowToMonths: optionalNumber(POLICY_LABELS.windowToMonths),
  topupMonths: optionalNumber(POLICY_LABELS.topupMonths),
  cpdHours: optionalNumber(POLICY_LABELS.cpdHours),
  /** '' (or absent): the national default */
  untrainedAllocation: z
    .union([rule, z.literal('')], { error: 'Select what happens when an untrained officer is allocated prisoners' })
    .optional()
    .transform(v => (v ? v : null)),
  reason: text('the reason for the change', 500),
})

/** Each field as a number where it reads as one, else NaN: so the bounds can be checked beside shape problems. */
export function looseNumbers<K extends string>(body: unknown, keys: readonly K[]): Record<K, number | null> {
  const b = (body ?? {}) as Record<string, unknown>
  const out = {} as Record<K, number | null>
  for (const k of keys) {
    const v = typeof b[k] === 'string' ? (b[k] as string).trim() : ''
    out[k] = v === '' ? null : NUMBER.test(v) ? Number(v) : NaN
  }
  return out
}
