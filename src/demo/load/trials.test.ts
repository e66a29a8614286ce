import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { testServices } from '../../../test/harness'
import { allocateDemo, demoEvaluation } from '../cli'
import type { Services } from '../../services'
import { setClock } from '../../domain/clock'
import { loadDemoHistory } from '../statistics'
import { COUNT_MONTHS, HUB_UPLIFT } from '../generator/trials'

// `keywork demo`'s trials, loaded after the year of history, read back through the trials service: the hub's
// planted effect on delivery shows in its compliance estimate; the guide, with none, does not move compliance.

const TODAY = '2026-06-10'
const OPTIONS = { seed: 3, establishments: 4, prisonersPer: 150, today: TODAY }

describe('keywork demo: trials and outcome counts', () => {
  let s: Services & { close(): Promise<void> }
  before(async () => {
    setClock(`${TODAY}T11:00:00.000Z`)
    s = await testServices()
    const r = await s.demo.load({ ...OPTIONS, reset: false })
    assert.ok(r.ok)
    await allocateDemo(s)
    await loadDemoHistory(
      s.db,
      { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
      { seed: OPTIONS.seed, today: TODAY },
    )
    await demoEvaluation(s, { seed: OPTIONS.seed, today: TODAY })
  })
  after(async () => {
    setClock(null)
    await s.close()
  })

  const count = async (table: 'trials' | 'trial_adoptions' | 'trial_comparisons' | 'trial_outcome_counts') =>
    Number(
      (
        await s.db.db
          .selectFrom(table)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('two interventions, staggered, the counts imported, each audited', async () => {
    const trials = await s.trials.list()
    assert.deepEqual(trials.map(t => t.name).sort(), ['Key Worker hub opened', 'New guide version briefing'])
    // four establishments: the hub at the second and third (8 and 6 months back), the guide at the first (7 months
    // back), compared with the fourth
    assert.equal(await count('trial_adoptions'), 3)
    assert.equal(await count('trial_comparisons'), 1)
    // 4 establishments × 18 months × 3 measures
    assert.equal(await count('trial_outcome_counts'), 4 * COUNT_MONTHS * 3)
    const events = await s.db.db
      .selectFrom('audit_events')
      .select(['action', 'entity'])
      .where('entity', 'in', ['trial', 'trial_outcome_counts'])
      .execute()
    assert.equal(events.filter(e => e.entity === 'trial' && e.action === 'create').length, 2)
    assert.equal(events.filter(e => e.entity === 'trial_outcome_counts' && e.action === 'import').length, 1)
  })

  it('the planted effect is there: compliance rises after a hub opens; not after the guide', async () => {
    const trials = await s.trials.list()
    const compliance = async (name: string) => {
      const report = await s.trials.report(trials.find(t => t.name === name)!.id)
      return report!.outcomes.find(o => o.measure.code === 'compliance')!.result!
    }
    const hub = await compliance('Key Worker hub opened')
    // delivery up by 0.15 of the sessions due: compliance (delivered ÷ due × 100) up by about 15 points
    assert.ok(hub.overall!.estimate > HUB_UPLIFT * 100 * 0.5, JSON.stringify(hub.overall))
    assert.ok(hub.overall!.estimate < HUB_UPLIFT * 100 * 1.6, JSON.stringify(hub.overall))
    assert.equal(hub.design.treatedUnits, 2)
    // and the report says it cannot tell from so few establishments
    assert.equal(hub.canTell, false)
    const guide = await compliance('New guide version briefing')
    assert.ok(Math.abs(guide.overall!.estimate) < HUB_UPLIFT * 100 * 0.5, JSON.stringify(guide.overall))
  })

  it('violence counts are per 1,000 prisoners and are not changed by the hub', async () => {
    const hubId = (await s.trials.list()).find(t => t.name === 'Key Worker hub opened')!.id
    const report = await s.trials.report(hubId)
    const violence = report!.outcomes.find(o => o.measure.code === 'count:violence')!
    assert.ok(violence.observations > 0)
    // no effect planted: the interval takes in no change
    const o = violence.result!.overall!
    assert.ok(o.lower <= 0 && o.upper >= 0, JSON.stringify(o))
  })
})
