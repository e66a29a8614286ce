import { type Insertable, type Kysely, type Updateable, sql } from 'kysely'
import type { Database, GoodPracticeTable } from '../../platform/db/types'

/**
 * The national good-practice library (issue 15). Writes only `good_practice`; reads the nominated entry, its
 * prisoner and officer, and the names and places to redact (staff, prisoners, establishments, residential units,
 * directory locations and towns), read-only, as the quality features may.
 */
export function goodPracticeRepository(db: Kysely<Database>) {
  /** "first last" of each member of staff or prisoner of the establishment */
  const fullNames = async (table: 'staff' | 'prisoners', establishmentId: number) => {
    const rows = await db
      .selectFrom(table)
      .select(['first_name', 'last_name'])
      .where('establishment_id', '=', establishmentId)
      .execute()
    return rows.map(r => `${r.first_name} ${r.last_name}`)
  }
  const nomination = (k: Kysely<Database>) =>
    k
      .selectFrom('good_practice as g')
      .innerJoin('establishments as e', 'e.id', 'g.establishment_id')
      .selectAll('g')
      .select(['e.name as establishment_name', 'e.code as establishment_code'])

  return {
    /** A submitted entry of the establishment, with its prisoner and officer. */
    entry(establishmentId: number, sessionId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('key_work_sessions as s')
        .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .leftJoin('staff as st', 'st.id', 's.staff_id')
        .select([
          's.id',
          's.establishment_id',
          's.status',
          's.outcome',
          's.session_date',
          's.duration_minutes',
          's.pathways',
          's.prisoner_words',
          's.agreed',
          's.author',
          's.author_user_id',
          'p.prison_number',
          'p.first_name as prisoner_first_name',
          'p.last_name as prisoner_last_name',
          'st.first_name as staff_first_name',
          'st.last_name as staff_last_name',
        ])
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', '=', sessionId)
        .executeTakeFirst()
    },
    /** The goals set or reviewed in the entry, whose words are part of it. */
    goals(establishmentId: number, sessionId: number) {
      return db
        .selectFrom('session_goals')
        .select(['description', 'measure'])
        .where('establishment_id', '=', establishmentId)
        .where('set_in_session_id', '=', sessionId)
        .orderBy('id')
        .execute()
    },
    /** A nomination of this entry still waiting or published (a declined one may be nominated again). */
    liveForSession(trx: Kysely<Database>, establishmentId: number, sessionId: number) {
      return trx
        .selectFrom('good_practice')
        .select(['id', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('session_id', '=', sessionId)
        .where('status', 'in', ['nominated', 'published'])
        .executeTakeFirst()
    },
    async insert(trx: Kysely<Database>, row: Insertable<GoodPracticeTable>): Promise<number> {
      const r = await trx.insertInto('good_practice').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    /**
     * A nomination with its establishment's name: of the establishment given, or of any establishment when `scope` is
     * null (the national team's, whose library is national).
     */
    nomination(scope: number | null, id: number) {
      let q = nomination(db).where('g.id', '=', id)
      if (scope !== null) q = q.where('g.establishment_id', '=', scope)
      return q.executeTakeFirst()
    },
    nominationIn(trx: Kysely<Database>, scope: number | null, id: number) {
      let q = trx.selectFrom('good_practice').selectAll().where('id', '=', id)
      if (scope !== null) q = q.where('establishment_id', '=', scope)
      return q.executeTakeFirst()
    },
    /**
     * The nominations of one establishment, or of every establishment when `scope` is null: waiting first (oldest
     * first), then the decided (latest first).
     */
    nominations(scope: number | null) {
      let q = nomination(db)
      if (scope !== null) q = q.where('g.establishment_id', '=', scope)
      return q
        .orderBy(sql`case when g.status = 'nominated' then 0 else 1 end`)
        .orderBy(sql`case when g.status = 'nominated' then g.nominated_at end`)
        .orderBy('g.decided_at', 'desc')
        .orderBy('g.id', 'desc')
        .limit(200)
        .execute()
    },
    /** How many nominations wait in each establishment. */
    waitingByEstablishment() {
      return db
        .selectFrom('good_practice as g')
        .innerJoin('establishments as e', 'e.id', 'g.establishment_id')
        .select(['e.id', 'e.name', 'e.code'])
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('g.status', '=', 'nominated')
        .groupBy(['e.id', 'e.name', 'e.code'])
        .orderBy('e.name')
        .execute()
    },
    /** Published library items, newest first, of a pathway if given. */
    published(pathway: string | null) {
      let q = db
        .selectFrom('good_practice')
        .select(['id', 'title', 'text', 'pathways', 'decided_at'])
        .where('status', '=', 'published')
      if (pathway) q = q.where(sql<boolean>`(',' || pathways || ',') like ${`%,${pathway.replace(/[%_]/g, '')},%`}`)
      return q.orderBy('decided_at', 'desc').orderBy('id', 'desc').limit(500).execute()
    },
    /** One published library item, whichever establishment it came from: the library is national. */
    publishedItem(id: number) {
      return db
        .selectFrom('good_practice')
        .select(['id', 'title', 'text', 'pathways', 'decided_at'])
        .where('status', '=', 'published')
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async decide(trx: Kysely<Database>, id: number, values: Updateable<GoodPracticeTable>): Promise<number> {
      const r = await trx
        .updateTable('good_practice')
        .set(values)
        .where('id', '=', id)
        .where('status', '=', 'nominated')
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    },

    // What to redact: the names and places an entry of the establishment might mention.
    staffNames(establishmentId: number): Promise<string[]> {
      return fullNames('staff', establishmentId)
    },
    prisonerNames(establishmentId: number): Promise<string[]> {
      return fullNames('prisoners', establishmentId)
    },
    async userNames(establishmentId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('users')
        .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
        .select(['users.display_name'])
        .where('user_roles.establishment_id', '=', establishmentId)
        .execute()
      return rows.map(r => r.display_name)
    },
    establishments() {
      return db.selectFrom('establishments').select(['name', 'code']).execute()
    },
    units(establishmentId: number) {
      return db
        .selectFrom('residential_units')
        .select(['code', 'name'])
        .where('establishment_id', '=', establishmentId)
        .execute()
    },
    /** Directory locations of the establishment and national ones, with their towns. */
    async locations(establishmentId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('directory_locations as l')
        .leftJoin('directory_addresses as a', 'a.location_id', 'l.id')
        .select(['l.name', 'a.city'])
        .where(eb => eb.or([eb('l.establishment_id', '=', establishmentId), eb('l.establishment_id', 'is', null)]))
        .execute()
      return rows.flatMap(r => [r.name, r.city ?? '']).filter(Boolean)
    },
  }
}

export type NominationRow = NonNullable<Awaited<ReturnType<ReturnType<typeof goodPracticeRepository>['nomination']>>>
