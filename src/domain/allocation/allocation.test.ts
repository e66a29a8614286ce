import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { generateEstablishment } from './generate'
import {
  type AllocationInput,
  type AllocationOfficer,
  type AllocationPrisoner,
  type AllocationResult,
  EXCLUDED_REASON,
  NO_OFFICER_REASON,
  NO_ROOM_REASON,
  SCALE,
  Scorer,
  allocate,
  isEligibleOfficer,
  roomOf,
} from './index'

const TODAY = '2025-06-02'

function prisoner(id: string, extra: Partial<AllocationPrisoner> = {}): AllocationPrisoner {
  return {
    id,
    name: id,
    unitCode: null,
    receptionDate: TODAY,
    language: 'en',
    interpreterNeeded: false,
    excluded: false,
    previousOfficerIds: [],
    ...extra,
  }
}

function officer(id: string, extra: Partial<AllocationOfficer> = {}): AllocationOfficer {
  return {
    id,
    homeUnitCode: null,
    languages: ['en'],
    capacity: 6,
    currentLoad: 0,
    active: true,
    keyWorker: true,
    ...extra,
  }
}

const officerOf = (r: AllocationResult, prisonerId: string) => r.pairs.find(p => p.prisonerId === prisonerId)?.officerId

const chance = (p: number) => fc.integer({ min: 0, max: 99 }).map(n => n < p * 100)

// Small random establishments: few units and languages so that preferences collide and capacity runs short.
const arbPrisoner = (i: number) =>
  fc
    .record({
      unitCode: fc.constantFrom('A', 'B', null),
      receptionDate: fc
        .integer({ min: 0, max: 400 })
        .map(d => new Date(Date.parse(`${TODAY}T00:00:00Z`) - d * 86_400_000).toISOString().slice(0, 10)),
      language: fc.constantFrom('en', 'pl', 'ro'),
      interpreterNeeded: fc.boolean(),
      excluded: chance(0.15),
      previousOfficerIds: fc.subarray(['O1', 'O2', 'O3', 'O4']),
      name: fc.constantFrom('Adams', 'Brown', 'Clark', 'Adams'),
    })
    .map(p => ({ id: `P${i}`, ...p }))

const arbOfficer = (i: number) =>
  fc
    .record({
      homeUnitCode: fc.constantFrom('A', 'B', null),
      languages: fc.subarray(['en', 'pl', 'ro']),
      capacity: fc.integer({ min: 0, max: 3 }),
      currentLoad: fc.integer({ min: 0, max: 2 }),
      active: chance(0.8),
      keyWorker: chance(0.9),
    })
    .map(o => ({ id: `O${i}`, ...o }))

const arbWeights = fc.record({
  continuity: fc.integer({ min: 0, max: 80 }),
  sameHouseblock: fc.integer({ min: 0, max: 50 }),
  sharedLanguage: fc.integer({ min: 0, max: 50 }),
  loadConvexity: fc.integer({ min: 0, max: 20 }),
  waiting: fc.constantFrom(0, 0.5, 1),
})

function arbEstablishment(maxPrisoners: number, maxOfficers: number): fc.Arbitrary<AllocationInput> {
  return fc
    .record({
      p: fc.integer({ min: 0, max: maxPrisoners }),
      o: fc.integer({ min: 0, max: maxOfficers }),
      weights: arbWeights,
    })
    .chain(({ p, o, weights }) =>
      fc.record({
        prisoners: fc.tuple(...Array.from({ length: p }, (_, i) => arbPrisoner(i + 1))),
        officers: fc.tuple(...Array.from({ length: o }, (_, i) => arbOfficer(i + 1))),
        weights: fc.constant(weights),
        today: fc.constant(TODAY),
      }),
    )
    .map(x => ({ ...x, prisoners: [...x.prisoners], officers: [...x.officers] }))
}

/** Checks every hard constraint; returns the final load of each officer. */
function assertValid(input: AllocationInput, r: AllocationResult, allowOverCapacity = false): void {
  const officers = new Map(input.officers.map(o => [o.id, o]))
  const prisoners = new Map(input.prisoners.map(p => [p.id, p]))
  const seen = new Set<string>()
  const added = new Map<string, number>()
  for (const pair of r.pairs) {
    assert.ok(!seen.has(pair.prisonerId), `${pair.prisonerId} allocated twice`)
    seen.add(pair.prisonerId)
    const p = prisoners.get(pair.prisonerId)
    const o = officers.get(pair.officerId)
    assert.ok(p && o)
    assert.equal(p.excluded, false, `excluded ${p.id} allocated`)
    assert.ok(isEligibleOfficer(o), `ineligible officer ${o.id} used`)
    assert.ok(pair.reasons.length > 0)
    added.set(o.id, (added.get(o.id) ?? 0) + 1)
  }
  if (!allowOverCapacity) {
    for (const [id, n] of added) assert.ok(n <= roomOf(officers.get(id)!), `${id} over capacity`)
  }
  const accounted = new Set([...seen, ...r.unallocated.map(u => u.prisonerId)])
  assert.equal(accounted.size, input.prisoners.length, 'every prisoner is either allocated or unallocated')
  assert.equal(r.pairs.length + r.unallocated.length, input.prisoners.length)
}

