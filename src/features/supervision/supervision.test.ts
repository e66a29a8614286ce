import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { createUser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { DEFAULT_SUPERVISION_WEEKS, supervisionStatus } from './service'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

const count = async () => {
  const r = await db
    .selectFrom('supervisions')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id

describe('when supervision is overdue (worked by hand)', () => {
  it('is overdue when none was ever held', () => {
    assert.deepEqual(supervisionStatus(null, '2026-03-10', 6), { nextDue: null, overdue: true })
  })

  it('is due on the date agreed, and overdue the day after', () => {
    const last = { held_on: '2026-03-01', next_due_on: '2026-03-20' }
    assert.deepEqual(supervisionStatus(last, '2026-03-20', 6), { nextDue: '2026-03-20', overdue: false })
    assert.deepEqual(supervisionStatus(last, '2026-03-21', 6), { nextDue: '2026-03-20', overdue: true })
  })

  it('without a date agreed, is due 6 weeks (42 days) after the last, and overdue the day after', () => {
    const last = { held_on: '2026-03-01', next_due_on: null }
    // 1 March + 42 days = 12 April
    assert.deepEqual(supervisionStatus(last, '2026-04-12', 6), { nextDue: '2026-04-12', overdue: false })
    assert.deepEqual(supervisionStatus(last, '2026-04-13', 6), { nextDue: '2026-04-12', overdue: true })
    // with 2 weeks set: 15 March
    assert.deepEqual(supervisionStatus(last, '2026-03-16', 2), { nextDue: '2026-03-15', overdue: true })
  })

  it('is overdue when none was held within the interval, even with a later date agreed', () => {
    const last = { held_on: '2026-03-01', next_due_on: '2026-06-01' }
    assert.deepEqual(supervisionStatus(last, '2026-04-20', 6), { nextDue: '2026-06-01', overdue: true })
    assert.deepEqual(supervisionStatus(last, '2026-04-01', 6), { nextDue: '2026-06-01', overdue: false })
  })

  it('defaults to 6 weeks', () => assert.equal(DEFAULT_SUPERVISION_WEEKS, 6))
})

describe('recording a supervision', () => {
  it('records one for a Key Worker of the establishment, audited, and shows it to the pair, the admin and national', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const form = await so.get(`/quality/supervision/${mdi.staffId}/new`)
    assert.equal(form.status, 200)
    const held = addDays(today, -3)
    const next = addDays(today, 25)
    const before = await count()
    const res = await so.post(`/quality/supervision/${mdi.staffId}/new`, {
      ...dateFields('heldOn', held),
      topics: 'Caseload of six; the new hub timetable.',
      agreed: 'Book two hub rooms a week.',
      ...dateFields('nextDueOn', next),
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/quality/supervision/${mdi.staffId}`)
    assert.equal(await count(), before + 1)
    const row = await db
      .selectFrom('supervisions')
      .selectAll()
      .where('staff_id', '=', mdi.staffId)
      .where('held_on', '=', held)
      .executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, mdi.establishmentId)
    assert.equal(row.supervisor, 'supervising_officer.mdi')
    assert.equal(row.supervisor_user_id, await userId('supervising_officer.mdi'))
    assert.equal(row.topics, 'Caseload of six; the new hub timetable.')
    assert.equal(row.agreed, 'Book two hub rooms a week.')
    assert.equal(row.next_due_on, next)
    const events = await s.audit.forEntity('supervision', String(row.id))
    assert.deepEqual(
      events.map(e => [e.action, e.username]),
      [['create', 'supervising_officer.mdi']],
    )

    // the list: this Key Worker is not overdue any more, with the next date agreed
    const list = await so.get('/quality/supervision')
    assert.equal(list.status, 200)
    assert.match(list.text, /Sam Officer MDI/)
    assert.doesNotMatch(list.text, /govuk-tag--red">Overdue/)

    const history = await so.get(`/quality/supervision/${mdi.staffId}`)
    assert.match(history.text, /Book two hub rooms a week\./)
    assert.match(history.text, /Shadow a colleague on a hub session\./, 'and the older record')

    for (const username of ['establishment_admin.mdi']) {
      const b = await signedIn(world, username)
      assert.equal((await b.get('/quality/supervision')).status, 200)
      assert.match((await b.get(`/quality/supervision/${mdi.staffId}`)).text, /Book two hub rooms a week\./)
      assert.equal((await b.get(`/quality/supervision/${mdi.staffId}/new`)).status, 403, 'the admin only reads')
    }
    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.match((await national.get(`/quality/supervision/${mdi.staffId}`)).text, /Book two hub rooms a week\./)

    // the Key Worker, once their account is the staff record's, reads their own
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/quality/supervision')).status, 403)
    assert.match((await kw.get('/my-supervision')).text, /not linked to a staff record/)
    await db
      .updateTable('staff')
      .set({ user_id: await userId('key_worker.mdi') })
      .where('id', '=', mdi.staffId)
      .execute()
    try {
      const mine = await kw.get('/my-supervision')
      assert.equal(mine.status, 200)
      assert.match(mine.text, /Book two hub rooms a week\./)
      assert.doesNotMatch(mine.text, /Change this record/)
    } finally {
      await db.updateTable('staff').set({ user_id: null }).where('id', '=', mdi.staffId).execute()
    }
  })

  it('lists every problem at once and saves nothing', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const path = `/quality/supervision/${mdi.staffId}/new`
    const before = await count()
    const cases: [Record<string, string>, RegExp[]][] = [
      [{}, [/Enter the date the supervision was held/, /Enter the topics discussed/, /Enter what was agreed/]],
      [
        {
          ...dateFields('heldOn', addDays(today, 1)),
          topics: '   ',
          agreed: 'x',
        },
        [/The date the supervision was held must be today or in the past/, /Enter the topics discussed/],
      ],
      [
        {
          ...dateFields('heldOn', addDays(today, -10)),
          topics: 'Wellbeing',
          agreed: 'Rest',
          ...dateFields('nextDueOn', addDays(today, -10)),
        },
        [/The next supervision date must be after the date this one was held/],
      ],
      [
        { 'heldOn-day': '31', 'heldOn-month': '2', 'heldOn-year': '2026', topics: 'a', agreed: 'b' },
        [/must be a real date/],
      ],
      [{ ...dateFields('heldOn', addDays(today, -1)), topics: 'a'.repeat(4001), agreed: 'b' }, [/4000 characters/]],
    ]
    for (const [body, messages] of cases) {
      const res = await so.post(path, body)
      assert.equal(res.status, 303, JSON.stringify(body))
      assert.equal(res.headers.location, path)
      const page = await so.get(path)
      assert.match(page.text, /There is a problem/)
      for (const m of messages) assert.match(page.text, m, JSON.stringify(body))
    }
    assert.equal(await count(), before)
  })

  it('refuses another establishment’s Key Worker and record, and the Supervising Officer’s own supervision', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/quality/supervision/${lei.staffId}`)).status, 404)
    assert.equal((await so.get(`/quality/supervision/${lei.staffId}/new`)).status, 404)
    const before = await count()
    const body = { ...dateFields('heldOn', today), topics: 'a', agreed: 'b' }
    const res = await so.post(`/quality/supervision/${lei.staffId}/new`, body, '/quality/supervision')
    assert.equal(res.status, 404)
    assert.equal((await so.get(`/quality/supervision/record/${lei.supervisionId}/edit`)).status, 404)
    const edit = await so.post(`/quality/supervision/record/${lei.supervisionId}/edit`, body, '/quality/supervision')
    assert.equal(edit.status, 404)
    assert.equal(await count(), before)

    // a Supervising Officer's own staff record: someone else supervises them
    await db
      .updateTable('staff')
      .set({ user_id: await userId('supervising_officer.mdi') })
      .where('id', '=', mdi.staffId)
      .execute()
    try {
      const r = await so.post(`/quality/supervision/${mdi.staffId}/new`, body)
      assert.equal(r.status, 303)
      assert.match((await so.get(r.headers.location!)).text, /You cannot record your own supervision/)
      assert.equal(await count(), before)
    } finally {
      await db.updateTable('staff').set({ user_id: null }).where('id', '=', mdi.staffId).execute()
    }
  })
})

