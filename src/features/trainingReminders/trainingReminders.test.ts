import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { DEFAULT_TRAINING_RULES, trainingStatus } from '../../domain/training'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { createUser, signedIn } from '../../../test/harness'
import { seededWorld, usernameFor } from '../../../test/fixtures'
import { entryOf, reviewed } from '../../../test/support/qa'
import { digestMessage, remindersDue } from './service'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
await s.training.ensureNational()
// the seeded Key Workers hold no caseload here: each test's establishment has only the officers it makes
await db.updateTable('staff').set({ key_worker: 0 }).execute()

// "today" for the daily job, worked by hand below: Thursday 2 July 2026
const TODAY = '2026-07-02'

type Table = 'user_notices' | 'outbox_emails' | 'training_reminders'
const countIn = async (table: Table, establishmentId: number) => {
  const r = await db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('establishment_id', '=', establishmentId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
const counts = async (establishmentId: number) => ({
  notices: await countIn('user_notices', establishmentId),
  emails: await countIn('outbox_emails', establishmentId),
  reminders: await countIn('training_reminders', establishmentId),
})
const countAll = async (table: 'training_assignments' | 'user_notices' | 'outbox_emails') => {
  const r = await db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

let estSeq = 0
/** A fresh establishment (its own officers and Supervising Officers), so each test counts only its own rows. */
async function establishment(sos = 1) {
  estSeq++
  const code = `T${String.fromCharCode(64 + estSeq)}${String.fromCharCode(64 + estSeq)}`
  const r = await s.establishments.create(SYSTEM_ACTOR, {
    code,
    name: `Test ${code} (HMP)`,
    category: 'Category B local',
    region: 'Yorkshire',
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  const id = r.value
  const soIds: number[] = []
  for (let i = 1; i <= sos; i++) {
    const userId = await createUser(s, `so${i}.${code.toLowerCase()}`, [
      { role: 'SUPERVISING_OFFICER', establishmentId: id },
    ])
    await db
      .updateTable('users')
      .set({ email: `so${i}.${code.toLowerCase()}@example.gov.uk` })
      .where('id', '=', userId)
      .execute()
    soIds.push(userId)
  }
  return { id, code, soIds }
}

let staffSeq = 0
/** A Key Worker with an account and an email, started in post on `started`. */
async function officer(establishmentId: number, name: string, started: string | null, opts: { status?: string } = {}) {
  staffSeq++
  const username = `kw${staffSeq}`
  const userId = await createUser(s, username, [{ role: 'KEY_WORKER', establishmentId }])
  const now = new Date().toISOString()
  const [first, last] = name.split(' ') as [string, string]
  const row = await db
    .insertInto('staff')
    .values({
      establishment_id: establishmentId,
      staff_number: `TS${staffSeq}`,
      first_name: first,
      last_name: last,
      grade: 'Band 3',
      email: `${username}@example.gov.uk`,
      working_pattern: 'full_time',
      weekly_hours: 37,
      started_in_post: started,
      languages: 'en',
      status: opts.status ?? 'active',
      status_return_date: null,
      home_unit_id: null,
      user_id: userId,
      key_worker: 1,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { staffId: row.id, userId, email: `${username}@example.gov.uk` }
}

/** A completion written straight to its table (training records' own tests cover recording them). */
async function completed(
  establishmentId: number,
  staffId: number,
  moduleCode: string,
  kind: 'initial' | 'topup' | 'local',
  on: string,
  outcome: 'completed' | 'passed' | 'failed' = 'passed',
) {
  await db
    .insertInto('training_completions')
    .values({
      establishment_id: establishmentId,
      staff_id: staffId,
      module_id: null,
      module_code: moduleCode,
      kind,
      title: moduleCode,
      completed_on: on,
      hours: kind === 'initial' ? 30 : 3,
      outcome,
      evidence: '',
      source: 'manual',
      course_id: null,
      external_id: null,
      recorded_at: `${on}T12:00:00.000Z`,
      recorded_by: 'test',
      voided_at: null,
      voided_by: null,
      void_reason: null,
    })
    .execute()
}

const remindersOf = (staffId: number) =>
  db
    .selectFrom('training_reminders')
    .select(['subject', 'kind', 'about_date', 'sent_on'])
    .where('staff_id', '=', staffId)
    .orderBy('id')
    .execute()

const noticesOf = (userId: number) =>
  db
    .selectFrom('user_notices')
    .select(['kind', 'message', 'link'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute()

const emailsTo = (to: string) =>
  db
    .selectFrom('outbox_emails')
    .select(['template', 'subject', 'body', 'status'])
    .where('to_address', '=', to)
    .execute()

describe('what an officer is reminded of (worked by hand)', () => {
  const rules = DEFAULT_TRAINING_RULES // window 3 to 9 months, top-up every 12 months
  it('the initial course: due once the window opens (start + 3 months), overdue the day after it closes (+ 9)', () => {
    // started 1 April 2026: the window opens 1 July 2026 and closes 1 January 2027
    const due = remindersDue(trainingStatus(rules, '2026-04-01', [], TODAY), [], TODAY)
    assert.deepEqual(
      due.map(d => [d.subject, d.kind, d.aboutDate]),
      [['KW-INITIAL', 'due', '2026-07-01']],
    )
    assert.equal(due[0]!.line, 'Your initial Key Worker course is due: take it by 1 January 2027')
    // started 3 April 2026: the window opens tomorrow, nothing yet
    assert.deepEqual(remindersDue(trainingStatus(rules, '2026-04-03', [], TODAY), [], TODAY), [])
    // started 2 October 2025: the window closes today, still due; started 30 September 2025: closed 30 June, overdue
    assert.deepEqual(
      remindersDue(trainingStatus(rules, '2025-10-02', [], TODAY), [], TODAY).map(d => [d.kind, d.aboutDate]),
      [['due', '2026-01-02']],
    )
    assert.deepEqual(
      remindersDue(trainingStatus(rules, '2025-09-30', [], TODAY), [], TODAY).map(d => [d.kind, d.aboutDate]),
      [['overdue', '2026-06-30']],
    )
  })

  it('a top-up: expiring from 30 days before it falls due (12 months after the last), expired after', () => {
    const done = (on: string) => [
      { moduleCode: 'KW-INITIAL', kind: 'initial' as const, completedOn: on, hours: 30, outcome: 'passed' as const },
    ]
    // initial course 1 August 2025: top-up due 1 August 2026, 30 days away: expiring
    assert.deepEqual(
      remindersDue(trainingStatus(rules, '2025-01-01', done('2025-08-01'), TODAY), [], TODAY).map(d => [
        d.subject,
        d.kind,
        d.aboutDate,
      ]),
      [['topup', 'expiring', '2026-08-01']],
    )
    // 2 August 2025: due 2 August 2026, 31 days away: nothing yet
    assert.deepEqual(remindersDue(trainingStatus(rules, '2025-01-01', done('2025-08-02'), TODAY), [], TODAY), [])
    // 1 July 2025: due 1 July 2026, yesterday: expired
    assert.deepEqual(
      remindersDue(trainingStatus(rules, '2025-01-01', done('2025-07-01'), TODAY), [], TODAY).map(d => [
        d.subject,
        d.kind,
        d.aboutDate,
      ]),
      [['topup', 'overdue', '2026-07-01']],
    )
  })

  it('an assigned module: overdue the day after it was due, unless met', () => {
    const status = trainingStatus(rules, null, [], TODAY)
    const a = { moduleCode: 'KW-TOPUP-MI', moduleTitle: 'MI refresher', met: false }
    assert.deepEqual(remindersDue(status, [{ ...a, dueOn: TODAY }], TODAY), [])
    assert.deepEqual(
      remindersDue(status, [{ ...a, dueOn: '2026-07-01' }], TODAY).map(d => [d.subject, d.kind, d.aboutDate]),
      [['KW-TOPUP-MI', 'overdue', '2026-07-01']],
    )
    assert.deepEqual(remindersDue(status, [{ ...a, dueOn: '2026-07-01', met: true }], TODAY), [])
  })

  it('a digest names each officer, and says how many more when it would pass 500 characters', () => {
    const line = { soLine: 'initial course overdue since 30 June 2026' }
    assert.equal(
      digestMessage([{ name: 'Ann Lee', lines: [line] }]),
      'Training reminders for 1 officer: Ann Lee, initial course overdue since 30 June 2026',
    )
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `Officer ${i + 1}`, lines: [line] }))
    const m = digestMessage(many)
    assert.ok(m.length <= 500, `${m.length} characters`)
    assert.match(m, /^Training reminders for 20 officers: Officer 1, initial course overdue since 30 June 2026\. /)
    assert.match(m, / and \d+ more$/)
  })
})

describe('the daily job', () => {
  it('tells an officer whose window opened yesterday once: a second run the same day or the next sends nothing twice', async () => {
    const est = await establishment()
    const ann = await officer(est.id, 'Ann Lee', '2026-04-01') // window opened 1 July 2026, yesterday
    const bob = await officer(est.id, 'Bob Khan', '2026-04-03') // opens 3 July 2026, tomorrow
    const before = await counts(est.id)
    assert.deepEqual(before, { notices: 0, emails: 0, reminders: 0 })

    const first = await s.trainingReminders.run(TODAY)
    assert.ok(first.sent >= 1)
    assert.deepEqual(await remindersOf(ann.staffId), [
      { subject: 'KW-INITIAL', kind: 'due', about_date: '2026-07-01', sent_on: TODAY },
    ])
    assert.deepEqual(await remindersOf(bob.staffId), [])
    assert.deepEqual(await noticesOf(ann.userId), [
      {
        kind: 'training-reminder',
        message: 'Your initial Key Worker course is due: take it by 1 January 2027',
        link: '/training',
      },
    ])
    assert.deepEqual(await noticesOf(bob.userId), [])
    const mail = await emailsTo(ann.email)
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.template, 'training-reminder')
    assert.equal(mail[0]!.status, 'outbox')
    assert.match(mail[0]!.body, /Your initial Key Worker course is due: take it by 1 January 2027\./)
    // Ann's notice and email, the SO's digest notice and email, one reminder
    assert.deepEqual(await counts(est.id), { notices: 2, emails: 2, reminders: 1 })
    // audited: the reminders (naming the officers told) and the emails, one event each for the establishment
    const events = await db
      .selectFrom('audit_events')
      .select(['entity', 'changes'])
      .where('establishment_id', '=', est.id)
      .where('action', '=', 'create')
      .where('entity', 'in', ['training_reminder', 'outbox_email'])
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map(e => e.entity),
      ['training_reminder', 'outbox_email'],
    )
    const told = JSON.parse(events[0]!.changes!) as { reminders: number; officers: number[] }
    assert.equal(told.reminders, 1)
    assert.deepEqual(told.officers, [ann.staffId])
    assert.equal((JSON.parse(events[1]!.changes!) as { emails: number[] }).emails.length, 2)

    const again = await s.trainingReminders.run(TODAY)
    assert.deepEqual(await counts(est.id), { notices: 2, emails: 2, reminders: 1 })
    assert.equal(again.sent, 0, 'nothing anywhere is new the same day')

    // the next day: Bob's window opens (told once); Ann is told nothing again
    await s.trainingReminders.run('2026-07-03')
    assert.equal((await noticesOf(ann.userId)).length, 1)
    assert.deepEqual(await remindersOf(bob.staffId), [
      { subject: 'KW-INITIAL', kind: 'due', about_date: '2026-07-03', sent_on: '2026-07-03' },
    ])
    assert.deepEqual(await counts(est.id), { notices: 4, emails: 4, reminders: 2 })
    await s.trainingReminders.run('2026-07-03')
    await s.trainingReminders.run('2026-07-04')
    assert.deepEqual(await counts(est.id), { notices: 4, emails: 4, reminders: 2 })
  })

  it('reminds of a top-up expiring in 30 days, not of one in 31; of an expired top-up; of an overdue initial course', async () => {
    const est = await establishment()
    const cara = await officer(est.id, 'Cara Ode', '2025-01-06')
    await completed(est.id, cara.staffId, 'KW-INITIAL', 'initial', '2025-08-01') // top-up due 1 Aug 2026: 30 days
    const dev = await officer(est.id, 'Dev Shah', '2025-01-06')
    await completed(est.id, dev.staffId, 'KW-INITIAL', 'initial', '2025-08-02') // due 2 Aug 2026: 31 days
    const eve = await officer(est.id, 'Eve Roy', '2025-09-30') // window closed 30 June 2026: overdue
    const fay = await officer(est.id, 'Fay Hill', '2024-01-08')
    await completed(est.id, fay.staffId, 'KW-INITIAL', 'initial', '2025-05-01')
    await completed(est.id, fay.staffId, 'KW-TOPUP-MI', 'topup', '2025-06-20') // due 20 June 2026: expired
    // a failed initial course and a voided one count for nothing: Gus is overdue (window closed 9 March 2026)
    const gus = await officer(est.id, 'Gus Ali', '2025-06-09')
    await completed(est.id, gus.staffId, 'KW-INITIAL', 'initial', '2026-01-10', 'failed')
    await completed(est.id, gus.staffId, 'KW-INITIAL', 'initial', '2026-01-20')
    await db
      .updateTable('training_completions')
      .set({ voided_at: '2026-01-21T09:00:00.000Z', voided_by: 'test', void_reason: 'wrong officer' })
      .where('staff_id', '=', gus.staffId)
      .where('completed_on', '=', '2026-01-20')
      .execute()
    // an officer who has left is never reminded
    const hal = await officer(est.id, 'Hal Poe', '2025-09-30', { status: 'inactive' })

    await s.trainingReminders.run(TODAY)
    const of = async (o: { staffId: number }) =>
      (await remindersOf(o.staffId)).map(r => `${r.subject} ${r.kind} ${r.about_date}`)
    assert.deepEqual(await of(cara), ['topup expiring 2026-08-01'])
    assert.deepEqual(await of(dev), [])
    assert.deepEqual(await of(eve), ['KW-INITIAL overdue 2026-06-30'])
    assert.deepEqual(await of(fay), ['topup overdue 2026-06-20'])
    assert.deepEqual(await of(gus), ['KW-INITIAL overdue 2026-03-09'])
    assert.deepEqual(await of(hal), [])
    assert.deepEqual(
      (await noticesOf(cara.userId)).map(n => n.message),
      ['Your top-up training expires on 1 August 2026: take a top-up module before then'],
    )
    assert.deepEqual(
      (await noticesOf(eve.userId)).map(n => n.message),
      ['Your initial Key Worker course is overdue: it was due by 30 June 2026'],
    )
    assert.deepEqual(
      (await noticesOf(fay.userId)).map(n => n.message),
      ['Your top-up training expired on 20 June 2026: take a top-up module'],
    )
    assert.deepEqual(await noticesOf(dev.userId), [])
    assert.deepEqual(await noticesOf(hal.userId), [])

    // the next day Dev's top-up is 30 days away: told then, and only Dev
    const before = await counts(est.id)
    await s.trainingReminders.run('2026-07-03')
    assert.deepEqual(await of(dev), ['topup expiring 2026-08-02'])
    // Dev's notice and email, and the SO's digest notice and email
    assert.deepEqual(await counts(est.id), {
      notices: before.notices + 2,
      emails: before.emails + 2,
      reminders: before.reminders + 1,
    })
  })

  it('sends each Supervising Officer one digest a run listing their officers, and nothing more on the next run', async () => {
    const est = await establishment(2)
    await officer(est.id, 'Ivy Moss', '2026-04-01') // due
    await officer(est.id, 'Jon Reed', '2025-09-30') // overdue
    await officer(est.id, 'Kim Park', '2026-05-01') // not yet due: not in the digest
    // a Supervising Officer of another establishment hears nothing of these officers
    const other = await establishment(1)
    await s.trainingReminders.run(TODAY)
    for (const so of est.soIds) {
      const notices = await noticesOf(so)
      assert.equal(notices.length, 1)
      assert.equal(notices[0]!.kind, 'training-reminder-digest')
      assert.equal(
        notices[0]!.message,
        'Training reminders for 2 officers: Ivy Moss, initial course due, to take by 1 January 2027. ' +
          'Jon Reed, initial course overdue since 30 June 2026',
      )
    }
    assert.deepEqual(await noticesOf(other.soIds[0]!), [])
    const mail = await emailsTo(`so1.${est.code.toLowerCase()}@example.gov.uk`)
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.subject, 'Key Worker training: 2 officers to follow up')
    assert.match(mail[0]!.body, /Ivy Moss: initial course due, to take by 1 January 2027\nJon Reed: initial course/)
    // 2 officers' notices and emails, 2 digests and their emails
    assert.deepEqual(await counts(est.id), { notices: 4, emails: 4, reminders: 2 })
    await s.trainingReminders.run(TODAY)
    await s.trainingReminders.run('2026-07-03')
    assert.deepEqual(await counts(est.id), { notices: 4, emails: 4, reminders: 2 })
    for (const so of est.soIds) assert.equal((await noticesOf(so)).length, 1)
  })

  it('reminds of an assigned module not done by its due date, and not of one met or cancelled', async () => {
    const est = await establishment()
    const lea = await officer(est.id, 'Lea Fox', '2024-01-08')
    await completed(est.id, lea.staffId, 'KW-INITIAL', 'initial', '2026-01-15') // top-up current: due 15 Jan 2027
    const assign = (module_code: string, due_on: string, cancelled_at: string | null = null) =>
      db
        .insertInto('training_assignments')
        .values({
          establishment_id: est.id,
          staff_id: lea.staffId,
          module_code,
          review_id: null,
          reason: 'From a QA review',
          due_on,
          assigned_at: '2026-06-01T09:00:00.000Z',
          assigned_by_user_id: est.soIds[0]!,
          assigned_by: 'so1',
          cancelled_at,
        })
        .execute()
    await assign('KW-TOPUP-MI', '2026-06-30') // not done: overdue
    await assign('KW-TOPUP-ENTRIES', '2026-06-30') // done on 10 June, after it was assigned: met
    await completed(est.id, lea.staffId, 'KW-TOPUP-ENTRIES', 'topup', '2026-06-10')
    await assign('KW-TOPUP-MH', '2026-06-30') // done on 20 May, before it was assigned: not met, overdue
    await completed(est.id, lea.staffId, 'KW-TOPUP-MH', 'topup', '2026-05-20')
    await assign('KW-TOPUP-PATHWAYS', '2026-06-30', '2026-06-02T09:00:00.000Z') // cancelled
    await s.trainingReminders.run(TODAY)
    assert.deepEqual(
      (await remindersOf(lea.staffId)).map(r => `${r.subject} ${r.kind} ${r.about_date}`),
      ['KW-TOPUP-MI overdue 2026-06-30', 'KW-TOPUP-MH overdue 2026-06-30'],
    )
    const [notice] = await noticesOf(lea.userId)
    assert.match(
      notice!.message,
      /^“Motivational interviewing[^”]*”, assigned to you, is overdue: it was due by 30 June 2026/,
    )
    // what her record shows: the three open assignments, one met
    const mine = await s.trainingReminders.assignmentsFor(lea.staffId)
    assert.deepEqual(
      mine.map(a => [a.moduleCode, a.met, a.metOn, a.overdue]),
      [
        ['KW-TOPUP-MI', false, null, a0(mine, 'KW-TOPUP-MI')],
        ['KW-TOPUP-ENTRIES', true, '2026-06-10', false],
        ['KW-TOPUP-MH', false, null, a0(mine, 'KW-TOPUP-MH')],
      ],
    )
    assert.ok(mine.every(a => a.moduleTitle !== a.moduleCode && a.moduleTitle.length > 0))
  })
})

/** An assignment due 30 June 2026 not met is overdue by the real clock whenever these tests run after it. */
function a0(list: { moduleCode: string; dueOn: string; met: boolean }[], code: string) {
  const a = list.find(x => x.moduleCode === code)!
  return !a.met && a.dueOn < todayIso()
}

describe('assigning a top-up module from a QA review', () => {
  const mdi = world.seeded.MDI
  const lei = world.seeded.LEI
  let reviewId = 0
  let leiReviewId = 0
  let kwUserId = 0
  const due = addDays(todayIso(), 14)
  const [dy, dm, dd] = due.split('-')
  const dueFields = { 'dueOn-day': String(Number(dd)), 'dueOn-month': String(Number(dm)), 'dueOn-year': dy! }

  before(async () => {
    // the seeded Key Worker's staff record belongs to the Key Worker user, with an email
    kwUserId = (
      await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', usernameFor('KEY_WORKER'))
        .executeTakeFirstOrThrow()
    ).id
    await db
      .updateTable('staff')
      .set({ user_id: kwUserId, email: 'sam.officer@example.gov.uk' })
      .where('id', '=', mdi.staffId)
      .execute()
    const entry = await entryOf(s, {
      establishmentId: mdi.establishmentId,
      prisonNumber: mdi.prisonNumber,
      staffId: mdi.staffId,
      authorUsername: usernameFor('KEY_WORKER'),
    })
    reviewId = await reviewed(s, {
      establishmentId: mdi.establishmentId,
      sessionId: entry,
      reviewerUsername: usernameFor('SUPERVISING_OFFICER'),
    })
    const leiEntry = await entryOf(s, {
      establishmentId: lei.establishmentId,
      prisonNumber: lei.prisonNumber,
      staffId: lei.staffId,
      authorUsername: usernameFor('KEY_WORKER', 'LEI'),
    })
    leiReviewId = await reviewed(s, {
      establishmentId: lei.establishmentId,
      sessionId: leiEntry,
      reviewerUsername: usernameFor('SUPERVISING_OFFICER', 'LEI'),
    })
  })

  it('offers the Supervising Officer the link on their review, and assigns: saved, audited, the officer told', async () => {
    const so = await signedIn(world, usernameFor('SUPERVISING_OFFICER'))
    const page = await so.get(`/quality/review?id=${reviewId}`)
    assert.equal(page.status, 200)
    assert.match(page.text, new RegExp(`href="/training/assign\\?review=${reviewId}">Assign a top-up module</a>`))
    const admin = await signedIn(world, usernameFor('ESTABLISHMENT_ADMIN'))
    assert.doesNotMatch((await admin.get(`/quality/review?id=${reviewId}`)).text, /Assign a top-up module/)

    const form = await so.get(`/training/assign?review=${reviewId}`)
    assert.equal(form.status, 200)
    assert.match(form.text, /Assign a top-up module to Sam Officer MDI/)
    assert.match(form.text, /<option value="KW-TOPUP-MI">/)
    assert.doesNotMatch(form.text, /<option value="KW-INITIAL">/, 'the initial course is not a top-up')
    assert.doesNotMatch(form.text, /name="staffId"/, 'the officer is the review’s')

    const before = { assignments: await countAll('training_assignments'), emails: await countAll('outbox_emails') }
    const res = await so.post(
      `/training/assign?review=${reviewId}`,
      { moduleCode: 'KW-TOPUP-MI', reason: 'Open questions would help the prisoner talk.', ...dueFields },
      `/training/assign?review=${reviewId}`,
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/quality/review?id=${reviewId}`)
    assert.equal(await countAll('training_assignments'), before.assignments + 1)
    const row = await db.selectFrom('training_assignments').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, mdi.establishmentId)
    assert.equal(row.staff_id, mdi.staffId)
    assert.equal(row.review_id, reviewId)
    assert.equal(row.module_code, 'KW-TOPUP-MI')
    assert.equal(row.due_on, due)
    assert.equal(row.assigned_by, usernameFor('SUPERVISING_OFFICER'))
    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity', '=', 'training_assignment')
      .where('entity_id', '=', String(row.id))
      .execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.action, 'create')
    const notices = await noticesOf(kwUserId)
    assert.equal(notices.at(-1)!.kind, 'training-assigned')
    assert.match(notices.at(-1)!.message, /asked you to take “Motivational interviewing/)
    assert.equal(await countAll('outbox_emails'), before.emails + 1)
    const [mail, ...more] = (await emailsTo('sam.officer@example.gov.uk')).filter(
      m => m.template === 'training-reminder',
    )
    assert.equal(more.length, 0)
    assert.equal(mail!.subject, 'Training to take: Motivational interviewing refresher')
    assert.match(mail!.body, /Why: Open questions would help the prisoner talk\./)

    // on the officer's record (for training records) and the establishment's list
    const mine = await s.trainingReminders.assignmentsFor(mdi.staffId, mdi.establishmentId)
    assert.equal(mine.length, 1)
    assert.equal(mine[0]!.reviewId, reviewId)
    assert.equal(mine[0]!.dueOn, due)
    assert.equal(mine[0]!.met, false)
    assert.equal(mine[0]!.overdue, false)
    assert.match(mine[0]!.moduleTitle, /^Motivational interviewing/)
    assert.deepEqual(await s.trainingReminders.assignmentsFor(mdi.staffId, lei.establishmentId), [])
    const list = await admin.get('/training/assignments')
    assert.equal(list.status, 200)
    assert.match(list.text, /Sam Officer MDI/)
    assert.match(list.text, /Open questions would help the prisoner talk\./)
    assert.doesNotMatch(list.text, /undefined|\[object Object\]|KW-TOPUP/)

    // the admin cancels it: audited; no longer on the record
    const cancel = await admin.post(
      '/training/assignments/cancel',
      { assignment: String(row.id) },
      '/training/assignments',
    )
    assert.equal(cancel.status, 303)
    const after = await db
      .selectFrom('training_assignments')
      .select('cancelled_at')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow()
    assert.ok(after.cancelled_at)
    assert.deepEqual(await s.trainingReminders.assignmentsFor(mdi.staffId), [])
    const again = await admin.post(
      '/training/assignments/cancel',
      { assignment: String(row.id) },
      '/training/assignments',
    )
    assert.equal(again.status, 303)
    assert.match((await admin.get('/training/assignments')).text, /This assignment was already cancelled/)
  })

  it('refuses another establishment’s review and assignment (404, audited), saving nothing', async () => {
    const so = await signedIn(world, usernameFor('SUPERVISING_OFFICER'))
    const soId = (
      await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', usernameFor('SUPERVISING_OFFICER'))
        .executeTakeFirstOrThrow()
    ).id
    const before = await countAll('training_assignments')
    const refusedBefore = await db
      .selectFrom('audit_events')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'refused')
      .where('user_id', '=', soId)
      .executeTakeFirstOrThrow()
    assert.equal((await so.get(`/training/assign?review=${leiReviewId}`)).status, 404)
    const res = await so.post(
      `/training/assign?review=${leiReviewId}`,
      { moduleCode: 'KW-TOPUP-MI', reason: 'Across establishments.', ...dueFields },
      '/training/assign',
    )
    assert.equal(res.status, 404)
    assert.equal((await so.get('/training/assign?review=99999')).status, 404)
    assert.equal(await countAll('training_assignments'), before)
    const refused = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'refused')
      .where('user_id', '=', soId)
      .orderBy('id')
      .execute()
    assert.equal(refused.length, Number(refusedBefore.n) + 3)
    assert.equal(refused.at(-3)!.entity, 'qa_review')
    assert.equal(refused.at(-3)!.entity_id, String(leiReviewId))

    // by hand, another establishment's officer is not found
    const hand = await so.post(
      '/training/assign',
      { staffId: String(lei.staffId), moduleCode: 'KW-TOPUP-MI', reason: 'Across establishments.', ...dueFields },
      '/training/assign',
    )
    assert.equal(hand.status, 303)
    assert.equal(hand.headers.location, '/training/assign')
    assert.match((await so.get('/training/assign')).text, /Choose an officer of this establishment/)
    assert.equal(await countAll('training_assignments'), before)

    // LEI's assignment, cancelled from MDI: 404, still open
    const leiSo = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', usernameFor('SUPERVISING_OFFICER', 'LEI'))
      .executeTakeFirstOrThrow()
    const r = await s.trainingReminders.assign(
      { userId: leiSo.id, username: 'supervising_officer.lei', establishmentId: lei.establishmentId },
      lei.establishmentId,
      { staffId: lei.staffId, reviewId: leiReviewId, moduleCode: 'KW-TOPUP-MH', reason: 'A refresher.', dueOn: due },
    )
    assert.ok(r.ok)
    const admin = await signedIn(world, usernameFor('ESTABLISHMENT_ADMIN'))
    const cancel = await admin.post(
      '/training/assignments/cancel',
      { assignment: String(r.value) },
      '/training/assignments',
    )
    assert.equal(cancel.status, 404)
    const row = await db
      .selectFrom('training_assignments')
      .select('cancelled_at')
      .where('id', '=', r.value)
      .executeTakeFirstOrThrow()
    assert.equal(row.cancelled_at, null)
    assert.doesNotMatch((await admin.get('/training/assignments')).text, /Officer LEI/)
  })

  it('bad input saves nothing and lists every problem', async () => {
    const so = await signedIn(world, usernameFor('SUPERVISING_OFFICER'))
    const path = `/training/assign?review=${reviewId}`
    const before = {
      assignments: await countAll('training_assignments'),
      notices: await countAll('user_notices'),
      emails: await countAll('outbox_emails'),
    }
    const empty = await so.post(path, {}, path)
    assert.equal(empty.status, 303)
    assert.equal(empty.headers.location, path)
    const page = await so.get(path)
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Enter the module to assign/)
    assert.match(page.text, /Enter why you are assigning it/)
    assert.match(page.text, /Enter the date it is due/)

    const yesterday = addDays(todayIso(), -1).split('-')
    await so.post(
      path,
      {
        moduleCode: 'KW-INITIAL',
        reason: 'Past date and not a top-up.',
        'dueOn-day': String(Number(yesterday[2])),
        'dueOn-month': String(Number(yesterday[1])),
        'dueOn-year': yesterday[0]!,
      },
      path,
    )
    const page2 = await so.get(path)
    assert.match(page2.text, /The date it is due must be today or in the future/)
    await so.post(path, { moduleCode: 'KW-INITIAL', reason: 'Not a top-up.', ...dueFields }, path)
    assert.match((await so.get(path)).text, /Choose a top-up or local module/)
    await so.post(
      path,
      { moduleCode: 'KW-TOPUP-MI', reason: 'Bad date.', 'dueOn-day': '31', 'dueOn-month': '2', 'dueOn-year': '2027' },
      path,
    )
    assert.match((await so.get(path)).text, /must be a real date/)
    // by hand with no officer chosen
    await so.post(
      '/training/assign',
      { moduleCode: 'KW-TOPUP-MI', reason: 'No one.', ...dueFields },
      '/training/assign',
    )
    assert.match((await so.get('/training/assign')).text, /Choose the officer/)

    assert.deepEqual(
      {
        assignments: await countAll('training_assignments'),
        notices: await countAll('user_notices'),
        emails: await countAll('outbox_emails'),
      },
      before,
    )
    // a Key Worker may not assign
    const kw = await signedIn(world, usernameFor('KEY_WORKER'))
    assert.equal((await kw.get(path)).status, 403)
  })
})
