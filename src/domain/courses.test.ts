import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  COURSE_CAPACITY_MAX,
  COURSE_CAPACITY_MIN,
  COURSE_DAY_ROWS,
  COURSE_OUTCOMES,
  COURSE_OUTCOME_NAMES,
  COURSE_PHASE_NAMES,
  COURSE_STATUS_NAMES,
  ENROLMENT_STATUS_NAMES,
  RATING_MAX,
  RATING_MIN,
  RATING_NAMES,
  coursePhase,
  enrolmentClosed,
  movingUp,
  parseTime,
  placementFor,
  placesLeft,
  ratingSummary,
} from './courses'

describe('course times', () => {
  it('reads a time of day on the 24-hour clock', () => {
    assert.equal(parseTime('09:30'), '09:30')
    assert.equal(parseTime('9:30'), '09:30')
    assert.equal(parseTime(' 14.05 '), '14:05')
    assert.equal(parseTime('23:59'), '23:59')
    assert.equal(parseTime('00:00'), '00:00')
  })
  it('refuses what is not a time', () => {
    for (const bad of ['24:00', '12:60', '930', '9', '', 'noon', '12:3', '-1:00', null, undefined])
      assert.equal(parseTime(bad), null, String(bad))
  })
})

describe('where a course is', () => {
  it('is upcoming before its first day, running to its last, past after', () => {
    assert.equal(coursePhase('2027-03-08', '2027-03-12', '2027-03-07'), 'upcoming')
    assert.equal(coursePhase('2027-03-08', '2027-03-12', '2027-03-08'), 'running')
    assert.equal(coursePhase('2027-03-08', '2027-03-12', '2027-03-12'), 'running')
    assert.equal(coursePhase('2027-03-08', '2027-03-12', '2027-03-13'), 'past')
  })
  it('takes enrolments to the end of its first day, and never when cancelled or completed', () => {
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-12', '2027-03-08'), null)
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-12', '2027-03-09'), 'started')
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-12', '2027-03-13'), 'past')
    assert.equal(enrolmentClosed('cancelled', '2027-03-08', '2027-03-12', '2027-03-01'), 'cancelled')
    assert.equal(enrolmentClosed('completed', '2027-03-08', '2027-03-12', '2027-03-01'), 'completed')
  })
})

describe('places and the waiting list', () => {
  it('gives a place while one is left, then the waiting list', () => {
    assert.equal(placementFor(2, 0), 'enrolled')
    assert.equal(placementFor(2, 1), 'enrolled')
    assert.equal(placementFor(2, 2), 'waiting')
    assert.equal(placementFor(1, 5), 'waiting')
    assert.equal(placesLeft(12, 5), 7)
    assert.equal(placesLeft(2, 3), 0)
  })
  it('moves up as many as places are free, no more than are waiting', () => {
    assert.equal(movingUp(2, 1, 3), 1)
    assert.equal(movingUp(5, 2, 2), 2)
    assert.equal(movingUp(2, 2, 4), 0)
    assert.equal(movingUp(3, 0, 0), 0)
  })
})

describe('rating summary', () => {
  it('counts, averages to one decimal place and distributes 1 to 5', () => {
    // (5 + 4 + 4 + 2) / 4 = 3.75 → 3.8
    assert.deepEqual(ratingSummary([5, 4, 4, 2]), { count: 4, mean: 3.8, distribution: [0, 1, 0, 2, 1] })
    assert.deepEqual(ratingSummary([]), { count: 0, mean: null, distribution: [0, 0, 0, 0, 0] })
    assert.deepEqual(ratingSummary([0, 6, 3.5, 3]), { count: 1, mean: 3, distribution: [0, 0, 1, 0, 0] })
  })
})

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('courses: the words shown and the fixed limits', () => {
  it('names every status, outcome, phase and rating', () => {
    assert.deepEqual(COURSE_STATUS_NAMES, { scheduled: 'Scheduled', cancelled: 'Cancelled', completed: 'Completed' })
    assert.deepEqual(ENROLMENT_STATUS_NAMES, {
      enrolled: 'Enrolled',
      waiting: 'On the waiting list',
      withdrawn: 'Withdrawn',
      cancelled: 'Course cancelled',
      completed: 'Completed the course',
      not_completed: 'Did not complete',
    })
    assert.deepEqual(COURSE_OUTCOMES, ['completed', 'passed', 'failed', 'not_completed'])
    assert.deepEqual(COURSE_OUTCOME_NAMES, {
      completed: 'Completed',
      passed: 'Passed',
      failed: 'Not passed',
      not_completed: 'Did not complete',
    })
    assert.deepEqual(COURSE_PHASE_NAMES, { upcoming: 'Upcoming', running: 'Running now', past: 'Finished' })
    assert.deepEqual(RATING_NAMES, { 1: '1 (poor)', 2: '2', 3: '3', 4: '4', 5: '5 (excellent)' })
    assert.deepEqual(
      [COURSE_CAPACITY_MIN, COURSE_CAPACITY_MAX, COURSE_DAY_ROWS, RATING_MIN, RATING_MAX],
      [1, 100, 5, 1, 5],
    )
  })
})

describe('courses: edges', () => {
  it('is still open to a withdrawal on its last day when it runs over several days: started, not past', () => {
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-12', '2027-03-12'), 'started')
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-12', '2027-03-07'), null)
    // a one-day course: open on its day, past the day after
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-08', '2027-03-08'), null)
    assert.equal(enrolmentClosed('scheduled', '2027-03-08', '2027-03-08', '2027-03-09'), 'past')
    // a cancelled course is cancelled, not past, after its days too
    assert.equal(enrolmentClosed('cancelled', '2027-03-08', '2027-03-12', '2027-04-01'), 'cancelled')
    assert.equal(enrolmentClosed('completed', '2027-03-08', '2027-03-12', '2027-04-01'), 'completed')
  })

  it('a full course has no places left, and moves nobody up', () => {
    assert.equal(placesLeft(5, 5), 0)
    assert.equal(placesLeft(5, 0), 5)
    assert.equal(movingUp(5, 5, 3), 0)
    assert.equal(movingUp(5, 7, 3), 0) // over capacity (the capacity was lowered): still nobody
    assert.equal(movingUp(5, 0, 9), 5)
  })

  it('counts ratings of 1 and 5, the ends of the scale, and rounds the mean to one place', () => {
    // (1 + 5 + 5) / 3 = 3.666… → 3.7
    assert.deepEqual(ratingSummary([1, 5, 5]), { count: 3, mean: 3.7, distribution: [1, 0, 0, 0, 2] })
    // (1 + 2) / 2 = 1.5 exactly
    assert.deepEqual(ratingSummary([1, 2]), { count: 2, mean: 1.5, distribution: [1, 1, 0, 0, 0] })
    // (4 + 4 + 5) / 3 = 4.333… → 4.3
    assert.deepEqual(ratingSummary([4, 4, 5]), { count: 3, mean: 4.3, distribution: [0, 0, 0, 2, 1] })
  })

  it('reads a time with a single-digit hour and trims around it; refuses 24 and 60', () => {
    assert.equal(parseTime('0:05'), '00:05')
    assert.equal(parseTime('7.45'), '07:45')
    assert.equal(parseTime('23:60'), null)
    assert.equal(parseTime('24:59'), null)
    assert.equal(parseTime('09:30 x'), null)
    assert.equal(parseTime('x 09:30'), null)
    assert.equal(parseTime('09-30'), null)
    assert.equal(parseTime('123:00'), null)
  })
})
