import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database, StatDailyTable, StatFollowUpTable } from '../../platform/db/types'
import { type DayAggregate, REASONS } from '../../domain/statistics'
import { londonDate } from '../../domain/dates'

// The upkeep of the pre-aggregated statistics: stat_daily and stat_gaps per establishment and day, stat_gaps_all (the
// national gap histogram) and stat_followups. Invariants: the rows of a day are what a recount of that day's sessions
// writes (days with nothing have no row); stat_gaps_all is the sum of every establishment's stat_gaps; every change
// runs in the caller's transaction after lockEstablishment, so concurrent changes of one establishment apply in turn.
import { type FactRow, CHUNK, DAILY_COUNT_COLUMNS, REASON_COLUMNS, n, statisticsSql } from './sql'

/** the first key of keywork's statistics advisory locks (the second is the establishment id) */
const LOCK_CLASS = 74_110

const FOLLOW_UP_COLUMNS = [
  'referrals_made',
  'referrals_acknowledged',
  'referrals_completed',
  'goals_set',
  'goals_achieved',
] as const

/** What a change adds to one day's referral and goal counts (negative to take away). */
export type FollowUpChange = { day: string } & Partial<Record<(typeof FOLLOW_UP_COLUMNS)[number], number>>

interface GapRow {
  day: string
  gap_days: number
  n: number
}

/** A day's aggregate as a stat_daily row. */
function dailyRow(establishmentId: number, day: string, a: DayAggregate): StatDailyTable {
  const row = {
    establishment_id: establishmentId,
    day,
    delivered: a.delivered,
    not_delivered: a.notDelivered,
    private_delivered: a.privateDelivered,
    private_answered: a.privateAnswered,
    interpreter_needed: a.interpreterNeeded,
    interpreter_used: a.interpreterUsed,
    interpreter_answered: a.interpreterAnswered,
    gap_count: a.gapCount,
    gap_days: a.gapDays,
    first_count: a.firstCount,
    first_days: a.firstDays,
    precheck_n: a.precheckN,
    precheck_sum: a.precheckSum,
  } as StatDailyTable
  REASONS.forEach((reason, i) => ((row as unknown as Record<string, number>)[REASON_COLUMNS[i]!] = a.reasons[reason]))
  return row
}

