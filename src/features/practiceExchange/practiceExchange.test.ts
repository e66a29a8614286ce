import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Kysely } from 'kysely'
import { signedIn, testWorld } from '../../../test/harness'
import { insertOfficer } from '../../../test/support/statisticsFixtures'
import { addPrisoner, userIdOf } from '../../../test/support/qualityFixtures'
import { insertSession } from '../../../test/support/referrals'
import { addUnits } from '../../../test/support/imports'
import type { Database } from '../../platform/db/types'
import type { Actor } from '../../platform/audit/service'
import type { SubmissionInput } from './schema'

// Good practice that travels (issue 17): the figures a submission carries, counted by hand from a world of two
// establishments; the review's states; each establishment's submissions its own until published; the searches with
// % and _ taken literally; answers that tell the asker; bad input that saves nothing; who may do what.

let world: Awaited<ReturnType<typeof testWorld>>
let db: Kysely<Database>
let mdi: number
let lei: number
let soMdi: Actor
let soLei: Actor
let eaMdi: Actor
let national: Actor

const s = () => world.services.practiceExchange

/** A man in custody since 2024 on the unit (created through the prisoners service, with his custody history). */
const prisoner = (establishmentId: number, n: number, unitCode: string) =>
  addPrisoner(world.services, establishmentId, {
    prisonNumber: `P${1000 + n}PE`,
    lastName: `Exchange ${n}`,
    unit: unitCode,
  })

