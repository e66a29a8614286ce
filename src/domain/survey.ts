/**
 * The staff culture pulse survey (issue 17): the national question set, the rules of a round, and the results
 * under small-number protection (./disclosure).
 */
import { MIN_THRESHOLD, protectCells } from './disclosure'

export type QuestionKind = 'scale' | 'text'

export interface SurveyQuestion {
  code: string
  kind: QuestionKind
  text: string
}

/** The national set: six 5-point agreement statements and one optional free-text question. */
export const NATIONAL_QUESTIONS: readonly SurveyQuestion[] = [
  {
    code: 'rehabilitation',
    kind: 'scale',
    text: 'I believe people in prison can change, and that my work can help them to.',
  },
  { code: 'role', kind: 'scale', text: 'I understand what the Key Worker role asks of me.' },
  { code: 'training', kind: 'scale', text: 'I have had the training I need to do my job well.' },
  { code: 'support', kind: 'scale', text: 'My Supervising Officer supports me in my work.' },
  { code: 'satisfaction', kind: 'scale', text: 'I am satisfied with my job.' },
  { code: 'stay', kind: 'scale', text: 'I intend to be working here in a year’s time.' },
  {
    code: 'comments',
    kind: 'text',
    text: 'Is there anything else you want to tell the national team about working here?',
  },
]

export const SCALE = [
  { value: 1, text: 'Strongly disagree' },
  { value: 2, text: 'Disagree' },
  { value: 3, text: 'Neither agree nor disagree' },
  { value: 4, text: 'Agree' },
  { value: 5, text: 'Strongly agree' },
] as const

export const TITLE_MAX = 150
export const QUESTION_MAX = 300
export const ANSWER_TEXT_MAX = 2000
export const DEFAULT_THRESHOLD = 10
export const DEFAULT_FREE_TEXT_THRESHOLD = 20
export const MAX_THRESHOLD = 1000

/** The staff roles that take part, in the order a person holding several is counted under. */
export const SURVEY_ROLES = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
export type SurveyRole = (typeof SURVEY_ROLES)[number]
export const SURVEY_ROLE_NAMES: Record<SurveyRole, string> = {
  KEY_WORKER: 'Key Workers',
  SUPERVISING_OFFICER: 'Supervising Officers',
  ESTABLISHMENT_ADMIN: 'Establishment admins',
}

/** The role a person answers under in an establishment (a Key Worker who is also an admin answers as a Key Worker). */
export function surveyRoleOf(roles: readonly string[]): SurveyRole | null {
  return SURVEY_ROLES.find(r => roles.includes(r)) ?? null
}

export type RoundStatus = 'scheduled' | 'open' | 'closed'

export function roundStatus(
  round: { opens_on: string; closes_on: string; closed_on: string | null },
  today: string,
): RoundStatus {
  if (round.closed_on !== null || today > round.closes_on) return 'closed'
  return today < round.opens_on ? 'scheduled' : 'open'
}

/** The day a round closed: early when the national team closed it, else its closing date. */
export const closedDay = (round: { closes_on: string; closed_on: string | null }) => round.closed_on ?? round.closes_on

export interface RoundInput {
  title: string
  opensOn: string
  closesOn: string
  /** the wording of each national question, by code; the free-text one left out when not asked */
  questions: SurveyQuestion[]
}

/**
 * Every problem of a new round at once: dates (opening today or later, closing on or after opening, not
 * overlapping another round that is not closed), at least one scale question, each question worded.
 */
export function checkRound(
  input: RoundInput,
  today: string,
  others: readonly { opens_on: string; closes_on: string; closed_on: string | null; title: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {}
  if (input.opensOn < today) errors.opensOn = 'The opening date must be today or later'
  if (input.closesOn < input.opensOn) errors.closesOn = 'The closing date must be on or after the opening date'
  if (!errors.opensOn && !errors.closesOn) {
    const clash = others.find(o => o.closed_on === null && o.opens_on <= input.closesOn && input.opensOn <= o.closes_on)
    if (clash) errors.opensOn = `The dates overlap the round “${clash.title}”: only one round can be open at a time`
  }
  if (!input.questions.some(q => q.kind === 'scale')) errors.questions = 'Ask at least one agreement question'
  return errors
}

/** The answers of one response: every scale question answered 1–5; free text optional. */
export function checkAnswers(
  questions: readonly (SurveyQuestion & { id: number })[],
  raw: Record<string, unknown>,
):
  | { ok: true; answers: { questionId: number; value: number | null; text: string | null }[] }
  | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const answers: { questionId: number; value: number | null; text: string | null }[] = []
  questions.forEach((q, i) => {
    const v = raw[`q${q.id}`]
    const s = typeof v === 'string' ? v.trim() : ''
    if (q.kind === 'scale') {
      if (!/^[1-5]$/.test(s)) errors[`q${q.id}`] = `Choose how much you agree with statement ${i + 1}`
      else answers.push({ questionId: q.id, value: Number(s), text: null })
    } else if (s.length > ANSWER_TEXT_MAX) {
      errors[`q${q.id}`] = `Your answer must be ${ANSWER_TEXT_MAX} characters or fewer`
    } else if (s) answers.push({ questionId: q.id, value: null, text: s })
  })
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers }
}

