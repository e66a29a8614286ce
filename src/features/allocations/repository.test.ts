// The allocation repositories' queries on rows written here with known times: what each selects and leaves out, and
// in what order. Expected lists are written by hand from the rows.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { admitPrisoner } from '../../../test/support/prisoners'
import { hireOfficer } from '../../../test/support/staff'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { autoAllocationRepository } from './autoRepository'
import { allocationsRepository } from './repository'

type Services = Awaited<ReturnType<typeof testServices>>

describe('the allocation repositories', () => {
  let s: Services
  let est: number
  let other: number
  const id: Record<string, number> = {}
  const pn: Record<string, string> = {}
  let repo: ReturnType<typeof allocationsRepository>
  let auto: ReturnType<typeof autoAllocationRepository>

  /** an allocation row written as it stood: from, to (null: current), cover */
  const row = (
    prisoner: string,
    staff: string,
    allocatedAt: string,
    deallocatedAt: string | null = null,
    extra: { cover_until?: string; establishment_id?: number } = {},
  ) =>
    repo.insert(s.db.db, {
      establishment_id: extra.establishment_id ?? est,
      prisoner_id: id[prisoner]!,
      staff_id: id[staff]!,
      allocated_at: allocatedAt,
      allocated_by: 'test',
      allocation_reason: extra.cover_until ? 'cover' : 'manual',
      deallocated_at: deallocatedAt,
      deallocated_by: deallocatedAt ? 'test' : null,
      deallocation_reason: deallocatedAt ? 'manual' : null,
      cover_until: extra.cover_until ?? null,
    })

  before(async () => {
    s = await testServices()
    repo = allocationsRepository(s.db.db)
    auto = autoAllocationRepository(s.db.db)
    for (const [code, name] of [
      ['RPO', 'Repton (HMP)'],
      ['OTR', 'Otterley (HMP)'],
    ] as const) {
      const made = await s.establishments.create(SYSTEM_ACTOR, {
        code,
        name,
        category: 'Category C training',
        region: 'East',
      })
      assert.ok(made.ok)
      if (code === 'RPO') est = made.value
      else other = made.value
    }
    const actor = { ...SYSTEM_ACTOR, establishmentId: est }
    assert.ok((await s.units.create(actor, est, { code: 'HB1', name: 'Houseblock 1', capacity: 100 })).ok)
    // officers: two active with names out of order, one away, one inactive
    id.zed = await hireOfficer(s, est, { staffNumber: 'ZED1', firstName: 'Zed', lastName: 'Young', homeUnit: 'HB1' })
    id.amy = await hireOfficer(s, est, { staffNumber: 'AMY1', firstName: 'Amy', lastName: 'Young' })
    id.abe = await hireOfficer(s, est, { staffNumber: 'ABE1', firstName: 'Abe', lastName: 'Adams' })
    id.away = await hireOfficer(s, est, {
      staffNumber: 'AWY1',
      firstName: 'Al',
      lastName: 'Away',
      status: 'annual_leave',
    })
    id.gone = await hireOfficer(s, est, { staffNumber: 'GON1', firstName: 'Gil', lastName: 'Gone', status: 'inactive' })
    id.there = await hireOfficer(s, other, { staffNumber: 'THR1', firstName: 'Tia', lastName: 'There' })
    // prisoners: received on different days, named out of order
    const men: [string, string, string, string][] = [
      ['cole', 'Cole', 'Ann', '2026-03-01'],
      ['bell', 'Bell', 'Bob', '2026-01-01'],
      ['bella', 'Bell', 'Al', '2026-02-01'],
      ['high', 'High', 'Hal', '2026-01-15'],
      ['out', 'Out', 'Oli', '2026-01-20'],
      ['wait', 'Wait', 'Will', '2026-04-01'],
    ]
    let n = 0
    for (const [key, lastName, firstName, receptionDate] of men) {
      n++
      pn[key] = `R${3000 + n}RP`
      id[key] = await admitPrisoner(s, est, {
        prisonNumber: pn[key]!,
        firstName,
        lastName,
        unit: key === 'cole' ? 'HB1' : '',
        receptionDate,
      })
    }
    await s.db.db.updateTable('prisoners').set({ complexity: 'high' }).where('id', '=', id.high!).execute()
    await s.db.db.updateTable('prisoners').set({ status: 'released' }).where('id', '=', id.out!).execute()

    // Bob: Zed from January to March, then Amy (current)
    await row('bell', 'zed', '2026-01-02T09:00:00.000Z', '2026-03-01T09:00:00.000Z')
    await row('bell', 'amy', '2026-03-01T09:00:00.000Z')
    // Al Bell: Amy then Abe (ended), Zed on cover now
    await row('bella', 'amy', '2026-02-02T09:00:00.000Z', '2026-02-10T09:00:00.000Z')
    await row('bella', 'abe', '2026-02-10T09:00:00.000Z', '2026-05-01T09:00:00.000Z')
    await row('bella', 'zed', '2026-05-01T09:00:00.000Z', null, { cover_until: '2026-12-31' })
    // Ann Cole: Amy, current; Oli Out (released): Zed, current
    await row('cole', 'amy', '2026-03-02T09:00:00.000Z')
    await row('out', 'zed', '2026-01-21T09:00:00.000Z')
    // Will, at the other establishment before he came: two allocations begun at the same moment, both ended
    for (const staff of ['there', 'there'])
      await row('wait', staff, '2026-03-05T09:00:00.000Z', '2026-03-20T09:00:00.000Z', { establishment_id: other })
  })
  after(() => s.close())

  it('the active allocation of a prisoner, and the active count and loads of officers', async () => {
    assert.equal((await repo.active(s.db.db, id.bell!))!.staff_id, id.amy)
    assert.equal(await repo.active(s.db.db, id.wait!), undefined)
    assert.equal(await repo.activeCount(s.db.db, id.amy!), 2)
    assert.equal(await repo.activeCount(s.db.db, id.zed!), 2)
    assert.equal(await repo.activeCount(s.db.db, id.abe!), 0)
    assert.deepEqual(
      [...(await repo.loads(est))].sort((a, b) => a[0] - b[0]),
      [
        [id.zed, 2],
        [id.amy, 2],
      ].sort((a, b) => a[0]! - b[0]!),
    )
    assert.deepEqual([...(await repo.loads(other))], [])
  })

  it('a prisoner’s and an officer’s history, newest first, of this establishment only', async () => {
    assert.deepEqual(
      (await repo.historyForPrisoner(est, id.bella!)).map(h => [h.staff_last_name, h.staff_first_name]),
      [
        ['Young', 'Zed'],
        ['Adams', 'Abe'],
        ['Young', 'Amy'],
      ],
    )
    assert.deepEqual(await repo.historyForPrisoner(other, id.bella!), [])
    // begun at the same moment: the later row first
    const twins = await repo.historyForPrisoner(other, id.wait!)
    assert.equal(twins.length, 2)
    assert.ok(twins[0]!.id > twins[1]!.id, 'the later row first')
    const staffTwins = await repo.historyForStaff(other, id.there!)
    assert.ok(staffTwins[0]!.id > staffTwins[1]!.id, 'the later row first')
    assert.deepEqual(
      (await repo.historyForStaff(est, id.amy!)).map(h => [h.prisoner_last_name, h.prisoner_first_name]),
      [
        ['Cole', 'Ann'],
        ['Bell', 'Bob'],
        ['Bell', 'Al'],
      ],
    )
    assert.deepEqual(
      (await repo.historyForStaff(est, id.amy!, 2)).map(h => h.prison_number),
      [pn.cole, pn.bell],
    )
    assert.deepEqual(await repo.historyForStaff(other, id.amy!), [])
  })

  it('the current allocations by prisoner name, and an officer’s caseload by name', async () => {
    assert.deepEqual(
      (await repo.current(est)).map(c => [c.prison_number, c.staff_first_name]),
      [
        [pn.bella, 'Zed'],
        [pn.bell, 'Amy'],
        [pn.cole, 'Amy'],
        [pn.out, 'Zed'],
      ],
    )
    assert.deepEqual(
      (await repo.caseload(est, id.amy!)).map(c => [c.prison_number, c.unit_name]),
      [
        [pn.bell, null],
        [pn.cole, 'Houseblock 1'],
      ],
    )
    assert.deepEqual(await repo.caseload(other, id.amy!), [])
  })

  it('ends an allocation once: ending it again changes nothing', async () => {
    const current = (await repo.active(s.db.db, id.cole!))!
    await repo.end(s.db.db, current.id, {
      deallocated_at: '2026-06-01T09:00:00.000Z',
      deallocated_by: 'first',
      deallocation_reason: 'manual',
    })
    await repo.end(s.db.db, current.id, {
      deallocated_at: '2026-07-01T09:00:00.000Z',
      deallocated_by: 'second',
      deallocation_reason: 'released',
    })
    const ended = await s.db.db
      .selectFrom('allocations')
      .select(['deallocated_at', 'deallocated_by', 'deallocation_reason'])
      .where('id', '=', current.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(ended, {
      deallocated_at: '2026-06-01T09:00:00.000Z',
      deallocated_by: 'first',
      deallocation_reason: 'manual',
    })
    // Ann waits again
    assert.ok((await auto.unallocated(est)).some(p => p.id === id.cole))
  })

  it('those waiting: in custody, not high complexity, no Key Worker; longest waiting first', async () => {
    assert.deepEqual(
      (await auto.unallocated(est)).map(p => [p.prison_number, p.unit_code]),
      [
        [pn.cole, 'HB1'],
        [pn.wait, null],
      ],
    )
    assert.deepEqual(await auto.unallocated(other), [])
  })

  it('those allocated for rebalancing: in custody and not on cover', async () => {
    assert.deepEqual(
      (await auto.allocated(est)).map(p => [p.prison_number, p.staff_id]),
      [[pn.bell, id.amy]],
    )
  })

  it('previous Key Workers, the most recently ended first', async () => {
    assert.deepEqual(
      (await auto.previous(est)).map(p => [p.prisoner_id, p.staff_id]),
      [
        [id.cole, id.amy],
        [id.bella, id.abe],
        [id.bell, id.zed],
        [id.bella, id.amy],
      ],
    )
  })

  it('the active officers by name, and every officer not inactive for explaining room', async () => {
    assert.deepEqual(
      (await auto.officers(est)).map(o => [o.staff_number, o.home_unit_code, o.home_unit_name]),
      [
        ['ABE1', null, null],
        ['AMY1', null, null],
        ['ZED1', 'HB1', 'Houseblock 1'],
      ],
    )
    assert.deepEqual(
      (await auto.staffForRoom(est)).map(o => [o.id, o.status]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [id.zed, 'active'],
        [id.amy, 'active'],
        [id.abe, 'active'],
        [id.away, 'annual_leave'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    )
  })
})
