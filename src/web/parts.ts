import type { Request, RequestHandler } from 'express'
import type { MenuItem } from './menu'
import type { RouteDef } from './routing'

/**
 * What the features give the web application (src/routes.ts builds it): the web layer imports no feature, so
 * everything feature-specific reaches createWebApp through this.
 */
export interface AppParts {
  /** every route, each with its access rule */
  routes: RouteDef[]
  /** the menu, in order: each link shown to whoever may use its route (web/menu.ts) */
  menu: MenuItem[]
  /** the status page for people (/status), served before sessions: it must answer when the database does not */
  statusPage: RequestHandler
  /** where a signed-out POST returns after sign-in, when its page must be kept (null: the page it came from) */
  returnAfterSignIn: (req: Request) => string | null
  /** requests to an API that answers for itself: JSON errors, its own authentication, no session for a token */
  isApi: (req: Request) => boolean
  /** pages anyone may open without signing in (a 'public' route is otherwise public only to signed-in users) */
  isPublicPage?: (req: Request) => boolean
}
