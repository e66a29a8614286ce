// A review's rules that need no database: what a review and an amendment carry, the limits of their text, every
// problem of a review's scores and feedback at once, and an amendment's changes as lines people read.
// Invariants: a score is 1-4 or null (the criterion does not apply); every criterion of the rubric is scored once and
// no other; "what was good" and "one thing to do differently" are both required; texts are trimmed before they are
// checked or saved.
import { QUALITY_SCALE, isScore } from '../../domain/rubric'
import { type QaRubric, trimmed } from './context'

export type ReviewKind = 'sample' | 'calibration' | 'chosen'

export interface ReviewScoreInput {
  criterionId: number
  /** 1-4; null: the criterion does not apply to this entry */
  score: number | null
  comment?: string | null
}

export interface ReviewInput {
  sessionId: number
  kind: ReviewKind
  sampleId?: number | null
  calibrationId?: number | null
  scores: ReviewScoreInput[]
  overall: number
  good: string
  change: string
}

export interface AmendInput {
  reason: string
  scores: ReviewScoreInput[]
  overall: number
  good: string
  change: string
}

export const FEEDBACK_MAX = 2000
export const COMMENT_MAX = 1000
export const REASON_MAX = 1000

/** An amendment's changes as lines people read: what changed, from what, to what. */
export function amendmentLines(
  changes: Record<string, { from: unknown; to: unknown }>,
  titles: ReadonlyMap<string, string>,
): { what: string; from: string; to: string }[] {
  const shown = (field: string, v: unknown) => {
    if (field.startsWith('score:') || field === 'overall_score')
      return isScore(v) ? `${v} – ${QUALITY_SCALE[v]}` : 'Does not apply'
    return v === null || v === undefined || v === '' ? 'nothing' : String(v)
  }
  return Object.entries(changes).map(([field, ch]) => {
    const [kind, code = ''] = field.split(':')
    const title = titles.get(code) ?? 'a criterion'
    const what =
      field === 'overall_score'
        ? 'Overall score'
        : field === 'feedback_good'
          ? 'What was good'
          : field === 'feedback_change'
            ? 'One thing to do differently'
            : kind === 'score'
              ? `Score for ${title}`
              : kind === 'comment'
                ? `Comment on ${title}`
                : 'Review'
    return { what, from: shown(field, ch.from), to: shown(field, ch.to) }
  })
}

/** Every problem of a review's scores and feedback at once, keyed by the form's fields. */
export function reviewProblems(
  rubric: QaRubric,
  input: Pick<ReviewInput, 'scores' | 'overall' | 'good' | 'change'>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const known = new Map(rubric.criteria.map(c => [c.id, c]))
  const given = new Map<number, ReviewScoreInput>()
  for (const s of input.scores) {
    if (!known.has(s.criterionId)) errors.scores = 'A score was given for a criterion that is not in the rubric'
    else given.set(s.criterionId, s)
  }
  for (const c of rubric.criteria) {
    const s = given.get(c.id)
    if (!s) errors[`score-${c.id}`] = `Select a score for ${c.title}`
    else if (s.score !== null && !isScore(s.score))
      errors[`score-${c.id}`] = `The score for ${c.title} must be from 1 to 4`
    if (s && trimmed(s.comment).length > COMMENT_MAX)
      errors[`comment-${c.id}`] =
        `The comment on ${c.title} must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`
  }
  if (!isScore(input.overall)) errors.overall = 'Select an overall score from 1 to 4'
  const good = trimmed(input.good)
  const change = trimmed(input.change)
  if (!good) errors.good = 'Enter what was good about the entry'
  else if (good.length > FEEDBACK_MAX)
    errors.good = `What was good must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer`
  if (!change) errors.change = 'Enter one thing to do differently'
  else if (change.length > FEEDBACK_MAX)
    errors.change = `One thing to do differently must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer`
  return errors
}
