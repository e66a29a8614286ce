import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'

/**
 * HSDS types many values as plain strings that keywork shows or computes with: opening times, dates, weekdays. The
 * schemas cannot refuse "25:99" or "not a date" there, so these checks do, for the one-file (JSON) form and the
 * tabular (CSV) form alike. A value of the wrong JSON type is left to the schema.
 */

type Obj = Record<string, unknown>
type Check = (value: string) => string | null

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

/** A real calendar date (YYYY-MM-DD): 2025-02-30 is not one. */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return false
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
}

/** A time of day, HH:MM or HH:MM:SS (00:00 to 23:59:59), with the time zone HSDS recommends allowed after it. */
export function isTimeOfDay(s: string): boolean {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s)
  if (!m) return false
  if (Number(m[1]) > 23 || Number(m[2]) > 59 || (m[3] !== undefined && Number(m[3]) > 59)) return false
  if (m[4] && m[4] !== 'Z') {
    const zone = /^[+-](\d{2}):?(\d{2})$/.exec(m[4])!
    if (Number(zone[1]) > 14 || Number(zone[2]) > 59) return false
  }
  return true
}

/** An RFC 3339 date-time: a real date, a real time, and a time zone (Z or an offset). */
export function isDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt ](.+)$/.exec(s)
  if (!m || !isRealDate(m[1]!)) return false
  return /(Z|z|[+-]\d{2}:\d{2})$/.test(m[2]!) && isTimeOfDay(m[2]!.replace(/z$/, 'Z'))
}

const DAYS = new Set(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])

/** RFC 5545 BYDAY: weekdays separated by commas, each perhaps after an ordinal (1MO, -1FR; not 0, at most 53). */
export function isByDay(s: string): boolean {
  const parts = s.split(',').map(p => p.trim())
  return parts.every(p => {
    const m = /^([+-]?\d{1,2})?([A-Za-z]{2})$/.exec(p)
    if (!m || !DAYS.has(m[2]!.toUpperCase())) return false
    return m[1] === undefined || (Math.abs(Number(m[1])) >= 1 && Math.abs(Number(m[1])) <= 53)
  })
}

/** A comma list of whole numbers from 1 to max, or -1 to -max (RFC 5545 BYMONTHDAY, BYWEEKNO, BYYEARDAY). */
function isNumberList(s: string, max: number): boolean {
  return s.split(',').every(p => {
    const t = p.trim()
    if (!/^[+-]?\d{1,3}$/.test(t)) return false
    const n = Math.abs(Number(t))
    return n >= 1 && n <= max
  })
}

const shown = (v: string) => `"${excerpt(v)}"`

const date: Check = v => (isRealDate(v) ? null : `${shown(v)} is not a date: use YYYY-MM-DD, for example 2025-03-31`)
const dateTime: Check = v =>
  isDateTime(v)
    ? null
    : `${shown(v)} is not a date and time: use YYYY-MM-DDTHH:MM:SS with a time zone, for example 2025-03-31T09:30:00Z`
const dateOrDateTime: Check = v =>
  isRealDate(v) || isDateTime(v)
    ? null
    : `${shown(v)} is not a date: use YYYY-MM-DD, or a date and time such as 2025-03-31T09:30:00Z`
const time: Check = v =>
  isTimeOfDay(v) ? null : `${shown(v)} is not a time of day: use HH:MM or HH:MM:SS (24-hour clock), for example 09:30`
const byday: Check = v =>
  isByDay(v)
    ? null
    : `${shown(v)} is not a list of weekdays: use MO, TU, WE, TH, FR, SA and SU separated by commas (an occurrence such as 1MO or -1FR may come first)`
const languageCode: Check = v =>
  /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v)
    ? null
    : `${shown(v)} is not a language code: use an ISO 639 code such as en, cy or pol (a region may follow, as in en-GB)`
const numbers =
  (max: number, what: string): Check =>
  v =>
    isNumberList(v, max)
      ? null
      : `${shown(v)} is not a list of ${what}: whole numbers from 1 to ${max} (or -1 to -${max}) separated by commas`

