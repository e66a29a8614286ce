import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { type Browser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { insertSession } from '../../../test/support/referrals'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()

// another prisoner of MDI, named in the entry below without being its subject
const actor = { ...SYSTEM_ACTOR, establishmentId: mdi.establishmentId }
const made = await s.prisoners.create(
  actor,
  mdi.establishmentId,
  prisonerRecordSchema.parse({
    prisonNumber: 'C3333CC',
    firstName: 'Art',
    lastName: 'Kowalczyk',
    dateOfBirth: '1990-01-01',
    unit: 'HB1',
    cell: 'HB1-1-010',
    receptionDate: '2025-01-01',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
    nationality: 'British',
  }),
)
assert.ok(made.ok)
const prisonerId = (await s.prisoners.get(mdi.establishmentId, mdi.prisonNumber))!.id

const WORDS =
  "Tomasz Nowak (A1111AA) said on 3 March 2026 that he wants to stay on Houseblock 1 at HMP Moorland until release. NOWAK's cellmate Art helps him read the Article 4 letters."
const AGREED =
  'Sam will ask the resettlement hub in Leeds about housing by 10/04/2026. Tomasz will write to his sister.'

async function entry(o: { status?: 'submitted' | 'draft'; pathways?: string } = {}) {
  return insertSession(db, {
    establishmentId: mdi.establishmentId,
    prisonerId,
    staffId: mdi.staffId,
    author: 'key_worker.mdi',
    sessionDate: addDays(today, -2),
    prisonerWords: WORDS,
    agreed: AGREED,
    pathways: o.pathways ?? 'accommodation,children-families',
    status: o.status ?? 'submitted',
  })
}

const nominations = async () => {
  const r = await db
    .selectFrom('good_practice')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

const row = (id: number) => db.selectFrom('good_practice').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

async function nationalIn(code: 'MDI' | 'LEI'): Promise<Browser> {
  const b = await signedIn(world, 'national')
  assert.equal((await b.post('/establishment/switch', { establishment: code }, '/')).status, 303)
  return b
}

async function nominate(sessionId: number, reason = 'A plan in the man’s own words, with a real service.') {
  const so = await signedIn(world, 'supervising_officer.mdi')
  const res = await so.post(
    '/good-practice/nominate',
    { session: String(sessionId), reason },
    `/good-practice/nominate?session=${sessionId}`,
  )
  assert.equal(res.status, 303)
  assert.equal(res.headers.location, `/sessions/${sessionId}`)
  const { id } = await db
    .selectFrom('good_practice')
    .select('id')
    .where('session_id', '=', sessionId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return id
}

describe('nominating an entry', () => {
  it('lets a Supervising Officer nominate a submitted entry of the establishment, with a reason, audited', async () => {
    const sessionId = await entry()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const form = await so.get(`/good-practice/nominate?session=${sessionId}`)
    assert.equal(form.status, 200)
    assert.match(form.text, /Why is this entry good practice\?/)
    assert.match(form.text, /wants to stay on Houseblock 1/)
    const id = await nominate(sessionId)
    const r = await row(id)
    assert.equal(r.status, 'nominated')
    assert.equal(r.establishment_id, mdi.establishmentId)
    assert.equal(r.nominated_by, 'supervising_officer.mdi')
    assert.equal(r.pathways, 'accommodation,children-families')
    assert.equal(r.title, null)
    assert.equal(r.text, null)
    const events = await s.audit.forEntity('good_practice', String(id))
    assert.deepEqual(
      events.map(e => e.action),
      ['create'],
    )

    // a second nomination of the same entry is refused while the first waits
    const before = await nominations()
    const again = await so.post(
      '/good-practice/nominate',
      { session: String(sessionId), reason: 'Again' },
      '/good-practice',
    )
    assert.equal(again.status, 303)
    assert.match((await so.get(again.headers.location!)).text, /already been nominated/)
    assert.equal(await nominations(), before)
  })

  it('refuses an empty reason, a draft, another establishment’s entry and other roles, saving nothing', async () => {
    const sessionId = await entry()
    const draft = await entry({ status: 'draft' })
    const so = await signedIn(world, 'supervising_officer.mdi')
    const before = await nominations()
    const empty = await so.post(
      '/good-practice/nominate',
      { session: String(sessionId), reason: '   ' },
      '/good-practice',
    )
    assert.equal(empty.status, 303)
    assert.equal(empty.headers.location, `/good-practice/nominate?session=${sessionId}`)
    assert.match((await so.get(empty.headers.location)).text, /Enter why this entry is good practice/)
    const long = await so.post(
      '/good-practice/nominate',
      { session: String(sessionId), reason: 'x'.repeat(2001) },
      '/good-practice',
    )
    assert.match((await so.get(long.headers.location!)).text, /2000 characters or fewer/)
    assert.equal((await so.get(`/good-practice/nominate?session=${draft}`)).status, 404)
    assert.equal((await so.get(`/good-practice/nominate?session=${lei.sessionId}`)).status, 404)
    // typed in the form that asks for the entry's number: told there is no such entry here, and asked again
    for (const session of [String(draft), String(lei.sessionId), '99999999']) {
      const res = await so.post('/good-practice/nominate', { session, reason: 'Good' }, '/good-practice/nominate')
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/good-practice/nominate')
      const page = await so.get('/good-practice/nominate')
      assert.match(page.text, /There is no submitted entry with that number at this establishment/)
      assert.match(page.text, new RegExp(`name="session" type="text" value="${session}"`))
    }
    for (const session of ['abc', '0', '1e3', '']) {
      const res = await so.post('/good-practice/nominate', { session, reason: '' }, '/good-practice/nominate')
      assert.equal(res.headers.location, '/good-practice/nominate')
      const page = await so.get('/good-practice/nominate')
      assert.match(page.text, /Choose the entry to nominate/)
      assert.match(page.text, /Enter why this entry is good practice/)
    }
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal(
      (await kw.post('/good-practice/nominate', { session: String(sessionId), reason: 'Good' }, '/good-practice'))
        .status,
      403,
    )
    const national = await nationalIn('MDI')
    assert.equal((await national.get(`/good-practice/nominate?session=${sessionId}`)).status, 403)
    assert.equal(await nominations(), before)
  })
})

describe('reviewing a nomination', () => {
  it('shows the national team the entry and its redacted text, each removal marked', async () => {
    const id = await nominate(await entry())
    const national = await nationalIn('MDI')
    const list = await national.get('/good-practice/nominations')
    assert.equal(list.status, 200)
    assert.match(list.text, new RegExp(`href="/good-practice/nominations/${id}"`))
    const page = await national.get(`/good-practice/nominations/${id}`)
    assert.equal(page.status, 200)
    // as written
    assert.match(page.text, /Tomasz Nowak \(A1111AA\) said on 3 March 2026/)
    // redacted, each removal marked with what it replaced
    for (const [placeholder, original] of [
      ['[name]', 'Tomasz'],
      ['[name]', 'Nowak'],
      ['[prison number]', 'A1111AA'],
      ['[date]', '3 March 2026'],
      ['[place]', 'Houseblock 1'],
      ['[place]', 'HMP Moorland'],
      ['[name]', 'NOWAK'],
      ['[name]', 'Art'],
      ['[name]', 'Sam'],
      ['[place]', 'Leeds'],
      ['[place]', 'resettlement hub'],
      ['[date]', '10/04/2026'],
    ])
      assert.ok(
        page.text.includes(`<mark>${placeholder}<span class="govuk-visually-hidden"> (`) &&
          page.text.includes(`<del class="govuk-body-s">${original}</del>`),
        `${original} marked as ${placeholder}`,
      )
    // the text offered to publish
    const textarea = /<textarea[^>]*name="text"[^>]*>([^<]*)<\/textarea>/.exec(page.text)![1]!
    const offered = textarea.replaceAll('&#39;', "'").replaceAll('&amp;', '&')
    assert.equal(
      offered,
      "In their own words:\n[name] [name] ([prison number]) said on [date] that he wants to stay on [place] at [place] until release. [name]'s cellmate [name] helps him read the Article 4 letters.\n\n" +
        // the directory's location "Resettlement hub" is a place
        'What was agreed:\n[name] will ask the [place] in [place] about housing by [date]. [name] will write to his sister.',
    )
    // the national team acting in another establishment finds it too: one list for every establishment
    const elsewhere = await nationalIn('LEI')
    assert.equal((await elsewhere.get(`/good-practice/nominations/${id}`)).status, 200)
    const lst = await elsewhere.get('/good-practice/nominations')
    assert.match(lst.text, new RegExp(`href="/good-practice/nominations/${id}"`))
    assert.match(lst.text, /Moorland \(HMP\): \d+ waiting/)
  })

  it('lets the national team decide a nomination of another establishment than the one it acts in', async () => {
    // an entry of LEI, nominated by LEI's Supervising Officer
    const leiPrisoner = (await s.prisoners.get(lei.establishmentId, lei.prisonNumber))!.id
    const sessionId = await insertSession(db, {
      establishmentId: lei.establishmentId,
      prisonerId: leiPrisoner,
      staffId: lei.staffId,
      author: 'key_worker.lei',
      sessionDate: addDays(today, -3),
      prisonerWords: 'He wants to keep his job in the kitchens after release.',
      agreed: 'Ask the employment hub for an interview before the end of the month.',
      pathways: 'education-training-employment',
    })
    const soLei = await signedIn(world, 'supervising_officer.lei')
    const made = await soLei.post(
      '/good-practice/nominate',
      { session: String(sessionId), reason: 'Employment planned well ahead of release.' },
      `/good-practice/nominate?session=${sessionId}`,
    )
    assert.equal(made.status, 303)
    const { id } = await db
      .selectFrom('good_practice')
      .select('id')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow()

    // the national team, acting in MDI, sees it in the one list with its establishment's name, and decides it
    const national = await nationalIn('MDI')
    const list = await national.get('/good-practice/nominations')
    assert.equal(list.status, 200)
    const rowHtml = list.text.slice(list.text.indexOf(`href="/good-practice/nominations/${id}"`))
    assert.match(rowHtml.slice(0, rowHtml.indexOf('</tr>')), /Leeds \(HMP\)/)
    assert.match(list.text, /Leeds \(HMP\): \d+ waiting/)
    const page = await national.get(`/good-practice/nominations/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /keep his job in the kitchens/)
    const res = await national.post(`/good-practice/nominations/${id}`, {
      decision: 'decline',
      note: 'We already publish one like it.',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/good-practice/nominations')
    const r = await row(id)
    assert.equal(r.status, 'declined')
    assert.equal(r.establishment_id, lei.establishmentId)
    assert.equal(r.decided_by, 'national')
    assert.equal(r.decision_note, 'We already publish one like it.')
    // audited in LEI's trail, and LEI's Supervising Officer told
    const update = (await s.audit.forEntity('good_practice', String(id))).find(e => e.action === 'update')
    assert.equal(update?.establishment_id, lei.establishmentId)
    const notice = await db
      .selectFrom('user_notices')
      .innerJoin('users', 'users.id', 'user_notices.user_id')
      .select(['users.username', 'user_notices.establishment_id'])
      .where('user_notices.link', '=', `/sessions/${sessionId}`)
      .execute()
    assert.deepEqual(notice, [{ username: 'supervising_officer.lei', establishment_id: lei.establishmentId }])

    // an establishment's own scope (anyone but the national team) never reaches another's nomination
    assert.equal(await s.goodPractice.review(mdi.establishmentId, id), null)
    assert.notEqual(await s.goodPractice.review(lei.establishmentId, id), null)
    const listMdi = await s.goodPractice.nominations(mdi.establishmentId)
    assert.ok(!listMdi.rows.some(n => n.id === id))
    assert.ok(listMdi.rows.every(n => n.establishment_id === mdi.establishmentId))
    assert.ok((await s.goodPractice.nominations(null)).rows.some(n => n.id === id))
  })

  it('publishes an edited text redacted again, so no name or prison number of the entry reaches the library', async () => {
    const id = await nominate(await entry({ pathways: 'children-families' }))
    const national = await nationalIn('MDI')
    const res = await national.post(`/good-practice/nominations/${id}`, {
      decision: 'publish',
      title: 'Keeping in touch with family: Tomasz’s letter',
      text: 'He (Nowak, a1111aa) agreed on Tuesday 7th April to write to his sister; tomasz chose the words himself.',
      note: '',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/good-practice/nominations')
    assert.match((await national.get('/good-practice/nominations')).text, /5 more names, dates or places were removed/)
    const r = await row(id)
    assert.equal(r.status, 'published')
    assert.equal(r.decided_by, 'national')
    assert.equal(r.title, 'Keeping in touch with family: [name]’s letter')
    assert.equal(
      r.text,
      'He ([name], [prison number]) agreed on [date] to write to his sister; [name] chose the words himself.',
    )
    const update = (await s.audit.forEntity('good_practice', String(id))).find(e => e.action === 'update')
    assert.deepEqual(JSON.parse(update!.changes!).status, { from: 'nominated', to: 'published' })
    const notice = await db
      .selectFrom('user_notices')
      .innerJoin('users', 'users.id', 'user_notices.user_id')
      .select(['users.username', 'user_notices.message', 'user_notices.kind'])
      .where('user_notices.link', '=', `/good-practice/${id}`)
      .execute()
    assert.deepEqual(notice, [
      {
        username: 'supervising_officer.mdi',
        message: 'An entry you nominated is now in the good-practice library',
        kind: 'good-practice',
      },
    ])

    // every role, in any establishment, reads it; it shows nothing of the original entry's people
    for (const username of ['key_worker.lei', 'supervising_officer.mdi', 'establishment_admin.lei']) {
      const b = await signedIn(world, username)
      const item = await b.get(`/good-practice/${id}`)
      assert.equal(item.status, 200, username)
      // the page's main part: the header names the establishment the reader acts in
      const main = item.text.slice(item.text.indexOf('<main'), item.text.indexOf('</main>'))
      for (const leak of ['Tomasz', 'Nowak', 'NOWAK', 'A1111AA', 'a1111aa', 'Kowalczyk', 'Sam Officer', 'Moorland'])
        assert.ok(!main.includes(leak), `${leak} on the library page (${username})`)
      assert.match(item.text, /write to his sister/)
      const library = await b.get('/good-practice?pathway=children-families')
      assert.match(library.text, /Keeping in touch with family/)
      assert.doesNotMatch((await b.get('/good-practice?pathway=health')).text, /Keeping in touch with family/)
    }

    // decided: a second decision is refused, and nothing changes
    const again = await national.post(`/good-practice/nominations/${id}`, {
      decision: 'decline',
      note: 'Changed my mind',
    })
    assert.equal(again.status, 303)
    assert.match((await national.get(`/good-practice/nominations/${id}`)).text, /already been published/)
    assert.deepEqual(await row(id), r)
  })

  it('declines with a note, and refuses a decision without what it needs, saving nothing', async () => {
    const id = await nominate(await entry())
    const national = await nationalIn('MDI')
    const path = `/good-practice/nominations/${id}`
    const before = await row(id)
    const cases: [Record<string, string>, RegExp[]][] = [
      [{}, [/Choose whether to publish or decline the entry/]],
      [{ decision: 'publish', title: '', text: '' }, [/Enter a title for the library/, /Enter the text to publish/]],
      [{ decision: 'decline', note: '  ' }, [/Enter why the entry is declined/]],
      [{ decision: 'delete' }, [/Choose whether to publish or decline the entry/]],
      [{ decision: 'publish', title: 'x'.repeat(151), text: 'ok' }, [/150 characters or fewer/]],
    ]
    for (const [body, messages] of cases) {
      const res = await national.post(path, body)
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, path)
      const page = await national.get(path)
      assert.match(page.text, /There is a problem/)
      for (const m of messages) assert.match(page.text, m, JSON.stringify(body))
    }
    assert.deepEqual(await row(id), before)
    const res = await national.post(path, { decision: 'decline', note: 'Too close to another item already published.' })
    assert.equal(res.status, 303)
    const r = await row(id)
    assert.equal(r.status, 'declined')
    assert.equal(r.decision_note, 'Too close to another item already published.')
    assert.equal(r.text, null)
    // not in the library
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get(`/good-practice/${id}`)).status, 404)
  })

  it('keeps review to the national team: a Supervising Officer sees no nomination, of theirs or another’s', async () => {
    const id = await nominate(await entry())
    for (const username of ['key_worker.mdi', 'supervising_officer.mdi', 'establishment_admin.mdi']) {
      const b = await signedIn(world, username)
      assert.equal((await b.get('/good-practice/nominations')).status, 403)
      assert.equal((await b.get(`/good-practice/nominations/${id}`)).status, 403)
      assert.equal(
        (await b.post(`/good-practice/nominations/${id}`, { decision: 'decline', note: 'No' }, '/')).status,
        403,
      )
    }
    // a Supervising Officer of MDI is refused LEI's nomination as well as MDI's
    const soMdi = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await soMdi.get(`/good-practice/nominations/${lei.nominationId}`)).status, 403)
    assert.equal(
      (await soMdi.post(`/good-practice/nominations/${lei.nominationId}`, { decision: 'decline', note: 'No' }, '/'))
        .status,
      403,
    )
    assert.equal((await row(id)).status, 'nominated')
    assert.equal((await row(lei.nominationId)).status, 'nominated')
    // an unknown nomination is not found, for the national team too
    const national = await nationalIn('LEI')
    assert.equal((await national.get('/good-practice/nominations/99999999')).status, 404)
    assert.equal(
      (await national.post('/good-practice/nominations/99999999', { decision: 'decline', note: 'No' }, '/')).status,
      404,
    )
  })
})

describe('the library', () => {
  it('lists published items by pathway for every role, and no unpublished or unknown one', async () => {
    for (const username of ['key_worker.mdi', 'supervising_officer.lei', 'establishment_admin.mdi', 'national']) {
      const b = await signedIn(world, username)
      const page = await b.get('/good-practice')
      assert.equal(page.status, 200, username)
      // the fixtures' items, one published from each establishment
      assert.match(page.text, /Good practice: accommodation \(MDI\)/)
      assert.match(page.text, /Good practice: accommodation \(LEI\)/)
      assert.doesNotMatch((await b.get('/good-practice?pathway=drugs-alcohol')).text, /Good practice: accommodation/)
      assert.match((await b.get('/good-practice?pathway=nonsense')).text, /Good practice: accommodation \(LEI\)/)
      assert.equal((await b.get('/good-practice/99999999')).status, 404)
      assert.equal((await b.get('/good-practice/abc')).status, 404)
    }
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.match((await kw.get('/guidance')).text, /href="\/good-practice"/)
  })
})

describe('the links on a submitted entry', () => {
  const NOMINATE = (id: number) => `href="/good-practice/nominate?session=${id}"`
  const REVIEW = (id: number) => `href="/quality/reviews/new?session=${id}"`
  const COMMEND = (id: number) => `href="/quality/commend?session=${id}"`

  it('offers a Supervising Officer to review, commend and nominate it, and no one else', async () => {
    const sessionId = await entry()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get(`/sessions/${sessionId}`)
    assert.equal(page.status, 200)
    for (const link of [NOMINATE, REVIEW, COMMEND]) assert.ok(page.text.includes(link(sessionId)), link(sessionId))
    assert.match(page.text, /Nominate for the good-practice library/)
    // each opens for them
    for (const href of [
      `/good-practice/nominate?session=${sessionId}`,
      `/quality/reviews/new?session=${sessionId}`,
      `/quality/commend?session=${sessionId}`,
    ])
      assert.equal((await so.get(href)).status, 200, href)

    for (const username of ['key_worker.mdi', 'establishment_admin.mdi']) {
      const b = await signedIn(world, username)
      const other = await b.get(`/sessions/${sessionId}`)
      assert.equal(other.status, 200, username)
      for (const link of [NOMINATE, REVIEW, COMMEND]) assert.ok(!other.text.includes(link(sessionId)), username)
    }
    const national = await nationalIn('MDI')
    const np = await national.get(`/sessions/${sessionId}`)
    assert.equal(np.status, 200)
    for (const link of [NOMINATE, REVIEW, COMMEND]) assert.ok(!np.text.includes(link(sessionId)), 'national')
  })

  it('offers nothing on a deleted entry, and no Supervising Officer reaches another establishment’s', async () => {
    const sessionId = await entry()
    await db
      .updateTable('key_work_sessions')
      .set({
        status: 'deleted',
        deleted_by: 'establishment_admin.mdi',
        deleted_at: new Date().toISOString(),
        deleted_reason: 'Entered twice',
      })
      .where('id', '=', sessionId)
      .execute()
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get(`/sessions/${sessionId}`)
    assert.equal(page.status, 200)
    for (const link of [NOMINATE, REVIEW, COMMEND]) assert.ok(!page.text.includes(link(sessionId)), link(sessionId))
    assert.equal((await so.get(`/sessions/${lei.sessionId}`)).status, 404)

    // their own entry (written in cover): nominated maybe, but neither reviewed nor commended by them
    const own = await entry()
    const { id: soId } = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'supervising_officer.mdi')
      .executeTakeFirstOrThrow()
    await db.updateTable('key_work_sessions').set({ author_user_id: soId }).where('id', '=', own).execute()
    const ownPage = await so.get(`/sessions/${own}`)
    assert.equal(ownPage.status, 200)
    assert.ok(ownPage.text.includes(NOMINATE(own)))
    assert.ok(!ownPage.text.includes(REVIEW(own)))
    assert.ok(!ownPage.text.includes(COMMEND(own)))
  })
})
