import os from 'node:os'
import { type Kysely, sql } from 'kysely'
import { now } from '../domain/clock'
import type { Db } from './db/database'
import type { Database } from './db/types'

/**
 * Scheduled work run once per due time however many instances share the database (issue 18).
 *
 * - On PostgreSQL a job first takes a session advisory lock with a fixed key for its name (and the schema, so that
 *   databases sharing a server do not wait for each other) on a connection it holds for the run: while one instance
 *   runs a job, another does not start it. The lock goes with the connection if the instance dies.
 * - Every engine then claims the due time in `job_runs`, whose primary key is (job, due key): a due time already done
 *   is skipped, one in hand elsewhere is left alone. That unique key alone keeps SQLite (one process, decision 008)
 *   and two runs in one process to once per due time. A claim whose run failed is given back (the next tick retries);
 *   one whose instance died is taken over: at once under the PostgreSQL lock (nobody else can be running it), else
 *   after STALE_MS.
 *
 * The jobs themselves stay idempotent by their natural keys, so even a run taken over after a crash does nothing twice.
 */

/** How long an unfinished claim is presumed running without a lock to prove it (SQLite): longer than any job takes. */
export const STALE_MS = 30 * 60_000

/** The first half of every keywork advisory lock key ('kw'), so that other users of the server's locks are unlikely to meet ours. */
const LOCK_SPACE = 0x6b77

export type JobOutcome<T> = { ran: true; value: T } | { ran: false; reason: 'done' | 'running' }

/** This process, as recorded in job_runs: host and process id. */
export const INSTANCE = `${os.hostname()}:${process.pid}`

/** The due key of an hourly job: the Europe/London hour, '2026-12-06T07' (an hour repeated when the clocks go back counts once). */
export function londonHour(at: Date = now()): string {
  const parts = LONDON_HOUR.formatToParts(at)
  const get = (type: string) => parts.find(p => p.type === type)?.value ?? '00'
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}`
}
const LONDON_HOUR = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
})

/** A fixed 32-bit key for a name (FNV-1a), as PostgreSQL's advisory locks take it: signed. */
export function lockKey(name: string): number {
  let h = 0x811c9dc5
  for (const byte of Buffer.from(name, 'utf8')) {
    h ^= byte
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}

/** Jobs running in this process, per database handle: a second tick while the first still runs does not start them. */
const inProcess = new WeakMap<Kysely<Database>, Set<string>>()

/**
 * Runs `run` for (job, due) unless this due time is done or being run elsewhere; records the run in job_runs.
 * A failure of `run` gives the due time back and is thrown.
 */
export async function runOnce<T>(
  { db, dialect }: Pick<Db, 'db' | 'dialect'>,
  job: string,
  due: string,
  run: () => Promise<T>,
  instance = INSTANCE,
): Promise<JobOutcome<T>> {
  let running = inProcess.get(db)
  if (!running) inProcess.set(db, (running = new Set()))
  if (running.has(job)) return { ran: false, reason: 'running' }
  running.add(job)
  try {
    if (dialect !== 'postgres') return await claimAndRun(db, job, due, run, instance, false)
    return await db.connection().execute(async conn => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn)
      const key = lockKey(`${rows[0]?.schema ?? ''}/${job}`)
      const got = await sql<{ got: boolean }>`select pg_try_advisory_lock(${LOCK_SPACE}, ${key}) as got`.execute(conn)
      if (!got.rows[0]?.got) return { ran: false, reason: 'running' } as const
      try {
        return await claimAndRun(db, job, due, run, instance, true)
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_SPACE}, ${key})`.execute(conn)
      }
    })
  } finally {
    running.delete(job)
  }
}

async function claimAndRun<T>(
  db: Kysely<Database>,
  job: string,
  due: string,
  run: () => Promise<T>,
  instance: string,
  locked: boolean,
): Promise<JobOutcome<T>> {
  const started = now().toISOString()
  const claim = await db
    .insertInto('job_runs')
    .values({ job, due_key: due, instance, started_at: started, finished_at: null })
    .onConflict(oc => oc.columns(['job', 'due_key']).doNothing())
    .executeTakeFirst()
  if (Number(claim.numInsertedOrUpdatedRows ?? 0) === 0) {
    const row = await db
      .selectFrom('job_runs')
      .select(['started_at', 'finished_at'])
      .where('job', '=', job)
      .where('due_key', '=', due)
      .executeTakeFirst()
    if (!row) return { ran: false, reason: 'running' } // given back between our insert and read: the next tick runs it
    if (row.finished_at !== null) return { ran: false, reason: 'done' }
    const stale = row.started_at <= new Date(now().getTime() - STALE_MS).toISOString()
    if (!locked && !stale) return { ran: false, reason: 'running' }
    // its instance died mid-run: take it over, unless someone else has just done so
    const taken = await db
      .updateTable('job_runs')
      .set({ instance, started_at: started })
      .where('job', '=', job)
      .where('due_key', '=', due)
      .where('started_at', '=', row.started_at)
      .where('finished_at', 'is', null)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) !== 1) return { ran: false, reason: 'running' }
  }
  let value: T
  try {
    value = await run()
  } catch (err) {
    await db
      .deleteFrom('job_runs')
      .where('job', '=', job)
      .where('due_key', '=', due)
      .where('instance', '=', instance)
      .where('finished_at', 'is', null)
      .execute()
    throw err
  }
  await db
    .updateTable('job_runs')
    .set({ finished_at: now().toISOString() })
    .where('job', '=', job)
    .where('due_key', '=', due)
    .execute()
  return { ran: true, value }
}

/**
 * Runs `fn` (bringing the schema up to date and seeding national content at start) while holding the schema's start
 * lock: on PostgreSQL a blocking advisory lock on a connection held for the purpose, so instances that start at the
 * same moment over one database do it one after another (the second finds the work done) instead of racing to insert
 * the same first rows. SQLite is one process by design (decision 008): `fn` simply runs.
 */
export async function withStartLock<T>({ db, dialect }: Pick<Db, 'db' | 'dialect'>, fn: () => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return fn()
  return db.connection().execute(async conn => {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(conn)
    const key = lockKey(`${rows[0]?.schema ?? ''}/start`)
    await sql`select pg_advisory_lock(${LOCK_SPACE}, ${key})`.execute(conn)
    try {
      return await fn()
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_SPACE}, ${key})`.execute(conn)
    }
  })
}
