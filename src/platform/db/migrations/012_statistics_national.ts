import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * National statistics within a second (88,000 prisoners, 3 million sessions a year), measured on the bench:
 *
 * - stat_gaps_all: the days-between-sessions histogram of every establishment together, per day, kept exact by
 *   adding each establishment's change to it in the same transaction (statistics repository `replaceDays`). The
 *   national median read 740,000 rows of stat_gaps for a year; this is about 40,000.
 * - stat_followups: referrals made, acknowledged and completed, and goals set and achieved, per establishment and
 *   day made (UTC date of created_at, as the period filter reads it), counted by their current status; refreshed in
 *   the transaction that makes a referral or goal or changes its status (statistics service `followUpsMoved`).
 *   The national year read 250,000 referrals and 330,000 goals; this is 44,000 rows.
 * - Index-only scans for the national base queries, which group by establishment: the delivered sessions of the
 *   last 28 days (seen in the last 7 / 28 days), and referrals and goals by the day they were made (houseblocks and
 *   officers still count referrals and goals directly).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)

  await run(sql`create table stat_gaps_all (
    day text not null,
    gap_days integer not null,
    n integer not null,
    primary key (day, gap_days)
  )`)
  await run(sql`insert into stat_gaps_all (day, gap_days, n)
    select day, gap_days, sum(n) from stat_gaps group by day, gap_days`)

  await run(sql`create table stat_followups (
    establishment_id integer not null references establishments(id),
    day text not null,
    referrals_made integer not null,
    referrals_acknowledged integer not null,
    referrals_completed integer not null,
    goals_set integer not null,
    goals_achieved integer not null,
    primary key (establishment_id, day)
  )`)
  await run(sql`create index stat_followups_day on stat_followups (day)`)
  // the rows for what is already there (a migration is frozen in time: the repository has its own copy of this count)
  await run(sql`insert into stat_followups (establishment_id, day, referrals_made, referrals_acknowledged,
      referrals_completed, goals_set, goals_achieved)
    select establishment_id, day, sum(rm), sum(ra), sum(rc), sum(gs), sum(ga)
    from (
      select establishment_id, substr(created_at, 1, 10) as day, 1 as rm,
        case when status in ('acknowledged', 'done') then 1 else 0 end as ra,
        case when status = 'done' then 1 else 0 end as rc, 0 as gs, 0 as ga
      from referrals
      union all
      select establishment_id, substr(created_at, 1, 10) as day, 0, 0, 0, 1,
        case when status = 'achieved' then 1 else 0 end
      from session_goals
    ) x
    group by establishment_id, day`)

  await run(sql`drop index key_work_sessions_delivered_day`)
  await run(sql`create index key_work_sessions_delivered_day on key_work_sessions (session_date, establishment_id, prisoner_id)
    where status = 'submitted' and outcome = 'delivered'`)
  await run(sql`drop index referrals_created_day`)
  await run(sql`create index referrals_created_day on referrals (created_at, establishment_id, status)`)
  await run(sql`drop index session_goals_created_day`)
  await run(sql`create index session_goals_created_day on session_goals (created_at, establishment_id, status)`)
}
