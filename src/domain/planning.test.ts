import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { addDays, daysBetween } from './dates'
import { minutesOf } from './hubs'
import {
  type Slot,
  byDue,
  demoSlotsFor,
  keyWorkPieces,
  nextDue,
  slotAppliesOn,
  slotClash,
  slotTimeProblems,
  slotsClash,
  weekdayOf,
  withinKeyWorkTime,
} from './planning'
import { MONDAY, oneOff, weekly } from './fixtures'

describe('due dates', () => {
  it('counts from the London day of the allocation when there is no session yet', () => {
    // allocated at 00:30 British Summer Time on 2 July (23:30 UTC on the 1st): due a week after the 2nd
    const d = nextDue({
      lastSession: null,
      allocatedAt: '2026-07-01T23:30:00.000Z',
      frequencyWeeks: 1,
      today: '2026-07-02',
    })
    assert.equal(d.due, '2026-07-09')
  })

  it('is frequency × 7 days after the last delivered session', () => {
    const d = nextDue({
      lastSession: '2026-06-01',
      allocatedAt: '2026-01-01T10:00:00Z',
      frequencyWeeks: 1,
      today: '2026-06-05',
    })
    assert.equal(d.due, '2026-06-08')
    assert.equal(d.overdue, false)
    assert.equal(d.daysOverdue, 0)
    assert.equal(d.dueThisWeek, true)
    const two = nextDue({
      lastSession: '2026-06-01',
      allocatedAt: '2026-01-01',
      frequencyWeeks: 2,
      today: '2026-06-20',
    })
    assert.equal(two.due, '2026-06-15')
    assert.equal(two.overdue, true)
    assert.equal(two.daysOverdue, 5)
    assert.equal(two.dueThisWeek, false)
  })

  it('counts from the allocation when there has been no session yet', () => {
    const d = nextDue({
      lastSession: null,
      allocatedAt: '2026-05-01T09:30:00.000Z',
      frequencyWeeks: 2,
      today: '2026-05-10',
    })
    assert.equal(d.due, '2026-05-15')
    assert.equal(d.lastSession, null)
    assert.equal(d.overdue, false)
  })

  it('a session today makes the next one due a full period ahead; due today is not overdue', () => {
    const d = nextDue({ lastSession: '2026-06-10', allocatedAt: '2026-01-01', frequencyWeeks: 1, today: '2026-06-10' })
    assert.equal(d.due, '2026-06-17')
    assert.equal(d.overdue, false)
    assert.equal(d.dueThisWeek, false)
    const today = nextDue({
      lastSession: '2026-06-03',
      allocatedAt: '2026-01-01',
      frequencyWeeks: 1,
      today: '2026-06-10',
    })
    assert.equal(today.due, '2026-06-10')
    assert.equal(today.overdue, false)
    assert.equal(today.dueThisWeek, true)
    const yesterday = nextDue({
      lastSession: '2026-06-02',
      allocatedAt: '2026-01-01',
      frequencyWeeks: 1,
      today: '2026-06-10',
    })
    assert.equal(yesterday.overdue, true)
    assert.equal(yesterday.daysOverdue, 1)
  })

  it('holds for any dates and frequency (property)', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map(n => addDays('2020-01-01', n))
    fc.assert(
      fc.property(
        day,
        fc.option(day, { nil: null }),
        fc.integer({ min: 1, max: 8 }),
        day,
        (allocated, last, fw, today) => {
          const d = nextDue({ lastSession: last, allocatedAt: allocated, frequencyWeeks: fw, today })
          assert.equal(daysBetween(last ?? allocated, d.due), fw * 7)
          assert.equal(d.overdue, d.due < today)
          assert.equal(d.daysOverdue, d.overdue ? daysBetween(d.due, today) : 0)
          assert.ok(d.daysOverdue >= 0)
          assert.ok(!(d.overdue && d.dueThisWeek))
        },
      ),
    )
  })

  it('orders overdue first, most overdue first, then soonest due', () => {
    const row = (name: string, due: string) => ({
      last_name: name,
      first_name: 'A',
      due: nextDue({
        lastSession: addDays(due, -7),
        allocatedAt: '2026-01-01',
        frequencyWeeks: 1,
        today: '2026-06-10',
      }),
    })
    const rows = [
      row('Later', '2026-06-20'),
      row('Late', '2026-06-01'),
      row('Soon', '2026-06-11'),
      row('Latest', '2026-05-20'),
    ]
    assert.deepEqual(
      rows.sort(byDue).map(r => r.last_name),
      ['Latest', 'Late', 'Soon', 'Later'],
    )
  })
})

