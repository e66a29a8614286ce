// Rules of amending a session entry that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/sessionEntry.ts): each amended value checked by the entry's own rules, the reason, the changes.
// Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AMENDABLE, type AmendableValues, amendedValue, amendmentChanges, amendmentReasonError } from './sessionEntry'
import { DURATION_MAX, DURATION_MIN } from './sessions'

const ctx = { today: '2026-06-10', receptionDate: '2026-06-01' }

describe('session entry rules: amending', () => {
  it('the date of the session must be a real date, not in the future, not before he arrived', () => {
    assert.deepEqual(amendedValue('sessionDate', '5/6/2026', ctx), { value: '2026-06-05', error: null })
    assert.deepEqual(amendedValue('sessionDate', '2026-06-10', ctx), { value: '2026-06-10', error: null })
    assert.deepEqual(amendedValue('sessionDate', '2026-06-01', ctx), { value: '2026-06-01', error: null })
    assert.deepEqual(amendedValue('sessionDate', '31/2/2026', ctx), {
      value: '31/2/2026',
      error: 'The date of the session must be a real date, like 27/3/2026',
    })
    assert.deepEqual(amendedValue('sessionDate', '', ctx), {
      value: '',
      error: 'The date of the session must be a real date, like 27/3/2026',
    })
    assert.deepEqual(amendedValue('sessionDate', '2026-06-11', ctx), {
      value: '2026-06-11',
      error: 'The date of the session must be today or in the past',
    })
    assert.deepEqual(amendedValue('sessionDate', '2026-05-31', ctx), {
      value: '2026-05-31',
      error: 'The date of the session cannot be before the prisoner arrived at this establishment',
    })
  })

  it('a start time is written the usual way; blank clears it', () => {
    assert.deepEqual(amendedValue('startsAt', '9.30', ctx), { value: '09:30', error: null })
    assert.deepEqual(amendedValue('startsAt', 'noon', ctx), {
      value: 'noon',
      error: 'Enter the start time as hours and minutes, like 14:30',
    })
    assert.deepEqual(amendedValue('startsAt', '', ctx), { value: '', error: null })
  })

  it('a duration is a whole number of minutes within the bounds; blank clears it', () => {
    const message = `The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}`
    assert.deepEqual(amendedValue('durationMinutes', String(DURATION_MIN), ctx), {
      value: String(DURATION_MIN),
      error: null,
    })
    assert.deepEqual(amendedValue('durationMinutes', String(DURATION_MAX), ctx), {
      value: String(DURATION_MAX),
      error: null,
    })
    for (const bad of [String(DURATION_MIN - 1), String(DURATION_MAX + 1), '30.5', '3O', ' 30'])
      assert.deepEqual(amendedValue('durationMinutes', bad, ctx), { value: bad, error: message }, bad)
    assert.deepEqual(amendedValue('durationMinutes', '', ctx), { value: '', error: null })
  })

  it('a location is one of the list; private is yes or no; blank clears either', () => {
    assert.deepEqual(amendedValue('location', 'cell', ctx), { value: 'cell', error: null })
    assert.deepEqual(amendedValue('location', 'garden', ctx), {
      value: 'garden',
      error: 'Select where the session took place',
    })
    assert.deepEqual(amendedValue('location', '', ctx), { value: '', error: null })
    assert.deepEqual(amendedValue('private', 'no', ctx), { value: 'no', error: null })
    assert.deepEqual(amendedValue('private', 'maybe', ctx), { value: 'maybe', error: 'Select yes or no' })
  })

  it('text may be 200 characters, or 5,000 for what was said and agreed', () => {
    assert.deepEqual(amendedValue('concernEscalatedTo', 'x'.repeat(200), ctx).error, null)
    assert.equal(amendedValue('concernEscalatedTo', 'x'.repeat(201), ctx).error, 'Concern escalated to is too long')
    assert.equal(amendedValue('prisonerWords', 'x'.repeat(5000), ctx).error, null)
    assert.equal(amendedValue('prisonerWords', 'x'.repeat(5001), ctx).error, 'What the prisoner said is too long')
    assert.equal(amendedValue('agreed', 'x'.repeat(5001), ctx).error, 'What was agreed is too long')
  })

  it('a reason is required, up to 1,000 characters', () => {
    assert.equal(amendmentReasonError(''), 'Enter why the entry is being amended')
    assert.equal(amendmentReasonError('x'.repeat(1000)), null)
    assert.equal(amendmentReasonError('x'.repeat(1001)), 'The reason must be 1,000 characters or fewer')
  })

  it('the changes are the fields whose value differs, from and to, in the form’s order', () => {
    const blank = Object.fromEntries(Object.keys(AMENDABLE).map(k => [k, ''])) as AmendableValues
    const current = { ...blank, sessionDate: '2026-06-05', agreed: 'a', location: 'cell' }
    const next = { ...current, agreed: 'b', sessionDate: '2026-06-06' }
    assert.deepEqual(amendmentChanges(current, next), {
      sessionDate: { from: '2026-06-05', to: '2026-06-06' },
      agreed: { from: 'a', to: 'b' },
    })
    assert.deepEqual(Object.keys(amendmentChanges(current, next)), ['sessionDate', 'agreed'])
    assert.deepEqual(amendmentChanges(current, current), {})
  })
})
