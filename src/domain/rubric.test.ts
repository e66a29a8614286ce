import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CRITERION,
  LOCAL_CODE,
  NATIONAL_CODES,
  NATIONAL_RUBRIC_V1,
  criterionOf,
  isScore,
  meanScore,
  scoreLabel,
} from './rubric'

describe('the national rubric, version 1', () => {
  it('has the nine criteria of the issue, in order, each with four distinct descriptors', () => {
    assert.deepEqual(
      NATIONAL_RUBRIC_V1.criteria.map(c => c.title),
      [
        "The prisoner's own voice",
        'Needs explored and mapped to pathways',
        'A SMART goal set or reviewed',
        'Signposting or referral to a real service',
        'Risk and wellbeing concerns escalated',
        'Strengths-based approach',
        'Interpreter used when needed',
        'Follow-up planned',
        'Clear, professional language',
      ],
    )
    for (const c of NATIONAL_RUBRIC_V1.criteria) {
      assert.equal(c.descriptors.length, 4)
      assert.equal(new Set(c.descriptors).size, 4, c.code)
      for (const d of c.descriptors) assert.ok(d.length > 20, `${c.code}: ${d}`)
      assert.ok(c.guidance.length > 40, c.code)
    }
  })

  it('uses the codes the pre-check estimates against, each once', () => {
    assert.deepEqual(NATIONAL_CODES, Object.values(CRITERION))
    assert.equal(new Set(NATIONAL_CODES).size, 9)
  })
})

describe('scores', () => {
  it('accepts only 1 to 4', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 2.5, '3', null].map(isScore), [
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ])
  })
  it('labels each point of the HMPPS scale', () => {
    assert.equal(scoreLabel(1), '1 – Poor')
    assert.equal(scoreLabel(2), '2 – Requires improvement')
    assert.equal(scoreLabel(3), '3 – Good')
    assert.equal(scoreLabel(4), '4 – Good practice')
    assert.equal(scoreLabel(null), '')
    assert.equal(scoreLabel(7), '')
  })
  it('averages the scores given, leaving out nulls', () => {
    assert.equal(meanScore([1, null, 4, 2]), 7 / 3)
    assert.equal(meanScore([3]), 3)
    assert.equal(meanScore([null, undefined]), null)
    assert.equal(meanScore([]), null)
  })
})

describe('criteria', () => {
  it('reads a stored row: national when it has no establishment', () => {
    const row = {
      id: 7,
      code: 'voice',
      title: 'T',
      guidance: 'G',
      descriptor_1: 'a',
      descriptor_2: 'b',
      descriptor_3: 'c',
      descriptor_4: 'd',
      establishment_id: null,
    }
    assert.deepEqual(criterionOf(row), {
      id: 7,
      code: 'voice',
      title: 'T',
      guidance: 'G',
      descriptors: ['a', 'b', 'c', 'd'],
      national: true,
    })
    assert.equal(criterionOf({ ...row, establishment_id: 3 }).national, false)
  })
  it('takes local codes of letters, digits and hyphens, starting with a letter', () => {
    assert.deepEqual(
      ['MDI-1', 'ab', 'a', '1abc', 'has space', 'x'.repeat(20), 'x'.repeat(21)].map(c => LOCAL_CODE.test(c)),
      [true, true, false, false, false, true, false],
    )
  })
})