describe('key work time slots', () => {
  it('checks times: 24-hour clock, 5-minute marks, end after start', () => {
    assert.deepEqual(slotTimeProblems('14:00', '16:30'), {})
    assert.match(slotTimeProblems('', '16:30').startsAt!, /24-hour/)
    assert.match(slotTimeProblems('14:03', '16:30').startsAt!, /5-minute/)
    assert.match(slotTimeProblems('14:00', '16:31').endsAt!, /5-minute/)
    assert.match(slotTimeProblems('14:00', '14:00').endsAt!, /after the start/)
    assert.match(slotTimeProblems('16:00', '14:00').endsAt!, /after the start/)
    assert.match(slotTimeProblems('25:00', 'x').endsAt!, /24-hour/)
  })

  it('knows the weekday of a date and when a slot applies', () => {
    assert.equal(weekdayOf(MONDAY), 1)
    assert.equal(weekdayOf('2026-06-07'), 7)
    const tue = weekly(2, '14:00', '16:30', MONDAY, '2026-06-30')
    assert.equal(slotAppliesOn(tue, '2026-06-02'), true)
    assert.equal(slotAppliesOn(tue, '2026-06-03'), false)
    assert.equal(slotAppliesOn(tue, '2026-07-07'), false, 'after valid to')
    assert.equal(slotAppliesOn(weekly(2, '14:00', '16:30', '2026-06-10'), '2026-06-09'), false, 'before valid from')
    assert.equal(slotAppliesOn(oneOff('2026-06-04', '09:00', '10:00'), '2026-06-04'), true)
    assert.equal(slotAppliesOn(oneOff('2026-06-04', '09:00', '10:00'), '2026-06-11'), false)
  })

  it('finds overlapping slots for the same officer on the same day; touching is fine', () => {
    const tue = weekly(2, '14:00', '16:30')
    assert.equal(slotsClash(tue, weekly(2, '16:00', '17:00')), true)
    assert.equal(slotsClash(tue, weekly(2, '16:30', '17:00')), false, 'touching')
    assert.equal(slotsClash(tue, weekly(3, '14:00', '16:30')), false, 'another weekday')
    assert.equal(slotsClash(tue, oneOff('2026-06-09', '15:00', '15:30')), true, 'a one-off on a Tuesday')
    assert.equal(slotsClash(oneOff('2026-06-10', '15:00', '15:30'), tue), false, 'a one-off on a Wednesday')
    assert.equal(slotsClash(oneOff('2026-06-10', '15:00', '15:30'), oneOff('2026-06-10', '15:15', '16:00')), true)
    assert.equal(slotsClash(oneOff('2026-06-10', '15:00', '15:30'), oneOff('2026-06-11', '15:15', '16:00')), false)
    const ended = weekly(2, '14:00', '16:30', MONDAY, '2026-06-08')
    assert.equal(slotsClash(ended, weekly(2, '14:00', '16:30', '2026-06-10')), false, 'validity ranges apart')
    assert.equal(slotsClash(ended, weekly(2, '14:00', '16:30', '2026-06-01')), true)
    assert.equal(
      slotsClash(weekly(2, '14:00', '16:30', MONDAY, '2026-06-01'), weekly(2, '14:00', '16:30')),
      false,
      'no Tuesday in range',
    )
    const clash = slotClash(weekly(2, '15:00', '15:30'), [weekly(3, '09:00', '10:00'), tue])
    assert.match(clash!.message, /overlaps key work time already set: Every Tuesday 14:00 to 16:30/)
    assert.equal(slotClash(weekly(2, '09:00', '10:00'), [tue]), null)
  })

  it('agrees with "some day has both slots and their times overlap" (property)', () => {
    const day = fc.integer({ min: 0, max: 40 }).map(n => addDays(MONDAY, n))
    const time = fc.integer({ min: 0, max: 20 }).map(n => n * 60 + 360)
    const slot = fc.oneof(
      fc
        .record({
          weekday: fc.integer({ min: 1, max: 7 }),
          from: day,
          span: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
          s: time,
          l: fc.integer({ min: 1, max: 4 }),
        })
        .map(r =>
          weekly(r.weekday, fmt(r.s), fmt(r.s + r.l * 30), r.from, r.span === null ? null : addDays(r.from, r.span)),
        ),
      fc
        .record({ d: day, s: time, l: fc.integer({ min: 1, max: 4 }) })
        .map(r => oneOff(r.d, fmt(r.s), fmt(r.s + r.l * 30))),
    )
    fc.assert(
      fc.property(slot, slot, (a, b) => {
        let brute = false
        for (let i = 0; i < 80 && !brute; i++) {
          const d = addDays(MONDAY, i)
          if (slotAppliesOn(a, d) && slotAppliesOn(b, d))
            brute = minutesOf(a.startsAt)! < minutesOf(b.endsAt)! && minutesOf(b.startsAt)! < minutesOf(a.endsAt)!
        }
        // open-ended weekly slots on the same weekday always meet eventually
        assert.equal(slotsClash(a, b), brute || (openMeets(a, b) && timesOverlap(a, b)))
        assert.equal(slotsClash(a, b), slotsClash(b, a))
      }),
    )
  })
})

