import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { PATHWAY_CODES } from '../../domain/pathways'
import { TARGET_READING_AGE } from '../../domain/readability'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { loadWorksheetSeeds, parseWorksheetFile } from './content'
import { sheetReadability } from './service'

type World = Awaited<ReturnType<typeof testWorld>>

function binary(res: NodeJS.ReadableStream, cb: (e: Error | null, b: Buffer) => void) {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)))
  res.on('end', () => cb(null, Buffer.concat(chunks)))
}

const SHEET = '# Sleep well\n\nHow do I sleep?\n\n- [ ] Well\n- [ ] Badly\n\nWhat helps me sleep?\n\n___\n'
const valid = (over: Record<string, string> = {}) => ({
  title: 'Sleep well',
  pathway: 'health',
  purpose: 'Helps a man talk about sleep.',
  guidance: 'Use this when a man says he cannot sleep.',
  sheet: SHEET,
  ...over,
})

describe('the national worksheets shipped in content/', () => {
  const seeds = loadWorksheetSeeds()

  it('covers the seven subjects, each with a known pathway, guidance and a sheet', () => {
    assert.deepEqual(seeds.map(s => s.slug).sort(), [
      'family-contact',
      'finance-debt',
      'goal-setting',
      'mental-health-wellbeing',
      'preparing-for-release',
      'substance-misuse',
      'thinking-skills',
    ])
    for (const s of seeds) {
      assert.ok((PATHWAY_CODES as readonly string[]).includes(s.pathway), s.slug)
      assert.ok(s.title && s.purpose && s.guidance.length > 100 && s.sheet.length > 200, s.slug)
      assert.match(s.sheet, /^(?:---|___|\*\*\*)$/m, `${s.slug} leaves space to write`)
    }
  })

  it('writes every sheet for a reading age of 11 or under', () => {
    for (const s of seeds) {
      const r = sheetReadability(s.sheet)
      assert.ok(r.readingAge <= TARGET_READING_AGE, `${s.slug}: reading age ${r.readingAge}`)
    }
  })

  it('refuses a worksheet file without its parts or with an unknown pathway', () => {
    assert.throws(() => parseWorksheetFile('x', '---\ntitle: X\npathway: health\npurpose: P\n---\nno marker'), /sheet/)
    assert.throws(
      () => parseWorksheetFile('x', '---\ntitle: X\npathway: gardening\npurpose: P\n---\ng\n<!-- sheet -->\ns'),
      /unknown pathway/,
    )
  })
})

