import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ALPHA_WORDS,
  alphaBand,
  alphaWords,
  lastMonths,
  monthlyFigures,
  monthsComparison,
  supervisionCoverage,
} from './quality'

// intervals of a month's mean overall score: low and high do not overlap; mid overlaps both
const low = { estimate: 1.5, low: 1.2, high: 1.8, n: 30 }
const mid = { estimate: 2.5, low: 1.5, high: 3.5, n: 4 }
const high = { estimate: 3.5, low: 3.2, high: 3.8, n: 30 }

describe('quality dashboard rules: months compared, word for word', () => {
  it('a rise beyond the uncertainty: named as higher, for the pair and for the ends', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: low },
        { label: 'February 2026', interval: high },
      ]),
      'February 2026 scored higher than January 2026: beyond the uncertainty of the samples.',
    )
  })

  it('a fall beyond the uncertainty: named as lower, for the pair and for the ends', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: high },
        { label: 'February 2026', interval: low },
      ]),
      'February 2026 scored lower than January 2026: beyond the uncertainty of the samples.',
    )
  })

  it('several changes are listed in order, separated by semicolons; ends that overlap are said to', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: low },
        { label: 'February 2026', interval: high },
        { label: 'March 2026', interval: low },
      ]),
      // every pair changed: no "other months"; the ends overlap, and say so
      'February 2026 scored higher than January 2026; March 2026 scored lower than February 2026: beyond the ' +
        'uncertainty of the samples. The sample is too small to tell January 2026 from March 2026: their 95% ' +
        'intervals overlap.',
    )
  })

  it('no month apart from the one before, but the first and last months apart: says both', () => {
    const months = (a: typeof low, c: typeof low) => [
      { label: 'January 2026', interval: a },
      { label: 'February 2026', interval: mid },
      { label: 'March 2026', interval: c },
    ]
    assert.equal(
      monthsComparison(months(low, high)),
      'No month can be told apart from the one before it: the samples are too small for the differences to mean ' +
        'anything. March 2026 scored higher than January 2026, beyond the uncertainty of the samples.',
    )
    assert.equal(
      monthsComparison(months(high, low)),
      'No month can be told apart from the one before it: the samples are too small for the differences to mean ' +
        'anything. March 2026 scored lower than January 2026, beyond the uncertainty of the samples.',
    )
  })

  it('one change of two: the change, that the other months cannot be told apart, then the ends', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: low },
        { label: 'February 2026', interval: high },
        { label: 'March 2026', interval: { ...high, estimate: 3.4 } },
      ]),
      'February 2026 scored higher than January 2026: beyond the uncertainty of the samples. Other months cannot ' +
        'be told apart from the one before. March 2026 scored higher than January 2026, beyond the uncertainty of ' +
        'the samples.',
    )
  })

  it('two months that cannot be told apart: said once', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: mid },
        { label: 'February 2026', interval: { ...mid, estimate: 2.7 } },
      ]),
      'The sample is too small to tell January 2026 from February 2026: their 95% intervals overlap.',
    )
  })

  it('months without an interval are left out: compared across the gap, and one month with one is too few', () => {
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: low },
        { label: 'February 2026', interval: null },
        { label: 'March 2026', interval: high },
      ]),
      'March 2026 scored higher than January 2026: beyond the uncertainty of the samples.',
    )
    assert.equal(
      monthsComparison([
        { label: 'January 2026', interval: null },
        { label: 'February 2026', interval: low },
      ]),
      'Too few reviews to give an interval for two months or more: the sample cannot show whether quality changed.',
    )
  })
})

describe('quality dashboard rules: the edges', () => {
  it('months are always YYYY-MM, the year in four digits', () => {
    assert.deepEqual(lastMonths('0999-02-10', 3), ['0998-12', '0999-01', '0999-02'])
  })

  it('supervision coverage: a supervision exactly `weeks` weeks before does not count, one on the day does', () => {
    // 4 weeks (28 days) before 28 March 2026 is 28 February: held after it and on or before 28 March counts
    const held = [
      { staffId: 1, heldOn: '2026-02-28' },
      { staffId: 2, heldOn: '2026-03-28' },
      { staffId: 3, heldOn: '2026-03-29' },
    ]
    assert.deepEqual(supervisionCoverage([1, 2, 3], held, '2026-03-28', 4), { covered: 1, total: 3, share: 1 / 3 })
  })

  it('alpha that is not a finite number is unknown, not low or reliable', () => {
    assert.equal(alphaBand(NaN), 'unknown')
    assert.equal(alphaBand(Infinity), 'unknown')
    assert.equal(alphaBand(-Infinity), 'unknown')
    assert.equal(
      alphaWords(NaN),
      'Not enough scores to measure agreement: it needs entries scored by two markers or more, with some variation.',
    )
  })

  it('alpha in words, word for word', () => {
    assert.deepEqual(ALPHA_WORDS, {
      reliable: 'Reliable: markers agree well enough to rely on these scores (alpha 0.8 or more).',
      tentative: 'Tentative: markers agree enough for tentative conclusions only (alpha 0.667 to 0.8).',
      low:
        'Low: markers do not agree enough to rely on these scores (alpha below 0.667). The rubric or the way it is ' +
        'used needs work: a finding, not a failure.',
      unknown:
        'Not enough scores to measure agreement: it needs entries scored by two markers or more, with some variation.',
    })
  })
})

