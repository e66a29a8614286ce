import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { Browser, testWorld } from '../../../../test/harness'
import { type Actor, SYSTEM_ACTOR } from '../../../platform/audit/service'
import type { Scope } from './repository'
import {
  bombEntry,
  fixture,
  fixtureBytes,
  jsonBytes,
  textEntry,
  withFreshIds,
  zipOf,
} from '../../../../test/support/hsds'

type World = Awaited<ReturnType<typeof testWorld>>
type Obj = Record<string, unknown>

const actorIn = (world: World, code: string): Actor => ({
  ...SYSTEM_ACTOR,
  username: `admin.${code.toLowerCase()}`,
  establishmentId: world.est[code]!,
})
const own = (world: World, code = 'MDI'): Scope => ({ establishmentId: world.est[code]!, includeNational: false })

/** The limits as the refusal and the README state them. */
const LIMITS = 'keywork reads at most 50 files from a zip, 30 MB in one file and 50 MB in all once unzipped'
const MB = 1024 * 1024

/**
 * What `work` adds to the process's resident memory (worker threads included) at its highest: sampled while it runs
 * (the event loop is free then, the file is read in a worker thread) and when it ends.
 */
async function memoryGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = process.memoryUsage.rss()
  let highest = start
  const sample = setInterval(() => (highest = Math.max(highest, process.memoryUsage.rss())), 1)
  try {
    const result = await work()
    return { result, growth: Math.max(highest, process.memoryUsage.rss()) - start }
  } finally {
    clearInterval(sample)
  }
}

describe('HSDS import: a zip is bounded before it is expanded', () => {
  let world: World
  let mdi: number
  before(async () => {
    world = await testWorld()
    mdi = world.est.MDI!
    // the first import starts the reading thread and compiles the schemas: memory measured below is the file's
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, fixtureBytes(), 'directory.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
  })
  after(() => world.close())

  async function problemsOf(zip: Uint8Array): Promise<string[]> {
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, zip, 'bomb.zip')
    assert.equal(r.status, 'rejected', JSON.stringify(r).slice(0, 500))
    return r.status === 'rejected' ? r.problems.map(p => `${p.path}: ${p.message}`) : []
  }

  it('a zip bomb declaring its size (a services.csv of 400 MB in a 400 kB zip) is refused before any inflating', async () => {
    const bomb = zipOf([await bombEntry('services.csv', 400, { head: 'id,name\r\n' })])
    assert.ok(bomb.length < 1 * MB, `the bomb is ${bomb.length} bytes`)
    const { result, growth } = await memoryGrowth(() => problemsOf(bomb))
    assert.deepEqual(result, [`/: services.csv is too large once unzipped: ${LIMITS}. Nothing was imported`])
    assert.ok(growth < 100 * MB, `memory grew by ${growth / MB} MB`)
  })

  it('a zip bomb lying about its size is stopped once inflating passes the limit, and memory stays bounded', async () => {
    const bomb = zipOf([await bombEntry('services.csv', 400, { head: 'id,name\r\n', declared: 1000 })])
    const { result, growth } = await memoryGrowth(() => problemsOf(bomb))
    assert.deepEqual(result, [`/: services.csv is too large once unzipped: ${LIMITS}. Nothing was imported`])
    // the limit is 30 MB in one file: what was inflated up to it, and no more
    assert.ok(growth < 100 * MB, `memory grew by ${growth / MB} MB`)
  })

  it('files each under the per-file limit but together over the total are refused', async () => {
    const entries = await Promise.all(
      ['services.csv', 'phones.csv'].map(name => bombEntry(name, 26, { head: 'id\r\n', declared: 100 })),
    )
    assert.deepEqual(await problemsOf(zipOf(entries)), [
      `/: The files in the zip are too large once unzipped: ${LIMITS}. Nothing was imported`,
    ])
  })

  it('the README states the same limits', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../../README.md'), 'utf8').replace(/\s+/g, ' ')
    assert.ok(readme.includes('at most 50 files, 30 MB in one file and 50 MB in all once unzipped'))
  })

  it('a zip of 10,000 entries is refused on its count, read from the central directory', async () => {
    const files: Record<string, Uint8Array> = {}
    for (let i = 0; i < 10_000; i++) files[`f${i}.csv`] = strToU8('x')
    assert.deepEqual(await problemsOf(zipSync(files, { level: 0 })), [
      `/: The zip file holds 10,000 files: ${LIMITS}. Nothing was imported`,
    ])
  })

  it('an entry that is not an HSDS file is never inflated, even next to valid files: it is an error', async () => {
    const garbage: Uint8Array = new Uint8Array(64).fill(0xff) // not deflate data: inflating it would fail
    const zip = zipOf([
      textEntry('services.csv', 'id,name,status,organization_id\r\n'),
      { name: 'notes.txt', stored: garbage, method: 8, crc: 0, size: 10 },
    ])
    assert.deepEqual(await problemsOf(zip), [
      'notes.txt: is not a file of the HSDS tabular form (organizations.csv, ...)',
    ])
  })

  it('a long column name is echoed as a short excerpt', async () => {
    const long = `colour${'x'.repeat(100_000)}`
    const problems = await problemsOf(
      zipSync({
        'services.csv': strToU8(
          `id,name,status,organization_id,${long}\r\n11111111-2222-4333-8444-555555555555,A,active,,red\r\n`,
        ),
      }),
    )
    const excerpt = `colour${'x'.repeat(54)}…`
    assert.deepEqual(problems, [
      `services.csv, column ${excerpt}: unknown column "${excerpt}": HSDS 3.0 has no such field in services.csv`,
      'services.csv row 2, organization_id: is required by keywork',
    ])
  })

  it('a long unknown field of the JSON form is echoed as a short excerpt', async () => {
    const file = fixture().slice(0, 1)
    file[0]![`f${'y'.repeat(100_000)}`] = 1
    const r = await world.services.hsds.import(actorIn(world, 'MDI'), mdi, jsonBytes(file), 'bad.json')
    assert.equal(r.status, 'rejected')
    const excerpt = `f${'y'.repeat(59)}…`
    assert.deepEqual(r.status === 'rejected' && r.problems, [
      { path: `/0/${excerpt}`, message: `unknown field "${excerpt}": HSDS 3.0 has no such field here` },
    ])
  })
})

