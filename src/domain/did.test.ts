import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  beforeAfter,
  estimateStaggeredDid,
  monthOfPeriod,
  normalQuantile,
  periodOfMonth,
  summarise,
  twoWayFixedEffects,
  type DidResult,
  type PanelObservation,
} from './did'
import { simulatePanel } from './didSimulation'

const close = (a: number | undefined, b: number, eps = 1e-9) =>
  assert.ok(a !== undefined && Math.abs(a - b) < eps, `${a} is not ${b}`)

/** A panel from rows of figures: rows[unit - 1][period - start]; null = a missing cell. */
function panel(rows: (number | null)[][], start = 0): PanelObservation[] {
  const out: PanelObservation[] = []
  rows.forEach((row, u) =>
    row.forEach((y, t) => {
      if (y !== null) out.push({ unit: u + 1, period: start + t, y })
    }),
  )
  return out
}

const cell = (r: DidResult, g: number, t: number) => r.groupTime.find(c => c.g === g && c.t === t)
const event = (r: DidResult, e: number) => r.eventTime.find(x => x.e === e)

/**
 * A reference for two-way fixed effects that shares no code with did.ts: ordinary least squares of y on the
 * treated dummy, a dummy per unit and a dummy per period but the first, through the normal equations solved by
 * Gaussian elimination with partial pivoting. Returns the dummy's coefficient.
 */
function olsWithDummies(obs: PanelObservation[], adoption: ReadonlyMap<number, number | null>): number {
  const units = [...new Set(obs.map(o => o.unit))]
  const periods = [...new Set(obs.map(o => o.period))].sort((a, b) => a - b)
  const k = 1 + units.length + periods.length - 1
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  const xty = new Array<number>(k).fill(0)
  for (const o of obs) {
    const x = new Array<number>(k).fill(0)
    const g = adoption.get(o.unit)
    x[0] = g !== null && g !== undefined && o.period >= g ? 1 : 0
    x[1 + units.indexOf(o.unit)] = 1
    const p = periods.indexOf(o.period)
    if (p > 0) x[units.length + p] = 1
    for (let i = 0; i < k; i++) {
      xty[i]! += x[i]! * o.y
      for (let j = 0; j < k; j++) xtx[i]![j]! += x[i]! * x[j]!
    }
  }
  for (let c = 0; c < k; c++) {
    let pivot = c
    for (let r = c + 1; r < k; r++) if (Math.abs(xtx[r]![c]!) > Math.abs(xtx[pivot]![c]!)) pivot = r
    ;[xtx[c], xtx[pivot]] = [xtx[pivot]!, xtx[c]!]
    ;[xty[c], xty[pivot]] = [xty[pivot]!, xty[c]!]
    for (let r = 0; r < k; r++) {
      if (r === c) continue
      const f = xtx[r]![c]! / xtx[c]![c]!
      for (let j = c; j < k; j++) xtx[r]![j]! -= f * xtx[c]![j]!
      xty[r]! -= f * xty[c]!
    }
  }
  return xty[0]! / xtx[0]![0]!
}

describe('difference-in-differences: the 2×2 by hand', () => {
  // Two establishments, two months. Unit 1 adopts in month 1; unit 2 never does.
  //   unit 1: 10 → 16, a change of 6; unit 2: 8 → 11, a change of 3. ATT = 6 − 3 = 3.
  const observations = panel([
    [10, 16],
    [8, 11],
  ])
  const adoption = new Map([
    [1, 1],
    [2, null],
  ])

  it('rule: the effect is the treated change minus the comparison change', () => {
    const r = estimateStaggeredDid({ observations, adoption })
    assert.deepEqual(r.groupTime, [{ g: 1, t: 1, att: 3, treated: 1, controls: 1 }])
    close(r.overall!.estimate, 3)
    close(event(r, 0)!.estimate, 3)
    assert.equal(r.eventTime.length, 1, 'no pre-adoption month can be estimated: month 0 has no month before it')
    assert.deepEqual(r.design, { units: 2, treatedUnits: 1, controlUnits: 1, cohorts: 1, periods: 2, prePeriods: 1 })
  })

  it('rule: two-way fixed effects on a balanced 2×2 is the same 3', () => {
    close(twoWayFixedEffects(observations, adoption)!, 3)
  })

  it('rule: with so few units and one month before, the design cannot tell, and says why', () => {
    const r = estimateStaggeredDid({ observations, adoption })
    assert.equal(r.canTell, false)
    assert.deepEqual(r.warnings, [
      'Only 1 establishment adopted the change: with fewer than 5, a difference could easily come from one establishment’s own circumstances.',
      'Only 1 establishment could be compared with those that adopted the change: fewer than 5 is too few to say what would have happened without it.',
      'There is only 1 month of figures before the first adoption (February 2000): at least 2 are needed to check that the establishments were moving in step beforehand.',
    ])
    const words = summarise(r, { name: 'compliance', higherIsBetter: true, unit: 'percentage points' })
    assert.equal(words[0], 'The design cannot tell whether the change made a difference to compliance.')
    assert.deepEqual(words.slice(1, 4), r.warnings)
    assert.match(
      words[4]!,
      /^For what it is worth, compliance rose by about 3 percentage points .*should not be relied on\.$/,
    )
  })
})

