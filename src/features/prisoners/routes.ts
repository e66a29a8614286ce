import crypto from 'node:crypto'
import type { Request } from 'express'
import type { Services } from '../../services'
import {
  COMPLEXITY_NAMES,
  CUSTODY_EVENT_NAMES,
  PRISONER_STATUS_NAMES,
  normalisePrisonNumber,
} from '../../domain/prisoner'
import { LANGUAGE_OPTIONS } from '../../domain/languages'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, redirectWithErrors, takeForm, queryString } from '../../forms/forms'
import { type RouteDef, get, param, post } from '../../web/routing'
import { pagination } from '../../web/pagination'
import { PAGE_SIZE } from './service'
import { prisonerRecordSchema } from './schema'
import { prisonerThreadRepository } from './threadRepository'
import { effectiveSettings } from '../../domain/policy'
import { nextDue } from '../../domain/planning'
import { londonNow } from '../../domain/hubs'
import { GOAL_STATUSES, NOT_DELIVERED_REASONS, OUTCOMES, REFERRAL_STATUSES } from '../../domain/sessions'
import { overridesOf } from '../establishments/service'
import { referralTarget } from '../../domain/referrals'

const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const EDITORS = ['ESTABLISHMENT_ADMIN'] as const
const DATE_FIELDS = ['dateOfBirth', 'receptionDate', 'releaseDate']

function formBody(req: Request) {
  return joinDateInputs(req.body as Record<string, unknown>, DATE_FIELDS)
}

/** Soonest first, undated last. */
const byDate = (a: { date: string | null }, b: { date: string | null }) =>
  a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? -1 : 1

