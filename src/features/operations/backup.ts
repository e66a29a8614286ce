import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import type { Config } from '../../config'
import type { Db } from '../../platform/db/database'

export type BackupResult = { ok: true; file: string; bytes: number } | { ok: false; message: string }

// the audit chains' heads are not required: a backup made before migration 042 had audit_head instead
const REQUIRED_TABLES = ['establishments', 'prisoners', 'staff', 'users', 'audit_events', 'kysely_migration']

/**
 * SQLite: a consistent online copy while the service runs, made in one step of SQLite's backup API: one read
 * transaction over the whole file, so writers (in WAL mode) carry on, and a write by the service during the copy
 * cannot restart it (the API's default, 100 pages a step, restarts whenever another process writes between steps,
 * and under a steady load never finishes). PostgreSQL: see backupPostgres.
 */
export async function backup(db: Db, file: string): Promise<BackupResult> {
  if (db.dialect !== 'sqlite' || !db.sqlite)
    return { ok: false, message: 'This service uses PostgreSQL: back it up with backupPostgres (keywork backup)' }
  const target = path.resolve(file)
  if (fs.existsSync(target)) return { ok: false, message: `${target} already exists: choose a new file name` }
  fs.mkdirSync(path.dirname(target), { recursive: true })
  await db.sqlite.backup(target, { progress: () => ALL_PAGES })
  return { ok: true, file: target, bytes: fs.statSync(target).size }
}

/** Pages to copy in the next step of SQLite's backup API: all of them. */
const ALL_PAGES = 0x7fffffff

const run = promisify(execFile)
type Postgres = Extract<Config['database'], { kind: 'postgres' }>

/**
 * PostgreSQL: pg_dump of keywork's schema (DATABASE_SCHEMA, else public) in its custom format. pg_dump reads every
 * table in one REPEATABLE READ transaction, so the copy is one moment of the database (the audit trail and its head
 * agree) while the service carries on writing. pg_dump must be installed, of the server's major version or newer.
 */
export async function backupPostgres(database: Postgres, file: string): Promise<BackupResult> {
  const target = path.resolve(file)
  if (fs.existsSync(target)) return { ok: false, message: `${target} already exists: choose a new file name` }
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const args = ['--format=custom', '--no-owner', '--no-privileges', `--schema=${database.schema ?? 'public'}`]
  try {
    await run('pg_dump', [...args, `--file=${target}`, `--dbname=${database.url}`], { maxBuffer: 16 * 1024 * 1024 })
  } catch (err) {
    fs.rmSync(target, { force: true })
    return { ok: false, message: `pg_dump failed: ${commandError(err)}` }
  }
  return { ok: true, file: target, bytes: fs.statSync(target).size }
}

function commandError(err: unknown): string {
  const e = err as { code?: string; stderr?: string; message?: string }
  if (e.code === 'ENOENT') return 'pg_dump and pg_restore are not installed (Debian: apt-get install postgresql-client)'
  return (e.stderr || e.message || String(err)).trim()
}

/** The schema a keywork pg_dump backup holds its tables in, or the problem with the file. */
async function dumpedSchema(file: string): Promise<{ ok: true; schema: string } | { ok: false; message: string }> {
  if (!fs.existsSync(file)) return { ok: false, message: `${file} does not exist` }
  const fd = fs.openSync(file, 'r')
  const magic = Buffer.alloc(5)
  fs.readSync(fd, magic, 0, 5, 0)
  fs.closeSync(fd)
  if (magic.toString('latin1') !== 'PGDMP') return { ok: false, message: `${file} is not a backup made by pg_dump` }
  let list: string
  try {
    list = (await run('pg_restore', ['--list', file], { maxBuffer: 16 * 1024 * 1024 })).stdout
  } catch (err) {
    return { ok: false, message: `pg_restore could not read ${file}: ${commandError(err)}` }
  }
  // table of contents lines: "123; 1259 16390 TABLE <schema> <name> <owner>"
  const tables = new Map<string, string>()
  for (const m of list.matchAll(/^\d+; \d+ \d+ TABLE (\S+) (\S+)/gm)) tables.set(m[2]!, m[1]!)
  const missing = REQUIRED_TABLES.filter(t => !tables.has(t))
  if (missing.length) return { ok: false, message: `${file} is not a keywork backup (missing ${missing.join(', ')})` }
  return { ok: true, schema: tables.get('audit_events')! }
}

