import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type TrainingPolicy, NO_LOCAL_SETTINGS, policyProblems, settingsProblems } from './training'

// The training policy's checks at their edges, each expected problem written out by hand: a value already wrong is
// reported once, as wrong, and not compared with the other bounds as well; and the window may open at month 60.

const policy: TrainingPolicy = {
  windowFromMonths: 3,
  windowToMonths: 9,
  topupMonths: 12,
  cpdHours: 6,
  untrainedAllocation: 'warn',
  windowToMax: 12,
  topupMonthsMin: 6,
  topupMonthsMax: 24,
  cpdHoursMin: 0,
  cpdHoursMax: 20,
  untrainedLocal: true,
}
const hoursMessage = (what: string) => `${what} must be a number of hours from 0 to 200, like 6 or 7.5`

describe('training policy: a CPD value out of the national limits is not also compared with the bounds', () => {
  it('reports a target above 200 hours as out of the limits, not as outside the bounds 0 to 20', () => {
    assert.deepEqual(policyProblems({ ...policy, cpdHours: 250 }), { cpdHours: hoursMessage('The CPD target') })
  })

  it('reports a smallest and largest target both above 200 as out of the limits, not as the wrong way round', () => {
    // 250 > 201, but both are already wrong: neither is compared with the other
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMin: 250, cpdHoursMax: 201 }), {
      cpdHoursMin: hoursMessage('The smallest CPD target'),
      cpdHoursMax: hoursMessage('The largest CPD target'),
    })
  })
})

describe('training policy: bounds already wrong are not compared with each other', () => {
  it('reports a shortest top-up interval above 60 as out of the limits, not as longer than the longest', () => {
    // 61 > 24, but 61 is already wrong: it is not compared with the longest interval
    assert.deepEqual(policyProblems({ ...policy, topupMonthsMin: 61 }), {
      topupMonthsMin: 'The shortest top-up interval must be a whole number from 1 to 60',
    })
  })

  it('reports a smallest CPD target above 200 as out of the limits, not as larger than the largest', () => {
    // 250 > 20, but 250 is already wrong: it is not compared with the largest target
    assert.deepEqual(policyProblems({ ...policy, cpdHoursMin: 250 }), {
      cpdHoursMin: hoursMessage('The smallest CPD target'),
    })
  })
})

describe('establishment settings: the window may open at the national limit of 60 months', () => {
  it('accepts a window from month 60 to month 60 when the national bound allows 60', () => {
    assert.deepEqual(
      settingsProblems(
        { ...policy, windowToMax: 60 },
        { ...NO_LOCAL_SETTINGS, windowFromMonths: 60, windowToMonths: 60 },
      ),
      {},
    )
  })

  it('refuses a window opening at month 61', () => {
    assert.deepEqual(
      settingsProblems(
        { ...policy, windowToMax: 60 },
        { ...NO_LOCAL_SETTINGS, windowFromMonths: 61, windowToMonths: 60 },
      ),
      { windowFromMonths: 'The months to the start of the window must be a whole number from 0 to 60' },
    )
  })
})
