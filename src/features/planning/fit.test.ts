import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { signedIn } from '../../../test/harness'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { staffRecordSchema } from '../staff/schema'

const tomorrow = addDays(londonNow().date, 1)

function must<T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

// Issue 12, points 8 and 9: rooms offered near the man, "My sessions" holding only the officer's own, and officers
// with the same name told apart.
describe('rooms and bookings fit the man; officers told apart', () => {
  let world: SeededWorld
  let est: number
  let me: number
  let namesake: number
  const prisoners: Record<string, number> = {}
  const rooms: Record<string, number> = {}

  const actor = () => ({ ...SYSTEM_ACTOR, establishmentId: est })
  const userId = async (username: string) =>
    (await world.services.db.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())!
      .id

  async function officer(staffNumber: string, firstName: string, lastName: string, user: number | null) {
    return must(
      await world.services.staff.create(SYSTEM_ACTOR, est, {
        ...staffRecordSchema.parse({
          staffNumber,
          firstName,
          lastName,
          grade: 'Band 3',
          workingPattern: 'full_time',
          startedInPost: '2023-04-01',
          languages: 'English',
          status: 'active',
          homeUnit: '',
        }),
        userId: user,
      }),
    )
  }

  async function prisoner(prisonNumber: string, lastName: string, unit: string, staffId: number) {
    const record = prisonerRecordSchema.parse({
      prisonNumber,
      firstName: 'Alex',
      lastName,
      dateOfBirth: '1990-01-01',
      unit,
      cell: '',
      receptionDate: '2025-01-01',
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    })
    must(await world.services.prisoners.create(actor(), est, record))
    prisoners[prisonNumber] = (await world.services.prisoners.get(est, prisonNumber))!.id
    must(await world.services.allocations.allocate(SYSTEM_ACTOR, est, prisonNumber, staffId, { reason: 'manual' }))
  }

  async function hub(name: string, unitCode: string | null) {
    const unitId = unitCode
      ? (await world.services.db.db
          .selectFrom('residential_units')
          .select('id')
          .where('establishment_id', '=', est)
          .where('code', '=', unitCode)
          .executeTakeFirstOrThrow())!.id
      : null
    const hubId = must(
      await world.services.hubs.createHub(actor(), est, {
        name,
        unitId,
        opensAt: '08:00',
        closesAt: '20:00',
        active: true,
      }),
    )
    return must(
      await world.services.hubs.addRoom(actor(), est, hubId, {
        name: `${name} room`,
        kind: 'room',
        isPrivate: true,
        hasComputer: false,
        hasPhone: false,
        active: true,
      } as never),
    )
  }

  before(async () => {
    world = await seededWorld()
    est = world.seeded.MDI.establishmentId
    // two officers called John Smith: the Key Worker signed in, and another
    me = await officer('MDI0200', 'John', 'Smith', await userId('key_worker.mdi'))
    namesake = await officer('MDI0201', 'John', 'Smith', null)
    for (const [code, name] of [
      ['HB2', 'Houseblock 2'],
      ['HB3', 'Houseblock 3'],
    ])
      must(await world.services.units.create(actor(), est, { code: code!, name: name!, capacity: 100 }))
    // hubs by name: "A central" and "B houseblock 2" sort before the seeded "Houseblock 1 hub"
    rooms.central = await hub('A central', null)
    rooms.HB2 = await hub('B houseblock 2', 'HB2')
    rooms.HB1 = world.seeded.MDI.roomId
    await prisoner('H1000HA', 'One', 'HB1', me)
    await prisoner('H2000HB', 'Two', 'HB2', me)
    await prisoner('H3000HC', 'Three', 'HB3', me)
    await prisoner('H4000HD', 'Theirs', 'HB1', namesake)
    // three hours of key work time tomorrow: several offers, one prisoner after another
    must(
      await world.services.planning.addSlot(actor(), est, me, {
        weekday: null,
        onDate: tomorrow,
        startsAt: '09:00',
        endsAt: '12:00',
        validFrom: tomorrow,
        validTo: tomorrow,
      }),
    )
  })
  after(() => world.close())

  it('offers the rooms of the prisoner’s own houseblock’s hub first, then a central hub', async () => {
    const view = await world.services.planning.mySessions(est, await userId('key_worker.mdi'))
    assert.ok(view.me)
    // hand-written: each prisoner's preferred room (HB3 has no hub: the central one)
    const expected: Record<number, number> = {
      [prisoners.H1000HA!]: rooms.HB1!,
      [prisoners.H2000HB!]: rooms.HB2!,
      [prisoners.H3000HC!]: rooms.central!,
    }
    assert.ok(view.offers!.length >= 3)
    const suggested = new Set(view.offers!.map(o => o.prisonerId))
    assert.equal(suggested.size, 3, 'each prisoner suggested')
    for (const o of view.offers!) assert.equal(o.rooms[0]!.id, expected[o.prisonerId!], `${o.startsAt}`)
    // a prisoner in Houseblock 1 gets the central hub second, then the other houseblock's
    const one = view.offers!.find(o => o.prisonerId === prisoners.H1000HA)!
    assert.deepEqual(
      one.rooms.map(r => r.id),
      [rooms.HB1, rooms.central, rooms.HB2],
    )
  })

  it('My sessions lists only the officer’s caseload and the bookings for them, not those they made for others', async () => {
    const kwActor = { userId: await userId('key_worker.mdi'), username: 'key_worker.mdi', establishmentId: est }
    const soActor = {
      userId: await userId('supervising_officer.mdi'),
      username: 'supervising_officer.mdi',
      establishmentId: est,
    }
    // made by the Key Worker for the other John Smith; made by the Supervising Officer for this Key Worker
    must(
      await world.services.hubs.book(kwActor, est, {
        roomId: rooms.HB1!,
        date: tomorrow,
        startsAt: '14:00',
        endsAt: '14:45',
        staffId: namesake,
        prisonerId: prisoners.H4000HD!,
        purpose: 'Key work session',
      }),
    )
    must(
      await world.services.hubs.book(soActor, est, {
        roomId: rooms.HB2!,
        date: tomorrow,
        startsAt: '15:00',
        endsAt: '15:45',
        staffId: me,
        prisonerId: prisoners.H2000HB!,
        purpose: 'Key work session',
      }),
    )
    const kw = await signedIn(world, 'key_worker.mdi')
    const page = (await kw.get('/my-sessions')).text
    assert.doesNotMatch(page, /H4000HD/, 'the other officer’s prisoner and booking are not shown')
    const bookings = page.slice(page.indexOf('id="bookings"'))
    assert.match(bookings, /H2000HB/)
    assert.match(bookings, /15:00/)
    assert.doesNotMatch(bookings, /14:00/)
    for (const pn of ['H1000HA', 'H2000HB', 'H3000HC']) assert.match(page, new RegExp(pn))
  })

  it('tells the two John Smiths apart in the Sessions due filter and counts', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = (await so.get('/sessions-due')).text
    const select = /<select[^>]*id="officer"[^>]*>([\s\S]*?)<\/select>/.exec(page)![1]!
    assert.match(select, /Smith, John \(MDI0200\)/)
    assert.match(select, /Smith, John \(MDI0201\)/)
    assert.match(page, /Smith, John \(MDI0201\)<\/a>/)
  })
})