describe('worksheets', () => {
  let world: World
  let national: Browser
  let admin: Browser
  let keyWorker: Browser
  let leiAdmin: Browser
  let mdi: number
  let lei: number
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-worksheet-'))

  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    lei = world.est.LEI!
    await world.services.guidance.ensureNationalContent()
    national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    admin = await signedIn(world, 'establishment_admin.mdi')
    keyWorker = await signedIn(world, 'key_worker.mdi')
    leiAdmin = await signedIn(world, 'establishment_admin.lei')
  })
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true })
    await world.close()
  })

  const national7 = async () => (await world.services.worksheets.list(mdi)).filter(w => w.national)

  it('lists the national library for everyone, filterable by pathway', async () => {
    const res = await keyWorker.get('/worksheets')
    assert.equal(res.status, 200)
    for (const w of await national7()) assert.ok(res.text.includes(w.title.replace(/&/g, '&amp;')), w.title)
    assert.match(res.text, /7 worksheets/)
    assert.doesNotMatch(res.text, /Add a (national|local) worksheet/)

    const filtered = await keyWorker.get('/worksheets?pathway=attitudes-thinking-behaviour')
    assert.match(filtered.text, /2 worksheets/)
    assert.match(filtered.text, /Stop and think/)
    assert.doesNotMatch(filtered.text, /Money and debt/)
    // an unknown pathway is ignored, not an error
    assert.match((await keyWorker.get('/worksheets?pathway=nonsense')).text, /7 worksheets/)
  })

  it('shows a worksheet with its guidance and the sheet; the reading score only to authors', async () => {
    const w = (await national7()).find(x => x.slug === 'goal-setting')!
    const res = await keyWorker.get(`/worksheets/${w.id}`)
    assert.equal(res.status, 200)
    assert.match(res.text, /Guidance for the Key Worker/)
    assert.match(res.text, /<div class="app-sheet">/)
    assert.match(res.text, /<hr class="app-write-space" \/>/)
    assert.doesNotMatch(res.text, /Reading age of the sheet/)
    assert.doesNotMatch(res.text, /Edit this worksheet/)
    const asNational = await national.get(`/worksheets/${w.id}`)
    assert.match(asNational.text, /Reading age of the sheet: about \d+/)
    assert.match(asNational.text, /Edit this worksheet/)
    const asAdmin = await admin.get(`/worksheets/${w.id}`)
    assert.match(asAdmin.text, /Reading age of the sheet/)
    assert.doesNotMatch(asAdmin.text, /Edit this worksheet/)
    assert.equal((await keyWorker.get('/worksheets/999999')).status, 404)
  })

  it('prints the sheet as an A5 PDF with the sheet’s words', async () => {
    const w = (await national7()).find(x => x.slug === 'finance-debt')!
    const res = await keyWorker
      .get(`/worksheets/${w.id}.pdf`)
      .buffer(true)
      .parse(binary as never)
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^application\/pdf/)
    const file = path.join(tmp, 'sheet.pdf')
    fs.writeFileSync(file, res.body as Buffer)
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])
    assert.ok(pages >= 1 && pages <= 4, `${pages} pages`)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    assert.match(text, /Money and debt/)
    assert.match(text, /Who I owe/)
    assert.match(text, /Finance, benefit and debt/)
  })

  it('lets an establishment admin add a local worksheet, seen only in that establishment, and audits it', async () => {
    let res = await admin.post('/worksheets/new', valid())
    assert.equal(res.status, 303)
    const id = Number(/^\/worksheets\/(\d+)$/.exec(String(res.headers.location))?.[1])
    assert.ok(id > 0)
    const w = await world.services.worksheets.get(mdi, id)
    assert.equal(w?.establishment_id, mdi)
    assert.equal(w?.national, false)
    assert.equal(w?.pathwayName, 'Health (including mental health)')
    res = await keyWorker.get('/worksheets')
    assert.match(res.text, /Sleep well/)
    assert.match(res.text, /8 worksheets/)

    assert.equal(await world.services.worksheets.get(lei, id), null)
    assert.equal((await leiAdmin.get(`/worksheets/${id}`)).status, 404)
    assert.equal((await leiAdmin.get(`/worksheets/${id}/edit`)).status, 404)
    assert.equal((await leiAdmin.post(`/worksheets/${id}/edit`, valid(), '/worksheets')).status, 404)
    assert.doesNotMatch((await leiAdmin.get('/worksheets')).text, /Sleep well/)

    const events = await world.services.audit.forEntity('worksheet', String(id))
    assert.equal(events.length, 1)
    assert.equal(events[0]?.action, 'create')
    assert.equal(events[0]?.establishment_id, mdi)
  })

  it('adds national worksheets for the national team, seen by every establishment', async () => {
    const res = await national.post(
      '/worksheets/new',
      valid({ title: 'Learning to read', pathway: 'education-training-employment' }),
    )
    assert.equal(res.status, 303)
    const id = Number(/(\d+)$/.exec(String(res.headers.location))?.[1])
    assert.equal((await world.services.worksheets.get(lei, id))?.national, true)
    assert.match((await leiAdmin.get('/worksheets')).text, /Learning to read/)
  })

  it('edits a local worksheet and audits the change; refuses national ones to establishments', async () => {
    const local = (await world.services.worksheets.list(mdi)).find(w => w.title === 'Sleep well')!
    let res = await admin.post(`/worksheets/${local.id}/edit`, valid({ purpose: 'Helps a man sleep better.' }))
    assert.equal(res.status, 303)
    assert.equal((await world.services.worksheets.get(mdi, local.id))?.purpose, 'Helps a man sleep better.')
    const events = await world.services.audit.forEntity('worksheet', String(local.id))
    assert.equal(events[0]?.action, 'update')
    assert.match(
      events[0]?.changes ?? '',
      /"purpose":\{"from":"Helps a man talk about sleep.","to":"Helps a man sleep better."\}/,
    )

    // the national team oversees local content too, and its edits are audited the same way
    res = await national.post(`/worksheets/${local.id}/edit`, valid({ purpose: 'Helps a man sleep.' }))
    assert.equal(res.status, 303)
    assert.equal((await world.services.worksheets.get(mdi, local.id))?.establishment_id, mdi)
    assert.equal((await world.services.audit.forEntity('worksheet', String(local.id)))[0]?.username, 'national')

    const nat = (await national7()).find(w => w.slug === 'goal-setting')!
    res = await admin.get(`/worksheets/${nat.id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/worksheets/${nat.id}`)
    assert.match(
      (await admin.get(`/worksheets/${nat.id}`)).text,
      /National worksheets are written by the national policy team/,
    )
    res = await admin.post(`/worksheets/${nat.id}/edit`, valid({ title: 'Hijacked' }), `/worksheets/${nat.id}`)
    assert.equal(res.status, 303)
    assert.equal((await world.services.worksheets.get(mdi, nat.id))?.title, 'My goals')

    // the national team edits national worksheets
    res = await national.post(
      `/worksheets/${nat.id}/edit`,
      valid({ title: 'My goals', pathway: 'attitudes-thinking-behaviour' }),
    )
    assert.equal(res.status, 303)
    assert.equal((await world.services.worksheets.get(mdi, nat.id))?.sheet, SHEET.trim())

    // Key Workers read, never write
    assert.equal((await keyWorker.get('/worksheets/new')).status, 403)
    assert.equal((await keyWorker.post('/worksheets/new', valid(), '/worksheets')).status, 403)
    assert.equal((await keyWorker.get(`/worksheets/${local.id}/edit`)).status, 403)
  })

  it('answers an empty or invalid form with field errors and saves nothing', async () => {
    const before = (await world.services.worksheets.list(mdi)).length
    let res = await admin.post('/worksheets/new', {})
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/worksheets/new')
    let page = await admin.get('/worksheets/new')
    assert.match(page.text, /There is a problem/)
    for (const message of [
      'Enter a title',
      'Select a pathway',
      'Enter the purpose',
      'Enter guidance for the Key Worker',
      'Enter the sheet',
    ])
      assert.match(page.text, new RegExp(message))

    res = await admin.post(
      '/worksheets/new',
      valid({ pathway: 'gardening', title: 'x'.repeat(121), sheet: 'y'.repeat(20_001) }),
    )
    page = await admin.get('/worksheets/new')
    assert.match(page.text, /Select a pathway/)
    assert.match(page.text, /Title must be 120 characters or fewer/)
    assert.match(page.text, /The sheet must be 20,000 characters or fewer/)
    // what was typed comes back
    assert.match(page.text, /Helps a man talk about sleep\./)

    const local = (await world.services.worksheets.list(mdi)).find(w => w.title === 'Sleep well')!
    res = await admin.post(`/worksheets/${local.id}/edit`, { title: '' })
    assert.equal(res.headers.location, `/worksheets/${local.id}/edit`)
    assert.match((await admin.get(`/worksheets/${local.id}/edit`)).text, /Enter a title/)
    assert.equal((await world.services.worksheets.list(mdi)).length, before)
    assert.equal((await keyWorker.get('/worksheets/abc')).status, 404)
  })

  it('previews the sheet and its reading age without JavaScript and without saving', async () => {
    const before = (await world.services.worksheets.list(mdi)).length
    const hard =
      'Individuals experiencing considerable psychological difficulties should communicate their circumstances to appropriately qualified healthcare professionals immediately.'
    const res = await admin.post('/worksheets/new', valid({ sheet: hard, action: 'preview' }))
    assert.equal(res.status, 303)
    const page = await admin.get('/worksheets/new')
    assert.match(page.text, /Preview of the sheet/)
    assert.match(page.text, /Reading age of the sheet: about (\d+)/)
    const age = Number(/Reading age of the sheet: about (\d+)/.exec(page.text)?.[1])
    assert.ok(age > TARGET_READING_AGE, `age ${age}`)
    assert.match(page.text, /Too hard/)
    assert.equal((await world.services.worksheets.list(mdi)).length, before)
  })

  it('exposes list and get for recording which worksheet a session used', async () => {
    const all = await world.services.worksheets.list(mdi)
    const one = await world.services.worksheets.get(mdi, all[0]!.id)
    assert.equal(one?.id, all[0]!.id)
    assert.ok((await world.services.worksheets.list(mdi, { pathway: 'health' })).every(w => w.pathway === 'health'))
    // a service call with another establishment's local worksheet finds nothing
    const r = await world.services.worksheets.create({ ...SYSTEM_ACTOR, establishmentId: lei }, lei, {
      title: 'Leeds only',
      pathway: 'health',
      purpose: 'p',
      guidance: 'g',
      sheet: 's',
    })
    assert.ok(r.ok)
    assert.equal(await world.services.worksheets.get(mdi, r.value), null)
  })
})
