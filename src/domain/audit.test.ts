import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  type ChainedFields,
  CHAIN_START,
  GENESIS_HASH,
  LEGACY_CHAIN,
  NATIONAL_CHAIN,
  chainOf,
  checkHead,
  diff,
  eventHash,
  hashedJsonAround,
  legacyEventHash,
  verifyChain,
} from './audit'

type Event = ChainedFields & { prev_hash: string; hash: string }

/** A correctly chained log of n events of establishment 1 (chain '1'), as the audit service writes it; ids 10, 20, … */
function chain(n: number): Event[] {
  const out: Event[] = []
  let prev = GENESIS_HASH
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      id: seq * 10,
      chain: '1',
      seq,
      at: `2026-01-0${seq}T09:00:00.000Z`,
      user_id: 7,
      username: 'establishment_admin.mdi',
      establishment_id: 1,
      action: seq === 1 ? 'create' : 'update',
      entity: 'prisoner',
      entity_id: 'A1234BC',
      changes: JSON.stringify({ cell: { from: `A-1-00${seq - 1}`, to: `A-1-00${seq}` } }),
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
    const r = verifyChain('1', events)
    assert.equal(r.ok, true)
    assert.equal(r.checked, 5)
    assert.deepEqual(r.problems, [])
    assert.equal(r.lastSeq, 5)
    assert.equal(r.lastId, 50)
    assert.equal(r.prevHash, events[4]!.hash)
  })

  it('rule: an event belongs to its establishment’s chain, or the national one when it has none', () => {
    assert.equal(chainOf(12), '12')
    assert.equal(chainOf(null), 'national')
    assert.equal(NATIONAL_CHAIN, 'national')
  })

  it('detects an edited field, its chain and its number included', () => {
    const fields = ['changes', 'username', 'action', 'at', 'entity_id', 'id', 'seq', 'chain'] as const
    for (const field of fields) {
      const events = chain(4)
      const edited = { ...events[2]! } as Record<string, unknown>
      edited[field] = typeof edited[field] === 'number' ? Number(edited[field]) + 1000 : `${String(edited[field])}x`
      events[2] = edited as unknown as Event
      const r = verifyChain('1', events)
      assert.equal(r.ok, false, field)
      const id = field === 'id' ? 1030 : 30
      assert.ok(
        r.problems.some(p => p.chain === '1' && p.id === id && p.problem === 'has been changed since it was written'),
        `${field}: ${JSON.stringify(r.problems)}`,
      )
    }
  })

  it('detects an event whose establishment is not its chain’s, even with its hash recomputed', () => {
    const events = chain(3)
    const moved = { ...events[2]!, establishment_id: 2 }
    moved.hash = eventHash(moved.prev_hash, moved)
    events[2] = moved
    assert.deepEqual(verifyChain('1', events).problems, [
      { chain: '1', id: 30, problem: 'is in the chain of another establishment' },
    ])
  })

  it('detects an edit even when the hash is recomputed, because the next event no longer follows', () => {
    const events = chain(4)
    const e = { ...events[1]!, changes: '{"cell":"forged"}' }
    e.hash = eventHash(e.prev_hash, e)
    events[1] = e
    const r = verifyChain('1', events)
    assert.equal(r.ok, false)
    assert.deepEqual(r.problems, [{ chain: '1', id: 30, problem: 'does not follow the previous event' }])
  })

  it('detects a removed event', () => {
    const events = chain(5)
    events.splice(2, 1)
    const r = verifyChain('1', events)
    assert.deepEqual(r.problems, [
      { chain: '1', id: 40, problem: 'events 3 to 3 of the chain are missing' },
      { chain: '1', id: 40, problem: 'does not follow the previous event' },
    ])
  })

  it('detects a removed last event only against the recorded head, naming its id', () => {
    const events = chain(5)
    const head = { seq: 5, hash: events[4]!.hash, last_id: 50 }
    const r = verifyChain('1', events.slice(0, 4))
    assert.equal(r.ok, true, 'the chain itself is intact')
    assert.deepEqual(checkHead('1', head, r), [{ chain: '1', id: 50, problem: 'the last 1 event(s) are missing' }])
    assert.deepEqual(checkHead('1', head, verifyChain('1', events)), [])
  })

  it('detects a head that was changed, and events without a head', () => {
    const events = chain(3)
    const end = verifyChain('1', events)
    const head = { seq: 3, hash: events[2]!.hash, last_id: 30 }
    const problem = 'the chain head does not match the last event'
    assert.deepEqual(checkHead('1', { ...head, hash: 'f'.repeat(64) }, end), [{ chain: '1', id: 30, problem }])
    assert.deepEqual(checkHead('1', { ...head, last_id: 20 }, end), [{ chain: '1', id: 30, problem }])
    assert.deepEqual(checkHead('1', { ...head, seq: 2 }, end), [{ chain: '1', id: 30, problem }])
    assert.deepEqual(checkHead('1', undefined, end), [
      { chain: '1', id: 30, problem: 'the chain has no head: its last events cannot be checked' },
    ])
    assert.deepEqual(checkHead('9', { seq: 0, hash: GENESIS_HASH, last_id: 0 }, CHAIN_START), [])
  })

  it('detects reordered events', () => {
    const events = chain(5)
    ;[events[1], events[2]] = [events[2]!, events[1]!]
    const r = verifyChain('1', events)
    assert.equal(r.ok, false)
    assert.ok(r.problems.some(p => p.id === 30 && p.problem === 'events 2 to 2 of the chain are missing'))
    assert.ok(r.problems.some(p => p.id === 30 && p.problem === 'does not follow the previous event'))
    assert.ok(r.problems.some(p => p.id === 20 && p.problem === 'is out of order in the chain'))
  })

  it('detects an event of another chain walked as this one', () => {
    const events = chain(2)
    const r = verifyChain('2', events)
    assert.ok(r.problems.some(p => p.id === 10 && p.problem === 'is not in chain 2'))
  })

  it('carries on from a checkpoint', () => {
    const events = chain(6)
    const first = verifyChain('1', events.slice(0, 3))
    const rest = verifyChain('1', events.slice(3), first)
    assert.equal(rest.ok, true)
    assert.equal(rest.checked, 3)
    const wrongStart = verifyChain('1', events.slice(3))
    assert.equal(wrongStart.ok, false)
  })

  it('hashes depend on the previous hash', () => {
    const [e] = chain(1)
    assert.notEqual(eventHash(GENESIS_HASH, e!), eventHash('1'.repeat(64), e!))
    assert.match(eventHash(GENESIS_HASH, e!), /^[0-9a-f]{64}$/)
  })
})

