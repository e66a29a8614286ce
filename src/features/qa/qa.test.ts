import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { monthlySample } from '../../domain/qaSample'
import { staffRecordSchema } from '../staff/schema'
import { createUser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { entryOf, reviewed } from '../../../test/support/qa'
import { dueState, daysOverdue, hash32, monthBounds, previousMonth, riskReasons, sampleSeed } from './rules'
import { amendmentLines } from './service'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
afterEach(() => setClock(null))
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const SYSTEM = { userId: null, username: 'system', establishmentId: mdi.establishmentId }

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
const actorFor = async (username: string, establishmentId = mdi.establishmentId) => ({
  userId: await userId(username),
  username,
  establishmentId,
})
const count = async (table: 'qa_reviews' | 'qa_review_scores' | 'qa_commendations' | 'qa_review_amendments') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

// a second Supervising Officer in MDI (the first never reviews their own entries), and the Key Worker's email
await createUser(s, 'second_so.mdi', [{ role: 'SUPERVISING_OFFICER', establishmentId: mdi.establishmentId }])
await db.updateTable('users').set({ email: 'kw.mdi@example.org' }).where('username', '=', 'key_worker.mdi').execute()
const rubric = await s.rubric.current(mdi.establishmentId)
const kwId = await userId('key_worker.mdi')

/** A review of an entry through the service by `username`: every criterion scored `score`, overall 3, short feedback. */
const reviewAs = async (username: string, sessionId: number, o: { score?: number; establishmentId?: number } = {}) =>
  s.qa.recordReview(await actorFor(username, o.establishmentId), {
    sessionId,
    kind: 'chosen',
    scores: rubric.criteria.map(c => ({ criterionId: c.id, score: o.score ?? 3 })),
    overall: 3,
    good: 'x',
    change: 'y',
  })

/** A regular expression matching `text` as the page shows it (HTML-escaped). */
const shown = (text: string) =>
  new RegExp(
    text
      .replace(/&/g, '&amp;')
      .replace(/'/g, '&#39;')
      .replace(/"/g, '&quot;')
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  )

/** A filled review form: every criterion scored `score`, overall `score`. */
function reviewForm(score = '3', extra: Record<string, string> = {}): Record<string, string> {
  const body: Record<string, string> = {
    overall: score,
    good: 'The prisoner’s own words are there.',
    change: 'Agree a goal with a date.',
  }
  for (const c of rubric.criteria) body[`score-${c.id}`] = score
  return { ...body, ...extra }
}

const newEntry = (o: Partial<Parameters<typeof entryOf>[1]> = {}) =>
  entryOf(s, {
    establishmentId: mdi.establishmentId,
    prisonNumber: mdi.prisonNumber,
    staffId: mdi.staffId,
    authorUsername: 'key_worker.mdi',
    ...o,
  })

describe('rules', () => {
  it('calls an entry overdue from the day after its due day', () => {
    assert.equal(dueState('2026-03-24', '2026-03-23'), 'due')
    assert.equal(dueState('2026-03-24', '2026-03-24'), 'due-today')
    assert.equal(dueState('2026-03-24', '2026-03-25'), 'overdue')
    assert.equal(daysOverdue('2026-03-24', '2026-03-25'), 1)
    assert.equal(daysOverdue('2026-02-27', '2026-03-02'), 3, 'across the end of February 2026 (28 days)')
    assert.equal(daysOverdue('2026-03-24', '2026-03-20'), 0)
  })

  it('bounds a month and finds the one before', () => {
    assert.deepEqual(monthBounds('2026-02'), { from: '2026-02-01', until: '2026-03-01', last: '2026-02-28' })
    assert.deepEqual(monthBounds('2024-12'), { from: '2024-12-01', until: '2025-01-01', last: '2024-12-31' })
    assert.equal(previousMonth('2026-01-15'), '2025-12')
    assert.equal(previousMonth('2026-03-31'), '2026-02')
  })

  it('raises an entry for each risk, and a new officer only in their first 3 months', () => {
    const base = { flagged: false, precheckScore: null, concern: 0, sessionDate: '2026-05-10', startedInPost: null }
    assert.deepEqual(riskReasons(base), [])
    assert.deepEqual(riskReasons({ ...base, flagged: true }), ['integrity-flag'])
    assert.deepEqual(riskReasons({ ...base, precheckScore: 2.49 }), ['low-precheck'])
    assert.deepEqual(riskReasons({ ...base, precheckScore: 2.5 }), [])
    assert.deepEqual(riskReasons({ ...base, concern: 1 }), ['self-harm-concern'])
    assert.deepEqual(riskReasons({ ...base, startedInPost: '2026-02-11' }), ['new-officer'])
    assert.deepEqual(
      riskReasons({ ...base, startedInPost: '2026-02-10' }),
      [],
      'three months to the day: no longer new',
    )
  })

  it('seeds each officer and month differently, and the same every time (FNV-1a)', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c (the published test vector)
    assert.equal(hash32('a'), 0xe40c292c)
    assert.equal(hash32(''), 0x811c9dc5)
    assert.equal(sampleSeed(1, '2026-01', 7), sampleSeed(1, '2026-01', 7))
    assert.notEqual(sampleSeed(1, '2026-01', 7), sampleSeed(1, '2026-02', 7))
    assert.notEqual(sampleSeed(1, '2026-01', 7), sampleSeed(2, '2026-01', 7))
  })

  it('words an amendment for people, never with internal codes', () => {
    const lines = amendmentLines(
      {
        overall_score: { from: 2, to: 3 },
        'score:voice': { from: 1, to: null },
        'comment:voice': { from: null, to: 'Better' },
        feedback_good: { from: 'a', to: 'b' },
      },
      new Map([['voice', 'The prisoner’s own voice']]),
    )
    assert.deepEqual(lines, [
      { what: 'Overall score', from: '2 – Requires improvement', to: '3 – Good' },
      { what: 'Score for The prisoner’s own voice', from: '1 – Poor', to: 'Does not apply' },
      { what: 'Comment on The prisoner’s own voice', from: 'nothing', to: 'Better' },
      { what: 'What was good', from: 'a', to: 'b' },
    ])
  })
})

describe('settings within the national bounds', () => {
  it('starts from the defaults: the national default sample, 14 days, 300 characters, 6 weeks', async () => {
    const st = await s.qa.settings(lei.establishmentId)
    assert.equal(st.saved, false)
    assert.deepEqual(
      [st.samplePerOfficer, st.reviewDueDays, st.thinEntryChars, st.supervisionWeeks, st.bounds],
      [2, 14, 300, 6, { min: 1, default: 2, max: 10 }],
    )
  })

  it('lets the SO and the admin save them, lists every problem at once and saves nothing on bad input', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    let res = await so.post('/quality/settings', {
      samplePerOfficer: '11',
      reviewDueDays: 'soon',
      thinEntryChars: '',
      supervisionWeeks: '0',
    })
    assert.equal(res.status, 303)
    const page = await so.get('/quality/settings')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Enter the shortest narrative/)
    assert.match(page.text, /must be a whole number/)
    assert.equal(await s.qa.settings(mdi.establishmentId).then(x => x.saved), false)
    // a number out of bounds is checked by the service, every field at once
    res = await so.post('/quality/settings', {
      samplePerOfficer: '11',
      reviewDueDays: '91',
      thinEntryChars: '300',
      supervisionWeeks: '0',
    })
    const again = await so.get('/quality/settings')
    assert.match(again.text, /from 1 to 10 \(the national bounds\)/)
    assert.match(again.text, /Days to review a sampled entry must be from 1 to 90/)
    assert.match(again.text, /Weeks between supervisions must be from 1 to 26/)
    assert.equal(await s.qa.settings(mdi.establishmentId).then(x => x.saved), false)

    res = await so.post('/quality/settings', {
      samplePerOfficer: '3',
      reviewDueDays: '10',
      thinEntryChars: '250',
      supervisionWeeks: '4',
    })
    assert.equal(res.headers.location, '/quality/settings')
    const saved = await s.qa.settings(mdi.establishmentId)
    assert.deepEqual(
      [saved.samplePerOfficer, saved.reviewDueDays, saved.thinEntryChars, saved.supervisionWeeks],
      [3, 10, 250, 4],
    )
    const ea = await signedIn(world, 'establishment_admin.mdi')
    res = await ea.post('/quality/settings', {
      samplePerOfficer: '2',
      reviewDueDays: '14',
      thinEntryChars: '300',
      supervisionWeeks: '6',
    })
    assert.equal(res.status, 303)
    assert.equal((await s.qa.settings(mdi.establishmentId)).samplePerOfficer, 2)
    const events = await s.audit.forEntity('qa_settings', String(mdi.establishmentId))
    assert.equal(events.length, 2)
  })

  it('reads them for the national team, refuses them to a Key Worker, and keeps another establishment’s apart', async () => {
    const np = await signedIn(world, 'national')
    assert.equal((await np.get('/quality/settings')).status, 200)
    assert.equal((await np.post('/quality/settings', { samplePerOfficer: '2' })).status, 403)
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/quality/settings')).status, 403)
    assert.equal((await s.qa.settings(lei.establishmentId)).saved, false)
  })

  it('lets the national team set the bounds, min ≤ default ≤ max, and keeps them on a bad form', async () => {
    const np = await signedIn(world, 'national')
    let res = await np.post(
      '/quality/settings/national',
      { sampleMin: '3', sampleDefault: '2', sampleMax: '5' },
      '/quality/settings',
    )
    assert.equal(res.headers.location, '/quality/settings')
    assert.match((await np.get('/quality/settings')).text, /The default sample must be at least the smallest/)
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '1', sampleDefault: '6', sampleMax: '5' },
      '/quality/settings',
    )
    assert.match((await np.get('/quality/settings')).text, /The largest sample must be at least the default/)
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '', sampleDefault: 'x', sampleMax: '99' },
      '/quality/settings',
    )
    const page = await np.get('/quality/settings')
    assert.match(page.text, /Enter the smallest sample/)
    assert.match(page.text, /The default sample must be a whole number/)
    assert.deepEqual(await s.qa.bounds(), { min: 1, default: 2, max: 10 })
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '1', sampleDefault: '3', sampleMax: '4' },
      '/quality/settings',
    )
    assert.deepEqual(await s.qa.bounds(), { min: 1, default: 3, max: 4 })
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.post('/quality/settings/national', { sampleMin: '1' }, '/quality/settings')).status, 403)
    // back as it was, for the tests below
    assert.ok((await s.qa.saveBounds(SYSTEM, { min: 1, default: 2, max: 10 })).ok)
  })
})

