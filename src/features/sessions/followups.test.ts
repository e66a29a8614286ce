import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import type { EntryForm } from '../../domain/sessionEntry'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { admitPrisoner } from '../../../test/support/prisoners'

// A goal's review counts where the goal counts: on the day the goal was set, not the day of the review
// (docs: statistics, "goals set and achieved" are by the day the goal was set).

let world: SeededWorld
const today = londonNow().date
const tenDaysAgo = addDays(today, -10)
before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const form = (extra: EntryForm): EntryForm => {
  const [y, m, d] = today.split('-')
  return {
    outcome: 'delivered',
    'sessionDate-day': d!,
    'sessionDate-month': m!,
    'sessionDate-year': y!,
    duration: '30',
    location: 'cell',
    private: 'yes',
    interpreterNeeded: 'no',
    concern: 'no',
    agreed: 'To keep going with the plan',
    ...extra,
  }
}

describe('a goal reviewed as achieved', () => {
  it('counts as achieved on the day it was set', async () => {
    const s = world.services
    const est = world.seeded.MDI.establishmentId
    const actor = { userId: world.seeded.MDI.userId, username: 'fixture.mdi', establishmentId: est }
    await admitPrisoner(s, est, {
      prisonNumber: 'F5001FU',
      firstName: 'Lee',
      lastName: 'Goal',
      unit: world.seeded.MDI.unitCode,
      receptionDate: addDays(today, -100),
    })
    const submit = async (extra: EntryForm) => {
      const started = await s.sessions.start(actor, est, 'F5001FU')
      assert.ok(started !== 'not-found' && started.ok)
      assert.equal((await s.sessions.submitEntry(actor, est, started.value.id, form(extra))).kind, 'submitted')
      return started.value.id
    }
    const first = await submit({
      goal0Description: 'Enrol on the kitchen course',
      goal0Measure: 'A place on it',
      goal0TargetDate: addDays(today, 30),
    })
    const goal = await s.db.db
      .selectFrom('session_goals')
      .select('id')
      .where('set_in_session_id', '=', first)
      .executeTakeFirstOrThrow()
    // the goal was set ten days ago (written so, then the statistics counted again from the tables)
    await s.db.db
      .updateTable('session_goals')
      .set({ created_at: `${tenDaysAgo}T12:00:00.000Z` })
      .where('id', '=', goal.id)
      .execute()
    await s.statistics.rebuild(est)
    const day = async (d: string) =>
      (await s.statistics.verifyFollowUps(est)).stored.find(x => x.day === d) ?? { goals_set: 0, goals_achieved: 0 }
    const before = { then: await day(tenDaysAgo), now: await day(today) }

    await submit({ [`review${goal.id}Status`]: 'achieved', [`review${goal.id}Note`]: 'Started on Monday' })
    const then = await day(tenDaysAgo)
    const now = await day(today)
    assert.equal(then.goals_achieved, before.then.goals_achieved + 1)
    assert.equal(then.goals_set, before.then.goals_set)
    assert.equal(now.goals_achieved, before.now.goals_achieved)
    const { stored, fresh } = await s.statistics.verifyFollowUps(est)
    assert.deepEqual(stored, fresh)
  })
})
