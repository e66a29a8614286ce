import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { durationHours, parseStatement } from './xapi'

// The xAPI reading rules at their edges, each expected value worked out by hand: counts of more than one digit and
// fractions of more than one decimal in every unit of a duration, the last minute and second of an hour, a year
// written with more than four digits, and an mbox that is an address without its mailto:.

const TODAY = '2026-03-20'
const good = {
  id: '6F1D7C52-0D7E-4B8A-9C1E-2F6A7B3C4D5E',
  actor: { mbox: 'mailto:ann.tester@example.org' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://lms.example.org/activities/kw-topup-mi/' },
  timestamp: '2026-03-19T12:00:00Z',
}
const errors = (raw: unknown) => {
  const r = parseStatement(raw, TODAY)
  return r.ok ? [] : r.errors
}

describe('xAPI durations: counts and fractions of more than one digit', () => {
  it('reads a count of weeks or days of two digits', () => {
    assert.equal(durationHours('P10W'), 1680) // 10 × 168
    assert.equal(durationHours('P10D'), 240) // 10 × 24
  })
  it('reads a fraction of two decimals in weeks, days, hours, minutes and seconds', () => {
    assert.equal(durationHours('P1.25W'), 210) // 1.25 × 168
    assert.equal(durationHours('P1.5W'), 252) // 1.5 × 168
    assert.equal(durationHours('P1.25D'), 30) // 1.25 × 24
    assert.equal(durationHours('PT1.25H'), 1.25)
    assert.equal(durationHours('PT22.50M'), 0.375) // 22.5 / 60
    assert.equal(durationHours('PT4.50S'), 0.00125) // 4.5 / 3600
  })
  it('refuses letters where the fraction’s digits should be', () => {
    for (const d of ['PT1.xS', 'PT1.xM', 'P1.xW']) assert.equal(durationHours(d), null, d)
  })
})

describe('xAPI timestamps: the last minute and second, and the year of four digits', () => {
  const bad = (ts: string) => `timestamp "${ts}" must be a date and time with its offset, like 2026-03-27T14:00:00Z`

  it('reads minute 59 and second 59 as a real time', () => {
    const r = parseStatement({ ...good, timestamp: '2026-03-19T10:59:59Z' }, TODAY)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.value.completedOn, '2026-03-19')
    const m = parseStatement({ ...good, timestamp: '2026-03-19T10:59Z' }, TODAY)
    assert.ok(m.ok, JSON.stringify(m))
    assert.equal(m.value.completedOn, '2026-03-19')
  })
  it('refuses an expanded year (+002026), which RFC 3339 does not allow', () => {
    const ts = '+002026-03-19T10:00:00Z'
    assert.deepEqual(errors({ ...good, timestamp: ts }), [bad(ts)])
  })
})

describe('xAPI actor: an mbox must begin mailto:', () => {
  it('refuses an email address given without mailto:, however long', () => {
    const mbox = 'someone.officer@justice.gov.uk'
    assert.deepEqual(errors({ ...good, actor: { mbox } }), [
      `actor.mbox "${mbox}" must be mailto: and an email address`,
    ])
  })
})