describe('the monthly sample', () => {
  it('samples each officer at random and adds every risk entry, the same sample every time', async () => {
    const month = '2025-01'
    // a second officer, new in post: every entry of theirs is raised
    const newStaff = await s.staff.create(
      SYSTEM,
      mdi.establishmentId,
      staffRecordSchema.parse({
        staffNumber: 'QA0001',
        firstName: 'Nia',
        lastName: 'New',
        grade: 'Band 3',
        workingPattern: 'full_time',
        startedInPost: '2024-12-01',
        languages: 'English',
        status: 'active',
        homeUnit: mdi.unitCode,
      }),
    )
    assert.ok(newStaff.ok)
    const plain: number[] = []
    for (let d = 1; d <= 6; d++) plain.push(await newEntry({ sessionDate: `2025-01-0${d}` }))
    const concern = await newEntry({ sessionDate: '2025-01-10', concern: true })
    const low = await newEntry({ sessionDate: '2025-01-11', precheckScore: 2 })
    const flagged = await newEntry({ sessionDate: '2025-01-12' })
    await db
      .insertInto('integrity_flags')
      .values({
        establishment_id: mdi.establishmentId,
        kind: 'thin',
        flag_key: `thin:${flagged}`,
        session_id: flagged,
        other_session_id: null,
        staff_id: mdi.staffId,
        similarity: null,
        evidence: '{}',
        raised_at: new Date().toISOString(),
        status: 'open',
        outcome: null,
        note: null,
        resolved_by_user_id: null,
        resolved_by: null,
        resolved_at: null,
      })
      .execute()
    const novice = await newEntry({ sessionDate: '2025-01-20', staffId: newStaff.value })
    const outside = await newEntry({ sessionDate: '2025-02-01' })

    const first = await s.qa.draw(SYSTEM, mdi.establishmentId, month)
    const rows = await s.qa.sampleOfMonth(mdi.establishmentId, month)
    assert.deepEqual(first.added.sort(), rows.map(r => r.session_id).sort())
    const bySession = new Map(rows.map(r => [r.session_id, r]))
    assert.equal(bySession.get(concern)?.risk, 'self-harm-concern')
    assert.equal(bySession.get(low)?.risk, 'low-precheck')
    assert.equal(bySession.get(flagged)?.risk, 'integrity-flag')
    assert.equal(bySession.get(novice)?.risk, 'new-officer')
    assert.ok(!bySession.has(outside), 'an entry of another month is not in the sample')
    // the setting's 2 entries at random for each officer (the new one has only one entry)
    const random = rows.filter(r => r.random === 1)
    assert.equal(random.filter(r => r.staff_id === mdi.staffId).length, 2)
    assert.equal(random.filter(r => r.staff_id === newStaff.value).length, 1)
    // the same picks as the sampler with the establishment, month and officer's seed
    const officerEntries = [...plain, concern, low, flagged].map(id => ({
      sessionId: id,
      staffId: mdi.staffId,
      authorUserId: kwId,
      risk: [],
    }))
    const expected = monthlySample(officerEntries, 2, sampleSeed(mdi.establishmentId, month, mdi.staffId))
    assert.deepEqual(
      random.filter(r => r.staff_id === mdi.staffId).map(r => r.session_id),
      expected.map(e => e.sessionId),
    )

    // drawing again adds nothing; drawn afresh, the month gives the same sample
    assert.deepEqual((await s.qa.draw(SYSTEM, mdi.establishmentId, month)).added, [])
    const before = rows.map(r => [r.session_id, r.random, r.risk])
    await db.deleteFrom('qa_samples').where('month', '=', month).execute()
    await s.qa.draw(SYSTEM, mdi.establishmentId, month)
    const redrawn = (await s.qa.sampleOfMonth(mdi.establishmentId, month)).map(r => [r.session_id, r.random, r.risk])
    assert.deepEqual(redrawn, before)
  })

  it('dates each sampled entry due after the setting’s days, and overdue from the next London day', async () => {
    await newEntry({ sessionDate: '2025-05-06' })
    // 10:00 on 20 June 2025 (BST): due 14 days on, 4 July
    setClock('2025-06-20T09:00:00Z')
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-05')
    const [row] = await s.qa.sampleOfMonth(mdi.establishmentId, '2025-05')
    assert.equal(row?.due_on, '2025-07-04')
    const state = async () => (await s.qa.queue(mdi.establishmentId, null)).rows.find(r => r.id === row!.id)
    setClock('2025-07-04T22:30:00Z') // 23:30 on 4 July in London
    assert.equal((await state())?.state, 'due-today')
    setClock('2025-07-04T23:30:00Z') // 00:30 on 5 July in London, still 4 July in UTC
    assert.equal((await state())?.state, 'overdue')
    assert.equal((await state())?.daysOverdue, 1)
    setClock('2025-07-10T12:00:00Z')
    assert.equal((await state())?.daysOverdue, 6)
  })

  it('shows the queue to SO, admin and national team with why each entry was sampled, never an SO’s own entries', async () => {
    const own = await newEntry({ sessionDate: '2025-03-03', authorUsername: 'supervising_officer.mdi', concern: true })
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-03')
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get('/quality/queue')
    assert.equal(page.status, 200)
    assert.doesNotMatch(
      page.text,
      new RegExp(
        `reviews/new\\?sample=${(await db.selectFrom('qa_samples').select('id').where('session_id', '=', own).executeTakeFirstOrThrow()).id}"`,
      ),
    )
    assert.match(page.text, /of your own entry is left for another Supervising Officer|of your own entries are left/)
    const other = await signedIn(world, 'second_so.mdi')
    const otherPage = await other.get('/quality/queue')
    assert.match(otherPage.text, /It records a self-harm or suicide concern/)
    assert.match(otherPage.text, /Picked at random for the monthly sample/)
    assert.match(otherPage.text, /Overdue/)
    assert.doesNotMatch(otherPage.text, /self-harm-concern|undefined|\[object Object\]/)
    for (const who of ['establishment_admin.mdi', 'national']) {
      const b = await signedIn(world, who)
      const p = await b.get('/quality/queue')
      assert.equal(p.status, 200, who)
      assert.doesNotMatch(p.text, /reviews\/new/, `${who} is not offered a review`)
    }
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/quality/queue')).status, 403)
    assert.equal((await kw.post('/quality/queue/draw', {}, '/')).status, 403)
    // the SO draws the month so far
    const res = await so.post('/quality/queue/draw', {}, '/quality/queue')
    assert.equal(res.headers.location, '/quality/queue')
  })
})

