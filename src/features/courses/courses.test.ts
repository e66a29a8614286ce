import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type Browser, createUser, signedIn, testWorld } from '../../../test/harness'
import { staffRecordSchema } from '../staff/schema'
import type { CourseViewer } from './service'

const world = await testWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
await s.training.ensureNational()
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const today = todayIso()

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id

/** A staff record of the establishment, linked to a user account when one is given. */
async function officer(establishmentId: number, staffNumber: string, first: string, last: string, user?: string) {
  const r = await s.staff.create(
    { ...SYSTEM_ACTOR, establishmentId },
    establishmentId,
    staffRecordSchema.parse({
      staffNumber,
      firstName: first,
      lastName: last,
      grade: 'Band 3',
      workingPattern: 'full_time',
      startedInPost: '2026-01-05',
      languages: 'English',
      status: 'active',
    }),
  )
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  if (user)
    await db
      .updateTable('staff')
      .set({ user_id: await userId(user) })
      .where('id', '=', r.value)
      .execute()
  return r.value
}

// officers of Moorland: Alex is the Key Worker user; Bea has no account; Cal and Dee have accounts of their own
await createUser(s, 'cal.mdi', [{ role: 'KEY_WORKER', establishmentId: MDI }])
await createUser(s, 'dee.mdi', [{ role: 'KEY_WORKER', establishmentId: MDI }])
await db.updateTable('users').set({ email: 'cal@example.org' }).where('username', '=', 'cal.mdi').execute()
const alex = await officer(MDI, 'MDI0101', 'Alex', 'Ash', 'key_worker.mdi')
const bea = await officer(MDI, 'MDI0102', 'Bea', 'Birch')
const cal = await officer(MDI, 'MDI0103', 'Cal', 'Cedar', 'cal.mdi')
const dee = await officer(MDI, 'MDI0104', 'Dee', 'Dogwood', 'dee.mdi')
await db.updateTable('staff').set({ email: 'dee.staff@example.org' }).where('id', '=', dee).execute()
const lee = await officer(LEI, 'LEI0101', 'Lee', 'Larch', 'key_worker.lei')

const mi = (await s.training.moduleByCode('KW-TOPUP-MI', null))!
const initial = (await s.training.moduleByCode('KW-INITIAL', null))!

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