/**
 * The best (most allocated, then highest objective) assignment by trying every one: each eligible prisoner to
 * nobody or to any eligible officer with room.
 */
function bruteForce(input: AllocationInput): { allocated: number; objective: number } {
  const scorer = new Scorer(input)
  const prisoners = input.prisoners.filter(p => !p.excluded)
  const officers = input.officers.filter(o => isEligibleOfficer(o) && roomOf(o) > 0)
  const room = officers.map(roomOf)
  const chosen: { prisonerId: string; officerId: string }[] = []
  let best = { allocated: -1, objective: Number.NEGATIVE_INFINITY }
  const visit = (i: number) => {
    if (i === prisoners.length) {
      const objective = scorer.objective(chosen)
      if (chosen.length > best.allocated || (chosen.length === best.allocated && objective > best.objective)) {
        best = { allocated: chosen.length, objective }
      }
      return
    }
    visit(i + 1)
    officers.forEach((o, k) => {
      if (room[k]! === 0) return
      room[k]!--
      chosen.push({ prisonerId: prisoners[i]!.id, officerId: o.id })
      visit(i + 1)
      chosen.pop()
      room[k]!++
    })
  }
  visit(0)
  return { allocated: best.allocated, objective: best.objective / SCALE }
}

describe('optimal allocation', () => {
  test('gives the reasons for each pair', () => {
    const input: AllocationInput = {
      today: TODAY,
      prisoners: [
        prisoner('P1', { previousOfficerIds: ['O1'] }),
        prisoner('P2', { unitCode: 'B' }),
        prisoner('P3', { language: 'pl', interpreterNeeded: true }),
        prisoner('P4', { excluded: true, previousOfficerIds: ['O1'] }),
      ],
      officers: [
        officer('O1', { homeUnitCode: 'A' }),
        officer('O2', { homeUnitCode: 'B' }),
        officer('O3', { languages: ['en', 'pl'] }),
        officer('O4', { active: false, homeUnitCode: 'B', languages: ['pl'] }),
      ],
    }
    const r = allocate(input, { strategy: 'optimal' })
    const reasons = Object.fromEntries(r.pairs.map(p => [p.prisonerId, [p.officerId, p.reasons]]))
    assert.deepEqual(reasons, {
      P1: ['O1', ['previous Key Worker']],
      P2: ['O2', ['same houseblock']],
      P3: ['O3', ['speaks Polish']],
    })
    assert.deepEqual(r.unallocated, [{ prisonerId: 'P4', reason: EXCLUDED_REASON }])
    assert.equal(r.stats.capacityViolations, 0)
  })

  test('combines reasons, and falls back to room on the caseload when nothing else applies', () => {
    const input: AllocationInput = {
      today: TODAY,
      prisoners: [
        prisoner('P1', { unitCode: 'A', language: 'ro', interpreterNeeded: true, previousOfficerIds: ['O1'] }),
        prisoner('P2'),
      ],
      officers: [officer('O1', { homeUnitCode: 'A', languages: ['ro'], capacity: 1 }), officer('O2')],
    }
    const r = allocate(input, { strategy: 'optimal' })
    assert.deepEqual(r.pairs, [
      {
        prisonerId: 'P1',
        officerId: 'O1',
        reasons: ['previous Key Worker', 'same houseblock', 'speaks Romanian'],
        cost: -130,
      },
      { prisonerId: 'P2', officerId: 'O2', reasons: ['has room on caseload'], cost: -0 },
    ])
  })

  test('never goes over capacity, even for a previous Key Worker, and says why a prisoner is left', () => {
    const input: AllocationInput = {
      today: TODAY,
      prisoners: [
        prisoner('P1', { previousOfficerIds: ['O1'], receptionDate: '2025-05-01' }),
        prisoner('P2', { previousOfficerIds: ['O1'], receptionDate: '2025-06-01' }),
      ],
      officers: [officer('O1', { capacity: 2, currentLoad: 1 })],
    }
    const r = allocate(input, { strategy: 'optimal' })
    // capacity is short: the longer-waiting prisoner gets the last place
    assert.deepEqual(
      r.pairs.map(p => p.prisonerId),
      ['P1'],
    )
    assert.deepEqual(r.unallocated, [{ prisonerId: 'P2', reason: NO_ROOM_REASON }])
  })

  test('prefers the longest-waiting receptions when capacity is short', () => {
    const prisoners = [1, 2, 3, 4, 5].map(i => prisoner(`P${i}`, { receptionDate: `2025-05-0${i}` }))
    const r = allocate({ today: TODAY, prisoners, officers: [officer('O1', { capacity: 2 })] }, { strategy: 'optimal' })
    assert.deepEqual(
      r.pairs.map(p => p.prisonerId),
      ['P1', 'P2'],
    )
  })

  test('evens out loads when nothing else separates the officers', () => {
    const prisoners = Array.from({ length: 6 }, (_, i) => prisoner(`P${i}`))
    const officers = [officer('O1'), officer('O2', { currentLoad: 2 }), officer('O3')]
    const r = allocate({ today: TODAY, prisoners, officers }, { strategy: 'optimal' })
    const load = (id: string) => r.pairs.filter(p => p.officerId === id).length
    // 8 prisoners in all over 3 officers: final loads within one of each other
    const finals = [load('O1'), 2 + load('O2'), load('O3')]
    assert.ok(Math.max(...finals) - Math.min(...finals) <= 1, `uneven loads ${finals.join(', ')}`)
  })

  test('keeps every hard constraint on random establishments', () => {
    fc.assert(
      fc.property(arbEstablishment(10, 5), input => {
        const r = allocate(input, { strategy: 'optimal' })
        assertValid(input, r)
        assert.equal(r.stats.capacityViolations, 0)
      }),
      { numRuns: 300 },
    )
  })

  test('equals the brute-force optimum on small establishments', () => {
    fc.assert(
      fc.property(arbEstablishment(6, 3), input => {
        const r = allocate(input, { strategy: 'optimal' })
        const best = bruteForce(input)
        assert.equal(r.stats.allocated, best.allocated)
        assert.equal(r.stats.objective, best.objective)
      }),
      { numRuns: 300 },
    )
  })

  test('the pruned network finds the same optimum as the network with every arc', () => {
    fc.assert(
      fc.property(arbEstablishment(14, 5), input => {
        const pruned = allocate(input, { strategy: 'optimal' })
        const full = allocate(input, { strategy: 'optimal', network: 'full' })
        assert.equal(pruned.stats.allocated, full.stats.allocated)
        assert.equal(pruned.stats.objective, full.stats.objective)
      }),
      { numRuns: 300 },
    )
    const input = generateEstablishment(7, {
      prisoners: 300,
      officers: 50,
      houseblocks: 4,
      interpreterNeed: 0.2,
      previousKeyWorker: 0.4,
      excluded: 0.05,
      today: TODAY,
    })
    const pruned = allocate(input, { strategy: 'optimal' })
    const full = allocate(input, { strategy: 'optimal', network: 'full' })
    assert.ok(pruned.stats.arcs! < full.stats.arcs! / 3)
    assert.equal(pruned.stats.allocated, full.stats.allocated)
    assert.equal(pruned.stats.objective, full.stats.objective)
  })

  test('is deterministic, whatever the order of the input', () => {
    fc.assert(
      fc.property(arbEstablishment(10, 5), fc.integer(), (input, seed) => {
        const a = allocate(input, { strategy: 'optimal' })
        const shuffled = {
          ...input,
          prisoners: shuffle(input.prisoners, seed),
          officers: shuffle(input.officers, seed + 1),
        }
        assert.deepEqual(allocate(input, { strategy: 'optimal' }), a)
        assert.deepEqual(allocate(shuffled, { strategy: 'optimal' }).pairs, a.pairs)
      }),
      { numRuns: 200 },
    )
  })

  test('does at least as well as greedy whenever greedy stays within capacity', () => {
    fc.assert(
      fc.property(arbEstablishment(10, 5), input => {
        const o = allocate(input, { strategy: 'optimal' })
        const g = allocate(input, { strategy: 'greedy' })
        assertValid(input, g, true)
        if (g.stats.capacityViolations > 0) return
        assert.ok(o.stats.allocated >= g.stats.allocated)
        if (o.stats.allocated === g.stats.allocated) assert.ok(o.stats.objective >= g.stats.objective)
      }),
      { numRuns: 300 },
    )
  })

  test('allocates a Category B local of 1,200 prisoners within capacity', () => {
    const input = generateEstablishment(1)
    const r = allocate(input, { strategy: 'optimal' })
    assertValid(input, r)
    const eligible = input.prisoners.filter(p => !p.excluded).length
    const room = input.officers.filter(isEligibleOfficer).reduce((n, o) => n + roomOf(o), 0)
    assert.equal(r.stats.allocated, Math.min(eligible, room))
  })
})

