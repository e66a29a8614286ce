/**
 * Redaction for the national good-practice library (issue 15): an entry nominated by a Supervising Officer is
 * published to every establishment only after keywork has removed what could identify a person or a place — names
 * (the prisoner's, the officer's, and every staff member's and prisoner's of the establishment found in the text),
 * prison numbers, dates in their usual written forms, and places (establishments, residential units, directory
 * locations and towns). Each removal is kept, so the national reviewer sees what was taken out before publishing.
 *
 * Matching is by whole word: a prisoner called "Art" never takes "Article" or "party" with it. Names match in any
 * case ("NOWAK", "nowak") and before a possessive ("Nowak's"), except names that are also everyday English words
 * ("Will", "May", "Art"): those are removed only when written with a capital, so "he will" stays.
 */

export type RedactionKind = 'name' | 'prison_number' | 'date' | 'place'

export const PLACEHOLDERS: Record<RedactionKind, string> = {
  name: '[name]',
  prison_number: '[prison number]',
  date: '[date]',
  place: '[place]',
}

export const REDACTION_NAMES: Record<RedactionKind, string> = {
  name: 'Name',
  prison_number: 'Prison number',
  date: 'Date',
  place: 'Place',
}

export interface RedactionTerms {
  /** people's names, whole ("Tomasz Nowak") or in parts: each is split into the words it is made of */
  names?: readonly string[]
  /**
   * place names, matched as whole phrases: in any case when of several words ("Houseblock 1", "A wing"), only
   * capitalised when of one ("Reading", never "reading"; "Moorland" and "MOORLAND")
   */
  places?: readonly string[]
  /** short codes matched exactly as written, case and all ("HB1", "MDI") */
  codes?: readonly string[]
}

export interface Segment {
  text: string
  /** set on a removal: the placeholder is `text`, what it replaced is `original` */
  kind?: RedactionKind
  original?: string
}

export interface Redacted {
  text: string
  segments: Segment[]
  removals: { kind: RedactionKind; original: string }[]
}

/** First names and surnames that are also ordinary English words: removed only when capitalised. */
export const EVERYDAY_WORDS: ReadonlySet<string> = new Set(
  (
    'april art bill bird black bond brown carter cook dawn dean faith fish ford frank grace grant green guy hall ' +
    'hill holly hope ivy jack joy june king lane lee long mark mason may miles moss page pat penny price ray rich ' +
    'rose sky stone summer sue ward white will wood young ash ben barry victor robin reed pearl major day case ' +
    'law love little good best strong wise small sharp street field house park bell rice fox west north south east ' +
    'english french more lord money friend child church gold hunter nurse walker baker parent page mann power ' +
    'hart swan bishop chance early hay heart joy hope'
  ).split(' '),
)

