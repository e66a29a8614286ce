// Simulated panels with staggered adoption and a known, planted effect: for the estimator's tests and the
// `evaluation` benchmark. y_it = unit effect + period effect + effect of adoption + AR(1) noise (so a unit's months
// are correlated, as an establishment's are, and a bootstrap that ignored the clustering would be too narrow).
import { periodOfMonth, type PanelObservation } from './did'
import { Random } from './random'

export interface SimulationOptions {
  units?: number // default 120
  periods?: number // default 36
  /** the first period (months since 2000-01); default January 2023 */
  start?: number
  /** adoption months as offsets from start, one cohort each; default [6, 12, 18, 24] */
  cohorts?: readonly number[]
  /** the share of units that never adopt; default 0.25 */
  neverTreatedShare?: number
  /** the effect on a unit of cohort number c (0 = the earliest), e months after adoption (e ≥ 0); a number: constant */
  effect?: number | ((cohort: number, e: number) => number)
  /** the standard deviation of the monthly noise; default 2 */
  noise?: number
  /** the month-to-month correlation of the noise; default 0.5 */
  rho?: number
  /** an extra slope per month for the units that adopt, before and after (breaks parallel trends); default 0 */
  preTrend?: number
  /** the share of unit-months left out at random; default 0 */
  missing?: number
  /** the last event time in the reported aggregation; default 12 */
  maxEvent?: number
  seed?: number
}

export interface SimulatedPanel {
  observations: PanelObservation[]
  adoption: Map<number, number | null>
  /** the true overall effect under the estimator's aggregation (0..maxEvent, weights: units per cell) */
  trueOverall: number
  /** the true θ(e) for e = 0..maxEvent (weights: cohort sizes), where any cohort is observed with a comparison */
  trueEventTime: { e: number; att: number }[]
}

/** The default effect: heterogeneous and dynamic: it grows with time since adoption, more for early cohorts. */
export const DYNAMIC_EFFECT = (cohort: number, e: number) => (2 - 0.4 * cohort) * (1 + e / 4)

export function simulatePanel(options: SimulationOptions = {}): SimulatedPanel {
  const units = options.units ?? 120
  const periods = options.periods ?? 36
  const start = options.start ?? periodOfMonth('2023-01')
  const cohorts = options.cohorts ?? [6, 12, 18, 24]
  const neverShare = options.neverTreatedShare ?? 0.25
  const effectOption = options.effect ?? DYNAMIC_EFFECT
  const effect = typeof effectOption === 'number' ? () => effectOption : effectOption
  const noise = options.noise ?? 2
  const rho = options.rho ?? 0.5
  const preTrend = options.preTrend ?? 0
  const missing = options.missing ?? 0
  const maxEvent = options.maxEvent ?? 12
  const rng = new Random(options.seed ?? 1)
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())

  // Units 1..never are never treated; the rest are split evenly between the cohorts in order.
  const never = Math.round(units * neverShare)
  const cohortOf: (number | null)[] = []
  for (let i = 0; i < units; i++)
    cohortOf.push(
      i < never || cohorts.length === 0 ? null : Math.floor(((i - never) * cohorts.length) / (units - never)),
    )
  const adoption = new Map<number, number | null>()
  for (let i = 0; i < units; i++) adoption.set(i + 1, cohortOf[i] === null ? null : start + cohorts[cohortOf[i]!]!)

  const periodEffect: number[] = []
  for (let t = 0; t < periods; t++) periodEffect.push(0.05 * t + 1.5 * Math.sin((2 * Math.PI * t) / 12) + normal())
  const observations: PanelObservation[] = []
  const innovation = noise * Math.sqrt(1 - rho * rho)
  for (let i = 0; i < units; i++) {
    const unitEffect = 50 + 5 * normal()
    const c = cohortOf[i]!
    let u = noise * normal()
    for (let t = 0; t < periods; t++) {
      if (t > 0) u = rho * u + innovation * normal()
      const g = c === null ? null : cohorts[c]!
      let y = unitEffect + periodEffect[t]! + u
      if (g !== null) {
        y += preTrend * (t - g)
        if (t >= g) y += effect(c!, t - g)
      }
      if (missing > 0 && rng.chance(missing)) continue
      observations.push({ unit: i + 1, period: start + t, y })
    }
  }

  // The truth, aggregated as the estimator does: a cell (cohort, t ≥ g) counts when it lies in the window and a
  // comparison unit exists (a never-treated one, or one adopting after t).
  const lastAdoption = Math.max(...cohorts)
  const sizes = cohorts.map((_, c) => cohortOf.filter(x => x === c).length)
  let num = 0
  let den = 0
  const trueEventTime: { e: number; att: number }[] = []
  for (let e = 0; e <= maxEvent; e++) {
    let en = 0
    let ed = 0
    cohorts.forEach((g, c) => {
      const t = g + e
      if (t >= periods || sizes[c] === 0) return
      if (never === 0 && t >= lastAdoption) return
      en += sizes[c]! * effect(c, e)
      ed += sizes[c]!
    })
    if (ed > 0) trueEventTime.push({ e, att: en / ed })
    num += en
    den += ed
  }
  return { observations, adoption, trueOverall: den > 0 ? num / den : NaN, trueEventTime }
}
