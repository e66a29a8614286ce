import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setClock } from './clock'
import {
  addDays,
  addMonths,
  daysBetween,
  formatDate,
  isoFromParts,
  londonDate,
  londonDayStart,
  parseDate,
  todayIso,
} from './dates'
import { londonNow } from './hubs'

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

  it('gives today as an ISO date from a given instant, in London', () => {
    // 23:59:59 UTC on 4 June is 00:59:59 British Summer Time on the 5th
    assert.equal(todayIso(new Date('2026-06-04T23:59:59Z')), '2026-06-05')
    assert.equal(todayIso(new Date('2026-06-04T22:59:59Z')), '2026-06-04')
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

describe('the London day', () => {
  it('cuts an instant to the day in London, not in UTC', () => {
    assert.equal(londonDate('2026-07-01T22:59:59.999Z'), '2026-07-01') // 23:59 British Summer Time
    assert.equal(londonDate('2026-07-01T23:00:00.000Z'), '2026-07-02') // midnight BST
    assert.equal(londonDate('2026-07-01T23:30:00.000Z'), '2026-07-02') // 00:30 BST
    assert.equal(londonDate('2026-01-15T23:30:00.000Z'), '2026-01-15') // 23:30 GMT
    assert.equal(londonDate(new Date('2026-10-25T00:30:00.000Z')), '2026-10-25') // 01:30 BST, the night clocks go back
    assert.equal(londonDate('2026-07-02'), '2026-07-02') // a plain date is already a day
  })

  it('agrees, every 15 minutes of two years, with the rule of British Summer Time written out here', () => {
    // BST: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October
    const lastSunday = (year: number, month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0))
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1)
    }
    for (const year of [2025, 2026]) {
      const [start, end] = [lastSunday(year, 2), lastSunday(year, 9)]
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 15 * 60_000) {
        const offset = t >= start && t < end ? 3_600_000 : 0
        const expected = new Date(t + offset).toISOString().slice(0, 10)
        const stored = new Date(t + 59_999).toISOString() // late in the minute, with milliseconds
        assert.equal(londonDate(stored), expected, stored)
        assert.equal(londonDate(new Date(t)), expected, `Date ${stored}`)
      }
    }
  })

  it('gives the instant a London day begins, in stored ISO text, across both changes of the clocks', () => {
    assert.equal(londonDayStart('2026-07-02'), '2026-07-01T23:00:00.000Z')
    assert.equal(londonDayStart('2026-01-15'), '2026-01-15T00:00:00.000Z')
    assert.equal(londonDayStart('2026-03-29'), '2026-03-29T00:00:00.000Z') // clocks go forward at 01:00 GMT
    assert.equal(londonDayStart('2026-03-30'), '2026-03-29T23:00:00.000Z')
    assert.equal(londonDayStart('2026-10-25'), '2026-10-24T23:00:00.000Z') // clocks go back at 02:00 BST
    assert.equal(londonDayStart('2026-10-26'), '2026-10-26T00:00:00.000Z')
  })

  it('shows a timestamp as its London day', () => {
    assert.equal(formatDate('2026-07-01T23:30:00.000Z'), '2 July 2026')
    assert.equal(formatDate('2026-01-15T23:30:00.000Z'), '15 January 2026')
    assert.equal(formatDate('2026-07-01'), '1 July 2026')
    assert.equal(formatDate('not a date'), 'not a date')
  })

  it('today is the London day of the clock', () => {
    setClock('2026-07-01T23:30:00.000Z')
    try {
      assert.equal(todayIso(), '2026-07-02')
      assert.deepEqual(londonNow(), { date: '2026-07-02', minutes: 30 })
    } finally {
      setClock(null)
    }
    assert.equal(todayIso(new Date('2026-12-31T23:59:00.000Z')), '2026-12-31')
  })
})

describe('addMonths: a calendar month as Java LocalDate counts it', () => {
  it('rule: the same day of the month, clamped to the end of a shorter month', () => {
    assert.equal(addMonths('2026-01-15', -1), '2025-12-15')
    assert.equal(addMonths('2026-08-31', -6), '2026-02-28')
    assert.equal(addMonths('2024-08-31', -6), '2024-02-29') // a leap year
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28')
    assert.equal(addMonths('2026-03-31', 1), '2026-04-30')
    assert.equal(addMonths('2026-05-10', 0), '2026-05-10')
  })
})

describe('the London day of a timestamp written in other ways', () => {
  it('a timestamp with an offset is read at its instant, not by its UTC hour', () => {
    // 23:30 in London in summer is 22:30 UTC: still 1 July
    assert.equal(londonDate('2026-07-01T23:30:00+01:00'), '2026-07-01')
    // 00:30 on 2 July in London (BST) is 23:30 UTC on 1 July: 2 July
    assert.equal(londonDate('2026-07-01T23:30:00.000Z'), '2026-07-02')
    assert.equal(londonDate('2026-07-01T23:30Z'), '2026-07-02')
    // in winter London is UTC
    assert.equal(londonDate('2026-01-15T23:30:00Z'), '2026-01-15')
  })

  it('a plain date is a day already, returned as written', () => {
    assert.equal(londonDate('2026-07-01'), '2026-07-01')
    assert.equal(londonDate('2026-02-31'), '2026-02-31')
  })

  it('a date with a time after a space shows its date', () => {
    assert.equal(formatDate('2026-01-15 10:00:00'), '15 January 2026')
    assert.equal(formatDate('not a date at all'), 'not a date at all')
  })
})
