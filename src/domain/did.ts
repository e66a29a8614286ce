import { MONTHS } from './dates'
import { Random } from './random'

// Difference-in-differences for staggered adoption, after Callaway & Sant'Anna (2021), "Difference-in-differences
// with multiple time periods", J. Econometrics 225(2): the unconditional (no covariates) estimator.
//
// The rules, each pinned by a test in did.test.ts:
// - Units. Only units in `adoption` are used (a unit with observations but no entry is left out: the caller chose the
//   comparison establishments). A unit first treated at or before the first period of the panel has no
//   pre-adoption history and is left out (the paper's "always treated"); a unit first treated after the last period
//   counts as never treated within the window.
// - Group-time effects. For cohort g (units first treated at period g) and period t:
//     ATT(g,t) = mean over i in g of (Y_it − Y_i,b) − mean over comparison units j of (Y_jt − Y_j,b)
//   with base b = g − 1 for t ≥ g (the last period before adoption), and the "varying" base b = t − 1 for t < g
//   (the did R package's default): a pre-adoption cell is the change from one month to the next, so each of them is
//   a placebo test of parallel trends in that month, and e = −1 is estimated rather than fixed at 0.
// - Comparison units: 'notYetTreated' (the default, the paper's eq. 2.7): units with G > max(t, b) that are not in
//   cohort g, plus the never treated; 'neverTreated': the never treated only. A unit missing either period of a
//   2×2 cell drops from that cell only. A cell with no treated or no comparison unit is left out.
// - Event time e = t − g: θ(e) = Σ_g n_(g,e) ATT(g, g+e) / Σ_g n_(g,e), n = the cohort's units in the cell (the
//   cohort size in a balanced panel: the paper's "dynamic" aggregation). Only e in minEvent..maxEvent.
// - Overall: the average of θ(e) over e = 0..maxEvent weighted by the units behind each θ(e) — every treated
//   unit-month after adoption within the window counts once (= Σ n ATT / Σ n over the post-adoption cells).
// - Uncertainty: a nonparametric bootstrap clustered by unit: each replication draws the units with replacement
//   (all of a unit's months go together, so serial correlation within an establishment is kept), and recomputes
//   every cell, weight and aggregate. The standard error is the standard deviation of the replications and the
//   interval estimate ± z(1 − α/2) · se. Resampling is cheap here (each replication is a weighted sum over the
//   cells' precomputed differences), well inside the 2 s target for 120 units × 36 months × 499 replications, and
//   it carries the uncertainty of the weights without deriving influence functions.
// - Pre-trends: the pre-adoption θ(e), e in minEvent..−1, are tested jointly with a uniform (sup-t) bootstrap test:
//   p = share of replications whose max_e |θ*(e) − θ(e)| / se(e) reaches the observed max_e |θ(e)| / se(e).
//   Failed when p < α.
// - canTell is false with fewer than MIN_UNITS treated or comparison units, fewer than MIN_PRE_PERIODS months
//   before the earliest adoption, no estimate at all, or failed pre-trends.

export const MIN_UNITS = 5
export const MIN_PRE_PERIODS = 2

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

interface Cell {
  g: number
  t: number
  e: number
  /** indices of the treated units in the cell and their differences Y_t − Y_b */
  treated: Int32Array
  treatedDiff: Float64Array
  controls: Int32Array
  controlDiff: Float64Array
}

const mean = (xs: ArrayLike<number>) => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]!
  return s / xs.length
}

/** A weighted mean difference of one cell for bootstrap weights w (counts per unit); NaN when a side is empty. */
function cellWith(cell: Cell, w: Int32Array | null): { att: number; n: number } {
  let st = 0
  let nt = 0
  for (let k = 0; k < cell.treated.length; k++) {
    const c = w ? w[cell.treated[k]!]! : 1
    st += c * cell.treatedDiff[k]!
    nt += c
  }
  let sc = 0
  let nc = 0
  for (let k = 0; k < cell.controls.length; k++) {
    const c = w ? w[cell.controls[k]!]! : 1
    sc += c * cell.controlDiff[k]!
    nc += c
  }
  if (nt === 0 || nc === 0) return { att: NaN, n: 0 }
  return { att: st / nt - sc / nc, n: nt }
}

