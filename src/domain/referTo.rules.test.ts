// Rules of the "Refer to" choices that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/referTo.ts): when a service and a team are the same people, and one service per name.
// Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { referralTargets, sameTarget } from './referTo'

describe('refer-to rules: a service and a team are the same people', () => {
  it('when their names match once brackets, "team", "service(s)", "unit" and punctuation are set aside', () => {
    assert.equal(sameTarget('Chaplaincy (multi-faith)', 'Chaplaincy'), true)
    assert.equal(sameTarget('Resettlement Services', 'resettlement team'), true)
    assert.equal(sameTarget('Safer-Custody unit', 'Safer custody'), true)
    assert.equal(sameTarget('Healthcare (HC) drop-in', 'Healthcare'), true, 'one name starts the other, a word apart')
    assert.equal(sameTarget('Healthcare', 'Healthcare in-reach'), true, 'either way round')
  })

  it('not when one name merely starts with the letters of the other, or when one has no name at heart', () => {
    assert.equal(sameTarget('Educational', 'Education'), false)
    assert.equal(sameTarget('Team', 'Service'), false)
    assert.equal(sameTarget('Housing advice', 'Advice'), false)
  })

  it('when they share an abbreviation in brackets', () => {
    assert.equal(sameTarget('Offender Management Unit (OMU)', 'Case management (OMU)'), true)
    assert.equal(sameTarget('Offender Management Unit (OMU)', 'Case management (IOM)'), false)
  })
})

describe('refer-to rules: one service per name', () => {
  it('keeps the first of services with the same name, trimmed and in any case, unless a later one is the establishment’s own', () => {
    const a = { name: 'Housing Advice', national: true }
    const b = { name: ' housing advice ', national: true }
    const own = { name: 'HOUSING ADVICE', national: false }
    const ownLater = { name: 'housing advice', national: false }
    assert.deepEqual(referralTargets([a, b], {}).services, [a])
    assert.deepEqual(referralTargets([a, own, ownLater], {}).services, [own])
    assert.deepEqual(referralTargets([own, a], {}).services, [own])
    // the first seen decides, whatever spaces surround its name
    assert.deepEqual(referralTargets([b, a], {}).services, [b])
  })
})
