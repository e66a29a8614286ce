// The exact allocation: a min-cost flow source → prisoner (capacity 1) → officer → sink, where each officer has
// one sink arc per place left on their caseload, priced at the rising step of the convex load penalty.
//
// Pruning, and why it stays exact. A prisoner's preference for an officer is the sum of up to three bonuses:
// continuity (a previous Key Worker), same houseblock, shared language (interpreter needed). Most pairs earn
// none, and the rest earn the houseblock bonus or the language bonus alone, whoever the officer is. So instead of
// 1,200 × 200 arcs each prisoner gets:
//   - a direct arc, at the exact pair value, to each officer who earns continuity or BOTH other bonuses;
//   - an arc to its houseblock's hub (houseblock bonus), which reaches every officer of that houseblock;
//   - an arc to its language's hub (language bonus) if it needs an interpreter, reaching every officer who speaks it;
//   - an arc to the generic hub (no bonus), which reaches every officer.
// Every route from a prisoner to an officer credits at most the true value of that pair (a hub only reaches
// officers who earn its bonus), so no flow in this network looks better than the assignment it stands for; and
// every assignment can be routed at exactly its true value (direct arc, else the one hub whose bonus it earns, else
// generic). Hence the two networks have the same optimum, and any way of pairing up the prisoners and officers who
// meet at a hub gives an optimal assignment. Tests check this against the network with every arc ('full').
import { MinCostFlow } from './flow'
import { SCALE, Scorer, isEligibleOfficer, loadOf, roomOf } from './scoring'
import type { AllocationInput, AllocationOfficer, AllocationPrisoner, AllocationResult, Unallocated } from './types'