describe('greedy allocation (the baseline)', () => {
  test('keeps the previous Key Worker even over capacity, else the lowest load ratio, in alphabetical order', () => {
    const input: AllocationInput = {
      today: TODAY,
      prisoners: [
        prisoner('P1', { name: 'Young, Al', previousOfficerIds: ['O1'] }),
        prisoner('P2', { name: 'Abbott, Ben' }),
        prisoner('P3', { name: 'Brown, Cy', unitCode: 'A' }),
        prisoner('P4', { name: 'Ng, Di', previousOfficerIds: ['O9'] }),
      ],
      officers: [
        officer('O1', { capacity: 1, currentLoad: 1, homeUnitCode: 'A' }),
        officer('O2', { capacity: 4, currentLoad: 1 }),
        officer('O3', { capacity: 2, currentLoad: 0 }),
        officer('O9', { active: false }),
      ],
    }
    const r = allocate(input, { strategy: 'greedy' })
    // Abbott → O3 (0/2), Brown → O2 (1/4 < 1/2; greedy ignores O1's houseblock), Ng → O2 or O3 at 2/4 = 1/2:
    // ties go to the lower id; Young → O1, over capacity.
    assert.equal(officerOf(r, 'P2'), 'O3')
    assert.equal(officerOf(r, 'P3'), 'O2')
    assert.equal(officerOf(r, 'P4'), 'O2')
    assert.equal(officerOf(r, 'P1'), 'O1')
    assert.deepEqual(r.pairs.find(p => p.prisonerId === 'P1')?.reasons, [
      'previous Key Worker',
      'over capacity (2 of 1)',
    ])
    assert.equal(r.stats.capacityViolations, 1)
  })
})

