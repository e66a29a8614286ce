import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

// Calibration exercises: several Supervising Officers mark the same entries blind. Writes only the calibration tables
// (the marks are reviews of kind 'calibration', recorded by the QA reviews' recordReview); reads
// sessions, prisoners, staff and users read-only (decision 013). An exercise of an establishment has its id; a
// national one (the national team's) has none and may take entries of any establishment.

const n = (v: unknown) => Number(v ?? 0)

export interface CalibrationRow {
  id: number
  establishment_id: number | null
  title: string
  rubric_version_id: number
  status: string
  due_on: string | null
  created_at: string
  created_by_user_id: number | null
  created_by: string
  closed_at: string | null
}

export interface MarkRow {
  session_id: number
  reviewer_user_id: number
  overall_score: number
  criterion_id: number | null
  score: number | null
}

export function calibrationRepository(db: Kysely<Database>) {
  return {
    async get(k: Kysely<Database>, id: number): Promise<CalibrationRow | undefined> {
      return k.selectFrom('qa_calibrations').selectAll().where('id', '=', id).executeTakeFirst()
    },

    /**
     * The exercises a user may see in the establishment they act in: its own, those they mark, and the national
     * ones for the national team.
     */
    async list(viewer: { userId: number; establishmentId: number; national: boolean }) {
      const q = db
        .selectFrom('qa_calibrations as c')
        .leftJoin('establishments as e', 'e.id', 'c.establishment_id')
        .select([
          'c.id',
          'c.title',
          'c.status',
          'c.establishment_id',
          'c.created_at',
          'c.created_by',
          'c.closed_at',
          'c.due_on',
          'e.name as establishment_name',
          eb =>
            eb
              .selectFrom('qa_calibration_entries as x')
              .select(eb.fn.countAll<number>().as('n'))
              .whereRef('x.calibration_id', '=', 'c.id')
              .as('entries'),
          eb =>
            eb
              .selectFrom('qa_calibration_markers as m')
              .select(eb.fn.countAll<number>().as('n'))
              .whereRef('m.calibration_id', '=', 'c.id')
              .as('markers'),
          eb =>
            eb
              .selectFrom('qa_calibration_markers as m')
              .select('m.user_id')
              .whereRef('m.calibration_id', '=', 'c.id')
              .where('m.user_id', '=', viewer.userId)
              .as('me'),
        ])
      const visible = q.where(eb =>
        eb.or([
          eb('c.establishment_id', '=', viewer.establishmentId),
          ...(viewer.national ? [eb('c.establishment_id', 'is', null)] : []),
          eb(
            'c.id',
            'in',
            eb.selectFrom('qa_calibration_markers').select('calibration_id').where('user_id', '=', viewer.userId),
          ),
        ]),
      )
      const rows = await visible.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(200).execute()
      return rows.map(r => ({ ...r, entries: n(r.entries), markers: n(r.markers), marker: r.me !== null }))
    },

    async markers(calibrationId: number) {
      return db
        .selectFrom('qa_calibration_markers as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select(['u.id', 'u.display_name', 'u.username'])
        .where('m.calibration_id', '=', calibrationId)
        .orderBy('u.display_name')
        .execute()
    },

    /** The entries of an exercise, with what a marker reads of each (never the officer's other reviews). */
    async entries(calibrationId: number) {
      return db
        .selectFrom('qa_calibration_entries as x')
        .innerJoin('key_work_sessions as s', 's.id', 'x.session_id')
        .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .innerJoin('establishments as e', 'e.id', 's.establishment_id')
        .leftJoin('staff as st', 'st.id', 's.staff_id')
        .select([
          's.id',
          's.establishment_id',
          'e.name as establishment_name',
          's.session_date',
          's.outcome',
          's.not_delivered_reason',
          's.duration_minutes',
          's.pathways',
          's.prisoner_words',
          's.agreed',
          's.concern',
          's.concern_escalated_to',
          's.interpreter_needed',
          's.interpreter_used',
          's.interpreter_why_not',
          's.author',
          's.author_user_id',
          's.precheck',
          'p.prison_number',
          'p.first_name',
          'p.last_name',
          'st.first_name as staff_first_name',
          'st.last_name as staff_last_name',
        ])
        .where('x.calibration_id', '=', calibrationId)
        .orderBy('s.session_date')
        .orderBy('s.id')
        .execute()
    },

    /** Every mark of an exercise: one row per review and criterion (criterion null: a review with no scores). */
    async marks(calibrationId: number, reviewerUserId?: number): Promise<MarkRow[]> {
      let q = db
        .selectFrom('qa_reviews as r')
        .leftJoin('qa_review_scores as sc', 'sc.review_id', 'r.id')
        .select(['r.session_id', 'r.reviewer_user_id', 'r.overall_score', 'sc.criterion_id', 'sc.score'])
        .where('r.calibration_id', '=', calibrationId)
        .where('r.kind', '=', 'calibration')
      if (reviewerUserId !== undefined) q = q.where('r.reviewer_user_id', '=', reviewerUserId)
      const rows = await q.execute()
      return rows.map(r => ({
        session_id: n(r.session_id),
        reviewer_user_id: n(r.reviewer_user_id),
        overall_score: n(r.overall_score),
        criterion_id: r.criterion_id === null ? null : n(r.criterion_id),
        score: r.score === null ? null : n(r.score),
      }))
    },

    /** The entries (with their pre-checks), markers and marks of several exercises at once, for their reports. */
    async reportInputs(ids: number[]) {
      if (!ids.length) return { entries: [], markers: [], marks: [] }
      const [entries, markers, marks] = await Promise.all([
        db
          .selectFrom('qa_calibration_entries as x')
          .innerJoin('key_work_sessions as s', 's.id', 'x.session_id')
          .select(['x.calibration_id', 's.id', 's.establishment_id', 's.precheck'])
          .where('x.calibration_id', 'in', ids)
          .orderBy('x.calibration_id')
          .orderBy('s.session_date')
          .orderBy('s.id')
          .execute(),
        db
          .selectFrom('qa_calibration_markers')
          .select(['calibration_id', 'user_id'])
          .where('calibration_id', 'in', ids)
          .orderBy('calibration_id')
          .orderBy('user_id')
          .execute(),
        db
          .selectFrom('qa_reviews as r')
          .leftJoin('qa_review_scores as sc', 'sc.review_id', 'r.id')
          .select([
            'r.calibration_id',
            'r.session_id',
            'r.reviewer_user_id',
            'r.overall_score',
            'sc.criterion_id',
            'sc.score',
          ])
          .where('r.calibration_id', 'in', ids)
          .where('r.kind', '=', 'calibration')
          .execute(),
      ])
      return {
        entries: entries.map(e => ({
          calibrationId: n(e.calibration_id),
          id: n(e.id),
          establishmentId: n(e.establishment_id),
          precheck: e.precheck,
        })),
        markers: markers.map(m => ({ calibrationId: n(m.calibration_id), userId: n(m.user_id) })),
        marks: marks.map(r => ({
          calibrationId: n(r.calibration_id),
          session_id: n(r.session_id),
          reviewer_user_id: n(r.reviewer_user_id),
          overall_score: n(r.overall_score),
          criterion_id: r.criterion_id === null ? null : n(r.criterion_id),
          score: r.score === null ? null : n(r.score),
        })),
      }
    },

    /** How many entries each marker has marked (progress, without the scores). */
    async progress(calibrationId: number) {
      const rows = await db
        .selectFrom('qa_reviews')
        .select(['reviewer_user_id', eb => eb.fn.countAll<number>().as('n')])
        .where('calibration_id', '=', calibrationId)
        .where('kind', '=', 'calibration')
        .groupBy('reviewer_user_id')
        .execute()
      return new Map(rows.map(r => [n(r.reviewer_user_id), n(r.n)]))
    },

    /** Submitted entries of a month (an establishment's, or any: null) for a random pick. */
    async entriesOfMonth(establishmentId: number | null, from: string, to: string) {
      let q = db
        .selectFrom('key_work_sessions')
        .select('id')
        .where('status', '=', 'submitted')
        .where('session_date', '>=', from)
        .where('session_date', '<=', to)
      if (establishmentId !== null) q = q.where('establishment_id', '=', establishmentId)
      return (await q.orderBy('id').execute()).map(r => n(r.id))
    },

    /** Which of the ids are submitted entries the exercise may take (its establishment's, or any: null). */
    async submittedAmong(establishmentId: number | null, ids: number[]) {
      if (!ids.length) return []
      let q = db.selectFrom('key_work_sessions').select('id').where('status', '=', 'submitted').where('id', 'in', ids)
      if (establishmentId !== null) q = q.where('establishment_id', '=', establishmentId)
      return (await q.execute()).map(r => n(r.id))
    },

    /** Supervising Officers who may mark: of the establishment, or of any (national: null); enabled accounts. */
    async markerCandidates(establishmentId: number | null) {
      let q = db
        .selectFrom('user_roles as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .leftJoin('establishments as e', 'e.id', 'r.establishment_id')
        .select(['u.id', 'u.display_name', 'u.username', 'e.name as establishment_name'])
        .where('r.role', '=', 'SUPERVISING_OFFICER')
        .where('u.enabled', '=', 1)
      if (establishmentId !== null) q = q.where('r.establishment_id', '=', establishmentId)
      const rows = await q.orderBy('u.display_name').orderBy('e.name').execute()
      const seen = new Set<number>()
      return rows.filter(r => !seen.has(r.id) && seen.add(r.id))
    },

    async insert(
      trx: Kysely<Database>,
      row: Omit<CalibrationRow, 'id' | 'closed_at' | 'status'>,
      sessionIds: number[],
      markerIds: number[],
    ): Promise<number> {
      const { id } = await trx
        .insertInto('qa_calibrations')
        .values({ ...row, status: 'open', closed_at: null })
        .returning('id')
        .executeTakeFirstOrThrow()
      const calibrationId = n(id)
      await trx
        .insertInto('qa_calibration_entries')
        .values(sessionIds.map(session_id => ({ calibration_id: calibrationId, session_id })))
        .execute()
      await trx
        .insertInto('qa_calibration_markers')
        .values(markerIds.map(user_id => ({ calibration_id: calibrationId, user_id })))
        .execute()
      return calibrationId
    },

    /** The marks of an exercise with the officer each is about, to tell them when the exercise closes. */
    async marksToTell(k: Kysely<Database>, calibrationId: number) {
      const rows = await k
        .selectFrom('qa_reviews')
        .select(['id', 'establishment_id', 'officer_user_id'])
        .where('calibration_id', '=', calibrationId)
        .where('kind', '=', 'calibration')
        .where('officer_user_id', 'is not', null)
        .orderBy('id')
        .execute()
      return rows.map(r => ({
        id: n(r.id),
        establishmentId: n(r.establishment_id),
        officerUserId: n(r.officer_user_id),
      }))
    },

    /** Closes an open exercise; false when it was not open (closed meanwhile). */
    async close(trx: Kysely<Database>, id: number, at: string): Promise<boolean> {
      const r = await trx
        .updateTable('qa_calibrations')
        .set({ status: 'closed', closed_at: at })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return n(r.numUpdatedRows) === 1
    },

    /**
     * Closed exercises for the dashboard, closed in the time range: the national ones and the establishment's (null:
     * the national ones only; each establishment's show on its own dashboard).
     */
    async closedBetween(establishmentId: number | null, fromAt: string, beforeAt: string) {
      let q = db
        .selectFrom('qa_calibrations')
        .selectAll()
        .where('status', '=', 'closed')
        .where('closed_at', '>=', fromAt)
        .where('closed_at', '<', beforeAt)
      q =
        establishmentId === null
          ? q.where('establishment_id', 'is', null)
          : q.where(eb => eb.or([eb('establishment_id', '=', establishmentId), eb('establishment_id', 'is', null)]))
      return q.orderBy('closed_at').execute()
    },

    /** The ids of the criteria with their codes (for the pre-check's estimates, kept by code). */
    async criterionCodes(ids: number[]) {
      if (!ids.length) return new Map<number, string>()
      const rows = await db.selectFrom('qa_criteria').select(['id', 'code']).where('id', 'in', ids).execute()
      return new Map(rows.map(r => [n(r.id), r.code]))
    },

    /** Is the user a marker of the exercise? */
    async isMarker(calibrationId: number, userId: number) {
      const r = await db
        .selectFrom('qa_calibration_markers')
        .select('user_id')
        .where('calibration_id', '=', calibrationId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return !!r
    },

    /** Is the entry part of the exercise? */
    async hasEntry(calibrationId: number, sessionId: number) {
      const r = await db
        .selectFrom('qa_calibration_entries')
        .select('session_id')
        .where('calibration_id', '=', calibrationId)
        .where('session_id', '=', sessionId)
        .executeTakeFirst()
      return !!r
    },
  }
}

export type CalibrationRepository = ReturnType<typeof calibrationRepository>
