import crypto from 'node:crypto'
import pg from 'pg'
import type { Config } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { type Services, buildServices } from '../src/services'
import { benchConfig } from './pages-server'

export interface BenchDatabase {
  /** the services over the bench database, migrated */
  s: Services
  /** a plain client on the bench database, for generating rows in SQL and for count(*) */
  direct: pg.Client
  /** the database's name */
  name: string
  /** true when --keep-database named a database that already exists (its rows are reused) */
  kept: boolean
}

/**
 * A PostgreSQL database of its own for a bench, on the server of BENCH_DATABASE_URL or TEST_DATABASE_URL: created
 * with a random name (`keywork_bench_<label>_…`), or the one `--keep-database NAME` gives (reused when it exists, and
 * kept afterwards), migrated, handed to `body` with the services and a direct client, then dropped.
 */
export async function withBenchDatabase<T>(
  label: string,
  keep: string | undefined,
  body: (b: BenchDatabase) => Promise<T>,
): Promise<T> {
  if (keep !== undefined && !/^[a-z_][a-z0-9_]{0,40}$/.test(keep))
    throw new Error('--keep-database takes a lower-case name of letters, digits and _')
  const serverUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const name = keep ?? `keywork_bench_${label}_${crypto.randomBytes(4).toString('hex')}`
  const admin = async (query: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: serverUrl })
    await c.connect()
    try {
      return (await c.query(query, params)).rows as Record<string, unknown>[]
    } finally {
      await c.end()
    }
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database: Config['database'] = { kind: 'postgres', url: url.toString() }
  const kept = keep !== undefined && (await admin('select 1 from pg_database where datname = $1', [name])).length > 0
  if (!kept) await admin(`create database ${name}`)
  try {
    const s = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
    try {
      await migrateToLatest(s.db)
      const direct = new pg.Client({ connectionString: database.url })
      await direct.connect()
      try {
        return await body({ s, direct, name, kept })
      } catch (err) {
        console.error(`the bench failed on ${name}:`, err)
        throw err
      } finally {
        await direct.end()
      }
    } finally {
      await s.close()
    }
  } finally {
    if (keep === undefined) await admin(`drop database if exists ${name} with (force)`)
  }
}
