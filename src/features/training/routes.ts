import type { Request, Response } from 'express'
import type { Services } from '../../services'
import {
  CONTRIBUTOR_ROLES,
  CONTRIBUTOR_ROLE_NAMES,
  MODULE_FORMATS,
  MODULE_FORMAT_NAMES,
  MODULE_KIND_NAMES,
} from '../../domain/training'
import { NATIONAL_KINDS } from '../../domain/trainingProgramme'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import type { ContributorView, ModuleView, ProgrammeVersionView } from './service'
import {
  codesOf,
  contributorSchema,
  formOfModule,
  localModuleSchema,
  nationalModuleSchema,
  publishSchema,
} from './schema'

/** Everyone reads the programme: what each module teaches, how long it takes, and who made it. */
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
/** The national team versions the national programme. */
const NATIONAL = ['NATIONAL_POLICY'] as const
/** An establishment's local modules: its admins. */
const LOCAL = ['ESTABLISHMENT_ADMIN'] as const

const STATUS_NAMES: Record<ProgrammeVersionView['status'], string> = {
  draft: 'Draft',
  published: 'Published',
  superseded: 'Superseded',
}

const formatItems = (selected: string) =>
  MODULE_FORMATS.map(f => ({ value: f, text: MODULE_FORMAT_NAMES[f], checked: f === selected }))
const kindItems = (selected: string) =>
  NATIONAL_KINDS.map(k => ({ value: k, text: MODULE_KIND_NAMES[k], checked: k === selected }))
const roleItems = (selected: string) =>
  CONTRIBUTOR_ROLES.map(r => ({ value: r, text: CONTRIBUTOR_ROLE_NAMES[r], checked: r === selected }))

/** A module as a page shows it: human names for its kind and format, hours without trailing zeros. */
const moduleForPage = (m: ModuleView) => ({
  ...m,
  kindName: MODULE_KIND_NAMES[m.kind] ?? 'Module',
  formatName: MODULE_FORMAT_NAMES[m.format] ?? 'Other',
  hoursText: `${m.hours.toLocaleString('en-GB', { maximumFractionDigits: 2 })} ${m.hours === 1 ? 'hour' : 'hours'}`,
  daysText: `${m.days} ${m.days === 1 ? 'day' : 'days'}`,
})
const contributorForPage = (c: ContributorView) => ({ ...c, roleName: CONTRIBUTOR_ROLE_NAMES[c.role] ?? 'Other' })
const versionForPage = (v: ProgrammeVersionView) => ({ ...v, statusName: STATUS_NAMES[v.status] ?? 'Unknown' })

