import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PATHWAYS, isPathwayCode, pathwayName } from './pathways'

test('the seven pathways plus wellbeing and safety, with unique codes', () => {
  assert.equal(PATHWAYS.length, 8)
  assert.equal(new Set(PATHWAYS.map(p => p.code)).size, 8)
  assert.equal(pathwayName('accommodation'), 'Accommodation')
  assert.ok(isPathwayCode('drugs-alcohol'))
  assert.ok(!isPathwayCode('gardening'))
})
