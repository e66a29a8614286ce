import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatTime, minutesOf, parseTime } from './time'

describe('times of day', () => {
  it('rule: a typed time in the ways people write it, stored as HH:MM', () => {
    const table: [string, string | null][] = [
      ['9:30', '09:30'],
      ['09:30', '09:30'],
      ['9.30', '09:30'],
      ['0930', '09:30'],
      ['930', '09:30'],
      [' 23:59 ', '23:59'],
      ['00:00', '00:00'],
      ['24:00', null],
      ['12:60', null],
      ['noon', null],
      ['25:99', null],
      ['', null],
      ['9:3', null],
    ]
    for (const [typed, stored] of table) assert.equal(parseTime(typed), stored, typed)
  })

  it('rule: stored times to minutes and back', () => {
    assert.equal(minutesOf('09:30'), 570)
    assert.equal(minutesOf('9:05'), 545)
    assert.equal(minutesOf('9.30'), null, 'a stored time has a colon')
    assert.equal(formatTime(570), '09:30')
    assert.equal(formatTime(24 * 60), '24:00')
  })
})
