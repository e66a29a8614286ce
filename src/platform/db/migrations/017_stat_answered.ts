import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Unanswered questions left out of the statistics' percentages (issue 12: privacy and interpreter use are answered
 * on the form, not preset, and imported past sessions leave them blank). stat_daily gains
 *
 * - private_answered: delivered sessions whose privacy was answered (private not null), the denominator of
 *   "% delivered in private";
 * - interpreter_answered: delivered sessions needing an interpreter whose use was answered, the denominator of
 *   "% with an interpreter".
 *
 * Existing rows are filled by a recount of the day's submitted sessions: a stat_daily day is the session date
 * itself, so one grouped count per (establishment, day) gives exactly what `keywork stats rebuild` writes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table stat_daily add column private_answered integer not null default 0`.execute(db)
  await sql`alter table stat_daily add column interpreter_answered integer not null default 0`.execute(db)
  await fillAnswered(db)
}

/** Sets both columns of every stat_daily row from the sessions (exported for the test of this migration). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillAnswered(db: Kysely<any>): Promise<void> {
  await sql`update stat_daily set
      private_answered = coalesce((select sum(case when s.private is not null then 1 else 0 end)
        from key_work_sessions s
        where s.establishment_id = stat_daily.establishment_id and s.session_date = stat_daily.day
          and s.status = 'submitted' and s.outcome = 'delivered'), 0),
      interpreter_answered = coalesce((select sum(case when s.interpreter_used is not null then 1 else 0 end)
        from key_work_sessions s
        where s.establishment_id = stat_daily.establishment_id and s.session_date = stat_daily.day
          and s.status = 'submitted' and s.outcome = 'delivered' and s.interpreter_needed = 1), 0)`.execute(db)
}
