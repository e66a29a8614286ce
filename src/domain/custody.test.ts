import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { spellsFrom, unitOnDay } from './custody'

const ev = (id: number, kind: string, date: string, more: { unitId?: number; complexity?: string } = {}) => ({
  id,
  kind,
  date,
  unitId: more.unitId ?? null,
  complexity: more.complexity ?? null,
})

describe('spells of eligibility from custody events', () => {
  it('rule: a stay is one spell from arrival to departure (the departure day excluded)', () => {
    const spells = spellsFrom([
      ev(1, 'reception', '2025-01-10', { unitId: 7, complexity: 'low' }),
      ev(2, 'release', '2025-02-01'),
    ])
    assert.deepEqual(spells, [{ from: '2025-01-10', to: '2025-02-01', unitId: 7 }])
  })

  it('rule: a move splits the spell by unit; high complexity interrupts it; a return to medium resumes it', () => {
    const spells = spellsFrom([
      ev(1, 'reception', '2025-01-10', { unitId: 7, complexity: 'low' }),
      ev(2, 'moved', '2025-01-20', { unitId: 8 }),
      ev(3, 'complexity', '2025-01-25', { complexity: 'high' }),
      ev(4, 'moved', '2025-01-27', { unitId: 9 }),
      ev(5, 'complexity', '2025-02-03', { complexity: 'medium' }),
    ])
    assert.deepEqual(spells, [
      { from: '2025-01-10', to: '2025-01-20', unitId: 7 },
      { from: '2025-01-20', to: '2025-01-25', unitId: 8 },
      { from: '2025-02-03', to: null, unitId: 9 },
    ])
  })

  it('rule: events are taken in date order; a change of complexity that is not to or from high changes nothing', () => {
    const spells = spellsFrom([
      ev(3, 'complexity', '2025-01-15', { complexity: 'medium' }),
      ev(1, 'reception', '2025-01-10', { unitId: 7, complexity: 'low' }),
      ev(2, 'transfer_out', '2025-03-01'),
    ])
    assert.deepEqual(spells, [{ from: '2025-01-10', to: '2025-03-01', unitId: 7 }])
  })

  it('rule: arriving with high complexity is no spell; a stay that ends the day it starts is none', () => {
    assert.deepEqual(spellsFrom([ev(1, 'reception', '2025-01-10', { unitId: 7, complexity: 'high' })]), [])
    assert.deepEqual(
      spellsFrom([ev(1, 'reception', '2025-01-10', { unitId: 7, complexity: 'low' }), ev(2, 'release', '2025-01-10')]),
      [],
    )
  })
})

describe('unitOnDay: the unit a prisoner was in on a day', () => {
  const events = [
    { id: 1, kind: 'reception', date: '2026-01-01', unitId: 11 },
    { id: 3, kind: 'moved', date: '2026-01-10', unitId: 13 }, // recorded after id 2, the same day: it wins
    { id: 2, kind: 'moved', date: '2026-01-10', unitId: 12 },
    { id: 4, kind: 'complexity', date: '2026-01-15', unitId: null },
    { id: 5, kind: 'release', date: '2026-01-20', unitId: null },
  ]
  it('rule: the last arrival or move on or before the day places him', () => {
    assert.equal(unitOnDay(events, '2025-12-31'), null)
    assert.equal(unitOnDay(events, '2026-01-01'), 11)
    assert.equal(unitOnDay(events, '2026-01-09'), 11)
    assert.equal(unitOnDay(events, '2026-01-10'), 13)
    assert.equal(unitOnDay(events, '2026-01-16'), 13) // a complexity change does not move him
    assert.equal(unitOnDay(events, '2026-01-25'), 13)
  })
})
