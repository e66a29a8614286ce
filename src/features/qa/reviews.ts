// Recording and reading reviews, and releasing a closed calibration's marks to the officers.
// Invariants:
// - a reviewer never reviews their own entry, nor another establishment's; only submitted entries are reviewed;
// - an entry has at most one review outside calibration (the sample's, if it is sampled: an entry chosen by hand that
//   is in the sample is the sample's review); two reviews at once: the unique index lets one in, the other is told
//   and nothing of it is saved; a calibration marker marks an entry once;
// - a review, its scores, the sample marked reviewed, the notice to the officer and the audit event are one
//   transaction; the email follows it;
// - calibration marks are blind: the officer is told, and may read them, only once the exercise is closed.
import { formatDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { QUALITY_SCALE } from '../../domain/rubric'
import type { Actor } from '../../platform/audit/service'
import { isUniqueViolation } from '../../platform/db/errors'
import { type QaContext, type QaRubric, REVIEWS_SHOWN, personName, reviewLink, stamp, trimmed } from './context'
import type { QaRepository } from './repository'
import { type ReviewInput, amendmentLines, reviewProblems } from './reviewRules'

export function qaReviews({ db, repo, deps, audit, notices, email, officerAddress }: QaContext) {
  /** A review of the establishment, with its scores (criteria's words) and amendments. */
  async function getReview(establishmentId: number, id: number) {
    const r = await repo.review(establishmentId, id)
    if (!r) return null
    const [scores, amendments] = await Promise.all([repo.scores(id), repo.amendments(id)])
    return {
      ...r,
      officer: personName(r.staff_first_name, r.staff_last_name, r.author),
      prisoner: `${r.prisoner_first_name} ${r.prisoner_last_name}`,
      scores: scores.map(s => ({
        ...s,
        descriptors: [s.descriptor_1, s.descriptor_2, s.descriptor_3, s.descriptor_4],
        national: s.establishment_id === null,
      })),
      amendments: amendments.map(a => ({
        ...a,
        lines: amendmentLines(
          JSON.parse(a.changes) as Record<string, { from: unknown; to: unknown }>,
          new Map(scores.map(sc => [sc.code, sc.title])),
        ),
      })),
    }
  }

  return {
    /** What the review form needs: the entry, its sample (if any) and the rubric; or why it cannot be reviewed. */
    async reviewTarget(
      establishmentId: number,
      reviewerUserId: number,
      by: { sampleId: number } | { sessionId: number },
    ): Promise<
      | { kind: 'not-found' }
      | { kind: 'refused'; message: string }
      | {
          kind: 'ok'
          entry: NonNullable<Awaited<ReturnType<QaRepository['entry']>>>
          sample: Awaited<ReturnType<QaRepository['sample']>> | null
          rubric: QaRubric
        }
    > {
      const sample = await repo.sample(
        establishmentId,
        'sampleId' in by ? { id: by.sampleId } : { sessionId: by.sessionId },
      )
      if ('sampleId' in by && !sample) return { kind: 'not-found' }
      const entry = await repo.entry(establishmentId, sample?.session_id ?? ('sessionId' in by ? by.sessionId : 0))
      if (!entry || entry.status !== 'submitted') return { kind: 'not-found' }
      if (entry.author_user_id === reviewerUserId || entry.staff_user_id === reviewerUserId)
        return { kind: 'refused', message: 'This is your own entry: another Supervising Officer reviews it' }
      const done = await repo.reviewOfSession(establishmentId, entry.id)
      if (sample?.status === 'reviewed' || done)
        return { kind: 'refused', message: `This entry has already been reviewed${done ? ` by ${done.reviewer}` : ''}` }
      return { kind: 'ok', entry, sample: sample ?? null, rubric: await deps.rubric.current(establishmentId) }
    },

    /**
     * Records a review: checks every score and the feedback (all problems at once), refuses one's own entry and
     * another establishment's, writes the review and its scores, marks the sample reviewed, tells the officer (not for
     * calibration: the exercise tells them when it closes) and audits, in one transaction; then emails the officer.
     * Two reviews of one sample at once: the unique index lets one in, and the other is told, nothing saved.
     */
    async recordReview(actor: Actor, input: ReviewInput): Promise<Result<{ reviewId: number }>> {
      if (actor.userId === null) return fail({ form: 'Sign in to review an entry' })
      const reviewerId = actor.userId
      let establishmentId = actor.establishmentId
      let calibration: Awaited<ReturnType<typeof repo.calibration>> | undefined
      let entry: Awaited<ReturnType<typeof repo.entry>>
      if (input.kind === 'calibration') {
        calibration = input.calibrationId ? await repo.calibration(input.calibrationId) : undefined
        if (!calibration || (calibration.establishment_id !== null && calibration.establishment_id !== establishmentId))
          return fail({ form: 'There is no such calibration exercise' })
        if (calibration.status !== 'open') return fail({ form: 'This calibration exercise is closed' })
        const member = await repo.calibrationHas(db, calibration.id, input.sessionId, reviewerId)
        if (!member.entry) return fail({ form: 'This entry is not part of the calibration exercise' })
        if (!member.marker) return fail({ form: 'You are not a marker of this calibration exercise' })
        entry = await repo.entryAnywhere(input.sessionId)
        establishmentId = entry?.establishment_id ?? null
      } else {
        entry = establishmentId === null ? undefined : await repo.entry(establishmentId, input.sessionId)
      }
      if (!entry || establishmentId === null || entry.status !== 'submitted')
        return fail({ form: 'There is no such entry in this establishment' })
      if (entry.author_user_id === reviewerId || entry.staff_user_id === reviewerId)
        return fail({ form: 'This is your own entry: another Supervising Officer reviews it' })

      let kind = input.kind
      let sampleId: number | null = null
      if (kind !== 'calibration') {
        const sample = await repo.sample(
          establishmentId,
          kind === 'sample' && input.sampleId ? { id: input.sampleId } : { sessionId: entry.id },
        )
        if (kind === 'sample' && (!sample || sample.session_id !== entry.id))
          return fail({ form: 'This entry is not in the QA sample' })
        if (sample) {
          // an entry chosen by hand that is in the sample is the sample's review
          kind = 'sample'
          sampleId = sample.id
        }
        const done = await repo.reviewOfSession(establishmentId, entry.id)
        if (done || sample?.status === 'reviewed')
          return fail({
            form: `This entry has already been reviewed${done ? ` by ${done.reviewer}` : ''}: amend that review instead`,
          })
      }

      const rubric = calibration
        ? await deps.rubric.forReview(calibration.rubric_version_id, establishmentId)
        : await deps.rubric.current(establishmentId)
      const problems = reviewProblems(rubric, input)
      if (Object.keys(problems).length) return fail(problems)

      const officerUserId = entry.author_user_id ?? entry.staff_user_id ?? null
      const at = stamp()
      let reviewId: number
      try {
        reviewId = await db.transaction().execute(async trx => {
          const id = await repo.insertReview(trx, {
            establishment_id: establishmentId,
            session_id: entry.id,
            kind,
            sample_id: sampleId,
            calibration_id: calibration?.id ?? null,
            reviewer_user_id: reviewerId,
            reviewer: actor.username ?? 'unknown',
            rubric_version_id: rubric.versionId,
            overall_score: input.overall,
            feedback_good: input.good.trim(),
            feedback_change: input.change.trim(),
            officer_user_id: officerUserId,
            submitted_at: at,
            updated_at: at,
            read_at: null,
            acknowledged_at: null,
            reply: null,
            replied_at: null,
          })
          const byId = new Map(input.scores.map(s => [s.criterionId, s]))
          await repo.insertScores(
            trx,
            rubric.criteria.map(c => ({
              review_id: id,
              criterion_id: c.id,
              score: byId.get(c.id)?.score ?? null,
              comment: trimmed(byId.get(c.id)?.comment) || null,
            })),
          )
          if (sampleId !== null) await repo.markSampleReviewed(trx, sampleId)
          if (kind !== 'calibration' && officerUserId !== null)
            await notices.tell(trx, {
              userId: officerUserId,
              establishmentId,
              kind: 'qa-review',
              message: `${actor.username ?? 'A Supervising Officer'} reviewed your entry of ${formatDate(entry.session_date)}: read the feedback`,
              link: reviewLink(id),
            })
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'qa_review',
            entityId: id,
            establishmentId,
            changes: {
              session_id: entry.id,
              kind,
              sample_id: sampleId,
              calibration_id: calibration?.id ?? null,
              rubric_version_id: rubric.versionId,
              overall_score: input.overall,
              scores: Object.fromEntries(input.scores.map(s => [s.criterionId, s.score])),
            },
          })
          return id
        })
      } catch (err) {
        if (isUniqueViolation(err) && kind === 'calibration')
          return fail({ form: 'You have marked this entry already: your first mark stands' })
        if (isUniqueViolation(err))
          return fail({
            form: 'Another Supervising Officer has just saved a review of this entry, so yours was not saved. Open the review to read theirs.',
          })
        throw err
      }

      if (kind !== 'calibration' && officerUserId !== null) {
        const to = await officerAddress(officerUserId, entry.staff_email)
        if (to)
          await email(actor, {
            establishmentId,
            to,
            template: 'qa-review',
            reference: `qa-review-${reviewId}`,
            subject: 'Feedback on your key work entry',
            body:
              `${actor.username ?? 'A Supervising Officer'} has reviewed your key work entry of ${formatDate(entry.session_date)} ` +
              `and scored it ${input.overall} – ${QUALITY_SCALE[input.overall as 1 | 2 | 3 | 4]} overall.\n\n` +
              `What was good: ${input.good.trim()}\n\nOne thing to do differently: ${input.change.trim()}\n\n` +
              'Sign in to Key Work and open Feedback to read the scores for each criterion, acknowledge the review and reply.',
          })
      }
      return ok({ reviewId })
    },

    review: getReview,

    /**
     * Tells each officer whose entry a calibration exercise marked that the marks are theirs to read, once the
     * exercise is closed (marking is blind until then): a notice per review and an email per officer. Called by the
     * calibration feature after it closes an exercise; telling twice is harmless but noisy, so call it once.
     */
    async releaseCalibration(actor: Actor, calibrationId: number): Promise<number> {
      const calibration = await repo.calibration(calibrationId)
      if (!calibration || calibration.status !== 'closed') return 0
      const reviews = await repo.reviewsOfCalibration(calibrationId)
      const told = new Map<number, { establishmentId: number; email: string | null; count: number }>()
      await db.transaction().execute(async trx => {
        for (const r of reviews) {
          if (r.officer_user_id === null) continue
          await notices.tell(trx, {
            userId: r.officer_user_id,
            establishmentId: r.establishment_id,
            kind: 'qa-review',
            message: `A calibration exercise marked your entry of ${formatDate(r.session_date)}: read the feedback`,
            link: reviewLink(r.id),
          })
          const t = told.get(r.officer_user_id)
          if (t) t.count++
          else told.set(r.officer_user_id, { establishmentId: r.establishment_id, email: r.staff_email, count: 1 })
        }
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_calibration',
          entityId: calibrationId,
          establishmentId: calibration.establishment_id,
          changes: { released_to: [...told.keys()] },
        })
      })
      for (const [userId, t] of told) {
        const to = await officerAddress(userId, t.email)
        if (to)
          await email(actor, {
            establishmentId: t.establishmentId,
            to,
            template: 'qa-review',
            reference: `qa-calibration-${calibrationId}-${userId}`,
            subject: 'Feedback on your key work entries',
            body:
              `Supervising Officers marked ${t.count === 1 ? 'one of your key work entries' : `${t.count} of your key work entries`} ` +
              'in a calibration exercise, and the exercise has closed.\n\n' +
              'Sign in to Key Work and open Feedback to read the scores for each criterion and the feedback.',
          })
      }
      return told.size
    },

    /** The establishment's reviews (outside calibration), newest first. */
    reviews: (establishmentId: number) => repo.reviews(establishmentId, REVIEWS_SHOWN),
    commendations: (establishmentId: number) => repo.commendations(establishmentId, REVIEWS_SHOWN),
  }
}
