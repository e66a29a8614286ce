import { addDays, addMonths, formatDate } from '../../domain/dates'
import { RISK_REASONS, type RiskReason } from '../../domain/qaSample'

/**
 * The QA queue's rules that need no database: months, the sampler's seed, risk reasons, due and overdue. Pure; the
 * service applies them.
 */

/** The settings' defaults, and the bounds an establishment's own review, thin-entry and supervision values keep to. */
export const QA_DEFAULTS = { reviewDueDays: 14, thinEntryChars: 300, supervisionWeeks: 6 } as const
export const QA_LIMITS = {
  reviewDueDays: { min: 1, max: 90 },
  thinEntryChars: { min: 20, max: 5000 },
  supervisionWeeks: { min: 1, max: 26 },
  /** the national bounds of the sample per officer themselves keep within these */
  sample: { min: 0, max: 50 },
} as const

/** A pre-check estimate below this raises an entry for review. */
export const LOW_PRECHECK = 2.5
/** An officer in their first this many months has their entries raised for review. */
export const NEW_OFFICER_MONTHS = 3

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** 'YYYY-MM' of an ISO date. */
export const monthOf = (iso: string) => iso.slice(0, 7)

/** The first day of a month, and the first day of the next one (the entries of the month are from ≤ date < until). */
export function monthBounds(month: string): { from: string; until: string; last: string } {
  const from = `${month}-01`
  const until = addMonths(from, 1)
  return { from, until, last: addDays(until, -1) }
}

/** The month before the one `today` is in. */
export const previousMonth = (today: string) => monthOf(addMonths(`${monthOf(today)}-01`, -1))

/** "March 2026" */
export const monthName = (month: string) => formatDate(`${month}-01`).replace(/^1 /, '')

/** FNV-1a, 32 bits: a seed from text, the same on every machine. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** The seed of one officer's random sample in one establishment and month: reproducible, different for each. */
export const sampleSeed = (establishmentId: number, month: string, staffId: number) =>
  hash32(`keywork-qa:${establishmentId}:${month}:${staffId}`)

/** Why an entry is raised for review, whatever the random sample picks. */
export function riskReasons(e: {
  flagged: boolean
  precheckScore: number | null
  concern: number | null
  sessionDate: string | null
  startedInPost: string | null
}): RiskReason[] {
  const out: RiskReason[] = []
  if (e.flagged) out.push('integrity-flag')
  if (e.precheckScore !== null && e.precheckScore < LOW_PRECHECK) out.push('low-precheck')
  if (
    e.startedInPost &&
    e.sessionDate &&
    e.sessionDate >= e.startedInPost &&
    e.sessionDate < addMonths(e.startedInPost, NEW_OFFICER_MONTHS)
  )
    out.push('new-officer')
  if (e.concern === 1) out.push('self-harm-concern')
  return out
}

/** The stored risk text (comma separated codes) as the labels people read; unknown codes are left out. */
export function riskLabels(risk: string): string[] {
  return risk
    .split(',')
    .filter((r): r is RiskReason => Object.hasOwn(RISK_REASONS, r))
    .map(r => RISK_REASONS[r])
}

export type DueState = 'overdue' | 'due-today' | 'due'

/** A sampled entry is overdue once its due day has passed (London days): due on the 14th, overdue on the 15th. */
export function dueState(dueOn: string, today: string): DueState {
  return dueOn < today ? 'overdue' : dueOn === today ? 'due-today' : 'due'
}

export const DUE_LABELS: Record<DueState, string> = { overdue: 'Overdue', 'due-today': 'Due today', due: 'Due' }

/** Whole number of days from `today` back to the due day (overdue), or 0. */
export const daysOverdue = (dueOn: string, today: string) =>
  Math.max(0, Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueOn}T00:00:00Z`)) / 86_400_000))
