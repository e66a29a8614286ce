// The training rule for Key Workers who have not done the initial course, honoured by allocation: the engine
// (preview and confirm, both strategies), manual allocation and cover, under each of refuse, warn and allow.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, testServices } from '../../../test/harness'
import { recordInitialCourse } from '../../../test/support/allocations'
import { addDays, todayIso } from '../../domain/dates'
import { NO_LOCAL_SETTINGS, type UntrainedAllocation } from '../../domain/training'
import { createApp } from '../../app'

describe('allocating to Key Workers without the initial course', () => {
  let s: Awaited<ReturnType<typeof testServices>>
  let est: number
  let so: Browser
  const actor = () => ({ userId: null, username: 'test', establishmentId: est })

  before(async () => {
    s = await testServices()
    assert.ok((await s.demo.load({ seed: 3, establishments: 1, prisonersPer: 150, reset: false })).ok)
    est = (await s.establishments.all())[0]!.id
    so = new Browser(createApp(s))
    assert.equal((await so.signIn('supervisor', 'key-work-demo')).status, 303)
  })
  after(() => s.close())

  const setRule = async (rule: UntrainedAllocation) =>
    assert.ok(
      (await s.trainingRules.saveSettings(actor(), est, { ...NO_LOCAL_SETTINGS, untrainedAllocation: rule })).ok,
    )

  /** Exactly these officers have a valid initial course: every other completion of the establishment is voided. */
  async function trainOnly(ids: number[]) {
    await s.db.db
      .updateTable('training_completions')
      .set({ voided_at: '2026-01-02T00:00:00.000Z', voided_by: 'test', void_reason: 'test' })
      .where('establishment_id', '=', est)
      .where('voided_at', 'is', null)
      .execute()
    for (const id of ids) await recordInitialCourse(s, est, id)
    assert.deepEqual([...(await s.trainingRules.trainedStaffIds(est))].sort(), [...ids].sort())
  }

  const keyWorkers = async () => (await s.autoAllocation.unallocated(est)).officers.filter(o => o.keyWorker)
  const allocationCount = async () =>
    Number(
      (
        await s.db.db
          .selectFrom('allocations')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('establishment_id', '=', est)
          .executeTakeFirstOrThrow()
      ).n,
    )

  describe('the engine', () => {
    let trained: Set<number>
    before(async () => {
      // every other Key Worker trained
      const kws = await keyWorkers()
      assert.ok(kws.length >= 6)
      trained = new Set(kws.filter((_, i) => i % 2 === 0).map(o => o.id))
      await trainOnly([...trained])
    })

    it('refuse: proposes only trained Key Workers, on both strategies, names those left out, refuses a change to one', async () => {
      await setRule('refuse')
      for (const strategy of ['optimal', 'greedy'] as const) {
        const preview = await s.autoAllocation.preview(est, {}, strategy)
        assert.ok(preview.pairs.length > 0, strategy)
        for (const pair of preview.pairs) assert.ok(trained.has(pair.officer.id), `${strategy}: ${pair.officer.label}`)
        for (const o of preview.officersWithRoom) assert.ok(trained.has(o.id))
        assert.deepEqual(
          preview.refusedUntrained.map(o => o.id).sort(),
          (await keyWorkers())
            .filter(o => !trained.has(o.id))
            .map(o => o.id)
            .sort(),
        )
        assert.deepEqual(preview.untrainedWarnings, [])
      }
      const page = await so.get('/allocate/preview')
      assert.match(page.text, /Not given prisoners, because they have not done the initial Key Worker course/)

      const preview = await s.autoAllocation.preview(est, {})
      const untrained = (await keyWorkers()).find(o => !trained.has(o.id) && o.load < o.capacity)!
      const pair = preview.pairs[0]!
      const before = await allocationCount()
      const r = await s.autoAllocation.confirm(actor(), est, {}, preview.fingerprint, [
        { prisonNumber: pair.prisoner.prison_number, staffId: untrained.id, overridden: true },
      ])
      assert.equal(r.ok, false)
      assert.equal(
        r.ok ? '' : r.errors[`staff_${pair.prisoner.prison_number}`],
        `${pair.prisoner.last_name}, ${pair.prisoner.first_name} (${pair.prisoner.prison_number}): ${untrained.label} has not done the initial Key Worker course, and this establishment’s training rules do not allow prisoners to be allocated to a Key Worker until they have. Choose another Key Worker. Nothing was saved.`,
      )
      assert.equal(await allocationCount(), before)
    })

    it('warn: proposes as allow does, with a warning for each untrained Key Worker proposed', async () => {
      await setRule('allow')
      const allowed = await s.autoAllocation.preview(est, {})
      assert.deepEqual(allowed.untrainedWarnings, [])
      assert.deepEqual(allowed.refusedUntrained, [])
      await setRule('warn')
      const warned = await s.autoAllocation.preview(est, {})
      const pairsOf = (p: typeof warned) => p.pairs.map(x => [x.prisonerId, x.officerId])
      assert.deepEqual(pairsOf(warned), pairsOf(allowed), 'the same proposal')
      assert.equal(warned.fingerprint, allowed.fingerprint)
      // by hand: the untrained officers among the proposal, with their counts
      const expected = new Map<number, number>()
      for (const p of warned.pairs)
        if (!trained.has(p.officer.id)) expected.set(p.officer.id, (expected.get(p.officer.id) ?? 0) + 1)
      assert.ok(expected.size > 0, 'some untrained Key Workers are proposed')
      assert.deepEqual(
        warned.untrainedWarnings.map(w => [w.id, w.proposed]).sort((a, b) => a[0]! - b[0]!),
        [...expected].sort((a, b) => a[0] - b[0]),
      )
      const page = await so.get('/allocate/preview')
      assert.match(page.text, /Proposed for Key Workers who have not done the initial Key Worker course/)
      assert.match(page.text, /Not trained – /)

      // confirming saves, and says who is not trained
      const untrainedPair = warned.pairs.find(p => !trained.has(p.officer.id))!
      const fields: Record<string, string> = {
        fingerprint: warned.fingerprint,
        [`staff_${untrainedPair.prisoner.prison_number}`]: String(untrainedPair.officer.id),
        [`proposed_${untrainedPair.prisoner.prison_number}`]: String(untrainedPair.officer.id),
      }
      const res = await so.post('/allocate/confirm', fields, '/allocate')
      assert.equal(res.status, 303)
      const after = await so.get('/allocate')
      assert.match(after.text, /1 prisoner allocated a Key Worker/)
      assert.match(
        after.text,
        new RegExp(`Not yet trained \\(no initial course\\): ${untrainedPair.officer.label.replace(/[()]/g, '\\$&')}`),
      )
    })

    it('allow: no warning, and the page shows none', async () => {
      await setRule('allow')
      const page = await so.get('/allocate/preview')
      assert.equal(page.status, 200)
      assert.doesNotMatch(page.text, /Not trained – |initial Key Worker course/)
    })
  })

  describe('manual allocation', () => {
    let untrained: { id: number; name: string }
    let trainedOfficer: { id: number; name: string }
    let prisonNumbers: string[]
    before(async () => {
      const officers = await s.allocations.officers(est)
      const withRoom = officers.filter(o => o.load + 2 < o.capacity)
      assert.ok(withRoom.length >= 2)
      untrained = { id: withRoom[0]!.id, name: `${withRoom[0]!.first_name} ${withRoom[0]!.last_name}` }
      trainedOfficer = { id: withRoom[1]!.id, name: `${withRoom[1]!.first_name} ${withRoom[1]!.last_name}` }
      await trainOnly([trainedOfficer.id])
      prisonNumbers = (await s.autoAllocation.unallocated(est)).prisoners.map(p => p.prison_number)
      assert.ok(prisonNumbers.length >= 4)
    })
    const path = (pn: string) => `/prisoners/${pn}/allocate`

    it('refuse: refuses an untrained Key Worker, naming them, even when the box is ticked; a trained one is fine', async () => {
      await setRule('refuse')
      const pn = prisonNumbers[0]!
      const form = await so.get(path(pn))
      assert.match(form.text, new RegExp(`Not offered, because they have not done the initial Key Worker course`))
      assert.doesNotMatch(form.text, new RegExp(`<option value="${untrained.id}"`))
      const before = await allocationCount()
      const res = await so.post(path(pn), { staffId: String(untrained.id), untrainedConfirmed: 'yes' })
      assert.equal(res.headers.location, path(pn))
      const page = await so.get(path(pn))
      assert.match(page.text, /There is a problem/)
      assert.match(
        page.text,
        new RegExp(
          `${untrained.name} has not done the initial Key Worker course, and this establishment’s training rules do not allow`,
        ),
      )
      assert.equal(await allocationCount(), before)
      const direct = await s.allocations.allocate(actor(), est, pn, untrained.id, { reason: 'manual' })
      assert.equal(direct.ok, false, 'every caller, not only the form')
      assert.equal(await allocationCount(), before)
      const ok = await so.post(path(pn), { staffId: String(trainedOfficer.id) })
      assert.equal(ok.headers.location, `/prisoners/${pn}`)
      assert.equal(await allocationCount(), before + 1)
    })

    it('warn: asks to confirm; unticked is an error and saves nothing; ticked saves and the audit says so', async () => {
      await setRule('warn')
      const pn = prisonNumbers[1]!
      const form = await so.get(path(pn))
      assert.match(form.text, /Allocate anyway: I know this officer has not done the initial course/)
      assert.match(form.text, /not trained: no initial course yet/)
      const before = await allocationCount()
      await so.post(path(pn), { staffId: String(untrained.id) })
      const page = await so.get(path(pn))
      assert.match(page.text, /There is a problem/)
      assert.match(page.text, new RegExp(`${untrained.name} has not done the initial Key Worker course. Tick`))
      assert.match(page.text, /href="#untrainedConfirmed"/)
      assert.equal(await allocationCount(), before)

      const res = await so.post(path(pn), { staffId: String(untrained.id), untrainedConfirmed: 'yes' })
      assert.equal(res.headers.location, `/prisoners/${pn}`)
      assert.equal(await allocationCount(), before + 1)
      const row = await s.db.db
        .selectFrom('allocations')
        .select(['id', 'staff_id'])
        .where('establishment_id', '=', est)
        .where('deallocated_at', 'is', null)
        .where('prisoner_id', '=', (await s.prisoners.get(est, pn))!.id)
        .executeTakeFirstOrThrow()
      assert.equal(row.staff_id, untrained.id)
      const [event] = await s.audit.forEntity('allocation', String(row.id))
      const changes = JSON.parse(event!.changes!)
      assert.equal(changes.untrained, true)
      assert.equal(changes.untrained_confirmed, true)
      // a trained Key Worker needs no box
      const pn2 = prisonNumbers[2]!
      await so.post(path(pn2), { staffId: String(trainedOfficer.id) })
      assert.equal(await allocationCount(), before + 2)
    })

    it('allow: no box, and an untrained Key Worker is allocated like any other', async () => {
      await setRule('allow')
      const pn = prisonNumbers[3]!
      const form = await so.get(path(pn))
      assert.doesNotMatch(form.text, /Allocate anyway/)
      const before = await allocationCount()
      const res = await so.post(path(pn), { staffId: String(untrained.id) })
      assert.equal(res.headers.location, `/prisoners/${pn}`)
      assert.equal(await allocationCount(), before + 1)
    })
  })

  describe('cover', () => {
    // the Key Worker who is away, and everyone else
    let away: number
    before(async () => {
      // leave room so cover can be found: allocate half of those waiting
      await setRule('allow')
      const preview = await s.autoAllocation.preview(est, {})
      const rows = preview.pairs
        .filter((_, i) => i % 2 === 0)
        .map(p => ({ prisonNumber: p.prisoner.prison_number, staffId: p.officer.id, overridden: false }))
      assert.ok((await s.autoAllocation.confirm(actor(), est, {}, preview.fingerprint, rows)).ok)
      const officers = await s.allocations.officers(est)
      away = officers.filter(o => o.load > 0).sort((a, b) => b.load - a.load)[0]!.id
    })
    const until = () => addDays(todayIso(), 10)
    const coverRows = () =>
      s.db.db
        .selectFrom('allocations')
        .select(['id', 'staff_id'])
        .where('establishment_id', '=', est)
        .where('covering_for_staff_id', '=', away)
        .where('deallocated_at', 'is', null)
        .execute()
    const endCover = async () => {
      const back = await s.cover.returnDue(actor(), until())
      assert.ok(back.returned > 0)
      assert.equal((await coverRows()).length, 0)
    }

    it('refuse: covers only with trained Key Workers', async () => {
      const kws = (await keyWorkers()).filter(o => o.id !== away)
      const trained = kws.filter((_, i) => i % 2 === 0).map(o => o.id)
      await trainOnly(trained)
      await setRule('refuse')
      const page = await so.get(`/staff/${away}/cover`)
      assert.match(page.text, /Not chosen for cover, because they have not done the initial Key Worker course/)
      assert.doesNotMatch(page.text, /Allocate anyway/)
      const r = await s.cover.arrange(actor(), est, away, until(), { untrainedConfirmed: true })
      assert.ok(r.ok)
      assert.ok(r.value.covered > 0)
      const rows = await coverRows()
      assert.equal(rows.length, r.value.covered)
      for (const row of rows) assert.ok(trained.includes(row.staff_id), `cover by ${row.staff_id}`)
      await endCover()
    })

    it('warn: asks to confirm when untrained Key Workers would cover; unticked saves nothing, ticked covers', async () => {
      await trainOnly([]) // nobody trained: any cover is by an untrained Key Worker
      await setRule('warn')
      const path = `/staff/${away}/cover`
      const form = await so.get(path)
      assert.match(form.text, /Allocate anyway: I know this officer has not done the initial course/)
      const before = await allocationCount()
      const [y, m, d] = until().split('-')
      const date = { 'until-day': d!, 'until-month': m!, 'until-year': y! }
      const res = await so.post(path, date)
      assert.equal(res.headers.location, path)
      const page = await so.get(path)
      assert.match(page.text, /There is a problem/)
      assert.match(page.text, /The cover would give prisoners to .+ not done the initial Key Worker course/)
      assert.equal(await allocationCount(), before)
      assert.equal((await coverRows()).length, 0)

      const ok = await so.post(path, { ...date, untrainedConfirmed: 'yes' })
      assert.equal(ok.headers.location, `/staff/${away}`)
      const rows = await coverRows()
      assert.ok(rows.length > 0)
      const [event] = await s.audit.forEntity('allocation', String(rows[0]!.id))
      assert.equal(JSON.parse(event!.changes!).untrained_confirmed, true)
      await endCover()
    })

    it('allow: covers with untrained Key Workers without asking', async () => {
      await setRule('allow')
      const form = await so.get(`/staff/${away}/cover`)
      assert.doesNotMatch(form.text, /Allocate anyway/)
      const r = await s.cover.arrange(actor(), est, away, until(), { untrainedConfirmed: false })
      assert.ok(r.ok)
      assert.ok(r.value.covered > 0)
      assert.equal((await coverRows()).length, r.value.covered)
      await endCover()
    })
  })
})
