/**
 * A submitted Key Work session as the MoJ case notes service (ministryofjustice/offender-case-notes) holds it: a case
 * note of type KA (key work) and subtype KS (Key Worker Session) when the session was delivered, or KE (Key Worker
 * Entry) when it was not: the Ministry of Justice's keyworker service (ministryofjustice/keyworker-api,
 * integration/casenotes/CaseNotes.kt: KW_TYPE, SESSION_SUBTYPE, ENTRY_SUBTYPE) counts KS notes as sessions held and KE
 * notes as entries, as keywork counts delivered and not delivered entries. An amendment is appended to the note
 * (PUT with { text }). Also the outbox's retry rules. Pure.
 */
import { AMENDABLE } from './sessionEntry'
import { LOCATIONS, NOT_DELIVERED_REASONS } from './sessions'
import { pathwayName } from './pathways'

export const KEY_WORK_TYPE = 'KA'
export const SESSION_SUBTYPE = 'KS'
export const ENTRY_SUBTYPE = 'KE'

/** The body of POST /case-notes/{personIdentifier} (CreateCaseNoteRequest). */
export interface CreateCaseNote {
  locationId: string
  type: typeof KEY_WORK_TYPE
  subType: typeof SESSION_SUBTYPE | typeof ENTRY_SUBTYPE
  /** London local time, as the service's LocalDateTime: 'YYYY-MM-DDTHH:MM:00' */
  occurrenceDateTime: string
  text: string
  systemGenerated: false
}

/** The body of PUT /case-notes/{personIdentifier}/{caseNoteId} (AmendCaseNoteRequest): text appended to the note. */
export interface AmendCaseNote {
  text: string
}

/** What of a submitted session the note says. */
export interface SessionForNote {
  establishmentCode: string
  outcome: string | null
  notDeliveredReason: string | null
  notDeliveredDetail: string | null
  sessionDate: string
  startsAt: string | null
  durationMinutes: number | null
  location: string | null
  private: number | null
  pathways: string
  concern: number
  concernEscalatedTo: string | null
  prisonerWords: string | null
  agreed: string | null
  /** the officer who recorded it, as keywork names them */
  author: string
}

const lookup = (names: Record<string, string>, code: string | null) => (code ? (names[code] ?? code) : null)

/** The case note of a submitted session: KS when delivered, KE when not. */
export function sessionCaseNote(s: SessionForNote): CreateCaseNote {
  const delivered = s.outcome === 'delivered'
  const lines: string[] = []
  if (delivered) {
    const how = [
      s.durationMinutes !== null ? `${s.durationMinutes} minutes` : null,
      lookup(LOCATIONS, s.location)?.toLowerCase() ?? null,
      s.private === null ? null : s.private ? 'private' : 'not private',
    ].filter(Boolean)
    lines.push(`Key work session held${how.length ? ` (${how.join(', ')})` : ''}.`)
    if (s.prisonerWords) lines.push(`What the prisoner said: ${s.prisonerWords}`)
    if (s.agreed) lines.push(`What was agreed: ${s.agreed}`)
    const pathways = s.pathways ? s.pathways.split(',').filter(Boolean).map(pathwayName) : []
    if (pathways.length) lines.push(`Pathways discussed: ${pathways.join(', ')}.`)
    if (s.concern)
      lines.push(`A concern was raised${s.concernEscalatedTo ? `: escalated to ${s.concernEscalatedTo}` : ''}.`)
  } else {
    const reason = lookup(NOT_DELIVERED_REASONS, s.notDeliveredReason)
    const why = s.notDeliveredReason === 'other' ? s.notDeliveredDetail : reason
    lines.push(`Key work session not held${why ? `: ${why}` : ''}.`)
  }
  lines.push(`Recorded in keywork by ${s.author}.`)
  return {
    locationId: s.establishmentCode,
    type: KEY_WORK_TYPE,
    subType: delivered ? SESSION_SUBTYPE : ENTRY_SUBTYPE,
    occurrenceDateTime: `${s.sessionDate}T${s.startsAt ?? '00:00'}:00`,
    text: lines.join('\n'),
    systemGenerated: false,
  }
}

/** The text appended for an amendment: each field changed, from what to what, and why. */
export function amendmentCaseNote(
  changes: Record<string, { from: string; to: string }>,
  reason: string,
  author: string,
): AmendCaseNote {
  const lines = [`Amended in keywork by ${author}: ${reason}`]
  for (const [field, c] of Object.entries(changes)) {
    const label = Object.hasOwn(AMENDABLE, field) ? AMENDABLE[field as keyof typeof AMENDABLE] : field
    lines.push(`${label}: ${c.from === '' ? '(none)' : c.from} → ${c.to === '' ? '(none)' : c.to}`)
  }
  return { text: lines.join('\n') }
}

/**
 * The text appended when an entry is deleted in keywork. The note stays at the case notes service (deleting one is for
 * its own administrators): the amendment says it no longer stands, who said so and why.
 */
export function deletionCaseNote(reason: string, author: string): AmendCaseNote {
  return {
    text: `Deleted in keywork by ${author}: ${reason}\nThis entry no longer stands as a key work session in keywork.`,
  }
}

/** Attempts before a row is marked failed (an admin may then retry it). */
export const MAX_ATTEMPTS = 10
/** The wait after the first failed attempt, doubled after each one, up to BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 60_000
export const BACKOFF_CAP_MS = 4 * 60 * 60_000

/** How long to wait after the `attempts`-th failed attempt (1-based): 1, 2, 4, 8 … minutes, at most 4 hours. */
export function backoffMs(attempts: number): number {
  // 2 ** exp grows to Infinity, never past it: the cap holds for any number of attempts
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1))
}

/** What an answer (or its absence) means for the row. */
export type AttemptVerdict = 'sent' | 'retry' | 'failed'

/**
 * An HTTP status as a verdict: 2xx sent; 401 (a token expired), 408, 425, 429 and 5xx are worth another try; any other
 * 4xx will not get better by itself (the request is refused as it is): failed at once. No answer at all (null): retry.
 */
export function verdictOf(status: number | null): AttemptVerdict {
  if (status === null) return 'retry'
  if (status >= 200 && status < 300) return 'sent'
  if (status === 401 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry'
  return 'failed'
}
