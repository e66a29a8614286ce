import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { amendmentCaseNote, backoffMs, deletionCaseNote, sessionCaseNote, verdictOf } from './caseNotes'

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

// ---- mutation testing (issue 20): the sentences each value adds or leaves out, written out by hand ----
describe('the case note of a session: what each value adds', () => {
  const bare = {
    ...session,
    durationMinutes: null,
    location: null,
    private: null,
    pathways: '',
    concern: 0,
    prisonerWords: null,
    agreed: null,
  }
  it('held with nothing more recorded: the one line and who recorded it', () => {
    assert.equal(sessionCaseNote(bare).text, 'Key work session held.\nRecorded in keywork by Sam Officer.')
  })
  it('held in private, in a place keywork does not name, what was agreed, a concern not escalated', () => {
    const note = sessionCaseNote({
      ...bare,
      private: 1,
      location: 'gym',
      agreed: 'To meet on Friday.',
      concern: 1,
      concernEscalatedTo: null,
      pathways: ',accommodation,',
    })
    assert.equal(
      note.text,
      'Key work session held (gym, private).\n' +
        'What was agreed: To meet on Friday.\n' +
        'Pathways discussed: Accommodation.\n' +
        'A concern was raised.\n' +
        'Recorded in keywork by Sam Officer.',
    )
  })
  it('not held for a listed reason: its words; with no reason: the line alone', () => {
    const notHeld = { ...bare, outcome: 'not_delivered', notDeliveredDetail: 'ignored unless the reason is other' }
    assert.equal(
      sessionCaseNote({ ...notHeld, notDeliveredReason: 'prisoner_refused' }).text,
      'Key work session not held: Prisoner refused.\nRecorded in keywork by Sam Officer.',
    )
    assert.equal(
      sessionCaseNote({ ...notHeld, notDeliveredReason: null }).text,
      'Key work session not held.\nRecorded in keywork by Sam Officer.',
    )
  })
  it('an amendment that clears a value says (none) for it', () => {
    assert.equal(
      amendmentCaseNote({ agreed: { from: 'To meet on Friday', to: '' } }, 'Not agreed after all', 'Sam').text,
      'Amended in keywork by Sam: Not agreed after all\nWhat was agreed: To meet on Friday → (none)',
    )
  })
  it('a deletion: who, why, and that the entry no longer stands', () => {
    assert.deepEqual(deletionCaseNote('Recorded against the wrong man', 'Sam Officer'), {
      text:
        'Deleted in keywork by Sam Officer: Recorded against the wrong man\n' +
        'This entry no longer stands as a key work session in keywork.',
    })
  })
})

describe('retries', () => {
  it('back off 1, 2, 4 … minutes, at most 4 hours', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 5000].map(a => backoffMs(a) / 60_000)
    assert.deepEqual(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240, 240])
  })

  it('a 2xx is sent; no answer, 401, 408, 425, 429 and 5xx are tried again; another 4xx fails', () => {
    const table: [number | null, string][] = [
      [200, 'sent'],
      [201, 'sent'],
      [299, 'sent'],
      [100, 'failed'], // not a 2xx: nothing was written
      [199, 'failed'],
      [300, 'failed'], // a redirect is not the note written
      [304, 'failed'],
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
