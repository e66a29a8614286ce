import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { loadGuideSeed } from './content'

type World = Awaited<ReturnType<typeof testWorld>>

const pdfBuffer = (res: { body: unknown }) => res.body as Buffer

/** supertest: collect a binary body as a Buffer */
function binary(
  res: NodeJS.ReadableStream & { setEncoding(e: string): void },
  cb: (e: Error | null, b: Buffer) => void,
) {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)))
  res.on('end', () => cb(null, Buffer.concat(chunks)))
}

describe('national guide, booklet and PDF', () => {
  let world: World
  let national: Browser
  let keyWorker: Browser
  let admin: Browser
  let mdi: number
  let lei: number
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-booklet-'))

  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    lei = world.est.LEI!
    await world.services.guidance.ensureNationalContent()
    national = await signedIn(world, 'national')
    keyWorker = await signedIn(world, 'key_worker.mdi')
    admin = await signedIn(world, 'establishment_admin.mdi')
    // national users act in one establishment at a time: make it MDI
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    const r = await world.services.directory.create({ ...SYSTEM_ACTOR, establishmentId: mdi }, mdi, {
      name: 'Moorland housing advice',
      description: 'Help to find somewhere to live on release.',
      organizationName: 'Moorland (HMP)',
      status: 'active',
      provision: 'internal',
      applicationProcess: 'Put in an application to the resettlement team.',
      eligibility: null,
      waitTime: null,
      email: 'housing.mdi@example.org',
      url: null,
      interpretationServices: null,
      location: null,
      contacts: [{ name: 'Priya Shah', title: 'Housing officer', email: 'priya.shah@example.org', phone: null }],
      phones: [{ number: '01302 523 456', extension: null, type: 'voice' }],
      schedules: [],
      languages: ['en'],
      pathways: ['accommodation'],
    })
    assert.ok(r.ok, JSON.stringify(r))
  })
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true })
    await world.close()
  })

  it('seeds version 1 of the guide and the national worksheets once, however often it runs', async () => {
    const s = world.services
    await s.guidance.ensureNationalContent()
    const versions = await s.guidance.versions()
    assert.deepEqual(
      versions.map(v => v.version),
      [1],
    )
    const v1 = await s.guidance.version(1)
    assert.equal(v1?.body, loadGuideSeed().body)
    assert.match(v1?.body ?? '', /# What Key Work is for/)
    const national = (await s.worksheets.list(mdi)).filter(w => w.national)
    assert.equal(national.length, 7)
    const events = await s.audit.forEntity('guide_version', '1')
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'import')
  })

  it('shows the guide to every signed-in role, with the publish link only for the national team', async () => {
    const res = await keyWorker.get('/guidance')
    assert.equal(res.status, 200)
    assert.match(res.text, /<h2 class="govuk-heading-l">What Key Work is for<\/h2>/)
    assert.match(res.text, /45-minute session/)
    assert.doesNotMatch(res.text, /Publish a new version/)
    assert.match((await national.get('/guidance')).text, /Publish a new version/)
    assert.equal((await keyWorker.get('/guidance/edit')).status, 403)
    assert.equal((await keyWorker.post('/guidance/edit', { body: 'x', summary: 'y' }, '/guidance')).status, 403)
  })

  it('refuses an empty, unchanged or too long guide with field errors, and publishes nothing', async () => {
    let res = await national.post('/guidance/edit', { body: '', summary: '' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/guidance/edit')
    let page = await national.get('/guidance/edit')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Enter a summary of what changed/)
    assert.match(page.text, /Enter the guide/)

    const v1 = (await world.services.guidance.latest())!
    res = await national.post('/guidance/edit', { body: v1.body, summary: 'No change' })
    assert.equal(res.status, 303)
    page = await national.get('/guidance/edit')
    assert.match(page.text, /The guide has not changed/)

    res = await national.post('/guidance/edit', { body: 'x'.repeat(60_001), summary: 'Too long' })
    page = await national.get('/guidance/edit')
    assert.match(page.text, /must be 60,000 characters or fewer/)
    assert.equal((await world.services.guidance.versions()).length, 1)
  })

  it('previews without publishing, with the words that changed', async () => {
    const v1 = (await world.services.guidance.latest())!
    const body = v1.body.replace('about **6 prisoners**', 'about **7 prisoners**')
    const res = await national.post('/guidance/edit', { body, summary: 'Ratio', action: 'preview' })
    assert.equal(res.status, 303)
    const page = await national.get('/guidance/edit')
    assert.match(page.text, /Preview/)
    assert.match(page.text, /1 line added and 1 removed/)
    assert.match(page.text, /<ins>7<\/ins>/)
    assert.doesNotMatch(page.text, /There is a problem/)
    assert.equal((await world.services.guidance.versions()).length, 1)
  })

  it('publishes a new version, keeps the old one readable and shows what changed', async () => {
    const v1 = (await world.services.guidance.latest())!
    const body = v1.body.replace(
      'Go to them first with questions about the role.',
      'Go to them first with questions about the role.\n\nThey also hold a monthly drop-in for Key Workers.',
    )
    const res = await national.post('/guidance/edit', { body, summary: 'Added the monthly drop-in' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/guidance')
    const latest = await world.services.guidance.latest()
    assert.equal(latest?.version, 2)
    assert.equal(latest?.published_by, 'national')

    const current = await keyWorker.get('/guidance')
    assert.match(current.text, /Version 2, published/)
    assert.match(current.text, /monthly drop-in/)
    const old = await keyWorker.get('/guidance?version=1')
    assert.equal(old.status, 200)
    assert.match(old.text, /This is version 1, an old version/)
    assert.doesNotMatch(old.text, /monthly drop-in/)
    assert.equal((await keyWorker.get('/guidance?version=99')).status, 404)
    assert.equal((await keyWorker.get('/guidance?version=abc')).status, 404)

    const list = await keyWorker.get('/guidance/versions')
    assert.match(list.text, /Added the monthly drop-in/)
    assert.match(list.text, /First version of the national Key Worker guide/)

    const changes = await keyWorker.get('/guidance/changes?version=2')
    assert.equal(changes.status, 200)
    assert.match(changes.text, /Compared with[\s\S]*version 1/)
    assert.match(
      changes.text,
      /<li class="app-diff__added"><span class="govuk-visually-hidden">Added: <\/span>\+ They also hold a monthly drop-in for Key Workers.<\/li>/,
    )
    assert.match(changes.text, /2 added, 0 removed/) // the sentence and the blank line before it
    assert.match(changes.text, /unchanged lines/)

    const events = await world.services.audit.forEntity('guide_version', '2')
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'create')
    assert.match(events[0]?.changes ?? '', /Added the monthly drop-in/)
  })

  it('sanitises what authors write: no script, event handler or javascript: link reaches the page', async () => {
    const v = (await world.services.guidance.latest())!
    const body = `${v.body}\n\n# Unsafe\n\n<script>alert('guide')</script>\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(1))\n`
    assert.equal((await national.post('/guidance/edit', { body, summary: 'Test' })).status, 303)
    const page = await keyWorker.get('/guidance')
    assert.match(page.text, /Unsafe/)
    assert.doesNotMatch(page.text, /alert\('guide'\)|onerror=|javascript:alert/)

    let res = await admin.post('/booklet/introduction', {
      body: 'Welcome to **Moorland**. <script>alert("intro")</script> <a href="javascript:alert(2)" onclick="x()">hub</a>',
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/booklet')
    res = await keyWorker.get('/booklet')
    assert.match(res.text, /Welcome to <strong>Moorland<\/strong>/)
    assert.doesNotMatch(res.text, /alert\("intro"\)|onclick=|javascript:alert/)
  })

  it('lets only establishment admins write the local introduction, validated and audited', async () => {
    assert.equal((await keyWorker.get('/booklet/introduction')).status, 403)
    assert.equal((await national.get('/booklet/introduction')).status, 403)
    let res = await admin.post('/booklet/introduction', { body: '   ' })
    assert.equal(res.status, 303)
    let page = await admin.get('/booklet/introduction')
    assert.match(page.text, /Enter the introduction/)
    res = await admin.post('/booklet/introduction', { body: 'y'.repeat(8001) })
    page = await admin.get('/booklet/introduction')
    assert.match(page.text, /must be 8,000 characters or fewer/)

    res = await admin.post('/booklet/introduction', {
      body: 'Welcome to Key Work at Moorland. Our hub is on **A wing**.',
    })
    assert.equal(res.status, 303)
    const events = await world.services.audit.forEntity('booklet_introduction', String(mdi))
    assert.ok(events.length >= 2)
    assert.equal(events[0]?.establishment_id, mdi)
    assert.equal(await world.services.guidance.introduction(lei), null)
  })

  it('shows both parts of the booklet on one printable page, with the PDF page count', async () => {
    const res = await keyWorker.get('/booklet')
    assert.equal(res.status, 200)
    assert.match(res.text, /href="\/static\/app\/guidance.css"/)
    assert.match(res.text, /<h2 class="govuk-heading-l" id="part-1-heading">Part 1: the Key Worker guide<\/h2>/)
    assert.match(res.text, /<h3 class="govuk-heading-m">What Key Work is for<\/h3>/)
    assert.match(res.text, /Part 2: Moorland \(HMP\)/)
    assert.match(res.text, /Our hub is on <strong>A wing<\/strong>/)
    assert.match(res.text, /<h3 class="govuk-heading-m">Accommodation<\/h3>/)
    assert.match(res.text, /Moorland housing advice/)
    assert.match(res.text, /01302 523 456/)
    assert.match(res.text, /<caption[^>]*>Who to contact at Moorland \(HMP\)<\/caption>/)
    assert.match(res.text, /Priya Shah \(Moorland housing advice\)/)
    const pages = /PDF \((\d+) A5 pages\)/.exec(res.text)
    assert.ok(pages, 'page count shown')
    assert.ok(Number(pages[1]) > 1)

    // another establishment's booklet has the same part 1 but none of MDI's part 2
    const lb = await signedIn(world, 'key_worker.lei')
    const leiPage = await lb.get('/booklet')
    assert.match(leiPage.text, /What Key Work is for/)
    assert.doesNotMatch(leiPage.text, /Moorland housing advice|Our hub is on/)
  })

  it('makes an A5 PDF of both parts that poppler can read', async () => {
    const res = await keyWorker
      .get('/booklet.pdf')
      .buffer(true)
      .parse(binary as never)
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^application\/pdf/)
    const pdf = pdfBuffer(res)
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.ok(pdf.length < 200_000, `PDF is ${pdf.length} bytes`)
    const file = path.join(tmp, 'booklet.pdf')
    fs.writeFileSync(file, pdf)

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
    assert.ok(pages > 1 && pages <= 24, `${pages} pages`)
    assert.match(info, /Page size:\s+419\.53 x 595\.28 pts/)
    assert.doesNotMatch(execFileSync('pdffonts', [file], { encoding: 'utf8' }), /\byes\s+yes\b.*\bemb/i)

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    assert.match(text, /Part 1: the Key Worker guide/)
    assert.match(text, /What Key Work is for/)
    assert.match(text, /Part 2: Moorland \(HMP\)/)
    assert.match(text, /Moorland housing advice/)
    assert.match(text, /01302 523 456/)
    assert.match(text, /Priya Shah/)
    assert.match(text, new RegExp(`Page 1 of ${pages}`))

    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '2', file, path.join(tmp, 'page')])
    const pngs = fs.readdirSync(tmp).filter(f => f.endsWith('.png'))
    assert.equal(pngs.length, 2)
  })

  it('answers the booklet only to people acting in an establishment', async () => {
    const out = new (await import('../../../test/harness')).Browser(world.app)
    const res = await out.get('/booklet.pdf')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/sign-in')
  })
})
