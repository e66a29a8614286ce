import { FULL_TIME_HOURS, type StaffStatus, type WorkingPattern } from './prisoner'

/** Staff numbers as HR systems issue them: letters and digits, such as SN12345 or 104233. */
export const STAFF_NUMBER = /^[A-Z0-9]{1,20}$/

export function normaliseStaffNumber(value: string): string {
  return value.trim().toUpperCase()
}

export function isStaffNumber(value: string): boolean {
  return STAFF_NUMBER.test(value)
}

/** Prison officer bands who take part in Key Work: band 3 Key Workers, band 4 Supervising Officers, band 5 managers. */
export const STAFF_GRADES = ['Band 3', 'Band 4', 'Band 5'] as const
export type StaffGrade = (typeof STAFF_GRADES)[number]

/** Accepts "Band 3", "band3", "B3" or "3"; returns the grade as we store it, or null if it is not one of ours. */
export function staffGrade(value: string): StaffGrade | null {
  const m = /^(?:band|b)?\s*(\d+)$/i.exec(value.trim())
  if (!m) return null
  const grade = `Band ${Number(m[1])}`
  return STAFF_GRADES.find(g => g === grade) ?? null
}

export const WEEKLY_HOURS_MIN = 0.5
export const WEEKLY_HOURS_MAX = 48

/** Hours when none are given: full time is the standard week; part time has no standard, so it must be given. */
export function defaultWeeklyHours(pattern: WorkingPattern): number | null {
  return pattern === 'full_time' ? FULL_TIME_HOURS : null
}

/**
 * Whether a status carries a date the person is back: annual leave always has one (allocation cover needs it),
 * a long-term absence may not be known yet, and the other statuses have none.
 */
export function returnDateRule(status: StaffStatus): 'required' | 'optional' | 'none' {
  if (status === 'annual_leave') return 'required'
  if (status === 'long_term_absence') return 'optional'
  return 'none'
}

/** Languages are kept as one text column of codes, "pl,ro", the same on both database engines. */
export function joinLanguages(codes: readonly string[]): string {
  return codes.join(',')
}

export function splitLanguages(stored: string | null | undefined): string[] {
  return (stored ?? '')
    .split(',')
    .map(c => c.trim())
    .filter(Boolean)
}
