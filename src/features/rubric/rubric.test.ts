import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { NATIONAL_RUBRIC_V1 } from '../../domain/rubric'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type Browser, signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'

// The quality rubric (issue 15): the national versions (the national team drafts, changes, adds to and publishes;
// reviews keep their version) and each establishment's own criteria (added, changed, retired, never deleted), over
// the routes and a real database.

let world: SeededWorld
before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const s = () => world.services
const db = () => world.services.db.db
const mdi = () => world.seeded.MDI
const lei = () => world.seeded.LEI
const as = (username: string) => signedIn(world, username)

const criterionRow = (id: number) => db().selectFrom('qa_criteria').selectAll().where('id', '=', id).executeTakeFirst()
const localCount = async (establishmentId: number) =>
  (await db().selectFrom('qa_criteria').select('id').where('establishment_id', '=', establishmentId).execute()).length
const auditOf = (entity: string, id: number | string) =>
  db()
    .selectFrom('audit_events')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()

const newCriterion = (over: Record<string, string> = {}) => ({
  code: 'MDI-2',
  title: 'Officer checked the cell sharing risk',
  guidance: 'The entry says the cell sharing risk assessment was looked at when the prisoner moved.',
  descriptor1: 'Not looked at although the prisoner moved cell',
  descriptor2: 'Mentioned without saying what it found',
  descriptor3: 'Looked at, with what it found',
  descriptor4: 'Looked at, acted on, and the prisoner told',
  ...over,
})

describe('the national rubric, version 1', () => {
  it('is written once, with its nine criteria and four descriptors each, however often it is ensured', async () => {
    await s().rubric.ensureNational()
    await s().rubric.ensureNational()
    const versions = await db().selectFrom('qa_rubric_versions').selectAll().execute()
    assert.equal(versions.length, 1)
    assert.equal(versions[0]!.version, 1)
    assert.equal(versions[0]!.status, 'published')
    const r = await s().rubric.current(mdi().establishmentId)
    assert.equal(r.version, 1)
    assert.equal(r.versionId, versions[0]!.id)
    const national = r.criteria.filter(c => c.national)
    assert.deepEqual(
      national.map(c => c.code),
      NATIONAL_RUBRIC_V1.criteria.map(c => c.code),
    )
    assert.deepEqual(national[0]!.descriptors, NATIONAL_RUBRIC_V1.criteria[0]!.descriptors)
    // and the establishment's own (active) criteria after them, only its own
    assert.deepEqual(
      r.criteria.filter(c => !c.national).map(c => c.code),
      ['MDI-1'],
    )
    assert.deepEqual(
      (await s().rubric.current(lei().establishmentId)).criteria.filter(c => !c.national).map(c => c.code),
      ['LEI-1'],
    )
  })
})

