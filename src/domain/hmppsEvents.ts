/**
 * The HMPPS systems as keywork reads them (issue 18): a prisoner from the Prisoner Search API's roll of a prison, and
 * the domain events that announce a man's movements (received, released) and a change of his complexity of need.
 * Pure: what an event or a roll entry says, and what it means for keywork's record of him; the service does the rest.
 *
 * Shapes, as the Ministry of Justice publishes them (hmpps-prisoner-search, keyworker-api):
 * - a domain event: { eventType, occurredAt, version, description, detailUrl, additionalInformation: { nomsNumber,
 *   reason, prisonId }, personReference? { identifiers: [{ type: 'NOMS', value }] } };
 * - the complexity of need change, which does not follow that schema: { offenderNo, level, active }, its event type in
 *   the SNS message attributes;
 * - either may come wrapped in its SNS notification: { Type, MessageId, Message: '<the event as JSON text>', Timestamp,
 *   MessageAttributes: { eventType: { Type: 'String', Value } } }.
 */
import { londonDate } from './dates'
import { PRISON_NUMBER } from './prisoner'

export const RECEIVED = 'prisoner-offender-search.prisoner.received'
export const RELEASED = 'prisoner-offender-search.prisoner.released'
export const MERGED = 'prison-offender-events.prisoner.merged'
export const COMPLEXITY_CHANGED = 'complexity-of-need.level.changed'

/** Why Prisoner Search says a man was received into a prison (PrisonerReceiveReason). */
export const RECEIVE_REASONS = [
  'NEW_ADMISSION',
  'READMISSION',
  'TRANSFERRED',
  'RETURN_FROM_COURT',
  'TEMPORARY_ABSENCE_RETURN',
  'POST_MERGE_ADMISSION',
] as const
/** Why Prisoner Search says a man left a prison (PrisonerReleaseReason). */
export const RELEASE_REASONS = [
  'TEMPORARY_ABSENCE_RELEASE',
  'RELEASED_TO_HOSPITAL',
  'RELEASED',
  'SENT_TO_COURT',
  'TRANSFERRED',
] as const

export type ComplexityLevel = 'low' | 'medium' | 'high'
const LEVELS: readonly string[] = ['low', 'medium', 'high']

/** A prison's code as NOMIS writes it (MDI, LEI); also 'OUT' and 'TRN' in Prisoner Search. */
export const PRISON_CODE = /^[A-Z]{2,5}$/

/** An event, checked and normalised. */
export interface HmppsEvent {
  /** the natural key a redelivery repeats: event type, prison number and the instant it occurred */
  key: string
  eventType: string
  kind: 'received' | 'released' | 'complexity' | 'other'
  prisonNumber: string | null
  /** the prison it happened at (received, released); null when the event names none */
  prisonCode: string | null
  reason: string | null
  level: ComplexityLevel | null
  /** complexity: whether the level is in force (false: withdrawn) */
  active: boolean | null
  /** UTC ISO timestamp */
  occurredAt: string
  /** the Europe/London day it occurred */
  date: string
  /** the SNS message id, when it came in its notification */
  messageId: string | null
}

