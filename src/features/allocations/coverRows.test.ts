// Cover while a Key Worker is away, on a world built here with capacities set by hand, so who covers whom is known:
// the rows each cover writes and ends, the audit events, the prisoners nobody has room for, the training rule's
// words for one and for several officers, and a cover kept when its Key Worker is not back.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import {
  allocationEvents,
  allocationRowsOf,
  openEstablishment,
  recordInitialCourse,
  setUntrainedRule,
  spokenDate,
} from '../../../test/support/allocations'
import { admitPrisoner } from '../../../test/support/prisoners'
import { hireOfficer } from '../../../test/support/staff'
import { addDays, todayIso } from '../../domain/dates'
import type { UntrainedAllocation } from '../../domain/training'

type Services = Awaited<ReturnType<typeof testServices>>

describe('cover: the rows, the audit and who is left uncovered', () => {
  let s: Services
  let est: number
  const actor = () => ({ userId: null, username: 'so.cover', establishmentId: est })
  let away: number
  let bea: number
  let cy: number
  let idle: number
  let seq = 0
  const caseOfAway: string[] = []

  const admit = async () => {
    seq++
    const prisonNumber = `C${String(1000 + seq)}CV`
    await admitPrisoner(s, est, {
      prisonNumber,
      firstName: 'Sam',
      lastName: `Cover${seq}`,
      unit: '',
      receptionDate: '2026-02-01',
    })
    return prisonNumber
  }
  const setRule = (rule: UntrainedAllocation) => setUntrainedRule(s, est, rule)

  /** the active allocations of the establishment: prison number → [staff id, reason, cover until, covering for] */
  const active = async () =>
    Object.fromEntries(
      (
        await s.db.db
          .selectFrom('allocations')
          .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
          .select([
            'prisoners.prison_number',
            'allocations.staff_id',
            'allocations.allocation_reason',
            'allocations.cover_until',
            'allocations.covering_for_staff_id',
          ])
          .where('allocations.establishment_id', '=', est)
          .where('allocations.deallocated_at', 'is', null)
          .execute()
      ).map(r => [r.prison_number, [r.staff_id, r.allocation_reason, r.cover_until, r.covering_for_staff_id] as const]),
    )
  const allocationsOf = (prisonNumber: string) => allocationRowsOf(s, prisonNumber)
  const eventsOf = async (allocationId: number) =>
    (await allocationEvents(s, [allocationId])).map(({ entity_id: _, ...e }) => e)

  before(async () => {
    s = await testServices()
    est = await openEstablishment(s, 'CVR', 'Coverley (HMP)')
    await setRule('allow')
    away = await hireOfficer(s, est, { staffNumber: 'AWY1', firstName: 'Ada', lastName: 'Away', capacityOverride: 5 })
    bea = await hireOfficer(s, est, { staffNumber: 'BEA1', firstName: 'Bea', lastName: 'Bee', capacityOverride: 2 })
    cy = await hireOfficer(s, est, { staffNumber: 'CYY1', firstName: 'Cy', lastName: 'Sea', capacityOverride: 1 })
    idle = await hireOfficer(s, est, { staffNumber: 'IDL1', firstName: 'Ida', lastName: 'Idle', capacityOverride: 0 })
    for (let i = 0; i < 3; i++) {
      const p = await admit()
      caseOfAway.push(p)
      assert.ok((await s.allocations.allocate(actor(), est, p, away, { reason: 'manual' })).ok)
    }
  })
  after(() => s.close())

  it('refuses an end date of today or before, and an officer with no prisoners of their own', async () => {
    assert.deepEqual(await s.cover.arrange(actor(), est, away, todayIso()), {
      ok: false,
      errors: { until: 'The cover must end after today' },
    })
    assert.deepEqual(await s.cover.arrange(actor(), est, away, addDays(todayIso(), -3)), {
      ok: false,
      errors: { until: 'The cover must end after today' },
    })
    assert.deepEqual(await s.cover.arrange(actor(), est, idle, addDays(todayIso(), 5)), {
      ok: false,
      errors: { until: 'This officer has no prisoners of their own to cover' },
    })
    // nothing moved
    const now = await active()
    for (const p of caseOfAway) assert.deepEqual(now[p], [away, 'manual', null, null])
  })

  it('names the untrained officers the cover would use where the rules warn, one or several', async () => {
    await setRule('warn')
    try {
      const r = await s.cover.arrange(actor(), est, away, addDays(todayIso(), 5), { untrainedConfirmed: false })
      assert.deepEqual(r, {
        ok: false,
        errors: {
          untrainedConfirmed:
            'The cover would give prisoners to Bee, Bea (BEA1) and Sea, Cy (CYY1), who have not done the initial Key Worker course. Tick “Allocate anyway: I know this officer has not done the initial course” to go ahead, or arrange the cover later.',
        },
      })
      // Cy full: only Bea would cover (two of the three)
      const filler = await admit()
      assert.ok((await s.allocations.allocate(actor(), est, filler, cy, { reason: 'manual' })).ok)
      const one = await s.cover.arrange(actor(), est, away, addDays(todayIso(), 5), { untrainedConfirmed: false })
      assert.deepEqual(one, {
        ok: false,
        errors: {
          untrainedConfirmed:
            'The cover would give prisoners to Bee, Bea (BEA1), who has not done the initial Key Worker course. Tick “Allocate anyway: I know this officer has not done the initial course” to go ahead, or arrange the cover later.',
        },
      })
      assert.ok((await s.allocations.deallocate(actor(), est, filler, 'released')).ok)
      const now = await active()
      for (const p of caseOfAway) assert.deepEqual(now[p], [away, 'manual', null, null], 'nothing moved')
    } finally {
      await setRule('allow')
    }
  })

  it('moves the caseload to officers with room, ends the own allocations as covered, and audits each', async () => {
    const until = addDays(todayIso(), 10)
    const before = Object.fromEntries(
      await Promise.all(caseOfAway.map(async p => [p, (await allocationsOf(p)).at(-1)!.id] as const)),
    )
    const r = await s.cover.arrange(actor(), est, away, until)
    assert.deepEqual(r, { ok: true, value: { covered: 3, uncovered: [] } })
    const now = await active()
    const coveredBy = caseOfAway.map(p => now[p]![0]).sort()
    // Bea has room for 2, Cy for 1, Ida none
    assert.deepEqual(coveredBy, [bea, bea, cy].sort())
    for (const p of caseOfAway) {
      const [staffId, reason, coverUntil, coveringFor] = now[p]!
      assert.deepEqual([reason, coverUntil, coveringFor], ['cover', until, away])
      const rows = await allocationsOf(p)
      const own = rows.find(row => row.id === before[p])!
      assert.deepEqual(
        [own.deallocated_by, own.deallocation_reason, own.deallocation_note],
        ['so.cover', 'staff_unavailable', `Covered until ${spokenDate(until)}`],
      )
      assert.ok(own.deallocated_at)
      const cover = rows.at(-1)!
      assert.deepEqual([cover.allocated_by, cover.allocation_reason], ['so.cover', 'cover'])
      assert.deepEqual(await eventsOf(cover.id), [
        {
          action: 'create',
          username: 'so.cover',
          establishment_id: est,
          changes: { prisoner: p, cover_for: away, staff_id: staffId, until },
        },
      ])
    }
    assert.equal((await s.allocations.caseload(est, away)).length, 0)
  })

  it('gives the prisoners back on the end date, not before, once', async () => {
    const until = Object.values(await active())[0]![2]!
    assert.deepEqual(await s.cover.returnDue(actor(), addDays(until, -1)), { returned: 0, kept: 0 })
    const covers = Object.fromEntries(
      await Promise.all(caseOfAway.map(async p => [p, (await allocationsOf(p)).at(-1)!.id] as const)),
    )
    assert.deepEqual(await s.cover.returnDue(actor(), until), { returned: 3, kept: 0 })
    const now = await active()
    for (const p of caseOfAway) {
      assert.deepEqual(now[p], [away, 'returned_from_cover', null, null])
      const rows = await allocationsOf(p)
      const cover = rows.find(row => row.id === covers[p])!
      assert.deepEqual([cover.deallocated_by, cover.deallocation_reason], ['so.cover', 'cover_ended'])
      const back = rows.at(-1)!
      assert.deepEqual(await eventsOf(back.id), [
        {
          action: 'create',
          username: 'so.cover',
          establishment_id: est,
          changes: { returned_from_cover: covers[p], staff_id: away },
        },
      ])
    }
    assert.deepEqual(await s.cover.returnDue(actor(), addDays(until, 1)), { returned: 0, kept: 0 })
  })

  it('leaves uncovered whom nobody has room for, and covers the rest', async () => {
    // Cy full again: Bea covers two of the three, one is left with Ada
    const filler = await admit()
    assert.ok((await s.allocations.allocate(actor(), est, filler, cy, { reason: 'manual' })).ok)
    const until = addDays(todayIso(), 4)
    const r = await s.cover.arrange(actor(), est, away, until)
    assert.ok(r.ok)
    assert.equal(r.value.covered, 2)
    const now = await active()
    const left = caseOfAway.filter(p => now[p]![0] === away)
    assert.equal(left.length, 1)
    assert.deepEqual(r.value.uncovered, [{ prisonNumber: left[0], reason: 'No Key Worker has room on their caseload' }])
    assert.deepEqual(now[left[0]!], [away, 'returned_from_cover', null, null])
  })

  it('keeps a cover whose Key Worker is not active on the end date, and one that names nobody', async () => {
    const until = addDays(todayIso(), 4)
    await s.db.db.updateTable('staff').set({ status: 'long_term_absence' }).where('id', '=', away).execute()
    // a cover row that names no Key Worker to return to (written before covering_for_staff_id was kept)
    const orphan = await admit()
    const orphanId = Number((await s.prisoners.get(est, orphan))!.id)
    await s.db.db
      .insertInto('allocations')
      .values({
        establishment_id: est,
        prisoner_id: orphanId,
        staff_id: cy,
        allocated_at: new Date().toISOString(),
        allocated_by: 'so.cover',
        allocation_reason: 'cover',
        cover_until: until,
        covering_for_staff_id: null,
      })
      .execute()
    const before = await active()
    assert.deepEqual(await s.cover.returnDue(actor(), until), { returned: 0, kept: 3 })
    assert.deepEqual(await active(), before, 'nothing moved')
    // back at work: the two covers return to Ada; the one naming nobody stays
    await s.db.db.updateTable('staff').set({ status: 'active' }).where('id', '=', away).execute()
    assert.deepEqual(await s.cover.returnDue(actor(), until), { returned: 2, kept: 1 })
    const now = await active()
    assert.deepEqual(
      caseOfAway.map(p => now[p]![0]),
      [away, away, away],
    )
    assert.deepEqual(now[orphan], [cy, 'cover', until, null])
  })

  it('marks in the audit the covers given to an untrained Key Worker once the user said go ahead, and only those', async () => {
    // Bea has done the initial course; Dee, new, has not; Cy is full
    await recordInitialCourse(s, est, bea)
    const dee = await hireOfficer(s, est, {
      staffNumber: 'DEE1',
      firstName: 'Dee',
      lastName: 'New',
      capacityOverride: 1,
    })
    await setRule('warn')
    try {
      const until = addDays(todayIso(), 6)
      const r = await s.cover.arrange(actor(), est, away, until, { untrainedConfirmed: true })
      assert.deepEqual(r, { ok: true, value: { covered: 3, uncovered: [] } })
      const now = await active()
      const changes: Record<string, unknown>[] = []
      for (const p of caseOfAway) {
        const cover = (await allocationsOf(p)).at(-1)!
        changes.push((await eventsOf(cover.id))[0]!.changes as Record<string, unknown>)
      }
      const byOfficer = (id: number) => changes.filter(c => c.staff_id === id)
      assert.deepEqual(caseOfAway.map(p => now[p]![0]).sort(), [bea, bea, dee].sort())
      for (const c of byOfficer(bea))
        assert.deepEqual(Object.keys(c).sort(), ['cover_for', 'prisoner', 'staff_id', 'until'])
      assert.deepEqual(
        byOfficer(dee).map(c => [
          (c as Record<string, unknown>).untrained,
          (c as Record<string, unknown>).untrained_confirmed,
        ]),
        [[true, true]],
      )
    } finally {
      await setRule('allow')
    }
  })
})
