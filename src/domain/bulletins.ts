import { addDays, londonDate, londonDayStart } from './dates'

/**
 * Bulletins (issue 17): what the national team publishes to establishment staff (a new guide version, a national
 * worksheet, a notice), who it is for, and the weekly digest: which ISO week (Europe/London) an instant falls in,
 * and which bulletins a digest carries. Pure: the feature (src/features/bulletins) reads and writes the rows.
 */

export const BULLETIN_KINDS = ['guide', 'worksheet', 'notice'] as const
export type BulletinKind = (typeof BULLETIN_KINDS)[number]

export const BULLETIN_KIND_NAMES: Record<BulletinKind, string> = {
  guide: 'New guide version',
  worksheet: 'New worksheet',
  notice: 'Notice',
}

/** The roles a bulletin may be limited to: establishment staff (the national team publishes, it is not told). */
export const AUDIENCE_ROLES = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
export type AudienceRole = (typeof AUDIENCE_ROLES)[number]

export const AUDIENCE_NAMES: Record<AudienceRole, string> = {
  KEY_WORKER: 'Key Workers',
  SUPERVISING_OFFICER: 'Supervising Officers',
  ESTABLISHMENT_ADMIN: 'Establishment admins',
}

export const BULLETIN_TITLE_MAX = 120
export const BULLETIN_SUMMARY_MAX = 2000

const isAudienceRole = (r: string): r is AudienceRole => (AUDIENCE_ROLES as readonly string[]).includes(r)

/**
 * The roles a bulletin is limited to, as stored ('' or every role: everyone), in a fixed order, without repeats or
 * anything that is not an establishment role.
 */
export function formatAudience(roles: readonly string[]): string {
  const chosen = AUDIENCE_ROLES.filter(r => roles.includes(r))
  return chosen.length === AUDIENCE_ROLES.length ? '' : chosen.join(',')
}

/** The stored audience back as roles; empty: every establishment user. */
export function parseAudience(stored: string): AudienceRole[] {
  return stored
    .split(',')
    .map(r => r.trim())
    .filter(isAudienceRole)
}

/** Whether a bulletin limited to `audience` (empty: everyone) is for someone holding `roles` in an establishment. */
export function reaches(audience: readonly string[], roles: readonly string[]): boolean {
  const staffRoles = roles.filter(isAudienceRole)
  if (!staffRoles.length) return false
  return audience.length === 0 || staffRoles.some(r => audience.includes(r))
}

/** Who a bulletin is for, in words. */
export function audienceText(audience: readonly string[]): string {
  const names = AUDIENCE_ROLES.filter(r => audience.includes(r)).map(r => AUDIENCE_NAMES[r])
  if (!names.length) return 'Everyone in every establishment'
  if (names.length === 1) return names[0]!
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/** The ISO 8601 week of a calendar day ('YYYY-MM-DD'), as 'YYYY-Www' (weeks start on Monday). */
export function isoWeekOfDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const monday0 = (d.getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  // the week belongs to the year its Thursday is in
  const thursday = new Date(d.getTime() + (3 - monday0) * 86_400_000)
  const year = thursday.getUTCFullYear()
  const jan1 = Date.UTC(year, 0, 1)
  const week = 1 + Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000))
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The digest week of an instant: the ISO week of its Europe/London day. */
export function digestWeek(at: Date | string): string {
  return isoWeekOfDay(londonDate(at))
}

/** The Monday ('YYYY-MM-DD') of the ISO week of a calendar day. */
export function mondayOf(day: string): string {
  const monday0 = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(day, -monday0)
}

/**
 * The digest of an instant: its ISO week (Europe/London), the unique key of a user's digest, and what the digest
 * carries: the 7 days of the week before, from Monday 00:00 to the next Monday 00:00 London time (UTC instants,
 * `from` ≤ published < `to`). The daily job sends it on its first run of the week (Monday just after midnight,
 * or later when the service was down), so each bulletin is in one week's digest at most.
 */
export function digestWindow(at: Date | string): { week: string; from: string; to: string } {
  const day = londonDate(at)
  const monday = mondayOf(day)
  return { week: isoWeekOfDay(day), from: londonDayStart(addDays(monday, -7)), to: londonDayStart(monday) }
}

export interface DigestBulletin {
  id: number
  /** UTC ISO timestamp */
  publishedAt: string
  audience: readonly string[]
}

/**
 * The bulletins a user's digest carries: published in the window (`from` ≤ published < `to`), for one of the user's
 * roles, not read; oldest first. Empty: no email.
 */
export function digestBulletins(input: {
  window: { from: string; to: string }
  bulletins: readonly DigestBulletin[]
  read: ReadonlySet<number>
  roles: readonly string[]
}): number[] {
  const from = Date.parse(input.window.from)
  const to = Date.parse(input.window.to)
  return input.bulletins
    .filter(b => {
      const at = Date.parse(b.publishedAt)
      return at >= from && at < to && !input.read.has(b.id) && reaches(b.audience, input.roles)
    })
    .sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || a.id - b.id)
    .map(b => b.id)
}

/** A whole percentage of officers who have read (null when there are none to read it). */
export function readPercent(read: number, officers: number): number | null {
  if (officers <= 0) return null
  return Math.round((100 * read) / officers)
}

/** How far back the home page and the reach pages look, in days: older bulletins are in the national list. */
export const RECENT_DAYS = 90
