/**
 * The Ministry of Justice's key worker statistics, worked out their way, for the CSV's moj_value columns. Read from
 * ministryofjustice/keyworker-api: services/PrisonStatsService.kt (an establishment's period), services/Statistic.kt
 * (percentages), services/GetKeyworkerDetails.kt (one Key Worker). Their daily figures are whole numbers, averages
 * over a period are truncated to whole numbers, and a percentage is the double n ÷ d × 100 rounded to 2 decimals
 * half-even as Java's `new BigDecimal(double)` does it: on the double's exact binary value. Their nightly figures
 * (statistics/PrisonStatisticCalculator.kt) are worked out here from keywork's dated history instead of stored
 * snapshots: see mojDaily. Pure functions.
 */
import { addDays, addMonths, daysBetween } from './dates'

/** x as mantissa × 2^exponent, exactly (x finite and ≥ 0). */
function binaryParts(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 }
}

/**
 * `new BigDecimal(x).setScale(digits, HALF_EVEN).toDouble()`: the exact value of the double is rounded, so 2.675
 * (stored as 2.67499999…) gives 2.67, and only a true binary tie (15.625) goes to the even neighbour (15.62).
 */
export function bigDecimalHalfEven(x: number, digits = 2): number {
  if (!Number.isFinite(x) || x === 0) return x
  const { mantissa, exponent } = binaryParts(Math.abs(x))
  if (exponent >= 0) return x // a whole number
  const scaled = mantissa * 10n ** BigInt(digits)
  const divisor = 1n << BigInt(-exponent)
  let q = scaled / divisor
  const twice = (scaled % divisor) * 2n
  if (twice > divisor || (twice === divisor && q % 2n === 1n)) q += 1n
  const r = Number(q) / 10 ** digits
  return x < 0 ? -r : r
}

/** Statistic.percentage: null when either side is 0, else numerator ÷ denominator × 100 to 2 decimals half-even. */
export function mojPercentage(numerator: number, denominator: number): number | null {
  if (numerator === 0 || denominator === 0) return null
  return bigDecimalHalfEven((numerator / denominator) * 100, 2)
}

/** The average of whole daily counts over `days` days, truncated to a whole number (Kotlin's average().toInt()). */
export function mojAverage(sumOfDailyCounts: number, days: number): number {
  return days > 0 ? Math.trunc(sumOfDailyCounts / days) : 0
}

/**
 * Projected sessions: the (already truncated) average eligible prisoners × (days ÷ (frequency in weeks × 7)), in
 * that order of operations, truncated; 0 when nobody is eligible.
 */
export function mojProjected(eligible: number, days: number, frequencyWeeks: number): number {
  if (eligible === 0) return 0
  return Math.trunc(eligible * (days / (frequencyWeeks * 7)))
}

/** Compliance: sessions ÷ projected as a percentage, 0 (not null) when there is nothing to divide or nothing held. */
export function mojCompliance(sessions: number, projected: number): number {
  return mojPercentage(sessions, projected) ?? 0
}

/** Days from `from` (included) to `to` (excluded; null: still open). */
export interface DayRange {
  prisonerId: number
  from: string
  to: string | null
}

/** What the nightly figures of one establishment (or one houseblock) over a period are made of. */
export interface MojDailyInput {
  period: { from: string; to: string }
  /** the spells of eligibility in scope (in custody there, complexity of need not high; in the houseblock) */
  spells: readonly DayRange[]
  /**
   * allocations as London days: made on `from`, and ended on `to` (a Key Worker at the end of each day from `from`
   * up to the day before `to`)
   */
  allocations: readonly DayRange[]
  /** the days a prisoner's eligibility (re)started: arrivals and changes of complexity of need, up to the period's end */
  eligibilityStarts: readonly { prisonerId: number; date: string }[]
  /** the days of delivered sessions in the period */
  sessions: readonly { prisonerId: number; date: string }[]
  /** each prisoner's last day with a delivered session before the period */
  lastBefore: ReadonlyMap<number, string>
}

/** The nightly figures, added up over the period: what mojPeriod averages. */
export interface MojDaily {
  /** Σ over days of eligible prisoners with a Key Worker at the end of the day */
  assignedDays: number
  /** each day's average days from eligibility to a new allocation that day, truncated (days with none left out) */
  toAllocation: number[]
  /** each day's average days from eligibility to a first session since it, truncated (days with none left out) */
  toSession: number[]
}

const minDay = (a: string, b: string | null) => (b === null || a < b ? a : b)
const maxDay = (a: string, b: string) => (a > b ? a : b)

function groupBy<T extends { prisonerId: number }>(xs: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>()
  for (const x of xs) {
    const list = m.get(x.prisonerId)
    if (list) list.push(x)
    else m.set(x.prisonerId, [x])
  }
  return m
}

