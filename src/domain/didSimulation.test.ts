import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { estimateStaggeredDid, type PanelObservation } from './did'
import { simulatePanel } from './didSimulation'

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} is not ${b}`)
const y = (obs: PanelObservation[], unit: number, period: number) =>
  obs.find(o => o.unit === unit && o.period === period)!.y

describe('simulated panels', () => {
  // 8 units over 6 months from period 0: units 1–2 never adopt (a quarter), 3–5 adopt in month 2, 6–8 in month 4.
  // Effect: 10 × cohort + months since adoption + 1, so cohort 0 gets 1, 2, … and cohort 1 gets 11, 12, ….
  const options = {
    units: 8,
    periods: 6,
    start: 0,
    cohorts: [2, 4],
    neverTreatedShare: 0.25,
    effect: (c: number, e: number) => 10 * c + e + 1,
    noise: 0,
    maxEvent: 1,
    seed: 5,
  }
  const p = simulatePanel(options)

  it('rule: the adoption months, a quarter never adopting and the rest split between the cohorts in order', () => {
    assert.deepEqual(
      [...p.adoption],
      [
        [1, null],
        [2, null],
        [3, 2],
        [4, 2],
        [5, 2],
        [6, 4],
        [7, 4],
        [8, 4],
      ],
    )
    assert.equal(p.observations.length, 8 * 6)
  })

  it('rule: the planted effect is there, on top of the unit and month effects', () => {
    // with no noise, a unit's change against a never-adopter's change is the effect
    const did = (unit: number, t: number, base: number) =>
      y(p.observations, unit, t) -
      y(p.observations, unit, base) -
      (y(p.observations, 1, t) - y(p.observations, 1, base))
    close(did(3, 2, 1), 1)
    close(did(3, 3, 1), 2)
    close(did(6, 4, 3), 11)
    close(did(6, 5, 3), 12)
    close(did(6, 3, 2), 0) // before adoption: nothing
  })

  it('rule: the truth under the estimator’s aggregation, by hand', () => {
    // e = 0: (3 × 1 + 3 × 11) ÷ 6 = 6; e = 1: (3 × 2 + 3 × 12) ÷ 6 = 7; overall (3 + 33 + 6 + 36) ÷ 12 = 6.5
    assert.deepEqual(p.trueEventTime, [
      { e: 0, att: 6 },
      { e: 1, att: 7 },
    ])
    close(p.trueOverall, 6.5)
    const r = estimateStaggeredDid({ observations: p.observations, adoption: p.adoption, maxEvent: 1, bootstrap: 20 })
    close(r.overall!.estimate, 6.5)
  })

  it('rule: with no one never adopting, months from the last adoption on have no comparison and do not count', () => {
    const q = simulatePanel({ ...options, neverTreatedShare: 0 })
    // cohort 0 (units 1–4, month 2) only: e = 0 (month 2) and e = 1 (month 3); month 4 on, everyone has adopted
    assert.deepEqual(q.trueEventTime, [
      { e: 0, att: 1 },
      { e: 1, att: 2 },
    ])
    close(q.trueOverall, 1.5)
  })

  it('rule: the same seed, the same panel; missing cells and a pre-trend when asked', () => {
    assert.deepEqual(simulatePanel(options).observations, p.observations)
    const noisy = simulatePanel({ ...options, noise: 2, seed: 6 })
    assert.notDeepEqual(noisy.observations, simulatePanel({ ...options, noise: 2, seed: 7 }).observations)
    const holed = simulatePanel({ units: 100, periods: 10, missing: 0.3, seed: 1 })
    assert.ok(holed.observations.length > 600 && holed.observations.length < 800, String(holed.observations.length))
    const trend = simulatePanel({ ...options, effect: 0, preTrend: 0.5 })
    // unit 3 (adopting in month 2) rises 0.5 a month more than unit 1, throughout
    close(
      y(trend.observations, 3, 1) -
        y(trend.observations, 3, 0) -
        (y(trend.observations, 1, 1) - y(trend.observations, 1, 0)),
      0.5,
    )
    close(
      y(trend.observations, 3, 5) -
        y(trend.observations, 3, 4) -
        (y(trend.observations, 1, 5) - y(trend.observations, 1, 4)),
      0.5,
    )
  })
})