describe('the legacy chain (events written before migration 042)', () => {
  /** The old single chain: ids from 1, hashed without chain and number, then numbered by id in the chain 'legacy'. */
  function legacy(n: number): Event[] {
    const out: Event[] = []
    let prev = GENESIS_HASH
    for (let id = 1; id <= n; id++) {
      const fields = {
        id,
        at: `2026-01-0${id}T09:00:00.000Z`,
        user_id: null,
        username: 'system',
        establishment_id: id % 2 === 0 ? 3 : null,
        action: 'create',
        entity: 'establishment',
        entity_id: String(id),
        changes: null,
      }
      const hash = legacyEventHash(prev, fields)
      out.push({ ...fields, chain: LEGACY_CHAIN, seq: id, prev_hash: prev, hash })
      prev = hash
    }
    return out
  }

  it('verifies by the old rule, whatever the establishments', () => {
    const r = verifyChain(LEGACY_CHAIN, legacy(4))
    assert.deepEqual(r.problems, [])
    assert.equal(r.checked, 4)
  })

  it('detects an edited event, and a number that is not its id', () => {
    const edited = legacy(4)
    edited[1] = { ...edited[1]!, entity_id: '99' }
    assert.deepEqual(verifyChain(LEGACY_CHAIN, edited).problems, [
      { chain: 'legacy', id: 2, problem: 'has been changed since it was written' },
    ])
    const renumbered = legacy(4).map(e => (e.id === 4 ? { ...e, seq: 5 } : e))
    assert.deepEqual(verifyChain(LEGACY_CHAIN, renumbered).problems, [
      { chain: 'legacy', id: 4, problem: 'events 4 to 4 of the chain are missing' },
      { chain: 'legacy', id: 4, problem: 'is out of place in the legacy chain' },
    ])
    const renumberedBoth = legacy(4).map(e => (e.id === 4 ? { ...e, id: 5, seq: 5 } : e))
    assert.ok(
      verifyChain(LEGACY_CHAIN, renumberedBoth).problems.some(
        p => p.id === 5 && p.problem === 'has been changed since it was written',
      ),
    )
    const outOfPlace = legacy(3).map(e => (e.id === 3 ? { ...e, seq: 2 } : e))
    assert.ok(
      verifyChain(LEGACY_CHAIN, outOfPlace).problems.some(
        p => p.id === 3 && p.problem === 'is out of place in the legacy chain',
      ),
    )
  })

  it('rule: a legacy hash is SHA-256 of the previous hash, a newline and the old JSON array of fields', () => {
    const fields = {
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
    const text = `${GENESIS_HASH}\n[1,"2026-01-01T09:00:00.000Z",7,"admin",2,"create","prisoner","A1234BC","{\\"a\\":1}"]`
    assert.equal(legacyEventHash(GENESIS_HASH, fields), createHash('sha256').update(text).digest('hex'))
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
  it('rule: an event hash is SHA-256 of the previous hash, a newline and the JSON array of every column in order', () => {
    const fields: ChainedFields = {
      id: 41,
      chain: '2',
      seq: 3,
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
    const text = `${GENESIS_HASH}\n["2",3,41,"2026-01-01T09:00:00.000Z",7,"admin",2,"create","prisoner","A1234BC","{\\"a\\":1}"]`
    assert.equal(eventHash(GENESIS_HASH, fields), createHash('sha256').update(text).digest('hex'))
  })

  it('hashedJsonAround: the JSON before the number and after the id, which PostgreSQL completes and hashes', () => {
    const fields: ChainedFields = {
      id: 41,
      chain: '2',
      seq: 3,
      at: '2026-01-01T09:00:00.000Z',
      user_id: null,
      username: 'o’brien',
      establishment_id: 2,
      action: 'view',
      entity: 'prisoner',
      entity_id: null,
      changes: '{"note":"line\\nbreak \\\\ \\"quoted\\" 🙂"}',
    }
    const { before, after } = hashedJsonAround(fields)
    assert.equal(before, '["2",')
    assert.equal(
      after,
      `,"2026-01-01T09:00:00.000Z",null,"o’brien",2,"view","prisoner",null,${JSON.stringify(fields.changes)}]`,
    )
    const text = `${GENESIS_HASH}\n${before}3,41${after}`
    assert.equal(createHash('sha256').update(text).digest('hex'), eventHash(GENESIS_HASH, fields))
  })
})
