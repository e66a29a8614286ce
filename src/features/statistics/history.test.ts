import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Kysely } from 'kysely'
import { testWorld } from '../../../test/harness'
import { oracleFigures } from '../../../test/support/statisticsOracle'
import type { Database } from '../../platform/db/types'
import { REASONS } from '../../domain/statistics'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { custodyRepository } from '../prisoners/custodyRepository'
import { insertOfficer } from '../../../test/support/statisticsFixtures'
import type { StatisticsScope } from './service'

// Eligible prisoners on past days come from the custody history, not from today's records: a history written by
// hand (receptions, a transfer out and in, a release, a complexity change to high and one from high, a move between
// houseblocks), today's records deliberately saying otherwise (high complexity now, in the other houseblock now), and
// the counts on chosen days with the arithmetic written here.

let world: Awaited<ReturnType<typeof testWorld>>
let db: Kysely<Database>
let mdi: number
let lei: number
const unit: Record<string, number> = {}
const custody = custodyRepository()
let p5: { id: number; prison_number: string; establishmentId: number }

async function insertUnit(establishmentId: number, code: string, parent: number | null) {
  const r = await db
    .insertInto('residential_units')
    .values({
      establishment_id: establishmentId,
      code,
      name: `Wing ${code}`,
      parent_id: parent,
      capacity: 50,
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: '2025-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** A record as it reads today. */
async function record(n: number, establishmentId: number, today: { unit: number; complexity: string; status: string }) {
  const r = await db
    .insertInto('prisoners')
    .values({
      prison_number: `A${1000 + n}HX`,
      first_name: 'History',
      last_name: `Man ${n}`,
      date_of_birth: '1990-01-01',
      establishment_id: establishmentId,
      unit_id: today.unit,
      cell: null,
      reception_date: '2025-01-01',
      release_date: null,
      status: today.status,
      complexity: today.complexity,
      first_language: 'English',
      interpreter_needed: 0,
      nationality: 'British',
      created_at: '2025-01-01T00:00:00.000Z',
      updated_at: '2025-01-01T00:00:00.000Z',
    })
    .returning(['id', 'prison_number'])
    .executeTakeFirstOrThrow()
  return { ...r, establishmentId }
}

type Rec = Awaited<ReturnType<typeof record>>
async function event(p: Rec, kind: string, date: string, more: { unit?: number; complexity?: string } = {}) {
  await custody.record(db, {
    prison_number: p.prison_number,
    kind,
    establishment_id: p.establishmentId,
    prisoner_id: p.id,
    from_establishment_id: null,
    date,
    recorded_at: `${date}T12:00:00.000Z`,
    user_id: null,
    username: 'test',
    unit_id: more.unit ?? null,
    complexity: more.complexity ?? null,
  })
}

before(async () => {
  world = await testWorld()
  db = world.services.db.db
  mdi = world.est.MDI!
  lei = world.est.LEI!
  unit.A = await insertUnit(mdi, 'HXA', null)
  unit.A1 = await insertUnit(mdi, 'HXA1', unit.A) // a landing of houseblock A
  unit.B = await insertUnit(mdi, 'HXB', null)
  unit.L = await insertUnit(lei, 'HXL', null)

  // P1: received 10 Jan 2025 on landing A1, low; stays
  const p1 = await record(1, mdi, { unit: unit.A1, complexity: 'low', status: 'in' })
  await event(p1, 'reception', '2025-01-10', { unit: unit.A1, complexity: 'low' })
  // P2: received 20 Jan in A, medium; transferred out 1 March to LEI, which records him transferred in that day
  const p2 = await record(2, mdi, { unit: unit.A, complexity: 'medium', status: 'transferred' })
  await event(p2, 'reception', '2025-01-20', { unit: unit.A, complexity: 'medium' })
  await event(p2, 'transfer_out', '2025-03-01')
  const p2lei = await record(2, lei, { unit: unit.L, complexity: 'medium', status: 'in' })
  await event(p2lei, 'transfer_in', '2025-03-01', { unit: unit.L, complexity: 'medium' })
  // P3: received 1 Feb in B, released 15 Feb (today's record still says in: the history decides)
  const p3 = await record(3, mdi, { unit: unit.B, complexity: 'low', status: 'released' })
  await event(p3, 'reception', '2025-02-01', { unit: unit.B, complexity: 'low' })
  await event(p3, 'release', '2025-02-15')
  // P4: received 5 Jan in B, low; complexity of need high from 10 Feb (today's record: high)
  const p4 = await record(4, mdi, { unit: unit.B, complexity: 'high', status: 'in' })
  await event(p4, 'reception', '2025-01-05', { unit: unit.B, complexity: 'low' })
  await event(p4, 'complexity', '2025-02-10', { complexity: 'high' })
  // P5: received 15 Jan in A, low; moved to B on 5 Feb (today's record: B)
  p5 = await record(5, mdi, { unit: unit.B, complexity: 'low', status: 'in' })
  await event(p5, 'reception', '2025-01-15', { unit: unit.A, complexity: 'low' })
  await event(p5, 'moved', '2025-02-05', { unit: unit.B })
  // P6: received 20 Feb in A with high complexity; medium from 10 March (today's record: medium)
  const p6 = await record(6, mdi, { unit: unit.A, complexity: 'medium', status: 'in' })
  await event(p6, 'reception', '2025-02-20', { unit: unit.A, complexity: 'high' })
  await event(p6, 'complexity', '2025-03-10', { complexity: 'medium' })
})
after(() => world.close())

const est = (): StatisticsScope => ({ kind: 'establishment', establishmentId: mdi })
const block = (code: string): StatisticsScope => ({ kind: 'houseblock', establishmentId: mdi, unitId: unit[code]! })

async function eligible(scope: StatisticsScope, from: string, to = from) {
  const r = await world.services.statistics.compute(scope, { from, to })
  return r.figures.eligible
}

describe('eligible prisoners on past days, from the custody history', () => {
  // 31 Jan 2025: P1 (A1, in A), P2 (A), P4 (B, still low), P5 (A, moves on 5 Feb); P3 and P6 not yet received
  //   establishment 4; houseblock A: P1, P2, P5 = 3; B: P4 = 1
  // 12 Feb: P1 (A), P2 (A), P3 (B), P5 (B since the 5th); P4 high since the 10th
  //   establishment 4; A: P1, P2 = 2; B: P3, P5 = 2
  // 15 Mar: P1 (A), P5 (B), P6 (A, medium since the 10th); P2 at LEI since 1 Mar; P3 released; P4 high
  //   establishment 3; A: P1, P6 = 2; B: P5 = 1; LEI: P2 = 1; all establishments 3 + 1 = 4
  const days: [string, StatisticsScope | (() => StatisticsScope), number][] = [
    ['2025-01-31', est, 4],
    ['2025-01-31', () => block('A'), 3],
    ['2025-01-31', () => block('B'), 1],
    ['2025-02-12', est, 4],
    ['2025-02-12', () => block('A'), 2],
    ['2025-02-12', () => block('B'), 2],
    ['2025-03-15', est, 3],
    ['2025-03-15', () => block('A'), 2],
    ['2025-03-15', () => block('B'), 1],
    ['2025-03-15', () => ({ kind: 'establishment', establishmentId: lei }), 1],
    ['2025-03-15', { kind: 'national' }, 4],
  ]

  it('rule: the count on a chosen day, for the establishment, each houseblock and all establishments', async () => {
    for (const [day, scope, expected] of days) {
      const s = typeof scope === 'function' ? scope() : scope
      assert.equal(await eligible(s, day), expected, `${day} ${JSON.stringify(s)}`)
      const r = await world.services.statistics.compute(s, { from: day, to: day })
      assert.equal(r.figures.eligibleAtEnd, expected, `${day} ${JSON.stringify(s)} at the end`)
    }
  })

  it('rule: a change takes effect on its day: released, high complexity and transferred out are not counted that day', async () => {
    // 15 Feb: P3 released that day → establishment P1, P2, P5 = 3 (P4 high, P6 not yet)
    assert.equal(await eligible(est(), '2025-02-14'), 4)
    assert.equal(await eligible(est(), '2025-02-15'), 3)
    // 10 Feb: P4 high that day → 9 Feb P1, P2, P3, P4, P5 = 5; 10 Feb 4
    assert.equal(await eligible(est(), '2025-02-09'), 5)
    assert.equal(await eligible(est(), '2025-02-10'), 4)
    // 1 Mar: P2 counted at LEI, no longer at MDI: MDI P1, P5 = 2 (P6 high until the 10th)
    assert.equal(await eligible(est(), '2025-03-01'), 2)
    assert.equal(await eligible({ kind: 'establishment', establishmentId: lei }, '2025-03-01'), 1)
  })

  it('rule: February 2025 averages the daily counts of the history', async () => {
    // prisoner-days in 1–28 Feb: P1 28, P2 28, P3 1st–14th 14, P4 1st–9th 9, P5 28, P6 0 (high) = 107
    //   houseblock A: P1 28, P2 28, P5 1st–4th 4 = 60; B: P3 14, P4 9, P5 5th–28th 24 = 47 (60 + 47 = 107)
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`)
    close(await eligible(est(), '2025-02-01', '2025-02-28'), 107 / 28)
    close(await eligible(block('A'), '2025-02-01', '2025-02-28'), 60 / 28)
    close(await eligible(block('B'), '2025-02-01', '2025-02-28'), 47 / 28)
  })

  it('rule: the spells rebuilt from the events alone give the same counts', async () => {
    await db.deleteFrom('custody_spells').where('establishment_id', '=', mdi).execute()
    assert.equal(await eligible(est(), '2025-01-31'), 0)
    assert.equal(await custody.rebuild(db, mdi), 6) // P1–P6's records at MDI
    for (const [day, scope, expected] of days) {
      const s = typeof scope === 'function' ? scope() : scope
      assert.equal(await eligible(s, day), expected, `${day} ${JSON.stringify(s)}`)
    }
  })

  it('rule: the independent reference, replaying the events itself, agrees with the hand counts', async () => {
    for (const [day, scope, expected] of days) {
      const s = typeof scope === 'function' ? scope() : scope
      const o = await oracleFigures(db, s, day, day, REASONS)
      assert.equal(o.eligible, expected, `${day} ${JSON.stringify(s)}`)
    }
    const o = await oracleFigures(db, block('B'), '2025-02-01', '2025-02-28', REASONS)
    assert.ok(Math.abs(o.eligible - 47 / 28) < 1e-9)
  })
})

describe('the prisoner form and the import record the history', () => {
  it('rule: a change of complexity and of unit while in custody are custody events; high complexity ends eligibility', async () => {
    const s = world.services
    const base = {
      prisonNumber: 'A2001HX',
      firstName: 'Form',
      lastName: 'History',
      dateOfBirth: '1990-01-01',
      unit: 'HXA',
      cell: null,
      receptionDate: '2025-06-01',
      releaseDate: null,
      status: 'in' as const,
      complexity: 'low' as const,
      firstLanguage: 'English',
      interpreterNeeded: false,
      nationality: 'British',
    }
    assert.ok((await s.prisoners.create(SYSTEM_ACTOR, mdi, base)).ok)
    assert.ok((await s.prisoners.update(SYSTEM_ACTOR, mdi, base.prisonNumber, { ...base, unit: 'HXB' })).ok)
    const r = await s.prisoners.update(SYSTEM_ACTOR, mdi, base.prisonNumber, {
      ...base,
      unit: 'HXB',
      complexity: 'high',
    })
    assert.ok(r.ok)
    const p = await db
      .selectFrom('prisoners')
      .select('id')
      .where('prison_number', '=', base.prisonNumber)
      .executeTakeFirstOrThrow()
    const events = await db
      .selectFrom('custody_events')
      .select(['kind', 'date', 'unit_id', 'complexity'])
      .where('prisoner_id', '=', p.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map(e => [e.kind, e.unit_id, e.complexity]),
      [
        ['reception', unit.A, 'low'],
        ['moved', unit.B, null],
        ['complexity', null, 'high'],
      ],
    )
    assert.equal(events[0]!.date, '2025-06-01')
    // high complexity now: no spell of eligibility is open
    const open = await db
      .selectFrom('custody_spells')
      .select('id')
      .where('prisoner_id', '=', p.id)
      .where('to_date', 'is', null)
      .execute()
    assert.equal(open.length, 0)
  })

  it('rule: a full-roll import records the release of those missing from it', async () => {
    const s = world.services
    const before = await db
      .selectFrom('custody_events')
      .select('prisoner_id')
      .where('establishment_id', '=', lei)
      .where('kind', '=', 'release')
      .execute()
    assert.equal(before.length, 0)
    await db.transaction().execute(trx => s.prisoners.saveMany(trx, SYSTEM_ACTOR, lei, [], { fullRoll: true }))
    // LEI held only P2 (transferred in): released by the import
    const released = await db
      .selectFrom('custody_events as c')
      .innerJoin('prisoners as p', 'p.id', 'c.prisoner_id')
      .select(['p.prison_number'])
      .where('c.establishment_id', '=', lei)
      .where('c.kind', '=', 'release')
      .execute()
    assert.deepEqual(
      released.map(r => r.prison_number),
      ['A1002HX'],
    )
    const open = await db
      .selectFrom('custody_spells')
      .select('id')
      .where('establishment_id', '=', lei)
      .where('to_date', 'is', null)
      .execute()
    assert.equal(open.length, 0)
  })
})

describe('a houseblock counts a man where he was on the day, not where he is now', () => {
  // P5 was in houseblock A until he moved to B on 5 February 2025 (his record says B). Each record below is counted
  // in the houseblock he was in the day it was made.
  before(async () => {
    const staff = await insertOfficer(db, { establishmentId: mdi, staffNumber: 'HX1', lastName: 'Wing' })
    const at = '2025-03-01T12:00:00.000Z'
    const session = async (date: string) =>
      (
        await db
          .insertInto('key_work_sessions')
          .values({
            establishment_id: mdi,
            prisoner_id: p5.id,
            staff_id: staff,
            author_user_id: null,
            author: 'test',
            status: 'submitted',
            on_caseload: 1,
            outcome: 'delivered',
            not_delivered_reason: null,
            not_delivered_detail: null,
            session_date: date,
            starts_at: '10:00',
            duration_minutes: 45,
            location: 'cell',
            hub_booking_id: null,
            private: 1,
            interpreter_needed: 0,
            interpreter_used: null,
            interpreter_service: null,
            interpreter_booking_ref: null,
            interpreter_language: null,
            interpreter_why_not: null,
            pathways: '',
            concern: 0,
            concern_escalated_to: null,
            prisoner_words: 'Talked',
            agreed: null,
            client_key: `hx-${date}`,
            created_at: at,
            updated_at: at,
            submitted_at: at,
            deleted_at: null,
            deleted_by: null,
            deleted_reason: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    const inA = await session('2025-02-01')
    const inB = await session('2025-02-10')
    await session('2025-02-12')
    // a referral made on 3 February (in A), a goal set on 20 February (in B); his allocation on 2 February (in A)
    await db
      .insertInto('referrals')
      .values({
        establishment_id: mdi,
        prisoner_id: p5.id,
        session_id: inA,
        service_id: null,
        stakeholder: 'education',
        note: null,
        status: 'sent',
        follow_up_date: null,
        created_at: '2025-02-03T12:00:00.000Z',
        created_by: 'test',
        updated_at: '2025-02-03T12:00:00.000Z',
        updated_by: null,
      })
      .execute()
    await db
      .insertInto('session_goals')
      .values({
        establishment_id: mdi,
        prisoner_id: p5.id,
        set_in_session_id: inB,
        description: 'Read a book',
        measure: 'Finished',
        target_date: null,
        status: 'achieved',
        updated_in_session_id: null,
        created_at: '2025-02-20T12:00:00.000Z',
        updated_at: '2025-02-20T12:00:00.000Z',
      })
      .execute()
    await db
      .insertInto('allocations')
      .values({
        establishment_id: mdi,
        prisoner_id: p5.id,
        staff_id: staff,
        allocated_at: '2025-02-02T10:00:00.000Z',
        allocated_by: 'test',
        allocation_reason: 'manual',
        deallocated_at: null,
        deallocated_by: null,
        deallocation_reason: null,
        deallocation_note: null,
        handover_note: null,
      })
      .execute()
  })

  const FEB = { from: '2025-02-01', to: '2025-02-28' }

  it('rule: sessions, the first allocation, referrals and goals go to the houseblock of the day', async () => {
    const a = (await world.services.statistics.compute(block('A'), FEB)).figures
    const b = (await world.services.statistics.compute(block('B'), FEB)).figures
    // A: the session of 1 February; B: those of 10 and 12 February
    assert.equal(a.delivered, 1)
    assert.equal(b.delivered, 2)
    // the gap from 1 to 10 February belongs to B's session of the 10th (9 days), and 10 to 12 to B too (2 days)
    assert.equal(b.averageDaysBetween, (9 + 2) / 2)
    // his first allocation on 2 February, in A: 1 January 2025 (his record's reception) to 2 February = 32 days
    assert.equal(a.averageDaysToAllocation, 32)
    assert.equal(b.averageDaysToAllocation, null)
    assert.deepEqual([a.referralsMade, b.referralsMade], [1, 0])
    assert.deepEqual([a.goalsSet, a.goalsAchieved, b.goalsSet, b.goalsAchieved], [0, 0, 1, 1])
  })

  it('rule: the independent reference agrees', async () => {
    for (const code of ['A', 'B']) {
      const ours = (await world.services.statistics.compute(block(code), FEB)).figures
      const o = await oracleFigures(db, block(code), FEB.from, FEB.to, REASONS)
      assert.equal(ours.delivered, o.delivered, code)
      assert.equal(ours.referralsMade, o.referralsMade, code)
      assert.equal(ours.goalsSet, o.goalsSet, code)
      assert.equal(ours.averageDaysToAllocation, o.averageDaysToAllocation, code)
    }
  })

  it('rule: the Ministry of Justice’s nightly figures for a houseblock use its spells', async () => {
    const a = (await world.services.statistics.compute(block('A'), FEB, { moj: true })).figures
    // A's eligible prisoner-days in February: 60 (above) → 2 a day. P5 has a Key Worker from 2 February but left A
    // on the 5th: 2, 3 and 4 February = 3 days → 3 ÷ 28 → 0, so no percentage (theirs is null for 0). Their days
    // run from the reception in his history (15 January), not his record's date: to the allocation on 2 February 18
    // days, to the session of 1 February 17; his sessions of the 10th and 12th were in B
    assert.deepEqual(a.moj, { assigned: 0, assignedPercent: null, toAllocation: 18, toSession: 17 })
  })
})
