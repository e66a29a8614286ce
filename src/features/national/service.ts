import type { Db } from '../../platform/db/database'
import type { Actor } from '../../platform/audit/service'
import type { AuditService } from '../../platform/audit/service'
import { addDays } from '../../domain/dates'
import { now } from '../../domain/clock'
import { londonNow } from '../../domain/hubs'
import { effectiveCapacity } from '../../domain/capacity'
import { type Interval } from '../../domain/confidence'
import {
  type ScoreCounts,
  countOf,
  emptyCounts,
  lastMonths,
  monthDays,
  monthLabel,
  overallInterval,
} from '../../domain/quality'
import { type Direction, type Rag, RAG_WORDS, type Threshold, ragOf, ruleInWords } from '../../domain/rag'
import { type Result, ok } from '../../domain/result'
import { type Figures, countsFromEvents, daysOf } from '../../domain/statistics'
import { effectiveSettings } from '../../domain/policy'
import { type EstablishmentsService, overridesOf, toBounds } from '../establishments/service'
import type { StatisticsService } from '../statistics/service'
import type { TrainingDashboardService } from '../trainingDashboard/service'
import { MEASURES, type MeasureCode, isMeasureCode } from './measures'
import { overviewPage } from './present'
import { nationalRepository } from './repository'

/** The window of the delivery measures: the last 28 days, today included. */
export const DELIVERED_DAYS = 28
/** Months of compliance in each establishment's trend, the current month (to date) last. */
export const TREND_MONTHS = 6
/** Months of QA reviews in the QA score, the current month (to date) last. */
export const QA_MONTHS = 3
/** A change in compliance of less than this many points over the trend reads as level. */
export const LEVEL_POINTS = 1

export interface NationalDeps {
  audit: AuditService
  establishments: Pick<EstablishmentsService, 'policy'>
  statistics: Pick<StatisticsService, 'compute'>
  trainingDashboard: Pick<TrainingDashboardService, 'dashboard'>
}

/** One measure of one establishment: the figure (a % or the QA mean), what it pools from, and its status. */
export interface Cell {
  value: number | null
  /** numerator and denominator (the QA score: sum of scores and reviews), to pool establishments */
  num: number
  den: number
  rag: Rag
  ragWords: string
}

export interface TrendPoint {
  month: string
  label: string
  compliance: number | null
}

export interface Row {
  id: number
  code: string
  name: string
  category: string
  region: string
  cells: Record<MeasureCode, Cell>
  qa: { counts: ScoreCounts; interval: Interval | null }
  keyWorkers: number
  capacity: number
  allocated: number
  hubs: number
  privateRooms: number
  trend: TrendPoint[]
  trendWords: string
  trendArrow: '↑' | '↓' | '→' | ''
}

export interface ThresholdView extends Threshold {
  measure: MeasureCode
  label: string
  about: string
  unit: '%' | ''
  min: number
  max: number
  words: string
  updatedAt: string | null
  updatedBy: string | null
}

export type SortKey = 'name' | MeasureCode
export const SORT_KEYS: SortKey[] = ['name', ...MEASURES.map(m => m.code)]

export interface OverviewQuery {
  category?: string
  region?: string
  sort?: string
  order?: string
}

const pct = (num: number, den: number) => (den > 0 ? (num / den) * 100 : null)

/** The trend of compliance in words: the first month with a figure against the last. */
export function trendInWords(points: TrendPoint[]): { words: string; arrow: Row['trendArrow'] } {
  const known = points.filter(p => p.compliance !== null)
  if (known.length < 2) return { words: 'Not enough months with a figure to show a trend', arrow: '' }
  const first = known[0]!
  const last = known[known.length - 1]!
  const diff = last.compliance! - first.compliance!
  const span = `${Math.round(first.compliance!)}% in ${first.label} to ${Math.round(last.compliance!)}% in ${last.label}`
  if (Math.abs(diff) < LEVEL_POINTS) return { words: `Level: ${span}`, arrow: '→' }
  const size = Math.round(Math.abs(diff))
  const by = `${size} ${size === 1 ? 'point' : 'points'}`
  return diff > 0 ? { words: `Up ${by}: ${span}`, arrow: '↑' } : { words: `Down ${by}: ${span}`, arrow: '↓' }
}

