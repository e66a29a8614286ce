import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * The quality dashboard's submitted entries and pre-check mean from the statistics' pre-aggregates (issue 15): for
 * all establishments a year is about 3 million entries, too many to count on every view. stat_daily gains
 *
 * - precheck_n: the day's submitted entries with a pre-check score (key_work_sessions.precheck_score not null);
 * - precheck_sum: the sum of their scores in ten-thousandths (PRECHECK_SCALE in src/domain/statistics.ts), each
 *   score rounded to a whole number of them: whole numbers add up exactly, so what an entry's submit, amendment or
 *   deletion adds to a day equals a recount of it (sums of fractions in floating point would drift in the last bits).
 *
 * Existing rows are filled by a recount of the day's submitted entries, grouped by (establishment, session date) as
 * `keywork stats rebuild` counts them. Migration 024's index is then no longer read by the dashboard's all- and
 * one-establishment views; dropping it is left to a later migration.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table stat_daily add column precheck_n integer not null default 0`.execute(db)
  await sql`alter table stat_daily add column precheck_sum integer not null default 0`.execute(db)
  await fillPrecheck(db)
}

/** Sets both columns of every stat_daily row from the entries (exported for the test of this migration). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function fillPrecheck(db: Kysely<any>): Promise<void> {
  // one grouped reading of the submitted entries, then one update per row that has a pre-check (most days before
  // the pre-check existed have none)
  await sql`update stat_daily set
      precheck_n = x.n, precheck_sum = x.total
    from (select s.establishment_id, s.session_date as day, count(s.precheck_score) as n,
            sum(round(s.precheck_score * 10000)) as total
          from key_work_sessions s
          where s.status = 'submitted' and s.session_date is not null and s.precheck_score is not null
          group by s.establishment_id, s.session_date) x
    where stat_daily.establishment_id = x.establishment_id and stat_daily.day = x.day`.execute(db)
}
