import { type Insertable, type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database, PrisonerTable, ResidentialUnitTable, StaffTable } from '../../platform/db/types'
import { GENESIS_HASH } from '../../domain/audit'

// Rows per INSERT: 500 keeps the widest table (17 columns, 8,500 parameters) well inside SQLite's 32,766 and
// PostgreSQL's 65,535 bound parameters, and is large enough that round trips do not dominate.
const CHUNK_ROWS = 500
const MAX_PARAMETERS = 30_000

// Tables a reset leaves alone: the migration bookkeeping, the one-row national policy (configuration, not data)
// and the reference data migrations create (the pathway taxonomy).
const KEEP = new Set([
  'kysely_migration',
  'kysely_migration_lock',
  'national_policy',
  'audit_head',
  'directory_taxonomies',
  'directory_taxonomy_terms',
])

export function demoRepository(db: Kysely<Database>, dialect: Dialect) {
  /** Runs one multi-row INSERT per chunk of rows, sized so no statement has too many parameters. */
  async function inChunks<R extends object>(rows: R[], insert: (chunk: R[]) => Promise<unknown>) {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!).length
    const size = Math.max(1, Math.min(CHUNK_ROWS, Math.floor(MAX_PARAMETERS / columns)))
    for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
  }

  return {
    async establishmentCount(): Promise<number> {
      const r = await db
        .selectFrom('establishments')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },

    async existingUsernames(usernames: readonly string[]): Promise<string[]> {
      const rows = await db.selectFrom('users').select('username').where('username', 'in', usernames).execute()
      return rows.map(r => r.username)
    },

    /** Every table of the application, read from the catalogue so that tables added by later migrations go too. */
    async dataTables(trx: Kysely<Database> = db): Promise<string[]> {
      if (dialect === 'postgres') {
        const r = await sql<{
          name: string
        }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(trx)
        return r.rows.map(t => t.name).filter(name => !KEEP.has(name))
      }
      const r = await sql<{
        name: string
        sql: string | null
      }>`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(trx)
      // a virtual table (full-text search) is emptied through itself, never through its shadow tables
      const virtual = r.rows.filter(t => /^create\s+virtual/i.test(t.sql ?? '')).map(t => `${t.name}_`)
      return r.rows.map(t => t.name).filter(name => !KEEP.has(name) && !virtual.some(prefix => name.startsWith(prefix)))
    },

    /**
     * Deletes every row of every data table and restarts the audit chain and the ids. Inside the caller's
     * transaction: foreign keys are checked only at commit (SQLite) or truncated together (PostgreSQL).
     */
    async wipe(trx: Kysely<Database>): Promise<string[]> {
      const tables = await this.dataTables(trx)
      if (tables.length > 0) {
        if (dialect === 'postgres') {
          const list = sql.join(tables.map(t => sql.id(t)))
          await sql`truncate table ${list} restart identity cascade`.execute(trx)
        } else {
          await sql`pragma defer_foreign_keys = on`.execute(trx)
          for (const t of tables) await sql`delete from ${sql.id(t)}`.execute(trx)
          const names = sql.join(tables.map(t => sql.lit(t)))
          const hasSequence = await sql<{
            n: number
          }>`select count(*) as n from sqlite_master where name = 'sqlite_sequence'`.execute(trx)
          if (Number(hasSequence.rows[0]?.n) > 0)
            await sql`delete from sqlite_sequence where name in (${names})`.execute(trx)
        }
      }
      await trx.updateTable('audit_head').set({ last_id: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute()
      return tables
    },

    async insertEstablishment(trx: Kysely<Database>, values: Insertable<Database['establishments']>) {
      const r = await trx.insertInto('establishments').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    /** Inserts the units and returns their ids by code. */
    async insertUnits(trx: Kysely<Database>, rows: Insertable<ResidentialUnitTable>[]) {
      const ids = new Map<string, number>()
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const out = await trx
          .insertInto('residential_units')
          .values(rows.slice(i, i + CHUNK_ROWS))
          .returning(['id', 'code'])
          .execute()
        for (const r of out) ids.set(r.code, r.id)
      }
      return ids
    },

    insertStaff: (trx: Kysely<Database>, rows: Insertable<StaffTable>[]) =>
      inChunks(rows, chunk => trx.insertInto('staff').values(chunk).execute()),
    insertPrisoners: (trx: Kysely<Database>, rows: Insertable<PrisonerTable>[]) =>
      inChunks(rows, chunk => trx.insertInto('prisoners').values(chunk).execute()),

    /** The establishment's prisoners' ids by prison number (after a bulk insert, which returns none). */
    async prisonerIds(trx: Kysely<Database>, establishmentId: number): Promise<Map<string, number>> {
      const rows = await trx
        .selectFrom('prisoners')
        .select(['id', 'prison_number'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      return new Map(rows.map(r => [r.prison_number, r.id]))
    },

    async linkStaffToUser(trx: Kysely<Database>, establishmentId: number, staffNumber: string, userId: number) {
      await trx
        .updateTable('staff')
        .set({ user_id: userId })
        .where('establishment_id', '=', establishmentId)
        .where('staff_number', '=', staffNumber)
        .execute()
    },

    async establishmentIds(codes: string[]): Promise<Map<string, number>> {
      if (codes.length === 0) return new Map()
      const rows = await db.selectFrom('establishments').select(['id', 'code']).where('code', 'in', codes).execute()
      return new Map(rows.map(r => [r.code, r.id]))
    },

    async counts() {
      const count = async (table: 'establishments' | 'residential_units' | 'staff' | 'prisoners') => {
        const r = await db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        return Number(r.n)
      }
      return {
        establishments: await count('establishments'),
        units: await count('residential_units'),
        staff: await count('staff'),
        prisoners: await count('prisoners'),
      }
    },
  }
}

export type DemoRepository = ReturnType<typeof demoRepository>