/** θ(e) for each event time and the overall post-adoption average, from the cells under weights w. */
function aggregate(
  cells: readonly Cell[],
  events: readonly number[],
  w: Int32Array | null,
): { theta: Float64Array; overall: number } {
  const num = new Float64Array(events.length)
  const den = new Float64Array(events.length)
  const first = events[0] ?? 0
  let on = 0
  let od = 0
  for (const cell of cells) {
    const { att, n } = cellWith(cell, w)
    if (n === 0) continue
    num[cell.e - first]! += n * att
    den[cell.e - first]! += n
    if (cell.e >= 0) {
      on += n * att
      od += n
    }
  }
  const theta = new Float64Array(events.length)
  for (let k = 0; k < events.length; k++) theta[k] = den[k]! > 0 ? num[k]! / den[k]! : NaN
  return { theta, overall: od > 0 ? on / od : NaN }
}

function standardDeviation(xs: readonly number[]): number {
  if (xs.length < 2) return NaN
  const m = mean(xs)
  let s = 0
  for (const x of xs) s += (x - m) ** 2
  return Math.sqrt(s / (xs.length - 1))
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error('normalQuantile: p must be in (0, 1)')
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lowTail = 0.02425
  if (p < lowTail) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    )
  }
  if (p > 1 - lowTail) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

