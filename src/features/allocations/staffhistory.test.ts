import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'

describe('an officer’s caseload, allocation history and capacity override', () => {
  let world: SeededWorld
  before(async () => {
    world = await seededWorld()
  })
  after(() => world.close())

  it('shows the caseload with capacity and the allocation history on the staff page', async () => {
    const { prisonNumber, staffId, establishmentId } = world.seeded.MDI
    const kw = await signedIn(world, 'key_worker.mdi')
    const empty = await kw.get(`/staff/${staffId}`)
    assert.match(empty.text, /0 of 6 prisoners allocated/)
    assert.match(empty.text, /has not been allocated any prisoners/)

    const actor = { ...SYSTEM_ACTOR, establishmentId }
    assert.ok(
      (await world.services.allocations.allocate(actor, establishmentId, prisonNumber, staffId, { reason: 'manual' }))
        .ok,
    )
    const page = await kw.get(`/staff/${staffId}`)
    assert.match(page.text, /1 of 6 prisoners allocated/)
    assert.match(page.text, new RegExp(`<a class="govuk-link" href="/prisoners/${prisonNumber}">Tomasz Nowak</a>`))
    assert.match(page.text, /Allocated: Manual/)
    assert.match(page.text, />Now</)

    assert.ok((await world.services.allocations.deallocate(actor, establishmentId, prisonNumber, 'transferred')).ok)
    const ended = await kw.get(`/staff/${staffId}`)
    assert.match(ended.text, /0 of 6 prisoners allocated/)
    assert.match(ended.text, /Allocated: Manual. Ended: Transferred/)
    assert.doesNotMatch(ended.text, />Now</)

    // another establishment's officer is not found
    assert.equal((await kw.get(`/staff/${world.seeded.LEI.staffId}`)).status, 404)
  })

  it('validates the capacity override against the national bounds, and uses it for allocation', async () => {
    const { staffId, establishmentId } = world.seeded.MDI
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const bounds = (await world.services.establishments.settings(establishmentId))!.bounds.ratio
    const officer = (await world.services.staff.get(establishmentId, staffId))!
    const base = {
      firstName: officer.first_name,
      lastName: officer.last_name,
      grade: officer.grade,
      workingPattern: officer.working_pattern,
      weeklyHours: String(officer.weekly_hours),
      languages: '',
      status: 'active',
      homeUnit: 'HB1',
      userId: '',
    }
    const form = await admin.get(`/staff/${staffId}/edit`)
    assert.match(form.text, /Capacity override \(prisoners\)/)
    for (const bad of ['2.5', 'lots', String(bounds.max + 1), String(bounds.min - 1)]) {
      const res = await admin.post(`/staff/${staffId}/edit`, { ...base, capacityOverride: bad })
      assert.equal(res.headers.location, `/staff/${staffId}/edit`, bad)
      const again = await admin.get(`/staff/${staffId}/edit`)
      assert.match(again.text, /Capacity override must be (a whole number )?between/, bad)
    }
    assert.equal((await world.services.staff.get(establishmentId, staffId))?.capacity_override, null)

    const res = await admin.post(`/staff/${staffId}/edit`, { ...base, capacityOverride: String(bounds.min) })
    assert.equal(res.headers.location, `/staff/${staffId}`)
    assert.equal((await world.services.staff.get(establishmentId, staffId))?.capacity_override, bounds.min)
    assert.match((await admin.get(`/staff/${staffId}`)).text, new RegExp(`0 of ${bounds.min} prisoners? allocated`))
    const officers = await world.services.allocations.officers(establishmentId)
    assert.equal(officers.find(o => o.id === staffId)?.capacity, bounds.min)
    const auto = await world.services.autoAllocation.unallocated(establishmentId)
    assert.equal(auto.officers.find(o => o.id === staffId)?.capacity, bounds.min)

    // the CSV import leaves the override alone
    const csv = `Staff number,Surname,Forename,Band,Working pattern,Hours,Status,Home unit\n${officer.staff_number},${officer.last_name},${officer.first_name},Band 3,Full time,30,active,HB1\n`
    const outcome = await world.services.imports.run(
      { ...SYSTEM_ACTOR, establishmentId },
      establishmentId,
      'staff',
      Buffer.from(csv),
      { fileName: 'staff.csv', skipInvalid: false, fullRoll: false },
    )
    assert.equal(outcome.status, 'imported', JSON.stringify(outcome))
    const reimported = await world.services.staff.get(establishmentId, staffId)
    assert.equal(reimported?.weekly_hours, 30)
    assert.equal(reimported?.capacity_override, bounds.min)

    // clearing it goes back to the pro-rata default
    await admin.post(`/staff/${staffId}/edit`, { ...base, weeklyHours: '37', capacityOverride: '' })
    assert.equal((await world.services.staff.get(establishmentId, staffId))?.capacity_override, null)
    assert.match((await admin.get(`/staff/${staffId}`)).text, /of 6 prisoners allocated/)
  })
})
