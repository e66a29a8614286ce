// Rebalancing: the fewest moves that bring every Key Worker within capacity and improve houseblock matches, for
// prisoners who already have a Key Worker. It is the same exact min-cost flow as allocation, asked a different
// question: each prisoner's current Key Worker becomes their most recent previous one, worth a "stay" bonus, so a
// move costs that bonus and happens only when it is forced (the Key Worker is over capacity or no longer active) or
// pays for itself (the new Key Worker is in the prisoner's houseblock or speaks their language, and the current
// one is not/does not). Prisoners seen in the last 28 days are not moved unless the Supervising Officer asks.
import { daysBetween } from '../dates'
import { allocateOptimal } from './optimal'
import { Scorer, isEligibleOfficer } from './scoring'
import type { AllocationOfficer, AllocationPrisoner, AllocationWeights } from './types'

export interface RebalancePrisoner extends AllocationPrisoner {
  currentOfficerId: string
  /** ISO date of the last delivered Key Work session, if any */
  lastSessionDate: string | null
}

export interface RebalanceInput {
  prisoners: RebalancePrisoner[]
  /** currentLoad is ignored: loads are counted from the prisoners' current Key Workers */
  officers: AllocationOfficer[]
  today: string
  /** move prisoners seen recently too */
  moveRecentlySeen?: boolean
}

export interface Move {
  prisonerId: string
  fromOfficerId: string
  toOfficerId: string
  reasons: string[]
}

export interface RebalanceResult {
  moves: Move[]
  /** prisoners left where they are because they were seen in the last RECENT_SESSION_DAYS days */
  pinned: string[]
  /** officers still over capacity after the moves (only when there is no room anywhere, or pinned prisoners) */
  overCapacity: { officerId: string; load: number; capacity: number }[]
  before: RebalanceMeasures
  after: RebalanceMeasures
}

export interface RebalanceMeasures {
  overCapacityOfficers: number
  prisonersOverCapacity: number
  sameHouseblock: number
}

export const RECENT_SESSION_DAYS = 28

/**
 * The stay bonus is just over half the houseblock bonus: a move that gains a houseblock match is worth it, a move
 * for nothing is not, and neither is a swap of two prisoners for one houseblock match. Load evening is only a
 * tie-break (a convexity so small that no step difference reaches the bonus).
 */
export const REBALANCE_WEIGHTS: AllocationWeights = {
  continuity: 16,
  sameHouseblock: 30,
  sharedLanguage: 40,
  loadConvexity: 1,
  waiting: 0,
}

export function isRecentlySeen(p: RebalancePrisoner, today: string): boolean {
  if (!p.lastSessionDate) return false
  const days = daysBetween(p.lastSessionDate, today)
  return Number.isFinite(days) && days >= 0 && days < RECENT_SESSION_DAYS
}

export function rebalance(input: RebalanceInput): RebalanceResult {
  const officers = new Map(input.officers.map(o => [o.id, o]))
  const pinned = input.prisoners.filter(p => !input.moveRecentlySeen && isRecentlySeen(p, input.today))
  const pinnedIds = new Set(pinned.map(p => p.id))
  const pinnedLoad = new Map<string, number>()
  for (const p of pinned) pinnedLoad.set(p.currentOfficerId, (pinnedLoad.get(p.currentOfficerId) ?? 0) + 1)

  const movable: RebalancePrisoner[] = input.prisoners
    .filter(p => !pinnedIds.has(p.id))
    .map(p => ({
      ...p,
      excluded: false,
      previousOfficerIds: [p.currentOfficerId, ...p.previousOfficerIds.filter(id => id !== p.currentOfficerId)],
    }))
  // Everyone may stay where they are, over capacity if need be (allowOver), at a penalty above every preference:
  // so the flow moves as many as room allows off over-capacity Key Workers and never pushes another over.
  const movableLoad = new Map<string, number>()
  for (const p of movable) movableLoad.set(p.currentOfficerId, (movableLoad.get(p.currentOfficerId) ?? 0) + 1)
  const engineOfficers = input.officers.map(o => {
    const pinnedHere = pinnedLoad.get(o.id) ?? 0
    const room = Math.max(0, Math.floor(o.capacity) - pinnedHere)
    return { ...o, currentLoad: pinnedHere, allowOver: Math.max(0, (movableLoad.get(o.id) ?? 0) - room) }
  })
  const result = allocateOptimal({
    prisoners: movable,
    officers: engineOfficers,
    today: input.today,
    weights: REBALANCE_WEIGHTS,
  })

  const scorer = new Scorer({ prisoners: input.prisoners, officers: input.officers, today: input.today })
  const byId = new Map(input.prisoners.map(p => [p.id, p]))
  const finalOf = new Map(input.prisoners.map(p => [p.id, p.currentOfficerId]))
  const loadBefore = countBy(input.prisoners.map(p => p.currentOfficerId))
  const moves: Move[] = []
  for (const pair of result.pairs) {
    const p = byId.get(pair.prisonerId)!
    if (pair.officerId === p.currentOfficerId) continue
    finalOf.set(p.id, pair.officerId)
    const from = officers.get(p.currentOfficerId)
    const to = officers.get(pair.officerId)!
    const reasons: string[] = []
    if (!from || !isEligibleOfficer(from)) reasons.push('Key Worker not active')
    else if ((loadBefore.get(from.id) ?? 0) > Math.floor(from.capacity)) reasons.push('Key Worker over capacity')
    if (scorer.sameUnit(p, to) && (!from || !scorer.sameUnit(p, from))) reasons.push('same houseblock')
    if (scorer.sharedLanguage(p, to) && (!from || !scorer.sharedLanguage(p, from)))
      reasons.push(...scorer.reasons(p, to).filter(r => r.startsWith('speaks ')))
    // a move that gains nothing itself frees a place for a better match (a shared language) elsewhere
    if (reasons.length === 0) reasons.push('makes room for a better match')
    moves.push({ prisonerId: p.id, fromOfficerId: p.currentOfficerId, toOfficerId: to.id, reasons })
  }
  moves.sort((a, b) => (a.prisonerId < b.prisonerId ? -1 : a.prisonerId > b.prisonerId ? 1 : 0))

  const measure = (officerOf: (p: RebalancePrisoner) => string): RebalanceMeasures => {
    const load = countBy(input.prisoners.map(officerOf))
    let overCapacityOfficers = 0
    let prisonersOverCapacity = 0
    for (const [id, n] of load) {
      const cap = Math.floor(officers.get(id)?.capacity ?? 0)
      if (n > cap) {
        overCapacityOfficers++
        prisonersOverCapacity += n - cap
      }
    }
    const sameHouseblock = input.prisoners.filter(p => {
      const o = officers.get(officerOf(p))
      return o !== undefined && scorer.sameUnit(p, o)
    }).length
    return { overCapacityOfficers, prisonersOverCapacity, sameHouseblock }
  }
  const loadAfter = countBy([...finalOf.values()])
  const overCapacity = [...loadAfter]
    .map(([officerId, load]) => ({ officerId, load, capacity: Math.floor(officers.get(officerId)?.capacity ?? 0) }))
    .filter(o => o.load > o.capacity)
    .sort((a, b) => (a.officerId < b.officerId ? -1 : 1))
  return {
    moves,
    pinned: pinned.map(p => p.id).sort(),
    overCapacity,
    before: measure(p => p.currentOfficerId),
    after: measure(p => finalOf.get(p.id)!),
  }
}

function countBy(ids: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1)
  return m
}
