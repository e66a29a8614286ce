/**
 * Key Work delivery statistics: the Ministry of Justice's key worker statistics definitions, so figures compare.
 *
 * - A prisoner is in custody on day d when reception_date ≤ d and (status is 'in', or release_date > d). We keep
 *   no movement history, so this is an approximation: a released or transferred prisoner without a release date
 *   counts on no day, and complexity of need is the current one.
 * - Eligible: in custody and not high complexity of need. For an officer: also on the officer's caseload that day.
 * - Projected sessions = eligible prisoners (average over the days of the period) × days ÷ (frequency in weeks × 7),
 *   summed per establishment (each has its own frequency); compliance = delivered ÷ projected × 100.
 * - A session counts when submitted (drafts and deleted entries never do), on its session date. For an officer:
 *   sessions with prisoners on their caseload that day; their others are cover, counted apart (coverDelivered).
 * - Days are Europe/London days: a timestamp (an allocation, a referral, a goal) counts on its London date.
 * - Seen in the last 7 / 28 days: eligible on the period's last day, with a delivered session at their
 *   establishment in the 7 / 28 days up to and including it.
 * - Days between sessions: for each delivered session, the days since the same prisoner's previous delivered
 *   session at the same establishment (by date, then entry order). A delivered session with no previous one is
 *   the prisoner's first: it gives the days from reception to first session.
 * - Held in private = private ÷ delivered sessions whose privacy was answered; with an interpreter = used ÷ delivered
 *   sessions where one was needed and whether one was used was answered. An unanswered question (null: an imported
 *   past session, an entry recorded before the form asked) is left out, never counted as a no.
 *
 * Everything here is pure. `recount` is the reference: a straightforward day-by-day count over plain records that
 * the tests compare the fast paths (events, pre-aggregates, SQL) with.
 */
import type { MojPeriod } from './moj'
import { addDays, daysBetween, londonDate } from './dates'
import { mojAverage, mojProjected } from './moj'
import { NOT_DELIVERED_REASONS, type NotDeliveredReason } from './sessions'

export interface Period {
  /** first day, 'YYYY-MM-DD', included */
  from: string
  /** last day, included */
  to: string
}

export const REASONS = Object.keys(NOT_DELIVERED_REASONS) as NotDeliveredReason[]

export function periodDays(p: Period): number {
  return daysBetween(p.from, p.to) + 1
}

/** The period of the same length that ends the day before this one starts. */
export function previousPeriod(p: Period): Period {
  const n = periodDays(p)
  return { from: addDays(p.from, -n), to: addDays(p.from, -1) }
}

export function daysOf(p: Period): string[] {
  const out: string[] = []
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push(d)
  return out
}

export const PRESETS = {
  '4w': 'Last 4 weeks',
  quarter: 'Last quarter',
  '12m': 'Last 12 months',
  custom: 'Custom dates',
} as const
export type Preset = keyof typeof PRESETS

/** 4 weeks and 12 months end today; the last quarter is the last complete calendar quarter. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, today: string): Period {
  if (preset === '4w') return { from: addDays(today, -27), to: today }
  if (preset === '12m') return { from: addDays(today, -364), to: today }
  const y = Number(today.slice(0, 4))
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) // 0..3, the current quarter
  const startMonth = q === 0 ? 10 : q * 3 - 2
  const year = q === 0 ? y - 1 : y
  const from = `${year}-${String(startMonth).padStart(2, '0')}-01`
  const nextStart = q === 0 ? `${y}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`
  return { from, to: addDays(nextStart, -1) }
}

// ---------------------------------------------------------------------------------------------------------------
// Custody and caseload intervals

/** The day a prisoner left custody (not in custody from that day), null while in; see the module comment. */
export function leftCustody(p: { status: string; releaseDate: string | null; receptionDate: string }): string | null {
  if (p.status === 'in') return null
  return p.releaseDate ?? p.receptionDate
}

export function inCustody(
  p: { status: string; releaseDate: string | null; receptionDate: string },
  day: string,
): boolean {
  const left = leftCustody(p)
  return p.receptionDate <= day && (left === null || day < left)
}

