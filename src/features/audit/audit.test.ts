import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn, testWorld } from '../../../test/harness'
import { describeChanges } from './routes'

describe('audit trail page', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  it('shows who changed what in this establishment only, and filters by record', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    await admin.post('/establishment/settings', {
      name: 'Moorland (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
      ratio: '7',
      frequencyWeeks: '',
      sessionMinutes: '',
      autoAllocation: 'yes',
    })
    const leeds = await signedIn(world, 'establishment_admin.lei')
    await leeds.post('/establishment/settings', {
      name: 'Leeds renamed',
      category: 'Category B local',
      region: 'Yorkshire',
      ratio: '',
      frequencyWeeks: '',
      sessionMinutes: '',
      autoAllocation: 'yes',
    })

    const page = await admin.get('/audit')
    assert.equal(page.status, 200)
    assert.match(page.text, /ratio: \(blank\) → 7/)
    assert.doesNotMatch(page.text, /Leeds renamed/)

    const filtered = await admin.get('/audit?entity=user&entityId=nothing-matches')
    assert.match(filtered.text, /No events match/)
  })

  it('describes changes in plain words', () => {
    assert.equal(
      describeChanges('{"status":{"from":"in","to":"released"},"reason":"x"}'),
      'status: in → released; reason: x',
    )
    assert.equal(describeChanges(null), '')
  })
})