export type Parsed = { ok: true; event: HmppsEvent } | { ok: false; errors: string[] }

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** An RFC 3339 date-time with its offset, as a UTC ISO timestamp; null when it is not one. */
export function instantOf(v: unknown): string | null {
  if (typeof v !== 'string' || !OFFSET_DATE_TIME.test(v)) return null
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

function text(v: unknown, max: number): string | null {
  return typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : null
}

/** The NOMS number of a domain event: additionalInformation.nomsNumber, else personReference's NOMS identifier. */
function nomsNumberOf(message: Record<string, unknown>, info: Record<string, unknown>): unknown {
  if (info.nomsNumber !== undefined) return info.nomsNumber
  const ids = isObject(message.personReference) ? message.personReference.identifiers : undefined
  if (!Array.isArray(ids)) return undefined
  const noms = ids.find(i => isObject(i) && i.type === 'NOMS') as Record<string, unknown> | undefined
  return noms?.value
}

/**
 * Checks an event as posted (the event itself or its SNS notification), listing every problem at once. Unknown event
 * types and reasons are accepted (kind 'other', or a reason keywork does not act on): HMPPS adds them, and a listener
 * must not retry them for ever.
 */
export function parseHmppsEvent(body: unknown): Parsed {
  if (!isObject(body))
    return { ok: false, errors: ['The body must be a JSON object: an HMPPS domain event, or its SNS notification'] }
  const errors: string[] = []
  let message: Record<string, unknown> = body
  let attributeType: unknown
  let messageId: string | null = null
  let timestamp: unknown
  if (body.Message !== undefined) {
    if (typeof body.Message !== 'string') return { ok: false, errors: ['Message must be the event as JSON text'] }
    try {
      const inner: unknown = JSON.parse(body.Message)
      if (!isObject(inner)) return { ok: false, errors: ['Message must hold a JSON object'] }
      message = inner
    } catch {
      return { ok: false, errors: ['Message is not valid JSON'] }
    }
    const attrs = body.MessageAttributes
    attributeType = isObject(attrs) && isObject(attrs.eventType) ? attrs.eventType.Value : undefined
    if (body.MessageId !== undefined) {
      messageId = text(body.MessageId, 100)
      if (!messageId) errors.push('MessageId must be text of at most 100 characters')
    }
    timestamp = body.Timestamp
  }
  const eventType = text(attributeType ?? message.eventType, 200)
  if (!eventType) errors.push('eventType must be given, as text of at most 200 characters')
  const occurredAt = instantOf(message.occurredAt ?? timestamp)
  if (!occurredAt)
    errors.push(
      message.occurredAt === undefined && timestamp === undefined
        ? 'occurredAt must be given'
        : 'occurredAt must be a date and time with its offset, like 2026-12-06T09:15:00Z',
    )
  const kind: HmppsEvent['kind'] =
    eventType === RECEIVED
      ? 'received'
      : eventType === RELEASED
        ? 'released'
        : eventType === COMPLEXITY_CHANGED
          ? 'complexity'
          : 'other'

  let prisonNumber: string | null = null
  let prisonCode: string | null = null
  let reason: string | null = null
  let level: ComplexityLevel | null = null
  let active: boolean | null = null
  const checkNumber = (v: unknown, name: string) => {
    if (typeof v === 'string' && PRISON_NUMBER.test(v.trim().toUpperCase())) prisonNumber = v.trim().toUpperCase()
    else errors.push(`${name} must be a prison number like A1234BC`)
  }
  if (kind === 'received' || kind === 'released') {
    const info = message.additionalInformation
    if (!isObject(info)) errors.push('additionalInformation must be an object')
    else {
      checkNumber(nomsNumberOf(message, info), 'additionalInformation.nomsNumber')
      if (typeof info.prisonId === 'string' && PRISON_CODE.test(info.prisonId.trim().toUpperCase()))
        prisonCode = info.prisonId.trim().toUpperCase()
      else errors.push('additionalInformation.prisonId must be a prison code like MDI')
      reason = text(info.reason, 60)
      if (!reason) errors.push('additionalInformation.reason must be given, as text of at most 60 characters')
    }
  } else if (kind === 'complexity') {
    checkNumber(message.offenderNo, 'offenderNo')
    const l = typeof message.level === 'string' ? message.level.trim().toLowerCase() : ''
    if (LEVELS.includes(l)) level = l as ComplexityLevel
    else errors.push('level must be low, medium or high')
    if (message.active !== undefined && message.active !== null && typeof message.active !== 'boolean')
      errors.push('active must be true or false')
    else active = message.active !== false
  } else {
    // keywork acts on no other event; it keeps the prison number it names, if any, for the admin page
    const info = isObject(message.additionalInformation) ? message.additionalInformation : {}
    const n = nomsNumberOf(message, info) ?? message.offenderNo
    if (typeof n === 'string' && PRISON_NUMBER.test(n.trim().toUpperCase())) prisonNumber = n.trim().toUpperCase()
  }
  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    event: {
      key: `${eventType}|${prisonNumber ?? ''}|${occurredAt}`,
      eventType: eventType!,
      kind,
      prisonNumber,
      prisonCode,
      reason,
      level,
      active,
      occurredAt: occurredAt!,
      date: londonDate(occurredAt!),
      messageId,
    },
  }
}

