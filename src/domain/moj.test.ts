import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bigDecimalHalfEven, mojAverage, mojCompliance, mojPercentage, mojProjected } from './moj'

// The Ministry of Justice's arithmetic, as ministryofjustice/keyworker-api does it. Expected values are worked out
// by hand (the exact binary value of each double is written beside it).

describe('bigDecimalHalfEven rounds the exact value of the double, as new BigDecimal(x).setScale(2, HALF_EVEN)', () => {
  it('rule: a true tie goes to the even neighbour', () => {
    assert.equal(bigDecimalHalfEven(15.625), 15.62) // 15.625 exactly; half-up would give 15.63
    assert.equal(bigDecimalHalfEven(0.375), 0.38) // 0.375 exactly: 37 is odd, up to 38
    assert.equal(bigDecimalHalfEven(12.5, 0), 12)
    assert.equal(bigDecimalHalfEven(13.5, 0), 14)
  })

  it('rule: a decimal that looks like a tie is not one in binary', () => {
    assert.equal(bigDecimalHalfEven(2.675), 2.67) // 2.67499999999999982236…
    assert.equal(bigDecimalHalfEven(15.635), 15.63) // 15.63499999999999978684…
    assert.equal(bigDecimalHalfEven(41.175), 41.17) // 41.17499999999999715782…
    assert.equal(bigDecimalHalfEven(12.345), 12.35) // 12.34500000000000063948…
  })

  it('rule: ordinary values, whole numbers, negatives', () => {
    assert.equal(bigDecimalHalfEven(100), 100)
    assert.equal(bigDecimalHalfEven(33.33333333333333), 33.33)
    assert.equal(bigDecimalHalfEven(-15.625), -15.62)
    assert.equal(bigDecimalHalfEven(1e-9), 0)
  })
})

describe('their percentages (services/Statistic.kt), eligible average and projection (services/PrisonStatsService.kt)', () => {
  it('rule: a percentage is null when either side is 0; otherwise n ÷ d × 100 to 2 decimals', () => {
    assert.equal(mojPercentage(0, 5), null)
    assert.equal(mojPercentage(5, 0), null)
    assert.equal(mojPercentage(5, 32), 15.62)
    assert.equal(mojPercentage(2, 7), 28.57)
  })

  it('rule: compliance is 0, not null, when nothing was held or nothing projected', () => {
    assert.equal(mojCompliance(0, 32), 0)
    assert.equal(mojCompliance(3, 0), 0)
    assert.equal(mojCompliance(5, 4), 125)
  })

  it('rule: the eligible average is truncated before the projection, and the projection again', () => {
    // 294 eligible prisoner-days over 28 days: 10.5 a day → 10; 10 × 28 ÷ 7 = 40 (not 294 ÷ 7 = 42)
    assert.equal(mojAverage(294, 28), 10)
    assert.equal(mojProjected(10, 28, 1), 40)
    // 3 eligible over 10 days, fortnightly: 3 × (10 ÷ 14) = 2.14… → 2
    assert.equal(mojProjected(3, 10, 2), 2)
    assert.equal(mojProjected(0, 28, 1), 0)
    assert.equal(mojAverage(34, 28), 1)
    assert.equal(mojAverage(0, 0), 0)
  })
})
