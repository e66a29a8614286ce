import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Scheduled work run once per due time across instances (issue 18): one row per job and due key (the Europe/London
 * hour it was due), claimed by the instance that runs it. The unique key keeps a second instance, or a second run in
 * the same process, from running a due time already done or in hand. `finished_at` null: running, or its instance
 * died mid-run (then taken over). Timestamps ISO text with 'Z'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create table job_runs (
    job text not null,
    due_key text not null,
    instance text not null,
    started_at text not null,
    finished_at text,
    primary key (job, due_key)
  )`.execute(db)
}
