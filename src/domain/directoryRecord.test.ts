import { parseTime } from './time'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  contactPhonesOf,
  dayPhrase,
  daysOf,
  locationKindOf,
  locationsOf,
  monthsBefore,
  openingTimeLine,
  parseUkPhone,
  phoneLine,
  reconcileRows,
} from './directoryRecord'

test('UK phone numbers as people write them', () => {
  for (const [raw, number, extension] of [
    ['0113 203 2600', '0113 203 2600', null],
    ['+44 113 203 2600', '+44 113 203 2600', null],
    ['+44 (0)113 203 2600', '+44 (0)113 203 2600', null],
    ['01132032600', '01132032600', null],
    ['020 7946 0123 ext 204', '020 7946 0123', '204'],
    ['020 7946 0123 x12', '020 7946 0123', '12'],
    ['0044 20 7946 0123', '0044 20 7946 0123', null],
    ['0800 123 456', '0800 123 456', null],
    ['116 123', '116 123', null],
    ['111', '111', null],
    ['  0113   496 0000 ', '0113 496 0000', null],
  ] as const) {
    const r = parseUkPhone(raw)
    assert.ok(r.ok, raw)
    assert.equal(r.number, number, raw)
    assert.equal(r.extension, extension, raw)
  }
  for (const bad of [
    '0113 ABC 2600',
    'call us',
    '12345',
    '+33 1 23 45 67 89',
    '0113 203',
    '01132032600123',
    '0113-203-26o0',
    '',
  ])
    assert.equal(parseUkPhone(bad).ok, false, bad)
})

test('times of day', () => {
  assert.equal(parseTime('9:00'), '09:00')
  assert.equal(parseTime('09.30'), '09:30')
  assert.equal(parseTime('1730'), '17:30')
  assert.equal(parseTime('24:00'), null)
  assert.equal(parseTime('9am'), null)
})

test('opening times read as people say them', () => {
  assert.equal(dayPhrase(['MO', 'TU', 'WE', 'TH', 'FR']), 'Monday to Friday')
  assert.equal(dayPhrase(['FR', 'MO']), 'Monday and Friday')
  assert.equal(dayPhrase(['MO', 'TU']), 'Monday and Tuesday')
  assert.equal(dayPhrase(['MO', 'TU', 'WE', 'FR', 'SU']), 'Monday to Wednesday, Friday and Sunday')
  assert.equal(dayPhrase(['SA', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR']), 'Every day')
  assert.equal(dayPhrase(['TH']), 'Thursday')
  assert.equal(dayPhrase([]), '')
  assert.equal(
    openingTimeLine({ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '12:00' }),
    'Monday to Friday, 09:00 to 12:00',
  )
  assert.equal(
    openingTimeLine({ days: ['SA'], opensAt: '10:00', closesAt: '13:00', description: 'drop-in' }),
    'Saturday, 10:00 to 13:00 (drop-in)',
  )
  assert.equal(
    openingTimeLine({ days: [], opensAt: null, closesAt: null, description: 'By appointment' }),
    'By appointment',
  )
  assert.deepEqual(daysOf('FR,mo, 1TU,XX'), ['MO', 'FR'])
  assert.deepEqual(daysOf(null), [])
})

test('phone lines and check-due dates', () => {
  assert.equal(phoneLine({ number: '0113 496 0000', extension: '12' }), '0113 496 0000, extension 12')
  assert.equal(phoneLine({ number: '0113 496 0000', extension: null }), '0113 496 0000')
  assert.equal(monthsBefore('2026-08-31', 6), '2026-02-28')
  assert.equal(monthsBefore('2026-03-15', 6), '2025-09-15')
  assert.equal(monthsBefore('2024-08-29', 6), '2024-02-29')
})

test('saving an edited list over the stored one, row by row', () => {
  const stored = [
    { id: 'a', v: 1 },
    { id: 'b', v: 2 },
    { id: 'c', v: 3 },
    { id: 'd', v: 4 },
  ]
  const same = (x: { v: number }, y: { v: number }) => x.v === y.v
  const r = reconcileRows(
    stored,
    [
      { id: 'a', v: 1 }, // shown, unchanged
      { id: 'b', v: 20 }, // shown, changed
      { id: 'c', v: 30 }, // shown, changed, but ticked "Remove": removing wins
      { v: 5 }, // new
      { id: 'zz', v: 6 }, // an id that is not one of the stored rows: new, without the id
      { id: 'a', v: 7 }, // named twice: the copy is new
    ],
    ['c', 'not-ours'],
    same,
  )
  assert.deepEqual(r.keep, [{ stored: stored[0], edited: { id: 'a', v: 1 } }])
  assert.deepEqual(r.change, [{ stored: stored[1], edited: { id: 'b', v: 20 } }])
  assert.deepEqual(r.remove, [stored[2]], 'only stored rows listed as removed go; d, not shown, stays')
  assert.deepEqual(r.add, [{ v: 5 }, { v: 6 }, { v: 7 }])
})

test('records with one location and phone, or lists of them', () => {
  const inside = { type: 'physical' as const, name: 'Chapel', description: null, url: null, address: null }
  const online = { ...inside, type: 'virtual' as const, name: 'Online' }
  assert.deepEqual(locationsOf({ location: inside }), [inside])
  assert.deepEqual(locationsOf({ location: null }), [])
  assert.deepEqual(locationsOf({ location: inside, locations: [inside, online] }), [inside, online])
  const phone = { number: '111', extension: null, type: 'voice' as const }
  assert.deepEqual(contactPhonesOf({ phone }), [phone])
  assert.deepEqual(contactPhonesOf({ phone: null }), [])
  assert.deepEqual(contactPhonesOf({ phone, phones: [phone, phone] }), [phone, phone])
  assert.equal(locationKindOf(inside), 'inside')
  assert.equal(locationKindOf(online), 'virtual')
  assert.equal(
    locationKindOf({
      ...inside,
      address: { address1: '1 Road', address2: null, city: 'Leeds', region: null, postalCode: 'LS1 1AA' },
    }),
    'community',
  )
})
