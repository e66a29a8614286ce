import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { recordSession } from '../../../test/support/sessions'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { insertGoal, insertReferral, insertSession } from '../../../test/support/referrals'
import { prisonerRecordSchema } from './schema'

describe('prisoners', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  before(async () => {
    world = await testWorld()
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const valid = {
    prisonNumber: 'a1234bc',
    firstName: 'Jan',
    lastName: 'Kowalski',
    'dateOfBirth-day': '3',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
    'receptionDate-day': '1',
    'receptionDate-month': '9',
    'receptionDate-year': '2026',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'pl',
    interpreterNeeded: 'yes',
    nationality: 'Polish',
  }

  it('adds a prisoner, shows the page and audits the view', async () => {
    const res = await admin.post('/prisoners/new', valid)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/prisoners/A1234BC')
    const page = await admin.get('/prisoners/A1234BC')
    assert.equal(page.status, 200)
    assert.match(page.text, /Jan Kowalski/)
    assert.match(page.text, /Polish/)
    assert.match(page.text, /Needs an interpreter/)
    const events = await world.services.audit.forEntity('prisoner', 'A1234BC')
    assert.deepEqual(
      events.map(e => e.action),
      ['view', 'create'],
    )
  })

  it('finds the prisoner by name and by prison number', async () => {
    for (const q of ['kow', 'Jan Kow', 'a1234bc']) {
      const res = await admin.get(`/prisoners?q=${encodeURIComponent(q)}`)
      assert.match(res.text, /A1234BC/, q)
    }
    const none = await admin.get('/prisoners?q=zzz')
    assert.doesNotMatch(none.text, /A1234BC/)
  })

  it('keeps values and shows every error for a bad form, saving nothing', async () => {
    const res = await admin.post(
      '/prisoners/new',
      { ...valid, prisonNumber: '123', 'dateOfBirth-month': '13', firstName: '' },
      '/prisoners/new',
    )
    assert.equal(res.status, 303)
    const form = await admin.get('/prisoners/new')
    assert.match(form.text, /There is a problem/)
    assert.match(form.text, /format A1234BC/)
    assert.match(form.text, /Date of birth must be a real date/)
    assert.match(form.text, /Enter first name/)
    assert.match(form.text, /value="Kowalski"/)
  })

  it('hides another establishment’s prisoner behind a 404', async () => {
    const other = await signedIn(world, 'key_worker.lei')
    const res = await other.get('/prisoners/A1234BC')
    assert.equal(res.status, 404)
  })
})

describe('a prisoner belongs to the establishment that holds him', () => {
  let world: SeededWorld
  let mdiAdmin: Browser
  let leiAdmin: Browser
  let pn: string
  let mdi: number
  let lei: number
  const HELD = /A1111AA is recorded at another establishment: they must record him transferred out or released first/

  before(async () => {
    world = await seededWorld()
    mdiAdmin = await signedIn(world, 'establishment_admin.mdi')
    leiAdmin = await signedIn(world, 'establishment_admin.lei')
    ;({ prisonNumber: pn, establishmentId: mdi } = world.seeded.MDI)
    lei = world.seeded.LEI.establishmentId
    // MDI's key work with him: a Key Worker and a session in his own words (besides the seeded session and referral)
    const allocated = await world.services.allocations.allocate(SYSTEM_ACTOR, mdi, pn, world.seeded.MDI.staffId, {
      reason: 'manual',
    })
    assert.ok(allocated.ok, JSON.stringify(allocated))
    const keyWorker = (await world.services.users.list(mdi, 'key_worker.mdi')).find(
      u => u.username === 'key_worker.mdi',
    )
    await recordSession(
      world.services.sessions,
      { userId: keyWorker?.id ?? null, username: 'key_worker.mdi', establishmentId: mdi },
      mdi,
      pn,
      {
        prisonerWords: 'Worried about my daughter in Gdansk.',
      },
    )
  })
  after(() => world.close())

  /** The seeded MDI prisoner as a form would send him; LEI's admin types his details afresh. */
  const form = (fields: Record<string, string>) => ({
    prisonNumber: 'A1111AA',
    firstName: 'Tomasz',
    lastName: 'Nowak',
    'dateOfBirth-day': '14',
    'dateOfBirth-month': '5',
    'dateOfBirth-year': '1988',
    cell: 'HB1-1-004',
    'receptionDate-day': '3',
    'receptionDate-month': '2',
    'receptionDate-year': '2025',
    status: 'in',
    complexity: 'medium',
    firstLanguage: 'pl',
    interpreterNeeded: 'yes',
    nationality: 'Polish',
    ...fields,
  })
  const leiForm = form({ firstName: 'Tomek', unit: 'A', cell: 'A-3-021', 'receptionDate-month': '9' })

  /** Every establishment's record of him, read from the database. */
  const records = () =>
    world.services.db.db
      .selectFrom('prisoners')
      .select(['establishment_id', 'first_name', 'last_name', 'cell', 'status'])
      .where('prison_number', '=', pn)
      .orderBy('id')
      .execute()
  /** LEI's audit events that change him (views and refused attempts aside). */
  const leiChanges = async () =>
    (await world.services.audit.forEntity('prisoner', pn)).filter(
      e => e.establishment_id === lei && ['create', 'update', 'delete', 'transfer-in'].includes(e.action),
    )

  it('refuses to add another establishment’s prisoner in custody, and nothing of him changes', async () => {
    const res = await leiAdmin.post('/prisoners/new', leiForm, '/prisoners/new')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/prisoners/new')
    const page = await leiAdmin.get('/prisoners/new')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, HELD)
    assert.deepEqual(await records(), [
      { establishment_id: mdi, first_name: 'Tomasz', last_name: 'Nowak', cell: 'HB1-1-004', status: 'in' },
    ])
    assert.deepEqual(await leiChanges(), [])
    assert.equal((await leiAdmin.get(`/prisoners/${pn}`)).status, 404)
  })

  it('after MDI records him transferred out, LEI’s transfer in is one audited event both see; nothing of MDI’s travels', async () => {
    const out = await mdiAdmin.post(`/prisoners/${pn}/edit`, form({ unit: 'HB1', status: 'transferred' }))
    assert.equal(out.status, 303)
    assert.equal(out.headers.location, `/prisoners/${pn}`)

    const res = await leiAdmin.post('/prisoners/new', leiForm, '/prisoners/new')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/prisoners/${pn}`)
    assert.deepEqual(await records(), [
      { establishment_id: mdi, first_name: 'Tomasz', last_name: 'Nowak', cell: 'HB1-1-004', status: 'transferred' },
      { establishment_id: lei, first_name: 'Tomek', last_name: 'Nowak', cell: 'A-3-021', status: 'in' },
    ])
    const events = await leiChanges()
    assert.equal(events.length, 1, JSON.stringify(events))
    assert.equal(events[0]!.action, 'transfer-in')
    assert.equal(events[0]!.username, 'establishment_admin.lei')
    assert.equal(JSON.parse(events[0]!.changes ?? '{}').from_establishment, 'MDI')

    // his history on each establishment's page: which establishment, when
    const transferIn = /3 September 2025: Transferred in to Leeds \(HMP\) from Moorland \(HMP\)/
    const mdiPage = await mdiAdmin.get(`/prisoners/${pn}`)
    assert.match(mdiPage.text, transferIn)
    assert.match(mdiPage.text, /Transferred out of Moorland \(HMP\)/)
    assert.match(mdiPage.text, /Sam Officer MDI/, 'MDI keeps its Key Worker history')
    const leiPage = await leiAdmin.get(`/prisoners/${pn}`)
    assert.equal(leiPage.status, 200)
    assert.match(leiPage.text, /Tomek Nowak/)
    assert.match(leiPage.text, transferIn)
    assert.doesNotMatch(leiPage.text, /Transferred out of|Sam Officer MDI|HB1-1-004/)

    // MDI's sessions and referral stay with MDI
    const mdiTimeline = await mdiAdmin.get(`/prisoners/${pn}/timeline`)
    assert.match(mdiTimeline.text, /Worried about my daughter in Gdansk/)
    assert.match(mdiTimeline.text, /Needs an address for release/)
    const leiTimeline = await leiAdmin.get(`/prisoners/${pn}/timeline`)
    assert.equal(leiTimeline.status, 200)
    assert.doesNotMatch(
      leiTimeline.text,
      /Gdansk|Needs an address for release|Ask the resettlement team|Sam Officer MDI/,
    )

    // and so do MDI's audit events: LEI's audit page on him shows its own transfer in only
    const audit = `/audit?entity=prisoner&entityId=${pn}`
    assert.match((await mdiAdmin.get(audit)).text, /HB1-1-004/)
    const leiAudit = await leiAdmin.get(audit)
    assert.match(leiAudit.text, /transfer-in/i)
    assert.match(leiAudit.text, /A-3-021/)
    assert.doesNotMatch(leiAudit.text, /HB1-1-004|Tomasz|establishment_admin\.mdi|key_worker\.mdi|transferred/i)
  })
})

describe('the prisoner page carries the thread of his key work', () => {
  let world: SeededWorld
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  it('shows the last session, the next due date, what was agreed, open goals and referrals', async () => {
    const s = world.services
    const db = s.db.db
    const mdi = world.seeded.MDI
    const est = mdi.establishmentId
    const today = londonNow().date
    const record = prisonerRecordSchema.parse({
      prisonNumber: 'T1111TT',
      firstName: 'Tomasz',
      lastName: 'Thread',
      dateOfBirth: '3/4/1990',
      receptionDate: '5/1/2026',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    })
    assert.ok((await s.prisoners.create(SYSTEM_ACTOR, est, record)).ok)
    const kw = await signedIn(world, 'key_worker.mdi')
    const empty = (await kw.get('/prisoners/T1111TT')).text
    assert.match(empty, /None recorded here yet/)
    assert.match(empty, /No sessions due: no Key Worker allocated/)
    assert.match(empty, /No open goals/)
    assert.match(empty, /No open referrals/)

    const prisonerId = (await s.prisoners.get(est, 'T1111TT'))!.id
    // a Key Worker since 60 days ago; sessions every 2 weeks here
    await db
      .insertInto('allocations')
      .values({
        establishment_id: est,
        prisoner_id: prisonerId,
        staff_id: mdi.staffId,
        allocated_at: `${addDays(today, -60)}T09:00:00.000Z`,
        allocated_by: 'supervising_officer.mdi',
        allocation_reason: 'manual',
        deallocated_at: null,
        deallocated_by: null,
        deallocation_reason: null,
        deallocation_note: null,
        handover_note: null,
      })
      .execute()
    const e = (await s.establishments.byId(est))!
    const settings = {
      name: e.name,
      category: e.category,
      region: e.region,
      autoAllocation: e.auto_allocation === 1,
      ratio: e.ratio,
      frequencyWeeks: 2,
      sessionMinutes: e.session_minutes,
    }
    assert.ok((await s.establishments.updateSettings(SYSTEM_ACTOR, est, settings)).ok)
    const staff = await db.selectFrom('staff').selectAll().where('id', '=', mdi.staffId).executeTakeFirstOrThrow()
    const base = { establishmentId: est, prisonerId, staffId: mdi.staffId, author: 'key_worker.mdi' }
    await insertSession(db, { ...base, sessionDate: addDays(today, -30), agreed: 'OLDER AGREEMENT' })
    const delivered = await insertSession(db, {
      ...base,
      sessionDate: addDays(today, -20),
      agreed: 'Apply for the bricklaying course',
    })
    await insertSession(db, {
      ...base,
      sessionDate: addDays(today, -5),
      outcome: 'not_delivered',
      notDeliveredReason: 'unavailable_court',
    })
    // neither a deleted entry nor a draft is part of the record
    await insertSession(db, { ...base, sessionDate: addDays(today, -2), status: 'deleted', agreed: 'DELETED' })
    await insertSession(db, { ...base, sessionDate: addDays(today, -1), status: 'draft', agreed: 'DRAFT' })
    await insertGoal(db, { establishmentId: est, prisonerId, sessionId: delivered, description: 'Call his sister' })
    await insertGoal(db, {
      establishmentId: est,
      prisonerId,
      sessionId: delivered,
      description: 'Stop smoking',
      status: 'achieved',
    })
    const open = await insertReferral(db, {
      establishmentId: est,
      prisonerId,
      sessionId: delivered,
      stakeholder: 'education',
      followUpDate: addDays(today, 3),
      createdBy: 'key_worker.mdi',
    })
    const closed = await insertReferral(db, {
      establishmentId: est,
      prisonerId,
      sessionId: delivered,
      stakeholder: 'chaplaincy',
      status: 'done',
      createdBy: 'key_worker.mdi',
    })

    const page = (await kw.get('/prisoners/T1111TT')).text
    const row = (key: string) => {
      const m = new RegExp(`<dt class="govuk-summary-list__key">${key}</dt>\\s*<dd[^>]*>([\\s\\S]*?)</dd>`).exec(page)
      assert.ok(m, `a "${key}" row`)
      return m[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    }
    const long = (iso: string) =>
      new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })
    assert.equal(
      row('Last session'),
      `${long(addDays(today, -5))}: Not delivered (prisoner unavailable: court), by ${staff.first_name} ${staff.last_name}`,
    )
    // due two weeks after the last delivered session (20 days ago): 6 days overdue
    assert.equal(row('Next session due'), `${long(addDays(today, -6))} Overdue by 6 days`)
    assert.equal(row('Agreed last time'), `Apply for the bricklaying course ${long(addDays(today, -20))}`)
    assert.match(page, /Call his sister/)
    assert.doesNotMatch(page, /Stop smoking/)
    assert.ok(page.includes(`href="/referrals/${open}">Education</a>`))
    assert.ok(!page.includes(`href="/referrals/${closed}"`))
    assert.doesNotMatch(page, /OLDER AGREEMENT|DELETED|DRAFT/)

    // "Record a session" opens the entry form itself: the button starts a draft, no page in between
    const form =
      /<form method="post" action="(\/prisoners\/T1111TT\/sessions)"[\s\S]*?name="client_key" value="([^"]+)"/.exec(
        page,
      )
    assert.ok(form, 'a Record a session button that posts')
    const res = await kw.post(form[1]!, { client_key: form[2]! }, '/prisoners/T1111TT')
    assert.equal(res.status, 303)
    assert.match(res.headers.location ?? '', /^\/sessions\/\d+\/edit$/)
    assert.equal((await kw.get(res.headers.location!)).status, 200)
  })
})