type NumberCheck = (value: number) => string | null
const wholeFrom =
  (min: number): NumberCheck =>
  v =>
    Number.isInteger(v) && v >= min ? null : `must be a whole number, ${min} or more`
const between =
  (min: number, max: number): NumberCheck =>
  v =>
    v >= min && v <= max ? null : `must be between ${min} and ${max}`

/** The checked text fields of each HSDS entity (HSDS types them as strings: datapackage_type date, time...). */
const TEXT_CHECKS: Record<string, Record<string, Check>> = {
  service: { assured_date: date, last_modified: dateTime },
  schedule: {
    valid_from: date,
    valid_to: date,
    dtstart: date,
    until: date,
    opens_at: time,
    closes_at: time,
    byday,
    bymonthday: numbers(31, 'days of the month'),
    byweekno: numbers(53, 'weeks of the year'),
    byyearday: numbers(366, 'days of the year'),
  },
  cost_option: { valid_from: date, valid_to: date },
  // keywork shows the language's name for its code
  language: { code: languageCode },
  // keywork writes the date and time of its own changes here; HSDS says a date
  metadata: { last_action_date: dateOrDateTime },
}

const NUMBER_CHECKS: Record<string, Record<string, NumberCheck>> = {
  schedule: { interval: wholeFrom(1), count: wholeFrom(1), timezone: between(-12, 14) },
  location: { latitude: between(-90, 90), longitude: between(-180, 180) },
  service: { minimum_age: between(0, 150), maximum_age: between(0, 150) },
  phone: { extension: wholeFrom(0) },
}

/** The problems of one HSDS object's own values (not its nested objects); `where` names a field's place. */
export function valueProblems(entity: string, o: Obj, where: (field: string) => string): Problem[] {
  const out: Problem[] = []
  for (const [field, check] of Object.entries(TEXT_CHECKS[entity] ?? {})) {
    const v = o[field]
    if (typeof v !== 'string' || v === '') continue
    const message = check(v)
    if (message) out.push({ path: where(field), message })
  }
  for (const [field, check] of Object.entries(NUMBER_CHECKS[entity] ?? {})) {
    const v = o[field]
    if (typeof v !== 'number' || !Number.isFinite(v)) continue
    const message = check(v)
    if (message) out.push({ path: where(field), message })
  }
  const from = o.valid_from
  const to = o.valid_to
  if (
    (entity === 'schedule' || entity === 'cost_option') &&
    typeof from === 'string' &&
    typeof to === 'string' &&
    isRealDate(from) &&
    isRealDate(to) &&
    to < from
  )
    out.push({ path: where('valid_to'), message: `must not be before valid_from (${from})` })
  return out
}

/** The HSDS entity of the objects under each key of the nested (JSON) form. */
const ENTITY_OF_KEY: Record<string, string> = {
  organization: 'organization',
  organizations: 'organization',
  services: 'service',
  service: 'service',
  program: 'program',
  programs: 'program',
  service_at_locations: 'service_at_location',
  location: 'location',
  locations: 'location',
  addresses: 'address',
  phones: 'phone',
  contacts: 'contact',
  schedules: 'schedule',
  languages: 'language',
  attributes: 'attribute',
  taxonomy_term: 'taxonomy_term',
  taxonomy_detail: 'taxonomy',
  metadata: 'metadata',
  funding: 'funding',
  cost_options: 'cost_option',
  required_documents: 'required_document',
  service_areas: 'service_area',
  accessibility: 'accessibility',
  organization_identifiers: 'organization_identifier',
}

/** Every value problem of a nested HSDS object (a service, by default) and everything nested in it, by JSON path. */
export function nestedValueProblems(value: unknown, at: string, entity = 'service', out: Problem[] = []): Problem[] {
  if (!isObj(value)) return out
  out.push(...valueProblems(entity, value, field => `${at}/${field}`))
  for (const [key, child] of Object.entries(value)) {
    const childEntity = ENTITY_OF_KEY[key]
    if (!childEntity) continue
    if (Array.isArray(child)) child.forEach((c, i) => nestedValueProblems(c, `${at}/${key}/${i}`, childEntity, out))
    else nestedValueProblems(child, `${at}/${key}`, childEntity, out)
  }
  return out
}
