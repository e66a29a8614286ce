import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dueForAnonymising, pseudonymousNumber, retentionCutoff } from './retention'

describe('retention rule', () => {
  it('the cut-off is the same day N years back (29 February falls back to 28 February)', () => {
    assert.equal(retentionCutoff('2026-12-06', 6), '2020-12-06')
    assert.equal(retentionCutoff('2025-02-28', 1), '2024-02-28')
    assert.equal(retentionCutoff('2028-02-29', 1), '2027-02-28')
  })

  it('a man released exactly N years ago is due; a day later release is not', () => {
    const cutoff = '2020-12-06'
    assert.equal(dueForAnonymising([{ status: 'released', release_date: '2020-12-06' }], cutoff), true)
    assert.equal(dueForAnonymising([{ status: 'released', release_date: '2020-12-07' }], cutoff), false)
    assert.equal(dueForAnonymising([{ status: 'released', release_date: '2019-01-01' }], cutoff), true)
  })

  it('every record must be released: one in custody or transferred anywhere keeps him', () => {
    const cutoff = '2020-12-06'
    const old = { status: 'released', release_date: '2015-01-01' }
    assert.equal(dueForAnonymising([old, { status: 'in', release_date: null }], cutoff), false)
    assert.equal(dueForAnonymising([old, { status: 'transferred', release_date: null }], cutoff), false)
    // the latest release counts: released again in 2022 keeps him
    assert.equal(dueForAnonymising([old, { status: 'released', release_date: '2022-03-01' }], cutoff), false)
    assert.equal(dueForAnonymising([], cutoff), false)
  })

  it('pseudonymous numbers have the shape of a prison number, start with Z and differ by id', () => {
    assert.equal(pseudonymousNumber(12), 'Z0012AA')
    // 10000 * 27 + 5: rest 27 = 1 * 26 + 1
    assert.equal(pseudonymousNumber(270005), 'Z0005BB')
    assert.match(pseudonymousNumber(99999), /^Z\d{4}[A-Z]{2}$/)
  })
})
