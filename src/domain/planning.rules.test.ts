// Rules of planning (key work time, due dates, offered pieces) that mutation testing found unprotected
// (npm run mutation, MUTATE=src/domain/planning.ts). Every expected value is worked out by hand here.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type Due,
  WEEKDAYS,
  byDue,
  demoSlotsFor,
  describeKeyWorkSlot,
  keyWorkPieces,
  nextDue,
  slotTimeProblems,
  withinKeyWorkTime,
} from './planning'
import { oneOff, weekly } from './fixtures'

describe('planning rules: slot times', () => {
  it('accepts a slot whose times are on 5-minute marks with the end after the start', () => {
    assert.deepEqual(slotTimeProblems('14:00', '16:30'), {})
  })

  it('reports only the start when the start is off the 5-minute marks, even if the end is before it', () => {
    assert.deepEqual(slotTimeProblems('14:03', '10:00'), {
      startsAt: 'Start time must be on a 5-minute mark, like 14:00 or 14:05',
    })
  })

  it('an end equal to the start is not after it', () => {
    assert.deepEqual(slotTimeProblems('14:00', '14:00'), { endsAt: 'End time must be after the start time' })
  })
})

describe('planning rules: how a slot reads', () => {
  it('names the weekday of a weekly slot, Monday to Sunday', () => {
    const names = [1, 2, 3, 4, 5, 6, 7].map(d => WEEKDAYS[d])
    assert.deepEqual(names, ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
    assert.equal(describeKeyWorkSlot(weekly(1, '09:00', '11:00')), 'Every Monday 09:00 to 11:00, from 1 June 2026')
    assert.equal(describeKeyWorkSlot(weekly(7, '09:00', '11:00')), 'Every Sunday 09:00 to 11:00, from 1 June 2026')
  })

  it('gives the end of a weekly slot that has one', () => {
    assert.equal(
      describeKeyWorkSlot(weekly(2, '14:00', '16:30', '2026-06-01', '2026-06-30')),
      'Every Tuesday 14:00 to 16:30, from 1 June 2026 to 30 June 2026',
    )
  })

  it('gives the date of a one-off slot, not a weekday', () => {
    assert.equal(describeKeyWorkSlot(oneOff('2026-06-04', '09:00', '11:00')), '4 June 2026, 09:00 to 11:00')
  })
})

describe('planning rules: when the next session is due', () => {
  it('a session due six days from today is due this week; seven days is not', () => {
    // last session 1 June, every week: due 8 June
    const sixDays = nextDue({
      lastSession: '2026-06-01',
      allocatedAt: '2026-05-01T10:00:00Z',
      frequencyWeeks: 1,
      today: '2026-06-02',
    })
    assert.equal(sixDays.due, '2026-06-08')
    assert.equal(sixDays.dueThisWeek, true)
    const sevenDays = nextDue({
      lastSession: '2026-06-01',
      allocatedAt: '2026-05-01T10:00:00Z',
      frequencyWeeks: 1,
      today: '2026-06-01',
    })
    assert.equal(sevenDays.dueThisWeek, false)
  })

  it('orders by due date, then surname, then first name, each with plain comparisons', () => {
    const due = (d: string): Due => ({ lastSession: null, due: d, overdue: false, daysOverdue: 0, dueThisWeek: false })
    const p = (d: string, last_name: string, first_name: string) => ({ due: due(d), last_name, first_name })
    // an earlier due date comes first whatever the names
    assert.equal(byDue(p('2026-06-01', 'Zed', 'Zoe'), p('2026-06-02', 'Abel', 'Ann')), -1)
    assert.equal(byDue(p('2026-06-02', 'Abel', 'Ann'), p('2026-06-01', 'Zed', 'Zoe')), 1)
    // the same due date: the surname decides
    assert.equal(byDue(p('2026-06-01', 'Zed', 'Ann'), p('2026-06-01', 'Abel', 'Zoe')), 1)
    assert.equal(byDue(p('2026-06-01', 'Abel', 'Zoe'), p('2026-06-01', 'Zed', 'Ann')), -1)
    // the same surname: the first name decides
    assert.equal(byDue(p('2026-06-01', 'Abel', 'Zoe'), p('2026-06-01', 'Abel', 'Ann')), 1)
    assert.equal(byDue(p('2026-06-01', 'Abel', 'Ann'), p('2026-06-01', 'Abel', 'Zoe')), -1)
    // all the same: equal
    assert.equal(byDue(p('2026-06-01', 'Abel', 'Ann'), p('2026-06-01', 'Abel', 'Ann')), 0)
  })
})

describe('planning rules: offered pieces of key work time', () => {
  const now = { date: '2026-06-01', minutes: 12 * 60 }

  it('offers exactly the days asked for, starting today', () => {
    const slots = [oneOff('2026-06-02', '13:00', '14:00'), oneOff('2026-06-03', '13:00', '14:00')]
    const pieces = keyWorkPieces({ slots, now, sessionMinutes: 60, days: 2 })
    assert.deepEqual(pieces, [{ date: '2026-06-02', startsAt: '13:00', endsAt: '14:00' }])
  })

  it('a slot that holds exactly two sessions gives two pieces', () => {
    const pieces = keyWorkPieces({ slots: [oneOff('2026-06-02', '09:00', '11:00')], now, sessionMinutes: 60, days: 3 })
    assert.deepEqual(pieces, [
      { date: '2026-06-02', startsAt: '09:00', endsAt: '10:00' },
      { date: '2026-06-02', startsAt: '10:00', endsAt: '11:00' },
    ])
  })

  it('leaves out only the pieces of today that have started: one starting now is offered, other days are whole', () => {
    const slots = [oneOff('2026-06-01', '11:00', '13:00'), oneOff('2026-06-02', '09:00', '10:00')]
    const pieces = keyWorkPieces({ slots, now, sessionMinutes: 60, days: 2 })
    assert.deepEqual(pieces, [
      { date: '2026-06-01', startsAt: '12:00', endsAt: '13:00' },
      { date: '2026-06-02', startsAt: '09:00', endsAt: '10:00' },
    ])
  })

  it('gives a day’s pieces in time order, and never two that overlap, when slots overlap or come out of order', () => {
    // Tuesday 2 June: a weekly slot 10:00-12:00 given first, then a one-off 09:00-11:00 the same day
    const slots = [weekly(2, '10:00', '12:00'), oneOff('2026-06-02', '09:00', '11:00')]
    const pieces = keyWorkPieces({ slots, now, sessionMinutes: 60, days: 2 })
    // sorted: 09:00-11:00 gives 09:00 and 10:00; then 10:00-12:00 gives 10:00 (taken) and 11:00
    assert.deepEqual(pieces, [
      { date: '2026-06-02', startsAt: '09:00', endsAt: '10:00' },
      { date: '2026-06-02', startsAt: '10:00', endsAt: '11:00' },
      { date: '2026-06-02', startsAt: '11:00', endsAt: '12:00' },
    ])
  })

  it('a requested time is inside key work time only when it lies within a slot’s hours that day', () => {
    const slots = [oneOff('2026-06-02', '09:00', '11:00')]
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-02', startsAt: '09:30', endsAt: '10:30' }), true)
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-02', startsAt: '10:30', endsAt: '11:30' }), false)
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-02', startsAt: '08:00', endsAt: '09:00' }), false)
  })
})

describe('planning rules: demo key work time', () => {
  it('is the same rota for the same officer: weekdays and times from the officer id', () => {
    // id 3: first weekday 3 % 5 + 1 = 4 (Thursday), second (3 + 2) % 5 + 1 = 1 (Monday);
    // starts[3 % 4] = 14:00 and starts[(3 + 3) % 4] = 13:30; lengths[3 % 3] = 120, lengths[4 % 3] = 135
    assert.deepEqual(demoSlotsFor(3, '2026-06-01'), [weekly(4, '14:00', '16:00'), weekly(1, '13:30', '15:45')])
    // id 7: weekdays 7 % 5 + 1 = 3 and 9 % 5 + 1 = 5; starts[7 % 4] = 14:00, starts[10 % 4] = 13:30;
    // lengths[7 % 3] = 135, lengths[8 % 3] = 150
    assert.deepEqual(demoSlotsFor(7, '2026-06-01'), [weekly(3, '14:00', '16:15'), weekly(5, '13:30', '16:00')])
  })
})
