import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type HmppsEvent,
  departureOf,
  effectOf,
  instantOf,
  parseHmppsEvent,
  recordInputOf,
  rollPrisonerOf,
  unitForCell,
} from './hmppsEvents'

const received = {
  eventType: 'prisoner-offender-search.prisoner.received',
  occurredAt: '2026-06-30T23:30:00+01:00',
  version: 1,
  description: 'A prisoner has been received into a prison with reason: transfer from another prison',
  additionalInformation: { nomsNumber: 'A1234BC', reason: 'TRANSFERRED', prisonId: 'MDI' },
}

const ok = (body: unknown): HmppsEvent => {
  const r = parseHmppsEvent(body)
  if (!r.ok) throw new Error(r.errors.join('; '))
  return r.event
}

describe('parseHmppsEvent', () => {
  it('reads a received event: the London day of a late-evening BST instant is that day', () => {
    assert.deepEqual(ok(received), {
      key: 'prisoner-offender-search.prisoner.received|A1234BC|2026-06-30T22:30:00.000Z',
      eventType: 'prisoner-offender-search.prisoner.received',
      kind: 'received',
      prisonNumber: 'A1234BC',
      prisonCode: 'MDI',
      reason: 'TRANSFERRED',
      level: null,
      active: null,
      occurredAt: '2026-06-30T22:30:00.000Z',
      date: '2026-06-30',
      messageId: null,
    })
  })

  it('reads the same event in its SNS notification, with the same natural key', () => {
    const e = ok({
      Type: 'Notification',
      MessageId: 'a9e1c6a4-0d1c-4bfa-9a52-3f1f8f1b2c3d',
      Message: JSON.stringify(received),
      Timestamp: '2026-06-30T22:30:01.123Z',
      MessageAttributes: { eventType: { Type: 'String', Value: 'prisoner-offender-search.prisoner.received' } },
    })
    assert.equal(e.key, 'prisoner-offender-search.prisoner.received|A1234BC|2026-06-30T22:30:00.000Z')
    assert.equal(e.messageId, 'a9e1c6a4-0d1c-4bfa-9a52-3f1f8f1b2c3d')
  })

  it('reads the complexity of need change, which has no occurredAt of its own, from its notification', () => {
    const e = ok({
      MessageId: 'm-1',
      Message: JSON.stringify({ offenderNo: 'a1234bc', level: 'HIGH', active: true }),
      Timestamp: '2026-01-15T00:30:00Z',
      MessageAttributes: { eventType: { Type: 'String', Value: 'complexity-of-need.level.changed' } },
    })
    assert.equal(e.kind, 'complexity')
    assert.equal(e.prisonNumber, 'A1234BC')
    assert.equal(e.level, 'high')
    assert.equal(e.active, true)
    assert.equal(e.date, '2026-01-15')
    assert.equal(e.prisonCode, null)
  })

  it('takes the NOMS number from personReference when additionalInformation has none', () => {
    const e = ok({
      ...received,
      additionalInformation: { reason: 'NEW_ADMISSION', prisonId: 'LEI' },
      personReference: { identifiers: [{ type: 'NOMS', value: 'B2345CD' }] },
    })
    assert.equal(e.prisonNumber, 'B2345CD')
  })

  it('lists every problem at once', () => {
    const r = parseHmppsEvent({
      eventType: 'prisoner-offender-search.prisoner.released',
      occurredAt: 'yesterday',
      additionalInformation: { nomsNumber: '12345', prisonId: 'moorland' },
    })
    assert.deepEqual(r, {
      ok: false,
      errors: [
        'occurredAt must be a date and time with its offset, like 2026-12-06T09:15:00Z',
        'additionalInformation.nomsNumber must be a prison number like A1234BC',
        'additionalInformation.prisonId must be a prison code like MDI',
        'additionalInformation.reason must be given, as text of at most 60 characters',
      ],
    })
  })

  it('refuses what is not an event', () => {
    for (const body of [null, [], 'text', 42])
      assert.deepEqual(parseHmppsEvent(body), {
        ok: false,
        errors: ['The body must be a JSON object: an HMPPS domain event, or its SNS notification'],
      })
    assert.deepEqual(parseHmppsEvent({ Message: '{not json' }), { ok: false, errors: ['Message is not valid JSON'] })
    assert.deepEqual(parseHmppsEvent({ occurredAt: '2026-01-01T00:00:00Z' }), {
      ok: false,
      errors: ['eventType must be given, as text of at most 200 characters'],
    })
  })

  it('accepts an event type keywork does not act on, keeping the prison number it names', () => {
    const e = ok({
      eventType: 'prison-offender-events.prisoner.merged',
      occurredAt: '2026-03-01T10:00:00Z',
      additionalInformation: { nomsNumber: 'A1234BC', removedNomsNumber: 'Z9999ZZ' },
    })
    assert.equal(e.kind, 'other')
    assert.equal(e.prisonNumber, 'A1234BC')
    assert.deepEqual(effectOf(e), {
      kind: 'none',
      why: 'keywork does not act on prison-offender-events.prisoner.merged',
    })
  })

  it('instantOf wants an offset', () => {
    assert.equal(instantOf('2026-03-29T01:30:00+01:00'), '2026-03-29T00:30:00.000Z')
    assert.equal(instantOf('2026-03-29T01:30:00'), null)
    assert.equal(instantOf('2026-13-45T01:30:00Z'), null)
  })
})

