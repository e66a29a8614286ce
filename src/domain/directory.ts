/**
 * Pure rules of the services directory, shared by the editing forms, the HSDS import and the booklet.
 */

/** HSDS 3.0 service statuses. */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

/** Where a service is delivered: inside the prison, or in the community. */
export const PROVISIONS = ['internal', 'external'] as const
export type Provision = (typeof PROVISIONS)[number]

/** A service not checked for this many months is listed for its owners to check. */
export const CHECK_DUE_MONTHS = 6

/**
 * The text a search matches against: lower case, one space between words. Built from what a person would type
 * to find the service (its names, what it does, who runs it, who to contact), so the search itself is one indexed
 * LIKE on one column on either database engine.
 */
export function searchTextOf(parts: {
  name: string
  alternateName?: string | null
  description?: string | null
  organizationName?: string | null
  eligibility?: string | null
  contacts?: readonly { name?: string | null; title?: string | null; department?: string | null }[]
}): string {
  const words = [
    parts.name,
    parts.alternateName,
    parts.description,
    parts.organizationName,
    parts.eligibility,
    ...(parts.contacts ?? []).flatMap(c => [c.name, c.title, c.department]),
  ]
  return words
    .filter((w): w is string => typeof w === 'string' && w.length > 0)
    .join(' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** One service as the booklet (part 2) and a referral need it: who, how, when, and how to reach them. */
export interface BookletService {
  id: string
  name: string
  description: string | null
  provision: Provision
  status: string
  /** pathway codes (src/domain/pathways.ts) */
  pathways: string[]
  applicationProcess: string | null
  email: string | null
  location: string | null
  contacts: { name: string | null; title: string | null; email: string | null; phones: string[] }[]
  phones: string[]
  /** e.g. "Monday to Friday, 09:00 to 12:00" */
  openingTimes: string[]
  national: boolean
}
