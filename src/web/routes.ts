import { allocationRoutes } from '../features/allocations/routes'
import { auditRoutes } from '../features/audit/routes'
import { authRoutes } from '../features/auth/routes'
import { establishmentRoutes } from '../features/establishments/routes'
import { homeRoutes } from '../features/home/routes'
import { importRoutes } from '../features/import/routes'
import { prisonerRoutes } from '../features/prisoners/routes'
import { staffRoutes } from '../features/staff/routes'
import { unitRoutes } from '../features/units/routes'
import { userRoutes } from '../features/users/routes'
import type { Services } from '../services'
import type { RouteDef } from './routing'

/** Every route of the application, each with its access rule. The access-matrix test walks this list. */
export function routes(s: Services): RouteDef[] {
  return [
    ...authRoutes(s),
    ...homeRoutes(s),
    ...establishmentRoutes(s),
    ...prisonerRoutes(s),
    ...unitRoutes(s),
    ...staffRoutes(s),
    ...userRoutes(s),
    ...auditRoutes(s),
    ...allocationRoutes(s),
    ...importRoutes(s),
  ]
}
