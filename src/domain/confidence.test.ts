import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distinguishable, meanInterval, proportionInterval, t95 } from './confidence'

const close = (a: number, b: number, eps = 5e-4) => assert.ok(Math.abs(a - b) < eps, `${a} is not ${b}`)

describe('confidence intervals', () => {
  it('rule: the mean of 1–4 scores with Student’s t, by hand', () => {
    // scores 2, 3, 3, 4: mean 3, sample variance ((1 + 0 + 0 + 1) ÷ 3) = 2/3, sd 0.8165; t(3) = 3.182
    // half-width 3.182 × 0.8165 ÷ 2 = 1.2990
    const i = meanInterval([2, 3, 3, 4])!
    close(i.estimate, 3)
    close(i.low, 3 - 1.299)
    close(i.high, 3 + 1.299)
    assert.equal(i.n, 4)
    assert.equal(meanInterval([3]), null)
  })

  it('rule: Wilson’s interval for a proportion, against published values', () => {
    // 8 of 10: Wilson 95% (0.4902, 0.9433), as in Newcombe (1998) style tables and R's prop.test(correct = FALSE)
    const i = proportionInterval(8, 10)!
    close(i.low, 0.4902)
    close(i.high, 0.9433)
    // 0 of 10 still has an upper bound: (0, 0.2775)
    close(proportionInterval(0, 10)!.high, 0.2775)
    assert.equal(proportionInterval(0, 0), null)
  })

  it('rule: t critical values from the table, between them linear in 1/df', () => {
    assert.equal(t95(1), 12.706)
    assert.equal(t95(30), 2.042)
    // df 50 between 40 (2.021) and 60 (2.000): w = (1/50 − 1/60) ÷ (1/40 − 1/60) = 0.4 → 2.000 + 0.4 × 0.021
    close(t95(50), 2.0084)
    assert.ok(t95(1000) > 1.959 && t95(1000) < 1.98)
  })

  it('rule: two months are told apart only when their intervals do not overlap', () => {
    const small = [meanInterval([2, 3, 3, 4]), meanInterval([3, 3, 4, 4])]
    assert.equal(distinguishable(small[0]!, small[1]!), false, 'four entries a month cannot tell 3.0 from 3.5')
    const many = (x: number) => meanInterval(Array.from({ length: 60 }, (_, i) => x + (i % 2 ? 0.5 : -0.5)))
    assert.equal(distinguishable(many(2.2), many(3.4)), true)
    assert.equal(distinguishable(null, many(3)), false)
  })
})
