import { parseTime } from './time'
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { amendedValue, amendmentChanges, amendmentReasonError, checkEntry, rowCount } from './sessionEntry'
import { blankGoal as blankRow, entryText as text } from './fixtures'

describe('helpers', () => {
  it('parses times', () => {
    assert.equal(parseTime('9:30'), '09:30')
    assert.equal(parseTime('14.05'), '14:05')
    assert.equal(parseTime('0930'), '09:30')
    assert.equal(parseTime('24:00'), null)
    assert.equal(parseTime('noon'), null)
  })
  it('counts rows, at least one and at most 20', () => {
    assert.equal(rowCount({}, 'goalRows'), 1)
    assert.equal(rowCount({ goalRows: '3' }, 'goalRows'), 3)
    assert.equal(rowCount({ goalRows: '999' }, 'goalRows'), 20)
    assert.equal(rowCount({ goalRows: 'x' }, 'goalRows'), 1)
  })
})

describe('checkEntry: the rules on the form as read', () => {
  const ctx = { today: '2026-05-20', receptionDate: '2025-02-03', openGoalIds: [7, 9] }

  it('builds the entry: blank rows skipped, reviews only of open goals, pathways once each in their order', () => {
    const r = checkEntry(
      text({
        pathways: ['health', 'accommodation', 'health'],
        goals: [blankRow, { description: 'Find work', measure: 'A job offer', targetDate: '1/9/2026' }],
        reviews: new Map([
          [9, { status: 'dropped', note: '' }],
          [99, { status: 'achieved', note: 'not open' }],
        ]),
      }),
      ctx,
    )
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.entry.startsAt, '09:30')
    assert.equal(r.entry.private, false)
    assert.deepEqual(r.entry.pathways, ['accommodation', 'health'])
    assert.deepEqual(r.entry.goals, [{ description: 'Find work', measure: 'A job offer', targetDate: '2026-09-01' }])
    assert.deepEqual(r.entry.reviews, [{ goalId: 9, status: 'dropped', note: null }])
    assert.deepEqual(r.entry.referrals, [])
  })

  it('lists the errors in the form’s order, "nothing written" before the rows below it', () => {
    const r = checkEntry(
      text({ agreed: '', duration: '600', reviews: new Map([[7, { status: 'bogus', note: '' }]]), worksheets: ['x'] }),
      ctx,
    )
    assert.ok(!r.ok)
    assert.deepEqual(Object.entries(r.errors), [
      ['duration', 'The duration must be a whole number of minutes from 5 to 180'],
      [
        'prisonerWords',
        'Record what was discussed or agreed: what the prisoner said, what was agreed, the pathways discussed, a goal or a referral',
      ],
      ['review7Status', 'Select achieved, in progress or dropped'],
      ['worksheets', 'Select worksheets from the list'],
    ])
  })

  it('checks a goal row once anything is typed in it', () => {
    const r = checkEntry(text({ goals: [{ description: 'x'.repeat(501), measure: '', targetDate: '' }] }), ctx)
    assert.ok(!r.ok)
    assert.deepEqual(Object.entries(r.errors), [
      ['goal0Description', 'The goal must be 500 characters or fewer'],
      ['goal0Measure', 'Goal 1: enter how it will be measured'],
    ])
  })

  it('keeps the first message of a field: an over-long goal in a session not delivered says it is too long', () => {
    const r = checkEntry(
      text({
        outcome: 'not_delivered',
        notDeliveredReason: 'regime_curtailed',
        goals: [{ description: 'x'.repeat(501), measure: 'm', targetDate: '' }],
      }),
      ctx,
    )
    assert.ok(!r.ok)
    assert.deepEqual(r.errors, { goal0Description: 'The goal must be 500 characters or fewer' })
  })

  it('says nothing was written only when nothing else was said about what happened', () => {
    const r = checkEntry(text({ agreed: '', duration: '' }), ctx)
    assert.ok(!r.ok)
    assert.deepEqual(Object.keys(r.errors), ['duration', 'prisonerWords'])
    assert.equal(
      r.errors.prisonerWords,
      'Record what was discussed or agreed: what the prisoner said, what was agreed, the pathways discussed, a goal or a referral',
    )
  })
})

describe('the rules of an amendment', () => {
  const c = { today: '2026-05-20', receptionDate: '2025-02-03' }

  it('checks a changed value by the entry’s own rules, and writes dates and times as stored', () => {
    assert.deepEqual(amendedValue('sessionDate', '19/5/2026', c), { value: '2026-05-19', error: null })
    assert.deepEqual(amendedValue('sessionDate', '', c), {
      value: '',
      error: 'The date of the session must be a real date, like 27/3/2026',
    })
    assert.deepEqual(amendedValue('sessionDate', '2025-02-02', c), {
      value: '2025-02-02',
      error: 'The date of the session cannot be before the prisoner arrived at this establishment',
    })
    assert.deepEqual(amendedValue('startsAt', '9.05', c), { value: '09:05', error: null })
    assert.deepEqual(amendedValue('startsAt', '', c), { value: '', error: null })
    assert.deepEqual(amendedValue('durationMinutes', '181', c), {
      value: '181',
      error: 'The duration must be a whole number of minutes from 5 to 180',
    })
    assert.deepEqual(amendedValue('location', 'garden', c), {
      value: 'garden',
      error: 'Select where the session took place',
    })
    assert.deepEqual(amendedValue('private', 'maybe', c), { value: 'maybe', error: 'Select yes or no' })
    assert.equal(amendedValue('concernEscalatedTo', 'x'.repeat(201), c).error, 'Concern escalated to is too long')
    assert.equal(amendedValue('agreed', 'x'.repeat(5000), c).error, null)
  })

  it('needs a reason of at most 1,000 characters', () => {
    assert.equal(amendmentReasonError(''), 'Enter why the entry is being amended')
    assert.equal(amendmentReasonError('x'.repeat(1001)), 'The reason must be 1,000 characters or fewer')
    assert.equal(amendmentReasonError('Typo'), null)
  })

  it('lists the fields that differ, in the form’s order', () => {
    const current = {
      sessionDate: '2026-05-19',
      startsAt: '',
      durationMinutes: '45',
      location: 'cell',
      private: 'yes',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      prisonerWords: '',
      agreed: '',
    }
    assert.deepEqual(Object.entries(amendmentChanges(current, { ...current, agreed: 'x', startsAt: '10:00' })), [
      ['startsAt', { from: '', to: '10:00' }],
      ['agreed', { from: '', to: 'x' }],
    ])
    assert.deepEqual(amendmentChanges(current, { ...current }), {})
  })
})
