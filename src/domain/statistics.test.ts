import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { addDays } from './dates'
import {
  type Period,
  type World,
  addInto,
  type DayAggregate,
  type SessionFact,
  aggregateByDay,
  dayChanges,
  emptyDay,
  emptyTotals,
  figuresOf,
  inCustody,
  intervalCounts,
  medianOf,
  periodDays,
  presetPeriod,
  previousPeriod,
  prisonerDays,
  projectedSessions,
  recount,
  weeklySeries,
  withPreviousDates,
} from './statistics'

const BASE = '2026-01-01'
const day = (n: number) => addDays(BASE, n)
const dayArb = fc.integer({ min: 0, max: 60 }).map(day)
const periodArb = fc
  .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }))
  .map(([a, n]): Period => ({ from: day(a), to: day(a + n) }))

describe('periods', () => {
  it('the previous period has the same length and ends the day before', () => {
    fc.assert(
      fc.property(periodArb, p => {
        const prev = previousPeriod(p)
        assert.equal(periodDays(prev), periodDays(p))
        assert.equal(addDays(prev.to, 1), p.from)
      }),
    )
  })

  it('presets', () => {
    assert.deepEqual(presetPeriod('4w', '2026-11-27'), { from: '2026-10-31', to: '2026-11-27' })
    assert.equal(periodDays(presetPeriod('12m', '2026-11-27')), 365)
    assert.deepEqual(presetPeriod('quarter', '2026-11-27'), { from: '2026-07-01', to: '2026-09-30' })
    assert.deepEqual(presetPeriod('quarter', '2026-02-10'), { from: '2025-10-01', to: '2025-12-31' })
    assert.deepEqual(presetPeriod('quarter', '2026-04-01'), { from: '2026-01-01', to: '2026-03-31' })
  })
})

describe('eligible prisoners per day from events', () => {
  it('equals a day-by-day count of the intervals', () => {
    const intervalArb = fc.record({
      start: dayArb,
      end: fc.option(dayArb, { nil: null }),
      weight: fc.constantFrom(1, 0.5, 0.25),
    })
    fc.assert(
      fc.property(periodArb, fc.array(intervalArb, { maxLength: 30 }), (p, intervals) => {
        const fast = intervalCounts(p, intervals)
        let d = p.from
        for (let i = 0; i < fast.length; i++, d = addDays(d, 1)) {
          const slow = intervals
            .filter(x => x.start <= d && (x.end === null || d < x.end))
            .reduce((s, x) => s + x.weight, 0)
          assert.ok(Math.abs(fast[i]! - slow) < 1e-9, `${d}: ${fast[i]} ≠ ${slow}`)
        }
      }),
    )
  })

  it('custody: in from reception, out from the release date unless still in', () => {
    const p = { receptionDate: '2026-01-10', releaseDate: '2026-01-20', status: 'released' }
    assert.equal(inCustody(p, '2026-01-09'), false)
    assert.equal(inCustody(p, '2026-01-10'), true)
    assert.equal(inCustody(p, '2026-01-19'), true)
    assert.equal(inCustody(p, '2026-01-20'), false)
    assert.equal(inCustody({ ...p, status: 'in' }, '2027-01-01'), true)
    assert.equal(inCustody({ ...p, releaseDate: null }, '2026-01-12'), false)
  })
})

describe('formulas', () => {
  it('projected sessions and compliance, as the Ministry of Justice defines them', () => {
    // 100 eligible on average over 28 days, sessions every week: 400 projected; 300 delivered is 75%
    assert.equal(projectedSessions(100, 28, 1), 400)
    const t = emptyTotals()
    t.eligibleDays = 2800
    t.projected = 400
    t.delivered = 300
    const f = figuresOf(t, 28)
    assert.equal(f.eligible, 100)
    assert.equal(f.compliance, 75)
    assert.equal(figuresOf(emptyTotals(), 28).compliance, null)
  })

  it('the median of a histogram is the median of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }), values => {
        const h = new Map<number, number>()
        for (const v of values) h.set(v, (h.get(v) ?? 0) + 1)
        const sorted = [...values].sort((a, b) => a - b)
        const n = sorted.length
        const expected = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
        assert.equal(medianOf(h), expected)
      }),
    )
  })

  it('the weekly series adds up to the totals', () => {
    const p = { from: '2026-01-01', to: '2026-01-17' }
    const weeks = weeklySeries(p, new Map([['2026-01-16', 3]]), new Array<number>(17).fill(1))
    assert.deepEqual(
      weeks.map(w => [w.from, w.to, w.delivered, w.projected]),
      [
        ['2026-01-01', '2026-01-07', 0, 7],
        ['2026-01-08', '2026-01-14', 0, 7],
        ['2026-01-15', '2026-01-17', 3, 3],
      ],
    )
  })
})

