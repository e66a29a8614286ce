import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, QaReviewAmendmentTable, QaReviewScoreTable, QaReviewTable } from '../../platform/db/types'
import { ENTRY_COLUMNS } from './columns'

/**
 * Reviews, their scores and amendments (qa_reviews, qa_review_scores, qa_review_amendments), and what a calibration
 * exercise's marking needs to read of it. Every query of an establishment's reviews is scoped by establishment.
 */
export function qaReviewRepository(db: Kysely<Database>) {
  const reviewDetail = (trx: Kysely<Database>) =>
    trx
      .selectFrom('qa_reviews as r')
      .innerJoin('key_work_sessions as s', 's.id', 'r.session_id')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('qa_calibrations as c', 'c.id', 'r.calibration_id')
      .selectAll('r')
      .select(['s.staff_id', ...ENTRY_COLUMNS, 'c.status as calibration_status'])

  return {
    /** The review of an entry outside calibration (a sample's or one chosen), if there is one. */
    reviewOfSession(establishmentId: number, sessionId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_reviews')
        .select(['id', 'reviewer'])
        .where('establishment_id', '=', establishmentId)
        .where('session_id', '=', sessionId)
        .where('kind', '!=', 'calibration')
        .executeTakeFirst()
    },
    calibration(calibrationId: number, trx: Kysely<Database> = db) {
      return trx.selectFrom('qa_calibrations').selectAll().where('id', '=', calibrationId).executeTakeFirst()
    },
    async calibrationHas(trx: Kysely<Database>, calibrationId: number, sessionId: number, userId: number) {
      const [entryRow, marker] = await Promise.all([
        trx
          .selectFrom('qa_calibration_entries')
          .select('session_id')
          .where('calibration_id', '=', calibrationId)
          .where('session_id', '=', sessionId)
          .executeTakeFirst(),
        trx
          .selectFrom('qa_calibration_markers')
          .select('user_id')
          .where('calibration_id', '=', calibrationId)
          .where('user_id', '=', userId)
          .executeTakeFirst(),
      ])
      return { entry: !!entryRow, marker: !!marker }
    },
    async insertReview(trx: Kysely<Database>, row: Insertable<QaReviewTable>) {
      const r = await trx.insertInto('qa_reviews').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async insertScores(trx: Kysely<Database>, rows: QaReviewScoreTable[]) {
      if (rows.length) await trx.insertInto('qa_review_scores').values(rows).execute()
    },
    async updateReview(trx: Kysely<Database>, id: number, values: Updateable<QaReviewTable>) {
      await trx.updateTable('qa_reviews').set(values).where('id', '=', id).execute()
    },
    async updateScore(
      trx: Kysely<Database>,
      reviewId: number,
      criterionId: number,
      score: number | null,
      comment: string | null,
    ) {
      await trx
        .updateTable('qa_review_scores')
        .set({ score, comment })
        .where('review_id', '=', reviewId)
        .where('criterion_id', '=', criterionId)
        .execute()
    },
    async insertAmendment(trx: Kysely<Database>, row: Insertable<QaReviewAmendmentTable>) {
      await trx.insertInto('qa_review_amendments').values(row).execute()
    },
    review(establishmentId: number, id: number, trx: Kysely<Database> = db) {
      return reviewDetail(trx)
        .where('r.establishment_id', '=', establishmentId)
        .where('r.id', '=', id)
        .executeTakeFirst()
    },
    /** A review's scores with each criterion's words, in the rubric's order. */
    scores(reviewId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_review_scores as sc')
        .innerJoin('qa_criteria as c', 'c.id', 'sc.criterion_id')
        .select([
          'sc.criterion_id',
          'sc.score',
          'sc.comment',
          'c.code',
          'c.title',
          'c.guidance',
          'c.descriptor_1',
          'c.descriptor_2',
          'c.descriptor_3',
          'c.descriptor_4',
          'c.establishment_id',
          'c.position',
        ])
        .where('sc.review_id', '=', reviewId)
        .orderBy(eb => eb.case().when('c.establishment_id', 'is', null).then(0).else(1).end())
        .orderBy('c.position')
        .orderBy('c.id')
        .execute()
    },
    amendments(reviewId: number) {
      return db.selectFrom('qa_review_amendments').selectAll().where('review_id', '=', reviewId).orderBy('id').execute()
    },
    /** The marks of a calibration exercise, with the entry's date and officer's address. */
    reviewsOfCalibration(calibrationId: number) {
      return db
        .selectFrom('qa_reviews as r')
        .innerJoin('key_work_sessions as s', 's.id', 'r.session_id')
        .leftJoin('staff as st', 'st.id', 's.staff_id')
        .select(['r.id', 'r.establishment_id', 'r.officer_user_id', 's.session_date', 'st.email as staff_email'])
        .where('r.calibration_id', '=', calibrationId)
        .where('r.kind', '=', 'calibration')
        .orderBy('r.id')
        .execute()
    },
    /** The establishment's reviews (outside calibration), newest first. */
    reviews(establishmentId: number, limit: number) {
      return reviewDetail(db)
        .where('r.establishment_id', '=', establishmentId)
        .where('r.kind', '!=', 'calibration')
        .orderBy('r.submitted_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute()
    },
    /** An officer's reviews: samples and chosen entries, and calibration marks once the exercise is closed. */
    reviewsForOfficer(establishmentId: number, userId: number) {
      return reviewDetail(db)
        .where('r.establishment_id', '=', establishmentId)
        .where('r.officer_user_id', '=', userId)
        .where(eb => eb.or([eb('r.kind', '!=', 'calibration'), eb('c.status', '=', 'closed')]))
        .orderBy('r.submitted_at', 'desc')
        .orderBy('r.id', 'desc')
        .execute()
    },
  }
}