describe('difference-in-differences: three cohorts by hand', () => {
  // months 0..4; unit 1 adopts in month 2, unit 2 in month 3, unit 3 in month 4, unit 4 never.
  const rows = [
    [1, 2, 5, 7, 8],
    [2, 3, 4, 8, 9],
    [0, 2, 3, 5, 10],
    [1, 1, 2, 3, 3],
  ]
  const adoption = new Map<number, number | null>([
    [1, 2],
    [2, 3],
    [3, 4],
    [4, null],
  ])
  const r = estimateStaggeredDid({ observations: panel(rows), adoption, minEvent: -3, maxEvent: 2, bootstrap: 50 })

  it('rule: after adoption, the base is the month before adoption; the comparison units have not adopted by t', () => {
    // g=2, t=2: unit 1: 5 − 2 = 3; not yet adopted by month 2: units 2 (4 − 3 = 1), 3 (3 − 2 = 1), 4 (2 − 1 = 1): 1.
    //   ATT = 3 − 1 = 2
    assert.deepEqual(cell(r, 2, 2), { g: 2, t: 2, att: 2, treated: 1, controls: 3 })
    // g=2, t=3: unit 1: 7 − 2 = 5; not yet adopted by month 3 (G > 3): unit 3 (5 − 2 = 3), unit 4 (3 − 1 = 2): 2.5.
    //   ATT = 2.5 (unit 2, adopting in month 3 itself, is no longer a comparison)
    assert.deepEqual(cell(r, 2, 3), { g: 2, t: 3, att: 2.5, treated: 1, controls: 2 })
    // g=2, t=4: unit 1: 8 − 2 = 6; only unit 4: 3 − 1 = 2. ATT = 4
    assert.deepEqual(cell(r, 2, 4), { g: 2, t: 4, att: 4, treated: 1, controls: 1 })
    // g=3, t=3: unit 2: 8 − 4 = 4; units 3 (5 − 3 = 2) and 4 (3 − 2 = 1): 1.5. ATT = 2.5
    assert.deepEqual(cell(r, 3, 3), { g: 3, t: 3, att: 2.5, treated: 1, controls: 2 })
    // g=3, t=4: unit 2: 9 − 4 = 5; unit 4: 3 − 2 = 1. ATT = 4
    assert.deepEqual(cell(r, 3, 4), { g: 3, t: 4, att: 4, treated: 1, controls: 1 })
    // g=4, t=4: unit 3: 10 − 5 = 5; unit 4: 3 − 3 = 0. ATT = 5
    assert.deepEqual(cell(r, 4, 4), { g: 4, t: 4, att: 5, treated: 1, controls: 1 })
  })

  it('rule: before adoption, each cell is the change from the month before (varying base), own cohort excluded', () => {
    // g=2, t=1 (base 0): unit 1: 2 − 1 = 1; G > 1 and not 2: units 2 (1), 3 (2), 4 (0): 1. ATT = 0
    assert.deepEqual(cell(r, 2, 1), { g: 2, t: 1, att: 0, treated: 1, controls: 3 })
    // g=4, t=3 (base 2): unit 3: 5 − 3 = 2; G > 3 and not 4: unit 4 only (3 − 2 = 1). ATT = 1
    assert.deepEqual(cell(r, 4, 3), { g: 4, t: 3, att: 1, treated: 1, controls: 1 })
    // g=4, t=2 (base 1): unit 3: 3 − 2 = 1; G > 2 and not 4: units 2 (4 − 3 = 1), 4 (2 − 1 = 1): 1. ATT = 0
    assert.deepEqual(cell(r, 4, 2), { g: 4, t: 2, att: 0, treated: 1, controls: 2 })
    // g=4, t=1 (base 0): unit 3: 2 − 0 = 2; units 1 (1), 2 (1), 4 (0): 2/3. ATT = 4/3
    close(cell(r, 4, 1)!.att, 4 / 3)
    assert.equal(cell(r, 4, 1)!.controls, 3)
    // month 0 has no month before it
    assert.equal(cell(r, 2, 0), undefined)
    assert.equal(r.groupTime.length, 12)
  })

  it('rule: event times average the cohorts by their units; overall averages months 0..maxEvent by units', () => {
    close(event(r, 0)!.estimate, (2 + 2.5 + 5) / 3)
    assert.equal(event(r, 0)!.cohorts, 3)
    assert.equal(event(r, 0)!.units, 3)
    close(event(r, 1)!.estimate, (2.5 + 4) / 2)
    close(event(r, 2)!.estimate, 4)
    close(event(r, -1)!.estimate, (0 + 0 + 1) / 3)
    close(event(r, -2)!.estimate, 0)
    close(event(r, -3)!.estimate, 4 / 3)
    // (3 × 9.5/3 + 2 × 6.5/2 + 1 × 4) ÷ 6 = 20/6
    close(r.overall!.estimate, 20 / 6)
    assert.deepEqual(
      r.eventTime.map(e => e.e),
      [-3, -2, -1, 0, 1, 2],
    )
  })

  it('rule: comparisons counted in the design are those of months after adoption', () => {
    // unit 1 is a comparison only before adoption (for cohort 4 in month 1); units 2, 3 and 4 after it too
    assert.deepEqual(r.design, { units: 4, treatedUnits: 3, controlUnits: 3, cohorts: 3, periods: 5, prePeriods: 2 })
  })

  it('rule: a cohort of two weighs twice as much as a cohort of one', () => {
    // unit 5 is a copy of unit 1 (adopting in month 2): cohort 2 has two units.
    // e = 0: (2 × 2 + 1 × 2.5 + 1 × 5) ÷ 4 = 2.875. Before adoption unit 5 is a comparison too:
    // g=4, t=1: unit 3: 2; units 1, 5, 2 (1 each), 4 (0): 0.75. ATT = 1.25
    const doubled = estimateStaggeredDid({
      observations: panel([...rows, rows[0]!]),
      adoption: new Map([...adoption, [5, 2]]),
      minEvent: -3,
      maxEvent: 2,
      bootstrap: 20,
    })
    close(event(doubled, 0)!.estimate, 2.875)
    assert.equal(event(doubled, 0)!.units, 4)
    assert.deepEqual(cell(doubled, 4, 1), { g: 4, t: 1, att: 1.25, treated: 1, controls: 4 })
    // overall: (4 × 2.875 + 3 × (2 × 2.5 + 4) ÷ 3 + 2 × 4) ÷ 9 = (11.5 + 9 + 8) ÷ 9
    close(doubled.overall!.estimate, 28.5 / 9)
  })

  it('rule: a month before adoption with no comparison is left out without a warning', () => {
    const holed = rows.map(row => [...row]) as (number | null)[][]
    holed[3]![0] = null // unit 4, the only never-treated, misses month 0
    const h = estimateStaggeredDid({ observations: panel(holed), adoption, control: 'neverTreated', bootstrap: 20 })
    assert.equal(cell(h, 2, 1), undefined)
    assert.equal(cell(h, 4, 1), undefined)
    assert.deepEqual(cell(h, 2, 2), { g: 2, t: 2, att: 2, treated: 1, controls: 1 })
    assert.ok(!h.warnings.some(w => w.includes('no establishment was left')), h.warnings.join('\n'))
  })

  it('rule: the event window limits the cells', () => {
    const narrow = estimateStaggeredDid({
      observations: panel(rows),
      adoption,
      minEvent: -1,
      maxEvent: 0,
      bootstrap: 20,
    })
    assert.deepEqual(
      narrow.groupTime.map(c => [c.g, c.t]),
      [
        [2, 1],
        [2, 2],
        [3, 2],
        [3, 3],
        [4, 3],
        [4, 4],
      ],
    )
    close(narrow.overall!.estimate, 9.5 / 3)
  })

  it('rule: with never-treated comparisons only, later adopters are not comparisons', () => {
    const never = estimateStaggeredDid({ observations: panel(rows), adoption, control: 'neverTreated', bootstrap: 20 })
    // g=2, t=2: 3 − (unit 4: 1) = 2; g=2, t=3: 5 − (unit 4: 3 − 1 = 2) = 3
    assert.deepEqual(cell(never, 2, 3), { g: 2, t: 3, att: 3, treated: 1, controls: 1 })
    assert.equal(cell(never, 2, 2)!.controls, 1)
  })

  it('rule: a unit missing a month drops from the cells that need that month only', () => {
    const holed = rows.map(row => [...row]) as (number | null)[][]
    holed[1]![0] = null // unit 2, month 0
    const h = estimateStaggeredDid({ observations: panel(holed), adoption, minEvent: -3, maxEvent: 2, bootstrap: 20 })
    // g=4, t=1 (base 0): unit 2 drops: units 1 (1) and 4 (0): 0.5. ATT = 2 − 0.5 = 1.5
    assert.deepEqual(cell(h, 4, 1), { g: 4, t: 1, att: 1.5, treated: 1, controls: 2 })
    // g=2, t=2 does not need month 0: unit 2 stays
    assert.equal(cell(h, 2, 2)!.controls, 3)
  })

  it('rule: when no comparison is left, those months are left out and the warning says so', () => {
    const cut = rows.map(row => [...row]) as (number | null)[][]
    cut[3]![4] = null // unit 4, the only comparison in month 4
    const c = estimateStaggeredDid({ observations: panel(cut), adoption, bootstrap: 20 })
    assert.equal(cell(c, 2, 4), undefined)
    assert.equal(cell(c, 4, 4), undefined)
    assert.ok(
      c.warnings.includes(
        'For the establishments that adopted in May 2000, no establishment was left to compare with from May 2000, so those months are left out of the estimate.',
      ),
      c.warnings.join('\n'),
    )
    assert.ok(c.warnings.some(w => w.startsWith('For the establishments that adopted in March 2000')))
  })

  it('rule: units not in the adoption map, adopting in the first month, or after the last month', () => {
    const extra = [
      ...panel(rows),
      ...[0, 1, 2, 3, 4].map(t => ({ unit: 9, period: t, y: 100 * t })), // not in the map: left out
      ...[0, 1, 2, 3, 4].map(t => ({ unit: 5, period: t, y: 50 * t })), // adopted in month 0: always treated
      ...[0, 1, 2, 3, 4].map(t => ({ unit: 6, period: t, y: 1 })), // adopts after the window: never treated here
    ]
    const map = new Map(adoption)
    map.set(5, 0)
    map.set(6, 9)
    const x = estimateStaggeredDid({ observations: extra, adoption: map, control: 'neverTreated', bootstrap: 20 })
    assert.deepEqual(x.design, { units: 5, treatedUnits: 3, controlUnits: 2, cohorts: 3, periods: 5, prePeriods: 2 })
    // g=2, t=3 against units 4 (2) and 6 (0): 5 − 1 = 4
    assert.deepEqual(cell(x, 2, 3), { g: 2, t: 3, att: 4, treated: 1, controls: 2 })
  })
})