describe('reviews', () => {
  it('saves a sampled entry’s review, tells the officer in the service and by email', async () => {
    const entry = await newEntry({ sessionDate: '2025-04-07' })
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-04')
    const sample = await db
      .selectFrom('qa_samples')
      .selectAll()
      .where('session_id', '=', entry)
      .executeTakeFirstOrThrow()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const form = await so.get(`/quality/reviews/new?sample=${sample.id}`)
    assert.equal(form.status, 200)
    assert.match(form.text, shown(rubric.criteria[0]!.descriptors[3]))
    const res = await so.post(`/quality/reviews/new?sample=${sample.id}`, reviewForm('4'))
    assert.equal(res.status, 303)
    const m = /^\/quality\/review\?id=(\d+)$/.exec(String(res.headers.location))
    assert.ok(m, String(res.headers.location))
    const review = await db
      .selectFrom('qa_reviews')
      .selectAll()
      .where('id', '=', Number(m[1]))
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      [review.kind, review.sample_id, review.overall_score, review.officer_user_id, review.rubric_version_id],
      ['sample', sample.id, 4, kwId, rubric.versionId],
    )
    const scores = await db.selectFrom('qa_review_scores').selectAll().where('review_id', '=', review.id).execute()
    assert.equal(scores.length, rubric.criteria.length)
    assert.ok(scores.every(x => x.score === 4))
    assert.equal(
      (await db.selectFrom('qa_samples').select('status').where('id', '=', sample.id).executeTakeFirstOrThrow()).status,
      'reviewed',
    )
    const notices = await s.notices.list(kwId)
    assert.ok(notices.some(n => n.link === `/my-feedback/review?id=${review.id}` && n.kind === 'qa-review'))
    const email = await db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('reference', '=', `qa-review-${review.id}`)
      .executeTakeFirstOrThrow()
    assert.equal(email.to_address, 'kw.mdi@example.org')
    assert.equal(email.template, 'qa-review')
    assert.equal(email.status, 'outbox')
    assert.match(email.body, /4 – Good practice overall/)
    const events = await s.audit.forEntity('qa_review', String(review.id))
    assert.equal(events[0]?.action, 'create')
    // the sample has its review: a second is refused
    const again = await so.get(`/quality/reviews/new?sample=${sample.id}`)
    assert.equal(again.status, 303)
  })

  it('lists every problem of a bad review at once and saves nothing', async () => {
    const entry = await newEntry()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const [first, second] = rubric.criteria
    const before = [await count('qa_reviews'), await count('qa_review_scores')]
    const body = reviewForm('3', { [`score-${first!.id}`]: '5', overall: '0', good: '  ', change: '' })
    delete body[`score-${second!.id}`]
    const res = await so.post(`/quality/reviews/new?session=${entry}`, body)
    assert.equal(res.status, 303)
    const page = await so.get(`/quality/reviews/new?session=${entry}`)
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, shown(`The score for ${first!.title} must be from 1 to 4, or does not apply`))
    assert.match(page.text, shown(`Select a score for ${second!.title}`))
    assert.match(page.text, /Select an overall score from 1 to 4/)
    assert.match(page.text, /Enter what was good about the entry/)
    assert.match(page.text, /Enter one thing to do differently/)
    assert.deepEqual([await count('qa_reviews'), await count('qa_review_scores')], before)
    // the service checks the same for any caller
    const r = await reviewAs('supervising_officer.mdi', entry, { score: 7 })
    assert.equal(r.ok, false)
    assert.deepEqual([await count('qa_reviews'), await count('qa_review_scores')], before)
  })

  it('refuses an SO’s own entry, another establishment’s, and other roles', async () => {
    const own = await newEntry({ authorUsername: 'supervising_officer.mdi' })
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.get(`/quality/reviews/new?session=${own}`)
    assert.equal(res.status, 303)
    assert.match((await so.get('/quality/queue')).text, /This is your own entry/)
    const before = await count('qa_reviews')
    assert.equal((await so.post(`/quality/reviews/new?session=${own}`, reviewForm(), '/quality/queue')).status, 303)
    const r = await reviewAs('supervising_officer.mdi', own)
    assert.deepEqual(r, {
      ok: false,
      errors: { form: 'This is your own entry: another Supervising Officer reviews it' },
    })
    assert.equal(await count('qa_reviews'), before)

    const entry = await newEntry()
    const leiSo = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await leiSo.get(`/quality/reviews/new?session=${entry}`)).status, 404)
    assert.equal((await leiSo.post(`/quality/reviews/new?session=${entry}`, reviewForm(), '/')).status, 404)
    const viaService = await reviewAs('supervising_officer.lei', entry, { establishmentId: lei.establishmentId })
    assert.equal(viaService.ok, false)
    for (const who of ['key_worker.mdi', 'establishment_admin.mdi', 'national']) {
      const b = await signedIn(world, who)
      assert.equal((await b.get(`/quality/reviews/new?session=${entry}`)).status, 403, who)
    }
    assert.equal(await count('qa_reviews'), before)
  })

  it('lets the SO choose an entry by its number, and says what is wrong with a bad one', async () => {
    const entry = await newEntry()
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.match((await so.get('/quality/reviews/new')).text, /Entry number/)
    let res = await so.post('/quality/reviews/new', { session: 'twelve' })
    assert.equal(res.headers.location, '/quality/reviews/new')
    assert.match((await so.get('/quality/reviews/new')).text, /Enter the number of an entry, like 1234/)
    res = await so.post('/quality/reviews/new', { session: String(entry) })
    assert.equal(res.headers.location, `/quality/reviews/new?session=${entry}`)
    const before = await count('qa_reviews')
    res = await so.post(`/quality/reviews/new?session=${entry}`, reviewForm('2'))
    assert.equal(await count('qa_reviews'), before + 1)
    const review = await db
      .selectFrom('qa_reviews')
      .selectAll()
      .where('session_id', '=', entry)
      .executeTakeFirstOrThrow()
    assert.deepEqual([review.kind, review.sample_id, review.overall_score], ['chosen', null, 2])
    // a second review of the entry is refused: amend the first
    const again = await reviewAs('second_so.mdi', entry)
    assert.equal(again.ok, false)
    assert.equal(await count('qa_reviews'), before + 1)
  })

  it('lets one of two reviews of the same sample at once in, and tells the other, nothing half-saved', async () => {
    const entry = await newEntry({ sessionDate: '2025-06-02' })
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-06')
    const sample = await db
      .selectFrom('qa_samples')
      .selectAll()
      .where('session_id', '=', entry)
      .executeTakeFirstOrThrow()
    const input = (overall: number) => ({
      sessionId: entry,
      kind: 'sample' as const,
      sampleId: sample.id,
      scores: rubric.criteria.map(c => ({ criterionId: c.id, score: overall })),
      overall,
      good: 'Good.',
      change: 'Change.',
    })
    const results = await Promise.all([
      s.qa.recordReview(await actorFor('supervising_officer.mdi'), input(2)),
      s.qa.recordReview(await actorFor('second_so.mdi'), input(4)),
    ])
    assert.equal(results.filter(r => r.ok).length, 1)
    const lost = results.find(r => !r.ok)
    assert.ok(lost && !lost.ok)
    assert.match(lost.errors.form!, /already been reviewed|has just saved a review/)
    const reviews = await db.selectFrom('qa_reviews').select('id').where('session_id', '=', entry).execute()
    assert.equal(reviews.length, 1)
    const scores = await db
      .selectFrom('qa_review_scores')
      .select('review_id')
      .where('review_id', '=', reviews[0]!.id)
      .execute()
    assert.equal(scores.length, rubric.criteria.length)
  })
})

