import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  audienceText,
  digestBulletins,
  digestWeek,
  digestWindow,
  formatAudience,
  isoWeekOfDay,
  mondayOf,
  parseAudience,
  reaches,
  readPercent,
} from './bulletins'

describe('isoWeekOfDay', () => {
  // 2026 starts on a Thursday, so its week 1 is Monday 29 December 2025 to Sunday 4 January 2026, and it has 53 weeks
  it('numbers the weeks of 2026 from Monday 29 December 2025', () => {
    assert.equal(isoWeekOfDay('2025-12-28'), '2025-W52') // a Sunday: the last day of 2025's last week
    assert.equal(isoWeekOfDay('2025-12-29'), '2026-W01')
    assert.equal(isoWeekOfDay('2026-01-04'), '2026-W01')
    assert.equal(isoWeekOfDay('2026-01-05'), '2026-W02')
    // 6 December 2026 is 342 days after 29 December 2025: 48 whole weeks and 6 days, the Sunday of week 49
    assert.equal(isoWeekOfDay('2026-12-06'), '2026-W49')
    assert.equal(isoWeekOfDay('2026-12-07'), '2026-W50')
  })

  it('gives the first days of 2027 to 2026’s week 53 until the Monday', () => {
    assert.equal(isoWeekOfDay('2026-12-31'), '2026-W53')
    assert.equal(isoWeekOfDay('2027-01-01'), '2026-W53')
    assert.equal(isoWeekOfDay('2027-01-03'), '2026-W53')
    assert.equal(isoWeekOfDay('2027-01-04'), '2027-W01')
  })
})

describe('digestWeek (Europe/London)', () => {
  it('turns at midnight GMT in winter', () => {
    assert.equal(digestWeek('2026-12-06T23:59:59.000Z'), '2026-W49') // Sunday 23:59:59 GMT
    assert.equal(digestWeek('2026-12-07T00:00:00.000Z'), '2026-W50') // Monday 00:00 GMT
  })

  it('turns at midnight BST in summer, an hour before midnight UTC', () => {
    // 28 June 2026 is a Sunday (181 days after 29 December 2025: 25 weeks and 6 days), in week 26
    assert.equal(digestWeek('2026-06-28T22:59:59.000Z'), '2026-W26') // Sunday 23:59:59 BST
    assert.equal(digestWeek('2026-06-28T23:30:00.000Z'), '2026-W27') // Monday 00:30 BST, still Sunday in UTC
  })

  it('turns at the right hour on the Sundays the clocks change', () => {
    // clocks go forward at 01:00 UTC on Sunday 29 March 2026: the Monday starts at 23:00 UTC on the Sunday
    assert.equal(digestWeek('2026-03-29T00:30:00.000Z'), '2026-W13') // Sunday 00:30 GMT
    assert.equal(digestWeek('2026-03-29T22:59:59.000Z'), '2026-W13') // Sunday 23:59:59 BST
    assert.equal(digestWeek('2026-03-29T23:00:00.000Z'), '2026-W14') // Monday 00:00 BST
    // clocks go back at 01:00 UTC on Sunday 25 October 2026: the Monday starts at 00:00 UTC
    assert.equal(digestWeek('2026-10-25T23:30:00.000Z'), '2026-W43') // Sunday 23:30 GMT
    assert.equal(digestWeek('2026-10-26T00:00:00.000Z'), '2026-W44') // Monday 00:00 GMT
  })
})

describe('audience', () => {
  it('stores chosen roles in a fixed order, and all of them as everyone', () => {
    assert.equal(formatAudience(['SUPERVISING_OFFICER', 'KEY_WORKER']), 'KEY_WORKER,SUPERVISING_OFFICER')
    assert.equal(formatAudience(['ESTABLISHMENT_ADMIN', 'KEY_WORKER', 'SUPERVISING_OFFICER']), '')
    assert.equal(formatAudience([]), '')
    assert.equal(formatAudience(['NATIONAL_POLICY', 'KEY_WORKER', 'KEY_WORKER']), 'KEY_WORKER')
    assert.deepEqual(parseAudience('KEY_WORKER,SUPERVISING_OFFICER'), ['KEY_WORKER', 'SUPERVISING_OFFICER'])
    assert.deepEqual(parseAudience(''), [])
  })

  it('reaches establishment staff with one of the roles; never a national-only user', () => {
    assert.equal(reaches([], ['KEY_WORKER']), true)
    assert.equal(reaches([], ['NATIONAL_POLICY']), false)
    assert.equal(reaches(['SUPERVISING_OFFICER'], ['KEY_WORKER']), false)
    assert.equal(reaches(['SUPERVISING_OFFICER'], ['KEY_WORKER', 'SUPERVISING_OFFICER']), true)
    assert.equal(reaches(['KEY_WORKER'], []), false)
  })

  it('says who in words', () => {
    assert.equal(audienceText([]), 'Everyone in every establishment')
    assert.equal(audienceText(['SUPERVISING_OFFICER']), 'Supervising Officers')
    assert.equal(
      audienceText(['ESTABLISHMENT_ADMIN', 'KEY_WORKER', 'SUPERVISING_OFFICER']),
      'Key Workers, Supervising Officers and Establishment admins',
    )
  })
})

