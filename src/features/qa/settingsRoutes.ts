import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { QA_LIMITS } from './rules'
import { boundsSchema, settingsSchema } from './schema'
import { READERS, SETTINGS_EDITORS } from './requests'

/** The establishment's QA settings and the national bounds of the sample. */
export function qaSettingsRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/settings', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const current = await s.qa.settings(est.id)
      const national = hasRole(res, 'NATIONAL_POLICY')
      res.render('qa/views/settings', {
        pageTitle: 'Quality assurance settings',
        current,
        limits: QA_LIMITS,
        canEdit: hasRole(res, ...SETTINGS_EDITORS),
        national,
        ...takeForm(req, {
          samplePerOfficer: String(current.samplePerOfficer),
          reviewDueDays: String(current.reviewDueDays),
          thinEntryChars: String(current.thinEntryChars),
          supervisionWeeks: String(current.supervisionWeeks),
          sampleMin: String(current.bounds.min),
          sampleDefault: String(current.bounds.default),
          sampleMax: String(current.bounds.max),
        }),
      })
    }),

    post('/quality/settings', SETTINGS_EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(settingsSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.qa.saveSettings(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Quality assurance settings saved')
      res.redirect(303, '/quality/settings')
    }),

    post('/quality/settings/national', ['NATIONAL_POLICY'], async (req, res) => {
      const form = parseForm(boundsSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/quality/settings')
      const r = await s.qa.saveBounds(actorOf(res), {
        min: form.data.sampleMin,
        default: form.data.sampleDefault,
        max: form.data.sampleMax,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/settings')
      flash(req, 'National bounds of the sample saved')
      res.redirect(303, '/quality/settings')
    }),
  ]
}