/** What an event means for keywork's record of him. */
export type Effect =
  | { kind: 'arrival'; transfer: boolean }
  | { kind: 'departure'; status: 'released' | 'transferred' }
  | { kind: 'complexity'; complexity: ComplexityLevel }
  | { kind: 'none'; why: string }

export function effectOf(e: HmppsEvent): Effect {
  if (e.kind === 'received') {
    if (e.reason === 'TRANSFERRED') return { kind: 'arrival', transfer: true }
    if (e.reason === 'NEW_ADMISSION' || e.reason === 'READMISSION' || e.reason === 'POST_MERGE_ADMISSION')
      return { kind: 'arrival', transfer: false }
    if (e.reason === 'RETURN_FROM_COURT' || e.reason === 'TEMPORARY_ABSENCE_RETURN')
      return { kind: 'none', why: 'a return from court or temporary absence: he stayed on the roll' }
    return { kind: 'none', why: `reason ${e.reason} is not one keywork acts on` }
  }
  if (e.kind === 'released') {
    if (e.reason === 'RELEASED' || e.reason === 'RELEASED_TO_HOSPITAL') return { kind: 'departure', status: 'released' }
    if (e.reason === 'TRANSFERRED') return { kind: 'departure', status: 'transferred' }
    if (e.reason === 'SENT_TO_COURT' || e.reason === 'TEMPORARY_ABSENCE_RELEASE')
      return { kind: 'none', why: 'out to court or on temporary absence: he stays on the roll' }
    return { kind: 'none', why: `reason ${e.reason} is not one keywork acts on` }
  }
  if (e.kind === 'complexity')
    // a withdrawn level leaves no complexity of need recorded: keywork's default, low
    return { kind: 'complexity', complexity: e.active === false ? 'low' : e.level! }
  return { kind: 'none', why: `keywork does not act on ${e.eventType}` }
}

/** One prisoner of a Prisoner Search roll, checked. */
export interface RollPrisoner {
  prisonNumber: string
  firstName: string
  lastName: string
  dateOfBirth: string
  prisonId: string
  /** ACTIVE IN, ACTIVE OUT (at court), INACTIVE OUT (released), INACTIVE TRN (in transfer) */
  status: string | null
  cellLocation: string | null
  /** the day he arrived at this prison: his last admission (a transfer in is one), else his reception */
  receptionDate: string
  releaseDate: string | null
  complexity: ComplexityLevel | null
  nationality: string | null
}

