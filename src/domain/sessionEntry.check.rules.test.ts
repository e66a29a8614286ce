import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type EntryText, checkEntry } from './sessionEntry'
import { blankGoal, entryText } from './fixtures'

// Mutation testing (issue 20): every rule of checkEntry in a table. The base is fixtures' entryText: delivered on
// 19 May 2026, 9.30, 45 minutes, interview room, not private, "Meet again" agreed. Today is 20 May 2026 and the
// prisoner arrived on 3 February 2025; goals 7 and 9 are open. Each row changes what it names and gives the errors
// the form must show, word for word, in order.

const ctx = { today: '2026-05-20', receptionDate: '2025-02-03', openGoalIds: [7, 9] }
const NOTHING_WRITTEN =
  'Record what was discussed or agreed: what the prisoner said, what was agreed, the pathways discussed, a goal or a referral'
const x = (n: number) => 'x'.repeat(n)
const date = (day: string, month: string, year: string) => ({ sessionDate: { day, month, year } })
const notDelivered = (over: Partial<EntryText> = {}): Partial<EntryText> => ({
  outcome: 'not_delivered',
  notDeliveredReason: 'prisoner_refused',
  ...over,
})

const refused: [string, Partial<EntryText>, [string, string][]][] = [
  ['no outcome chosen', { outcome: '' }, [['outcome', 'Select whether the session was delivered']]],
  ['an outcome not on the form', { outcome: 'maybe' }, [['outcome', 'Select whether the session was delivered']]],
  [
    'not delivered without a reason',
    notDelivered({ notDeliveredReason: '' }),
    [['notDeliveredReason', 'Select why the session was not delivered']],
  ],
  [
    'a reason named like a property every object has',
    notDelivered({ notDeliveredReason: 'toString' }),
    [['notDeliveredReason', 'Select why the session was not delivered']],
  ],
  [
    '"other" without words',
    notDelivered({ notDeliveredReason: 'other' }),
    [['notDeliveredDetail', 'Say why the session was not delivered']],
  ],
  [
    'a reason of 201 characters',
    notDelivered({ notDeliveredReason: 'other', notDeliveredDetail: x(201) }),
    [['notDeliveredDetail', 'The reason must be 200 characters or fewer']],
  ],
  [
    'a goal set in a session not delivered',
    notDelivered({ goals: [{ description: 'Find work', measure: 'A job offer', targetDate: '' }] }),
    [['goal0Description', 'Goals are set in a delivered session: remove them, or record the session as delivered']],
  ],
  [
    'a goal reviewed in a session not delivered',
    notDelivered({ reviews: new Map([[7, { status: 'achieved', note: '' }]]) }),
    [['review7Status', 'Goals are reviewed in a delivered session: clear the reviews']],
  ],
  ['no date at all', date('', '', ''), [['sessionDate', 'Enter the date of the session']]],
  [
    'only a year',
    date('', '', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  ['only a day', date('19', '', ''), [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']]],
  [
    '31 February',
    date('31', '2', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a two-digit year',
    date('19', '5', '26'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a five-digit year',
    date('19', '5', '20266'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a day with a letter after it',
    date('19x', '5', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a day with a sign before it',
    date('+19', '5', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a month with a letter after it',
    date('19', '5x', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a month with a sign before it',
    date('19', '-5', '2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  [
    'a year with a sign before it',
    date('19', '5', '+2026'),
    [['sessionDate', 'The date of the session must be a real date, like 27 3 2026']],
  ],
  ['tomorrow', date('21', '5', '2026'), [['sessionDate', 'The date of the session must be today or in the past']]],
  [
    'the day before he arrived',
    date('2', '2', '2025'),
    [['sessionDate', 'The date of the session cannot be before the prisoner arrived at this establishment']],
  ],
  [
    'a start time that is not one',
    { startsAt: 'noon' },
    [['startsAt', 'Enter the start time as hours and minutes, like 14:30']],
  ],
  ['4 minutes', { duration: '4' }, [['duration', 'The duration must be a whole number of minutes from 5 to 180']]],
  ['181 minutes', { duration: '181' }, [['duration', 'The duration must be a whole number of minutes from 5 to 180']]],
  [
    '45.0 minutes',
    { duration: '45.0' },
    [['duration', 'The duration must be a whole number of minutes from 5 to 180']],
  ],
  ['no duration', { duration: '' }, [['duration', 'Enter how long the session lasted, in minutes']]],
  ['no location', { location: '' }, [['location', 'Select where the session took place']]],
  ['a location not on the form', { location: 'yard' }, [['location', 'Select where the session took place']]],
  [
    'a location named like a property every object has',
    { location: 'constructor' },
    [['location', 'Select where the session took place']],
  ],
  [
    'a hub booking that is not a number',
    { location: 'hub_room', hubBookingId: '12a' },
    [['hubBookingId', 'Select a hub room booking from the list']],
  ],
  [
    'a hub booking of ten digits',
    { location: 'hub_room', hubBookingId: '1234567890' },
    [['hubBookingId', 'Select a hub room booking from the list']],
  ],
  ['privacy not answered', { private: '' }, [['private', 'Select whether the session was private']]],
  [
    'an interpreter needed, not used, and no reason',
    { interpreterNeeded: 'yes', interpreterUsed: 'no' },
    [['interpreterWhyNot', 'Say why no interpreter was used when the prisoner needs one']],
  ],
  [
    'why no interpreter in 1,001 characters',
    { interpreterNeeded: 'yes', interpreterWhyNot: x(1001) },
    [['interpreterWhyNot', 'Why no interpreter was used must be 1,000 characters or fewer']],
  ],
  [
    'the interpreting service in 201 characters',
    { interpreterNeeded: 'yes', interpreterUsed: 'yes', interpreterService: x(201) },
    [['interpreterService', 'The interpreting service must be 200 characters or fewer']],
  ],
  ['a pathway not on the list', { pathways: ['health', 'astrology'] }, [['pathways', 'Select pathways from the list']]],
  [
    'a concern not said to be escalated',
    { concern: 'yes' },
    [['concernEscalatedTo', 'Say who the wellbeing or self-harm concern was escalated to']],
  ],
  [
    'escalated to, in 201 characters',
    { concern: 'yes', concernEscalatedTo: x(201) },
    [['concernEscalatedTo', 'Who it was escalated to must be 200 characters or fewer']],
  ],
  [
    'what the prisoner said, in 5,001 characters',
    { prisonerWords: x(5001) },
    [['prisonerWords', 'What the prisoner said must be 5,000 characters or fewer']],
  ],
  [
    'what was agreed, in 5,001 characters',
    { agreed: x(5001) },
    [['agreed', 'What was agreed must be 5,000 characters or fewer']],
  ],
  ['nothing written about what happened', { agreed: '' }, [['prisonerWords', NOTHING_WRITTEN]]],
  ['a worksheet id with a letter', { worksheets: ['3', '3a'] }, [['worksheets', 'Select worksheets from the list']]],
  ['a worksheet id of ten digits', { worksheets: ['1234567890'] }, [['worksheets', 'Select worksheets from the list']]],
  [
    'a second goal with a measure only',
    {
      goals: [
        { description: 'Find work', measure: 'A job offer', targetDate: '' },
        { description: '', measure: 'Attends', targetDate: '' },
      ],
    },
    [['goal1Description', 'Goal 2: enter what the goal is']],
  ],
  [
    'a second goal without a measure',
    {
      goals: [
        { description: 'Find work', measure: 'A job offer', targetDate: '' },
        { description: 'Stay in touch', measure: '', targetDate: '' },
      ],
    },
    [['goal1Measure', 'Goal 2: enter how it will be measured']],
  ],
  [
    'a goal with only a date, and that date not a real one',
    { goals: [{ description: '', measure: '', targetDate: '31/2/2027' }] },
    [
      ['goal0Description', 'Goal 1: enter what the goal is'],
      ['goal0Measure', 'Goal 1: enter how it will be measured'],
      ['goal0TargetDate', 'Goal 1: the date must be a real date, like 27/3/2027'],
    ],
  ],
  [
    'a second goal due the day before the session',
    {
      goals: [
        { description: 'Find work', measure: 'A job offer', targetDate: '19/5/2026' },
        { description: 'Stay in touch', measure: 'Letters', targetDate: '18/5/2026' },
      ],
    },
    [['goal1TargetDate', 'Goal 2: the date must be on or after the date of the session']],
  ],
  [
    'a goal measure of 501 characters',
    { goals: [{ description: 'Find work', measure: x(501), targetDate: '' }] },
    [['goal0Measure', 'How it will be measured must be 500 characters or fewer']],
  ],
  [
    'a review note of 1,001 characters on a goal not reviewed',
    { reviews: new Map([[9, { status: '', note: x(1001) }]]) },
    [['review9Note', 'The note must be 1,000 characters or fewer']],
  ],
  [
    'a referral note of 1,001 characters',
    { referrals: [{ to: 'stakeholder:healthcare', note: x(1001), followUp: '' }] },
    [['referral0Note', 'The note must be 1,000 characters or fewer']],
  ],
  [
    'a referral to a service whose id has more than the id after it',
    { referrals: [{ to: 'service:abc-123/../x', note: '', followUp: '' }] },
    [['referral0To', 'Referral 1: select a service or a team to refer to']],
  ],
  [
    'a referral to something neither a service nor a team',
    { referrals: [{ to: 'healthcare', note: '', followUp: '' }] },
    [['referral0To', 'Referral 1: select a service or a team to refer to']],
  ],
  [
    'the booking reference in 201 characters',
    { interpreterNeeded: 'yes', interpreterUsed: 'yes', interpreterBookingRef: x(201) },
    [['interpreterBookingRef', 'The booking reference must be 200 characters or fewer']],
  ],
  [
    'the interpreter language in 201 characters',
    { interpreterNeeded: 'yes', interpreterUsed: 'yes', interpreterLanguage: x(201) },
    [['interpreterLanguage', 'The language must be 200 characters or fewer']],
  ],
  [
    'nothing written: the message comes after the fields above it and before the worksheets',
    { agreed: '', duration: '4', worksheets: ['a3'] },
    [
      ['duration', 'The duration must be a whole number of minutes from 5 to 180'],
      ['prisonerWords', NOTHING_WRITTEN],
      ['worksheets', 'Select worksheets from the list'],
    ],
  ],
  [
    'a worksheet id with a letter before it',
    { worksheets: ['a3'] },
    [['worksheets', 'Select worksheets from the list']],
  ],
]

describe('checkEntry refuses, field by field, with the message the form shows (issue 20)', () => {
  for (const [what, over, errors] of refused)
    it(`rule: ${what}`, () => {
      const r = checkEntry(entryText(over), ctx)
      assert.equal(r.ok, false, what)
      assert.deepEqual(Object.entries(r.ok ? {} : r.errors), errors)
    })

  it('rule: until an outcome is chosen, nothing written and a missing duration, place or privacy are not asked', () => {
    const r = checkEntry(entryText({ outcome: '', agreed: '', duration: '', location: '', private: '' }), ctx)
    assert.ok(!r.ok)
    assert.deepEqual(Object.keys(r.errors), ['outcome'])
  })
})

describe('checkEntry accepts, and records what the user said (issue 20)', () => {
  const accept = (over: Partial<EntryText>) => {
    const r = checkEntry(entryText(over), ctx)
    assert.ok(r.ok, JSON.stringify(r))
    return r.entry
  }

  it('rule: today and the day he arrived are both allowed; the date is stored as ISO', () => {
    assert.equal(accept(date('20', '5', '2026')).sessionDate, '2026-05-20')
    assert.equal(accept(date('3', '2', '2025')).sessionDate, '2025-02-03')
    assert.equal(accept(date('03', '02', '2025')).sessionDate, '2025-02-03')
  })

  it('rule: a duration of exactly 5 or 180 minutes; no start time is no start time', () => {
    assert.equal(accept({ duration: '5' }).durationMinutes, 5)
    assert.equal(accept({ duration: '180' }).durationMinutes, 180)
    assert.equal(accept({ startsAt: '' }).startsAt, null)
  })

  it('rule: texts exactly at their limits are kept', () => {
    const e = accept({ prisonerWords: x(5000), agreed: x(5000), concern: 'yes', concernEscalatedTo: x(200) })
    assert.equal(e.prisonerWords?.length, 5000)
    assert.equal(e.agreed?.length, 5000)
    assert.equal(e.concernEscalatedTo?.length, 200)
    assert.equal(e.concern, true)
    const n = checkEntry(entryText(notDelivered({ notDeliveredReason: 'other', notDeliveredDetail: x(200) })), ctx)
    assert.ok(n.ok)
    assert.equal(n.entry.notDeliveredDetail?.length, 200)
  })

  it('rule: a session not delivered keeps its reason, and none of the delivered questions', () => {
    const r = checkEntry(
      entryText(
        notDelivered({
          notDeliveredReason: 'other',
          notDeliveredDetail: 'Lockdown on the wing',
          pathways: ['health'],
          worksheets: ['3'],
          duration: '45',
          location: 'cell',
          private: 'yes',
          interpreterNeeded: 'yes',
          interpreterUsed: 'yes',
          interpreterService: 'Big Word',
        }),
      ),
      ctx,
    )
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.entry.outcome, 'not_delivered')
    assert.equal(r.entry.notDeliveredReason, 'other')
    assert.equal(r.entry.notDeliveredDetail, 'Lockdown on the wing')
    assert.deepEqual(r.entry.pathways, [])
    assert.deepEqual(r.entry.worksheetIds, [])
    assert.equal(r.entry.durationMinutes, null)
    assert.equal(r.entry.location, null)
    assert.equal(r.entry.private, null)
    assert.equal(r.entry.interpreterNeeded, true)
    assert.equal(r.entry.interpreterUsed, false)
    assert.equal(r.entry.interpreterService, null)
    assert.equal(r.entry.interpreterWhyNot, null)
  })

  it('rule: words typed for "other" are dropped when another reason is chosen', () => {
    const r = checkEntry(entryText(notDelivered({ notDeliveredDetail: 'typed before changing the reason' })), ctx)
    assert.ok(r.ok)
    assert.equal(r.entry.notDeliveredReason, 'prisoner_refused')
    assert.equal(r.entry.notDeliveredDetail, null)
  })

  it('rule: a delivered session has no reason, whatever was typed in the other branch', () => {
    const e = accept({ notDeliveredReason: 'other', notDeliveredDetail: 'typed then changed' })
    assert.equal(e.outcome, 'delivered')
    assert.equal(e.notDeliveredReason, null)
    assert.equal(e.notDeliveredDetail, null)
  })

  it('rule: a hub booking is read only for the hub room, as a number', () => {
    assert.equal(accept({ location: 'hub_room', hubBookingId: '12' }).hubBookingId, 12)
    assert.equal(accept({ location: 'cell', hubBookingId: '12' }).hubBookingId, null)
    assert.equal(accept({ location: 'hub_room' }).hubBookingId, null)
    assert.equal(accept({ location: 'hub_room' }).location, 'hub_room')
  })

  it('rule: private is yes or no as answered', () => {
    assert.equal(accept({ private: 'yes' }).private, true)
    assert.equal(accept({ private: 'no' }).private, false)
  })

  it('rule: an interpreter used is described; one not needed is not recorded as used', () => {
    const used = accept({
      interpreterNeeded: 'yes',
      interpreterUsed: 'yes',
      interpreterService: 'Big Word',
      interpreterBookingRef: 'BW-1',
      interpreterLanguage: 'Polish',
      interpreterWhyNot: 'typed before',
    })
    assert.deepEqual(
      [used.interpreterNeeded, used.interpreterUsed, used.interpreterService, used.interpreterBookingRef],
      [true, true, 'Big Word', 'BW-1'],
    )
    assert.equal(used.interpreterLanguage, 'Polish')
    assert.equal(used.interpreterWhyNot, null)
    const notNeeded = accept({ interpreterNeeded: 'no', interpreterUsed: 'yes', interpreterService: 'Big Word' })
    assert.equal(notNeeded.interpreterUsed, false)
    assert.equal(notNeeded.interpreterService, null)
    const why = accept({ interpreterNeeded: 'yes', interpreterUsed: 'no', interpreterWhyNot: 'None free' })
    assert.equal(why.interpreterWhyNot, 'None free')
  })

  it('rule: a concern not raised keeps no escalation', () => {
    const e = accept({ concern: 'no', concernEscalatedTo: 'typed before' })
    assert.equal(e.concern, false)
    assert.equal(e.concernEscalatedTo, null)
  })

  it('rule: worksheets once each, in the order chosen', () => {
    assert.deepEqual(accept({ worksheets: ['12', '3', '12'] }).worksheetIds, [12, 3])
  })

  it('rule: any one of pathways, a goal, a review or a referral says what happened without words', () => {
    const base = { agreed: '', prisonerWords: '' }
    assert.deepEqual(accept({ ...base, pathways: ['health'] }).pathways, ['health'])
    assert.equal(
      accept({ ...base, goals: [{ description: 'Find work', measure: 'A job offer', targetDate: '' }] }).goals.length,
      1,
    )
    assert.equal(accept({ ...base, reviews: new Map([[9, { status: 'in_progress', note: '' }]]) }).reviews.length, 1)
    assert.equal(
      accept({ ...base, goals: [blankGoal], referrals: [{ to: 'stakeholder:healthcare', note: '', followUp: '' }] })
        .referrals[0]?.stakeholder,
      'healthcare',
    )
    assert.equal(accept({ ...base, prisonerWords: 'He is well' }).prisonerWords, 'He is well')
  })

  it('rule: a referral to a team named like a property every object has is refused', () => {
    const r = checkEntry(entryText({ referrals: [{ to: 'stakeholder:constructor', note: '', followUp: '' }] }), ctx)
    assert.ok(!r.ok)
    assert.deepEqual(r.errors, { referral0To: 'Referral 1: select a service or a team to refer to' })
  })
})
