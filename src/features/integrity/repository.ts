import { type Insertable, type Kysely, PostgresAdapter, sql } from 'kysely'
import type { Database, IntegrityFlagTable } from '../../platform/db/types'
import { BANDS } from '../../domain/nearDuplicates'

/** band rows written by one statement of the full scan */
const BAND_ROWS_A_STATEMENT = 50_000

/**
 * Every SQL query of the integrity checks. They write only integrity_flags and integrity_bands; they read the
 * sessions, prisoners, staff, key work time, custody events and the staff audit trail of the establishment (the
 * read-only exception decided for issue 15, as statistics does). Every query is scoped by establishment.
 */

/** What the checks need of a submitted entry: its times, narrative, and the names to take out of the narrative. */
const entryColumns = [
  's.id',
  's.establishment_id',
  's.prisoner_id',
  's.staff_id',
  's.author_user_id',
  's.author',
  's.status',
  's.outcome',
  's.session_date',
  's.starts_at',
  's.duration_minutes',
  's.submitted_at',
  's.prisoner_words',
  's.agreed',
  'p.first_name',
  'p.last_name',
  'p.prison_number',
  'st.first_name as staff_first_name',
  'st.last_name as staff_last_name',
] as const

export type FlagListFilter = {
  establishmentId: number
  status?: 'open' | 'resolved'
  kind?: string
  limit: number
  offset: number
}