export type RollParse = { ok: true; value: RollPrisoner } | { ok: false; prisonNumber: string | null; errors: string[] }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A Prisoner Search prisoner as the roll sync needs him; every problem listed. Names and dates are checked later too. */
export function rollPrisonerOf(raw: unknown): RollParse {
  if (!isObject(raw)) return { ok: false, prisonNumber: null, errors: ['not a JSON object'] }
  const errors: string[] = []
  const number = typeof raw.prisonerNumber === 'string' ? raw.prisonerNumber.trim().toUpperCase() : ''
  if (!PRISON_NUMBER.test(number)) errors.push('prisonerNumber must be a prison number like A1234BC')
  const str = (name: string, max: number, required: boolean) => {
    const v = raw[name]
    if (v === undefined || v === null || v === '') {
      if (required) errors.push(`${name} is missing`)
      return null
    }
    if (typeof v !== 'string' || v.length > max) {
      errors.push(`${name} must be text of at most ${max} characters`)
      return null
    }
    return v.trim()
  }
  const day = (name: string, required: boolean) => {
    const v = str(name, 10, required)
    if (v !== null && !ISO_DATE.test(v)) {
      errors.push(`${name} must be a date like 2026-01-31`)
      return null
    }
    return v
  }
  const firstName = str('firstName', 60, true)
  const lastName = str('lastName', 60, true)
  const dateOfBirth = day('dateOfBirth', true)
  const prisonId = str('prisonId', 5, true)
  const status = str('status', 40, false)
  const cellLocation = str('cellLocation', 20, false)
  const lastAdmission = day('lastAdmissionDate', false)
  const reception = day('receptionDate', lastAdmission === null)
  const releaseDate = day('releaseDate', false)
  const level = str('complexityOfNeedLevel', 10, false)?.toLowerCase() ?? null
  if (level !== null && !LEVELS.includes(level)) errors.push('complexityOfNeedLevel must be low, medium or high')
  const nationality = str('nationality', 60, false)
  if (errors.length) return { ok: false, prisonNumber: PRISON_NUMBER.test(number) ? number : null, errors }
  return {
    ok: true,
    value: {
      prisonNumber: number,
      firstName: firstName!,
      lastName: lastName!,
      dateOfBirth: dateOfBirth!,
      prisonId: prisonId!.toUpperCase(),
      status,
      cellLocation: cellLocation?.toUpperCase() ?? null,
      receptionDate: (lastAdmission ?? reception)!,
      releaseDate,
      complexity: level as ComplexityLevel | null,
      nationality,
    },
  }
}

/**
 * The establishment's residential unit a cell is in: the longest unit code that is the cell's location or a prefix
 * of it by whole segments (A-1-002 is in A-1 before A); null when none is (reception, court, an unknown wing).
 */
export function unitForCell(cellLocation: string | null, unitCodes: readonly string[]): string | null {
  if (!cellLocation) return null
  const cell = cellLocation.toUpperCase()
  let best: string | null = null
  for (const code of unitCodes) {
    const c = code.toUpperCase()
    if ((cell === c || cell.startsWith(`${c}-`)) && (best === null || c.length > best.length)) best = code
  }
  return best
}

/** What keywork keeps of his record that the roll does not say. */
export interface KeptFields {
  complexity: string
  firstLanguage: string
  interpreterNeeded: boolean
  nationality: string
}

/**
 * The prisoner record (as a form or CSV row types it) that a roll entry makes for an establishment: in custody, his
 * unit and cell, dates and names from the roll; complexity of need from the roll when it says, else what keywork
 * had (low for a new record); language and interpreter as keywork had them.
 */
export function recordInputOf(p: RollPrisoner, unitCode: string | null, kept: KeptFields | null) {
  return {
    prisonNumber: p.prisonNumber,
    firstName: p.firstName,
    lastName: p.lastName,
    dateOfBirth: p.dateOfBirth,
    unit: unitCode ?? '',
    cell: p.cellLocation ?? '',
    receptionDate: p.receptionDate,
    releaseDate: p.releaseDate ?? '',
    status: 'in',
    complexity: p.complexity ?? kept?.complexity ?? 'low',
    firstLanguage: kept?.firstLanguage ?? 'en',
    interpreterNeeded: kept?.interpreterNeeded ? 'yes' : 'no',
    nationality: p.nationality ?? kept?.nationality ?? '',
  }
}

/**
 * Where a man keywork holds in custody at an establishment went, when its roll no longer has him, from his Prisoner
 * Search record (undefined: not found): 'present' if it says he is there after all; transferred if he is in transit
 * or active at another prison; released otherwise.
 */
export function departureOf(found: RollPrisoner | undefined, code: string): 'present' | 'released' | 'transferred' {
  if (!found) return 'released'
  if (found.prisonId === code) return 'present'
  if (found.prisonId === 'TRN' || found.status === 'INACTIVE TRN') return 'transferred'
  if (found.prisonId !== 'OUT' && /^ACTIVE\b/.test(found.status ?? '')) return 'transferred'
  return 'released'
}
