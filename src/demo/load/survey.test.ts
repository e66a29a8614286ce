import assert from 'node:assert/strict'
import { after, it } from 'node:test'
import { todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { testWorld } from '../../../test/harness'
import { loadDemoSurvey } from './survey'

const world = await testWorld()
const s = world.services
after(() => world.close())

it('the demo survey: a closed round with enough answers in one establishment and too few in parts of another', async () => {
  const r = await loadDemoSurvey(
    s.db,
    { survey: s.survey, establishments: s.establishments },
    { seed: 1, today: todayIso(), actor: { ...SYSTEM_ACTOR, username: 'national' } },
  )
  // MDI (the first): 24 KW + 11 SO + 2 admins = 37; LEI: 12 KW + 3 SO = 15
  assert.deepEqual(r, { rounds: 2, responses: 52 })
  const [open, closed] = await s.survey.rounds()
  assert.equal(open!.title, 'Staff survey')
  const results = (await s.survey.results(closed!.id))!
  assert.equal(results.status, 'closed')
  const mdi = world.est.MDI!
  const lei = world.est.LEI!
  // national 52 − 37 − 15 = 0: both establishments show. MDI 37 − 24 − 11 = 2: the SOs (11, the smaller) hide too,
  // leaving 13. LEI 15 − 12 = 3: its Key Workers hide; its SOs (3) never show.
  assert.deepEqual(
    results.cells
      .filter(c => c.shown)
      .map(c => c.key)
      .sort(),
    ['all', `e${lei}`, `e${mdi}`, `e${mdi}/KEY_WORKER`].sort(),
  )
  // answered without any user: no invitation, no token
  assert.equal((await s.db.db.selectFrom('survey_invitations').selectAll().execute()).length, 0)
  assert.equal((await s.db.db.selectFrom('survey_tokens').selectAll().execute()).length, 0)
})
