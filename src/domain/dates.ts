import { now } from './clock'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/

/** Parses 'YYYY-MM-DD' or 'DD/MM/YYYY' to 'YYYY-MM-DD'; null if it is not a real calendar date. */
export function parseDate(value: string): string | null {
  const v = value.trim()
  let y: number, m: number, d: number
  const iso = ISO_DATE.exec(v)
  const uk = UK_DATE.exec(v)
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else if (uk) [d, m, y] = [Number(uk[1]), Number(uk[2]), Number(uk[3])]
  else return null
  return isoFromParts(y, m, d)
}

export function isoFromParts(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

/** Today in Europe/London (by the clock, or at the instant given). */
export function todayIso(at: Date = now()): string {
  return londonDate(at)
}

// made once: making a formatter costs a quarter of a millisecond, far more than using it
const LONDON_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/**
 * The Europe/London day of an instant (a Date or a stored ISO timestamp), 'YYYY-MM-DD': the day an event happened
 * for a prison in England. A plain date ('YYYY-MM-DD') is already a day and is returned as it is.
 */
export function londonDate(at: Date | string): string {
  if (typeof at === 'string') {
    if (ISO_DATE.test(at)) return at
    // London's clocks change on the hour (01:00 UTC), so every instant of one UTC hour has the same London day: a
    // year of statistics asks for a few hundred thousand timestamps but only 8,760 hours, each formatted once
    if (UTC_TIMESTAMP.test(at)) {
      const hour = at.slice(0, 13)
      let day = dayOfUtcHour.get(hour)
      if (day === undefined) {
        if (dayOfUtcHour.size >= 100_000) dayOfUtcHour.clear()
        day = formatLondonDay(new Date(`${hour}:00:00Z`))
        dayOfUtcHour.set(hour, day)
      }
      return day
    }
    at = new Date(at)
  }
  return formatLondonDay(at)
}

const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$/
const dayOfUtcHour = new Map<string, string>()

function formatLondonDay(at: Date): string {
  const parts = LONDON_DAY.formatToParts(at)
  const get = (type: string) => parts.find(p => p.type === type)?.value ?? '00'
  return `${get('year')}-${get('month')}-${get('day')}`
}

/**
 * The instant a Europe/London day starts, as a stored ISO timestamp ('2026-07-01T23:00:00.000Z' for 2 July 2026):
 * timestamps t on day d are exactly londonDayStart(d) ≤ t < londonDayStart(d + 1), in text order too.
 */
export function londonDayStart(day: string): string {
  // London is UTC or UTC+1: midnight there is 00:00 or 23:00 UTC the day before; take the later that is still day
  const utcMidnight = Date.parse(`${day}T00:00:00Z`)
  const bst = new Date(utcMidnight - 3_600_000)
  return (londonDate(bst) === day ? bst : new Date(utcMidnight)).toISOString()
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * The same day `months` months on (negative: back), clamped to the end of a shorter month, as Java's
 * LocalDate.plusMonths / minusMonths: 31 August minus 6 months is 28 (or 29) February.
 */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000)
}

/** The months' names, January first. */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** GOV.UK style: 4 June 2026. A timestamp shows its London day (23:30 UTC on 1 July 2026 is 2 July 2026). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const timestamp = iso.length > 10 && iso[10] === 'T' && !Number.isNaN(Date.parse(iso))
  const m = ISO_DATE.exec(timestamp ? londonDate(iso) : iso.slice(0, 10))
  if (!m) return iso
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`
}
