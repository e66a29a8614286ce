import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  type DayRange,
  type MojDailyInput,
  bigDecimalHalfEven,
  mojAverage,
  mojCompliance,
  mojDaily,
  mojPercentage,
  mojPeriod,
  mojProjected,
} from './moj'

// The Ministry of Justice's arithmetic, as ministryofjustice/keyworker-api does it. Expected values are worked out
// by hand (the exact binary value of each double is written beside it).

describe('bigDecimalHalfEven rounds the exact value of the double, as new BigDecimal(x).setScale(2, HALF_EVEN)', () => {
  it('rule: a true tie goes to the even neighbour', () => {
    assert.equal(bigDecimalHalfEven(15.625), 15.62) // 15.625 exactly; half-up would give 15.63
    assert.equal(bigDecimalHalfEven(0.375), 0.38) // 0.375 exactly: 37 is odd, up to 38
    assert.equal(bigDecimalHalfEven(12.5, 0), 12)
    assert.equal(bigDecimalHalfEven(13.5, 0), 14)
  })

  it('rule: a decimal that looks like a tie is not one in binary', () => {
    assert.equal(bigDecimalHalfEven(2.675), 2.67) // 2.67499999999999982236…
    assert.equal(bigDecimalHalfEven(15.635), 15.63) // 15.63499999999999978684…
    assert.equal(bigDecimalHalfEven(41.175), 41.17) // 41.17499999999999715782…
    assert.equal(bigDecimalHalfEven(12.345), 12.35) // 12.34500000000000063948…
  })

  it('rule: ordinary values, whole numbers, negatives', () => {
    assert.equal(bigDecimalHalfEven(100), 100)
    assert.equal(bigDecimalHalfEven(33.33333333333333), 33.33)
    assert.equal(bigDecimalHalfEven(-15.625), -15.62)
    assert.equal(bigDecimalHalfEven(1e-9), 0)
  })
})

describe('their percentages (services/Statistic.kt), eligible average and projection (services/PrisonStatsService.kt)', () => {
  it('rule: a percentage is null when either side is 0; otherwise n ÷ d × 100 to 2 decimals', () => {
    assert.equal(mojPercentage(0, 5), null)
    assert.equal(mojPercentage(5, 0), null)
    assert.equal(mojPercentage(5, 32), 15.62)
    assert.equal(mojPercentage(2, 7), 28.57)
  })

  it('rule: compliance is 0, not null, when nothing was held or nothing projected', () => {
    assert.equal(mojCompliance(0, 32), 0)
    assert.equal(mojCompliance(3, 0), 0)
    assert.equal(mojCompliance(5, 4), 125)
  })

  it('rule: the eligible average is truncated before the projection, and the projection again', () => {
    // 294 eligible prisoner-days over 28 days: 10.5 a day → 10; 10 × 28 ÷ 7 = 40 (not 294 ÷ 7 = 42)
    assert.equal(mojAverage(294, 28), 10)
    assert.equal(mojProjected(10, 28, 1), 40)
    // 3 eligible over 10 days, fortnightly: 3 × (10 ÷ 14) = 2.14… → 2
    assert.equal(mojProjected(3, 10, 2), 2)
    assert.equal(mojProjected(0, 28, 1), 0)
    assert.equal(mojAverage(34, 28), 1)
    assert.equal(mojAverage(0, 0), 0)
  })
})