describe('weekly slots whose validity ranges meet on one day', () => {
  it('rule: two weekly slots clash when their ranges share exactly one day and it is their weekday', () => {
    // 2026-06-09 is a Tuesday: one slot ends on it, the other starts on it
    const ending = weekly(2, '14:00', '16:30', MONDAY, '2026-06-09')
    const starting = weekly(2, '15:00', '16:00', '2026-06-09')
    assert.equal(slotsClash(ending, starting), true, 'both give time on Tuesday 9 June')
    assert.equal(slotsClash(starting, ending), true)
    // one day later there is no shared day; a shared single day that is a Wednesday gives no Tuesday
    assert.equal(slotsClash(ending, weekly(2, '15:00', '16:00', '2026-06-10')), false)
    assert.equal(
      slotsClash(weekly(2, '14:00', '16:30', MONDAY, '2026-06-10'), weekly(2, '15:00', '16:00', '2026-06-10')),
      false,
    )
  })

  it('rule: the shared range of two weekly slots ends at the earlier end, whichever slot is given first', () => {
    // a runs Wednesday 3 to Monday 8 June: no Tuesday; b runs all June. They share 3–8 June, which has no Tuesday.
    const a = weekly(2, '14:00', '16:30', '2026-06-03', '2026-06-08')
    const b = weekly(2, '14:00', '16:30', '2026-06-01', '2026-06-30')
    assert.equal(slotsClash(a, b), false)
    assert.equal(slotsClash(b, a), false)
  })

  it('rule: a one-off slot clashes with a weekly slot on its weekday, whichever is given first', () => {
    const tue = weekly(2, '14:00', '16:30')
    assert.equal(slotsClash(oneOff('2026-06-09', '15:00', '15:30'), tue), true, 'Tuesday 9 June')
    assert.equal(slotsClash(tue, oneOff('2026-06-09', '15:00', '15:30')), true)
  })

  it('rule: clash agrees with a day-by-day search when ranges meet or overlap by a day (property)', () => {
    // the first slot ends on day e; the second starts between e − 7 and e + 1, so one-day overlaps are common
    const pair = fc
      .record({
        weekday: fc.integer({ min: 1, max: 7 }),
        from: fc.integer({ min: 0, max: 20 }),
        span: fc.integer({ min: 0, max: 14 }),
        back: fc.integer({ min: -1, max: 7 }),
        length: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
      })
      .map(r => {
        const aFrom = addDays(MONDAY, r.from)
        const aTo = addDays(aFrom, r.span)
        const bFrom = addDays(aTo, -r.back)
        return [
          weekly(r.weekday, '09:00', '10:00', aFrom, aTo),
          weekly(r.weekday, '09:30', '10:30', bFrom, r.length === null ? null : addDays(bFrom, r.length)),
        ] as const
      })
    fc.assert(
      fc.property(pair, ([a, b]) => {
        let brute = false
        for (let i = 0; i < 60 && !brute; i++)
          brute = slotAppliesOn(a, addDays(MONDAY, i)) && slotAppliesOn(b, addDays(MONDAY, i))
        assert.equal(slotsClash(a, b), brute)
        assert.equal(slotsClash(b, a), brute)
      }),
      { numRuns: 500 },
    )
  })
})