const count = async (
  table:
    'training_courses' | 'training_course_days' | 'training_enrolments' | 'training_feedback' | 'training_completions',
) => {
  const r = await db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

const enrolment = (courseId: number, staffId: number) =>
  db
    .selectFrom('training_enrolments')
    .selectAll()
    .where('course_id', '=', courseId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst()

const browsers = new Map<string, Browser>()
async function as(username: string) {
  let b = browsers.get(username)
  if (!b) {
    b = await signedIn(world, username)
    browsers.set(username, b)
  }
  return b
}

/** Schedules a course through the form as `username`; returns its id. */
async function schedule(
  username: string,
  opts: {
    moduleId?: number
    days?: string[]
    capacity?: number
    trainer?: string
    extra?: Record<string, string>
  } = {},
) {
  const b = await as(username)
  const days = opts.days ?? [addDays(today, 7)]
  const fields: Record<string, string> = {
    module: String(opts.moduleId ?? mi.id),
    trainer: opts.trainer ?? String(await userId('key_worker.mdi')),
    trainerName: '',
    place: 'Learning centre, room 2',
    capacity: String(opts.capacity ?? 2),
    notes: '',
    ...opts.extra,
  }
  days.forEach((d, i) => {
    Object.assign(fields, dateFields(`day${i + 1}`, d), { [`day${i + 1}Start`]: '09:30', [`day${i + 1}End`]: '16:00' })
  })
  const res = await b.post('/training/courses/new', fields)
  assert.equal(res.status, 303, `scheduling gave ${res.status} ${res.headers.location}`)
  const m = /^\/training\/courses\/(\d+)$/.exec(String(res.headers.location))
  assert.ok(m, `scheduling went to ${res.headers.location}`)
  return Number(m[1])
}

const mdiViewer = async (username: string, manager: boolean): Promise<CourseViewer> => ({
  userId: await userId(username),
  establishmentId: MDI,
  region: 'Yorkshire',
  national: false,
  manager,
})

describe('scheduling a course', () => {
  it('an SO schedules one: its days, trainer, place and capacity saved and audited, and listed with places left', async () => {
    const day1 = addDays(today, 10)
    const day2 = addDays(today, 11)
    const before = await count('training_courses')
    const id = await schedule('supervising_officer.mdi', { moduleId: initial.id, days: [day2, day1], capacity: 12 })
    assert.equal(await count('training_courses'), before + 1)
    const c = await db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.establishment_id, MDI)
    assert.equal(c.region, null)
    assert.equal(c.module_id, initial.id)
    assert.equal(c.trainer_user_id, await userId('key_worker.mdi'))
    assert.equal(c.trainer, 'key_worker.mdi')
    assert.equal(c.place, 'Learning centre, room 2')
    assert.equal(c.capacity, 12)
    assert.equal(c.status, 'scheduled')
    const days = await db
      .selectFrom('training_course_days')
      .selectAll()
      .where('course_id', '=', id)
      .orderBy('day')
      .execute()
    assert.deepEqual(
      days.map(d => [d.day, d.starts_at, d.ends_at]),
      [
        [day1, '09:30', '16:00'],
        [day2, '09:30', '16:00'],
      ],
    )
    const events = await s.audit.forEntity('training_course', String(id))
    assert.deepEqual(
      events.map(e => [e.action, e.username]),
      [['create', 'supervising_officer.mdi']],
    )
    const list = await (await as('key_worker.mdi')).get('/training/courses')
    assert.equal(list.status, 200)
    assert.match(list.text, new RegExp(`href="/training/courses/${id}">${initial.title}`))
    assert.match(list.text, /12 of 12/)
  })

  it('types a trainer’s name when they are not a user', async () => {
    const id = await schedule('establishment_admin.mdi', { trainer: 'other', extra: { trainerName: 'Dr Rosa Hale' } })
    const c = await db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.trainer, 'Dr Rosa Hale')
    assert.equal(c.trainer_user_id, null)
  })

  it('bad input saves nothing and lists every problem', async () => {
    const b = await as('supervising_officer.mdi')
    const before = [await count('training_courses'), await count('training_course_days')]
    const empty = await b.post('/training/courses/new', {})
    assert.equal(empty.status, 303)
    assert.equal(empty.headers.location, '/training/courses/new')
    const page = await b.get('/training/courses/new')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Choose the module/)
    assert.match(page.text, /Enter the date, start and end time of at least one day/)
    assert.match(page.text, /Enter the place/)
    assert.match(page.text, /Enter the number of places/)

    const bad = await b.post('/training/courses/new', {
      module: String(mi.id),
      ...dateFields('day1', addDays(today, 5)),
      day1Start: '14:00',
      day1End: '13:00',
      ...dateFields('day2', addDays(today, -1)),
      day2Start: '25:00',
      day2End: '10:00',
      trainer: 'other',
      trainerName: '',
      place: 'Room 1',
      capacity: '101',
    })
    assert.equal(bad.status, 303)
    const again = await b.get('/training/courses/new')
    assert.match(again.text, /The end time of day 1 must be after its start/)
    assert.match(again.text, /The date of day 2 must be today or in the future/)
    assert.match(again.text, /The start time of day 2 must be a time like 09:30/)
    assert.match(again.text, /Choose the trainer, or type their name/)
    assert.match(again.text, /The number of places must be a whole number from 1 to 100/)

    // a module or trainer from elsewhere: refused by the service
    const lei = await userId('key_worker.lei')
    await b.post('/training/courses/new', {
      module: String(mi.id),
      ...dateFields('day1', addDays(today, 5)),
      day1Start: '09:00',
      day1End: '12:00',
      trainer: String(lei),
      place: 'Room 1',
      capacity: '0',
    })
    assert.match(
      (await b.get('/training/courses/new')).text,
      /The number of places must be a whole number from 1 to 100/,
    )
    const r = await s.courses.schedule(
      { userId: null, username: 'supervising_officer.mdi', establishmentId: MDI },
      await mdiViewer('supervising_officer.mdi', true),
      {
        moduleId: mi.id,
        days: [{ day: addDays(today, 5), startsAt: '09:00', endsAt: '12:00' }],
        trainerUserId: lei,
        trainerName: '',
        place: 'Room 1',
        capacity: 5,
        notes: '',
        region: null,
      },
      false,
    )
    assert.deepEqual(r, { ok: false, errors: { trainer: 'Choose one of the trainers listed, or type their name' } })
    assert.deepEqual([await count('training_courses'), await count('training_course_days')], before)
  })

  it('a Key Worker may not schedule one', async () => {
    const res = await (await as('key_worker.mdi')).post('/training/courses/new', {}, '/training/courses')
    assert.equal(res.status, 403)
  })
})

