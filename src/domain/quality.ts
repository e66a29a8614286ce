/**
 * The quality dashboard's rules (issue 15): the months shown, coverage, the share scored good, medians, the monthly
 * overall score with its 95% interval from the sample, supervision coverage and what an agreement figure means in
 * words. Pure: the figures come in as counts and lists from the quality repository.
 */
import { type Interval, distinguishable, meanInterval } from './confidence'
import { MONTHS } from './dates'

/** 'YYYY-MM' of a date (YYYY-MM-DD) */
export const monthOf = (iso: string) => iso.slice(0, 7)

/** The `count` months ending with today's, oldest first ('YYYY-MM'). */
export function lastMonths(today: string, count: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const out: string[] = []
  for (let i = count - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i
    const year = Math.floor(index / 12)
    out.push(`${String(year).padStart(4, '0')}-${String(index - year * 12 + 1).padStart(2, '0')}`)
  }
  return out
}

/** The first and last day of a month ('YYYY-MM'). */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}

/** 'March 2026' for '2026-03' */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return `${MONTHS[m - 1]} ${y}`
}

/** reviewed ÷ submitted; null when nothing was submitted (no share to speak of) */
export function coverage(reviewed: number, submitted: number): number | null {
  return submitted > 0 ? reviewed / submitted : null
}

/** The median (the mean of the middle two of an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** How many reviews gave each overall score: index 0 is score 1 … index 3 is score 4. */
export type ScoreCounts = [number, number, number, number]

export const emptyCounts = (): ScoreCounts => [0, 0, 0, 0]

/** The scores a histogram stands for, one value per review. */
export function scoresOf(counts: ScoreCounts): number[] {
  return counts.flatMap((n, i) => new Array<number>(n).fill(i + 1))
}

export const countOf = (counts: ScoreCounts) => counts[0] + counts[1] + counts[2] + counts[3]

/** The share of reviews scored good (3 or 4 overall); null for none. */
export function goodShare(counts: ScoreCounts): number | null {
  const n = countOf(counts)
  return n ? (counts[2] + counts[3]) / n : null
}

/** The mean overall score with its 95% interval (t); null below two reviews. */
export const overallInterval = (counts: ScoreCounts): Interval | null => meanInterval(scoresOf(counts))

/** Whole days (fractional) between two timestamps. */
export const daysBetweenTimes = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000

/**
 * What the sample says about the months' overall scores, in plain words: which consecutive months differ beyond the
 * uncertainty of their samples, or that none can be told apart.
 */
export function monthsComparison(months: { label: string; interval: Interval | null }[]): string {
  const withInterval = months.filter(m => m.interval)
  if (withInterval.length < 2)
    return 'Too few reviews to give an interval for two months or more: the sample cannot show whether quality changed.'
  const changes: string[] = []
  for (let i = 1; i < withInterval.length; i++) {
    const a = withInterval[i - 1]!
    const b = withInterval[i]!
    if (distinguishable(a.interval, b.interval))
      changes.push(
        `${b.label} scored ${b.interval!.estimate > a.interval!.estimate ? 'higher' : 'lower'} than ${a.label}`,
      )
  }
  const first = withInterval[0]!
  const last = withInterval[withInterval.length - 1]!
  const ends = distinguishable(first.interval, last.interval)
    ? `${last.label} scored ${last.interval!.estimate > first.interval!.estimate ? 'higher' : 'lower'} than ${first.label}, beyond the uncertainty of the samples.`
    : `The sample is too small to tell ${first.label} from ${last.label}: their 95% intervals overlap.`
  // with two months the first and the last are the one pair already described: say it once
  if (withInterval.length === 2 && !changes.length) return ends
  const endsToo = withInterval.length > 2 ? ` ${ends}` : ''
  if (!changes.length)
    return `No month can be told apart from the one before it: the samples are too small for the differences to mean anything.${endsToo}`
  const others =
    changes.length < withInterval.length - 1 ? ' Other months cannot be told apart from the one before.' : ''
  return `${changes.join('; ')}: beyond the uncertainty of the samples.${others}${endsToo}`
}

/**
 * The Key Workers with a supervision recorded within `weeks` weeks up to and including `asOf` (held on a day after
 * asOf − 7·weeks), of those given.
 */
export function supervisionCoverage(
  keyWorkers: readonly number[],
  supervisions: readonly { staffId: number; heldOn: string }[],
  asOf: string,
  weeks: number,
): { covered: number; total: number; share: number | null } {
  const from = new Date(`${asOf}T00:00:00Z`)
  from.setUTCDate(from.getUTCDate() - weeks * 7)
  const after = from.toISOString().slice(0, 10)
  const seen = new Set(supervisions.filter(s => s.heldOn > after && s.heldOn <= asOf).map(s => s.staffId))
  const covered = keyWorkers.filter(k => seen.has(k)).length
  return { covered, total: keyWorkers.length, share: keyWorkers.length ? covered / keyWorkers.length : null }
}

/** Krippendorff's guidance on alpha: ≥ 0.8 reliable, 0.667 to 0.8 tentative, below that not to be relied on. */
export type AlphaBand = 'reliable' | 'tentative' | 'low' | 'unknown'

