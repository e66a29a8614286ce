import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { addDays } from './dates'
import {
  type Period,
  type World,
  addInto,
  addSession,
  type DayAggregate,
  type SessionFact,
  aggregateByDay,
  onCaseload,
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
  PRECHECK_SCALE,
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
        // null: not answered (imported past sessions, entries from before the form asked)
        private: fc.constantFrom(0, 1, null),
        interpreterNeeded: fc.constantFrom(0, 1, null),
        interpreterUsed: fc.constantFrom(0, 1, null),
        // null: no estimate could be given, or an entry from before the pre-check; fractions of thirds and sevenths
        precheckScore: fc.constantFrom(null, 1, 2.5, 8 / 3, 27 / 7),
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
      precheckScore: s.precheckScore,
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
              .map(s => ({
                ...s,
                date: s.date!,
                precheckScore: s.precheckScore ?? null,
                receptionDate: receptions.get(s.prisonerId)!,
              })),
          )
          const total = emptyTotals()
          for (const [d, a] of aggregateByDay(facts)) if (d >= period.from && d <= period.to) addInto(total, a)
          const slow = recount(world, { kind: 'establishment', establishmentId }, period)
          for (const k of [
            'delivered',
            'notDelivered',
            'privateDelivered',
            'privateAnswered',
            'interpreterNeeded',
            'interpreterUsed',
            'interpreterAnswered',
          ])
            assert.equal(total[k as 'delivered'], slow[k as 'delivered'], k)
          for (const k of ['gapCount', 'gapDays', 'firstCount', 'firstDays', 'precheckN', 'precheckSum'] as const)
            assert.equal(total[k], slow[k], k)
          // the pre-check counted here by hand: submitted entries of the period with a score, in ten-thousandths
          const scored = world.sessions.filter(
            s =>
              s.establishmentId === establishmentId &&
              s.status === 'submitted' &&
              s.date! >= period.from &&
              s.date! <= period.to &&
              s.precheckScore !== null &&
              s.precheckScore !== undefined,
          )
          assert.equal(total.precheckN, scored.length, 'entries with a pre-check')
          assert.equal(
            total.precheckSum,
            scored.reduce((sum, s) => sum + Math.round(s.precheckScore! * 10_000), 0),
            'their scores',
          )
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
        interpreterUsed: fc.constantFrom(null, 0, 1),
        precheckScore: fc.constantFrom(null, 2, 7 / 3),
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

