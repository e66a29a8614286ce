import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { countsFromEvents, intersect, intervalCounts } from './statistics'

// Intervals of days, half-open [start, end): the counts per day and the overlap of two, worked out by hand on a
// period of five days, 1 to 5 March 2026.

const period = { from: '2026-03-01', to: '2026-03-05' }

describe('statistics: intervals of days', () => {
  it('counts each day an interval covers: its start day in, its end day out, weights added', () => {
    assert.deepEqual(
      intervalCounts(period, [
        { start: '2026-02-20', end: '2026-03-03', weight: 0.5 }, // 1 and 2 March
        { start: '2026-03-02', end: '2026-03-10' }, // 2 to 5 March
        { start: '2026-03-05', end: null, weight: 2 }, // 5 March
      ]),
      [0.5, 1.5, 1, 1, 3],
    )
  })

  it('counts nothing for an interval ended on or before the first day, starting after the last, or empty', () => {
    assert.deepEqual(
      intervalCounts(period, [
        { start: '2026-02-01', end: '2026-03-01' },
        { start: '2026-03-06', end: null },
        { start: '2026-03-03', end: '2026-03-03' },
        { start: '2026-03-04', end: '2026-03-02' },
      ]),
      [0, 0, 0, 0, 0],
    )
  })

  it('from events: an end before the period or on its first day cancels a start before it', () => {
    assert.deepEqual(
      countsFromEvents(period, [{ day: '2026-02-01', n: 1 }], [{ day: '2026-02-10', n: 1 }]),
      [0, 0, 0, 0, 0],
    )
    assert.deepEqual(
      countsFromEvents(period, [{ day: '2026-02-01', n: 1 }], [{ day: '2026-03-01', n: 1 }]),
      [0, 0, 0, 0, 0],
    )
    assert.deepEqual(
      countsFromEvents(
        period,
        [
          { day: '2026-02-01', n: 2 },
          { day: '2026-03-03', n: 1 },
        ],
        [{ day: '2026-03-04', n: 1 }],
      ),
      [2, 2, 3, 2, 2],
    )
  })

  it('the overlap of two intervals: the later start, the earlier end, weights multiplied; none when empty', () => {
    assert.deepEqual(
      intersect({ start: '2026-03-01', end: '2026-03-10', weight: 0.5 }, { start: '2026-03-04', end: '2026-03-08' }),
      { start: '2026-03-04', end: '2026-03-08', weight: 0.5 },
    )
    assert.deepEqual(
      intersect(
        { start: '2026-03-04', end: '2026-03-08', weight: 3 },
        { start: '2026-03-01', end: '2026-03-10', weight: 0.5 },
      ),
      { start: '2026-03-04', end: '2026-03-08', weight: 1.5 },
    )
    assert.deepEqual(intersect({ start: '2026-03-01', end: null }, { start: '2026-03-04', end: '2026-03-08' }), {
      start: '2026-03-04',
      end: '2026-03-08',
      weight: 1,
    })
    assert.deepEqual(intersect({ start: '2026-03-04', end: '2026-03-08' }, { start: '2026-03-01', end: null }), {
      start: '2026-03-04',
      end: '2026-03-08',
      weight: 1,
    })
    assert.deepEqual(intersect({ start: '2026-03-01', end: null }, { start: '2026-03-04', end: null, weight: 2 }), {
      start: '2026-03-04',
      end: null,
      weight: 2,
    })
    // touching: one ends the day the other starts
    assert.equal(intersect({ start: '2026-03-01', end: '2026-03-04' }, { start: '2026-03-04', end: null }), null)
    assert.equal(
      intersect({ start: '2026-03-01', end: '2026-03-03' }, { start: '2026-03-04', end: '2026-03-09' }),
      null,
    )
    // one day in common
    assert.deepEqual(
      intersect({ start: '2026-03-01', end: '2026-03-05' }, { start: '2026-03-04', end: '2026-03-09' }),
      {
        start: '2026-03-04',
        end: '2026-03-05',
        weight: 1,
      },
    )
  })
})
