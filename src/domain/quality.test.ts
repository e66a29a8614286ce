import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  alphaBand,
  alphaWords,
  coverage,
  goodShare,
  lastMonths,
  median,
  monthDays,
  monthLabel,
  monthlyFigures,
  monthsComparison,
  overallInterval,
  scoresOf,
  supervisionCoverage,
} from './quality'

const close = (a: number | null | undefined, b: number, digits = 3) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 10 ** -digits / 2, `${a} is not ${b}`)

describe('quality dashboard rules', () => {
  it('months: the last N ending with this one, across a year end; their first and last days', () => {
    assert.deepEqual(lastMonths('2026-02-14', 4), ['2025-11', '2025-12', '2026-01', '2026-02'])
    assert.deepEqual(lastMonths('2026-02-14', 1), ['2026-02'])
    assert.equal(lastMonths('2026-12-31', 12)[0], '2026-01')
    assert.deepEqual(monthDays('2024-02'), { from: '2024-02-01', to: '2024-02-29' })
    assert.deepEqual(monthDays('2025-02'), { from: '2025-02-01', to: '2025-02-28' })
    assert.deepEqual(monthDays('2025-12'), { from: '2025-12-01', to: '2025-12-31' })
    assert.equal(monthLabel('2026-03'), 'March 2026')
  })

  it('coverage: reviewed ÷ submitted, none when nothing was submitted', () => {
    assert.equal(coverage(3, 12), 0.25)
    assert.equal(coverage(0, 5), 0)
    assert.equal(coverage(0, 0), null)
  })

  it('median: the middle value, or the mean of the middle two', () => {
    assert.equal(median([]), null)
    assert.equal(median([5]), 5)
    assert.equal(median([9, 1, 4]), 4)
    assert.equal(median([4, 1, 3, 10]), 3.5)
  })

  it('good: the share scored 3 or 4; the mean with its t interval', () => {
    // one 2, two 3s, one 4
    const counts: [number, number, number, number] = [0, 1, 2, 1]
    assert.deepEqual(scoresOf(counts), [2, 3, 3, 4])
    assert.equal(goodShare(counts), 0.75)
    assert.equal(goodShare([0, 0, 0, 0]), null)
    // mean 3; variance (1 + 0 + 0 + 1) ÷ 3 = 2/3; sd 0.8165; t(3) = 3.182; half-width 3.182 × 0.8165 ÷ 2 = 1.299
    const i = overallInterval(counts)!
    close(i.estimate, 3)
    close(i.low, 1.701)
    close(i.high, 4.299)
    assert.equal(overallInterval([0, 0, 1, 0]), null, 'one review: no interval')
  })

  it('supervision coverage: a supervision within the weeks before the day counts', () => {
    const held = [
      { staffId: 1, heldOn: '2026-03-01' },
      { staffId: 2, heldOn: '2026-01-31' },
      { staffId: 9, heldOn: '2026-03-10' },
    ]
    // 4 weeks before 2026-03-28 is 2026-02-28: held after it counts
    assert.deepEqual(supervisionCoverage([1, 2, 3], held, '2026-03-28', 4), { covered: 1, total: 3, share: 1 / 3 })
    // on 2026-02-27 the 1 March supervision has not happened; 31 January is within 4 weeks (after 30 January)
    assert.deepEqual(supervisionCoverage([1, 2, 3], held, '2026-02-27', 4), { covered: 1, total: 3, share: 1 / 3 })
    assert.deepEqual(supervisionCoverage([], held, '2026-03-28', 4), { covered: 0, total: 0, share: null })
  })

  it('alpha in words: reliable from 0.8, tentative from 0.667, below that a finding', () => {
    assert.equal(alphaBand(0.8), 'reliable')
    assert.equal(alphaBand(0.79), 'tentative')
    assert.equal(alphaBand(0.667), 'tentative')
    assert.equal(alphaBand(0.5), 'low')
    assert.equal(alphaBand(null), 'unknown')
    assert.match(alphaWords(0.2), /a finding, not a failure/)
  })

  it('says plainly when the sample cannot tell months apart, and when it can', () => {
    const wide = { estimate: 2.5, low: 1.5, high: 3.5, n: 4 }
    const low = { estimate: 1.5, low: 1.2, high: 1.8, n: 30 }
    const high = { estimate: 3.5, low: 3.2, high: 3.8, n: 30 }
    assert.match(
      monthsComparison([
        { label: 'January 2026', interval: wide },
        { label: 'February 2026', interval: { ...wide, estimate: 2.7 } },
      ]),
      /^The sample is too small to tell January 2026 from February 2026: their 95% intervals overlap\.$/,
    )
    assert.match(monthsComparison([{ label: 'January 2026', interval: wide }]), /Too few reviews/)
    assert.match(
      monthsComparison([
        { label: 'January 2026', interval: low },
        { label: 'February 2026', interval: high },
      ]),
      /February 2026 scored higher than January 2026/,
    )
  })

  it('figures month by month from counts, by hand', () => {
    const f = monthlyFigures({
      months: ['2026-01', '2026-02'],
      today: '2026-02-20',
      submitted: [
        { month: '2026-01', entries: 10, prechecked: 4, precheckSum: 10 },
        { month: '2026-02', entries: 8, prechecked: 0, precheckSum: 0 },
      ],
      scores: [
        { month: '2026-01', overall: 2, reviews: 1 },
        { month: '2026-01', overall: 3, reviews: 2 },
        { month: '2026-01', overall: 4, reviews: 1 },
        { month: '2026-02', overall: 1, reviews: 1 },
      ],
      reviewed: [
        { month: '2026-01', reviewed: 4 },
        { month: '2026-02', reviewed: 1 },
      ],
      criteria: [
        { month: '2026-01', code: 'voice', title: 'Voice', scores: 4, total: 11 },
        { month: '2026-02', code: 'goal', title: 'Goal', scores: 1, total: 2 },
      ],
      flags: [
        {
          raisedOn: '2026-01-05',
          resolvedOn: '2026-01-07',
          raisedAt: '2026-01-05T10:00:00Z',
          resolvedAt: '2026-01-07T10:00:00Z',
        },
        {
          raisedOn: '2026-01-20',
          resolvedOn: '2026-02-03',
          raisedAt: '2026-01-20T10:00:00Z',
          resolvedAt: '2026-02-03T10:00:00Z',
        },
        {
          raisedOn: '2026-02-01',
          resolvedOn: '2026-02-05',
          raisedAt: '2026-02-01T10:00:00Z',
          resolvedAt: '2026-02-05T10:00:00Z',
        },
        { raisedOn: '2026-02-10', resolvedOn: null, raisedAt: '2026-02-10T10:00:00Z', resolvedAt: null },
      ],
      commendations: ['2026-01-31', '2026-02-01', '2026-02-02'],
      keyWorkers: [
        { id: 1, weeks: 4 },
        { id: 2, weeks: 8 },
      ],
      supervisions: [
        { staffId: 1, heldOn: '2026-01-10' },
        { staffId: 2, heldOn: '2026-01-10' },
      ],
    })
    assert.deepEqual(f.criteria, [
      { code: 'voice', title: 'Voice' },
      { code: 'goal', title: 'Goal' },
    ])
    const [jan, feb] = f.months
    assert.equal(jan!.submitted, 10)
    assert.equal(jan!.reviewed, 4)
    assert.equal(jan!.coverage, 0.4)
    assert.equal(jan!.reviews, 4)
    assert.equal(jan!.good, 0.75)
    assert.equal(jan!.meanOverall, 3)
    close(jan!.overall!.low, 1.701)
    assert.deepEqual(jan!.criteria, { voice: 2.75, goal: null })
    assert.equal(jan!.precheckMean, 2.5)
    assert.equal(jan!.flagsRaised, 2)
    assert.equal(jan!.flagsResolved, 1)
    assert.equal(jan!.resolveMedianDays, 2)
    assert.equal(jan!.commendations, 1)
    // 31 January: both within their weeks (after 3 January and after 6 December)
    assert.deepEqual(jan!.supervision, { covered: 2, total: 2, share: 1 })
    assert.equal(feb!.coverage, 0.125)
    assert.equal(feb!.good, 0)
    assert.equal(feb!.overall, null)
    assert.equal(feb!.meanOverall, 1)
    assert.deepEqual(feb!.criteria, { voice: null, goal: 2 })
    assert.equal(feb!.precheckMean, null)
    assert.equal(feb!.flagsRaised, 2)
    // resolved in February: after 14 days and after 4 days
    assert.equal(feb!.flagsResolved, 2)
    assert.equal(feb!.resolveMedianDays, 9)
    assert.equal(feb!.commendations, 2)
    // as of today (20 February): officer 1's 4 weeks start after 23 January: not covered; officer 2's 8 weeks are
    assert.deepEqual(feb!.supervision, { covered: 1, total: 2, share: 0.5 })
  })
})
