import type { Request, Response } from 'express'
import { CHECK_DUE_MONTHS, PROVISIONS } from '../../domain/directory'
import { DAYS, DAY_NAMES, PHONE_TYPES, phoneLine } from '../../domain/directoryRecord'
import { LANGUAGE_OPTIONS, languageName } from '../../domain/languages'
import { PATHWAYS, isPathwayCode, pathwayName } from '../../domain/pathways'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, param, post } from '../../web/routing'
import {
  ROW_LIMITS,
  addRow,
  formBody,
  formRows,
  formValuesOf,
  inPageOrder,
  serviceFormSchema,
  withLists,
} from './schema'
import { type Editor, NO_PATHWAY, locationLine, mayEdit } from './service'

const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const EDITORS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const PROVISION_NAMES: Record<string, string> = {
  internal: 'Inside the prison',
  external: 'In the community',
}

function serviceIdOf(req: Request): string {
  const id = param(req, 'serviceId')
  if (!UUID.test(id)) throw new HttpError(404)
  return id.toLowerCase()
}

function editorOf(res: Response): Editor {
  return { national: hasRole(res, 'NATIONAL_POLICY'), admin: hasRole(res, 'ESTABLISHMENT_ADMIN') }
}

const formOptions = {
  pathways: PATHWAYS,
  provisions: PROVISIONS.map(p => ({ value: p, text: PROVISION_NAMES[p] })),
  days: DAYS.map(d => ({ value: d, text: DAY_NAMES[d] })),
  phoneTypes: PHONE_TYPES,
  maxRows: ROW_LIMITS,
}

/** The form's values (kept from a post, else the defaults) and how many rows of each list to show. */
function taken(req: Request, defaults: Record<string, unknown>) {
  // values kept from a post replace the defaults whole: a box unticked there must not come back ticked
  const t = takeForm(req, req.session.form ? {} : defaults)
  const values = withLists(t.values)
  return { ...t, values, rows: formRows(values, 1) }
}

/**
 * "Add another …" (no JavaScript needed): shows the form again, as typed, with a blank row at the end of that
 * list, and nothing saved. False when the post is not one of those buttons.
 */
