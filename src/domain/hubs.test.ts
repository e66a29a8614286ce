import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { addDays } from './dates'
import { Random } from './random'
import {
  MAX_BOOKING_MINUTES,
  daySlots,
  demoHubPlan,
  endTimeFor,
  formatTime,
  londonNow,
  mayCancel,
  normaliseTime,
  openingHoursProblems,
  overlaps,
  overlapsText,
  minutesOf,
  slotProblems,
  timetable,
} from './hubs'

const HOURS = { opensAt: '08:00', closesAt: '20:00' }
const NOW = { date: '2026-06-01', minutes: 12 * 60 }
const tomorrow = '2026-06-02'

describe('hub times', () => {
  it('parses and formats times of day', () => {
    assert.equal(minutesOf('09:30'), 570)
    assert.equal(minutesOf('9:05'), 545)
    assert.equal(minutesOf('00:00'), 0)
    assert.equal(minutesOf('23:59'), 1439)
    for (const bad of ['24:00', '12:60', '1230', '12.30', '', 'noon', '123:00']) assert.equal(minutesOf(bad), null, bad)
    assert.equal(normaliseTime(' 9:05 '), '09:05')
    assert.equal(formatTime(570), '09:30')
    assert.equal(endTimeFor('09:30', 45), '10:15')
    assert.equal(endTimeFor('23:30', 45), null)
    assert.equal(endTimeFor('nope', 45), null)
  })

  it('round-trips every time of day', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1439 }), m => minutesOf(formatTime(m)) === m))
  })
})

describe('overlap', () => {
  it('clashes when each starts before the other ends; touching is fine', () => {
    assert.equal(overlaps({ start: 540, end: 600 }, { start: 600, end: 660 }), false)
    assert.equal(overlaps({ start: 540, end: 600 }, { start: 599, end: 660 }), true)
    assert.equal(overlaps({ start: 540, end: 660 }, { start: 570, end: 600 }), true, 'inside')
    assert.equal(overlaps({ start: 540, end: 600 }, { start: 540, end: 600 }), true, 'the same slot')
    assert.equal(overlapsText({ startsAt: '09:00', endsAt: '10:00' }, { startsAt: '10:00', endsAt: '11:00' }), false)
    assert.equal(overlapsText({ startsAt: '09:00', endsAt: '10:05' }, { startsAt: '10:00', endsAt: '11:00' }), true)
  })

  const interval = fc
    .tuple(fc.integer({ min: 0, max: 1438 }), fc.integer({ min: 1, max: 180 }))
    .map(([start, length]) => ({ start, end: Math.min(1439, start + length) }))

  it('is symmetric, and agrees with "some minute is in both"', () => {
    fc.assert(
      fc.property(interval, interval, (a, b) => {
        assert.equal(overlaps(a, b), overlaps(b, a))
        let shared = false
        for (let t = a.start; t < a.end; t++) if (t >= b.start && t < b.end) shared = true
        assert.equal(overlaps(a, b), shared)
      }),
    )
  })

  it('compares stored HH:MM text the same way as minutes', () => {
    fc.assert(
      fc.property(interval, interval, (a, b) => {
        const text = (i: { start: number; end: number }) => ({
          startsAt: formatTime(i.start),
          endsAt: formatTime(i.end),
        })
        assert.equal(overlapsText(text(a), text(b)), overlaps(a, b))
      }),
    )
  })
})

describe('slot rules', () => {
  const check = (startsAt: string, endsAt: string, date = tomorrow, hours = HOURS) =>
    slotProblems({ date, startsAt, endsAt }, hours, NOW)

  it('accepts a slot inside the opening hours, up to 3 hours, from now on', () => {
    assert.deepEqual(check('09:00', '09:45'), {})
    assert.deepEqual(check('08:00', '11:00'), {})
    assert.deepEqual(check('19:15', '20:00'), {})
    assert.deepEqual(check('12:00', '12:30', NOW.date), {}, 'later today')
  })

  it('refuses times off the 5-minute marks, or not times at all', () => {
    assert.match(check('09:02', '09:45').startsAt ?? '', /5-minute mark/)
    assert.match(check('09:00', '09:47').endsAt ?? '', /5-minute mark/)
    assert.match(check('9am', '09:45').startsAt ?? '', /24-hour clock/)
    assert.match(check('09:00', '').endsAt ?? '', /24-hour clock/)
  })

  it('refuses an end before or at the start, and more than 3 hours', () => {
    assert.deepEqual(check('10:00', '10:00'), { endsAt: 'End time must be after the start time' })
    assert.deepEqual(check('10:00', '09:00'), { endsAt: 'End time must be after the start time' })
    assert.deepEqual(check('09:00', '12:05'), { endsAt: 'A booking can be at most 3 hours long' })
  })

  it('refuses a slot outside the hub’s hours', () => {
    assert.match(check('07:55', '08:30').startsAt ?? '', /open from 08:00 to 20:00/)
    assert.match(check('19:30', '20:05').startsAt ?? '', /open from 08:00 to 20:00/)
    assert.deepEqual(check('07:00', '07:30', tomorrow, { opensAt: '07:00', closesAt: '12:00' }), {})
  })

  it('refuses the past, in London time', () => {
    assert.deepEqual(check('09:00', '09:30', '2026-05-31'), { date: 'The date must be today or in the future' })
    assert.deepEqual(check('11:55', '12:30', NOW.date), { startsAt: 'The start time has already passed today' })
  })

  it('accepts exactly the slots the rules describe', () => {
    const minute5 = fc.integer({ min: 0, max: 287 }).map(n => n * 5)
    fc.assert(
      fc.property(minute5, minute5, fc.boolean(), (start, end, today) => {
        const date = today ? NOW.date : tomorrow
        const problems = check(formatTime(start), formatTime(end), date)
        const valid =
          end > start &&
          end - start <= MAX_BOOKING_MINUTES &&
          start >= 8 * 60 &&
          end <= 20 * 60 &&
          (!today || start >= NOW.minutes)
        assert.equal(Object.keys(problems).length === 0, valid, `${formatTime(start)}-${formatTime(end)} ${date}`)
      }),
    )
  })

  it('checks opening hours', () => {
    assert.deepEqual(openingHoursProblems({ opensAt: '08:00', closesAt: '20:00' }), {})
    assert.deepEqual(openingHoursProblems({ opensAt: '20:00', closesAt: '08:00' }), {
      closesAt: 'Closing time must be after the opening time',
    })
    assert.ok(openingHoursProblems({ opensAt: '8', closesAt: '20:03' }).opensAt)
    assert.ok(openingHoursProblems({ opensAt: '8', closesAt: '20:03' }).closesAt)
  })
})

