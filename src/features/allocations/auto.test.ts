import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, testServices } from '../../../test/harness'
import { createApp } from '../../app'

describe('automatic allocation: preview, override, confirm', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  let so: Browser
  let establishmentId: number
  before(async () => {
    s = await testServices()
    const r = await s.demo.load({ seed: 3, establishments: 1, prisonersPer: 150, reset: false })
    assert.ok(r.ok)
    establishmentId = (await s.establishments.all())[0]!.id
    so = new Browser(createApp(s))
    const res = await so.signIn('supervisor', 'key-work-demo')
    assert.equal(res.status, 303)
  })
  after(() => s.close())

  it('explains each pair and refuses an override that would break capacity, saving nothing', async () => {
    const preview = await s.autoAllocation.preview(establishmentId, {})
    for (const pair of preview.pairs) assert.ok(pair.reasons.length > 0, 'every pair says why')
    const officer = preview.pairs[0]!.officer
    const room = officer.capacity - officer.load
    assert.ok(preview.pairs.length > room)
    const rows = preview.pairs
      .slice(0, room + 1)
      .map(p => ({ prisonNumber: p.prisoner.prison_number, staffId: officer.id, overridden: true }))
    const actor = { userId: null, username: 'test', establishmentId }
    const r = await s.autoAllocation.confirm(actor, establishmentId, {}, preview.fingerprint, rows)
    assert.equal(r.ok, false)
    assert.match(Object.values(r.ok ? {} : r.errors)[0] ?? '', /would have more than/)
    assert.equal(
      (await s.autoAllocation.unallocated(establishmentId)).prisoners.length,
      preview.pairs.length + preview.unallocated.length,
    )
  })

  it('previews without saving, then saves what is confirmed, with one row overridden', async () => {
    const list = await so.get('/allocate')
    assert.equal(list.status, 200)
    const waiting = (await s.autoAllocation.unallocated(establishmentId)).prisoners.length
    assert.ok(waiting > 50)

    const page = await so.get('/allocate/preview')
    assert.equal(page.status, 200)
    assert.match(page.text, /Check the proposed allocations/)
    assert.equal(
      (await s.autoAllocation.unallocated(establishmentId)).prisoners.length,
      waiting,
      'a preview saves nothing',
    )

    const fingerprint = /name="fingerprint" value="([^"]+)"/.exec(page.text)![1]!
    const fields: Record<string, string> = { fingerprint }
    for (const m of page.text.matchAll(/name="proposed_([A-Z0-9]+)" value="(\d+)"/g)) {
      fields[`proposed_${m[1]}`] = m[2]!
      fields[`staff_${m[1]}`] = m[2]!
    }
    const proposedCount = Object.keys(fields).filter(k => k.startsWith('staff_')).length
    assert.ok(proposedCount > 0)
    // the Supervising Officer leaves one prisoner for later
    const skipped = Object.keys(fields).find(k => k.startsWith('staff_'))!
    fields[skipped] = 'none'

    const res = await so.post('/allocate/confirm', fields, '/allocate')
    assert.equal(res.status, 303)
    const after = await s.autoAllocation.unallocated(establishmentId)
    assert.equal(after.prisoners.length, waiting - (proposedCount - 1))
    assert.ok(after.prisoners.some(p => `staff_${p.prison_number}` === skipped))
    for (const o of after.officers) assert.ok(o.load <= o.capacity, `${o.id} over capacity`)

    // the same (now stale) preview cannot be confirmed twice
    await so.post('/allocate/confirm', fields, '/allocate')
    assert.match((await so.get('/allocate')).text, /changed since this preview/)
    assert.equal((await s.autoAllocation.unallocated(establishmentId)).prisoners.length, after.prisoners.length)
  })
})
