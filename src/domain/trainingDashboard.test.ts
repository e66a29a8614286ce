import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { InitialState, TopupState, TrainingStatus } from './training'
import {
  CPD_BAND_NAMES,
  CPD_BAND_ORDER,
  INITIAL_ORDER,
  MIN_OFFICERS_BEFORE_AFTER,
  TOPUP_ORDER,
  addStatus,
  beforeAfter,
  beforeAfterWords,
  cpdBand,
  emptyCourses,
  emptyTally,
  share,
  sumCourses,
  sumTallies,
} from './trainingDashboard'

const status = (initial: InitialState, topup: TopupState, hours: number, target = 6): TrainingStatus => ({
  initial: { state: initial, windowOpens: null, windowCloses: null, completedOn: null },
  topup: { state: topup, lastOn: null, dueOn: null },
  cpd: { hours, target, from: '2025-01-01', to: '2025-12-31', met: hours >= target },
  trained: initial === 'done',
})

describe('CPD bands', () => {
  it('none, under half, half or more, met (target 6)', () => {
    assert.deepEqual(
      [0, 0.5, 2.99, 3, 5.99, 6, 40].map(h => cpdBand(h, 6)),
      ['none', 'under_half', 'under_half', 'half', 'half', 'met', 'met'],
    )
  })
  it('a target of 10: 4.9 is under half, 5 is half', () => {
    assert.deepEqual([cpdBand(4.9, 10), cpdBand(5, 10), cpdBand(10, 10)], ['under_half', 'half', 'met'])
  })
})

describe('tallies', () => {
  it('counts each officer once in each measure; top-ups among the trained only', () => {
    const t = emptyTally()
    addStatus(t, status('done', 'current', 7))
    addStatus(t, status('done', 'expiring', 2))
    addStatus(t, status('done', 'expired', 0))
    addStatus(t, status('in_window', 'not_applicable', 3))
    addStatus(t, status('overdue', 'not_applicable', 0))
    addStatus(t, status('no_start_date', 'not_applicable', 6))
    assert.equal(t.keyWorkers, 6)
    assert.deepEqual(t.initial, { done: 3, in_window: 1, not_yet_due: 0, overdue: 1, no_start_date: 1 })
    assert.equal(t.trained, 3)
    assert.deepEqual(t.topup, { current: 1, expiring: 1, expired: 1 })
    assert.deepEqual(t.cpd, { none: 2, under_half: 1, half: 1, met: 2 })
    assert.equal(t.cpdMet, 2)
    assert.equal(t.cpdHours, 18)
    const sum = sumTallies([t, t])
    assert.equal(sum.keyWorkers, 12)
    assert.deepEqual(sum.initial, { done: 6, in_window: 2, not_yet_due: 0, overdue: 2, no_start_date: 2 })
    assert.deepEqual(sum.topup, { current: 2, expiring: 2, expired: 2 })
    assert.equal(sum.cpdHours, 36)
  })

  it('a share of nothing is null, not 0 or NaN', () => {
    assert.equal(share(0, 0), null)
    assert.equal(share(1, 4), 0.25)
  })

  it('courses add up', () => {
    assert.deepEqual(
      sumCourses([
        { courses: 1, capacity: 12, enrolled: 10, waiting: 0 },
        { courses: 2, capacity: 20, enrolled: 20, waiting: 3 },
      ]),
      { courses: 3, capacity: 32, enrolled: 30, waiting: 3 },
    )
  })
})

