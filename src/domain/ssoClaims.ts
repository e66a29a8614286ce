import { type Role, type RoleGrant, isRole } from './roles'

/** Where an OpenID provider's claims hold the roles and the establishments (caseloads) they apply in. */
export interface ClaimNames {
  rolesClaim?: string
  establishmentsClaim?: string
}

/**
 * A claim's values: an array of strings, or one string of values separated by spaces or commas (providers differ).
 * Anything else: none.
 */
export function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map(v => v.trim())
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean)
  return []
}

/** A role named in a claim: a keywork role name, upper or lower case, optionally ROLE_-prefixed (HMPPS Auth). */
export function roleOfClaim(value: string): Role | null {
  const name = value
    .trim()
    .toUpperCase()
    .replace(/^ROLE_/, '')
  return isRole(name) ? name : null
}

/**
 * The grants the claims give, or null when the roles claim is not configured (keywork's own roles then apply).
 * Each establishment role applies in every establishment the establishments claim names that keywork knows
 * (establishmentIdOf: its code's id, or undefined); the national role applies everywhere (establishmentId null).
 * Unknown roles and establishments are ignored. Sorted and without duplicates.
 */
export function grantsFromClaims(
  claims: Record<string, unknown>,
  names: ClaimNames,
  establishmentIdOf: (code: string) => number | undefined,
): RoleGrant[] | null {
  if (!names.rolesClaim) return null
  const roles = [...new Set(claimValues(claims[names.rolesClaim]).map(roleOfClaim))].filter((r): r is Role => !!r)
  const codes = names.establishmentsClaim ? claimValues(claims[names.establishmentsClaim]) : []
  const ids = [...new Set(codes.map(c => establishmentIdOf(c.toUpperCase())))].filter(
    (id): id is number => id !== undefined,
  )
  const grants: RoleGrant[] = []
  for (const role of roles) {
    if (role === 'NATIONAL_POLICY') grants.push({ role, establishmentId: null })
    else for (const id of ids) grants.push({ role, establishmentId: id })
  }
  return grants.sort(compareGrants)
}

export function compareGrants(a: RoleGrant, b: RoleGrant): number {
  return (a.establishmentId ?? 0) - (b.establishmentId ?? 0) || a.role.localeCompare(b.role)
}

/** Whether two sets of grants are the same (in any order). */
export function sameGrants(a: RoleGrant[], b: RoleGrant[]): boolean {
  const key = (g: RoleGrant) => `${g.establishmentId ?? '-'}:${g.role}`
  const left = new Set(a.map(key))
  const right = new Set(b.map(key))
  return left.size === right.size && [...left].every(k => right.has(k))
}

/**
 * The claims of a JWT's payload (an access token some providers, HMPPS Auth among them, issue as a JWT with the
 * roles in it); null for an opaque token or anything that does not decode to an object. Not a signature check: use
 * only for a token received directly from the provider's token endpoint over TLS.
 */
export function jwtPayload(token: string | undefined): Record<string, unknown> | null {
  const parts = (token ?? '').split('.')
  if (parts.length !== 3 || !parts[1]) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
