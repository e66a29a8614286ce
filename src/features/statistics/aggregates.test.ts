import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { addDays } from '../../domain/dates'
import { Random } from '../../domain/random'
import {
  type Period,
  type Scope,
  type Totals,
  figuresOf,
  periodDays,
  previousPeriod,
  recount,
} from '../../domain/statistics'
import type { Services } from '../../services'
import {
  TODAY,
  type Seeded,
  amendSessions,
  randomSession,
  readWorld,
  seedPeople,
  seedSessions,
} from '../../../test/support/statisticsFixtures'
import type { StatisticsScope } from './service'

// The pre-aggregates (kept by changeSessions after random inserts and amendments) and every figure of the
// statistics service, for each scope, against the straightforward recount of the same records.

let s: Services & { close(): Promise<void> }
const seeded: Seeded[] = []
const rng = new Random(7)

before(async () => {
  s = await testServices()
  for (const [code, name] of [
    ['AAA', 'Alpha (HMP)'],
    ['BBB', 'Beta (HMP)'],
  ] as const) {
    const r = await s.establishments.create(SYSTEM_ACTOR, { code, name, category: 'Category C', region: 'North' })
    assert.ok(r.ok)
    seeded.push(await seedPeople(s.db.db, r.value, rng))
  }
  // the second establishment sees prisoners every 2 weeks
  await s.db.db
    .updateTable('establishments')
    .set({ frequency_weeks: 2 })
    .where('id', '=', seeded[1]!.establishmentId)
    .execute()
  for (const x of seeded) await seedSessions(s, rng, x, 120)
  await amendSessions(s, rng, 60)
})
after(() => s.close())

const stored = async (establishmentId: number) => {
  const { stored: st, fresh } = await s.statistics.verify(establishmentId)
  const daily = Object.fromEntries(
    st.daily.map(d => [
      d.day,
      {
        delivered: d.delivered,
        notDelivered: d.not_delivered,
        gapDays: d.gap_days,
        gapCount: d.gap_count,
        firstCount: d.first_count,
        firstDays: d.first_days,
        privateDelivered: d.private_delivered,
        interpreterUsed: d.interpreter_used,
        privateAnswered: d.private_answered,
        interpreterAnswered: d.interpreter_answered,
        precheckN: d.precheck_n,
        precheckSum: d.precheck_sum,
        refused: d.nd_prisoner_refused,
      },
    ]),
  )
  const expected = Object.fromEntries(
    [...fresh]
      .filter(([, a]) => a.delivered + a.notDelivered > 0)
      .map(([d, a]) => [
        d,
        {
          delivered: a.delivered,
          notDelivered: a.notDelivered,
          gapDays: a.gapDays,
          gapCount: a.gapCount,
          firstCount: a.firstCount,
          firstDays: a.firstDays,
          privateDelivered: a.privateDelivered,
          interpreterUsed: a.interpreterUsed,
          privateAnswered: a.privateAnswered,
          interpreterAnswered: a.interpreterAnswered,
          precheckN: a.precheckN,
          precheckSum: a.precheckSum,
          refused: a.reasons.prisoner_refused,
        },
      ]),
  )
  const gaps = st.gaps.map(g => `${g.day}:${g.gap_days}:${g.n}`).sort()
  const expectedGaps = [...fresh].flatMap(([d, a]) => [...a.gaps].map(([g, n]) => `${d}:${g}:${n}`)).sort()
  return { daily, expected, gaps, expectedGaps }
}

