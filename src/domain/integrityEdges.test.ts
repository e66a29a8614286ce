import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  AWAY_STATUSES,
  BOILERPLATE,
  type TimedSession,
  awayPeriods,
  bursts,
  custodyStays,
  dayAllowance,
  isFlagKind,
  isFlagOutcome,
  outOfCustodyOn,
  overTimeDays,
  overlappingPairs,
  removalWords,
  sessionInterval,
  setKey,
  statusChanges,
  topMatches,
} from './integrity'
import type { Slot } from './planning'

// The integrity rules at their edges, each expected value worked out by hand in the test: which input order the
// rules must not depend on, the boundary of each comparison, and the fixed lists the rules read.

const s = (id: number, officer: string, date: string, startsAt: string | null, durationMinutes: number | null) =>
  ({ id, officer, date, startsAt, durationMinutes }) satisfies TimedSession

describe('integrity: the fixed lists and keys', () => {
  it('a flag kind or outcome is one of the lists, never a name every object has', () => {
    assert.equal(isFlagKind('near_duplicate'), true)
    assert.equal(isFlagKind('toString'), false)
    assert.equal(isFlagKind(1), false)
    assert.equal(isFlagOutcome('no_concern'), true)
    assert.equal(isFlagOutcome('constructor'), false)
    assert.equal(isFlagOutcome(null), false)
  })

  it('the words of the form removed before comparing entries, longest first', () => {
    assert.deepEqual(removalWords([]), [
      'in their own words',
      'in his own words',
      'in her own words',
      'what was agreed',
      'what the prisoner said',
      'prisoner said',
      'key work session',
      'key worker',
      'key work',
    ])
    assert.equal(BOILERPLATE.length, 9)
  })

  it('each word of a name, accents and apostrophes kept, one-letter words and blanks left out', () => {
    // "O’Brien" has a typographic apostrophe, which splits it: "o" is one letter; a word given twice is kept once
    assert.deepEqual(removalWords(['J. O’Brien-Zoë', "D'Arcy", null, undefined, 'A B', 'Brien']).slice(9), [
      'brien',
      'zoë',
      "d'arcy",
    ])
  })

  it('the officer statuses that mean away', () => {
    assert.deepEqual(AWAY_STATUSES, ['annual_leave', 'long_term_absence', 'no_prisoner_contact', 'inactive'])
  })

  it('matches: the most similar first, then the smaller id; three at most by default', () => {
    const matches = [
      { id: 9, similarity: 0.85 },
      { id: 4, similarity: 0.95 },
      { id: 7, similarity: 0.85 },
      { id: 2, similarity: 0.81 },
    ]
    assert.deepEqual(topMatches(matches), [
      { id: 4, similarity: 0.95 },
      { id: 7, similarity: 0.85 },
      { id: 9, similarity: 0.85 },
    ])
    assert.deepEqual(topMatches(matches, 1), [{ id: 4, similarity: 0.95 }])
    assert.equal(matches[0]!.id, 9, 'the list given is not reordered')
  })

  it('a set key: its size and two hashes; the empty set gives the hashes’ seeds', () => {
    // 0x811c9dc5 and 0x9747b28c
    assert.equal(setKey(new Uint32Array([])), '0:2166136261:2538058380')
    assert.equal(setKey(new Uint32Array([1, 2, 3])), setKey(new Uint32Array([1, 2, 3])))
    assert.notEqual(setKey(new Uint32Array([1, 2, 3])), setKey(new Uint32Array([1, 2, 4])))
    assert.notEqual(setKey(new Uint32Array([1, 2, 3])), setKey(new Uint32Array([3, 2, 1])))
    assert.match(setKey(new Uint32Array([1, 2, 3])), /^3:\d+:\d+$/)
    assert.notEqual(setKey(new Uint32Array([5])).split(':')[1], '2166136261')
  })
})

describe('integrity: session times', () => {
  it('an interval needs a start and a duration above 0', () => {
    assert.deepEqual(sessionInterval({ startsAt: '09:30', durationMinutes: 45 }), { start: 570, end: 615 })
    assert.equal(sessionInterval({ startsAt: '09:30', durationMinutes: 0 }), null)
    assert.equal(sessionInterval({ startsAt: '09:30', durationMinutes: -15 }), null)
    assert.equal(sessionInterval({ startsAt: '09:30', durationMinutes: null }), null)
    assert.equal(sessionInterval({ startsAt: null, durationMinutes: 45 }), null)
    assert.deepEqual(sessionInterval({ startsAt: '00:00', durationMinutes: 1 }), { start: 0, end: 1 })
  })

  it('overlaps are found whatever order the sessions come in, within one officer and one day', () => {
    const day = '2026-03-03'
    const sessions = [
      s(1, 'staff:1', day, '11:00', 30), // alone: starts after the others end
      s(2, 'staff:1', day, '09:00', 30),
      s(3, 'staff:1', day, '09:15', 30), // overlaps 2
      s(4, 'staff:2', day, '09:10', 30), // another officer
      s(5, 'staff:1', '2026-03-04', '09:10', 30), // another day
      s(6, 'staff:1', day, '09:20', 0), // no duration: no interval
    ]
    assert.deepEqual(
      overlappingPairs(sessions).map(p => [p.a.id, p.b.id]),
      [[2, 3]],
    )
  })
})

