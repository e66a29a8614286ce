// Rules of the quality intervals that mutation testing found unprotected (MUTATE=src/domain/confidence.ts): t between
// the tabled degrees of freedom and beyond them, no t without a degree of freedom, and intervals that only touch. The
// expected values are worked by hand below from the standard table (linear in 1/df between tabled values).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distinguishable, t95 } from './confidence'

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 5e-5, `${actual} is not ${expected}`)

describe('t between and beyond the table', () => {
  it('interpolates in 1/df between the tabled values either side', () => {
    // df 35, between 30 (2.042) and 40 (2.021): w = (1/35 − 1/40) / (1/30 − 1/40) = (5/1400) / (10/1200) = 3/7
    close(t95(35), 2.021 + (3 / 7) * (2.042 - 2.021))
    // df 50, between 40 (2.021) and 60 (2.000): w = (1/50 − 1/60) / (1/40 − 1/60) = (10/3000) / (20/2400) = 0.4
    close(t95(50), 2 + 0.4 * 0.021)
    // df 90, between 60 (2.000) and 120 (1.980): w = (1/90 − 1/120) / (1/60 − 1/120) = 1/3
    close(t95(90), 1.98 + (1 / 3) * 0.02)
  })

  it('beyond 120 moves from t(120) towards z = 1.959964, linear in 1/df', () => {
    // df 240: z + (1.980 − z) × 120/240
    close(t95(240), 1.959964 + (1.98 - 1.959964) / 2)
  })

  it('refuses fewer than one degree of freedom', () => {
    assert.throws(() => t95(0), /at least one degree of freedom/)
  })
})

describe('two intervals told apart', () => {
  const iv = (low: number, high: number) => ({ estimate: (low + high) / 2, low, high, n: 10 })

  it('only when there is a gap between them, whichever is higher', () => {
    assert.equal(distinguishable(iv(1, 4), iv(5, 6)), true)
    assert.equal(distinguishable(iv(5, 6), iv(1, 4)), true)
  })

  it('not when they touch or overlap', () => {
    assert.equal(distinguishable(iv(1, 4), iv(4, 6)), false)
    assert.equal(distinguishable(iv(4, 6), iv(1, 4)), false)
    assert.equal(distinguishable(iv(1, 5), iv(4, 6)), false)
    assert.equal(distinguishable(null, iv(4, 6)), false)
  })
})