export function integrityRepository(db: Kysely<Database>) {
  const entries = (k: Kysely<Database>) =>
    k
      .selectFrom('key_work_sessions as s')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .select(entryColumns)

  const flagsDetailed = (k: Kysely<Database>) =>
    k
      .selectFrom('integrity_flags as f')
      .innerJoin('key_work_sessions as s', 's.id', 'f.session_id')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 'f.staff_id')
      .selectAll('f')
      .select([
        's.session_date',
        's.author',
        'p.prison_number',
        'p.first_name as prisoner_first_name',
        'p.last_name as prisoner_last_name',
        'st.first_name as staff_first_name',
        'st.last_name as staff_last_name',
      ])

  const filtered = (f: FlagListFilter) => {
    let q = flagsDetailed(db).where('f.establishment_id', '=', f.establishmentId)
    if (f.status) q = q.where('f.status', '=', f.status)
    if (f.kind) q = q.where('f.kind', '=', f.kind)
    return q
  }

  return {
    /** A submitted entry of the establishment, or undefined. */
    entry(k: Kysely<Database>, establishmentId: number, id: number) {
      return entries(k)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', '=', id)
        .where('s.status', '=', 'submitted')
        .executeTakeFirst()
    },

    /** Submitted entries of the establishment with these ids. */
    entriesByIds(k: Kysely<Database>, establishmentId: number, ids: readonly number[]) {
      if (!ids.length) return Promise.resolve([])
      return entries(k)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', 'in', [...ids])
        .where('s.status', '=', 'submitted')
        .orderBy('s.id')
        .execute()
    },

    /** Entries of the establishment with these ids, whatever their status (a flag's page shows a deleted one too). */
    entriesAny(k: Kysely<Database>, establishmentId: number, ids: readonly number[]) {
      if (!ids.length) return Promise.resolve([])
      return entries(k)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', 'in', [...ids])
        .orderBy('s.id')
        .execute()
    },

    /**
     * The establishment's submitted entries dated from `from` (included) to `to` (excluded), or with no date when
     * both are null: the full scan's batches (a range of the establishment's date index, so no batch sorts them all).
     */
    entriesDated(k: Kysely<Database>, establishmentId: number, from: string | null, to: string | null) {
      let q = entries(k).where('s.establishment_id', '=', establishmentId).where('s.status', '=', 'submitted')
      q =
        from === null || to === null
          ? q.where('s.session_date', 'is', null)
          : q.where('s.session_date', '>=', from).where('s.session_date', '<', to)
      return q.orderBy('s.id').execute()
    },

    /** The first and last dates of the establishment's submitted entries. */
    dateRange(k: Kysely<Database>, establishmentId: number) {
      return k
        .selectFrom('key_work_sessions')
        .select(eb => [eb.fn.min('session_date').as('first'), eb.fn.max('session_date').as('last')])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'submitted')
        .executeTakeFirst()
    },

    /** What the timing rules need of every submitted entry of the establishment (no narrative). */
    timingRows(k: Kysely<Database>, establishmentId: number) {
      return k
        .selectFrom('key_work_sessions')
        .select([
          'id',
          'prisoner_id',
          'staff_id',
          'author_user_id',
          'author',
          'outcome',
          'session_date',
          'starts_at',
          'duration_minutes',
          'submitted_at',
        ])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'submitted')
        .orderBy('id')
        .execute()
    },

    /** One officer's delivered submitted entries on a day (by staff id, or by author when no officer is linked). */
    officerDay(
      k: Kysely<Database>,
      establishmentId: number,
      who: { staffId: number | null; author: string },
      date: string,
    ) {
      let q = k
        .selectFrom('key_work_sessions')
        .select(['id', 'staff_id', 'author', 'session_date', 'starts_at', 'duration_minutes'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'submitted')
        .where('outcome', '=', 'delivered')
        .where('session_date', '=', date)
      q =
        who.staffId === null
          ? q.where('staff_id', 'is', null).where('author', '=', who.author)
          : q.where('staff_id', '=', who.staffId)
      return q.orderBy('id').execute()
    },

    /** One author's entries submitted between two instants (UTC ISO), for the burst rule. */
    /** One author's entries submitted between two instants, for sessions dated on or before a day. */
    submittedBetween(
      k: Kysely<Database>,
      establishmentId: number,
      who: { userId: number | null; author: string },
      span: { from: string; to: string; datedBy: string },
    ) {
      let q = k
        .selectFrom('key_work_sessions')
        .select(['id', 'author_user_id', 'author', 'session_date', 'submitted_at'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'submitted')
        .where('submitted_at', '>=', span.from)
        .where('submitted_at', '<=', span.to)
        .where('session_date', '<=', span.datedBy)
      q = who.userId === null ? q.where('author', '=', who.author) : q.where('author_user_id', '=', who.userId)
      return q.orderBy('submitted_at').execute()
    },

    /** The key work slots of the establishment's officers (one officer's when staffId is given). */
    slots(k: Kysely<Database>, establishmentId: number, staffId?: number) {
      let q = k
        .selectFrom('key_work_slots')
        .select(['staff_id', 'weekday', 'on_date', 'starts_at', 'ends_at', 'valid_from', 'valid_to'])
        .where('establishment_id', '=', establishmentId)
      if (staffId !== undefined) q = q.where('staff_id', '=', staffId)
      return q.execute()
    },

    /** The establishment's custody events (one prisoner's when given), in the order recorded. */
    custodyEvents(k: Kysely<Database>, establishmentId: number, prisonerId?: number) {
      let q = k
        .selectFrom('custody_events')
        .select(['id', 'prisoner_id', 'kind', 'date'])
        .where('establishment_id', '=', establishmentId)
      if (prisonerId !== undefined) q = q.where('prisoner_id', '=', prisonerId)
      return q.orderBy('id').execute()
    },

    /** Prisoners' reception and release as their records hold them (for those with no custody events). */
    prisoners(k: Kysely<Database>, establishmentId: number, ids: readonly number[]) {
      if (!ids.length) return Promise.resolve([])
      return k
        .selectFrom('prisoners')
        .select(['id', 'reception_date', 'release_date', 'status', 'establishment_id'])
        .where('establishment_id', '=', establishmentId)
        .where('id', 'in', [...ids])
        .execute()
    },

    /** The establishment's staff: status now, and the time the record last changed. */
    staff(k: Kysely<Database>, establishmentId: number, staffId?: number) {
      let q = k
        .selectFrom('staff')
        .select(['id', 'staff_number', 'status', 'status_return_date', 'created_at', 'updated_at'])
        .where('establishment_id', '=', establishmentId)
      if (staffId !== undefined) q = q.where('id', '=', staffId)
      return q.execute()
    },

    /**
     * The audit trail's staff events of the establishment (one staff number's when given), oldest first: the only
     * history of an officer's status (the staff table keeps the status now and its return date).
     */
    staffEvents(k: Kysely<Database>, establishmentId: number, staffNumber?: string) {
      let q = k
        .selectFrom('audit_events')
        .select(['id', 'at', 'entity_id', 'changes'])
        .where('entity', '=', 'staff')
        .where('establishment_id', '=', establishmentId)
        .where('action', 'in', ['create', 'update', 'import'])
      if (staffNumber !== undefined) q = q.where('entity_id', '=', staffNumber)
      return q.orderBy('id').execute()
    },

    /** The establishment's set length under which an entry is thin, if it has set one. */
    async thinChars(k: Kysely<Database>, establishmentId: number): Promise<number | null> {
      const row = await k
        .selectFrom('qa_settings')
        .select('thin_entry_chars')
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
      return row?.thin_entry_chars ?? null
    },

    // -------------------------------------------------------------------------------------------------------------
    // The near-duplicate index

    /** Replaces an entry's band hashes (signed 32-bit). */
    async setBands(k: Kysely<Database>, establishmentId: number, sessionId: number, hashes: readonly number[]) {
      await k.deleteFrom('integrity_bands').where('session_id', '=', sessionId).execute()
      if (hashes.length)
        await k
          .insertInto('integrity_bands')
          .values(
            hashes.map((hash, band) => ({ session_id: sessionId, establishment_id: establishmentId, band, hash })),
          )
          .execute()
    },

    /** The establishment's band hashes as the index holds them, by entry (the full scan writes only what changed). */
    async bands(k: Kysely<Database>, establishmentId: number): Promise<Map<number, Int32Array>> {
      const rows = await k
        .selectFrom('integrity_bands')
        .select(['session_id', 'band', 'hash'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      const out = new Map<number, Int32Array>()
      for (const r of rows) {
        let h = out.get(r.session_id)
        if (!h) out.set(r.session_id, (h = new Int32Array(BANDS)))
        if (r.band >= 0 && r.band < BANDS) h[r.band] = r.hash
      }
      return out
    },

    /** Removes the bands of these entries of the establishment. */
    async removeBands(k: Kysely<Database>, establishmentId: number, sessionIds: readonly number[]) {
      for (let i = 0; i < sessionIds.length; i += 1000)
        await k
          .deleteFrom('integrity_bands')
          .where('establishment_id', '=', establishmentId)
          .where('session_id', 'in', sessionIds.slice(i, i + 1000))
          .execute()
    },

    /**
     * Writes many band rows in few statements: the rows travel as one JSON text (SQLite, read with json_each) or four
     * arrays (PostgreSQL, read with unnest), so a statement's size is not bound by the engines' limits on parameters
     * and no query is built row by row.
     */
    async insertBands(
      k: Kysely<Database>,
      rows: readonly { session_id: number; establishment_id: number; band: number; hash: number }[],
    ) {
      const postgres = k.getExecutor().adapter instanceof PostgresAdapter
      for (let i = 0; i < rows.length; i += BAND_ROWS_A_STATEMENT) {
        const part = rows.slice(i, i + BAND_ROWS_A_STATEMENT)
        if (postgres)
          await sql`insert into integrity_bands (session_id, establishment_id, band, hash)
            select * from unnest(${part.map(r => r.session_id)}::integer[], ${part.map(r => r.establishment_id)}::integer[],
              ${part.map(r => r.band)}::integer[], ${part.map(r => r.hash)}::integer[])`.execute(k)
        else
          await sql`insert into integrity_bands (session_id, establishment_id, band, hash)
            select json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
              json_extract(value, '$[3]')
            from json_each(${JSON.stringify(part.map(r => [r.session_id, r.establishment_id, r.band, r.hash]))})`.execute(
            k,
          )
      }
    },

    /** Submitted entries of the establishment sharing a band hash with these (signed) hashes, other than `self`. */
    async candidates(k: Kysely<Database>, establishmentId: number, hashes: readonly number[], self: number) {
      if (!hashes.length) return []
      const rows = await k
        .selectFrom('integrity_bands as b')
        .innerJoin('key_work_sessions as s', 's.id', 'b.session_id')
        .select('b.session_id')
        .distinct()
        .where('b.establishment_id', '=', establishmentId)
        // the two lists let SQLite walk the lookup index on all three columns (with the OR alone it reads every band
        // of the establishment: a scan that grows with every entry); the OR keeps each hash to its own band
        .where(
          'b.band',
          'in',
          hashes.map((_, band) => band),
        )
        .where('b.hash', 'in', [...new Set(hashes)])
        .where(eb => eb.or(hashes.map((hash, band) => eb.and([eb('b.band', '=', band), eb('b.hash', '=', hash)]))))
        .where('b.session_id', '<>', self)
        .where('s.status', '=', 'submitted')
        .execute()
      return rows.map(r => r.session_id)
    },

    // -------------------------------------------------------------------------------------------------------------
    // Flags

    /** Raises a flag unless one with its key exists; the new flag's id, or null when it existed. */
    async raise(k: Kysely<Database>, flag: Insertable<IntegrityFlagTable>): Promise<number | null> {
      const row = await k
        .insertInto('integrity_flags')
        .values(flag)
        .onConflict(oc => oc.columns(['establishment_id', 'flag_key']).doNothing())
        .returning('id')
        .executeTakeFirst()
      return row?.id ?? null
    },

    /** Raises many flags at once, those whose key exists left out; the new flags' ids and kinds. */
    async raiseMany(k: Kysely<Database>, flags: readonly Insertable<IntegrityFlagTable>[]) {
      const out: { id: number; kind: string }[] = []
      // 15 values a row: 1,000 rows stay under both engines' limits on parameters
      for (let i = 0; i < flags.length; i += 1000)
        out.push(
          ...(await k
            .insertInto('integrity_flags')
            .values(flags.slice(i, i + 1000))
            .onConflict(oc => oc.columns(['establishment_id', 'flag_key']).doNothing())
            .returning(['id', 'kind'])
            .execute()),
        )
      return out
    },

    /** Updates an open flag's evidence (a burst that grew). */
    updateOpenEvidence(k: Kysely<Database>, establishmentId: number, key: string, evidence: string, otherId: number) {
      return k
        .updateTable('integrity_flags')
        .set({ evidence, other_session_id: otherId })
        .where('establishment_id', '=', establishmentId)
        .where('flag_key', '=', key)
        .where('status', '=', 'open')
        .execute()
    },

    /** The keys of the establishment's flags. */
    async keys(k: Kysely<Database>, establishmentId: number): Promise<Set<string>> {
      const rows = await k
        .selectFrom('integrity_flags')
        .select('flag_key')
        .where('establishment_id', '=', establishmentId)
        .execute()
      return new Set(rows.map(r => r.flag_key))
    },

    list(f: FlagListFilter) {
      return filtered(f)
        .orderBy('f.status', 'asc')
        .orderBy('f.raised_at', 'desc')
        .orderBy('f.id', 'desc')
        .limit(f.limit)
        .offset(f.offset)
        .execute()
    },

    async count(f: Omit<FlagListFilter, 'limit' | 'offset'>) {
      let q = db
        .selectFrom('integrity_flags')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('establishment_id', '=', f.establishmentId)
      if (f.status) q = q.where('status', '=', f.status)
      if (f.kind) q = q.where('kind', '=', f.kind)
      return Number((await q.executeTakeFirstOrThrow()).n)
    },

    /** Counts of the establishment's flags by kind and status. */
    countsByKind(establishmentId: number) {
      return db
        .selectFrom('integrity_flags')
        .select(['kind', 'status', eb => eb.fn.countAll<number>().as('n')])
        .where('establishment_id', '=', establishmentId)
        .groupBy(['kind', 'status'])
        .execute()
    },

    byId(k: Kysely<Database>, establishmentId: number, id: number) {
      return flagsDetailed(k)
        .where('f.establishment_id', '=', establishmentId)
        .where('f.id', '=', id)
        .executeTakeFirst()
    },

    /** Resolves an open flag; false when it was not open (resolved meanwhile). */
    async resolve(
      k: Kysely<Database>,
      establishmentId: number,
      id: number,
      values: {
        outcome: string
        note: string
        resolved_by_user_id: number | null
        resolved_by: string
        resolved_at: string
      },
    ) {
      const r = await k
        .updateTable('integrity_flags')
        .set({ ...values, status: 'resolved' })
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    },

    /**
     * Sessions of the establishment dated from `from` to `to` (both included) that a flag is about (as its entry or
     * the other entry), leaving out flags resolved with no concern.
     */
    async flaggedSessionIds(establishmentId: number, from: string, to: string): Promise<Set<number>> {
      const base = db
        .selectFrom('integrity_flags as f')
        .where('f.establishment_id', '=', establishmentId)
        .where(eb => eb.or([eb('f.outcome', 'is', null), eb('f.outcome', '<>', 'no_concern')]))
      const [own, other] = await Promise.all([
        base
          .innerJoin('key_work_sessions as s', 's.id', 'f.session_id')
          .select('s.id')
          .where('s.session_date', '>=', from)
          .where('s.session_date', '<=', to)
          .execute(),
        base
          .innerJoin('key_work_sessions as s', 's.id', 'f.other_session_id')
          .select('s.id')
          .where('s.session_date', '>=', from)
          .where('s.session_date', '<=', to)
          .execute(),
      ])
      return new Set([...own, ...other].map(r => r.id))
    },
  }
}

export type IntegrityRepository = ReturnType<typeof integrityRepository>
export type CheckedEntry = Awaited<ReturnType<IntegrityRepository['entriesDated']>>[number]
