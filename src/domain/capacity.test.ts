import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { officerCapacity } from './capacity'

describe('officerCapacity', () => {
  it('is the ratio for full time, pro rata for part time, at least 1', () => {
    assert.equal(officerCapacity(6, 37), 6)
    assert.equal(officerCapacity(6, 45), 6)
    assert.equal(officerCapacity(6, 18.5), 3)
    assert.equal(officerCapacity(6, 2), 1)
    assert.equal(officerCapacity(6, 0), 0)
  })
})
