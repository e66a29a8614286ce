import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ttlCache } from './ttlCache'

describe('ttlCache', () => {
  it('loads once within the time limit, again after it, and after clear', async () => {
    let clock = 0
    let loads = 0
    const cache = ttlCache<string, number>(1000, 10, () => clock)
    const load = async () => ++loads
    assert.equal(await cache.get('a', load), 1)
    clock = 999
    assert.equal(await cache.get('a', load), 1)
    clock = 1000
    assert.equal(await cache.get('a', load), 2)
    cache.clear()
    assert.equal(await cache.get('a', load), 3)
  })
})
