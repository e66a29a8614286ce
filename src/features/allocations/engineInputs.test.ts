// What the allocation engine is given of a prisoner's and an officer's rows, written out by hand: the engine matches
// on these fields, so a field read wrongly here changes every proposal without any engine test noticing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { engineOfficer, enginePrisoner } from './auto'

describe('the allocation engine’s view of the rows', () => {
  const prisonerRow = {
    id: 41,
    first_name: 'Ade',
    last_name: 'Okafor',
    unit_code: 'HB2',
    reception_date: '2026-03-01',
    first_language: 'Yoruba',
    interpreter_needed: 1,
  }

  it('a prisoner: named "last, first", with their unit, language and whether they need an interpreter', () => {
    assert.deepEqual(enginePrisoner(prisonerRow, ['7', '9']), {
      id: '41',
      name: 'Okafor, Ade',
      unitCode: 'HB2',
      receptionDate: '2026-03-01',
      language: 'Yoruba',
      interpreterNeeded: true,
      excluded: false,
      previousOfficerIds: ['7', '9'],
    })
    const noInterpreter = enginePrisoner({ ...prisonerRow, interpreter_needed: 0, unit_code: null }, [])
    assert.equal(noInterpreter.interpreterNeeded, false)
    assert.equal(noInterpreter.unitCode, null)
  })

  const officerRow = {
    id: 7,
    home_unit_code: 'HB2',
    languages: 'Yoruba, French',
    capacity: 6,
    load: 2,
    keyWorker: true,
  }

  it('an officer: their languages as a list, their capacity and load as they are', () => {
    assert.deepEqual(engineOfficer(officerRow), {
      id: '7',
      homeUnitCode: 'HB2',
      languages: ['Yoruba', 'French'],
      capacity: 6,
      currentLoad: 2,
      active: true,
      keyWorker: true,
    })
  })

  it('an officer closed to new prisoners: capacity cut to those held, never raised to them', () => {
    // capacity 6 holding 2: capacity 2 (no room); capacity 1 holding 3: capacity 1 (over, as before)
    assert.equal(engineOfficer({ ...officerRow, closed: true }).capacity, 2)
    assert.equal(engineOfficer({ ...officerRow, capacity: 1, load: 3, closed: true }).capacity, 1)
    assert.equal(engineOfficer({ ...officerRow, closed: false }).capacity, 6)
  })
})