export function prisonerRoutes(s: Services): RouteDef[] {
  const thread = prisonerThreadRepository(s.db.db, s.db.dialect)
  const formOptions = async (establishmentId: number) => ({
    units: await s.prisoners.units(establishmentId),
    languages: LANGUAGE_OPTIONS,
    complexities: COMPLEXITY_NAMES,
    statuses: PRISONER_STATUS_NAMES,
  })

  return [
    get('/prisoners', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const q = queryString(req, 'q')
      const unit = Number(queryString(req, 'unit')) || undefined
      const status = queryString(req, 'status') || 'in'
      const interpreter = queryString(req, 'interpreter') === 'yes'
      const page = Math.max(1, Math.min(10_000, Number(queryString(req, 'page')) || 1))
      const { rows, total } = await s.prisoners.search({
        establishmentId: est.id,
        query: q,
        unitId: unit,
        status: status === 'all' ? undefined : status,
        interpreter,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      })
      // the search term is what was looked for (a name or a prison number): it belongs in the trail, not the logs
      await auditView(s.audit, res, {
        entity: 'prisoner_search',
        entityId: q || null,
        details: {
          status,
          ...(unit ? { unit } : {}),
          ...(interpreter ? { interpreter } : {}),
          page,
          shown: prisonNumbersIn(rows),
        },
      })
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const link = (p: number) => {
        const params = new URLSearchParams({ q, status, page: String(p) })
        if (unit) params.set('unit', String(unit))
        if (interpreter) params.set('interpreter', 'yes')
        return `/prisoners?${params}`
      }
      res.render('prisoners/views/list', {
        pageTitle: 'Prisoners',
        rows,
        total,
        page,
        pages,
        pagination: pagination(page, pages, link),
        filters: { q, unit, status, interpreter },
        units: await s.prisoners.units(est.id),
        statuses: PRISONER_STATUS_NAMES,
        canEdit: hasRole(res, ...EDITORS),
      })
    }),

    get('/prisoners/new', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      res.render('prisoners/views/edit', {
        pageTitle: 'Add a prisoner',
        ...(await formOptions(est.id)),
        ...takeForm(req, {
          status: 'in',
          complexity: 'low',
          firstLanguage: 'en',
          interpreterNeeded: 'no',
          nationality: 'British',
        }),
        isNew: true,
      })
    }),

    post('/prisoners/new', EDITORS, async (req, res) => {
      const form = parseForm(prisonerRecordSchema, formBody(req))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.prisoners.create(actorOf(res), establishmentOf(res).id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.firstName} ${form.data.lastName} (${form.data.prisonNumber}) has been added`)
      res.redirect(303, `/prisoners/${form.data.prisonNumber}`)
    }),

    get('/prisoners/:prisonNumber', READERS, async (req, res) => {
      const est = establishmentOf(res)
      // his record and his key work here in one statement; the view audited before anything is shown
      const page = await thread.page(est.id, normalisePrisonNumber(param(req, 'prisonNumber')))
      if (!page) throw new HttpError(404)
      const { prisoner, allocations, custodyEvents, last: lastSession, lastDelivered } = page
      const open = page.openItems
      const [, bounds, handovers] = await Promise.all([
        s.prisoners.viewed(actorOf(res), est.id, prisoner.prison_number),
        s.establishments.bounds(),
        // transfer handovers received here or sent from here: who and when, not what (that is on their own page)
        s.handover.card(
          hasRole(res, 'KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN')
            ? { actor: actorOf(res), forAnyMan: hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN') }
            : null,
          est.id,
          prisoner,
        ),
      ])
      const keyWorker = allocations.find(a => a.deallocated_at === null)
      // next due counts from the last delivered session or the allocation, as "Sessions due" does
      const { frequencyWeeks } = effectiveSettings(bounds, overridesOf(est))
      res.render('prisoners/views/show', {
        allocations,
        lastSession,
        clientKey: crypto.randomUUID(),
        lastDelivered,
        due:
          keyWorker && prisoner.status === 'in'
            ? nextDue({
                lastSession: lastDelivered?.session_date ?? null,
                allocatedAt: keyWorker.allocated_at,
                frequencyWeeks,
                today: londonNow().date,
              })
            : null,
        goals: open.filter(i => i.kind === 'goal').sort(byDate),
        referrals: open
          .filter(i => i.kind === 'referral')
          .map(r => ({ ...r, target: referralTarget({ service_name: r.text, stakeholder: r.stakeholder }) }))
          .sort(byDate),
        outcomes: OUTCOMES,
        notDeliveredReasons: NOT_DELIVERED_REASONS,
        goalStatuses: GOAL_STATUSES,
        referralStatuses: REFERRAL_STATUSES,
        custodyEvents,
        custodyEventNames: CUSTODY_EVENT_NAMES,
        handovers,
        keyWorker,
        canAllocate: hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'),
        pageTitle: `${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        complexities: COMPLEXITY_NAMES,
        statuses: PRISONER_STATUS_NAMES,
        canEdit: hasRole(res, ...EDITORS),
      })
    }),

    get('/prisoners/:prisonNumber/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const p = await s.prisoners.get(est.id, normalisePrisonNumber(param(req, 'prisonNumber')))
      if (!p) throw new HttpError(404)
      await auditView(s.audit, res, { entity: 'prisoner', entityId: p.prison_number, details: { page: 'edit form' } })
      const dob = splitDate(p.date_of_birth)
      const rec = splitDate(p.reception_date)
      const rel = splitDate(p.release_date)
      const defaults = {
        prisonNumber: p.prison_number,
        firstName: p.first_name,
        lastName: p.last_name,
        'dateOfBirth-day': dob.day,
        'dateOfBirth-month': dob.month,
        'dateOfBirth-year': dob.year,
        unit: p.unit_code ?? '',
        cell: p.cell ?? '',
        'receptionDate-day': rec.day,
        'receptionDate-month': rec.month,
        'receptionDate-year': rec.year,
        'releaseDate-day': rel.day,
        'releaseDate-month': rel.month,
        'releaseDate-year': rel.year,
        status: p.status,
        complexity: p.complexity,
        firstLanguage: p.first_language,
        interpreterNeeded: p.interpreter_needed ? 'yes' : 'no',
        nationality: p.nationality,
      }
      res.render('prisoners/views/edit', {
        pageTitle: `Edit ${p.first_name} ${p.last_name}`,
        ...(await formOptions(est.id)),
        ...takeForm(req, defaults),
        prisoner: p,
        isNew: false,
      })
    }),

    post('/prisoners/:prisonNumber/edit', EDITORS, async (req, res) => {
      const prisonNumber = normalisePrisonNumber(param(req, 'prisonNumber'))
      const est = establishmentOf(res)
      if (!(await s.prisoners.get(est.id, prisonNumber))) throw new HttpError(404)
      const form = parseForm(prisonerRecordSchema, { ...formBody(req), prisonNumber })
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.prisoners.update(actorOf(res), est.id, prisonNumber, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Prisoner details saved')
      res.redirect(303, `/prisoners/${prisonNumber}`)
    }),
  ]
}
