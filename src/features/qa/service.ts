// Quality assurance in an establishment: the public surface other features and the routes call (qa.recordReview,
// qa.releaseCalibration, …), composed of one part per job, each with its invariants at its top:
// settings.ts (settings and the national bounds), sample.ts (drawing the monthly sample, the queue), reviews.ts
// (recording and reading reviews, releasing calibration marks), amendments.ts, feedback.ts (the officer's side:
// reading, acknowledging, replying), commendations.ts; reviewRules.ts (a review's pure rules) and context.ts (what
// the parts share).
// Invariants of the whole: every query is scoped by establishment; each change is audited in its own transaction;
// the officer is told in the service (notices) in that transaction and by email after it (an email that fails never
// undoes the change).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { qaAmendments } from './amendments'
import { type QaDeps, qaContext } from './context'
import { qaCommendations } from './commendations'
import { qaFeedback } from './feedback'
import { qaReviews } from './reviews'
import { qaSample } from './sample'
import { qaSettings } from './settings'

export { type QaDeps, type QaRubric, REVIEWS_SHOWN } from './context'
export {
  type AmendInput,
  COMMENT_MAX,
  FEEDBACK_MAX,
  REASON_MAX,
  type ReviewInput,
  type ReviewKind,
  type ReviewScoreInput,
  amendmentLines,
  reviewProblems,
} from './reviewRules'
export type { BoundsInput, SettingsInput } from './settings'

export function qaService(db: Kysely<Database>, deps: QaDeps) {
  const ctx = qaContext(db, deps)
  const settings = qaSettings(ctx)
  const reviews = qaReviews(ctx)
  return {
    ...settings,
    ...qaSample(ctx, settings),
    ...reviews,
    ...qaFeedback(ctx, reviews),
    ...qaAmendments(ctx),
    ...qaCommendations(ctx),
  }
}

export type QaService = ReturnType<typeof qaService>
