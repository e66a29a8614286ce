import type { Kysely } from 'kysely'
import type { Db } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { londonDate } from '../../domain/dates'
import { type MojDaily, mojAverage, mojDaily, mojMeanOfDays, mojPercentage, mojProjected } from '../../domain/moj'
import { effectiveSettings } from '../../domain/policy'
import {
  type DayAggregate,
  type Figures,
  type Interval,
  type Period,
  type SessionFact,
  type Totals,
  type WeekPoint,
  addInto,
  aggregateByDay,
  countsFromEvents,
  dayChanges,
  daysOf,
  emptyTotals,
  figuresOf,
  intersect,
  intervalCounts,
  leftCustody,
  onCaseload,
  periodDays,
  previousPeriod,
  prisonerDays,
  weeklySeries,
  withPreviousDates,
} from '../../domain/statistics'
import { overridesOf, toBounds, type establishmentsService } from '../establishments/service'
import { type Filter, type FollowUpChange, statisticsRepository } from './repository'

export type StatisticsScope =
  | { kind: 'national' }
  | { kind: 'establishment'; establishmentId: number }
  | { kind: 'houseblock'; establishmentId: number; unitId: number }
  | { kind: 'officer'; establishmentId: number; staffId: number }

export interface PeriodStatistics {
  period: Period
  figures: Figures
  weeks: WeekPoint[]
  /** national scope: each establishment's headline figures */
  establishments: { id: number; code: string; name: string; figures: Figures }[]
}

export interface Comparison {
  current: PeriodStatistics
  previous: PeriodStatistics
}

/** What a session change must tell the statistics: the establishment, the prisoner, every date involved. */
export interface SessionChange {
  establishmentId: number
  prisonerId: number
  /** the session's date before and after the change (either may be null: a new entry, a deleted one) */
  dates: (string | null | undefined)[]
}

export interface ComputeOptions {
  moj?: boolean
}

type EstablishmentsService = ReturnType<typeof establishmentsService>

