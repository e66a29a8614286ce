import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { EntryForm } from '../../domain/sessionEntry'
import { entryFormOf, readAmendment, readEntry } from './schema'

// What a draft keeps of a posted body (entryFormOf: only the form's own fields, lists only where expected, text capped
// a little above each limit), how the posted fields are read (the first of several, a single checkbox, a review
// under its goal's id), and the amendment form's messages, each keyed by the field it is about.

describe('the form as a draft keeps it', () => {
  it('keeps each of the form’s own fields and drops anything else', () => {
    const body = {
      client_key: 'k',
      hubBookingId: '4',
      interpreterService: 'Big Word',
      interpreterBookingRef: 'BW-1',
      interpreterLanguage: 'Polish',
      interpreterWhyNot: 'None free',
      concernEscalatedTo: 'Duty governor',
      goalRows: '2',
      referralRows: '3',
      _csrf: 'token',
      isAdmin: 'yes',
      goal0Description: 'Find work',
      goal19Measure: 'An interview',
      referral1FollowUp: '1/1/2027',
      review123456789Status: 'achieved',
      review7Note: 'Done',
    }
    assert.deepEqual(entryFormOf(body), {
      client_key: 'k',
      hubBookingId: '4',
      interpreterService: 'Big Word',
      interpreterBookingRef: 'BW-1',
      interpreterLanguage: 'Polish',
      interpreterWhyNot: 'None free',
      concernEscalatedTo: 'Duty governor',
      goalRows: '2',
      referralRows: '3',
      goal0Description: 'Find work',
      goal19Measure: 'An interview',
      referral1FollowUp: '1/1/2027',
      review123456789Status: 'achieved',
      review7Note: 'Done',
    })
  })

  it('drops numbered fields that are not the form’s: past row 20, too many digits, or with more around them', () => {
    const body = {
      goal20Description: 'past the last row',
      referral25To: 'past the last row',
      goal123Description: 'three digits',
      review1234567890Status: 'ten digits',
      xgoal0Description: 'prefixed',
      goal0DescriptionX: 'suffixed',
      review5StatusX: 'suffixed',
      referral0Other: 'not a column of the row',
    }
    assert.deepEqual(entryFormOf(body), {})
  })

  it('keeps lists only for pathways and worksheets, without blanks; other fields keep their first text', () => {
    assert.deepEqual(
      entryFormOf({
        pathways: ['health', '', 'accommodation'],
        worksheets: '12',
        agreed: ['first', 'second'],
        prisonerWords: '',
        outcome: [],
        duration: 45,
        location: { toString: 'cell' },
        concern: ['', 'yes'],
      }),
      {
        pathways: ['health', 'accommodation'],
        worksheets: ['12'],
        agreed: 'first',
        prisonerWords: '',
        concern: '',
      },
    )
  })

  it('caps a list at 50 values and a text at 5,100 characters (kept and reported, not cut to fit)', () => {
    const many = Array.from({ length: 60 }, (_, i) => `w${i}`)
    const kept = entryFormOf({ worksheets: many, prisonerWords: 'x'.repeat(6000), agreed: 'y'.repeat(5100) })
    assert.deepEqual(kept.worksheets, many.slice(0, 50))
    assert.equal(kept.prisonerWords, 'x'.repeat(5100))
    assert.equal(kept.agreed, 'y'.repeat(5100))
  })

  it('keeps nothing of a body that is not an object', () => {
    for (const body of [null, undefined, 'outcome=delivered', 7]) assert.deepEqual(entryFormOf(body), {})
  })
})

describe('the posted fields as an entry reads them', () => {
  const ctx = { today: '2026-05-20', receptionDate: '2025-02-03', openGoalIds: [12, 7] }
  const delivered: EntryForm = {
    outcome: 'delivered',
    'sessionDate-day': '19',
    'sessionDate-month': '5',
    'sessionDate-year': '2026',
    duration: '45',
    location: 'cell',
    private: 'no',
    interpreterNeeded: 'no',
    concern: 'no',
  }

  it('takes one pathway ticked as a list of one', () => {
    const r = readEntry({ ...delivered, pathways: 'accommodation' }, ctx)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.entry.pathways, ['accommodation'])
  })

  it('reads a review under its goal’s id of two digits, and none under an id written otherwise', () => {
    const r = readEntry(
      { ...delivered, review12Status: 'achieved', review12Note: 'Housed', review07Status: 'dropped' },
      ctx,
    )
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.entry.reviews, [{ goalId: 12, status: 'achieved', note: 'Housed' }])
  })

  it('keys each problem by the field it is about', () => {
    const r = readEntry({ ...delivered, agreed: 'To meet again', duration: '500', location: '' }, ctx)
    assert.equal(r.ok, false)
    assert.deepEqual(Object.keys(r.ok ? {} : r.errors).sort(), ['duration', 'location'])
  })
})

describe('the amendment form’s messages', () => {
  const current = {
    sessionDate: '2026-05-19',
    startsAt: '',
    durationMinutes: '45',
    location: 'cell',
    private: 'no',
    concernEscalatedTo: '',
    interpreterWhyNot: '',
    prisonerWords: 'Said a thing',
    agreed: '',
  }
  const ctx = { today: '2026-05-20', receptionDate: '2025-02-03' }

  it('asks for a change when nothing changed, at the first field', () => {
    assert.deepEqual(readAmendment(current, { ...current, reason: 'No reason' }, ctx), {
      ok: false,
      errors: { sessionDate: 'Change at least one value, or go back to the entry' },
    })
  })

  it('gives each bad value’s message at its field, and the reason’s at the reason', () => {
    assert.deepEqual(readAmendment(current, { ...current, durationMinutes: 'long', reason: '' }, ctx), {
      ok: false,
      errors: {
        durationMinutes: 'The duration must be a whole number of minutes from 5 to 180',
        reason: 'Enter why the entry is being amended',
      },
    })
  })
})
