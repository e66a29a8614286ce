// Rules of directory records (UK phone numbers, opening times, days) that mutation testing found unprotected
// (npm run mutation, MUTATE=src/domain/directoryRecord.ts). Expected values written by hand.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dayPhrase, daysOf, monthsBefore, noRemovals, openingTimeLine, parseUkPhone } from './directoryRecord'

const refused = { ok: false, message: 'Enter a UK phone number, like 0113 203 2600 or +44 113 203 2600' }

describe('directory record rules: UK phone numbers', () => {
  it('takes an extension written after the number, and keeps the number without the space before it', () => {
    assert.deepEqual(parseUkPhone('0113 203 2600 ext 1234'), { ok: true, number: '0113 203 2600', extension: '1234' })
    assert.deepEqual(parseUkPhone('0113 203 2600x12'), { ok: true, number: '0113 203 2600', extension: '12' })
  })

  it('an "ext" that is not at the end is not an extension', () => {
    assert.deepEqual(parseUkPhone('0113 ext 12 203'), refused)
    assert.deepEqual(parseUkPhone('0113 203 2600 ext 12 5'), refused)
    assert.deepEqual(parseUkPhone('0113 203 2600 ext 12a'), refused)
  })

  it('refuses letters anywhere, and an international number that is not +44', () => {
    assert.deepEqual(parseUkPhone('call 0113 203 2600'), refused)
    assert.deepEqual(parseUkPhone('0113 203 2600 now'), refused)
    assert.deepEqual(parseUkPhone('+33 1 23 45 67 89'), refused)
  })

  it('a number must be a whole UK number, not one inside longer digits', () => {
    assert.deepEqual(parseUkPhone('90113 203 2600'), refused)
    assert.deepEqual(parseUkPhone('1161234'), refused)
    assert.deepEqual(parseUkPhone('9116123'), refused)
    assert.deepEqual(parseUkPhone('116 123'), { ok: true, number: '116 123', extension: null })
  })
})

describe('directory record rules: opening times', () => {
  it('runs of three or more days are a range; two neighbours are named', () => {
    assert.equal(dayPhrase(['MO', 'TU', 'WE', 'FR', 'SA']), 'Monday to Wednesday, Friday and Saturday')
    assert.equal(dayPhrase(['SU', 'MO']), 'Monday and Sunday')
  })

  it('a line says from or until when only one time is known, and leaves out days when there are none', () => {
    assert.equal(openingTimeLine({ days: ['MO'], opensAt: '09:00', closesAt: null }), 'Monday, from 09:00')
    assert.equal(openingTimeLine({ days: ['MO'], opensAt: null, closesAt: '17:00' }), 'Monday, until 17:00')
    assert.equal(openingTimeLine({ days: [], opensAt: '09:00', closesAt: '17:00' }), '09:00 to 17:00')
  })

  it('reads HSDS byday text whatever its case and spacing', () => {
    assert.deepEqual(daysOf(' fr, mo ,1TU'), ['MO', 'FR'])
  })

  it('a date some months back keeps its day, or the last day of a shorter month', () => {
    assert.equal(monthsBefore('2026-03-31', 1), '2026-02-28')
    assert.equal(monthsBefore('2026-01-05', 13), '2024-12-05')
  })
})

describe('directory record rules: an edit that removes nothing', () => {
  it('has no rows of any kind to remove, in a new object each time', () => {
    assert.deepEqual(noRemovals(), { locations: [], phones: [], contacts: [], schedules: [] })
    assert.notEqual(noRemovals().phones, noRemovals().phones)
  })
})