describe('their nightly figures from the dated history (statistics/PrisonStatisticCalculator.kt), by hand', () => {
  // 1 to 10 March 2026 (10 days). Spells are [from, to); allocations run from the day made to the day ended.
  const period = { from: '2026-03-01', to: '2026-03-10' }
  const input: MojDailyInput = {
    period,
    spells: [
      { prisonerId: 1, from: '2026-02-20', to: null },
      { prisonerId: 2, from: '2026-03-05', to: '2026-03-08' }, // released 8 March
      { prisonerId: 3, from: '2025-06-01', to: null }, // received long ago
      { prisonerId: 4, from: '2026-01-10', to: '2026-02-01' }, // high complexity 1 to 15 February
      { prisonerId: 4, from: '2026-02-15', to: null },
      { prisonerId: 6, from: '2026-03-01', to: null },
    ],
    allocations: [
      { prisonerId: 1, from: '2026-03-03', to: null },
      { prisonerId: 2, from: '2026-03-05', to: '2026-03-07' },
      { prisonerId: 3, from: '2026-03-05', to: null },
      { prisonerId: 4, from: '2026-03-05', to: null },
      { prisonerId: 5, from: '2026-03-04', to: null }, // never eligible: no spell
      { prisonerId: 6, from: '2026-03-09', to: '2026-03-09' }, // made and ended the same day
    ],
    eligibilityStarts: [
      { prisonerId: 1, date: '2026-02-20' },
      { prisonerId: 2, date: '2026-03-05' },
      { prisonerId: 3, date: '2025-06-01' },
      { prisonerId: 4, date: '2026-01-10' },
      { prisonerId: 4, date: '2026-02-01' },
      { prisonerId: 4, date: '2026-02-15' },
      { prisonerId: 6, date: '2026-03-01' },
    ],
    sessions: [
      { prisonerId: 1, date: '2026-03-02' },
      { prisonerId: 1, date: '2026-03-06' },
      { prisonerId: 4, date: '2026-03-06' },
      { prisonerId: 3, date: '2026-03-06' },
      { prisonerId: 2, date: '2026-03-08' },
      { prisonerId: 6, date: '2026-03-02' },
      { prisonerId: 6, date: '2026-03-02' },
    ],
    lastBefore: new Map([[4, '2026-02-10']]),
  }

  it('rule: assigned counts eligible prisoner-days with a Key Worker at the end of the day', () => {
    // 1: 3–10 March = 8; 2: 5 and 6 March = 2 (ended the 7th); 3: 5–10 = 6; 4: 5–10 = 6; 5: not eligible; 6: none
    assert.equal(mojDaily(input).assignedDays, 22)
  })

  it('rule: reception to allocation is each day’s truncated mean, from the later of arrival and complexity change', () => {
    // 3 March: prisoner 1, 20 Feb → 3 Mar = 11 days. 5 March: prisoner 2, 0 days; prisoner 4, 15 Feb → 5 Mar = 18
    // days (his last complexity change, not his reception); prisoner 3 received over 6 months before: left out.
    // (0 + 18) ÷ 2 = 9. 9 March: prisoner 6, 1 Mar → 9 Mar = 8 days (an allocation ended that day is still new)
    assert.deepEqual(mojDaily(input).toAllocation, [11, 9, 8])
  })

  it('rule: reception to session counts only a first session since the eligibility date', () => {
    // 2 March: prisoner 1 (no earlier session) 10 days; prisoner 6 (two sessions, once) 1 day: (10 + 1) ÷ 2 = 5.5 → 5
    // 6 March: prisoner 1 had one on 2 March: no; prisoner 4's last was 10 Feb, before his eligibility on 15 Feb:
    // 19 days; prisoner 3 too long ago. 8 March: prisoner 2 was released that day: not eligible
    assert.deepEqual(mojDaily(input).toSession, [5, 19])
  })

  it('rule: the period figures average the nightly ones and truncate', () => {
    // eligible prisoner-days: 10 + 3 + 10 + 10 + 10 = 43 → 4 a day; assigned 22 → 2; 2 ÷ 4 = 50.00%
    // to allocation (11 + 9 + 8) ÷ 3 = 9.33 → 9; to session (5 + 19) ÷ 2 = 12
    assert.deepEqual(mojPeriod(mojDaily(input), 4, 10), {
      assigned: 2,
      assignedPercent: 50,
      toAllocation: 9,
      toSession: 12,
    })
    assert.deepEqual(mojPeriod({ assignedDays: 0, toAllocation: [], toSession: [] }, 4, 10), {
      assigned: 0,
      assignedPercent: null,
      toAllocation: null,
      toSession: null,
    })
  })

  it('rule: an eligibility date counts when it is after the run day (D + 1) less 6 months', () => {
    // day 30 March 2026: the run is on 31 March, less 6 months is 30 September 2025
    const one = (since: string): MojDailyInput => ({
      period: { from: '2026-03-30', to: '2026-03-30' },
      spells: [{ prisonerId: 1, from: since, to: null }],
      allocations: [{ prisonerId: 1, from: '2026-03-30', to: null }],
      eligibilityStarts: [{ prisonerId: 1, date: since }],
      sessions: [],
      lastBefore: new Map(),
    })
    assert.deepEqual(mojDaily(one('2025-09-30')).toAllocation, [])
    assert.deepEqual(mojDaily(one('2025-10-01')).toAllocation, [180])
  })

  it('rule: overlapping allocations of one prisoner count his day once', () => {
    const twice: MojDailyInput = {
      period: { from: '2026-03-01', to: '2026-03-04' },
      spells: [{ prisonerId: 1, from: '2026-01-01', to: null }],
      allocations: [
        { prisonerId: 1, from: '2026-02-01', to: '2026-03-03' },
        { prisonerId: 1, from: '2026-03-02', to: null },
      ],
      eligibilityStarts: [],
      sessions: [],
      lastBefore: new Map(),
    }
    assert.equal(mojDaily(twice).assignedDays, 4)
  })
})

