import { z } from 'zod'
import { capitalise, text } from '../../forms/fields'
import { COMMENT_MAX, FEEDBACK_MAX, REASON_MAX } from './reviewRules'

/** A whole number typed in a form. */
const wholeNumber = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .refine(v => /^\d{1,6}$/.test(v), { message: `${capitalise(label)} must be a whole number, like 2` })
    .transform(Number)

/** An establishment's QA settings (its sample within the national bounds: the service checks those). */
export const settingsSchema = z.object({
  samplePerOfficer: wholeNumber('the number of entries sampled per Key Worker each month'),
  reviewDueDays: wholeNumber('the number of days to review a sampled entry'),
  thinEntryChars: wholeNumber('the shortest narrative of a 30-minute session, in characters'),
  supervisionWeeks: wholeNumber('the number of weeks between supervisions'),
})

/** The national bounds of the sample per Key Worker. */
export const boundsSchema = z.object({
  sampleMin: wholeNumber('the smallest sample'),
  sampleDefault: wholeNumber('the default sample'),
  sampleMax: wholeNumber('the largest sample'),
})

export const NOT_APPLICABLE = 'na'

/** The criteria a review form scores: their ids and titles. */
export interface FormCriterion {
  id: number
  title: string
}

const scoreField = (title: string) =>
  z
    .string({ error: `Select a score for ${title}` })
    .trim()
    .min(1, `Select a score for ${title}`)
    .refine(v => ['1', '2', '3', '4', NOT_APPLICABLE].includes(v), {
      message: `The score for ${title} must be from 1 to 4, or does not apply`,
    })
    .transform(v => (v === NOT_APPLICABLE ? null : Number(v)))

const comment = (title: string) =>
  z
    .string()
    .trim()
    .max(COMMENT_MAX, `The comment on ${title} must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform(v => v || null)

const reviewFields = (criteria: readonly FormCriterion[]) => {
  const shape: Record<string, z.ZodType> = {}
  for (const c of criteria) {
    shape[`score-${c.id}`] = scoreField(c.title)
    shape[`comment-${c.id}`] = comment(c.title)
  }
  shape.overall = z
    .string({ error: 'Select an overall score' })
    .trim()
    .refine(v => ['1', '2', '3', '4'].includes(v), { message: 'Select an overall score from 1 to 4' })
    .transform(Number)
  shape.good = text('what was good about the entry', FEEDBACK_MAX)
  shape.change = text('one thing to do differently', FEEDBACK_MAX)
  return shape
}

export interface ReviewForm {
  scores: { criterionId: number; score: number | null; comment: string | null }[]
  overall: number
  good: string
  change: string
}

/** A parsed review form's values as the service takes them. */
const reviewForm = (criteria: readonly FormCriterion[], v: Record<string, unknown>): ReviewForm => ({
  scores: criteria.map(c => ({
    criterionId: c.id,
    score: v[`score-${c.id}`] as number | null,
    comment: v[`comment-${c.id}`] as string | null,
  })),
  overall: v.overall as number,
  good: v.good as string,
  change: v.change as string,
})

/** The review form of a rubric: a score (1-4 or does not apply) and comment per criterion, overall and feedback. */
export function reviewSchema(criteria: readonly FormCriterion[]) {
  return z.object(reviewFields(criteria)).transform(v => reviewForm(criteria, v))
}

/** The same, with the reason for amending. */
export function amendSchema(criteria: readonly FormCriterion[]) {
  return z
    .object({ ...reviewFields(criteria), reason: text('why you are amending the review', REASON_MAX) })
    .transform((v): ReviewForm & { reason: string } => {
      const f = v as Record<string, unknown>
      return { ...reviewForm(criteria, f), reason: f.reason as string }
    })
}

export const replySchema = z.object({ reply: text('your reply', FEEDBACK_MAX) })
export const commendSchema = z.object({ text: text('what you are commending', FEEDBACK_MAX) })
