// Rules of dates that mutation testing found unprotected (npm run mutation, MUTATE=src/domain/dates.ts): a date typed
// with something before or after it, a fractional year, the last year accepted, every month's name, the zero-padding
// of a date months on. The expected values are written out by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MONTHS, addMonths, formatDate, isoFromParts, londonDate, parseDate } from './dates'

describe('a typed date is the whole of what was typed', () => {
  it('refuses an ISO date with anything before or after it', () => {
    for (const v of ['12026-01-02', 'x2026-01-02', '2026-01-021', '2026-01-02x', 'on 2026-01-02'])
      assert.equal(parseDate(v), null, v)
  })

  it('refuses a DD/MM/YYYY date with anything before or after it', () => {
    for (const v of ['x1/2/2026', 'on 1/2/2026', '1/2/20261', '1/2/2026x', '111/2/2026'])
      assert.equal(parseDate(v), null, v)
  })
})

describe('the parts of a date', () => {
  it('refuses a fractional year, month or day, even one the calendar would round to a real date', () => {
    assert.equal(isoFromParts(2026.5, 1, 1), null)
    assert.equal(isoFromParts(2026, 1, 1.5), null)
    assert.equal(isoFromParts(2026, 2, 1), '2026-02-01')
  })

  it('accepts 1900 and 2200, the first and last years, and nothing beyond them', () => {
    assert.equal(isoFromParts(1900, 1, 1), '1900-01-01')
    assert.equal(isoFromParts(2200, 12, 31), '2200-12-31')
    assert.equal(isoFromParts(2201, 1, 1), null)
    assert.equal(isoFromParts(1899, 12, 31), null)
  })
})

describe('dates written out', () => {
  it('names every month', () => {
    const written = [
      '1 January 2026',
      '1 February 2026',
      '1 March 2026',
      '1 April 2026',
      '1 May 2026',
      '1 June 2026',
      '1 July 2026',
      '1 August 2026',
      '1 September 2026',
      '1 October 2026',
      '1 November 2026',
      '1 December 2026',
    ]
    for (let m = 1; m <= 12; m++) assert.equal(formatDate(`2026-${String(m).padStart(2, '0')}-01`), written[m - 1])
    assert.equal(MONTHS.length, 12)
  })

  it('shows a stored timestamp as its London day and a date with a time of day after it as its date', () => {
    // 23:30 UTC on 31 October 2026 is 23:30 GMT (the clocks went back on the 25th): still the 31st
    assert.equal(formatDate('2026-10-31T23:30:00.000Z'), '31 October 2026')
    // 23:30 UTC on 31 May 2026 is 00:30 British Summer Time on 1 June
    assert.equal(formatDate('2026-05-31T23:30:00.000Z'), '1 June 2026')
    assert.equal(formatDate('2026-05-31T23:30Z'), '1 June 2026')
  })

  it('pads a year, month and day months on to four, two and two digits', () => {
    assert.equal(addMonths('2026-01-31', 1), '2026-02-28')
    assert.equal(addMonths('0999-12-05', 1), '1000-01-05')
    assert.equal(addMonths('0099-03-09', -1), '0099-02-09')
  })

  it('gives the London day of a timestamp without seconds, and of one with a fraction of a second', () => {
    assert.equal(londonDate('2026-07-01T23:00Z'), '2026-07-02')
    assert.equal(londonDate('2026-07-01T22:59:59.999999Z'), '2026-07-01')
  })
})
