import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, signedIn, testWorld } from '../../../test/harness'

describe('prisoners', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let admin: Browser
  before(async () => {
    world = await testWorld()
    admin = await signedIn(world, 'establishment_admin.mdi')
  })
  after(() => world.close())

  const valid = {
    prisonNumber: 'a1234bc',
    firstName: 'Jan',
    lastName: 'Kowalski',
    'dateOfBirth-day': '3',
    'dateOfBirth-month': '4',
    'dateOfBirth-year': '1990',
    'receptionDate-day': '1',
    'receptionDate-month': '9',
    'receptionDate-year': '2026',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'pl',
    interpreterNeeded: 'yes',
    nationality: 'Polish',
  }

  it('adds a prisoner, shows the page and audits the view', async () => {
    const res = await admin.post('/prisoners/new', valid)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/prisoners/A1234BC')
    const page = await admin.get('/prisoners/A1234BC')
    assert.equal(page.status, 200)
    assert.match(page.text, /Jan Kowalski/)
    assert.match(page.text, /Polish/)
    assert.match(page.text, /Needs an interpreter/)
    const events = await world.services.audit.forEntity('prisoner', 'A1234BC')
    assert.deepEqual(
      events.map(e => e.action),
      ['view', 'create'],
    )
  })

  it('finds the prisoner by name and by prison number', async () => {
    for (const q of ['kow', 'Jan Kow', 'a1234bc']) {
      const res = await admin.get(`/prisoners?q=${encodeURIComponent(q)}`)
      assert.match(res.text, /A1234BC/, q)
    }
    const none = await admin.get('/prisoners?q=zzz')
    assert.doesNotMatch(none.text, /A1234BC/)
  })

  it('keeps values and shows every error for a bad form, saving nothing', async () => {
    const res = await admin.post(
      '/prisoners/new',
      { ...valid, prisonNumber: '123', 'dateOfBirth-month': '13', firstName: '' },
      '/prisoners/new',
    )
    assert.equal(res.status, 303)
    const form = await admin.get('/prisoners/new')
    assert.match(form.text, /There is a problem/)
    assert.match(form.text, /format A1234BC/)
    assert.match(form.text, /Date of birth must be a real date/)
    assert.match(form.text, /Enter first name/)
    assert.match(form.text, /value="Kowalski"/)
  })

  it('hides another establishment’s prisoner behind a 404', async () => {
    const other = await signedIn(world, 'key_worker.lei')
    const res = await other.get('/prisoners/A1234BC')
    assert.equal(res.status, 404)
  })
})
