import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { chunks } from './chunks'

describe('chunks', () => {
  it('cuts a list into pieces of the size, the last one shorter', () => {
    assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]])
    assert.deepEqual(chunks(['a', 'b', 'c'], 5), [['a', 'b', 'c']])
  })

  it('makes no empty piece: none for an empty list, none after a list of whole pieces', () => {
    assert.deepEqual(chunks([], 500), [])
    assert.deepEqual(chunks([1, 2, 3, 4], 2), [
      [1, 2],
      [3, 4],
    ])
    assert.deepEqual(chunks([7], 1), [[7]])
  })
})