describe('greedy room check and continuity (rules named by the mutations they kill)', () => {
  test('rule: greedy gives nobody new to an officer whose caseload is exactly at capacity', () => {
    const input: AllocationInput = {
      today: TODAY,
      prisoners: [prisoner('P1', { name: 'Adams' }), prisoner('P2', { name: 'Brown' })],
      // O1 full (2 of 2); O2 has room for exactly one more (0 of 1)
      officers: [officer('O1', { capacity: 2, currentLoad: 2 }), officer('O2', { capacity: 1, currentLoad: 0 })],
    }
    const r = allocate(input, { strategy: 'greedy' })
    // Adams → O2 (the only one with room, 0/1); then O2 is at 1 of 1 and O1 at 2 of 2: Brown waits
    assert.deepEqual(
      r.pairs.map(p => [p.prisonerId, p.officerId]),
      [['P1', 'O2']],
    )
    assert.deepEqual(r.unallocated, [{ prisonerId: 'P2', reason: NO_ROOM_REASON }])
    assert.equal(r.stats.capacityViolations, 0)
    // O2 at 1 of 1 is full, not over: the only reason given is how O2 was chosen
    assert.deepEqual(r.pairs[0]!.reasons, ['lowest caseload'])
    assert.equal(Math.abs(r.pairs[0]!.cost), 0, 'no preference points')
  })

  test('rule: greedy says why nobody was allocated: no active Key Worker, or no room', () => {
    const prisoners = [prisoner('P1')]
    const none = allocate(
      { today: TODAY, prisoners, officers: [officer('O1', { active: false })] },
      { strategy: 'greedy' },
    )
    assert.deepEqual(none.unallocated, [{ prisonerId: 'P1', reason: NO_OFFICER_REASON }])
    const full = allocate(
      { today: TODAY, prisoners, officers: [officer('O1', { capacity: 0 })] },
      { strategy: 'greedy' },
    )
    assert.deepEqual(full.unallocated, [{ prisonerId: 'P1', reason: NO_ROOM_REASON }])
  })

  test('rule: a greedy pair costs minus its preference points', () => {
    // previous Key Worker (60) in the same houseblock (30): 90 points, cost −90
    const r = allocate(
      {
        today: TODAY,
        prisoners: [prisoner('P1', { unitCode: 'A', previousOfficerIds: ['O1'] })],
        officers: [officer('O1', { homeUnitCode: 'A' })],
      },
      { strategy: 'greedy' },
    )
    assert.equal(r.pairs[0]!.cost, -90)
    assert.deepEqual(r.pairs[0]!.reasons, ['previous Key Worker', 'same houseblock'])
  })

  test('rule: greedy goes over capacity only for the previous Key Worker (property, capacity often exactly full)', () => {
    // officers whose load is often exactly their capacity, or one short of it
    const fullOfficer = (i: number) =>
      fc
        .record({ capacity: fc.integer({ min: 0, max: 3 }), short: fc.constantFrom(0, 0, 1), active: chance(0.9) })
        .map(o =>
          officer(`O${i}`, { capacity: o.capacity, currentLoad: Math.max(0, o.capacity - o.short), active: o.active }),
        )
    const input = fc
      .record({ p: fc.integer({ min: 1, max: 6 }), o: fc.integer({ min: 1, max: 4 }) })
      .chain(({ p, o }) =>
        fc.record({
          prisoners: fc.tuple(...Array.from({ length: p }, (_, i) => arbPrisoner(i + 1))),
          officers: fc.tuple(...Array.from({ length: o }, (_, i) => fullOfficer(i + 1))),
        }),
      )
      .map(x => ({ today: TODAY, prisoners: [...x.prisoners], officers: [...x.officers] }) satisfies AllocationInput)
    fc.assert(
      fc.property(input, input => {
        const r = allocate(input, { strategy: 'greedy' })
        assertValid(input, r, true)
        const officers = new Map(input.officers.map(o => [o.id, o]))
        const load = new Map(input.officers.map(o => [o.id, o.currentLoad]))
        // replay in the order greedy takes prisoners (by name, then id): each allocation either is to an eligible
        // previous Key Worker or finds the officer below capacity at that moment
        const byName = [...r.pairs].sort((a, b) => {
          const [x, y] = [
            input.prisoners.find(p => p.id === a.prisonerId)!,
            input.prisoners.find(p => p.id === b.prisonerId)!,
          ]
          const [kx, ky] = [x.name!.toLowerCase(), y.name!.toLowerCase()]
          return kx < ky ? -1 : kx > ky ? 1 : x.id < y.id ? -1 : 1
        })
        for (const pair of byName) {
          const o = officers.get(pair.officerId)!
          const before = load.get(o.id)!
          if (!pair.reasons.includes('previous Key Worker'))
            assert.ok(before < o.capacity, `${pair.prisonerId} given to ${o.id} at ${before} of ${o.capacity}`)
          load.set(o.id, before + 1)
        }
      }),
      { numRuns: 300 },
    )
  })

  test('rule: an older previous Key Worker earns half the continuity points, the most recent one all of them', () => {
    const scorer = new Scorer({
      today: TODAY,
      prisoners: [],
      officers: [officer('O1'), officer('O2'), officer('O3')],
      weights: { continuity: 60 },
    })
    const p = prisoner('P1', { previousOfficerIds: ['O1', 'O2'] })
    // scaled by SCALE = 100: most recent 60 × 100 = 6000; older 60 × 100 ÷ 2 = 3000; a stranger 0
    assert.equal(scorer.continuityOf(p, 'O1'), 6000)
    assert.equal(scorer.continuityOf(p, 'O2'), 3000)
    assert.equal(scorer.continuityOf(p, 'O3'), 0)
    assert.deepEqual(scorer.reasons(p, officer('O2')), ['previous Key Worker'])

    // In an allocation: the most recent (O1) is full, so the choice is the older one (O2, 30 points) or an officer
    // of the prisoner's houseblock (O3). Houseblock worth 25 < 30: O2; worth 35 > 30: O3.
    const world = (sameHouseblock: number): AllocationInput => ({
      today: TODAY,
      prisoners: [prisoner('P1', { unitCode: 'B', previousOfficerIds: ['O1', 'O2'] })],
      officers: [officer('O1', { capacity: 1, currentLoad: 1 }), officer('O2'), officer('O3', { homeUnitCode: 'B' })],
      weights: { continuity: 60, sameHouseblock, sharedLanguage: 0, loadConvexity: 0, waiting: 0 },
    })
    const older = allocate(world(25), { strategy: 'optimal' })
    assert.equal(officerOf(older, 'P1'), 'O2')
    assert.equal(older.stats.objective, 30)
    const houseblock = allocate(world(35), { strategy: 'optimal' })
    assert.equal(officerOf(houseblock, 'P1'), 'O3')
    assert.equal(houseblock.stats.objective, 35)
  })
})

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let s = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
