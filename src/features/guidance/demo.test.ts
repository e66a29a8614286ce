import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

describe('guidance in the demo', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  before(async () => {
    s = await testServices()
  })
  after(() => s.close())

  it('has version 1 of the guide, the national worksheets and a local introduction after a reset', async () => {
    await s.guidance.ensureNationalContent()
    // a later version and a local worksheet that the reset must remove
    assert.ok((await s.guidance.publish(SYSTEM_ACTOR, { body: '# Changed\n', summary: 'Test' })).ok)
    const r = await s.demo.load({ seed: 3, establishments: 1, prisonersPer: 40, reset: true, today: '2026-03-02' })
    assert.ok(r.ok, JSON.stringify(r))
    const versions = await s.guidance.versions()
    assert.deepEqual(
      versions.map(v => v.version),
      [1],
    )
    assert.match((await s.guidance.latest())?.body ?? '', /What Key Work is for/)
    const establishments = await s.db.db.selectFrom('establishments').select(['id', 'name']).execute()
    assert.equal(establishments.length, 1)
    const intro = await s.guidance.introduction(establishments[0]!.id)
    assert.match(
      intro?.body ?? '',
      new RegExp(`Welcome to Key Work at ${establishments[0]!.name.replace(/[()]/g, '\\$&')}`),
    )
    assert.equal((await s.worksheets.list(establishments[0]!.id)).filter(w => w.national).length, 7)
  })
})
