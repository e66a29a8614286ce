import type { Request, Response } from 'express'
import { formatDate, todayIso } from '../../domain/dates'
import { PRESETS } from '../../domain/statistics'
import type { Services } from '../../services'
import { establishmentOf, hasRole } from '../../web/context'
import { errorList } from '../../forms/forms'
import { type RouteDef, get } from '../../web/routing'
import { figureRows, formatChange, formatValue, statisticsCsv, weekLabel, weeklyChartSvg } from './present'
import { readQuery } from './schema'
import type { StatisticsScope } from './service'

const VIEWERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

export function statisticsRoutes(s: Services): RouteDef[] {
  /** Reads the form, resolves the scope (only what the user may see) and computes both periods. */
  async function prepare(req: Request, res: Response, opts: { moj?: boolean } = {}) {
    const est = establishmentOf(res)
    const national = hasRole(res, 'NATIONAL_POLICY')
    const q = readQuery(req.query as Record<string, unknown>, todayIso())
    const options = await s.statistics.scopeOptions(est.id)
    const scopes: { value: string; text: string; scope: StatisticsScope }[] = [
      { value: 'establishment', text: est.name, scope: { kind: 'establishment', establishmentId: est.id } },
      ...(national ? [{ value: 'national', text: 'All establishments', scope: { kind: 'national' } as const }] : []),
      ...options.houseblocks.map(u => ({
        value: `houseblock-${u.id}`,
        text: `Houseblock: ${u.name}`,
        scope: { kind: 'houseblock', establishmentId: est.id, unitId: u.id } as const,
      })),
      ...options.officers.map(o => ({
        value: `officer-${o.id}`,
        text: `Key Worker: ${o.last_name}, ${o.first_name} (${o.staff_number})`,
        scope: { kind: 'officer', establishmentId: est.id, staffId: o.id } as const,
      })),
    ]
    const chosen = scopes.find(x => x.value === q.values.scope)
    if (!chosen) q.errors.scope = 'Choose a scope from the list'
    const comparison = q.period && chosen ? await s.statistics.compare(chosen.scope, q.period, opts) : null
    return { est, q, scopes, chosen, comparison }
  }

  return [
    get('/statistics', VIEWERS, async (req, res) => {
      const { q, scopes, chosen, comparison } = await prepare(req, res)
      const cover = chosen?.scope.kind === 'officer'
      const rows = comparison
        ? figureRows(comparison.current.figures, comparison.previous.figures, { cover }).map(r => ({
            ...r,
            currentText: formatValue(r.current, r.kind),
            previousText: formatValue(r.previous, r.kind),
            changeText: formatChange(r),
          }))
        : []
      const query = new URLSearchParams(
        Object.entries(q.values).filter(([, v]) => v !== '') as [string, string][],
      ).toString()
      res.render('statistics/views/statistics', {
        pageTitle: 'Delivery statistics',
        values: q.values,
        errors: q.errors,
        errorList: errorList(q.errors),
        presets: Object.entries(PRESETS).map(([value, text]) => ({ value, text })),
        scopes: scopes.map(x => ({ value: x.value, text: x.text, selected: x.value === q.values.scope })),
        scopeName: chosen?.text,
        comparison,
        periodText: comparison
          ? `${formatDate(comparison.current.period.from)} to ${formatDate(comparison.current.period.to)}`
          : '',
        previousText: comparison
          ? `${formatDate(comparison.previous.period.from)} to ${formatDate(comparison.previous.period.to)}`
          : '',
        rows,
        chart: comparison
          ? weeklyChartSvg(comparison.current.weeks, {
              id: 'weekly-chart',
              title: `Sessions delivered and projected each week, ${chosen?.text ?? ''}`,
            })
          : '',
        weeks: comparison?.current.weeks.map(w => ({
          ...w,
          label: weekLabel(w),
          deliveredText: formatValue(w.delivered, 'count'),
          projectedText: formatValue(w.projected, 'decimal'),
        })),
        establishments: comparison?.current.establishments.map(e => ({
          ...e,
          eligibleText: formatValue(e.figures.eligible, 'decimal'),
          projectedText: formatValue(e.figures.projected, 'decimal'),
          deliveredText: formatValue(e.figures.delivered, 'count'),
          complianceText: formatValue(e.figures.compliance, 'percent'),
          allocatedText: formatValue(e.figures.allocatedPercent, 'percent'),
        })),
        csvHref: `/statistics.csv?${query}`,
      })
    }),

    get('/statistics.csv', VIEWERS, async (req, res) => {
      const { est, q, chosen, comparison } = await prepare(req, res, { moj: true })
      if (!comparison || !chosen) {
        res
          .status(400)
          .type('text/plain')
          .send(`${Object.values(q.errors).join('\n')}\n`)
        return
      }
      const cover = chosen.scope.kind === 'officer'
      const csv = statisticsCsv({
        scope: chosen.text,
        period: comparison.current.period,
        previous: comparison.previous.period,
        rows: figureRows(comparison.current.figures, comparison.previous.figures, { cover }),
        current: comparison.current.figures,
        previousFigures: comparison.previous.figures,
        cover,
        establishments: comparison.current.establishments,
      })
      const name = `key-work-statistics-${chosen.scope.kind === 'national' ? 'all' : est.code.toLowerCase()}-${comparison.current.period.from}-to-${comparison.current.period.to}.csv`
      res.type('text/csv; charset=utf-8').set('content-disposition', `attachment; filename="${name}"`).send(csv)
    }),
  ]
}
