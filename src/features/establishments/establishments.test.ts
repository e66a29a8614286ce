import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createUser, signedIn, testWorld } from '../../../test/harness'

describe('establishments, settings and national policy', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  it('lets an admin set values within the national bounds, and refuses values outside them', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const base = {
      name: 'Moorland (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
      frequencyWeeks: '',
      sessionMinutes: '',
      autoAllocation: 'yes',
    }
    const bad = await admin.post('/establishment/settings', { ...base, ratio: '25' })
    assert.equal(bad.status, 303)
    const page = await admin.get('/establishment/settings')
    assert.match(page.text, /Prisoners per Key Worker must be between 4 and 10/)
    assert.match(page.text, /value="25"/)
    assert.equal((await world.services.establishments.byId(world.est.MDI!))?.ratio, null)

    await admin.post('/establishment/settings', { ...base, ratio: '7' })
    const settings = await world.services.establishments.settings(world.est.MDI!)
    assert.equal(settings?.effective.ratio, 7)
    assert.equal(settings?.effective.sessionMinutes, 45)
    const events = await world.services.audit.forEntity('establishment', String(world.est.MDI))
    assert.equal(events[0]?.action, 'update')
    assert.match(events[0]?.changes ?? '', /"ratio":\{"from":null,"to":7\}/)
  })

  it('lets the national team change the bounds, checking min ≤ default ≤ max', async () => {
    const national = await signedIn(world, 'national')
    const fields = {
      ratioDefault: '6',
      ratioMin: '4',
      ratioMax: '10',
      frequencyWeeksDefault: '1',
      frequencyWeeksMin: '1',
      frequencyWeeksMax: '4',
      sessionMinutesDefault: '45',
      sessionMinutesMin: '30',
      sessionMinutesMax: '60',
    }
    await national.post('/national/policy', { ...fields, ratioDefault: '12' })
    assert.match(
      (await national.get('/national/policy')).text,
      /the default must be between the minimum and the maximum/,
    )
    // the bounds the prisoner page reads (kept for 5 s) are read first, so that a copy is held when they change
    assert.equal((await world.services.establishments.bounds()).frequencyWeeks.max, 4)
    await national.post('/national/policy', { ...fields, sessionMinutesDefault: '50', frequencyWeeksMax: '3' })
    assert.equal((await world.services.establishments.policy()).session_minutes_default, 50)
    // a change on this instance applies at once, not after the copy expires
    const bounds = await world.services.establishments.bounds()
    assert.deepEqual([bounds.sessionMinutes.default, bounds.frequencyWeeks.max], [50, 3])
  })

  it('lists every establishment for the national team only', async () => {
    const national = await signedIn(world, 'national')
    const list = await national.get('/establishments')
    assert.equal(list.status, 200)
    assert.match(list.text, /Moorland \(HMP\)/)
    assert.match(list.text, /Leeds \(HMP\)/)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await admin.get('/establishments')).status, 403)
  })

  it('adds an establishment and refuses a duplicate code', async () => {
    const national = await signedIn(world, 'national')
    const res = await national.post('/establishments/new', {
      code: 'bmi',
      name: 'Birmingham (HMP)',
      category: 'Category B local',
      region: 'West Midlands',
    })
    assert.equal(res.headers.location, '/establishments')
    assert.ok(await world.services.establishments.byCode('BMI'))
    await national.post('/establishments/new', { code: 'BMI', name: 'Again', category: 'x', region: 'y' })
    assert.match((await national.get('/establishments/new')).text, /already exists/)
  })

  it('switches establishment only to one the user works in', async () => {
    await createUser(world.services, 'two.places', [
      { role: 'KEY_WORKER', establishmentId: world.est.MDI! },
      { role: 'KEY_WORKER', establishmentId: world.est.LEI! },
    ])
    const b = await signedIn(world, 'two.places')
    assert.match((await b.get('/')).text, /Key Work in Moorland/)
    await b.post('/establishment/switch', { establishment: 'LEI' }, '/')
    assert.match((await b.get('/')).text, /Key Work in Leeds/)

    const single = await signedIn(world, 'key_worker.mdi')
    await single.post('/establishment/switch', { establishment: 'LEI' }, '/')
    assert.match((await single.get('/')).text, /Key Work in Moorland/)

    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'LEI' }, '/')
    assert.match((await national.get('/')).text, /Key Work in Leeds/)
  })
})
