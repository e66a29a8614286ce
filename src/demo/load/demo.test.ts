import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, testServices } from '../../../test/harness'
import { DEMO_PASSWORD, DEMO_USERNAMES, generateDemo } from '../generator/generate'
import { createApp } from '../../app'
import { prisonerRecordSchema } from '../../features/prisoners/schema'
import { staffRecordSchema } from '../../features/staff/schema'

const OPTIONS = { seed: 7, establishments: 2, prisonersPer: 100, today: '2025-06-30' }

describe('keywork demo', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  let app: ReturnType<typeof createApp>
  const expected = [...generateDemo(OPTIONS)]
  const total = (f: (e: (typeof expected)[number]) => number) => expected.reduce((n, e) => n + f(e), 0)

  before(async () => {
    s = await testServices()
    app = createApp(s)
  })
  after(() => s.close())

  const count = async (table: 'establishments' | 'residential_units' | 'staff' | 'prisoners' | 'audit_events') =>
    Number(
      (
        await s.db.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('loads establishments, units, staff and prisoners, with one audit event per establishment', async () => {
    const progress: number[] = []
    const r = await s.demo.load({ ...OPTIONS, reset: false, onProgress: p => progress.push(p.done) })
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors))
    assert.deepEqual(progress, [1, 2])
    assert.equal(await count('establishments'), 2)
    assert.equal(
      await count('residential_units'),
      total(e => e.units.length),
    )
    assert.equal(
      await count('staff'),
      total(e => e.staff.length),
    )
    assert.equal(
      await count('prisoners'),
      total(e => e.prisoners.length),
    )
    assert.deepEqual(
      { establishments: r.value.establishments, prisoners: r.value.prisoners },
      { establishments: 2, prisoners: total(e => e.prisoners.length) },
    )

    const leeds = await s.establishments.byCode('LEI')
    assert.equal(leeds?.category, 'Category B local')
    const events = await s.audit.recent({ establishmentId: null, entity: 'demo' })
    assert.equal(events.length, 2)
    assert.ok(events.every(e => e.action === 'import' && e.establishment_id !== null))
    assert.deepEqual(events.map(e => e.entity_id).sort(), ['LEI', 'MDI'])
    assert.equal((await s.audit.verify()).ok, true)
  })

  it('stores prisoners that pass the same validation as the form and the import', async () => {
    const rows = await s.db.db
      .selectFrom('prisoners')
      .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
      .selectAll('prisoners')
      .select('residential_units.code as unit_code')
      .execute()
    for (const p of rows) {
      const parsed = prisonerRecordSchema.safeParse({
        prisonNumber: p.prison_number,
        firstName: p.first_name,
        lastName: p.last_name,
        dateOfBirth: p.date_of_birth,
        unit: p.unit_code ?? '',
        cell: p.cell ?? '',
        receptionDate: p.reception_date,
        releaseDate: p.release_date ?? '',
        status: p.status,
        complexity: p.complexity,
        firstLanguage: p.first_language,
        interpreterNeeded: p.interpreter_needed ? 'yes' : 'no',
        nationality: p.nationality,
      })
      assert.ok(parsed.success, `${p.prison_number}: ${JSON.stringify(!parsed.success && parsed.error.issues)}`)
    }
  })

  it('stores staff that pass the same validation as the form and the import', async () => {
    const rows = await s.db.db
      .selectFrom('staff')
      .leftJoin('residential_units', 'residential_units.id', 'staff.home_unit_id')
      .selectAll('staff')
      .select('residential_units.code as unit_code')
      .execute()
    assert.ok(rows.length > 0)
    for (const m of rows) {
      const parsed = staffRecordSchema.safeParse({
        staffNumber: m.staff_number,
        firstName: m.first_name,
        lastName: m.last_name,
        grade: m.grade,
        email: m.email ?? '',
        workingPattern: m.working_pattern,
        weeklyHours: String(m.weekly_hours),
        startedInPost: m.started_in_post ?? '',
        languages: m.languages,
        status: m.status,
        statusReturnDate: m.status_return_date ?? '',
        homeUnit: m.unit_code ?? '',
      })
      assert.ok(parsed.success, `${m.staff_number}: ${JSON.stringify(!parsed.success && parsed.error.issues)}`)
      // what the form would keep is what the demo stored
      if (parsed.success) {
        assert.equal(parsed.data.statusReturnDate, m.status_return_date, m.staff_number)
        assert.equal(parsed.data.weeklyHours, m.weekly_hours, m.staff_number)
      }
    }
  })

  it('creates one user per role who can sign in; the Key Worker is a band 3 officer of Leeds', async () => {
    const leedsPrisoner = expected[0]!.prisoners.find(p => p.status === 'in')!
    const moorlandPrisoner = expected[1]!.prisoners.find(p => p.status === 'in')!
    for (const username of DEMO_USERNAMES) {
      const b = new Browser(app)
      const res = await b.signIn(username, DEMO_PASSWORD)
      assert.equal(res.status, 303, username)
      assert.notEqual(res.headers.location, '/sign-in', username)
      assert.equal((await b.get('/')).status, 200)
      if (username === 'keyworker') {
        const page = await b.get(`/prisoners/${leedsPrisoner.prisonNumber}`)
        assert.equal(page.status, 200)
        assert.ok(page.text.includes(leedsPrisoner.lastName))
        assert.equal((await b.get(`/prisoners/${moorlandPrisoner.prisonNumber}`)).status, 404)
      }
      if (username === 'admin') assert.match((await b.get('/')).text, /id="switch-establishment"/)
    }
    const kw = await s.db.db
      .selectFrom('staff')
      .innerJoin('users', 'users.id', 'staff.user_id')
      .innerJoin('establishments', 'establishments.id', 'staff.establishment_id')
      .select(['staff.grade', 'staff.status', 'establishments.code', 'users.display_name', 'staff.first_name'])
      .where('users.username', '=', 'keyworker')
      .executeTakeFirstOrThrow()
    assert.deepEqual([kw.grade, kw.status, kw.code], ['Band 3', 'active', 'LEI'])
    assert.ok(kw.display_name.startsWith(kw.first_name))
    const signIns = await s.demo.signIns()
    assert.deepEqual(
      signIns.map(x => [x.username, x.role]),
      [
        ['keyworker', 'Key Worker'],
        ['supervisor', 'Supervising Officer'],
        ['admin', 'Establishment admin'],
        ['national', 'National policy team'],
      ],
    )
  })

  it('refuses to run again without --reset, and changes nothing', async () => {
    const before = await count('prisoners')
    const events = await count('audit_events')
    assert.equal(await s.demo.isEmpty(), false)
    const r = await s.demo.load({ ...OPTIONS, reset: false })
    assert.equal(r.ok, false)
    assert.match(Object.values(!r.ok ? r.errors : {}).join(), /already has 2 establishments.*--reset/)
    assert.equal(await count('prisoners'), before)
    assert.equal(await count('audit_events'), events)
  })

  it('with --reset deletes everything and loads the demo again, restarting the audit chain', async () => {
    // a sign-in adds rows to other tables (sessions, audit): they must go too
    const r = await s.demo.load({ ...OPTIONS, establishments: 1, reset: true })
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors))
    assert.ok(r.value.wiped.includes('prisoners') && r.value.wiped.includes('web_sessions'))
    assert.equal(await count('establishments'), 1)
    const one = [...generateDemo({ ...OPTIONS, establishments: 1 })][0]!
    assert.equal(await count('prisoners'), one.prisoners.length)
    const verify = await s.audit.verify()
    assert.equal(verify.ok, true)
    // the reset itself, the establishment's demo event, the national guide and worksheets seeded again, the four users
    assert.equal(verify.checked, 1 + 1 + 2 + 4)
    const b = new Browser(app)
    const res = await b.signIn('admin', DEMO_PASSWORD)
    assert.equal(res.status, 303)
    assert.doesNotMatch((await b.get('/')).text, /id="switch-establishment"/, 'one establishment: no switcher')
  })
})
