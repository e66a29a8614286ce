import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EntryForm } from '../../domain/sessionEntry'
import { readAmendment, readEntry } from './schema'

// The entry form read by its zod schema and checked by the domain's rules: every message and rule of an entry.
// (These tests were in src/domain/sessionEntry.test.ts while the domain read the form itself.)

const ctx = { today: '2026-05-20', receptionDate: '2025-02-03', openGoalIds: [7] }

const delivered: EntryForm = {
  outcome: 'delivered',
  'sessionDate-day': '19',
  'sessionDate-month': '5',
  'sessionDate-year': '2026',
  startsAt: '14:30',
  duration: '45',
  location: 'interview_room',
  private: 'yes',
  interpreterNeeded: 'no',
  concern: 'no',
  agreed: 'To meet again next week',
}

const errorsOf = (form: EntryForm, c = ctx) => {
  const r = readEntry(form, c)
  return r.ok ? {} : r.errors
}

describe('readEntry', () => {
  it('reads a complete delivered entry', () => {
    const r = readEntry(
      {
        ...delivered,
        pathways: ['health', 'accommodation', 'health'],
        goalRows: '2',
        goal0Description: 'Find a tenancy',
        goal0Measure: 'A signed tenancy',
        goal0TargetDate: '1/9/2026',
        referralRows: '2',
        referral0To: 'stakeholder:pom',
        referral0FollowUp: '2026-06-01',
        referral1To: 'service:0191a2b3-aaaa-7000-8000-000000000001',
        review7Status: 'achieved',
        review7Note: 'Done',
        worksheets: ['3', '3', '5'],
      },
      ctx,
    )
    assert.ok(r.ok, JSON.stringify(r))
    const e = r.entry
    assert.equal(e.sessionDate, '2026-05-19')
    assert.equal(e.durationMinutes, 45)
    assert.equal(e.private, true)
    assert.deepEqual(e.pathways, ['accommodation', 'health'])
    assert.deepEqual(e.goals, [
      { description: 'Find a tenancy', measure: 'A signed tenancy', targetDate: '2026-09-01' },
    ])
    assert.deepEqual(e.reviews, [{ goalId: 7, status: 'achieved', note: 'Done' }])
    assert.equal(e.referrals.length, 2)
    assert.equal(e.referrals[0]!.stakeholder, 'pom')
    assert.equal(e.referrals[1]!.serviceId, '0191a2b3-aaaa-7000-8000-000000000001')
    assert.deepEqual(e.worksheetIds, [3, 5])
  })

  it('requires an outcome and, when not delivered, a reason (and words for "other")', () => {
    assert.ok(errorsOf({ ...delivered, outcome: '' }).outcome)
    const nd = { ...delivered, outcome: 'not_delivered', duration: '', location: '', private: '' }
    assert.ok(errorsOf(nd).notDeliveredReason)
    assert.ok(errorsOf({ ...nd, notDeliveredReason: 'other' }).notDeliveredDetail)
    const r = readEntry({ ...nd, notDeliveredReason: 'prisoner_refused', notDeliveredDetail: 'ignored' }, ctx)
    assert.ok(r.ok)
    assert.equal(r.entry.notDeliveredReason, 'prisoner_refused')
    assert.equal(r.entry.notDeliveredDetail, null)
    assert.equal(r.entry.durationMinutes, null)
  })

  it('keeps a delivered session free of a not-delivered reason', () => {
    const r = readEntry({ ...delivered, notDeliveredReason: 'prisoner_refused' }, ctx)
    assert.ok(r.ok)
    assert.equal(r.entry.notDeliveredReason, null)
  })

  it('refuses goals in a session that was not delivered', () => {
    const e = errorsOf({
      ...delivered,
      outcome: 'not_delivered',
      notDeliveredReason: 'regime_curtailed',
      goal0Description: 'x',
      goal0Measure: 'y',
    })
    assert.ok(e.goal0Description)
  })

  it('checks the date: real, not in the future, not before reception', () => {
    assert.match(
      errorsOf({ ...delivered, 'sessionDate-day': '', 'sessionDate-month': '', 'sessionDate-year': '' }).sessionDate!,
      /Enter/,
    )
    assert.match(
      errorsOf({ ...delivered, 'sessionDate-day': '31', 'sessionDate-month': '2' }).sessionDate!,
      /real date/,
    )
    assert.match(errorsOf({ ...delivered, 'sessionDate-day': '21' }).sessionDate!, /today or in the past/)
    assert.match(
      errorsOf({ ...delivered, 'sessionDate-year': '2025', 'sessionDate-month': '2', 'sessionDate-day': '2' })
        .sessionDate!,
      /before the prisoner arrived/,
    )
    assert.ok(readEntry({ ...delivered, 'sessionDate-day': '20' }, ctx).ok, 'today is fine')
    assert.ok(
      readEntry({ ...delivered, 'sessionDate-year': '2025', 'sessionDate-month': '2', 'sessionDate-day': '3' }, ctx).ok,
      'the reception day is fine',
    )
  })

  it('checks the duration is within bounds', () => {
    for (const bad of ['0', '600', '4', '181', '45.5', 'abc', '-5'])
      assert.ok(errorsOf({ ...delivered, duration: bad }).duration, bad)
    for (const good of ['5', '180']) assert.ok(readEntry({ ...delivered, duration: good }, ctx).ok, good)
    assert.ok(errorsOf({ ...delivered, duration: '' }).duration, 'required when delivered')
  })

  it('asks why when a prisoner who needs an interpreter had none', () => {
    const needed = { ...delivered, interpreterNeeded: 'yes', interpreterUsed: 'no' }
    assert.ok(errorsOf(needed).interpreterWhyNot)
    assert.ok(readEntry({ ...needed, interpreterWhyNot: 'No line available' }, ctx).ok)
    const used = readEntry(
      { ...delivered, interpreterNeeded: 'yes', interpreterUsed: 'yes', interpreterLanguage: 'Polish' },
      ctx,
    )
    assert.ok(used.ok)
    assert.equal(used.entry.interpreterLanguage, 'Polish')
    assert.equal(used.entry.interpreterWhyNot, null)
  })

  it('requires who a concern was escalated to', () => {
    assert.ok(errorsOf({ ...delivered, concern: 'yes' }).concernEscalatedTo)
    const r = readEntry({ ...delivered, concern: 'yes', concernEscalatedTo: 'Safer custody' }, ctx)
    assert.ok(r.ok)
    assert.equal(r.entry.concernEscalatedTo, 'Safer custody')
  })

  it('checks goal and referral rows', () => {
    assert.ok(errorsOf({ ...delivered, goal0Description: 'Only the what' }).goal0Measure)
    assert.ok(
      errorsOf({ ...delivered, goal0Description: 'a', goal0Measure: 'b', goal0TargetDate: '1/1/2020' }).goal0TargetDate,
    )
    assert.ok(errorsOf({ ...delivered, referral0Note: 'no one to refer to' }).referral0To)
    assert.ok(errorsOf({ ...delivered, referral0To: 'stakeholder:nobody' }).referral0To)
    assert.ok(errorsOf({ ...delivered, referral0To: 'stakeholder:pom', referral0FollowUp: 'soon' }).referral0FollowUp)
    assert.ok(errorsOf({ ...delivered, pathways: ['not-a-pathway'] }).pathways)
    assert.ok(errorsOf({ ...delivered, review7Status: 'finished' }).review7Status)
    // a review of a goal that is not open any more is ignored
    const r = readEntry({ ...delivered, review99Status: 'achieved' }, ctx)
    assert.ok(r.ok)
    assert.deepEqual(r.entry.reviews, [])
  })

  it('refuses over-long text', () => {
    assert.ok(errorsOf({ ...delivered, agreed: 'x'.repeat(5001) }).agreed)
  })
})

