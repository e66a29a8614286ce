import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

describe('who is a Key Worker, automatic allocation on or off, and cover offered when an officer is away', () => {
  let world: SeededWorld
  let mdi: number
  const actor = () => ({ ...SYSTEM_ACTOR, establishmentId: mdi })
  const staffRow = async (staffNumber: string) =>
    (await world.services.staff.search({ establishmentId: mdi, query: staffNumber, limit: 5, offset: 0 })).rows[0]!

  before(async () => {
    world = await seededWorld()
    mdi = world.seeded.MDI.establishmentId
  })
  after(() => world.close())

  const importStaff = (csv: string) =>
    world.services.imports.run(actor(), mdi, 'staff', Buffer.from(csv), {
      fileName: 'staff.csv',
      skipInvalid: false,
      fullRoll: false,
    })

  it('makes band 3 officers Key Workers by default, and never undoes a choice when the column is left out', async () => {
    const header = 'Staff number,First name,Last name,Grade,Status\n'
    let o = await importStaff(`${header}KW100,Ann,Bell,Band 3,active\nSO100,Bob,Cole,Band 4,active\n`)
    assert.equal(o.status, 'imported', JSON.stringify(o))
    assert.equal((await staffRow('KW100')).key_worker, 1)
    assert.equal((await staffRow('SO100')).key_worker, 0)

    // the Band 4 officer holds a caseload after all: the column says so
    o = await importStaff(
      `Staff number,First name,Last name,Grade,Status,Key worker\nSO100,Bob,Cole,Band 4,active,yes\nKW100,Ann,Bell,Band 3,active,no\n`,
    )
    assert.equal(o.status, 'imported', JSON.stringify(o))
    assert.equal((await staffRow('SO100')).key_worker, 1)
    assert.equal((await staffRow('KW100')).key_worker, 0)

    // a later file without the column keeps both choices
    o = await importStaff(`${header}KW100,Ann,Bell,Band 3,active\nSO100,Bob,Cole,Band 4,active\n`)
    assert.equal(o.status, 'imported', JSON.stringify(o))
    assert.equal((await staffRow('SO100')).key_worker, 1)
    assert.equal((await staffRow('KW100')).key_worker, 0)

    const bad = await importStaff(`Staff number,First name,Last name,Grade,Key worker\nKW101,Cat,Dee,Band 3,perhaps\n`)
    assert.equal(bad.status, 'rejected')
    assert.match(JSON.stringify(bad), /Key Worker must be yes or no/)
  })

  it('refuses to allocate to an officer who is not a Key Worker, and leaves them out of automatic allocation', async () => {
    const { prisonNumber } = world.seeded.MDI
    const notKw = (await staffRow('KW100')).id
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.post(`/prisoners/${prisonNumber}/allocate`, { staffId: String(notKw) })
    assert.equal(res.status, 303)
    const page = await so.get(`/prisoners/${prisonNumber}/allocate`)
    assert.match(page.text, /Ann Bell is not a Key Worker/)
    const prisoner = await world.services.prisoners.get(mdi, prisonNumber)
    assert.equal((await world.services.allocations.historyForPrisoner(mdi, prisoner!.id)).length, 0)

    const preview = await world.services.autoAllocation.preview(mdi, {})
    assert.ok(preview.pairs.length > 0)
    assert.ok(preview.pairs.every(p => p.officer.id !== notKw))
    const choices = await world.services.allocations.officers(mdi)
    assert.ok(!choices.some(o => o.id === notKw))
    assert.ok(choices.some(o => o.id === world.seeded.MDI.staffId))
  })

  it('lets an admin turn automatic allocation off: Supervising Officers then allocate by hand only', async () => {
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const settings = {
      name: 'Moorland (HMP)',
      category: 'Category C trainer',
      region: 'Yorkshire',
      ratio: '',
      frequencyWeeks: '',
      sessionMinutes: '',
    }
    await admin.post('/establishment/settings', settings)
    assert.match((await admin.get('/establishment/settings')).text, /Select whether Supervising Officers use/)
    await admin.post('/establishment/settings', { ...settings, autoAllocation: 'no' })
    assert.equal((await world.services.establishments.byId(mdi))?.auto_allocation, 0)

    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get('/allocate')
    assert.match(page.text, /Automatic allocation is turned off/)
    assert.doesNotMatch(page.text, /Run automatic allocation/)
    assert.match(page.text, /Waiting for a Key Worker/)
    const preview = await so.get('/allocate/preview')
    assert.equal(preview.status, 303)
    assert.match((await so.get('/allocate')).text, /allocate Key Workers by hand/)
    const p = await world.services.autoAllocation.preview(mdi, {})
    const rows = p.pairs.map(x => ({
      prisonNumber: x.prisoner.prison_number,
      staffId: x.officer.id,
      overridden: false,
    }))
    const confirm = await world.services.autoAllocation.confirm(actor(), mdi, {}, p.fingerprint, rows)
    assert.equal(confirm.ok, false)
    assert.equal(await world.services.allocations.caseload(mdi, world.seeded.MDI.staffId).then(c => c.length), 0)

    await admin.post('/establishment/settings', { ...settings, autoAllocation: 'yes' })
    assert.match((await so.get('/allocate')).text, /Run automatic allocation/)
  })

  it('offers cover when an admin marks a Key Worker with prisoners as away', async () => {
    const { prisonNumber, staffId } = world.seeded.MDI
    const so = await signedIn(world, 'supervising_officer.mdi')
    // not trained, under the national 'warn' rule: the Supervising Officer confirms
    await so.post(`/prisoners/${prisonNumber}/allocate`, { staffId: String(staffId), untrainedConfirmed: 'yes' })
    assert.equal((await world.services.allocations.caseload(mdi, staffId)).length, 1)

    const admin = await signedIn(world, 'establishment_admin.mdi')
    const form = {
      firstName: 'Sam',
      lastName: 'Officer MDI',
      grade: 'Band 3',
      keyWorker: 'yes',
      workingPattern: 'full_time',
      weeklyHours: '37',
      languages: 'English',
      status: 'annual_leave',
      'statusReturnDate-day': '1',
      'statusReturnDate-month': '1',
      'statusReturnDate-year': String(new Date().getFullYear() + 1),
      homeUnit: world.seeded.MDI.unitCode,
      userId: '',
    }
    const res = await admin.post(`/staff/${staffId}/edit`, form)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/staff/${staffId}/cover`)
    const cover = await admin.get(`/staff/${staffId}/cover`)
    assert.match(cover.text, /is not available until 1 January \d{4} and has 1 prisoner: arrange cover/)
    assert.match(cover.text, /value="1"/, 'the end date is the return date')

    // back to active: no offer
    const back = await admin.post(`/staff/${staffId}/edit`, { ...form, status: 'active' })
    assert.equal(back.headers.location, `/staff/${staffId}`)
  })
})
