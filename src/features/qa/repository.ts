import type { Insertable, Kysely, Updateable } from 'kysely'
import type {
  Database,
  QaCommendationTable,
  QaReviewAmendmentTable,
  QaReviewScoreTable,
  QaReviewTable,
  QaSampleTable,
  QaSettingTable,
} from '../../platform/db/types'

/**
 * The quality-assurance queue, reviews and commendations. Writes only its own tables (qa_settings, qa_samples,
 * qa_reviews, qa_review_scores, qa_review_amendments, qa_commendations, and the QA bounds of national_policy); reads
 * entries, staff, prisoners, users and the rubric's criteria (the read-only exception of issue 15). Every query is
 * scoped by establishment.
 */
export function qaRepository(db: Kysely<Database>) {
  /** An entry with who it is for and who wrote it. */
  const entry = (trx: Kysely<Database>) =>
    trx
      .selectFrom('key_work_sessions as s')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('users as au', 'au.id', 's.author_user_id')
      .select([
        's.id',
        's.establishment_id',
        's.status',
        's.staff_id',
        's.author_user_id',
        's.author',
        's.session_date',
        's.starts_at',
        's.duration_minutes',
        's.outcome',
        's.not_delivered_reason',
        's.pathways',
        's.concern',
        's.concern_escalated_to',
        's.interpreter_needed',
        's.interpreter_used',
        's.prisoner_words',
        's.agreed',
        's.precheck_score',
        'p.prison_number',
        'p.first_name as prisoner_first_name',
        'p.last_name as prisoner_last_name',
        'st.first_name as staff_first_name',
        'st.last_name as staff_last_name',
        'st.user_id as staff_user_id',
        'st.email as staff_email',
        'au.display_name as author_name',
        'au.email as author_email',
      ])

  const reviewDetail = (trx: Kysely<Database>) =>
    trx
      .selectFrom('qa_reviews as r')
      .innerJoin('key_work_sessions as s', 's.id', 'r.session_id')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('qa_calibrations as c', 'c.id', 'r.calibration_id')
      .selectAll('r')
      .select([
        's.session_date',
        's.staff_id',
        's.author_user_id',
        's.author',
        'p.prison_number',
        'p.first_name as prisoner_first_name',
        'p.last_name as prisoner_last_name',
        'st.first_name as staff_first_name',
        'st.last_name as staff_last_name',
        'c.status as calibration_status',
      ])

  return {
    policy(trx: Kysely<Database> = db) {
      return trx
        .selectFrom('national_policy')
        .select(['qa_sample_default', 'qa_sample_min', 'qa_sample_max'])
        .where('id', '=', 1)
        .executeTakeFirst()
    },
    async updatePolicy(
      trx: Kysely<Database>,
      values: { qa_sample_default: number; qa_sample_min: number; qa_sample_max: number },
    ) {
      await trx
        .updateTable('national_policy')
        .set({ ...values, updated_at: new Date().toISOString() })
        .where('id', '=', 1)
        .execute()
    },
    settings(establishmentId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_settings')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
    },
    async saveSettings(trx: Kysely<Database>, row: QaSettingTable) {
      const { establishment_id: _id, ...rest } = row
      await trx
        .insertInto('qa_settings')
        .values(row)
        .onConflict(oc => oc.column('establishment_id').doUpdateSet(rest))
        .execute()
    },

    entry(establishmentId: number, sessionId: number, trx: Kysely<Database> = db) {
      return entry(trx)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', '=', sessionId)
        .executeTakeFirst()
    },
    /** An entry in any establishment: a national calibration exercise marks entries of several. */
    entryAnywhere(sessionId: number, trx: Kysely<Database> = db) {
      return entry(trx).where('s.id', '=', sessionId).executeTakeFirst()
    },
    staffMember(establishmentId: number, staffId: number) {
      return db
        .selectFrom('staff as st')
        .leftJoin('users as u', 'u.id', 'st.user_id')
        .select([
          'st.id',
          'st.first_name',
          'st.last_name',
          'st.email',
          'st.user_id',
          'u.email as user_email',
          'u.display_name as user_name',
        ])
        .where('st.establishment_id', '=', establishmentId)
        .where('st.id', '=', staffId)
        .executeTakeFirst()
    },
    /** The establishment's Key Workers (not left), by name. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '!=', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },
    /** The staff records linked to a user in this establishment. */
    staffOfUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'email', 'first_name', 'last_name'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .execute()
    },
    userEmail(userId: number) {
      return db.selectFrom('users').select(['email', 'display_name']).where('id', '=', userId).executeTakeFirst()
    },

    /**
     * The submitted entries of a month (session dates from `from` to before `until`) not sampled yet and not reviewed
     * yet (outside calibration), with what the risk reasons need.
     */
    candidates(establishmentId: number, from: string, until: string, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('key_work_sessions as s')
        .innerJoin('staff as st', 'st.id', 's.staff_id')
        .select([
          's.id',
          's.staff_id',
          's.author_user_id',
          's.session_date',
          's.precheck_score',
          's.concern',
          'st.started_in_post',
        ])
        .where('s.establishment_id', '=', establishmentId)
        .where('s.status', '=', 'submitted')
        .where('s.session_date', '>=', from)
        .where('s.session_date', '<', until)
        .where(eb =>
          eb.not(eb.exists(eb.selectFrom('qa_samples as q').select('q.id').whereRef('q.session_id', '=', 's.id'))),
        )
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('qa_reviews as r')
                .select('r.id')
                .whereRef('r.session_id', '=', 's.id')
                .where('r.kind', '!=', 'calibration'),
            ),
          ),
        )
        .orderBy('s.id')
        .execute()
    },
    /** How many entries of each officer were already picked at random for the month. */
    async randomCounts(establishmentId: number, month: string, trx: Kysely<Database> = db) {
      const rows = await trx
        .selectFrom('qa_samples')
        .select(['staff_id', eb => eb.fn.countAll<number>().as('n')])
        .where('establishment_id', '=', establishmentId)
        .where('month', '=', month)
        .where('random', '=', 1)
        .groupBy('staff_id')
        .execute()
      return new Map(rows.map(r => [r.staff_id, Number(r.n)]))
    },
    /** Adds a sampled entry unless it is sampled already (the unique session_id); whether it was added. */
    async insertSample(trx: Kysely<Database>, row: Insertable<QaSampleTable>) {
      const r = await trx
        .insertInto('qa_samples')
        .values(row)
        .onConflict(oc => oc.column('session_id').doNothing())
        .returning('id')
        .executeTakeFirst()
      return r?.id ?? null
    },
    samplesOfMonth(establishmentId: number, month: string) {
      return db
        .selectFrom('qa_samples')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('month', '=', month)
        .orderBy('session_id')
        .execute()
    },
    /** The sampled entries still to review, oldest due first. */
    queue(establishmentId: number) {
      return (
        db
          .selectFrom('qa_samples as q')
          .innerJoin('key_work_sessions as s', 's.id', 'q.session_id')
          .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
          .leftJoin('staff as st', 'st.id', 'q.staff_id')
          .select([
            'q.id',
            'q.session_id',
            'q.month',
            'q.random',
            'q.risk',
            'q.due_on',
            'q.sampled_at',
            'q.status',
            's.session_date',
            's.author_user_id',
            's.author',
            'p.prison_number',
            'p.first_name as prisoner_first_name',
            'p.last_name as prisoner_last_name',
            'st.first_name as staff_first_name',
            'st.last_name as staff_last_name',
            'st.user_id as staff_user_id',
          ])
          .where('q.establishment_id', '=', establishmentId)
          .where('q.status', '=', 'due')
          // an entry deleted since it was sampled has nothing left to review
          .where('s.status', '=', 'submitted')
          .orderBy('q.due_on')
          .orderBy('q.id')
          .execute()
      )
    },
    sample(establishmentId: number, id: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_samples')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    sampleOfSession(establishmentId: number, sessionId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_samples')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('session_id', '=', sessionId)
        .executeTakeFirst()
    },
    async markSampleReviewed(trx: Kysely<Database>, id: number) {
      await trx.updateTable('qa_samples').set({ status: 'reviewed' }).where('id', '=', id).execute()
    },

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
    reviewOfSample(sampleId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_reviews')
        .select(['id', 'reviewer'])
        .where('sample_id', '=', sampleId)
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

    async insertCommendation(trx: Kysely<Database>, row: Insertable<QaCommendationTable>) {
      const r = await trx.insertInto('qa_commendations').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    commendationsForOfficer(establishmentId: number, userId: number, staffIds: number[]) {
      return db
        .selectFrom('qa_commendations as c')
        .leftJoin('key_work_sessions as s', 's.id', 'c.session_id')
        .leftJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .selectAll('c')
        .select([
          's.session_date',
          'p.prison_number',
          'p.first_name as prisoner_first_name',
          'p.last_name as prisoner_last_name',
        ])
        .where('c.establishment_id', '=', establishmentId)
        .where(eb =>
          eb.or([eb('c.officer_user_id', '=', userId), ...(staffIds.length ? [eb('c.staff_id', 'in', staffIds)] : [])]),
        )
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .execute()
    },
    commendations(establishmentId: number, limit: number) {
      return db
        .selectFrom('qa_commendations as c')
        .innerJoin('staff as st', 'st.id', 'c.staff_id')
        .selectAll('c')
        .select(['st.first_name as staff_first_name', 'st.last_name as staff_last_name'])
        .where('c.establishment_id', '=', establishmentId)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .execute()
    },
    async markCommendationsSeen(trx: Kysely<Database>, ids: number[], at: string) {
      if (ids.length)
        await trx
          .updateTable('qa_commendations')
          .set({ seen_at: at })
          .where('id', 'in', ids)
          .where('seen_at', 'is', null)
          .execute()
    },
  }
}

export type QaRepository = ReturnType<typeof qaRepository>