/** A half-open interval of days [start, end): end null means still open. Weight: e.g. 1 / (frequency × 7). */
export interface Interval {
  start: string
  end: string | null
  weight?: number
}

/**
 * Per day of the period, the (weighted) number of intervals covering it, from start and end events, so a database
 * can hand over counts grouped by start and end day instead of every record. Events before the period may be
 * given as they are or clamped to its first day; the result is the same.
 */
export function countsFromEvents(
  period: Period,
  starts: readonly { day: string; n: number }[],
  ends: readonly { day: string; n: number }[],
): number[] {
  const delta = new Map<string, number>()
  let before = 0
  for (const s of starts) {
    if (s.day <= period.from) before += s.n
    else delta.set(s.day, (delta.get(s.day) ?? 0) + s.n)
  }
  for (const e of ends) {
    if (e.day <= period.from) before -= e.n
    else delta.set(e.day, (delta.get(e.day) ?? 0) - e.n)
  }
  const out: number[] = []
  let running = before
  for (const d of daysOf(period)) {
    if (d !== period.from) running += delta.get(d) ?? 0
    out.push(running)
  }
  return out
}

/** The same, from the intervals themselves (empty intervals, end ≤ start, count nowhere). */
export function intervalCounts(period: Period, intervals: readonly Interval[]): number[] {
  const starts: { day: string; n: number }[] = []
  const ends: { day: string; n: number }[] = []
  for (const i of intervals) {
    if (i.start > period.to) continue
    if (i.end !== null && (i.end <= i.start || i.end <= period.from)) continue
    const w = i.weight ?? 1
    starts.push({ day: i.start, n: w })
    if (i.end !== null && i.end <= period.to) ends.push({ day: i.end, n: w })
  }
  return countsFromEvents(period, starts, ends)
}

/** Intersection of two half-open intervals; null when empty. */
export function intersect(a: Interval, b: Interval): Interval | null {
  const start = a.start > b.start ? a.start : b.start
  const end = a.end === null ? b.end : b.end === null ? a.end : a.end < b.end ? a.end : b.end
  if (end !== null && end <= start) return null
  return { start, end, weight: (a.weight ?? 1) * (b.weight ?? 1) }
}

/** An officer's allocation of one prisoner, as London days: on the caseload from start until the day before end. */
export interface CaseloadSpell {
  prisonerId: number
  start: string
  end: string | null
}

