import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Browser, testServices } from '../../../test/harness'
import { todayIso } from '../../domain/dates'
import { createApp } from '../../app'
import { rebalanceService } from './rebalance'

describe('rebalancing caseloads', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  let establishmentId: number
  const actor = () => ({ userId: null, username: 'test', establishmentId })

  before(async () => {
    s = await testServices()
    assert.ok((await s.demo.load({ seed: 5, establishments: 1, prisonersPer: 150, reset: false })).ok)
    establishmentId = (await s.establishments.all())[0]!.id
    const preview = await s.autoAllocation.preview(establishmentId, {})
    const rows = preview.pairs
      .filter((_, i) => i % 3 !== 0)
      .map(p => ({ prisonNumber: p.prisoner.prison_number, staffId: p.officer.id, overridden: false }))
    assert.ok((await s.autoAllocation.confirm(actor(), establishmentId, {}, preview.fingerprint, rows)).ok)
  })
  after(() => s.close())

  async function overloadBusiest() {
    const officers = await s.allocations.officers(establishmentId)
    const busiest = officers.filter(o => o.load >= 3).sort((a, b) => b.load - a.load)[0]!
    await sql`update staff set capacity_override = 1 where id = ${busiest.id}`.execute(s.db.db)
    return { ...busiest, capacity: 1 }
  }

  it('proposes moving exactly the overload of a Key Worker whose capacity was cut, and makes the ticked moves', async () => {
    const officer = await overloadBusiest()
    const preview = await s.rebalance.preview(establishmentId, { moveRecentlySeen: false })
    const fromThem = preview.moves.filter(m => m.from.id === officer.id)
    assert.equal(fromThem.length, officer.load - 1)
    assert.ok(fromThem.every(m => m.reasons.includes('Key Worker over capacity')))
    assert.ok(preview.before.overCapacityOfficers >= 1)
    assert.equal(preview.after.overCapacityOfficers, 0)

    // the Supervising Officer untick one move: the others are made
    const app = createApp(s)
    const so = new Browser(app)
    const { createUser, PASSWORD } = await import('../../../test/harness')
    await createUser(s, 'so.rebalance', [{ role: 'SUPERVISING_OFFICER', establishmentId }])
    await so.post('/sign-in', { username: 'so.rebalance', password: PASSWORD }, '/sign-in')
    const page = await so.get('/allocate/rebalance')
    assert.equal(page.status, 200)
    assert.match(page.text, /Key Worker over capacity/)
    const chosen = preview.moves.slice(1).map(m => m.prisoner.prison_number)
    const res = await so.post(
      '/allocate/rebalance/confirm',
      { fingerprint: preview.fingerprint, move: chosen },
      '/allocate/rebalance',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/allocate')
    assert.match(
      (await so.get('/allocate')).text,
      new RegExp(`${chosen.length} prisoners? moved to another Key Worker`),
    )

    const left = preview.moves[0]!
    const stayed = await s.allocations.caseload(establishmentId, left.from.id)
    assert.ok(
      stayed.some(p => p.prison_number === left.prisoner.prison_number),
      'the unticked move was not made',
    )
    for (const m of preview.moves.slice(1)) {
      const now = await s.allocations.caseload(establishmentId, m.to.id)
      assert.ok(now.some(p => p.prison_number === m.prisoner.prison_number))
    }
    const history = await s.allocations.historyForPrisoner(establishmentId, preview.moves[1]!.prisoner.id)
    assert.match(history.map(h => h.deallocation_note ?? '').join(' '), /Rebalanced: /)
    assert.equal((await s.audit.verify()).ok, true)

    // the same proposal again is stale: nothing saved
    const again = await so.post(
      '/allocate/rebalance/confirm',
      { fingerprint: preview.fingerprint, move: chosen },
      '/allocate/rebalance',
    )
    assert.equal(again.headers.location, '/allocate/rebalance')
    assert.match((await so.get('/allocate/rebalance')).text, /Caseloads changed since this proposal was made/)
    const none = await so.post('/allocate/rebalance/confirm', {}, '/allocate/rebalance')
    assert.equal(none.status, 303)
    assert.match((await so.get('/allocate/rebalance')).text, /Check the proposed moves first/)
  })

  it('refuses a move that is not in the proposal', async () => {
    const preview = await s.rebalance.preview(establishmentId, { moveRecentlySeen: false })
    const r = await s.rebalance.confirm(actor(), establishmentId, { moveRecentlySeen: false }, preview.fingerprint, [
      'Z9999ZZ',
    ])
    assert.equal(r.ok, false)
  })

  it('leaves prisoners seen in the last 28 days where they are unless asked', async () => {
    const officer = await overloadBusiest()
    const caseload = await s.allocations.caseload(establishmentId, officer.id)
    const seen = new Map(caseload.map(p => [p.id, todayIso()]))
    const withSessions = rebalanceService(s.db.db, {
      audit: s.audit,
      establishments: s.establishments,
      autoAllocation: s.autoAllocation,
      lastSessions: async () => seen,
    })
    const kept = await withSessions.preview(establishmentId, { moveRecentlySeen: false })
    assert.equal(kept.pinned, caseload.length)
    assert.ok(kept.moves.every(m => m.from.id !== officer.id))
    assert.ok(kept.overCapacity.some(o => o.officer.id === officer.id))
    const asked = await withSessions.preview(establishmentId, { moveRecentlySeen: true })
    assert.equal(asked.moves.filter(m => m.from.id === officer.id).length, caseload.length - 1)
  })
})
