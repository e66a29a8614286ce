// Rules of the demo hubs (npm run mutation, MUTATE=src/domain/hubs.ts found them unprotected): the rooms each hub
// gets and the bookings laid out over the coming days. Every expectation is a rule written out here, over many seeds.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays } from './dates'
import { demoHubPlan } from './hubs'
import { Random } from './random'
import { minutesOf as parseTime } from './time'

const TODAY = '2026-06-01'
const plans = Array.from({ length: 20 }, (_, seed) =>
  demoHubPlan(
    new Random(seed + 1),
    [
      { code: 'A', name: 'A wing' },
      { code: 'B', name: 'B wing' },
    ],
    TODAY,
  ),
)

describe('demo hubs: rules', () => {
  it('names a hub after its houseblock, then a central hub', () => {
    for (const plan of plans)
      assert.deepEqual(
        plan.hubs.map(h => [h.name, h.unitCode]),
        [
          ['A wing hub', 'A'],
          ['B wing hub', 'B'],
          ['Central hub', null],
        ],
      )
  })

  it('rooms are private interview rooms, except that the last of three or four is an open desk', () => {
    const sizes = new Set<number>()
    for (const plan of plans)
      for (const hub of plan.hubs) {
        const n = hub.rooms.length
        sizes.add(n)
        hub.rooms.forEach((room, index) => {
          const i = index + 1
          const desk = i === n && n > 2
          assert.deepEqual(
            { name: room.name, kind: room.kind, isPrivate: room.isPrivate },
            desk
              ? { name: `Desk ${i}`, kind: 'desk', isPrivate: false }
              : { name: `Interview room ${i}`, kind: 'room', isPrivate: true },
          )
        })
      }
    assert.deepEqual([...sizes].sort(), [2, 3, 4], 'every size of hub occurs over the seeds')
  })

  it('books each of the next five days, 09:00 to 17:00 on half-hour marks, at most three a room a day, in order', () => {
    const days = new Set<string>()
    const purposes = new Set<string>()
    let busiest = 0
    for (const plan of plans) {
      const byRoomDay = new Map<string, typeof plan.bookings>()
      for (const b of plan.bookings) {
        days.add(b.date)
        purposes.add(b.purpose)
        const start = parseTime(b.startsAt)!
        const end = parseTime(b.endsAt)!
        assert.ok(start >= 9 * 60 && end <= 17 * 60, `${b.startsAt}-${b.endsAt} inside 09:00-17:00`)
        assert.equal(start % 30, 0, `${b.startsAt} on a half-hour mark`)
        assert.ok([30, 45, 60].includes(end - start), `${end - start} minutes`)
        const key = `${b.hubIndex}/${b.roomIndex}/${b.date}`
        byRoomDay.set(key, [...(byRoomDay.get(key) ?? []), b])
      }
      for (const list of byRoomDay.values()) {
        assert.ok(list.length <= 3, 'at most three bookings a room a day')
        busiest = Math.max(busiest, list.length)
        // each starts at least 15 minutes after the one before ends
        for (let i = 1; i < list.length; i++)
          assert.ok(parseTime(list[i]!.startsAt)! >= parseTime(list[i - 1]!.endsAt)! + 15)
      }
    }
    assert.equal(busiest, 3, 'some room has three bookings a day')
    assert.deepEqual(
      [...days].sort(),
      [1, 2, 3, 4, 5].map(d => addDays(TODAY, d)),
    )
    assert.deepEqual([...purposes].sort(), ['Interpreter call', 'Key work session', 'Review meeting'])
  })
})
