// The allocation engine's input and output. Pure data: the feature layer reads the database and builds these.

export interface AllocationPrisoner {
  id: string
  /** "Surname, First names": only the greedy baseline uses it (it takes prisoners in alphabetical order) */
  name?: string
  unitCode: string | null
  /** ISO date the prisoner arrived at this establishment */
  receptionDate: string
  /** ISO 639 code of the prisoner's main language */
  language: string
  interpreterNeeded: boolean
  /** Never allocated, e.g. high complexity of need */
  excluded: boolean
  /** Previous Key Workers at this establishment, most recent first */
  previousOfficerIds: string[]
}

export interface AllocationOfficer {
  id: string
  homeUnitCode: string | null
  /** ISO 639 codes of the languages the officer speaks */
  languages: string[]
  /** Most prisoners this officer may have */
  capacity: number
  /** Prisoners already allocated to this officer */
  currentLoad: number
  active: boolean
  keyWorker: boolean
  /**
   * Places beyond capacity this officer may keep, each at a penalty above every preference (rebalancing: a
   * prisoner can always stay where they are, so the fewest possible stay over capacity). Never used to allocate.
   */
  allowOver?: number
}

/**
 * Points for each preference. A pair scores continuity + sameHouseblock + sharedLanguage (those that apply); an
 * allocated prisoner also scores waiting × days since reception; an officer with load L costs
 * loadConvexity × L² / capacity, so each extra prisoner costs more than the last and loads even out.
 */
export interface AllocationWeights {
  continuity: number
  sameHouseblock: number
  sharedLanguage: number
  loadConvexity: number
  /** points per day waiting since reception, counted up to MAX_WAITING_DAYS */
  waiting: number
}

export const DEFAULT_WEIGHTS: AllocationWeights = {
  continuity: 60,
  sameHouseblock: 30,
  sharedLanguage: 40,
  loadConvexity: 10,
  waiting: 1,
}

/** Waiting beyond a year adds nothing: it keeps the waiting term from swamping every other preference. */
export const MAX_WAITING_DAYS = 365

export interface AllocationInput {
  prisoners: AllocationPrisoner[]
  officers: AllocationOfficer[]
  weights?: Partial<AllocationWeights>
  /** ISO date */
  today: string
}

export type Strategy = 'optimal' | 'greedy'

export interface AllocationOptions {
  strategy: Strategy
  /**
   * 'pruned' (default) routes generic pairs through shared hub nodes; 'full' builds every prisoner-officer arc.
   * Both are exact; 'full' exists so tests can check one against the other.
   */
  network?: 'pruned' | 'full'
}

export interface AllocationPair {
  prisonerId: string
  officerId: string
  /** Plain English, e.g. "previous Key Worker", "same houseblock", "speaks Polish" */
  reasons: string[]
  /** Minus the pair's preference points (continuity, houseblock, language): lower is better */
  cost: number
}

export interface Unallocated {
  prisonerId: string
  reason: string
}

export interface AllocationStats {
  strategy: Strategy
  prisoners: number
  eligiblePrisoners: number
  eligibleOfficers: number
  allocated: number
  /** Officers left above capacity by this proposal (always 0 for optimal) */
  capacityViolations: number
  /** The objective in points: pair preferences + waiting − load penalty (higher is better) */
  objective: number
  /** Network size and work done, for optimal */
  nodes?: number
  arcs?: number
  augmentations?: number
}

export interface AllocationResult {
  pairs: AllocationPair[]
  unallocated: Unallocated[]
  stats: AllocationStats
}