describe('integrity: key work time of a day', () => {
  // 2026-03-02 is a Monday, 2026-03-03 a Tuesday
  const slot = (weekday: number, startsAt: string, endsAt: string): Slot => ({
    weekday,
    onDate: null,
    startsAt,
    endsAt,
    validFrom: '2026-01-01',
    validTo: null,
  })

  it('a day with key work time is measured against its own, not the week’s most', () => {
    const slots = [slot(1, '09:00', '10:00'), slot(2, '09:00', '11:00')]
    assert.equal(dayAllowance(slots, '2026-03-02'), 60)
    assert.equal(dayAllowance(slots, '2026-03-03'), 120)
    // Wednesday has none: the most of any day within three days either side
    assert.equal(dayAllowance(slots, '2026-03-04'), 120)
  })

  it('sessions without minutes are not counted, nor named; the ids are in order; days by date, then officer', () => {
    const none = () => []
    // no plan: 450 + 30 = 480 minutes a day is the limit
    const sessions = [
      s(30, 'staff:2', '2026-03-03', null, 300),
      s(20, 'staff:2', '2026-03-03', null, 200),
      s(25, 'staff:2', '2026-03-03', null, null),
      s(26, 'staff:2', '2026-03-03', null, 0),
      s(27, 'staff:2', '2026-03-03', null, -100),
      s(12, 'staff:1', '2026-03-03', null, 481),
      s(11, 'staff:1', '2026-03-02', null, 481),
      s(13, 'staff:1', '2026-03-04', null, 480),
    ]
    assert.deepEqual(overTimeDays(sessions, none), [
      { officer: 'staff:1', date: '2026-03-02', minutes: 481, keyWorkMinutes: null, limit: 480, sessionIds: [11] },
      { officer: 'staff:1', date: '2026-03-03', minutes: 481, keyWorkMinutes: null, limit: 480, sessionIds: [12] },
      { officer: 'staff:2', date: '2026-03-03', minutes: 500, keyWorkMinutes: null, limit: 480, sessionIds: [20, 30] },
    ])
  })
})

