import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../../db/database'
import type { Database, StatDailyTable, StatFollowUpTable } from '../../db/types'
import {
  type CaseloadSpell,
  type DayAggregate,
  type Period,
  REASONS,
  type SessionFact,
  emptyDay,
} from '../../domain/statistics'
import { addDays, daysBetween, londonDate, londonDayStart } from '../../domain/dates'
import { unitOnDay } from '../../domain/custody'
import type { MojDailyInput } from '../../domain/moj'

/**
 * Which records a query counts. establishmentId null: every establishment (national). unitIds: prisoners in
 * those units on the day of the record (a houseblock and the units inside it: an eligible day by his spell's unit,
 * a session, an allocation, a referral or a goal by the unit he was in that day). staffId: sessions held by that
 * officer, prisoners on their caseload.
 */
export interface Filter {
  establishmentId: number | null
  unitIds?: number[]
  staffId?: number
}

export interface EventRow {
  establishment_id: number
  day: string
  n: number
}

const CHUNK = 400

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

// stat_daily columns of the not-delivered reasons, in REASONS order
const REASON_COLUMNS = REASONS.map(r => `nd_${r}`) as (keyof StatDailyTable)[]

/** every count column of stat_daily */
const DAILY_COUNT_COLUMNS = [
  'delivered',
  'not_delivered',
  'private_delivered',
  'private_answered',
  'interpreter_needed',
  'interpreter_used',
  'interpreter_answered',
  'gap_count',
  'gap_days',
  'first_count',
  'first_days',
  ...REASON_COLUMNS,
] as const

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
  } as StatDailyTable
  REASONS.forEach((reason, i) => ((row as unknown as Record<string, number>)[REASON_COLUMNS[i]!] = a.reasons[reason]))
  return row
}

/** Sums what each row counts, per establishment. */
function countBy<R extends { establishment_id: number }, K extends string>(
  rows: R[],
  counts: (row: R) => Record<K, number>,
): ({ establishment_id: number } & Record<K, number>)[] {
  const by = new Map<number, Record<string, number>>()
  for (const row of rows) {
    const id = Number(row.establishment_id)
    const e = by.get(id) ?? { establishment_id: id }
    for (const [k, v] of Object.entries<number>(counts(row))) e[k] = (e[k] ?? 0) + v
    by.set(id, e)
  }
  return [...by.values()] as ({ establishment_id: number } & Record<K, number>)[]
}

