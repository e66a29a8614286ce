import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { launchChromium } from '../../../test/chromium'
import { assertAxeClean } from '../../../test/journey'
import { after, before, describe, it } from 'node:test'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { type Browser, PASSWORD, signedIn } from '../../../test/harness'
import { addDays, formatDate } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { weekdayOf } from '../../domain/planning'
import { prisonerRecordSchema } from '../prisoners/schema'
import { staffRecordSchema } from '../staff/schema'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

const today = londonNow().date
const tomorrow = addDays(today, 1)

function must<T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.value
}

describe('planning Key Work sessions', () => {
  let world: SeededWorld
  let admin: Browser
  let so: Browser
  let kw: Browser
  let est: number
  let officerId: number
  let otherOfficerId: number
  const prisonerIds: Record<string, number> = {}

  async function addPrisoner(prisonNumber: string, lastName: string, unit: string) {
    const actor = { ...SYSTEM_ACTOR, establishmentId: est }
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
    must(await world.services.prisoners.create(actor, est, record))
    prisonerIds[prisonNumber] = (await world.services.prisoners.get(est, prisonNumber))!.id
  }

  async function addOfficer(staffNumber: string, lastName: string, userId: number | null) {
    return must(
      await world.services.staff.create(SYSTEM_ACTOR, est, {
        ...staffRecordSchema.parse({
          staffNumber,
          firstName: 'Kim',
          lastName,
          grade: 'Band 3',
          workingPattern: 'full_time',
          startedInPost: '2023-04-01',
          languages: 'English',
          status: 'active',
          homeUnit: '',
        }),
        userId,
      }),
    )
  }

  async function delivered(prisonNumber: string, date: string, status = 'submitted', outcome = 'delivered') {
    const now = new Date().toISOString()
    await world.services.db.db
      .insertInto('key_work_sessions')
      .values({
        establishment_id: est,
        prisoner_id: prisonerIds[prisonNumber]!,
        staff_id: officerId,
        author: 'test',
        status,
        outcome,
        session_date: date,
        created_at: now,
        updated_at: now,
      } as never)
      .execute()
  }

  before(async () => {
    world = await seededWorld()
    est = world.seeded.MDI.establishmentId
    const kwUser = await world.services.db.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'key_worker.mdi')
      .executeTakeFirstOrThrow()
    officerId = await addOfficer('MDI0100', 'Worker', kwUser.id)
    otherOfficerId = await addOfficer('MDI0101', 'Other', null)
    // a wing inside the houseblock, to find the houseblock through the parent
    must(
      await world.services.units.create({ ...SYSTEM_ACTOR, establishmentId: est }, est, {
        code: 'HB2',
        name: 'Houseblock 2',
        capacity: 100,
      }),
    )
    must(
      await world.services.units.create({ ...SYSTEM_ACTOR, establishmentId: est }, est, {
        code: 'HB2-A',
        name: 'HB2 A wing',
        parent: 'HB2',
        capacity: 50,
      }),
    )
    prisonerIds.A1111AA = (await world.services.prisoners.get(est, 'A1111AA'))!.id
    await addPrisoner('C3333CC', 'Overdue', 'HB1')
    await addPrisoner('D4444DD', 'Recent', 'HB2-A')
    await addPrisoner('E5555EE', 'Elsewhere', 'HB2-A')
    await addPrisoner('G6666GG', 'Never', 'HB1')
    for (const n of ['G6666GG', 'C3333CC', 'D4444DD'])
      must(await world.services.allocations.allocate(SYSTEM_ACTOR, est, n, officerId, { reason: 'manual' }))
    must(await world.services.allocations.allocate(SYSTEM_ACTOR, est, 'E5555EE', otherOfficerId, { reason: 'manual' }))
    // C3333CC last seen 40 days ago (overdue); D4444DD seen today; G6666GG never (due a period after allocation)
    await delivered('C3333CC', addDays(today, -40))
    await delivered('C3333CC', addDays(today, -60))
    await delivered('C3333CC', addDays(today, -2), 'draft') // drafts never count
    await delivered('C3333CC', addDays(today, -3), 'submitted', 'not_delivered') // nor sessions not delivered
    await delivered('D4444DD', today)
    admin = await signedIn(world, 'establishment_admin.mdi')
    so = await signedIn(world, 'supervising_officer.mdi')
    kw = await signedIn(world, 'key_worker.mdi')
  })
  after(() => world.close())

  describe('key work time', () => {
    const page = () => `/staff/${officerId}/key-work-time`
    const weekday = String(weekdayOf(tomorrow))
    const from = {
      'validFrom-day': today.slice(8),
      'validFrom-month': today.slice(5, 7),
      'validFrom-year': today.slice(0, 4),
    }
    const on = (d: string) => ({
      'onDate-day': d.slice(8),
      'onDate-month': d.slice(5, 7),
      'onDate-year': d.slice(0, 4),
    })

    it('is linked from the staff page', async () => {
      const res = await admin.get(`/staff/${officerId}`)
      assert.match(res.text, new RegExp(`href="/staff/${officerId}/key-work-time"`))
    })

    it('adds a weekly slot, audited, and refuses overlaps, bad times and empty forms with clear messages', async () => {
      const res = await admin.post(page(), { kind: 'weekly', weekday, startsAt: '18:00', endsAt: '19:00', ...from })
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, page())
      const shown = await admin.get(page())
      assert.match(shown.text, /Key work time added/)
      assert.match(shown.text, /18:00 to 19:00/)
      const events = await world.services.db.db
        .selectFrom('audit_events')
        .select(['action', 'username'])
        .where('entity', '=', 'key_work_slot')
        .where('establishment_id', '=', est)
        .execute()
      assert.ok(events.some(e => e.action === 'create' && e.username === 'establishment_admin.mdi'))

      const before = (await world.services.planning.slots(est, officerId)).length
      const overlapping = await admin.post(page(), {
        kind: 'weekly',
        weekday,
        startsAt: '18:30',
        endsAt: '20:00',
        ...from,
      })
      assert.equal(overlapping.headers.location, page())
      const msg = await admin.get(page())
      assert.match(msg.text, /There is a problem/)
      assert.match(msg.text, /This overlaps key work time already set: Every \w+ 18:00 to 19:00/)

      await admin.post(page(), { kind: 'once', ...on(tomorrow), startsAt: '18:55', endsAt: '19:30' })
      assert.match((await admin.get(page())).text, /overlaps key work time already set/, 'a one-off on that weekday')

      await admin.post(page(), { kind: 'weekly', weekday, startsAt: '09:03', endsAt: '10:00', ...from })
      assert.match((await admin.get(page())).text, /Start time must be on a 5-minute mark/)
      await admin.post(page(), { kind: 'weekly', weekday, startsAt: '11:00', endsAt: '10:00', ...from })
      assert.match((await admin.get(page())).text, /End time must be after the start time/)
      await admin.post(page(), { kind: 'once', ...on(addDays(today, -1)), startsAt: '09:00', endsAt: '10:00' })
      assert.match((await admin.get(page())).text, /must be today or in the future/)
      await admin.post(page(), { kind: 'weekly', weekday: '9', startsAt: '09:00', endsAt: '10:00', ...from })
      assert.match((await admin.get(page())).text, /Choose the day of the week/)

      const empty = await admin.post(page(), {})
      assert.equal(empty.status, 303)
      const emptyPage = await admin.get(page())
      assert.match(emptyPage.text, /Choose weekly or one day only/)
      assert.match(emptyPage.text, /Enter the start time/)
      assert.equal((await world.services.planning.slots(est, officerId)).length, before, 'nothing saved')
    })

    it('lets a Supervising Officer add a one-off slot and remove a slot, audited', async () => {
      const res = await so.post(page(), { kind: 'once', ...on(tomorrow), startsAt: '09:00', endsAt: '10:30' })
      assert.equal(res.status, 303)
      const slots = await world.services.planning.slots(est, officerId)
      const extra = must(
        await world.services.planning.addSlot(SYSTEM_ACTOR, est, officerId, {
          weekday: null,
          onDate: tomorrow,
          startsAt: '07:00',
          endsAt: '07:30',
          validFrom: tomorrow,
          validTo: tomorrow,
        }),
      )
      assert.ok(slots.some(s => s.onDate === tomorrow && s.startsAt === '09:00'))
      const removed = await so.post(`/staff/${officerId}/key-work-time/${extra}/remove`, {}, page())
      assert.equal(removed.status, 303)
      assert.match((await so.get(page())).text, /Key work time removed/)
      assert.ok(!(await world.services.planning.slots(est, officerId)).some(s => s.id === extra))
      const again = await so.post(`/staff/${officerId}/key-work-time/${extra}/remove`, {}, page())
      assert.equal(again.status, 303)
      assert.match((await so.get(page())).text, /already been removed/)
      const deleted = await world.services.db.db
        .selectFrom('audit_events')
        .select('entity_id')
        .where('entity', '=', 'key_work_slot')
        .where('action', '=', 'delete')
        .execute()
      assert.deepEqual(
        deleted.map(d => String(d.entity_id)),
        [String(extra)],
      )
    })

    it('is read-only for a Key Worker and another establishment’s officer is not found', async () => {
      const shown = await kw.get(page())
      assert.equal(shown.status, 200)
      assert.doesNotMatch(shown.text, /Add key work time/)
      assert.equal((await kw.post(page(), { kind: 'weekly' })).status, 403)
      assert.equal((await admin.get(`/staff/${world.seeded.LEI.staffId}/key-work-time`)).status, 404)
      const lei = world.seeded.LEI
      const other = await admin.post(`/staff/${lei.staffId}/key-work-time/${lei.slotId}/remove`, {}, page())
      assert.equal(other.status, 404)
    })
  })

  describe('due dates', () => {
    it('shows the last session and next due date on My caseload, overdue with days', async () => {
      const { frequencyWeeks } = (await world.services.establishments.settings(est))!.effective
      const res = await kw.get('/caseload')
      assert.equal(res.status, 200)
      assert.match(res.text, /Last session/)
      assert.match(res.text, /Next due/)
      const overdueBy = 40 - frequencyWeeks * 7
      assert.match(res.text, new RegExp(`${overdueBy} days overdue`))
      assert.ok(res.text.includes(formatDate(addDays(today, -40))))
      assert.ok(res.text.includes(formatDate(addDays(today, frequencyWeeks * 7))), 'seen today: due a period on')

      const due = await world.services.planning.dueFor(est, officerId)
      assert.equal(due.get(prisonerIds.C3333CC!)!.lastSession, addDays(today, -40), 'drafts and not delivered ignored')
      assert.equal(due.get(prisonerIds.C3333CC!)!.daysOverdue, overdueBy)
      assert.equal(due.get(prisonerIds.G6666GG!)!.lastSession, null)
      assert.equal(due.get(prisonerIds.G6666GG!)!.due, addDays(today, frequencyWeeks * 7), 'from the allocation')
      assert.equal(due.get(prisonerIds.D4444DD!)!.overdue, false)
    })
  })

  describe('My sessions', () => {
    it('explains when the Key Worker has no staff record here', async () => {
      const lei = await signedIn(world, 'key_worker.lei')
      const res = await lei.get('/my-sessions')
      assert.equal(res.status, 200)
      assert.match(res.text, /not linked to a staff record/)
      const book = await lei.post('/my-sessions/book', {}, '/my-sessions')
      assert.equal(book.status, 303)
    })

    it('lists the caseload overdue first, and offers free slots in key work time with a free room', async () => {
      const { sessionMinutes } = (await world.services.establishments.settings(est))!.effective
      assert.equal(sessionMinutes, 45, 'the policy default this test is written for')
      // the seeded room is taken 09:00-09:45 tomorrow by someone else
      must(
        await world.services.hubs.book(SYSTEM_ACTOR, est, {
          roomId: world.seeded.MDI.roomId,
          date: tomorrow,
          startsAt: '09:00',
          endsAt: '09:45',
          purpose: 'Interpreter call',
        }),
      )
      const res = await kw.get('/my-sessions')
      assert.equal(res.status, 200)
      const table = res.text.slice(res.text.indexOf('id="caseload"'), res.text.indexOf('id="book"'))
      const order = ['C3333CC', 'G6666GG', 'D4444DD'].map(n => table.indexOf(n))
      assert.ok(order.every(i => i > 0))
      assert.deepEqual(
        [...order].sort((a, b) => a - b),
        order,
        'overdue first, then soonest due',
      )
      const offers = res.text.slice(res.text.indexOf('id="offers"'))
      assert.doesNotMatch(
        offers,
        new RegExp(`value="${tomorrow}">\\s*<input type="hidden" name="startsAt" value="09:00"`),
      )
      assert.match(offers, new RegExp(`value="${tomorrow}">\\s*<input type="hidden" name="startsAt" value="09:45"`))

      const view = await world.services.planning.mySessions(est, (await userId('key_worker.mdi'))!)
      assert.ok(view.me)
      const offered = view.offers!
      assert.ok(offered.length > 0)
      assert.ok(offered.every(o => o.date >= today && o.rooms.length > 0))
      assert.ok(!offered.some(o => o.date === tomorrow && o.startsAt === '09:00'), 'the booked room is not free')
      assert.equal(offered[0]!.prisonerId, prisonerIds.C3333CC, 'the most overdue prisoner is suggested first')
    })

    it('books a room from an offered slot, shows it planned, and refuses a clash with a clear message', async () => {
      const slot = {
        prisonerId: String(prisonerIds.C3333CC),
        roomId: String(world.seeded.MDI.roomId),
        date: tomorrow,
        startsAt: '09:45',
        endsAt: '10:30',
      }
      const res = await kw.post('/my-sessions/book', slot, '/my-sessions')
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/my-sessions')
      const page = await kw.get('/my-sessions')
      assert.match(page.text, /Key work session booked/)
      const bookings = await world.services.hubs.bookingsFor(est, tomorrow)
      const mine = bookings.filter(b => b.purpose === 'Key work session' && b.staff_id === officerId)
      assert.equal(mine.length, 1)
      assert.equal(mine[0]!.prisoner_id, prisonerIds.C3333CC)
      assert.equal(mine[0]!.starts_at, '09:45')
      const planned = page.text.slice(page.text.indexOf('id="caseload"'), page.text.indexOf('id="book"'))
      assert.match(planned, new RegExp(`${formatDate(tomorrow)}, 09:45 in Interview room 1`))
      assert.match(page.text, /id="bookings"/)

      // the same slot again: the room is taken now
      const clash = await kw.post(
        '/my-sessions/book',
        { ...slot, prisonerId: String(prisonerIds.G6666GG) },
        '/my-sessions',
      )
      assert.equal(clash.status, 303)
      const msg = await kw.get('/my-sessions')
      assert.match(msg.text, /There is a problem/)
      assert.match(msg.text, /already booked from 09:45 to 10:30/)
      assert.equal((await world.services.hubs.bookingsFor(est, tomorrow)).length, bookings.length, 'nothing saved')
    })

    it('refuses a time outside key work time, a prisoner not on the caseload and an empty form', async () => {
      const count = (await world.services.hubs.bookingsFor(est, tomorrow)).length
      const base = { roomId: String(world.seeded.MDI.roomId), date: tomorrow }
      await kw.post(
        '/my-sessions/book',
        { ...base, prisonerId: String(prisonerIds.G6666GG), startsAt: '12:00', endsAt: '12:45' },
        '/my-sessions',
      )
      assert.match((await kw.get('/my-sessions')).text, /not in your key work time/)
      await kw.post(
        '/my-sessions/book',
        { ...base, prisonerId: String(prisonerIds.E5555EE), startsAt: '10:30', endsAt: '11:15' },
        '/my-sessions',
      )
      assert.match((await kw.get('/my-sessions')).text, /Choose a prisoner on your caseload/)
      const empty = await kw.post('/my-sessions/book', {}, '/my-sessions')
      assert.equal(empty.status, 303)
      assert.match((await kw.get('/my-sessions')).text, /There is a problem/)
      assert.equal((await world.services.hubs.bookingsFor(est, tomorrow)).length, count)
    })

    it('explains when the Key Worker has no key work time', async () => {
      const userId2 = await userIdOrCreate('kw.notime')
      await addOfficer('MDI0102', 'Notime', userId2)
      const b = await signedIn(world, 'kw.notime')
      const res = await b.get('/my-sessions')
      assert.equal(res.status, 200)
      assert.match(res.text, /No key work time has been set for you/)
    })
  })

  describe('Sessions due', () => {
    it('shows every caseload overdue first, with counts per officer and houseblock, and filters', async () => {
      const res = await so.get('/sessions-due')
      assert.equal(res.status, 200)
      const table = res.text.slice(res.text.indexOf('id="due"'), res.text.indexOf('id="by-officer"'))
      assert.ok(table.indexOf('C3333CC') < table.indexOf('D4444DD'))
      assert.ok(table.includes('E5555EE'))
      const view = await world.services.planning.sessionsDue(est, {})
      assert.equal(view.rows[0]!.prison_number, 'C3333CC')
      // the fixture's prisoner A1111AA has no Key Worker; ours: C, D, G (officer) and E (other officer)
      assert.equal(view.totals.prisoners, 4)
      assert.equal(view.totals.overdue, 1)
      const worker = view.officers.find(o => o.staffId === officerId)!
      assert.deepEqual([worker.prisoners, worker.overdue], [3, 1])
      assert.equal(view.officers[0]!.staffId, officerId, 'the officer with most overdue first')
      const hb2 = view.houseblocks.find(h => h.name === 'Houseblock 2')!
      assert.equal(hb2.prisoners, 2, 'prisoners in a wing count in its houseblock')
      const hb1 = view.houseblocks.find(h => h.name === 'Houseblock 1')!
      assert.deepEqual([hb1.prisoners, hb1.overdue], [2, 1])

      const byOfficer = await so.get(`/sessions-due?officer=${otherOfficerId}`)
      const rows = byOfficer.text.slice(byOfficer.text.indexOf('id="due"'), byOfficer.text.indexOf('id="by-officer"'))
      assert.ok(rows.includes('E5555EE'))
      assert.ok(!rows.includes('C3333CC'))
      const hbId = (await world.services.units.list(est)).find(u => u.code === 'HB2')!.id
      const byHb = await world.services.planning.sessionsDue(est, { houseblockId: hbId })
      assert.deepEqual(byHb.rows.map(r => r.prison_number).sort(), ['D4444DD', 'E5555EE'])
      assert.equal((await so.get('/sessions-due?houseblock=abc&officer=-1&page=99')).status, 200, 'bad filters ignored')
    })

    it('is for Supervising Officers, admins and national policy; a Key Worker gets 403', async () => {
      assert.equal((await admin.get('/sessions-due')).status, 200)
      assert.equal((await (await signedIn(world, 'national')).get('/sessions-due')).status, 200)
      assert.equal((await kw.get('/sessions-due')).status, 403)
      assert.equal((await so.get('/my-sessions')).status, 403)
    })

    it('pages a large establishment', async () => {
      const actor = { ...SYSTEM_ACTOR, establishmentId: est }
      for (let i = 0; i < 55; i++) {
        const n = `F${String(1000 + i)}FF`
        must(
          await world.services.prisoners.create(
            actor,
            est,
            prisonerRecordSchema.parse({
              prisonNumber: n,
              firstName: 'Bulk',
              lastName: `Prisoner ${i}`,
              dateOfBirth: '1990-01-01',
              unit: 'HB1',
              cell: '',
              receptionDate: '2025-01-01',
              releaseDate: '',
              status: 'in',
              complexity: 'low',
              firstLanguage: 'en',
              interpreterNeeded: 'no',
              nationality: 'British',
            }),
          ),
        )
        // straight into the table: more than one officer's capacity
        await world.services.db.db
          .insertInto('allocations')
          .values({
            establishment_id: est,
            prisoner_id: (await world.services.prisoners.get(est, n))!.id,
            staff_id: otherOfficerId,
            allocated_at: new Date().toISOString(),
            allocated_by: 'test',
            allocation_reason: 'manual',
            deallocated_at: null,
            deallocated_by: null,
            deallocation_reason: null,
            deallocation_note: null,
            handover_note: null,
          })
          .execute()
      }
      const first = await world.services.planning.sessionsDue(est, {})
      assert.equal(first.rows.length, 50)
      assert.equal(first.pages, 2)
      const second = await world.services.planning.sessionsDue(est, { page: 2 })
      assert.equal(second.rows.length, first.totals.prisoners - 50)
      const res = await so.get('/sessions-due?page=2')
      assert.equal(res.status, 200)
      assert.match(res.text, /page 2 of 2/)
    })
  })

  describe('accessibility with data (axe in Chromium)', () => {
    it('My sessions with offers and bookings, and Sessions due, have no WCAG 2.1 AA violations', async () => {
      const server = world.app.listen(0, '127.0.0.1')
      await new Promise<void>(resolve => server.once('listening', resolve))
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const browser = await launchChromium()
      try {
        for (const [username, paths] of [
          ['key_worker.mdi', ['/my-sessions', '/caseload']],
          ['supervising_officer.mdi', ['/sessions-due']],
        ] as const) {
          const context = await browser.newContext({ baseURL: base })
          const page = await context.newPage()
          await page.goto('/sign-in')
          await page.getByLabel('Username').fill(username)
          await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
          await page.getByRole('button', { name: 'Sign in' }).click()
          await page.waitForURL(url => url.pathname === '/')
          for (const path of paths) {
            await page.goto(path)
            if (path === '/my-sessions')
              assert.ok((await page.locator('#offers, #bookings').count()) === 2, 'populated')
            await assertAxeClean(page, path)
          }
          await context.close()
        }
      } finally {
        await browser.close()
        server.closeAllConnections()
        await new Promise(resolve => server.close(resolve))
      }
    })
  })

  async function userId(username: string) {
    return (
      await world.services.db.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
    )?.id
  }
  async function userIdOrCreate(username: string) {
    const existing = await userId(username)
    if (existing) return existing
    const { createUser } = await import('../../../test/harness')
    return createUser(world.services, username, [{ role: 'KEY_WORKER', establishmentId: est }])
  }
})

describe('planning demo data', () => {
  it('gives every active Key Worker of a demo establishment two weekly slots', async () => {
    const { testServices } = await import('../../../test/harness')
    const s = await testServices()
    try {
      const r = await s.demo.load({ seed: 3, establishments: 1, prisonersPer: 60, reset: false, today: '2026-06-01' })
      assert.ok(r.ok)
      const keyWorkers = await s.db.db
        .selectFrom('staff')
        .select('id')
        .where('key_worker', '=', 1)
        .where('status', '=', 'active')
        .execute()
      assert.ok(keyWorkers.length > 0)
      const slots = await s.db.db.selectFrom('key_work_slots').selectAll().execute()
      assert.equal(slots.length, keyWorkers.length * 2)
      for (const k of keyWorkers) {
        const own = slots.filter(x => x.staff_id === k.id)
        assert.equal(own.length, 2)
        assert.notEqual(own[0]!.weekday, own[1]!.weekday)
        assert.equal(own[0]!.valid_from, '2026-05-04')
      }
      assert.ok(slots.every(x => x.created_by === 'system'))
    } finally {
      await s.close()
    }
  })
})