export function checkThresholds(threshold: number, freeText: number): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!Number.isInteger(threshold) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD)
    errors.threshold = `The threshold must be a whole number from ${MIN_THRESHOLD} to ${MAX_THRESHOLD}`
  if (!Number.isInteger(freeText) || freeText > MAX_THRESHOLD)
    errors.freeTextThreshold = `The free-text threshold must be a whole number up to ${MAX_THRESHOLD}`
  else if (!errors.threshold && freeText < threshold)
    errors.freeTextThreshold = 'The free-text threshold must be at least the results threshold'
  else if (freeText < MIN_THRESHOLD)
    errors.freeTextThreshold = `The free-text threshold must be at least ${MIN_THRESHOLD}`
  return errors
}

/** One establishment-and-role group of a round: how many answered, and the sum of each scale question's answers. */
export interface GroupSums {
  establishmentId: number
  role: string
  n: number
  sums: Record<string, number>
}

export interface ResultCell {
  key: string
  level: 'national' | 'establishment' | 'role'
  establishmentId: number | null
  role: string | null
  n: number
  shown: boolean
  /** mean answer per question code (1–5), only when shown */
  means: Record<string, number> | null
}

/**
 * The cells of a round's results — national total, each establishment, each role within it — each shown only
 * where protectCells allows. Means only of shown cells. (There is no national-by-role cell: it would cross the
 * establishment hierarchy and open differences the tree cannot protect.)
 */
export function resultCells(groups: readonly GroupSums[], codes: readonly string[], threshold: number): ResultCell[] {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const c of codes) into[c] = (into[c] ?? 0) + (from[c] ?? 0)
  }
  const national = { n: 0, sums: {} as Record<string, number> }
  const establishments = new Map<number, { n: number; sums: Record<string, number> }>()
  for (const g of groups) {
    national.n += g.n
    add(national.sums, g.sums)
    const e = establishments.get(g.establishmentId) ?? { n: 0, sums: {} }
    e.n += g.n
    add(e.sums, g.sums)
    establishments.set(g.establishmentId, e)
  }
  const raw: (Omit<ResultCell, 'shown' | 'means'> & { parent?: string; sums: Record<string, number> })[] = [
    { key: 'all', level: 'national', establishmentId: null, role: null, n: national.n, sums: national.sums },
  ]
  for (const [id, e] of establishments)
    raw.push({ key: `e${id}`, parent: 'all', level: 'establishment', establishmentId: id, role: null, ...e })
  for (const g of groups)
    raw.push({
      key: `e${g.establishmentId}/${g.role}`,
      parent: `e${g.establishmentId}`,
      level: 'role',
      establishmentId: g.establishmentId,
      role: g.role,
      n: g.n,
      sums: g.sums,
    })
  const shown = protectCells(raw, threshold)
  return raw.map(({ sums, parent: _parent, ...c }) => ({
    ...c,
    shown: shown.has(c.key),
    means: shown.has(c.key) ? Object.fromEntries(codes.map(code => [code, (sums[code] ?? 0) / c.n])) : null,
  }))
}

/** Which establishments' free text may be shown (and whether the national list may): the same protection, higher threshold. */
export function freeTextShown(
  counts: ReadonlyMap<number, number>,
  threshold: number,
): { national: boolean; establishments: Set<number> } {
  let total = 0
  for (const n of counts.values()) total += n
  const cells = [{ key: 'all', n: total }, ...[...counts].map(([id, n]) => ({ key: `e${id}`, parent: 'all', n }))]
  const shown = protectCells(cells, threshold)
  return {
    national: shown.has('all'),
    establishments: new Set([...counts.keys()].filter(id => shown.has(`e${id}`))),
  }
}