/**
 * The Ministry of Justice's nightly figures for each day of the period, as their PrisonStatisticCalculator works
 * them out for a day D:
 * - prisoners assigned: eligible prisoners on D with an active allocation;
 * - reception to allocation: over eligible prisoners allocated on D, the days from their eligibility date (the later
 *   of their last admission and their last change of complexity of need) to D, when that date is within the 6
 *   months before the run (D + 1) and not after D; the average truncated, no figure for D when nobody counts;
 * - reception to session: the same over eligible prisoners with a session on D that is their first since the
 *   eligibility date (no session before D, or the eligibility date after the last one).
 */
export function mojDaily(input: MojDailyInput): MojDaily {
  const { period } = input
  const end = addDays(period.to, 1)
  const spells = groupBy(input.spells)
  const starts = groupBy(input.eligibilityStarts)
  const eligibleOn = (p: number, day: string) =>
    (spells.get(p) ?? []).some(s => s.from <= day && (s.to === null || s.to > day))
  const eligibilityDate = (p: number, day: string) => {
    let best: string | null = null
    for (const s of starts.get(p) ?? []) if (s.date <= day && (best === null || s.date > best)) best = s.date
    return best
  }
  /** the days from his eligibility date to `day`, when his eligibility counts then; null when it does not */
  const daysFromEligibility = (p: number, day: string): number | null => {
    if (!eligibleOn(p, day)) return null
    const since = eligibilityDate(p, day)
    if (since === null || since <= addMonths(addDays(day, 1), -6)) return null
    return daysBetween(since, day)
  }

  // assigned: Σ |spell ∩ allocations ∩ period|, his allocations merged first so a day counts him once
  let assignedDays = 0
  for (const [p, list] of groupBy(input.allocations)) {
    const merged: { from: string; to: string | null }[] = []
    for (const a of [...list].sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0))) {
      if (a.to !== null && a.to <= a.from) continue
      const last = merged[merged.length - 1]
      if (last && (last.to === null || last.to >= a.from)) {
        if (last.to !== null && (a.to === null || a.to > last.to)) last.to = a.to
      } else merged.push({ from: a.from, to: a.to })
    }
    for (const s of spells.get(p) ?? [])
      for (const a of merged) {
        const from = maxDay(maxDay(s.from, a.from), period.from)
        const to = minDay(minDay(end, s.to), a.to)
        if (from < to) assignedDays += daysBetween(from, to)
      }
  }

  const daily = (values: Map<string, Map<number, number>>) =>
    [...values.keys()].sort().map(day => {
      const xs = [...values.get(day)!.values()]
      return Math.trunc(xs.reduce((a, b) => a + b, 0) / xs.length)
    })

  const toAllocation = new Map<string, Map<number, number>>()
  for (const a of input.allocations) {
    if (a.from < period.from || a.from > period.to) continue
    const days = daysFromEligibility(a.prisonerId, a.from)
    if (days === null) continue
    const day = toAllocation.get(a.from) ?? new Map<number, number>()
    day.set(a.prisonerId, days)
    toAllocation.set(a.from, day)
  }

  const toSession = new Map<string, Map<number, number>>()
  for (const [p, list] of groupBy(input.sessions)) {
    let previous = input.lastBefore.get(p) ?? null
    for (const day of [...new Set(list.map(s => s.date))].sort()) {
      if (day < period.from || day > period.to) continue
      const days = daysFromEligibility(p, day)
      const since = days === null ? null : addDays(day, -days)
      if (days !== null && since !== null && (previous === null || since > previous)) {
        const m = toSession.get(day) ?? new Map<number, number>()
        m.set(p, days)
        toSession.set(day, m)
      }
      previous = day
    }
  }
  return { assignedDays, toAllocation: daily(toAllocation), toSession: daily(toSession) }
}

/** The Ministry of Justice's period figures from the nightly ones (services/PrisonStatsService.kt). */
export interface MojPeriod {
  /** prisoners with a Key Worker: the average of the nightly counts, truncated */
  assigned: number
  /** of the (truncated) eligible average, 2 decimals half-even; null when either is 0 */
  assignedPercent: number | null
  /** the average of the nightly figures, truncated; null when no day had one */
  toAllocation: number | null
  toSession: number | null
}

/** The average of whole daily figures, truncated (Kotlin's average().toInt()); null for none. */
export function mojMeanOfDays(values: readonly number[]): number | null {
  return values.length ? Math.trunc(values.reduce((a, b) => a + b, 0) / values.length) : null
}

export function mojPeriod(daily: MojDaily, eligibleWhole: number, days: number): MojPeriod {
  const assigned = mojAverage(daily.assignedDays, days)
  return {
    assigned,
    assignedPercent: mojPercentage(assigned, eligibleWhole),
    toAllocation: mojMeanOfDays(daily.toAllocation),
    toSession: mojMeanOfDays(daily.toSession),
  }
}
