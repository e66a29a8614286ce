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
