import { type Interval, meanInterval } from './confidence'
import type { InitialState, TopupState, TrainingStatus } from './training'

/**
 * The training dashboard's pure rules (issue 16): how officers' training statuses (src/domain/training.ts, one per
 * Key Worker) add up to the counts an establishment or the country is shown, how CPD hours fall into bands against
 * the target, and what the QA scores before and after the initial course can tell. No I/O.
 */

/** Initial course states in the order the dashboard shows them. */
export const INITIAL_ORDER: readonly InitialState[] = ['done', 'in_window', 'not_yet_due', 'overdue', 'no_start_date']
/** Top-up states of trained officers, in order. */
export const TOPUP_ORDER: readonly Exclude<TopupState, 'not_applicable'>[] = ['current', 'expiring', 'expired']

/** CPD hours in the last 12 months against the target: none, under half of it, half or more but short, met. */
export type CpdBand = 'none' | 'under_half' | 'half' | 'met'
export const CPD_BAND_ORDER: readonly CpdBand[] = ['none', 'under_half', 'half', 'met']
export const CPD_BAND_NAMES: Record<CpdBand, string> = {
  none: 'No hours',
  under_half: 'Less than half the target',
  half: 'Half the target or more, short of it',
  met: 'Target met',
}

export function cpdBand(hours: number, target: number): CpdBand {
  if (hours >= target) return 'met'
  if (hours <= 0) return 'none'
  return hours * 2 < target ? 'under_half' : 'half'
}

/** What the officers of a scope add up to. */
export interface TrainingTally {
  keyWorkers: number
  initial: Record<InitialState, number>
  /** trained officers (a valid initial course) and their top-up states */
  trained: number
  topup: Record<'current' | 'expiring' | 'expired', number>
  cpd: Record<CpdBand, number>
  /** officers meeting the CPD target */
  cpdMet: number
  /** sum of every officer's CPD hours, for a mean */
  cpdHours: number
}

export function emptyTally(): TrainingTally {
  return {
    keyWorkers: 0,
    initial: { done: 0, in_window: 0, not_yet_due: 0, overdue: 0, no_start_date: 0 },
    trained: 0,
    topup: { current: 0, expiring: 0, expired: 0 },
    cpd: { none: 0, under_half: 0, half: 0, met: 0 },
    cpdMet: 0,
    cpdHours: 0,
  }
}

/** Adds one officer's status to a tally (in place). */
export function addStatus(t: TrainingTally, status: TrainingStatus): TrainingTally {
  t.keyWorkers++
  t.initial[status.initial.state]++
  if (status.trained) {
    t.trained++
    if (status.topup.state !== 'not_applicable') t.topup[status.topup.state]++
  }
  t.cpd[cpdBand(status.cpd.hours, status.cpd.target)]++
  if (status.cpd.met) t.cpdMet++
  t.cpdHours += status.cpd.hours
  return t
}

/** The sum of tallies (for all establishments). */
export function sumTallies(tallies: readonly TrainingTally[]): TrainingTally {
  const t = emptyTally()
  for (const x of tallies) {
    t.keyWorkers += x.keyWorkers
    t.trained += x.trained
    t.cpdMet += x.cpdMet
    t.cpdHours += x.cpdHours
    for (const k of INITIAL_ORDER) t.initial[k] += x.initial[k]
    for (const k of TOPUP_ORDER) t.topup[k] += x.topup[k]
    for (const k of CPD_BAND_ORDER) t.cpd[k] += x.cpd[k]
  }
  return t
}

/** k of n as a share from 0 to 1; null when n is 0 (nothing to share out). */
export const share = (k: number, n: number): number | null => (n > 0 ? k / n : null)

/** Course places: how full the courses are and how many wait. */
export interface CourseTally {
  courses: number
  capacity: number
  /** enrolments holding a place (enrolled, then completed or not) */
  enrolled: number
  /** enrolments waiting for a place on courses still to run */
  waiting: number
}

export const emptyCourses = (): CourseTally => ({ courses: 0, capacity: 0, enrolled: 0, waiting: 0 })

export function sumCourses(list: readonly CourseTally[]): CourseTally {
  const t = emptyCourses()
  for (const c of list) {
    t.courses += c.courses
    t.capacity += c.capacity
    t.enrolled += c.enrolled
    t.waiting += c.waiting
  }
  return t
}

/** At least this many officers need reviews on both sides of their initial course before the difference is shown. */
export const MIN_OFFICERS_BEFORE_AFTER = 10

/** One officer's QA review overall scores of entries before and after their initial course: count and sum. */
export interface OfficerScores {
  before: { reviews: number; sum: number }
  after: { reviews: number; sum: number }
}

export interface BeforeAfter {
  /** officers whose initial course completed in the period */
  officers: number
  /** of them, those with reviews on both sides (only they count in the comparison) */
  paired: number
  reviewsBefore: number
  reviewsAfter: number
  /** the mean of the paired officers' mean scores before and after (each officer counts once) */
  meanBefore: number | null
  meanAfter: number | null
  /**
   * the mean of each paired officer's (after − before) with its 95% interval (Student's t over the officers); null
   * when fewer than `minimum` officers have reviews on both sides: too few to tell
   */
  difference: Interval | null
  minimum: number
}

/**
 * Before and after, paired by officer: each officer with reviews on both sides gives the difference of their mean
 * scores (after − before); the interval is of the mean difference over those officers, so an officer reviewed often
 * weighs no more than one reviewed twice, and officers who differ to start with are compared with themselves.
 */
export function beforeAfter(
  officers: readonly OfficerScores[],
  minimum: number = MIN_OFFICERS_BEFORE_AFTER,
): BeforeAfter {
  const paired = officers.filter(o => o.before.reviews > 0 && o.after.reviews > 0)
  const befores = paired.map(o => o.before.sum / o.before.reviews)
  const afters = paired.map(o => o.after.sum / o.after.reviews)
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)
  const enough = paired.length >= Math.max(2, minimum)
  return {
    officers: officers.length,
    paired: paired.length,
    reviewsBefore: paired.reduce((a, o) => a + o.before.reviews, 0),
    reviewsAfter: paired.reduce((a, o) => a + o.after.reviews, 0),
    meanBefore: enough ? mean(befores) : null,
    meanAfter: enough ? mean(afters) : null,
    difference: enough ? meanInterval(afters.map((a, i) => a - befores[i]!)) : null,
    minimum,
  }
}

/** The comparison in words: too few, higher, lower, or no difference the sample can show. */
export function beforeAfterWords(b: BeforeAfter): string {
  if (!b.difference)
    return (
      `Too few to tell: ${b.paired} ${b.paired === 1 ? 'officer has' : 'officers have'} reviews both before and after ` +
      `their initial course; at least ${b.minimum} are needed before a difference is shown.`
    )
  if (b.difference.low > 0) return 'Scores were higher after the initial course: the whole 95% interval is above 0.'
  if (b.difference.high < 0) return 'Scores were lower after the initial course: the whole 95% interval is below 0.'
  return 'No difference the sample can show: the 95% interval includes 0.'
}