describe('readAmendment', () => {
  const current = {
    sessionDate: '2026-05-19',
    startsAt: '14:30',
    durationMinutes: '45',
    location: 'cell',
    private: 'yes',
    concernEscalatedTo: '',
    interpreterWhyNot: '',
    prisonerWords: 'Said a thing',
    agreed: '',
  }
  const c = { today: '2026-05-20', receptionDate: '2025-02-03' }

  it('records only what changed, with the reason', () => {
    const r = readAmendment(current, { ...current, durationMinutes: '60', reason: 'Typo' }, c)
    assert.ok(r.ok)
    assert.deepEqual(r.changes, { durationMinutes: { from: '45', to: '60' } })
    assert.equal(r.reason, 'Typo')
  })
  it('needs a reason and a change, and checks the new values', () => {
    const noReason = readAmendment(current, { ...current, agreed: 'x' }, c)
    assert.ok(!noReason.ok && noReason.errors.reason)
    const noChange = readAmendment(current, { ...current, reason: 'why' }, c)
    assert.ok(!noChange.ok)
    const bad = readAmendment(
      current,
      { ...current, durationMinutes: '600', sessionDate: '2030-01-01', reason: 'why' },
      c,
    )
    assert.ok(!bad.ok && bad.errors.durationMinutes && bad.errors.sessionDate)
  })
})