const LETTER_OR_DIGIT = '[\\p{L}\\p{N}]'
const BEFORE = `(?<!${LETTER_OR_DIGIT})`
const AFTER = `(?!${LETTER_OR_DIGIT})`

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A term as a pattern: any apostrophe matches any apostrophe, any run of spaces any run of spaces. */
function termPattern(term: string): string {
  return term
    .split(/\s+/)
    .map(word =>
      word
        .split(/['’‘`]/)
        .map(escape)
        .join("['’‘`]")
        .replace(/-/g, '[-‐–]'),
    )
    .join('\\s+')
}

/** The words of people's names worth looking for: whole words of two letters or more, hyphenated ones whole and in parts. */
export function nameWords(names: readonly string[]): string[] {
  const out = new Map<string, string>()
  const add = (w: string) => {
    const word = w.replace(/^['’‘`.,]+|['’‘`.,]+$/g, '')
    if ([...word.matchAll(/\p{L}/gu)].length < 2) return
    const key = word.toLowerCase()
    if (!out.has(key)) out.set(key, word)
  }
  for (const name of names)
    for (const word of name.trim().split(/\s+/)) {
      add(word)
      if (/-/.test(word)) word.split('-').forEach(add)
    }
  return [...out.values()]
}

/** The names a place is known by: "Moorland (HMP)" is also written "Moorland" and "HMP Moorland". */
export function placeNames(name: string): string[] {
  const core = name
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(HMP\s*(&|and)\s*YOI|HMPYOI|HMYOI|HMP|YOI|HM\s+Prison|Prison)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return [...new Set([name.trim(), core].filter(n => [...n.matchAll(/\p{L}/gu)].length >= 2))]
}

const MONTHS =
  'january|february|march|april|may|june|july|august|september|october|november|december|' +
  'jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec'
const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun'
const capitalised = (alternatives: string) =>
  alternatives
    .split('|')
    .flatMap(w => [w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()])
    .join('|')

const DAY = '(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?'
const YEAR = '(?:19|20)[0-9]{2}'
const WEEKDAY_PREFIX = (w: string) => `(?:(?:${w})\\.?,?\\s+(?:the\\s+)?)?`

/** The written forms of a date: numeric, "27 March 2026", "Tuesday 27th of March", "March 27, 2026", "March 2026". */
const DATE_PATTERNS: RegExp[] = [
  // 2026-03-27, 27/03/2026, 27/3/26, 27-03-2026, 27.03.2026
  new RegExp(
    `${BEFORE}(?:${YEAR}-[01]?[0-9]-[0-3]?[0-9]|[0-3]?[0-9][/.-][01]?[0-9][/.-](?:${YEAR}|[0-9]{2}))${AFTER}`,
    'gu',
  ),
  // 27 March 2026, 27th of March, Tuesday 27 Mar 2026 (any case: the day number before it makes it a date)
  new RegExp(
    `${BEFORE}${WEEKDAY_PREFIX(WEEKDAYS)}${DAY}(?:\\s+of)?\\s+(?:${MONTHS})\\.?(?:,?\\s+${YEAR})?${AFTER}`,
    'giu',
  ),
  // 27-Mar-2026, 27-mar-26
  new RegExp(`${BEFORE}${DAY}-(?:${MONTHS})-(?:${YEAR}|[0-9]{2})${AFTER}`, 'giu'),
  // March 27, 2026, Tuesday, March 27th (capitalised: "may 10 minutes" is not a date)
  new RegExp(
    `${BEFORE}${WEEKDAY_PREFIX(capitalised(WEEKDAYS))}(?:${capitalised(MONTHS)})\\.?\\s+${DAY}(?:,?\\s+${YEAR})?${AFTER}`,
    'gu',
  ),
  // March 2026, mar 2026
  new RegExp(`${BEFORE}(?:${MONTHS})\\.?,?\\s+${YEAR}${AFTER}`, 'giu'),
]

const PRISON_NUMBER = new RegExp(`${BEFORE}[A-Z][0-9]{4}[A-Z]{2}${AFTER}`, 'giu')

interface Hit {
  start: number
  end: number
  kind: RedactionKind
}

/** One regular expression for many terms, longest first so "Houseblock 12" wins over "Houseblock 1". */
function alternation(terms: string[], flags: string, prefix = ''): RegExp | null {
  if (!terms.length) return null
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
  return new RegExp(`${BEFORE}${prefix}(?:${sorted.map(termPattern).join('|')})${AFTER}`, flags)
}

function hits(re: RegExp | null, text: string, kind: RedactionKind): Hit[] {
  if (!re) return []
  return [...text.matchAll(re)].map(m => ({ start: m.index, end: m.index + m[0].length, kind }))
}

/** Removes names, prison numbers, dates and places from `text`, marking each removal. */
export function redact(text: string, terms: RedactionTerms = {}): Redacted {
  const words = nameWords(terms.names ?? [])
  const anyCase = words.filter(w => !EVERYDAY_WORDS.has(w.toLowerCase()))
  const everyday = words
    .filter(w => EVERYDAY_WORDS.has(w.toLowerCase()))
    .flatMap(w => [w[0]!.toUpperCase() + w.slice(1).toLowerCase(), w.toUpperCase()])
  const places = (terms.places ?? []).map(p => p.trim()).filter(p => [...p.matchAll(/\p{L}/gu)].length >= 2)
  const phrases = places.filter(p => /\s/.test(p))
  const single = places.filter(p => !/\s/.test(p)).flatMap(p => [p[0]!.toUpperCase() + p.slice(1), p.toUpperCase()])
  const codes = (terms.codes ?? []).map(c => c.trim()).filter(c => c.length >= 2)
  const placePrefix = '(?:(?:HMP\\s*(?:&|and)\\s*YOI|HMPYOI|HMYOI|HMP|HM\\s+Prison)\\s+)?'

  const all: Hit[] = [
    ...hits(PRISON_NUMBER, text, 'prison_number'),
    ...DATE_PATTERNS.flatMap(re => hits(re, text, 'date')),
    ...hits(alternation(phrases, 'giu', placePrefix), text, 'place'),
    ...hits(alternation(single, 'gu', placePrefix), text, 'place'),
    ...hits(alternation(codes, 'gu'), text, 'place'),
    ...hits(alternation(anyCase, 'giu'), text, 'name'),
    ...hits(alternation(everyday, 'gu'), text, 'name'),
  ]
  // the earliest removal wins, then the longest: "27 March 2026" is one date, not a date and a name "March"
  all.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: Hit[] = []
  for (const h of all) {
    const last = kept[kept.length - 1]
    if (last && h.start < last.end) continue
    kept.push(h)
  }

  const segments: Segment[] = []
  let at = 0
  for (const h of kept) {
    if (h.start > at) segments.push({ text: text.slice(at, h.start) })
    segments.push({ text: PLACEHOLDERS[h.kind], kind: h.kind, original: text.slice(h.start, h.end) })
    at = h.end
  }
  if (at < text.length) segments.push({ text: text.slice(at) })
  return {
    text: segments.map(s => s.text).join(''),
    segments,
    removals: segments.filter(s => s.kind).map(s => ({ kind: s.kind!, original: s.original! })),
  }
}
