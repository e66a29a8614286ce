import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formText, joinDateInputs } from './fields'

// Issue 18, point 9: a posted value is text, whatever a JSON body carries; a wrong type is a validation error, never a
// server error (test/fuzz.test.ts found String() throwing on {"toString": 1} in the date inputs).

describe('formText', () => {
  it('keeps text, writes out numbers and booleans, joins a repeated field', () => {
    assert.equal(formText('12'), '12')
    assert.equal(formText(12), '12')
    assert.equal(formText(false), 'false')
    assert.equal(formText(['1', '2']), '1,2')
  })

  it('gives nothing for what a form never sends, without throwing', () => {
    for (const v of [undefined, null, {}, { toString: 1, valueOf: 2 }, [{ toString: null }], Object.create(null)])
      assert.equal(formText(v), '', JSON.stringify(v))
  })
})

describe('joinDateInputs', () => {
  it('joins day, month and year into YYYY-MM-DD', () => {
    assert.deepEqual(joinDateInputs({ 'heldOn-day': '3', 'heldOn-month': '4', 'heldOn-year': '2026' }, ['heldOn']), {
      'heldOn-day': '3',
      'heldOn-month': '4',
      'heldOn-year': '2026',
      heldOn: '2026-04-03',
    })
  })

  it('reads an object with a toString that is not a function as no date part, so the form says "enter a date"', () => {
    const out = joinDateInputs({ 'until-day': [{ toString: null }], 'until-year': { toString: 1, valueOf: 2 } }, [
      'until',
    ])
    assert.equal(out.until, '')
  })
})
