/**
 * One directory service as people edit it (the form) and the demo generates it: the service, who runs it, where,
 * who to contact, when it is open, languages and pathways. Pure: phone numbers, times and opening-time lines.
 */
import type { Provision, ServiceStatus } from './directory'
import type { PathwayCode } from './pathways'

/** HSDS 3.0 schedule byday codes, Monday first. */
export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const
export type Day = (typeof DAYS)[number]
export const DAY_NAMES: Record<Day, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
}

/** HSDS phone types we offer. */
export const PHONE_TYPES = ['voice', 'text', 'textphone', 'fax', 'video'] as const
export type PhoneType = (typeof PHONE_TYPES)[number]

/** HSDS location types: inside the prison or in the community (physical), or online/by phone (virtual). */
export const LOCATION_TYPES = ['physical', 'virtual'] as const
export type LocationType = (typeof LOCATION_TYPES)[number]

/**
 * Rows that repeat (locations, phones, contacts, opening times) carry the id of their stored row when they come from
 * the database or from the form editing it: saving changes that row and keeps what the form does not show. A row
 * without an id is new.
 */
export interface PhoneRecord {
  id?: string
  number: string
  extension: string | null
  type: PhoneType
}

export interface AddressRecord {
  address1: string
  address2: string | null
  city: string
  region: string | null
  postalCode: string
}

export interface LocationRecord {
  id?: string
  type: LocationType
  name: string
  description: string | null
  url: string | null
  address: AddressRecord | null
}

export interface ContactRecord {
  id?: string
  name: string | null
  title: string | null
  email: string | null
  /** the first phone number; a record that gives `phones` may leave it null */
  phone: PhoneRecord | null
  /** every phone number of the contact, when there may be more than one (else `phone` alone) */
  phones?: PhoneRecord[]
}

export interface ScheduleRecord {
  id?: string
  days: Day[]
  opensAt: string | null
  closesAt: string | null
  description: string | null
}

export interface ServiceRecord {
  name: string
  description: string | null
  organizationName: string
  status: ServiceStatus
  provision: Provision
  applicationProcess: string | null
  eligibility: string | null
  waitTime: string | null
  email: string | null
  url: string | null
  interpretationServices: string | null
  /** the first location; a record that gives `locations` may leave it null */
  location: LocationRecord | null
  /** every location, when there may be more than one (else `location` alone) */
  locations?: LocationRecord[]
  contacts: ContactRecord[]
  phones: PhoneRecord[]
  schedules: ScheduleRecord[]
  /** ISO 639 codes */
  languages: string[]
  pathways: PathwayCode[]
}

/** Stored rows an edit removes, by id (a contact's phones are among `phones`). */
export interface RemovedRows {
  locations: string[]
  phones: string[]
  contacts: string[]
  schedules: string[]
}

/** A service as edited on the form: the record (rows with ids are stored rows) and the stored rows to remove. */
export interface ServiceEdit {
  record: ServiceRecord
  removed: RemovedRows
}

export const noRemovals = (): RemovedRows => ({ locations: [], phones: [], contacts: [], schedules: [] })

/** Every location of a service record. */
export function locationsOf(r: Pick<ServiceRecord, 'location' | 'locations'>): LocationRecord[] {
  return r.locations ?? (r.location ? [r.location] : [])
}

/** Every phone number of a contact. */
export function contactPhonesOf(c: Pick<ContactRecord, 'phone' | 'phones'>): PhoneRecord[] {
  return c.phones ?? (c.phone ? [c.phone] : [])
}

/** What the form asks of a place: inside the prison, at an address in the community, or by phone or online. */
export const LOCATION_KINDS = ['inside', 'community', 'virtual'] as const
export type LocationKind = (typeof LOCATION_KINDS)[number]

export function locationKindOf(l: Pick<LocationRecord, 'type' | 'address'>): LocationKind {
  return l.type === 'virtual' ? 'virtual' : l.address ? 'community' : 'inside'
}

/**
 * How to save an edited list of rows over the stored one, by id: stored rows the edit names are changed when what
 * the form shows of them differs (`same` says whether it does; else they are kept as they are), rows without an id (or with an id that is not one of
 * the stored rows: a stale or forged form) are added, and only the stored rows listed in `removed` are deleted
 * (removing wins over an edit of the same row).
 * Stored rows the edit neither names nor removes (added by someone else since the form was shown) are kept.
 */