/** A small random world: 2 establishments, a few prisoners, allocations and sessions over 60 days. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    prisoners: fc.array(
      fc.record({
        establishmentId: fc.constantFrom(1, 2),
        unitId: fc.constantFrom(10, 11, null),
        reception: fc.integer({ min: -20, max: 50 }),
        stay: fc.option(fc.integer({ min: -3, max: 60 }), { nil: null }),
        status: fc.constantFrom('in', 'released', 'transferred'),
        complexity: fc.constantFrom('low', 'medium', 'high'),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    allocations: fc.array(
      fc.record({
        prisoner: fc.nat(),
        staffId: fc.constantFrom(100, 101),
        at: fc.integer({ min: -10, max: 60 }),
        length: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      }),
      { maxLength: 8 },
    ),
    sessions: fc.array(
      fc.record({
        prisoner: fc.nat(),
        staffId: fc.constantFrom(100, 101, null),
        status: fc.constantFrom('submitted', 'submitted', 'submitted', 'draft', 'deleted'),
        outcome: fc.constantFrom('delivered', 'delivered', 'not_delivered'),
        reason: fc.constantFrom('prisoner_refused', 'regime_curtailed', 'other', null),
        date: fc.integer({ min: -5, max: 60 }),
        private: fc.constantFrom(0, 1),
        interpreterNeeded: fc.constantFrom(0, 1),
        interpreterUsed: fc.constantFrom(0, 1),
      }),
      { maxLength: 25 },
    ),
    followUps: fc.array(
      fc.record({
        session: fc.nat(),
        at: fc.integer({ min: -5, max: 60 }),
        status: fc.constantFrom('sent', 'acknowledged', 'done', 'declined', 'open', 'achieved'),
        goal: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
  })
  .map(r => {
    const prisoners = r.prisoners.map((p, i) => ({
      id: i + 1,
      establishmentId: p.establishmentId,
      unitId: p.unitId,
      receptionDate: day(p.reception),
      releaseDate: p.stay === null ? null : day(p.reception + p.stay),
      status: p.status,
      complexity: p.complexity,
    }))
    const pick = (n: number) => prisoners[n % prisoners.length]!
    const sessions = r.sessions.map((s, i) => ({
      id: i + 1,
      establishmentId: pick(s.prisoner).establishmentId,
      prisonerId: pick(s.prisoner).id,
      staffId: s.staffId,
      status: s.status,
      outcome: s.outcome,
      reason: s.outcome === 'delivered' ? null : s.reason,
      date: day(s.date),
      private: s.private,
      interpreterNeeded: s.interpreterNeeded,
      interpreterUsed: s.interpreterUsed,
    }))
    const followUps = sessions.length
      ? r.followUps.map(f => {
          const s = sessions[f.session % sessions.length]!
          return {
            goal: f.goal,
            establishmentId: s.establishmentId,
            prisonerId: s.prisonerId,
            sessionId: s.id,
            createdAt: `${day(f.at)}T10:00:00.000Z`,
            status: f.status,
          }
        })
      : []
    return {
      establishments: [
        { id: 1, frequencyWeeks: 1 },
        { id: 2, frequencyWeeks: 2 },
      ],
      prisoners,
      allocations: r.allocations.map((a, i) => ({
        id: i + 1,
        prisonerId: pick(a.prisoner).id,
        staffId: a.staffId,
        allocatedAt: `${day(a.at)}T09:00:00.000Z`,
        deallocatedAt: a.length === null ? null : `${day(a.at + a.length)}T09:00:00.000Z`,
      })),
      sessions,
      referrals: followUps.filter(f => !f.goal),
      goals: followUps.filter(f => f.goal),
    }
  })

describe('the fast paths against the recount', () => {
  it('session counts from per-day aggregates (with previous dates) equal the recount', () => {
    fc.assert(
      fc.property(worldArb, periodArb, (world, period) => {
        for (const establishmentId of [1, 2]) {
          const receptions = new Map(world.prisoners.map(p => [p.id, p.receptionDate]))
          const facts = withPreviousDates(
            world.sessions
              .filter(s => s.establishmentId === establishmentId && s.status === 'submitted')
              .map(s => ({ ...s, date: s.date!, receptionDate: receptions.get(s.prisonerId)! })),
          )
          const total = emptyTotals()
          for (const [d, a] of aggregateByDay(facts)) if (d >= period.from && d <= period.to) addInto(total, a)
          const slow = recount(world, { kind: 'establishment', establishmentId }, period)
          for (const k of ['delivered', 'notDelivered', 'privateDelivered', 'interpreterNeeded', 'interpreterUsed'])
            assert.equal(total[k as 'delivered'], slow[k as 'delivered'], k)
          for (const k of ['gapCount', 'gapDays', 'firstCount', 'firstDays'] as const)
            assert.equal(total[k], slow[k], k)
          assert.deepEqual(total.reasons, slow.reasons)
          assert.deepEqual([...total.gaps].sort(), [...slow.gaps].sort())
        }
      }),
    )
  })

  it('eligible prisoner-days and projected sessions from custody intervals equal the recount', () => {
    fc.assert(
      fc.property(worldArb, periodArb, (world, period) => {
        const freq = new Map(world.establishments.map(e => [e.id, e.frequencyWeeks]))
        const intervals = world.prisoners
          .filter(p => p.complexity !== 'high')
          .map(p => ({
            start: p.receptionDate,
            end: p.status === 'in' ? null : (p.releaseDate ?? p.receptionDate),
            weight: 1 / (freq.get(p.establishmentId)! * 7),
          }))
        const projected = intervalCounts(period, intervals).reduce((s, x) => s + x, 0)
        const days = intervalCounts(
          period,
          intervals.map(i => ({ ...i, weight: 1 })),
        ).reduce((s, x) => s + x, 0)
        const slow = recount(world, { kind: 'national' }, period)
        assert.ok(Math.abs(projected - slow.projected) < 1e-9)
        assert.equal(days, slow.eligibleDays)
      }),
    )
  })

  it('national totals are the sum of the establishments', () => {
    fc.assert(
      fc.property(worldArb, periodArb, (world, period) => {
        const sum = emptyTotals()
        for (const establishmentId of [1, 2])
          addInto(sum, recount(world, { kind: 'establishment', establishmentId }, period))
        const national = recount(world, { kind: 'national' }, period)
        assert.ok(Math.abs(sum.projected - national.projected) < 1e-9)
        assert.deepEqual({ ...sum, projected: 0 }, { ...national, projected: 0 })
      }),
    )
  })
})

describe('moving the day aggregates by one prisoner’s change', () => {
  type Fact = Omit<SessionFact, 'prevDate'>
  const factArb = (id: number) =>
    fc
      .record({
        prisonerId: fc.integer({ min: 1, max: 3 }),
        date: fc.integer({ min: 0, max: 30 }).map(day),
        outcome: fc.constantFrom('delivered', 'delivered', 'not_delivered'),
        reason: fc.constantFrom(null, 'prisoner_refused', 'regime_curtailed'),
        private: fc.constantFrom(null, 0, 1),
        interpreterNeeded: fc.constantFrom(0, 1),
        interpreterUsed: fc.constantFrom(0, 1),
      })
      .map((f): Fact => ({ ...f, id, receptionDate: day(-10 - f.prisonerId) }))
  const sessionsArb = fc
    .integer({ min: 1, max: 25 })
    .chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => factArb(i + 1))))
  /** a change to one prisoner's sessions: a new one, one removed, one moved to another day, one's outcome flipped */
  const changeArb = fc.tuple(
    fc.constantFrom('add', 'remove', 'move', 'flip'),
    fc.nat(),
    fc.integer({ min: 0, max: 30 }).map(day),
    factArb(1000),
  )
  const byDay = (facts: readonly Fact[]) => aggregateByDay(withPreviousDates(facts))
  const plain = (m: ReadonlyMap<string, DayAggregate>) =>
    [...m]
      .filter(([, a]) => a.delivered + a.notDelivered !== 0)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([d, a]) => [d, { ...a, gaps: [...a.gaps].filter(([, n]) => n !== 0).sort((x, y) => x[0] - y[0]) }])
  /** adds each day's change to the stored days, as the repository's upserts do */
  const apply = (stored: Map<string, DayAggregate>, changes: ReadonlyMap<string, DayAggregate>) => {
    for (const [d, c] of changes) {
      stored.set(d, addInto(stored.get(d) ?? emptyDay(), c))
    }
    return stored
  }

  it('the stored days plus the change of the prisoner’s days from the earliest date equal a recount', () => {
    fc.assert(
      fc.property(sessionsArb, changeArb, (sessions, [kind, pick, newDate, extra]) => {
        const target = sessions[pick % sessions.length]!
        let after: Fact[]
        let changed: Fact
        if (kind === 'add') {
          changed = { ...extra, prisonerId: target.prisonerId, receptionDate: target.receptionDate }
          after = [...sessions, changed]
        } else {
          changed = target
          after =
            kind === 'remove'
              ? sessions.filter(s => s !== target)
              : sessions.map(s =>
                  s !== target
                    ? s
                    : kind === 'move'
                      ? { ...s, date: newDate }
                      : { ...s, outcome: s.outcome === 'delivered' ? 'not_delivered' : 'delivered' },
                )
        }
        const dates = [changed.date, ...(kind === 'move' ? [newDate] : [])]
        const from = dates.reduce((a, b) => (a < b ? a : b))
        const window = (facts: readonly Fact[]) => {
          const mine = facts.filter(s => s.prisonerId === changed.prisonerId)
          const before = mine.filter(s => s.date < from && s.outcome === 'delivered').map(s => s.date)
          const prev = before.length ? before.reduce((a, b) => (a > b ? a : b)) : null
          return prisonerDays(
            mine.filter(s => s.date >= from),
            prev,
          )
        }
        const changes = dayChanges(window(sessions), window(after))
        assert.deepEqual(plain(apply(byDay(sessions), changes)), plain(byDay(after)))
      }),
      { numRuns: 500 },
    )
  })

  it('a change that changes nothing moves nothing', () => {
    fc.assert(
      fc.property(sessionsArb, sessions => {
        const days = prisonerDays(
          sessions.filter(s => s.prisonerId === 1),
          null,
        )
        assert.equal(dayChanges(days, days).size, 0)
      }),
    )
  })
})
