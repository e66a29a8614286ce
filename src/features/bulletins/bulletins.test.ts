import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { runDailyJobs } from '../../cli/jobs'
import { guidanceService } from '../guidance/service'
import { type Browser, createUser, signedIn, testWorld } from '../../../test/harness'

// Bulletins (issue 17) over real services and a real database (both engines). The clock is set: everything below
// is published on Wednesday 2 December 2026 (ISO week 2026-W49), and the weekly digest runs on the Monday after.
setClock('2026-12-02T10:00:00.000Z')
const world = await testWorld()
const s = world.services
const db = s.db.db
after(async () => {
  setClock(null)
  await world.close()
})
const MDI = world.est.MDI!
const LEI = world.est.LEI!

const countOf = async (table: 'bulletins' | 'bulletin_reads' | 'bulletin_digests') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const digestEmails = () =>
  db
    .selectFrom('outbox_emails')
    .select(['to_address', 'subject', 'body', 'reference', 'establishment_id'])
    .where('template', '=', 'bulletin-digest')
    .orderBy('id')
    .execute()
const userId = async (username: string) =>
  Number((await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id)
const headId = async () =>
  (
    await db
      .selectFrom('audit_events')
      .select(eb => eb.fn.max('id').as('last_id'))
      .executeTakeFirstOrThrow()
  ).last_id ?? 0
const eventsAfter = (id: number) =>
  db
    .selectFrom('audit_events')
    .select(['action', 'entity', 'entity_id', 'user_id', 'establishment_id'])
    .where('id', '>', id)
    .orderBy('id')
    .execute()

/** The home page's "New from the national team" panel ('' when it is not there). */
const panelOf = (html: string) => /<section class="app-bulletins[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''

const browsers = new Map<string, Browser>()
const as = async (username: string) => {
  let b = browsers.get(username)
  if (!b) {
    b = await signedIn(world, username)
    browsers.set(username, b)
  }
  return b
}
const national = { userId: await userId('national'), username: 'national', establishmentId: null }

// ids of what is published below, in order
const ids = { everyone: 0, soOnly: 0, guide: 0, worksheet: 0 }

describe('publishing a notice', () => {
  it('refuses an empty form with every problem listed at once, and saves nothing', async () => {
    const before = await countOf('bulletins')
    const np = await as('national')
    const res = await np.post('/bulletins/new', {})
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/bulletins/new')
    const page = await np.get('/bulletins/new')
    assert.match(page.text, /There is a problem/)
    for (const message of ['Enter a title', 'Enter a summary', 'Choose who the notice is for'])
      assert.ok(page.text.includes(message), message)
    assert.equal(await countOf('bulletins'), before)
  })

  it('asks for the roles when limited to some, refuses a link to another site, and saves nothing', async () => {
    const before = await countOf('bulletins')
    const np = await as('national')
    await np.post('/bulletins/new', {
      title: 'Something',
      summary: 'Text',
      link: 'https://example.com/phish',
      audience: 'roles',
    })
    const page = await np.get('/bulletins/new')
    assert.ok(page.text.includes('Choose at least one role the notice is for'))
    assert.ok(page.text.includes('The link must be a page in Key Work'))
    // what was typed is kept
    assert.ok(page.text.includes('value="Something"'))
    await np.post('/bulletins/new', { title: 'x', summary: 'y', link: '//example.com', audience: 'everyone' })
    assert.ok((await np.get('/bulletins/new')).text.includes('The link must be a page in Key Work'))
    assert.equal(await countOf('bulletins'), before)
  })

  it('publishes a notice to everyone, audited', async () => {
    const head = await headId()
    const np = await as('national')
    const res = await np.post('/bulletins/new', {
      title: 'Interpreters: use The Big Word',
      summary: 'Book a **telephone interpreter** for every session where one is needed.\n\n<script>alert(1)</script>',
      link: '/guidance',
      audience: 'everyone',
    })
    assert.equal(res.status, 303)
    const m = /^\/bulletins\/(\d+)$/.exec(res.headers.location ?? '')
    assert.ok(m, res.headers.location)
    ids.everyone = Number(m[1])
    const row = await db.selectFrom('bulletins').selectAll().where('id', '=', ids.everyone).executeTakeFirstOrThrow()
    assert.equal(row.kind, 'notice')
    assert.equal(row.audience, '')
    assert.equal(row.link, '/guidance')
    assert.equal(row.published_by, 'national')
    assert.equal(row.published_at, '2026-12-02T10:00:00.000Z')
    const events = await eventsAfter(head)
    assert.deepEqual(
      events.filter(e => e.entity === 'bulletin').map(e => [e.action, e.entity_id]),
      [['create', String(ids.everyone)]],
    )
    // the summary is Markdown rendered safely
    const page = await np.get(`/bulletins/${ids.everyone}`)
    assert.ok(page.text.includes('<strong>telephone interpreter</strong>'))
    assert.ok(!page.text.includes('<script>alert(1)'))
  })

  it('publishes a notice to Supervising Officers only', async () => {
    const np = await as('national')
    const res = await np.post('/bulletins/new', {
      title: 'For SOs: sampling for QA',
      summary: 'Sample two entries per officer each month.',
      link: '',
      audience: 'roles',
      roles: 'SUPERVISING_OFFICER',
    })
    ids.soOnly = Number(/(\d+)$/.exec(res.headers.location ?? '')![1])
    const row = await db.selectFrom('bulletins').selectAll().where('id', '=', ids.soOnly).executeTakeFirstOrThrow()
    assert.equal(row.audience, 'SUPERVISING_OFFICER')
    assert.equal(row.link, null)
  })
})

describe('automatic bulletins', () => {
  it('a new guide version announces itself in its transaction; an unchanged guide announces nothing', async () => {
    await s.guidance.ensureNationalContent()
    const before = await countOf('bulletins')
    const latest = (await s.guidance.latest())!
    const r = await s.guidance.publish(national, {
      body: `${latest.body}\n\n## Interpreters\n\nBook one.`,
      summary: 'Added a section on interpreters',
    })
    assert.ok(r.ok)
    const version = r.value
    assert.equal(await countOf('bulletins'), before + 1)
    const b = await db.selectFrom('bulletins').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.equal(b.kind, 'guide')
    assert.equal(b.guide_version, version)
    assert.equal(b.link, `/guidance/changes?version=${version}`)
    assert.equal(b.summary, 'Added a section on interpreters')
    assert.equal(b.audience, '')
    ids.guide = Number(b.id)
    // the same body again is refused: no version, no bulletin
    const again = await s.guidance.publish(national, {
      body: `${latest.body}\n\n## Interpreters\n\nBook one.`,
      summary: 'x',
    })
    assert.equal(again.ok, false)
    assert.equal(await countOf('bulletins'), before + 1)
  })

  it('a guide version whose announcement fails is not published either (one transaction)', async () => {
    const failing = guidanceService(db, {
      audit: s.audit,
      worksheets: s.worksheets,
      servicesForBooklet: async () => [],
      announce: async trx => {
        // the bulletin is written, then the announcement fails: both the version and the bulletin roll back
        await trx
          .insertInto('bulletins')
          .values({ kind: 'guide', title: 'x', summary: 'x', published_by: 'x', published_at: '2026-12-02T10:00:00Z' })
          .execute()
        throw new Error('announcement failed')
      },
    })
    const [versions, bulletins] = [(await s.guidance.versions()).length, await countOf('bulletins')]
    await assert.rejects(
      failing.publish(national, { body: '# A guide never published', summary: 'Never' }),
      /announcement failed/,
    )
    assert.equal((await s.guidance.versions()).length, versions)
    assert.equal(await countOf('bulletins'), bulletins)
  })

  it('a national worksheet announces itself; an establishment’s own does not', async () => {
    const before = await countOf('bulletins')
    const record = {
      title: 'Managing money inside',
      pathway: 'finance',
      purpose: 'Plan spending from prison wages.',
      guidance: 'Talk it through.',
      sheet: '# Managing money inside\n\n---',
    }
    const r = await s.worksheets.create(national, null, record)
    assert.ok(r.ok)
    const b = await db.selectFrom('bulletins').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.equal(b.kind, 'worksheet')
    assert.equal(b.worksheet_id, r.value)
    assert.equal(b.link, `/worksheets/${r.value}`)
    assert.equal(b.title, 'New worksheet: Managing money inside')
    ids.worksheet = Number(b.id)
    const local = await s.worksheets.create({ ...SYSTEM_ACTOR, establishmentId: MDI }, MDI, {
      ...record,
      title: 'Local sheet',
    })
    assert.ok(local.ok)
    assert.equal(await countOf('bulletins'), before + 1)
  })
})

describe('the home page and marking read', () => {
  it('shows a Key Worker the unread bulletins for their role, not the SOs’ one', async () => {
    const home = panelOf((await (await as('key_worker.mdi')).get('/')).text)
    assert.ok(home.includes('New from the national team'))
    assert.ok(home.includes('Interpreters: use The Big Word'))
    assert.ok(home.includes('Managing money inside'))
    assert.ok(!home.includes('For SOs: sampling for QA'))
    const so = panelOf((await (await as('supervising_officer.mdi')).get('/')).text)
    assert.ok(so.includes('For SOs: sampling for QA'))
  })

  it('opening a bulletin does not mark it read', async () => {
    const before = await countOf('bulletin_reads')
    const page = await (await as('key_worker.mdi')).get(`/bulletins/${ids.everyone}`)
    assert.equal(page.status, 200)
    assert.ok(page.text.includes('Mark as read'))
    assert.equal(await countOf('bulletin_reads'), before)
  })

  it('marks read once, audited, and the home page no longer shows it', async () => {
    const kw = await as('key_worker.mdi')
    const head = await headId()
    const res = await kw.post(`/bulletins/${ids.everyone}/read`, { returnTo: '/' }, '/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/')
    const kwId = await userId('key_worker.mdi')
    const reads = await db.selectFrom('bulletin_reads').selectAll().where('bulletin_id', '=', ids.everyone).execute()
    assert.deepEqual(
      reads.map(r => r.user_id),
      [kwId],
    )
    // again: still one read, and no second event
    await kw.post(`/bulletins/${ids.everyone}/read`, { returnTo: '/' }, '/')
    assert.equal(
      (await db.selectFrom('bulletin_reads').selectAll().where('bulletin_id', '=', ids.everyone).execute()).length,
      1,
    )
    const events = (await eventsAfter(head)).filter(e => e.entity === 'bulletin')
    assert.deepEqual(
      events.map(e => [e.action, e.entity_id, e.user_id, e.establishment_id]),
      [['read', String(ids.everyone), kwId, MDI]],
    )
    const home = panelOf((await kw.get('/')).text)
    assert.ok(!home.includes('Interpreters: use The Big Word'))
    assert.ok(home.includes('Managing money inside'))
    const page = (await kw.get(`/bulletins/${ids.everyone}`)).text
    assert.ok(page.includes('You marked this read'))
    assert.ok(!page.includes('Mark as read'))
  })

  it('the LEI Supervising Officer marks the guide version read', async () => {
    const res = await (await as('supervising_officer.lei')).post(`/bulletins/${ids.guide}/read`, {}, '/')
    assert.equal(res.headers.location, `/bulletins/${ids.guide}`)
  })
})

describe('reach', () => {
  it('shows an SO each bulletin with how many of their officers read it and who has not, by hand', async () => {
    // a disabled account of MDI is nobody's reader; an account with two roles here counts once
    const gone = await createUser(s, 'gone.mdi', [{ role: 'KEY_WORKER', establishmentId: MDI }])
    await db.updateTable('users').set({ enabled: 0 }).where('id', '=', gone).execute()
    await createUser(s, 'both.mdi', [
      { role: 'KEY_WORKER', establishmentId: MDI },
      { role: 'SUPERVISING_OFFICER', establishmentId: MDI },
    ])
    const rows = await s.bulletins.reach(MDI)
    const byId = new Map(rows.map(r => [r.bulletin.id, r]))
    // officers of MDI: key_worker.mdi, supervising_officer.mdi, establishment_admin.mdi, both.mdi = 4;
    // the notice to everyone: read by key_worker.mdi only → 1 of 4 = 25%
    const everyone = byId.get(ids.everyone)!
    assert.deepEqual([everyone.officers, everyone.read, everyone.percent], [4, 1, 25])
    assert.deepEqual(
      everyone.unread.map(u => u.name),
      ['both.mdi', 'establishment_admin.mdi', 'supervising_officer.mdi'],
    )
    // the SOs' notice: supervising_officer.mdi and both.mdi, neither has read it → 0 of 2
    const so = byId.get(ids.soOnly)!
    assert.deepEqual([so.officers, so.read, so.percent], [2, 0, 0])
    assert.deepEqual(
      so.unread.map(u => u.name),
      ['both.mdi', 'supervising_officer.mdi'],
    )
    // newest first: the worksheet, the guide, then the two notices (same instant: by id, newest first)
    assert.deepEqual(
      rows.map(r => r.bulletin.id),
      [ids.worksheet, ids.guide, ids.soOnly, ids.everyone],
    )
  })

  it('the page names the establishment’s own staff only, and its view is audited', async () => {
    const head = await headId()
    const mdiPage = (await (await as('supervising_officer.mdi')).get('/bulletins/reach')).text
    assert.ok(mdiPage.includes('establishment_admin.mdi'))
    assert.ok(!mdiPage.includes('.lei'))
    const leiPage = (await (await as('establishment_admin.lei')).get('/bulletins/reach')).text
    assert.ok(leiPage.includes('key_worker.lei'))
    assert.ok(!leiPage.includes('.mdi'), 'an LEI page names no one of MDI')
    const events = (await eventsAfter(head)).filter(e => e.entity === 'bulletin_reach')
    assert.deepEqual(
      events.map(e => [e.action, e.establishment_id]),
      [
        ['view', MDI],
        ['view', LEI],
      ],
    )
  })

  it('shows the national team the share read per establishment, by hand', async () => {
    const { establishments } = await s.bulletins.nationalReach()
    const cell = (est: number, bulletin: number) =>
      establishments.find(e => e.id === est)!.cells.find(c => c.bulletinId === bulletin)!
    // MDI: 1 of 4 read the notice to everyone (25%); LEI: 0 of its 3 (0%)
    assert.deepEqual(cell(MDI, ids.everyone), { bulletinId: ids.everyone, officers: 4, read: 1, percent: 25 })
    assert.deepEqual(cell(LEI, ids.everyone), { bulletinId: ids.everyone, officers: 3, read: 0, percent: 0 })
    // LEI: the guide version read by its SO, 1 of 3 = 33%
    assert.deepEqual(cell(LEI, ids.guide), { bulletinId: ids.guide, officers: 3, read: 1, percent: 33 })
    const page = (await (await as('national')).get('/bulletins/reach')).text
    assert.ok(page.includes('Moorland (HMP)'))
    assert.ok(page.includes('25% (1 of 4)'))
    assert.ok(!page.includes('key_worker.mdi'), 'the national table counts, it names no one')
  })
})

describe('the weekly digest', () => {
  it('goes once per user per week, to those with an email address, with what they have not read', async () => {
    for (const [username, email] of [
      ['key_worker.mdi', 'kw.mdi@example.gov.uk'],
      ['supervising_officer.mdi', 'so.mdi@example.gov.uk'],
      ['supervising_officer.lei', 'so.lei@example.gov.uk'],
      ['national', 'np@example.gov.uk'],
    ] as const)
      await db.updateTable('users').set({ email }).where('username', '=', username).execute()
    // the daily job on Monday 7 December 2026 (week 2026-W50) carries the week of Monday 30 November
    setClock('2026-12-07T05:00:00.000Z')
    await runDailyJobs(s)
    const first = await digestEmails()
    // key_worker.mdi: the worksheet and the guide (read the notice; not for the SOs' one) → 2 items
    // supervising_officer.mdi: all four, read none → 4; supervising_officer.lei: read the guide → 3
    // national: not an establishment user → none; the others have no email address → none
    assert.deepEqual(
      first.map(e => [e.to_address, e.subject]),
      [
        ['kw.mdi@example.gov.uk', '2 new from the national Key Work team this week'],
        ['so.mdi@example.gov.uk', '4 new from the national Key Work team this week'],
        ['so.lei@example.gov.uk', '3 new from the national Key Work team this week'],
      ],
    )
    const kw = first[0]!
    assert.equal(kw.establishment_id, MDI)
    assert.equal(kw.reference, `bulletin-digest-${await userId('key_worker.mdi')}-2026-W50`)
    assert.ok(kw.body.includes('Managing money inside'))
    assert.ok(!kw.body.includes('Interpreters: use The Big Word'))
    assert.ok(!kw.body.includes('For SOs'))
    // run twice (or on a second instance), and later the same week: no second email
    await runDailyJobs(s)
    await s.bulletins.runDigest(new Date('2026-12-10T12:00:00.000Z'))
    assert.equal((await digestEmails()).length, 3)
    assert.equal(await countOf('bulletin_digests'), 3)
  })

  it('sends nothing when there is nothing new', async () => {
    // the next week carries 7 to 14 December: nothing was published then
    const r = await s.bulletins.runDigest(new Date('2026-12-14T05:00:00.000Z'))
    assert.deepEqual(r, { emails: 0, week: '2026-W51' })
    assert.equal((await digestEmails()).length, 3)
  })

  it('two runs at once send one email per user', async () => {
    setClock('2026-12-16T10:00:00.000Z') // Wednesday of week 51
    const r = await s.bulletins.publishNotice(national, {
      title: 'Christmas cover',
      summary: 'Plan cover.',
      link: null,
      roles: ['KEY_WORKER'],
    })
    assert.ok(r.ok)
    const before = (await digestEmails()).length
    const monday = new Date('2026-12-21T06:00:00.000Z') // week 52 carries 14 to 21 December
    const [a, b] = await Promise.all([s.bulletins.runDigest(monday), s.bulletins.runDigest(monday)])
    // only key_worker.mdi (the one Key Worker with an email address) is told, once
    assert.equal(a.emails + b.emails, 1)
    const after = await digestEmails()
    assert.equal(after.length, before + 1)
    assert.equal(after.at(-1)!.to_address, 'kw.mdi@example.gov.uk')
  })
})

describe('access', () => {
  it('refuses the national pages to establishment staff', async () => {
    const kw = await as('key_worker.mdi')
    for (const path of ['/bulletins', '/bulletins/new', '/bulletins/reach'])
      assert.equal((await kw.get(path)).status, 403, path)
    const so = await as('supervising_officer.mdi')
    assert.equal((await so.get('/bulletins')).status, 403)
    assert.equal((await so.get('/bulletins/new')).status, 403)
  })

  it('refuses publishing to anyone but the national team, and saves nothing', async () => {
    const before = await countOf('bulletins')
    const so = await as('supervising_officer.mdi')
    const res = await so.post('/bulletins/new', { title: 'x', summary: 'y', audience: 'everyone' }, '/')
    assert.equal(res.status, 403)
    assert.equal(await countOf('bulletins'), before)
  })

  it('a bulletin not for the user is not found, to read or to mark', async () => {
    const before = await countOf('bulletin_reads')
    const kw = await as('key_worker.lei')
    assert.equal((await kw.get(`/bulletins/${ids.soOnly}`)).status, 404)
    assert.equal((await kw.post(`/bulletins/${ids.soOnly}/read`, {}, '/')).status, 404)
    assert.equal((await kw.get('/bulletins/999999')).status, 404)
    assert.equal(await countOf('bulletin_reads'), before)
  })

  it('the national team reads any bulletin but has nothing to mark', async () => {
    const np = await as('national')
    const page = await np.get(`/bulletins/${ids.soOnly}`)
    assert.equal(page.status, 200)
    assert.ok(!page.text.includes('Mark as read'))
    assert.equal((await np.post(`/bulletins/${ids.soOnly}/read`, {}, '/bulletins')).status, 403)
    const list = (await np.get('/bulletins')).text
    assert.ok(list.includes('For SOs: sampling for QA'))
    assert.ok(list.includes('Key Worker guide: version'))
  })
})
