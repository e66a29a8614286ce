// Amending a review.
// Invariants:
// - only the Supervising Officer who wrote a review, or the establishment admin, amends it, and only with a reason;
// - the review is checked against the criteria it was scored against (a local criterion since retired stays in it),
//   every problem at once; an amendment that changes nothing is refused;
// - what changed is appended to qa_review_amendments (never deleted) with the review and its scores updated, the
//   officer told (a calibration's only once it is closed) and the change audited, in one transaction.
import { formatDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor } from '../../platform/audit/service'
import { type QaContext, reviewLink, stamp, trimmed } from './context'
import { type AmendInput, REASON_MAX, reviewProblems } from './reviewRules'

/** Who may amend a review: the Supervising Officer who wrote it, or the establishment admin. */
export const mayAmend = (review: { reviewer_user_id: number }, userId: number, roles: readonly string[]) =>
  roles.includes('ESTABLISHMENT_ADMIN') || (roles.includes('SUPERVISING_OFFICER') && review.reviewer_user_id === userId)

export function qaAmendments({ db, repo, deps, audit, notices }: QaContext) {
  return {
    mayAmend,

    /**
     * Amends a review with a reason: what changed is appended to qa_review_amendments (never deleted), the review
     * and its scores updated, the officer told, all audited, in one transaction.
     */
    async amend(
      actor: Actor & { userId: number },
      roles: readonly string[],
      establishmentId: number,
      id: number,
      input: AmendInput,
    ): Promise<Result> {
      const r = await repo.review(establishmentId, id)
      if (!r) return fail({ form: 'There is no such review' })
      if (!mayAmend(r, actor.userId, roles))
        return fail({
          form: 'Only the Supervising Officer who wrote a review, or the establishment admin, may amend it',
        })
      const rubric = await deps.rubric.forReview(r.rubric_version_id, establishmentId)
      const existing = await repo.scores(id)
      // the criteria the review was scored against (a local criterion since retired stays in it)
      const criteria = existing.map(s => ({
        id: s.criterion_id,
        code: s.code,
        title: s.title,
        guidance: s.guidance,
        descriptors: [s.descriptor_1, s.descriptor_2, s.descriptor_3, s.descriptor_4] as [
          string,
          string,
          string,
          string,
        ],
        national: s.establishment_id === null,
      }))
      const problems = reviewProblems({ ...rubric, criteria }, input)
      const reason = trimmed(input.reason)
      if (!reason) problems.reason = 'Enter why you are amending the review'
      else if (reason.length > REASON_MAX)
        problems.reason = `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`
      if (Object.keys(problems).length) return fail(problems)
      const changes: Record<string, { from: unknown; to: unknown }> = {}
      if (r.overall_score !== input.overall) changes.overall_score = { from: r.overall_score, to: input.overall }
      if (r.feedback_good !== input.good.trim())
        changes.feedback_good = { from: r.feedback_good, to: input.good.trim() }
      if (r.feedback_change !== input.change.trim())
        changes.feedback_change = { from: r.feedback_change, to: input.change.trim() }
      const byId = new Map(input.scores.map(s => [s.criterionId, s]))
      const scoreChanges: { criterionId: number; score: number | null; comment: string | null }[] = []
      for (const s of existing) {
        const next = byId.get(s.criterion_id)!
        const comment = trimmed(next.comment) || null
        if (next.score !== s.score) changes[`score:${s.code}`] = { from: s.score, to: next.score }
        if (comment !== s.comment) changes[`comment:${s.code}`] = { from: s.comment, to: comment }
        if (next.score !== s.score || comment !== s.comment)
          scoreChanges.push({ criterionId: s.criterion_id, score: next.score, comment })
      }
      if (Object.keys(changes).length === 0) return fail({ form: 'Change a score or the feedback to amend the review' })
      const at = stamp()
      return db.transaction().execute(async trx => {
        await repo.updateReview(trx, id, {
          overall_score: input.overall,
          feedback_good: input.good.trim(),
          feedback_change: input.change.trim(),
          updated_at: at,
        })
        for (const s of scoreChanges) await repo.updateScore(trx, id, s.criterionId, s.score, s.comment)
        await repo.insertAmendment(trx, {
          review_id: id,
          amended_at: at,
          amended_by: actor.username ?? 'unknown',
          reason,
          changes: JSON.stringify(changes),
        })
        if (r.officer_user_id !== null && (r.kind !== 'calibration' || r.calibration_status === 'closed'))
          await notices.tell(trx, {
            userId: r.officer_user_id,
            establishmentId,
            kind: 'qa-review-amended',
            message: `The review of your entry of ${formatDate(r.session_date)} was amended: ${reason.slice(0, 200)}`,
            link: reviewLink(id),
          })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_review',
          entityId: id,
          establishmentId,
          changes: { ...changes, reason },
        })
        return ok()
      })
    },
  }
}
