/**
 * Red, amber, green: a measure's status from thresholds the national team sets and reads back in words (never a
 * hidden formula). Higher is better: green at `green` or more, amber at `amber` or more, red below. Lower is better:
 * green at `green` or less, amber at `amber` or less, red above. A measure without a value (no one to count, too few
 * reviews) has no status: "Not enough data".
 */

export type Direction = 'higher' | 'lower'

export interface Threshold {
  green: number
  amber: number
  direction: Direction
}

export type Rag = 'green' | 'amber' | 'red' | 'none'

export const RAG_WORDS: Record<Rag, string> = {
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  none: 'Not enough data',
}

/** The status of a value under a threshold; null (or not a number): 'none'. */
export function ragOf(value: number | null | undefined, t: Threshold): Rag {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'none'
  if (t.direction === 'higher') return value >= t.green ? 'green' : value >= t.amber ? 'amber' : 'red'
  return value <= t.green ? 'green' : value <= t.amber ? 'amber' : 'red'
}

/** A threshold's number as people read it: at most 2 decimals, with its unit ('%' or none). */
export function formatThreshold(value: number, unit: '%' | ''): string {
  const n = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100)
  return `${n}${unit}`
}

/** The rule in words: "Green at 85% or more, amber at 70% or more, red below". */
export function ruleInWords(t: Threshold, unit: '%' | ''): string {
  const g = formatThreshold(t.green, unit)
  const a = formatThreshold(t.amber, unit)
  return t.direction === 'higher'
    ? `Green at ${g} or more, amber at ${a} or more, red below`
    : `Green at ${g} or less, amber at ${a} or less, red above`
}

/**
 * What is wrong with a threshold, every problem at once, by field ('green', 'amber'): each number within the
 * measure's range, and amber on the red side of green (at or below it when higher is better, at or above when lower).
 */
export function thresholdProblems(
  t: Threshold,
  range: { min: number; max: number },
  unit: '%' | '',
): Partial<Record<'green' | 'amber', string>> {
  const problems: Partial<Record<'green' | 'amber', string>> = {}
  const inRange = (v: number) => Number.isFinite(v) && v >= range.min && v <= range.max
  const between = `between ${formatThreshold(range.min, unit)} and ${formatThreshold(range.max, unit)}`
  if (!inRange(t.green)) problems.green = `Green must be ${between}`
  if (!inRange(t.amber)) problems.amber = `Amber must be ${between}`
  if (!problems.green && !problems.amber) {
    if (t.direction === 'higher' && t.amber > t.green)
      problems.amber = 'Amber must be at or below green when higher is better'
    if (t.direction === 'lower' && t.amber < t.green)
      problems.amber = 'Amber must be at or above green when lower is better'
  }
  return problems
}
