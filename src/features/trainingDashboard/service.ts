import type { Db } from '../../platform/db/database'
import { addDays } from '../../domain/dates'
import {
  type CompletionFact,
  type JournalFact,
  type LocalTrainingSettings,
  NO_LOCAL_SETTINGS,
  type TrainingPolicy,
  type TrainingRules,
  type TrainingStatus,
  addMonthsIso,
  effectiveRules,
  trainingStatus,
} from '../../domain/training'
import {
  type BeforeAfter,
  type CourseTally,
  type TrainingTally,
  addStatus,
  beforeAfter,
  emptyCourses,
  emptyTally,
  sumCourses,
  sumTallies,
} from '../../domain/trainingDashboard'
import { type CourseRow, type OfficerFacts, trainingDashboardRepository } from './repository'

/** All establishments (the national team), or one. */
export type TrainingScope = { kind: 'national' } | { kind: 'establishment'; establishmentId: number }

export interface TrainingDashboardDeps {
  trainingRules: {
    rulesFor(establishmentId: number): Promise<TrainingRules>
    policy(): Promise<TrainingPolicy>
  }
}

export interface EstablishmentFigures {
  id: number
  code: string
  name: string
  tally: TrainingTally
  courses: CourseTally
}

export interface OfficerBelowTarget {
  staffId: number
  name: string
  staffNumber: string
  hours: number
  target: number
}

export interface TrainingDashboard {
  today: string
  /** the 12 months the CPD hours count over */
  cpdFrom: string
  cpdTo: string
  /** courses whose first day falls in these days */
  courseFrom: string
  courseTo: string
  total: { tally: TrainingTally; courses: CourseTally }
  /** one row an establishment in scope, by name */
  rows: EstablishmentFigures[]
  /** one establishment: its Key Workers short of the CPD target, fewest hours first (national: none) */
  belowTarget: OfficerBelowTarget[]
  /** one establishment: its courses and the regional courses of its region (national: none) */
  courseList: (CourseRow & { runBy: string })[]
  /** the CPD targets in force in the scope (establishments may set their own within the national bounds) */
  targets: number[]
}

/** How far ahead of today the course figures look: courses already scheduled for the next three months. */
export const COURSES_AHEAD_MONTHS = 3

/**
 * The training dashboard (issue 16): of the Key Workers of an establishment or of every establishment, how many
 * have done the initial course, are in its window, not yet due, overdue or have no start date; the top-ups of the
 * trained; CPD hours against the target; course places filled and waiting lists. Each officer's figures are the
 * domain's trainingStatus over facts grouped per officer in SQL (the first and latest initial course, the latest
 * top-up, the year's hours and journal minutes), so the counts are exactly those of the officers' own records.
 */
