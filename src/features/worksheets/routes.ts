import type { Request, Response } from 'express'
import { renderMarkdown } from '../../domain/markdown'
import { PATHWAYS, isPathwayCode } from '../../domain/pathways'
import { TARGET_READING_AGE } from '../../domain/readability'
import { ROLES } from '../../domain/roles'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { authorScope, canEditWorksheet, sheetReadability } from './service'
import { worksheetSchema } from './schema'

const EVERYONE = ROLES
const AUTHORS = ['NATIONAL_POLICY', 'ESTABLISHMENT_ADMIN'] as const

const EMPTY = { title: '', pathway: '', purpose: '', guidance: '', sheet: '', action: '' }

const pathwayItems = (selected: string, blank: string) => [
  { value: '', text: blank },
  ...PATHWAYS.map(p => ({ value: p.code, text: p.name, selected: p.code === selected })),
]

/** The form page's values, score and preview. */
function formModel(req: Request, defaults: typeof EMPTY) {
  const form = takeForm(req, defaults)
  const sheet = String(form.values.sheet ?? '')
  const preview = form.values.action === 'preview' && !form.errorList.length
  return {
    ...form,
    pathways: pathwayItems(String(form.values.pathway ?? ''), 'Select a pathway'),
    score: sheet.trim() ? sheetReadability(sheet) : null,
    target: TARGET_READING_AGE,
    preview,
    previewHtml: preview ? renderMarkdown(sheet) : '',
  }
}

async function loadOr404(s: Services, res: Response, req: Request) {
  const w = await s.worksheets.get(establishmentOf(res).id, intParam(req, 'worksheetId'))
  if (!w) throw new HttpError(404)
  return w
}

const cannotEdit = () =>
  'National worksheets are written by the national policy team. You can add a local worksheet instead.'

export function worksheetRoutes(s: Services): RouteDef[] {
  return [
    get('/worksheets', EVERYONE, async (req, res) => {
      const est = establishmentOf(res)
      const pathway = queryString(req, 'pathway')
      const filter = isPathwayCode(pathway) ? pathway : ''
      res.render('worksheets/views/list', {
        ...takeForm(req, {}),
        pageTitle: 'Worksheets',
        worksheets: await s.worksheets.list(est.id, { pathway: filter || null }),
        pathways: pathwayItems(filter, 'All pathways'),
        filter,
        scope: authorScope(ctxOf(res).roles),
      })
    }),

    get('/worksheets/new', AUTHORS, async (req, res) => {
      res.render('worksheets/views/edit', {
        ...formModel(req, EMPTY),
        pageTitle: authorScope(ctxOf(res).roles) === 'national' ? 'Add a national worksheet' : 'Add a local worksheet',
        isNew: true,
      })
    }),

    post('/worksheets/new', AUTHORS, async (req, res) => {
      const form = parseForm(worksheetSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      if (req.body?.action === 'preview') return redirectWithErrors(req, res, {})
      const national = authorScope(ctxOf(res).roles) === 'national'
      const r = await s.worksheets.create(actorOf(res), national ? null : establishmentOf(res).id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${form.data.title} has been added`)
      res.redirect(303, `/worksheets/${r.value}`)
    }),

    // before /worksheets/:worksheetId, which would otherwise take "12.pdf" as an id
    get('/worksheets/:worksheetId.pdf', EVERYONE, async (req, res) => {
      const w = await loadOr404(s, res, req)
      const { pdf } = await s.worksheets.pdf(w)
      res.type('application/pdf').set('Content-Disposition', `inline; filename="worksheet-${w.id}.pdf"`).send(pdf)
    }),

    get('/worksheets/:worksheetId', EVERYONE, async (req, res) => {
      const w = await loadOr404(s, res, req)
      const canEdit = canEditWorksheet(ctxOf(res).roles, w)
      const isAuthor = authorScope(ctxOf(res).roles) !== null
      res.render('worksheets/views/show', {
        ...takeForm(req, {}),
        pageTitle: w.title,
        w,
        canEdit,
        guidanceHtml: renderMarkdown(w.guidance, { headingBase: 3 }),
        sheetHtml: renderMarkdown(w.sheet, { headingBase: 3 }),
        score: isAuthor ? sheetReadability(w.sheet) : null,
        target: TARGET_READING_AGE,
      })
    }),

    get('/worksheets/:worksheetId/edit', AUTHORS, async (req, res) => {
      const w = await loadOr404(s, res, req)
      if (!canEditWorksheet(ctxOf(res).roles, w)) {
        flash(req, cannotEdit())
        return res.redirect(303, `/worksheets/${w.id}`)
      }
      res.render('worksheets/views/edit', {
        ...formModel(req, { ...EMPTY, ...w }),
        pageTitle: `Edit ${w.title}`,
        w,
        isNew: false,
      })
    }),

    post('/worksheets/:worksheetId/edit', AUTHORS, async (req, res) => {
      const w = await loadOr404(s, res, req)
      const roles = ctxOf(res).roles
      if (!canEditWorksheet(roles, w)) {
        flash(req, cannotEdit())
        return res.redirect(303, `/worksheets/${w.id}`)
      }
      const form = parseForm(worksheetSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      if (req.body?.action === 'preview') return redirectWithErrors(req, res, {})
      const r = await s.worksheets.update(actorOf(res), establishmentOf(res).id, w.id, form.data, roles)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, r.value === 'updated' ? `${form.data.title} has been saved` : `${form.data.title} has not changed`)
      res.redirect(303, `/worksheets/${w.id}`)
    }),
  ]
}
