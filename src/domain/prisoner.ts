export const PRISON_NUMBER = /^[A-Z]\d{4}[A-Z]{2}$/

export function normalisePrisonNumber(value: string): string {
  return value.trim().toUpperCase()
}

export function isPrisonNumber(value: string): boolean {
  return PRISON_NUMBER.test(value)
}

export const PRISONER_STATUSES = ['in', 'released', 'transferred'] as const
export type PrisonerStatus = (typeof PRISONER_STATUSES)[number]
export const PRISONER_STATUS_NAMES: Record<PrisonerStatus, string> = {
  in: 'In prison',
  released: 'Released',
  transferred: 'Transferred',
}

/** A prisoner's movements into and out of an establishment's custody, as each establishment records them. */
export const CUSTODY_EVENT_KINDS = ['reception', 'transfer_in', 'transfer_out', 'release'] as const
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number]
export const CUSTODY_EVENT_NAMES: Record<CustodyEventKind, string> = {
  reception: 'Received',
  transfer_in: 'Transferred in',
  transfer_out: 'Transferred out',
  release: 'Released',
}

/** Why a record of a prison number that another establishment holds in custody is refused. */
export function heldElsewhereMessage(prisonNumber: string): string {
  return `${prisonNumber} is recorded at another establishment: they must record him transferred out or released first`
}

/**
 * While another establishment holds him in custody, an establishment may neither start a record of him nor put its
 * own record of him in custody; its own earlier record (released, transferred) stays its to correct.
 */
export function refusedWhileHeldElsewhere(hasOwnRecord: boolean, status: string): boolean {
  return !hasOwnRecord || status === 'in'
}

/**
 * The custody event a change of status of one establishment's record makes, if any: coming into custody is a
 * transfer in when another establishment had him (a reception otherwise); leaving it, a transfer out or a release.
 */
export function custodyEventFor(
  from: string | null,
  to: string,
  cameFromAnotherEstablishment: boolean,
): CustodyEventKind | undefined {
  if (to === 'in' && from !== 'in') return cameFromAnotherEstablishment ? 'transfer_in' : 'reception'
  if (from === 'in' && to === 'transferred') return 'transfer_out'
  if (from === 'in' && to === 'released') return 'release'
  return undefined
}

export const COMPLEXITIES = ['low', 'medium', 'high'] as const
export type Complexity = (typeof COMPLEXITIES)[number]
export const COMPLEXITY_NAMES: Record<Complexity, string> = { low: 'Low', medium: 'Medium', high: 'High' }

export const STAFF_STATUSES = [
  'active',
  'annual_leave',
  'long_term_absence',
  'no_prisoner_contact',
  'inactive',
] as const
export type StaffStatus = (typeof STAFF_STATUSES)[number]
export const STAFF_STATUS_NAMES: Record<StaffStatus, string> = {
  active: 'Active',
  annual_leave: 'Annual leave',
  long_term_absence: 'Long-term absence',
  no_prisoner_contact: 'No prisoner contact',
  inactive: 'Inactive',
}

export const WORKING_PATTERNS = ['full_time', 'part_time'] as const
export type WorkingPattern = (typeof WORKING_PATTERNS)[number]
export const WORKING_PATTERN_NAMES: Record<WorkingPattern, string> = { full_time: 'Full time', part_time: 'Part time' }

export const FULL_TIME_HOURS = 37

/**
 * The words of a name search as LIKE prefixes: each must start a first name, last name or number.
 * Wildcards typed by the user are dropped; at most four words count.
 */
export function searchPrefixes(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,]+/)
    .map(w => w.replace(/[%_\\]/g, ''))
    .filter(Boolean)
    .slice(0, 4)
    .map(w => `${w}%`)
}