describe('mutation testing (issue 20): the nightly figures against a day-by-day recount that shares no code', () => {
  // The reference walks the period one day at a time and asks each question of the raw input directly, as the
  // Ministry of Justice's nightly job does for one day; mojDaily works with merged intervals instead.
  const DAY = 86_400_000
  const BASE = Date.UTC(2025, 0, 1)
  const iso = (offset: number) => new Date(BASE + offset * DAY).toISOString().slice(0, 10)
  const offsetOf = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - BASE) / DAY)
  /** LocalDate.plusDays(1).minusMonths(6): the day of the month kept, or the month's last day when it has fewer */
  const sixMonthsBeforeRun = (day: string) => {
    const d = new Date(Date.parse(`${day}T00:00:00Z`) + DAY)
    const y = d.getUTCFullYear()
    const m = d.getUTCMonth() - 6
    const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
    return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay))).toISOString().slice(0, 10)
  }
  const truncMean = (xs: number[]) => Math.trunc(xs.reduce((a, b) => a + b, 0) / xs.length)

  function reference(input: MojDailyInput) {
    const prisoners = new Set<number>()
    for (const x of [...input.spells, ...input.allocations, ...input.sessions]) prisoners.add(x.prisonerId)
    const within = (r: { from: string; to: string | null }, day: string) =>
      r.from <= day && (r.to === null || day < r.to)
    const eligible = (p: number, day: string) => input.spells.some(s => s.prisonerId === p && within(s, day))
    const counted = (p: number, day: string): { days: number; since: string } | null => {
      if (!eligible(p, day)) return null
      let since: string | null = null
      for (const s of input.eligibilityStarts)
        if (s.prisonerId === p && s.date <= day && (since === null || s.date > since)) since = s.date
      if (since === null || since <= sixMonthsBeforeRun(day)) return null
      return { days: offsetOf(day) - offsetOf(since), since }
    }
    let assignedDays = 0
    const toAllocation: number[] = []
    const toSession: number[] = []
    for (let o = offsetOf(input.period.from); o <= offsetOf(input.period.to); o++) {
      const day = iso(o)
      const alloc: number[] = []
      const sess: number[] = []
      for (const p of prisoners) {
        if (eligible(p, day) && input.allocations.some(a => a.prisonerId === p && within(a, day))) assignedDays++
        const c = counted(p, day)
        if (c === null) continue
        if (input.allocations.some(a => a.prisonerId === p && a.from === day)) alloc.push(c.days)
        if (input.sessions.some(s => s.prisonerId === p && s.date === day)) {
          let previous = input.lastBefore.get(p) ?? null
          for (const s of input.sessions)
            if (s.prisonerId === p && s.date < day && (previous === null || s.date > previous)) previous = s.date
          if (previous === null || c.since > previous) sess.push(c.days)
        }
      }
      if (alloc.length) toAllocation.push(truncMean(alloc))
      if (sess.length) toSession.push(truncMean(sess))
    }
    return { assignedDays, toAllocation, toSession }
  }

  // Days are offsets from 1 January 2025; the periods fall in 2025-2026 so that 6 months before them is in range.
  const world = fc
    .record({ start: fc.integer({ min: 200, max: 500 }), length: fc.integer({ min: 1, max: 25 }) })
    .chain(({ start, length }) => {
      const periodFrom = start
      const periodTo = start + length - 1
      // spells and allocations mostly about the period, so that they overlap it and each other; eligibility dates
      // also around 6 months before it, where the window's edge is
      const anyDay = fc.integer({ min: periodFrom - 30, max: periodTo + 3 })
      const sinceDay = fc.oneof(anyDay, fc.integer({ min: periodFrom - 190, max: periodFrom - 170 }))
      const prisoner = fc.integer({ min: 1, max: 4 })
      const spellsOf = (p: number) =>
        fc
          .uniqueArray(anyDay, { minLength: 0, maxLength: 4 })
          .chain(cuts => fc.tuple(fc.constant(cuts.sort((a, b) => a - b)), fc.boolean()))
          .map(([cuts, open]) => {
            // consecutive cut points pair up into spells that do not overlap; an odd one out opens a spell
            const spells: DayRange[] = []
            for (let i = 0; i < cuts.length; i += 2) {
              const to = cuts[i + 1]
              spells.push({
                prisonerId: p,
                from: iso(cuts[i]!),
                to: to === undefined ? (open ? null : iso(cuts[i]! + 1)) : iso(to),
              })
            }
            return spells
          })
      return fc.record({
        period: fc.constant({ from: iso(periodFrom), to: iso(periodTo) }),
        spells: fc.tuple(spellsOf(1), spellsOf(2), spellsOf(3), spellsOf(4)).map(s => s.flat()),
        allocations: fc.array(
          fc.record({
            prisonerId: prisoner,
            from: anyDay.map(iso),
            // an allocation may end before, on or after the day it was made, or not at all
            to: fc.option(anyDay.map(iso), { nil: null }),
          }),
          { maxLength: 8 },
        ),
        eligibilityStarts: fc.array(fc.record({ prisonerId: prisoner, date: sinceDay.map(iso) }), { maxLength: 8 }),
        sessions: fc.array(
          fc.record({ prisonerId: prisoner, date: fc.integer({ min: periodFrom, max: periodTo }).map(iso) }),
          { maxLength: 10 },
        ),
        lastBefore: fc
          .array(fc.tuple(prisoner, fc.integer({ min: periodFrom - 220, max: periodFrom - 1 }).map(iso)), {
            maxLength: 4,
          })
          .map(entries => new Map(entries)),
      })
    })

  it('property: assigned days, days to allocation and days to a first session equal the day-by-day recount', () => {
    fc.assert(
      fc.property(world, input => {
        assert.deepEqual(mojDaily(input), reference(input))
      }),
      { numRuns: 1000 },
    )
  })

  it('rule: the 6-month window clamps to the end of a shorter month (run day 31 August → 28 February)', () => {
    // day 30 August 2026: the run is on 31 August, less 6 months is 28 February 2026 (no 31 February)
    const one = (since: string): MojDailyInput => ({
      period: { from: '2026-08-30', to: '2026-08-30' },
      spells: [{ prisonerId: 1, from: since, to: null }],
      allocations: [{ prisonerId: 1, from: '2026-08-30', to: null }],
      eligibilityStarts: [{ prisonerId: 1, date: since }],
      sessions: [],
      lastBefore: new Map(),
    })
    assert.deepEqual(mojDaily(one('2026-02-28')).toAllocation, [])
    assert.deepEqual(mojDaily(one('2026-03-01')).toAllocation, [182]) // 1 March → 30 August: 30+30+31+30+31+31-1
  })
})

describe('mutation testing (issue 20): rounding at the edges of a double', () => {
  it('rule: whole numbers at and past 2^53 come back unchanged (no fraction to round)', () => {
    assert.equal(bigDecimalHalfEven(2 ** 52), 2 ** 52) // exponent 0
    assert.equal(bigDecimalHalfEven(3 * 2 ** 53), 3 * 2 ** 53) // exponent 2
    assert.equal(bigDecimalHalfEven(-(2 ** 60)), -(2 ** 60))
  })

  it('rule: the projection is 0 when nobody is eligible, whatever the frequency', () => {
    assert.equal(mojProjected(0, 28, 0), 0) // 0 × (28 ÷ 0) would be NaN
  })
})
