import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRows } from './json'

describe('JSON array columns read back as rows', () => {
  it('takes SQLite’s text and node-postgres’ parsed array alike', () => {
    assert.deepEqual(parseRows<{ a: number; b: string | null }>('[{"a":1,"b":null},{"a":2,"b":"x"}]'), [
      { a: 1, b: null },
      { a: 2, b: 'x' },
    ])
    assert.deepEqual(parseRows([{ a: 1 }]), [{ a: 1 }])
    assert.deepEqual(parseRows('[]'), [])
  })

  it('refuses anything that is not an array of rows, rather than reading it as no rows', () => {
    assert.throws(() => parseRows('{"a":1}'), /expected a JSON array of rows/)
    assert.throws(() => parseRows('null'), /expected a JSON array of rows/)
    assert.throws(() => parseRows('not json'), SyntaxError)
  })
})