describe('difference-in-differences: two-way fixed effects', () => {
  it('rule: on an unbalanced panel it equals least squares with unit and month dummies', () => {
    const obs = panel([
      [3, 5, 9, null, 12, 14],
      [2, null, 4, 7, 11, 10],
      [6, 7, 7, 8, null, 9],
      [1, 4, 2, 5, 6, 6],
      [null, 3, 5, 4, 6, 8],
    ])
    const adoption = new Map<number, number | null>([
      [1, 2],
      [2, 3],
      [3, null],
      [4, 5],
      [5, null],
    ])
    close(twoWayFixedEffects(obs, adoption)!, olsWithDummies(obs, adoption), 1e-8)
  })

  it('rule: nothing to estimate when no one is treated', () => {
    const obs = panel([
      [1, 2],
      [3, 4],
    ])
    assert.equal(
      twoWayFixedEffects(
        obs,
        new Map([
          [1, null],
          [2, null],
        ]),
      ),
      null,
    )
    assert.equal(twoWayFixedEffects([], new Map()), null)
  })

  it('Goodman-Bacon: with effects that grow, two-way fixed effects has the wrong sign; Callaway–Sant’Anna is right', () => {
    // Ten units: 1–5 adopt in month 2, 6–10 in month 6; months 0–9; y = unit + month + 2 × (months since adoption + 1)
    // after adoption. Every true effect is positive (2, 4, 6, …), but the late cohort's comparison with the early one
    // (already treated, its effect still growing) counts the growth against it.
    const obs: PanelObservation[] = []
    const adoption = new Map<number, number | null>()
    for (let u = 1; u <= 10; u++) {
      const g = u <= 5 ? 2 : 6
      adoption.set(u, g)
      for (let t = 0; t < 10; t++) obs.push({ unit: u, period: t, y: u + t + (t >= g ? 2 * (t - g + 1) : 0) })
    }
    const twfe = twoWayFixedEffects(obs, adoption)!
    close(twfe, olsWithDummies(obs, adoption), 1e-8)
    assert.ok(twfe < 0, `two-way fixed effects ${twfe}`)
    const r = estimateStaggeredDid({ observations: obs, adoption, minEvent: -2, maxEvent: 3, bootstrap: 50 })
    // the early cohort against the not-yet-treated late one: months 0..3 after adoption, effects 2, 4, 6, 8: mean 5
    close(r.overall!.estimate, 5)
    close(event(r, 3)!.estimate, 8)
    // the late cohort has no one left to compare with
    assert.ok(r.warnings.some(w => w.startsWith('For the establishments that adopted in July 2000')))
  })
})

