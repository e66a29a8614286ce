import type { Request, Response } from 'express'
import { todayIso } from '../../domain/dates'
import { ALPHA_WORDS, alphaBand, lastMonths, monthLabel } from '../../domain/quality'
import type { Services } from '../../services'
import { ctxOf, establishmentOf, hasRole } from '../../web/context'
import { queryString } from '../../forms/forms'
import { type RouteDef, get, mayUse } from '../../web/routing'
import { routeDefsOf } from '../../web/app'
import { alphaTag, alphaText, intervalText, monthRows, overallChartSvg, qualityCsv } from './present'
import type { QualityScope } from './service'

const VIEWERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

/** The quality pages the hub links to, each shown to whoever may use its route (as the menu does). */
const HUB_LINKS = [
  {
    href: '/quality/dashboard',
    text: 'Quality dashboard',
    about: 'Reviews, scores, flags, commendations, supervision and agreement, month by month.',
  },
  {
    href: '/quality/queue',
    text: 'Review queue',
    about: 'The entries sampled for review this month: what is due and overdue.',
  },
  {
    href: '/quality/flags',
    text: 'Integrity flags',
    about: 'Entries the integrity checks raised, each explained, to resolve with an outcome.',
  },
  {
    href: '/quality/supervision',
    text: 'Supervision',
    about: 'One-to-one supervision with each Key Worker, and who is overdue.',
  },
  {
    href: '/quality/calibration',
    text: 'Calibration',
    about: 'Several Supervising Officers mark the same entries blind: how far they agree.',
  },
  {
    href: '/quality/rubric',
    text: 'Quality rubric',
    about: 'The national criteria, each score point described, and the establishment’s own.',
  },
  {
    href: '/quality/settings',
    text: 'Quality settings',
    about: 'The monthly sample, review deadlines, thin-entry length and supervision interval.',
  },
  {
    href: '/good-practice',
    text: 'Good-practice library',
    about: 'Entries nominated as good practice, names and places removed, by pathway.',
  },
]

const MONTH_CHOICES = [3, 6, 12, 24] as const

export function qualityRoutes(s: Services): RouteDef[] {
  /** Reads the dashboard's choices (a GET: the query string); anything unknown falls back to a default. */
  async function prepare(req: Request, res: Response) {
    const est = establishmentOf(res)
    const national = hasRole(res, 'NATIONAL_POLICY')
    const establishments = national ? await s.quality.establishments() : []
    const estParam = queryString(req, 'establishment', 20)
    const chosenEst =
      national && estParam === 'all'
        ? null
        : ((national ? establishments.find(e => String(e.id) === estParam) : undefined) ?? {
            id: est.id,
            name: est.name,
            code: est.code,
          })
    const options = chosenEst ? await s.quality.scopeOptions(chosenEst.id) : { houseblocks: [], officers: [] }
    const scopes: { value: string; text: string; scope: QualityScope }[] = chosenEst
      ? [
          {
            value: 'establishment',
            text: `The whole establishment`,
            scope: { kind: 'establishment', establishmentId: chosenEst.id },
          },
          ...options.houseblocks.map(u => ({
            value: `houseblock-${u.id}`,
            text: `Houseblock: ${u.name}`,
            scope: { kind: 'houseblock', establishmentId: chosenEst.id, unitId: u.id } as const,
          })),
          ...options.officers.map(o => ({
            value: `officer-${o.id}`,
            text: `Key Worker: ${o.last_name}, ${o.first_name} (${o.staff_number})`,
            scope: { kind: 'officer', establishmentId: chosenEst.id, staffId: o.id } as const,
          })),
        ]
      : [{ value: 'establishment', text: 'All establishments', scope: { kind: 'national' } }]
    const chosen = scopes.find(x => x.value === queryString(req, 'scope', 40)) ?? scopes[0]!
    const monthsParam = Number(queryString(req, 'months', 3))
    const monthCount = (MONTH_CHOICES as readonly number[]).includes(monthsParam) ? monthsParam : 12
    const today = todayIso()
    const months = lastMonths(today, monthCount)
    const scopeName = `${chosenEst ? chosenEst.name : 'All establishments'}${chosen.scope.kind === 'establishment' || chosen.scope.kind === 'national' ? '' : `, ${chosen.text}`}`
    return {
      est,
      national,
      establishments,
      chosenEst,
      estValue: chosenEst ? String(chosenEst.id) : 'all',
      scopes,
      chosen,
      monthCount,
      months,
      today,
      scopeName,
    }
  }

  return [
    get('/quality', VIEWERS, (req, res) => {
      const ctx = ctxOf(res)
      const defs = routeDefsOf(req.app as never)
      const links = HUB_LINKS.filter(l => {
        const route = defs.find(d => d.method === 'get' && d.path === l.href)
        return route && mayUse(route.access, ctx.roles, ctx.establishment)
      })
      res.render('quality/views/hub', { pageTitle: 'Quality', links })
    }),

    get('/quality/dashboard', VIEWERS, async (req, res) => {
      const p = await prepare(req, res)
      const d = await s.quality.dashboard(p.chosen.scope, p.months, p.today)
      const query = new URLSearchParams({
        ...(p.national ? { establishment: p.estValue } : {}),
        scope: p.chosen.value,
        months: String(p.monthCount),
      }).toString()
      res.render('quality/views/dashboard', {
        pageTitle: 'Quality dashboard',
        national: p.national,
        establishmentItems: [
          { value: 'all', text: 'All establishments', selected: p.estValue === 'all' },
          ...p.establishments.map(e => ({ value: String(e.id), text: e.name, selected: String(e.id) === p.estValue })),
        ],
        scopeItems: p.scopes.map(x => ({ value: x.value, text: x.text, selected: x.value === p.chosen.value })),
        monthItems: MONTH_CHOICES.map(m => ({
          value: String(m),
          text: `The last ${m} months`,
          selected: m === p.monthCount,
        })),
        scopeName: p.scopeName,
        periodText: `${monthLabel(p.months[0]!)} to ${monthLabel(p.months[p.months.length - 1]!)}`,
        criteria: d.criteria,
        rows: monthRows(d),
        comparison: d.comparison,
        chart: overallChartSvg(d.months, {
          id: 'overall-chart',
          title: `Mean overall score each month, ${p.scopeName}`,
        }),
        agreement: d.agreement.map(a => ({
          ...a,
          overallText: alphaText(a.report.overall.alpha),
          overallTag: alphaTag(a.report.overall.alpha),
          overallWords: ALPHA_WORDS[alphaBand(a.report.overall.alpha)],
          precheckText: alphaText(a.report.precheck.alpha),
        })),
        intervalText,
        csvHref: `/quality/dashboard.csv?${query}`,
      })
    }),

    get('/quality/dashboard.csv', VIEWERS, async (req, res) => {
      const p = await prepare(req, res)
      const d = await s.quality.dashboard(p.chosen.scope, p.months, p.today)
      const name = `key-work-quality-${p.chosenEst ? p.chosenEst.code.toLowerCase() : 'all'}-${p.months[0]}-to-${p.months[p.months.length - 1]}.csv`
      res
        .type('text/csv; charset=utf-8')
        .set('content-disposition', `attachment; filename="${name}"`)
        .send(
          qualityCsv(d, `${p.scopeName}, ${monthLabel(p.months[0]!)} to ${monthLabel(p.months[p.months.length - 1]!)}`),
        )
    }),
  ]
}
