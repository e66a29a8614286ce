import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { addDays, daysBetween, formatDate, isoFromParts, parseDate, todayIso } from './dates'

describe('parseDate', () => {
  it('accepts ISO dates', () => {
    assert.equal(parseDate('2024-02-29'), '2024-02-29')
    assert.equal(parseDate(' 2026-09-01 '), '2026-09-01')
  })

  it('accepts DD/MM/YYYY, with or without leading zeros', () => {
    assert.equal(parseDate('27/03/2024'), '2024-03-27')
    assert.equal(parseDate('3/4/1990'), '1990-04-03')
    assert.equal(parseDate('29/2/2024'), '2024-02-29')
  })

  it('rejects dates that are not on the calendar', () => {
    assert.equal(parseDate('31/2/2024'), null)
    assert.equal(parseDate('29/2/2023'), null)
    assert.equal(parseDate('2024-02-30'), null)
    assert.equal(parseDate('31/04/2024'), null)
    assert.equal(parseDate('0/1/2024'), null)
    assert.equal(parseDate('1/13/2024'), null)
    assert.equal(parseDate('2024-00-10'), null)
  })

  it('rejects other formats and nonsense', () => {
    for (const v of ['', '   ', '2024/03/27', '03-27-2024', '27.03.2024', '27/03/24', 'tomorrow', '2024-3-27', '1e3'])
      assert.equal(parseDate(v), null, v)
  })

  it('rejects years outside a sensible range', () => {
    assert.equal(parseDate('01/01/1899'), null)
    assert.equal(parseDate('2201-01-01'), null)
    assert.equal(parseDate('01/01/1900'), '1900-01-01')
  })
})

describe('isoFromParts', () => {
  it('builds an ISO date from numbers and rejects fractions and overflow', () => {
    assert.equal(isoFromParts(2024, 12, 31), '2024-12-31')
    assert.equal(isoFromParts(2024, 12, 32), null)
    assert.equal(isoFromParts(2024, 1.5, 1), null)
    assert.equal(isoFromParts(Number.NaN, 1, 1), null)
  })
})

describe('date arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29')
    assert.equal(addDays('2023-02-28', 1), '2023-03-01')
    assert.equal(addDays('2024-12-31', 1), '2025-01-01')
    assert.equal(addDays('2024-03-01', -1), '2024-02-29')
  })

  it('counts whole days between dates, whatever the clocks do', () => {
    assert.equal(daysBetween('2024-03-30', '2024-04-01'), 2)
    assert.equal(daysBetween('2024-10-26', '2024-10-28'), 2)
    assert.equal(daysBetween('2025-01-01', '2024-01-01'), -366)
  })

  it('gives today as an ISO date from a given instant', () => {
    assert.equal(todayIso(new Date('2026-06-04T23:59:59Z')), '2026-06-04')
  })
})

describe('formatDate', () => {
  it('writes dates the GOV.UK way', () => {
    assert.equal(formatDate('2026-06-04'), '4 June 2026')
    assert.equal(formatDate('2024-12-25T10:00:00Z'), '25 December 2024')
  })

  it('leaves blanks blank and unknown text alone', () => {
    assert.equal(formatDate(null), '')
    assert.equal(formatDate(undefined), '')
    assert.equal(formatDate(''), '')
    assert.equal(formatDate('not a date'), 'not a date')
  })
})
