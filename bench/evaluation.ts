// npm run bench -- evaluation [--json] [--simulations N] [--units N] [--periods N] [--bootstrap N] [--seed N]
//                             [--effect dynamic|constant|none] [--control notYetTreated|neverTreated]
//
// The trial evaluation method (src/domain/did.ts) on simulated panels (src/domain/didSimulation.ts): 120
// establishments × 36 months, four adoption cohorts (months 6, 12, 18 and 24) and a quarter never adopting, a planted
// heterogeneous and dynamic effect (larger for early cohorts, growing with time since adoption), unit and month
// effects and AR(1) noise within an establishment. Over `--simulations` panels: the bias of the Callaway–Sant'Anna
// overall effect (0..12 months after adoption) against the truth under the same aggregation, the coverage of its 95%
// interval (target 93–97%), the time of one estimate including the clustered bootstrap (target ≤ 2 s), and the naive
// two-way fixed effects coefficient's bias beside it.
import { parseArgs } from 'node:util'
import { estimateStaggeredDid, twoWayFixedEffects } from '../src/domain/did'
import { DYNAMIC_EFFECT, simulatePanel } from '../src/domain/didSimulation'
import { deriveSeed } from '../src/domain/random'

const COVERAGE = [0.93, 0.97] as const
const TARGET_MS = 2000

export interface EvaluationResult {
  bench: 'evaluation'
  measure: string
  simulations: number
  units: number
  periods: number
  bootstrap: number
  effect: string
  trueOverall: number
  bias: number
  /** root mean square error */
  rmse: number
  coverage: number | null
  /** the mean of the bootstrap standard errors (to set beside the RMSE) */
  meanSe: number | null
  medianMs: number | null
  maxMs: number | null
  target: string
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      simulations: { type: 'string', default: '500' },
      units: { type: 'string', default: '120' },
      periods: { type: 'string', default: '36' },
      bootstrap: { type: 'string', default: '499' },
      seed: { type: 'string', default: '17' },
      effect: { type: 'string', default: 'dynamic' },
      control: { type: 'string', default: 'notYetTreated' },
    },
  })
  const simulations = Number(values.simulations)
  const units = Number(values.units)
  const periods = Number(values.periods)
  const bootstrap = Number(values.bootstrap)
  const seed = Number(values.seed)
  const control = values.control === 'neverTreated' ? 'neverTreated' : 'notYetTreated'
  const effect = values.effect === 'constant' ? 3 : values.effect === 'none' ? 0 : DYNAMIC_EFFECT
  const say = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : console.log(line))
  say(
    `evaluation: ${simulations} simulated panels of ${units} establishments × ${periods} months, ${values.effect} ` +
      `effect, ${bootstrap} bootstrap replications clustered by establishment, ${control} comparisons…`,
  )

  const cs: { error: number; covered: boolean; se: number; ms: number }[] = []
  const twfe: number[] = []
  let truth = 0
  for (let k = 0; k < simulations; k++) {
    const panel = simulatePanel({ units, periods, effect, seed: deriveSeed(seed, k) })
    truth = panel.trueOverall
    const t = performance.now()
    const r = estimateStaggeredDid({
      observations: panel.observations,
      adoption: panel.adoption,
      bootstrap,
      seed: deriveSeed(seed + 1, k),
      control,
    })
    const ms = performance.now() - t
    if (r.overall) {
      cs.push({
        error: r.overall.estimate - panel.trueOverall,
        covered: r.overall.lower <= panel.trueOverall && panel.trueOverall <= r.overall.upper,
        se: r.overall.se,
        ms,
      })
    }
    const b = twoWayFixedEffects(panel.observations, panel.adoption)
    if (b !== null) twfe.push(b - panel.trueOverall)
  }
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  const rmse = (xs: number[]) => Math.sqrt(avg(xs.map(x => x * x)))
  const times = cs.map(c => c.ms).sort((a, b) => a - b)
  const median = times.length ? times[Math.floor((times.length - 1) / 2)]! : null
  const coverage = cs.filter(c => c.covered).length / cs.length
  const results: EvaluationResult[] = [
    {
      bench: 'evaluation',
      measure: 'Callaway–Sant’Anna',
      simulations: cs.length,
      units,
      periods,
      bootstrap,
      effect: values.effect!,
      trueOverall: round(truth),
      bias: round(avg(cs.map(c => c.error))),
      rmse: round(rmse(cs.map(c => c.error))),
      coverage: round(coverage),
      meanSe: round(avg(cs.map(c => c.se))),
      medianMs: median === null ? null : Math.round(median),
      maxMs: times.length ? Math.round(times[times.length - 1]!) : null,
      target: `coverage ${COVERAGE[0] * 100}–${COVERAGE[1] * 100}%, ≤ ${TARGET_MS} ms`,
    },
    {
      bench: 'evaluation',
      measure: 'two-way fixed effects',
      simulations: twfe.length,
      units,
      periods,
      bootstrap: 0,
      effect: values.effect!,
      trueOverall: round(truth),
      bias: round(avg(twfe)),
      rmse: round(rmse(twfe)),
      coverage: null,
      meanSe: null,
      medianMs: null,
      maxMs: null,
      target: 'none: the naive estimate, for comparison',
    },
  ]
  let failed = false
  const [c, t] = results
  const met = coverage >= COVERAGE[0] && coverage <= COVERAGE[1] && (median ?? Infinity) <= TARGET_MS
  if (!met) failed = true
  if (values.json) for (const r of results) console.log(JSON.stringify(r))
  else {
    say(
      `  ${c!.measure.padEnd(22)} true effect ${c!.trueOverall}: bias ${c!.bias}, RMSE ${c!.rmse}, mean standard error ${c!.meanSe}, coverage of the 95% ` +
        `interval ${(coverage * 100).toFixed(1)}%, one estimate median ${c!.medianMs} ms, max ${c!.maxMs} ms — target ` +
        `${c!.target} ${met ? 'met' : 'MISSED'}`,
    )
    say(`  ${t!.measure.padEnd(22)} true effect ${t!.trueOverall}: bias ${t!.bias}, RMSE ${t!.rmse}`)
  }
  if (failed) process.exitCode = 1
}

const round = (x: number) => Math.round(x * 1000) / 1000
