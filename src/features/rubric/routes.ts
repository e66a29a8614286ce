import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { QUALITY_SCALE, RUBRIC_STATUS_LABELS, SCORES, type RubricStatus } from '../../domain/rubric'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import {
  criterionSchema,
  draftSchema,
  formOfCriterion,
  localCriterionSchema,
  publishSchema,
  wordingSchema,
} from './schema'

/** Everyone who writes or reads entries reads the rubric they are scored against. */
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
/** The national team versions the national rubric. */
const NATIONAL = ['NATIONAL_POLICY'] as const
/** An establishment's own criteria: its Supervising Officers and admins. */
const LOCAL = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

const scale = SCORES.map(n => ({ score: n, label: QUALITY_SCALE[n] }))
const statusLabel = (s: string) => RUBRIC_STATUS_LABELS[s as RubricStatus] ?? s

export function rubricRoutes(s: Services): RouteDef[] {
  /** An establishment's own criterion, or 404 (another establishment's, a national one, or none). */
  async function localOr404(req: Request, res: Response) {
    const c = await s.rubric.localCriterion(establishmentOf(res).id, intParam(req, 'criterionId'))
    if (!c) throw new HttpError(404)
    return c
  }

  return [
    get('/quality/rubric', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const versions = await s.rubric.versions()
      const current = await s.rubric.current(est.id)
      // an earlier version, to read what older reviews were scored against (a draft is on its own page)
      const asked = queryString(req, 'version')
      let shown = versions.find(v => v.id === current.versionId)!
      if (asked) {
        const v = versions.find(x => String(x.version) === asked && x.status !== 'draft')
        if (!v) throw new HttpError(404)
        shown = v
      }
      const national =
        shown.id === current.versionId
          ? current.criteria.filter(c => c.national)
          : (await s.rubric.version(shown.id))!.criteria
      const local = await s.rubric.localCriteria(est.id)
      const draft = versions.find(v => v.status === 'draft') ?? null
      res.render('rubric/views/show', {
        pageTitle: 'Quality rubric',
        establishment: est,
        version: { ...shown, statusLabel: statusLabel(shown.status) },
        isCurrent: shown.id === current.versionId,
        national,
        active: local.filter(c => c.active),
        retired: local.filter(c => !c.active),
        versions: versions.filter(v => v.status !== 'draft').map(v => ({ ...v, statusLabel: statusLabel(v.status) })),
        draft,
        scale,
        canVersion: hasRole(res, ...NATIONAL),
        canLocal: hasRole(res, ...LOCAL),
        ...takeForm(req, { notes: '' }),
      })
    }),

    // the national team: one draft at a time, a copy of the published version
    post('/quality/rubric/draft', NATIONAL, async (req, res) => {
      const form = parseForm(draftSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/quality/rubric')
      const r = await s.rubric.startDraft(actorOf(res), form.data.notes)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/rubric')
      flash(req, 'Draft started: a copy of the published rubric')
      res.redirect(303, '/quality/rubric/draft')
    }),

    get('/quality/rubric/draft', NATIONAL, async (req, res) => {
      const draft = await s.rubric.draft()
      if (!draft) {
        flash(req, 'There is no draft: start one from the rubric page')
        return res.redirect(303, '/quality/rubric')
      }
      const full = (await s.rubric.version(draft.id))!
      res.render('rubric/views/draft', {
        pageTitle: `Draft rubric, version ${draft.version}`,
        draft,
        criteria: full.criteria,
        scale,
        ...takeForm(req, {}),
      })
    }),

    // a criterion of the draft: ?code=… changes one, no code adds one
    get('/quality/rubric/draft/criterion', NATIONAL, async (req, res) => {
      const draft = await s.rubric.draft()
      const code = queryString(req, 'code', 40)
      if (!draft && code) return res.redirect(303, '/quality/rubric')
      const criteria = draft ? (await s.rubric.version(draft.id))!.criteria : []
      const existing = code ? criteria.find(c => c.code === code) : null
      if (code && !existing) throw new HttpError(404)
      res.render('rubric/views/criterion', {
        pageTitle: existing
          ? `Change “${existing.title}”`
          : draft
            ? `Add a criterion to version ${draft.version}`
            : 'Add a national criterion',
        // with no draft, saving the criterion starts one: a copy of the published version with it added
        caption: draft
          ? `Draft national rubric, version ${draft.version}`
          : 'National rubric: saving starts a new draft version',
        action: '/quality/rubric/draft/criterion',
        back: draft ? '/quality/rubric/draft' : '/quality/rubric',
        existingCode: existing?.code ?? null,
        isNew: !existing,
        scale,
        ...takeForm(req, formOfCriterion(existing ?? null)),
      })
    }),

    post('/quality/rubric/draft/criterion', NATIONAL, async (req, res) => {
      const draft = await s.rubric.draft()
      const body = (req.body ?? {}) as Record<string, unknown>
      const existingCode = typeof body.existing === 'string' ? body.existing : ''
      if (!draft && existingCode) {
        flash(req, 'There is no draft: start one from the rubric page')
        return res.redirect(303, '/quality/rubric')
      }
      const back = `/quality/rubric/draft/criterion${existingCode ? `?code=${encodeURIComponent(existingCode)}` : ''}`
      if (draft && existingCode) {
        const criteria = (await s.rubric.version(draft.id))!.criteria
        const existing = criteria.find(c => c.code === existingCode)
        if (!existing) throw new HttpError(404)
        const form = parseForm(wordingSchema, body)
        if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
        const r = await s.rubric.updateNational(actorOf(res), existing.id, form.data)
        if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
        flash(req, `“${form.data.title}” changed in the draft`)
      } else {
        const form = parseForm(criterionSchema, body)
        if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
        // no draft yet: the service starts one in the same transaction
        const r = await s.rubric.addNational(actorOf(res), draft?.id ?? null, form.data)
        if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
        flash(req, `“${form.data.title}” added to the draft`)
      }
      res.redirect(303, '/quality/rubric/draft')
    }),

    post('/quality/rubric/draft/publish', NATIONAL, async (req, res) => {
      const draft = await s.rubric.draft()
      if (!draft) {
        flash(req, 'There is no draft to publish')
        return res.redirect(303, '/quality/rubric')
      }
      const form = parseForm(publishSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/quality/rubric/draft')
      if (form.data.version !== draft.version)
        return redirectWithErrors(req, res, { version: 'Publish the draft from its page' }, '/quality/rubric/draft')
      const r = await s.rubric.publish(actorOf(res), draft.id)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/rubric/draft')
      flash(req, `Version ${draft.version} published: new reviews use it, earlier reviews keep their version`)
      res.redirect(303, '/quality/rubric')
    }),

    // an establishment's own criteria: added, changed, retired and restored, never deleted (reviews point at them)
    get('/quality/rubric/criteria/new', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      res.render('rubric/views/criterion', {
        pageTitle: `Add a criterion for ${est.name}`,
        caption: 'Your establishment’s own criteria',
        action: '/quality/rubric/criteria',
        back: '/quality/rubric',
        isNew: true,
        local: true,
        scale,
        ...takeForm(req, formOfCriterion(null)),
      })
    }),

    post('/quality/rubric/criteria', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(criterionSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/quality/rubric/criteria/new')
      const r = await s.rubric.addLocal(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/rubric/criteria/new')
      flash(req, `“${form.data.title}” added: reviews in ${est.name} score it from now on`)
      res.redirect(303, '/quality/rubric#local')
    }),

    get('/quality/rubric/criteria/:criterionId', LOCAL, async (req, res) => {
      const c = await localOr404(req, res)
      res.render('rubric/views/criterion', {
        pageTitle: `Change “${c.title}”`,
        caption: 'Your establishment’s own criteria',
        action: `/quality/rubric/criteria/${c.id}`,
        back: '/quality/rubric#local',
        isNew: false,
        local: true,
        criterion: c,
        scale,
        ...takeForm(req, formOfCriterion(c)),
      })
    }),

    post('/quality/rubric/criteria/:criterionId', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const c = await localOr404(req, res)
      const form = parseForm(localCriterionSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.rubric.updateLocal(actorOf(res), est.id, c.id, form.data)
      if (!r) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `“${form.data.title}” changed`)
      res.redirect(303, '/quality/rubric#local')
    }),

    post('/quality/rubric/criteria/:criterionId/retire', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const c = await localOr404(req, res)
      await s.rubric.setLocalActive(actorOf(res), est.id, c.id, false)
      flash(req, `“${c.title}” retired: new reviews no longer score it; earlier reviews keep their scores`)
      res.redirect(303, '/quality/rubric#local')
    }),

    post('/quality/rubric/criteria/:criterionId/restore', LOCAL, async (req, res) => {
      const est = establishmentOf(res)
      const c = await localOr404(req, res)
      await s.rubric.setLocalActive(actorOf(res), est.id, c.id, true)
      flash(req, `“${c.title}” restored: reviews score it again`)
      res.redirect(303, '/quality/rubric#local')
    }),
  ]
}