export function trainingRoutes(s: Services): RouteDef[] {
  /** One of the establishment's local modules, or 404 (another establishment's, a national one, or none). */
  async function localOr404(req: Request, res: Response) {
    const m = await s.training.localModule(establishmentOf(res).id, intParam(req, 'localModuleId'))
    if (!m) throw new HttpError(404)
    return m
  }

  /** Form errors plus the checks against the database of the code and prerequisites typed, all at once. */
  async function withChecks(errors: Record<string, string>, checks: () => Promise<Record<string, string>>) {
    return { ...(await checks()), ...errors }
  }

  return [
    get('/training/programme', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const asked = queryString(req, 'version', 10)
      const current = (await s.training.version())!
      let shown = current
      if (asked) {
        const n = /^\d{1,6}$/.test(asked) ? Number(asked) : NaN
        const v = Number.isNaN(n) ? null : await s.training.version(n)
        if (!v || v.version.status === 'draft') throw new HttpError(404)
        shown = v
      }
      const local = await s.training.localModules(est.id)
      const draft = hasRole(res, ...NATIONAL) ? await s.training.draft() : null
      res.render('training/views/programme', {
        pageTitle: 'Key Worker training programme',
        establishment: est,
        version: versionForPage(shown.version),
        isCurrent: shown.version.id === current.version.id,
        modules: shown.modules.map(moduleForPage),
        contributors: shown.contributors.map(contributorForPage),
        active: local.filter(m => m.active).map(moduleForPage),
        retired: local.filter(m => !m.active).map(moduleForPage),
        draft: draft?.version ?? null,
        canVersion: hasRole(res, ...NATIONAL),
        canLocal: hasRole(res, ...LOCAL),
        ...takeForm(req, {}),
      })
    }),

    get('/training/programme/versions', READERS, async (_req, res) => {
      const versions = (await s.training.versions()).filter(v => v.status !== 'draft')
      res.render('training/views/versions', {
        pageTitle: 'Versions of the training programme',
        versions: versions.map(versionForPage),
      })
    }),

    // the national team: one draft at a time, a copy of the published version
    post('/training/programme/draft/start', NATIONAL, async (req, res) => {
      const r = await s.training.startDraft(actorOf(res))
      if (!r.ok) {
        flash(req, 'A draft version is already being prepared: change that one')
        return res.redirect(303, '/training/programme/draft')
      }
      flash(req, 'Draft started: a copy of the published programme')
      res.redirect(303, '/training/programme/draft')
    }),

    get('/training/programme/draft', NATIONAL, async (req, res) => {
      const draft = await s.training.draft()
      if (!draft) {
        flash(req, 'There is no draft: start one from the programme page')
        return res.redirect(303, '/training/programme')
      }
      res.render('training/views/draft', {
        pageTitle: `Draft training programme, version ${draft.version.version}`,
        draft: draft.version,
        modules: draft.modules.map(moduleForPage),
        contributors: draft.contributors.map(contributorForPage),
        ...takeForm(req, { summary: '' }),
      })
    }),

    // a module of the draft: ?code=… changes one, no code adds one (with no draft, saving it starts one)
    get('/training/programme/draft/module', NATIONAL, async (req, res) => {
      const draft = await s.training.draft()
      const code = queryString(req, 'code', 40)
      if (!draft && code) return res.redirect(303, '/training/programme')
      const existing = code ? draft!.modules.find(m => m.code === code) : null
      if (code && !existing) throw new HttpError(404)
      const form = takeForm(req, formOfModule(existing ?? null))
      res.render('training/views/module', {
        pageTitle: existing
          ? `Change “${existing.title}”`
          : draft
            ? `Add a module to version ${draft.version.version}`
            : 'Add a national module',
        caption: draft
          ? `Draft training programme, version ${draft.version.version}`
          : 'National programme: saving starts a new draft version',
        action: '/training/programme/draft/module',
        back: draft ? '/training/programme/draft' : '/training/programme',
        existingCode: existing?.code ?? null,
        national: true,
        isNew: !existing,
        kinds: kindItems(form.values.kind),
        formats: formatItems(form.values.format),
        ...form,
      })
    }),

    post('/training/programme/draft/module', NATIONAL, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const existingCode = typeof body.existing === 'string' && body.existing ? body.existing : null
      const draft = await s.training.draft()
      if (existingCode && (!draft || !draft.modules.some(m => m.code === existingCode))) throw new HttpError(404)
      const back = `/training/programme/draft/module${existingCode ? `?code=${encodeURIComponent(existingCode)}` : ''}`
      // a module being changed keeps its code: completions count by it
      const input = existingCode ? { ...body, code: existingCode } : body
      const form = parseForm(nationalModuleSchema, input)
      if (!form.ok) {
        const typed = codesOf(input)
        const errors = typed
          ? await withChecks(form.errors, () => s.training.draftModuleChecks(existingCode, typed))
          : form.errors
        return redirectWithErrors(req, res, errors, back)
      }
      const r = await s.training.saveDraftModule(actorOf(res), existingCode, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `“${form.data.title}” ${existingCode ? 'changed in' : 'added to'} the draft`)
      res.redirect(303, '/training/programme/draft')
    }),

    post('/training/programme/draft/module/remove', NATIONAL, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const code = typeof body.code === 'string' ? body.code : ''
      const r = await s.training.removeDraftModule(actorOf(res), code)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/training/programme/draft')
      flash(req, `${code} removed from the draft`)
      res.redirect(303, '/training/programme/draft')
    }),

    // a person who co-created the draft: ?id=… changes one, no id adds one (with no draft, saving starts one)
    get('/training/programme/draft/contributor', NATIONAL, async (req, res) => {
      const draft = await s.training.draft()
      const id = queryString(req, 'id', 12)
      if (!draft && id) return res.redirect(303, '/training/programme')
      const existing = id ? draft!.contributors.find(c => String(c.id) === id) : null
      if (id && !existing) throw new HttpError(404)
      const form = takeForm(req, {
        name: existing?.name ?? '',
        role: existing?.role ?? '',
        organisation: existing?.organisation ?? '',
      })
      res.render('training/views/contributor', {
        pageTitle: existing ? `Change ${existing.name}` : 'Add a person who co-created this version',
        // with no draft, saving the person starts one: a copy of the published version with them added
        caption: draft
          ? `Draft training programme, version ${draft.version.version}`
          : 'National programme: saving starts a new draft version',
        back: draft ? '/training/programme/draft#contributors' : '/training/programme',
        existingId: existing?.id ?? null,
        roles: roleItems(form.values.role),
        ...form,
      })
    }),

    post('/training/programme/draft/contributor', NATIONAL, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const existingId =
        typeof body.existing === 'string' && /^\d{1,9}$/.test(body.existing) ? Number(body.existing) : null
      const back = `/training/programme/draft/contributor${existingId ? `?id=${existingId}` : ''}`
      const form = parseForm(contributorSchema, body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const r = await s.training.saveDraftContributor(actorOf(res), existingId, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `${form.data.name} ${existingId ? 'changed' : 'added'}`)
      res.redirect(303, '/training/programme/draft#contributors')
    }),

    post('/training/programme/draft/contributor/remove', NATIONAL, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const id = typeof body.id === 'string' && /^\d{1,9}$/.test(body.id) ? Number(body.id) : 0
      const r = await s.training.removeDraftContributor(actorOf(res), id)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/training/programme/draft#contributors')
      flash(req, 'Removed from the people who co-created this version')
      res.redirect(303, '/training/programme/draft#contributors')
    }),

    post('/training/programme/draft/publish', NATIONAL, async (req, res) => {
      const form = parseForm(publishSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/training/programme/draft')
      const r = await s.training.publish(actorOf(res), form.data.version, form.data.summary)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/training/programme/draft')
      flash(
        req,
        `Version ${form.data.version} published. Completions count by module code, so every officer keeps what they have done`,
      )
      res.redirect(303, '/training/programme')
    }),

    // an establishment's local modules (its services, hubs, processes): added, changed, retired, never deleted
    get('/training/programme/local/new', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const form = takeForm(req, formOfModule(null))
      res.render('training/views/module', {
        pageTitle: `Add a local module for ${est.name}`,
        caption: 'Your establishment’s local modules',
        action: '/training/programme/local/new',
        back: '/training/programme#local',
        national: false,
        isNew: true,
        codeHint: `For example LOCAL-${est.code}-1. It cannot be the code of a national module.`,
        formats: formatItems(form.values.format),
        ...form,
      })
    }),

    post('/training/programme/local/new', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(localModuleSchema, req.body)
      if (!form.ok) {
        const typed = codesOf(req.body)
        const errors = typed
          ? await withChecks(form.errors, () => s.training.localModuleChecks(est.id, typed))
          : form.errors
        return redirectWithErrors(req, res, errors)
      }
      const r = await s.training.addLocal(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `“${form.data.title}” added to ${est.name}’s local modules`)
      res.redirect(303, '/training/programme#local')
    }),

    get('/training/programme/local/:localModuleId', LOCAL, async (req, res) => {
      const m = await localOr404(req, res)
      const form = takeForm(req, formOfModule(m))
      res.render('training/views/module', {
        pageTitle: `Change “${m.title}”`,
        caption: 'Your establishment’s local modules',
        action: `/training/programme/local/${m.id}`,
        back: '/training/programme#local',
        national: false,
        isNew: false,
        module: moduleForPage(m),
        formats: formatItems(form.values.format),
        ...form,
      })
    }),

    post('/training/programme/local/:localModuleId', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const m = await localOr404(req, res)
      const form = parseForm(localModuleSchema, req.body)
      if (!form.ok) {
        const typed = codesOf(req.body)
        const errors = typed
          ? await withChecks(form.errors, () => s.training.localModuleChecks(est.id, typed, m.id))
          : form.errors
        return redirectWithErrors(req, res, errors)
      }
      const r = await s.training.updateLocal(actorOf(res), est.id, m.id, form.data)
      if (!r) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `“${form.data.title}” changed`)
      res.redirect(303, '/training/programme#local')
    }),

    post('/training/programme/local/:localModuleId/retire', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const m = await localOr404(req, res)
      const r = await s.training.setLocalActive(actorOf(res), est.id, m.id, false)
      if (!r) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/training/programme#local')
      flash(req, `“${m.title}” retired: it is no longer offered; completions of it are kept`)
      res.redirect(303, '/training/programme#local')
    }),

    post('/training/programme/local/:localModuleId/restore', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const m = await localOr404(req, res)
      const r = await s.training.setLocalActive(actorOf(res), est.id, m.id, true)
      if (!r) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/training/programme#local')
      flash(req, `“${m.title}” restored: it is offered again`)
      res.redirect(303, '/training/programme#local')
    }),
  ]
}
