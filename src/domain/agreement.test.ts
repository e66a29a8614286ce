import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { krippendorffAlpha, pairAlpha } from './agreement'

const close = (a: number | null, b: number, digits = 3) =>
  assert.ok(a !== null && Math.abs(a - b) < 10 ** -digits / 2, `${a} is not ${b}`)

describe("Krippendorff's alpha", () => {
  it('rule: the published worked example (Krippendorff 2011, section C: 4 observers, 12 units, 1 unpairable)', () => {
    const _ = null
    const A = [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _]
    const B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3]
    const C = [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _]
    const D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _]
    const units = A.map((_, i) => [A[i], B[i], C[i], D[i]])
    // the paper's results: nominal .743, ordinal .815, interval .849; 40 pairable values in 11 units
    close(krippendorffAlpha(units, 'nominal').alpha, 0.743)
    close(krippendorffAlpha(units, 'ordinal').alpha, 0.815)
    close(krippendorffAlpha(units, 'interval').alpha, 0.849)
    assert.deepEqual(
      { pairable: krippendorffAlpha(units).pairable, units: krippendorffAlpha(units).units },
      { pairable: 40, units: 11 },
    )
  })

  it('rule: a small case by hand', () => {
    // two markers, entries (1,1), (2,2), (1,2): o11 = 2, o22 = 2, o12 = o21 = 1; n1 = n2 = 3, n = 6
    // nominal: 1 − (n − 1) × (o12 + o21) ÷ (n1 n2 + n2 n1) = 1 − 5 × 2 ÷ 18 = 4/9
    close(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [1, 2],
        ],
        'nominal',
      ).alpha,
      4 / 9,
      9,
    )
    // with two values every metric's distance is one constant, so ordinal and interval agree with nominal
    close(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
          [1, 2],
        ],
        'ordinal',
      ).alpha,
      4 / 9,
      9,
    )
    close(pairAlpha([1, 2, 1], [1, 2, 2], 'interval').alpha, 4 / 9, 9)
  })

  it('rule: the ordinal metric weighs a step by how often the scores between were given', () => {
    // entries (1,2), (2,3), (3,3), (1,1): n1 = 3, n2 = 2, n3 = 3 (n = 8); o12 = o21 = o23 = o32 = 1, o11 = o33 = 2
    // δ²(1,2) = (3 + 2 − (3 + 2)/2)² = 6.25; δ²(2,3) = (2 + 3 − 2.5)² = 6.25; δ²(1,3) = (3 + 2 + 3 − 3)² = 25
    // observed Σ o δ² = 2 × 6.25 + 2 × 6.25 = 25; expected Σ n_c n_k δ² = 2(3·2·6.25 + 2·3·6.25 + 3·3·25) = 600
    // alpha = 1 − 7 × 25 ÷ 600 = 1 − 175/600
    close(
      krippendorffAlpha(
        [
          [1, 2],
          [2, 3],
          [3, 3],
          [1, 1],
        ],
        'ordinal',
      ).alpha,
      1 - 175 / 600,
      9,
    )
  })

  it('rule: no alpha without variation or without pairs; unscored and single scores are left out', () => {
    assert.equal(
      krippendorffAlpha([
        [3, 3],
        [3, 3],
      ]).alpha,
      null,
    )
    assert.equal(krippendorffAlpha([[3], [2, null]]).alpha, null)
    assert.equal(krippendorffAlpha([]).alpha, null)
    assert.deepEqual(
      krippendorffAlpha([
        [1, 1],
        [2, 2],
        [4, null, undefined],
      ]),
      { alpha: 1, pairable: 4, units: 2 },
    )
  })

  it('property: markers who always agree score 1; alpha never exceeds 1', () => {
    const scores = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 30 })
    fc.assert(
      fc.property(scores, fc.integer({ min: 2, max: 5 }), (xs, markers) => {
        const units = xs.map(x => Array.from({ length: markers }, () => x))
        const a = krippendorffAlpha(units).alpha
        if (new Set(xs).size > 1) assert.equal(a, 1)
        else assert.equal(a, null)
      }),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))), pairs => {
        const a = krippendorffAlpha(pairs).alpha
        assert.ok(a === null || a <= 1 + 1e-12)
      }),
    )
  })
})