/**
 * Compliance of each establishment in each period (months of a window), as the statistics count it: delivered ÷
 * projected × 100, projected = eligible prisoner-days ÷ (frequency in weeks × 7); null with nothing projected. From one
 * read of the spells of eligibility and one of the day aggregates for the whole window, not one statistics run per
 * month (their "seen in 28 days" and the rest are not needed for a trend).
 */
export function monthlyCompliance(
  window: { from: string; to: string },
  periods: readonly { from: string; to: string }[],
  spells: readonly { kind: string; establishmentId: number; day: string; n: number }[],
  delivered: readonly { establishmentId: number; day: string; delivered: number }[],
  frequencyWeeks: (establishmentId: number) => number,
): Map<number, (number | null)[]> {
  const days = daysOf(window)
  const byId = <T extends { establishmentId: number }>(rows: readonly T[]) => {
    const m = new Map<number, T[]>()
    for (const r of rows) m.set(r.establishmentId, [...(m.get(r.establishmentId) ?? []), r])
    return m
  }
  const spellsOf = byId(spells)
  const deliveredOf = byId(delivered)
  const out = new Map<number, (number | null)[]>()
  for (const [id, own] of spellsOf) {
    const counts = countsFromEvents(
      window,
      own.filter(x => x.kind === 's'),
      own.filter(x => x.kind === 'e'),
    )
    const perDay = 1 / (frequencyWeeks(id) * 7)
    const done = deliveredOf.get(id) ?? []
    out.set(
      id,
      periods.map(p => {
        let projected = 0
        days.forEach((d, i) => {
          if (d >= p.from && d <= p.to) projected += counts[i]! * perDay
        })
        const sum = done.filter(x => x.day >= p.from && x.day <= p.to).reduce((a, x) => a + x.delivered, 0)
        return projected > 0 ? (sum / projected) * 100 : null
      }),
    )
  }
  return out
}

/**
 * The national overview (issue 17): every establishment side by side, each measure with its RAG status from the
 * national team's thresholds. A fixed number of grouped queries whatever the number of establishments: the statistics
 * of all establishments for the last 28 days and for each month of the trend, the training dashboard of all
 * establishments, and the overview's own grouped reads (QA scores, Key Workers, caseloads, hubs).
 */