async function allocate(establishmentId: number, prisonerId: number, staffId: number) {
  await db
    .insertInto('allocations')
    .values({
      establishment_id: establishmentId,
      prisoner_id: prisonerId,
      staff_id: staffId,
      allocated_at: '2026-01-01T09:00:00.000Z',
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

async function session(
  establishmentId: number,
  prisonerId: number,
  staffId: number,
  date: string,
  interpreter: { needed: number; used: number | null } = { needed: 0, used: 0 },
) {
  const id = await insertSession(db, { establishmentId, prisonerId, staffId, author: 'test', sessionDate: date })
  await db
    .updateTable('key_work_sessions')
    .set({ interpreter_needed: interpreter.needed, interpreter_used: interpreter.used })
    .where('id', '=', id)
    .execute()
}

const actorOf = async (username: string, establishmentId: number | null): Promise<Actor> => ({
  userId: await userIdOf(db, username),
  username,
  establishmentId,
})

/** January 2026 against February 2026, with the three measures the small world can show, and the QA score. */
const input = (over: Partial<SubmissionInput> = {}): SubmissionInput => ({
  title: 'Weekly sessions on the induction wing',
  whatTheyDid: 'Each Key Worker booked a fixed weekly slot with each man on their caseload.',
  whatChanged: 'Sessions happened every week instead of in bursts.',
  evidence: null,
  pathways: ['accommodation'],
  measures: ['compliance', 'seen28', 'interpreter', 'qaScore'],
  before: { from: '2026-01', to: '2026-01' },
  after: { from: '2026-02', to: '2026-02' },
  ...over,
})

const count = async (table: 'practice_submissions' | 'practice_questions' | 'user_notices' | 'audit_events') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

before(async () => {
  world = await testWorld()
  db = world.services.db.db
  mdi = world.est.MDI!
  lei = world.est.LEI!
  // weekly sessions at both (set before anything reads the establishments: the service keeps them a while)
  await db.updateTable('establishments').set({ frequency_weeks: 1 }).where('id', 'in', [mdi, lei]).execute()
  soMdi = await actorOf('supervising_officer.mdi', mdi)
  soLei = await actorOf('supervising_officer.lei', lei)
  eaMdi = await actorOf('establishment_admin.mdi', mdi)
  national = await actorOf('national', null)

  // MDI: one man, in custody since 2024, allocated on 1 January, so eligible every day of January (31 days)
  // and of February (28 days).
  await addUnits(world.services, mdi, ['PA'])
  const s1 = await insertOfficer(db, { establishmentId: mdi, staffNumber: 'PE1', lastName: 'Exchange' })
  const p1 = await prisoner(mdi, 1, 'PA')
  await allocate(mdi, p1, s1)
  // January: two sessions at the start of the month; the second needed an interpreter and had none
  await session(mdi, p1, s1, '2026-01-01')
  await session(mdi, p1, s1, '2026-01-02', { needed: 1, used: 0 })
  // February: one every week; two needed an interpreter, the first of them had one
  await session(mdi, p1, s1, '2026-02-02')
  await session(mdi, p1, s1, '2026-02-09', { needed: 1, used: 1 })
  await session(mdi, p1, s1, '2026-02-16', { needed: 1, used: 0 })
  await session(mdi, p1, s1, '2026-02-23')
  // LEI: another man seen every day of the first week of January; none of it is MDI's
  await addUnits(world.services, lei, ['PB'])
  const s2 = await insertOfficer(db, { establishmentId: lei, staffNumber: 'PE2', lastName: 'Other' })
  const p2 = await prisoner(lei, 2, 'PB')
  await allocate(lei, p2, s2)
  for (const d of ['01', '02', '03', '04', '05', '06', '07']) await session(lei, p2, s2, `2026-01-${d}`)
  await world.services.statistics.rebuild()
})
after(() => world.close())

describe('the figures a submission carries', () => {
  it('takes each measure for each period from keywork’s data, worked by hand', async () => {
    const r = await s().submit(soMdi, mdi, input())
    assert.ok(r.ok, JSON.stringify(r))
    const row = await s().submission(mdi, r.value)
    const by = Object.fromEntries(row!.snapshot.map(f => [f.measure, f]))
    // Compliance = delivered ÷ projected × 100; projected = eligible days ÷ 7 (weekly).
    // January: 2 delivered; 31 eligible days ÷ 7 = 4.428…; 2 ÷ (31/7) × 100 = 1400/31 = 45.16…%
    // (LEI's 7 sessions in January do not count). February: 4 delivered; 28 ÷ 7 = 4; 4 ÷ 4 × 100 = 100%.
    assert.ok(Math.abs(by.compliance!.before.value! - 1400 / 31) < 1e-9, String(by.compliance!.before.value))
    assert.equal(by.compliance!.before.n, 4.4) // 31 / 7 = 4.43, to one decimal place
    assert.ok(Math.abs(by.compliance!.after.value! - 100) < 1e-9)
    assert.equal(by.compliance!.after.n, 4)
    // Seen in 28 days, of the men eligible on the last day: on 31 January his last session (2 January) was 29 days
    // before: 0 of 1 = 0%. On 28 February his last (23 February) was 5 days before: 1 of 1 = 100%.
    assert.deepEqual(by.seen28!.before, { value: 0, n: 1 })
    assert.deepEqual(by.seen28!.after, { value: 100, n: 1 })
    // Interpreter used, of the sessions that needed one: January 0 of 1 = 0%; February 1 of 2 = 50%.
    assert.deepEqual(by.interpreter!.before, { value: 0, n: 1 })
    assert.deepEqual(by.interpreter!.after, { value: 50, n: 2 })
    // No entry was reviewed: no QA score, on 0 reviews.
    assert.deepEqual(by.qaScore!.before, { value: null, n: 0 })
  })

  it('keeps the figures as they were: a session recorded later does not change a submission', async () => {
    const r = await s().submit(soMdi, mdi, input({ measures: ['compliance'] }))
    assert.ok(r.ok)
    const first = (await s().submission(mdi, r.value))!.figures
    const p = await db
      .selectFrom('prisoners')
      .select(['id'])
      .where('prison_number', '=', 'P1001PE')
      .executeTakeFirstOrThrow()
    const st = await db.selectFrom('staff').select('id').where('staff_number', '=', 'PE1').executeTakeFirstOrThrow()
    await session(mdi, p.id, st.id, '2026-01-20')
    await world.services.statistics.rebuild(mdi)
    assert.equal((await s().submission(mdi, r.value))!.figures, first)
    // and a new submission sees it: January 3 delivered, 3 ÷ (31/7) × 100 = 2100/31 = 67.74…%
    const again = await s().submit(soMdi, mdi, input({ measures: ['compliance'] }))
    assert.ok(again.ok)
    const v = (await s().submission(mdi, again.value))!.snapshot[0]!.before.value!
    assert.ok(Math.abs(v - 2100 / 31) < 1e-9, String(v))
  })
})

describe('review', () => {
  it('publishes a waiting submission, tells the submitter, audits it; a published one cannot be returned', async () => {
    const r = await s().submit(soMdi, mdi, input({ title: 'Published one' }))
    assert.ok(r.ok)
    const notices = await count('user_notices')
    const published = await s().review(national, r.value, { decision: 'publish', note: null })
    assert.ok(published.ok, JSON.stringify(published))
    const row = (await s().submission(null, r.value))!
    assert.equal(row.status, 'published')
    assert.ok(row.published_at)
    assert.equal(await count('user_notices'), notices + 1)
    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('entity', '=', 'practice_submission')
      .where('entity_id', '=', String(r.value))
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map(e => e.action),
      ['create', 'update'],
    )
    assert.deepEqual(JSON.parse(events[1]!.changes!).status, { from: 'submitted', to: 'published' })

    const back = await s().review(national, r.value, { decision: 'return', note: 'Say more' })
    assert.equal(back.ok, false)
    assert.equal((await s().submission(null, r.value))!.status, 'published')
    // and the Supervising Officer cannot change it either
    const edit = await s().resubmit(soMdi, mdi, r.value, input({ title: 'Changed after publishing' }))
    assert.equal(edit.ok, false)
    assert.equal((await s().submission(null, r.value))!.title, 'Published one')
  })

  it('returns one with a note; the Supervising Officer changes it and sends it again, with fresh figures', async () => {
    const r = await s().submit(soMdi, mdi, input({ title: 'To be returned', measures: ['interpreter'] }))
    assert.ok(r.ok)
    const returned = await s().review(national, r.value, { decision: 'return', note: 'Add the QA score' })
    assert.ok(returned.ok)
    const returnedRow = (await s().submission(mdi, r.value))!
    assert.equal(returnedRow.status, 'returned')
    // a returned one cannot be published until it is sent again
    assert.equal((await s().review(national, r.value, { decision: 'publish', note: null })).ok, false)
    // another establishment's Supervising Officer cannot send it
    assert.equal((await s().resubmit(soLei, lei, r.value, input())).ok, false)
    const again = await s().resubmit(soMdi, mdi, r.value, input({ title: 'Returned and sent again' }))
    assert.ok(again.ok, JSON.stringify(again))
    const row = (await s().submission(mdi, r.value))!
    assert.equal(row.status, 'submitted')
    assert.equal(row.title, 'Returned and sent again')
    assert.deepEqual(
      row.snapshot.map(f => f.measure),
      ['compliance', 'seen28', 'interpreter', 'qaScore'],
    )
    assert.ok((await s().review(national, r.value, { decision: 'publish', note: null })).ok)
  })
})

describe('each establishment’s submissions', () => {
  it('another establishment’s Supervising Officer cannot read an unpublished one (404), nor list it', async () => {
    const r = await s().submit(soMdi, mdi, input({ title: 'MDI only, waiting' }))
    assert.ok(r.ok)
    assert.equal(await s().submission(lei, r.value), null)
    assert.ok(!(await s().submissions(lei)).some(x => x.id === r.value))
    assert.ok((await s().submissions(mdi)).some(x => x.id === r.value))
    const lei_ = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await lei_.get(`/good-practice/submissions/${r.value}`)).status, 404)
    const mdi_ = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await mdi_.get(`/good-practice/submissions/${r.value}`)).status, 200)
    // not on the shared page until published
    const shared = await lei_.get('/good-practice/shared?q=waiting')
    assert.doesNotMatch(shared.text, /MDI only, waiting/)
  })

  it('a published one is on everyone’s shared page, with its establishment and figures', async () => {
    const kw = await signedIn(world, 'key_worker.lei')
    const page = await kw.get('/good-practice/shared')
    assert.equal(page.status, 200)
    assert.match(page.text, /Published one/)
    assert.match(page.text, /Moorland \(HMP\)/)
    // submitted after the session of 20 January: 3 ÷ (31/7) × 100 = 2100/31 = 67.7% to one decimal place
    assert.match(page.text, /67\.7%/)
    assert.match(page.text, /January 2026/)
    assert.match(page.text, /February 2026/)
  })
})