export const EXCLUDED_REASON = 'Not eligible for Key Work (for example, high complexity of need)'
export const NO_OFFICER_REASON = 'No active Key Worker'
export const NO_ROOM_REASON = 'No Key Worker has room on their caseload'

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export function allocateOptimal(input: AllocationInput, network: 'pruned' | 'full' = 'pruned'): AllocationResult {
  const scorer = new Scorer(input)
  const prisoners = [...input.prisoners].sort(byId)
  const eligible = prisoners.filter(p => !p.excluded)
  const eligibleOfficers = input.officers.filter(isEligibleOfficer).sort(byId)
  const overOf = (o: AllocationOfficer) => Math.max(0, Math.floor(o.allowOver ?? 0))
  const placesOf = (o: AllocationOfficer) => roomOf(o) + overOf(o)
  const officers = eligibleOfficers.filter(o => placesOf(o) > 0)

  // Hubs: one per houseblock and per language that some officer with room has, plus the generic one.
  const unitHub = new Map<string, number>()
  const languageHub = new Map<string, number>()
  let next = 1 + eligible.length
  const genericHub = network === 'pruned' ? next++ : -1
  if (network === 'pruned') {
    for (const code of [...new Set(officers.map(o => o.homeUnitCode).filter(u => u !== null))].sort()) {
      unitHub.set(code, next++)
    }
    for (const code of [...new Set(officers.flatMap(o => o.languages))].sort()) languageHub.set(code, next++)
  }
  const officerNode = new Map<string, number>()
  for (const o of officers) officerNode.set(o.id, next++)
  const sink = next++
  const g = new MinCostFlow(next)

  // Allocating one more prisoner must always beat any rearrangement of preferences, waiting and load: BIG exceeds
  // the whole range those can take.
  // A place beyond capacity (allowOver) costs more than any rearrangement of preferences and load within capacity.
  let overPenalty = 1
  for (const p of eligible) overPenalty += scorer.waitingValue(p) + scorer.pairValue(p, bestCase(p, scorer))
  for (const o of officers)
    for (let k = 1; k <= placesOf(o); k++) overPenalty += Math.abs(scorer.loadStep(o, loadOf(o) + k))
  const stepCost = (o: AllocationOfficer, k: number) =>
    scorer.loadStep(o, loadOf(o) + k) + (k > roomOf(o) ? overPenalty : 0)
  let big = overPenalty
  for (const o of officers) big += overOf(o) * overPenalty

  const sourceArc: number[] = []
  const direct: { arc: number; officer: AllocationOfficer }[][] = []
  const hubArc: { arc: number; hub: number }[][] = []
  eligible.forEach((p, i) => {
    const node = 1 + i
    sourceArc.push(g.addArc(0, node, 1, -(big + scorer.waitingValue(p))))
    const mine: { arc: number; officer: AllocationOfficer }[] = []
    const hubs: { arc: number; hub: number }[] = []
    if (network === 'full') {
      for (const o of officers)
        mine.push({ arc: g.addArc(node, officerNode.get(o.id)!, 1, -scorer.pairValue(p, o)), officer: o })
    } else {
      const previous = new Set(scorer.eligiblePrevious(p))
      for (const o of officers) {
        if (previous.has(o.id) || (scorer.sameUnit(p, o) && scorer.sharedLanguage(p, o))) {
          mine.push({ arc: g.addArc(node, officerNode.get(o.id)!, 1, -scorer.pairValue(p, o)), officer: o })
        }
      }
      const uh = p.unitCode === null ? undefined : unitHub.get(p.unitCode)
      if (uh !== undefined) hubs.push({ arc: g.addArc(node, uh, 1, -scorer.unitBonus()), hub: uh })
      const lh = p.interpreterNeeded ? languageHub.get(p.language) : undefined
      if (lh !== undefined) hubs.push({ arc: g.addArc(node, lh, 1, -scorer.languageBonus()), hub: lh })
      hubs.push({ arc: g.addArc(node, genericHub, 1, 0), hub: genericHub })
    }
    direct.push(mine)
    hubArc.push(hubs)
  })

  const hubOut = new Map<number, { arc: number; officer: AllocationOfficer }[]>()
  if (network === 'pruned') {
    const link = (hub: number, list: AllocationOfficer[]) => {
      hubOut.set(
        hub,
        list.map(o => ({ arc: g.addArc(hub, officerNode.get(o.id)!, eligible.length, 0), officer: o })),
      )
    }
    link(genericHub, officers)
    for (const [code, hub] of unitHub)
      link(
        hub,
        officers.filter(o => o.homeUnitCode === code),
      )
    for (const [code, hub] of languageHub)
      link(
        hub,
        officers.filter(o => o.languages.includes(code)),
      )
  }
  for (const o of officers) {
    for (let k = 1; k <= placesOf(o); k++) g.addArc(officerNode.get(o.id)!, sink, 1, stepCost(o, k))
  }

  g.solve(0, sink)

  // Read the assignment back: direct arcs name the officer; at each hub, pair its prisoners (in id order) with the
  // officers it sent flow to (in id order) — any pairing is optimal, as argued above.
  const assigned = new Map<string, AllocationOfficer>()
  const atHub = new Map<number, AllocationPrisoner[]>()
  eligible.forEach((p, i) => {
    if (g.flowOn(sourceArc[i]!) === 0) return
    const d = direct[i]!.find(x => g.flowOn(x.arc) > 0)
    if (d) {
      assigned.set(p.id, d.officer)
      return
    }
    const h = hubArc[i]!.find(x => g.flowOn(x.arc) > 0)
    if (!h) throw new Error('flow lost at a prisoner')
    const list = atHub.get(h.hub) ?? []
    list.push(p)
    atHub.set(h.hub, list)
  })
  for (const [hub, list] of atHub) {
    let k = 0
    for (const { arc, officer } of hubOut.get(hub) ?? []) {
      for (let f = g.flowOn(arc); f > 0; f--) assigned.set(list[k++]!.id, officer)
    }
    if (k !== list.length) throw new Error('flow lost at a hub')
  }

  const pairs = []
  const unallocated: Unallocated[] = []
  for (const p of prisoners) {
    const o = assigned.get(p.id)
    if (o) {
      const reasons = scorer.reasons(p, o)
      pairs.push({
        prisonerId: p.id,
        officerId: o.id,
        reasons: reasons.length > 0 ? reasons : ['has room on caseload'],
        cost: -scorer.pairValue(p, o) / SCALE,
      })
    } else {
      unallocated.push({
        prisonerId: p.id,
        reason: p.excluded ? EXCLUDED_REASON : eligibleOfficers.length === 0 ? NO_OFFICER_REASON : NO_ROOM_REASON,
      })
    }
  }
  return {
    pairs,
    unallocated,
    stats: {
      strategy: 'optimal',
      prisoners: prisoners.length,
      eligiblePrisoners: eligible.length,
      eligibleOfficers: eligibleOfficers.length,
      allocated: pairs.length,
      capacityViolations: overCapacity(officers, pairs),
      objective: scorer.objective(pairs) / SCALE,
      nodes: g.nodes,
      arcs: g.arcs,
      augmentations: g.augmentations,
    },
  }
}

/** An imaginary officer who earns every bonus this prisoner could earn: bounds the prisoner's best pair value. */
function bestCase(p: AllocationPrisoner, scorer: Scorer): AllocationOfficer {
  return {
    id: scorer.eligiblePrevious(p)[0] ?? '\u0000none',
    homeUnitCode: p.unitCode,
    languages: [p.language],
    capacity: 1,
    currentLoad: 0,
    active: true,
    keyWorker: true,
  }
}

/** Officers given more prisoners than their room: only possible for an officer with allowOver (rebalancing). */
function overCapacity(officers: AllocationOfficer[], pairs: { officerId: string }[]): number {
  const given = new Map<string, number>()
  for (const p of pairs) given.set(p.officerId, (given.get(p.officerId) ?? 0) + 1)
  return officers.filter(o => (given.get(o.id) ?? 0) > roomOf(o)).length
}
