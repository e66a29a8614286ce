import type { Response } from 'express'
import type { Services } from '../../services'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { ctxOf } from '../../web/context'
import { type RouteDef, get } from '../../web/routing'
import { nationalRepository } from './repository'

/** The window of "sessions delivered" on the overview: the last 28 days, today included. */
export const DELIVERED_DAYS = 28

/**
 * The national team's landing page: every establishment with its headline figures and a way into it. A national
 * user who has not chosen an establishment sees it at / as well (see the home page), so nobody lands in whichever
 * establishment happens to come first.
 */
export async function renderNationalOverview(s: Services, res: Response) {
  const repo = nationalRepository(s.db.db)
  const today = londonNow().date
  const from = addDays(today, -(DELIVERED_DAYS - 1))
  const [people, delivered] = await Promise.all([repo.eligibleAndAllocated(), repo.deliveredBetween(from, today)])
  const peopleOf = new Map(people.map(r => [r.establishment_id, r]))
  const deliveredOf = new Map(delivered.map(r => [r.establishment_id, Number(r.delivered)]))
  const rows = ctxOf(res).establishments.map(e => {
    const eligible = Number(peopleOf.get(e.id)?.eligible ?? 0)
    const allocated = Number(peopleOf.get(e.id)?.allocated ?? 0)
    return {
      code: e.code,
      name: e.name,
      eligible,
      allocatedPercent: eligible ? Math.round((allocated / eligible) * 100) : null,
      delivered: deliveredOf.get(e.id) ?? 0,
    }
  })
  res.render('national/views/overview', { pageTitle: 'National overview', rows, from, today, nationalOverview: true })
}

export function nationalRoutes(s: Services): RouteDef[] {
  return [get('/national', ['NATIONAL_POLICY'], (_req, res) => renderNationalOverview(s, res))]
}