describe('the officer’s feedback', () => {
  it('lists, reads, acknowledges and replies; the reviewer sees the reply', async () => {
    const entry = await newEntry()
    const reviewId = await reviewed(s, {
      establishmentId: mdi.establishmentId,
      sessionId: entry,
      reviewerUsername: 'supervising_officer.mdi',
    })
    const kw = await signedIn(world, 'key_worker.mdi')
    const list = await kw.get('/my-feedback')
    assert.equal(list.status, 200)
    assert.match(list.text, new RegExp(`/my-feedback/review\\?id=${reviewId}"`))
    const page = await kw.get(`/my-feedback/review?id=${reviewId}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /3 – Good/)
    assert.match(page.text, shown(rubric.criteria[0]!.title))
    const row = () => db.selectFrom('qa_reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow()
    assert.ok((await row()).read_at, 'reading sets read_at')
    const notice = (await s.notices.list(kwId)).find(n => n.link === `/my-feedback/review?id=${reviewId}`)
    assert.ok(notice?.read_at, 'and reads the notice about it')

    let res = await kw.post(
      '/my-feedback/acknowledge',
      { review: String(reviewId) },
      `/my-feedback/review?id=${reviewId}`,
    )
    assert.equal(res.headers.location, `/my-feedback/review?id=${reviewId}`)
    assert.ok((await row()).acknowledged_at)
    res = await kw.post(
      '/my-feedback/reply',
      { review: String(reviewId), reply: '   ' },
      `/my-feedback/review?id=${reviewId}`,
    )
    assert.match((await kw.get(res.headers.location!)).text, /Enter your reply/)
    assert.equal((await row()).reply, null)
    res = await kw.post(
      '/my-feedback/reply',
      { review: String(reviewId), reply: 'Thanks, I will set dated goals.' },
      `/my-feedback/review?id=${reviewId}`,
    )
    assert.equal((await row()).reply, 'Thanks, I will set dated goals.')
    const so = await signedIn(world, 'supervising_officer.mdi')
    const soPage = await so.get(`/quality/review?id=${reviewId}`)
    assert.match(soPage.text, /Thanks, I will set dated goals\./)
    const reply = (await s.notices.list(await userId('supervising_officer.mdi'))).find(n => n.kind === 'qa-reply')
    assert.equal(reply?.link, `/quality/review?id=${reviewId}`)
    assert.ok(reply?.read_at, 'opening the review read the notice of the reply')
  })

  it('shows nobody else’s review: another Key Worker, another establishment', async () => {
    const entry = await newEntry()
    const reviewId = await reviewed(s, {
      establishmentId: mdi.establishmentId,
      sessionId: entry,
      reviewerUsername: 'supervising_officer.mdi',
    })
    const leiKw = await signedIn(world, 'key_worker.lei')
    assert.equal((await leiKw.get(`/my-feedback/review?id=${reviewId}`)).status, 404)
    const leiSo = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await leiSo.get(`/quality/review?id=${reviewId}`)).status, 404)
    const res = await leiKw.post('/my-feedback/acknowledge', { review: String(reviewId) }, '/my-feedback')
    assert.equal(res.status, 303)
    const r = await db.selectFrom('qa_reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow()
    assert.equal(r.acknowledged_at, null)
    assert.equal(r.read_at, null)
  })
})

describe('amending a review', () => {
  it('appends the change and its reason, never losing what it said; only its SO or the admin', async () => {
    const entry = await newEntry()
    const reviewId = await reviewed(s, {
      establishmentId: mdi.establishmentId,
      sessionId: entry,
      reviewerUsername: 'supervising_officer.mdi',
    })
    const so = await signedIn(world, 'supervising_officer.mdi')
    const amendPath = `/quality/review/amend?id=${reviewId}`
    const reviewPath = `/quality/review?id=${reviewId}`
    assert.match((await so.get(reviewPath)).text, /Amend the review/)
    const before = await count('qa_review_amendments')
    let res = await so.post(amendPath, reviewForm('2'), reviewPath)
    assert.match((await so.get(res.headers.location!)).text, /Enter why you are amending the review/)
    assert.equal(await count('qa_review_amendments'), before)
    res = await so.post(
      amendPath,
      reviewForm('3', {
        reason: 'Nothing changed',
        good: 'The prisoner’s own words are recorded.',
        change: 'Set a goal with a date.',
      }),
      reviewPath,
    )
    assert.match((await so.get(res.headers.location!)).text, /Change a score or the feedback/)
    res = await so.post(amendPath, reviewForm('2', { reason: 'The goal was not SMART after all' }), reviewPath)
    assert.equal(res.headers.location, `/quality/review?id=${reviewId}`)
    const r = await db.selectFrom('qa_reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow()
    assert.equal(r.overall_score, 2)
    const [amendment] = await db
      .selectFrom('qa_review_amendments')
      .selectAll()
      .where('review_id', '=', reviewId)
      .execute()
    assert.equal(amendment?.reason, 'The goal was not SMART after all')
    assert.deepEqual((JSON.parse(amendment!.changes) as Record<string, unknown>).overall_score, { from: 3, to: 2 })
    const page = await so.get(`/quality/review?id=${reviewId}`)
    assert.match(page.text, /The goal was not SMART after all/)
    assert.match(page.text, /Overall score: from “3 – Good” to “2 – Requires improvement”/)

    const other = await signedIn(world, 'second_so.mdi')
    assert.doesNotMatch((await other.get(reviewPath)).text, /Amend the review/)
    assert.equal((await other.post(amendPath, reviewForm('1', { reason: 'mine' }), reviewPath)).status, 403)
    const ea = await signedIn(world, 'establishment_admin.mdi')
    res = await ea.post(amendPath, reviewForm('3', { reason: 'Agreed at moderation' }), reviewPath)
    assert.equal(res.headers.location, `/quality/review?id=${reviewId}`)
    assert.equal(await count('qa_review_amendments'), before + 2)
    const leiEa = await signedIn(world, 'establishment_admin.lei')
    assert.equal((await leiEa.get(reviewPath)).status, 404)
    assert.equal((await leiEa.post(amendPath, reviewForm('1', { reason: 'x' }), '/')).status, 404)
  })
})

describe('commendations', () => {
  it('commends an entry or an officer, tells them and emails them; shows in their feedback', async () => {
    // the Key Worker's user is linked to their staff record, as it is in use
    await db.updateTable('staff').set({ user_id: kwId }).where('id', '=', mdi.staffId).execute()
    const entry = await newEntry()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const before = await count('qa_commendations')
    let res = await so.post(`/quality/commend?session=${entry}`, { text: '' })
    assert.match((await so.get(res.headers.location!)).text, /Enter what you are commending/)
    assert.equal(await count('qa_commendations'), before)
    res = await so.post(`/quality/commend?session=${entry}`, { text: 'A model of the prisoner’s own voice.' })
    assert.equal(res.headers.location, '/quality/reviews')
    const c = await db.selectFrom('qa_commendations').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.deepEqual([c.session_id, c.staff_id, c.officer_user_id], [entry, mdi.staffId, kwId])
    const email = await db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('reference', '=', `commendation-${c.id}`)
      .executeTakeFirstOrThrow()
    assert.equal(email.template, 'commendation')
    assert.equal(email.to_address, 'kw.mdi@example.org')
    assert.ok((await s.notices.list(kwId)).some(n => n.kind === 'commendation'))
    res = await so.post(`/quality/commend?staff=${mdi.staffId}`, { text: 'Steady, kind work all month.' })
    assert.equal(res.status, 303)
    assert.equal(await count('qa_commendations'), before + 2)
    const kw = await signedIn(world, 'key_worker.mdi')
    const page = await kw.get('/my-feedback')
    assert.match(page.text, /A model of the prisoner’s own voice\./)
    assert.match(
      page.text,
      /Steady, kind work all month\./,
      'an officer commendation reaches the user who wrote the entries',
    )
    // an officer chosen from the list: both problems at once, then sent
    const list = await so.get('/quality/commend')
    assert.match(list.text, /Sam Officer MDI/)
    res = await so.post('/quality/commend', { staff: '', text: '' })
    const errs = (await so.get('/quality/commend')).text
    assert.match(errs, /Select the officer to commend/)
    assert.match(errs, /Enter what you are commending/)
    assert.equal(await count('qa_commendations'), before + 2)
    res = await so.post('/quality/commend', { staff: String(mdi.staffId), text: 'Thorough and kind.' })
    assert.equal(res.headers.location, '/quality/reviews')
    assert.equal(await count('qa_commendations'), before + 3)
    const leiSo = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await leiSo.get(`/quality/commend?staff=${mdi.staffId}`)).status, 404)
    res = await leiSo.post('/quality/commend', { staff: String(mdi.staffId), text: 'Not mine to commend.' })
    assert.match(
      (await leiSo.get(res.headers.location!)).text,
      /There is no such entry or officer in this establishment/,
    )
    assert.equal((await leiSo.post(`/quality/commend?session=${entry}`, { text: 'x' }, '/')).status, 404)
    assert.equal((await kw.get(`/quality/commend?session=${entry}`)).status, 403)
    assert.equal(await count('qa_commendations'), before + 3)
  })
})

describe('notices', () => {
  it('lists the user’s own, counts the new ones on the home page, and marks one read on opening it', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const unread = await s.notices.unreadCount(kwId)
    assert.ok(unread > 0)
    const home = await kw.get('/')
    assert.match(home.text, new RegExp(`You have ${unread} new notices?`))
    const list = await kw.get('/notices')
    assert.equal(list.status, 200)
    const target = (await s.notices.list(kwId)).find(n => !n.read_at)!
    // another user cannot open it
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/notices/open?id=${target.id}`)).headers.location, '/notices')
    assert.equal((await s.notices.list(kwId)).find(n => n.id === target.id)?.read_at, null)
    const res = await kw.get(`/notices/open?id=${target.id}`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, target.link)
    assert.ok((await s.notices.list(kwId)).find(n => n.id === target.id)?.read_at)
    assert.equal(await s.notices.unreadCount(kwId), unread - 1)
  })
})

