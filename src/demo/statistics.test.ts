import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { testServices } from '../../test/harness'
import { Random } from '../domain/random'
import type { Services } from '../services'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import { loadDemoHistory } from './statistics'
import { TODAY, seedPeople } from '../../test/support/statisticsFixtures'

/** Rows the query planner holds about key_work_sessions: sqlite_stat1's non-empty ones, or pg_stats'. */
async function plannerRows(s: Services): Promise<number> {
  if (s.db.dialect === 'postgres') {
    const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stats
      where schemaname = current_schema() and tablename = 'key_work_sessions'`.execute(s.db.db)
    return Number(rows[0]?.n ?? 0)
  }
  const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(
    s.db.db,
  )
  if (Number(exists.rows[0]?.n) === 0) return 0
  const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_stat1
    where tbl = 'key_work_sessions' and stat is not null and stat not like '0%'`.execute(s.db.db)
  return Number(rows[0]?.n ?? 0)
}

describe('demo history', () => {
  let s: Services & { close(): Promise<void> }
  let establishmentId: number
  before(async () => {
    s = await testServices()
    const r = await s.establishments.create(SYSTEM_ACTOR, {
      code: 'DEM',
      name: 'Demo (HMP)',
      category: 'C',
      region: 'North',
    })
    assert.ok(r.ok)
    establishmentId = r.value
    await seedPeople(s.db.db, establishmentId, new Random(5), 60)
    assert.equal(await plannerRows(s), 0, 'planner statistics of key_work_sessions before any session')
  })
  after(() => s.close())

  it('records sessions, goals and referrals, backdates allocations, and builds exact aggregates', async () => {
    const before = await s.db.db
      .selectFrom('allocations')
      .select(['id', 'allocated_at'])
      .where('deallocated_at', 'is', null)
      .execute()
    const summary = await loadDemoHistory(
      s.db,
      { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
      { seed: 1, today: TODAY },
    )
    assert.ok(summary.sessions > 200 && summary.delivered > 50 && summary.goals > 0, JSON.stringify(summary))
    const count = await s.db.db
      .selectFrom('key_work_sessions')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(count.n), summary.sessions)
    const after = new Map(
      (await s.db.db.selectFrom('allocations').select(['id', 'allocated_at']).execute()).map(a => [
        a.id,
        a.allocated_at,
      ]),
    )
    assert.ok(
      before.some(a => after.get(a.id) !== a.allocated_at),
      'allocations were backdated',
    )
    // the planner was told of the load (SQLite guesses plans without its statistics, and guessed badly): rows in
    // sqlite_stat1 for the sessions' indexes, or PostgreSQL's pg_stats for the table's columns
    assert.ok((await plannerRows(s)) > 0, 'no planner statistics for key_work_sessions after the load')
    const { stored, fresh } = await s.statistics.verify(establishmentId)
    assert.equal(stored.daily.length, fresh.size)
    for (const d of stored.daily) {
      const a = fresh.get(d.day)!
      assert.deepEqual(
        [d.delivered, d.not_delivered, d.gap_count, d.gap_days, d.first_count, d.first_days, d.private_delivered],
        [a.delivered, a.notDelivered, a.gapCount, a.gapDays, a.firstCount, a.firstDays, a.privateDelivered],
        d.day,
      )
    }
    assert.equal(
      stored.gaps.reduce((n, g) => n + g.n, 0),
      [...fresh.values()].reduce((n, a) => n + a.gapCount, 0),
    )
  })
})
