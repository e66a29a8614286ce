import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RAG_WORDS, ragOf, ruleInWords, thresholdProblems } from './rag'

const higher = { green: 85, amber: 70, direction: 'higher' as const }
const lower = { green: 90, amber: 100, direction: 'lower' as const }

describe('ragOf, higher is better (green at 85 or more, amber at 70 or more)', () => {
  it('is green exactly at green and above', () => {
    assert.equal(ragOf(85, higher), 'green')
    assert.equal(ragOf(100, higher), 'green')
  })
  it('is amber exactly at amber and just under green', () => {
    assert.equal(ragOf(70, higher), 'amber')
    assert.equal(ragOf(84.99, higher), 'amber')
  })
  it('is red just under amber', () => {
    assert.equal(ragOf(69.99, higher), 'red')
    assert.equal(ragOf(0, higher), 'red')
  })
})

describe('ragOf, lower is better (green at 90 or less, amber at 100 or less)', () => {
  it('is green exactly at green and below', () => {
    assert.equal(ragOf(90, lower), 'green')
    assert.equal(ragOf(0, lower), 'green')
  })
  it('is amber just over green and exactly at amber', () => {
    assert.equal(ragOf(90.01, lower), 'amber')
    assert.equal(ragOf(100, lower), 'amber')
  })
  it('is red just over amber', () => {
    assert.equal(ragOf(100.01, lower), 'red')
  })
})

describe('a missing value', () => {
  it('has no status, in words "Not enough data"', () => {
    assert.equal(ragOf(null, higher), 'none')
    assert.equal(ragOf(undefined, lower), 'none')
    assert.equal(ragOf(Number.NaN, higher), 'none')
    assert.equal(RAG_WORDS.none, 'Not enough data')
  })
  it('a zero is a value, not missing', () => {
    assert.equal(ragOf(0, higher), 'red')
  })
})

describe('green and amber equal', () => {
  it('leaves no amber band', () => {
    const t = { green: 3, amber: 3, direction: 'higher' as const }
    assert.equal(ragOf(3, t), 'green')
    assert.equal(ragOf(2.99, t), 'red')
  })
})

describe('ruleInWords', () => {
  it('says the rule of each direction', () => {
    assert.equal(ruleInWords(higher, '%'), 'Green at 85% or more, amber at 70% or more, red below')
    assert.equal(ruleInWords(lower, '%'), 'Green at 90% or less, amber at 100% or less, red above')
    assert.equal(
      ruleInWords({ green: 3, amber: 2.5, direction: 'higher' }, ''),
      'Green at 3 or more, amber at 2.5 or more, red below',
    )
  })
})

describe('thresholdProblems', () => {
  const range = { min: 0, max: 100 }
  it('accepts amber below green when higher is better, and equal', () => {
    assert.deepEqual(thresholdProblems(higher, range, '%'), {})
    assert.deepEqual(thresholdProblems({ green: 70, amber: 70, direction: 'higher' }, range, '%'), {})
  })
  it('refuses amber above green when higher is better', () => {
    assert.deepEqual(thresholdProblems({ green: 70, amber: 71, direction: 'higher' }, range, '%'), {
      amber: 'Amber must be at or below green when higher is better',
    })
  })
  it('refuses amber below green when lower is better, accepts above', () => {
    assert.deepEqual(thresholdProblems({ green: 90, amber: 89, direction: 'lower' }, { min: 0, max: 200 }, '%'), {
      amber: 'Amber must be at or above green when lower is better',
    })
    assert.deepEqual(thresholdProblems(lower, { min: 0, max: 200 }, '%'), {})
  })
  it('lists both numbers out of range in one pass, boundaries included in range', () => {
    assert.deepEqual(thresholdProblems({ green: 101, amber: -1, direction: 'higher' }, range, '%'), {
      green: 'Green must be between 0% and 100%',
      amber: 'Amber must be between 0% and 100%',
    })
    assert.deepEqual(thresholdProblems({ green: 100, amber: 0, direction: 'higher' }, range, '%'), {})
    assert.deepEqual(thresholdProblems({ green: 4.5, amber: 1, direction: 'higher' }, { min: 1, max: 4 }, ''), {
      green: 'Green must be between 1 and 4',
    })
  })
})
