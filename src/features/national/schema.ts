import { z } from 'zod'
import { capitalise } from '../../forms/fields'
import { type Direction, type Threshold, thresholdProblems } from '../../domain/rag'
import { MEASURES, type MeasureCode } from './measures'

/** A number typed in a form: digits with at most 2 decimals, like 85 or 2.5. */
const decimal = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .refine(v => /^-?\d{1,4}(\.\d{1,2})?$/.test(v), {
      message: `${capitalise(label)} must be a number, like 85 or 2.5`,
    })
    .transform(Number)

const direction = (label: string) =>
  z.enum(['higher', 'lower'], { error: `Choose whether higher or lower is better for ${label}` })

/** The form's field names for a measure. */
export const fieldsOf = (code: MeasureCode) => ({
  green: `${code}-green`,
  amber: `${code}-amber`,
  direction: `${code}-direction`,
})

/**
 * Every measure's threshold from the form, or every problem at once, by field: blanks and non-numbers, numbers out of
 * the measure's range, and amber on the wrong side of green for the direction chosen.
 */
export function parseThresholds(
  body: unknown,
): { ok: true; data: Record<MeasureCode, Threshold> } | { ok: false; errors: Record<string, string> } {
  const b = (body ?? {}) as Record<string, unknown>
  const errors: Record<string, string> = {}
  const data = {} as Record<MeasureCode, Threshold>
  for (const m of MEASURES) {
    const f = fieldsOf(m.code)
    const label = m.label.toLowerCase()
    const green = decimal(`green for ${label}`).safeParse(b[f.green])
    const amber = decimal(`amber for ${label}`).safeParse(b[f.amber])
    const dir = direction(label).safeParse(b[f.direction])
    if (!green.success) errors[f.green] = green.error.issues[0]!.message
    if (!amber.success) errors[f.amber] = amber.error.issues[0]!.message
    if (!dir.success) errors[f.direction] = dir.error.issues[0]!.message
    if (!green.success || !amber.success || !dir.success) continue
    const t = { green: green.data, amber: amber.data, direction: dir.data as Direction }
    const problems = thresholdProblems(t, m, m.unit)
    if (problems.green) errors[f.green] = `${m.label}: ${problems.green.toLowerCase()}`
    if (problems.amber) errors[f.amber] = `${m.label}: ${problems.amber.toLowerCase()}`
    data[m.code] = t
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data }
}
