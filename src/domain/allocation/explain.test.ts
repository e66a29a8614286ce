import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explainRoom } from './explain'

const kw = (load: number, o: Partial<Parameters<typeof explainRoom>[0]['officers'][number]> = {}) => ({
  keyWorker: true,
  status: 'active',
  returnDate: null,
  weeklyHours: 37,
  capacityOverride: null,
  load,
  ...o,
})

describe('explainRoom', () => {
  it('finds the smallest ratio within the national maximum that makes room, or the maximum', () => {
    // two full Key Workers at 6: each step adds 2; 3 waiting need 8 (room 4), 10 waiting stop at the maximum 8 (room 4)
    assert.deepEqual(explainRoom({ waiting: 3, ratio: 6, max: 8, officers: [kw(6), kw(6)] }).raise, {
      ratio: 8,
      extra: 4,
    })
    assert.deepEqual(explainRoom({ waiting: 1, ratio: 6, max: 8, officers: [kw(6), kw(6)] }).raise, {
      ratio: 7,
      extra: 2,
    })
    assert.deepEqual(explainRoom({ waiting: 10, ratio: 6, max: 8, officers: [kw(6), kw(6)] }).raise, {
      ratio: 8,
      extra: 4,
    })
  })

  it('suggests no raise at the maximum, nor when every capacity is set on the staff record', () => {
    assert.equal(explainRoom({ waiting: 2, ratio: 8, max: 8, officers: [kw(8)] }).raise, null)
    assert.equal(explainRoom({ waiting: 2, ratio: 6, max: 8, officers: [kw(5, { capacityOverride: 5 })] }).raise, null)
  })

  it('counts unflagged officers present and Key Workers away, with their return dates', () => {
    const e = explainRoom({
      waiting: 4,
      ratio: 6,
      max: 10,
      officers: [
        kw(6),
        kw(0, { keyWorker: false }),
        kw(0, { keyWorker: false, weeklyHours: 18.5 }),
        kw(0, { keyWorker: false, status: 'annual_leave', returnDate: '2026-12-01' }),
        kw(2, { status: 'annual_leave', returnDate: '2026-12-09' }),
        kw(3, { status: 'long_term_absence', returnDate: '2026-12-03' }),
        kw(1, { status: 'no_prisoner_contact' }),
        kw(0, { status: 'inactive' }),
      ],
    })
    assert.equal(e.room, 0)
    assert.deepEqual(e.notFlagged, { count: 2, room: 9 })
    assert.deepEqual(e.away, { count: 3, firstBack: '2026-12-03', lastBack: '2026-12-09', noDate: 1 })
  })
})