describe('enrolment, the waiting list and withdrawing', () => {
  let id = 0
  before(async () => {
    id = await schedule('supervising_officer.mdi', { capacity: 2 })
  })

  it('fills the places, then the next goes on the waiting list, never past capacity', async () => {
    const so = await as('supervising_officer.mdi')
    const kw = await as('key_worker.mdi')
    // the SO enrols Bea; Alex enrols himself: the last place
    let res = await so.post(`/training/courses/${id}/enrol`, { staffId: String(bea) }, `/training/courses/${id}`)
    assert.equal(res.status, 303)
    assert.match((await so.get(`/training/courses/${id}`)).text, /Bea Birch is enrolled on this course/)
    res = await kw.post(`/training/courses/${id}/enrol`, { self: 'yes' }, `/training/courses/${id}`)
    assert.equal(res.status, 303)
    assert.match((await kw.get(`/training/courses/${id}`)).text, /You are enrolled on this course/)
    assert.equal((await enrolment(id, alex))?.status, 'enrolled')
    // the course is full: Cal goes on the waiting list, and the page says so
    res = await so.post(`/training/courses/${id}/enrol`, { staffId: String(cal) }, `/training/courses/${id}`)
    assert.equal(res.status, 303)
    const page = await so.get(`/training/courses/${id}`)
    assert.match(page.text, /The course is full: Cal Cedar is on the waiting list/)
    assert.match(page.text, /2 of 2 places taken; 0 left\. 1 on the waiting list\./)
    const c = await enrolment(id, cal)
    assert.equal(c?.status, 'waiting')
    assert.ok(c?.waiting_since)
    // Cal is told in the service that he is waiting
    const notices = await db
      .selectFrom('user_notices')
      .selectAll()
      .where('user_id', '=', await userId('cal.mdi'))
      .execute()
    assert.deepEqual(
      notices.map(n => n.link),
      [`/training/courses/${id}`],
    )
    assert.match(notices[0]!.message, /waiting list/)
    const list = await so.get('/training/courses')
    assert.match(list.text, /Full/)
  })

  it('refuses enrolling twice, with a clear error, and saves nothing', async () => {
    const so = await as('supervising_officer.mdi')
    const before = await count('training_enrolments')
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(bea) }, `/training/courses/${id}`)
    assert.match((await so.get(`/training/courses/${id}`)).text, /Bea Birch is already enrolled on this course/)
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(cal) }, `/training/courses/${id}`)
    assert.match(
      (await so.get(`/training/courses/${id}`)).text,
      /Cal Cedar is already on the waiting list for this course/,
    )
    const kw = await as('key_worker.mdi')
    await kw.post(`/training/courses/${id}/enrol`, { self: 'yes' }, `/training/courses/${id}`)
    assert.match((await kw.get(`/training/courses/${id}`)).text, /Alex Ash is already enrolled on this course/)
    // an empty choice, another establishment's officer: errors too
    await so.post(`/training/courses/${id}/enrol`, {}, `/training/courses/${id}`)
    assert.match((await so.get(`/training/courses/${id}`)).text, /Choose the officer to enrol/)
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(lee) }, `/training/courses/${id}`)
    assert.match((await so.get(`/training/courses/${id}`)).text, /Choose an officer of this establishment/)
    assert.equal(await count('training_enrolments'), before)
  })

  it('a Key Worker enrols only himself: another officer’s id is refused', async () => {
    const r = await s.courses.enrol(
      { userId: await userId('key_worker.mdi'), username: 'key_worker.mdi', establishmentId: MDI },
      await mdiViewer('key_worker.mdi', false),
      id,
      dee,
    )
    assert.deepEqual(r, {
      ok: false,
      errors: { form: 'Only a Supervising Officer or an admin may enrol another officer' },
    })
  })

  it('withdrawing frees the place and moves the first on the waiting list up, who is told', async () => {
    const so = await as('supervising_officer.mdi')
    // Dee joins the waiting list after Cal
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(dee) }, `/training/courses/${id}`)
    assert.equal((await enrolment(id, dee))?.status, 'waiting')
    const res = await so.post(`/training/courses/${id}/withdraw`, { staffId: String(bea) }, `/training/courses/${id}`)
    assert.equal(res.status, 303)
    assert.match(
      (await so.get(`/training/courses/${id}`)).text,
      /Bea Birch is withdrawn from this course: the first on the waiting list has the place/,
    )
    assert.equal((await enrolment(id, bea))?.status, 'withdrawn')
    assert.equal((await enrolment(id, cal))?.status, 'enrolled', 'Cal waited first')
    assert.equal((await enrolment(id, dee))?.status, 'waiting')
    const told = await db
      .selectFrom('user_notices')
      .selectAll()
      .where('user_id', '=', await userId('cal.mdi'))
      .orderBy('id')
      .execute()
    assert.match(told.at(-1)!.message, /A place came up: you are now enrolled/)
    const events = await s.audit.forEntity('training_enrolment', String((await enrolment(id, cal))!.id))
    assert.deepEqual(
      events.map(e => e.action),
      ['update', 'create'],
      'enrolled to wait, then moved up (newest first)',
    )
    // Alex withdraws himself: Dee moves up
    const kw = await as('key_worker.mdi')
    await kw.post(`/training/courses/${id}/withdraw`, { staffId: String(alex) }, `/training/courses/${id}`)
    assert.equal((await enrolment(id, alex))?.status, 'withdrawn')
    assert.equal((await enrolment(id, dee))?.status, 'enrolled')
    // and enrols again, on the waiting list now (the same row, moved back)
    await kw.post(`/training/courses/${id}/enrol`, { self: 'yes' }, `/training/courses/${id}`)
    assert.equal((await enrolment(id, alex))?.status, 'waiting')
    assert.match((await kw.get(`/training/courses/${id}`)).text, /you are on the waiting list/)
    const taken = await db
      .selectFrom('training_enrolments')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('course_id', '=', id)
      .where('status', '=', 'enrolled')
      .executeTakeFirstOrThrow()
    assert.equal(Number(taken.n), 2)
  })
})

