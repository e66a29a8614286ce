// Good practice that travels (issue 17): the measures an establishment may quote from keywork's own figures, the
// periods they are taken over (whole months, before and after), and a simple safe word search.

import { MONTHS } from './dates'
import type { Figures } from './statistics'

/** The measures a Supervising Officer may quote, each read from keywork's figures for a period. */
export const MEASURES = [
  {
    code: 'compliance',
    name: 'Compliance',
    description: 'sessions delivered as a percentage of sessions projected',
    unit: '%',
    higherIsBetter: true,
    basis: 'sessions projected',
  },
  {
    code: 'seen28',
    name: 'Seen in 28 days',
    description: 'eligible men at the end of the period seen in the last 28 days',
    unit: '%',
    higherIsBetter: true,
    basis: 'eligible men at the end',
  },
  {
    code: 'interpreter',
    name: 'Interpreter used when needed',
    description: 'sessions with a man who needs an interpreter where one was used',
    unit: '%',
    higherIsBetter: true,
    basis: 'sessions needing an interpreter',
  },
  {
    code: 'qaScore',
    name: 'QA score',
    description: 'mean overall score of the entries reviewed (1 to 4)',
    unit: '',
    higherIsBetter: true,
    basis: 'reviews',
  },
  {
    code: 'daysBetween',
    name: 'Days between sessions',
    description: 'average days between one man’s sessions',
    unit: ' days',
    higherIsBetter: false,
    basis: null,
  },
] as const

export type MeasureCode = (typeof MEASURES)[number]['code']
export const MEASURE_CODES = MEASURES.map(m => m.code) as MeasureCode[]

export const isMeasureCode = (code: string): code is MeasureCode => (MEASURE_CODES as string[]).includes(code)

export const measureOf = (code: string) => MEASURES.find(m => m.code === code)

/** One measure's value in one period, as taken at submission: `n` is its basis (null when it has none). */
export interface MeasureValue {
  value: number | null
  n: number | null
}

/** One measure before and after, as stored with a submission (a snapshot: it never changes afterwards). */
export interface FigureSnapshot {
  measure: MeasureCode
  before: MeasureValue
  after: MeasureValue
}

/**
 * A measure's value for one period from keywork's figures for it: the delivery statistics of the period, and the QA
 * reviews' overall scores counted by score (1 to 4) over the period's months.
 */
export function measureValue(
  code: MeasureCode,
  figures: Pick<
    Figures,
    | 'compliance'
    | 'projected'
    | 'seen28Percent'
    | 'eligibleAtEnd'
    | 'interpreterPercent'
    | 'interpreterAnswered'
    | 'averageDaysBetween'
  >,
  qaCounts: readonly number[],
): MeasureValue {
  switch (code) {
    case 'compliance':
      return { value: figures.compliance, n: Math.round(figures.projected * 10) / 10 }
    case 'seen28':
      return { value: figures.seen28Percent, n: figures.eligibleAtEnd }
    case 'interpreter':
      return { value: figures.interpreterPercent, n: figures.interpreterAnswered }
    case 'qaScore': {
      const n = qaCounts.reduce((a, c) => a + c, 0)
      const total = qaCounts.reduce((a, c, i) => a + c * (i + 1), 0)
      return { value: n > 0 ? total / n : null, n }
    }
    case 'daysBetween':
      return { value: figures.averageDaysBetween, n: null }
  }
}

/** A value for a page: one decimal place with its unit, or 'no figure' when there was nothing to count. */
export function formatMeasure(code: string, value: number | null): string {
  const m = measureOf(code)
  if (value === null || !Number.isFinite(value)) return 'No figure'
  const digits = code === 'qaScore' ? 2 : 1
  return `${value.toFixed(digits)}${m?.unit ?? ''}`
}

/** The change from before to after in the measure's unit (percentage points for percentages), or null. */
export function changeOf(snapshot: FigureSnapshot): number | null {
  const { before, after } = snapshot
  if (before.value === null || after.value === null) return null
  return after.value - before.value
}

/** The change in words: "up 12.5 percentage points", "down 0.40", "no change". */
export function describeChange(snapshot: FigureSnapshot): string {
  const d = changeOf(snapshot)
  if (d === null) return 'Cannot compare'
  const digits = snapshot.measure === 'qaScore' ? 2 : 1
  const size = Math.abs(d).toFixed(digits)
  if (Number(size) === 0) return 'No change'
  const unit =
    measureOf(snapshot.measure)?.unit === '%' ? ' percentage points' : (measureOf(snapshot.measure)?.unit ?? '')
  return `${d > 0 ? 'Up' : 'Down'} ${size}${unit}`
}

// ----- months and periods -----

/** 'YYYY-MM' from '3/2026', '03/2026', '2026-03' or 'March 2026' (or 'Mar 2026'); null when it is none of these. */
export function parseMonth(input: string): string | null {
  const s = input.trim()
  let y: number
  let m: number
  let match: RegExpExecArray | null
  if ((match = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(s))) [m, y] = [Number(match[1]), Number(match[2])]
  else if ((match = /^(\d{4})-(\d{1,2})$/.exec(s))) [y, m] = [Number(match[1]), Number(match[2])]
  else if ((match = /^([A-Za-z]+)\.?\s+(\d{4})$/.exec(s))) {
    const name = match[1]!.toLowerCase()
    const i = name.length >= 3 ? MONTHS.findIndex(x => x.toLowerCase().startsWith(name)) : -1
    if (i < 0) return null
    ;[y, m] = [Number(match[2]), i + 1]
  } else return null
  if (m < 1 || m > 12 || y < 2000 || y > 2099) return null
  return `${y}-${String(m).padStart(2, '0')}`
}

