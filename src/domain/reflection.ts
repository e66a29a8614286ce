/**
 * The reflective journal (issue 16): the stages of Gibbs' reflective cycle, and the check that warns an officer when
 * an entry may identify a prisoner — a prison number, or the name of a prisoner on their own caseload.
 *
 * Professional bodies ask reflections not to identify people. The check does not refuse an entry: it tells the
 * officer where (which field, the text found) so they can edit it or confirm it as written, and the flags are kept.
 *
 * Names are matched as whole words in any case ("NOWAK", "nowak", "Nowak's"); a prisoner's full name ("Tomasz
 * Nowak") is found whatever their surname, their surname alone only when it is worth looking for:
 * - a surname of fewer than three letters ("Li", "Ng", "An") alone would flag ordinary words and initials all the
 *   time, so it is found only within the full name;
 * - a surname that is also an everyday English word ("Long", "White", "Will": the list the good-practice redaction
 *   uses) is found alone only when written with a capital ("Mr White", never "a white board").
 * First names alone are not flagged: they are shared with colleagues and half the caseload, and say little alone.
 */
import { EVERYDAY_WORDS } from './redact'

export type JournalForm = 'gibbs' | 'short'
export const JOURNAL_FORMS: readonly JournalForm[] = ['gibbs', 'short']
export const JOURNAL_FORM_NAMES: Record<JournalForm, string> = {
  gibbs: "Gibbs' reflective cycle",
  short: 'Short reflection',
}

export type GibbsStage = 'description' | 'feelings' | 'evaluation' | 'analysis' | 'conclusion' | 'actionPlan'

/** The six stages in order, each with the question it answers (the hint shown under its box). */
export const GIBBS_STAGES: readonly { key: GibbsStage; label: string; hint: string }[] = [
  { key: 'description', label: 'Description', hint: 'What happened? Describe the situation, without names.' },
  { key: 'feelings', label: 'Feelings', hint: 'What were you thinking and feeling at the time?' },
  { key: 'evaluation', label: 'Evaluation', hint: 'What was good and what was bad about the experience?' },
  { key: 'analysis', label: 'Analysis', hint: 'What sense can you make of it? What helped or got in the way?' },
  { key: 'conclusion', label: 'Conclusion', hint: 'What else could you have done? What have you learned?' },
  { key: 'actionPlan', label: 'Action plan', hint: 'If it happened again, what would you do? What will you do next?' },
]

/** The fields of an entry the check reads, as the form names them. */
export type ReflectionField = 'title' | GibbsStage
export const FIELD_NAMES: Record<ReflectionField, string> = {
  title: 'Title',
  ...(Object.fromEntries(GIBBS_STAGES.map(s => [s.key, s.label])) as Record<GibbsStage, string>),
}

/** A short reflection keeps its one text in the description. */
export const SHORT_TEXT_NAME = 'Reflection'

export const MAX_MINUTES = 600
export const STAGE_MAX = 4000
export const TITLE_MAX = 120

export type FlagKind = 'prison_number' | 'name'
export const FLAG_KIND_NAMES: Record<FlagKind, string> = {
  prison_number: 'Prison number',
  name: 'Name of a prisoner on your caseload',
}

export interface ReflectionFlag {
  field: ReflectionField
  kind: FlagKind
  /** the text as written in the entry */
  text: string
}

export interface CaseloadName {
  firstName: string
  lastName: string
}

const LETTER_OR_DIGIT = '[\\p{L}\\p{N}]'
const BEFORE = `(?<!${LETTER_OR_DIGIT})`
const AFTER = `(?!${LETTER_OR_DIGIT})`

/** The NOMIS prison number: a letter, four digits, two letters (A1234BC), in any case, as a whole word. */
export const PRISON_NUMBER = new RegExp(`${BEFORE}[A-Z][0-9]{4}[A-Z]{2}${AFTER}`, 'giu')

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const letters = (s: string) => [...s.matchAll(/\p{L}/gu)].length

