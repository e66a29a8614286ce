import type { Services } from '../../services'
import { actorOf, ctxOf } from '../../web/context'
import { queryString } from '../../forms/forms'
import { type RouteDef, get } from '../../web/routing'

export function noticeRoutes(s: Services): RouteDef[] {
  return [
    get('/notices', 'signed-in', async (_req, res) => {
      const ctx = ctxOf(res)
      const notices = await s.notices.list(ctx.userId)
      res.render('notices/views/list', {
        pageTitle: 'Notices',
        unread: notices.filter(n => !n.read_at),
        read: notices.filter(n => n.read_at),
      })
    }),

    // opening a notice marks it read and goes to the page it is about; someone else's notice is not found
    get('/notices/open', 'signed-in', async (req, res) => {
      const raw = queryString(req, 'id')
      const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null
      if (id === null) return res.redirect(303, '/notices')
      const link = await s.notices.open({ ...actorOf(res), userId: ctxOf(res).userId }, id)
      res.redirect(303, link ?? '/notices')
    }),
  ]
}
