// The Ministry of Justice's current recommendation, reproduced as the benchmark's baseline: prisoners in
// alphabetical order; the previous Key Worker if still active, even when that takes them over capacity; otherwise
// the officer with the lowest allocated/capacity ratio. Houseblock, language and waiting time play no part.
import { EXCLUDED_REASON, NO_OFFICER_REASON, NO_ROOM_REASON } from './optimal'
import { SCALE, Scorer, isEligibleOfficer, loadOf } from './scoring'
import type { AllocationInput, AllocationPair, AllocationResult, Unallocated } from './types'

export function allocateGreedy(input: AllocationInput): AllocationResult {
  const scorer = new Scorer(input)
  const officers = input.officers.filter(isEligibleOfficer).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const load = new Map(officers.map(o => [o.id, loadOf(o)]))
  const sortKey = (p: { name?: string; id: string }) => (p.name ?? p.id).toLowerCase()
  const prisoners = [...input.prisoners].sort((a, b) => {
    const ka = sortKey(a)
    const kb = sortKey(b)
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })
  const pairs: AllocationPair[] = []
  const unallocated: Unallocated[] = []
  for (const p of prisoners) {
    if (p.excluded) {
      unallocated.push({ prisonerId: p.id, reason: EXCLUDED_REASON })
      continue
    }
    const previousId = scorer.eligiblePrevious(p)[0]
    let officer = previousId === undefined ? undefined : scorer.officers.get(previousId)
    let why = 'previous Key Worker'
    if (!officer) {
      why = 'lowest caseload'
      let best = Number.POSITIVE_INFINITY
      for (const o of officers) {
        if (o.capacity <= 0 || load.get(o.id)! >= o.capacity) continue
        const ratio = load.get(o.id)! / o.capacity
        if (ratio < best) {
          best = ratio
          officer = o
        }
      }
    }
    if (!officer) {
      unallocated.push({ prisonerId: p.id, reason: officers.length === 0 ? NO_OFFICER_REASON : NO_ROOM_REASON })
      continue
    }
    const n = load.get(officer.id)! + 1
    load.set(officer.id, n)
    const reasons = scorer.reasons(p, officer)
    if (!reasons.includes(why)) reasons.unshift(why)
    if (n > officer.capacity) reasons.push(`over capacity (${n} of ${officer.capacity})`)
    pairs.push({ prisonerId: p.id, officerId: officer.id, reasons, cost: -scorer.pairValue(p, officer) / SCALE })
  }
  pairs.sort((a, b) => (a.prisonerId < b.prisonerId ? -1 : a.prisonerId > b.prisonerId ? 1 : 0))
  return {
    pairs,
    unallocated: unallocated.sort((a, b) => (a.prisonerId < b.prisonerId ? -1 : a.prisonerId > b.prisonerId ? 1 : 0)),
    stats: {
      strategy: 'greedy',
      prisoners: input.prisoners.length,
      eligiblePrisoners: input.prisoners.filter(p => !p.excluded).length,
      eligibleOfficers: officers.length,
      allocated: pairs.length,
      capacityViolations: officers.filter(o => load.get(o.id)! > o.capacity).length,
      objective: scorer.objective(pairs) / SCALE,
    },
  }
}
