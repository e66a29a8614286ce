import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { groupBy } from './groupBy'

describe('groupBy', () => {
  it('puts each item in its key’s group, keeping the order of groups and of items', () => {
    const g = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], s => s[0])
    assert.deepEqual(
      [...g.entries()],
      [
        ['b', ['b1', 'b2']],
        ['a', ['a1', 'a2']],
        ['c', ['c1']],
      ],
    )
    assert.deepEqual([...groupBy([], x => x).entries()], [])
  })

  it('keeps null as a key of its own', () => {
    const g = groupBy([{ k: null }, { k: 'x' }, { k: null }], r => r.k)
    assert.equal(g.get(null)?.length, 2)
    assert.equal(g.get('x')?.length, 1)
  })
})
