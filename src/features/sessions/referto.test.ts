import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, testServices } from '../../../test/harness'
import { DEMO_PASSWORD } from '../../demo/generator/generate'
import { createApp } from '../../app'

// The demo's directory lists the chaplaincy, healthcare and other teams as services: the session form's "Refer to"
// showed "Chaplaincy" twice, once as a service and once as a team.
describe('the session form’s "Refer to" lists each service once', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  before(async () => {
    s = await testServices()
    const r = await s.demo.load({ seed: 5, establishments: 1, prisonersPer: 40, reset: false })
    assert.ok(r.ok)
  })
  after(() => s.close())

  it('has no option twice, national or not', async () => {
    const est = (await s.establishments.all())[0]!
    const prisoner = await s.db.db
      .selectFrom('prisoners')
      .select('prison_number')
      .where('establishment_id', '=', est.id)
      .where('status', '=', 'in')
      .orderBy('prison_number')
      .executeTakeFirstOrThrow()
    const kw = new Browser(createApp(s))
    assert.equal((await kw.signIn('keyworker', DEMO_PASSWORD)).status, 303)
    const pn = prisoner.prison_number
    const started = await kw.post(
      `/prisoners/${pn}/sessions`,
      { client_key: crypto.randomUUID() },
      `/prisoners/${pn}/sessions/new`,
    )
    assert.equal(started.status, 303)
    const form = await kw.agent.get(started.headers.location!)
    assert.equal(form.status, 200)
    const select = /<select[^>]*id="referral0To"[^>]*>([\s\S]*?)<\/select>/.exec(form.text)![1]!
    const options = [...select.matchAll(/<option value="[^"]+"[^>]*>([^<]+)<\/option>/g)].map(m =>
      m[1]!
        .replace(/ \(national\)$/, '')
        .trim()
        .toLowerCase(),
    )
    assert.ok(options.length > 20, `${options.length} options`)
    assert.ok(options.includes('chaplaincy'))
    assert.deepEqual(
      options.filter((o, i) => options.indexOf(o) !== i),
      [],
      'no option twice',
    )
    assert.doesNotMatch(select, /value="stakeholder:chaplaincy"/, 'the chaplaincy is offered as a service only')

    // a team chosen before (an older draft, an import) stays on offer when the form is opened again
    const edit = started.headers.location!
    const saved = await kw.post(`${edit.replace(/\/edit$/, '')}/draft`, { referral0To: 'stakeholder:chaplaincy' }, edit)
    assert.equal(saved.status, 303)
    const again = (await kw.agent.get(edit)).text
    assert.match(again, /<option value="stakeholder:chaplaincy" selected>Chaplaincy<\/option>/)
  })
})
