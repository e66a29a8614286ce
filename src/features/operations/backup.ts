import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import type { Config } from '../../config'
import type { Db } from '../../platform/db/database'

export type BackupResult = { ok: true; file: string; bytes: number } | { ok: false; message: string }

const REQUIRED_TABLES = [
  'establishments',
  'prisoners',
  'staff',
  'users',
  'audit_events',
  'audit_chains',
  'kysely_migration',
]

/** SQLite: a consistent online copy while the service runs. PostgreSQL: pg_dump is the right tool. */
export async function backup(db: Db, file: string): Promise<BackupResult> {
  if (db.dialect !== 'sqlite' || !db.sqlite) {
    return {
      ok: false,
      message:
        'This service uses PostgreSQL. Back it up with pg_dump, for example:\n' +
        '  pg_dump --format=custom --file=keywork.dump "$DATABASE_URL"\n' +
        'and restore with:\n' +
        '  pg_restore --clean --if-exists --dbname="$DATABASE_URL" keywork.dump',
    }
  }
  const target = path.resolve(file)
  if (fs.existsSync(target)) return { ok: false, message: `${target} already exists: choose a new file name` }
  fs.mkdirSync(path.dirname(target), { recursive: true })
  await db.sqlite.backup(target)
  return { ok: true, file: target, bytes: fs.statSync(target).size }
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
