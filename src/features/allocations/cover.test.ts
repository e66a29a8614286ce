import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Browser, testServices } from '../../../test/harness'
import { addDays, todayIso } from '../../domain/dates'
import { createApp } from '../../app'

describe('cover while a Key Worker is away', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  let establishmentId: number
  const actor = () => ({ userId: null, username: 'test', establishmentId })

  before(async () => {
    s = await testServices()
    assert.ok((await s.demo.load({ seed: 3, establishments: 1, prisonersPer: 150, reset: false })).ok)
    establishmentId = (await s.establishments.all())[0]!.id
    // leave room so cover can be found: allocate only half of those waiting
    const preview = await s.autoAllocation.preview(establishmentId, {})
    const rows = preview.pairs
      .filter((_, i) => i % 2 === 0)
      .map(p => ({ prisonNumber: p.prisoner.prison_number, staffId: p.officer.id, overridden: false }))
    assert.ok((await s.autoAllocation.confirm(actor(), establishmentId, {}, preview.fingerprint, rows)).ok)
  })
  after(() => s.close())

  async function busiestOfficer() {
    const officers = await s.allocations.officers(establishmentId)
    return officers.filter(o => o.load > 0).sort((a, b) => b.load - a.load)[0]!
  }

  it('moves the caseload to others with room, and back when the cover ends', async () => {
    const away = await busiestOfficer()
    const before = (await s.allocations.caseload(establishmentId, away.id)).map(p => p.prison_number).sort()
    const until = addDays(todayIso(), 14)
    const r = await s.cover.arrange(actor(), establishmentId, away.id, until)
    assert.ok(r.ok)
    assert.equal(r.value.covered, before.length)
    assert.equal((await s.allocations.caseload(establishmentId, away.id)).length, 0)
    for (const o of await s.allocations.officers(establishmentId)) assert.ok(o.load <= o.capacity)

    assert.deepEqual(await s.cover.returnDue(actor()), { returned: 0, kept: 0 }, 'not due yet')
    const back = await s.cover.returnDue(actor(), until)
    assert.equal(back.returned, before.length)
    const after = (await s.allocations.caseload(establishmentId, away.id)).map(p => p.prison_number).sort()
    assert.deepEqual(after, before)
    assert.equal((await s.audit.verify()).ok, true)
  })

  it('keeps the cover when the Key Worker is still away on the end date', async () => {
    const away = await busiestOfficer()
    const until = addDays(todayIso(), 7)
    const r = await s.cover.arrange(actor(), establishmentId, away.id, until)
    assert.ok(r.ok)
    await sql`update staff set status = 'long_term_absence' where id = ${away.id}`.execute(s.db.db)
    const result = await s.cover.returnDue(actor(), until)
    assert.equal(result.returned, 0)
    assert.equal(result.kept, r.value.covered)
  })

  it('offers cover from the staff page and refuses an end date in the past', async () => {
    const officer = (await s.allocations.officers(establishmentId)).find(o => o.load > 0)!
    const b = new Browser(createApp(s))
    await b.signIn('supervisor', 'key-work-demo')
    const page = await b.get(`/staff/${officer.id}/cover`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Arrange cover for/)
    const res = await b.post(`/staff/${officer.id}/cover`, {
      'until-day': '1',
      'until-month': '1',
      'until-year': '2020',
    })
    assert.equal(res.headers.location, `/staff/${officer.id}/cover`)
    assert.match((await b.get(`/staff/${officer.id}/cover`)).text, /The cover must end after today/)
    assert.equal((await s.allocations.caseload(establishmentId, officer.id)).length, officer.load)
  })
})
