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
