// Allocating a prisoner by hand and removing his Key Worker, through the allocations service on a world built here:
// each refusal by its words and with nothing written, the rows and audit events of each change, the capacity and load
// the "choose a Key Worker" list shows, and which changes to a prisoner's record end his Key Worker. Expected values
// are written by hand from the rules in PRODUCT.md (the establishment's ratio, pro rata for part-time hours).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import {
  allocationCounts,
  allocationRowsOf,
  allocationEvents,
  openEstablishment,
  setAllocationSettings,
  setUntrainedRule,
} from '../../../test/support/allocations'
import { admitPrisoner } from '../../../test/support/prisoners'
import { type NewOfficer, hireOfficer } from '../../../test/support/staff'
import type { UntrainedAllocation } from '../../domain/training'
import type { PrisonerChange } from '../prisoners/service'
import { deallocationReasonFor } from './service'

type Services = Awaited<ReturnType<typeof testServices>>

describe('allocating by hand and removing a Key Worker', () => {
  let s: Services
  let est: number
  let other: number
  const actor = () => ({ userId: null, username: 'so.hand', establishmentId: est })
  /** staff ids by staff number */
  const staff: Record<string, number> = {}
  let seq = 0

  async function hire(
    establishmentId: number,
    staffNumber: string,
    firstName: string,
    lastName: string,
    extra: Omit<NewOfficer, 'staffNumber' | 'firstName' | 'lastName'> = {},
  ) {
    staff[staffNumber] = await hireOfficer(s, establishmentId, { staffNumber, firstName, lastName, ...extra })
  }

  const admit = async (lastName: string) => {
    seq++
    const prisonNumber = `A${String(1000 + seq)}MH`
    await admitPrisoner(s, est, { prisonNumber, firstName: 'Tom', lastName, unit: '', receptionDate: '2026-01-05' })
    return prisonNumber
  }
  const prisonerId = async (prisonNumber: string) => Number((await s.prisoners.get(est, prisonNumber))!.id)

  const allocationsOf = (prisonNumber: string) => allocationRowsOf(s, prisonNumber)

  const counts = () => allocationCounts(s)
  const setRule = (rule: UntrainedAllocation) => setUntrainedRule(s, est, rule)

  before(async () => {
    s = await testServices()
    est = await openEstablishment(s, 'HND', 'Handworth (HMP)')
    other = await openEstablishment(s, 'ELS', 'Elsewhere (HMP)')
    // a ratio of 8: a full-time officer holds 8, one on 18.5 hours 4 (8 × 18.5 / 37)
    await setAllocationSettings(s, est, { autoAllocation: false, ratio: 8 })
    await hire(est, 'FT1', 'Ann', 'Fulltime')
    await hire(est, 'PT1', 'Pat', 'Parttime', { workingPattern: 'part_time', weeklyHours: '18.5' })
    await hire(est, 'ONE1', 'Olu', 'Single', { capacityOverride: 1 })
    await hire(est, 'TWO1', 'Tess', 'Double', { capacityOverride: 2 })
    await hire(est, 'AWAY1', 'Al', 'Away', { status: 'annual_leave' })
    await hire(est, 'NKW1', 'Nina', 'Notkw', { keyWorker: 'no' })
    await hire(other, 'ELS1', 'Eli', 'Elsewhere')
    await setRule('allow')
  })
  after(() => s.close())

  describe('refusals, each with its words and nothing written', () => {
    const refused = async (
      prisonNumber: string,
      staffNumber: string,
      errors: Record<string, string>,
      opts: { untrainedConfirmed?: boolean } = {},
    ) => {
      const before = await counts()
      const r = await s.allocations.allocate(actor(), est, prisonNumber, staff[staffNumber]!, {
        reason: 'manual',
        ...opts,
      })
      assert.deepEqual(r, { ok: false, errors })
      assert.deepEqual(await counts(), before, 'no allocation written nor audited')
    }

    it('a prisoner not of the establishment, or not in custody, or of high complexity', async () => {
      await refused('Z9999ZZ', 'FT1', { staffId: 'Prisoner not found' })
      const released = await admit('Released')
      await s.db.db.updateTable('prisoners').set({ status: 'released' }).where('prison_number', '=', released).execute()
      await refused(released, 'FT1', { staffId: 'Only a prisoner in custody can have a Key Worker' })
      const high = await admit('Complex')
      await s.db.db.updateTable('prisoners').set({ complexity: 'high' }).where('prison_number', '=', high).execute()
      await refused(high, 'FT1', { staffId: 'Prisoners with high complexity of need are not allocated a Key Worker' })
      // medium complexity is allocated
      await s.db.db.updateTable('prisoners').set({ complexity: 'medium' }).where('prison_number', '=', high).execute()
      assert.deepEqual(await s.allocations.allocate(actor(), est, high, staff.FT1!, { reason: 'manual' }), {
        ok: true,
        value: undefined,
      })
    })

    it('an officer of another establishment, away, or not a Key Worker', async () => {
      const p = await admit('Refused')
      await refused(p, 'ELS1', { staffId: 'Choose a Key Worker from this establishment' })
      await refused(p, 'AWAY1', { staffId: 'Al Away is not active' })
      await refused(p, 'NKW1', {
        staffId: 'Nina Notkw is not a Key Worker: mark them as one on their staff page first',
      })
      assert.deepEqual(await allocationsOf(p), [])
    })

    it('the same Key Worker again, and an officer at capacity (one below it is allocated)', async () => {
      const first = await admit('First')
      const second = await admit('Second')
      const third = await admit('Third')
      assert.ok((await s.allocations.allocate(actor(), est, first, staff.TWO1!, { reason: 'manual' })).ok)
      await refused(first, 'TWO1', { staffId: 'This is already the prisoner’s Key Worker' })
      // Tess holds 1 of 2: one more fits
      assert.ok((await s.allocations.allocate(actor(), est, second, staff.TWO1!, { reason: 'manual' })).ok)
      await refused(third, 'TWO1', { staffId: 'Tess Double has no room: 2 prisoners already' })
      assert.ok((await s.allocations.allocate(actor(), est, third, staff.ONE1!, { reason: 'manual' })).ok)
      const fourth = await admit('Fourth')
      await refused(fourth, 'ONE1', { staffId: 'Olu Single has no room: 1 prisoners already' })
    })

    it('an untrained Key Worker: refused under refuse; under warn until the user says go ahead', async () => {
      const p = await admit('Untrained')
      try {
        await setRule('refuse')
        const refusal = await s.allocations.allocate(actor(), est, p, staff.FT1!, { reason: 'manual' })
        assert.equal(refusal.ok, false)
        assert.match(JSON.stringify(refusal), /Ann Fulltime/)
        assert.deepEqual(await allocationsOf(p), [])
        await setRule('warn')
        await refused(
          p,
          'FT1',
          {
            untrainedConfirmed:
              'Ann Fulltime has not done the initial Key Worker course. Tick “Allocate anyway: I know this officer has not done the initial course” to go ahead, or choose another Key Worker.',
          },
          { untrainedConfirmed: false },
        )
        // confirmed: allocated and the audit says so
        assert.ok(
          (await s.allocations.allocate(actor(), est, p, staff.FT1!, { reason: 'manual', untrainedConfirmed: true }))
            .ok,
        )
        // a caller that is not a form (left out): allocated, audited as not asked
        const q = await admit('NotAsked')
        assert.ok((await s.allocations.allocate(actor(), est, q, staff.FT1!, { reason: 'auto' })).ok)
        const rows = [...(await allocationsOf(p)), ...(await allocationsOf(q))]
        assert.deepEqual(
          (
            await allocationEvents(
              s,
              rows.map(r => r.id),
            )
          ).map(e => e.changes),
          [
            { prisoner: p, staff: 'FT1', reason: 'manual', untrained: true, untrained_confirmed: true },
            { prisoner: q, staff: 'FT1', reason: 'auto', untrained: true, untrained_confirmed: null },
          ],
        )
      } finally {
        await setRule('allow')
      }
    })
  })

  it('allocates, then reallocates with a handover note: the first ended as reallocated, both audited', async () => {
    const p = await admit('Moved')
    assert.ok((await s.allocations.allocate(actor(), est, p, staff.FT1!, { reason: 'manual', handoverNote: '' })).ok)
    assert.ok(
      (
        await s.allocations.allocate(actor(), est, p, staff.PT1!, {
          reason: 'manual',
          handoverNote: 'Waiting on a housing referral',
        })
      ).ok,
    )
    const rows = await allocationsOf(p)
    assert.equal(rows.length, 2)
    const [first, second] = rows as [(typeof rows)[0], (typeof rows)[0]]
    assert.ok(first.deallocated_at, 'the first allocation ended')
    assert.deepEqual(
      { ...first, id: 0, deallocated_at: 'set' },
      {
        id: 0,
        staff_id: staff.FT1,
        allocated_by: 'so.hand',
        allocation_reason: 'manual',
        handover_note: null,
        deallocated_at: 'set',
        deallocated_by: 'so.hand',
        deallocation_reason: 'manual',
        deallocation_note: 'Reallocated',
      },
    )
    assert.deepEqual(
      { ...second, id: 0 },
      {
        id: 0,
        staff_id: staff.PT1,
        allocated_by: 'so.hand',
        allocation_reason: 'manual',
        handover_note: 'Waiting on a housing referral',
        deallocated_at: null,
        deallocated_by: null,
        deallocation_reason: null,
        deallocation_note: null,
      },
    )
    assert.deepEqual(await allocationEvents(s, [first.id, second.id]), [
      {
        action: 'create',
        username: 'so.hand',
        entity_id: String(first.id),
        establishment_id: est,
        changes: { prisoner: p, staff: 'FT1', reason: 'manual' },
      },
      {
        action: 'create',
        username: 'so.hand',
        entity_id: String(second.id),
        establishment_id: est,
        changes: { prisoner: p, staff: 'PT1', reason: 'manual', replaces: first.id },
      },
    ])
  })

  it('the list of Key Workers: capacity from the ratio pro rata or the override, load, room and training', async () => {
    const officers = await s.allocations.officers(est)
    // Nina is not a Key Worker and Al is away: not listed; Eli is of another establishment
    const byNumber = Object.fromEntries(
      officers.map(o => [o.staff_number, { capacity: o.capacity, load: o.load, hasRoom: o.hasRoom }]),
    )
    const loads = async (id: number) =>
      Number(
        (
          await s.db.db
            .selectFrom('allocations')
            .select(eb => eb.fn.countAll<number>().as('n'))
            .where('staff_id', '=', id)
            .where('deallocated_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    assert.deepEqual(byNumber, {
      FT1: { capacity: 8, load: await loads(staff.FT1!), hasRoom: true },
      PT1: { capacity: 4, load: await loads(staff.PT1!), hasRoom: true },
      ONE1: { capacity: 1, load: 1, hasRoom: false },
      TWO1: { capacity: 2, load: 2, hasRoom: false },
    })
    assert.ok(
      officers.every(o => o.trainingCheck === 'ok'),
      'the rule allows: every officer ok',
    )
    assert.equal(await s.allocations.capacityOf(est, { weekly_hours: 18.5, capacity_override: null }), 4)
    assert.equal(await s.allocations.capacityOf(est, { weekly_hours: 37, capacity_override: 3 }), 3)
    await setRule('warn')
    try {
      assert.ok(
        (await s.allocations.officers(est)).every(o => o.trainingCheck === 'warn'),
        'untrained: warned',
      )
      assert.equal(await s.allocations.untrainedRule(est), 'warn')
    } finally {
      await setRule('allow')
    }
  })

  describe('removing a Key Worker', () => {
    it('refuses an unknown prisoner and one with no Key Worker, writing nothing', async () => {
      const p = await admit('Nobody')
      const before = await counts()
      assert.deepEqual(await s.allocations.deallocate(actor(), est, 'Z9999ZZ', 'released'), {
        ok: false,
        errors: { reason: 'Prisoner not found' },
      })
      assert.deepEqual(await s.allocations.deallocate(actor(), est, p, 'released'), {
        ok: false,
        errors: { reason: 'This prisoner has no Key Worker' },
      })
      assert.deepEqual(await counts(), before)
    })

    it('ends the allocation with the reason and note, and audits it; a blank note is none', async () => {
      const p = await admit('Removed')
      const q = await admit('RemovedNoNote')
      assert.ok((await s.allocations.allocate(actor(), est, p, staff.FT1!, { reason: 'manual' })).ok)
      assert.ok((await s.allocations.allocate(actor(), est, q, staff.FT1!, { reason: 'manual' })).ok)
      assert.deepEqual(await s.allocations.deallocate(actor(), est, p, 'manual', 'Moved to the drug recovery wing'), {
        ok: true,
        value: undefined,
      })
      assert.ok((await s.allocations.deallocate(actor(), est, q, 'staff_left_role', '')).ok)
      const [ended] = await allocationsOf(p)
      const [endedNoNote] = await allocationsOf(q)
      assert.deepEqual(
        [ended, endedNoNote].map(r => [r!.deallocated_by, r!.deallocation_reason, r!.deallocation_note]),
        [
          ['so.hand', 'manual', 'Moved to the drug recovery wing'],
          ['so.hand', 'staff_left_role', null],
        ],
      )
      assert.ok(ended!.deallocated_at && endedNoNote!.deallocated_at)
      const events = await allocationEvents(s, [ended!.id, endedNoNote!.id])
      assert.deepEqual(
        events.filter(e => e.action === 'update').map(e => [e.entity_id, e.establishment_id, e.changes]),
        [
          [
            String(ended!.id),
            est,
            { deallocated: { from: null, to: 'manual' }, note: 'Moved to the drug recovery wing' },
          ],
          [String(endedNoNote!.id), est, { deallocated: { from: null, to: 'staff_left_role' }, note: '' }],
        ],
      )
      // the prisoner can be allocated again
      assert.ok((await s.allocations.allocate(actor(), est, p, staff.PT1!, { reason: 'manual' })).ok)
    })
  })

  describe('a change to the prisoner’s record', () => {
    it('names the reason: release first, then transfer (by status or by moving), then high complexity', () => {
      const base = { prisonerId: 1, prisonNumber: 'A1234BC', establishmentId: 1 }
      const table: [Parameters<typeof deallocationReasonFor>[0], string | undefined][] = [
        [{ ...base, status: { from: 'in', to: 'released' } }, 'released'],
        [{ ...base, status: { from: 'in', to: 'released' }, establishment: { from: 1, to: 2 } }, 'released'],
        [{ ...base, status: { from: 'in', to: 'released' }, complexity: { from: 'low', to: 'high' } }, 'released'],
        [{ ...base, status: { from: 'in', to: 'transferred' } }, 'transferred'],
        [{ ...base, establishment: { from: 1, to: 2 } }, 'transferred'],
        [{ ...base, establishment: { from: 1, to: 2 }, complexity: { from: 'low', to: 'high' } }, 'transferred'],
        [{ ...base, complexity: { from: 'low', to: 'high' } }, 'complexity_changed'],
        [{ ...base, complexity: { from: 'high', to: 'medium' } }, undefined],
        [{ ...base, status: { from: 'released', to: 'in' } }, undefined],
        [base, undefined],
      ]
      for (const [change, reason] of table) assert.equal(deallocationReasonFor(change), reason, JSON.stringify(change))
    })

    it('ends his Key Worker in the change’s transaction, noted as automatic; a change that does not, ends nothing', async () => {
      const p = await admit('Complexity')
      assert.ok((await s.allocations.allocate(actor(), est, p, staff.PT1!, { reason: 'manual' })).ok)
      const id = await prisonerId(p)
      const changed = (change: Partial<PrisonerChange>) =>
        s.db.db.transaction().execute(trx =>
          s.allocations.prisonerChanged(trx, actor(), {
            prisonerId: id,
            prisonNumber: p,
            establishmentId: est,
            ...change,
          }),
        )
      const none = await changed({ complexity: { from: 'low', to: 'medium' } })
      assert.equal(none, false)
      assert.equal((await allocationsOf(p))[0]!.deallocated_at, null)
      const ended = await changed({ complexity: { from: 'low', to: 'high' } })
      assert.equal(ended, true)
      const [row] = await allocationsOf(p)
      assert.deepEqual(
        [row!.deallocated_by, row!.deallocation_reason, row!.deallocation_note],
        ['so.hand', 'complexity_changed', 'Ended automatically: complexity of need changed to high'],
      )
      assert.deepEqual((await allocationEvents(s, [row!.id])).at(-1), {
        action: 'update',
        username: 'so.hand',
        entity_id: String(row!.id),
        establishment_id: est,
        changes: {
          deallocated: { from: null, to: 'complexity_changed' },
          note: 'Ended automatically: complexity of need changed to high',
          automatic: true,
        },
      })
      // nothing left to end
      const again = await changed({ status: { from: 'in', to: 'released' } })
      assert.equal(again, false)
    })

    it('notes a release and a transfer as automatic, each in its words', async () => {
      for (const [to, note] of [
        ['released', 'Ended automatically: the prisoner was released'],
        ['transferred', 'Ended automatically: the prisoner was transferred'],
      ] as const) {
        const p = await admit(`Gone${to}`)
        assert.ok((await s.allocations.allocate(actor(), est, p, staff.FT1!, { reason: 'manual' })).ok)
        const id = await prisonerId(p)
        await s.db.db.transaction().execute(trx =>
          s.allocations.prisonerChanged(trx, actor(), {
            prisonerId: id,
            prisonNumber: p,
            establishmentId: est,
            status: { from: 'in', to },
          }),
        )
        const [row] = await allocationsOf(p)
        assert.deepEqual([row!.deallocation_reason, row!.deallocation_note], [to, note])
      }
    })
  })
})
