import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

describe('manual allocation, history and caseload', () => {
  let world: SeededWorld
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  it('lets a Supervising Officer allocate, reallocate with a handover note, and remove a Key Worker', async () => {
    const { prisonNumber, staffId, establishmentId } = world.seeded.MDI
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get(`/prisoners/${prisonNumber}/allocate`)
    assert.equal(page.status, 200)
    assert.match(page.text, /0 of 6/)

    // the officers here have not done the initial course and the national rule is 'warn': the user confirms
    const res = await so.post(`/prisoners/${prisonNumber}/allocate`, {
      staffId: String(staffId),
      untrainedConfirmed: 'yes',
    })
    assert.equal(res.headers.location, `/prisoners/${prisonNumber}`)
    const shown = await so.get(`/prisoners/${prisonNumber}`)
    assert.match(shown.text, /since/)

    // a second officer, then reallocate to them with a handover note
    const other = await world.services.staff.create(SYSTEM_ACTOR, establishmentId, {
      staffNumber: 'SO2',
      firstName: 'Priya',
      lastName: 'Shah',
      grade: 'Band 3',
      email: null,
      workingPattern: 'full_time',
      weeklyHours: 37,
      startedInPost: null,
      languages: ['en'],
      status: 'active',
      statusReturnDate: null,
      homeUnit: null,
      userId: null,
    } as never)
    assert.ok(other.ok)
    await so.post(`/prisoners/${prisonNumber}/allocate`, {
      staffId: String(other.value),
      handoverNote: 'Working on housing',
      untrainedConfirmed: 'yes',
    })
    const after = await so.get(`/prisoners/${prisonNumber}`)
    assert.match(after.text, /Priya Shah, since/)
    assert.match(after.text, /Handover note:<\/strong> Working on housing/)
    assert.match(after.text, /manual, Reallocated/)

    const prisoner = await world.services.prisoners.get(establishmentId, prisonNumber)
    const history = await world.services.allocations.historyForPrisoner(establishmentId, prisoner!.id)
    assert.equal(history.filter(h => h.deallocated_at === null).length, 1)

    const missing = await so.post(`/prisoners/${prisonNumber}/deallocate`, { reason: 'manual', note: '' })
    assert.equal(missing.headers.location, `/prisoners/${prisonNumber}/deallocate`)
    assert.match(
      (await so.get(`/prisoners/${prisonNumber}/deallocate`)).text,
      /Say why the Key Worker is being removed/,
    )

    await so.post(`/prisoners/${prisonNumber}/deallocate`, { reason: 'transferred' })
    assert.match((await so.get(`/prisoners/${prisonNumber}`)).text, /No Key Worker allocated/)
  })

  it('refuses an inactive officer, a full officer and another establishment’s officer, saving nothing', async () => {
    const { prisonNumber, establishmentId } = world.seeded.MDI
    const prisoner = await world.services.prisoners.get(establishmentId, prisonNumber)
    const before = await world.services.allocations.historyForPrisoner(establishmentId, prisoner!.id)
    const r = await world.services.allocations.allocate(
      SYSTEM_ACTOR,
      establishmentId,
      prisonNumber,
      world.seeded.LEI.staffId,
      {
        reason: 'manual',
      },
    )
    assert.equal(r.ok, false)
    const so = await signedIn(world, 'supervising_officer.mdi')
    await so.post(`/prisoners/${prisonNumber}/allocate`, { staffId: 'abc' })
    assert.match((await so.get(`/prisoners/${prisonNumber}/allocate`)).text, /Choose a Key Worker/)
    const afterRows = await world.services.allocations.historyForPrisoner(establishmentId, prisoner!.id)
    assert.equal(afterRows.length, before.length)
  })

  it('shows a Key Worker their caseload, and says so when their account has no staff record', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const page = await kw.get('/caseload')
    assert.equal(page.status, 200)
    assert.match(page.text, /not linked to a staff record/)
  })

  it('hides another establishment’s prisoner behind a 404', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/prisoners/${world.seeded.LEI.prisonNumber}/allocate`)).status, 404)
  })
})
