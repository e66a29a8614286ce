import type { Db } from '../../platform/db/database'
import { addDays, londonDate, londonDayStart } from '../../domain/dates'
import {
  DEFAULT_SUPERVISION_WEEKS,
  type MonthFigures,
  monthDays,
  monthlyFigures,
  monthsComparison,
} from '../../domain/quality'
import type { CalibrationService } from '../calibration/service'
import type { StatisticsScope, StatisticsService } from '../statistics/service'
import { type QualityFilter, qualityRepository } from './repository'

/** The same scopes as the statistics: national, an establishment, a houseblock or one Key Worker. */
export type QualityScope = StatisticsScope

export interface QualityDeps {
  statistics: Pick<StatisticsService, 'scopeOptions' | 'unitsWithin'>
  calibration: Pick<CalibrationService, 'closedReports'>
}

export interface Dashboard {
  months: MonthFigures[]
  criteria: { code: string; title: string }[]
  /** the sample's verdict on the months' overall scores, in words */
  comparison: string
  agreement: Awaited<ReturnType<CalibrationService['closedReports']>>
}

/**
 * The quality dashboard (issue 15): month by month, what was reviewed and how it scored, the pre-check over every
 * entry, integrity flags, commendations, supervision and calibration agreement, for the national team (all or one
 * establishment), an establishment, a houseblock or one Key Worker.
 */
export function qualityService(db: Db, deps: QualityDeps) {
  const repo = qualityRepository(db.db, db.dialect)

  async function filterOf(scope: QualityScope): Promise<QualityFilter> {
    switch (scope.kind) {
      case 'national':
        return { establishmentId: null }
      case 'establishment':
        return { establishmentId: scope.establishmentId }
      case 'houseblock':
        return {
          establishmentId: scope.establishmentId,
          unitIds: await deps.statistics.unitsWithin(scope.establishmentId, scope.unitId),
        }
      case 'officer':
        return { establishmentId: scope.establishmentId, staffId: scope.staffId }
    }
  }

  return {
    scopeOptions: (establishmentId: number) => deps.statistics.scopeOptions(establishmentId),
    establishments: () => repo.establishments(),

    /** The figures of the months ('YYYY-MM', oldest first) for the scope, `today` being London's today. */
    async dashboard(scope: QualityScope, months: string[], today: string): Promise<Dashboard> {
      const f = await filterOf(scope)
      const days = { from: monthDays(months[0]!).from, to: monthDays(months[months.length - 1]!).to }
      // supervisions as far back as the longest interval before the first month
      const since = addDays(days.from, -7 * 52)
      const [submitted, reviews, flags, commendations, supervision, agreement] = await Promise.all([
        repo.submittedByMonth(f, days),
        repo.reviewFigures(f, days),
        repo.flags(f, days),
        repo.commendations(f, days),
        repo.supervision(f, since, days.to),
        deps.calibration.closedReports(
          f.establishmentId,
          londonDayStart(days.from),
          londonDayStart(addDays(days.to, 1)),
        ),
      ])
      const figures = monthlyFigures({
        months,
        today,
        submitted,
        scores: reviews.scores,
        reviewed: reviews.reviewed,
        criteria: reviews.criteria,
        flags: flags.map(x => ({
          raisedAt: x.raised_at,
          resolvedAt: x.resolved_at,
          raisedOn: londonDate(x.raised_at),
          resolvedOn: x.resolved_at ? londonDate(x.resolved_at) : null,
        })),
        commendations: commendations.map(c => londonDate(c)),
        keyWorkers: supervision.keyWorkers.map(k => ({ id: k.id, weeks: k.weeks ?? DEFAULT_SUPERVISION_WEEKS })),
        supervisions: supervision.held,
      })
      return {
        ...figures,
        comparison: monthsComparison(figures.months.map(m => ({ label: m.label, interval: m.overall }))),
        agreement,
      }
    },
  }
}

export type QualityService = ReturnType<typeof qualityService>
