import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { defuseFormula, excerpt, limitedList, restoreFormula } from './untrusted'

describe('formulas in CSV cells', () => {
  it('defuses every formula start with one apostrophe, and apostrophes before one with one more', () => {
    const cases: [string, string][] = [
      ['=1+1', "'=1+1"],
      ['+44 20 7946 0000', "'+44 20 7946 0000"],
      ['-5', "'-5"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', "'\rx"],
      ["'=1", "''=1"],
      ["''+1", "'''+1"],
      ["'quoted'", "'quoted'"],
      ["'", "'"],
      ['', ''],
      ['Housing advice', 'Housing advice'],
      ['a=b', 'a=b'],
    ]
    for (const [value, cell] of cases) {
      assert.equal(defuseFormula(value), cell, JSON.stringify(value))
      assert.equal(restoreFormula(cell), value, JSON.stringify(cell))
    }
  })

  it('restores any value exactly, and no defused cell starts a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ', '"') }), value => {
        const cell = defuseFormula(value)
        assert.equal(restoreFormula(cell), value)
        assert.doesNotMatch(cell, /^[=+\-@\t\r]/)
      }),
    )
  })
})

describe('excerpts of uploaded values', () => {
  it('keeps a short value, and cuts a long one to 60 characters and an ellipsis', () => {
    assert.equal(excerpt('colour'), 'colour')
    assert.equal(excerpt('x'.repeat(60)), 'x'.repeat(60))
    assert.equal(excerpt('x'.repeat(61)), `${'x'.repeat(60)}…`)
    assert.equal(excerpt('y'.repeat(10_000_000)).length, 61)
    assert.equal(excerpt(`${'x'.repeat(59)}😀`), `${'x'.repeat(59)}…`, 'a surrogate pair is not cut in two')
  })

  it('lists at most n items, then how many more', () => {
    assert.equal(limitedList(['2', '5'], 10), '2, 5')
    assert.equal(limitedList(['1', '2', '3', '4'], 2), '1, 2, and 2 more')
  })
})
