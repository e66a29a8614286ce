import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import type { Config } from '../../config'
import type { Database } from './types'

export type Dialect = 'sqlite' | 'postgres'

export interface Db {
  db: Kysely<Database>
  dialect: Dialect
  close(): Promise<void>
  /** SQLite only: the underlying connection, for the online backup API. */
  sqlite?: SQLite.Database
}

// PostgreSQL returns int8 (count(*)) and numeric as strings by default; the application only
// ever counts rows well below 2^53, so parse them as numbers to keep one code path.
pg.types.setTypeParser(20, v => Number(v))
pg.types.setTypeParser(1700, v => Number(v))

export function openDatabase(database: Config['database']): Db {
  if (database.kind === 'sqlite') {
    if (database.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(database.file)), { recursive: true })
    const conn = new SQLite(database.file)
    conn.pragma('journal_mode = WAL')
    conn.pragma('foreign_keys = ON')
    // FULL unless configured otherwise: a commit is on disk before the officer sees "saved", power cut or not
    // (NORMAL in WAL mode survives the process dying but may lose the last commits to a power cut: decision 022)
    conn.pragma(`synchronous = ${database.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`)
    conn.pragma('busy_timeout = 5000')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(conn) }) })
    return { db, dialect: 'sqlite', sqlite: conn, close: () => db.destroy() }
  }
  // jit=off: keywork's queries are index-driven and short; PostgreSQL's JIT compiler (on by default above a plan cost
  // of 100,000) spent 2.8 s compiling a 1.5 s statistics query on the national bench.
  // parallel_setup_cost 10× the default: starting parallel workers cost 75-160 ms on establishment-sized statistics
  // queries that run in 1 ms; national scans of millions of rows still go parallel.
  const options = [
    '-c jit=off',
    '-c parallel_setup_cost=10000',
    ...(database.schema ? [`-c search_path=${database.schema}`] : []),
  ].join(' ')
  const pool = new pg.Pool({ connectionString: database.url, max: 10, options })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', close: () => db.destroy() }
}

export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}

/**
 * Kysely prepares every statement afresh; preparing costs about ten times running a small query. Reusing
 * prepared statements by SQL text (the same few hundred shapes recur) keeps the hot pages cheap. Safe because
 * better-sqlite3 runs each statement to completion before the next one starts.
 */
function withStatementCache(conn: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => conn.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText)
      if (!stmt) {
        stmt = conn.prepare(sqlText)
        if (cache.size >= max) cache.delete(cache.keys().next().value as string)
        cache.set(sqlText, stmt)
      }
      return stmt
    },
  }
}
