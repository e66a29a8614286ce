import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type SeededWorld, seededWorld } from '../../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../../platform/audit/service'
import { errorsOf, hsdsValidators, jsonBytes } from '../../../../test/support/hsds'

// Services made through the directory's own editing service (seeded by test/fixtures.ts) export as valid HSDS
// and import back unchanged.
describe('HSDS export of services made in keywork', () => {
  let world: SeededWorld
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  it('validates against the published schema and re-imports without a change', async () => {
    const est = world.seeded.MDI.establishmentId
    const scope = { establishmentId: est, includeNational: true }
    const exported = await world.services.hsds.exportJson(scope)
    assert.ok(exported.some(s => s.id === world.seeded.MDI.serviceId))
    const { service } = hsdsValidators()
    for (const s of exported) assert.ok(service(s), errorsOf(service))
    const r = await world.services.hsds.import({ ...SYSTEM_ACTOR, establishmentId: est }, est, jsonBytes(exported), 'x')
    assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 1000))
    if (r.status === 'imported') {
      assert.deepEqual(r.report.created, {})
      assert.deepEqual(r.report.updated, {})
    }
    assert.deepEqual(await world.services.hsds.exportJson(scope), exported)
  })
})