describe('search', () => {
  before(async () => {
    for (const title of ['100% of men seen', '1000 men seen', 'key_work slots', 'keyXwork slots']) {
      const r = await s().submit(soMdi, mdi, input({ title, measures: ['seen28'], pathways: ['health'] }))
      assert.ok(r.ok)
      assert.ok((await s().review(national, r.value, { decision: 'publish', note: null })).ok)
    }
  })
  const titles = async (query: string, f: { pathway?: string; measure?: string } = {}) =>
    (await s().shared({ query, pathway: f.pathway ?? null, measure: f.measure ?? null })).map(r => r.title).sort()

  it('matches every word, in any case, in any of the texts', async () => {
    assert.deepEqual(await titles('MEN seen'), ['1000 men seen', '100% of men seen'].sort())
    assert.deepEqual(await titles('slots moorland'), ['key_work slots', 'keyXwork slots'].sort())
    assert.deepEqual(await titles('slots nowhere'), [])
  })
  it('takes % and _ literally', async () => {
    assert.deepEqual(await titles('100%'), ['100% of men seen'])
    assert.deepEqual(await titles('key_work'), ['key_work slots'])
    assert.deepEqual(await titles('%'), ['100% of men seen'])
    assert.deepEqual(await titles('_'), ['key_work slots'])
  })
  it('filters by pathway and by measure', async () => {
    assert.deepEqual(
      await titles('', { pathway: 'health', measure: 'seen28' }),
      ['1000 men seen', '100% of men seen', 'key_work slots', 'keyXwork slots'].sort(),
    )
    assert.deepEqual(await titles('', { pathway: 'health', measure: 'compliance' }), [])
    assert.ok((await titles('', { pathway: 'accommodation' })).includes('Published one'))
    assert.ok(!(await titles('', { pathway: 'accommodation' })).includes('key_work slots'))
  })
  it('searches through the page too, with the query shown back safely', async () => {
    const b = await signedIn(world, 'establishment_admin.lei')
    const page = await b.get(`/good-practice/shared?q=${encodeURIComponent('key_work <b>')}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /<b>/)
  })
})

describe('questions and answers', () => {
  it('an answer tells the asker in the service, in the same change; a change of answer is audited', async () => {
    const q = await s().ask(soMdi, mdi, { title: 'Does a landing session count as private?', detail: 'Door open.' })
    assert.ok(q.ok)
    const other = await s().ask(eaMdi, mdi, { title: 'Unanswered from the admin', detail: 'Still waiting' })
    assert.ok(other.ok)
    // the asker sees their own waiting question; another Supervising Officer does not; the national team sees all
    const soView = await s().questions({ query: '', userId: soMdi.userId!, all: false })
    assert.deepEqual(
      soView.waiting.map(x => x.id),
      [q.value],
    )
    const leiView = await s().questions({ query: '', userId: soLei.userId!, all: false })
    assert.deepEqual(leiView.waiting, [])
    const npView = await s().questions({ query: '', userId: national.userId!, all: true })
    assert.deepEqual(
      npView.waiting.map(x => x.id),
      [q.value, other.value],
    )

    const before = await db.selectFrom('user_notices').selectAll().where('user_id', '=', soMdi.userId!).execute()
    assert.ok((await s().answer(national, q.value, 'Only with the door closed.')).ok)
    const afterAnswer = await db.selectFrom('user_notices').selectAll().where('user_id', '=', soMdi.userId!).execute()
    assert.equal(afterAnswer.length, before.length + 1)
    assert.equal(afterAnswer.at(-1)!.link, `/questions#question-${q.value}`)
    assert.ok((await s().answer(national, q.value, 'Only with the door closed, and out of earshot.')).ok)
    const changes = await db
      .selectFrom('audit_events')
      .select('changes')
      .where('entity', '=', 'practice_question')
      .where('entity_id', '=', String(q.value))
      .where('action', '=', 'update')
      .orderBy('id')
      .execute()
    assert.deepEqual(JSON.parse(changes[1]!.changes!).answer, {
      from: 'Only with the door closed.',
      to: 'Only with the door closed, and out of earshot.',
    })
    // now answered: everyone's, and searchable (newest first)
    const lei2 = await s().questions({ query: 'earshot', userId: soLei.userId!, all: false })
    assert.deepEqual(
      lei2.answered.map(x => x.id),
      [q.value],
    )
    const b = await signedIn(world, 'supervising_officer.lei')
    const page = await b.get('/questions?q=landing')
    assert.match(page.text, /Does a landing session count as private\?/)
    assert.doesNotMatch(page.text, /Unanswered from the admin/)
  })

  it('searches questions with % and _ literally', async () => {
    const a = await s().ask(soMdi, mdi, { title: 'Is 50% enough?', detail: 'per_week' })
    const b = await s().ask(soMdi, mdi, { title: 'Is 500 enough?', detail: 'perXweek' })
    assert.ok(a.ok && b.ok)
    await s().answer(national, a.value, 'Yes')
    await s().answer(national, b.value, 'No')
    const ids = async (query: string) =>
      (await s().questions({ query, userId: soLei.userId!, all: false })).answered.map(x => x.id)
    assert.deepEqual(await ids('50%'), [a.value])
    assert.deepEqual(await ids('per_week'), [a.value])
    assert.deepEqual(
      (await ids('enough')).sort((x, y) => x - y),
      [a.value, b.value],
    )
  })
})

describe('bad input saves nothing', () => {
  it('a submission with every field wrong lists every problem at once and saves nothing', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    const [subs, events] = [await count('practice_submissions'), await count('audit_events')]
    const res = await b.post('/good-practice/submissions/new', {
      title: '',
      whatTheyDid: '',
      whatChanged: '',
      measures: 'nonsense',
      beforeFrom: '13/2026',
      beforeTo: '',
      afterFrom: '1/2099',
      afterTo: '2/2099',
    })
    assert.equal(res.status, 303)
    const page = await b.get(res.headers.location!)
    assert.match(page.text, /There is a problem/)
    for (const message of [
      'Enter a title',
      'Enter what you did',
      'Enter what changed',
      'Choose the figures to show from the list',
      'Enter the first month before as a month and year',
      'Enter the last month before',
      'The last month after must be a month that has ended',
    ])
      assert.ok(page.text.includes(message), message)
    assert.equal(await count('practice_submissions'), subs)
    assert.equal(await count('audit_events'), events)
  })

  it('overlapping periods, no measure, and an empty question or answer: refused, nothing saved', async () => {
    const subs = await count('practice_submissions')
    const b = await signedIn(world, 'supervising_officer.mdi')
    const res = await b.post('/good-practice/submissions/new', {
      title: 'T',
      whatTheyDid: 'D',
      whatChanged: 'C',
      beforeFrom: '1/2026',
      beforeTo: '3/2026',
      afterFrom: '3/2026',
      afterTo: '4/2026',
    })
    const page = await b.get(res.headers.location!)
    assert.match(page.text, /Choose at least one of the figures to show/)
    assert.match(page.text, /The period after must start after the period before ends/)
    assert.equal(await count('practice_submissions'), subs)

    const questions = await count('practice_questions')
    const q = await b.post('/questions', { title: '', detail: '' })
    assert.equal(q.status, 303)
    assert.match((await b.get('/questions')).text, /Enter your question/)
    assert.equal(await count('practice_questions'), questions)

    const np = await signedIn(world, 'national')
    const one = await s().ask(soMdi, mdi, { title: 'Answer me', detail: 'Please' })
    assert.ok(one.ok)
    const notices = await count('user_notices')
    const a = await np.post(`/questions/${one.value}`, { answer: '  ' })
    assert.equal(a.status, 303)
    assert.match((await np.get(`/questions/${one.value}`)).text, /Enter the answer/)
    assert.equal((await s().question(one.value))!.answer, null)
    assert.equal(await count('user_notices'), notices)

    // a return without a note is refused by the review form
    const sub = await s().submit(soMdi, mdi, input({ measures: ['compliance'] }))
    assert.ok(sub.ok)
    const ret = await np.post(`/good-practice/submissions/${sub.value}`, { decision: 'return', note: '' })
    assert.equal(ret.status, 303)
    assert.match((await np.get(`/good-practice/submissions/${sub.value}`)).text, /Enter what the Supervising Officer/)
    assert.equal((await s().submission(null, sub.value))!.status, 'submitted')
  })
})

