import type { Services } from '../../services'
import { normalisePrisonNumber } from '../../domain/prisoner'
import { GOAL_STATUSES, REFERRAL_STATUSES } from '../../domain/sessions'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { type RouteDef, get, param } from '../../web/routing'

const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
/** who also sees deleted session entries, with who deleted them and why */
const ADMINS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

export function timelineRoutes(s: Services): RouteDef[] {
  return [
    get('/prisoners/:prisonNumber/timeline', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const t = await s.timeline.forPrisoner(actorOf(res), est.id, normalisePrisonNumber(param(req, 'prisonNumber')), {
        includeDeleted: hasRole(res, ...ADMINS),
      })
      if (!t) throw new HttpError(404)
      res.render('timeline/views/timeline', {
        pageTitle: `Key work timeline: ${t.prisoner.first_name} ${t.prisoner.last_name}`,
        ...t,
      })
    }),

    get('/prisoners/:prisonNumber/timeline/print', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const summary = await s.timeline.summary(actorOf(res), est.id, normalisePrisonNumber(param(req, 'prisonNumber')))
      if (!summary) throw new HttpError(404)
      res.render('timeline/views/print', {
        pageTitle: `Key work summary: ${summary.prisoner.first_name} ${summary.prisoner.last_name}`,
        ...summary,
        goalStatuses: GOAL_STATUSES,
        referralStatuses: REFERRAL_STATUSES,
      })
    }),
  ]
}