/** Whether the prisoner was on the officer's caseload on the day (any of the officer's spells with him covers it). */
export function onCaseload(spells: readonly CaseloadSpell[], prisonerId: number, day: string): boolean {
  return spells.some(s => s.prisonerId === prisonerId && s.start <= day && (s.end === null || day < s.end))
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions of a day

export interface SessionFact {
  id: number
  prisonerId: number
  date: string
  outcome: string | null
  reason: string | null
  private: number | null
  interpreterNeeded: number | null
  interpreterUsed: number | null
  /** the pre-check's mean estimate kept at the submit (null: none could be given, or an entry from before it) */
  precheckScore: number | null
  receptionDate: string
  /** the date of the same prisoner's previous delivered session at the establishment, null for the first */
  prevDate: string | null
}

export interface DayAggregate {
  delivered: number
  notDelivered: number
  reasons: Record<NotDeliveredReason, number>
  privateDelivered: number
  /** delivered sessions whose privacy was answered (the denominator of privatePercent) */
  privateAnswered: number
  interpreterNeeded: number
  interpreterUsed: number
  /** delivered sessions where an interpreter was needed and whether one was used was answered */
  interpreterAnswered: number
  gapCount: number
  gapDays: number
  firstCount: number
  firstDays: number
  /** submitted sessions with a pre-check score (delivered or not) */
  precheckN: number
  /** the sum of their scores in 1/PRECHECK_SCALE units (precheckUnits), whole so that sums are exact */
  precheckSum: number
  /** days between sessions → number of sessions */
  gaps: Map<number, number>
}

/** pre-check scores are added up in ten-thousandths: whole numbers, so a day's sum is the same in any order */
export const PRECHECK_SCALE = 10_000

/** A pre-check score in 1/PRECHECK_SCALE units (a mean of a few whole estimates is never halfway between two). */
export function precheckUnits(score: number): number {
  return Math.round(score * PRECHECK_SCALE)
}

const zeroReasons = () => Object.fromEntries(REASONS.map(r => [r, 0])) as Record<NotDeliveredReason, number>

export function emptyDay(): DayAggregate {
  return {
    delivered: 0,
    notDelivered: 0,
    reasons: zeroReasons(),
    privateDelivered: 0,
    privateAnswered: 0,
    interpreterNeeded: 0,
    interpreterUsed: 0,
    interpreterAnswered: 0,
    gapCount: 0,
    gapDays: 0,
    firstCount: 0,
    firstDays: 0,
    precheckN: 0,
    precheckSum: 0,
    gaps: new Map(),
  }
}

export function reasonOf(code: string | null): NotDeliveredReason {
  return code !== null && Object.hasOwn(NOT_DELIVERED_REASONS, code) ? (code as NotDeliveredReason) : 'other'
}

/** Adds one submitted session to a day's aggregate (in place). */
export function addSession(a: DayAggregate, s: SessionFact): DayAggregate {
  if (s.precheckScore !== null) {
    a.precheckN++
    a.precheckSum += precheckUnits(s.precheckScore)
  }
  if (s.outcome === 'delivered') {
    a.delivered++
    // an unanswered question (null) is left out of its percentage, not taken as a no
    if (s.private !== null) {
      a.privateAnswered++
      if (s.private === 1) a.privateDelivered++
    }
    if (s.interpreterNeeded === 1) {
      a.interpreterNeeded++
      if (s.interpreterUsed !== null) {
        a.interpreterAnswered++
        if (s.interpreterUsed === 1) a.interpreterUsed++
      }
    }
    if (s.prevDate === null) {
      a.firstCount++
      a.firstDays += daysBetween(s.receptionDate, s.date)
    } else {
      const gap = daysBetween(s.prevDate, s.date)
      a.gapCount++
      a.gapDays += gap
      a.gaps.set(gap, (a.gaps.get(gap) ?? 0) + 1)
    }
  } else {
    a.notDelivered++
    a.reasons[reasonOf(s.reason)]++
  }
  return a
}

export function aggregateByDay(facts: readonly SessionFact[]): Map<string, DayAggregate> {
  const out = new Map<string, DayAggregate>()
  for (const f of facts) {
    let a = out.get(f.date)
    if (!a) out.set(f.date, (a = emptyDay()))
    addSession(a, f)
  }
  return out
}

/**
 * Sets prevDate on an establishment's submitted sessions (given all of them): the previous delivered session of the
 * same prisoner by (date, id). Returns new objects in the same order.
 */
export function withPreviousDates<T extends Omit<SessionFact, 'prevDate'>>(
  sessions: readonly T[],
): (T & SessionFact)[] {
  const order = sessions.map((s, i) => i)
  order.sort((a, b) => {
    const x = sessions[a]!
    const y = sessions[b]!
    return x.prisonerId - y.prisonerId || (x.date < y.date ? -1 : x.date > y.date ? 1 : x.id - y.id)
  })
  const out = new Array<T & SessionFact>(sessions.length)
  let prisoner = -1
  let last: string | null = null
  for (const i of order) {
    const s = sessions[i]!
    if (s.prisonerId !== prisoner) {
      prisoner = s.prisonerId
      last = null
    }
    out[i] = { ...s, prevDate: last }
    if (s.outcome === 'delivered') last = s.date
  }
  return out
}

/**
 * One prisoner's contribution to an establishment's days from a date on: the facts of their submitted sessions at
 * the establishment dated on or after it (any order), and the date of their last delivered session there before it
 * (null: none). Sessions before the date are left out: nothing after them changes what they count.
 */
export function prisonerDays(
  facts: readonly Omit<SessionFact, 'prevDate'>[],
  prevBefore: string | null,
): Map<string, DayAggregate> {
  const sorted = [...facts].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.id - y.id))
  const out = new Map<string, DayAggregate>()
  let last = prevBefore
  for (const s of sorted) {
    let a = out.get(s.date)
    if (!a) out.set(s.date, (a = emptyDay()))
    addSession(a, { ...s, prevDate: last })
    if (s.outcome === 'delivered') last = s.date
  }
  return out
}

