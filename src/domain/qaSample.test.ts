import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { type SampleCandidate, mayReview, monthlySample } from './qaSample'

const candidate = (sessionId: number, staffId: number, risk: SampleCandidate['risk'] = []): SampleCandidate => ({
  sessionId,
  staffId,
  authorUserId: 100 + staffId,
  risk,
})

describe('the monthly QA sample', () => {
  it('rule: each officer’s entries sampled at the setting, all of them when fewer; risk entries always', () => {
    // officer 1: 5 entries; officer 2: 1 entry; officer 3: 3 entries, one with a self-harm concern
    const entries = [
      ...[1, 2, 3, 4, 5].map(id => candidate(id, 1)),
      candidate(6, 2),
      candidate(7, 3),
      candidate(8, 3, ['self-harm-concern']),
      candidate(9, 3),
    ]
    const sample = monthlySample(entries, 2, 42)
    const random = (staff: number) => sample.filter(s => s.staffId === staff && s.random).length
    assert.deepEqual([random(1), random(2), random(3)], [2, 1, 2])
    assert.ok(sample.some(s => s.sessionId === 8 && s.risk.includes('self-harm-concern')))
    assert.equal(new Set(sample.map(s => s.sessionId)).size, sample.length, 'each entry once')
  })

  it('property: reproducible with a seed; every officer sampled; never more than the setting at random', () => {
    const entries = fc.array(fc.record({ staffId: fc.integer({ min: 1, max: 6 }), risky: fc.boolean() }), {
      minLength: 1,
      maxLength: 60,
    })
    fc.assert(
      fc.property(entries, fc.integer({ min: 0, max: 4 }), fc.integer(), (xs, per, seed) => {
        const list = xs.map((x, i) => candidate(i + 1, x.staffId, x.risky ? ['integrity-flag'] : []))
        const a = monthlySample(list, per, seed)
        assert.deepEqual(monthlySample(list, per, seed), a)
        for (const staff of new Set(list.map(e => e.staffId))) {
          const theirs = list.filter(e => e.staffId === staff).length
          assert.equal(a.filter(s => s.staffId === staff && s.random).length, Math.min(per, theirs))
        }
        for (const e of list.filter(e => e.risk.length)) assert.ok(a.some(s => s.sessionId === e.sessionId))
      }),
    )
  })

  it('rule: a Supervising Officer never reviews an entry they wrote', () => {
    assert.equal(mayReview(101, { authorUserId: 101 }), false)
    assert.equal(mayReview(101, { authorUserId: 102 }), true)
    assert.equal(mayReview(101, { authorUserId: null }), true)
  })
})

describe('the monthly sample: order and who is in it', () => {
  it('comes in officer then entry order whatever order the entries are given in', () => {
    const entries = [candidate(9, 2), candidate(3, 1), candidate(7, 2), candidate(1, 1), candidate(5, 3)]
    // every entry is chosen (3 an officer, none has more)
    assert.deepEqual(
      monthlySample(entries, 3, 42).map(e => [e.staffId, e.sessionId]),
      [
        [1, 1],
        [1, 3],
        [2, 7],
        [2, 9],
        [3, 5],
      ],
    )
  })

  it('with none at random, only the entries raised by risk, each reason once', () => {
    const entries = [
      candidate(1, 1),
      candidate(2, 1, ['low-precheck', 'low-precheck', 'integrity-flag']),
      candidate(3, 2),
    ]
    assert.deepEqual(monthlySample(entries, 0, 1), [
      { sessionId: 2, staffId: 1, authorUserId: 101, random: false, risk: ['low-precheck', 'integrity-flag'] },
    ])
  })

  it('one at random an officer: one entry of each officer without risk', () => {
    const entries = [1, 2, 3, 4].map(id => candidate(id, 1)).concat([5, 6, 7].map(id => candidate(id, 2)))
    const sample = monthlySample(entries, 1, 99)
    assert.deepEqual(
      sample.map(e => [e.staffId, e.random]),
      [
        [1, true],
        [2, true],
      ],
    )
  })
})