describe('telling the Key Worker', () => {
  it('leaves a notice for a Key Worker whose account is the staff record’s, linking to their supervision', async () => {
    const kw = await userId('key_worker.mdi')
    await db.updateTable('staff').set({ user_id: kw }).where('id', '=', mdi.staffId).execute()
    try {
      const so = await userId('supervising_officer.mdi')
      const r = await s.supervision.record(
        { userId: so, username: 'supervising_officer.mdi', establishmentId: mdi.establishmentId },
        mdi.establishmentId,
        mdi.staffId,
        { heldOn: '2026-01-05', topics: 'Hub use', agreed: 'Book rooms', nextDueOn: null },
      )
      assert.ok(r.ok)
      const notices = await db.selectFrom('user_notices').selectAll().where('user_id', '=', kw).execute()
      assert.deepEqual(
        notices.map(n => [n.kind, n.link, n.message, n.establishment_id]),
        [
          [
            'supervision',
            '/my-supervision',
            'supervising_officer.mdi recorded your supervision of 5 January 2026',
            mdi.establishmentId,
          ],
        ],
      )
    } finally {
      await db.updateTable('staff').set({ user_id: null }).where('id', '=', mdi.staffId).execute()
    }
  })
})

describe('changing a supervision record', () => {
  it('lets only the Supervising Officer who wrote it change it, audited with what changed', async () => {
    await createUser(s, 'second.so.mdi', [{ role: 'SUPERVISING_OFFICER', establishmentId: mdi.establishmentId }])
    const other = await signedIn(world, 'second.so.mdi')
    const path = `/quality/supervision/record/${mdi.supervisionId}/edit`
    assert.equal((await other.get(path)).status, 403)
    const refused = await other.post(
      path,
      { 'heldOn-day': '6', 'heldOn-month': '1', 'heldOn-year': '2020', topics: 'x', agreed: 'y' },
      '/quality/supervision',
    )
    assert.equal(refused.status, 403)

    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get(path)
    assert.equal(page.status, 200)
    assert.match(page.text, /Caseload and wellbeing\./)
    const res = await so.post(path, {
      'heldOn-day': '6',
      'heldOn-month': '1',
      'heldOn-year': '2020',
      topics: 'Caseload and wellbeing.',
      agreed: 'Shadow a colleague on two hub sessions.',
      'nextDueOn-day': '17',
      'nextDueOn-month': '2',
      'nextDueOn-year': '2020',
    })
    assert.equal(res.status, 303)
    const row = await db
      .selectFrom('supervisions')
      .selectAll()
      .where('id', '=', mdi.supervisionId)
      .executeTakeFirstOrThrow()
    assert.equal(row.agreed, 'Shadow a colleague on two hub sessions.')
    assert.equal(row.topics, 'Caseload and wellbeing.')
    assert.equal(row.updated_by, 'supervising_officer.mdi')
    const update = (await s.audit.forEntity('supervision', String(mdi.supervisionId))).find(e => e.action === 'update')
    assert.deepEqual(JSON.parse(update!.changes!), {
      agreed: { from: 'Shadow a colleague on a hub session.', to: 'Shadow a colleague on two hub sessions.' },
    })

    // a bad change saves nothing
    const bad = await so.post(path, {
      'heldOn-day': '6',
      'heldOn-month': '1',
      'heldOn-year': '2020',
      topics: '',
      agreed: '',
    })
    assert.equal(bad.status, 303)
    assert.match((await so.get(path)).text, /Enter the topics discussed/)
    const after = await db
      .selectFrom('supervisions')
      .selectAll()
      .where('id', '=', mdi.supervisionId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(after, row)
  })
})

describe('the overdue list', () => {
  it('tags a Key Worker overdue in red by the establishment’s interval, read from its QA settings', async () => {
    // a new Key Worker never supervised, and LEI's seeded record (held in 2020) is long overdue
    const so = await signedIn(world, 'supervising_officer.lei')
    let list = await so.get('/quality/supervision')
    assert.equal(list.status, 200)
    assert.match(list.text, /Sam Officer LEI/)
    assert.match(list.text, /govuk-tag--red">Overdue<\/strong> 17 February 2020/)
    assert.match(list.text, /1 of 1 Key Worker is overdue/)
    assert.match(list.text, /none was held in the last 6 weeks/)

    // held 20 days ago, no next date: overdue with a 2-week interval, not with the default 6
    await s.supervision.record(
      {
        userId: await userId('supervising_officer.lei'),
        username: 'supervising_officer.lei',
        establishmentId: lei.establishmentId,
      },
      lei.establishmentId,
      lei.staffId,
      { heldOn: addDays(today, -20), topics: 'Hub use', agreed: 'More hub sessions', nextDueOn: null },
    )
    list = await so.get('/quality/supervision')
    assert.match(list.text, /0 of 1 Key Worker is overdue/)
    await db
      .insertInto('qa_settings')
      .values({
        establishment_id: lei.establishmentId,
        sample_per_officer: 2,
        review_due_days: 14,
        thin_entry_chars: 200,
        supervision_weeks: 2,
        updated_at: new Date().toISOString(),
        updated_by: 'test',
      })
      .execute()
    list = await so.get('/quality/supervision')
    assert.match(list.text, /1 of 1 Key Worker is overdue/)
    assert.match(list.text, /none was held in the last 2 weeks/)
  })
})

describe('finding my supervision', () => {
  it('is linked for a Key Worker from their feedback page and the home page', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    for (const path of ['/my-feedback', '/']) {
      const page = await kw.get(path)
      assert.equal(page.status, 200, path)
      assert.match(page.text, /href="\/my-supervision"/, path)
    }
    assert.equal((await kw.get('/my-supervision')).status, 200)
    // not offered to those who have no supervision page of their own
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.doesNotMatch((await so.get('/')).text, /href="\/my-supervision"/)
  })
})
