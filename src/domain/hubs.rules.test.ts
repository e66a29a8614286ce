// Rules of hub bookings (times, opening hours, lengths, the day timetable) that mutation testing found unprotected
// (npm run mutation, MUTATE=src/domain/hubs.ts). Every expected value is worked out by hand here.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  daySlots,
  describeSlot,
  endTimeFor,
  normaliseTime,
  openingHoursProblems,
  overlapsText,
  minutesOf,
  slotProblems,
  timetable,
} from './hubs'

describe('hub rules: times of day', () => {
  it('a time is only HH:MM or H:MM, nothing after it', () => {
    assert.equal(minutesOf('09:30'), 9 * 60 + 30)
    assert.equal(minutesOf('09:30pm'), null)
    assert.equal(minutesOf('09:30:00'), null)
  })

  it('writes a time the way it is stored, and refuses what is not a time', () => {
    assert.equal(normaliseTime('9:05'), '09:05')
    assert.equal(normaliseTime('nine'), null)
  })

  it('bookings that touch do not clash; bookings that share a minute do', () => {
    const nineToTen = { startsAt: '09:00', endsAt: '10:00' }
    assert.equal(overlapsText(nineToTen, { startsAt: '10:00', endsAt: '11:00' }), false)
    assert.equal(overlapsText({ startsAt: '10:00', endsAt: '11:00' }, nineToTen), false)
    assert.equal(overlapsText(nineToTen, { startsAt: '09:55', endsAt: '11:00' }), true)
  })

  it('describes a slot by its date and times', () => {
    assert.equal(describeSlot('2026-12-04', '09:00', '09:45'), '4 December 2026, 09:00 to 09:45')
  })
})

describe('hub rules: a requested booking', () => {
  const hours = { opensAt: '08:00', closesAt: '20:00' }
  const now = { date: '2026-06-01', minutes: 8 * 60 }

  it('may last at most 3 hours, and says so in words', () => {
    assert.deepEqual(slotProblems({ date: '2026-06-02', startsAt: '09:00', endsAt: '13:00' }, hours, now), {
      endsAt: 'A booking can be at most 3 hours long',
    })
    assert.deepEqual(slotProblems({ date: '2026-06-02', startsAt: '09:00', endsAt: '12:00' }, hours, now), {})
  })

  it('a hub whose closing time cannot be read is open until midnight', () => {
    const unreadable = { opensAt: '08:00', closesAt: 'late' }
    assert.deepEqual(slotProblems({ date: '2026-06-02', startsAt: '22:00', endsAt: '23:00' }, unreadable, now), {})
  })
})

describe('hub rules: opening hours', () => {
  it('accepts opening before closing, both on 5-minute marks', () => {
    assert.deepEqual(openingHoursProblems({ opensAt: '08:00', closesAt: '20:00' }), {})
  })

  it('an opening time off the 5-minute marks is reported alone, even when closing is before it', () => {
    assert.deepEqual(openingHoursProblems({ opensAt: '08:03', closesAt: '07:00' }), {
      opensAt: 'Opening time must be on a 5-minute mark, like 08:00',
    })
  })

  it('a closing time that is not a time is reported', () => {
    assert.deepEqual(openingHoursProblems({ opensAt: '08:00', closesAt: 'late' }), {
      closesAt: 'Closing time must be a time on the 24-hour clock, like 20:00',
    })
  })

  it('closing at the opening time is not after it', () => {
    assert.deepEqual(openingHoursProblems({ opensAt: '08:00', closesAt: '08:00' }), {
      closesAt: 'Closing time must be after the opening time',
    })
  })

  it('a day with unreadable hours is shown as 08:00 to 20:00', () => {
    const slots = daySlots({ opensAt: '', closesAt: '' })
    assert.equal(slots.length, 24) // 12 hours of 30-minute slots
    assert.deepEqual(slots[0], { startsAt: '08:00', endsAt: '08:30' })
    assert.deepEqual(slots[23], { startsAt: '19:30', endsAt: '20:00' })
  })
})

describe('hub rules: the end time for a length', () => {
  it('has no end for a length of zero or less', () => {
    assert.equal(endTimeFor('09:00', 0), null)
    assert.equal(endTimeFor('09:00', -15), null)
    assert.equal(endTimeFor('09:00', 15), '09:15')
  })

  it('has no end when it would reach midnight', () => {
    assert.equal(endTimeFor('23:00', 60), null)
    assert.equal(endTimeFor('23:00', 55), '23:55')
  })
})

describe('hub rules: the day timetable', () => {
  const rooms = [{ id: 1, bookable: true }]
  const slots = [
    { startsAt: '08:00', endsAt: '08:30' },
    { startsAt: '12:00', endsAt: '12:30' },
    { startsAt: '12:30', endsAt: '13:00' },
  ]
  const now = { date: '2026-06-02', minutes: 12 * 60 }
  const bookable = (date: string) =>
    timetable(rooms, [], slots, date, now).map(row => row.cells.map(c => (c.state === 'free' ? c.bookable : 'booked')))

  it('a free slot of a past day cannot be booked', () => {
    assert.deepEqual(bookable('2026-06-01'), [[false], [false], [false]])
  })

  it('today, a slot that started before now cannot be booked; one starting now can', () => {
    assert.deepEqual(bookable('2026-06-02'), [[false], [true], [true]])
  })

  it('on a later day every free slot can be booked, whatever the time now', () => {
    assert.deepEqual(bookable('2026-06-03'), [[true], [true], [true]])
  })

  it('a free cell says it is free', () => {
    const [row] = timetable(rooms, [], slots, '2026-06-03', now)
    assert.deepEqual(row!.cells, [{ state: 'free', bookable: true }])
  })
})