describe('effectOf', () => {
  const withReason = (eventType: string, reason: string) =>
    ok({ ...received, eventType, additionalInformation: { nomsNumber: 'A1234BC', reason, prisonId: 'MDI' } })
  const table: [string, string, unknown][] = [
    ['received', 'NEW_ADMISSION', { kind: 'arrival', transfer: false }],
    ['received', 'READMISSION', { kind: 'arrival', transfer: false }],
    ['received', 'POST_MERGE_ADMISSION', { kind: 'arrival', transfer: false }],
    ['received', 'TRANSFERRED', { kind: 'arrival', transfer: true }],
    [
      'received',
      'RETURN_FROM_COURT',
      { kind: 'none', why: 'a return from court or temporary absence: he stayed on the roll' },
    ],
    ['received', 'SOMETHING_NEW', { kind: 'none', why: 'reason SOMETHING_NEW is not one keywork acts on' }],
    ['released', 'RELEASED', { kind: 'departure', status: 'released' }],
    ['released', 'RELEASED_TO_HOSPITAL', { kind: 'departure', status: 'released' }],
    ['released', 'TRANSFERRED', { kind: 'departure', status: 'transferred' }],
    ['released', 'SENT_TO_COURT', { kind: 'none', why: 'out to court or on temporary absence: he stays on the roll' }],
  ]
  for (const [kind, reason, want] of table)
    it(`${kind} ${reason}`, () => {
      assert.deepEqual(effectOf(withReason(`prisoner-offender-search.prisoner.${kind}`, reason)), want)
    })

  it('a complexity level withdrawn leaves low', () => {
    const e = ok({
      eventType: 'complexity-of-need.level.changed',
      occurredAt: '2026-03-01T10:00:00Z',
      offenderNo: 'A1234BC',
      level: 'high',
      active: false,
    })
    assert.deepEqual(effectOf(e), { kind: 'complexity', complexity: 'low' })
    assert.deepEqual(effectOf({ ...e, active: true }), { kind: 'complexity', complexity: 'high' })
  })
})

describe('the roll', () => {
  const prisoner = {
    prisonerNumber: 'A1234BC',
    firstName: 'JOHN',
    lastName: 'SMITH',
    dateOfBirth: '1980-02-03',
    prisonId: 'MDI',
    status: 'ACTIVE IN',
    cellLocation: 'a-1-002',
    receptionDate: '2019-05-01',
    lastAdmissionDate: '2025-11-20',
    releaseDate: '2030-01-01',
    complexityOfNeedLevel: 'Medium',
    nationality: 'Welsh',
  }

  it('reads a prisoner: his last admission is the day he arrived', () => {
    assert.deepEqual(rollPrisonerOf(prisoner), {
      ok: true,
      value: {
        prisonNumber: 'A1234BC',
        firstName: 'JOHN',
        lastName: 'SMITH',
        dateOfBirth: '1980-02-03',
        prisonId: 'MDI',
        status: 'ACTIVE IN',
        cellLocation: 'A-1-002',
        receptionDate: '2025-11-20',
        releaseDate: '2030-01-01',
        complexity: 'medium',
        nationality: 'Welsh',
      },
    })
  })

  it('reports a bad entry with every problem, and its number when it has one', () => {
    assert.deepEqual(rollPrisonerOf({ prisonerNumber: 'A1234BC', firstName: 7, dateOfBirth: '03/02/1980' }), {
      ok: false,
      prisonNumber: 'A1234BC',
      errors: [
        'firstName must be text of at most 60 characters',
        'lastName is missing',
        'dateOfBirth must be a date like 2026-01-31',
        'prisonId is missing',
        'receptionDate is missing',
      ],
    })
  })

  it('finds the most specific unit of a cell by whole segments', () => {
    const codes = ['A', 'A-1', 'B', 'HB1']
    assert.equal(unitForCell('A-1-002', codes), 'A-1')
    assert.equal(unitForCell('A-2-010', codes), 'A')
    assert.equal(unitForCell('AB-1-001', codes), null)
    assert.equal(unitForCell('RECP', codes), null)
    assert.equal(unitForCell(null, codes), null)
    assert.equal(unitForCell('HB1', codes), 'HB1')
  })

  it('makes the record: kept fields for what the roll does not say', () => {
    const p = rollPrisonerOf({ ...prisoner, complexityOfNeedLevel: undefined, nationality: undefined })
    assert.ok(p.ok)
    assert.deepEqual(
      recordInputOf(p.value, 'A-1', {
        complexity: 'high',
        firstLanguage: 'pl',
        interpreterNeeded: true,
        nationality: 'Polish',
      }),
      {
        prisonNumber: 'A1234BC',
        firstName: 'JOHN',
        lastName: 'SMITH',
        dateOfBirth: '1980-02-03',
        unit: 'A-1',
        cell: 'A-1-002',
        receptionDate: '2025-11-20',
        releaseDate: '2030-01-01',
        status: 'in',
        complexity: 'high',
        firstLanguage: 'pl',
        interpreterNeeded: 'yes',
        nationality: 'Polish',
      },
    )
    assert.equal(recordInputOf(p.value, null, null).complexity, 'low')
  })

  it('says where a man gone from the roll went', () => {
    const at = (prisonId: string, status: string) => {
      const r = rollPrisonerOf({ ...prisoner, prisonId, status })
      assert.ok(r.ok)
      return r.value
    }
    assert.equal(departureOf(undefined, 'MDI'), 'released')
    assert.equal(departureOf(at('OUT', 'INACTIVE OUT'), 'MDI'), 'released')
    assert.equal(departureOf(at('TRN', 'INACTIVE TRN'), 'MDI'), 'transferred')
    assert.equal(departureOf(at('LEI', 'ACTIVE IN'), 'MDI'), 'transferred')
    assert.equal(departureOf(at('MDI', 'ACTIVE OUT'), 'MDI'), 'present')
  })
})