describe('register and completion', () => {
  let id = 0
  const day1 = addDays(today, 3)
  const day2 = addDays(today, 4)
  before(async () => {
    id = await schedule('supervising_officer.mdi', { days: [day1, day2], capacity: 5 })
    for (const staffId of [alex, bea, cal]) {
      const so = await as('supervising_officer.mdi')
      await so.post(`/training/courses/${id}/enrol`, { staffId: String(staffId) }, `/training/courses/${id}`)
    }
  })

  it('refuses completing a course that has not happened, with a clear error, and records nothing', async () => {
    const trainer = await as('key_worker.mdi')
    const before = await count('training_completions')
    const page = await trainer.get(`/training/courses/${id}/complete`)
    assert.equal(page.status, 200)
    const res = await trainer.post(`/training/courses/${id}/complete`, {
      [`outcome-${alex}`]: 'passed',
      [`outcome-${bea}`]: 'completed',
      [`outcome-${cal}`]: 'not_completed',
    })
    assert.equal(res.status, 303)
    const again = await trainer.get(`/training/courses/${id}/complete`)
    assert.match(again.text, /This course has not happened yet: it can be completed from its last day/)
    assert.equal(await count('training_completions'), before)
    const c = await db.selectFrom('training_courses').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.status, 'scheduled')
    // nor can a day's register be taken before the day
    await trainer.post(`/training/courses/${id}/register`, {
      day: day1,
      [`present-${alex}`]: 'yes',
      [`present-${bea}`]: 'yes',
      [`present-${cal}`]: 'no',
    })
    assert.match(
      (await trainer.get(`/training/courses/${id}/register?day=${day1}`)).text,
      /can be taken on the day or after it/,
    )
    // a day JSON sends as an object String() cannot convert is no day: refused, not a 500 (issue 18 point 9)
    const _csrf = await trainer.csrf(`/training/courses/${id}/register`)
    const wrongType = await trainer.agent
      .post(`/training/courses/${id}/register`)
      .type('json')
      .send({ _csrf, day: { toString: 1, valueOf: 2 } })
    assert.equal(wrongType.status, 303)
    assert.equal(wrongType.headers.location, `/training/courses/${id}/register`)
    assert.equal(
      (await db.selectFrom('training_attendance').selectAll().where('course_id', '=', id).execute()).length,
      0,
    )
  })

  it('only the trainer, an SO or admin takes the register: another Key Worker is sent back', async () => {
    const other = await as('cal.mdi')
    const res = await other.get(`/training/courses/${id}/register`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/training/courses/${id}`)
    assert.match(
      (await other.get(`/training/courses/${id}`)).text,
      /Only the trainer, a Supervising Officer or an admin may take the register/,
    )
  })

  it('after the last day: the register per day, then outcomes written to the training records in one go', async () => {
    setClock(new Date(`${day2}T15:00:00Z`))
    try {
      const trainer = await as('key_worker.mdi')
      // an unmarked officer: every one must be marked
      await trainer.post(`/training/courses/${id}/register`, { day: day1, [`present-${alex}`]: 'yes' })
      const errs = await trainer.get(`/training/courses/${id}/register?day=${day1}`)
      assert.match(errs.text, /Choose present or absent for Bea Birch/)
      assert.equal(
        (await db.selectFrom('training_attendance').selectAll().where('course_id', '=', id).execute()).length,
        0,
      )
      for (const day of [day1, day2]) {
        const res = await trainer.post(`/training/courses/${id}/register`, {
          day,
          [`present-${alex}`]: 'yes',
          [`present-${bea}`]: 'yes',
          [`present-${cal}`]: day === day1 ? 'no' : 'yes',
        })
        assert.equal(res.status, 303)
      }
      const marks = await db
        .selectFrom('training_attendance')
        .select(['day', 'staff_id', 'present'])
        .where('course_id', '=', id)
        .orderBy('day')
        .orderBy('staff_id')
        .execute()
      assert.deepEqual(
        marks.map(m => [m.day, m.staff_id, Number(m.present)]),
        [
          [day1, alex, 1],
          [day1, bea, 1],
          [day1, cal, 0],
          [day2, alex, 1],
          [day2, bea, 1],
          [day2, cal, 1],
        ],
      )
      // marking again changes the mark, not the row count
      await trainer.post(`/training/courses/${id}/register`, {
        day: day1,
        [`present-${alex}`]: 'yes',
        [`present-${bea}`]: 'yes',
        [`present-${cal}`]: 'yes',
      })
      assert.equal(
        (await db.selectFrom('training_attendance').selectAll().where('course_id', '=', id).execute()).length,
        6,
      )

      // an outcome missing: nothing recorded
      const before = await count('training_completions')
      await trainer.post(`/training/courses/${id}/complete`, { [`outcome-${alex}`]: 'passed' })
      assert.match((await trainer.get(`/training/courses/${id}/complete`)).text, /Choose the outcome for Bea Birch/)
      assert.equal(await count('training_completions'), before)

      const res = await trainer.post(`/training/courses/${id}/complete`, {
        [`outcome-${alex}`]: 'passed',
        [`evidence-${alex}`]: 'Assessed role play: met every outcome.',
        [`outcome-${bea}`]: 'failed',
        [`outcome-${cal}`]: 'not_completed',
      })
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, `/training/courses/${id}`)
      assert.match(
        (await trainer.get(`/training/courses/${id}`)).text,
        /Course completed: 2 completions added to training records/,
      )
      const rows = await db
        .selectFrom('training_completions')
        .selectAll()
        .where('course_id', '=', id)
        .orderBy('staff_id')
        .execute()
      assert.deepEqual(
        rows.map(r => [
          r.staff_id,
          r.module_code,
          r.outcome,
          r.hours,
          r.completed_on,
          r.source,
          r.evidence,
          r.establishment_id,
        ]),
        [
          [alex, 'KW-TOPUP-MI', 'passed', 3, day2, 'course', 'Assessed role play: met every outcome.', MDI],
          [bea, 'KW-TOPUP-MI', 'failed', 3, day2, 'course', '', MDI],
        ],
      )
      const c = await db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      assert.equal(c.status, 'completed')
      assert.equal(c.completed_by, 'key_worker.mdi')
      assert.deepEqual(
        [(await enrolment(id, alex))?.status, (await enrolment(id, bea))?.status, (await enrolment(id, cal))?.status],
        ['completed', 'completed', 'not_completed'],
      )
      // completing twice is refused
      await trainer.post(`/training/courses/${id}/complete`, { [`outcome-${alex}`]: 'passed' })
      assert.equal(await count('training_completions'), before + 2)
    } finally {
      setClock(null)
    }
  })

  it('a participant who completed rates it once; the national team and the SO see module ratings', async () => {
    const alexB = await as('key_worker.mdi')
    const before = await count('training_feedback')
    await alexB.post(`/training/courses/${id}/feedback`, { rating: '6', comment: '' }, `/training/courses/${id}`)
    assert.match((await alexB.get(`/training/courses/${id}`)).text, /Choose a rating from 1 to 5/)
    assert.equal(await count('training_feedback'), before)
    const res = await alexB.post(
      `/training/courses/${id}/feedback`,
      { rating: '4', comment: 'Good role plays.' },
      `/training/courses/${id}`,
    )
    assert.equal(res.status, 303)
    assert.equal(await count('training_feedback'), before + 1)
    const r = await s.courses.giveFeedback(
      { userId: await userId('key_worker.mdi'), username: 'key_worker.mdi', establishmentId: MDI },
      await mdiViewer('key_worker.mdi', false),
      id,
      { rating: 5, comment: '' },
    )
    assert.deepEqual(r, { ok: false, errors: { form: 'You have already given your feedback on this course' } })
    // Cal did not complete: no feedback from him
    const calR = await s.courses.giveFeedback(
      { userId: await userId('cal.mdi'), username: 'cal.mdi', establishmentId: MDI },
      await mdiViewer('cal.mdi', false),
      id,
      { rating: 1, comment: '' },
    )
    assert.equal(calR.ok, false)
    assert.equal(await count('training_feedback'), before + 1)

    const national = await as('national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    const page = await national.get('/training/feedback')
    assert.equal(page.status, 200)
    assert.match(page.text, /Motivational interviewing|KW-TOPUP-MI/)
    assert.match(page.text, /Version 1/)
    assert.match(page.text, /Good role plays\./)
    const ratings = await s.courses.ratings(null)
    assert.deepEqual(
      ratings.map(g => [g.moduleCode, g.programmeVersion, g.summary]),
      [['KW-TOPUP-MI', 1, { count: 1, mean: 4, distribution: [0, 0, 0, 1, 0] }]],
    )
    assert.deepEqual(await s.courses.ratings(LEI), [])
    const so = await as('supervising_officer.lei')
    assert.match((await so.get('/training/feedback')).text, /No feedback has been given yet/)
  })
})

describe('cancelling a course', () => {
  it('tells every officer enrolled or waiting, in the service and by email, and cancels their places', async () => {
    const id = await schedule('supervising_officer.mdi', { capacity: 1 })
    const so = await as('supervising_officer.mdi')
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(cal) }, `/training/courses/${id}`)
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(dee) }, `/training/courses/${id}`)
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(bea) }, `/training/courses/${id}`)
    assert.deepEqual(
      [(await enrolment(id, cal))?.status, (await enrolment(id, dee))?.status, (await enrolment(id, bea))?.status],
      ['enrolled', 'waiting', 'waiting'],
    )
    // no reason: nothing changes
    const empty = await so.post(`/training/courses/${id}/cancel`, { reason: '' })
    assert.equal(empty.status, 303)
    assert.match((await so.get(`/training/courses/${id}/cancel`)).text, /Enter the reason the course is cancelled/)
    assert.equal(
      (await db.selectFrom('training_courses').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'scheduled',
    )

    const noticesBefore = await db.selectFrom('user_notices').select('id').execute()
    const res = await so.post(`/training/courses/${id}/cancel`, { reason: 'The trainer is ill' })
    assert.equal(res.status, 303)
    assert.match((await so.get(`/training/courses/${id}`)).text, /Course cancelled: 3 officers were told/)
    const c = await db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(c.status, 'cancelled')
    assert.equal(c.cancel_reason, 'The trainer is ill')
    for (const staffId of [cal, dee, bea]) assert.equal((await enrolment(id, staffId))?.status, 'cancelled')
    const told = await db
      .selectFrom('user_notices')
      .selectAll()
      .where(
        'id',
        'not in',
        noticesBefore.map(n => n.id),
      )
      .orderBy('user_id')
      .execute()
    assert.deepEqual(
      told.map(n => [n.user_id, n.link]).sort(),
      [
        [await userId('cal.mdi'), `/training/courses/${id}`],
        [await userId('dee.mdi'), `/training/courses/${id}`],
      ].sort(),
    )
    assert.match(told[0]!.message, /is cancelled: The trainer is ill/)
    // emails to their user's address, else their staff record's; Bea has neither
    const emails = await db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('template', '=', 'training-course')
      .where('reference', 'like', `training-course-${id}-%`)
      .orderBy('to_address')
      .execute()
    assert.deepEqual(
      emails.map(e => e.to_address),
      ['cal@example.org', 'dee.staff@example.org'],
    )
    assert.match(emails[0]!.body, /The reason: The trainer is ill/)
    assert.match(emails[1]!.body, /place on the waiting list/)
    // a cancelled course takes no enrolment
    await so.post(`/training/courses/${id}/enrol`, { staffId: String(alex) }, `/training/courses/${id}`)
    assert.match((await so.get(`/training/courses/${id}`)).text, /This course has been cancelled/)
    assert.equal(await enrolment(id, alex), undefined)
  })

  it('a Key Worker may not cancel', async () => {
    const id = await schedule('supervising_officer.mdi')
    const kw = await as('key_worker.mdi')
    const res = await kw.post(`/training/courses/${id}/cancel`, { reason: 'x' }, `/training/courses/${id}`)
    assert.equal(res.status, 403)
  })
})

describe('establishments and regions', () => {
  it('another establishment’s course is not found (404), audited as refused', async () => {
    const leiCourse = await (async () => {
      const b = await as('supervising_officer.lei')
      const res = await b.post('/training/courses/new', {
        module: String(mi.id),
        ...dateFields('day1', addDays(today, 9)),
        day1Start: '09:00',
        day1End: '12:00',
        trainer: 'other',
        trainerName: 'Pat Lowe',
        place: 'Leeds training room',
        capacity: '4',
      })
      return Number(/(\d+)$/.exec(String(res.headers.location))![1])
    })()
    const so = await as('supervising_officer.mdi')
    for (const path of ['', '/register', '/complete', '/cancel'])
      assert.equal((await so.get(`/training/courses/${leiCourse}${path}`)).status, 404, path)
    const before = await count('training_enrolments')
    const res = await so.post(`/training/courses/${leiCourse}/enrol`, { staffId: String(bea) }, '/training/courses')
    assert.equal(res.status, 404)
    assert.equal(await count('training_enrolments'), before)
    const refused = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'refused')
      .where('entity', '=', 'training_course')
      .where('entity_id', '=', String(leiCourse))
      .execute()
    assert.ok(refused.length >= 5, `refusals audited: ${refused.length}`)
    assert.doesNotMatch((await so.get('/training/courses')).text, /Leeds training room/)
  })

  it('the national team schedules a regional course; officers of the region’s establishments enrol', async () => {
    const national = await as('national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    const form = await national.get('/training/courses/new')
    assert.equal(form.status, 200)
    assert.match(form.text, /Yorkshire/)
    const res = await national.post('/training/courses/new', {
      region: 'Yorkshire',
      module: String(initial.id),
      ...dateFields('day1', addDays(today, 20)),
      day1Start: '09:00',
      day1End: '17:00',
      trainer: 'other',
      trainerName: 'Regional trainer',
      place: 'York training centre',
      capacity: '20',
    })
    assert.equal(res.status, 303)
    const id = Number(/(\d+)$/.exec(String(res.headers.location))![1])
    const c = await db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual([c.establishment_id, c.region], [null, 'Yorkshire'])
    // a Key Worker of Leeds and one of Moorland enrol themselves
    const leeB = await as('key_worker.lei')
    assert.match((await leeB.get('/training/courses')).text, /York training centre/)
    await leeB.post(`/training/courses/${id}/enrol`, { self: 'yes' }, `/training/courses/${id}`)
    await (await as('key_worker.mdi')).post(`/training/courses/${id}/enrol`, { self: 'yes' }, `/training/courses/${id}`)
    assert.equal((await enrolment(id, lee))?.status, 'enrolled')
    assert.equal((await enrolment(id, alex))?.status, 'enrolled')
    // Moorland's SO sees only Moorland's officers on it; the national team sees both
    const soPage = await (await as('supervising_officer.mdi')).get(`/training/courses/${id}`)
    assert.match(soPage.text, /Alex Ash/)
    assert.doesNotMatch(soPage.text, /Lee Larch/)
    const nPage = await national.get(`/training/courses/${id}`)
    assert.match(nPage.text, /Lee Larch/)
    // an SO may not schedule a regional course
    const r = await s.courses.schedule(
      { userId: null, username: 'supervising_officer.mdi', establishmentId: MDI },
      await mdiViewer('supervising_officer.mdi', true),
      {
        moduleId: initial.id,
        days: [{ day: addDays(today, 5), startsAt: '09:00', endsAt: '12:00' }],
        trainerUserId: null,
        trainerName: 'X',
        place: 'Y',
        capacity: 5,
        notes: '',
        region: 'Yorkshire',
      },
      true,
    )
    assert.equal(r.ok, false)
  })
})

describe('concurrent enrolment for the last place', () => {
  it('two enrols at once: exactly one holds the place, the other waits', async () => {
    const id = await schedule('supervising_officer.mdi', { capacity: 2 })
    const actor = {
      userId: await userId('supervising_officer.mdi'),
      username: 'supervising_officer.mdi',
      establishmentId: MDI,
    }
    const v = await mdiViewer('supervising_officer.mdi', true)
    assert.equal((await s.courses.enrol(actor, v, id, alex)).ok, true)
    const results = await Promise.all([s.courses.enrol(actor, v, id, bea), s.courses.enrol(actor, v, id, cal)])
    assert.ok(results.every(r => r.ok))
    const statuses = results.map(r => (r.ok ? r.value.status : 'error')).sort()
    assert.deepEqual(statuses, ['enrolled', 'waiting'])
    const rows = await db.selectFrom('training_enrolments').select('status').where('course_id', '=', id).execute()
    assert.equal(rows.filter(r => r.status === 'enrolled').length, 2)
    assert.equal(rows.filter(r => r.status === 'waiting').length, 1)

    // many at once for one place left, on a fresh course: one place, the rest wait
    const id2 = await schedule('supervising_officer.mdi', { capacity: 1 })
    const all = await Promise.all([alex, bea, cal, dee].map(staffId => s.courses.enrol(actor, v, id2, staffId)))
    assert.deepEqual(all.map(r => (r.ok ? r.value.status : 'error')).sort(), [
      'enrolled',
      'waiting',
      'waiting',
      'waiting',
    ])
  })
})
