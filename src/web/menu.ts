import type { Role } from '../domain/roles'
import type { RequestContext } from './context'
import { type RouteDef, mayUse } from './routing'

/** A menu link: to a GET route of the application; shown to whoever may use that route. */
export interface MenuItem {
  text: string
  href: string
  /** other paths that are part of the same section (the link is current on them too) */
  sections?: string[]
  /** whose everyday work it is, when only some of those who may use it should find it in the menu (the rest reach it from the home page) */
  for?: readonly Role[]
}

/**
 * The menu a user sees: each item whose route they may use (the route's own access rule, so the menu never offers a
 * page that would refuse them) and, where the item says, whose everyday work it is. A national user who has not
 * chosen an establishment acts in none: only pages that need no establishment.
 */
export function menuFor(
  items: readonly MenuItem[],
  routes: readonly RouteDef[],
  ctx: RequestContext,
  noEstablishmentChosen: boolean,
) {
  const establishment = noEstablishmentChosen ? null : ctx.establishment
  return items
    .filter(item => {
      const route = routes.find(r => r.method === 'get' && r.path === item.href)
      if (!route) throw new Error(`the menu links to ${item.href}, which no GET route serves`)
      if (!mayUse(route.access, ctx.roles, establishment)) return false
      return !item.for || item.for.some(r => ctx.roles.includes(r))
    })
    .map(({ text, href, sections }) => ({ text, href, sections: sections ?? [] }))
}
