import { addMonths } from './dates'

/** The bounds the national team may set the retention rule within (years after a man's last release). */
export const RETENTION_MIN_YEARS = 1
export const RETENTION_MAX_YEARS = 100

/**
 * The last release date whose personal data is due for anonymising today: released on or before this day, `years`
 * years ago. A man released exactly `years` years ago to the day is due (the anniversary is the first day he is).
 */
export function retentionCutoff(today: string, years: number): string {
  return addMonths(today, -12 * years)
}

export interface RecordOfHim {
  status: string
  release_date: string | null
}

/**
 * Whether a man's personal data is due: every record of him, in every establishment, says released with a date, and
 * the latest of those dates is on or before the cut-off. A man in custody or transferred anywhere is not due.
 */
export function dueForAnonymising(records: readonly RecordOfHim[], cutoff: string): boolean {
  if (records.length === 0) return false
  let last = ''
  for (const r of records) {
    if (r.status !== 'released' || !r.release_date) return false
    if (r.release_date > last) last = r.release_date
  }
  return last <= cutoff
}

/**
 * The prison number an anonymised man's records carry instead of his own: Z, four digits and two letters from a
 * number (his first record's id), in the shape of a prison number so every page still reads it, never a real one
 * (real prison numbers do not start with Z).
 */
export function pseudonymousNumber(n: number): string {
  const digits = n % 10000
  const rest = Math.floor(n / 10000)
  const a = String.fromCharCode(65 + (Math.floor(rest / 26) % 26))
  const b = String.fromCharCode(65 + (rest % 26))
  return `Z${String(digits).padStart(4, '0')}${a}${b}`
}