export function statisticsService(db: Db, deps: { establishments: EstablishmentsService }) {
  const repo = statisticsRepository(db.db, db.dialect)

  async function establishmentsWithFrequency() {
    const [all, policy] = await Promise.all([deps.establishments.all(), deps.establishments.policy()])
    const bounds = toBounds(policy)
    return new Map(
      all.map(e => [e.id, { ...e, frequencyWeeks: effectiveSettings(bounds, overridesOf(e)).frequencyWeeks }]),
    )
  }

  async function filterOf(scope: StatisticsScope): Promise<Filter> {
    switch (scope.kind) {
      case 'national':
        return { establishmentId: null }
      case 'establishment':
        return { establishmentId: scope.establishmentId }
      case 'houseblock':
        return {
          establishmentId: scope.establishmentId,
          unitIds: await repo.unitsWithin(scope.establishmentId, scope.unitId),
        }
      case 'officer':
        return { establishmentId: scope.establishmentId, staffId: scope.staffId }
    }
  }

  /**
   * The statistics of a scope for a period. moj: also the Ministry of Justice's figures that rest on their nightly
   * snapshots (Figures.moj), for the CSV; not for one Key Worker.
   */
  async function compute(scope: StatisticsScope, period: Period, opts: ComputeOptions = {}): Promise<PeriodStatistics> {
    const filter = await filterOf(scope)
    const ests = await establishmentsWithFrequency()
    const days = daysOf(period)
    const perEst = new Map<number, Totals>()
    const totalsOf = (id: number) => {
      let t = perEst.get(id)
      if (!t) perEst.set(id, (t = emptyTotals()))
      return t
    }
    const projectedByDay = new Array<number>(days.length).fill(0)
    const weight = (id: number) => 1 / ((ests.get(id)?.frequencyWeeks ?? 1) * 7)

    // every query at once (on PostgreSQL each takes its own pooled connection)
    const aggregated = scope.kind === 'national' || scope.kind === 'establishment'
    const [eligibility, sessions, seen, firsts, referrals, goals, caseload, mojInputs] = await Promise.all([
      scope.kind === 'officer'
        ? repo.caseloadIntervals(scope.establishmentId, scope.staffId, period)
        : repo.custodyEvents(filter, period),
      aggregated
        ? Promise.all([
            repo.dailySums(filter.establishmentId, period),
            repo.deliveredByDay(filter.establishmentId, period),
            repo.gapHistogram(filter.establishmentId, period),
          ])
        : repo.sessionFacts(filter, period),
      repo.seen(filter, period.to),
      repo.firstAllocations(filter, period),
      aggregated ? repo.followUpSums(filter.establishmentId, period) : repo.referrals(filter, period),
      aggregated ? null : repo.goals(filter, period),
      scope.kind === 'officer' ? repo.officerCaseload(scope.establishmentId, scope.staffId, period) : null,
      opts.moj && scope.kind !== 'officer' ? repo.mojInputs(filter, period) : null,
    ])

    // eligible prisoner-days and projected sessions
    if (Array.isArray(eligibility)) {
      const establishmentId = scope.kind === 'national' ? 0 : scope.establishmentId
      const intervals: Interval[] = []
      for (const r of eligibility) {
        const custody = {
          start: r.reception_date,
          end: leftCustody({ status: r.status, releaseDate: r.release_date, receptionDate: r.reception_date }),
        }
        const caseload = {
          start: londonDate(r.allocated_at),
          end: r.deallocated_at === null ? null : londonDate(r.deallocated_at),
        }
        const both = intersect(custody, caseload)
        if (both) intervals.push(both)
      }
      const counts = intervalCounts(period, intervals)
      const t = totalsOf(establishmentId)
      const w = weight(establishmentId)
      counts.forEach((c, i) => {
        t.eligibleDays += c
        t.projected += c * w
        projectedByDay[i]! += c * w
      })
    } else {
      const { starts, ends } = eligibility
      const ids = new Set([...starts, ...ends].map(r => r.establishment_id))
      for (const id of ids) {
        const counts = countsFromEvents(
          period,
          starts.filter(r => r.establishment_id === id),
          ends.filter(r => r.establishment_id === id),
        )
        const t = totalsOf(id)
        const w = weight(id)
        counts.forEach((c, i) => {
          t.eligibleDays += c
          t.projected += c * w
          projectedByDay[i]! += c * w
        })
      }
    }

    // sessions: pre-aggregated for an establishment or all of them, from the sessions for a houseblock or officer
    let deliveredByDay: Map<string, number>
    let gaps: Map<number, number> | null = null
    if (!aggregated) {
      let facts = sessions as Awaited<ReturnType<typeof repo.sessionFacts>>
      if (caseload) {
        // a Key Worker delivers to the prisoners on their caseload that day; the rest is cover, shown on its own
        const own = facts.filter(f => onCaseload(caseload, f.prisonerId, f.date))
        for (const f of facts)
          if (f.outcome === 'delivered' && !onCaseload(caseload, f.prisonerId, f.date)) {
            const t = totalsOf(f.establishmentId)
            t.coverDelivered++
            // the caseload's spells are those of the period: a prisoner in them was allocated at some time in it
            if (caseload.some(c => c.prisonerId === f.prisonerId)) t.coverOfCaseload++
          }
        facts = own
      }
      deliveredByDay = new Map()
      for (const [d, a] of aggregateByDay(facts)) {
        addInto(totalsOf(facts[0]!.establishmentId), a)
        deliveredByDay.set(d, a.delivered)
      }
    } else {
      const [sums, byDay, histogram] = sessions as [
        Awaited<ReturnType<typeof repo.dailySums>>,
        Map<string, number>,
        Map<number, number>,
      ]
      for (const s of sums) addInto(totalsOf(s.establishmentId), s.aggregate)
      deliveredByDay = byDay
      gaps = histogram
    }

    for (const r of seen) {
      const t = totalsOf(r.establishment_id)
      t.eligibleAtEnd += r.eligible
      t.allocatedAtEnd += r.allocated
      t.seen7 += r.seen7
      t.seen28 += r.seen28
    }
    for (const r of firsts) {
      const t = totalsOf(r.establishment_id)
      t.allocationCount += r.count
      t.allocationDays += r.days
    }
    for (const r of referrals) {
      const t = totalsOf(r.establishment_id)
      t.referralsMade += r.made
      t.referralsAcknowledged += r.acknowledged
      t.referralsCompleted += r.completed
    }
    for (const r of goals ?? (referrals as Awaited<ReturnType<typeof repo.followUpSums>>)) {
      const t = totalsOf(r.establishment_id)
      t.goalsSet += r.set
      t.goalsAchieved += r.achieved
    }

    // the Ministry of Justice's figures per establishment: average eligible truncated, then the projection truncated
    for (const [id, t] of perEst) {
      t.eligibleWhole = mojAverage(t.eligibleDays, periodDays(period))
      t.projectedWhole = mojProjected(t.eligibleWhole, periodDays(period), ests.get(id)?.frequencyWeeks ?? 1)
    }
    const total = emptyTotals()
    for (const t of perEst.values()) addInto(total, t)
    if (gaps) total.gaps = gaps
    const n = periodDays(period)
    // their nightly figures per establishment; for several, the assigned averages summed and the daily figures pooled
    const mojOf = new Map<number, MojDaily>()
    for (const [id, input] of mojInputs ?? []) mojOf.set(id, mojDaily(input))
    const mojFigures = (ids: number[], eligibleWhole: number) => {
      const daily = ids.map(id => mojOf.get(id) ?? { assignedDays: 0, toAllocation: [], toSession: [] })
      const assigned = daily.reduce((a, d) => a + mojAverage(d.assignedDays, n), 0)
      return {
        assigned,
        assignedPercent: mojPercentage(assigned, eligibleWhole),
        toAllocation: mojMeanOfDays(daily.flatMap(d => d.toAllocation)),
        toSession: mojMeanOfDays(daily.flatMap(d => d.toSession)),
      }
    }
    const withMoj = (f: Figures, ids: number[]): Figures =>
      mojInputs ? { ...f, moj: mojFigures(ids, f.eligibleWhole) } : f
    const establishments =
      scope.kind === 'national'
        ? [...ests.values()]
            .filter(e => e.enabled === 1 || perEst.has(e.id))
            .sort((a, b) => a.name.localeCompare(b.name))
            .map(e => ({
              id: e.id,
              code: e.code,
              name: e.name,
              figures: withMoj(figuresOf(perEst.get(e.id) ?? emptyTotals(), n), [e.id]),
            }))
        : []
    return {
      period,
      figures: withMoj(figuresOf(total, n), scope.kind === 'national' ? [...ests.keys()] : [scope.establishmentId]),
      weeks: weeklySeries(period, deliveredByDay, projectedByDay),
      establishments,
    }
  }

  /** Recomputes an establishment's aggregates for some days from its sessions, in the caller's transaction. */
  async function refreshDays(trx: Kysely<Database>, establishmentId: number, days: string[]) {
    if (days.length === 0) return
    await repo.lockEstablishment(trx, establishmentId)
    const byDay = new Map<string, DayAggregate>()
    for (const day of days) {
      const facts = await repo.sessionFacts({ establishmentId }, { from: day, to: day }, trx)
      for (const [d, a] of aggregateByDay(facts)) byDay.set(d, a)
    }
    await repo.replaceDays(trx, establishmentId, byDay, days)
  }

  return {
    /** The statistics of a scope for a period and the previous period of the same length. */
    async compare(scope: StatisticsScope, period: Period, opts: ComputeOptions = {}): Promise<Comparison> {
      const [current, previous] = await Promise.all([
        compute(scope, period, opts),
        compute(scope, previousPeriod(period), opts),
      ])
      return { current, previous }
    },

    compute,

    scopeOptions: (establishmentId: number) => repo.scopeOptions(establishmentId),

    /** The units inside a unit, itself included (a houseblock scope counts prisoners in any of them). */
    unitsWithin: (establishmentId: number, unitId: number) => repo.unitsWithin(establishmentId, unitId),

    /**
     * Recomputes the aggregates of one establishment's day from key_work_sessions, in the caller's transaction: a
     * repair after a change made without changeSessions (`keywork stats rebuild` repairs everything).
     */
    refreshDay: (trx: Kysely<Database>, establishmentId: number, day: string) =>
      refreshDays(trx, establishmentId, [day]),

    /**
     * Runs `change`, which changes one prisoner's sessions (records, amends, deletes one), in the caller's
     * transaction, and moves the aggregates by what it changed: the prisoner's contribution to the days from the
     * earliest date involved, read before and after. `dates`: every date the changed sessions had before the change
     * and have after it (null for none: a draft, say). Costs the same however busy the day.
     */
    async changeSessions<T>(trx: Kysely<Database>, where: SessionChange, change: () => Promise<T>): Promise<T> {
      const dates = where.dates.filter((d): d is string => !!d)
      if (!dates.length) return change()
      const from = dates.reduce((a, b) => (a < b ? a : b))
      // before the first read: a concurrent change of the same establishment commits first (PostgreSQL)
      await repo.lockEstablishment(trx, where.establishmentId)
      const contribution = async () => {
        const r = await repo.prisonerSessionsFrom(trx, where.establishmentId, where.prisonerId, from)
        return prisonerDays(r.facts, r.prevBefore)
      }
      const before = await contribution()
      const result = await change()
      const changes = dayChanges(before, await contribution())
      if (changes.size) await repo.addDays(trx, where.establishmentId, changes)
      return result
    },

    /**
     * The referral and goal counts after referrals or goals were made or moved on, as changes (cheaper than a
     * recount of the day): call in the same transaction, with each one's created_at and its status before (null for
     * a new one) and after.
     */
    async followUpsMoved(
      trx: Kysely<Database>,
      establishmentId: number,
      moves: { kind: 'referral' | 'goal'; createdAt: string; from: string | null; to: string }[],
    ) {
      const changes = moves.map(m => followUpChange(m.kind, londonDate(m.createdAt), m.from, m.to))
      await repo.lockEstablishment(trx, establishmentId) // a rebuild of the establishment's rows finishes first
      await repo.addFollowUps(trx, establishmentId, changes)
    },

    /** Recomputes every aggregate from the sessions (all establishments, or one). Returns the days written. */
    async rebuild(establishmentId?: number, trx?: Kysely<Database>): Promise<number> {
      const ids = establishmentId !== undefined ? [establishmentId] : await repo.establishmentIds(trx)
      let written = 0
      for (const id of ids) {
        const write = async (t: Kysely<Database>) => {
          await repo.lockEstablishment(t, id)
          const byDay = aggregateByDay(withPreviousDates(await repo.allSessions(id, t)))
          await repo.replaceEstablishment(t, id, byDay)
          await repo.replaceFollowUps(t, id)
          return byDay.size
        }
        written += trx ? await write(trx) : await db.db.transaction().execute(write)
      }
      if (establishmentId === undefined) {
        // every establishment: the national histogram from scratch too, in case it was ever out of step
        if (trx) await repo.resetNational(trx)
        else await db.db.transaction().execute(t => repo.resetNational(t))
      }
      return written
    },

    /**
     * Writes an establishment's aggregates from sessions the caller already holds (a bulk load that has just inserted
     * every submitted session of the establishment), without reading them back.
     */
    async storeFrom(trx: Kysely<Database>, establishmentId: number, sessions: Omit<SessionFact, 'prevDate'>[]) {
      await repo.lockEstablishment(trx, establishmentId)
      const byDay = aggregateByDay(withPreviousDates(sessions))
      await repo.replaceEstablishment(trx, establishmentId, byDay)
      await repo.replaceFollowUps(trx, establishmentId)
      return byDay.size
    },

    /** Refreshes the database's planner statistics after a bulk load (PostgreSQL; nothing on SQLite). */
    analyze: () => repo.analyze(),

    /** stat_gaps_all and stat_gaps summed over establishments, for checks: equal when the national histogram is exact. */
    nationalGaps: () => repo.nationalGaps(),

    /** Stored referral and goal counts and a fresh count, for checks: equal when they are exact. */
    async verifyFollowUps(establishmentId: number) {
      const [stored, fresh] = await Promise.all([
        repo.storedFollowUps(establishmentId),
        repo.countFollowUps(db.db, establishmentId),
      ])
      return { stored, fresh }
    },

    /** Stored aggregates and a fresh recount from the sessions, for checks: equal when the aggregates are exact. */
    async verify(establishmentId: number) {
      const stored = await repo.storedDays(establishmentId)
      const fresh = aggregateByDay(withPreviousDates(await repo.allSessions(establishmentId)))
      return { stored, fresh }
    },
  }
}

export type StatisticsService = ReturnType<typeof statisticsService>

/** What moving one referral or goal from one status to another (from null: made) changes in stat_followups. */
export function followUpChange(
  kind: 'referral' | 'goal',
  day: string,
  from: string | null,
  to: string,
): FollowUpChange {
  const counts = (status: string | null) =>
    status === null
      ? [0, 0, 0]
      : kind === 'referral'
        ? [1, status === 'acknowledged' || status === 'done' ? 1 : 0, status === 'done' ? 1 : 0]
        : [1, status === 'achieved' ? 1 : 0, 0]
  const [a, b] = [counts(from), counts(to)]
  return kind === 'referral'
    ? {
        day,
        referrals_made: b[0]! - a[0]!,
        referrals_acknowledged: b[1]! - a[1]!,
        referrals_completed: b[2]! - a[2]!,
      }
    : { day, goals_set: b[0]! - a[0]!, goals_achieved: b[1]! - a[1]! }
}
