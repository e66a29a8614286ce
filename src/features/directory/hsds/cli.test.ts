import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { testWorld } from '../../../../test/harness'
import { directoryExport, directoryImport } from './cli'

function recorder() {
  const out: string[] = []
  const err: string[] = []
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err }
}

describe('keywork directory export|import', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let dir: string
  before(async () => {
    world = await testWorld()
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'keywork-hsds-'))
  })
  after(async () => {
    await world.close()
    await fs.rm(dir, { recursive: true, force: true })
  })

  it('imports the fixture, exports it as JSON and as a zip, and re-imports the zip without change', async () => {
    const fixture = path.resolve(import.meta.dirname, '../../../../test/fixtures/hsds/directory.json')
    const r = recorder()
    assert.equal(await directoryImport(world.services, fixture, { establishment: 'mdi' }, r.io), 0, r.err.join('\n'))
    assert.match(r.out[0]!, /^Imported 4 service\(s\) from .*: 35 record\(s\) created, 0 updated, 0 unchanged$/)

    const json = path.join(dir, 'mdi.json')
    assert.equal(await directoryExport(world.services, json, { establishment: 'MDI' }, recorder().io), 0)
    const written = JSON.parse(await fs.readFile(json, 'utf8')) as unknown
    const scope = { establishmentId: world.est.MDI!, includeNational: false }
    assert.deepEqual(written, await world.services.hsds.exportJson(scope))

    const zip = path.join(dir, 'mdi.zip')
    assert.equal(await directoryExport(world.services, zip, { establishment: 'MDI' }, recorder().io), 0)
    const again = recorder()
    assert.equal(await directoryImport(world.services, zip, { establishment: 'MDI' }, again.io), 0)
    assert.match(again.out[0]!, /0 record\(s\) created, 0 updated/)
  })

  it('lists every problem and imports nothing from a bad file; refuses an unknown establishment', async () => {
    const bad = path.join(dir, 'bad.json')
    await fs.writeFile(bad, '[{"id": 1}]')
    const r = recorder()
    assert.equal(await directoryImport(world.services, bad, { establishment: 'MDI' }, r.io), 1)
    assert.match(r.err[0]!, /^Nothing was imported: \d+ problem\(s\)/)
    assert.ok(r.err.includes('/0/id: must be string'))
    const u = recorder()
    assert.equal(await directoryImport(world.services, bad, { establishment: 'XYZ' }, u.io), 2)
    assert.match(u.err[0]!, /no establishment with the code XYZ/)
  })
})
