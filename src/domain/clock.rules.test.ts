// Rules of the one clock and the small time-limited cache that mutation testing found unprotected
// (npm run mutation, MUTATE=src/domain/clock.ts,src/domain/ttlCache.ts). The cache runs on a fake clock.
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { now, setClock } from './clock'
import { ttlCache } from './ttlCache'

describe('the clock', () => {
  after(() => setClock(null))

  it('can be set to an instant given as text, as a Date or as a function, and back to the system clock', () => {
    setClock('2026-06-01T00:30:00Z')
    assert.equal(now().toISOString(), '2026-06-01T00:30:00.000Z')
    setClock(new Date('2026-07-01T12:00:00Z'))
    assert.equal(now().toISOString(), '2026-07-01T12:00:00.000Z')
    setClock(() => new Date('2026-08-01T09:00:00Z'))
    assert.equal(now().toISOString(), '2026-08-01T09:00:00.000Z')
    setClock(null)
    assert.ok(now() instanceof Date)
    assert.notEqual(now().toISOString(), '2026-08-01T09:00:00.000Z')
  })
})

describe('the time-limited cache', () => {
  it('answers from memory within the time limit and loads again after it', async () => {
    let t = 1_000
    let loads = 0
    const cache = ttlCache<string, number>(100, 10, () => t)
    const load = async () => ++loads
    assert.equal(await cache.get('a', load), 1)
    t += 99
    assert.equal(await cache.get('a', load), 1, 'within the limit: from memory')
    t += 1
    assert.equal(await cache.get('a', load), 2, 'at the limit: loaded again')
  })

  it('is emptied when it holds as many entries as allowed, before adding another', async () => {
    let loads = 0
    const cache = ttlCache<string, number>(1_000, 2, () => 0)
    const load = async () => ++loads
    await cache.get('a', load) // 1
    await cache.get('b', load) // 2: now full
    assert.equal(await cache.get('a', load), 1, 'still held while not over')
    await cache.get('c', load) // 3: full, so emptied first, then c added
    assert.equal(await cache.get('c', load), 3)
    assert.equal(await cache.get('a', load), 4, 'a was dropped when the cache was emptied')
  })
})
