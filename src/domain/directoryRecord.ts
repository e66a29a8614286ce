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

export interface PhoneRecord {
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
  type: LocationType
  name: string
  description: string | null
  url: string | null
  address: AddressRecord | null
}

export interface ContactRecord {
  name: string | null
  title: string | null
  email: string | null
  phone: PhoneRecord | null
}

export interface ScheduleRecord {
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
  location: LocationRecord | null
  contacts: ContactRecord[]
  phones: PhoneRecord[]
  schedules: ScheduleRecord[]
  /** ISO 639 codes */
  languages: string[]
  pathways: PathwayCode[]
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

/** "9:00", "09.00", "0900" → "09:00"; null when not a time of day. */
export function parseTime(raw: string): string | null {
  const m = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/.exec(raw.trim())
  if (!m) return null
  return `${m[1]!.padStart(2, '0')}:${m[2]}`
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
