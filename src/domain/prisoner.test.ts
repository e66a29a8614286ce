import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  searchPrefixes,
  COMPLEXITIES,
  COMPLEXITY_NAMES,
  PRISONER_STATUSES,
  PRISONER_STATUS_NAMES,
  STAFF_STATUSES,
  STAFF_STATUS_NAMES,
  isPrisonNumber,
  normalisePrisonNumber,
} from './prisoner'

describe('prison numbers', () => {
  it('accepts the A1234BC format', () => {
    for (const v of ['A1234BC', 'G0000AA', 'Z9999ZZ']) assert.equal(isPrisonNumber(v), true, v)
  })

  it('rejects anything else', () => {
    for (const v of [
      '',
      'a1234bc',
      'A123BC',
      'A12345BC',
      'AB1234C',
      '1234ABC',
      'A1234B',
      'A1234BCD',
      ' A1234BC',
      'A1234B1',
    ])
      assert.equal(isPrisonNumber(v), false, v)
  })

  it('normalises what people type', () => {
    assert.equal(normalisePrisonNumber(' a1234bc '), 'A1234BC')
    assert.equal(isPrisonNumber(normalisePrisonNumber('g5678xy')), true)
  })
})

describe('names for codes', () => {
  it('has a name for every prisoner status, complexity and staff status', () => {
    for (const s of PRISONER_STATUSES) assert.ok(PRISONER_STATUS_NAMES[s])
    for (const c of COMPLEXITIES) assert.ok(COMPLEXITY_NAMES[c])
    for (const s of STAFF_STATUSES) assert.ok(STAFF_STATUS_NAMES[s])
    assert.equal(Object.keys(STAFF_STATUS_NAMES).length, STAFF_STATUSES.length)
  })
})

describe('searchPrefixes', () => {
  it('turns words into LIKE prefixes, dropping wildcards, at most four', () => {
    assert.deepEqual(searchPrefixes('Smi, JO'), ['smi%', 'jo%'])
    assert.deepEqual(searchPrefixes('%_ a b c d e'), ['a%', 'b%', 'c%', 'd%'])
    assert.deepEqual(searchPrefixes('   '), [])
  })
})
