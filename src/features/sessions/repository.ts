import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, KeyWorkSessionTable } from '../../platform/db/types'

/** Every SQL query of the sessions feature. Establishment-scoped reads take the establishment's id. */
export function sessionsRepository(db: Kysely<Database>) {
  const withPrisoner = (k: Kysely<Database>) =>
    k
      .selectFrom('key_work_sessions as s')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .selectAll('s')
      .select([
        'p.prison_number',
        'p.first_name',
        'p.last_name',
        'p.reception_date',
        'p.status as prisoner_status',
        'p.interpreter_needed as prisoner_interpreter_needed',
        'p.first_language',
        'p.establishment_id as prisoner_establishment_id',
        'st.first_name as staff_first_name',
        'st.last_name as staff_last_name',
      ])

  return {
    /** A session of the establishment, with its prisoner; undefined for another establishment's. */
    byId(k: Kysely<Database>, establishmentId: number, id: number) {
      return withPrisoner(k).where('s.establishment_id', '=', establishmentId).where('s.id', '=', id).executeTakeFirst()
    },

    byClientKey(k: Kysely<Database>, clientKey: string) {
      return k.selectFrom('key_work_sessions').selectAll().where('client_key', '=', clientKey).executeTakeFirst()
    },

    /** The author's open draft for a prisoner, if any. */
    draftFor(k: Kysely<Database>, establishmentId: number, prisonerId: number, userId: number) {
      return k
        .selectFrom('key_work_sessions')
        .select(['id'])
        .where('establishment_id', '=', establishmentId)
        .where('prisoner_id', '=', prisonerId)
        .where('author_user_id', '=', userId)
        .where('status', '=', 'draft')
        .orderBy('id', 'desc')
        .executeTakeFirst()
    },

    draftsOf(establishmentId: number, userId: number) {
      return withPrisoner(db)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.author_user_id', '=', userId)
        .where('s.status', '=', 'draft')
        .orderBy('s.updated_at', 'desc')
        .limit(100)
        .execute()
    },

    /** Submitted entries of the establishment, newest first; optionally only one author's. */
    recent(establishmentId: number, authorUserId: number | null, limit: number) {
      let q = withPrisoner(db).where('s.establishment_id', '=', establishmentId).where('s.status', '=', 'submitted')
      if (authorUserId !== null) q = q.where('s.author_user_id', '=', authorUserId)
      return q.orderBy('s.session_date', 'desc').orderBy('s.id', 'desc').limit(limit).execute()
    },

    /** Submitted entries of one prisoner, newest first. */
    forPrisoner(establishmentId: number, prisonerId: number) {
      return withPrisoner(db)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.prisoner_id', '=', prisonerId)
        .where('s.status', '=', 'submitted')
        .orderBy('s.session_date', 'desc')
        .orderBy('s.id', 'desc')
        .execute()
    },

    /** The last delivered session's date per prisoner. */
    lastDelivered(establishmentId: number) {
      return db
        .selectFrom('key_work_sessions')
        .select(['prisoner_id', db.fn.max('session_date').as('last')])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'submitted')
        .where('outcome', '=', 'delivered')
        .groupBy('prisoner_id')
        .execute()
    },

    /** Whether the officer is the prisoner's Key Worker now (including cover allocations). */
    async onCaseload(k: Kysely<Database>, establishmentId: number, prisonerId: number, staffId: number) {
      const row = await k
        .selectFrom('allocations')
        .select('id')
        .where('establishment_id', '=', establishmentId)
        .where('prisoner_id', '=', prisonerId)
        .where('staff_id', '=', staffId)
        .where('deallocated_at', 'is', null)
        .executeTakeFirst()
      return !!row
    },

    async insert(k: Kysely<Database>, row: Insertable<KeyWorkSessionTable>) {
      const r = await k.insertInto('key_work_sessions').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    /** Updates a draft; 0 when it is no longer a draft (submitted meanwhile). */
    async updateDraft(k: Kysely<Database>, id: number, values: Updateable<KeyWorkSessionTable>) {
      const r = await k
        .updateTable('key_work_sessions')
        .set(values)
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    },

    async update(k: Kysely<Database>, id: number, values: Updateable<KeyWorkSessionTable>) {
      await k.updateTable('key_work_sessions').set(values).where('id', '=', id).execute()
    },

    /** The prisoner's goals still open (open or in progress), oldest first. */
    openGoals(k: Kysely<Database>, establishmentId: number, prisonerId: number) {
      return k
        .selectFrom('session_goals')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('prisoner_id', '=', prisonerId)
        .where('status', 'in', ['open', 'in_progress'])
        .orderBy('id')
        .execute()
    },

    async insertGoal(k: Kysely<Database>, row: Insertable<Database['session_goals']>) {
      const r = await k.insertInto('session_goals').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    async reviewGoal(
      k: Kysely<Database>,
      goalId: number,
      sessionId: number,
      status: string,
      note: string | null,
      now: string,
    ) {
      await k.insertInto('goal_reviews').values({ goal_id: goalId, session_id: sessionId, status, note }).execute()
      const before = await k
        .selectFrom('session_goals')
        .select(['status', 'created_at'])
        .where('id', '=', goalId)
        .executeTakeFirst()
      await k
        .updateTable('session_goals')
        .set({ status, updated_in_session_id: sessionId, updated_at: now })
        .where('id', '=', goalId)
        .execute()
      /** when the goal was set (the day its statistics count on) and its status before the review */
      return before ? { createdAt: before.created_at, from: before.status } : null
    },

    async insertReferral(k: Kysely<Database>, row: Insertable<Database['referrals']>) {
      const r = await k.insertInto('referrals').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    async insertWorksheets(k: Kysely<Database>, sessionId: number, worksheetIds: number[]) {
      if (!worksheetIds.length) return
      await k
        .insertInto('session_worksheets')
        .values(worksheetIds.map(worksheet_id => ({ session_id: sessionId, worksheet_id })))
        .execute()
    },

    goalsSetIn(sessionIds: number[]) {
      if (!sessionIds.length) return Promise.resolve([])
      return db
        .selectFrom('session_goals')
        .selectAll()
        .where('set_in_session_id', 'in', sessionIds)
        .orderBy('id')
        .execute()
    },

    reviewsIn(sessionIds: number[]) {
      if (!sessionIds.length) return Promise.resolve([])
      return db
        .selectFrom('goal_reviews as r')
        .innerJoin('session_goals as g', 'g.id', 'r.goal_id')
        .select(['r.session_id', 'r.goal_id', 'r.status', 'r.note', 'g.description', 'g.measure'])
        .where('r.session_id', 'in', sessionIds)
        .orderBy('r.id')
        .execute()
    },

    referralsIn(sessionIds: number[]) {
      if (!sessionIds.length) return Promise.resolve([])
      return db
        .selectFrom('referrals as r')
        .leftJoin('directory_services as d', 'd.id', 'r.service_id')
        .selectAll('r')
        .select(['d.name as service_name'])
        .where('r.session_id', 'in', sessionIds)
        .orderBy('r.id')
        .execute()
    },

    worksheetsIn(sessionIds: number[]) {
      if (!sessionIds.length) return Promise.resolve([])
      return db
        .selectFrom('session_worksheets as sw')
        .innerJoin('worksheets as w', 'w.id', 'sw.worksheet_id')
        .select(['sw.session_id', 'w.id', 'w.title', 'w.pathway'])
        .where('sw.session_id', 'in', sessionIds)
        .orderBy('w.title')
        .execute()
    },

    /** The changes of an entry's amendments, in the order they were made (read in the amending transaction). */
    amendmentChanges(k: Kysely<Database>, sessionId: number) {
      return k
        .selectFrom('session_amendments')
        .select('changes')
        .where('session_id', '=', sessionId)
        .orderBy('id')
        .execute()
    },

    amendmentsOf(sessionId: number) {
      return db.selectFrom('session_amendments').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
    },

    /** The names of these users (entries keep usernames), to show people by name. */
    async displayNames(usernames: string[]): Promise<Record<string, string>> {
      const wanted = [...new Set(usernames.filter(Boolean))]
      if (!wanted.length) return {}
      const rows = await db
        .selectFrom('users')
        .select(['username', 'display_name'])
        .where('username', 'in', wanted)
        .execute()
      return Object.fromEntries(rows.filter(r => r.display_name).map(r => [r.username, r.display_name]))
    },

    async insertAmendment(k: Kysely<Database>, row: Insertable<Database['session_amendments']>) {
      const r = await k.insertInto('session_amendments').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
  }
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>
export type SessionRow = NonNullable<Awaited<ReturnType<SessionsRepository['byId']>>>
