import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type PolicyBounds, boundsErrors, effectiveSettings, policyErrors } from './policy'

const policy: PolicyBounds = {
  ratio: { min: 4, max: 8, default: 6 },
  frequencyWeeks: { min: 1, max: 4, default: 1 },
  sessionMinutes: { min: 30, max: 60, default: 45 },
}
const none = { ratio: null, frequencyWeeks: null, sessionMinutes: null }

describe('effectiveSettings', () => {
  it('uses the national defaults when the establishment chooses nothing', () => {
    assert.deepEqual(effectiveSettings(policy, none), { ratio: 6, frequencyWeeks: 1, sessionMinutes: 45 })
  })

  it('uses the establishment’s own values inside the bounds, the bounds included', () => {
    assert.deepEqual(effectiveSettings(policy, { ratio: 8, frequencyWeeks: 2, sessionMinutes: 30 }), {
      ratio: 8,
      frequencyWeeks: 2,
      sessionMinutes: 30,
    })
  })

  it('falls back to the default for each value outside the bounds', () => {
    assert.deepEqual(effectiveSettings(policy, { ratio: 9, frequencyWeeks: 0, sessionMinutes: 50 }), {
      ratio: 6,
      frequencyWeeks: 1,
      sessionMinutes: 50,
    })
    assert.deepEqual(effectiveSettings(policy, { ratio: 3, frequencyWeeks: 5, sessionMinutes: 61 }), {
      ratio: 6,
      frequencyWeeks: 1,
      sessionMinutes: 45,
    })
  })
})

describe('boundsErrors', () => {
  it('has nothing to say about values inside the bounds or left blank', () => {
    assert.deepEqual(boundsErrors(policy, none), {})
    assert.deepEqual(boundsErrors(policy, { ratio: 4, frequencyWeeks: 4, sessionMinutes: 60 }), {})
  })

  it('names each value outside the bounds with the range', () => {
    assert.deepEqual(boundsErrors(policy, { ratio: 12, frequencyWeeks: null, sessionMinutes: 20 }), {
      ratio: 'Prisoners per Key Worker must be between 4 and 8',
      sessionMinutes: 'Session length in minutes must be between 30 and 60',
    })
  })
})

describe('policyErrors', () => {
  it('accepts coherent bounds', () => {
    assert.deepEqual(policyErrors(policy), {})
    assert.deepEqual(policyErrors({ ...policy, ratio: { min: 6, max: 6, default: 6 } }), {})
  })

  it('rejects a minimum above the maximum', () => {
    const e = policyErrors({ ...policy, ratio: { min: 9, max: 8, default: 8 } })
    assert.deepEqual(Object.keys(e), ['ratio'])
    assert.match(e.ratio!, /minimum must not be more than the maximum/)
  })

  it('rejects a default outside its own bounds', () => {
    const e = policyErrors({
      ...policy,
      frequencyWeeks: { min: 1, max: 4, default: 5 },
      sessionMinutes: { min: 30, max: 60, default: 29 },
    })
    assert.deepEqual(Object.keys(e).sort(), ['frequencyWeeks', 'sessionMinutes'])
    assert.match(e.frequencyWeeks!, /default must be between the minimum and the maximum/)
  })
})
