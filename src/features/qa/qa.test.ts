import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { seededWorld } from '../../../test/fixtures'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id
const actorFor = async (username: string, establishmentId = mdi.establishmentId) => ({
  userId: await userId(username),
  username,
  establishmentId,
})

describe('recording a review through the service', () => {
  it('saves a chosen review, tells the officer and emails them', async () => {
    const so = await actorFor('supervising_officer.mdi')
    const rubric = await s.rubric.current(mdi.establishmentId)
    const r = await s.qa.recordReview(so, {
      sessionId: mdi.sessionId,
      kind: 'chosen',
      scores: rubric.criteria.map(c => ({ criterionId: c.id, score: 3, comment: null })),
      overall: 3,
      good: 'Clear voice of the prisoner.',
      change: 'Set a SMART goal.',
    })
    assert.ok(r.ok, JSON.stringify(r))
    const notices = await s.notices.list(await userId('key_worker.mdi'))
    assert.equal(notices.length, 1)
  })
})
