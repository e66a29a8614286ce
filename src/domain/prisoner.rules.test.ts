// Rules of prisoner, directory and officer records that no domain test reached (npm run mutation found them with no
// coverage in src/domain): prison numbers, custody events, name search, service search text, officer labels.
// Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { searchTextOf } from './directory'
import { officerLabel } from './officerLabel'
import {
  CUSTODY_EVENT_NAMES,
  PRISONER_STATUS_NAMES,
  custodyEventFor,
  heldElsewhereMessage,
  isPrisonNumber,
  normalisePrisonNumber,
  refusedWhileHeldElsewhere,
  searchPrefixes,
} from './prisoner'

describe('prisoner rules', () => {
  it('a prison number is a letter, four digits and two letters, typed in any case with spaces around', () => {
    assert.equal(normalisePrisonNumber('  a1234bc '), 'A1234BC')
    assert.equal(isPrisonNumber('A1234BC'), true)
    for (const bad of ['a1234bc', 'A123BC', 'A12345BC', '1A234BC', 'A1234B', 'A1234BCD', 'XA1234BC'])
      assert.equal(isPrisonNumber(bad), false, bad)
  })

  it('names statuses and custody events in plain words', () => {
    assert.deepEqual(PRISONER_STATUS_NAMES, { in: 'In prison', released: 'Released', transferred: 'Transferred' })
    assert.deepEqual(CUSTODY_EVENT_NAMES, {
      reception: 'Received',
      transfer_in: 'Transferred in',
      transfer_out: 'Transferred out',
      release: 'Released',
    })
  })

  it('says why a record held elsewhere is refused', () => {
    assert.equal(
      heldElsewhereMessage('A1234BC'),
      'A1234BC is recorded at another establishment: they must record him transferred out or released first',
    )
  })

  it('while held elsewhere, a new record or putting one’s own record in custody is refused; correcting it is not', () => {
    assert.equal(refusedWhileHeldElsewhere(false, 'released'), true)
    assert.equal(refusedWhileHeldElsewhere(true, 'in'), true)
    assert.equal(refusedWhileHeldElsewhere(true, 'released'), false)
    assert.equal(refusedWhileHeldElsewhere(true, 'transferred'), false)
  })

  it('a change of status makes the custody event it means, and only those', () => {
    assert.equal(custodyEventFor(null, 'in', false), 'reception')
    assert.equal(custodyEventFor('released', 'in', true), 'transfer_in')
    assert.equal(custodyEventFor('in', 'transferred', false), 'transfer_out')
    assert.equal(custodyEventFor('in', 'released', false), 'release')
    assert.equal(custodyEventFor('in', 'in', true), undefined)
    assert.equal(custodyEventFor('released', 'transferred', false), undefined)
    assert.equal(custodyEventFor(null, 'released', false), undefined)
  })

  it('a name search is at most four lower-case word prefixes, without the wildcards typed', () => {
    assert.deepEqual(searchPrefixes(' Smith,  JOHN a%b_c\\d  e f'), ['smith%', 'john%', 'abcd%', 'e%'])
    assert.deepEqual(searchPrefixes('  ,  '), [])
  })
})

describe('directory search text', () => {
  it('is every name and detail a person might type, lower case, one space between words, blanks left out', () => {
    assert.equal(
      searchTextOf({
        name: 'Housing  Advice',
        alternateName: null,
        description: 'Help\nwith tenancy',
        organizationName: '',
        eligibility: 'Adults',
        contacts: [{ name: 'Jo Bloggs', title: null, department: 'Resettlement' }],
      }),
      'housing advice help with tenancy adults jo bloggs resettlement',
    )
    assert.equal(searchTextOf({ name: 'Only' }), 'only')
  })
})

describe('officer label', () => {
  it('is the name, then the staff number and home houseblock when known', () => {
    assert.equal(
      officerLabel({ first_name: 'Ann', last_name: 'Lee', staff_number: 'S12', home_unit_name: 'A wing' }),
      'Lee, Ann (S12, A wing)',
    )
    assert.equal(
      officerLabel({ first_name: 'Ann', last_name: 'Lee', staff_number: null, home_unit_name: 'A wing' }),
      'Lee, Ann (A wing)',
    )
    assert.equal(officerLabel({ first_name: 'Ann', last_name: 'Lee' }), 'Lee, Ann')
  })
})
