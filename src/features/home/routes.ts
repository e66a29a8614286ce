import type { Services } from '../../services'
import { ctxOf } from '../../web/context'
import { takeForm } from '../../web/forms'
import { type RouteDef, get } from '../../web/routing'

export function homeRoutes(s: Services): RouteDef[] {
  return [
    get('/', 'signed-in', async (req, res) => {
      const ctx = ctxOf(res)
      const summary = ctx.establishment ? await s.prisoners.summary(ctx.establishment.id) : null
      res.render('home/views/home', { ...takeForm(req, {}), summary, pageTitle: 'Home' })
    }),
  ]
}