describe('an entry states only what happened (issue 12, point 3)', () => {
  const { agreed: _agreed, ...nothingWritten } = delivered

  it('refuses a delivered session with nothing about what happened in it', () => {
    assert.deepEqual(Object.keys(errorsOf(nothingWritten)), ['prisonerWords'])
    assert.match(errorsOf(nothingWritten).prisonerWords!, /Record what was discussed or agreed/)
  })

  it('takes any one of what was said, agreed, a pathway, a goal, a goal review or a referral', () => {
    const each: [string, EntryForm][] = [
      ['what the prisoner said', { prisonerWords: 'I want to see my kids' }],
      ['what was agreed', { agreed: 'Apply for a visit' }],
      ['a pathway', { pathways: ['accommodation'] }],
      ['a goal', { goal0Description: 'Family visit', goal0Measure: 'Visit booked' }],
      ['a goal review', { review7Status: 'in_progress' }],
      ['a referral', { referral0To: 'stakeholder:pom' }],
    ]
    for (const [what, extra] of each) assert.deepEqual(errorsOf({ ...nothingWritten, ...extra }), {}, what)
  })

  it('lists that error where the form asks it, before the errors of the goals below', () => {
    const errors = errorsOf({ ...nothingWritten, duration: '600', review7Status: 'bogus', worksheets: ['x'] })
    assert.deepEqual(Object.keys(errors), ['duration', 'prisonerWords', 'review7Status', 'worksheets'])
  })

  it('asks where it took place and whether it was private: neither is assumed', () => {
    const { location: _l, private: _p, ...unanswered } = delivered
    assert.deepEqual(Object.keys(errorsOf(unanswered)).sort(), ['location', 'private'])
  })

  it('ignores and clears the questions of the outcome not chosen', () => {
    // delivered, with a refusal reason left in the hidden not-delivered questions: recorded without it
    const d = readEntry({ ...delivered, notDeliveredReason: 'prisoner_refused', notDeliveredDetail: 'x' }, ctx)
    assert.ok(d.ok, JSON.stringify(d))
    assert.equal(d.entry.outcome, 'delivered')
    assert.equal(d.entry.notDeliveredReason, null)
    assert.equal(d.entry.notDeliveredDetail, null)

    // not delivered, with the delivered questions answered: none of them recorded, and none of them checked
    const n = readEntry(
      {
        ...delivered,
        outcome: 'not_delivered',
        notDeliveredReason: 'prisoner_refused',
        duration: '600',
        location: 'nowhere',
        private: 'yes',
        interpreterNeeded: 'yes',
        interpreterUsed: 'yes',
        interpreterLanguage: 'Polish',
        pathways: ['health'],
        worksheets: ['3'],
      },
      ctx,
    )
    assert.ok(n.ok, JSON.stringify(n))
    assert.deepEqual(
      {
        duration: n.entry.durationMinutes,
        location: n.entry.location,
        private: n.entry.private,
        used: n.entry.interpreterUsed,
        language: n.entry.interpreterLanguage,
        pathways: n.entry.pathways,
        worksheets: n.entry.worksheetIds,
        needed: n.entry.interpreterNeeded,
        reason: n.entry.notDeliveredReason,
      },
      {
        duration: null,
        location: null,
        private: null,
        used: false,
        language: null,
        pathways: [],
        worksheets: [],
        needed: true,
        reason: 'prisoner_refused',
      },
    )
  })
})

describe('entrySchema reads the form as posted', () => {
  it('takes the first of several values, trimmed, and drops blank checkbox values', () => {
    const r = readEntry(
      { ...delivered, outcome: [' delivered ', 'not_delivered'], pathways: [' health ', '', 'health', '  '] },
      ctx,
    )
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.entry.outcome, 'delivered')
    assert.deepEqual(r.entry.pathways, ['health'])
  })

  it('reads a goal’s review only under the id the form writes', () => {
    const padded = readEntry({ ...delivered, review07Status: 'achieved' }, ctx)
    assert.ok(padded.ok)
    assert.deepEqual(padded.entry.reviews, [])
    const plain = readEntry({ ...delivered, review7Status: 'achieved', review7Note: ' Done ' }, ctx)
    assert.ok(plain.ok)
    assert.deepEqual(plain.entry.reviews, [{ goalId: 7, status: 'achieved', note: 'Done' }])
  })

  it('reads only the rows the form shows, at most 20', () => {
    const hidden = readEntry({ ...delivered, goal1Description: 'Not shown', goal1Measure: 'Not shown' }, ctx)
    assert.ok(hidden.ok)
    assert.deepEqual(hidden.entry.goals, [])
    const many = { ...delivered, goalRows: '999', goal19Description: 'The last row', goal20Description: 'Past it' }
    assert.deepEqual(errorsOf(many), { goal19Measure: 'Goal 20: enter how it will be measured' })
  })
})