describe('pre-aggregates', () => {
  it('equal a recount from the sessions after random inserts and amendments', async () => {
    for (const x of seeded) {
      const r = await stored(x.establishmentId)
      assert.ok(Object.keys(r.daily).length > 20, 'the test wrote sessions on many days')
      assert.deepEqual(r.daily, r.expected)
      assert.deepEqual(r.gaps, r.expectedGaps)
    }
  })

  it('hold each day’s entries with a pre-check and their scores in ten-thousandths, counted here from the entries', async () => {
    for (const x of seeded) {
      const entries = await s.db.db
        .selectFrom('key_work_sessions')
        .select(['session_date', 'precheck_score'])
        .where('establishment_id', '=', x.establishmentId)
        .where('status', '=', 'submitted')
        .execute()
      const expected: Record<string, { n: number; sum: number }> = {}
      for (const e of entries) {
        const day = (expected[e.session_date!] ??= { n: 0, sum: 0 })
        if (e.precheck_score === null) continue
        day.n += 1
        day.sum += Math.round(Number(e.precheck_score) * 10_000)
      }
      const rows = await s.db.db
        .selectFrom('stat_daily')
        .select(['day', 'precheck_n', 'precheck_sum'])
        .where('establishment_id', '=', x.establishmentId)
        .execute()
      const got = Object.fromEntries(rows.map(r => [r.day, { n: Number(r.precheck_n), sum: Number(r.precheck_sum) }]))
      assert.ok(Object.values(expected).filter(d => d.n > 1).length > 10, 'many days have several pre-checked entries')
      assert.deepEqual(got, expected)
    }
  })

  it('count referrals and goals as the tables do, also after a referral moves on', async () => {
    for (const x of seeded) {
      const { stored, fresh } = await s.statistics.verifyFollowUps(x.establishmentId)
      assert.ok(fresh.length > 20, 'the test made referrals and goals on many days')
      assert.deepEqual(stored, fresh)
    }
    const x = seeded[0]!
    const sent = await s.db.db
      .selectFrom('referrals')
      .select(['id', 'created_at'])
      .where('establishment_id', '=', x.establishmentId)
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow()
    const day = sent.created_at.slice(0, 10)
    const before = (await s.statistics.verifyFollowUps(x.establishmentId)).stored.find(r => r.day === day)!
    const r = await s.referrals.update(SYSTEM_ACTOR, x.establishmentId, sent.id, {
      status: 'acknowledged',
      // acknowledging needs the next follow-up date, today or later
      followUpDate: '2099-01-01',
    })
    assert.ok(r.ok, JSON.stringify(r))
    const { stored, fresh } = await s.statistics.verifyFollowUps(x.establishmentId)
    assert.deepEqual(stored, fresh)
    assert.equal(stored.find(r => r.day === day)!.referrals_acknowledged, before.referrals_acknowledged + 1)
  })

  it('stay exact when entries of the same establishment and day are recorded at once', async () => {
    // on PostgreSQL each transaction has its own connection, so these refresh the same day's rows concurrently
    const x = seeded[1]!
    const day = addDays(TODAY, -2)
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.db.db.transaction().execute(async trx => {
          const row = {
            ...randomSession(rng, x, `at-once-${i}-${rng.int(0, 1e9)}`),
            status: 'submitted',
            outcome: 'delivered',
            not_delivered_reason: null,
            session_date: day,
          }
          const change = { establishmentId: x.establishmentId, prisonerId: row.prisoner_id, dates: [day] }
          await s.statistics.changeSessions(trx, change, () =>
            trx.insertInto('key_work_sessions').values(row).execute(),
          )
        }),
      ),
    )
    const r = await stored(x.establishmentId)
    assert.ok((r.daily[day]?.delivered ?? 0) >= 8)
    assert.deepEqual(r.daily, r.expected)
    assert.deepEqual(r.gaps, r.expectedGaps)
    const national = await s.statistics.nationalGaps()
    assert.deepEqual(national.stored, national.summed)
  })

  it('keep the all-establishments histogram equal to the sum of the establishments', async () => {
    const { stored: national, summed } = await s.statistics.nationalGaps()
    assert.ok(summed.length > 20, 'the test wrote gaps on many days')
    assert.deepEqual(national, summed)
  })

  it('a rebuild gives the same rows', async () => {
    const before = await stored(seeded[0]!.establishmentId)
    await s.db.db.deleteFrom('stat_daily').execute()
    assert.ok((await s.statistics.rebuild()) > 0)
    const again = await stored(seeded[0]!.establishmentId)
    assert.deepEqual(again.daily, before.daily)
    assert.deepEqual(again.gaps, before.gaps)
    // a rebuild of every establishment puts a wrong national histogram right
    await s.db.db.updateTable('stat_gaps_all').set({ n: 999 }).execute()
    const wrong = await s.statistics.nationalGaps()
    assert.notDeepEqual(wrong.stored, wrong.summed)
    await s.statistics.rebuild()
    const right = await s.statistics.nationalGaps()
    assert.deepEqual(right.stored, right.summed)
  })

  it('detects a change made without telling the statistics (the test can fail)', async () => {
    const x = seeded[0]!
    const row = await s.db.db
      .selectFrom('key_work_sessions')
      .select(['id', 'session_date'])
      .where('establishment_id', '=', x.establishmentId)
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    await s.db.db.updateTable('key_work_sessions').set({ status: 'deleted' }).where('id', '=', row.id).execute()
    const r = await stored(x.establishmentId)
    assert.notDeepEqual(r.daily, r.expected)
    await s.db.db.updateTable('key_work_sessions').set({ status: 'submitted' }).where('id', '=', row.id).execute()
    await s.db.db.transaction().execute(trx => s.statistics.refreshDay(trx, x.establishmentId, row.session_date!))
    const fixed = await stored(x.establishmentId)
    assert.deepEqual(fixed.daily, fixed.expected)
  })
})

