import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, establishmentOf } from '../../web/context'
import { flash, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { DIRECTIONS, MEASURES } from './measures'
import { cellView, overviewCsv, qaExtra } from './present'
import { fieldsOf, parseThresholds } from './schema'
import type { OverviewQuery } from './service'

/** The overview's filters and sort from the query string (the home page reads them the same way). */
export function queryOf(req: Request): OverviewQuery {
  return {
    category: queryString(req, 'category'),
    region: queryString(req, 'region'),
    sort: queryString(req, 'sort'),
    order: queryString(req, 'order'),
  }
}

async function renderOverview(s: Services, req: Request, res: Response) {
  res.render('national/views/overview', await s.national.overviewPage(queryOf(req)))
}

export function nationalRoutes(s: Services): RouteDef[] {
  return [
    get('/national', ['NATIONAL_POLICY'], (req, res) => renderOverview(s, req, res)),

    get('/national.csv', ['NATIONAL_POLICY'], async (req, res) => {
      const o = await s.national.overview(queryOf(req))
      res
        .type('text/csv; charset=utf-8')
        .set('content-disposition', `attachment; filename="key-work-national-overview-${o.today}.csv"`)
        .send(overviewCsv(o.rows, o.thresholds))
    }),

    get('/national/thresholds', ['NATIONAL_POLICY'], async (req, res) => {
      const thresholds = await s.national.thresholds()
      const defaults: Record<string, string> = {}
      for (const t of thresholds) {
        const f = fieldsOf(t.measure)
        defaults[f.green] = String(t.green)
        defaults[f.amber] = String(t.amber)
        defaults[f.direction] = t.direction
      }
      const form = takeForm(req, defaults)
      res.render('national/views/thresholds', {
        pageTitle: 'RAG thresholds of the national overview',
        ...form,
        measures: thresholds.map(t => ({
          ...t,
          fields: fieldsOf(t.measure),
          directionItems: (['higher', 'lower'] as const).map(d => ({
            value: d,
            text: DIRECTIONS[d],
            checked: form.values[fieldsOf(t.measure).direction] === d,
          })),
        })),
      })
    }),

    post('/national/thresholds', ['NATIONAL_POLICY'], async (req, res) => {
      const form = parseThresholds(req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      await s.national.saveThresholds(actorOf(res), form.data)
      flash(req, 'RAG thresholds saved')
      res.redirect(303, '/national/thresholds')
    }),

    get('/comparison', ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'], async (_req, res) => {
      const est = establishmentOf(res)
      const c = await s.national.comparison(est.id)
      const measures = MEASURES.map(m => ({
        label: m.label,
        about: m.about,
        own: c.own ? cellView(m.code, c.own.cells[m.code], m.code === 'qa_score' ? qaExtra(c.own) : '') : null,
        category: cellView(m.code, c.ofCategory.cells[m.code], m.code === 'qa_score' ? qaExtra(c.ofCategory) : ''),
        national: cellView(m.code, c.national.cells[m.code], m.code === 'qa_score' ? qaExtra(c.national) : ''),
        rule: c.thresholds.find(t => t.measure === m.code)!.words,
      }))
      res.render('national/views/comparison', {
        pageTitle: `${est.name} against the national picture`,
        est,
        ...c,
        measures,
      })
    }),
  ]
}
