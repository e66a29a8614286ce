// Training courses (issue 16): the pure rules of a scheduled run of a module. A course holds `capacity` places; an
// officer enrolled past it goes on the waiting list, which moves up, earliest first, as places free. A course is
// upcoming before its first day, running from its first to its last day, and past after its last day.

export type CourseStatus = 'scheduled' | 'cancelled' | 'completed'
export const COURSE_STATUS_NAMES: Record<CourseStatus, string> = {
  scheduled: 'Scheduled',
  cancelled: 'Cancelled',
  completed: 'Completed',
}

export type EnrolmentStatus = 'enrolled' | 'waiting' | 'withdrawn' | 'cancelled' | 'completed' | 'not_completed'
export const ENROLMENT_STATUS_NAMES: Record<EnrolmentStatus, string> = {
  enrolled: 'Enrolled',
  waiting: 'On the waiting list',
  withdrawn: 'Withdrawn',
  cancelled: 'Course cancelled',
  completed: 'Completed the course',
  not_completed: 'Did not complete',
}

/** The trainer's assessment of each officer at the end: the first three are recorded as completions. */
export type CourseOutcome = 'completed' | 'passed' | 'failed' | 'not_completed'
export const COURSE_OUTCOMES: readonly CourseOutcome[] = ['completed', 'passed', 'failed', 'not_completed']
export const COURSE_OUTCOME_NAMES: Record<CourseOutcome, string> = {
  completed: 'Completed',
  passed: 'Passed',
  failed: 'Not passed',
  not_completed: 'Did not complete',
}

export const COURSE_CAPACITY_MIN = 1
export const COURSE_CAPACITY_MAX = 100
/** The day rows the schedule form offers (the initial course runs over 5 days). */
export const COURSE_DAY_ROWS = 5
export const RATING_MIN = 1
export const RATING_MAX = 5
export const RATING_NAMES: Record<number, string> = {
  1: '1 (poor)',
  2: '2',
  3: '3',
  4: '4',
  5: '5 (excellent)',
}

/** A time of day as typed ('9:30', '09:30', '14.00'): 'HH:MM' on the 24-hour clock, or null. */
export function parseTime(value: string | null | undefined): string | null {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec((value ?? '').trim())
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

export type CoursePhase = 'upcoming' | 'running' | 'past'
export const COURSE_PHASE_NAMES: Record<CoursePhase, string> = {
  upcoming: 'Upcoming',
  running: 'Running now',
  past: 'Finished',
}

/** Where a course is on `today`, from its first and last days (ISO dates). */
export function coursePhase(firstDay: string, lastDay: string, today: string): CoursePhase {
  if (today < firstDay) return 'upcoming'
  if (today > lastDay) return 'past'
  return 'running'
}

/** Places not yet taken: never negative. */
export const placesLeft = (capacity: number, enrolled: number) => Math.max(0, capacity - enrolled)

/** Where the next officer goes: a place while one is left, else the waiting list. */
export const placementFor = (capacity: number, enrolled: number): 'enrolled' | 'waiting' =>
  enrolled < capacity ? 'enrolled' : 'waiting'

/** How many of the waiting list move up when `enrolled` officers hold places of `capacity`. */
export const movingUp = (capacity: number, enrolled: number, waiting: number) =>
  Math.min(waiting, placesLeft(capacity, enrolled))

/**
 * Why an officer cannot enrol (or withdraw) now, or null: a cancelled or completed course, or one that has started.
 * Enrolment is open to the end of the first day.
 */
export function enrolmentClosed(
  status: string,
  firstDay: string,
  lastDay: string,
  today: string,
): 'cancelled' | 'completed' | 'past' | 'started' | null {
  if (status === 'cancelled') return 'cancelled'
  if (status === 'completed') return 'completed'
  if (today > lastDay) return 'past'
  if (today > firstDay) return 'started'
  return null
}

export interface RatingSummary {
  count: number
  /** null when there is none */
  mean: number | null
  /** how many gave 1, 2, 3, 4 and 5 */
  distribution: [number, number, number, number, number]
}

/** Count, mean (to 1 decimal place) and distribution of 1–5 ratings; ratings outside 1–5 are ignored. */
export function ratingSummary(ratings: readonly number[]): RatingSummary {
  const distribution: RatingSummary['distribution'] = [0, 0, 0, 0, 0]
  let sum = 0
  let count = 0
  for (const r of ratings) {
    if (!Number.isInteger(r) || r < RATING_MIN || r > RATING_MAX) continue
    distribution[r - 1]! += 1
    sum += r
    count += 1
  }
  return { count, mean: count ? Math.round((sum / count) * 10) / 10 : null, distribution }
}