describe('quality dashboard rules: figures month by month, the edges', () => {
  const f = monthlyFigures({
    months: ['2026-01', '2026-02', '2026-03'],
    today: '2026-03-10',
    // nothing submitted, reviewed or scored in February and March
    submitted: [{ month: '2026-01', entries: 10, prechecked: 4, precheckSum: 10 }],
    scores: [
      { month: '2026-01', overall: 3, reviews: 2 },
      // overall scores outside 1 to 4 are not counted
      { month: '2026-01', overall: 0, reviews: 1 },
      { month: '2026-01', overall: 5, reviews: 1 },
    ],
    reviewed: [{ month: '2026-01', reviewed: 2 }],
    criteria: [
      { month: '2026-01', code: 'voice', title: 'Own voice', scores: 2, total: 6 },
      { month: '2026-02', code: 'voice', title: "The prisoner's own voice", scores: 1, total: 3 },
    ],
    flags: [
      { raisedOn: '2026-01-05', resolvedOn: null, raisedAt: '2026-01-05T10:00:00Z', resolvedAt: null },
      { raisedOn: '2026-01-12', resolvedOn: null, raisedAt: '2026-01-12T10:00:00Z', resolvedAt: null },
      { raisedOn: '2026-01-19', resolvedOn: null, raisedAt: '2026-01-19T10:00:00Z', resolvedAt: null },
      { raisedOn: '2026-02-02', resolvedOn: null, raisedAt: '2026-02-02T10:00:00Z', resolvedAt: null },
    ],
    commendations: [],
    keyWorkers: [{ id: 1, weeks: 4 }],
    supervisions: [{ staffId: 1, heldOn: '2026-02-14' }],
  })
  const [jan, feb, mar] = f.months

  it('a criterion keeps the title it first appeared with', () => {
    assert.deepEqual(f.criteria, [{ code: 'voice', title: 'Own voice' }])
    // 6 / 2 = 3 in January, 3 / 1 = 3 in February, none in March
    assert.deepEqual(
      f.months.map(m => m.criteria),
      [{ voice: 3 }, { voice: 3 }, { voice: null }],
    )
  })

  it('only overall scores 1 to 4 are counted', () => {
    assert.deepEqual(jan!.counts, [0, 0, 2, 0])
    assert.equal(jan!.reviews, 2)
    assert.equal(jan!.meanOverall, 3)
  })

  it('the entries pre-checked are counted; a month with nothing submitted or reviewed has zeros', () => {
    assert.equal(jan!.prechecked, 4)
    // 10 / 4 = 2.5
    assert.equal(jan!.precheckMean, 2.5)
    for (const m of [feb!, mar!]) {
      assert.equal(m.submitted, 0)
      assert.equal(m.reviewed, 0)
      assert.equal(m.coverage, null)
      assert.equal(m.prechecked, 0)
      assert.equal(m.precheckMean, null)
      assert.equal(m.reviews, 0)
    }
  })

  it('flags are counted in the month they were raised', () => {
    assert.deepEqual(
      f.months.map(m => m.flagsRaised),
      [3, 1, 0],
    )
  })

  it('supervision is judged as of the month end, or today for the month not yet over', () => {
    // January as of 31 January: 14 February has not happened yet
    assert.deepEqual(jan!.supervision, { covered: 0, total: 1, share: 0 })
    // February as of 28 February: 4 weeks start after 31 January, 14 February counts
    assert.deepEqual(feb!.supervision, { covered: 1, total: 1, share: 1 })
    // March as of today, 10 March: 4 weeks start after 10 February, 14 February counts
    // (as of 31 March they would start after 3 March, and it would not)
    assert.deepEqual(mar!.supervision, { covered: 1, total: 1, share: 1 })
  })
})
