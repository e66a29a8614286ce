import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { signedIn } from '../../../test/harness'
import { qaTestWorld } from '../../../test/support/qa'

const { world, s, db, mdi, userId, count, rubric, kwId, shown, newEntry, reviewedEntry } = await qaTestWorld()
after(() => world.close())
afterEach(() => setClock(null))

describe('the officer’s feedback', () => {
  it('lists, reads, acknowledges and replies; the reviewer sees the reply', async () => {
    const { reviewId } = await reviewedEntry()
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
    const { reviewId } = await reviewedEntry()
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