export function trainingDashboardService(db: Db, deps: TrainingDashboardDeps) {
  const repo = trainingDashboardRepository(db.db, db.dialect)

  /**
   * Each establishment's rules: for one, the rules service's answer; for many, the national policy and every
   * establishment's own settings read once each (two queries, not two an establishment) and put together by the same
   * domain rule the rules service applies (effectiveRules).
   */
  async function rulesOf(ids: readonly number[]): Promise<Map<number, TrainingRules>> {
    if (ids.length <= 1) {
      const list = await Promise.all(ids.map(id => deps.trainingRules.rulesFor(id)))
      return new Map(ids.map((id, i) => [id, list[i]!]))
    }
    const [policy, settings] = await Promise.all([deps.trainingRules.policy(), repo.localSettings()])
    const own = new Map(settings.map(x => [Number(x.establishment_id), x]))
    return new Map(
      ids.map(id => {
        const x = own.get(id)
        const local: LocalTrainingSettings = x
          ? {
              ...NO_LOCAL_SETTINGS,
              windowFromMonths: x.window_from_months,
              windowToMonths: x.window_to_months,
              topupMonths: x.topup_months,
              cpdHours: x.cpd_hours === null ? null : Number(x.cpd_hours),
            }
          : NO_LOCAL_SETTINGS
        return [id, effectiveRules(policy, local)]
      }),
    )
  }

  /**
   * The officer's status from their grouped facts: the facts stand for their records (the first and latest initial
   * course and the latest top-up decide the dates; the year's hours and minutes are dated today, inside the year).
   */
  function statusOf(rules: TrainingRules, o: OfficerFacts, today: string): TrainingStatus {
    const facts: CompletionFact[] = []
    const fact = (kind: CompletionFact['kind'], completedOn: string, hours = 0) =>
      facts.push({ moduleCode: kind, kind, completedOn, hours, outcome: 'completed' })
    if (o.firstInitial) fact('initial', o.firstInitial)
    if (o.lastInitial && o.lastInitial !== o.firstInitial) fact('initial', o.lastInitial)
    if (o.lastTopup) fact('topup', o.lastTopup)
    if (o.hours) fact('cpd', today, o.hours)
    const journal: JournalFact[] = o.minutes ? [{ writtenOn: today, minutes: o.minutes }] : []
    return trainingStatus(rules, o.startedInPost, facts, today, journal)
  }

  /** The CPD year to today, as the domain counts it. */
  function cpdYear(today: string) {
    return { from: addDays(addMonthsIso(today, -12), 1), to: today }
  }

  async function officersOf(scope: TrainingScope, today: string) {
    const year = cpdYear(today)
    const estId = scope.kind === 'establishment' ? scope.establishmentId : null
    const officers = await repo.officerFacts(estId, year.from, year.to)
    return { officers, year }
  }

  return {
    /** The establishments, by name, for the national team's choice. */
    establishments: () => repo.establishments(),

    /** Every Key Worker's status in the scope, by staff id (what the dashboard counts, officer by officer). */
    async statuses(scope: TrainingScope, today: string): Promise<Map<number, TrainingStatus>> {
      const { officers } = await officersOf(scope, today)
      const rules = await rulesOf([...new Set(officers.map(o => o.establishmentId))])
      return new Map(officers.map(o => [o.id, statusOf(rules.get(o.establishmentId)!, o, today)]))
    },

    /** The dashboard's figures for the scope, `today` being London's today. */
    async dashboard(scope: TrainingScope, today: string, courseMonthsBack = 12): Promise<TrainingDashboard> {
      const courseFrom = addDays(addMonthsIso(today, -courseMonthsBack), 1)
      const courseTo = addMonthsIso(today, COURSES_AHEAD_MONTHS)
      const all = await repo.establishments()
      const inScope = scope.kind === 'national' ? all : all.filter(e => e.id === scope.establishmentId)
      const own = scope.kind === 'establishment' ? inScope[0] : undefined
      const year = cpdYear(today)
      // every establishment on PostgreSQL: the officers are counted in SQL by the same rules (see repo.tallies);
      // otherwise each officer's facts come here and the domain's trainingStatus is applied to them one by one
      const inSql = scope.kind === 'national' && db.dialect === 'postgres'
      // the rules first (two small reads), then the officers counted while the courses are read
      const rulesRead = rulesOf(inScope.map(e => e.id))
      const [officers, rules, courses, counted] = await Promise.all([
        inSql ? Promise.resolve([]) : officersOf(scope, today).then(x => x.officers),
        rulesRead,
        repo.courses(own ? { establishmentId: own.id, region: own.region } : null, courseFrom, courseTo, today),
        inSql
          ? rulesRead.then(r =>
              repo.tallies(
                [...r].map(([establishmentId, rules]) => ({ establishmentId, rules })),
                today,
                year.from,
              ),
            )
          : Promise.resolve(undefined),
      ])
      const tallies = new Map(inScope.map(e => [e.id, counted?.get(e.id) ?? emptyTally()]))
      const belowTarget: OfficerBelowTarget[] = []
      for (const o of officers) {
        const r = rules.get(o.establishmentId)
        const t = tallies.get(o.establishmentId)
        if (!r || !t) continue
        const status = statusOf(r, o, today)
        addStatus(t, status)
        if (own && !status.cpd.met)
          belowTarget.push({
            staffId: o.id,
            name: `${o.lastName}, ${o.firstName}`,
            staffNumber: o.staffNumber,
            hours: status.cpd.hours,
            target: status.cpd.target,
          })
      }
      belowTarget.sort((a, b) => a.hours - b.hours || a.name.localeCompare(b.name) || a.staffId - b.staffId)
      const courseTallies = new Map(inScope.map(e => [e.id, emptyCourses()]))
      // national: each establishment's own courses in its row; regional ones count in the total only
      const regional = emptyCourses()
      for (const c of courses) {
        const t = (c.establishmentId === null ? undefined : courseTallies.get(c.establishmentId)) ?? regional
        t.courses++
        t.capacity += c.capacity
        t.enrolled += c.enrolled
        t.waiting += c.waiting
      }
      // hours are in hundredths: a sum of many is kept to hundredths too, however it was added up
      const hundredths = (t: TrainingTally) => ({ ...t, cpdHours: Math.round(t.cpdHours * 100) / 100 })
      const rows = inScope.map(e => ({
        id: e.id,
        code: e.code,
        name: e.name,
        tally: hundredths(tallies.get(e.id)!),
        courses: courseTallies.get(e.id)!,
      }))
      const names = new Map(all.map(e => [e.id, e.name]))
      return {
        today,
        cpdFrom: year.from,
        cpdTo: year.to,
        courseFrom,
        courseTo,
        total: {
          tally: hundredths(sumTallies(rows.map(r => r.tally))),
          courses: sumCourses([...rows.map(r => r.courses), regional]),
        },
        rows,
        belowTarget,
        courseList: own
          ? courses.map(c => ({
              ...c,
              runBy: c.establishmentId === null ? `Regional: ${c.region ?? ''}` : (names.get(c.establishmentId) ?? ''),
            }))
          : [],
        targets: [...new Set([...rules.values()].map(r => r.cpdHours))].sort((a, b) => a - b),
      }
    },

    /**
     * QA scores before and after the initial course: officers of the scope whose first initial course completed from
     * `from` to `to`, their reviewed entries in the 6 months before and the 6 months after, paired by officer.
     */
    async beforeAfter(scope: TrainingScope, from: string, to: string): Promise<BeforeAfter> {
      const estId = scope.kind === 'establishment' ? scope.establishmentId : null
      const done = await repo.initialCompletedIn(estId, from, to)
      const rows = await repo.reviewsAround(
        done.map(d => ({
          staffId: d.staffId,
          lo: addMonthsIso(d.completedOn, -6),
          on: d.completedOn,
          hi: addMonthsIso(d.completedOn, 6),
        })),
      )
      const by = new Map(done.map(d => [d.staffId, { before: { reviews: 0, sum: 0 }, after: { reviews: 0, sum: 0 } }]))
      for (const r of rows) {
        const o = by.get(r.staffId)
        if (o) o[r.side] = { reviews: r.reviews, sum: r.sum }
      }
      return beforeAfter([...by.values()])
    },
  }
}

export type TrainingDashboardService = ReturnType<typeof trainingDashboardService>
