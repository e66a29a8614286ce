import type { Express, NextFunction, Request, Response } from 'express'
import { rolesIn } from '../../domain/roles'
import type { Services } from '../../services'
import type { RequestContext } from '../context'
import { menuFor } from '../menu'
import type { AppParts } from '../parts'

/**
 * 8. The signed-in user, their roles in the establishment they act in, and the flash message (res.locals.ctx,
 * res.locals.flash). A national user who has not chosen an establishment is on the national overview, not in the
 * first one found (res.locals.noEstablishmentChosen). The menu they may use (res.locals.menu).
 */
export function currentUser(app: Express, services: Services, parts: Pick<AppParts, 'menu' | 'routes'>) {
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    res.locals.currentPath = req.path
    const userId = req.session.userId
    if (!userId) return next()
    const { user, grants } = await services.users.access(userId)
    if (!user || user.enabled !== 1) {
      delete req.session.userId
      return next()
    }
    const establishments = await services.establishments.available(grants)
    let establishment = establishments.find(e => e.id === req.session.establishmentId) ?? establishments[0] ?? null
    const unchosen = req.session.establishmentId === undefined && grants.some(g => g.role === 'NATIONAL_POLICY')
    res.locals.noEstablishmentChosen = unchosen
    if (establishment && req.session.establishmentId !== establishment.id && !unchosen)
      req.session.establishmentId = establishment.id
    if (!establishment) establishment = null
    const ctx: RequestContext = {
      userId,
      username: user.username,
      displayName: user.display_name,
      grants,
      national: grants.some(g => g.role === 'NATIONAL_POLICY'),
      roles: rolesIn(grants, establishment?.id ?? null),
      establishments,
      establishment,
      mustChangePassword: user.must_change_password === 1,
    }
    res.locals.ctx = ctx
    res.locals.menu = menuFor(parts.menu, parts.routes, ctx, unchosen)
    if (req.session.flash) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    next()
  })
}
