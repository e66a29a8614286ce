import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely'
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
  /**
   * Brings the query planner's statistics up to date where they have drifted: SQLite's `PRAGMA optimize` (it
   * analyses only the tables never analysed or grown or shrunk tenfold since); nothing on PostgreSQL, whose autovacuum
   * does it. Run every hour by the jobs and after bulk loads.
   */
  optimize(): Promise<void>
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
    // The planner's statistics (sqlite_stat1). Without them SQLite guesses, and on the prisoner page it guessed wrong:
    // it walked the establishment's sessions in date order looking for one man's last (10 ms on the demo, not 0.3).
    // analysis_limit bounds the rows ANALYZE reads per index, so it takes milliseconds at any size; optimize=0x10002
    // analyses, on open, every table never analysed or much changed since (SQLite's advice for long-lived connections).
    conn.pragma('analysis_limit = 1000')
    conn.pragma('optimize = 0x10002')
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(conn) }) })
    return {
      db,
      dialect: 'sqlite',
      sqlite: conn,
      close: () => db.destroy(),
      optimize: async () => void conn.pragma('optimize'),
    }
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
  // An idle connection the server ends (a restart, a failover, an administrator) is dropped by the pool and the next
  // query opens another; without a listener its 'error' event would end the process.
  pool.on('error', () => {})
  const names = statementNames()
  const named = {
    connect: async () => withNamedStatements(await pool.connect(), names),
    end: () => pool.end(),
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: named }) })
  return { db, dialect: 'postgres', close: () => db.destroy(), optimize: async () => {} }
}

/**
 * SQLite transactions begin IMMEDIATE: they take the write lock when they begin, waiting (busy_timeout) while another
 * process holds it. Kysely's `begin` is DEFERRED, which takes the lock at the first write; if another process (a
 * `keywork` command, say the backup's `optimize`, or `users create`) committed after the transaction's first read,
 * that write fails at once with SQLITE_BUSY_SNAPSHOT, which no wait can cure: an officer's save answered 500 while a
 * backup ran. The service has one connection, so its own transactions run one at a time either way.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

/** At most this many SQL texts become named (prepared) statements on each PostgreSQL connection. */
export const MAX_NAMED_STATEMENTS = 500
/** A text is named once it has run this many times (a one-off query is not worth a prepared statement). */
export const NAMED_AFTER = 3

/**
 * The name a SQL text runs under as a prepared statement on PostgreSQL, or undefined to run it unnamed: Kysely sends
 * every query unnamed, so PostgreSQL parses and plans it on every call, which was most of the server's work on the
 * prisoner page (a dozen small indexed queries). A text that recurs (NAMED_AFTER runs) is named by its hash, and
 * node-pg prepares it once per connection; the number of names is bounded (MAX_NAMED_STATEMENTS), as texts with
 * lists of values vary with the list's length.
 */
export function statementNames() {
  const names = new Map<string, string>()
  const runs = new Map<string, number>()
  return (text: string): string | undefined => {
    const name = names.get(text)
    if (name !== undefined) return name
    if (names.size >= MAX_NAMED_STATEMENTS) return undefined
    const n = (runs.get(text) ?? 0) + 1
    if (n < NAMED_AFTER) {
      if (runs.size >= 10 * MAX_NAMED_STATEMENTS) runs.clear()
      runs.set(text, n)
      return undefined
    }
    runs.delete(text)
    const made = `kw_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 32)}`
    names.set(text, made)
    return made
  }
}

const NAMED = Symbol('keywork.namedStatements')

/** Runs a pooled client's parameterised queries as named statements where `nameOf` gives a name. */
function withNamedStatements(client: pg.PoolClient, nameOf: (text: string) => string | undefined): pg.PoolClient {
  const c = client as pg.PoolClient & { [NAMED]?: true }
  if (c[NAMED]) return client
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  c.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = nameOf(config)
      if (name !== undefined) return query({ name, text: config, values })
    }
    return query(config, values, callback)
  }) as typeof client.query
  c[NAMED] = true
  return client
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