describe('access', () => {
  it('refuses what each role may not do', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/good-practice/submissions')).status, 403)
    assert.equal((await kw.get('/good-practice/submissions/new')).status, 403)
    assert.equal((await kw.get('/questions')).status, 403)
    const ea = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await ea.get('/good-practice/submissions/new')).status, 403)
    assert.equal((await ea.get('/questions')).status, 200)
    const so = await signedIn(world, 'supervising_officer.mdi')
    const q = await s().ask(soMdi, mdi, { title: 'Mine', detail: 'x' })
    assert.ok(q.ok)
    assert.equal((await so.get(`/questions/${q.value}`)).status, 403)
    const answers = await count('practice_questions')
    const notices = await count('user_notices')
    const post = await so.post(`/questions/${q.value}`, { answer: 'I answer myself' }, '/questions')
    assert.equal(post.status, 403)
    assert.equal((await s().question(q.value))!.answer, null)
    assert.equal(await count('practice_questions'), answers)
    assert.equal(await count('user_notices'), notices)
    // a Supervising Officer cannot review, even their own establishment's
    const sub = await s().submit(soMdi, mdi, input({ measures: ['compliance'] }))
    assert.ok(sub.ok)
    const review = await so.post(`/good-practice/submissions/${sub.value}`, { decision: 'publish' })
    assert.equal(review.status, 303) // the form is the Supervising Officer's edit form: it lists its problems
    assert.equal((await s().submission(null, sub.value))!.status, 'submitted')
  })
})
