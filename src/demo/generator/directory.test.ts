import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PATHWAY_CODES } from '../../domain/pathways'
import { parseUkPhone } from '../../domain/directoryRecord'
import { demoDirectory, townOf } from './directory'

test('each establishment gets at least 25 services across all 8 pathways, the same every time', () => {
  const d = demoDirectory('2026-01-15')
  const leeds = d.forEstablishment({ code: 'LEI', name: 'Leeds (HMP)' })
  assert.ok(leeds.length >= 25)
  assert.deepEqual(new Set(leeds.flatMap(s => s.record.pathways)), new Set(PATHWAY_CODES))
  assert.deepEqual(leeds, demoDirectory('2026-01-15').forEstablishment({ code: 'LEI', name: 'Leeds (HMP)' }))
  assert.notDeepEqual(leeds, d.forEstablishment({ code: 'MDI', name: 'Moorland (HMP & YOI)' }))
  assert.ok(leeds.some(s => s.record.provision === 'internal' && s.record.location?.name === 'Education block'))
  assert.ok(leeds.some(s => s.record.provision === 'external' && s.record.location?.address?.city === 'Leeds'))
  assert.ok(leeds.some(s => s.record.name === 'Chaplaincy' && s.record.languages.includes('pl')))
  assert.ok(
    leeds.some(s => s.assuredDate === null || s.assuredDate < '2025-07-15'),
    'some are due a check',
  )
  assert.ok(d.national.some(s => s.record.name === 'Samaritans'))
  assert.ok(d.national.length >= 6)
})

test('contact details are clearly made up: drama-range numbers and example.org addresses', () => {
  const d = demoDirectory('2026-01-15')
  const all = [...d.national, ...d.forEstablishment({ code: 'BXI', name: 'Brixton (HMP)' })]
  for (const s of all) {
    for (const p of [...s.record.phones, ...s.record.contacts.flatMap(c => (c.phone ? [c.phone] : []))]) {
      assert.ok(parseUkPhone(p.number).ok, p.number)
      assert.match(p.number, /^(0113 496 0\d{3}|020 7946 0\d{3})$/)
    }
    for (const e of [s.record.email, ...s.record.contacts.map(c => c.email), s.assurerEmail])
      if (e) assert.match(e, /@example\.org$/)
  }
  assert.equal(townOf('Moorland (HMP & YOI)'), 'Moorland')
})