const monthName = (period: number) => {
  const [y, m] = monthOfPeriod(period).split('-')
  return `${MONTHS[Number(m) - 1]} ${y}`
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

export function estimateStaggeredDid(input: DidInput): DidResult {
  const minEvent = input.minEvent ?? -6
  const maxEvent = input.maxEvent ?? 12
  const replications = input.bootstrap ?? 499
  const alpha = input.alpha ?? 0.05
  const control = input.control ?? 'notYetTreated'
  if (!Number.isInteger(minEvent) || !Number.isInteger(maxEvent) || minEvent > 0 || maxEvent < 0)
    throw new Error('estimateStaggeredDid: minEvent must be an integer ≤ 0 and maxEvent an integer ≥ 0')
  if (!Number.isInteger(replications) || replications < 2)
    throw new Error('estimateStaggeredDid: bootstrap must be at least 2')
  if (!(alpha > 0 && alpha < 1)) throw new Error('estimateStaggeredDid: alpha must be in (0, 1)')

  // The panel: units in the adoption map that have observations.
  const observed = input.observations.filter(o => input.adoption.has(o.unit) && Number.isFinite(o.y))
  const warnings: string[] = []
  const events: number[] = []
  for (let e = minEvent; e <= maxEvent; e++) events.push(e)
  const empty = (reason: string): DidResult => ({
    overall: null,
    eventTime: [],
    groupTime: [],
    pretrend: { failed: false, maxAbs: 0, p: null },
    design: { units: 0, treatedUnits: 0, controlUnits: 0, cohorts: 0, periods: 0, prePeriods: 0 },
    canTell: false,
    warnings: [reason],
  })
  if (observed.length === 0)
    return empty('There are no figures for the chosen establishments, so there is nothing to compare.')
  let first = Infinity
  let last = -Infinity
  for (const o of observed) {
    if (!Number.isInteger(o.period)) throw new Error('estimateStaggeredDid: periods must be integers')
    first = Math.min(first, o.period)
    last = Math.max(last, o.period)
  }
  const span = last - first + 1

  // Units: always-treated (adopted at or before the first period) are left out; adoption after the last period
  // counts as never treated.
  const unitIds = [...new Set(observed.map(o => o.unit))].filter(u => {
    const g = input.adoption.get(u)
    return g === null || g === undefined || g > first
  })
  unitIds.sort((x, y) => x - y)
  const indexOf = new Map(unitIds.map((u, i) => [u, i]))
  const n = unitIds.length
  const cohortOf = new Int32Array(n) // 0 = never treated within the window
  const Y = new Float64Array(n * span).fill(NaN)
  for (let i = 0; i < n; i++) {
    const g = input.adoption.get(unitIds[i]!)
    cohortOf[i] = g !== null && g !== undefined && g <= last ? g : 0
  }
  for (const o of observed) {
    const i = indexOf.get(o.unit)
    if (i !== undefined) Y[i * span + (o.period - first)] = o.y
  }
  const y = (i: number, period: number) => Y[i * span + (period - first)]!
  const cohorts = [...new Set(cohortOf.filter(g => g !== 0))].sort((p, q) => p - q)
  const treatedUnits = cohortOf.reduce((s, g) => s + (g !== 0 ? 1 : 0), 0)

  // The 2×2 cells.
  const cells: Cell[] = []
  const usedAsControl = new Set<number>()
  const noControls = new Map<number, number>() // cohort → first period with treated units but no comparison unit
  for (const g of cohorts) {
    for (let t = Math.max(first, g + minEvent); t <= Math.min(last, g + maxEvent); t++) {
      const b = t >= g ? g - 1 : t - 1
      if (b < first) continue
      const treated: number[] = []
      const treatedDiff: number[] = []
      const controls: number[] = []
      const controlDiff: number[] = []
      for (let i = 0; i < n; i++) {
        const gi = cohortOf[i]!
        const isTreated = gi === g
        const isControl = control === 'neverTreated' ? gi === 0 : gi === 0 || (gi > Math.max(t, b) && gi !== g)
        if (!isTreated && !isControl) continue
        const d = y(i, t) - y(i, b)
        if (Number.isNaN(d)) continue
        if (isTreated) {
          treated.push(i)
          treatedDiff.push(d)
        } else {
          controls.push(i)
          controlDiff.push(d)
        }
      }
      if (treated.length > 0 && controls.length === 0 && t >= g && !noControls.has(g)) noControls.set(g, t)
      if (treated.length === 0 || controls.length === 0) continue
      if (t >= g) for (const i of controls) usedAsControl.add(i)
      cells.push({
        g,
        t,
        e: t - g,
        treated: Int32Array.from(treated),
        treatedDiff: Float64Array.from(treatedDiff),
        controls: Int32Array.from(controls),
        controlDiff: Float64Array.from(controlDiff),
      })
    }
  }

  // Point estimates, then the clustered bootstrap.
  const point = aggregate(cells, events, null)
  const rng = new Random(input.seed ?? 1)
  const w = new Int32Array(n)
  const thetaReps: number[][] = events.map(() => [])
  const thetaRepsByRep: Float64Array[] = []
  const overallReps: number[] = []
  for (let r = 0; r < replications; r++) {
    w.fill(0)
    for (let k = 0; k < n; k++) w[rng.int(0, n - 1)]!++
    const rep = aggregate(cells, events, w)
    thetaRepsByRep.push(rep.theta)
    for (let k = 0; k < events.length; k++) if (!Number.isNaN(rep.theta[k]!)) thetaReps[k]!.push(rep.theta[k]!)
    if (!Number.isNaN(rep.overall)) overallReps.push(rep.overall)
  }
  const z = normalQuantile(1 - alpha / 2)
  const withInterval = (estimate: number, reps: readonly number[]): Estimate => {
    const se = standardDeviation(reps)
    const s = Number.isNaN(se) ? 0 : se
    return { estimate, se: s, lower: estimate - z * s, upper: estimate + z * s }
  }

  const eventTime: DidResult['eventTime'] = []
  const seOf = new Float64Array(events.length).fill(NaN)
  for (let k = 0; k < events.length; k++) {
    const theta = point.theta[k]!
    if (Number.isNaN(theta)) continue
    const inE = cells.filter(c => c.e === events[k])
    const est = withInterval(theta, thetaReps[k]!)
    seOf[k] = est.se
    eventTime.push({ e: events[k]!, cohorts: inE.length, units: inE.reduce((s, c) => s + c.treated.length, 0), ...est })
  }
  const overall = Number.isNaN(point.overall) ? null : withInterval(point.overall, overallReps)

  // Pre-trends: a uniform (sup-t) bootstrap test that every pre-adoption θ(e) is 0.
  const pre: number[] = []
  for (let k = 0; k < events.length; k++)
    if (events[k]! < 0 && !Number.isNaN(point.theta[k]!) && seOf[k]! > 0) pre.push(k)
  let pretrend: DidResult['pretrend'] = { failed: false, maxAbs: 0, p: null }
  if (pre.length > 0) {
    const observedMax = Math.max(...pre.map(k => Math.abs(point.theta[k]!) / seOf[k]!))
    let reached = 0
    for (const rep of thetaRepsByRep) {
      let m = 0
      for (const k of pre) {
        const v = rep[k]!
        if (!Number.isNaN(v)) m = Math.max(m, Math.abs(v - point.theta[k]!) / seOf[k]!)
      }
      if (m >= observedMax) reached++
    }
    const p = (1 + reached) / (1 + replications)
    pretrend = { failed: p < alpha, maxAbs: Math.max(...pre.map(k => Math.abs(point.theta[k]!))), p }
  }

  const prePeriods = cohorts.length > 0 ? cohorts[0]! - first : 0
  const design = {
    units: n,
    treatedUnits,
    controlUnits: usedAsControl.size,
    cohorts: cohorts.length,
    periods: span,
    prePeriods,
  }

  // Why the design cannot tell, in words.
  let canTell = true
  if (treatedUnits === 0) {
    canTell = false
    warnings.push('No establishment adopted the change within the months of figures, so there is nothing to compare.')
  } else if (treatedUnits < MIN_UNITS) {
    canTell = false
    warnings.push(
      `Only ${plural(treatedUnits, 'establishment', 'establishments')} adopted the change: with fewer than ${MIN_UNITS}, a difference could easily come from one establishment’s own circumstances.`,
    )
  }
  if (treatedUnits > 0 && usedAsControl.size === 0) {
    canTell = false
    warnings.push(
      'No establishment was left to compare with: every establishment had adopted the change by the time its effect could be measured.',
    )
  } else if (treatedUnits > 0 && usedAsControl.size < MIN_UNITS) {
    canTell = false
    warnings.push(
      `Only ${plural(usedAsControl.size, 'establishment', 'establishments')} could be compared with those that adopted the change: fewer than ${MIN_UNITS} is too few to say what would have happened without it.`,
    )
  }
  if (treatedUnits > 0 && prePeriods < MIN_PRE_PERIODS) {
    canTell = false
    warnings.push(
      `There ${prePeriods === 1 ? 'is only 1 month' : `are only ${prePeriods} months`} of figures before the first adoption (${monthName(cohorts[0]!)}): at least ${MIN_PRE_PERIODS} are needed to check that the establishments were moving in step beforehand.`,
    )
  }
  if (pretrend.failed) {
    canTell = false
    warnings.push(
      `Before adoption, the establishments that adopted were already moving differently from those compared with them (a difference of up to ${formatNumber(pretrend.maxAbs, pretrend.maxAbs)} in a month, p = ${formatP(pretrend.p!)}), so a change after adoption may not be due to it.`,
    )
  }
  for (const [g, t] of noControls)
    warnings.push(
      `For the establishments that adopted in ${monthName(g)}, no establishment was left to compare with from ${monthName(t)}, so those months are left out of the estimate.`,
    )
  if (treatedUnits > 0 && overall === null && usedAsControl.size > 0) {
    canTell = false
    warnings.push(
      'No month after adoption could be compared with an establishment that had not adopted, so there is no estimate.',
    )
  }

  return {
    overall,
    eventTime,
    groupTime: cells.map(c => ({
      g: c.g,
      t: c.t,
      att: cellWith(c, null).att,
      treated: c.treated.length,
      controls: c.controls.length,
    })),
    pretrend,
    design,
    canTell,
    warnings,
  }
}

/** A figure rounded to a precision the uncertainty supports (scale: the standard error or the figure itself). */
function formatNumber(x: number, scale: number): string {
  const s = Math.abs(scale)
  const decimals = s >= 1 || s === 0 ? 0 : s >= 0.1 ? 1 : s >= 0.01 ? 2 : 3
  const text = x.toFixed(decimals)
  return Number(text) === 0 ? (0).toFixed(decimals) : text
}

const formatP = (p: number) => (p < 0.001 ? 'below 0.001' : p.toFixed(3))

/** the naive two-way fixed effects coefficient on a treated-after-adoption dummy */
export function twoWayFixedEffects(
  observations: PanelObservation[],
  adoption: ReadonlyMap<number, number | null>,
): number | null {
  const rows = observations.filter(o => adoption.has(o.unit) && Number.isFinite(o.y))
  if (rows.length === 0) return null
  const units = new Map<number, number>()
  const periods = new Map<number, number>()
  for (const o of rows) {
    if (!units.has(o.unit)) units.set(o.unit, units.size)
    if (!periods.has(o.period)) periods.set(o.period, periods.size)
  }
  const m = rows.length
  const ui = Int32Array.from(rows, o => units.get(o.unit)!)
  const pi = Int32Array.from(rows, o => periods.get(o.period)!)
  const yy = Float64Array.from(rows, o => o.y)
  const dd = Float64Array.from(rows, o => {
    const g = adoption.get(o.unit)
    return g !== null && g !== undefined && o.period >= g ? 1 : 0
  })
  // Alternating projections: sweep out unit means, then period means, until nothing moves (exact in one pass on a
  // balanced panel; converges geometrically on an unbalanced one).
  const sweep = (v: Float64Array, index: Int32Array, groups: number): number => {
    const sum = new Float64Array(groups)
    const count = new Float64Array(groups)
    for (let k = 0; k < m; k++) {
      sum[index[k]!]! += v[k]!
      count[index[k]!]!++
    }
    let moved = 0
    for (let k = 0; k < m; k++) {
      const shift = sum[index[k]!]! / count[index[k]!]!
      v[k]! -= shift
      moved = Math.max(moved, Math.abs(shift))
    }
    return moved
  }
  for (const v of [yy, dd]) {
    for (let iteration = 0; iteration < 10_000; iteration++) {
      const a = sweep(v, ui, units.size)
      const b = sweep(v, pi, periods.size)
      if (Math.max(a, b) < 1e-12) break
    }
  }
  let sxy = 0
  let sxx = 0
  for (let k = 0; k < m; k++) {
    sxy += dd[k]! * yy[k]!
    sxx += dd[k]! * dd[k]!
  }
  return sxx > 1e-9 ? sxy / sxx : null
}

/** plain-language summary sentences for the report page and PDF */
export function summarise(
  result: DidResult,
  outcome: { name: string; higherIsBetter: boolean; unit?: string },
): string[] {
  const name = outcome.name.charAt(0).toUpperCase() + outcome.name.slice(1)
  // inside a sentence the name starts in lower case, unless its first word is an abbreviation ("QA scores")
  const inner = /^[A-Z][A-Z]/.test(outcome.name)
    ? outcome.name
    : outcome.name.charAt(0).toLowerCase() + outcome.name.slice(1)
  // a difference of percentages is in percentage points; a unit the name already says is not said twice
  const unit =
    outcome.unit === '%'
      ? ' percentage points'
      : outcome.unit && !outcome.name.endsWith(outcome.unit)
        ? ` ${outcome.unit}`
        : ''
  const sentences: string[] = []
  const o = result.overall
  if (!result.canTell) sentences.push(`The design cannot tell whether the change made a difference to ${inner}.`)
  sentences.push(...result.warnings)
  if (o === null) return sentences
  const months = result.eventTime.filter(e => e.e >= 0).length
  const fmt = (x: number) => formatNumber(x, o.se)
  const size = formatNumber(Math.abs(o.estimate), o.se)
  const direction =
    Number(size) === 0
      ? 'did not change'
      : o.estimate > 0
        ? `rose by about ${size}${unit}`
        : `fell by about ${size}${unit}`
  const when = `in the ${months === 1 ? 'month' : `${months} months`} after adoption`
  const interval = `(95% interval ${fmt(o.lower)} to ${fmt(o.upper)})`
  const compared = 'compared with establishments that had not adopted it by then'
  sentences.push(
    result.canTell
      ? `${name} ${direction} ${interval} ${when}, ${compared}.`
      : `For what it is worth, ${inner} ${direction} ${interval} ${when}, ${compared}; this should not be relied on.`,
  )
  if (result.canTell) {
    if (o.lower <= 0 && o.upper >= 0)
      sentences.push(
        'The interval includes no change at all, so the figures are consistent with the change having had no effect.',
      )
    else {
      const better = o.estimate > 0 === outcome.higherIsBetter
      sentences.push(
        better
          ? `The whole interval is on the side of improvement (for ${inner}, ${outcome.higherIsBetter ? 'higher' : 'lower'} is better).`
          : `The whole interval is on the side of things getting worse (for ${inner}, ${outcome.higherIsBetter ? 'higher' : 'lower'} is better).`,
      )
    }
    if (result.pretrend.p !== null)
      sentences.push(
        'Before adoption, the establishments that adopted and those compared with them moved in step (no difference beyond chance), which supports reading the difference after adoption as the effect of the change.',
      )
  }
  sentences.push(
    `Based on ${plural(result.design.treatedUnits, 'establishment', 'establishments')} that adopted it (in ${plural(result.design.cohorts, 'month', 'different months')}) and ${plural(result.design.controlUnits, 'establishment', 'establishments')} compared with them.`,
  )
  return sentences
}

/** before/after for one establishment: always with the warning that it cannot separate the change from everything else */
export function beforeAfter(
  observations: PanelObservation[],
  adoptionPeriod: number,
  window = 12,
): { before: number | null; after: number | null; difference: number | null; warning: string } {
  const before = observations
    .filter(o => o.period >= adoptionPeriod - window && o.period < adoptionPeriod)
    .map(o => o.y)
  const after = observations.filter(o => o.period >= adoptionPeriod && o.period < adoptionPeriod + window).map(o => o.y)
  const b = before.length > 0 ? mean(before) : null
  const a = after.length > 0 ? mean(after) : null
  return {
    before: b,
    after: a,
    difference: a !== null && b !== null ? a - b : null,
    warning:
      'A before-and-after comparison for one establishment cannot separate the effect of the change from everything else that changed at the same time (staff, the people in custody, national changes, the seasons): read it as a description, not as evidence that the change worked.',
  }
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