describe('figures of a world counted by hand (the same world as the statistics feature’s hand test)', () => {
  // 1–28 March 2026, weekly sessions. Prisoners: 1 in all period; 2 received 15 March; 3 released 11 March;
  // 4 high complexity; 5 released with no date; 6 and 7 in all period. See the arithmetic below.
  const period: Period = { from: '2026-03-01', to: '2026-03-28' }
  const prisoner = (id: number, receptionDate: string, extra: Partial<World['prisoners'][number]> = {}) => ({
    id,
    establishmentId: 1,
    unitId: 10,
    receptionDate,
    releaseDate: null,
    status: 'in',
    complexity: 'low',
    ...extra,
  })
  let sessionId = 0
  const session = (prisonerId: number, date: string, extra: Partial<World['sessions'][number]> = {}) => ({
    id: ++sessionId,
    establishmentId: 1,
    prisonerId,
    staffId: 100,
    status: 'submitted',
    outcome: 'delivered',
    reason: null,
    date,
    private: 0,
    interpreterNeeded: 0,
    interpreterUsed: 0,
    ...extra,
  })
  const world: World = {
    establishments: [{ id: 1, frequencyWeeks: 1 }],
    prisoners: [
      prisoner(1, '2026-01-01'),
      prisoner(2, '2026-03-15'),
      prisoner(3, '2026-01-01', { status: 'released', releaseDate: '2026-03-11' }),
      prisoner(4, '2026-01-01', { complexity: 'high' }),
      prisoner(5, '2026-02-01', { status: 'released' }),
      prisoner(6, '2026-02-01'),
      prisoner(7, '2026-02-01'),
    ],
    allocations: [
      { id: 1, prisonerId: 1, staffId: 100, allocatedAt: '2026-01-05T09:00:00.000Z', deallocatedAt: null },
      {
        id: 2,
        prisonerId: 2,
        staffId: 100,
        allocatedAt: '2026-03-18T10:00:00.000Z',
        deallocatedAt: '2026-03-25T10:00:00.000Z',
      },
      { id: 3, prisonerId: 3, staffId: 200, allocatedAt: '2026-03-02T10:00:00.000Z', deallocatedAt: null },
      { id: 4, prisonerId: 6, staffId: 200, allocatedAt: '2026-02-02T10:00:00.000Z', deallocatedAt: null },
    ],
    sessions: [
      session(1, '2026-02-20'),
      session(1, '2026-03-03', { private: 1, interpreterNeeded: 1, interpreterUsed: 1 }),
      session(1, '2026-03-10', { outcome: 'not_delivered', reason: 'prisoner_refused' }),
      session(1, '2026-03-17', { interpreterNeeded: 1 }),
      session(1, '2026-03-24', { private: 1, interpreterNeeded: 1, interpreterUsed: 1 }),
      session(1, '2026-03-26', { status: 'draft' }),
      session(1, '2026-03-25', { status: 'deleted' }),
      // an interpreter needed, whether one was used not answered; then a session whose privacy was not answered
      session(2, '2026-03-20', { private: 1, interpreterNeeded: 1, interpreterUsed: null }),
      session(2, '2026-03-20', { private: null }),
      session(3, '2026-03-05', { staffId: 200 }),
      session(3, '2026-03-06', { staffId: 200, outcome: 'not_delivered', reason: 'regime_curtailed' }),
      session(6, '2026-03-21', { staffId: 200 }),
      session(7, '2026-02-28', { staffId: 200 }),
    ],
    referrals: [
      { establishmentId: 1, prisonerId: 1, sessionId: 2, createdAt: '2026-03-03T11:00:00.000Z', status: 'sent' },
      {
        establishmentId: 1,
        prisonerId: 1,
        sessionId: 4,
        createdAt: '2026-03-17T11:00:00.000Z',
        status: 'acknowledged',
      },
      { establishmentId: 1, prisonerId: 2, sessionId: 8, createdAt: '2026-03-20T11:00:00.000Z', status: 'done' },
      { establishmentId: 1, prisonerId: 1, sessionId: 1, createdAt: '2026-02-20T11:00:00.000Z', status: 'done' },
    ],
    goals: [
      { establishmentId: 1, prisonerId: 1, sessionId: 2, createdAt: '2026-03-03T11:00:00.000Z', status: 'open' },
      { establishmentId: 1, prisonerId: 1, sessionId: 5, createdAt: '2026-03-24T11:00:00.000Z', status: 'achieved' },
      { establishmentId: 1, prisonerId: 3, sessionId: 10, createdAt: '2026-03-05T11:00:00.000Z', status: 'dropped' },
      { establishmentId: 1, prisonerId: 1, sessionId: 1, createdAt: '2026-02-20T11:00:00.000Z', status: 'achieved' },
    ],
  }
  const near = (actual: unknown, expected: number | null, what: string) => {
    if (expected === null || typeof actual !== 'number') return assert.equal(actual, expected, what)
    assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${String(actual)}, expected ${expected}`)
  }

  it('rule: the reference recount and figuresOf give the hand-counted figures for the establishment', () => {
    const f = figuresOf(recount(world, { kind: 'establishment', establishmentId: 1 }, period), 28)
    // prisoner-days 28 + 14 + 10 + 28 + 28 = 108: average 108 ÷ 28; projected 108 ÷ 7
    near(f.eligible, 108 / 28, 'eligible')
    near(f.projected, 108 / 7, 'projected')
    near(f.delivered, 7, 'delivered (3, 17, 24 Mar; 20 Mar twice; 5 Mar; 21 Mar)')
    near(f.compliance, (49 / 108) * 100, 'compliance 7 ÷ (108 ÷ 7)')
    near(f.eligibleAtEnd, 4, 'eligible on the 28th: 1, 2, 6, 7')
    near(f.allocated, 2, 'with a Key Worker on the 28th: 1, 6')
    near(f.allocatedPercent, 50, 'allocated 2 of 4')
    near(f.notDelivered, 2, 'not delivered')
    assert.equal(f.reasons.prisoner_refused, 1)
    assert.equal(f.reasons.regime_curtailed, 1)
    assert.equal(f.reasons.other, 0)
    // the later 20 Mar session left privacy blank: 3 private of the 6 answered = 50%, not 3 of 7 = 42.86%
    near(f.privatePercent, 50, 'private 3 of 6 answered')
    near(f.privateAnswered, 6, 'privacy answered')
    // needed on 3, 17, 24 Mar and the first 20 Mar, whose use was left blank: 2 used of 3 answered, not 2 of 4
    near(f.interpreterNeeded, 4, 'interpreter needed')
    near(f.interpreterUsed, 2, 'interpreter used')
    near(f.interpreterAnswered, 3, 'interpreter use answered')
    near(f.interpreterPercent, (2 / 3) * 100, 'interpreter 2 of 3 answered')
    near(f.seen7Percent, 25, 'seen 22–28 Mar: prisoner 1 of 4 (6 was seen on the 21st, one day outside)')
    near(f.seen28Percent, 75, 'seen 1–28 Mar: 1, 2, 6 of 4 (7 was seen on 28 Feb, one day outside)')
    near(f.averageDaysBetween, 8, 'gaps 11, 14, 7, 0: 32 ÷ 4')
    near(f.medianDaysBetween, 9, 'median of 0, 7, 11, 14: (7 + 11) ÷ 2')
    near(f.averageDaysToAllocation, 31.5, 'first allocations in the period: 3 and 60 days')
    near(f.averageDaysToFirstSession, 116 / 3, 'first sessions: 5, 63, 48 days')
    near(f.referralsMade, 3, 'referrals made')
    near(f.referralsAcknowledged, 2, 'acknowledged or done')
    near(f.referralsCompleted, 1, 'done')
    near(f.goalsSet, 3, 'goals set')
    near(f.goalsAchieved, 1, 'goals achieved')
  })

  it('rule: for one Key Worker only their caseload and their sessions count', () => {
    const f = figuresOf(recount(world, { kind: 'officer', establishmentId: 1, staffId: 100 }, period), 28)
    // caseload in custody: prisoner 1 all 28 days, prisoner 2 from the 18th to the 24th = 7: 35 prisoner-days
    near(f.eligible, 35 / 28, 'eligible')
    near(f.projected, 5, 'projected 35 ÷ 7')
    near(f.delivered, 5, 'delivered by officer 100')
    near(f.compliance, 100, 'compliance 5 ÷ 5')
    near(f.allocatedPercent, 100, 'prisoner 1 of 1')
    near(f.seen7Percent, 100, 'prisoner 1 seen on the 24th')
    near(f.privatePercent, 75, 'private 3 of the 4 answered (not 3 of 5 = 60%)')
    near(f.interpreterPercent, (2 / 3) * 100, 'interpreter 2 of the 3 answered (not 2 of 4 = 50%)')
    near(f.averageDaysToFirstSession, 5, 'prisoner 2: 15 → 20 March')
    near(f.averageDaysToAllocation, 3, 'prisoner 2: 15 → 18 March')
    near(f.goalsSet, 2, 'goals on officer 100’s sessions')
  })

  it('rule: a histogram entry whose count has fallen to zero or below is no value of the median', () => {
    // the values 2 and 6 once each: median 4; the 4 (count −1) and 10 (count 0) are not sessions
    const h = new Map([
      [2, 1],
      [4, -1],
      [6, 1],
      [10, 0],
    ])
    assert.equal(medianOf(h), 4)
  })

  it('rule: figuresOf divides each count by its own base (hand totals)', () => {
    const t = emptyTotals()
    Object.assign(t, {
      eligibleDays: 56,
      projected: 8,
      delivered: 6,
      privateDelivered: 3,
      privateAnswered: 4,
      interpreterNeeded: 4,
      interpreterUsed: 1,
      interpreterAnswered: 2,
      eligibleAtEnd: 5,
      allocatedAtEnd: 4,
      seen7: 2,
      seen28: 3,
      gapCount: 4,
      gapDays: 30,
      allocationCount: 2,
      allocationDays: 9,
      firstCount: 3,
      firstDays: 12,
    })
    t.gaps = new Map([
      [3, 1],
      [7, 2],
      [13, 1],
    ])
    const f = figuresOf(t, 28)
    assert.equal(f.eligible, 2) // 56 ÷ 28
    assert.equal(f.compliance, 75) // 6 ÷ 8
    assert.equal(f.privatePercent, 75) // 3 ÷ 4 answered, not 3 ÷ 6 delivered
    assert.equal(f.interpreterPercent, 50) // 1 ÷ 2 answered, not 1 ÷ 4 needed
    assert.equal(f.allocatedPercent, 80) // 4 ÷ 5
    assert.equal(f.seen7Percent, 40) // 2 ÷ 5
    assert.equal(f.seen28Percent, 60) // 3 ÷ 5
    assert.equal(f.averageDaysBetween, 7.5) // 30 ÷ 4
    assert.equal(f.medianDaysBetween, 7) // 3, 7, 7, 13
    assert.equal(f.averageDaysToAllocation, 4.5) // 9 ÷ 2
    assert.equal(f.averageDaysToFirstSession, 4) // 12 ÷ 3
    const none = figuresOf(emptyTotals(), 28)
    for (const k of ['privatePercent', 'interpreterPercent', 'seen7Percent', 'averageDaysBetween'] as const)
      assert.equal(none[k], null, `${k} with nothing to divide by`)
  })

  it('rule: a submitted entry with a pre-check score adds one and its score in ten-thousandths, delivered or not', () => {
    const base = { prisonerId: 1, reason: null, receptionDate: '2026-03-01', date: '2026-03-05', prevDate: null }
    const fact = { ...base, private: null, interpreterNeeded: 0, interpreterUsed: null }
    const a = emptyDay()
    addSession(a, { ...fact, id: 1, outcome: 'delivered', precheckScore: 2.5 })
    addSession(a, { ...fact, id: 2, outcome: 'delivered', precheckScore: 8 / 3 }) // 26 666.67: 26 667
    addSession(a, { ...fact, id: 3, outcome: 'delivered', precheckScore: null }) // not counted
    addSession(a, { ...fact, id: 4, outcome: 'not_delivered', precheckScore: 1.5 })
    assert.equal(a.precheckN, 3)
    assert.equal(a.precheckSum, 25_000 + 26_667 + 15_000)
    // the mean within a ten-thousandth of the scores' own: (2.5 + 2.6667 + 1.5) ÷ 3
    assert.ok(Math.abs(a.precheckSum / a.precheckN / PRECHECK_SCALE - (2.5 + 8 / 3 + 1.5) / 3) < 1e-4)
  })

  it('rule: a session adds to the day: first sessions count days from reception, later ones days since the last', () => {
    const base = { prisonerId: 1, outcome: 'delivered', reason: null, receptionDate: '2026-03-01', precheckScore: null }
    const a = emptyDay()
    addSession(a, {
      ...base,
      id: 1,
      date: '2026-03-05',
      private: 1,
      interpreterNeeded: 0,
      interpreterUsed: 1,
      prevDate: null,
    })
    addSession(a, {
      ...base,
      id: 2,
      date: '2026-03-05',
      private: 0,
      interpreterNeeded: 1,
      interpreterUsed: 1,
      prevDate: '2026-02-26',
    })
    addSession(a, {
      ...base,
      id: 3,
      date: '2026-03-05',
      private: null,
      interpreterNeeded: 1,
      interpreterUsed: 0,
      prevDate: '2026-03-05',
    })
    addSession(a, {
      ...base,
      id: 4,
      date: '2026-03-05',
      outcome: 'not_delivered',
      reason: 'made_up',
      private: null,
      interpreterNeeded: null,
      interpreterUsed: null,
      prevDate: null,
    })
    assert.equal(a.delivered, 3)
    assert.equal(a.notDelivered, 1)
    assert.equal(a.reasons.other, 1, 'an unknown reason counts as other')
    assert.equal(a.privateDelivered, 1)
    assert.equal(a.privateAnswered, 2, 'a delivered session whose privacy is null is not answered')
    assert.equal(a.interpreterNeeded, 2)
    assert.equal(a.interpreterUsed, 1, 'used counts only when needed')
    assert.equal(a.interpreterAnswered, 2)
    assert.equal(a.firstCount, 1)
    assert.equal(a.firstDays, 4) // 1 → 5 March
    assert.equal(a.gapCount, 2)
    assert.equal(a.gapDays, 7) // 26 Feb → 5 Mar = 7, and 0 on the same day
    assert.deepEqual([...a.gaps].sort(), [
      [0, 1],
      [7, 1],
    ])
    // needed, use not answered: counted as needed, but not as needed and not used
    addSession(a, {
      ...base,
      id: 5,
      date: '2026-03-05',
      private: 1,
      interpreterNeeded: 1,
      interpreterUsed: null,
      prevDate: '2026-03-05',
    })
    assert.equal(a.interpreterNeeded, 3)
    assert.equal(a.interpreterAnswered, 2)
    assert.equal(a.interpreterUsed, 1)
    assert.equal(a.privateAnswered, 3)
    assert.equal(a.privateDelivered, 2)
  })
})

describe('a Key Worker’s caseload', () => {
  it('a prisoner is on the caseload from the allocation’s day to the day before it ended', () => {
    const spells = [
      { prisonerId: 1, start: '2026-03-08', end: null },
      { prisonerId: 2, start: '2026-03-08', end: '2026-03-21' },
    ]
    assert.equal(onCaseload(spells, 1, '2026-03-07'), false)
    assert.equal(onCaseload(spells, 1, '2026-03-08'), true)
    assert.equal(onCaseload(spells, 2, '2026-03-20'), true)
    assert.equal(onCaseload(spells, 2, '2026-03-21'), false)
    assert.equal(onCaseload(spells, 3, '2026-03-10'), false)
  })
})