describe('integrity: bursts of late entries', () => {
  const at = (id: number, author: string, submittedAt: string) => ({
    id,
    author,
    sessionDate: '2026-02-01',
    submittedAt,
  })

  it('entries exactly 30 minutes apart are one run; the run lists them in the order submitted', () => {
    // five entries, each 30 minutes after the last: one run, but no 30-minute window holds five
    const spaced = [0, 30, 60, 90, 120].map((m, i) =>
      at(i + 1, 'a', new Date(Date.parse('2026-03-01T10:00:00Z') + m * 60_000).toISOString()),
    )
    assert.deepEqual(bursts(spaced), [])
    assert.deepEqual(
      bursts(spaced, { min: 2 }).map(b => b.ids),
      [[1, 2, 3, 4, 5]],
    )
    // five within exactly 30 minutes, given out of order: a burst, in the order submitted, ties by id
    const tight = [
      at(5, 'a', '2026-03-01T10:30:00.000Z'),
      at(3, 'a', '2026-03-01T10:10:00.000Z'),
      at(1, 'a', '2026-03-01T10:00:00.000Z'),
      at(4, 'a', '2026-03-01T10:10:00.000Z'),
      at(2, 'a', '2026-03-01T10:05:00.000Z'),
    ]
    assert.deepEqual(bursts(tight), [
      { author: 'a', ids: [1, 2, 3, 4, 5], from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:30:00.000Z' },
    ])
    // a sixth 31 minutes after the fifth starts a run of its own, which is no burst
    assert.deepEqual(
      bursts([...tight, at(6, 'a', '2026-03-01T11:01:00.000Z')]).map(b => b.ids),
      [[1, 2, 3, 4, 5]],
    )
  })
})

describe('integrity: custody stays', () => {
  it('events in any order make the same stays; a second arrival or a departure with none open changes nothing', () => {
    const events = [
      { id: 4, kind: 'release', date: '2026-03-01' },
      { id: 2, kind: 'transfer_in', date: '2026-01-20' },
      { id: 1, kind: 'reception', date: '2026-01-10' },
      { id: 5, kind: 'transfer_out', date: '2026-03-02' },
      { id: 6, kind: 'reception', date: '2026-04-01' },
    ]
    assert.deepEqual(custodyStays(events), [
      { from: '2026-01-10', to: '2026-03-01', leftBy: 'release' },
      { from: '2026-04-01', to: null, leftBy: null },
    ])
    // on one day, the smaller id first: arrive then leave
    assert.deepEqual(
      custodyStays([
        { id: 8, kind: 'release', date: '2026-05-01' },
        { id: 7, kind: 'reception', date: '2026-05-01' },
      ]),
      [{ from: '2026-05-01', to: '2026-05-01', leftBy: 'release' }],
    )
  })

  it('a session is inside a stay on its first and last day; outside, why and since when', () => {
    const stays = [
      { from: '2026-01-10', to: '2026-03-01', leftBy: 'release' },
      { from: '2026-04-01', to: '2026-05-01', leftBy: 'transfer_out' },
      { from: '2026-06-01', to: null, leftBy: null },
    ]
    assert.equal(outOfCustodyOn('2026-01-10', stays), null)
    assert.equal(outOfCustodyOn('2026-03-01', stays), null)
    assert.equal(outOfCustodyOn('2026-06-01', stays), null)
    assert.equal(outOfCustodyOn('2027-01-01', stays), null)
    assert.deepEqual(outOfCustodyOn('2026-01-09', stays), { reason: 'before_reception', on: '2026-01-10' })
    assert.deepEqual(outOfCustodyOn('2026-03-02', stays), { reason: 'released', on: '2026-03-01' })
    assert.deepEqual(outOfCustodyOn('2026-03-31', stays), { reason: 'released', on: '2026-03-01' })
    assert.deepEqual(outOfCustodyOn('2026-05-02', stays), { reason: 'transferred', on: '2026-05-01' })
    assert.equal(outOfCustodyOn('2026-05-02', []), null)
  })
})

describe('integrity: officers away', () => {
  it('changes in any order; an away status ends at the next change or its return date, whichever is first', () => {
    const changes = [
      { date: '2026-03-20', status: 'active', returnDate: null },
      { date: '2026-03-01', status: 'annual_leave', returnDate: '2026-03-10' },
      { date: '2026-03-12', status: 'long_term_absence', returnDate: '2026-04-30' },
    ]
    assert.deepEqual(awayPeriods(changes), [
      { status: 'annual_leave', from: '2026-03-01', to: '2026-03-10' },
      { status: 'long_term_absence', from: '2026-03-12', to: '2026-03-20' },
    ])
  })

  it('an away status whose end is on or before its own day is no period; a later end is', () => {
    assert.deepEqual(awayPeriods([{ date: '2026-03-05', status: 'inactive', returnDate: '2026-03-05' }]), [])
    assert.deepEqual(awayPeriods([{ date: '2026-03-05', status: 'inactive', returnDate: '2026-03-04' }]), [])
    assert.deepEqual(awayPeriods([{ date: '2026-03-05', status: 'inactive', returnDate: '2026-03-06' }]), [
      { status: 'inactive', from: '2026-03-05', to: '2026-03-06' },
    ])
    assert.deepEqual(awayPeriods([{ date: '2026-03-05', status: 'no_prisoner_contact', returnDate: null }]), [
      { status: 'no_prisoner_contact', from: '2026-03-05', to: null },
    ])
  })

  it('status changes from the audit trail: events that set neither are skipped; a null status keeps the last', () => {
    const now = { status: 'annual_leave', returnDate: '2026-03-10', since: '2026-03-01' }
    assert.deepEqual(
      statusChanges(
        [
          { date: '2026-02-01' },
          { date: '2026-02-02', status: 'long_term_absence' },
          { date: '2026-02-03', status: null, returnDate: '2026-02-20' },
          { date: '2026-03-01', status: 'annual_leave', returnDate: '2026-03-10' },
        ],
        now,
      ),
      [
        { date: '2026-02-02', status: 'long_term_absence', returnDate: null },
        { date: '2026-02-03', status: 'long_term_absence', returnDate: '2026-02-20' },
        { date: '2026-03-01', status: 'annual_leave', returnDate: '2026-03-10' },
      ],
    )
    // no events: an officer active now has no changes; one away now is away since the record changed
    assert.deepEqual(statusChanges([], { status: 'active', returnDate: null, since: '2026-01-01' }), [])
    assert.deepEqual(statusChanges([], now), [{ date: '2026-03-01', status: 'annual_leave', returnDate: '2026-03-10' }])
    // the trail ends in another return date than now's: now's is added
    assert.deepEqual(
      statusChanges([{ date: '2026-02-01', status: 'annual_leave', returnDate: '2026-03-10' }], {
        ...now,
        returnDate: '2026-03-12',
      }),
      [
        { date: '2026-02-01', status: 'annual_leave', returnDate: '2026-03-10' },
        { date: '2026-03-01', status: 'annual_leave', returnDate: '2026-03-12' },
      ],
    )
  })
})
