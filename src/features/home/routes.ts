import type { Services } from '../../services'
import { ctxOf } from '../../web/context'
import { takeForm } from '../../web/forms'
import { type RouteDef, get } from '../../web/routing'
import { renderNationalOverview } from '../national/routes'

export function homeRoutes(s: Services): RouteDef[] {
  return [
    get('/', 'signed-in', async (req, res) => {
      const ctx = ctxOf(res)
      if (res.locals.noEstablishmentChosen) return renderNationalOverview(s, res)
      const summary = ctx.establishment ? await s.prisoners.summary(ctx.establishment.id) : null
      res.render('home/views/home', { ...takeForm(req, {}), summary, pageTitle: 'Home' })
    }),
  ]
}
