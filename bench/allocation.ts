// npm run bench -- allocation [--json] [--seed N] [--establishments N] [--national-prisoners N]
//
// Allocates Key Workers in generated establishments with the optimal engine and the greedy baseline (today's
// Ministry of Justice tool) and compares them: a Category B local (1,200 prisoners, 200 officers) and a national
// run (120 establishments, ~88,000 prisoners, each establishment solved on its own). Times are wall-clock on a
// shared machine: the targets are 1 s for the local and 60 s for the national run.
import { parseArgs } from 'node:util'
import {
  type AllocationInput,
  type AllocationResult,
  type Strategy,
  allocate,
  isEligibleOfficer,
  roomOf,
} from '../src/domain/allocation'
import { CATEGORY_B_LOCAL, generateEstablishment } from '../src/domain/allocation/generate'
import { Scorer } from '../src/domain/allocation/scoring'
import { Random, deriveSeed } from '../src/domain/random'

interface Tally {
  prisoners: number
  allocated: number
  unallocated: number
  capacityViolations: number
  continuityEligible: number
  continuityKept: number
  withHouseblock: number
  sameHouseblock: number
  interpreterNeeded: number
  languageMatch: number
  spreads: number[]
  ms: number
}

export interface AllocationBenchResult {
  bench: 'allocation'
  scenario: string
  strategy: Strategy
  establishments: number
  prisoners: number
  allocated: number
  unallocated: number
  capacityViolations: number
  /** % of prisoners whose previous Key Worker is active and has room who keep them */
  continuityKept: number
  /** % of allocated prisoners (with a houseblock) whose Key Worker's home houseblock is theirs */
  sameHouseblock: number
  /** % of allocated prisoners needing an interpreter whose Key Worker speaks their language */
  languageMatch: number
  /** max − min of load/capacity across Key Workers (worst establishment for the national run) */
  loadSpread: number
  meanLoadSpread: number
  ms: number
}

const TARGET = { localMs: 1000, nationalMs: 60_000 }

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      seed: { type: 'string', default: '2025' },
      establishments: { type: 'string', default: '120' },
      'national-prisoners': { type: 'string', default: '88000' },
    },
  })
  const seed = Number(values.seed)
  const count = Number(values.establishments)
  const nationalPrisoners = Number(values['national-prisoners'])
  if (![seed, count, nationalPrisoners].every(n => Number.isInteger(n) && n >= 0)) {
    throw new Error('--seed, --establishments and --national-prisoners must be whole numbers')
  }
  const log = (line: string) => {
    if (!values.json) console.error(line)
  }

  const results: AllocationBenchResult[] = []
  const emit = (r: AllocationBenchResult) => {
    results.push(r)
    if (values.json) console.log(JSON.stringify(r))
  }

  log('Category B local: 1,200 prisoners, 200 officers…')
  const local = [generateEstablishment(seed)]
  for (const strategy of ['optimal', 'greedy'] as const) emit(summarise('Category B local', strategy, local))

  log(`National: ${count} establishments, ~${nationalPrisoners.toLocaleString('en-GB')} prisoners…`)
  const national = nationalEstate(seed, count, nationalPrisoners)
  for (const strategy of ['optimal', 'greedy'] as const) emit(summarise('National', strategy, national))

  if (!values.json) printTable(results)
}

/** Establishments of varied size (small open prisons to large locals) adding up to about the national population. */
function nationalEstate(seed: number, count: number, total: number): AllocationInput[] {
  const rng = new Random(deriveSeed(seed, 9999))
  const raw = Array.from({ length: count }, () => 0.25 + rng.next() * 1.75)
  const sum = raw.reduce((a, b) => a + b, 0)
  return raw.map((r, i) => {
    const prisoners = Math.max(50, Math.round((r / sum) * total))
    return generateEstablishment(deriveSeed(seed, i), {
      ...CATEGORY_B_LOCAL,
      prisoners,
      officers: Math.max(8, Math.round(prisoners / 6)),
      houseblocks: Math.max(2, Math.round(prisoners / 150)),
    })
  })
}