/**
 * Restores a pg_dump backup into the configured database and schema (the schema the backup was taken from: name it
 * with DATABASE_SCHEMA). Stop the service first. A schema already holding tables is kept, renamed
 * <schema>_before_restore_<time> (public cannot be: restore into an empty database instead). The restore is one
 * transaction: it is whole, or nothing changed.
 */
export async function restorePostgres(
  database: Postgres,
  file: string,
): Promise<{ ok: true; replaced: string | null } | { ok: false; message: string }> {
  const dumped = await dumpedSchema(file)
  if (!dumped.ok) return dumped
  const schema = database.schema ?? 'public'
  if (dumped.schema !== schema)
    return {
      ok: false,
      message: `${file} holds schema ${dumped.schema}: restore it with DATABASE_SCHEMA=${dumped.schema}`,
    }
  const client = new pg.Client({ connectionString: database.url })
  await client.connect()
  let replaced: string | null = null
  try {
    const tables = await client.query<{ n: number }>(
      'select count(*)::int as n from information_schema.tables where table_schema = $1',
      [schema],
    )
    if (tables.rows[0]!.n > 0) {
      if (schema === 'public')
        return { ok: false, message: 'The public schema already holds tables: restore into a new, empty database' }
      replaced = `${schema}_before_restore_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`
      await client.query(`alter schema ${schema} rename to ${replaced}`)
    } else await client.query(`drop schema if exists ${schema}`) // empty: pg_restore creates it as it was
  } finally {
    await client.end()
  }
  try {
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${database.url}`,
      file,
    ])
  } catch (err) {
    const kept = replaced ? ` (the schema it replaced is kept as ${replaced}: rename it back)` : ''
    return { ok: false, message: `pg_restore failed${kept}: ${commandError(err)}` }
  }
  return { ok: true, replaced }
}

/** Checks that a file is an intact keywork SQLite database; returns the problem, or null. */
export function checkBackup(file: string): string | null {
  if (!fs.existsSync(file)) return `${file} does not exist`
  let conn: SQLite.Database | undefined
  try {
    conn = new SQLite(file, { readonly: true, fileMustExist: true })
    const integrity = conn.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') return `${file} is damaged: ${String(integrity)}`
    const tables = new Set(
      (conn.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        t => t.name,
      ),
    )
    const missing = REQUIRED_TABLES.filter(t => !tables.has(t))
    if (missing.length) return `${file} is not a keywork database (missing ${missing.join(', ')})`
    return null
  } catch (err) {
    return `${file} is not a SQLite database (${err instanceof Error ? err.message : String(err)})`
  } finally {
    conn?.close()
  }
}

/**
 * Restores a backup over the configured SQLite database. The service must be stopped first.
 * The database being replaced is kept beside it as <file>.before-restore-<time>.
 */
export function restore(
  database: Config['database'],
  file: string,
): { ok: true; replaced: string | null } | { ok: false; message: string } {
  if (database.kind !== 'sqlite') {
    return { ok: false, message: 'This service uses PostgreSQL: restore with pg_restore (see keywork backup --help)' }
  }
  if (database.file === ':memory:') return { ok: false, message: 'Cannot restore into an in-memory database' }
  const problem = checkBackup(file)
  if (problem) return { ok: false, message: problem }
  const target = path.resolve(database.file)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  let replaced: string | null = null
  if (fs.existsSync(target)) {
    replaced = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(target, replaced)
    for (const suffix of ['-wal', '-shm'])
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, replaced + suffix)
  }
  fs.copyFileSync(file, target)
  return { ok: true, replaced }
}