describe('London time', () => {
  it('is an hour ahead of UTC in summer and the same in winter', () => {
    assert.deepEqual(londonNow(new Date('2026-07-01T23:30:00Z')), { date: '2026-07-02', minutes: 30 })
    assert.deepEqual(londonNow(new Date('2026-01-15T23:30:00Z')), { date: '2026-01-15', minutes: 23 * 60 + 30 })
  })
})

describe('cancelling', () => {
  it('lets a Key Worker cancel what they booked or what was booked for them, others any', () => {
    const booking = { bookedByUserId: 5, staffUserId: 7 }
    assert.equal(mayCancel(booking, 5, false), true)
    assert.equal(mayCancel(booking, 7, false), true)
    assert.equal(mayCancel(booking, 9, false), false)
    assert.equal(mayCancel({ bookedByUserId: null, staffUserId: null }, null, false), false)
    assert.equal(mayCancel(booking, 9, true), true)
  })
})

describe('timetable', () => {
  it('covers the opening hours in 30-minute slots', () => {
    const slots = daySlots({ opensAt: '08:00', closesAt: '18:00' })
    assert.equal(slots.length, 20)
    assert.deepEqual(slots[0], { startsAt: '08:00', endsAt: '08:30' })
    assert.deepEqual(slots.at(-1), { startsAt: '17:30', endsAt: '18:00' })
    assert.deepEqual(daySlots({ opensAt: '08:00', closesAt: '08:45' }).at(-1), { startsAt: '08:30', endsAt: '08:45' })
  })

  it('marks each room’s slots booked or free, and past slots not bookable', () => {
    const slots = daySlots({ opensAt: '09:00', closesAt: '11:00' })
    const booking = { id: 1, roomId: 10, startsAt: '09:15', endsAt: '10:00' }
    const rows = timetable(
      [
        { id: 10, bookable: true },
        { id: 11, bookable: true },
      ],
      [booking],
      slots,
      NOW.date,
      { date: NOW.date, minutes: 9 * 60 + 40 },
    )
    assert.deepEqual(
      rows.map(r => r.cells.map(c => (c.state === 'booked' ? (c.first ? 'B' : 'b') : c.bookable ? 'F' : 'f'))),
      [
        ['B', 'f'], // 09:00 started already
        ['b', 'f'], // 09:30 started already
        ['F', 'F'],
        ['F', 'F'],
      ],
    )
  })
})

describe('demo hubs', () => {
  it('gives a hub per houseblock plus a central one, 2 to 4 rooms each, and bookings that never clash', () => {
    const plan = demoHubPlan(
      new Random(3),
      [
        { code: 'A', name: 'A wing' },
        { code: 'B', name: 'B wing' },
      ],
      '2026-06-01',
    )
    assert.deepEqual(
      plan.hubs.map(h => h.unitCode),
      ['A', 'B', null],
    )
    for (const h of plan.hubs) assert.ok(h.rooms.length >= 2 && h.rooms.length <= 4)
    assert.ok(plan.bookings.length > 0)
    for (const b of plan.bookings) {
      assert.ok(b.date > '2026-06-01' && b.date <= addDays('2026-06-01', 5))
      assert.deepEqual(slotProblems(b, HOURS, { date: '2026-06-01', minutes: 0 }), {})
      const others = plan.bookings.filter(
        o => o !== b && o.hubIndex === b.hubIndex && o.roomIndex === b.roomIndex && o.date === b.date,
      )
      assert.ok(!others.some(o => overlapsText(o, b)), 'no clash')
    }
  })
})