export function reconcileRows<S extends { id: string }, E extends { id?: string }>(
  stored: readonly S[],
  edited: readonly E[],
  removed: readonly string[],
  same: (stored: S, edited: E) => boolean,
): { add: E[]; change: { stored: S; edited: E }[]; keep: { stored: S; edited: E }[]; remove: S[] } {
  const byId = new Map(stored.map(s => [s.id, s]))
  const gone = new Set(removed.filter(id => byId.has(id)))
  const add: E[] = []
  const change: { stored: S; edited: E }[] = []
  const keep: { stored: S; edited: E }[] = []
  const named = new Set<string>()
  for (const e of edited) {
    const s = e.id === undefined ? undefined : byId.get(e.id)
    // removing wins over editing the same row; a row named twice is written once and its copy added as new
    if (s && gone.has(s.id)) continue
    if (!s || named.has(s.id)) {
      const { id: _stale, ...row } = e
      add.push(row as E)
      continue
    }
    named.add(s.id)
    ;(same(s, e) ? keep : change).push({ stored: s, edited: e })
  }
  return { add, change, keep, remove: stored.filter(s => gone.has(s.id)) }
}

export type PhoneParse = { ok: true; number: string; extension: string | null } | { ok: false; message: string }

const EXTENSION = /\s*(?:ext\.?|extension|x)\s*(\d{1,6})\s*$/i

/**
 * A UK phone number as people write it: "0113 203 2600", "+44 113 203 2600", "+44 (0)113 203 2600",
 * "0113 203 2600 ext 1234", or a short number such as 116 123 or 111. Returns the number tidied (spacing kept as
 * typed, one space at most) and the extension, if written after the number; letters are refused.
 */
export function parseUkPhone(raw: string): PhoneParse {
  let s = raw.trim().replace(/\s+/g, ' ')
  let extension: string | null = null
  const ext = EXTENSION.exec(s)
  if (ext) {
    extension = ext[1]!
    s = s.slice(0, ext.index).trim()
  }
  const message = 'Enter a UK phone number, like 0113 203 2600 or +44 113 203 2600'
  if (!/^\+?[\d\s()-]+$/.test(s)) return { ok: false, message }
  let digits = s.replace(/\(0\)/g, '').replace(/[\s()-]/g, '')
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`
  else if (digits.startsWith('+')) return { ok: false, message }
  const valid = /^0[1-9]\d{8,9}$/.test(digits) || /^116\d{3}$/.test(digits) || /^1\d{2}$/.test(digits)
  if (!valid) return { ok: false, message }
  return { ok: true, number: s, extension }
}

/** Days in week order with no repeats, from any order. */
export function sortDays(days: readonly string[]): Day[] {
  return DAYS.filter(d => days.includes(d))
}

/** "Monday to Friday", "Monday and Wednesday", "Monday to Wednesday, Friday and Sunday", "Every day". */
export function dayPhrase(days: readonly string[]): string {
  const sorted = sortDays(days)
  if (sorted.length === 7) return 'Every day'
  const items: string[] = []
  let i = 0
  while (i < sorted.length) {
    let j = i
    while (j + 1 < sorted.length && DAYS.indexOf(sorted[j + 1]!) === DAYS.indexOf(sorted[j]!) + 1) j++
    if (j - i >= 2) items.push(`${DAY_NAMES[sorted[i]!]} to ${DAY_NAMES[sorted[j]!]}`)
    else for (let k = i; k <= j; k++) items.push(DAY_NAMES[sorted[k]!])
    i = j + 1
  }
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** One readable line per schedule: "Monday to Friday, 09:00 to 12:00" (description added after, if any). */
export function openingTimeLine(s: {
  days: readonly string[]
  opensAt: string | null
  closesAt: string | null
  description?: string | null
}): string {
  const parts: string[] = []
  const days = dayPhrase(s.days)
  if (days) parts.push(days)
  if (s.opensAt && s.closesAt) parts.push(`${s.opensAt} to ${s.closesAt}`)
  else if (s.opensAt) parts.push(`from ${s.opensAt}`)
  else if (s.closesAt) parts.push(`until ${s.closesAt}`)
  let line = parts.join(', ')
  if (s.description) line = line ? `${line} (${s.description})` : s.description
  return line
}

/** HSDS byday text ("MO,TU") to days, ignoring anything unknown (an RRULE may carry "1MO" and the like). */
export function daysOf(byday: string | null | undefined): Day[] {
  if (!byday) return []
  return sortDays(byday.split(',').map(d => d.trim().toUpperCase()))
}

/** A phone for display: "0113 496 0123, extension 204". */
export function phoneLine(p: { number: string; extension: string | null }): string {
  return p.extension ? `${p.number}, extension ${p.extension}` : p.number
}

/** The ISO date CHECK_DUE_MONTHS (or `months`) before `today`: services last checked before it are due. */
export function monthsBefore(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const total = y * 12 + (m - 1) - months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`
}