describe('the rubric page', () => {
  it('is read by every role, with the descriptors and the establishment’s own criteria', async () => {
    for (const username of ['key_worker.mdi', 'supervising_officer.mdi', 'establishment_admin.mdi', 'national']) {
      const b = await as(username)
      if (username === 'national') await b.post('/establishment/switch', { establishment: 'MDI' }, '/')
      const page = await b.get('/quality/rubric')
      assert.equal(page.status, 200, username)
      assert.match(page.text, /The prisoner&#39;s own voice|The prisoner's own voice/)
      assert.match(page.text, /4 – Good practice/)
      assert.match(page.text, /No goal is set, and open goals are not reviewed\./)
      assert.match(page.text, /Use of the Houseblock 1 hub/, `${username}: MDI’s own criterion`)
      assert.doesNotMatch(page.text, /Use of the A wing hub/, `${username}: not LEI’s`)
      assert.doesNotMatch(page.text, /undefined|\[object Object\]/)
      const mayChange = username === 'supervising_officer.mdi' || username === 'establishment_admin.mdi'
      assert.equal(/Add a criterion/.test(page.text), mayChange, `${username}: add a criterion`)
      assert.equal(/Start a new version/.test(page.text), username === 'national', `${username}: start a version`)
    }
  })

  it('answers 404 for a version that does not exist', async () => {
    const b = await as('key_worker.mdi')
    assert.equal((await b.get('/quality/rubric?version=99')).status, 404)
    assert.equal((await b.get('/quality/rubric?version=abc')).status, 404)
  })
})

describe('an establishment’s own criteria', () => {
  let so: Browser
  before(async () => {
    so = await as('supervising_officer.mdi')
  })

  it('are added by a Supervising Officer, audited', async () => {
    const res = await so.post('/quality/rubric/criteria', newCriterion(), '/quality/rubric/criteria/new')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/quality/rubric#local')
    const row = await db()
      .selectFrom('qa_criteria')
      .selectAll()
      .where('establishment_id', '=', mdi().establishmentId)
      .where('code', '=', 'MDI-2')
      .executeTakeFirstOrThrow()
    assert.equal(row.rubric_version_id, null)
    assert.equal(row.title, 'Officer checked the cell sharing risk')
    assert.equal(row.descriptor_4, 'Looked at, acted on, and the prisoner told')
    assert.equal(row.active, 1)
    const events = await auditOf('qa_criterion', row.id)
    assert.equal(events.length, 1)
    assert.equal(events[0]!.action, 'create')
    assert.equal(events[0]!.username, 'supervising_officer.mdi')
    assert.equal(events[0]!.establishment_id, mdi().establishmentId)
  })

  it('lists every problem at once and saves nothing', async () => {
    const before = await localCount(mdi().establishmentId)
    const res = await so.post(
      '/quality/rubric/criteria',
      { code: '1 bad', title: '', guidance: '', descriptor1: '', descriptor2: 'x', descriptor3: '', descriptor4: '' },
      '/quality/rubric/criteria/new',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/quality/rubric/criteria/new')
    const page = await so.get('/quality/rubric/criteria/new')
    assert.match(page.text, /There is a problem/)
    for (const message of [
      'The code must start with a letter and have only letters, numbers and hyphens, 2 to 20 of them',
      'Enter a title',
      'Enter guidance for the reviewer',
      'Enter what a score of 1 (poor) looks like',
      'Enter what a score of 3 (good) looks like',
      'Enter what a score of 4 (good practice) looks like',
    ])
      assert.ok(page.text.includes(message), message)
    assert.doesNotMatch(page.text, /Enter what a score of 2/)
    assert.match(page.text, /name="descriptor2"[^>]*>x<\/textarea>|>x<\/textarea>/, 'what was typed is kept')
    assert.equal(await localCount(mdi().establishmentId), before)
  })

  it('refuses a national criterion’s code, a code already used, text too long, and lists where text is expected', async () => {
    const before = await localCount(mdi().establishmentId)
    const tries: [Record<string, string | string[]>, string][] = [
      [newCriterion({ code: 'Voice' }), 'That code is used by a national criterion: choose another'],
      [newCriterion({ code: 'mdi-1' }), 'Your establishment already has a criterion with that code: choose another'],
      [newCriterion({ code: 'MDI-9', title: 'x'.repeat(121) }), 'The title must be 120 characters or fewer'],
      [{ ...newCriterion({ code: 'MDI-9' }), title: ['a', 'b'] }, 'Enter a title'],
    ]
    for (const [fields, message] of tries) {
      const res = await so.post('/quality/rubric/criteria', fields, '/quality/rubric/criteria/new')
      assert.equal(res.status, 303)
      const page = await so.get('/quality/rubric/criteria/new')
      assert.ok(page.text.includes(message), message)
    }
    assert.equal(await localCount(mdi().establishmentId), before)
  })

  it('a second add of the same criterion (a double submit) is refused by its code', async () => {
    const fields = newCriterion({ code: 'MDI-3' })
    const [a, b] = await Promise.all([
      so.post('/quality/rubric/criteria', fields, '/quality/rubric/criteria/new'),
      so.post('/quality/rubric/criteria', fields, '/quality/rubric/criteria/new'),
    ])
    assert.equal(a.status, 303)
    assert.equal(b.status, 303)
    await so.get('/quality/rubric/criteria/new') // the refused one's errors, shown once
    const rows = await db()
      .selectFrom('qa_criteria')
      .select('id')
      .where('establishment_id', '=', mdi().establishmentId)
      .where('code', '=', 'MDI-3')
      .execute()
    assert.equal(rows.length, 1)
  })

  it('are changed (audited, with what changed) and 404 for another establishment’s', async () => {
    const id = mdi().criterionId
    const page = await so.get(`/quality/rubric/criteria/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /value="MDI-1"/)
    const res = await so.post(
      `/quality/rubric/criteria/${id}`,
      newCriterion({ code: 'MDI-1', title: 'Use of the hub' }),
      `/quality/rubric/criteria/${id}`,
    )
    assert.equal(res.status, 303)
    assert.equal((await criterionRow(id))!.title, 'Use of the hub')
    const events = await auditOf('qa_criterion', id)
    const update = events.find(e => e.action === 'update')!
    assert.deepEqual((JSON.parse(update.changes!) as Record<string, unknown>).title, {
      from: 'Use of the Houseblock 1 hub',
      to: 'Use of the hub',
    })
    // another establishment's: 404, and unchanged
    const other = lei().criterionId
    assert.equal((await so.get(`/quality/rubric/criteria/${other}`)).status, 404)
    const post = await so.post(`/quality/rubric/criteria/${other}`, newCriterion({ code: 'LEI-1' }), '/quality/rubric')
    assert.equal(post.status, 404)
    assert.equal((await criterionRow(other))!.title, 'Use of the A wing hub')
    // bad input: nothing saved
    const bad = await so.post(
      `/quality/rubric/criteria/${id}`,
      { code: 'MDI-1', title: '' },
      `/quality/rubric/criteria/${id}`,
    )
    assert.equal(bad.status, 303)
    assert.equal((await criterionRow(id))!.title, 'Use of the hub')
  })

  it('are retired (never deleted), then left out of new reviews, kept for old ones, and restored', async () => {
    const admin = await as('establishment_admin.mdi')
    const id = mdi().criterionId
    const res = await admin.post(`/quality/rubric/criteria/${id}/retire`, {}, '/quality/rubric')
    assert.equal(res.status, 303)
    const row = await criterionRow(id)
    assert.equal(row!.active, 0, 'still there, retired')
    const current = await s().rubric.current(mdi().establishmentId)
    assert.ok(!current.criteria.some(c => c.id === id), 'not scored in new reviews')
    const old = await s().rubric.forReview(current.versionId, mdi().establishmentId, [id])
    assert.ok(
      old.criteria.some(c => c.id === id),
      'kept for a review that scored it',
    )
    const page = await admin.get('/quality/rubric')
    assert.match(page.text, /Retired criteria/)
    await admin.post(`/quality/rubric/criteria/${id}/restore`, {}, '/quality/rubric')
    assert.equal((await criterionRow(id))!.active, 1)
    const events = await auditOf('qa_criterion', id)
    assert.deepEqual(
      events
        .filter(e => e.action === 'update')
        .map(e => JSON.parse(e.changes!) as unknown)
        .slice(-2),
      [{ active: { from: true, to: false } }, { active: { from: false, to: true } }],
    )
    // another establishment's: 404, and untouched
    assert.equal(
      (await admin.post(`/quality/rubric/criteria/${lei().criterionId}/retire`, {}, '/quality/rubric')).status,
      404,
    )
    assert.equal((await criterionRow(lei().criterionId))!.active, 1)
  })

  it('never reach a national criterion: it is not the establishment’s to change or retire', async () => {
    const national = (await s().rubric.current(mdi().establishmentId)).criteria.find(c => c.national)!
    assert.equal((await so.get(`/quality/rubric/criteria/${national.id}`)).status, 404)
    assert.equal((await so.post(`/quality/rubric/criteria/${national.id}/retire`, {}, '/quality/rubric')).status, 404)
    assert.equal((await criterionRow(national.id))!.active, 1)
  })

  it('are not for Key Workers or the national team', async () => {
    const kw = await as('key_worker.mdi')
    assert.equal((await kw.get('/quality/rubric/criteria/new')).status, 403)
    const res = await kw.post('/quality/rubric/criteria', newCriterion({ code: 'MDI-8' }), '/quality/rubric')
    assert.equal(res.status, 403)
    const np = await as('national')
    await np.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.equal((await np.post('/quality/rubric/criteria', newCriterion({ code: 'MDI-8' }), '/')).status, 403)
    assert.equal((await np.post(`/quality/rubric/criteria/${mdi().criterionId}/retire`, {}, '/')).status, 403)
  })
})

describe('a new national version', () => {
  it('only the national team starts, changes and publishes one', async () => {
    for (const username of ['supervising_officer.mdi', 'establishment_admin.mdi', 'key_worker.mdi']) {
      const b = await as(username)
      assert.equal((await b.post('/quality/rubric/draft', {}, '/quality/rubric')).status, 403, username)
      assert.equal((await b.get('/quality/rubric/draft')).status, 403, username)
      assert.equal((await b.post('/quality/rubric/draft/publish', { version: '2' }, '/quality/rubric')).status, 403)
    }
    assert.equal((await db().selectFrom('qa_rubric_versions').select('id').execute()).length, 1)
  })

  it('is drafted from the published one, changed, added to and published; earlier reviews keep version 1', async () => {
    const np = await as('national')
    await np.post('/establishment/switch', { establishment: 'MDI' }, '/')
    const v1 = await s().rubric.current(mdi().establishmentId)

    // nothing to publish or change before a draft exists
    assert.equal((await np.get('/quality/rubric/draft')).headers.location, '/quality/rubric')
    const start = await np.post('/quality/rubric/draft', { notes: 'Sharper descriptors' }, '/quality/rubric')
    assert.equal(start.status, 303)
    assert.equal(start.headers.location, '/quality/rubric/draft')
    const draft = (await s().rubric.draft())!
    assert.equal(draft.version, 2)
    assert.equal(draft.status, 'draft')
    const copy = (await s().rubric.version(draft.id))!.criteria
    assert.deepEqual(
      copy.map(c => [c.code, c.title]),
      v1.criteria.filter(c => c.national).map(c => [c.code, c.title]),
    )
    // one draft at a time
    const empty = await np.post('/quality/rubric/draft', {}, '/quality/rubric')
    assert.equal(empty.headers.location, '/quality/rubric')
    assert.match((await np.get('/quality/rubric')).text, /Enter what the new version is for/)
    const again = await np.post('/quality/rubric/draft', { notes: 'Another' }, '/quality/rubric')
    assert.equal(again.status, 303)
    assert.match((await np.get('/quality/rubric')).text, /A draft version is already being prepared/)

    // change the wording of the voice criterion (its code stays); the published version is untouched
    const edit = await np.get('/quality/rubric/draft/criterion?code=voice')
    assert.equal(edit.status, 200)
    const wording = {
      existing: 'voice',
      title: "The prisoner's own voice, in their words",
      guidance: 'Quoted words, attributed.',
      descriptor1: 'a1',
      descriptor2: 'a2',
      descriptor3: 'a3',
      descriptor4: 'a4',
    }
    const changed = await np.post('/quality/rubric/draft/criterion', wording, '/quality/rubric/draft')
    assert.equal(changed.status, 303)
    const voice2 = (await s().rubric.version(draft.id))!.criteria.find(c => c.code === 'voice')!
    assert.equal(voice2.title, "The prisoner's own voice, in their words")
    assert.deepEqual(voice2.descriptors, ['a1', 'a2', 'a3', 'a4'])
    const voice1 = (await s().rubric.version(v1.versionId))!.criteria.find(c => c.code === 'voice')!
    assert.equal(voice1.title, "The prisoner's own voice")
    // an unknown code: 404; bad wording: errors, nothing changed
    assert.equal((await np.get('/quality/rubric/draft/criterion?code=nope')).status, 404)
    const bad = await np.post('/quality/rubric/draft/criterion', { ...wording, title: '' }, '/quality/rubric/draft')
    assert.equal(bad.headers.location, '/quality/rubric/draft/criterion?code=voice')
    assert.equal((await s().rubric.version(draft.id))!.criteria.find(c => c.code === 'voice')!.title, voice2.title)

    // add a criterion; a code the draft has already is refused
    const add = { ...newCriterion({ code: 'equality', title: 'Equality and diversity considered' }) }
    assert.equal((await np.post('/quality/rubric/draft/criterion', add, '/quality/rubric/draft')).status, 303)
    const dup = await np.post('/quality/rubric/draft/criterion', { ...add, code: 'Goal' }, '/quality/rubric/draft')
    assert.equal(dup.headers.location, '/quality/rubric/draft/criterion')
    assert.match(
      (await np.get('/quality/rubric/draft/criterion')).text,
      /This version already has a criterion with that code/,
    )
    assert.equal((await s().rubric.version(draft.id))!.criteria.length, 10)

    // publishing needs the version the page showed
    const wrong = await np.post('/quality/rubric/draft/publish', {}, '/quality/rubric/draft')
    assert.equal(wrong.headers.location, '/quality/rubric/draft')
    assert.equal((await s().rubric.draft())!.status, 'draft')
    const published = await np.post('/quality/rubric/draft/publish', { version: '2' }, '/quality/rubric/draft')
    assert.equal(published.status, 303)
    const versions = await s().rubric.versions()
    assert.deepEqual(
      versions.map(v => [v.version, v.status]),
      [
        [2, 'published'],
        [1, 'superseded'],
      ],
    )
    const now = await s().rubric.current(mdi().establishmentId)
    assert.equal(now.version, 2)
    assert.equal(now.criteria.filter(c => c.national).length, 10)
    // a review that used version 1 still reads version 1's criteria
    const old = await s().rubric.forReview(v1.versionId, mdi().establishmentId)
    assert.equal(old.version, 1)
    assert.equal(old.criteria.find(c => c.code === 'voice')!.title, "The prisoner's own voice")
    // and version 1 can still be read, marked as earlier
    const page = await np.get('/quality/rubric?version=1')
    assert.equal(page.status, 200)
    assert.match(page.text, /This is an earlier version/)
    const audits = await auditOf('qa_rubric_version', draft.id)
    assert.deepEqual(
      audits.map(e => e.action),
      ['create', 'update'],
    )
    // a published version is never changed
    const r = await s().rubric.updateNational({ ...SYSTEM_ACTOR }, voice2.id, {
      title: 'x',
      guidance: 'x',
      descriptors: ['x', 'x', 'x', 'x'],
    })
    assert.equal(r.ok, false)
  })

  it('starts with adding a national criterion when there is no draft: one step, and nothing for a bad form', async () => {
    const np = await as('national')
    await np.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.equal(await s().rubric.draft(), null)
    const before = await s().rubric.versions()
    const published = await s().rubric.current(mdi().establishmentId)
    const nationalCodes = published.criteria.filter(c => c.national).map(c => c.code)

    // the form is there with no draft, and says saving starts one
    const form = await np.get('/quality/rubric/draft/criterion')
    assert.equal(form.status, 200)
    assert.match(form.text, /saving starts a new draft version/)

    // a bad form starts no draft
    const bad = await np.post('/quality/rubric/draft/criterion', newCriterion({ title: '' }), '/quality/rubric')
    assert.equal(bad.headers.location, '/quality/rubric/draft/criterion')
    assert.equal(await s().rubric.draft(), null)
    assert.equal((await s().rubric.versions()).length, before.length)

    // a good one starts the draft (a copy of the published version) with the criterion added
    const add = newCriterion({ code: 'wellbeing-plan', title: 'Wellbeing plan reviewed' })
    const saved = await np.post('/quality/rubric/draft/criterion', add, '/quality/rubric')
    assert.equal(saved.headers.location, '/quality/rubric/draft')
    const draft = (await s().rubric.draft())!
    assert.equal(draft.version, before.length + 1)
    assert.deepEqual(
      (await s().rubric.version(draft.id))!.criteria.map(c => c.code),
      [...nationalCodes, 'wellbeing-plan'],
    )
  })
})