describe('calibration marks', () => {
  it('records a marker’s mark blind, tells the officer only when the exercise is released after closing', async () => {
    const entry = await newEntry()
    const now = new Date().toISOString()
    const { id: calibrationId } = await db
      .insertInto('qa_calibrations')
      .values({
        establishment_id: mdi.establishmentId,
        title: 'March double marking',
        rubric_version_id: rubric.versionId,
        status: 'open',
        due_on: null,
        created_at: now,
        created_by_user_id: null,
        created_by: 'system',
        closed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('qa_calibration_entries').values({ calibration_id: calibrationId, session_id: entry }).execute()
    const marker = await actorFor('second_so.mdi')
    await db
      .insertInto('qa_calibration_markers')
      .values({ calibration_id: calibrationId, user_id: marker.userId })
      .execute()
    const mark = {
      sessionId: entry,
      kind: 'calibration' as const,
      calibrationId,
      scores: rubric.criteria.map(c => ({ criterionId: c.id, score: 2 })),
      overall: 2,
      good: 'Clear.',
      change: 'Add a goal.',
    }
    const noticesBefore = (await s.notices.list(kwId)).length
    const notMarker = await s.qa.recordReview(await actorFor('supervising_officer.mdi'), mark)
    assert.deepEqual(notMarker, { ok: false, errors: { form: 'You are not a marker of this calibration exercise' } })
    const r = await s.qa.recordReview(marker, mark)
    assert.ok(r.ok)
    assert.equal((await s.qa.recordReview(marker, mark)).ok, false, 'a second mark of the same entry')
    assert.equal((await s.notices.list(kwId)).length, noticesBefore, 'blind: the officer is not told yet')
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.doesNotMatch((await kw.get('/my-feedback')).text, new RegExp(`review\\?id=${r.value.reviewId}"`))
    assert.equal(await s.qa.releaseCalibration(SYSTEM, calibrationId), 0, 'not while it is open')
    await db
      .updateTable('qa_calibrations')
      .set({ status: 'closed', closed_at: now })
      .where('id', '=', calibrationId)
      .execute()
    assert.equal(await s.qa.releaseCalibration(SYSTEM, calibrationId), 1)
    assert.ok((await s.notices.list(kwId)).some(n => n.link === `/my-feedback/review?id=${r.value.reviewId}`))
    const email = await db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('reference', '=', `qa-calibration-${calibrationId}-${kwId}`)
      .executeTakeFirstOrThrow()
    assert.equal(email.to_address, 'kw.mdi@example.org')
    assert.match((await kw.get('/my-feedback')).text, new RegExp(`review\\?id=${r.value.reviewId}"`))
    assert.equal((await kw.get(`/my-feedback/review?id=${r.value.reviewId}`)).status, 200)
  })
})
