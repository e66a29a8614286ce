import { z } from 'zod'
import { MAX_CALIBRATION_ENTRIES } from '../../domain/qualityCalibration'

const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v])

/** The form that sets up an exercise: a title, the entries (random from a month, or by ids) and the markers. */
export const calibrationSchema = z
  .object({
    title: z.string().trim().optional().default(''),
    pick: z.string().trim().optional().default(''),
    month: z.string().trim().optional().default(''),
    count: z.string().trim().optional().default(''),
    ids: z.string().trim().max(2000, 'The entry numbers must be 2,000 characters or fewer').optional().default(''),
    markers: z.preprocess(list, z.array(z.unknown())),
  })
  .transform((v, ctx) => {
    if (!v.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'Enter a title for the exercise' })
    else if (v.title.length > 120)
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'The title must be 120 characters or fewer' })
    const pick = v.pick === 'random' || v.pick === 'ids' ? v.pick : null
    if (!pick) ctx.addIssue({ code: 'custom', path: ['pick'], message: 'Choose how to pick the entries' })
    const markers = [
      ...new Set(v.markers.filter((m): m is string => typeof m === 'string' && /^\d{1,9}$/.test(m)).map(Number)),
    ]
    if (markers.length > 50) ctx.addIssue({ code: 'custom', path: ['markers'], message: 'Choose up to 50 markers' })
    else if (markers.length < 2)
      ctx.addIssue({ code: 'custom', path: ['markers'], message: 'Choose at least 2 markers: agreement needs two' })
    let month: string | null = null
    let count = 0
    let ids: number[] = []
    if (pick === 'random') {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v.month))
        ctx.addIssue({ code: 'custom', path: ['month'], message: 'Choose the month to pick entries from' })
      else month = v.month
      count = /^\d{1,3}$/.test(v.count) ? Number(v.count) : NaN
      if (!(count >= 2 && count <= MAX_CALIBRATION_ENTRIES))
        ctx.addIssue({
          code: 'custom',
          path: ['count'],
          message: `Enter how many entries to pick, a whole number from 2 to ${MAX_CALIBRATION_ENTRIES}`,
        })
    } else if (pick === 'ids') {
      const parts = v.ids.split(/[\s,;]+/).filter(Boolean)
      ids = [...new Set(parts.filter(p => /^\d{1,9}$/.test(p)).map(Number))]
      if (parts.some(p => !/^\d{1,9}$/.test(p)))
        ctx.addIssue({
          code: 'custom',
          path: ['ids'],
          message: 'Enter entry numbers only, separated by commas or spaces',
        })
      else if (ids.length < 2)
        ctx.addIssue({ code: 'custom', path: ['ids'], message: 'Enter at least 2 entry numbers' })
      else if (ids.length > MAX_CALIBRATION_ENTRIES)
        ctx.addIssue({ code: 'custom', path: ['ids'], message: `Enter up to ${MAX_CALIBRATION_ENTRIES} entry numbers` })
    }
    return { title: v.title, pick: pick ?? 'ids', month, count, ids, markers }
  })

export type CalibrationInput = z.infer<typeof calibrationSchema>

const score = z
  .string()
  .trim()
  .optional()
  .transform(v => v ?? '')

/**
 * A marker's mark of one entry, as a review: a score 1-4 or "not applicable" per criterion (score-<id>), an overall
 * score, what was good and one thing to do differently. Criteria are checked against the exercise's rubric by the service.
 */
export const markSchema = z.object({
  overall: z
    .string({ error: 'Choose an overall score from 1 to 4' })
    .trim()
    .refine(v => /^[1-4]$/.test(v), { message: 'Choose an overall score from 1 to 4' })
    .transform(Number),
  good: z
    .string()
    .trim()
    .optional()
    .transform(v => v ?? '')
    .refine(v => v.length > 0, { message: 'Enter what was good about the entry' })
    .refine(v => v.length <= 2000, { message: 'What was good must be 2,000 characters or fewer' }),
  change: z
    .string()
    .trim()
    .optional()
    .transform(v => v ?? '')
    .refine(v => v.length > 0, { message: 'Enter one thing to do differently' })
    .refine(v => v.length <= 2000, { message: 'One thing to do differently must be 2,000 characters or fewer' }),
})

/** The per-criterion fields: 'score-<criterion id>' is '1'..'4' or 'na'. */
export function criterionScores(
  body: Record<string, unknown>,
  criteria: readonly { id: number; title: string }[],
): { scores: { criterionId: number; score: number | null }[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const scores = criteria.map(c => {
    const raw = score.parse(typeof body[`score-${c.id}`] === 'string' ? body[`score-${c.id}`] : undefined)
    if (raw === 'na') return { criterionId: c.id, score: null }
    if (!/^[1-4]$/.test(raw)) errors[`score-${c.id}`] = `Choose a score from 1 to 4 for ${c.title}, or not applicable`
    return { criterionId: c.id, score: /^[1-4]$/.test(raw) ? Number(raw) : null }
  })
  return { scores, errors }
}
