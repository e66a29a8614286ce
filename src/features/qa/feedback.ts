// The officer's side of feedback: their reviews and commendations, reading a review, acknowledging it and replying.
// Invariants:
// - an officer sees only reviews of their own entries in the establishment (a calibration's only once it is
//   closed); anything else is not found;
// - the first reading sets read_at; acknowledging and replying are each once, and imply reading;
// - commendations are marked seen when the officer's feedback page lists them; the reviewer is told of a reply;
// - every change is one transaction with its audit event.
import { formatDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Kysely, Updateable } from 'kysely'
import type { Database, QaReviewTable } from '../../platform/db/types'
import type { Actor } from '../../platform/audit/service'
import { type QaContext, reviewLink, stamp, trimmed } from './context'
import { FEEDBACK_MAX } from './reviewRules'
import type { QaRepository } from './repository'
import type { qaReviews } from './reviews'

type Review = NonNullable<Awaited<ReturnType<QaRepository['review']>>>

export function qaFeedback(
  { db, repo, audit, notices }: QaContext,
  { review: getReview }: Pick<ReturnType<typeof qaReviews>, 'review'>,
) {
  /**
   * The officer answers their own review (acknowledging or replying, each once): the answer saved, the review read
   * with it, `also` done and the answer audited, in one transaction.
   */
  function answer<F extends 'acknowledged_at' | 'reply'>(
    actor: Actor & { userId: number },
    establishmentId: number,
    id: number,
    how: {
      already: (r: Review) => Record<string, string> | null
      field: F
      values: (at: string) => Record<F, string> & Updateable<QaReviewTable>
      also?: (trx: Kysely<Database>, r: Review) => Promise<unknown>
    },
  ): Promise<Result> {
    return db.transaction().execute(async trx => {
      const r = await repo.review(establishmentId, id, trx)
      if (!r || r.officer_user_id !== actor.userId) return fail({ form: 'There is no such review of your entries' })
      const refused = how.already(r)
      if (refused) return fail(refused)
      const at = stamp()
      const values = how.values(at)
      await repo.updateReview(trx, id, { ...values, read_at: r.read_at ?? at })
      await how.also?.(trx, r)
      await audit.record(trx, actor, {
        action: 'update',
        entity: 'qa_review',
        entityId: id,
        establishmentId,
        changes: { [how.field]: { from: null, to: values[how.field] } },
      })
      return ok()
    })
  }

  return {
    /** A Key Worker's feedback: their reviews and commendations; commendations are marked seen (audited). */
    async feedbackFor(actor: Actor & { userId: number }, establishmentId: number) {
      const staff = await repo.staffOfUser(establishmentId, actor.userId)
      const [reviews, commendations] = await Promise.all([
        repo.reviewsForOfficer(establishmentId, actor.userId),
        repo.commendationsForOfficer(
          establishmentId,
          actor.userId,
          staff.map(s => s.id),
        ),
      ])
      const unseen = commendations.filter(c => !c.seen_at).map(c => c.id)
      if (unseen.length)
        await db.transaction().execute(async trx => {
          await repo.markCommendationsSeen(trx, unseen, stamp())
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'qa_commendation',
            entityId: unseen.join(','),
            establishmentId,
            changes: { seen_at: { from: null, to: 'seen' } },
          })
        })
      return { reviews, commendations }
    },

    /** The officer reads their review: the first reading sets read_at, and the notices about it are read. */
    async readReview(actor: Actor & { userId: number }, establishmentId: number, id: number) {
      const r = await repo.review(establishmentId, id)
      if (!r || r.officer_user_id !== actor.userId) return null
      if (r.kind === 'calibration' && r.calibration_status !== 'closed') return null
      await db.transaction().execute(async trx => {
        await notices.readPage(trx, actor.userId, reviewLink(id))
        if (!r.read_at) {
          await repo.updateReview(trx, id, { read_at: stamp() })
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'qa_review',
            entityId: id,
            establishmentId,
            changes: { read_at: { from: null, to: 'read' } },
          })
        }
      })
      return getReview(establishmentId, id)
    },

    /** The officer acknowledges their review (once). */
    acknowledge: (actor: Actor & { userId: number }, establishmentId: number, id: number): Promise<Result> =>
      answer(actor, establishmentId, id, {
        already: r => (r.acknowledged_at ? { form: 'You have already acknowledged this review' } : null),
        field: 'acknowledged_at',
        values: at => ({ acknowledged_at: at }),
      }),

    /** The officer replies to their review (once); the reviewer is told. */
    async reply(actor: Actor & { userId: number }, establishmentId: number, id: number, text: string): Promise<Result> {
      const reply = trimmed(text)
      if (!reply) return fail({ reply: 'Enter your reply' })
      if (reply.length > FEEDBACK_MAX)
        return fail({ reply: `Your reply must be ${FEEDBACK_MAX.toLocaleString('en-GB')} characters or fewer` })
      return answer(actor, establishmentId, id, {
        already: r => (r.reply ? { reply: 'You have already replied to this review' } : null),
        field: 'reply',
        values: at => ({ reply, replied_at: at }),
        also: (trx, r) =>
          notices.tell(trx, {
            userId: r.reviewer_user_id,
            establishmentId,
            kind: 'qa-reply',
            message: `${actor.username ?? 'The officer'} replied to your review of their entry of ${formatDate(r.session_date)}`,
            link: `/quality/review?id=${id}`,
          }),
      })
    },
  }
}
