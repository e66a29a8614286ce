import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { unzipSync } from 'fflate'
import type { Response } from 'supertest'
import { type Browser, signedIn, testWorld } from '../../../../test/harness'
import { HSDS_FILE_LIMIT_BYTES } from './service'
import {
  PAGE_FIELDS,
  errorsOf,
  fixture,
  fixtureBytes,
  hsdsValidators,
  jsonBytes,
  tabularObject,
  withFreshIds,
} from '../../../../test/support/hsds'

type Obj = Record<string, unknown>

/** Collects a binary response body (a zip) as a Buffer. */
function binary(res: NodeJS.ReadableStream, done: (err: Error | null, body: unknown) => void) {
  const chunks: Buffer[] = []
  res.on('data', (c: Buffer) => chunks.push(c))
  res.on('end', () => done(null, Buffer.concat(chunks)))
}

describe('HSDS pages and API', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  let keyWorker: Browser
  let leiAdmin: Browser
  let national: Browser
  const services = fixture()
  const firstId = String(services[0]!.id)

  before(async () => {
    world = await testWorld()
    ;[admin, keyWorker, leiAdmin, national] = await Promise.all([
      signedIn(world, 'establishment_admin.mdi'),
      signedIn(world, 'key_worker.mdi'),
      signedIn(world, 'establishment_admin.lei'),
      signedIn(world, 'national'),
    ])
  })
  after(() => world.close())

  async function upload(browser: Browser, file: { name: string; bytes: Buffer } | null): Promise<Response> {
    const _csrf = await browser.csrf('/directory/import')
    let req = browser.agent.post('/directory/import').field('_csrf', _csrf)
    if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: 'application/json' })
    return req
  }

  it('a Key Worker may not import (403), but may export', async () => {
    assert.equal((await keyWorker.get('/directory/import')).status, 403)
    const _csrf = await keyWorker.csrf('/directory/export')
    const res = await keyWorker.agent
      .post('/directory/import')
      .field('_csrf', _csrf)
      .attach('file', fixtureBytes(), 'directory.json')
    assert.equal(res.status, 403)
    assert.equal((await keyWorker.get('/directory/export')).status, 200)
  })

  it('shows the upload form', async () => {
    const res = await admin.get('/directory/import')
    assert.equal(res.status, 200)
    assert.match(res.text, /<h1 class="govuk-heading-l">Import a services directory<\/h1>/)
    assert.match(res.text, /enctype="multipart\/form-data"/)
    assert.match(res.text, /smaller than 20 MB/)
    assert.match(
      res.text,
      /keywork reads at most 50 files from a zip, 30 MB in one file and 50 MB in all once unzipped/,
    )
  })

  it('asks for a file when none is chosen', async () => {
    const res = await upload(admin, null)
    assert.equal(res.status, 303)
    const page = await admin.get('/directory/import')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Select an HSDS file/)
  })

  it('lists every problem of a bad file by JSON path, in the error summary and a table, and imports nothing', async () => {
    const bad = structuredClone(services)
    ;(bad[0]!.phones as Obj[])[0]!.number = 12
    bad[1]!.unexpected = 'x'
    const res = await upload(admin, { name: 'bad.json', bytes: jsonBytes(bad) })
    assert.equal(res.status, 422)
    assert.match(res.text, /There is a problem/)
    assert.match(res.text, /\/0\/phones\/0\/number: must be string/)
    assert.match(res.text, /<code>\/1\/unexpected<\/code>/)
    assert.match(res.text, /Nothing was imported/)
    const n = await world.services.db.db
      .selectFrom('directory_services')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(n.n), 0)
  })

  it('refuses a file over 20 MB with a clear 413 page', async () => {
    const res = await upload(admin, { name: 'big.json', bytes: Buffer.alloc(HSDS_FILE_LIMIT_BYTES + 1, 0x20) })
    assert.equal(res.status, 413)
    assert.match(res.text, /The file is too large/)
    assert.match(res.text, /smaller than 20 MB/)
  })

  it('refuses an upload without the CSRF token', async () => {
    const res = await admin.agent.post('/directory/import').attach('file', fixtureBytes(), 'directory.json')
    assert.equal(res.status, 403)
  })

  it('imports a good file and shows what it did', async () => {
    const res = await upload(admin, { name: 'directory.json', bytes: fixtureBytes() })
    assert.equal(res.status, 303, res.text.slice(0, 500))
    assert.equal(res.headers.location, '/directory/import/result')
    const page = await admin.get('/directory/import/result')
    assert.equal(page.status, 200)
    assert.match(page.text, /Import complete/)
    assert.match(page.text, /directory\.json into the directory of Moorland \(HMP\)/)
    assert.match(page.text, /Services<\/td>\s*<td[^>]*>4<\/td>/)
  })

  it('exports JSON and a zip to download, both valid HSDS', async () => {
    const json = await admin.post('/directory/export', { format: 'json' })
    assert.equal(json.status, 200)
    assert.match(String(json.headers['content-type']), /^application\/json/)
    assert.match(String(json.headers['content-disposition']), /attachment; filename="?directory-mdi-hsds\.json"?/)
    const list = JSON.parse(json.text) as Obj[]
    assert.equal(list.length, 4)
    const { service, tabular } = hsdsValidators()
    for (const s of list) assert.ok(service(s), errorsOf(service))

    const _csrf = await admin.csrf('/directory/export')
    const zip = await admin.agent
      .post('/directory/export')
      .type('form')
      .send({ _csrf, format: 'zip' })
      .buffer(true)
      .parse(binary as unknown as Parameters<ReturnType<typeof admin.agent.post>['parse']>[0])
    assert.equal(zip.status, 200)
    assert.match(String(zip.headers['content-type']), /^application\/zip/)
    const body = zip.body as Buffer
    assert.ok(Object.keys(unzipSync(body)).includes('services.csv'))
    assert.ok(tabular(tabularObject(body)), errorsOf(tabular))

    const none = await admin.post('/directory/export', {})
    assert.equal(none.status, 303)
    assert.match((await admin.get('/directory/export')).text, /Select a file format/)
  })

  it('the API lists services as an HSDS page of service_list items, with paging and search', async () => {
    const res = await keyWorker.get('/api/hsds/services?per_page=3')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    const page = res.body as Obj
    for (const [k, type] of Object.entries(PAGE_FIELDS)) assert.equal(typeof page[k], type, k)
    assert.deepEqual(
      [page.total_items, page.total_pages, page.page_number, page.size, page.first_page, page.last_page, page.empty],
      [4, 2, 1, 3, true, false, false],
    )
    const { serviceList } = hsdsValidators()
    for (const item of page.contents as Obj[]) assert.ok(serviceList(item), errorsOf(serviceList))
    assert.deepEqual(
      (page.contents as Obj[]).map(s => s.name),
      ['Education and skills', 'Housing advice before release', 'Listeners'],
    )
    assert.equal(((page.contents as Obj[])[1]!.organization as Obj).name, 'Shelter')

    const second = (await keyWorker.get('/api/hsds/services?per_page=3&page=2')).body as Obj
    assert.deepEqual([second.size, second.last_page, second.first_page], [1, true, false])

    const found = (await keyWorker.get('/api/hsds/services?search=priya%20housing')).body as Obj
    assert.deepEqual(
      (found.contents as Obj[]).map(s => s.name),
      ['Housing advice before release'],
    )
    const nothing = (await keyWorker.get('/api/hsds/services?search=zzzz')).body as Obj
    assert.deepEqual([nothing.total_items, nothing.empty, nothing.size], [0, true, 0])

    const bad = await keyWorker.get('/api/hsds/services?per_page=1000')
    assert.equal(bad.status, 400)
    assert.match(String(bad.headers['content-type']), /^application\/json/)
  })

  it('the API gives one fully nested service, valid HSDS, and a JSON 404 otherwise', async () => {
    const res = await keyWorker.get(`/api/hsds/services/${firstId}`)
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^application\/json/)
    const { service } = hsdsValidators()
    assert.ok(service(res.body), errorsOf(service))
    assert.equal((res.body as Obj).name, services[0]!.name)
    assert.equal(((res.body as Obj).contacts as Obj[]).length, 1)

    for (const path of ['/api/hsds/services/00000000-0000-4000-8000-000000000000', '/api/hsds/services/nope']) {
      const missing = await keyWorker.get(path).set('Accept', 'text/html')
      assert.equal(missing.status, 404)
      assert.match(String(missing.headers['content-type']), /^application\/json/)
      assert.deepEqual(missing.body, { status: 404, message: 'Service not found' })
    }
  })

  it('another establishment sees none of MDI’s services, and cannot import over them', async () => {
    assert.equal((await leiAdmin.get(`/api/hsds/services/${firstId}`)).status, 404)
    assert.equal(((await leiAdmin.get('/api/hsds/services')).body as Obj).total_items, 0)
    const res = await upload(leiAdmin, { name: 'directory.json', bytes: fixtureBytes() })
    assert.equal(res.status, 422)
    assert.match(res.text, /another establishment’s directory/)
  })

  it('the national policy team imports national services, which every establishment sees', async () => {
    const text = JSON.stringify(withFreshIds(services.slice(3)))
    const res = await upload(national, { name: 'national.json', bytes: Buffer.from(text) })
    assert.equal(res.status, 303, res.text.slice(0, 2000))
    const page = await national.get('/directory/import/result')
    assert.match(page.text, /into the national directory/)
    const lei = (await leiAdmin.get('/api/hsds/services')).body as Obj
    assert.deepEqual(
      (lei.contents as Obj[]).map(s => s.name),
      ['Listeners'],
    )
    const row = await world.services.db.db
      .selectFrom('directory_services')
      .select('establishment_id')
      .where('id', '=', String((lei.contents as Obj[])[0]!.id))
      .executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, null)
  })
})
