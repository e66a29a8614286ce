export const ROLES = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, string> = {
  KEY_WORKER: 'Key Worker',
  SUPERVISING_OFFICER: 'Supervising Officer',
  ESTABLISHMENT_ADMIN: 'Establishment admin',
  NATIONAL_POLICY: 'National policy team',
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export interface RoleGrant {
  role: Role
  /** null for national roles, which apply in every establishment */
  establishmentId: number | null
}

/** The roles a user holds while acting in one establishment: its own grants plus national ones. */
export function rolesIn(grants: RoleGrant[], establishmentId: number | null): Role[] {
  const roles = new Set<Role>()
  for (const g of grants) {
    if (g.establishmentId === null || g.establishmentId === establishmentId) roles.add(g.role)
  }
  return [...roles]
}

export function isNational(grants: RoleGrant[]): boolean {
  return grants.some(g => g.role === 'NATIONAL_POLICY')
}
