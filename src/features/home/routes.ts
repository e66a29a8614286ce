import type { Services } from '../../services'
import { ctxOf } from '../../web/context'
import { queryString, takeForm } from '../../forms/forms'
import { surveyRoleOf } from '../../domain/survey'
import { type RouteDef, get } from '../../web/routing'
import { bulletinView } from '../bulletins/service'

export function homeRoutes(s: Services): RouteDef[] {
  return [
    get('/', 'signed-in', async (req, res) => {
      const ctx = ctxOf(res)
      // a national user who has not chosen an establishment lands on the national overview (as /national shows it)
      if (res.locals.noEstablishmentChosen)
        return res.render(
          'national/views/overview',
          await s.national.overviewPage({
            category: queryString(req, 'category'),
            region: queryString(req, 'region'),
            sort: queryString(req, 'sort'),
            order: queryString(req, 'order'),
          }),
        )
      // the staff survey (issue 17): staff with a role here are told while a round is open and they have not taken part
      res.locals.surveyOpen =
        ctx.establishment &&
        surveyRoleOf(ctx.grants.filter(g => g.establishmentId === ctx.establishment?.id).map(g => g.role))
          ? await s.survey.waitingFor(ctx.userId)
          : null
      const summary = ctx.establishment ? await s.prisoners.summary(ctx.establishment.id) : null
      // what the user has been told in the service and not read yet (feedback, commendations, replies)
      const unreadNotices = await s.notices.unreadCount(ctx.userId)
      // what the national team published for the user's roles here and they have not marked read (issue 17)
      const bulletins = ctx.establishment
        ? (await s.bulletins.unread(ctx.userId, ctx.roles)).map(b => bulletinView(b, 4))
        : []
      res.render('home/views/home', { ...takeForm(req, {}), summary, unreadNotices, bulletins, pageTitle: 'Home' })
    }),
  ]
}
