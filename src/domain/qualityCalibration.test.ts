import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { calibrationReport, pickEntries, precheckEstimates } from './qualityCalibration'

const close = (a: number | null | undefined, b: number, digits = 6) =>
  assert.ok(typeof a === 'number' && Math.abs(a - b) < 10 ** -digits, `${a} is not ${b}`)

describe('calibration rules', () => {
  it('picks entries at random: reproducible with the seed, each once, all of them when there are fewer', () => {
    const ids = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    const a = pickEntries(ids, 4, 7)
    assert.deepEqual(a, pickEntries(ids, 4, 7))
    assert.equal(new Set(a).size, 4)
    assert.ok(a.every(x => ids.includes(x)))
    assert.deepEqual(
      a,
      [...a].sort((x, y) => x - y),
    )
    assert.deepEqual(pickEntries([3, 1, 2], 10, 1), [1, 2, 3])
  })

  it('reports alpha per criterion, overall and for the pre-check, by hand', () => {
    // two markers (7, 8), three entries (1, 2, 3). Criterion 100: marker 7 gives 1, 2, 1; marker 8 gives 1, 2, 2.
    // Units (1,1), (2,2), (1,2): o11 = 2, o22 = 2, o12 = o21 = 1; n1 = n2 = 3, n = 6. With two values every metric's
    // distance is one constant, so alpha = 1 − (n − 1)(o12 + o21) ÷ (2 n1 n2) = 1 − 5 × 2 ÷ 18 = 4/9.
    // Overall: 3, 4, 3 and 3, 4, 4: the same pattern, 4/9. Criterion 200: nobody scored it (not applicable).
    const mark = (sessionId: number, markerId: number, overall: number, c100: number) => ({
      sessionId,
      markerId,
      overall,
      scores: new Map<number, number | null>([
        [100, c100],
        [200, null],
      ]),
    })
    const report = calibrationReport({
      sessionIds: [1, 2, 3],
      markerIds: [7, 8],
      criteria: [
        { id: 100, code: 'voice', title: 'Voice' },
        { id: 200, code: 'goal', title: 'Goal' },
      ],
      marks: [
        mark(1, 7, 3, 1),
        mark(2, 7, 4, 2),
        mark(3, 7, 3, 1),
        mark(1, 8, 3, 1),
        mark(2, 8, 4, 2),
        mark(3, 8, 4, 2),
      ],
      // the pre-check estimated voice 1, 2, 1 for the three entries
      prechecks: new Map<number, Record<string, number | null>>([
        [1, { voice: 1 }],
        [2, { voice: 2 }],
        [3, { voice: 1, goal: null }],
      ]),
    })
    assert.equal(report.entries, 3)
    assert.equal(report.markers, 2)
    assert.equal(report.marks, 6)
    close(report.overall.alpha, 4 / 9)
    close(report.criteria[0]!.alpha.alpha, 4 / 9)
    assert.equal(report.criteria[1]!.alpha.alpha, null)
    // pre-check against each marker's voice score: (1,1) (2,2) (1,1) from marker 7 and (1,1) (2,2) (1,2) from 8.
    // o11 = 6, o22 = 4, o12 = o21 = 1; n1 = 7, n2 = 5, n = 12: alpha = 1 − 11 × 2 ÷ (2 × 7 × 5) = 24/35
    close(report.precheck.alpha, 24 / 35)
    assert.equal(report.precheck.units, 6)
  })

  it('reads the pre-check estimates kept with an entry, and nothing from what is not one', () => {
    assert.deepEqual(precheckEstimates('{"rubricVersion":1,"estimates":{"voice":3,"goal":null,"x":9},"hints":[]}'), {
      voice: 3,
      goal: null,
      x: null,
    })
    assert.equal(precheckEstimates(null), null)
    assert.equal(precheckEstimates('not json'), null)
    assert.equal(precheckEstimates('{"hints":[]}'), null)
  })
})

describe('calibration rules: the edges', () => {
  it('picking is random: over 200 seeds every id is picked, and not always the first ones', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const seen = new Set<number>()
    let firstThree = 0
    for (let seed = 1; seed <= 200; seed++) {
      const picked = pickEntries(ids, 3, seed)
      assert.equal(new Set(picked).size, 3)
      for (const id of picked) seen.add(id)
      if (picked.join() === '1,2,3') firstThree++
    }
    assert.equal(seen.size, 10)
    // 1 in 120 by chance: about 2 of 200 seeds
    assert.ok(firstThree < 20, String(firstThree))
  })

  it('the pre-check is compared only where both it and the marker gave a number, on entries it estimated', () => {
    const report = calibrationReport({
      sessionIds: [1, 2, 3],
      markerIds: [10],
      criteria: [
        { id: 100, code: 'a', title: 'A' },
        { id: 200, code: 'b', title: 'B' },
      ],
      marks: [
        {
          sessionId: 1,
          markerId: 10,
          overall: 3,
          scores: new Map([
            [100, 3],
            [200, null],
          ]),
        },
        {
          sessionId: 2,
          markerId: 10,
          overall: 2,
          scores: new Map([
            [100, 1],
            [200, 4],
          ]),
        },
        {
          sessionId: 3,
          markerId: 10,
          overall: 2,
          scores: new Map([
            [100, 2],
            [200, 2],
          ]),
        },
      ],
      // entry 1: b not scored by the marker; entry 2: a not estimated; entry 3: no pre-check kept
      prechecks: new Map([
        [1, { a: 3, b: 2 }],
        [2, { a: null, b: 4 }],
      ]),
    })
    // pairs (3, 3) and (4, 4): 2 units of 2 values, full agreement with variation
    assert.deepEqual(report.precheck, { alpha: 1, pairable: 4, units: 2 })
  })

  it('reads the pre-check estimates kept with an entry: 1 to 4, anything else is none', () => {
    assert.deepEqual(precheckEstimates(JSON.stringify({ estimates: { a: 1, b: 4, c: 0, d: 5, e: '3', f: 2.5 } })), {
      a: 1,
      b: 4,
      c: null,
      d: null,
      e: null,
      f: 2.5,
    })
    assert.equal(precheckEstimates(JSON.stringify({ estimates: 5 })), null)
    assert.equal(precheckEstimates(JSON.stringify({ estimates: 'abc' })), null)
    assert.equal(precheckEstimates(JSON.stringify({})), null)
    assert.equal(precheckEstimates('null'), null)
    assert.equal(precheckEstimates('{not json'), null)
    assert.equal(precheckEstimates(''), null)
    assert.equal(precheckEstimates(null), null)
  })
})
