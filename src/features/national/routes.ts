import type { Response } from 'express'
import type { Services } from '../../services'
import { ctxOf } from '../../web/context'
import { type RouteDef, get } from '../../web/routing'

/**
 * The national team's landing page: every establishment with its headline figures and a way into it. A national
 * user who has not chosen an establishment sees it at / as well (the home page renders the same view), so nobody
 * lands in whichever establishment happens to come first.
 */
async function renderOverview(s: Services, res: Response) {
  const overview = await s.national.overview(ctxOf(res).establishments)
  res.render('national/views/overview', { pageTitle: 'National overview', ...overview, nationalOverview: true })
}

export function nationalRoutes(s: Services): RouteDef[] {
  return [get('/national', ['NATIONAL_POLICY'], (_req, res) => renderOverview(s, res))]
}