export function alphaBand(alpha: number | null): AlphaBand {
  if (alpha === null || !Number.isFinite(alpha)) return 'unknown'
  if (alpha >= 0.8) return 'reliable'
  if (alpha >= 0.667) return 'tentative'
  return 'low'
}

export const ALPHA_WORDS: Record<AlphaBand, string> = {
  reliable: 'Reliable: markers agree well enough to rely on these scores (alpha 0.8 or more).',
  tentative: 'Tentative: markers agree enough for tentative conclusions only (alpha 0.667 to 0.8).',
  low:
    'Low: markers do not agree enough to rely on these scores (alpha below 0.667). The rubric or the way it is used ' +
    'needs work: a finding, not a failure.',
  unknown:
    'Not enough scores to measure agreement: it needs entries scored by two markers or more, with some variation.',
}

export const alphaWords = (alpha: number | null) => ALPHA_WORDS[alphaBand(alpha)]

/** When an establishment has not set how often Key Workers are supervised. */
export const DEFAULT_SUPERVISION_WEEKS = 6

/** What the dashboard reads, per month of the entries (scores) or of the event (flags, commendations). */
export interface QualityInputs {
  /** 'YYYY-MM', oldest first */
  months: readonly string[]
  today: string
  submitted: readonly { month: string; entries: number; prechecked: number; precheckSum: number }[]
  /** reviews per month and overall score */
  scores: readonly { month: string; overall: number; reviews: number }[]
  /** distinct entries reviewed per month */
  reviewed: readonly { month: string; reviewed: number }[]
  criteria: readonly { month: string; code: string; title: string; scores: number; total: number }[]
  /** flags by their London days raised and resolved */
  flags: readonly { raisedOn: string; resolvedOn: string | null; raisedAt: string; resolvedAt: string | null }[]
  /** London days of commendations */
  commendations: readonly string[]
  keyWorkers: readonly { id: number; weeks: number | null }[]
  supervisions: readonly { staffId: number; heldOn: string }[]
}

export interface MonthFigures {
  month: string
  label: string
  submitted: number
  reviewed: number
  coverage: number | null
  reviews: number
  counts: ScoreCounts
  good: number | null
  overall: Interval | null
  /** the mean overall score, also for a single review (no interval) */
  meanOverall: number | null
  criteria: Record<string, number | null>
  prechecked: number
  precheckMean: number | null
  flagsRaised: number
  flagsResolved: number
  /** the median days from raised to resolved, of the flags resolved in the month */
  resolveMedianDays: number | null
  commendations: number
  supervision: { covered: number; total: number; share: number | null }
}

/** The figures month by month, and the criteria seen (in order of first appearance, by code). */
export function monthlyFigures(i: QualityInputs): {
  months: MonthFigures[]
  criteria: { code: string; title: string }[]
} {
  const criteria = new Map<string, string>()
  for (const c of i.criteria) if (!criteria.has(c.code)) criteria.set(c.code, c.title)
  const months = i.months.map((month): MonthFigures => {
    const sub = i.submitted.find(s => s.month === month)
    const counts = emptyCounts()
    for (const s of i.scores)
      if (s.month === month && s.overall >= 1 && s.overall <= 4)
        counts[s.overall - 1] = counts[s.overall - 1]! + s.reviews
    const reviews = countOf(counts)
    const reviewed = i.reviewed.find(r => r.month === month)?.reviewed ?? 0
    const submitted = sub?.entries ?? 0
    const criterionMeans: Record<string, number | null> = {}
    for (const code of criteria.keys()) {
      const c = i.criteria.find(x => x.month === month && x.code === code)
      criterionMeans[code] = c && c.scores ? c.total / c.scores : null
    }
    const resolved = i.flags.filter(f => f.resolvedOn !== null && monthOf(f.resolvedOn) === month)
    const days = monthDays(month)
    const asOf = days.to < i.today ? days.to : i.today
    // each Key Worker by their own establishment's interval
    const byWeeks = new Map<number, number[]>()
    for (const k of i.keyWorkers) {
      const w = k.weeks ?? DEFAULT_SUPERVISION_WEEKS
      byWeeks.set(w, [...(byWeeks.get(w) ?? []), k.id])
    }
    let covered = 0
    for (const [weeks, ids] of byWeeks) covered += supervisionCoverage(ids, i.supervisions, asOf, weeks).covered
    const total = i.keyWorkers.length
    return {
      month,
      label: monthLabel(month),
      submitted,
      reviewed,
      coverage: coverage(reviewed, submitted),
      reviews,
      counts,
      good: goodShare(counts),
      overall: overallInterval(counts),
      meanOverall: reviews ? scoresOf(counts).reduce((a, b) => a + b, 0) / reviews : null,
      criteria: criterionMeans,
      prechecked: sub?.prechecked ?? 0,
      precheckMean: sub && sub.prechecked ? sub.precheckSum / sub.prechecked : null,
      flagsRaised: i.flags.filter(f => monthOf(f.raisedOn) === month).length,
      flagsResolved: resolved.length,
      resolveMedianDays: median(resolved.map(f => daysBetweenTimes(f.raisedAt, f.resolvedAt!))),
      commendations: i.commendations.filter(c => monthOf(c) === month).length,
      supervision: { covered, total, share: total ? covered / total : null },
    }
  })
  return { months, criteria: [...criteria].map(([code, title]) => ({ code, title })) }
}