describe('difference-in-differences: the bootstrap and the pre-trend test', () => {
  it('rule: a single 2×2 with many units has the textbook standard error of a difference of means', () => {
    // 40 treated and 40 comparison units; their changes are 0, 1, 2, 3 repeated (treated shifted by 5).
    // Each side: variance of the changes (divisor n) = 1.25, so se = √(1.25/40 + 1.25/40) = 0.25.
    const obs: PanelObservation[] = []
    const adoption = new Map<number, number | null>()
    for (let u = 1; u <= 80; u++) {
      const treated = u <= 40
      adoption.set(u, treated ? 1 : null)
      obs.push({ unit: u, period: 0, y: 10 })
      obs.push({ unit: u, period: 1, y: 10 + (u % 4) + (treated ? 5 : 0) })
    }
    const r = estimateStaggeredDid({ observations: obs, adoption, bootstrap: 999, seed: 3 })
    close(r.overall!.estimate, 5)
    assert.ok(Math.abs(r.overall!.se - 0.25) < 0.025, `se ${r.overall!.se}`)
    // the interval is estimate ± 1.96 se; with alpha 0.1, ± 1.645 se
    close(r.overall!.upper - 5, 1.959964 * r.overall!.se, 1e-5)
    close(5 - r.overall!.lower, 1.959964 * r.overall!.se, 1e-5)
    const r90 = estimateStaggeredDid({ observations: obs, adoption, bootstrap: 999, seed: 3, alpha: 0.1 })
    close(r90.overall!.upper - 5, 1.644854 * r90.overall!.se, 1e-5)
    // the same seed gives the same answer; another seed another draw
    assert.equal(
      estimateStaggeredDid({ observations: obs, adoption, bootstrap: 999, seed: 3 }).overall!.se,
      r.overall!.se,
    )
    assert.notEqual(
      estimateStaggeredDid({ observations: obs, adoption, bootstrap: 999, seed: 4 }).overall!.se,
      r.overall!.se,
    )
  })

  it('rule: the pre-trend test is a bootstrap test of the months before adoption only', () => {
    // 100 units adopt in month 2, 100 never do. From month 0 to 1 (before adoption) the comparison units change by
    // 0, 1, 2, 3 in turn and the adopters by the same + 0.35: θ(−1) = 0.35 with se √(1.25/100 + 1.25/100) = 0.158,
    // t = 2.21, two-sided p = 2 × (1 − Φ(2.21)) = 0.027. After adoption a large effect, 5, which must not enter the
    // test.
    const obs: PanelObservation[] = []
    const adoption = new Map<number, number | null>()
    for (let u = 1; u <= 200; u++) {
      const treated = u <= 100
      adoption.set(u, treated ? 2 : null)
      const step = (u % 4) + (treated ? 0.35 : 0)
      obs.push({ unit: u, period: 0, y: 10 })
      obs.push({ unit: u, period: 1, y: 10 + step })
      obs.push({ unit: u, period: 2, y: 10 + step + (u % 3) + (treated ? 5 : 0) })
    }
    const r = estimateStaggeredDid({ observations: obs, adoption, bootstrap: 1999, seed: 5 })
    close(event(r, -1)!.estimate, 0.35, 1e-9)
    close(r.pretrend.maxAbs, 0.35, 1e-9)
    assert.ok(r.pretrend.p! > 0.012 && r.pretrend.p! < 0.045, `p ${r.pretrend.p}`)
    assert.equal(r.pretrend.failed, true)
    // at α = 0.01 the same difference passes
    const strict = estimateStaggeredDid({ observations: obs, adoption, bootstrap: 1999, seed: 5, alpha: 0.01 })
    assert.equal(strict.pretrend.failed, false)
  })

  it('rule: the standard normal quantile', () => {
    close(normalQuantile(0.975), 1.959964, 1e-6)
    close(normalQuantile(0.5), 0, 1e-9)
    close(normalQuantile(0.01), -2.326348, 1e-6)
    close(normalQuantile(0.999), 3.090232, 1e-6)
    assert.throws(() => normalQuantile(1))
  })

  it('no effect: the interval covers 0, and the pre-trends pass', () => {
    const p = simulatePanel({ effect: 0, seed: 11 })
    const r = estimateStaggeredDid({ observations: p.observations, adoption: p.adoption, seed: 11 })
    assert.ok(r.overall!.lower < 0 && r.overall!.upper > 0, JSON.stringify(r.overall))
    assert.equal(r.pretrend.failed, false)
    assert.ok(r.pretrend.p! > 0.05)
    assert.equal(r.canTell, true)
    assert.deepEqual(r.warnings, [])
    assert.deepEqual(r.design, {
      units: 120,
      treatedUnits: 90,
      controlUnits: 97,
      cohorts: 4,
      periods: 36,
      prePeriods: 6,
    })
    assert.deepEqual(
      r.eventTime.map(e => e.e),
      [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    )
  })

  it('the planted heterogeneous effect is recovered within its interval; two-way fixed effects misses it', () => {
    const p = simulatePanel({ seed: 12 })
    // the truth: cohorts of 22 or 23 adopting in months 6, 12, 18 and 24 of 36, effect (2 − 0.4c)(1 + e/4)
    assert.ok(p.trueOverall > 3 && p.trueOverall < 4, String(p.trueOverall))
    const r = estimateStaggeredDid({ observations: p.observations, adoption: p.adoption, seed: 12 })
    const o = r.overall!
    assert.ok(o.lower <= p.trueOverall && p.trueOverall <= o.upper, `${JSON.stringify(o)} against ${p.trueOverall}`)
    assert.ok(Math.abs(o.estimate - p.trueOverall) < 0.6)
    assert.ok(o.se > 0.1 && o.se < 0.5, `se ${o.se}`)
    for (const { e, att } of p.trueEventTime) {
      const est = event(r, e)!
      assert.ok(Math.abs(est.estimate - att) < 4 * est.se, `e = ${e}: ${est.estimate} against ${att}`)
    }
    const twfe = twoWayFixedEffects(p.observations, p.adoption)!
    assert.ok(p.trueOverall - twfe > 1, `two-way fixed effects ${twfe} against ${p.trueOverall}`)
  })

  it('diverging trends before adoption fail the pre-trend test, and the design cannot tell', () => {
    // the adopters rise 1 a month more than the never-adopters, before and after adoption, with no effect at all
    const p = simulatePanel({ effect: 0, preTrend: 1, seed: 13 })
    const r = estimateStaggeredDid({
      observations: p.observations,
      adoption: p.adoption,
      seed: 13,
      control: 'neverTreated',
    })
    assert.equal(r.pretrend.failed, true)
    assert.ok(r.pretrend.p! < 0.01)
    for (const e of [-6, -5, -4, -3, -2, -1]) assert.ok(Math.abs(event(r, e)!.estimate - 1) < 0.5, `e = ${e}`)
    close(r.pretrend.maxAbs, Math.max(...r.eventTime.filter(x => x.e < 0).map(x => Math.abs(x.estimate))))
    assert.equal(r.canTell, false)
    assert.equal(r.warnings.length, 1)
    assert.match(r.warnings[0]!, /^Before adoption, the establishments that adopted were already moving differently/)
    const words = summarise(r, { name: 'compliance', higherIsBetter: true })
    assert.equal(words[0], 'The design cannot tell whether the change made a difference to compliance.')
    // against the not-yet-adopted (who share part of the trend) a steeper divergence is still caught
    const q = simulatePanel({ effect: 0, preTrend: 2, seed: 13 })
    assert.equal(
      estimateStaggeredDid({ observations: q.observations, adoption: q.adoption, seed: 13 }).pretrend.failed,
      true,
    )
  })

  it('missing months: a quarter of the cells missing still recovers a constant effect', () => {
    const p = simulatePanel({ effect: 3, missing: 0.25, seed: 14 })
    const r = estimateStaggeredDid({ observations: p.observations, adoption: p.adoption, seed: 14 })
    close(p.trueOverall, 3)
    assert.ok(r.overall!.lower <= 3 && 3 <= r.overall!.upper, JSON.stringify(r.overall))
  })

  it('bad options are refused', () => {
    const observations = panel([[1, 2]])
    const adoption = new Map([[1, 1]])
    assert.throws(() => estimateStaggeredDid({ observations, adoption, minEvent: 1 }), /minEvent/)
    assert.throws(() => estimateStaggeredDid({ observations, adoption, maxEvent: -1 }), /maxEvent/)
    assert.throws(() => estimateStaggeredDid({ observations, adoption, bootstrap: 1 }), /bootstrap/)
    assert.throws(() => estimateStaggeredDid({ observations, adoption, alpha: 1 }), /alpha/)
    assert.throws(() => estimateStaggeredDid({ observations: [{ unit: 1, period: 0.5, y: 1 }], adoption }), /integers/)
  })

  it('no figures, or no one adopting: nothing to estimate, in words', () => {
    const none = estimateStaggeredDid({ observations: [], adoption: new Map() })
    assert.equal(none.overall, null)
    assert.equal(none.canTell, false)
    assert.deepEqual(none.warnings, [
      'There are no figures for the chosen establishments, so there is nothing to compare.',
    ])
    const noAdopter = estimateStaggeredDid({
      observations: panel([
        [1, 2, 3],
        [2, 3, 4],
      ]),
      adoption: new Map([
        [1, null],
        [2, null],
      ]),
    })
    assert.equal(noAdopter.overall, null)
    assert.deepEqual(noAdopter.warnings, [
      'No establishment adopted the change within the months of figures, so there is nothing to compare.',
    ])
    assert.deepEqual(summarise(noAdopter, { name: 'compliance', higherIsBetter: true }), [
      'The design cannot tell whether the change made a difference to compliance.',
      'No establishment adopted the change within the months of figures, so there is nothing to compare.',
    ])
  })

  it('everyone adopting at once: no comparison at all', () => {
    const obs = panel([
      [1, 2, 3, 4],
      [2, 3, 4, 5],
      [1, 1, 5, 6],
      [2, 2, 3, 4],
      [0, 1, 2, 3],
    ])
    const adoption = new Map([1, 2, 3, 4, 5].map(u => [u, 2] as [number, number]))
    const r = estimateStaggeredDid({ observations: obs, adoption, bootstrap: 20 })
    assert.equal(r.overall, null)
    assert.equal(r.canTell, false)
    assert.ok(
      r.warnings.includes(
        'No establishment was left to compare with: every establishment had adopted the change by the time its effect could be measured.',
      ),
    )
  })
})

describe('difference-in-differences: words', () => {
  const base: DidResult = {
    overall: { estimate: 6.2, se: 1.5, lower: 3.26, upper: 9.14 },
    // two months before adoption and twelve after
    eventTime: Array.from({ length: 14 }, (_, k) => ({
      e: k - 2,
      cohorts: 2,
      units: 20,
      estimate: 6,
      se: 1,
      lower: 4,
      upper: 8,
    })),
    groupTime: [],
    pretrend: { failed: false, maxAbs: 0.4, p: 0.6 },
    design: { units: 40, treatedUnits: 20, controlUnits: 20, cohorts: 2, periods: 36, prePeriods: 12 },
    canTell: true,
    warnings: [],
  }

  it('rule: a rise, its interval, the months, and what it is compared with', () => {
    assert.deepEqual(summarise(base, { name: 'compliance', higherIsBetter: true, unit: 'percentage points' }), [
      'Compliance rose by about 6 percentage points (95% interval 3 to 9) in the 12 months after adoption, compared with establishments that had not adopted it by then.',
      'The whole interval is on the side of improvement (for compliance, higher is better).',
      'Before adoption, the establishments that adopted and those compared with them moved in step (no difference beyond chance), which supports reading the difference after adoption as the effect of the change.',
      'Based on 20 establishments that adopted it (in 2 different months) and 20 establishments compared with them.',
    ])
  })

  it('rule: names inside a sentence in lower case, abbreviations kept; a unit the name says is not repeated', () => {
    const words = summarise(base, { name: 'Compliance', higherIsBetter: true })
    assert.equal(words[1], 'The whole interval is on the side of improvement (for compliance, higher is better).')
    const qa = summarise({ ...base, canTell: false }, { name: 'QA scores', higherIsBetter: true })
    assert.equal(qa[0], 'The design cannot tell whether the change made a difference to QA scores.')
    assert.match(qa[1]!, /^For what it is worth, QA scores rose by about 6 /)
    const counts = summarise(base, {
      name: 'Violent incidents per 1,000 prisoners',
      higherIsBetter: false,
      unit: 'per 1,000 prisoners',
    })
    assert.match(counts[0]!, /^Violent incidents per 1,000 prisoners rose by about 6 \(95% interval 3 to 9\)/)
    const other = summarise(base, { name: 'Adjudications', higherIsBetter: false, unit: 'per 1,000 prisoners' })
    assert.match(other[0]!, /^Adjudications rose by about 6 per 1,000 prisoners \(95%/)
  })

  it('rule: a difference of percentages is in percentage points', () => {
    assert.match(
      summarise(base, { name: 'compliance', higherIsBetter: true, unit: '%' })[0]!,
      /^Compliance rose by about 6 percentage points \(95% interval 3 to 9\)/,
    )
  })

  it('rule: a fall when lower is better is an improvement; rounding follows the standard error', () => {
    const r: DidResult = {
      ...base,
      overall: { estimate: -0.84, se: 0.3, lower: -1.43, upper: -0.25 },
      eventTime: base.eventTime.filter(e => e.e <= 0),
      design: { ...base.design, treatedUnits: 1, cohorts: 1, controlUnits: 1 },
    }
    const words = summarise(r, { name: 'violent incidents per 1,000 prisoners', higherIsBetter: false })
    assert.equal(
      words[0],
      'Violent incidents per 1,000 prisoners fell by about 0.8 (95% interval -1.4 to -0.3) in the month after adoption, compared with establishments that had not adopted it by then.',
    )
    assert.equal(
      words[1],
      'The whole interval is on the side of improvement (for violent incidents per 1,000 prisoners, lower is better).',
    )
    assert.equal(
      words[3],
      'Based on 1 establishment that adopted it (in 1 month) and 1 establishment compared with them.',
    )
    const worse = summarise(r, { name: 'compliance', higherIsBetter: true })
    assert.equal(
      worse[1],
      'The whole interval is on the side of things getting worse (for compliance, higher is better).',
    )
  })

  it('rule: an interval that includes 0 says the figures are consistent with no effect', () => {
    const r: DidResult = { ...base, overall: { estimate: 0.004, se: 0.04, lower: -0.06, upper: 0.1 } }
    const words = summarise(r, { name: 'compliance', higherIsBetter: true })
    assert.equal(
      words[0],
      'Compliance did not change (95% interval -0.06 to 0.10) in the 12 months after adoption, compared with establishments that had not adopted it by then.',
    )
    const rise: DidResult = { ...base, overall: { estimate: 0.02, se: 0.04, lower: -0.06, upper: 0.1 } }
    assert.match(summarise(rise, { name: 'compliance', higherIsBetter: true })[0]!, /^Compliance rose by about 0.02 /)
    assert.equal(
      words[1],
      'The interval includes no change at all, so the figures are consistent with the change having had no effect.',
    )
    const small: DidResult = { ...base, overall: { estimate: 0.04, se: 0.01, lower: 0.02, upper: 0.06 } }
    assert.match(
      summarise(small, { name: 'x', higherIsBetter: true })[0]!,
      /^X rose by about 0.04 \(95% interval 0.02 to 0.06\)/,
    )
    const tiny: DidResult = { ...base, overall: { estimate: 0.0042, se: 0.005, lower: -0.0056, upper: 0.014 } }
    assert.match(
      summarise(tiny, { name: 'x', higherIsBetter: true })[0]!,
      /^X rose by about 0.004 \(95% interval -0.006 to 0.014\)/,
    )
  })

  it('rule: with no pre-adoption months to test, the summary does not claim they moved in step', () => {
    const r: DidResult = { ...base, pretrend: { failed: false, maxAbs: 0, p: null } }
    const words = summarise(r, { name: 'compliance', higherIsBetter: true })
    assert.ok(!words.some(w => w.startsWith('Before adoption')))
  })
})

describe('difference-in-differences: before and after one establishment', () => {
  it('rule: the means of the window either side, always with the warning', () => {
    // adoption in period 10, window 3: before = periods 7, 8, 9 = (4 + 5 + 6) ÷ 3 = 5; after = periods 10, 11, 12 =
    // (7 + 8 + 9) ÷ 3 = 8; periods 5, 6 (2, 4) and 13 (40) are outside the window
    const obs = [5, 6, 7, 8, 9, 10, 11, 12, 13].map((p, k) => ({
      unit: 1,
      period: p,
      y: [2, 4, 4, 5, 6, 7, 8, 9, 40][k]!,
    }))
    const b = beforeAfter(obs, 10, 3)
    assert.deepEqual(
      { before: b.before, after: b.after, difference: b.difference },
      { before: 5, after: 8, difference: 3 },
    )
    assert.match(b.warning, /cannot separate the effect of the change from everything else/)
    const none = beforeAfter([], 10)
    assert.deepEqual(
      { before: none.before, after: none.after, difference: none.difference },
      { before: null, after: null, difference: null },
    )
    assert.match(none.warning, /not as evidence that the change worked/)
    // the default window is 12 months: period 9 − 12 = −3 … 9
    assert.equal(
      beforeAfter(
        [
          { unit: 1, period: -3, y: 1 },
          { unit: 1, period: -4, y: 100 },
        ],
        9,
      ).before,
      1,
    )
  })
})

describe('months and periods', () => {
  it('rule: months since January 2000', () => {
    assert.equal(periodOfMonth('2000-01'), 0)
    assert.equal(periodOfMonth('2024-03'), 24 * 12 + 2)
    assert.equal(monthOfPeriod(24 * 12 + 2), '2024-03')
    assert.equal(monthOfPeriod(11), '2000-12')
    assert.equal(monthOfPeriod(-1), '1999-12')
    assert.throws(() => periodOfMonth('2024-3'))
  })
})
