import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { createUser, testWorld } from '../../../test/harness'
import { loadDemoBulletins } from './bulletins'

const world = await testWorld()
const s = world.services
const db = s.db.db
after(() => world.close())

describe('demo bulletins', () => {
  it('publishes two notices, read by some of the people they are for, never by the demo Key Worker', async () => {
    const MDI = world.est.MDI!
    const LEI = world.est.LEI!
    // testWorld made key_worker, supervising_officer and establishment_admin in MDI, then in LEI, then national
    await createUser(s, 'supervisor', [{ role: 'SUPERVISING_OFFICER', establishmentId: MDI }])
    await createUser(s, 'keyworker', [{ role: 'KEY_WORKER', establishmentId: MDI }])
    const r = await loadDemoBulletins(s.db, { bulletins: s.bulletins, users: s.users })
    assert.equal(r.bulletins, 2)
    const [everyone, soOnly] = await db.selectFrom('bulletins').selectAll().orderBy('id').execute()
    assert.equal(everyone!.audience, '')
    assert.equal(soOnly!.audience, 'SUPERVISING_OFFICER')
    // the demo SO's establishment (MDI): its users in id order are key_worker.mdi (0), supervising_officer.mdi (1),
    // establishment_admin.mdi (2), supervisor (3) and keyworker (4, never); three in five read: 0, 1 and 2. The
    // Key Worker and the admin read the notice to everyone (the SOs' one is not for them), the SO both: 4 reads.
    const reads = await db
      .selectFrom('bulletin_reads as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['u.username', 'r.bulletin_id'])
      .orderBy('u.id')
      .orderBy('r.bulletin_id')
      .execute()
    const mdi = reads.filter(x => x.username.endsWith('.mdi') || !x.username.includes('.'))
    assert.deepEqual(
      mdi.map(x => [x.username, x.bulletin_id]),
      [
        ['key_worker.mdi', everyone!.id],
        ['supervising_officer.mdi', everyone!.id],
        ['supervising_officer.mdi', soOnly!.id],
        ['establishment_admin.mdi', everyone!.id],
      ],
    )
    // elsewhere: (index + establishment id) % 7 < establishment id % 6; LEI's three users read when that holds
    const expectedLei = [0, 1, 2].filter(i => (i + LEI) % 7 < LEI % 6).length
    const lei = reads.filter(x => x.username.endsWith('.lei'))
    assert.equal(new Set(lei.map(x => x.username)).size, expectedLei)
    assert.equal(r.reads, reads.length)
    assert.ok(!reads.some(x => x.username === 'keyworker'))
  })
})
