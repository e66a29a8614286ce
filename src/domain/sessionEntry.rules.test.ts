// Rules of reading the session entry form that mutation testing found unprotected (npm run mutation,
// MUTATE=src/domain/sessionEntry.ts): one text value, the number of rows, yes/no answers. Expected values by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_ROWS, rowCount, textOf, yes } from './sessionEntry'

describe('session entry rules: reading the form', () => {
  it('a field sent several times is read as its first value, trimmed; a missing one as blank', () => {
    assert.equal(textOf({ a: ['  first ', 'second'] }, 'a'), 'first')
    assert.equal(textOf({ a: [] }, 'a'), '')
    assert.equal(textOf({ a: '  x  ' }, 'a'), 'x')
    assert.equal(textOf({}, 'a'), '')
  })

  it('shows at least one row and at most 20, a whole number of them', () => {
    assert.equal(MAX_ROWS, 20)
    assert.equal(rowCount({ goalRows: '3' }, 'goalRows'), 3)
    assert.equal(rowCount({ goalRows: ' 20 ' }, 'goalRows'), 20)
    assert.equal(rowCount({ goalRows: '21' }, 'goalRows'), 20)
    assert.equal(rowCount({ goalRows: '0' }, 'goalRows'), 1)
    assert.equal(rowCount({ goalRows: '-2' }, 'goalRows'), 1)
    assert.equal(rowCount({ goalRows: '2.5' }, 'goalRows'), 1)
    assert.equal(rowCount({ goalRows: 'two' }, 'goalRows'), 1)
    assert.equal(rowCount({}, 'referralRows'), 1)
  })

  it('yes is yes, true, 1 or on, in any case; anything else is no', () => {
    for (const v of ['yes', 'YES', 'true', 'True', '1', 'on', 'ON']) assert.equal(yes(v), true, v)
    for (const v of ['no', 'false', '0', 'off', '', 'y']) assert.equal(yes(v), false, v)
  })
})