function summarise(scenario: string, strategy: Strategy, inputs: AllocationInput[]): AllocationBenchResult {
  const t: Tally = {
    prisoners: 0,
    allocated: 0,
    unallocated: 0,
    capacityViolations: 0,
    continuityEligible: 0,
    continuityKept: 0,
    withHouseblock: 0,
    sameHouseblock: 0,
    interpreterNeeded: 0,
    languageMatch: 0,
    spreads: [],
    ms: 0,
  }
  for (const input of inputs) {
    const start = performance.now()
    const result = allocate(input, { strategy })
    t.ms += performance.now() - start
    measure(input, result, t)
  }
  const pct = (a: number, b: number) => (b === 0 ? 0 : (100 * a) / b)
  return {
    bench: 'allocation',
    scenario,
    strategy,
    establishments: inputs.length,
    prisoners: t.prisoners,
    allocated: t.allocated,
    unallocated: t.unallocated,
    capacityViolations: t.capacityViolations,
    continuityKept: pct(t.continuityKept, t.continuityEligible),
    sameHouseblock: pct(t.sameHouseblock, t.withHouseblock),
    languageMatch: pct(t.languageMatch, t.interpreterNeeded),
    loadSpread: Math.max(...t.spreads),
    meanLoadSpread: t.spreads.reduce((a, b) => a + b, 0) / t.spreads.length,
    ms: t.ms,
  }
}

function measure(input: AllocationInput, result: AllocationResult, t: Tally): void {
  const scorer = new Scorer(input)
  const officerOf = new Map(result.pairs.map(p => [p.prisonerId, p.officerId]))
  const load = new Map(input.officers.map(o => [o.id, o.currentLoad]))
  for (const pair of result.pairs) load.set(pair.officerId, load.get(pair.officerId)! + 1)
  const eligibleOfficers = input.officers.filter(o => isEligibleOfficer(o) && o.capacity > 0)
  t.capacityViolations += eligibleOfficers.filter(o => load.get(o.id)! > o.capacity).length
  const ratios = eligibleOfficers.map(o => load.get(o.id)! / o.capacity)
  t.spreads.push(ratios.length === 0 ? 0 : Math.max(...ratios) - Math.min(...ratios))
  t.prisoners += input.prisoners.length
  t.allocated += result.pairs.length
  t.unallocated += input.prisoners.filter(p => !p.excluded && !officerOf.has(p.id)).length
  for (const p of input.prisoners) {
    if (p.excluded) continue
    const previous = scorer.eligiblePrevious(p)[0]
    if (previous !== undefined && roomOf(scorer.officers.get(previous)!) > 0) {
      t.continuityEligible++
      if (officerOf.get(p.id) === previous) t.continuityKept++
    }
    const officerId = officerOf.get(p.id)
    if (officerId === undefined) continue
    const o = scorer.officers.get(officerId)!
    if (p.unitCode !== null) {
      t.withHouseblock++
      if (scorer.sameUnit(p, o)) t.sameHouseblock++
    }
    if (p.interpreterNeeded) {
      t.interpreterNeeded++
      if (scorer.sharedLanguage(p, o)) t.languageMatch++
    }
  }
}

function printTable(results: AllocationBenchResult[]): void {
  const n = (v: number, d = 0) => v.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d })
  const head = [
    'scenario',
    'strategy',
    'prisoners',
    'allocated',
    'unallocated',
    'over capacity',
    'continuity kept',
    'same houseblock',
    'language match',
    'load spread (max/mean)',
    'time ms',
  ]
  const rows = results.map(r => [
    r.scenario,
    r.strategy,
    n(r.prisoners),
    n(r.allocated),
    n(r.unallocated),
    n(r.capacityViolations),
    `${n(r.continuityKept, 1)}%`,
    `${n(r.sameHouseblock, 1)}%`,
    `${n(r.languageMatch, 1)}%`,
    `${n(r.loadSpread, 2)} / ${n(r.meanLoadSpread, 2)}`,
    n(r.ms),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`\n${line(head)}\n${line(widths.map(w => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`)

  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  for (const scenario of ['Category B local', 'National']) {
    const o = results.find(r => r.scenario === scenario && r.strategy === 'optimal')
    const g = results.find(r => r.scenario === scenario && r.strategy === 'greedy')
    if (!o || !g) continue
    const limit = scenario === 'National' ? TARGET.nationalMs : TARGET.localMs
    console.log(
      `${scenario}: optimal over capacity 0 (${mark(o.capacityViolations === 0)}), ` +
        `load spread ≤ greedy (${mark(o.loadSpread <= g.loadSpread)}), ` +
        `time ≤ ${n(limit / 1000)} s (${mark(o.ms <= limit)})`,
    )
  }
}
