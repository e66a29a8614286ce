import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  type TimedSession,
  awayOn,
  awayPeriods,
  bursts,
  custodyStays,
  dayAllowance,
  flagKey,
  isLate,
  isThin,
  keyWorkMinutes,
  narrativeOf,
  outOfCustodyOn,
  overTimeDays,
  overlappingPairs,
  overlapsOf,
  pairKey,
  reasonOf,
  removalWords,
  statusChanges,
} from './integrity'
import { jaccard, normalise, shingles } from './nearDuplicates'
import { weekdayOf } from './planning'
import type { Slot } from './planning'

// Every expected value below is worked out by hand from the dates and times in the test.

const s = (id: number, officer: string, date: string, startsAt: string | null, durationMinutes: number | null) =>
  ({ id, officer, date, startsAt, durationMinutes }) satisfies TimedSession

describe('overlapping sessions', () => {
  it('pairs one officer’s sessions on one day whose times overlap; touching end to start is no overlap', () => {
    const sessions = [
      s(1, 'staff:1', '2026-03-02', '10:00', 45), // 10:00-10:45
      s(2, 'staff:1', '2026-03-02', '10:30', 30), // 10:30-11:00: overlaps 1
      s(3, 'staff:1', '2026-03-02', '10:45', 30), // 10:45-11:15: touches 1's end, overlaps 2
      s(4, 'staff:2', '2026-03-02', '10:00', 45), // another officer
      s(5, 'staff:1', '2026-03-03', '10:00', 45), // another day
      s(6, 'staff:1', '2026-03-02', null, 45), // no time recorded
      s(7, 'staff:1', '2026-03-02', '11:15', 15), // 11:15-11:30: touches 3's end
    ]
    assert.deepEqual(
      overlappingPairs(sessions).map(p => [p.a.id, p.b.id]),
      [
        [1, 2],
        [2, 3],
      ],
    )
  })

  it('finds one entry’s own overlaps (the submit check): the pairs that include it, nothing else', () => {
    const day = [
      s(1, 'staff:1', '2026-03-02', '10:00', 45), // 10:00-10:45
      s(2, 'staff:1', '2026-03-02', '10:30', 30), // 10:30-11:00: overlaps 1 and 3
      s(3, 'staff:1', '2026-03-02', '10:45', 30), // 10:45-11:15: touches 1's end
      s(4, 'staff:2', '2026-03-02', '10:00', 45), // another officer, at the same time as 1
      s(5, 'staff:1', '2026-03-02', '10:00', 45), // the same time as 1: overlaps 1 and 2
    ]
    const ids = (id: number) =>
      overlapsOf(
        day.find(x => x.id === id)!,
        day,
      ).map(p => [p.a.id, p.b.id])
    assert.deepEqual(ids(2), [
      [1, 2],
      [2, 5],
      [2, 3],
    ])
    assert.deepEqual(ids(3), [[2, 3]])
    assert.deepEqual(ids(4), [])
    assert.deepEqual(ids(5), [
      [1, 5],
      [2, 5],
    ])
    assert.deepEqual(overlapsOf(s(9, 'staff:1', '2026-03-02', null, 45), day), [])
  })

  it('gives the same pairs, in the same order, as all pairs of the day filtered to the entry (property)', () => {
    const time = fc.option(
      fc.tuple(fc.integer({ min: 8, max: 11 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${h}:${m || '00'}`),
      { freq: 8 },
    )
    const session = (id: number) =>
      fc
        .record({
          officer: fc.constantFrom('staff:1', 'staff:2'),
          date: fc.constantFrom('2026-03-02', '2026-03-03'),
          startsAt: time,
          durationMinutes: fc.option(fc.constantFrom(0, 15, 30, 45, 60, 90), { freq: 8 }),
        })
        .map(r => ({ id, ...r, startsAt: r.startsAt === null ? null : r.startsAt.padStart(5, '0') }))
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => session(i + 1)))),
        fc.nat(),
        (day, pick) => {
          const entry = day[pick % day.length]!
          const expected = overlappingPairs(day).filter(p => p.a.id === entry.id || p.b.id === entry.id)
          assert.deepEqual(overlapsOf(entry, day), expected)
        },
      ),
      { seed: 1806, numRuns: 2000 },
    )
  })

  it('gives the smaller id first whatever the start times', () => {
    const pairs = overlappingPairs([s(9, 'x', '2026-03-02', '09:00', 60), s(8, 'x', '2026-03-02', '09:30', 15)])
    assert.deepEqual(
      pairs.map(p => [p.a.id, p.b.id]),
      [[8, 9]],
    )
  })
})

describe('more minutes than key work time', () => {
  // 2026-03-03 is a Tuesday (1 January 2026 was a Thursday; 3 March is day 62, 61 days later: 8 weeks and 5 days)
  const TUESDAY = '2026-03-03'
  const weekly: Slot = {
    weekday: 2,
    onDate: null,
    startsAt: '14:00',
    endsAt: '16:30',
    validFrom: '2026-01-01',
    validTo: null,
  }
  const oneOff: Slot = {
    weekday: null,
    onDate: '2026-03-05',
    startsAt: '09:00',
    endsAt: '10:00',
    validFrom: '2026-03-05',
    validTo: null,
  }

  it('counts the slots that apply on the day', () => {
    assert.equal(weekdayOf(TUESDAY), 2)
    assert.equal(keyWorkMinutes([weekly, oneOff], TUESDAY), 150)
    assert.equal(keyWorkMinutes([weekly, oneOff], '2026-03-05'), 60)
    assert.equal(keyWorkMinutes([weekly, oneOff], '2026-03-04'), 0)
    assert.equal(keyWorkMinutes([{ ...weekly, validTo: '2026-02-28' }], TUESDAY), 0)
    assert.equal(keyWorkMinutes([], TUESDAY), null)
  })

  it('flags a day over key work time plus 30 minutes, not one at it', () => {
    const slots = (o: string) => (o === 'staff:1' ? [weekly] : [])
    // 4 × 45 = 180 = 150 + 30: at the limit
    const atLimit = [1, 2, 3, 4].map(i => s(i, 'staff:1', TUESDAY, null, 45))
    assert.deepEqual(overTimeDays(atLimit, slots), [])
    // one more of 15: 195 > 180
    const over = overTimeDays([...atLimit, s(5, 'staff:1', TUESDAY, null, 15)], slots)
    assert.deepEqual(over, [
      { officer: 'staff:1', date: TUESDAY, minutes: 195, keyWorkMinutes: 150, limit: 180, sessionIds: [1, 2, 3, 4, 5] },
    ])
  })

  it('counts a working day (7.5 hours) plus the margin for an officer with no key work time planned', () => {
    const none = () => []
    // 8 × 60 = 480 = 450 + 30: at the limit; 9 × 60 = 540 over it
    assert.deepEqual(
      overTimeDays(
        [1, 2, 3, 4, 5, 6, 7, 8].map(i => s(i, 'staff:2', TUESDAY, null, 60)),
        none,
      ),
      [],
    )
    const over = overTimeDays(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => s(i, 'staff:2', TUESDAY, null, 60)),
      none,
    )
    assert.equal(over.length, 1)
    assert.equal(over[0]!.minutes, 540)
    assert.equal(over[0]!.limit, 480)
    assert.equal(over[0]!.keyWorkMinutes, null)
  })

  it('measures a day without key work time against the most of any day that week', () => {
    const slots = () => [weekly, oneOff]
    // Wednesday 4 March has no slot; the most that week is Tuesday's 150: 180 minutes pass, 195 do not
    assert.equal(dayAllowance([weekly, oneOff], '2026-03-04'), 150)
    assert.equal(dayAllowance([weekly, oneOff], TUESDAY), 150)
    assert.equal(dayAllowance([oneOff], '2026-03-02'), 60)
    // a week without any (before the slots start, say): no plan, so a working day counts
    assert.equal(dayAllowance([oneOff], '2026-03-20'), null)
    assert.equal(dayAllowance([{ ...weekly, validFrom: '2026-04-01' }], TUESDAY), null)
    assert.equal(dayAllowance([], TUESDAY), null)
    const wednesday = (minutes: number[]) => minutes.map((m, i) => s(i + 1, 'staff:1', '2026-03-04', null, m))
    assert.deepEqual(overTimeDays(wednesday([60, 60, 60]), slots), [])
    const over = overTimeDays(wednesday([60, 60, 60, 15]), slots)
    assert.equal(over.length, 1)
    assert.equal(over[0]!.keyWorkMinutes, 150)
    assert.equal(over[0]!.limit, 180)
    assert.deepEqual(
      overTimeDays([s(1, 'staff:1', '2026-03-20', null, 45)], () => [oneOff]),
      [],
    )
  })
})

describe('bursts of late entries', () => {
  const at = (minutes: number) => new Date(Date.parse('2026-03-10T10:00:00Z') + minutes * 60_000).toISOString()
  const e = (id: number, minutes: number, sessionDate = '2026-03-01', author = 'user:1') => ({
    id,
    author,
    sessionDate,
    submittedAt: at(minutes),
  })

  it('calls an entry late when its session was 7 or more London days before its submit', () => {
    assert.equal(isLate({ sessionDate: '2026-03-03', submittedAt: '2026-03-10T10:00:00.000Z' }), true)
    assert.equal(isLate({ sessionDate: '2026-03-04', submittedAt: '2026-03-10T10:00:00.000Z' }), false)
    // 23:30 UTC on 9 June is 00:30 on 10 June in London (BST): 7 days after 3 June
    assert.equal(isLate({ sessionDate: '2026-06-03', submittedAt: '2026-06-09T23:30:00.000Z' }), true)
  })

  it('finds 5 late entries within 30 minutes, and keeps the whole run', () => {
    const found = bursts([e(1, 0), e(2, 5), e(3, 10), e(4, 20), e(5, 29), e(6, 55)])
    assert.deepEqual(found, [{ author: 'user:1', ids: [1, 2, 3, 4, 5, 6], from: at(0), to: at(55) }])
  })

  it('does not count 5 entries spread over 40 minutes (at most 4 in any 30), nor 4, nor entries not late', () => {
    assert.deepEqual(bursts([e(1, 0), e(2, 10), e(3, 20), e(4, 30), e(5, 40)]), [])
    assert.deepEqual(bursts([e(1, 0), e(2, 1), e(3, 2), e(4, 3)]), [])
    assert.deepEqual(bursts([1, 2, 3, 4, 5].map(i => e(i, i, '2026-03-09'))), [])
  })

  it('keeps authors apart', () => {
    const mixed = [e(1, 0), e(2, 1, undefined, 'user:2'), e(3, 2), e(4, 3, undefined, 'user:2'), e(5, 4), e(6, 5)]
    assert.deepEqual(bursts(mixed), [])
    assert.deepEqual(
      bursts([...mixed, e(7, 6)]).map(b => b.ids),
      [[1, 3, 5, 6, 7]],
    )
  })
})

describe('out of custody', () => {
  const events = [
    { id: 1, kind: 'reception', date: '2025-01-10' },
    { id: 2, kind: 'moved', date: '2025-02-01' },
    { id: 3, kind: 'complexity', date: '2025-03-01' },
    { id: 4, kind: 'transfer_out', date: '2025-05-01' },
    { id: 5, kind: 'transfer_in', date: '2025-07-01' },
    { id: 6, kind: 'release', date: '2025-09-15' },
  ]

  it('makes stays from arrivals to departures, moves and complexity changes not ending them', () => {
    assert.deepEqual(custodyStays(events), [
      { from: '2025-01-10', to: '2025-05-01', leftBy: 'transfer_out' },
      { from: '2025-07-01', to: '2025-09-15', leftBy: 'release' },
    ])
    assert.deepEqual(custodyStays([{ id: 1, kind: 'reception', date: '2025-01-10' }]), [
      { from: '2025-01-10', to: null, leftBy: null },
    ])
  })

  it('says why a date falls outside every stay', () => {
    const stays = custodyStays(events)
    assert.deepEqual(outOfCustodyOn('2025-01-09', stays), { reason: 'before_reception', on: '2025-01-10' })
    assert.equal(outOfCustodyOn('2025-01-10', stays), null)
    // the day he left: a session that morning is possible
    assert.equal(outOfCustodyOn('2025-05-01', stays), null)
    assert.deepEqual(outOfCustodyOn('2025-05-02', stays), { reason: 'transferred', on: '2025-05-01' })
    assert.deepEqual(outOfCustodyOn('2025-06-30', stays), { reason: 'transferred', on: '2025-05-01' })
    assert.equal(outOfCustodyOn('2025-07-01', stays), null)
    assert.deepEqual(outOfCustodyOn('2025-10-01', stays), { reason: 'released', on: '2025-09-15' })
    assert.equal(outOfCustodyOn('2025-10-01', []), null)
  })
})

describe('officer marked away', () => {
  it('makes away periods from status changes, ended by the next change or the return date', () => {
    const changes = statusChanges(
      [
        { date: '2026-01-02' }, // a change of something else
        { date: '2026-01-05', status: 'annual_leave', returnDate: '2026-01-12' },
        { date: '2026-01-12', status: 'active', returnDate: null },
        { date: '2026-02-01', status: 'annual_leave', returnDate: '2026-02-08' },
      ],
      { status: 'annual_leave', returnDate: '2026-02-08', since: '2026-02-01' },
    )
    const periods = awayPeriods(changes)
    assert.deepEqual(periods, [
      { status: 'annual_leave', from: '2026-01-05', to: '2026-01-12' },
      { status: 'annual_leave', from: '2026-02-01', to: '2026-02-08' },
    ])
    assert.equal(awayOn('2026-01-04', periods), null)
    assert.equal(awayOn('2026-01-05', periods)?.status, 'annual_leave')
    assert.equal(awayOn('2026-01-11', periods)?.status, 'annual_leave')
    assert.equal(awayOn('2026-01-12', periods), null)
    assert.equal(awayOn('2026-02-07', periods)?.status, 'annual_leave')
    assert.equal(awayOn('2026-02-08', periods), null)
  })

  it('counts the status now from the day the record changed when the audit trail has no history of it', () => {
    const periods = awayPeriods(
      statusChanges([], { status: 'long_term_absence', returnDate: null, since: '2026-03-01' }),
    )
    assert.deepEqual(periods, [{ status: 'long_term_absence', from: '2026-03-01', to: null }])
    assert.equal(awayOn('2026-02-28', periods), null)
    assert.equal(awayOn('2027-01-01', periods)?.status, 'long_term_absence')
    assert.deepEqual(awayPeriods(statusChanges([], { status: 'active', returnDate: null, since: '2026-03-01' })), [])
  })
})

describe('thin entries', () => {
  const text = (n: number) => 'x'.repeat(n)
  it('is a delivered session of 30 minutes or more with a narrative under the set length', () => {
    assert.equal(isThin({ outcome: 'delivered', durationMinutes: 30, narrative: text(299) }), true)
    assert.equal(isThin({ outcome: 'delivered', durationMinutes: 30, narrative: text(300) }), false)
    assert.equal(isThin({ outcome: 'delivered', durationMinutes: 29, narrative: text(10) }), false)
    assert.equal(isThin({ outcome: 'not_delivered', durationMinutes: 45, narrative: '' }), false)
    assert.equal(isThin({ outcome: 'delivered', durationMinutes: 45, narrative: text(150) }, 100), false)
    // runs of white space count as one: 150 + 1 + 149 = 300 is not thin, 150 + 1 + 148 = 299 is
    assert.equal(
      isThin({ outcome: 'delivered', durationMinutes: 45, narrative: `${text(150)}     ${text(149)}` }),
      false,
    )
    assert.equal(
      isThin({ outcome: 'delivered', durationMinutes: 45, narrative: `${text(150)}     ${text(148)}` }),
      true,
    )
  })
})

describe('what near-duplicates compare', () => {
  it('joins the prisoner’s words and what was agreed', () => {
    assert.equal(narrativeOf('He said this.', 'We agreed that.'), 'He said this.\nWe agreed that.')
    assert.equal(narrativeOf(null, 'We agreed that.'), 'We agreed that.')
    assert.equal(narrativeOf('  ', null), '')
  })

  it('makes a copied entry with the names, prison number and date changed the same text', () => {
    const a =
      'Dean Walsh (A1234BC) told me on 3 March he wants to sort out housing. Officer Khan will chase the council.'
    const b =
      'Marcus Reid (G9876ZZ) told me on 17/04/2026 he wants to sort out housing. Officer Price will chase the council.'
    const sa = shingles(normalise(a, removalWords(['Dean', 'Walsh', 'Sam', 'Khan'])))
    const sb = shingles(normalise(b, removalWords(['Marcus', 'Reid', 'Sam', 'Price'])))
    assert.equal(jaccard(sa, sb), 1)
  })

  it('removes the form’s own words and each word of a name, not one-letter words', () => {
    const words = removalWords(['Mary-Jane', "O'Neill", null, 'J'])
    assert.ok(words.includes('mary') && words.includes('jane') && words.includes("o'neill"))
    assert.ok(!words.includes('j'))
    assert.ok(words.includes('key work session'))
  })
})

describe('keys and reasons', () => {
  it('keys a pair by the smaller id first', () => {
    assert.equal(pairKey('near_duplicate', 9, 4), 'near_duplicate:4:9')
    assert.equal(flagKey('thin', 7), 'thin:7')
  })

  it('says why in words, with dates formatted', () => {
    const date = (iso: string) => `[${iso}]`
    assert.equal(
      reasonOf('near_duplicate', { similarity: 0.873 }, date),
      'The narratives of two entries are 87% the same once names, prison numbers, dates and the form’s own words are taken out.',
    )
    assert.equal(
      reasonOf('out_of_custody', { date: '2025-06-01', reason: 'transferred', on: '2025-05-01' }, date),
      'The session is dated [2025-06-01], after his transfer out ([2025-05-01]).',
    )
    assert.equal(
      reasonOf(
        'officer_away',
        { date: '2026-01-06', status: 'annual_leave', from: '2026-01-05', to: '2026-01-12' },
        date,
      ),
      'The session is dated [2026-01-06], while the officer was on annual leave (from [2026-01-05] until [2026-01-12]).',
    )
    assert.equal(
      reasonOf('over_time', { date: '2026-03-03', minutes: 195, keyWorkMinutes: 150 }, date),
      '195 minutes of sessions were delivered on [2026-03-03], more than the officer’s 150 minutes of key work time plus 30 minutes.',
    )
    assert.equal(
      reasonOf('thin', { chars: 120, minChars: 300, durationMinutes: 45 }, date),
      'A delivered session of 45 minutes has a narrative of 120 characters, under the 300 set for this establishment.',
    )
    assert.equal(reasonOf('something else', {}, date), 'Raised by an integrity check.')
  })
})
