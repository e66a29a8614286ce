import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { unitRecordSchema } from './schema'

const READERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const EDITORS = ['ESTABLISHMENT_ADMIN'] as const

export function unitRoutes(s: Services): RouteDef[] {
  return [
    get('/units', READERS, async (_req, res) => {
      const est = establishmentOf(res)
      res.render('units/views/list', {
        pageTitle: 'Residential units',
        ...(await s.units.overview(est.id)),
        canEdit: hasRole(res, ...EDITORS),
      })
    }),

    get('/units/new', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      res.render('units/views/edit', {
        pageTitle: 'Add a residential unit',
        parents: await s.units.parentOptions(est.id, null),
        ...takeForm(req, { code: '', name: '', parent: '', capacity: '' }),
        isNew: true,
      })
    }),

    post('/units/new', EDITORS, async (req, res) => {
      const form = parseForm(unitRecordSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.units.create(actorOf(res), establishmentOf(res).id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} (${form.data.code}) has been added`)
      res.redirect(303, '/units')
    }),

    get('/units/:unitId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const unitId = intParam(req, 'unitId')
      const unit = await s.units.get(est.id, unitId)
      if (!unit) throw new HttpError(404)
      const parents = await s.units.parentOptions(est.id, unitId)
      const parentCode = (await s.units.list(est.id)).find(u => u.id === unit.parent_id)?.code ?? ''
      res.render('units/views/edit', {
        pageTitle: `Edit ${unit.name}`,
        parents,
        ...takeForm(req, { code: unit.code, name: unit.name, parent: parentCode, capacity: String(unit.capacity) }),
        unit,
        isNew: false,
      })
    }),

    post('/units/:unitId/edit', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const unitId = intParam(req, 'unitId')
      if (!(await s.units.get(est.id, unitId))) throw new HttpError(404)
      const form = parseForm(unitRecordSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.units.update(actorOf(res), est.id, unitId, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} (${form.data.code}) has been saved`)
      res.redirect(303, '/units')
    }),
  ]
}
