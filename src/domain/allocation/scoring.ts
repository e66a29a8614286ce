// The objective both strategies are measured by, in integer hundredths of a point so that sums are exact and
// the optimum (and its tie-breaks) do not depend on floating-point rounding.
import { daysBetween } from '../dates'
import { languageName } from '../languages'
import {
  type AllocationInput,
  type AllocationOfficer,
  type AllocationPrisoner,
  type AllocationWeights,
  DEFAULT_WEIGHTS,
  MAX_WAITING_DAYS,
} from './types'

export const SCALE = 100

/** Negative weights would turn a preference into an aversion the hub network cannot represent: floor at 0. */
export function weightsOf(input: AllocationInput): AllocationWeights {
  const w = { ...DEFAULT_WEIGHTS, ...input.weights }
  return {
    continuity: Math.max(0, w.continuity),
    sameHouseblock: Math.max(0, w.sameHouseblock),
    sharedLanguage: Math.max(0, w.sharedLanguage),
    loadConvexity: Math.max(0, w.loadConvexity),
    waiting: Math.max(0, w.waiting),
  }
}

export function isEligibleOfficer(o: AllocationOfficer): boolean {
  return o.active && o.keyWorker
}

export function loadOf(o: AllocationOfficer): number {
  return Math.max(0, Math.floor(o.currentLoad))
}

export function roomOf(o: AllocationOfficer): number {
  return Math.max(0, Math.floor(o.capacity) - loadOf(o))
}

/** Everything the objective needs, worked out once per input. */
export class Scorer {
  readonly weights: AllocationWeights
  readonly officers = new Map<string, AllocationOfficer>()
  private readonly w: { continuity: number; unit: number; language: number; waiting: number }

  constructor(readonly input: AllocationInput) {
    this.weights = weightsOf(input)
    for (const o of input.officers) this.officers.set(o.id, o)
    this.w = {
      continuity: Math.round(this.weights.continuity * SCALE),
      unit: Math.round(this.weights.sameHouseblock * SCALE),
      language: Math.round(this.weights.sharedLanguage * SCALE),
      waiting: Math.round(this.weights.waiting * SCALE),
    }
  }

  /**
   * The prisoner's previous Key Workers who can still take them, most recent first. Only the most recent of those
   * earns full continuity; older ones earn half (still better than a stranger).
   */
  eligiblePrevious(p: AllocationPrisoner): string[] {
    const seen = new Set<string>()
    const out: string[] = []
    for (const id of p.previousOfficerIds) {
      const o = this.officers.get(id)
      if (o && isEligibleOfficer(o) && !seen.has(id)) {
        seen.add(id)
        out.push(id)
      }
    }
    return out
  }

  continuityOf(p: AllocationPrisoner, officerId: string): number {
    const rank = this.eligiblePrevious(p).indexOf(officerId)
    if (rank < 0) return 0
    return rank === 0 ? this.w.continuity : Math.floor(this.w.continuity / 2)
  }

  sameUnit(p: AllocationPrisoner, o: AllocationOfficer): boolean {
    return p.unitCode !== null && p.unitCode === o.homeUnitCode
  }

  sharedLanguage(p: AllocationPrisoner, o: AllocationOfficer): boolean {
    return p.interpreterNeeded && o.languages.includes(p.language)
  }

  unitBonus(): number {
    return this.w.unit
  }

  languageBonus(): number {
    return this.w.language
  }

  /** Preference points (scaled) of putting p with o. */
  pairValue(p: AllocationPrisoner, o: AllocationOfficer): number {
    return (
      this.continuityOf(p, o.id) +
      (this.sameUnit(p, o) ? this.w.unit : 0) +
      (this.sharedLanguage(p, o) ? this.w.language : 0)
    )
  }

  /** Points (scaled) for allocating p at all: grows with days since reception, up to a year. */
  waitingValue(p: AllocationPrisoner): number {
    const days = Math.min(MAX_WAITING_DAYS, Math.max(0, daysBetween(p.receptionDate, this.input.today)))
    return Number.isFinite(days) ? days * this.w.waiting : 0
  }

  /**
   * Scaled cost of the officer's load going from load − 1 to load: loadConvexity × (2·load − 1) / capacity, the
   * step of loadConvexity × load² / capacity. It rises with load, so the cost is convex.
   */
  loadStep(o: AllocationOfficer, load: number): number {
    const cap = Math.max(1, o.capacity)
    return Math.round((this.weights.loadConvexity * SCALE * (2 * load - 1)) / cap)
  }

  reasons(p: AllocationPrisoner, o: AllocationOfficer): string[] {
    const out: string[] = []
    if (this.continuityOf(p, o.id) > 0) out.push('previous Key Worker')
    if (this.sameUnit(p, o)) out.push('same houseblock')
    if (this.sharedLanguage(p, o)) out.push(`speaks ${languageName(p.language)}`)
    return out
  }

  /**
   * Objective of a set of pairs (scaled): Σ pair preferences + Σ waiting − Σ load steps above current load. Higher
   * is better; what optimal maximises after the number allocated.
   */
  objective(pairs: readonly { prisonerId: string; officerId: string }[]): number {
    const prisoners = new Map(this.input.prisoners.map(p => [p.id, p]))
    const added = new Map<string, number>()
    let total = 0
    for (const pair of pairs) {
      const p = prisoners.get(pair.prisonerId)
      const o = this.officers.get(pair.officerId)
      if (!p || !o) throw new Error(`unknown pair ${pair.prisonerId} → ${pair.officerId}`)
      total += this.pairValue(p, o) + this.waitingValue(p)
      const n = (added.get(o.id) ?? 0) + 1
      added.set(o.id, n)
      total -= this.loadStep(o, loadOf(o) + n)
    }
    return total
  }
}
