import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { effectiveCapacity, officerCapacity } from './capacity'

describe('officerCapacity', () => {
  it('is the ratio for full time, pro rata for part time, at least 1', () => {
    assert.equal(officerCapacity(6, 37), 6)
    assert.equal(officerCapacity(6, 45), 6)
    assert.equal(officerCapacity(6, 18.5), 3)
    assert.equal(officerCapacity(6, 2), 1)
    assert.equal(officerCapacity(6, 0), 0)
  })
})

describe('effectiveCapacity', () => {
  it('uses the override when set, else the pro-rata default', () => {
    assert.equal(effectiveCapacity(6, 37, null), 6)
    assert.equal(effectiveCapacity(6, 18.5, undefined), 3)
    assert.equal(effectiveCapacity(6, 18.5, 8), 8)
    assert.equal(effectiveCapacity(6, 37, 2), 2)
    // an override of 0 is a real choice (no new prisoners), not "unset"
    assert.equal(effectiveCapacity(6, 37, 0), 0)
  })
})
