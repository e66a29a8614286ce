import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { columnsOf, currentValues } from './amend'
import type { SessionRow } from './repository'
import { asResult } from './submit'

// The table of amendable fields, read both ways: stored values as the amendment form's text, and back.

const row = {
  session_date: '2026-05-19',
  starts_at: null,
  duration_minutes: 45,
  location: 'cell',
  private: 0,
  concern_escalated_to: null,
  interpreter_why_not: null,
  prisoner_words: 'Said a thing',
  agreed: null,
} as SessionRow

describe('amendable fields', () => {
  it('reads an entry’s stored values as text, then its amendments in order', () => {
    assert.deepEqual(currentValues(row, []), {
      sessionDate: '2026-05-19',
      startsAt: '',
      durationMinutes: '45',
      location: 'cell',
      private: 'no',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      prisonerWords: 'Said a thing',
      agreed: '',
    })
    const amended = currentValues(row, [
      { changes: JSON.stringify({ durationMinutes: { from: '45', to: '50' }, private: { from: 'no', to: 'yes' } }) },
      { changes: 'not JSON' },
      { changes: JSON.stringify({ durationMinutes: { from: '50', to: '60' } }) },
    ])
    assert.equal(amended.durationMinutes, '60')
    assert.equal(amended.private, 'yes')
    assert.equal(amended.agreed, '')
  })

  it('reads a field never answered as blank, and ignores an amendment of a field that is not amendable', () => {
    const blank = { ...row, session_date: null, duration_minutes: null, private: null } as unknown as SessionRow
    const v = currentValues(blank, [
      { changes: JSON.stringify({ outcome: { from: 'delivered', to: 'not_delivered' } }) },
    ])
    assert.deepEqual(v, {
      sessionDate: '',
      startsAt: '',
      durationMinutes: '',
      location: 'cell',
      private: '',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      prisonerWords: 'Said a thing',
      agreed: '',
    })
  })

  it('stores the text of changed fields in their columns: blank as null, numbers and yes/no as stored', () => {
    assert.deepEqual(
      columnsOf({
        sessionDate: { to: '2026-05-18' },
        startsAt: { to: '' },
        durationMinutes: { to: '60' },
        private: { to: 'yes' },
        agreed: { to: 'To meet again' },
        notAField: { to: 'x' },
      }),
      { session_date: '2026-05-18', starts_at: null, duration_minutes: 60, private: 1, agreed: 'To meet again' },
    )
    assert.deepEqual(columnsOf({ durationMinutes: { to: '' }, private: { to: 'no' }, location: { to: 'hub_room' } }), {
      duration_minutes: null,
      private: 0,
      location: 'hub_room',
    })
    assert.deepEqual(columnsOf({ private: { to: '' } }), { private: null })
  })
})

describe('a submit as a Result (scripts and tests)', () => {
  it('answers what each outcome meant before the use case returned one', () => {
    const prisoner = { first_name: 'A', last_name: 'B' }
    assert.deepEqual(asResult({ kind: 'submitted', referralIds: [4], prisoner }), {
      ok: true,
      value: { already: false, referralIds: [4] },
    })
    assert.deepEqual(asResult({ kind: 'invalid', errors: { outcome: 'x' } }), { ok: false, errors: { outcome: 'x' } })
    const already = { ok: true, value: { already: true, referralIds: [] } }
    assert.deepEqual(asResult({ kind: 'locked' }), already)
    assert.deepEqual(asResult({ kind: 'not-draft', status: 'submitted', mine: true }), already)
    assert.equal(asResult({ kind: 'not-draft', status: 'submitted', mine: false }), 'not-found')
    assert.equal(asResult({ kind: 'not-draft', status: 'deleted', mine: true }), 'not-found')
    assert.equal(asResult({ kind: 'not-found' }), 'not-found')
  })
})
