import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { AllocationOfficer } from './index'
import { type RebalanceInput, type RebalancePrisoner, rebalance } from './rebalance'

const TODAY = '2025-06-02'

function prisoner(id: string, currentOfficerId: string, extra: Partial<RebalancePrisoner> = {}): RebalancePrisoner {
  return {
    id,
    unitCode: null,
    receptionDate: '2025-01-01',
    language: 'en',
    interpreterNeeded: false,
    excluded: false,
    previousOfficerIds: [],
    currentOfficerId,
    lastSessionDate: null,
    ...extra,
  }
}

function officer(id: string, extra: Partial<AllocationOfficer> = {}): AllocationOfficer {
  return {
    id,
    homeUnitCode: null,
    languages: ['en'],
    capacity: 3,
    currentLoad: 0,
    active: true,
    keyWorker: true,
    ...extra,
  }
}

const loadsAfter = (input: RebalanceInput, r: ReturnType<typeof rebalance>) => {
  const final = new Map(input.prisoners.map(p => [p.id, p.currentOfficerId]))
  for (const m of r.moves) final.set(m.prisonerId, m.toOfficerId)
  const load = new Map<string, number>()
  for (const o of final.values()) load.set(o, (load.get(o) ?? 0) + 1)
  return load
}

describe('rebalance', () => {
  test('moves nobody when every Key Worker is within capacity and nothing would improve', () => {
    const r = rebalance({
      today: TODAY,
      officers: [officer('A', { homeUnitCode: 'HB1' }), officer('B', { homeUnitCode: 'HB2' })],
      prisoners: [
        prisoner('p1', 'A', { unitCode: 'HB1' }),
        prisoner('p2', 'A', { unitCode: 'HB1' }),
        prisoner('p3', 'B', { unitCode: 'HB2' }),
      ],
    })
    assert.deepEqual(r.moves, [])
    assert.deepEqual(r.overCapacity, [])
  })

  test('moves exactly the prisoners above capacity, to a Key Worker with room', () => {
    const input: RebalanceInput = {
      today: TODAY,
      officers: [officer('A', { capacity: 2 }), officer('B', { capacity: 4 })],
      prisoners: ['p1', 'p2', 'p3', 'p4', 'p5'].map(id => prisoner(id, 'A')),
    }
    const r = rebalance(input)
    assert.equal(r.moves.length, 3)
    assert.ok(r.moves.every(m => m.fromOfficerId === 'A' && m.toOfficerId === 'B'))
    assert.ok(r.moves.every(m => m.reasons.includes('Key Worker over capacity')))
    assert.deepEqual(r.overCapacity, [])
    assert.deepEqual(r.before.prisonersOverCapacity, 3)
    assert.deepEqual(r.after.prisonersOverCapacity, 0)
  })

  test('moves a prisoner to a Key Worker in their houseblock when one has room', () => {
    const r = rebalance({
      today: TODAY,
      officers: [officer('A', { homeUnitCode: 'HB2' }), officer('B', { homeUnitCode: 'HB1' })],
      prisoners: [prisoner('p1', 'A', { unitCode: 'HB1' }), prisoner('p2', 'A', { unitCode: 'HB2' })],
    })
    assert.deepEqual(r.moves, [
      { prisonerId: 'p1', fromOfficerId: 'A', toOfficerId: 'B', reasons: ['same houseblock'] },
    ])
    assert.equal(r.before.sameHouseblock, 1)
    assert.equal(r.after.sameHouseblock, 2)
  })

  test('never moves a prisoner seen in the last 28 days unless asked, and says who is still over capacity', () => {
    const input: RebalanceInput = {
      today: TODAY,
      officers: [officer('A', { capacity: 1 }), officer('B', { capacity: 5 })],
      prisoners: [
        prisoner('p1', 'A', { lastSessionDate: '2025-05-30' }),
        prisoner('p2', 'A', { lastSessionDate: '2025-05-06' }),
        prisoner('p3', 'A', { lastSessionDate: '2025-05-05' }),
      ],
    }
    const r = rebalance(input)
    assert.deepEqual(r.pinned, ['p1', 'p2'])
    assert.deepEqual(
      r.moves.map(m => m.prisonerId),
      ['p3'],
    )
    assert.deepEqual(r.overCapacity, [{ officerId: 'A', load: 2, capacity: 1 }])

    const asked = rebalance({ ...input, moveRecentlySeen: true })
    assert.deepEqual(asked.pinned, [])
    assert.equal(asked.moves.length, 2)
    assert.deepEqual(asked.overCapacity, [])
  })

  test('moves the prisoners of a Key Worker who is no longer active', () => {
    const r = rebalance({
      today: TODAY,
      officers: [officer('A', { active: false }), officer('B')],
      prisoners: [prisoner('p1', 'A')],
    })
    assert.deepEqual(r.moves, [
      { prisonerId: 'p1', fromOfficerId: 'A', toOfficerId: 'B', reasons: ['Key Worker not active'] },
    ])
  })

  // Random establishments without houseblocks or languages: no move can gain anything, so the only moves are forced
  // ones, and the fewest possible is the overload (plus the prisoners of inactive officers) when there is room.
  const arbPlain = fc
    .record({
      officers: fc.array(
        fc.record({
          capacity: fc.integer({ min: 0, max: 4 }),
          active: fc.boolean(),
          load: fc.integer({ min: 0, max: 6 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      recent: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      moveRecentlySeen: fc.boolean(),
    })
    .map(({ officers, recent, moveRecentlySeen }) => {
      const os = officers.map((o, i) => officer(`o${i}`, { capacity: o.capacity, active: o.active }))
      const ps: RebalancePrisoner[] = []
      officers.forEach((o, i) => {
        for (let k = 0; k < o.load; k++)
          ps.push(
            prisoner(`p${i}-${k}`, `o${i}`, { lastSessionDate: recent[ps.length % 40] ? '2025-05-30' : '2025-01-01' }),
          )
      })
      return { input: { today: TODAY, officers: os, prisoners: ps, moveRecentlySeen } as RebalanceInput }
    })

  test('property: pinned prisoners stay, the fewest moves are made, nobody is left over capacity when there is room', () => {
    fc.assert(
      fc.property(arbPlain, ({ input }) => {
        const r = rebalance(input)
        const pinned = new Set(r.pinned)
        for (const m of r.moves) assert.ok(!pinned.has(m.prisonerId), 'a pinned prisoner was moved')
        for (const m of r.moves) assert.ok(m.reasons.length > 0, 'a move without a reason')
        const byId = new Map(input.officers.map(o => [o.id, o]))
        const eligible = input.officers.filter(o => o.active && o.keyWorker)
        const load = new Map<string, number>()
        for (const p of input.prisoners) load.set(p.currentOfficerId, (load.get(p.currentOfficerId) ?? 0) + 1)
        const pinnedLoad = new Map<string, number>()
        for (const p of input.prisoners)
          if (pinned.has(p.id)) pinnedLoad.set(p.currentOfficerId, (pinnedLoad.get(p.currentOfficerId) ?? 0) + 1)
        // what must move: overload above max(capacity, pinned) of active officers, all movable of inactive ones
        let forced = 0
        for (const [id, n] of load) {
          const o = byId.get(id)!
          const movable = n - (pinnedLoad.get(id) ?? 0)
          forced += o.active
            ? Math.min(movable, Math.max(0, n - Math.max(o.capacity, pinnedLoad.get(id) ?? 0)))
            : movable
        }
        const room = eligible.reduce(
          (s, o) => s + Math.max(0, o.capacity - Math.max(load.get(o.id) ?? 0, pinnedLoad.get(o.id) ?? 0)),
          0,
        )
        if (room >= forced) {
          assert.equal(r.moves.length, forced)
          const after = loadsAfter(input, r)
          for (const o of eligible)
            assert.ok((after.get(o.id) ?? 0) <= Math.max(o.capacity, pinnedLoad.get(o.id) ?? 0), `${o.id} over`)
        } else {
          // no room for all: as many as there is room for, and nobody within capacity is pushed over
          assert.equal(r.moves.length, room)
          const after = loadsAfter(input, r)
          for (const o of eligible)
            if ((load.get(o.id) ?? 0) <= o.capacity)
              assert.ok((after.get(o.id) ?? 0) <= o.capacity, `${o.id} pushed over`)
        }
        for (const m of r.moves) {
          const to = byId.get(m.toOfficerId)!
          assert.ok(to.active && to.keyWorker, 'moved to an officer who is not an active Key Worker')
        }
        assert.deepEqual(rebalance(input), r, 'deterministic')
      }),
      { numRuns: 300 },
    )
  })

  test('property: with houseblocks and languages, no move pushes a Key Worker over capacity', () => {
    const arb = fc
      .record({
        officers: fc.array(
          fc.record({
            capacity: fc.integer({ min: 0, max: 4 }),
            unit: fc.constantFrom('HB1', 'HB2', null),
            polish: fc.boolean(),
            load: fc.array(fc.record({ unit: fc.constantFrom('HB1', 'HB2', null), polish: fc.boolean() }), {
              maxLength: 6,
            }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
      })
      .map(({ officers }) => {
        const os = officers.map((o, i) =>
          officer(`o${i}`, { capacity: o.capacity, homeUnitCode: o.unit, languages: o.polish ? ['en', 'pl'] : ['en'] }),
        )
        const ps = officers.flatMap((o, i) =>
          o.load.map((p, k) =>
            prisoner(`p${i}-${k}`, `o${i}`, {
              unitCode: p.unit,
              language: p.polish ? 'pl' : 'en',
              interpreterNeeded: p.polish,
            }),
          ),
        )
        return { today: TODAY, officers: os, prisoners: ps } as RebalanceInput
      })
    fc.assert(
      fc.property(arb, input => {
        const r = rebalance(input)
        const before = new Map<string, number>()
        for (const p of input.prisoners) before.set(p.currentOfficerId, (before.get(p.currentOfficerId) ?? 0) + 1)
        const after = loadsAfter(input, r)
        for (const o of input.officers) {
          const was = before.get(o.id) ?? 0
          const now = after.get(o.id) ?? 0
          if (was <= o.capacity) assert.ok(now <= o.capacity, `${o.id} pushed over capacity`)
          else assert.ok(now <= was, `${o.id} got more while over capacity`)
        }
        assert.ok(r.after.prisonersOverCapacity <= r.before.prisonersOverCapacity)
        for (const m of r.moves) assert.ok(m.reasons.length > 0, 'a move without a reason')
      }),
      { numRuns: 300 },
    )
  })
})