const DAY_COUNTS = [
  'delivered',
  'notDelivered',
  'privateDelivered',
  'privateAnswered',
  'interpreterNeeded',
  'interpreterUsed',
  'interpreterAnswered',
  'gapCount',
  'gapDays',
  'firstCount',
  'firstDays',
  'precheckN',
  'precheckSum',
] as const

/**
 * What changed, day by day, from one set of day aggregates to another (after − before; counts may be negative).
 * Days with no change are left out, and so are gaps whose count did not change.
 */
export function dayChanges(
  before: ReadonlyMap<string, DayAggregate>,
  after: ReadonlyMap<string, DayAggregate>,
): Map<string, DayAggregate> {
  const out = new Map<string, DayAggregate>()
  const none = emptyDay()
  for (const day of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(day) ?? none
    const a = after.get(day) ?? none
    const d = emptyDay()
    let changed = false
    for (const k of DAY_COUNTS) changed = (d[k] = a[k] - b[k]) !== 0 || changed
    for (const r of REASONS) changed = (d.reasons[r] = a.reasons[r] - b.reasons[r]) !== 0 || changed
    for (const gap of new Set([...a.gaps.keys(), ...b.gaps.keys()])) {
      const n = (a.gaps.get(gap) ?? 0) - (b.gaps.get(gap) ?? 0)
      if (n !== 0) {
        d.gaps.set(gap, n)
        changed = true
      }
    }
    if (changed) out.set(day, d)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Totals (additive over days and establishments) and the figures derived from them

export interface Totals extends DayAggregate {
  /** Σ over days of eligible prisoners */
  eligibleDays: number
  /** Σ over days of eligible prisoners ÷ (frequency × 7) */
  projected: number
  /** the Ministry of Justice's projected sessions, summed over establishments (src/domain/moj.ts mojProjected) */
  projectedWhole: number
  /** the Ministry of Justice's eligible prisoners: each establishment's average per day truncated, summed */
  eligibleWhole: number
  /** a Key Worker's delivered sessions with prisoners not on their caseload that day (cover), not in delivered */
  coverDelivered: number
  /** of that cover, sessions with prisoners allocated to the Key Worker at some time in the period (theirs count) */
  coverOfCaseload: number
  eligibleAtEnd: number
  allocatedAtEnd: number
  seen7: number
  seen28: number
  allocationCount: number
  allocationDays: number
  referralsMade: number
  referralsAcknowledged: number
  referralsCompleted: number
  goalsSet: number
  goalsAchieved: number
}

export function emptyTotals(): Totals {
  return {
    ...emptyDay(),
    eligibleDays: 0,
    projected: 0,
    projectedWhole: 0,
    eligibleWhole: 0,
    coverDelivered: 0,
    coverOfCaseload: 0,
    eligibleAtEnd: 0,
    allocatedAtEnd: 0,
    seen7: 0,
    seen28: 0,
    allocationCount: 0,
    allocationDays: 0,
    referralsMade: 0,
    referralsAcknowledged: 0,
    referralsCompleted: 0,
    goalsSet: 0,
    goalsAchieved: 0,
  }
}

/** Adds b into a (in place): every count, the reasons and the gap histogram. */
export function addInto<T extends DayAggregate>(a: T, b: Partial<Totals> & DayAggregate): T {
  const target = a as unknown as Record<string, unknown>
  for (const [k, v] of Object.entries(b)) if (typeof v === 'number') target[k] = ((target[k] as number) ?? 0) + v
  for (const r of REASONS) a.reasons[r] += b.reasons[r]
  for (const [g, n] of b.gaps) a.gaps.set(g, (a.gaps.get(g) ?? 0) + n)
  return a
}

export function percent(n: number, of: number): number | null {
  return of > 0 ? (n / of) * 100 : null
}

export function mean(sum: number, n: number): number | null {
  return n > 0 ? sum / n : null
}

/** The median of a histogram (value → count): the middle value, or the mean of the two middle ones. */
export function medianOf(histogram: ReadonlyMap<number, number>): number | null {
  const values = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0])
  const total = values.reduce((s, [, n]) => s + n, 0)
  if (total === 0) return null
  const at = (k: number) => {
    let seen = 0
    for (const [v, n] of values) {
      seen += n
      if (k < seen) return v
    }
    return values[values.length - 1]![0]
  }
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2
}

