import type { Request } from 'express'
import { renderMarkdown } from '../../domain/markdown'
import { ROLES } from '../../domain/roles'
import { textDiff } from '../../domain/textdiff'
import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { introductionSchema, publishSchema } from './schema'

const EVERYONE = ROLES
const NATIONAL = ['NATIONAL_POLICY'] as const
const ADMINS = ['ESTABLISHMENT_ADMIN'] as const

/** ?version=N as a version number, undefined when absent; a malformed one is a page not found. */
function versionQuery(req: Request): number | undefined {
  const v = req.query.version
  if (v === undefined || v === '') return undefined
  if (typeof v !== 'string' || !/^\d{1,6}$/.test(v) || Number(v) < 1) throw new HttpError(404)
  return Number(v)
}

export function guidanceRoutes(s: Services): RouteDef[] {
  return [
    get('/guidance', 'signed-in', async (req, res) => {
      const n = versionQuery(req)
      const latest = await s.guidance.latest()
      const guide = n === undefined ? latest : await s.guidance.version(n)
      if (n !== undefined && !guide) throw new HttpError(404)
      res.render('guidance/views/guide', {
        ...takeForm(req, {}),
        pageTitle: 'Key Worker guide',
        guide,
        latest,
        html: guide ? renderMarkdown(guide.body) : '',
        isOld: !!guide && !!latest && guide.version !== latest.version,
        canPublish: hasRole(res, 'NATIONAL_POLICY'),
        hasEstablishment: !!res.locals.ctx?.establishment,
      })
    }),

    get('/guidance/versions', 'signed-in', async (req, res) => {
      res.render('guidance/views/versions', {
        ...takeForm(req, {}),
        pageTitle: 'Versions of the Key Worker guide',
        versions: await s.guidance.versions(),
      })
    }),

    get('/guidance/changes', 'signed-in', async (req, res) => {
      const n = versionQuery(req) ?? (await s.guidance.latest())?.version
      const changes = n === undefined ? null : await s.guidance.changes(n)
      if (n !== undefined && !changes) throw new HttpError(404)
      res.render('guidance/views/changes', {
        ...takeForm(req, {}),
        pageTitle: changes ? `What changed in version ${changes.version.version}` : 'What changed',
        changes,
      })
    }),

    get('/guidance/edit', NATIONAL, async (req, res) => {
      const latest = await s.guidance.latest()
      const form = takeForm(req, { body: latest?.body ?? '', summary: '', action: '' })
      const preview = form.values.action === 'preview' && !form.errorList.length
      res.render('guidance/views/edit', {
        ...form,
        pageTitle: 'Publish a new version of the Key Worker guide',
        latest,
        preview,
        previewHtml: preview ? renderMarkdown(String(form.values.body)) : '',
        diff: preview ? textDiff(latest?.body ?? '', String(form.values.body)) : null,
      })
    }),

    post('/guidance/edit', NATIONAL, async (req, res) => {
      const form = parseForm(publishSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      if (form.data.action === 'preview') return redirectWithErrors(req, res, {})
      const r = await s.guidance.publish(actorOf(res), form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Version ${r.value} of the Key Worker guide has been published`)
      res.redirect(303, '/guidance')
    }),

    get('/booklet', EVERYONE, async (req, res) => {
      const est = establishmentOf(res)
      const booklet = await s.guidance.booklet(est)
      const { pages } = await s.guidance.bookletPdf(booklet)
      res.render('guidance/views/booklet', {
        ...takeForm(req, {}),
        pageTitle: 'Key Worker booklet',
        booklet,
        pages,
        guideHtml: booklet.guide ? renderMarkdown(booklet.guide.body, { headingBase: 3 }) : '',
        introductionHtml: booklet.introduction ? renderMarkdown(booklet.introduction, { headingBase: 3 }) : '',
        canEditIntroduction: hasRole(res, ...ADMINS),
      })
    }),

    get('/booklet.pdf', EVERYONE, async (_req, res) => {
      const est = establishmentOf(res)
      const { pdf } = await s.guidance.bookletPdf(await s.guidance.booklet(est))
      res
        .type('application/pdf')
        .set('Content-Disposition', `inline; filename="key-worker-booklet-${est.code.toLowerCase()}.pdf"`)
        .send(pdf)
    }),

    get('/booklet/introduction', ADMINS, async (req, res) => {
      const est = establishmentOf(res)
      const intro = await s.guidance.introduction(est.id)
      const form = takeForm(req, { body: intro?.body ?? '', action: '' })
      const preview = form.values.action === 'preview' && !form.errorList.length
      res.render('guidance/views/introduction', {
        ...form,
        pageTitle: 'Local introduction to the booklet',
        establishment: est,
        preview,
        previewHtml: preview ? renderMarkdown(String(form.values.body), { headingBase: 3 }) : '',
      })
    }),

    post('/booklet/introduction', ADMINS, async (req, res) => {
      const form = parseForm(introductionSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      if (form.data.action === 'preview') return redirectWithErrors(req, res, {})
      const r = await s.guidance.saveIntroduction(actorOf(res), establishmentOf(res).id, form.data.body)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(
        req,
        r.value === 'saved' ? 'The local introduction has been saved' : 'The local introduction has not changed',
      )
      res.redirect(303, '/booklet')
    }),
  ]
}
