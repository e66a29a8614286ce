import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../test/harness'
import { Random } from '../domain/random'
import type { Services } from '../services'
import { SYSTEM_ACTOR } from '../platform/audit/service'
import { loadDemoHistory } from './statistics'
import { TODAY, seedPeople } from '../../test/support/statisticsFixtures'

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