export function statisticsProjection(db: Kysely<Database>, dialect: Dialect) {
  const { factColumns, toBareFact } = statisticsSql(db, dialect)

  /** Writes the days' rows (days with no session get none); returns the gap rows written. */
  async function insertDays(trx: Kysely<Database>, establishmentId: number, days: Map<string, DayAggregate>) {
    const daily: StatDailyTable[] = []
    const gaps: GapRow[] = []
    for (const [day, a] of days) {
      if (a.delivered + a.notDelivered === 0) continue
      daily.push(dailyRow(establishmentId, day, a))
      for (const [gap, count] of a.gaps) gaps.push({ day, gap_days: gap, n: count })
    }
    for (let i = 0; i < daily.length; i += CHUNK)
      await trx
        .insertInto('stat_daily')
        .values(daily.slice(i, i + CHUNK))
        .execute()
    for (let i = 0; i < gaps.length; i += CHUNK * 2)
      await trx
        .insertInto('stat_gaps')
        .values(gaps.slice(i, i + CHUNK * 2).map(g => ({ establishment_id: establishmentId, ...g })))
        .execute()
    return gaps
  }

  /**
   * Adds (written − removed) to stat_gaps_all, as upserts of n = n + change in (day, gap) order, so that two
   * establishments' transactions lock shared rows in the same order (no deadlock) and each adds its own change.
   */
  async function addToNational(trx: Kysely<Database>, removed: GapRow[], written: GapRow[]) {
    const change = new Map<string, GapRow>()
    const add = (r: GapRow, sign: number) => {
      const key = `${r.day} ${String(n(r.gap_days)).padStart(5, '0')}`
      const c = change.get(key)
      if (c) c.n += sign * n(r.n)
      else change.set(key, { day: r.day, gap_days: n(r.gap_days), n: sign * n(r.n) })
    }
    for (const r of removed) add(r, -1)
    for (const r of written) add(r, 1)
    const rows = [...change.entries()]
      .filter(([, r]) => r.n !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r)
    for (let i = 0; i < rows.length; i += CHUNK * 2)
      await trx
        .insertInto('stat_gaps_all')
        .values(rows.slice(i, i + CHUNK * 2))
        .onConflict(oc =>
          oc.columns(['day', 'gap_days']).doUpdateSet(eb => ({ n: eb('stat_gaps_all.n', '+', eb.ref('excluded.n')) })),
        )
        .execute()
  }
  return {
    /** Every submitted session of an establishment (for a rebuild), without previous dates. */
    async allSessions(establishmentId: number, trx: Kysely<Database> = db) {
      const r = await sql<Omit<FactRow, 'prev_date'>>`select ${factColumns}
        from key_work_sessions s join prisoners p on p.id = s.prisoner_id
        where s.establishment_id = ${establishmentId} and s.status = 'submitted' and s.session_date is not null`.execute(
        trx,
      )
      return r.rows.map(toBareFact)
    },

    /**
     * One prisoner's submitted sessions at the establishment dated on or after a day, and the date of their last
     * delivered session there before it: what their contribution to the days from that day on is made of.
     */
    async prisonerSessionsFrom(trx: Kysely<Database>, establishmentId: number, prisonerId: number, from: string) {
      // unary plus: along the prisoner's index (a few rows), never the establishment's (a week of every prisoner)
      const r = await sql<Omit<FactRow, 'prev_date'>>`select ${factColumns}
        from key_work_sessions s join prisoners p on p.id = s.prisoner_id
        where s.prisoner_id = ${prisonerId} and s.status = 'submitted' and s.session_date >= ${from}
          and +s.establishment_id = ${establishmentId}`.execute(trx)
      const prev = await trx
        .selectFrom('key_work_sessions')
        .select(eb => eb.fn.max('session_date').as('day'))
        .where('prisoner_id', '=', prisonerId)
        .where('status', '=', 'submitted')
        .where('outcome', '=', 'delivered')
        .where('session_date', '<', from)
        .where(sql<number>`+establishment_id`, '=', establishmentId)
        .executeTakeFirst()
      return {
        prevBefore: (prev?.day as string | null | undefined) ?? null,
        facts: r.rows.map(toBareFact),
      }
    },

    /**
     * Adds changes (counts may be negative) to an establishment's days, as upserts, and to stat_gaps_all; then removes
     * the rows a change has emptied, so that the rows are those a recount writes.
     */
    async addDays(trx: Kysely<Database>, establishmentId: number, changes: Map<string, DayAggregate>) {
      const days = [...changes.keys()].sort()
      const daily = days.map(day => dailyRow(establishmentId, day, changes.get(day)!))
      const gaps: GapRow[] = days.flatMap(day =>
        [...changes.get(day)!.gaps]
          .sort((a, b) => a[0] - b[0])
          .map(([gap, count]) => ({ day, gap_days: gap, n: count })),
      )
      await trx
        .insertInto('stat_daily')
        .values(daily)
        .onConflict(oc =>
          oc
            .columns(['establishment_id', 'day'])
            .doUpdateSet(eb =>
              Object.fromEntries(
                DAILY_COUNT_COLUMNS.map(c => [c, eb(eb.ref(`stat_daily.${c}`), '+', eb.ref(`excluded.${c}`))]),
              ),
            ),
        )
        .execute()
      if (gaps.length) {
        await trx
          .insertInto('stat_gaps')
          .values(gaps.map(g => ({ establishment_id: establishmentId, ...g })))
          .onConflict(oc =>
            oc
              .columns(['establishment_id', 'day', 'gap_days'])
              .doUpdateSet(eb => ({ n: eb('stat_gaps.n', '+', eb.ref('excluded.n')) })),
          )
          .execute()
        await addToNational(trx, [], gaps)
      }
      // only a change that takes something away can empty a row
      const emptied = days.filter(day => {
        const c = changes.get(day)!
        return c.delivered + c.notDelivered < 0 || [...c.gaps.values()].some(v => v < 0)
      })
      if (emptied.length) {
        await trx
          .deleteFrom('stat_daily')
          .where('establishment_id', '=', establishmentId)
          .where('day', 'in', emptied)
          .where('delivered', '=', 0)
          .where('not_delivered', '=', 0)
          .execute()
        await trx
          .deleteFrom('stat_gaps')
          .where('establishment_id', '=', establishmentId)
          .where('day', 'in', emptied)
          .where('n', '=', 0)
          .execute()
      }
    },

    /**
     * Counts an establishment's referrals and goals per day made from the tables, as stat_followups holds them: the
     * reference for rebuilding and checking it.
     */
    async countFollowUps(trx: Kysely<Database>, establishmentId: number) {
      // the London day each was made on, worked out here (SQLite knows no time zones)
      const r = await sql<{ kind: string; created_at: string; status: string }>`
        select 'r' as kind, created_at, status from referrals where establishment_id = ${establishmentId}
        union all
        select 'g' as kind, created_at, status from session_goals where establishment_id = ${establishmentId}`.execute(
        trx,
      )
      const byDay = new Map<string, StatFollowUpTable>()
      for (const x of r.rows) {
        const day = londonDate(x.created_at)
        let row = byDay.get(day)
        if (!row)
          byDay.set(
            day,
            (row = {
              establishment_id: establishmentId,
              day,
              referrals_made: 0,
              referrals_acknowledged: 0,
              referrals_completed: 0,
              goals_set: 0,
              goals_achieved: 0,
            }),
          )
        if (x.kind === 'r') {
          row.referrals_made++
          if (x.status === 'acknowledged' || x.status === 'done') row.referrals_acknowledged++
          if (x.status === 'done') row.referrals_completed++
        } else {
          row.goals_set++
          if (x.status === 'achieved') row.goals_achieved++
        }
      }
      return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
    },

    /** Replaces an establishment's stat_followups rows with a count from the tables (a rebuild, a bulk load). */
    async replaceFollowUps(trx: Kysely<Database>, establishmentId: number) {
      const rows = await this.countFollowUps(trx, establishmentId)
      await trx.deleteFrom('stat_followups').where('establishment_id', '=', establishmentId).execute()
      for (let i = 0; i < rows.length; i += CHUNK)
        await trx
          .insertInto('stat_followups')
          .values(rows.slice(i, i + CHUNK))
          .execute()
    },

    /**
     * Adds changes to an establishment's stat_followups rows (upserts of column = column + change, in day order), so
     * that recording an entry costs the same however many referrals the day already has.
     */
    async addFollowUps(trx: Kysely<Database>, establishmentId: number, changes: FollowUpChange[]) {
      const byDay = new Map<string, StatFollowUpTable>()
      for (const c of changes) {
        const row = byDay.get(c.day) ?? {
          establishment_id: establishmentId,
          day: c.day,
          referrals_made: 0,
          referrals_acknowledged: 0,
          referrals_completed: 0,
          goals_set: 0,
          goals_achieved: 0,
        }
        for (const k of FOLLOW_UP_COLUMNS) row[k] += c[k] ?? 0
        byDay.set(c.day, row)
      }
      const rows = [...byDay.values()]
        .filter(r => FOLLOW_UP_COLUMNS.some(k => r[k] !== 0))
        .sort((a, b) => (a.day < b.day ? -1 : 1))
      if (!rows.length) return
      await trx
        .insertInto('stat_followups')
        .values(rows)
        .onConflict(oc =>
          oc.columns(['establishment_id', 'day']).doUpdateSet(eb => ({
            referrals_made: eb('stat_followups.referrals_made', '+', eb.ref('excluded.referrals_made')),
            referrals_acknowledged: eb(
              'stat_followups.referrals_acknowledged',
              '+',
              eb.ref('excluded.referrals_acknowledged'),
            ),
            referrals_completed: eb('stat_followups.referrals_completed', '+', eb.ref('excluded.referrals_completed')),
            goals_set: eb('stat_followups.goals_set', '+', eb.ref('excluded.goals_set')),
            goals_achieved: eb('stat_followups.goals_achieved', '+', eb.ref('excluded.goals_achieved')),
          })),
        )
        .execute()
    },

    /** An establishment's stat_followups rows, by day (for checks). */
    storedFollowUps: (establishmentId: number) =>
      db
        .selectFrom('stat_followups')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .orderBy('day')
        .execute(),

    /**
     * Replaces the aggregates of the given days of an establishment (days with nothing get no row), and adds the
     * change of its gap histogram to stat_gaps_all.
     */
    async replaceDays(
      trx: Kysely<Database>,
      establishmentId: number,
      days: Map<string, DayAggregate>,
      clear: string[],
    ) {
      const old: GapRow[] = []
      for (let i = 0; i < clear.length; i += CHUNK) {
        const chunk = clear.slice(i, i + CHUNK)
        old.push(
          ...(await trx
            .selectFrom('stat_gaps')
            .select(['day', 'gap_days', 'n'])
            .where('establishment_id', '=', establishmentId)
            .where('day', 'in', chunk)
            .execute()),
        )
        await trx
          .deleteFrom('stat_daily')
          .where('establishment_id', '=', establishmentId)
          .where('day', 'in', chunk)
          .execute()
        await trx
          .deleteFrom('stat_gaps')
          .where('establishment_id', '=', establishmentId)
          .where('day', 'in', chunk)
          .execute()
      }
      const written = await insertDays(trx, establishmentId, days)
      await addToNational(trx, old, written)
    },

    /** Replaces every aggregate of an establishment (a rebuild, a bulk load), keeping stat_gaps_all in step. */
    async replaceEstablishment(trx: Kysely<Database>, establishmentId: number, days: Map<string, DayAggregate>) {
      const old = await trx
        .selectFrom('stat_gaps')
        .select(['day', 'gap_days', 'n'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      await trx.deleteFrom('stat_daily').where('establishment_id', '=', establishmentId).execute()
      await trx.deleteFrom('stat_gaps').where('establishment_id', '=', establishmentId).execute()
      const written = await insertDays(trx, establishmentId, days)
      await addToNational(trx, old, written)
    },

    /**
     * Takes the establishment's statistics lock until the transaction ends (PostgreSQL; SQLite has one writer), so
     * two transactions refreshing the same establishment's days (two entries submitted at once) run one after the
     * other, the second reading the first's committed sessions: neither loses the other's count, neither inserts a
     * row the other has just inserted.
     */
    async lockEstablishment(trx: Kysely<Database>, establishmentId: number) {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, ${establishmentId})`.execute(trx)
    },

    /** Recomputes stat_gaps_all from stat_gaps (after a full rebuild), locked against concurrent changes. */
    async resetNational(trx: Kysely<Database>) {
      if (dialect === 'postgres') await sql`lock table stat_gaps_all in exclusive mode`.execute(trx)
      await trx.deleteFrom('stat_gaps_all').execute()
      await sql`insert into stat_gaps_all (day, gap_days, n)
        select day, gap_days, sum(n) from stat_gaps group by day, gap_days`.execute(trx)
    },

    /** stat_gaps_all next to stat_gaps summed over the establishments (equal when stat_gaps_all is exact). */
    async nationalGaps() {
      const stored = await db.selectFrom('stat_gaps_all').select(['day', 'gap_days', 'n']).where('n', '<>', 0).execute()
      const summed = await db
        .selectFrom('stat_gaps')
        .select(['day', 'gap_days', eb => eb.fn.sum<number>('n').as('n')])
        .groupBy(['day', 'gap_days'])
        .execute()
      const key = (r: { day: string; gap_days: number }) => `${r.day} ${String(r.gap_days).padStart(5, '0')}`
      const norm = (rows: { day: string; gap_days: number; n: number }[]) =>
        rows
          .map(r => ({ day: r.day, gap_days: n(r.gap_days), n: n(r.n) }))
          .filter(r => r.n !== 0)
          .sort((a, b) => key(a).localeCompare(key(b)))
      return { stored: norm(stored), summed: norm(summed) }
    },

    /** Every stored aggregate of an establishment (for tests and checks). */
    async storedDays(establishmentId: number) {
      const daily = await db
        .selectFrom('stat_daily')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .execute()
      const gaps = await db
        .selectFrom('stat_gaps')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .execute()
      return { daily, gaps }
    },

    /**
     * After a bulk load: fresh planner statistics, so the first queries pick the right plans. SQLite analyses the
     * tables that were never analysed or have grown tenfold since (`PRAGMA optimize`, bounded by analysis_limit).
     */
    async analyze() {
      if (dialect === 'postgres')
        await sql`analyze prisoners, allocations, key_work_sessions, referrals, session_goals, stat_daily, stat_gaps, stat_gaps_all, stat_followups`.execute(
          db,
        )
      else await sql`pragma optimize`.execute(db)
    },
  }
}