function addedRow(req: Request, res: Response): boolean {
  const body = req.body as Record<string, unknown>
  if (body.add === undefined) return false
  const row = addRow(body, body.add)
  delete body.add
  if (row) body[row.field] = ''
  redirectWithErrors(req, res, {}, `${req.originalUrl}${row ? `#${row.field}` : ''}`)
  return true
}

export function directoryRoutes(s: Services): RouteDef[] {
  return [
    get('/directory', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const q = queryString(req, 'q')
      const pathway = queryString(req, 'pathway')
      const provision = queryString(req, 'provision')
      const language = queryString(req, 'language')
      const filters = {
        q,
        pathway: isPathwayCode(pathway) || pathway === NO_PATHWAY ? pathway : '',
        provision: (PROVISIONS as readonly string[]).includes(provision) ? provision : '',
        language: LANGUAGE_OPTIONS.some(l => l.code === language) ? language : '',
      }
      const canEdit = hasRole(res, ...EDITORS)
      const closed = canEdit && queryString(req, 'closed') === 'yes' ? 'yes' : ''
      const result = await s.directory.search(est.id, {
        ...filters,
        allStatuses: closed === 'yes',
        page: Number(queryString(req, 'page')) || 1,
      })
      const link = (p: number) => {
        const params = new URLSearchParams()
        for (const [k, v] of Object.entries({ ...filters, closed })) if (v) params.set(k, v)
        params.set('page', String(p))
        return `/directory?${params}`
      }
      res.render('directory/views/list', {
        pageTitle: 'Find a service',
        ...result,
        filters: { ...filters, closed },
        pagination: pagination(result.page, result.pages, link),
        pathways: PATHWAYS,
        languages: LANGUAGE_OPTIONS,
        provisionNames: PROVISION_NAMES,
        pathwayName,
        canEdit,
      })
    }),

    get('/directory/check-due', EDITORS, async (_req, res) => {
      const est = establishmentOf(res)
      const editor = editorOf(res)
      const { before, rows } = await s.directory.checkDue(est.id, { establishment: true, national: editor.national })
      res.render('directory/views/checkDue', {
        pageTitle: 'Services to check',
        rows,
        before,
        months: CHECK_DUE_MONTHS,
        national: editor.national,
      })
    }),

    get('/directory/services/new', EDITORS, async (req, res) => {
      res.render('directory/views/edit', {
        pageTitle: 'Add a service',
        ...formOptions,
        ...taken(req, { ...formValuesOf(null), scope: 'national' }),
        isNew: true,
        askScope: hasRole(res, 'NATIONAL_POLICY'),
        establishment: establishmentOf(res),
      })
    }),

    post('/directory/services/new', EDITORS, async (req, res) => {
      if (addedRow(req, res)) return
      const est = establishmentOf(res)
      const national = hasRole(res, 'NATIONAL_POLICY')
      const body = formBody(req.body)
      const scope = body.scope
      const form = parseForm(serviceFormSchema(body), body)
      const scopeError = national && scope !== 'national' && scope !== 'establishment'
      if (scopeError || !form.ok)
        return redirectWithErrors(
          req,
          res,
          inPageOrder(
            {
              ...(scopeError ? { scope: 'Select who sees this service' } : {}),
              ...(form.ok ? {} : form.errors),
            },
            body,
          ),
        )
      const establishmentId = national && scope === 'national' ? null : est.id
      const r = await s.directory.create(actorOf(res), establishmentId, form.data.record)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.record.name} has been added`)
      res.redirect(303, `/directory/services/${r.value}`)
    }),

    get('/directory/services/:serviceId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const service = await s.directory.get(est.id, serviceIdOf(req))
      if (!service) throw new HttpError(404)
      const showHistory = hasRole(res, ...EDITORS)
      res.render('directory/views/show', {
        pageTitle: service.name,
        service,
        ...takeForm(req, {}),
        canEdit: mayEdit(editorOf(res), est.id, service),
        history: showHistory ? await s.directory.history(service.id) : null,
        provisionNames: PROVISION_NAMES,
        pathwayName,
        languageName,
        phoneLine,
        locationLine,
      })
    }),

    get('/directory/services/:serviceId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const service = await s.directory.get(est.id, serviceIdOf(req))
      if (!service) throw new HttpError(404)
      if (!mayEdit(editorOf(res), est.id, service)) throw new HttpError(403)
      res.render('directory/views/edit', {
        pageTitle: `Edit ${service.name}`,
        ...formOptions,
        ...taken(req, formValuesOf(service)),
        service,
        isNew: false,
        askScope: false,
      })
    }),

    post('/directory/services/:serviceId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const serviceId = serviceIdOf(req)
      const service = await s.directory.get(est.id, serviceId)
      if (!service) throw new HttpError(404)
      if (!mayEdit(editorOf(res), est.id, service)) throw new HttpError(403)
      if (addedRow(req, res)) return
      const body = formBody(req.body)
      const form = parseForm(serviceFormSchema(body), body)
      if (!form.ok) return redirectWithErrors(req, res, inPageOrder(form.errors, body))
      const r = await s.directory.update(actorOf(res), est.id, serviceId, editorOf(res), form.data)
      if (r === 'not-found') throw new HttpError(404)
      if (r === 'forbidden') throw new HttpError(403)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.record.name} has been saved`)
      res.redirect(303, `/directory/services/${serviceId}`)
    }),

    post('/directory/services/:serviceId/checked', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const serviceId = serviceIdOf(req)
      const ctx = ctxOf(res)
      const user = await s.users.byId(ctx.userId)
      const r = await s.directory.markChecked(
        actorOf(res),
        est.id,
        serviceId,
        editorOf(res),
        user?.email ?? ctx.username,
      )
      if (r === 'not-found') throw new HttpError(404)
      if (r === 'forbidden') throw new HttpError(403)
      flash(req, 'The service has been marked as checked today')
      const back = (req.body as Record<string, unknown>).returnTo === 'check-due' ? '/directory/check-due' : null
      res.redirect(303, back ?? `/directory/services/${serviceId}`)
    }),
  ]
}
