import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, createUser, signedIn, testWorld } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { staffRecordSchema } from './schema'

describe('staff', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  let mdi: number
  before(async () => {
    world = await testWorld()
    admin = await signedIn(world, 'establishment_admin.mdi')
    mdi = world.est.MDI!
    const unit = await world.services.units.create(SYSTEM_ACTOR, mdi, {
      code: 'HB1',
      name: 'Houseblock 1',
      capacity: 100,
    })
    assert.ok(unit.ok)
  })
  after(() => world.close())

  const valid = {
    staffNumber: 'sn12345',
    firstName: 'Aisha',
    lastName: 'Khan',
    grade: 'Band 3',
    email: 'Aisha.Khan@justice.gov.uk',
    workingPattern: 'part_time',
    weeklyHours: '22.5',
    'startedInPost-day': '1',
    'startedInPost-month': '4',
    'startedInPost-year': '2023',
    languages: 'Urdu, punjabi',
    status: 'annual_leave',
    'statusReturnDate-day': '20',
    'statusReturnDate-month': '8',
    'statusReturnDate-year': '2026',
    homeUnit: 'HB1',
    userId: '',
  }

  const staffCount = async (establishmentId = mdi) =>
    (await world.services.staff.search({ establishmentId, limit: 1000, offset: 0 })).total

  let staffId = 0

  it('adds a member of staff, shows their page and audits the change', async () => {
    const res = await admin.post('/staff/new', valid)
    assert.equal(res.status, 303)
    const m = /^\/staff\/(\d+)$/.exec(String(res.headers.location))
    assert.ok(m, `redirected to ${res.headers.location}`)
    staffId = Number(m[1])
    const page = await admin.get(`/staff/${staffId}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Aisha Khan/)
    assert.match(page.text, /SN12345/)
    assert.match(page.text, /Part time, 22.5 hours a week/)
    assert.match(page.text, /Urdu, Punjabi/)
    assert.match(page.text, /Annual leave until 20 August 2026/)
    assert.match(page.text, /aisha.khan@justice.gov.uk/)
    assert.match(page.text, /Houseblock 1/)
    assert.match(page.text, /1 April 2023/)
    assert.match(page.text, /Not linked/)

    const saved = await world.services.staff.get(mdi, staffId)
    assert.equal(saved?.languages, 'ur,pa')
    assert.equal(saved?.weekly_hours, 22.5)
    const events = await world.services.audit.forEntity('staff', 'SN12345')
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'create')
    assert.equal(events[0]?.establishment_id, mdi)
    assert.match(events[0]?.changes ?? '', /"grade":\{"from":null,"to":"Band 3"\}/)
  })

  it('finds staff by name or staff number and filters by status', async () => {
    const other = staffRecordSchema.parse({
      staffNumber: '104233',
      firstName: 'Gareth',
      lastName: 'Evans',
      grade: '4',
      status: 'active',
    })
    assert.equal(other.weeklyHours, 37, 'full time by default')
    assert.ok((await world.services.staff.create(SYSTEM_ACTOR, mdi, other)).ok)
    for (const q of ['khan', 'Ai Kh', 'sn123']) {
      const res = await admin.get(`/staff?q=${encodeURIComponent(q)}`)
      assert.match(res.text, /SN12345/, q)
      assert.doesNotMatch(res.text, /104233/, q)
    }
    const byStatus = await admin.get('/staff?status=active')
    assert.match(byStatus.text, /104233/)
    assert.doesNotMatch(byStatus.text, /SN12345/)
    const all = await admin.get('/staff')
    assert.match(all.text, /2 members of staff/)
    // staff pages are open to every role in the establishment
    const keyWorker = await signedIn(world, 'key_worker.mdi')
    assert.equal((await keyWorker.get('/staff?q=evans')).status, 200)
    const page = await keyWorker.get(`/staff/${staffId}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /Edit details/)
  })

  it('keeps values and shows every error for a bad form, saving nothing', async () => {
    const before = await staffCount()
    const res = await admin.post(
      '/staff/new',
      {
        ...valid,
        staffNumber: 'SN 123!',
        firstName: '',
        grade: 'Band 9',
        email: 'not-an-email',
        weeklyHours: '60',
        languages: 'Polish, Klingon',
        'startedInPost-month': '13',
      },
      '/staff/new',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/staff/new')
    const form = await admin.get('/staff/new')
    assert.match(form.text, /There is a problem/)
    assert.match(form.text, /Staff number must be up to 20 letters and digits/)
    assert.match(form.text, /Enter first name/)
    assert.match(form.text, /Grade must be one of: Band 3, Band 4, Band 5/)
    assert.match(form.text, /Enter an email address in the correct format/)
    assert.match(form.text, /Weekly hours must be between 0.5 and 48/)
    assert.match(form.text, /Klingon not recognised/)
    assert.match(form.text, /Date started in post must be a real date/)
    assert.match(form.text, /value="Khan"/)
    assert.match(form.text, /value="not-an-email"/)
    assert.equal(await staffCount(), before)
  })

  it('reads languages JSON sends as objects String() cannot convert as unknown, not a 500 (issue 18 point 9)', () => {
    const r = staffRecordSchema.safeParse({ languages: [{ toString: null }] })
    assert.equal(r.success, false)
  })

  it('checks the rules between fields: return date, part-time hours, future start, duplicates', async () => {
    const before = await staffCount()
    const cases: [Record<string, string>, RegExp][] = [
      [
        { staffNumber: 'SN2', 'statusReturnDate-day': '', 'statusReturnDate-month': '', 'statusReturnDate-year': '' },
        /Enter the date they return from annual leave/,
      ],
      [{ staffNumber: 'SN3', weeklyHours: '' }, /Enter weekly hours for part-time staff/],
      [
        { staffNumber: 'SN4', 'startedInPost-year': String(new Date().getUTCFullYear() + 1) },
        /Date started in post must be today or in the past/,
      ],
      [{ staffNumber: 'sn12345' }, /A member of staff with staff number SN12345 already exists/],
      [{ staffNumber: 'SN5', homeUnit: 'ZZ9' }, /Residential unit ZZ9 is not a unit of this establishment/],
    ]
    for (const [change, message] of cases) {
      await admin.post('/staff/new', { ...valid, ...change })
      const form = await admin.get('/staff/new')
      assert.match(form.text, message)
    }
    assert.equal(await staffCount(), before)
  })

  it('edits a member of staff, links a user account and audits what changed', async () => {
    const userId = await createUser(world.services, 'aisha.khan', [{ role: 'KEY_WORKER', establishmentId: mdi }])
    const form = await admin.get(`/staff/${staffId}/edit`)
    assert.equal(form.status, 200)
    assert.match(form.text, /value="Urdu, Punjabi"/)
    assert.match(form.text, new RegExp(`<option value="${userId}"`))
    const res = await admin.post(`/staff/${staffId}/edit`, {
      ...valid,
      staffNumber: 'IGNORED',
      status: 'active',
      workingPattern: 'full_time',
      weeklyHours: '',
      userId: String(userId),
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/staff/${staffId}`)
    const saved = await world.services.staff.get(mdi, staffId)
    assert.equal(saved?.staff_number, 'SN12345', 'the staff number does not change')
    assert.equal(saved?.status, 'active')
    assert.equal(saved?.status_return_date, null, 'a return date means nothing once back')
    assert.equal(saved?.weekly_hours, 37)
    assert.equal(saved?.user_id, userId)
    const page = await admin.get(`/staff/${staffId}`)
    assert.match(page.text, new RegExp(`href="/users/${userId}"`))
    const events = await world.services.audit.forEntity('staff', 'SN12345')
    assert.equal(events[0]?.action, 'update')
    const changes = JSON.parse(events[0]?.changes ?? '{}') as Record<string, unknown>
    assert.deepEqual(Object.keys(changes).sort(), [
      'status',
      'status_return_date',
      'user_id',
      'weekly_hours',
      'working_pattern',
    ])
    assert.deepEqual(changes.status, { from: 'annual_leave', to: 'active' })

    // an account from another establishment cannot be linked
    const outsider = await createUser(world.services, 'lei.only', [
      { role: 'KEY_WORKER', establishmentId: world.est.LEI! },
    ])
    await admin.post(`/staff/${staffId}/edit`, { ...valid, userId: String(outsider) })
    assert.match(
      (await admin.get(`/staff/${staffId}/edit`)).text,
      /Choose a user account with a role in this establishment/,
    )
    assert.equal((await world.services.staff.get(mdi, staffId))?.user_id, userId)
  })

  it('hides another establishment’s staff behind a 404', async () => {
    const lei = world.est.LEI!
    const r = await world.services.staff.create(
      SYSTEM_ACTOR,
      lei,
      staffRecordSchema.parse({ staffNumber: 'SN12345', firstName: 'Other', lastName: 'Person', grade: 'Band 3' }),
    )
    assert.ok(r.ok, 'the same staff number may be used in another establishment')
    assert.equal((await admin.get(`/staff/${r.value}`)).status, 404)
    assert.equal((await admin.get(`/staff/${r.value}/edit`)).status, 404)
    const post = await admin.post(`/staff/${r.value}/edit`, valid, '/staff/new')
    assert.equal(post.status, 404)
    assert.equal((await world.services.staff.get(lei, r.value))?.first_name, 'Other')
    assert.equal((await admin.get('/staff/999999')).status, 404)
    assert.equal((await admin.get('/staff/nope')).status, 404)
  })

  it('does not let a Key Worker add or edit staff', async () => {
    const keyWorker = await signedIn(world, 'key_worker.mdi')
    const before = await staffCount()
    assert.equal((await keyWorker.get('/staff/new')).status, 403)
    const res = await keyWorker.post('/staff/new', { ...valid, staffNumber: 'KW1' }, '/staff')
    assert.equal(res.status, 403)
    assert.equal((await keyWorker.post(`/staff/${staffId}/edit`, valid, '/staff')).status, 403)
    assert.equal(await staffCount(), before)
  })

  it('saves many records for an import: upserts by staff number and keeps user links', async () => {
    const actor = { ...SYSTEM_ACTOR, username: 'importer' }
    const before = await world.services.staff.get(mdi, staffId)
    const records = [
      {
        record: staffRecordSchema.parse({
          ...valid,
          status: 'active',
          grade: 'Band 4',
          workingPattern: 'full_time',
          weeklyHours: '',
        }),
        homeUnitId: before!.home_unit_id,
      },
      {
        record: staffRecordSchema.parse({ staffNumber: 'NEW1', firstName: 'New', lastName: 'Starter', grade: 'b3' }),
        homeUnitId: null,
      },
    ]
    const db = world.services.db.db
    const first = await db.transaction().execute(trx => world.services.staff.saveMany(trx, actor, mdi, records))
    assert.deepEqual(first, { created: 1, updated: 1, unchanged: 0 })
    const after = await world.services.staff.get(mdi, staffId)
    assert.equal(after?.grade, 'Band 4')
    assert.equal(after?.user_id, before?.user_id, 'an import keeps the link to the user account')
    const again = await db.transaction().execute(trx => world.services.staff.saveMany(trx, actor, mdi, records))
    assert.deepEqual(again, { created: 0, updated: 0, unchanged: 2 })
    const events = await world.services.audit.forEntity('staff', 'NEW1')
    assert.deepEqual(
      events.map(e => [e.action, e.username]),
      [['create', 'importer']],
    )
  })
})

describe('staff record schema, shared by the form and CSV imports', () => {
  const base = { staffNumber: ' ab12 ', firstName: 'Jo', lastName: 'Smith', grade: 'b4' }

  it('normalises what a CSV row holds', () => {
    const r = staffRecordSchema.parse({
      ...base,
      email: 'Jo.Smith@Justice.gov.uk',
      workingPattern: 'Part time',
      weeklyHours: '18.5',
      languages: 'Polish; ro',
      status: 'long term absence',
      startedInPost: '01/02/2020',
    })
    assert.equal(r.staffNumber, 'AB12')
    assert.equal(r.grade, 'Band 4')
    assert.equal(r.email, 'jo.smith@justice.gov.uk')
    assert.equal(r.workingPattern, 'part_time')
    assert.equal(r.weeklyHours, 18.5)
    assert.deepEqual(r.languages, ['pl', 'ro'])
    assert.equal(r.status, 'long_term_absence')
    assert.equal(r.statusReturnDate, null, 'a long-term absence may have no return date yet')
    assert.equal(r.startedInPost, '2020-02-01')
    assert.equal(r.homeUnit, null)
  })

  it('drops a return date for a status without one, and requires it for annual leave', () => {
    assert.equal(staffRecordSchema.parse({ ...base, statusReturnDate: '2026-09-01' }).statusReturnDate, null)
    const leave = staffRecordSchema.safeParse({ ...base, status: 'annual_leave' })
    assert.ok(!leave.success)
    assert.deepEqual(
      leave.error.issues.map(i => i.path.join('.')),
      ['statusReturnDate'],
    )
    assert.equal(
      staffRecordSchema.parse({ ...base, status: 'annual_leave', statusReturnDate: '2026-09-01' }).statusReturnDate,
      '2026-09-01',
    )
  })
})
