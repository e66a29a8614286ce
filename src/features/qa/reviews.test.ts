import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { signedIn } from '../../../test/harness'
import { qaTestWorld } from '../../../test/support/qa'

const {
  world,
  s,
  db,
  mdi,
  lei,
  SYSTEM,
  actorFor,
  count,
  rubric,
  kwId,
  reviewAs,
  shown,
  reviewForm,
  newEntry,
  sampledEntry,
  reviewedEntry,
} = await qaTestWorld()
after(() => world.close())
afterEach(() => setClock(null))

describe('reviews', () => {
  it('saves a sampled entry’s review, tells the officer in the service and by email', async () => {
    const { sample } = await sampledEntry('2025-04-07')
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
    const { entry, sample } = await sampledEntry('2025-06-02')
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

describe('amending a review', () => {
  it('appends the change and its reason, never losing what it said; only its SO or the admin', async () => {
    const { reviewId } = await reviewedEntry()
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