describe('HSDS tabular export: formulas are defused, and the import restores them', () => {
  let a: World
  let b: World
  /** Text a spreadsheet would run, and text that must read back exactly as it is. */
  const NAME = '=HYPERLINK("http://evil.example","Housing")'
  const ALTERNATE = "'=1+1" // already begins with an apostrophe and a formula start
  const DESCRIPTION = '@SUM(A1:A2)'
  const PHONE = '+44 20 7946 0000'
  const APPLY = '-2+3'
  const WAIT = '\tTwo weeks'
  const ELIGIBILITY = "'Quoted' people" // an apostrophe before no formula: written as it is
  before(async () => {
    ;[a, b] = await Promise.all([testWorld(), testWorld()])
    const file = fixture().slice(0, 1)
    const s = file[0]!
    Object.assign(s, {
      name: NAME,
      alternate_name: ALTERNATE,
      description: DESCRIPTION,
      application_process: APPLY,
      wait_time: WAIT,
      eligibility_description: ELIGIBILITY,
    })
    ;(s.phones as Obj[])[0]!.number = PHONE
    const r = await a.services.hsds.import(actorIn(a, 'MDI'), a.est.MDI!, jsonBytes(file), 'formulas.json')
    assert.equal(r.status, 'imported', JSON.stringify(r))
  })
  after(() => Promise.all([a.close(), b.close()]))

  it('the zip holds every such cell with one apostrophe more; numbers and other text as they are', async () => {
    const zip = await a.services.hsds.exportZip(own(a))
    const services = Buffer.from(unzipSync(zip)['services.csv']!).toString('utf8')
    const phones = Buffer.from(unzipSync(zip)['phones.csv']!).toString('utf8')
    assert.ok(services.includes(`,"'=HYPERLINK(""http://evil.example"",""Housing"")",`), services)
    assert.ok(services.includes(`,''=1+1,`), services)
    assert.ok(services.includes(`,'@SUM(A1:A2),`), services)
    assert.ok(services.includes(`,'-2+3,`), services)
    assert.ok(services.includes(`,'\tTwo weeks,`), services)
    assert.ok(services.includes(`,'Quoted' people,`), services)
    assert.ok(phones.includes(`,'+44 20 7946 0000,`), phones)
    // no cell of any file starts a formula
    for (const [name, data] of Object.entries(unzipSync(zip)))
      for (const cell of Buffer.from(data)
        .toString('utf8')
        .split(/,|\r\n/))
        assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@\t\r]/, `${name}: ${cell}`)
  })

  it('importing the zip stores the original values, and exporting again gives the same bytes', async () => {
    const zip = await a.services.hsds.exportZip(own(a))
    const r = await b.services.hsds.import(actorIn(b, 'MDI'), b.est.MDI!, zip, 'formulas.zip')
    assert.equal(r.status, 'imported', JSON.stringify(r))
    const service = await b.services.db.db
      .selectFrom('directory_services')
      .selectAll()
      .where('establishment_id', '=', b.est.MDI!)
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      [
        service.name,
        service.alternate_name,
        service.description,
        service.application_process,
        service.wait_time,
        service.eligibility_description,
      ],
      [NAME, ALTERNATE, DESCRIPTION, APPLY, WAIT, ELIGIBILITY],
    )
    const phone = await b.services.db.db
      .selectFrom('directory_phones')
      .select('number')
      .where('service_id', '=', service.id)
      .executeTakeFirstOrThrow()
    assert.equal(phone.number, PHONE)
    const files1 = await a.services.hsds.exportTabularFiles(own(a))
    const files2 = await b.services.hsds.exportTabularFiles(own(b))
    // metadata.csv records the import itself; every other file is byte for byte the same
    for (const name of Object.keys(files1))
      if (name !== 'metadata.csv') assert.equal(files2[name], files1[name], `${name} differs`)
  })
})

