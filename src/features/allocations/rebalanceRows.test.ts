// Rebalancing on a world built here with capacities set by hand, so the proposal is known: Ada holds three with room
// for one, Bea has room for five, Al is away with two of his own. The refusals by their words, a proposal gone stale
// by each thing it rests on, and the rows and audit events of the moves made.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import {
  allocationCounts,
  allocationRowsOf,
  currentAllocation,
  openEstablishment,
  setAllocationSettings,
  setUntrainedRule,
} from '../../../test/support/allocations'
import { admitPrisoner } from '../../../test/support/prisoners'
import { hireOfficer } from '../../../test/support/staff'
import { AUTO_OFF } from './auto'
import { rebalanceService } from './rebalance'

type Services = Awaited<ReturnType<typeof testServices>>
const NOT_RECENT = { moveRecentlySeen: false }

describe('rebalancing: the proposal, its refusals and the moves made', () => {
  let s: Services
  let est: number
  const actor = () => ({ userId: null, username: 'so.balance', establishmentId: est })
  let ada: number
  let bea: number
  let al: number
  const ofAda: string[] = []
  const ofAl: string[] = []
  let seq = 0

  const admit = async () => {
    seq++
    const prisonNumber = `R${String(1000 + seq)}RB`
    await admitPrisoner(s, est, {
      prisonNumber,
      firstName: 'Ray',
      lastName: `Balance${seq}`,
      unit: '',
      receptionDate: '2026-03-01',
    })
    return prisonNumber
  }
  const settings = (autoAllocation: boolean) => setAllocationSettings(s, est, { autoAllocation, ratio: null })
  const keyWorkerOf = async (prisonNumber: string) => (await currentAllocation(s, prisonNumber))?.staff_id
  const countAllocations = async () => (await allocationCounts(s)).rows

  before(async () => {
    s = await testServices()
    est = await openEstablishment(s, 'BAL', 'Balham (HMP)')
    await settings(true)
    await setUntrainedRule(s, est, 'allow')
    ada = await hireOfficer(s, est, { staffNumber: 'ADA1', firstName: 'Ada', lastName: 'Full', capacityOverride: 3 })
    bea = await hireOfficer(s, est, { staffNumber: 'BEA1', firstName: 'Bea', lastName: 'Room', capacityOverride: 5 })
    al = await hireOfficer(s, est, { staffNumber: 'ALA1', firstName: 'Al', lastName: 'Away', capacityOverride: 2 })
    for (let i = 0; i < 3; i++) {
      ofAda.push(await admit())
      assert.ok((await s.allocations.allocate(actor(), est, ofAda.at(-1)!, ada, { reason: 'manual' })).ok)
    }
    for (let i = 0; i < 2; i++) {
      ofAl.push(await admit())
      assert.ok((await s.allocations.allocate(actor(), est, ofAl.at(-1)!, al, { reason: 'manual' })).ok)
    }
    // Ada's room cut to one; Al goes on leave with his two
    await s.db.db.updateTable('staff').set({ capacity_override: 1 }).where('id', '=', ada).execute()
    await s.db.db.updateTable('staff').set({ status: 'long_term_absence' }).where('id', '=', al).execute()
  })
  after(() => s.close())

  it('proposes moving Ada’s two over capacity to Bea, and leaves Al’s caseload alone', async () => {
    const p = await s.rebalance.preview(est, NOT_RECENT)
    assert.equal(p.allocated, 3, 'Al’s two are not counted: he is away')
    assert.equal(p.recentDays, 28)
    assert.equal(p.pinned, 0)
    assert.deepEqual(
      p.moves.map(m => [m.from.id, m.to.id, m.reasons]),
      [
        [ada, bea, ['Key Worker over capacity']],
        [ada, bea, ['Key Worker over capacity']],
      ],
    )
    const moved = p.moves.map(m => m.prisoner.prison_number)
    assert.equal(new Set(moved).size, 2)
    assert.ok(moved.every(n => ofAda.includes(n)))
    assert.equal(p.before.overCapacityOfficers, 1)
    assert.equal(p.after.overCapacityOfficers, 0)
    assert.deepEqual(p.overCapacity, [])
  })

  it('refuses with nothing chosen, with automatic allocation off, and a prisoner not proposed', async () => {
    const p = await s.rebalance.preview(est, NOT_RECENT)
    const rows = await countAllocations()
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, p.fingerprint, []), {
      ok: false,
      errors: { form: 'Choose at least one move to make' },
    })
    const stayed = ofAda.find(n => !p.moves.some(m => m.prisoner.prison_number === n))!
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, p.fingerprint, [stayed]), {
      ok: false,
      errors: { form: `${stayed} is not one of the proposed moves. Nothing was saved.` },
    })
    // one proposed and one not: nothing saved
    const proposed = p.moves[0]!.prisoner.prison_number
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, p.fingerprint, [proposed, ofAl[0]!]), {
      ok: false,
      errors: { form: `${ofAl[0]} is not one of the proposed moves. Nothing was saved.` },
    })
    await settings(false)
    try {
      assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, p.fingerprint, [proposed]), {
        ok: false,
        errors: { form: AUTO_OFF },
      })
    } finally {
      await settings(true)
    }
    assert.equal(await countAllocations(), rows)
    assert.equal(await keyWorkerOf(proposed), ada)
  })

  it('refuses a proposal made before a capacity, an allocation or the option changed', async () => {
    const stale = {
      ok: false,
      errors: {
        form: 'Caseloads changed since this proposal was made. Nothing was saved: check the new proposal and confirm again.',
      },
    }
    const first = await s.rebalance.preview(est, NOT_RECENT)
    const proposed = first.moves[0]!.prisoner.prison_number
    // the option asked for differs from the proposal's
    assert.deepEqual(
      await s.rebalance.confirm(actor(), est, { moveRecentlySeen: true }, first.fingerprint, [proposed]),
      stale,
    )
    // a capacity changed
    await s.db.db.updateTable('staff').set({ capacity_override: 6 }).where('id', '=', bea).execute()
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, first.fingerprint, [proposed]), stale)
    await s.db.db.updateTable('staff').set({ capacity_override: 5 }).where('id', '=', bea).execute()
    // back as it was: the proposal holds again (checked below by making it)
    const again = await s.rebalance.preview(est, NOT_RECENT)
    assert.equal(again.fingerprint, first.fingerprint)
    // an allocation changed: a new prisoner of Bea's
    const newcomer = await admit()
    assert.ok((await s.allocations.allocate(actor(), est, newcomer, bea, { reason: 'manual' })).ok)
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, first.fingerprint, [proposed]), stale)
    assert.ok((await s.allocations.deallocate(actor(), est, newcomer, 'released')).ok)
  })

  it('refuses a proposal made before a session was recorded with a prisoner in it', async () => {
    // the sessions feature says who was seen when; here, a list that a session is added to after the proposal
    const seen = new Map<number, string>()
    const withSessions = rebalanceService(s.db.db, {
      audit: s.audit,
      establishments: s.establishments,
      autoAllocation: s.autoAllocation,
      lastSessions: async () => seen,
    })
    const first = await withSessions.preview(est, NOT_RECENT)
    const move = first.moves[0]!
    seen.set(move.prisoner.id, '2026-03-02')
    assert.deepEqual(
      await withSessions.confirm(actor(), est, NOT_RECENT, first.fingerprint, [move.prisoner.prison_number]),
      {
        ok: false,
        errors: {
          form: 'Caseloads changed since this proposal was made. Nothing was saved: check the new proposal and confirm again.',
        },
      },
    )
    assert.equal(await keyWorkerOf(move.prisoner.prison_number), ada)
  })

  it('makes the ticked moves once each: the old allocation ended with the reasons, the new one audited', async () => {
    const p = await s.rebalance.preview(est, NOT_RECENT)
    const [move, unticked] = p.moves as [(typeof p.moves)[0], (typeof p.moves)[0]]
    const number = move.prisoner.prison_number
    const before = await s.db.db
      .selectFrom('allocations')
      .select('id')
      .where('prisoner_id', '=', move.prisoner.id)
      .where('deallocated_at', 'is', null)
      .executeTakeFirstOrThrow()
    // the same prisoner ticked twice is one move
    assert.deepEqual(await s.rebalance.confirm(actor(), est, NOT_RECENT, p.fingerprint, [number, number]), {
      ok: true,
      value: 1,
    })
    assert.equal(await keyWorkerOf(number), bea)
    assert.equal(await keyWorkerOf(unticked.prisoner.prison_number), ada)
    const rows = await allocationRowsOf(s, number)
    assert.deepEqual(
      rows.map(r => ({
        ...r,
        id: r.id === before.id ? 'old' : 'new',
        deallocated_at: r.deallocated_at === null ? null : 'set',
      })),
      [
        {
          id: 'old',
          staff_id: ada,
          allocated_by: 'so.balance',
          allocation_reason: 'manual',
          handover_note: null,
          deallocated_at: 'set',
          deallocated_by: 'so.balance',
          deallocation_reason: 'manual',
          deallocation_note: 'Rebalanced: Key Worker over capacity',
        },
        {
          id: 'new',
          staff_id: bea,
          allocated_by: 'so.balance',
          allocation_reason: 'auto',
          handover_note: null,
          deallocated_at: null,
          deallocated_by: null,
          deallocation_reason: null,
          deallocation_note: null,
        },
      ],
    )
    const events = await s.db.db
      .selectFrom('audit_events')
      .select(['action', 'username', 'establishment_id', 'changes'])
      .where('entity', '=', 'allocation')
      .where('entity_id', '=', String(rows[1]!.id))
      .execute()
    assert.deepEqual(
      events.map(e => ({ ...e, changes: JSON.parse(e.changes ?? 'null') })),
      [
        {
          action: 'create',
          username: 'so.balance',
          establishment_id: est,
          changes: {
            prisoner: number,
            staff_id: { from: ada, to: bea },
            reason: 'rebalance',
            why: ['Key Worker over capacity'],
            replaces: before.id,
          },
        },
      ],
    )
    // the proposal is spent: one move is left, for the prisoner not ticked
    const next = await s.rebalance.preview(est, NOT_RECENT)
    assert.deepEqual(
      next.moves.map(m => m.prisoner.prison_number),
      [unticked.prisoner.prison_number],
    )
  })
})
