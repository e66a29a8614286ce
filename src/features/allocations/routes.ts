import type { Services } from '../../services'
import { normalisePrisonNumber } from '../../domain/prisoner'
import { actorOf, ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../web/forms'
import { type RouteDef, get, param, post } from '../../web/routing'
import { DEALLOCATION_REASONS, allocateSchema, deallocateSchema } from './schema'

const ALLOCATORS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

export function allocationRoutes(s: Services): RouteDef[] {
  const prisonerOr404 = async (establishmentId: number, raw: string) => {
    const prisoner = await s.prisoners.get(establishmentId, normalisePrisonNumber(raw))
    if (!prisoner) throw new HttpError(404)
    return prisoner
  }

  return [
    get('/caseload', ['KEY_WORKER', 'SUPERVISING_OFFICER'], async (_req, res) => {
      const est = establishmentOf(res)
      const [me] = await s.staff.linkedTo(est.id, ctxOf(res).userId)
      const caseload = me ? await s.allocations.caseload(est.id, me.id) : []
      res.render('allocations/views/caseload', { pageTitle: 'My caseload', me, caseload })
    }),

    get('/prisoners/:prisonNumber/allocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const [officers, history] = await Promise.all([
        s.allocations.officers(est.id),
        s.allocations.historyForPrisoner(est.id, prisoner.id),
      ])
      const current = history.find(h => h.deallocated_at === null)
      res.render('allocations/views/allocate', {
        pageTitle: `Choose a Key Worker for ${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        officers: officers.filter(o => o.hasRoom || o.id === current?.staff_id),
        current,
        ...takeForm(req, { staffId: '', handoverNote: '' }),
      })
    }),

    post('/prisoners/:prisonNumber/allocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const form = parseForm(allocateSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.allocations.allocate(actorOf(res), est.id, prisoner.prison_number, form.data.staffId, {
        reason: 'manual',
        handoverNote: form.data.handoverNote,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Key Worker allocated to ${prisoner.first_name} ${prisoner.last_name}`)
      res.redirect(303, `/prisoners/${prisoner.prison_number}`)
    }),

    get('/prisoners/:prisonNumber/deallocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      res.render('allocations/views/deallocate', {
        pageTitle: `Remove the Key Worker of ${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        reasons: DEALLOCATION_REASONS,
        ...takeForm(req, { reason: '', note: '' }),
      })
    }),

    post('/prisoners/:prisonNumber/deallocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const form = parseForm(deallocateSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.allocations.deallocate(
        actorOf(res),
        est.id,
        prisoner.prison_number,
        form.data.reason,
        form.data.note,
      )
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Key Worker removed from ${prisoner.first_name} ${prisoner.last_name}`)
      res.redirect(303, `/prisoners/${prisoner.prison_number}`)
    }),
  ]
}
