import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { supervisionSchema } from './schema'
import type { SupervisionRow } from './repository'

/** Supervising Officers record supervision; the establishment admin and the national team read it. */
const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const RECORDERS = ['SUPERVISING_OFFICER'] as const
const DATES = ['heldOn', 'nextDueOn']

const staffName = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`

function formValues(row: SupervisionRow | null) {
  const held = splitDate(row?.held_on)
  const next = splitDate(row?.next_due_on)
  return {
    'heldOn-day': held.day,
    'heldOn-month': held.month,
    'heldOn-year': held.year,
    topics: row?.topics ?? '',
    agreed: row?.agreed ?? '',
    'nextDueOn-day': next.day,
    'nextDueOn-month': next.month,
    'nextDueOn-year': next.year,
  }
}

export function supervisionRoutes(s: Services): RouteDef[] {
  const staffOr404 = async (res: Response, req: Request) => {
    const est = establishmentOf(res)
    const staff = await s.supervision.staff(est.id, intParam(req, 'staffId'))
    if (!staff) throw new HttpError(404)
    return staff
  }

  return [
    get('/quality/supervision', READERS, async (_req, res) => {
      const est = establishmentOf(res)
      const overview = await s.supervision.overview(est.id)
      res.render('supervision/views/list', {
        pageTitle: 'Supervision',
        ...overview,
        canRecord: hasRole(res, ...RECORDERS),
      })
    }),

    get('/my-supervision', ['KEY_WORKER'], async (_req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const [me] = await s.supervision.staffOfUser(est.id, ctx.userId)
      const history = me ? await s.supervision.history(est.id, me.id) : null
      if (me)
        await auditView(s.audit, res, {
          entity: 'supervision_list',
          entityId: me.id,
          details: { supervisions: history!.rows.map(r => r.id) },
        })
      res.render('supervision/views/history', {
        pageTitle: 'My supervision',
        mine: true,
        staff: me ?? null,
        history,
      })
    }),

    get('/quality/supervision/:staffId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const staff = await staffOr404(res, req)
      const history = await s.supervision.history(est.id, staff.id)
      await auditView(s.audit, res, {
        entity: 'supervision_list',
        entityId: staff.id,
        details: { supervisions: history.rows.map(r => r.id) },
      })
      res.render('supervision/views/history', {
        pageTitle: `Supervision of ${staffName(staff)}`,
        mine: false,
        staff,
        history,
        canRecord: hasRole(res, ...RECORDERS) && staff.user_id !== ctxOf(res).userId,
        userId: ctxOf(res).userId,
      })
    }),

    get('/quality/supervision/:staffId/new', RECORDERS, async (req, res) => {
      const staff = await staffOr404(res, req)
      res.render('supervision/views/form', {
        pageTitle: `Record a supervision with ${staffName(staff)}`,
        staff,
        own: staff.user_id === ctxOf(res).userId,
        ...takeForm(req, formValues(null)),
      })
    }),

    post('/quality/supervision/:staffId/new', RECORDERS, async (req, res) => {
      const est = establishmentOf(res)
      const staff = await staffOr404(res, req)
      const form = parseForm(supervisionSchema, joinDateInputs(req.body as Record<string, unknown>, DATES))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.supervision.record(actorOf(res), est.id, staff.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Supervision with ${staffName(staff)} recorded`)
      res.redirect(303, `/quality/supervision/${staff.id}`)
    }),

    get('/quality/supervision/record/:supervisionId/edit', RECORDERS, async (req, res) => {
      const est = establishmentOf(res)
      const row = await s.supervision.get(est.id, intParam(req, 'supervisionId'))
      if (!row) throw new HttpError(404)
      if (row.supervisor_user_id !== ctxOf(res).userId) throw new HttpError(403)
      const staff = await s.supervision.staff(est.id, row.staff_id)
      if (!staff) throw new HttpError(404)
      await auditView(s.audit, res, { entity: 'supervision', entityId: row.id })
      res.render('supervision/views/form', {
        pageTitle: `Change the supervision with ${staffName(staff)}`,
        staff,
        record: row,
        ...takeForm(req, formValues(row)),
      })
    }),

    post('/quality/supervision/record/:supervisionId/edit', RECORDERS, async (req, res) => {
      const est = establishmentOf(res)
      const row = await s.supervision.get(est.id, intParam(req, 'supervisionId'))
      if (!row) throw new HttpError(404)
      if (row.supervisor_user_id !== ctxOf(res).userId) throw new HttpError(403)
      const form = parseForm(supervisionSchema, joinDateInputs(req.body as Record<string, unknown>, DATES))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.supervision.update(actorOf(res), est.id, row.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Supervision record changed')
      res.redirect(303, `/quality/supervision/${row.staff_id}`)
    }),
  ]
}
