import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { type CaseloadSpell, type Period, REASONS, emptyDay } from '../../domain/statistics'
import { addDays, daysBetween, londonDate, londonDayStart } from '../../domain/dates'
import type { MojDailyInput } from '../../domain/moj'

// The statistics' report reads: eligible days from the custody history, who was seen, first allocations, the
// Ministry of Justice's nightly inputs, referrals and goals, sessions of a houseblock or an officer, and the sums of
// the pre-aggregated days (kept by projection.ts). Read-only.
import { type EventRow, type FactRow, type Filter, DAILY_COUNT_COLUMNS, REASON_COLUMNS, n, statisticsSql } from './sql'

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

export function statisticsQueries(db: Kysely<Database>, dialect: Dialect) {
  const {
    later,
    spellWhere,
    sessionWhere,
    followUpWhere,
    everInUnits,
    unitsOnDays,
    timeRange,
    prevDateOf,
    factColumns,
    toFact,
  } = statisticsSql(db, dialect)

  /** A houseblock's referrals or goals (table r) of the period: each by the unit its prisoner was in the day it was made. */
  async function followUpsInUnits(
    table: RawBuilder<unknown>,
    bySession: RawBuilder<unknown>,
    f: Filter,
    unitIds: number[],
    p: Period,
  ) {
    const rows = await sql<{ establishment_id: number; prisoner_id: number; status: string; created_at: string }>`
      select r.establishment_id, r.prisoner_id, r.status, r.created_at
      from ${table} r where ${followUpWhere(f)} ${bySession} and ${timeRange(sql`r.created_at`, p)}`.execute(db)
    return unitsOnDays(
      rows.rows.map(x => ({ ...x, day: londonDate(x.created_at) })),
      unitIds,
    )
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
      if (f.unitIds)
        return countBy(await followUpsInUnits(sql`referrals`, bySession, f, f.unitIds, p), x => ({
          made: 1,
          acknowledged: x.status === 'acknowledged' || x.status === 'done' ? 1 : 0,
          completed: x.status === 'done' ? 1 : 0,
        }))
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
      if (f.unitIds)
        return countBy(await followUpsInUnits(sql`session_goals`, bySession, f, f.unitIds, p), x => ({
          set: 1,
          achieved: x.status === 'achieved' ? 1 : 0,
        }))
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

    /** Every establishment's id, through the caller's transaction when there is one (SQLite has one connection). */
    establishmentIds: async (trx: Kysely<Database> = db) =>
      (await trx.selectFrom('establishments').select('id').execute()).map(r => r.id),

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