const close = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what)
  assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} ≠ ${b}`)
}

async function compareWithRecount(scope: StatisticsScope, domainScope: Scope, period: Period) {
  const world = await readWorld(s)
  const slow: Totals = recount(world, domainScope, period)
  const expected = figuresOf(slow, periodDays(period))
  const { figures } = await s.statistics.compute(scope, period)
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'number' || v === null)
      close(figures[k as 'delivered'], v, `${scope.kind} ${k} ${period.from}..${period.to}`)
    else assert.deepEqual(figures[k as 'reasons'], v, k)
  }
  return figures
}

describe('figures from the service equal the recount', () => {
  const periods: Period[] = [
    { from: addDays(TODAY, -27), to: TODAY },
    { from: addDays(TODAY, -90), to: addDays(TODAY, -30) },
    { from: addDays(TODAY, -364), to: TODAY },
  ]

  it('for an establishment, and the previous period too', async () => {
    const x = seeded[0]!
    for (const p of [...periods, previousPeriod(periods[0]!)]) {
      const f = await compareWithRecount(
        { kind: 'establishment', establishmentId: x.establishmentId },
        { kind: 'establishment', establishmentId: x.establishmentId },
        p,
      )
      if (p === periods[2]) {
        assert.ok(f.delivered > 0 && f.notDelivered > 0 && f.eligible > 0, 'the world has sessions and prisoners')
        assert.ok(f.medianDaysBetween !== null && f.averageDaysToFirstSession !== null)
        assert.ok(f.referralsMade > 0 && f.goalsSet > 0)
      }
    }
  })

  it('for all establishments (national)', async () => {
    for (const p of periods) await compareWithRecount({ kind: 'national' }, { kind: 'national' }, p)
  })

  it('for a houseblock (its landings included)', async () => {
    const x = seeded[1]!
    const unitIds = await s.statistics.unitsWithin(x.establishmentId, x.unitIds[0]!)
    assert.equal(unitIds.length, 2)
    for (const p of periods)
      await compareWithRecount(
        { kind: 'houseblock', establishmentId: x.establishmentId, unitId: x.unitIds[0]! },
        { kind: 'houseblock', establishmentId: x.establishmentId, unitIds },
        p,
      )
  })

  it('for an officer', async () => {
    const x = seeded[0]!
    for (const staffId of x.staffIds)
      for (const p of periods)
        await compareWithRecount(
          { kind: 'officer', establishmentId: x.establishmentId, staffId },
          { kind: 'officer', establishmentId: x.establishmentId, staffId },
          p,
        )
  })

  it('compares with the previous period of the same length', async () => {
    const x = seeded[0]!
    const scope = { kind: 'establishment' as const, establishmentId: x.establishmentId }
    const c = await s.statistics.compare(scope, periods[0]!)
    assert.deepEqual(c.previous.period, previousPeriod(periods[0]!))
    assert.deepEqual(c.previous.figures, (await s.statistics.compute(scope, previousPeriod(periods[0]!))).figures)
    assert.equal(c.current.weeks.length, 4)
    assert.equal(
      c.current.weeks.reduce((n, w) => n + w.delivered, 0),
      c.current.figures.delivered,
    )
    close(
      c.current.weeks.reduce((n, w) => n + w.projected, 0),
      c.current.figures.projected,
      'weekly projected adds up',
    )
  })
})