export function nationalService(db: Db, deps: NationalDeps) {
  const repo = nationalRepository(db.db, db.dialect)

  async function thresholds(): Promise<ThresholdView[]> {
    const rows = new Map((await repo.thresholds()).map(r => [r.measure, r]))
    return MEASURES.map(m => {
      const r = rows.get(m.code)
      const t: Threshold = r
        ? { green: Number(r.green), amber: Number(r.amber), direction: r.direction as Direction }
        : { green: m.min, amber: m.min, direction: 'higher' }
      return {
        measure: m.code,
        label: m.label,
        about: m.about,
        unit: m.unit,
        min: m.min,
        max: m.max,
        ...t,
        words: ruleInWords(t, m.unit),
        updatedAt: r?.updated_at ?? null,
        updatedBy: r?.updated_by ?? null,
      }
    })
  }

  /** Every enabled establishment's row (by name), with the thresholds and the windows the figures cover. */
  async function allRows(today: string) {
    const period = { from: addDays(today, -(DELIVERED_DAYS - 1)), to: today }
    const months = lastMonths(today, TREND_MONTHS)
    const monthPeriods = months.map(m => {
      const d = monthDays(m)
      return { from: d.from, to: d.to < today ? d.to : today }
    })
    const qaFrom = monthDays(lastMonths(today, QA_MONTHS)[0]!).from
    const trendFrom = monthPeriods[0]!.from
    const [ests, policy, rules, current, spells, deliveredDays, training, scores, groups, allocated, hubs] =
      await Promise.all([
        repo.establishments(),
        deps.establishments.policy(),
        thresholds(),
        deps.statistics.compute({ kind: 'national' }, period),
        repo.custodyEvents(trendFrom, today),
        repo.deliveredByDay(trendFrom, today),
        deps.trainingDashboard.dashboard({ kind: 'national' }, today),
        repo.reviewScores(qaFrom, today),
        repo.keyWorkerGroups(),
        repo.activeAllocations(),
        repo.hubs(),
      ])
    const ruleOf = new Map(rules.map(r => [r.measure, r]))
    const figuresOf = new Map(current.establishments.map(e => [e.id, e.figures]))
    // each establishment's ratio and frequency in force (its own within the national bounds, else the default)
    const bounds = policy ? toBounds(policy) : null
    const settingsOf = new Map(
      ests.map(e => [e.id, bounds ? effectiveSettings(bounds, overridesOf(e)) : { ratio: 6, frequencyWeeks: 1 }]),
    )
    const trendOf = monthlyCompliance(
      { from: trendFrom, to: today },
      monthPeriods,
      spells,
      deliveredDays,
      id => settingsOf.get(id)?.frequencyWeeks ?? 1,
    )
    const tallyOf = new Map(training.rows.map(r => [r.id, r.tally]))
    const countsOf = new Map<number, ScoreCounts>()
    for (const s of scores) {
      if (s.overall < 1 || s.overall > 4) continue
      const c = countsOf.get(s.establishmentId) ?? emptyCounts()
      c[s.overall - 1] = c[s.overall - 1]! + s.reviews
      countsOf.set(s.establishmentId, c)
    }
    const staffing = new Map<number, { keyWorkers: number; capacity: number }>()
    for (const g of groups) {
      const s = staffing.get(g.establishmentId) ?? { keyWorkers: 0, capacity: 0 }
      s.keyWorkers += g.count
      const ratio = settingsOf.get(g.establishmentId)?.ratio ?? 6
      s.capacity += g.count * effectiveCapacity(ratio, g.weeklyHours, g.override)
      staffing.set(g.establishmentId, s)
    }
    const cell = (code: MeasureCode, num: number, den: number, value = pct(num, den)): Cell => {
      const rag = ragOf(value, ruleOf.get(code)!)
      return { value, num, den, rag, ragWords: RAG_WORDS[rag] }
    }
    const rows: Row[] = ests
      .filter(e => e.enabled === 1)
      .map(e => {
        const f: Figures | undefined = figuresOf.get(e.id)
        const t = tallyOf.get(e.id)
        const counts = countsOf.get(e.id) ?? emptyCounts()
        const interval = overallInterval(counts)
        const reviews = countOf(counts)
        const sum = counts.reduce((a, c, i) => a + c * (i + 1), 0)
        const st = staffing.get(e.id) ?? { keyWorkers: 0, capacity: 0 }
        const held = allocated.get(e.id) ?? 0
        const h = hubs.get(e.id) ?? { hubs: 0, privateRooms: 0 }
        const points = months.map((m, i) => ({
          month: m,
          label: monthLabel(m),
          compliance: trendOf.get(e.id)?.[i] ?? null,
        }))
        const tw = trendInWords(points)
        const cells: Record<MeasureCode, Cell> = {
          compliance: cell('compliance', f?.delivered ?? 0, f?.projected ?? 0),
          seen28: cell('seen28', ((f?.seen28Percent ?? 0) * (f?.eligibleAtEnd ?? 0)) / 100, f?.eligibleAtEnd ?? 0),
          // the mean with its interval: at least two reviews (as the quality dashboard), else not enough data
          qa_score: cell('qa_score', sum, reviews, interval ? interval.estimate : null),
          initial_course: cell('initial_course', t?.initial.done ?? 0, t?.keyWorkers ?? 0),
          cpd: cell('cpd', t?.cpdMet ?? 0, t?.keyWorkers ?? 0),
          interpreter: cell('interpreter', f?.interpreterUsed ?? 0, f?.interpreterAnswered ?? 0),
          referrals: cell('referrals', f?.referralsAcknowledged ?? 0, f?.referralsMade ?? 0),
          caseload: cell('caseload', held, st.capacity),
          private: cell(
            'private',
            ((f?.privatePercent ?? 0) * (f?.privateAnswered ?? 0)) / 100,
            f?.privateAnswered ?? 0,
          ),
        }
        return {
          id: e.id,
          code: e.code,
          name: e.name,
          category: e.category,
          region: e.region,
          cells,
          qa: { counts, interval },
          keyWorkers: st.keyWorkers,
          capacity: st.capacity,
          allocated: held,
          hubs: h.hubs,
          privateRooms: h.privateRooms,
          trend: points,
          trendWords: tw.words,
          trendArrow: tw.arrow,
        }
      })
    return { rows, rules, period, months: months.map(monthLabel), qaFrom, ruleOf }
  }

  /** Several establishments pooled: each measure's numerators over its denominators; the QA scores all together. */
  function pooled(rows: Row[], ruleOf: Map<MeasureCode, ThresholdView>) {
    const cells = {} as Record<MeasureCode, Cell>
    for (const m of MEASURES) {
      const num = rows.reduce((a, r) => a + r.cells[m.code].num, 0)
      const den = rows.reduce((a, r) => a + r.cells[m.code].den, 0)
      cells[m.code] = { value: pct(num, den), num, den, rag: 'none', ragWords: RAG_WORDS.none }
    }
    const counts = rows.reduce<ScoreCounts>(
      (a, r) => [a[0] + r.qa.counts[0], a[1] + r.qa.counts[1], a[2] + r.qa.counts[2], a[3] + r.qa.counts[3]],
      emptyCounts(),
    )
    const interval = overallInterval(counts)
    cells.qa_score.value = interval ? interval.estimate : null
    for (const m of MEASURES) {
      const rag = ragOf(cells[m.code].value, ruleOf.get(m.code)!)
      cells[m.code].rag = rag
      cells[m.code].ragWords = RAG_WORDS[rag]
    }
    return { establishments: rows.length, cells, qa: { counts, interval } }
  }

  const api = {
    thresholds,

    /**
     * The overview: the enabled establishments of the category and region asked for (any, when not given or not
     * known), sorted by a measure (nulls last whichever the order) or by name.
     */
    async overview(query: OverviewQuery = {}, today = londonNow().date) {
      const all = await allRows(today)
      const categories = [...new Set(all.rows.map(r => r.category))].sort()
      const regions = [...new Set(all.rows.map(r => r.region))].sort()
      const category = categories.includes(query.category ?? '') ? query.category! : ''
      const region = regions.includes(query.region ?? '') ? query.region! : ''
      const sort: SortKey = (SORT_KEYS as string[]).includes(query.sort ?? '') ? (query.sort as SortKey) : 'name'
      const order: 'asc' | 'desc' = query.order === 'desc' ? 'desc' : 'asc'
      const keyOf = (r: Row): number | string | null => (sort === 'name' ? r.name : r.cells[sort].value)
      const rows = all.rows
        .filter(r => (!category || r.category === category) && (!region || r.region === region))
        .sort((a, b) => {
          const x = keyOf(a)
          const y = keyOf(b)
          if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1
          const c = typeof x === 'string' ? x.localeCompare(y as string) : x - (y as number)
          return (order === 'asc' ? c : -c) || a.name.localeCompare(b.name)
        })
      return {
        rows,
        thresholds: all.rules,
        categories,
        regions,
        category,
        region,
        sort,
        order,
        from: all.period.from,
        today,
        months: all.months,
        qaFrom: all.qaFrom,
      }
    },

    /** What the overview page shows, for the query. */
    async overviewPage(query: OverviewQuery = {}) {
      return overviewPage(await api.overview(query))
    },

    /**
     * One establishment against every enabled establishment and those of its category, pooled (each measure's
     * numerators summed over its denominators; the QA score over all their reviews), each with its status.
     */
    async comparison(establishmentId: number, today = londonNow().date) {
      const all = await allRows(today)
      const own = all.rows.find(r => r.id === establishmentId) ?? null
      const category = own?.category ?? null
      return {
        own,
        category,
        national: pooled(all.rows, all.ruleOf),
        ofCategory: pooled(
          all.rows.filter(r => r.category === category),
          all.ruleOf,
        ),
        thresholds: all.rules,
        from: all.period.from,
        today,
        qaFrom: all.qaFrom,
      }
    },

    /** Saves every measure's threshold (already checked), auditing each one that changed; all or nothing. */
    async saveThresholds(actor: Actor, data: Record<MeasureCode, Threshold>): Promise<Result> {
      const before = new Map((await repo.thresholds()).map(r => [r.measure, r]))
      const at = now().toISOString()
      await db.db.transaction().execute(async trx => {
        for (const [measure, t] of Object.entries(data)) {
          if (!isMeasureCode(measure)) continue
          const old = before.get(measure)
          if (old && Number(old.green) === t.green && Number(old.amber) === t.amber && old.direction === t.direction)
            continue
          await repo.saveThreshold(trx, measure, { ...t, updated_at: at, updated_by: actor.username ?? 'unknown' })
          await deps.audit.record(trx, actor, {
            action: 'update',
            entity: 'national_threshold',
            entityId: measure,
            establishmentId: null,
            changes: {
              green: { from: old ? Number(old.green) : null, to: t.green },
              amber: { from: old ? Number(old.amber) : null, to: t.amber },
              direction: { from: old?.direction ?? null, to: t.direction },
            },
          })
        }
      })
      return ok()
    },
  }
  return api
}

export type NationalService = ReturnType<typeof nationalService>
