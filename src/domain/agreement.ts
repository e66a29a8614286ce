/**
 * Agreement between markers: Krippendorff's alpha (K. Krippendorff, "Computing Krippendorff's Alpha-Reliability",
 * 2011), for several markers scoring the same entries, some entries not scored by every marker. Pure functions.
 *
 * alpha = 1 − D_o / D_e: the disagreement observed within entries over the disagreement expected by chance from how
 * often each score was given at all. 1 is perfect agreement, 0 is chance, below 0 worse than chance. Ordinal (the
 * HMPPS 1–4 scale is ordered but its steps need not be equal), interval and nominal metrics.
 */

export type Metric = 'nominal' | 'ordinal' | 'interval'

/** One entry's scores, one per marker who scored it (null or absent: not scored by that marker). */
export type Unit = readonly (number | null | undefined)[]

export interface Alpha {
  /** null when it cannot be computed: fewer than two pairable scores, or every score the same (no variation) */
  alpha: number | null
  /** pairable scores: those in entries scored by at least two markers */
  pairable: number
  /** entries scored by at least two markers */
  units: number
}

export function krippendorffAlpha(units: readonly Unit[], metric: Metric = 'ordinal'): Alpha {
  // the coincidence matrix: each ordered pair of scores from different markers of one entry adds 1 / (m − 1)
  const coincidence = new Map<number, Map<number, number>>()
  const add = (c: number, k: number, w: number) => {
    let row = coincidence.get(c)
    if (!row) coincidence.set(c, (row = new Map()))
    row.set(k, (row.get(k) ?? 0) + w)
  }
  let used = 0
  for (const unit of units) {
    const values = unit.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    const m = values.length
    if (m < 2) continue
    used++
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) add(values[i]!, values[j]!, 1 / (m - 1))
  }
  const values = [...coincidence.keys()].sort((a, b) => a - b)
  const marginal = new Map(values.map(c => [c, [...coincidence.get(c)!.values()].reduce((a, b) => a + b, 0)]))
  const n = [...marginal.values()].reduce((a, b) => a + b, 0)
  const pairable = Math.round(n)
  if (n < 2 || values.length < 2) return { alpha: null, pairable, units: used }

  const rank = new Map(values.map((v, i) => [v, i]))
  const delta2 = (c: number, k: number): number => {
    if (c === k) return 0
    if (metric === 'nominal') return 1
    if (metric === 'interval') return (c - k) ** 2
    // ordinal: the scores given between c and k (both included), less half of c's and k's own
    const [lo, hi] = rank.get(c)! < rank.get(k)! ? [rank.get(c)!, rank.get(k)!] : [rank.get(k)!, rank.get(c)!]
    let between = 0
    for (let g = lo; g <= hi; g++) between += marginal.get(values[g]!)!
    return (between - (marginal.get(c)! + marginal.get(k)!) / 2) ** 2
  }
  let observed = 0
  let expected = 0
  for (const c of values)
    for (const k of values) {
      const d = delta2(c, k)
      if (d === 0) continue
      observed += (coincidence.get(c)!.get(k) ?? 0) * d
      expected += marginal.get(c)! * marginal.get(k)! * d
    }
  if (expected === 0) return { alpha: null, pairable, units: used }
  return { alpha: 1 - ((n - 1) * observed) / expected, pairable, units: used }
}

/**
 * How far apart two markers' scores are, for a pair of markers each scoring every entry of a list (the pre-check
 * against a Supervising Officer, say): alpha over the entries both scored.
 */
export function pairAlpha(a: readonly (number | null)[], b: readonly (number | null)[], metric: Metric = 'ordinal') {
  return krippendorffAlpha(
    a.map((x, i) => [x, b[i] ?? null]),
    metric,
  )
}
