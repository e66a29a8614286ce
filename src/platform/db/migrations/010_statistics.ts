import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Delivery statistics: exact pre-aggregates of submitted Key Work sessions, one row per (establishment, day), kept
 * in step with key_work_sessions inside the transaction that changes a session (statistics service
 * `sessionChanged` / `refreshDay`), and rebuilt from scratch by `keywork stats rebuild`.
 *
 * - stat_daily: counts of the day's submitted sessions (delivered, not delivered by reason, private, interpreter
 *   needed and used), the days since the previous delivered session of the same prisoner at the establishment
 *   (count and sum) and, for a prisoner's first delivered session there, the days since reception.
 * - stat_gaps: the same gaps as a histogram (gap in days → sessions), so a median over any period is exact.
 *
 * Plus the indexes the base queries of the statistics need (seen in the last 7/28 days, first allocations,
 * referrals and goals by date).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)

  await run(sql`create table stat_daily (
    establishment_id integer not null references establishments(id),
    day text not null,
    delivered integer not null,
    not_delivered integer not null,
    nd_prisoner_refused integer not null,
    nd_unavailable_court integer not null,
    nd_unavailable_healthcare integer not null,
    nd_unavailable_visit integer not null,
    nd_unavailable_segregation integer not null,
    nd_officer_redeployed integer not null,
    nd_regime_curtailed integer not null,
    nd_other integer not null,
    private_delivered integer not null,
    interpreter_needed integer not null,
    interpreter_used integer not null,
    gap_count integer not null,
    gap_days integer not null,
    first_count integer not null,
    first_days integer not null,
    primary key (establishment_id, day)
  )`)
  // national figures read every establishment's days of a period
  await run(sql`create index stat_daily_day on stat_daily (day)`)

  await run(sql`create table stat_gaps (
    establishment_id integer not null references establishments(id),
    day text not null,
    gap_days integer not null,
    n integer not null,
    primary key (establishment_id, day, gap_days)
  )`)
  // covering: a national median reads only this index
  await run(sql`create index stat_gaps_day on stat_gaps (day, gap_days, n)`)

  // delivered sessions only: the previous session of a prisoner, who was seen in the last 7 / 28 days
  await run(sql`create index key_work_sessions_delivered on key_work_sessions (prisoner_id, session_date)
    where status = 'submitted' and outcome = 'delivered'`)
  await run(sql`create index key_work_sessions_delivered_day on key_work_sessions (session_date, prisoner_id)
    where status = 'submitted' and outcome = 'delivered'`)
  await run(sql`create index allocations_prisoner_time on allocations (prisoner_id, allocated_at)`)
  await run(sql`create index allocations_time on allocations (allocated_at)`)
  await run(sql`create index referrals_created on referrals (establishment_id, created_at, status)`)
  await run(sql`create index referrals_created_day on referrals (created_at, status)`)
  await run(sql`create index session_goals_created on session_goals (establishment_id, created_at, status)`)
  await run(sql`create index session_goals_created_day on session_goals (created_at, status)`)
}
