import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_BODY_DEPTH, acceptableBody } from './body'

// Issue 18, point 9: a body PostgreSQL cannot store (a NUL) or the session cannot serialise (nesting thousands deep)
// is refused with a 400 before any handler runs (test/fuzz.test.ts sends both over HTTP, on both engines).

const nested = (n: number): unknown => {
  let v: unknown = 'x'
  for (let i = 0; i < n; i++) v = [v]
  return v
}

describe('acceptableBody', () => {
  it('accepts forms and JSON as keywork sends them', () => {
    assert.equal(acceptableBody(undefined), true)
    assert.equal(acceptableBody({ name: 'Houseblock 1', code: 'HB1', roles: ['KEY_WORKER', 'ADMIN'] }), true)
    assert.equal(acceptableBody({ statement: { object: { definition: { name: { 'en-GB': 'Module 1' } } } } }), true)
    assert.equal(acceptableBody({ a: nested(MAX_BODY_DEPTH - 1) }), true)
  })

  it('refuses a NUL in any string or key, however deep', () => {
    assert.equal(acceptableBody({ answer: '\u0000' }), false)
    assert.equal(acceptableBody({ answer: 'a\u0000b' }), false)
    assert.equal(acceptableBody({ 'a\u0000': 'b' }), false)
    assert.equal(acceptableBody({ list: [{ deep: ['ok', 'no\u0000'] }] }), false)
  })

  it(`refuses nesting deeper than ${MAX_BODY_DEPTH}, even 100,000 deep, without overflowing the stack`, () => {
    assert.equal(acceptableBody({ a: nested(MAX_BODY_DEPTH) }), false)
    assert.equal(acceptableBody(nested(100_000)), false)
  })
})
