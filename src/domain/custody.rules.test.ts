// The custody spells and the unit on a day, against a reference that shares no code with src/domain/custody.ts: it
// replays the events day by day (a prisoner's state at the end of each day) and reads the spells off the days, where
// the code under test walks the events once. Mutation testing (MUTATE=src/domain/custody.ts) found the order of
// events, same-day changes and the merging of adjacent spells unprotected; the generator makes many events share a
// day, recorded out of order, so those cases come up in every run.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type CustodyStep, type Spell, spellsFrom, unitOnDay } from './custody'

const KINDS = ['reception', 'transfer_in', 'transfer_out', 'release', 'complexity', 'moved', 'note'] as const
const COMPLEXITIES = ['low', 'medium', 'high', null] as const
const UNITS = [1, 2, null] as const

function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const dayOf = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10)

function randomEvents(random: () => number): CustodyStep[] {
  const n = 1 + Math.floor(random() * 9)
  // ids in a shuffled order, so the order of recording is not the order of the array
  const ids = Array.from({ length: n }, (_, i) => i + 1).sort(() => random() - 0.5)
  return ids.map(id => {
    const kind = KINDS[Math.floor(random() * KINDS.length)]!
    return {
      id,
      kind,
      // six days only: same-day events in most histories
      date: dayOf(Math.floor(random() * 6)),
      unitId: UNITS[Math.floor(random() * UNITS.length)]!,
      complexity: COMPLEXITIES[Math.floor(random() * COMPLEXITIES.length)]!,
    }
  })
}

/** The reference: the state at the end of every day, then runs of eligible days in one unit. */
function referenceSpells(events: CustodyStep[]): Spell[] {
  if (!events.length) return []
  const byRecording = (a: CustodyStep, b: CustodyStep) => a.id - b.id
  const days = [...new Set(events.map(e => e.date))].sort()
  const first = days[0]!
  const last = days[days.length - 1]!
  let inCustody = false
  let unit: number | null = null
  let complexity: string | null = null
  const state: { day: string; eligible: boolean; unit: number | null }[] = []
  for (let offset = 0; ; offset++) {
    const day = new Date(Date.parse(`${first}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
    if (day > last) break
    for (const e of events.filter(x => x.date === day).sort(byRecording)) {
      switch (e.kind) {
        case 'reception':
        case 'transfer_in':
          inCustody = true
          unit = e.unitId
          if (e.complexity !== null) complexity = e.complexity
          break
        case 'transfer_out':
        case 'release':
          inCustody = false
          break
        case 'complexity':
          complexity = e.complexity
          break
        case 'moved':
          unit = e.unitId
          break
      }
    }
    state.push({ day, eligible: inCustody && complexity !== 'high', unit })
  }
  const spells: Spell[] = []
  let run: Spell | null = null
  for (const s of state) {
    if (run && (!s.eligible || s.unit !== run.unitId)) {
      run.to = s.day
      spells.push(run)
      run = null
    }
    if (s.eligible && !run) run = { from: s.day, to: null, unitId: s.unit }
  }
  if (run) spells.push(run)
  return spells
}

function referenceUnitOnDay(events: CustodyStep[], day: string): number | null {
  const placing = events
    .filter(e => ['reception', 'transfer_in', 'moved'].includes(e.kind) && e.date <= day)
    .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
  return placing.length ? placing[placing.length - 1]!.unitId : null
}

describe('custody spells against a day-by-day replay', () => {
  it('agree on 5,000 random histories with same-day events recorded out of order', () => {
    const random = lcg(20261206)
    for (let i = 0; i < 5000; i++) {
      const events = randomEvents(random)
      assert.deepEqual(spellsFrom(events), referenceSpells(events), JSON.stringify(events))
    }
  })

  it('agree on the unit a prisoner was in on every day of 5,000 random histories', () => {
    const random = lcg(7)
    for (let i = 0; i < 5000; i++) {
      const events = randomEvents(random)
      for (let d = -1; d < 7; d++)
        assert.equal(unitOnDay(events, dayOf(d)), referenceUnitOnDay(events, dayOf(d)), JSON.stringify(events))
    }
  })
})

describe('custody spells, worked by hand', () => {
  const e = (id: number, kind: string, date: string, unitId: number | null, complexity: string | null = null) => ({
    id,
    kind,
    date,
    unitId,
    complexity,
  })

  it('a transfer in is an arrival: he is eligible from that day in its unit', () => {
    assert.deepEqual(spellsFrom([e(1, 'transfer_in', '2026-01-05', 2, 'low')]), [
      { from: '2026-01-05', to: null, unitId: 2 },
    ])
  })

  it('events of a day apply in the order they were recorded, not the order given', () => {
    // recorded: moved to unit 2 (id 1), then back to unit 1 (id 2): he ends the day in unit 1, one spell
    const events = [e(2, 'moved', '2026-01-03', 1), e(1, 'moved', '2026-01-03', 2), e(0, 'reception', '2026-01-01', 1)]
    assert.deepEqual(spellsFrom(events), [{ from: '2026-01-01', to: null, unitId: 1 }])
    // the other way round he ends the day in unit 2: two spells
    const swapped = [e(1, 'moved', '2026-01-03', 1), e(2, 'moved', '2026-01-03', 2), e(0, 'reception', '2026-01-01', 1)]
    assert.deepEqual(spellsFrom(swapped), [
      { from: '2026-01-01', to: '2026-01-03', unitId: 1 },
      { from: '2026-01-03', to: null, unitId: 2 },
    ])
  })

  it('a release and a reception on one day leave one unbroken spell; a release then a later reception two', () => {
    const sameDay = [
      e(1, 'reception', '2026-01-01', 1, 'low'),
      e(2, 'release', '2026-01-04', null),
      e(3, 'reception', '2026-01-04', 1),
    ]
    assert.deepEqual(spellsFrom(sameDay), [{ from: '2026-01-01', to: null, unitId: 1 }])
    const later = [
      e(1, 'reception', '2026-01-01', 1, 'low'),
      e(2, 'release', '2026-01-04', null),
      e(3, 'reception', '2026-01-06', 1),
    ]
    assert.deepEqual(spellsFrom(later), [
      { from: '2026-01-01', to: '2026-01-04', unitId: 1 },
      { from: '2026-01-06', to: null, unitId: 1 },
    ])
  })

  it('the unit on a day is the latest placing on or before it, a later-recorded one winning on the same day', () => {
    const events = [e(5, 'moved', '2026-01-03', 7), e(4, 'moved', '2026-01-03', 8), e(1, 'reception', '2026-01-01', 6)]
    assert.equal(unitOnDay(events, '2025-12-31'), null)
    assert.equal(unitOnDay(events, '2026-01-02'), 6)
    assert.equal(unitOnDay(events, '2026-01-03'), 7)
  })
})