/** projected sessions = eligible (average over the days) × days ÷ (frequency in weeks × 7) */
export function projectedSessions(eligibleAverage: number, days: number, frequencyWeeks: number): number {
  return (eligibleAverage * days) / (frequencyWeeks * 7)
}

/** compliance = delivered ÷ projected × 100 */
export function compliance(delivered: number, projected: number): number | null {
  return percent(delivered, projected)
}

export interface Figures {
  days: number
  eligible: number
  eligibleAtEnd: number
  allocated: number
  allocatedPercent: number | null
  projected: number
  projectedWhole: number
  eligibleWhole: number
  delivered: number
  coverDelivered: number
  coverOfCaseload: number
  compliance: number | null
  notDelivered: number
  reasons: Record<NotDeliveredReason, number>
  privatePercent: number | null
  /** delivered sessions whose privacy was answered */
  privateAnswered: number
  interpreterNeeded: number
  interpreterUsed: number
  /** of those needing an interpreter, the sessions where whether one was used was answered */
  interpreterAnswered: number
  interpreterPercent: number | null
  seen7Percent: number | null
  seen28Percent: number | null
  averageDaysBetween: number | null
  medianDaysBetween: number | null
  averageDaysToAllocation: number | null
  averageDaysToFirstSession: number | null
  referralsMade: number
  referralsAcknowledged: number
  referralsCompleted: number
  goalsSet: number
  goalsAchieved: number
  /**
   * the Ministry of Justice's figures that rest on their nightly snapshots (domain/moj.ts mojDaily), worked out from
   * the dated history when asked for (the CSV); null otherwise, and for one Key Worker (they have none)
   */
  moj: MojPeriod | null
}

export function figuresOf(t: Totals, days: number): Figures {
  return {
    days,
    eligible: t.eligibleDays / days,
    eligibleAtEnd: t.eligibleAtEnd,
    allocated: t.allocatedAtEnd,
    allocatedPercent: percent(t.allocatedAtEnd, t.eligibleAtEnd),
    projected: t.projected,
    projectedWhole: t.projectedWhole,
    eligibleWhole: t.eligibleWhole,
    delivered: t.delivered,
    coverDelivered: t.coverDelivered,
    coverOfCaseload: t.coverOfCaseload,
    compliance: compliance(t.delivered, t.projected),
    notDelivered: t.notDelivered,
    reasons: { ...t.reasons },
    privatePercent: percent(t.privateDelivered, t.privateAnswered),
    privateAnswered: t.privateAnswered,
    interpreterNeeded: t.interpreterNeeded,
    interpreterUsed: t.interpreterUsed,
    interpreterAnswered: t.interpreterAnswered,
    interpreterPercent: percent(t.interpreterUsed, t.interpreterAnswered),
    seen7Percent: percent(t.seen7, t.eligibleAtEnd),
    seen28Percent: percent(t.seen28, t.eligibleAtEnd),
    averageDaysBetween: mean(t.gapDays, t.gapCount),
    medianDaysBetween: medianOf(t.gaps),
    averageDaysToAllocation: mean(t.allocationDays, t.allocationCount),
    averageDaysToFirstSession: mean(t.firstDays, t.firstCount),
    referralsMade: t.referralsMade,
    referralsAcknowledged: t.referralsAcknowledged,
    referralsCompleted: t.referralsCompleted,
    goalsSet: t.goalsSet,
    goalsAchieved: t.goalsAchieved,
    moj: null,
  }
}

/** Weekly delivered and projected sessions for the chart: weeks of 7 days from the period's first day. */
export interface WeekPoint {
  from: string
  to: string
  delivered: number
  projected: number
}

