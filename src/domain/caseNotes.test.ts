import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { amendmentCaseNote, backoffMs, sessionCaseNote, verdictOf } from './caseNotes'

const session = {
  establishmentCode: 'MDI',
  outcome: 'delivered',
  notDeliveredReason: null,
  notDeliveredDetail: null,
  sessionDate: '2026-11-02',
  startsAt: '14:30',
  durationMinutes: 30,
  location: 'cell',
  private: 0,
  pathways: 'accommodation,health',
  concern: 1,
  concernEscalatedTo: 'the duty governor',
  prisonerWords: 'Worried about his move.',
  agreed: '',
  author: 'Sam Officer',
}

describe('the case note of a session', () => {
  it('held: KA/KS, dated its date and start time, saying what happened', () => {
    assert.deepEqual(sessionCaseNote(session), {
      locationId: 'MDI',
      type: 'KA',
      subType: 'KS',
      occurrenceDateTime: '2026-11-02T14:30:00',
      text:
        'Key work session held (30 minutes, cell, not private).\n' +
        'What the prisoner said: Worried about his move.\n' +
        'Pathways discussed: Accommodation, Health (including mental health).\n' +
        'A concern was raised: escalated to the duty governor.\n' +
        'Recorded in keywork by Sam Officer.',
      systemGenerated: false,
    })
  })

  it('not held for another reason: KA/KE with the words given', () => {
    const note = sessionCaseNote({
      ...session,
      outcome: 'not_delivered',
      notDeliveredReason: 'other',
      notDeliveredDetail: 'Fire alarm on the wing',
      startsAt: null,
    })
    assert.equal(note.subType, 'KE')
    assert.equal(note.occurrenceDateTime, '2026-11-02T00:00:00')
    assert.equal(note.text, 'Key work session not held: Fire alarm on the wing.\nRecorded in keywork by Sam Officer.')
  })

  it('an amendment: each change from and to, and why', () => {
    assert.deepEqual(
      amendmentCaseNote(
        { startsAt: { from: '14:30', to: '15:00' }, agreed: { from: '', to: 'To meet on Friday' } },
        'Wrong time typed',
        'Sam Officer',
      ),
      {
        text:
          'Amended in keywork by Sam Officer: Wrong time typed\n' +
          'Start time: 14:30 → 15:00\n' +
          'What was agreed: (none) → To meet on Friday',
      },
    )
  })
})

describe('retries', () => {
  it('back off 1, 2, 4 … minutes, at most 4 hours', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40].map(a => backoffMs(a) / 60_000)
    assert.deepEqual(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240])
  })

  it('a 2xx is sent; no answer, 401, 408, 425, 429 and 5xx are tried again; another 4xx fails', () => {
    const table: [number | null, string][] = [
      [200, 'sent'],
      [201, 'sent'],
      [null, 'retry'],
      [401, 'retry'],
      [408, 'retry'],
      [425, 'retry'],
      [429, 'retry'],
      [500, 'retry'],
      [503, 'retry'],
      [400, 'failed'],
      [403, 'failed'],
      [404, 'failed'],
      [409, 'failed'],
      [422, 'failed'],
      [302, 'failed'],
    ]
    for (const [status, verdict] of table) assert.equal(verdictOf(status), verdict, String(status))
  })
})
