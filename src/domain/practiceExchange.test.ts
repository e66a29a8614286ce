import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  checkPeriods,
  containsPattern,
  describeChange,
  describePeriod,
  formatMeasure,
  measureValue,
  monthList,
  monthPeriod,
  monthsBetween,
  parseMonth,
  searchTerms,
} from './practiceExchange'

describe('parseMonth', () => {
  it('reads the forms people type', () => {
    assert.equal(parseMonth('3/2026'), '2026-03')
    assert.equal(parseMonth(' 03/2026 '), '2026-03')
    assert.equal(parseMonth('12-2025'), '2025-12')
    assert.equal(parseMonth('2026-3'), '2026-03')
    assert.equal(parseMonth('March 2026'), '2026-03')
    assert.equal(parseMonth('sep 2025'), '2025-09')
  })
  it('refuses what is not a month', () => {
    for (const bad of ['', '13/2026', '0/2026', '2026', 'Ma 2026', 'Smarch 2026', '3/26', '1/1999', 'x'])
      assert.equal(parseMonth(bad), null, bad)
  })
})

describe('months', () => {
  it('counts and lists months both included', () => {
    assert.equal(monthsBetween('2025-11', '2026-02'), 4) // Nov, Dec, Jan, Feb
    assert.equal(monthsBetween('2026-02', '2026-02'), 1)
    assert.equal(monthsBetween('2026-03', '2026-02'), 0)
    assert.deepEqual(monthList('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02'])
  })
  it('gives the days of whole months, leap years included', () => {
    assert.deepEqual(monthPeriod('2024-01', '2024-02'), { from: '2024-01-01', to: '2024-02-29' })
    assert.deepEqual(monthPeriod('2025-12', '2025-12'), { from: '2025-12-01', to: '2025-12-31' })
  })
  it('says a period in words', () => {
    assert.equal(describePeriod('2026-01', '2026-03'), 'January to March 2026')
    assert.equal(describePeriod('2025-12', '2026-02'), 'December 2025 to February 2026')
    assert.equal(describePeriod('2026-05', '2026-05'), 'May 2026')
  })
})

describe('checkPeriods', () => {
  const good = { beforeFrom: '1/2026', beforeTo: '3/2026', afterFrom: '5/2026', afterTo: '7/2026' }
  it('accepts two whole-month periods, one after the other, both over', () => {
    assert.deepEqual(checkPeriods(good, '2026-08'), {
      ok: true,
      value: { before: { from: '2026-01', to: '2026-03' }, after: { from: '2026-05', to: '2026-07' } },
    })
  })
  it('lists every missing or unreadable month at once', () => {
    const r = checkPeriods({ beforeFrom: '', beforeTo: 'soon', afterFrom: undefined, afterTo: '13/2026' }, '2026-08')
    assert.equal(r.ok, false)
    if (!r.ok) assert.deepEqual(Object.keys(r.errors).sort(), ['afterFrom', 'afterTo', 'beforeFrom', 'beforeTo'])
  })
  it('refuses a period that ends before it starts, or is longer than 12 months', () => {
    const r = checkPeriods({ ...good, beforeFrom: '4/2026', afterFrom: '1/2025', afterTo: '1/2026' }, '2026-08')
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.match(r.errors.beforeTo!, /same as or after the first/)
      // January 2025 to January 2026: 13 months
      assert.match(r.errors.afterTo!, /12 months or fewer/)
    }
  })
  it('refuses an after period that starts before the before period ends (overlap, or the same month)', () => {
    const r = checkPeriods({ ...good, afterFrom: '3/2026' }, '2026-08')
    assert.equal(r.ok, false)
    if (!r.ok) assert.deepEqual(Object.keys(r.errors), ['afterFrom'])
  })
  it('refuses a period that has not ended: the current month is not whole yet', () => {
    const r = checkPeriods(good, '2026-07')
    assert.equal(r.ok, false)
    if (!r.ok) assert.deepEqual(r.errors, { afterTo: 'The last month after must be a month that has ended' })
    assert.equal(checkPeriods(good, '2026-08').ok, true)
  })
})

describe('figures in words', () => {
  it('formats with the unit, and says when there is no figure', () => {
    assert.equal(formatMeasure('compliance', 82.456), '82.5%')
    assert.equal(formatMeasure('qaScore', 3.125), '3.13')
    assert.equal(formatMeasure('daysBetween', 9), '9.0 days')
    assert.equal(formatMeasure('seen28', null), 'No figure')
  })
  it('describes the change in percentage points or the unit', () => {
    const v = (value: number | null) => ({ value, n: null })
    assert.equal(describeChange({ measure: 'compliance', before: v(60), after: v(72.5) }), 'Up 12.5 percentage points')
    assert.equal(describeChange({ measure: 'daysBetween', before: v(14), after: v(10) }), 'Down 4.0 days')
    assert.equal(describeChange({ measure: 'qaScore', before: v(2.5), after: v(2.5) }), 'No change')
    assert.equal(describeChange({ measure: 'seen28', before: v(null), after: v(50) }), 'Cannot compare')
  })
})

describe('search', () => {
  it('splits, lowers, trims punctuation at the ends, and keeps each word once', () => {
    assert.deepEqual(searchTerms('  Peer "Mentors", peer  mentors! '), ['peer', 'mentors'])
    assert.deepEqual(searchTerms(''), [])
    assert.deepEqual(searchTerms('a b c d e f g h'), ['a', 'b', 'c', 'd', 'e', 'f'])
    assert.equal(searchTerms('x'.repeat(100))[0]!.length, 40)
  })
  it('keeps % and _ inside a word, to be matched literally', () => {
    assert.deepEqual(searchTerms('100% key_work'), ['100%', 'key_work'])
  })
  it('escapes %, _ and the escape character itself in the LIKE pattern', () => {
    assert.equal(containsPattern('hub'), '%hub%')
    assert.equal(containsPattern('100%'), '%100!%%')
    assert.equal(containsPattern('key_work'), '%key!_work%')
    assert.equal(containsPattern('wow!'), '%wow!!%')
  })
})

describe('measureValue', () => {
  const figures = {
    compliance: 75,
    projected: 40.04,
    seen28Percent: 50,
    eligibleAtEnd: 8,
    interpreterPercent: null,
    interpreterAnswered: 0,
    averageDaysBetween: 12.5,
  }
  it('reads each measure from the figures, with its basis', () => {
    assert.deepEqual(measureValue('compliance', figures, []), { value: 75, n: 40 })
    assert.deepEqual(measureValue('seen28', figures, []), { value: 50, n: 8 })
    assert.deepEqual(measureValue('interpreter', figures, []), { value: null, n: 0 })
    assert.deepEqual(measureValue('daysBetween', figures, []), { value: 12.5, n: null })
  })
  it('takes the mean QA score from the counts of each score', () => {
    // two 2s, one 3, one 4: (2 + 2 + 3 + 4) / 4 = 11 / 4 = 2.75
    assert.deepEqual(measureValue('qaScore', figures, [0, 2, 1, 1]), { value: 2.75, n: 4 })
    assert.deepEqual(measureValue('qaScore', figures, [0, 0, 0, 0]), { value: null, n: 0 })
  })
})