export function weeklySeries(period: Period, deliveredByDay: ReadonlyMap<string, number>, projectedByDay: number[]) {
  const days = daysOf(period)
  const out: WeekPoint[] = []
  for (let i = 0; i < days.length; i += 7) {
    const week = days.slice(i, i + 7)
    out.push({
      from: week[0]!,
      to: week[week.length - 1]!,
      delivered: week.reduce((s, d) => s + (deliveredByDay.get(d) ?? 0), 0),
      projected: projectedByDay.slice(i, i + 7).reduce((s, x) => s + x, 0),
    })
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// The reference recount

export type Scope =
  | { kind: 'national' }
  | { kind: 'establishment'; establishmentId: number }
  | { kind: 'houseblock'; establishmentId: number; unitIds: number[] }
  | { kind: 'officer'; establishmentId: number; staffId: number }

export interface World {
  establishments: { id: number; frequencyWeeks: number }[]
  prisoners: {
    id: number
    establishmentId: number
    unitId: number | null
    receptionDate: string
    releaseDate: string | null
    status: string
    complexity: string
  }[]
  allocations: {
    id: number
    prisonerId: number
    staffId: number
    allocatedAt: string
    deallocatedAt: string | null
  }[]
  sessions: {
    id: number
    establishmentId: number
    prisonerId: number
    staffId: number | null
    status: string
    outcome: string | null
    reason: string | null
    date: string | null
    private: number | null
    interpreterNeeded: number | null
    interpreterUsed: number | null
    /** the pre-check score kept at the submit (left out: none) */
    precheckScore?: number | null
  }[]
  referrals: { establishmentId: number; prisonerId: number; sessionId: number; createdAt: string; status: string }[]
  goals: { establishmentId: number; prisonerId: number; sessionId: number; createdAt: string; status: string }[]
}

/** Totals for a scope and period, counted the slow and obvious way: day by day, record by record. */
export function recount(world: World, scope: Scope, period: Period): Totals {
  const t = emptyTotals()
  const freq = new Map(world.establishments.map(e => [e.id, e.frequencyWeeks]))
  const prisoners = new Map(world.prisoners.map(p => [p.id, p]))
  const est = scope.kind === 'national' ? null : scope.establishmentId
  const prisonerIn = (p: World['prisoners'][number]) =>
    (est === null || p.establishmentId === est) &&
    (scope.kind !== 'houseblock' || (p.unitId !== null && scope.unitIds.includes(p.unitId)))
  const allocatedOn = (prisonerId: number, day: string, staffId?: number) =>
    world.allocations.some(
      a =>
        a.prisonerId === prisonerId &&
        (staffId === undefined || a.staffId === staffId) &&
        londonDate(a.allocatedAt) <= day &&
        (a.deallocatedAt === null || day < londonDate(a.deallocatedAt)),
    )
  const eligibleOn = (p: World['prisoners'][number], day: string) =>
    prisonerIn(p) &&
    p.complexity !== 'high' &&
    inCustody(p, day) &&
    (scope.kind !== 'officer' || allocatedOn(p.id, day, scope.staffId))

  const eligibleDaysOf = new Map<number, number>()
  for (const day of daysOf(period))
    for (const p of world.prisoners)
      if (eligibleOn(p, day)) {
        t.eligibleDays++
        t.projected += 1 / (freq.get(p.establishmentId)! * 7)
        eligibleDaysOf.set(p.establishmentId, (eligibleDaysOf.get(p.establishmentId) ?? 0) + 1)
      }
  const periodLength = daysOf(period).length
  for (const [id, n] of eligibleDaysOf) {
    const eligible = mojAverage(n, periodLength)
    t.eligibleWhole += eligible
    t.projectedWhole += mojProjected(eligible, periodLength, freq.get(id)!)
  }
  const seenFrom = (days: number) => addDays(period.to, -(days - 1))
  for (const p of world.prisoners) {
    if (!eligibleOn(p, period.to)) continue
    t.eligibleAtEnd++
    if (allocatedOn(p.id, period.to, scope.kind === 'officer' ? scope.staffId : undefined)) t.allocatedAtEnd++
    const seen = (from: string) =>
      world.sessions.some(
        s =>
          s.prisonerId === p.id &&
          s.establishmentId === p.establishmentId &&
          s.status === 'submitted' &&
          s.outcome === 'delivered' &&
          s.date !== null &&
          s.date >= from &&
          s.date <= period.to,
      )
    if (seen(seenFrom(7))) t.seen7++
    if (seen(seenFrom(28))) t.seen28++
  }

  const inPeriod = (d: string | null) => d !== null && d >= period.from && d <= period.to
  const sessionById = new Map(world.sessions.map(s => [s.id, s]))
  const sessionInScope = (s: World['sessions'][number]) => {
    const p = prisoners.get(s.prisonerId)!
    if (est !== null && s.establishmentId !== est) return false
    if (scope.kind === 'houseblock') return prisonerIn(p)
    if (scope.kind === 'officer') return s.staffId === scope.staffId
    return true
  }
  for (const s of world.sessions) {
    if (s.status !== 'submitted' || !inPeriod(s.date) || !sessionInScope(s)) continue
    // a Key Worker's session with a prisoner not on their caseload that day is cover, counted on its own
    if (scope.kind === 'officer' && !allocatedOn(s.prisonerId, s.date!, scope.staffId)) {
      if (s.outcome === 'delivered') {
        t.coverDelivered++
        const staffId = scope.staffId
        const sometime = world.allocations.some(
          a =>
            a.prisonerId === s.prisonerId &&
            a.staffId === staffId &&
            londonDate(a.allocatedAt) <= period.to &&
            (a.deallocatedAt === null || londonDate(a.deallocatedAt) >= period.from),
        )
        if (sometime) t.coverOfCaseload++
      }
      continue
    }
    const earlier = world.sessions.filter(
      o =>
        o.prisonerId === s.prisonerId &&
        o.establishmentId === s.establishmentId &&
        o.status === 'submitted' &&
        o.outcome === 'delivered' &&
        o.date !== null &&
        (o.date < s.date! || (o.date === s.date && o.id < s.id)),
    )
    const prevDate = earlier.length ? earlier.map(o => o.date!).sort()[earlier.length - 1]! : null
    addSession(t, {
      id: s.id,
      prisonerId: s.prisonerId,
      date: s.date!,
      outcome: s.outcome,
      reason: s.reason,
      private: s.private,
      interpreterNeeded: s.interpreterNeeded,
      interpreterUsed: s.interpreterUsed,
      precheckScore: s.precheckScore ?? null,
      receptionDate: prisoners.get(s.prisonerId)!.receptionDate,
      prevDate,
    })
  }

  for (const a of world.allocations) {
    const p = prisoners.get(a.prisonerId)!
    const day = londonDate(a.allocatedAt)
    if (!inPeriod(day) || !prisonerIn(p)) continue
    if (scope.kind === 'officer' && a.staffId !== scope.staffId) continue
    const first = !world.allocations.some(
      o =>
        o.prisonerId === a.prisonerId &&
        (o.allocatedAt < a.allocatedAt || (o.allocatedAt === a.allocatedAt && o.id < a.id)),
    )
    if (!first) continue
    t.allocationCount++
    t.allocationDays += daysBetween(p.receptionDate, day)
  }

  const followUpInScope = (r: { establishmentId: number; prisonerId: number; sessionId: number }) => {
    if (est !== null && r.establishmentId !== est) return false
    if (scope.kind === 'houseblock') return prisonerIn(prisoners.get(r.prisonerId)!)
    if (scope.kind === 'officer') return sessionById.get(r.sessionId)?.staffId === scope.staffId
    return true
  }
  for (const r of world.referrals) {
    if (!inPeriod(londonDate(r.createdAt)) || !followUpInScope(r)) continue
    t.referralsMade++
    if (r.status === 'acknowledged' || r.status === 'done') t.referralsAcknowledged++
    if (r.status === 'done') t.referralsCompleted++
  }
  for (const g of world.goals) {
    if (!inPeriod(londonDate(g.createdAt)) || !followUpInScope(g)) continue
    t.goalsSet++
    if (g.status === 'achieved') t.goalsAchieved++
  }
  return t
}
