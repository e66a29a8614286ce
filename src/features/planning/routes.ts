import type { Services } from '../../services'
import { londonNow } from '../../domain/hubs'
import { WEEKDAYS } from '../../domain/planning'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { bookSchema, slotSchema } from './schema'

const SLOT_READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const SLOT_EDITORS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const DUE_READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const DATE_FIELDS = ['onDate', 'validFrom', 'validTo']

const positiveInt = (v: string) => (/^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined)

export function planningRoutes(s: Services): RouteDef[] {
  const officerOr404 = async (establishmentId: number, staffId: number) => {
    const officer = await s.staff.get(establishmentId, staffId)
    if (!officer) throw new HttpError(404)
    return officer
  }

  return [
    get('/staff/:staffId/key-work-time', SLOT_READERS, async (req, res) => {
      const est = establishmentOf(res)
      const officer = await officerOr404(est.id, intParam(req, 'staffId'))
      const from = splitDate(londonNow().date)
      res.render('planning/views/key-work-time', {
        pageTitle: `Key work time for ${officer.first_name} ${officer.last_name}`,
        officer,
        slots: await s.planning.slots(est.id, officer.id),
        weekdays: WEEKDAYS,
        canEdit: hasRole(res, ...SLOT_EDITORS),
        ...takeForm(req, {
          kind: 'weekly',
          weekday: '',
          startsAt: '',
          endsAt: '',
          'validFrom-day': from.day,
          'validFrom-month': from.month,
          'validFrom-year': from.year,
        } as Record<string, unknown>),
      })
    }),

    post('/staff/:staffId/key-work-time', SLOT_EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const officer = await officerOr404(est.id, intParam(req, 'staffId'))
      const form = parseForm(slotSchema, joinDateInputs((req.body ?? {}) as Record<string, unknown>, DATE_FIELDS))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.planning.addSlot(actorOf(res), est.id, officer.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Key work time added for ${officer.first_name} ${officer.last_name}`)
      res.redirect(303, `/staff/${officer.id}/key-work-time`)
    }),

    post('/staff/:staffId/key-work-time/:slotId/remove', SLOT_EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const officer = await officerOr404(est.id, intParam(req, 'staffId'))
      const back = `/staff/${officer.id}/key-work-time`
      const r = await s.planning.removeSlot(actorOf(res), est.id, officer.id, intParam(req, 'slotId'))
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `Key work time removed: ${r.value}`)
      res.redirect(303, back)
    }),

    get('/my-sessions', ['KEY_WORKER'], async (req, res) => {
      const est = establishmentOf(res)
      const view = await s.planning.mySessions(est.id, ctxOf(res).userId)
      await auditView(s.audit, res, {
        entity: 'caseload',
        entityId: view.me?.id ?? null,
        details: { page: 'my sessions', shown: prisonNumbersIn(view) },
      })
      res.render('planning/views/my-sessions', {
        pageTitle: 'My sessions',
        ...view,
        ...takeForm(req, {}),
      })
    }),

    post('/my-sessions/book', ['KEY_WORKER'], async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(bookSchema, req.body)
      if (!form.ok)
        return redirectWithErrors(req, res, { book: Object.values(form.errors)[0] ?? 'Choose a slot' }, '/my-sessions')
      const r = await s.planning.book(actorOf(res), est.id, ctxOf(res).userId, form.data)
      if (!r.ok) return redirectWithErrors(req, res, { book: Object.values(r.errors).join(' ') }, '/my-sessions')
      flash(req, 'Key work session booked')
      res.redirect(303, '/my-sessions')
    }),

    get('/sessions-due', DUE_READERS, async (req, res) => {
      const est = establishmentOf(res)
      const houseblockId = positiveInt(queryString(req, 'houseblock'))
      const staffId = positiveInt(queryString(req, 'officer'))
      const page = positiveInt(queryString(req, 'page')) ?? 1
      const view = await s.planning.sessionsDue(est.id, {
        ...(houseblockId ? { houseblockId } : {}),
        ...(staffId ? { staffId } : {}),
        page,
      })
      await auditView(s.audit, res, {
        entity: 'sessions_due',
        details: {
          ...(houseblockId ? { houseblock: houseblockId } : {}),
          ...(staffId ? { officer: staffId } : {}),
          page: view.page,
          shown: prisonNumbersIn(view.rows),
        },
      })
      const link = (p: number) =>
        `/sessions-due?${new URLSearchParams({
          ...(houseblockId ? { houseblock: String(houseblockId) } : {}),
          ...(staffId ? { officer: String(staffId) } : {}),
          page: String(p),
        }).toString()}`
      res.render('planning/views/sessions-due', {
        pageTitle: 'Sessions due',
        ...view,
        filter: { houseblock: houseblockId ?? '', officer: staffId ?? '' },
        pagination: view.pages > 1 ? pagination(view.page, view.pages, link) : null,
      })
    }),
  ]
}
