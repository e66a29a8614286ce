import type { Request, Response } from 'express'
import { addDays, formatDate, todayIso } from '../../domain/dates'
import { addMonthsIso } from '../../domain/training'
import { beforeAfterWords, share } from '../../domain/trainingDashboard'
import type { Services } from '../../services'
import { queryString } from '../../forms/forms'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { notFound } from '../../web/errors'
import { type RouteDef, get } from '../../web/routing'
import {
  beforeAfterView,
  countText,
  courseSegments,
  cpdSegments,
  dashboardCsv,
  establishmentRow,
  hoursText,
  initialSegments,
  percentText,
  segmentRows,
  stackedBarSvg,
  topupSegments,
} from './present'
import type { TrainingScope } from './service'

const VIEWERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const MONTH_CHOICES = [3, 6, 12, 24] as const

export function trainingDashboardRoutes(s: Services): RouteDef[] {
  /**
   * Reads the dashboard's choices from the query string. The national team may choose all establishments (the
   * default) or one; anyone else sees their own establishment, and asking for another's id is refused as not found
   * (audited, as a refused request for a record is).
   */
  async function prepare(req: Request, res: Response) {
    const est = establishmentOf(res)
    const national = hasRole(res, 'NATIONAL_POLICY')
    const establishments = await s.trainingDashboard.establishments()
    const asked = queryString(req, 'establishment', 20)
    let chosen: { id: number; code: string; name: string } | null
    if (national) {
      if (asked === '' || asked === 'all') chosen = null
      else {
        chosen = establishments.find(e => String(e.id) === asked) ?? null
        if (!chosen) throw notFound()
      }
    } else {
      if (asked !== '' && asked !== String(est.id)) {
        await s.audit.recordAlone(actorOf(res), {
          action: 'refused',
          entity: 'training_dashboard',
          entityId: asked,
          changes: { method: req.method, route: req.route?.path ?? req.path, status: 404 },
        })
        throw notFound()
      }
      chosen = { id: est.id, code: est.code, name: est.name }
    }
    const monthsParam = Number(queryString(req, 'months', 3))
    const months = (MONTH_CHOICES as readonly number[]).includes(monthsParam) ? monthsParam : 12
    const scope: TrainingScope = chosen ? { kind: 'establishment', establishmentId: chosen.id } : { kind: 'national' }
    const today = todayIso()
    const query = new URLSearchParams({
      ...(national ? { establishment: chosen ? String(chosen.id) : 'all' } : {}),
      months: String(months),
    }).toString()
    return { national, establishments, chosen, scope, months, today, query }
  }

  return [
    get('/training/dashboard', VIEWERS, async (req, res) => {
      const p = await prepare(req, res)
      const periodFrom = addDays(addMonthsIso(p.today, -p.months), 1)
      const [d, ba] = await Promise.all([
        s.trainingDashboard.dashboard(p.scope, p.today, p.months),
        s.trainingDashboard.beforeAfter(p.scope, periodFrom, p.today),
      ])
      const scopeName = p.chosen ? p.chosen.name : 'All establishments'
      const t = d.total.tally
      const c = d.total.courses
      const chart = (id: string, title: string, of: string, segments: ReturnType<typeof initialSegments>) => ({
        svg: stackedBarSvg(segments, { id, title: `${title}, ${scopeName}`, of }),
        rows: segmentRows(segments),
      })
      res.render('trainingDashboard/views/dashboard', {
        pageTitle: 'Training dashboard',
        national: p.national,
        establishmentItems: [
          { value: 'all', text: 'All establishments', selected: !p.chosen },
          ...p.establishments.map(e => ({ value: String(e.id), text: e.name, selected: p.chosen?.id === e.id })),
        ],
        monthItems: MONTH_CHOICES.map(m => ({
          value: String(m),
          text: `The last ${m} months`,
          selected: m === p.months,
        })),
        scopeName,
        establishmentView: !!p.chosen,
        keyWorkers: countText(t.keyWorkers),
        trained: countText(t.trained),
        trainedShare: percentText(share(t.trained, t.keyWorkers)),
        cpdMetShare: percentText(share(t.cpdMet, t.keyWorkers)),
        targetsText: d.targets.length
          ? d.targets.map(h => `${countText(h)} hours`).join(' or ')
          : 'the establishment’s target',
        cpdPeriod: `${formatDate(d.cpdFrom)} to ${formatDate(d.cpdTo)}`,
        coursePeriod: `${formatDate(d.courseFrom)} to ${formatDate(d.courseTo)}`,
        periodText: `${formatDate(periodFrom)} to ${formatDate(p.today)}`,
        initial: chart('initial-chart', 'Initial course of Key Workers', 'Key Workers', initialSegments(t)),
        topup: chart('topup-chart', 'Top-ups of trained Key Workers', 'trained Key Workers', topupSegments(t)),
        cpd: chart('cpd-chart', 'CPD hours in the last 12 months against the target', 'Key Workers', cpdSegments(t)),
        courses: chart('courses-chart', 'Course places taken', 'course places', courseSegments(c)),
        courseTotals: {
          courses: countText(c.courses),
          capacity: countText(c.capacity),
          enrolled: countText(c.enrolled),
          fill: c.capacity ? percentText(share(c.enrolled, c.capacity)) : 'No places',
          waiting: countText(c.waiting),
        },
        rows: d.rows.map(r => establishmentRow(r)),
        totalRow: d.rows.length > 1 ? establishmentRow({ ...d.total, code: '', name: 'All establishments' }) : null,
        belowTarget: d.belowTarget.map(o => ({
          ...o,
          hoursText: hoursText(o.hours),
          targetText: hoursText(o.target),
          shortText: hoursText(Math.max(0, o.target - o.hours)),
        })),
        courseList: d.courseList.map(x => ({
          ...x,
          dates:
            x.firstDay === x.lastDay ? formatDate(x.firstDay) : `${formatDate(x.firstDay)} to ${formatDate(x.lastDay)}`,
          fill: percentText(share(x.enrolled, x.capacity)),
        })),
        beforeAfter: beforeAfterView(ba),
        beforeAfterWords: beforeAfterWords(ba),
        csvHref: `/training/dashboard.csv?${p.query}`,
      })
    }),

    get('/training/dashboard.csv', VIEWERS, async (req, res) => {
      const p = await prepare(req, res)
      const d = await s.trainingDashboard.dashboard(p.scope, p.today, p.months)
      const rows = [
        ...d.rows,
        ...(d.rows.length > 1 ? [{ ...d.total, id: 0, code: '', name: 'All establishments' }] : []),
      ]
      const name = `key-work-training-${p.chosen ? p.chosen.code.toLowerCase() : 'all'}-${p.today}.csv`
      res
        .type('text/csv; charset=utf-8')
        .set('content-disposition', `attachment; filename="${name}"`)
        .send(dashboardCsv(rows, `${p.chosen ? p.chosen.name : 'All establishments'}, ${formatDate(p.today)}`))
    }),
  ]
}