const fmt = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
const timesOverlap = (a: Slot, b: Slot) =>
  minutesOf(a.startsAt)! < minutesOf(b.endsAt)! && minutesOf(b.startsAt)! < minutesOf(a.endsAt)!
const openMeets = (a: Slot, b: Slot) =>
  a.weekday !== null && a.weekday === b.weekday && a.validTo === null && b.validTo === null

describe('offered pieces of key work time', () => {
  const slots = [weekly(2, '14:00', '16:30'), oneOff('2026-06-04', '09:00', '10:00')]

  it('cuts each slot into session-length pieces over the coming 14 days', () => {
    const pieces = keyWorkPieces({ slots, now: { date: MONDAY, minutes: 8 * 60 }, sessionMinutes: 45 })
    assert.deepEqual(pieces.slice(0, 4), [
      { date: '2026-06-02', startsAt: '14:00', endsAt: '14:45' },
      { date: '2026-06-02', startsAt: '14:45', endsAt: '15:30' },
      { date: '2026-06-02', startsAt: '15:30', endsAt: '16:15' },
      { date: '2026-06-04', startsAt: '09:00', endsAt: '09:45' },
    ])
    // two Tuesdays in 14 days from Monday 1 June (2 and 9 June), three pieces each, plus the one-off
    assert.equal(pieces.length, 7)
    assert.ok(pieces.every(p => p.date < addDays(MONDAY, 14)))
  })

  it('skips past times today and times the officer is already booked', () => {
    const tuesday = '2026-06-02'
    const pieces = keyWorkPieces({
      slots,
      now: { date: tuesday, minutes: 14 * 60 + 10 },
      sessionMinutes: 45,
      busy: [{ date: tuesday, startsAt: '15:40', endsAt: '15:50' }],
    })
    assert.deepEqual(
      pieces.filter(p => p.date === tuesday),
      [{ date: tuesday, startsAt: '14:45', endsAt: '15:30' }],
    )
    assert.ok(
      pieces.some(p => p.date === '2026-06-09' && p.startsAt === '15:30'),
      'next week is not busy',
    )
    assert.ok(pieces.every(p => p.date >= tuesday))
  })

  it('offers only times inside key work time, never overlapping each other (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.constantFrom(15, 30, 45, 60),
        (offset, minutes, len) => {
          const now = { date: addDays(MONDAY, offset), minutes }
          const pieces = keyWorkPieces({ slots, now, sessionMinutes: len })
          for (const p of pieces) {
            assert.ok(withinKeyWorkTime(slots, p))
            assert.equal(minutesOf(p.endsAt)! - minutesOf(p.startsAt)!, len)
            if (p.date === now.date) assert.ok(minutesOf(p.startsAt)! >= minutes)
          }
        },
      ),
    )
  })

  it('checks a requested time is inside key work time', () => {
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-02', startsAt: '15:00', endsAt: '16:30' }), true)
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-02', startsAt: '16:00', endsAt: '16:45' }), false)
    assert.equal(withinKeyWorkTime(slots, { date: '2026-06-03', startsAt: '15:00', endsAt: '15:30' }), false)
  })

  it('gives demo officers two weekly slots of 2 to 2.5 hours on different weekdays', () => {
    for (let id = 1; id < 50; id++) {
      const [a, b] = demoSlotsFor(id, MONDAY)
      assert.notEqual(a!.weekday, b!.weekday)
      for (const s of [a!, b!]) {
        const len = minutesOf(s.endsAt)! - minutesOf(s.startsAt)!
        assert.ok(len >= 120 && len <= 150, String(len))
        assert.deepEqual(slotTimeProblems(s.startsAt, s.endsAt), {})
      }
    }
  })
})