export function statisticsRepository(db: Kysely<Database>, dialect: Dialect) {
  const n = (v: unknown) => Number(v ?? 0)
  const later = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) =>
    dialect === 'postgres' ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`

  /** conditions on spells of eligibility c for the filter (not the officer's caseload) */
  const spellWhere = (f: Filter) =>
    sql.join(
      [
        sql`1 = 1`,
        ...(f.establishmentId !== null ? [sql`c.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds ? [f.unitIds.length ? sql`c.unit_id in (${sql.join(f.unitIds)})` : sql`1 = 0`] : []),
      ],
      sql` and `,
    )
  /**
   * The unit prisoner p was in on a day (a date column): that of his last arrival or move on or before it, else his
   * record's (domain/custody.ts unitOnDay, with the same fallback as unitsOnDays).
   */
  const unitOn = (day: RawBuilder<unknown>) => sql`coalesce((select e.unit_id from custody_events e
      where e.prisoner_id = p.id and e.kind in ('reception', 'transfer_in', 'moved') and e.date <= ${day}
      order by e.date desc, e.id desc limit 1), p.unit_id)`
  /** conditions on sessions s (joined to prisoners p) */
  const sessionWhere = (f: Filter) =>
    sql.join(
      [
        sql`s.status = 'submitted'`,
        ...(f.establishmentId !== null ? [sql`s.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds
          ? [f.unitIds.length ? sql`${unitOn(sql`s.session_date`)} in (${sql.join(f.unitIds)})` : sql`1 = 0`]
          : []),
        ...(f.staffId !== undefined ? [sql`s.staff_id = ${f.staffId}`] : []),
      ],
      sql` and `,
    )
  /**
   * referrals or goals r in scope: through the prisoner (houseblock: every prisoner who has been in its units; the
   * caller keeps those in them on the day, unitsOnDays) or the session (officer)
   */
  const followUpWhere = (f: Filter) =>
    sql.join(
      [
        sql`1 = 1`,
        ...(f.establishmentId !== null ? [sql`r.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds ? [everInUnits(sql`r.prisoner_id`, f.unitIds)] : []),
      ],
      sql` and `,
    )
  /** prisoner records that are or have been in one of the units */
  const everInUnits = (prisonerId: RawBuilder<unknown>, unitIds: number[]) =>
    unitIds.length
      ? sql`${prisonerId} in (select id from prisoners where unit_id in (${sql.join(unitIds)})
          union select prisoner_id from custody_events where unit_id in (${sql.join(unitIds)}))`
      : sql`1 = 0`

  /**
   * The rows whose prisoner was in one of the units on the row's day: the unit of his last arrival or move on or
   * before it (domain/custody.ts unitOnDay), else his record's unit. Rows of other prisoners are dropped.
   */
  async function unitsOnDays<T extends { prisoner_id: number; day: string }>(rows: T[], unitIds: number[]) {
    const ids = [...new Set(rows.map(r => n(r.prisoner_id)))]
    const events = new Map<number, { id: number; kind: string; date: string; unitId: number | null }[]>()
    const current = new Map<number, number | null>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      const [evs, prisoners] = await Promise.all([
        db
          .selectFrom('custody_events')
          .select(['id', 'prisoner_id', 'kind', 'date', 'unit_id'])
          .where('prisoner_id', 'in', chunk)
          .where('kind', 'in', ['reception', 'transfer_in', 'moved'])
          .execute(),
        db.selectFrom('prisoners').select(['id', 'unit_id']).where('id', 'in', chunk).execute(),
      ])
      for (const e of evs) {
        const list = events.get(n(e.prisoner_id)) ?? []
        list.push({ id: n(e.id), kind: e.kind, date: e.date, unitId: e.unit_id === null ? null : n(e.unit_id) })
        events.set(n(e.prisoner_id), list)
      }
      for (const p of prisoners) current.set(n(p.id), p.unit_id === null ? null : n(p.unit_id))
    }
    const wanted = new Set(unitIds)
    return rows.filter(r => {
      const unit = unitOnDay(events.get(n(r.prisoner_id)) ?? [], r.day) ?? current.get(n(r.prisoner_id)) ?? null
      return unit !== null && wanted.has(unit)
    })
  }
  /** timestamps (UTC ISO text) on the Europe/London days of the period */
  const timeRange = (column: RawBuilder<unknown>, p: Period) =>
    sql`${column} >= ${londonDayStart(p.from)} and ${column} < ${londonDayStart(addDays(p.to, 1))}`

  // unary plus on the establishment: SQLite otherwise walks the establishment index through every earlier session
  // of the establishment for each session (230 ms for a day of Leeds, 9 ms through the prisoner's index)
  const prevDateOf = sql`(select max(o.session_date) from key_work_sessions o
      where o.prisoner_id = s.prisoner_id and +o.establishment_id = s.establishment_id
        and o.status = 'submitted' and o.outcome = 'delivered'
        and (o.session_date < s.session_date or (o.session_date = s.session_date and o.id < s.id)))`

  interface FactRow {
    id: number
    establishment_id: number
    prisoner_id: number
    session_date: string
    outcome: string | null
    not_delivered_reason: string | null
    private: number | null
    interpreter_needed: number | null
    interpreter_used: number | null
    reception_date: string
    prev_date: string | null
  }
  /** the FactRow columns but prev_date, over key_work_sessions s join prisoners p */
  const factColumns = sql`s.id, s.establishment_id, s.prisoner_id, s.session_date, s.outcome, s.not_delivered_reason,
    s.private, s.interpreter_needed, s.interpreter_used, p.reception_date`
  /** a fact without its previous date, for the callers that work it out themselves */
  const toBareFact = (r: Omit<FactRow, 'prev_date'>) => {
    const { prevDate: _, ...fact } = toFact({ ...r, prev_date: null })
    return fact
  }
  const toFact = (r: FactRow): SessionFact & { establishmentId: number } => ({
    id: r.id,
    establishmentId: r.establishment_id,
    prisonerId: r.prisoner_id,
    date: r.session_date,
    outcome: r.outcome,
    reason: r.not_delivered_reason,
    private: r.private === null ? null : n(r.private),
    interpreterNeeded: r.interpreter_needed === null ? null : n(r.interpreter_needed),
    interpreterUsed: r.interpreter_used === null ? null : n(r.interpreter_used),
    receptionDate: r.reception_date,
    prevDate: r.prev_date,
  })

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
    /**
     * Starts (clamped to the period's start) and ends of spells of eligibility from the custody history, counted per
     * day: a reception, a transfer in, a complexity of need no longer high or a move into the houseblock starts one.
     */
    async custodyEvents(f: Filter, p: Period): Promise<{ starts: EventRow[]; ends: EventRow[] }> {
      const live = sql`c.from_date <= ${p.to} and (c.to_date is null or c.to_date > ${p.from})`
      const r = await sql<EventRow & { kind: string }>`
        select 's' as kind, c.establishment_id, ${later(sql`c.from_date`, sql`${p.from}`)} as day, count(*) as n
        from custody_spells c where ${spellWhere(f)} and ${live} group by 1, 2, 3
        union all
        select 'e' as kind, c.establishment_id, c.to_date as day, count(*) as n
        from custody_spells c where ${spellWhere(f)} and c.to_date > ${p.from} and c.to_date <= ${p.to}
          and c.from_date <= ${p.to}
        group by 1, 2, 3`.execute(db)
      const norm = (kind: string) =>
        r.rows.filter(x => x.kind === kind).map(x => ({ establishment_id: x.establishment_id, day: x.day, n: n(x.n) }))
      return { starts: norm('s'), ends: norm('e') }
    },

    /**
     * An officer's caseload over time, with each prisoner's spells of eligibility: for the officer's eligible
     * prisoner-days (a spell reads as a stay from its start to its end).
     */
    async caseloadIntervals(establishmentId: number, staffId: number, p: Period) {
      const rows = await db
        .selectFrom('allocations as a')
        .innerJoin('custody_spells as c', 'c.prisoner_id', 'a.prisoner_id')
        .select(['c.from_date', 'c.to_date', 'a.allocated_at', 'a.deallocated_at'])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.staff_id', '=', staffId)
        .where('c.from_date', '<=', p.to)
        .where(eb => eb.or([eb('c.to_date', 'is', null), eb('c.to_date', '>', p.from)]))
        .where('a.allocated_at', '<', addDays(p.to, 1))
        .where(eb => eb.or([eb('a.deallocated_at', 'is', null), eb('a.deallocated_at', '>=', p.from)]))
        .execute()
      return rows.map(r => ({
        reception_date: r.from_date,
        release_date: r.to_date,
        status: r.to_date === null ? 'in' : 'released',
        allocated_at: r.allocated_at,
        deallocated_at: r.deallocated_at,
      }))
    },

    /**
     * Eligible prisoners in custody on the day (for an officer: on their caseload), how many of them have a Key
     * Worker that day, and how many had a delivered session in the 7 and in the 28 days up to it.
     */
    async seen(f: Filter, day: string) {
      // allocations are timestamps: on the caseload that day when made before the next London day began
      const next = londonDayStart(addDays(day, 1))
      const from28 = addDays(day, -27)
      const from7 = addDays(day, -6)
      const caseload =
        f.staffId !== undefined
          ? sql`and exists (select 1 from allocations a where a.prisoner_id = p.id and a.staff_id = ${f.staffId}
              and a.allocated_at < ${next} and (a.deallocated_at is null or a.deallocated_at >= ${next}))`
          : sql``
      // the last delivered session of each prisoner in the 28 days, and the prisoners with a Key Worker that day, each
      // as one grouped scan joined by hash (not one probe per prisoner: 88,000 probes took most of a second)
      const allocated = f.staffId !== undefined ? sql`count(*)` : sql`count(k.prisoner_id)`
      const withKeyWorker =
        f.staffId !== undefined
          ? sql``
          : sql`left join (
              select distinct a.prisoner_id from allocations a
              where a.allocated_at < ${next} and (a.deallocated_at is null or a.deallocated_at >= ${next})
                ${f.establishmentId !== null ? sql`and a.establishment_id = ${f.establishmentId}` : sql``}
            ) k on k.prisoner_id = p.id`
      const r = await sql<{
        establishment_id: number
        eligible: number
        allocated: number
        seen7: number
        seen28: number
      }>`
        select p.establishment_id, count(*) as eligible, ${allocated} as allocated,
          sum(case when x.last_seen >= ${from7} then 1 else 0 end) as seen7,
          sum(case when x.last_seen is not null then 1 else 0 end) as seen28
        from custody_spells c join prisoners p on p.id = c.prisoner_id
        left join (
          select s.prisoner_id, s.establishment_id, max(s.session_date) as last_seen from key_work_sessions s
          where s.status = 'submitted' and s.outcome = 'delivered'
            and s.session_date >= ${from28} and s.session_date <= ${day}
            ${f.establishmentId !== null ? sql`and s.establishment_id = ${f.establishmentId}` : sql``}
          group by s.prisoner_id, s.establishment_id
        ) x on x.prisoner_id = p.id and x.establishment_id = p.establishment_id
        ${withKeyWorker}
        where ${spellWhere(f)} ${caseload}
          and c.from_date <= ${day} and (c.to_date is null or c.to_date > ${day})
        group by 1`.execute(db)
      return r.rows.map(x => ({
        establishment_id: x.establishment_id,
        eligible: n(x.eligible),
        allocated: n(x.allocated),
        seen7: n(x.seen7),
        seen28: n(x.seen28),
      }))
    },

    /** Prisoners' first allocations in the period: how many and the days from reception, per establishment. */
    async firstAllocations(f: Filter, p: Period) {
      // the days from reception to the allocation's London day, worked out here (SQLite knows no time zones)
      const r = await sql<{
        establishment_id: number
        prisoner_id: number
        reception_date: string
        allocated_at: string
      }>`
        select p.establishment_id, p.id as prisoner_id, p.reception_date, a.allocated_at
        from allocations a join prisoners p on p.id = a.prisoner_id
        where ${timeRange(sql`a.allocated_at`, p)}
          and ${f.establishmentId !== null ? sql`p.establishment_id = ${f.establishmentId}` : sql`1 = 1`}
          ${f.unitIds ? sql`and ${everInUnits(sql`p.id`, f.unitIds)}` : sql``}
          ${f.staffId !== undefined ? sql`and a.staff_id = ${f.staffId}` : sql``}
          and not exists (select 1 from allocations b where b.prisoner_id = a.prisoner_id
            and (b.allocated_at < a.allocated_at or (b.allocated_at = a.allocated_at and b.id < a.id)))`.execute(db)
      const dated = r.rows.map(x => ({ ...x, day: londonDate(x.allocated_at) }))
      const rows = f.unitIds ? await unitsOnDays(dated, f.unitIds) : dated
      const byEstablishment = new Map<number, { establishment_id: number; count: number; days: number }>()
      for (const x of rows) {
        const id = n(x.establishment_id)
        const e = byEstablishment.get(id) ?? { establishment_id: id, count: 0, days: 0 }
        e.count++
        e.days += daysBetween(x.reception_date, x.day)
        byEstablishment.set(id, e)
      }
      return [...byEstablishment.values()]
    },

    /**
     * What the Ministry of Justice's nightly figures of the period are made of (domain/moj.ts mojDaily), per
     * establishment: the spells of eligibility in scope, those prisoners' allocations as London days, the days their
     * eligibility (re)started, their delivered sessions in the period and their last one before it.
     */
    async mojInputs(f: Filter, p: Period): Promise<Map<number, MojDailyInput>> {
      const live = sql`c.from_date <= ${p.to} and (c.to_date is null or c.to_date > ${p.from})`
      const inScope = sql`(select c.prisoner_id from custody_spells c where ${spellWhere(f)} and ${live})`
      const [spells, allocations, starts, sessions, before] = await Promise.all([
        sql<{ establishment_id: number; prisoner_id: number; from_date: string; to_date: string | null }>`
          select c.establishment_id, c.prisoner_id, c.from_date, c.to_date from custody_spells c
          where ${spellWhere(f)} and ${live}`.execute(db),
        sql<{ prisoner_id: number; allocated_at: string; deallocated_at: string | null }>`
          select a.prisoner_id, a.allocated_at, a.deallocated_at from allocations a
          where a.prisoner_id in ${inScope} and a.allocated_at < ${londonDayStart(addDays(p.to, 1))}
            and (a.deallocated_at is null or a.deallocated_at >= ${londonDayStart(p.from)})`.execute(db),
        sql<{ prisoner_id: number; date: string }>`
          select e.prisoner_id, e.date from custody_events e
          where e.prisoner_id in ${inScope} and e.kind in ('reception', 'transfer_in', 'complexity')
            and e.date <= ${p.to}`.execute(db),
        sql<{ prisoner_id: number; session_date: string }>`
          select s.prisoner_id, s.session_date from key_work_sessions s
          where s.prisoner_id in ${inScope} and s.status = 'submitted' and s.outcome = 'delivered'
            and s.session_date >= ${p.from} and s.session_date <= ${p.to}`.execute(db),
        sql<{ prisoner_id: number; day: string }>`
          select s.prisoner_id, max(s.session_date) as day from key_work_sessions s
          where s.prisoner_id in ${inScope} and s.status = 'submitted' and s.outcome = 'delivered'
            and s.session_date < ${p.from}
          group by s.prisoner_id`.execute(db),
      ])
      const out = new Map<number, MojDailyInput>()
      const establishmentOf = new Map<number, number>()
      const inputOf = (establishmentId: number) => {
        let i = out.get(establishmentId)
        if (!i) {
          i = { period: p, spells: [], allocations: [], eligibilityStarts: [], sessions: [], lastBefore: new Map() }
          out.set(establishmentId, i)
        }
        return i as MojDailyInput & {
          spells: MojDailyInput['spells'][number][]
          allocations: MojDailyInput['allocations'][number][]
          eligibilityStarts: MojDailyInput['eligibilityStarts'][number][]
          sessions: MojDailyInput['sessions'][number][]
          lastBefore: Map<number, string>
        }
      }
      for (const r of spells.rows) {
        const prisonerId = n(r.prisoner_id)
        establishmentOf.set(prisonerId, n(r.establishment_id))
        inputOf(n(r.establishment_id)).spells.push({ prisonerId, from: r.from_date, to: r.to_date })
      }
      // a prisoner record belongs to one establishment: his rows go to its input
      const forPrisoner = (id: unknown) => {
        const e = establishmentOf.get(n(id))
        return e === undefined ? null : inputOf(e)
      }
      for (const r of allocations.rows)
        forPrisoner(r.prisoner_id)?.allocations.push({
          prisonerId: n(r.prisoner_id),
          from: londonDate(r.allocated_at),
          to: r.deallocated_at === null ? null : londonDate(r.deallocated_at),
        })
      for (const r of starts.rows)
        forPrisoner(r.prisoner_id)?.eligibilityStarts.push({ prisonerId: n(r.prisoner_id), date: r.date })
      for (const r of sessions.rows)
        forPrisoner(r.prisoner_id)?.sessions.push({ prisonerId: n(r.prisoner_id), date: r.session_date })
      for (const r of before.rows) forPrisoner(r.prisoner_id)?.lastBefore.set(n(r.prisoner_id), r.day)
      return out
    },

    /** Referrals made in the period, and how many of them have been acknowledged and completed since. */
    async referrals(f: Filter, p: Period) {
      const bySession =
        f.staffId !== undefined
          ? sql`and r.session_id in (select id from key_work_sessions where staff_id = ${f.staffId})`
          : sql``
      if (f.unitIds) {
        // a houseblock: each referral by the unit its prisoner was in the day it was made
        const rows = await sql<{ establishment_id: number; prisoner_id: number; status: string; created_at: string }>`
          select r.establishment_id, r.prisoner_id, r.status, r.created_at
          from referrals r where ${followUpWhere(f)} ${bySession} and ${timeRange(sql`r.created_at`, p)}`.execute(db)
        const kept = await unitsOnDays(
          rows.rows.map(x => ({ ...x, day: londonDate(x.created_at) })),
          f.unitIds,
        )
        return countBy(kept, x => ({
          made: 1,
          acknowledged: x.status === 'acknowledged' || x.status === 'done' ? 1 : 0,
          completed: x.status === 'done' ? 1 : 0,
        }))
      }
      const r = await sql<{ establishment_id: number; made: number; acknowledged: number; completed: number }>`
        select r.establishment_id, count(*) as made,
          sum(case when r.status in ('acknowledged', 'done') then 1 else 0 end) as acknowledged,
          sum(case when r.status = 'done' then 1 else 0 end) as completed
        from referrals r where ${followUpWhere(f)} ${bySession} and ${timeRange(sql`r.created_at`, p)}
        group by 1`.execute(db)
      return r.rows.map(x => ({
        establishment_id: x.establishment_id,
        made: n(x.made),
        acknowledged: n(x.acknowledged),
        completed: n(x.completed),
      }))
    },

    /** Goals set in the period, and how many of them have been achieved since. */
    async goals(f: Filter, p: Period) {
      const bySession =
        f.staffId !== undefined
          ? sql`and r.set_in_session_id in (select id from key_work_sessions where staff_id = ${f.staffId})`
          : sql``
      if (f.unitIds) {
        const rows = await sql<{ establishment_id: number; prisoner_id: number; status: string; created_at: string }>`
          select r.establishment_id, r.prisoner_id, r.status, r.created_at
          from session_goals r where ${followUpWhere(f)} ${bySession} and ${timeRange(sql`r.created_at`, p)}`.execute(
          db,
        )
        const kept = await unitsOnDays(
          rows.rows.map(x => ({ ...x, day: londonDate(x.created_at) })),
          f.unitIds,
        )
        return countBy(kept, x => ({ set: 1, achieved: x.status === 'achieved' ? 1 : 0 }))
      }
      const r = await sql<{ establishment_id: number; goals_set: number; achieved: number }>`
        select r.establishment_id, count(*) as goals_set,
          sum(case when r.status = 'achieved' then 1 else 0 end) as achieved
        from session_goals r where ${followUpWhere(f)} ${bySession} and ${timeRange(sql`r.created_at`, p)}
        group by 1`.execute(db)
      return r.rows.map(x => ({ establishment_id: x.establishment_id, set: n(x.goals_set), achieved: n(x.achieved) }))
    },

    /** An officer's allocations that overlap the period, any complexity: whose sessions are on the caseload. */
    async officerCaseload(establishmentId: number, staffId: number, p: Period): Promise<CaseloadSpell[]> {
      const rows = await db
        .selectFrom('allocations as a')
        .select(['a.prisoner_id', 'a.allocated_at', 'a.deallocated_at'])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.staff_id', '=', staffId)
        .where('a.allocated_at', '<', londonDayStart(addDays(p.to, 1)))
        .where(eb => eb.or([eb('a.deallocated_at', 'is', null), eb('a.deallocated_at', '>=', londonDayStart(p.from))]))
        .execute()
      return rows.map(r => ({
        prisonerId: r.prisoner_id,
        start: londonDate(r.allocated_at),
        end: r.deallocated_at === null ? null : londonDate(r.deallocated_at),
      }))
    },

    /** Submitted sessions of the period in scope, each with its prisoner's previous delivered session date. */
    async sessionFacts(f: Filter, p: Period, trx: Kysely<Database> = db) {
      const r = await sql<FactRow>`select ${factColumns}, ${prevDateOf} as prev_date
        from key_work_sessions s join prisoners p on p.id = s.prisoner_id
        where ${sessionWhere(f)} and s.session_date >= ${p.from} and s.session_date <= ${p.to}`.execute(trx)
      return r.rows.map(toFact)
    },

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

    /** Sums of the pre-aggregated days of the period per establishment. */
    async dailySums(establishmentId: number | null, p: Period) {
      const r = await sql<Record<string, number>>`select establishment_id,
          ${sql.join(DAILY_COUNT_COLUMNS.map(c => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`))}
        from stat_daily where day >= ${p.from} and day <= ${p.to}
          ${establishmentId !== null ? sql`and establishment_id = ${establishmentId}` : sql``}
        group by establishment_id`.execute(db)
      return r.rows.map(row => {
        const a = emptyDay()
        a.delivered = n(row.delivered)
        a.notDelivered = n(row.not_delivered)
        REASONS.forEach((reason, i) => (a.reasons[reason] = n(row[REASON_COLUMNS[i]!])))
        a.privateDelivered = n(row.private_delivered)
        a.privateAnswered = n(row.private_answered)
        a.interpreterNeeded = n(row.interpreter_needed)
        a.interpreterUsed = n(row.interpreter_used)
        a.interpreterAnswered = n(row.interpreter_answered)
        a.gapCount = n(row.gap_count)
        a.gapDays = n(row.gap_days)
        a.firstCount = n(row.first_count)
        a.firstDays = n(row.first_days)
        return { establishmentId: n(row.establishment_id), aggregate: a }
      })
    },

    /** Referrals and goals made in the period per establishment, from the pre-aggregates (stat_followups). */
    async followUpSums(establishmentId: number | null, p: Period) {
      let q = db
        .selectFrom('stat_followups')
        .select(eb => [
          'establishment_id',
          eb.fn.sum<number>('referrals_made').as('made'),
          eb.fn.sum<number>('referrals_acknowledged').as('acknowledged'),
          eb.fn.sum<number>('referrals_completed').as('completed'),
          eb.fn.sum<number>('goals_set').as('goals_set'),
          eb.fn.sum<number>('goals_achieved').as('achieved'),
        ])
        .where('day', '>=', p.from)
        .where('day', '<=', p.to)
      if (establishmentId !== null) q = q.where('establishment_id', '=', establishmentId)
      const rows = await q.groupBy('establishment_id').execute()
      return rows.map(x => ({
        establishment_id: n(x.establishment_id),
        made: n(x.made),
        acknowledged: n(x.acknowledged),
        completed: n(x.completed),
        set: n(x.goals_set),
        achieved: n(x.achieved),
      }))
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

    /** Delivered sessions per day (all establishments in scope together), for the chart. */
    async deliveredByDay(establishmentId: number | null, p: Period) {
      let q = db
        .selectFrom('stat_daily')
        .select(['day', eb => eb.fn.sum<number>('delivered').as('n')])
        .where('day', '>=', p.from)
        .where('day', '<=', p.to)
      if (establishmentId !== null) q = q.where('establishment_id', '=', establishmentId)
      const rows = await q.groupBy('day').execute()
      return new Map(rows.map(r => [r.day, n(r.n)]))
    },

    /** The gap histogram of the period (one establishment, or all of them from stat_gaps_all). */
    async gapHistogram(establishmentId: number | null, p: Period) {
      const rows =
        establishmentId === null
          ? await db
              .selectFrom('stat_gaps_all')
              .select(['gap_days', eb => eb.fn.sum<number>('n').as('n')])
              .where('day', '>=', p.from)
              .where('day', '<=', p.to)
              .groupBy('gap_days')
              .execute()
          : await db
              .selectFrom('stat_gaps')
              .select(['gap_days', eb => eb.fn.sum<number>('n').as('n')])
              .where('establishment_id', '=', establishmentId)
              .where('day', '>=', p.from)
              .where('day', '<=', p.to)
              .groupBy('gap_days')
              .execute()
      return new Map(rows.filter(r => n(r.n) !== 0).map(r => [n(r.gap_days), n(r.n)]))
    },

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

    /** After a bulk load on PostgreSQL: fresh planner statistics, so the first queries pick the right plans. */
    async analyze() {
      if (dialect === 'postgres')
        await sql`analyze prisoners, allocations, key_work_sessions, referrals, session_goals, stat_daily, stat_gaps, stat_gaps_all, stat_followups`.execute(
          db,
        )
    },

    establishmentIds: async () => (await db.selectFrom('establishments').select('id').execute()).map(r => r.id),

    /** The scopes an establishment offers: its houseblocks (top-level units) and its Key Workers. */
    async scopeOptions(establishmentId: number) {
      const houseblocks = await db
        .selectFrom('residential_units')
        .select(['id', 'code', 'name'])
        .where('establishment_id', '=', establishmentId)
        .where('parent_id', 'is', null)
        .orderBy('name')
        .execute()
      const officers = await db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number'])
        .where('establishment_id', '=', establishmentId)
        .where(eb =>
          eb.or([
            eb('key_worker', '=', 1),
            eb(
              'id',
              'in',
              eb.selectFrom('allocations').select('staff_id').where('establishment_id', '=', establishmentId),
            ),
          ]),
        )
        .orderBy('last_name')
        .orderBy('first_name')
        .execute()
      return { houseblocks, officers }
    },

    /** The units inside a unit (itself included), for a houseblock scope. */
    async unitsWithin(establishmentId: number, unitId: number): Promise<number[]> {
      const all = await db
        .selectFrom('residential_units')
        .select(['id', 'parent_id'])
        .where('establishment_id', '=', establishmentId)
        .execute()
      if (!all.some(u => u.id === unitId)) return []
      const out = [unitId]
      for (let i = 0; i < out.length; i++) for (const u of all) if (u.parent_id === out[i]) out.push(u.id)
      return out
    },
  }
}

export type StatisticsRepository = ReturnType<typeof statisticsRepository>