describe('digestWindow', () => {
  it('carries the week before the one the job runs in, Monday to Monday London time', () => {
    assert.deepEqual(digestWindow('2026-12-07T08:00:00.000Z'), {
      week: '2026-W50',
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-07T00:00:00.000Z',
    })
    // any run in the same week has the same key and window: Thursday 10 December
    assert.deepEqual(digestWindow('2026-12-10T12:00:00.000Z'), digestWindow('2026-12-07T08:00:00.000Z'))
    // a minute before Monday: still week 49, carrying 23 to 30 November
    assert.deepEqual(digestWindow('2026-12-06T23:59:00.000Z'), {
      week: '2026-W49',
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    })
  })

  it('starts and ends at midnight BST in summer', () => {
    // 00:30 BST on Monday 29 June: the week before is Monday 22 June 00:00 BST (23:00 UTC on the 21st) onwards
    assert.deepEqual(digestWindow('2026-06-28T23:30:00.000Z'), {
      week: '2026-W27',
      from: '2026-06-21T23:00:00.000Z',
      to: '2026-06-28T23:00:00.000Z',
    })
  })

  it('has 167 hours in the week the clocks go forward and 169 in the week they go back', () => {
    const spring = digestWindow('2026-03-30T09:00:00.000Z') // Monday 30 March, BST
    assert.deepEqual(spring, { week: '2026-W14', from: '2026-03-23T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' })
    assert.equal((Date.parse(spring.to) - Date.parse(spring.from)) / 3_600_000, 7 * 24 - 1)
    const autumn = digestWindow('2026-10-26T06:00:00.000Z') // Monday 26 October, GMT again
    assert.deepEqual(autumn, { week: '2026-W44', from: '2026-10-18T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' })
    assert.equal((Date.parse(autumn.to) - Date.parse(autumn.from)) / 3_600_000, 7 * 24 + 1)
  })

  it('finds the Monday of a week across a month and a year', () => {
    assert.equal(mondayOf('2026-12-06'), '2026-11-30')
    assert.equal(mondayOf('2026-11-30'), '2026-11-30')
    assert.equal(mondayOf('2027-01-03'), '2026-12-28')
  })
})

describe('digestBulletins', () => {
  const window = { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' }
  const bulletins = [
    { id: 1, publishedAt: '2026-11-29T23:59:59.000Z', audience: [] }, // a second before the week: not in
    { id: 2, publishedAt: '2026-11-30T00:00:00.000Z', audience: [] }, // the first instant of the week
    { id: 3, publishedAt: '2026-12-05T10:00:00.000Z', audience: [] },
    { id: 4, publishedAt: '2026-12-06T12:00:00.000Z', audience: ['SUPERVISING_OFFICER'] },
    { id: 5, publishedAt: '2026-12-07T00:00:00.000Z', audience: [] }, // next week's
    { id: 6, publishedAt: '2026-12-03T00:00:00.000Z', audience: [] },
  ]

  it('carries the week’s bulletins for the user’s roles that they have not read, oldest first', () => {
    assert.deepEqual(digestBulletins({ window, bulletins, read: new Set([3]), roles: ['KEY_WORKER'] }), [2, 6])
    assert.deepEqual(
      digestBulletins({ window, bulletins, read: new Set([3]), roles: ['SUPERVISING_OFFICER'] }),
      [2, 6, 4],
    )
    assert.deepEqual(digestBulletins({ window, bulletins, read: new Set(), roles: ['KEY_WORKER'] }), [2, 6, 3])
  })

  it('is empty when everything is read or the user is national only', () => {
    assert.deepEqual(digestBulletins({ window, bulletins, read: new Set([2, 3, 6]), roles: ['KEY_WORKER'] }), [])
    assert.deepEqual(digestBulletins({ window, bulletins, read: new Set(), roles: ['NATIONAL_POLICY'] }), [])
  })
})

describe('readPercent', () => {
  it('rounds to a whole percentage; none when nobody is to read', () => {
    assert.equal(readPercent(2, 3), 67) // 66.67
    assert.equal(readPercent(1, 3), 33) // 33.33
    assert.equal(readPercent(1, 8), 13) // 12.5 rounds up
    assert.equal(readPercent(0, 0), null)
  })
})
