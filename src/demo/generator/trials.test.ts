import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Random } from '../../domain/random'
import { readOutcomeCsv } from '../../features/trials/csv'
import {
  COUNT_MONTHS,
  HUB_UPLIFT,
  countsCsv,
  deliveryUplift,
  demoOutcomeCounts,
  demoTrials,
  monthBefore,
  poisson,
} from './trials'

const TODAY = '2026-12-06'

describe('demo trials', () => {
  it('rule: months back across a year end', () => {
    assert.equal(monthBefore(TODAY, 8), '2026-04')
    assert.equal(monthBefore('2026-02-10', 3), '2025-11')
    assert.equal(monthBefore('2026-01-31', 12), '2025-01')
  })

  it('rule: the hub goes to the second and third of each four establishments, 8, 6 and 4 months back in turn; the guide to the first', () => {
    const [hub, guide] = demoTrials([30, 10, 20, 40, 50, 60, 70, 80], TODAY)
    // sorted: 10, 20, 30, 40, 50, 60, 70, 80 (i = 0..7); the hub: i = 1, 2, 5, 6
    assert.deepEqual(hub!.adoptions, [
      { establishmentId: 20, startDate: '2026-04-01' },
      { establishmentId: 30, startDate: '2026-06-01' },
      { establishmentId: 60, startDate: '2026-08-01' },
      { establishmentId: 70, startDate: '2026-04-01' },
    ])
    assert.deepEqual(hub!.comparisons, [])
    assert.equal(hub!.delivered, HUB_UPLIFT)
    assert.equal(hub!.kind, 'key_worker_hub')
    assert.ok(hub!.outcomes.includes('compliance') && hub!.outcomes.includes('count:violence'))
    // the guide: i = 0, 4 (10, 50), 7 and 5 months back, compared with i = 3, 7 (40, 80) only
    assert.deepEqual(guide!.adoptions, [
      { establishmentId: 10, startDate: '2026-05-01' },
      { establishmentId: 50, startDate: '2026-07-01' },
    ])
    assert.deepEqual(guide!.comparisons, [40, 80])
    assert.equal(guide!.delivered, 0)
    assert.ok(guide!.outcomes.includes('compliance'))
    // three establishments: the first (Leeds) the guide, compared with all the others; the other two a hub
    const [h3, g3] = demoTrials([1, 2, 3], TODAY)
    assert.deepEqual(
      h3!.adoptions.map(a => a.establishmentId),
      [2, 3],
    )
    assert.deepEqual(g3!.adoptions, [{ establishmentId: 1, startDate: '2026-05-01' }])
    assert.deepEqual(g3!.comparisons, [])
  })

  it('rule: the planted effect reaches the history of the hub’s adopters only, from their date', () => {
    const trials = demoTrials([1, 2, 3], TODAY)
    assert.deepEqual(deliveryUplift(trials, 2), { from: '2026-04-01', delivered: 0.15 })
    assert.deepEqual(deliveryUplift(trials, 3), { from: '2026-06-01', delivered: 0.15 })
    // 1 adopted only the guide, which has no effect
    assert.equal(deliveryUplift(trials, 1), undefined)
    // of two trials with an effect, the earlier adoption
    const two = [
      { ...trials[0]!, adoptions: [{ establishmentId: 1, startDate: '2026-05-01' }] },
      { ...trials[1]!, delivered: 0.1, adoptions: [{ establishmentId: 1, startDate: '2026-03-01' }] },
    ]
    assert.deepEqual(deliveryUplift(two, 1), { from: '2026-03-01', delivered: 0.1 })
  })

  it('outcome counts: three measures a month for 18 months to last month, at plausible rates, as a CSV the import takes', () => {
    const establishments = [
      { id: 1, code: 'LEI', population: 1100 },
      { id: 2, code: 'WDI', population: 600 },
      { id: 3, code: 'EMPTY', population: 0 },
    ]
    const rows = demoOutcomeCounts(1, TODAY, establishments)
    assert.equal(rows.length, 2 * COUNT_MONTHS * 3)
    const months = [...new Set(rows.map(r => r.month))].sort()
    assert.equal(months[0], '2025-06')
    assert.equal(months.at(-1), '2026-11')
    assert.deepEqual(demoOutcomeCounts(1, TODAY, establishments), rows)
    for (const [measure, lo, hi] of [
      ['violence', 15, 35],
      ['self_harm', 20, 60],
      ['adjudications', 100, 250],
    ] as const) {
      const of = rows.filter(r => r.establishment === 'LEI' && r.measure === measure)
      const rate = (of.reduce((s, r) => s + r.count, 0) / of.reduce((s, r) => s + r.population, 0)) * 1000
      assert.ok(rate > lo * 0.8 && rate < hi * 1.2, `${measure} ${rate}`)
      assert.ok(of.every(r => Number.isInteger(r.count) && r.count >= 0))
      assert.ok(of.every(r => r.population >= 1045 && r.population <= 1155))
    }
    const csv = countsCsv(rows)
    assert.ok(csv.startsWith('establishment,month,measure,count,population\nLEI,2025-06,violence,'))
    const read = readOutcomeCsv(
      new TextEncoder().encode(csv),
      new Map([
        ['LEI', 1],
        ['WDI', 2],
      ]),
      '2026-12',
    )
    assert.ok(read.ok, read.ok ? '' : read.messages.join('\n'))
    assert.equal(read.rows.length, rows.length)
  })

  it('rule: Poisson draws have the mean and the variance asked for', () => {
    for (const mean of [0.5, 4, 25, 200]) {
      const rng = new Random(3)
      const xs = Array.from({ length: 20_000 }, () => poisson(rng, mean))
      const m = xs.reduce((s, x) => s + x, 0) / xs.length
      const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)
      assert.ok(Math.abs(m - mean) < 0.05 * mean + 0.02, `mean ${m} for ${mean}`)
      assert.ok(Math.abs(v - mean) < 0.1 * mean + 0.05, `variance ${v} for ${mean}`)
    }
    assert.equal(poisson(new Random(1), 0), 0)
  })
})
