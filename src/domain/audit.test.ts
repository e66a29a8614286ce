import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { type ChainedFields, GENESIS_HASH, diff, eventHash, verifyChain } from './audit'

type Event = ChainedFields & { prev_hash: string; hash: string }

/** A correctly chained log of n events, as the audit service writes it. */
function chain(n: number): Event[] {
  const out: Event[] = []
  let prev = GENESIS_HASH
  for (let id = 1; id <= n; id++) {
    const fields: ChainedFields = {
      id,
      at: `2026-01-0${id}T09:00:00.000Z`,
      user_id: 7,
      username: 'establishment_admin.mdi',
      establishment_id: 1,
      action: id === 1 ? 'create' : 'update',
      entity: 'prisoner',
      entity_id: 'A1234BC',
      changes: JSON.stringify({ cell: { from: `A-1-00${id - 1}`, to: `A-1-00${id}` } }),
    }
    const hash = eventHash(prev, fields)
    out.push({ ...fields, prev_hash: prev, hash })
    prev = hash
  }
  return out
}

describe('audit hash chain', () => {
  it('verifies an untouched chain and reports where it ends', () => {
    const events = chain(5)
    const r = verifyChain(events)
    assert.equal(r.ok, true)
    assert.equal(r.checked, 5)
    assert.deepEqual(r.problems, [])
    assert.equal(r.lastId, 5)
    assert.equal(r.lastHash, events[4]!.hash)
  })

  it('detects an edited field', () => {
    for (const field of ['changes', 'username', 'action', 'at', 'entity_id', 'establishment_id'] as const) {
      const events = chain(4)
      const edited = { ...events[2]! } as Record<string, unknown>
      edited[field] = field === 'establishment_id' ? 2 : `${String(edited[field])}x`
      events[2] = edited as unknown as Event
      const r = verifyChain(events)
      assert.equal(r.ok, false, field)
      assert.deepEqual(r.problems, [{ id: 3, problem: 'has been changed since it was written' }], field)
    }
  })

  it('detects an edit even when the hash is recomputed, because the next event no longer follows', () => {
    const events = chain(4)
    const e = { ...events[1]!, changes: '{"cell":"forged"}' }
    e.hash = eventHash(e.prev_hash, e)
    events[1] = e
    const r = verifyChain(events)
    assert.equal(r.ok, false)
    assert.deepEqual(r.problems, [{ id: 3, problem: 'does not follow the previous event' }])
  })

  it('detects a removed event', () => {
    const events = chain(5)
    events.splice(2, 1)
    const r = verifyChain(events)
    assert.equal(r.ok, false)
    assert.ok(r.problems.some(p => p.id === 4 && /events 3 to 3 are missing/.test(p.problem)))
    assert.ok(r.problems.some(p => p.id === 4 && p.problem === 'does not follow the previous event'))
  })

  it('detects a removed last event only against the recorded head', () => {
    const events = chain(5)
    const head = { lastId: 5, lastHash: events[4]!.hash }
    const r = verifyChain(events.slice(0, 4))
    assert.equal(r.ok, true, 'the chain itself is intact')
    assert.notEqual(r.lastId, head.lastId)
    assert.notEqual(r.lastHash, head.lastHash)
  })

  it('detects reordered events', () => {
    const events = chain(5)
    ;[events[1], events[2]] = [events[2]!, events[1]!]
    const r = verifyChain(events)
    assert.equal(r.ok, false)
    assert.ok(r.problems.some(p => p.id === 3 && p.problem === 'does not follow the previous event'))
    assert.ok(r.problems.some(p => p.id === 2 && p.problem === 'does not follow the previous event'))
  })

  it('carries on from a checkpoint', () => {
    const events = chain(6)
    const first = verifyChain(events.slice(0, 3))
    const rest = verifyChain(events.slice(3), { prevHash: first.lastHash, lastId: first.lastId })
    assert.equal(rest.ok, true)
    assert.equal(rest.checked, 3)
    const wrongStart = verifyChain(events.slice(3))
    assert.equal(wrongStart.ok, false)
  })

  it('hashes depend on the previous hash', () => {
    const [e] = chain(1)
    assert.notEqual(eventHash(GENESIS_HASH, e!), eventHash('1'.repeat(64), e!))
    assert.match(eventHash(GENESIS_HASH, e!), /^[0-9a-f]{64}$/)
  })
})

describe('diff', () => {
  it('lists changed fields only, ignoring timestamps', () => {
    assert.deepEqual(
      diff(
        { cell: 'A-1-001', status: 'in', updated_at: 'x', name: 'Jan' },
        { cell: 'A-2-003', status: 'in', updated_at: 'y', name: 'Jan' },
      ),
      { cell: { from: 'A-1-001', to: 'A-2-003' } },
    )
  })

  it('treats a new record as every field from null', () => {
    assert.deepEqual(diff(null, { a: 1, b: null, created_at: 'now' }), { a: { from: null, to: 1 } })
  })

  it('treats undefined and null alike', () => {
    assert.deepEqual(diff({ a: undefined }, { a: null }), {})
    assert.deepEqual(diff({ a: 1 }, {}), { a: { from: 1, to: null } })
  })
})

describe('audit hash format', () => {
  it('rule: an event hash is SHA-256 of the previous hash, a newline and the JSON array of its fields in order', () => {
    const fields: ChainedFields = {
      id: 1,
      at: '2026-01-01T09:00:00.000Z',
      user_id: 7,
      username: 'admin',
      establishment_id: 2,
      action: 'create',
      entity: 'prisoner',
      entity_id: 'A1234BC',
      changes: '{"a":1}',
    }
    // written out by hand, so that a verifier in another language can follow it
    const text = `${GENESIS_HASH}\n[1,"2026-01-01T09:00:00.000Z",7,"admin",2,"create","prisoner","A1234BC","{\\"a\\":1}"]`
    assert.equal(eventHash(GENESIS_HASH, fields), createHash('sha256').update(text).digest('hex'))
  })
})
