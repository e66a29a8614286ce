import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { coursePhase, enrolmentClosed, movingUp, parseTime, placementFor, placesLeft, ratingSummary } from './courses'

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
