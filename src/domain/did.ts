// Difference-in-differences for staggered adoption (Callaway & Sant'Anna 2021), the naive two-way fixed effects
// coefficient, and plain-language summaries. Pure: imports nothing outside src/domain.

export interface PanelObservation {
  unit: number
  period: number
  y: number
} // period: integer (months since 2000-01 = 0); a missing cell is absent
export interface DidInput {
  observations: PanelObservation[]
  /** the first treated period of each unit; null = never treated in the window (a comparison unit) */
  adoption: ReadonlyMap<number, number | null>
  minEvent?: number // default -6
  maxEvent?: number // default 12
  bootstrap?: number // replications, default 499
  seed?: number // default 1
  alpha?: number // default 0.05
  control?: 'notYetTreated' | 'neverTreated' // default 'notYetTreated'
}
export interface Estimate {
  estimate: number
  se: number
  lower: number
  upper: number
}
export interface DidResult {
  overall: Estimate | null // ATT averaged over post-adoption event times 0..maxEvent (weights: units), null when none
  eventTime: ({ e: number; cohorts: number; units: number } & Estimate)[] // e < 0: the pre-adoption periods
  groupTime: { g: number; t: number; att: number; treated: number; controls: number }[]
  pretrend: { failed: boolean; maxAbs: number; p: number | null } // pre-adoption event times jointly/uniformly 0?
  design: {
    units: number
    treatedUnits: number
    controlUnits: number
    cohorts: number
    periods: number
    prePeriods: number
  }
  canTell: boolean // false when few units, short history, no controls, or failed pre-trends
  warnings: string[] // plain-language reasons the design cannot tell, each a full sentence
}

export function estimateStaggeredDid(input: DidInput): DidResult {
  void input
  throw new Error('not yet')
}

/** the naive two-way fixed effects coefficient on a treated-after-adoption dummy */
export function twoWayFixedEffects(
  observations: PanelObservation[],
  adoption: ReadonlyMap<number, number | null>,
): number | null {
  void observations
  void adoption
  throw new Error('not yet')
}

/** plain-language summary sentences for the report page and PDF */
export function summarise(
  result: DidResult,
  outcome: { name: string; higherIsBetter: boolean; unit?: string },
): string[] {
  void result
  void outcome
  throw new Error('not yet')
}

/** before/after for one establishment: always with the warning that it cannot separate the change from everything else */
export function beforeAfter(
  observations: PanelObservation[],
  adoptionPeriod: number,
  window?: number,
): { before: number | null; after: number | null; difference: number | null; warning: string } {
  void observations
  void adoptionPeriod
  void window
  throw new Error('not yet')
}

export const periodOfMonth = (month: string /* YYYY-MM */): number => {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) throw new Error(`not a month: ${month}`)
  return (Number(m[1]) - 2000) * 12 + Number(m[2]) - 1
}
export const monthOfPeriod = (period: number): string => {
  const year = 2000 + Math.floor(period / 12)
  const month = period - (year - 2000) * 12 + 1
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`
}