describe('HSDS import page: bounded answers, and the server keeps answering while it reads', () => {
  let world: World
  let server: http.Server
  let base: string
  let admin: Browser
  /** Called when the route hands the next upload to the import service: a /ping sent then is sent mid-import. */
  let onImport: (() => void) | undefined

  before(async () => {
    world = await testWorld()
    // a pass-through that only says when the import starts (the route reads s.hsds.import at each request)
    const hsds = world.services.hsds
    const importFile = hsds.import.bind(hsds)
    hsds.import = (...args) => {
      onImport?.()
      return importFile(...args)
    }
    server = http.createServer(world.app)
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    admin = new Browser(server as unknown as World['app'])
    const res = await admin.signIn('establishment_admin.mdi')
    assert.equal(res.status, 303)
  })
  after(async () => {
    await new Promise(resolve => server.close(resolve))
    await world.close()
  })

  async function upload(name: string, bytes: Uint8Array) {
    const _csrf = await admin.csrf('/directory/import')
    return admin.agent
      .post('/directory/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from(bytes), { filename: name, contentType: 'application/octet-stream' })
  }

  it('a zip bomb gets a short 422 page that states the limits', async () => {
    const bomb = zipOf([await bombEntry('services.csv', 400, { head: 'id,name\r\n' })])
    const res = await upload('bomb.zip', bomb)
    assert.equal(res.status, 422)
    assert.ok(res.text.includes(`services.csv is too large once unzipped: ${LIMITS}`), res.text.slice(0, 3000))
    assert.ok(res.text.length < 40_000, `the page is ${res.text.length} characters`)
  })

  it('a 10 MB column name gets a short 422 page: the name is cut to an excerpt', async () => {
    const zip = zipSync({
      'services.csv': strToU8(`id,name,${'c'.repeat(10 * MB)}\r\n`),
    })
    const res = await upload('long.zip', zip)
    assert.equal(res.status, 422)
    assert.ok(res.text.includes(`unknown column &quot;${'c'.repeat(60)}…&quot;`), res.text.slice(0, 3000))
    assert.ok(res.text.length < 40_000, `the page is ${res.text.length} characters`)
  })

  /** The fixture's services `copies` times over with fresh ids: 4 services and 12 kB a copy. */
  function large(copies: number): Obj[] {
    return Array.from({ length: copies }, () => withFreshIds(fixture())).flat()
  }

  /**
   * Uploads the file and, once the route hands it to the import, asks /ping again and again, each after the last
   * answered: how many answers came before the import's. A server busy reading the file on its event loop answers
   * none until it has finished.
   */
  async function pingsDuring(name: string, bytes: Uint8Array) {
    const started = new Promise<void>(resolve => (onImport = resolve))
    let answeredImport = false
    const importing = upload(name, bytes).then(res => {
      answeredImport = true
      return res
    })
    await started
    let pings = 0
    while (!answeredImport) {
      const ping = await fetch(`${base}/ping`)
      assert.deepEqual(await ping.json(), { status: 'UP' })
      if (!answeredImport) pings++
    }
    return { pings, res: await importing }
  }

  it('while a large file is read and checked, /ping keeps answering (a file refused for its last service)', async () => {
    const file = large(2000)
    file[file.length - 1]!.colour = 'red'
    const { pings, res } = await pingsDuring('large-bad.json', jsonBytes(file))
    assert.equal(res.status, 422)
    assert.match(res.text, /\/7999\/colour/)
    assert.ok(pings >= 10, `${pings} pings answered before the import`)
  })

  it('while a large valid file is imported, /ping keeps answering', async () => {
    const { pings, res } = await pingsDuring('large.json', jsonBytes(large(250)))
    assert.equal(res.status, 303, res.text.slice(0, 2000))
    assert.ok(pings >= 10, `${pings} pings answered before the import`)
  })
})