describe('QA scores before and after the initial course', () => {
  const officer = (before: number[], after: number[]) => ({
    before: { reviews: before.length, sum: before.reduce((a, b) => a + b, 0) },
    after: { reviews: after.length, sum: after.reduce((a, b) => a + b, 0) },
  })

  it('too few officers with reviews on both sides: no difference, and says so', () => {
    const list = [
      ...Array.from({ length: 9 }, () => officer([2], [3])),
      officer([2, 2], []), // not paired
      officer([], [4]), // not paired
    ]
    const b = beforeAfter(list, 10)
    assert.deepEqual([b.officers, b.paired, b.reviewsBefore, b.reviewsAfter], [11, 9, 9, 9])
    assert.equal(b.difference, null)
    assert.equal(b.meanBefore, null)
    assert.match(beforeAfterWords(b), /^Too few to tell: 9 officers have reviews both before and after.*at least 10/)
  })

  it('paired by officer: each officer’s mean difference, a t interval over the officers', () => {
    // ten officers: eight improve by 1 (2 → 3), two by 0 (3 → 3, with two reviews before averaging 3)
    const list = [...Array.from({ length: 8 }, () => officer([2], [3])), officer([3], [3]), officer([2, 4], [3])]
    const b = beforeAfter(list, 10)
    assert.equal(b.paired, 10)
    assert.equal(b.reviewsBefore, 11)
    // differences: eight 1s and two 0s: mean 0.8, sd √(8×0.04 + 2×0.64)/9 = √(1.6/9) = 0.4216, t(9) = 2.262
    const half = (2.262 * Math.sqrt(1.6 / 9)) / Math.sqrt(10)
    assert.ok(Math.abs(b.difference!.estimate - 0.8) < 1e-9)
    assert.ok(Math.abs(b.difference!.low - (0.8 - half)) < 1e-9)
    assert.ok(Math.abs(b.difference!.high - (0.8 + half)) < 1e-9)
    assert.ok(Math.abs(b.meanBefore! - 2.2) < 1e-9)
    assert.ok(Math.abs(b.meanAfter! - 3) < 1e-9)
    assert.match(beforeAfterWords(b), /higher after/)
  })

  it('an interval across 0 claims no difference', () => {
    const list = [
      ...Array.from({ length: 5 }, () => officer([2], [3])),
      ...Array.from({ length: 5 }, () => officer([3], [2])),
    ]
    const b = beforeAfter(list, 10)
    assert.equal(b.difference!.estimate, 0)
    assert.match(beforeAfterWords(b), /No difference the sample can show/)
  })
})

