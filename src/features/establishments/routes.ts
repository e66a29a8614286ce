import { z } from 'zod'
import type { Services } from '../../services'
import { actorOf, establishmentOf } from '../../web/context'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { SETTING_NAMES } from '../../domain/policy'
import { toBounds } from './service'

const ADMINS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const NATIONAL = ['NATIONAL_POLICY'] as const

/** An optional whole number from a form: blank means "use the national default". */
const optionalWhole = (label: string) =>
  z
    .string()
    .trim()
    .max(10)
    .default('')
    .refine(v => v === '' || /^\d+$/.test(v), { message: `${label} must be a whole number` })
    .transform(v => (v === '' ? null : Number(v)))

const whole = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label.toLowerCase()}`)
    .max(10)
    .refine(v => /^\d+$/.test(v), { message: `${label} must be a whole number` })
    .transform(Number)

const settingsSchema = z.object({
  name: z.string().trim().min(1, 'Enter the establishment name').max(100),
  category: z.string().trim().min(1, 'Enter the category, for example Category B local').max(60),
  region: z.string().trim().min(1, 'Enter the region').max(60),
  ratio: optionalWhole(SETTING_NAMES.ratio),
  frequencyWeeks: optionalWhole(SETTING_NAMES.frequencyWeeks),
  sessionMinutes: optionalWhole(SETTING_NAMES.sessionMinutes),
  autoAllocation: z.enum(['yes', 'no'], { error: 'Select whether Supervising Officers use automatic allocation' }),
})

/** A new establishment, from the form or `keywork establishments create`. */
export const newEstablishmentSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Enter a 3-letter establishment code, for example MDI'),
  name: z.string().trim().min(1, 'Enter the establishment name').max(100),
  category: z.string().trim().min(1, 'Enter the category').max(60),
  region: z.string().trim().min(1, 'Enter the region').max(60),
})

const policyFields = ['ratio', 'frequencyWeeks', 'sessionMinutes'] as const
const policySchema = z.object(
  Object.fromEntries(
    policyFields.flatMap(f => [
      [`${f}Default`, whole(`${SETTING_NAMES[f]} default`)],
      [`${f}Min`, whole(`${SETTING_NAMES[f]} minimum`)],
      [`${f}Max`, whole(`${SETTING_NAMES[f]} maximum`)],
    ]),
  ) as Record<string, ReturnType<typeof whole>>,
)

export function establishmentRoutes(s: Services): RouteDef[] {
  return [
    get('/establishments', NATIONAL, async (_req, res) => {
      const [all, counts] = await Promise.all([s.establishments.all(), s.establishments.counts()])
      const rows = all.map(e => ({
        ...e,
        prisoners: counts.prisoners.get(e.id) ?? 0,
        staff: counts.staff.get(e.id) ?? 0,
      }))
      res.render('establishments/views/list', { establishments: rows, pageTitle: 'Establishments' })
    }),

    get('/establishments/new', NATIONAL, (req, res) => {
      res.render('establishments/views/new', takeForm(req, { code: '', name: '', category: '', region: '' }))
    }),

    post('/establishments/new', NATIONAL, async (req, res) => {
      const form = parseForm(newEstablishmentSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.establishments.create(actorOf(res), form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.name} (${form.data.code}) has been added`)
      res.redirect(303, '/establishments')
    }),

    get('/establishment/settings', ADMINS, async (req, res) => {
      const est = establishmentOf(res)
      const settings = await s.establishments.settings(est.id)
      if (!settings) throw new Error('establishment vanished')
      const e = settings.establishment
      const form = takeForm(req, {
        name: e.name,
        category: e.category,
        region: e.region,
        ratio: e.ratio ?? '',
        frequencyWeeks: e.frequency_weeks ?? '',
        sessionMinutes: e.session_minutes ?? '',
        autoAllocation: e.auto_allocation ? 'yes' : 'no',
      })
      res.render('establishments/views/settings', { ...form, ...settings, names: SETTING_NAMES })
    }),

    post('/establishment/settings', ADMINS, async (req, res) => {
      const form = parseForm(settingsSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.establishments.updateSettings(actorOf(res), establishmentOf(res).id, {
        ...form.data,
        autoAllocation: form.data.autoAllocation === 'yes',
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Establishment settings saved')
      res.redirect(303, '/establishment/settings')
    }),

    get('/national/policy', NATIONAL, async (req, res) => {
      const b = toBounds(await s.establishments.policy())
      const defaults: Record<string, number> = {}
      for (const f of policyFields) {
        defaults[`${f}Default`] = b[f].default
        defaults[`${f}Min`] = b[f].min
        defaults[`${f}Max`] = b[f].max
      }
      res.render('establishments/views/policy', {
        ...takeForm(req, defaults),
        fields: policyFields,
        names: SETTING_NAMES,
      })
    }),

    post('/national/policy', NATIONAL, async (req, res) => {
      const form = parseForm(policySchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const v = form.data as Record<string, number>
      const bounds = Object.fromEntries(
        policyFields.map(f => [f, { default: v[`${f}Default`]!, min: v[`${f}Min`]!, max: v[`${f}Max`]! }]),
      ) as unknown as ReturnType<typeof toBounds>
      const r = await s.establishments.updatePolicy(actorOf(res), bounds)
      if (!r.ok) {
        const errors = Object.fromEntries(Object.entries(r.errors).map(([k, m]) => [`${k}Default`, m]))
        return redirectWithErrors(req, res, errors)
      }
      flash(req, 'National policy saved')
      res.redirect(303, '/national/policy')
    }),
  ]
}
