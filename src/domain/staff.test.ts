import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  defaultWeeklyHours,
  isStaffNumber,
  joinLanguages,
  normaliseStaffNumber,
  returnDateRule,
  splitLanguages,
  staffGrade,
} from './staff'

describe('staff rules', () => {
  it('accepts staff numbers of letters and digits only', () => {
    assert.equal(normaliseStaffNumber(' sn12345 '), 'SN12345')
    assert.ok(isStaffNumber('SN12345'))
    assert.ok(isStaffNumber('104233'))
    assert.ok(!isStaffNumber('SN-1'))
    assert.ok(!isStaffNumber(''))
    assert.ok(!isStaffNumber('A'.repeat(21)))
  })

  it('reads grades however they are written, and only ours', () => {
    for (const v of ['Band 3', 'band3', 'B3', '3', ' BAND  3 ']) assert.equal(staffGrade(v), 'Band 3', v)
    assert.equal(staffGrade('Band 5'), 'Band 5')
    for (const v of ['Band 9', 'SO', '', 'Band']) assert.equal(staffGrade(v), null, v)
  })

  it('knows which statuses carry a return date and the standard hours', () => {
    assert.equal(returnDateRule('annual_leave'), 'required')
    assert.equal(returnDateRule('long_term_absence'), 'optional')
    assert.equal(returnDateRule('active'), 'none')
    assert.equal(defaultWeeklyHours('full_time'), 37)
    assert.equal(defaultWeeklyHours('part_time'), null)
  })

  it('stores languages as one list of codes', () => {
    assert.equal(joinLanguages(['pl', 'cy']), 'pl,cy')
    assert.deepEqual(splitLanguages('pl, cy'), ['pl', 'cy'])
    assert.deepEqual(splitLanguages(''), [])
  })
})