// ---- mutation testing (issue 20): the edges the cases above left open, each worked by hand ----
describe('training dashboard: edges', () => {
  const officer = (before: number[], after: number[]) => ({
    before: { reviews: before.length, sum: before.reduce((a, b) => a + b, 0) },
    after: { reviews: after.length, sum: after.reduce((a, b) => a + b, 0) },
  })

  it('names the CPD bands, in order, and lists the states in the order the dashboard shows them', () => {
    assert.deepEqual(CPD_BAND_ORDER, ['none', 'under_half', 'half', 'met'])
    assert.deepEqual(CPD_BAND_NAMES, {
      none: 'No hours',
      under_half: 'Less than half the target',
      half: 'Half the target or more, short of it',
      met: 'Target met',
    })
    assert.deepEqual(INITIAL_ORDER, ['done', 'in_window', 'not_yet_due', 'overdue', 'no_start_date'])
    assert.deepEqual(TOPUP_ORDER, ['current', 'expiring', 'expired'])
    assert.equal(MIN_OFFICERS_BEFORE_AFTER, 10)
  })

  it('sums every measure of the tallies: trained, CPD met, each band', () => {
    const a = emptyTally()
    addStatus(a, status('done', 'current', 7)) // met
    addStatus(a, status('not_yet_due', 'not_applicable', 1)) // under half of 6
    const b = emptyTally()
    addStatus(b, status('done', 'expired', 4)) // half or more
    const sum = sumTallies([a, b])
    assert.deepEqual(sum, {
      keyWorkers: 3,
      initial: { done: 2, in_window: 0, not_yet_due: 1, overdue: 0, no_start_date: 0 },
      trained: 2,
      topup: { current: 1, expiring: 0, expired: 1 },
      cpd: { none: 0, under_half: 1, half: 1, met: 1 },
      cpdMet: 1,
      cpdHours: 12,
    })
    assert.deepEqual(sumTallies([]), emptyTally())
    assert.deepEqual(emptyTally(), {
      keyWorkers: 0,
      initial: { done: 0, in_window: 0, not_yet_due: 0, overdue: 0, no_start_date: 0 },
      trained: 0,
      topup: { current: 0, expiring: 0, expired: 0 },
      cpd: { none: 0, under_half: 0, half: 0, met: 0 },
      cpdMet: 0,
      cpdHours: 0,
    })
  })

  it('counts no top-up for a trained status without a top-up state', () => {
    const t = addStatus(emptyTally(), status('done', 'not_applicable', 0))
    assert.equal(t.trained, 1)
    assert.deepEqual(t.topup, { current: 0, expiring: 0, expired: 0 })
  })

  it('a share of 3 in 4 is 0.75; of 0 in 5 is 0', () => {
    assert.equal(share(3, 4), 0.75)
    assert.equal(share(0, 5), 0)
    assert.equal(share(2, -1), null)
    assert.deepEqual(sumCourses([]), { courses: 0, capacity: 0, enrolled: 0, waiting: 0 })
    assert.deepEqual(emptyCourses(), { courses: 0, capacity: 0, enrolled: 0, waiting: 0 })
  })

  it('needs 10 paired officers by default, and never fewer than 2', () => {
    const nine = Array.from({ length: 9 }, () => officer([2], [3]))
    const byDefault = beforeAfter(nine)
    assert.equal(byDefault.minimum, 10)
    assert.equal(byDefault.difference, null)
    assert.equal(byDefault.meanAfter, null)
    assert.notEqual(beforeAfter([...nine, officer([2], [3])]).difference, null)
    // a minimum of 1 still needs two officers for an interval
    const one = beforeAfter([officer([2], [4])], 1)
    assert.deepEqual(one, {
      officers: 1,
      paired: 1,
      reviewsBefore: 1,
      reviewsAfter: 1,
      meanBefore: null,
      meanAfter: null,
      difference: null,
      minimum: 1,
    })
    assert.equal(
      beforeAfterWords(one),
      'Too few to tell: 1 officer has reviews both before and after their initial course; at least 1 are needed ' +
        'before a difference is shown.',
    )
    // two officers, minimum 2: differences 1 and 3, mean 2; means before (2 + 2) / 2 = 2, after (3 + 5) / 2 = 4
    const two = beforeAfter([officer([2], [3]), officer([1, 3], [5, 5])], 2)
    assert.equal(two.paired, 2)
    assert.equal(two.reviewsBefore, 3)
    assert.equal(two.reviewsAfter, 3)
    assert.equal(two.meanBefore, 2)
    assert.equal(two.meanAfter, 4)
    assert.equal(two.difference!.estimate, 2)
  })

  it('says lower when the whole interval is below 0, and no difference when it is exactly 0', () => {
    const lower = beforeAfter(
      [...Array.from({ length: 8 }, () => officer([3], [2])), officer([3], [3]), officer([4], [2])],
      10,
    )
    // differences: eight −1s, one 0, one −2: mean −1, every bound below 0
    assert.equal(lower.difference!.estimate, -1)
    assert.ok(lower.difference!.high < 0)
    assert.equal(
      beforeAfterWords(lower),
      'Scores were lower after the initial course: the whole 95% interval is below 0.',
    )
    const same = beforeAfter(
      Array.from({ length: 10 }, () => officer([3], [3])),
      10,
    )
    // every difference 0: the interval is [0, 0], which includes 0
    assert.deepEqual([same.difference!.low, same.difference!.high], [0, 0])
    assert.equal(beforeAfterWords(same), 'No difference the sample can show: the 95% interval includes 0.')
    const higher = beforeAfter(
      Array.from({ length: 10 }, () => officer([2], [3])),
      10,
    )
    assert.equal(
      beforeAfterWords(higher),
      'Scores were higher after the initial course: the whole 95% interval is above 0.',
    )
  })
})
