import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { allocateDemo } from '../cli'

// The demo's Leeds (scaled down to 300 men), after the demo's automatic allocation: before issue 12 it had a quarter
// of its eligible men waiting and no Key Worker with room.
describe('the demo allocates most of the roll and leaves Key Workers with room', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  before(async () => {
    s = await testServices()
    const r = await s.demo.load({ seed: 7, establishments: 1, prisonersPer: 300, reset: false })
    assert.ok(r.ok)
    await allocateDemo(s)
  })
  after(() => s.close())

  it('Leeds has at most a tenth of its eligible men waiting, and Key Workers with room', async () => {
    const leeds = await s.establishments.byCode('LEI')
    assert.ok(leeds)
    const eligible = Number(
      (
        await s.db.db
          .selectFrom('prisoners')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('establishment_id', '=', leeds.id)
          .where('status', '=', 'in')
          .where('complexity', '!=', 'high')
          .executeTakeFirstOrThrow()
      ).n,
    )
    assert.ok(eligible > 250, `eligible ${eligible}`)
    const state = await s.autoAllocation.unallocated(leeds.id)
    assert.ok(state.prisoners.length <= eligible * 0.1, `${state.prisoners.length} of ${eligible} waiting`)
    const withRoom = state.officers.filter(o => o.keyWorker && o.load < o.capacity)
    assert.ok(withRoom.length >= 1, 'at least one Key Worker with room')
    // about six per Key Worker: nobody over, most near it
    assert.ok(state.officers.every(o => o.load <= o.capacity))
  })
})
