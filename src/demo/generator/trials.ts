/**
 * The trials demo (issue 17), deterministic: two interventions adopted by different establishments at different
 * months (staggered adoption), and a year and a half of monthly outcome counts from outside keywork.
 *
 * - "Key Worker hub opened": half the establishments (by id, the second and third of each four) open a hub, in turn
 *   8, 6 and 4 months before this month; from the first day of its month the chance that a due session is delivered
 *   rises by HUB_UPLIFT (a planted effect on compliance, which the history generator applies:
 *   src/demo/generator/history.ts). Compared with every establishment that did not open one. The first
 *   establishment (Leeds, where the demo's users work) keeps its history as it was.
 * - "New guide version briefing": the first of each four adopt it 7, 5 and 3 months back; it has no effect at all. It
 *   is compared with the fourth of each four (chosen), so that no hub's effect leaks into its comparison; a demo of
 *   fewer than four establishments has none of those, and compares with all the others.
 * - Monthly violence, self-harm and adjudication counts for every establishment, Poisson around a rate per 1,000
 *   prisoners of its own (violence 15-35, self-harm 20-60, adjudications 100-250 a month), with the population that
 *   month; neither intervention changes them.
 *
 * Pure: no I/O.
 */
import { Random, deriveSeed } from '../../domain/random'

/** what opening a hub adds to the chance that a due session is delivered */
export const HUB_UPLIFT = 0.15
/** months of outcome counts, ending last month */
export const COUNT_MONTHS = 18

export interface DemoTrial {
  name: string
  kind: 'key_worker_hub' | 'guide_version'
  description: string
  adoptions: { establishmentId: number; startDate: string }[]
  /** the chosen comparison establishments (empty: every establishment that did not adopt) */
  comparisons: number[]
  outcomes: string[]
  /** the planted rise in the chance of delivery after adoption (0: none) */
  delivered: number
}

/** 'YYYY-MM' `months` months before the month of `today` ('YYYY-MM-DD'). */
export function monthBefore(today: string, months: number): string {
  const k = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - months
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}

/** The two interventions for the establishments given (their ids), as of `today`. */
export function demoTrials(establishmentIds: readonly number[], today: string): DemoTrial[] {
  const ids = [...establishmentIds].sort((a, b) => a - b)
  const staggered = (adopts: (i: number) => boolean, monthsBack: readonly number[]) => {
    const out: { establishmentId: number; startDate: string }[] = []
    ids.forEach((id, i) => {
      if (!adopts(i)) return
      out.push({
        establishmentId: id,
        startDate: `${monthBefore(today, monthsBack[out.length % monthsBack.length]!)}-01`,
      })
    })
    return out
  }
  return [
    {
      name: 'Key Worker hub opened',
      kind: 'key_worker_hub',
      description:
        'A room on the houseblock kept for key work, with the Key Workers’ rota on the door. Opened in stages, a few establishments at a time.',
      adoptions: staggered(i => i % 4 === 1 || i % 4 === 2, [8, 6, 4]),
      comparisons: [],
      outcomes: ['compliance', 'seen_28', 'gap_days', 'count:violence', 'count:self_harm'],
      delivered: HUB_UPLIFT,
    },
    {
      name: 'New guide version briefing',
      kind: 'guide_version',
      description:
        'A half-hour briefing on the new version of the Key Worker guide for every officer, rolled out by region.',
      adoptions: staggered(i => i % 4 === 0, [7, 5, 3]),
      comparisons: ids.filter((_, i) => i % 4 === 3),
      outcomes: ['compliance', 'qa_score', 'count:adjudications'],
      delivered: 0,
    },
  ]
}

/** The planted effect on an establishment's history: the first adoption of a trial with an effect, if any. */
export function deliveryUplift(
  trials: readonly DemoTrial[],
  establishmentId: number,
): { from: string; delivered: number } | undefined {
  let uplift: { from: string; delivered: number } | undefined
  for (const t of trials) {
    if (t.delivered === 0) continue
    const a = t.adoptions.find(x => x.establishmentId === establishmentId)
    if (a && (!uplift || a.startDate < uplift.from)) uplift = { from: a.startDate, delivered: t.delivered }
  }
  return uplift
}

export interface DemoCountRow {
  establishment: string
  month: string
  measure: 'violence' | 'self_harm' | 'adjudications'
  count: number
  population: number
}

/** A Poisson draw: by multiplication for a small mean, a rounded normal approximation above 30. */
export function poisson(rng: Random, mean: number): number {
  if (mean <= 0) return 0
  if (mean > 30) {
    const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z))
  }
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng.next()
  while (p > limit) {
    k++
    p *= rng.next()
  }
  return k
}

const RATES = { violence: [15, 35], self_harm: [20, 60], adjudications: [100, 250] } as const

/** Monthly counts for the COUNT_MONTHS months up to last month, for each establishment (code, id, population). */
export function demoOutcomeCounts(
  seed: number,
  today: string,
  establishments: readonly { id: number; code: string; population: number }[],
): DemoCountRow[] {
  const rows: DemoCountRow[] = []
  for (const e of establishments) {
    if (e.population <= 0) continue
    const rng = new Random(deriveSeed(seed, 70_000 + e.id))
    const rate = Object.fromEntries(
      Object.entries(RATES).map(([m, [lo, hi]]) => [m, lo + rng.next() * (hi - lo)]),
    ) as Record<keyof typeof RATES, number>
    for (let back = COUNT_MONTHS; back >= 1; back--) {
      const month = monthBefore(today, back)
      // the roll drifts a little from month to month
      const population = Math.max(1, Math.round(e.population * (0.95 + rng.next() * 0.1)))
      for (const measure of Object.keys(RATES) as (keyof typeof RATES)[])
        rows.push({
          establishment: e.code,
          month,
          measure,
          count: poisson(rng, (rate[measure] * population) / 1000),
          population,
        })
    }
  }
  return rows
}

/** The counts as the CSV the national team would upload (the outcome import's columns). */
export function countsCsv(rows: readonly DemoCountRow[]): string {
  return (
    [
      'establishment,month,measure,count,population',
      ...rows.map(r => `${r.establishment},${r.month},${r.measure},${r.count},${r.population}`),
    ].join('\n') + '\n'
  )
}
