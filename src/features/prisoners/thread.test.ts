import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import {
  insertAllocation,
  insertEstablishment,
  insertOfficer,
  insertPrisoner,
  randomSession,
} from '../../../test/support/statisticsFixtures'
import { Random } from '../../domain/random'
import type { Services } from '../../services'
import { prisonerThreadRepository } from './threadRepository'

// The prisoner page's one statement (threadRepository.page): a man with a record here and one elsewhere, and a
// hand-made history around him; every list the page shows is written out below as the page must show it.

const PN = 'A1234BC'
const T = '2026-01-01T00:00:00.000Z'

describe("the prisoner page's thread, in one statement", () => {
  let s: Services & { close(): Promise<void> }
  const id: Record<string, number> = {}

  before(async () => {
    s = await testServices()
    const db = s.db.db
    for (const code of ['AAA', 'BBB', 'CCC']) id[code] = await insertEstablishment(db, code)
    id.s1 = await insertOfficer(db, { establishmentId: id.AAA!, staffNumber: 'S1', lastName: 'Ahmed' })
    id.s2 = await insertOfficer(db, { establishmentId: id.AAA!, staffNumber: 'S2', lastName: 'Brown' })
    id.s3 = await insertOfficer(db, { establishmentId: id.BBB!, staffNumber: 'S3', lastName: 'Clarke' })
    const prisoner = (establishmentId: number, prisonNumber: string, status: string) =>
      insertPrisoner(db, {
        establishmentId,
        prisonNumber,
        firstName: 'John',
        lastName: 'Smith',
        status,
        receptionDate: '2025-06-01',
      })
    id.here = await prisoner(id.AAA!, PN, 'in')
    id.there = await prisoner(id.BBB!, PN, 'transferred')
    id.other = await prisoner(id.AAA!, 'B2222CC', 'in')

    const allocation = (
      prisonerId: number,
      establishmentId: number,
      staffId: number,
      at: string,
      until: string | null,
    ) => insertAllocation(db, { establishmentId, prisonerId, staffId, at, until })
    // a1 oldest; a2 and a3 at the same instant (a3 made after a2: it comes first); b1 elsewhere; o1 another man
    id.a1 = await allocation(id.here, id.AAA!, id.s1, '2026-01-10T09:00:00.000Z', '2026-03-01T10:00:00.000Z')
    id.a2 = await allocation(id.here, id.AAA!, id.s1, '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z')
    id.a3 = await allocation(id.here, id.AAA!, id.s2, '2026-03-01T10:00:00.000Z', null)
    await allocation(id.there, id.BBB!, id.s3, '2025-07-01T09:00:00.000Z', '2026-01-09T09:00:00.000Z')
    await allocation(id.other, id.AAA!, id.s1, '2026-04-01T09:00:00.000Z', null)

    const rng = new Random(1)
    const session = (
      key: string,
      prisonerId: number,
      establishmentId: number,
      date: string,
      outcome: 'delivered' | 'not_delivered',
      status = 'submitted',
    ) =>
      db
        .insertInto('key_work_sessions')
        .values({
          ...randomSession(rng, { establishmentId, unitIds: [], staffIds: [id.s2!], prisonerIds: [prisonerId] }, key),
          staff_id: id.s2!,
          status,
          outcome,
          not_delivered_reason: outcome === 'delivered' ? null : 'prisoner_refused',
          session_date: date,
          agreed: `agreed in ${key}`,
          author: `author of ${key}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(r => r.id)
    id.k1 = await session('k1', id.here, id.AAA!, '2026-03-05', 'delivered')
    // k2 and k3 on the same day: k3, made later, is the last session; k2 the last delivered
    id.k2 = await session('k2', id.here, id.AAA!, '2026-03-12', 'delivered')
    id.k3 = await session('k3', id.here, id.AAA!, '2026-03-12', 'not_delivered')
    // later, but not part of the record: a draft, a deleted entry, a session elsewhere, another man's
    await session('k4', id.here, id.AAA!, '2026-03-20', 'delivered', 'draft')
    await session('k5', id.here, id.AAA!, '2026-03-25', 'delivered', 'deleted')
    await session('k6', id.there, id.BBB!, '2026-04-01', 'delivered')
    await session('k7', id.other, id.AAA!, '2026-04-02', 'delivered')

    const goal = (prisonerId: number, establishmentId: number, sessionId: number, text: string, status: string) =>
      db
        .insertInto('session_goals')
        .values({
          establishment_id: establishmentId,
          prisoner_id: prisonerId,
          set_in_session_id: sessionId,
          description: text,
          measure: 'Measured',
          target_date: '2026-05-01',
          status,
          updated_in_session_id: null,
          created_at: T,
          updated_at: T,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(r => r.id)
    id.g1 = await goal(id.here, id.AAA!, id.k1, 'Enrol on a maths course', 'open')
    await goal(id.here, id.AAA!, id.k1, 'Achieved already', 'achieved')
    id.g3 = await goal(id.here, id.AAA!, id.k2, 'Write to his daughter', 'in_progress')
    await goal(id.there, id.BBB!, id.k1, 'Open elsewhere', 'open')
    await goal(id.other, id.AAA!, id.k1, 'Another man', 'open')

    const referral = (prisonerId: number, establishmentId: number, stakeholder: string, status: string) =>
      db
        .insertInto('referrals')
        .values({
          establishment_id: establishmentId,
          prisoner_id: prisonerId,
          session_id: id.k1!,
          service_id: null,
          stakeholder,
          note: null,
          status,
          follow_up_date: '2026-04-15',
          created_at: T,
          created_by: 'test',
          updated_at: T,
          updated_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(r => r.id)
    id.r1 = await referral(id.here, id.AAA!, 'pom', 'sent')
    await referral(id.here, id.AAA!, 'education', 'done')
    id.r3 = await referral(id.here, id.AAA!, 'healthcare', 'acknowledged')
    await referral(id.there, id.BBB!, 'chaplaincy', 'sent')

    const event = (kind: string, establishmentId: number, prisonerId: number, from: number | null, date: string) =>
      db
        .insertInto('custody_events')
        .values({
          prison_number: PN,
          kind,
          establishment_id: establishmentId,
          prisoner_id: prisonerId,
          from_establishment_id: from,
          date,
          recorded_at: T,
          user_id: null,
          username: null,
          unit_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
        .then(r => r.id)
    await event('reception', id.BBB!, id.there, null, '2025-06-01')
    await event('transfer_out', id.BBB!, id.there, null, '2026-01-09')
    id.e3 = await event('transfer_in', id.AAA!, id.here, id.BBB!, '2026-01-09')
    await event('complexity', id.AAA!, id.here, null, '2026-02-01')
    // a later move on from here, recorded by the next prison: here sees it, as the prison he came from
    id.e5 = await event('transfer_in', id.CCC!, id.here, id.AAA!, '2026-06-01')
  })
  after(() => s.close())

  it('reads his record, allocations, last sessions, open goals and referrals and movements here', async () => {
    const page = await prisonerThreadRepository(s.db.db, s.db.dialect).page(id.AAA!, PN)
    assert.ok(page)
    assert.equal(page.prisoner.id, id.here)
    assert.equal(page.prisoner.prison_number, PN)
    assert.equal(page.prisoner.last_name, 'Smith')
    assert.deepEqual(
      page.allocations.map(a => [a.id, a.staff_last_name, a.deallocated_at]),
      [
        [id.a3, 'Brown', null],
        [id.a2, 'Ahmed', '2026-03-01T10:00:00.000Z'],
        [id.a1, 'Ahmed', '2026-03-01T10:00:00.000Z'],
      ],
    )
    assert.equal(page.allocations[0]!.allocation_reason, 'manual')
    assert.equal(page.allocations[2]!.deallocation_reason, 'staff_change')
    assert.deepEqual(
      [page.last?.id, page.last?.outcome, page.last?.not_delivered_reason, page.last?.session_date],
      [id.k3, 'not_delivered', 'prisoner_refused', '2026-03-12'],
    )
    assert.equal(page.last?.staff_last_name, 'Brown')
    assert.equal(page.last?.author, 'author of k3')
    assert.deepEqual(
      [page.lastDelivered?.id, page.lastDelivered?.agreed, page.lastDelivered?.session_date],
      [id.k2, 'agreed in k2', '2026-03-12'],
    )
    assert.deepEqual(
      page.openItems.map(i => [i.kind, i.id, i.text, i.status, i.date, i.stakeholder]).sort(),
      [
        ['goal', id.g1, 'Enrol on a maths course', 'open', '2026-05-01', null],
        ['goal', id.g3, 'Write to his daughter', 'in_progress', '2026-05-01', null],
        ['referral', id.r1, null, 'sent', '2026-04-15', 'pom'],
        ['referral', id.r3, null, 'acknowledged', '2026-04-15', 'healthcare'],
      ].sort(),
    )
    assert.deepEqual(
      page.custodyEvents.map(e => [e.id, e.kind, e.date, e.establishment_name, e.from_establishment_name]),
      [
        [id.e3, 'transfer_in', '2026-01-09', 'Prison AAA', 'Prison BBB'],
        [id.e5, 'transfer_in', '2026-06-01', 'Prison CCC', 'Prison AAA'],
      ],
    )
  })

  it('a last session that was delivered is also the last delivered one', async () => {
    const page = await prisonerThreadRepository(s.db.db, s.db.dialect).page(id.AAA!, 'B2222CC')
    assert.ok(page)
    assert.equal(page.prisoner.id, id.other)
    assert.equal(page.last?.agreed, 'agreed in k7')
    assert.equal(page.lastDelivered?.agreed, 'agreed in k7')
    assert.deepEqual(
      page.openItems.map(i => i.text),
      ['Another man'],
    )
    assert.deepEqual(page.custodyEvents, [])
  })

  it('elsewhere his record here is not found, nor is a man the establishment has no record of', async () => {
    const thread = prisonerThreadRepository(s.db.db, s.db.dialect)
    assert.equal(await thread.page(id.CCC!, PN), undefined)
    assert.equal(await thread.page(id.AAA!, 'Z9999ZZ'), undefined)
    // the sending establishment sees its own record: its allocation, its session, its goal, none of here's
    const there = await thread.page(id.BBB!, PN)
    assert.ok(there)
    assert.equal(there.prisoner.id, id.there)
    assert.deepEqual(
      there.allocations.map(a => a.staff_last_name),
      ['Clarke'],
    )
    assert.equal(there.last?.agreed, 'agreed in k6')
    assert.deepEqual(there.openItems.map(i => i.text ?? i.stakeholder).sort(), ['Open elsewhere', 'chaplaincy'])
    assert.deepEqual(
      there.custodyEvents.map(e => e.kind),
      ['reception', 'transfer_out', 'transfer_in'],
    )
  })
})
