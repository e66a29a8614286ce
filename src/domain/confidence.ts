/**
 * How sure a monthly quality figure is, from the entries reviewed: a 95% confidence interval for a mean score
 * (Student's t) and for a proportion (Wilson's score interval, sound for small samples and for 0% or 100%), and
 * whether two months can be told apart. Pure functions.
 */

/** Two-sided 95% critical values of Student's t by degrees of freedom (standard tables, 3 decimals). */
const T95: Record<number, number> = {
  1: 12.706,
  2: 4.303,
  3: 3.182,
  4: 2.776,
  5: 2.571,
  6: 2.447,
  7: 2.365,
  8: 2.306,
  9: 2.262,
  10: 2.228,
  11: 2.201,
  12: 2.179,
  13: 2.16,
  14: 2.145,
  15: 2.131,
  16: 2.12,
  17: 2.11,
  18: 2.101,
  19: 2.093,
  20: 2.086,
  21: 2.08,
  22: 2.074,
  23: 2.069,
  24: 2.064,
  25: 2.06,
  26: 2.056,
  27: 2.052,
  28: 2.048,
  29: 2.045,
  30: 2.042,
  40: 2.021,
  60: 2,
  120: 1.98,
}
const Z95 = 1.959964

/** The 95% critical value of t with `df` degrees of freedom (between tabled values: linear in 1/df, as tables advise). */
export function t95(df: number): number {
  if (df < 1) throw new Error('t needs at least one degree of freedom')
  if (T95[df] !== undefined) return T95[df]!
  const known = Object.keys(T95)
    .map(Number)
    .sort((a, b) => a - b)
  const above = known.find(k => k > df)
  if (above === undefined) {
    // beyond 120: between t(120) and z, linear in 1/df
    return Z95 + (T95[120]! - Z95) * (120 / df)
  }
  const below = known.filter(k => k < df).pop()!
  const w = (1 / df - 1 / above) / (1 / below - 1 / above)
  return T95[above]! + w * (T95[below]! - T95[above]!)
}

export interface Interval {
  estimate: number
  low: number
  high: number
  n: number
}

/** The mean with its 95% interval; null for fewer than 2 values (no spread to measure). */
export function meanInterval(values: readonly number[]): Interval | null {
  const n = values.length
  if (n < 2) return null
  const mean = values.reduce((a, b) => a + b, 0) / n
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)
  const half = (t95(n - 1) * Math.sqrt(variance)) / Math.sqrt(n)
  return { estimate: mean, low: mean - half, high: mean + half, n }
}

/** A proportion k of n with Wilson's 95% interval; null when n is 0. */
export function proportionInterval(k: number, n: number): Interval | null {
  if (n <= 0) return null
  const p = k / n
  const z2 = Z95 * Z95
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n)
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n }
}

/**
 * Whether two figures can be told apart: their intervals do not overlap. A conservative test (intervals that overlap
 * a little can still differ), which suits a page that must not claim a change the sample cannot show.
 */
export function distinguishable(a: Interval | null, b: Interval | null): boolean {
  if (!a || !b) return false
  return a.high < b.low || b.high < a.low
}