/** 'March 2026' for '2026-03'. */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return `${MONTHS[m - 1]} ${y}`
}

/** Months from one to another, both included (0 when the second is earlier). */
export function monthsBetween(from: string, to: string): number {
  const index = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1
  return Math.max(0, index(to) - index(from) + 1)
}

/** The months from one to another, both included, oldest first. */
export function monthList(from: string, to: string): string[] {
  const out: string[] = []
  const start = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1
  for (let i = 0; i < monthsBetween(from, to); i++) {
    const k = start + i
    out.push(`${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`)
  }
  return out
}

/** The first and last day of a run of whole months. */
export function monthPeriod(from: string, to: string): { from: string; to: string } {
  const [y, m] = to.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${from}-01`, to: `${to}-${String(last).padStart(2, '0')}` }
}

/** A period of whole months, in words: "January to March 2026", "December 2025 to February 2026", "May 2026". */
export function describePeriod(from: string, to: string): string {
  if (from === to) return monthName(from)
  const [a, b] = [monthName(from), monthName(to)]
  return from.slice(0, 4) === to.slice(0, 4) ? `${a.split(' ')[0]} to ${b}` : `${a} to ${b}`
}

export const MAX_PERIOD_MONTHS = 12

export interface PeriodsInput {
  beforeFrom: string
  beforeTo: string
  afterFrom: string
  afterTo: string
}

export interface Periods {
  before: { from: string; to: string }
  after: { from: string; to: string }
}

const PERIOD_LABELS: Record<keyof PeriodsInput, string> = {
  beforeFrom: 'the first month before',
  beforeTo: 'the last month before',
  afterFrom: 'the first month after',
  afterTo: 'the last month after',
}

/**
 * The two periods of whole months, checked all at once: each month real; each period from its first month to its
 * last, at most 12 months; the 'before' period over before the 'after' period starts; both over before
 * `currentMonth` (the figures of a month are complete only once it has ended). Every problem, keyed by field.
 */
export function checkPeriods(
  input: Partial<Record<keyof PeriodsInput, unknown>>,
  currentMonth: string,
): { ok: true; value: Periods } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const parsed: Partial<Record<keyof PeriodsInput, string>> = {}
  for (const key of Object.keys(PERIOD_LABELS) as (keyof PeriodsInput)[]) {
    const raw = typeof input[key] === 'string' ? input[key].trim() : ''
    if (!raw) errors[key] = `Enter ${PERIOD_LABELS[key]}`
    else {
      const m = parseMonth(raw)
      if (!m) errors[key] = `Enter ${PERIOD_LABELS[key]} as a month and year, like 3/2026`
      else parsed[key] = m
    }
  }
  const { beforeFrom, beforeTo, afterFrom, afterTo } = parsed
  const span = (from: string | undefined, to: string | undefined, toKey: 'beforeTo' | 'afterTo', what: string) => {
    if (!from || !to) return
    if (to < from) errors[toKey] = `The last month ${what} must be the same as or after the first`
    else if (monthsBetween(from, to) > MAX_PERIOD_MONTHS)
      errors[toKey] = `The period ${what} must be ${MAX_PERIOD_MONTHS} months or fewer`
  }
  span(beforeFrom, beforeTo, 'beforeTo', 'before')
  span(afterFrom, afterTo, 'afterTo', 'after')
  if (beforeTo && afterFrom && !errors.beforeTo && !errors.afterFrom && afterFrom <= beforeTo)
    errors.afterFrom = 'The period after must start after the period before ends'
  for (const key of ['beforeTo', 'afterTo'] as const) {
    const m = parsed[key]
    if (m && !errors[key] && m >= currentMonth)
      errors[key] = `${PERIOD_LABELS[key].replace(/^the/, 'The')} must be a month that has ended`
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  return {
    ok: true,
    value: { before: { from: beforeFrom!, to: beforeTo! }, after: { from: afterFrom!, to: afterTo! } },
  }
}

// ----- search -----

export const MAX_SEARCH_TERMS = 6
export const MAX_TERM_LENGTH = 40

/**
 * The words of a search: lower case, split on spaces, each once, at most 6 of at most 40 characters. Quotes and other
 * punctuation at a word's ends are dropped; what is inside a word (`%`, `_`, `'`) is kept, to be matched literally.
 */
export function searchTerms(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .map(w => w.replace(/^["'“”‘’(),.;:!?]+|["'“”‘’(),.;:!?]+$/g, ''))
    .filter(w => w.length > 0)
    .map(w => w.slice(0, MAX_TERM_LENGTH))
  return [...new Set(words)].slice(0, MAX_SEARCH_TERMS)
}

/** The escape character of the LIKE patterns: not a backslash, whose meaning in string literals differs by engine. */
export const LIKE_ESCAPE = '!'

/** A LIKE pattern matching text that contains `term` literally: `%`, `_` and the escape character itself escaped. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[!%_]/g, c => `${LIKE_ESCAPE}${c}`)}%`
}