/** A name as a pattern: any apostrophe for any apostrophe, any hyphen for any hyphen, any spaces between words. */
const namePattern = (name: string) =>
  name
    .trim()
    .split(/\s+/)
    .map(w =>
      w
        .split(/['’‘`]/)
        .map(escape)
        .join("['’‘`]")
        .replace(/-/g, '[-‐–]'),
    )
    .join('\\s+')

const isEveryday = (word: string) => EVERYDAY_WORDS.has(word.toLowerCase())

/** The patterns to look for, longest first so "Tomasz Nowak" is one hit, not a hit on "Nowak". */
export function caseloadPatterns(caseload: readonly CaseloadName[]): RegExp[] {
  const anyCase = new Map<string, string>()
  const capitalised = new Map<string, string>()
  for (const p of caseload) {
    const first = p.firstName.trim()
    const last = p.lastName.trim()
    if (!last) continue
    if (first) anyCase.set(`${first} ${last}`.toLowerCase(), `${first} ${last}`)
    if (letters(last) < 3) continue
    if (isEveryday(last)) capitalised.set(last.toLowerCase(), last)
    else anyCase.set(last.toLowerCase(), last)
  }
  const build = (terms: string[], flags: string) => {
    if (!terms.length) return null
    const sorted = [...terms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    return new RegExp(`${BEFORE}(?:${sorted.map(namePattern).join('|')})${AFTER}`, flags)
  }
  const everyday = [...capitalised.values()].flatMap(w => [
    w[0]!.toUpperCase() + w.slice(1).toLowerCase(),
    w.toUpperCase(),
  ])
  return [build([...anyCase.values()], 'giu'), build(everyday, 'gu')].filter((r): r is RegExp => r !== null)
}

/**
 * What in an entry may identify a prisoner: every prison number, and every name of a prisoner on the caseload, in
 * each field, in the order of the fields given and then of the text. The same text in the same field is listed once.
 */
export function checkReflection(
  fields: Partial<Record<ReflectionField, string>>,
  caseload: readonly CaseloadName[],
): ReflectionFlag[] {
  const names = caseloadPatterns(caseload)
  const flags: ReflectionFlag[] = []
  for (const [field, value] of Object.entries(fields) as [ReflectionField, string | undefined][]) {
    if (!value) continue
    const hits: { start: number; end: number; kind: FlagKind }[] = []
    for (const m of value.matchAll(PRISON_NUMBER))
      hits.push({ start: m.index, end: m.index + m[0].length, kind: 'prison_number' })
    for (const re of names)
      for (const m of value.matchAll(re)) hits.push({ start: m.index, end: m.index + m[0].length, kind: 'name' })
    hits.sort((a, b) => a.start - b.start || b.end - a.end)
    const seen = new Set<string>()
    let end = -1
    for (const h of hits) {
      if (h.start < end) continue
      end = h.end
      const text = value.slice(h.start, h.end)
      const key = `${h.kind}:${text.toLowerCase()}`
      if (seen.has(key)) continue
      seen.add(key)
      flags.push({ field, kind: h.kind, text })
    }
  }
  return flags
}

/** One text for a set of flags: a confirmation given for these flags does not cover others found later. */
export function flagsKey(flags: readonly ReflectionFlag[]): string {
  return flags.map(f => `${f.field}:${f.kind}:${f.text.toLowerCase()}`).join('|')
}

/** Reads stored flags back (JSON); anything malformed reads as none. */
export function parseFlags(json: string | null | undefined): ReflectionFlag[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]')
    if (!Array.isArray(v)) return []
    return v.filter(
      (f): f is ReflectionFlag =>
        !!f &&
        typeof f === 'object' &&
        typeof (f as ReflectionFlag).text === 'string' &&
        Object.hasOwn(FIELD_NAMES, (f as ReflectionFlag).field as string) &&
        ((f as ReflectionFlag).kind === 'prison_number' || (f as ReflectionFlag).kind === 'name'),
    )
  } catch {
    return []
  }
}
