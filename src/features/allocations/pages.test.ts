// The allocation pages over HTTP on a world built here: the filters the waiting list reads from its address, the
// room and the explanation it shows, the confirmation's rows read from the form, where each refusal goes back to,
// the messages after each change, cover, the caseload, and what each page view writes to the audit trail.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, PASSWORD, createUser, testServices } from '../../../test/harness'
import {
  currentAllocation,
  openEstablishment,
  setAllocationSettings,
  setUntrainedRule,
  spokenDate,
} from '../../../test/support/allocations'
import { admitPrisoner } from '../../../test/support/prisoners'
import { hireOfficer } from '../../../test/support/staff'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { createApp } from '../../app'

type Services = Awaited<ReturnType<typeof testServices>>

describe('the allocation pages', () => {
  let s: Services
  let est: number
  let so: Browser
  let kw: Browser
  let ada: number
  let bea: number
  let kay: number
  const W: Record<string, string> = {}
  const ofAda: string[] = []

  const settings = (autoAllocation: boolean) => setAllocationSettings(s, est, { autoAllocation, ratio: 6 })
  const setCapacity = (id: number, capacity: number | null) =>
    s.db.db.updateTable('staff').set({ capacity_override: capacity }).where('id', '=', id).execute()
  /** the last page view audited by the user: entity, entity id and details */
  const lastView = async (username: string) => {
    const e = await s.db.db
      .selectFrom('audit_events')
      .select(['entity', 'entity_id', 'changes'])
      .where('username', '=', username)
      .where('action', '=', 'view')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    return { entity: e.entity, entityId: e.entity_id, details: JSON.parse(e.changes ?? 'null') }
  }
  const keyWorkerOf = (prisonNumber: string) => currentAllocation(s, prisonNumber)
  const fingerprintOn = (text: string) => /name="fingerprint" value="([0-9a-f]+)"/.exec(text)?.[1]

  before(async () => {
    s = await testServices()
    est = await openEstablishment(s, 'PGS', 'Pageham (HMP)')
    await settings(true)
    const actor = { ...SYSTEM_ACTOR, establishmentId: est }
    await setUntrainedRule(s, est, 'allow')
    assert.ok((await s.units.create(actor, est, { code: 'HB1', name: 'Houseblock 1', capacity: 100 })).ok)
    ada = await hireOfficer(s, est, { staffNumber: 'ADA1', firstName: 'Ada', lastName: 'Away', capacityOverride: 3 })
    bea = await hireOfficer(s, est, { staffNumber: 'BEA1', firstName: 'Bea', lastName: 'Bee', capacityOverride: 1 })
    kay = await hireOfficer(s, est, { staffNumber: 'KAY1', firstName: 'Kay', lastName: 'Kaye' })
    const men: [string, string, string, string, boolean][] = [
      ['W1', 'Able', 'HB1', '2026-01-05', true],
      ['W2', 'Baker', '', addDays(todayIso(), -1), false],
      ['A1', 'Cole', '', '2025-11-01', false],
      ['A2', 'Dunn', '', '2025-11-02', false],
      ['A3', 'Eddy', '', '2025-11-03', false],
    ]
    let n = 0
    for (const [key, lastName, unit, receptionDate, interpreter] of men) {
      n++
      W[key] = `P${2000 + n}PG`
      await admitPrisoner(s, est, {
        prisonNumber: W[key]!,
        firstName: 'Wes',
        lastName,
        unit,
        receptionDate,
        ...(interpreter ? { firstLanguage: 'pl', interpreterNeeded: 'yes' as const } : {}),
      })
      if (key.startsWith('A')) {
        ofAda.push(W[key]!)
        assert.ok((await s.allocations.allocate(actor, est, W[key]!, ada, { reason: 'manual' })).ok)
      }
    }
    const app = createApp(s)
    await createUser(s, 'so.pages', [{ role: 'SUPERVISING_OFFICER', establishmentId: est }])
    const kwUser = await createUser(s, 'kw.pages', [{ role: 'KEY_WORKER', establishmentId: est }])
    await s.db.db.updateTable('staff').set({ user_id: kwUser }).where('id', '=', kay).execute()
    so = new Browser(app)
    kw = new Browser(app)
    assert.equal((await so.signIn('so.pages', PASSWORD)).status, 303)
    assert.equal((await kw.signIn('kw.pages', PASSWORD)).status, 303)
  })
  after(() => s.close())

  describe('the waiting list', () => {
    it('reads its filters from the address, ignoring a number of days that is not a whole number from 1 to 9,999', async () => {
      const page = await so.get('/allocate?unit=HB1&interpreter=yes&waitingDays=30')
      assert.equal(page.status, 200)
      assert.match(page.text, /1 prisoner is waiting for a Key Worker \(filtered\)/)
      assert.deepEqual((await lastView('so.pages')).details, {
        page: 'unallocated',
        unitCode: 'HB1',
        interpreter: true,
        waitingDays: 30,
        shown: [W.W1],
      })
      for (const [days, kept] of [
        ['abc', false],
        ['0', false],
        ['-3', false],
        ['2.5', false],
        ['10000', false],
        ['9999', true],
        ['1', true],
      ] as const) {
        await so.get(`/allocate?waitingDays=${days}`)
        const details = (await lastView('so.pages')).details
        assert.deepEqual(details.waitingDays, kept ? Number(days) : undefined, `waitingDays=${days}`)
      }
      // interpreter only when it says yes
      await so.get('/allocate?interpreter=no')
      assert.equal((await lastView('so.pages')).details.interpreter, undefined)
    })

    it('shows the room with Key Workers, and explains the wait only when the room is short', async () => {
      // Ada 3 of 3, Bea 0 of 1, Kay 0 of 6 (the ratio, full time): room for 7, two waiting
      const page = await so.get('/allocate')
      assert.match(page.text, /2 prisoners are waiting for a Key Worker\. 3 active Key Workers have room for 7 more\./)
      assert.doesNotMatch(page.text, /id="no-room"/)
      await setCapacity(bea, 0)
      await setCapacity(kay, 0)
      try {
        const short = await so.get('/allocate')
        assert.match(short.text, /have room for 0 more\./)
        assert.match(short.text, /id="no-room"/)
        assert.match(
          short.text,
          /2 prisoners need a Key Worker and no Key Worker has room at 6 prisoners per Key Worker\./,
        )
        // one place for two: still short
        await setCapacity(bea, 1)
        assert.match((await so.get('/allocate')).text, /id="no-room"/)
        // two places for two: enough
        await setCapacity(kay, 1)
        assert.doesNotMatch((await so.get('/allocate')).text, /id="no-room"/)
      } finally {
        await setCapacity(bea, 1)
        await setCapacity(kay, null)
      }
    })
  })

  describe('the automatic allocation', () => {
    it('sends a preview or a rebalance back to the list when automatic allocation is off', async () => {
      await settings(false)
      try {
        for (const path of ['/allocate/preview', '/allocate/rebalance']) {
          const res = await so.get(path)
          assert.equal(res.status, 303, path)
          assert.equal(res.headers.location, '/allocate', path)
          assert.match((await so.get('/allocate')).text, /Automatic allocation is turned off for this establishment/)
        }
      } finally {
        await settings(true)
      }
    })

    it('previews and audits the proposal; a confirmation with no proposal goes back to the filtered list', async () => {
      const preview = await so.get('/allocate/preview?unit=HB1&strategy=greedy')
      assert.equal(preview.status, 200)
      assert.deepEqual(await lastView('so.pages'), {
        entity: 'allocation_list',
        entityId: null,
        details: { page: 'proposed allocations', unitCode: 'HB1', shown: [W.W1] },
      })
      const res = await so.post('/allocate/confirm', { unit: 'HB1', interpreter: 'yes' }, '/allocate')
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/allocate?unit=HB1&interpreter=yes')
      assert.match(
        (await so.get(res.headers.location)).text,
        /Run the automatic allocation and check the proposal first/,
      )
    })

    it('saves the rows as the form gives them: the proposed officer as automatic, another as manual, none left', async () => {
      const page = await so.get('/allocate/preview')
      const fingerprint = fingerprintOn(page.text)
      assert.ok(fingerprint, 'the preview carries its fingerprint')
      const res = await so.post(
        '/allocate/confirm',
        {
          fingerprint,
          [`staff_${W.W1}`]: String(kay),
          [`proposed_${W.W1}`]: String(kay),
          [`staff_${W.W2}`]: 'none',
          [`proposed_${W.W2}`]: String(kay),
          // not a row: a prison number not in capitals
          [`staff_${W.W2!.toLowerCase()}`]: String(bea),
        },
        '/allocate',
      )
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/allocate?')
      assert.match((await so.get('/allocate')).text, /1 prisoner allocated a Key Worker/)
      assert.deepEqual(await keyWorkerOf(W.W1!), { staff_id: kay, allocation_reason: 'auto' })
      assert.equal(await keyWorkerOf(W.W2!), null)
    })

    it('sends a row’s refusal back to the same preview, strategy kept, and names the Key Workers not trained', async () => {
      await setCapacity(bea, 0)
      let fingerprint = fingerprintOn((await so.get('/allocate/preview')).text)
      const refused = await so.post(
        '/allocate/confirm',
        { fingerprint: fingerprint!, strategy: 'greedy', [`staff_${W.W2}`]: String(bea), [`proposed_${W.W2}`]: '' },
        '/allocate',
      )
      assert.equal(refused.headers.location, '/allocate/preview?&strategy=greedy')
      assert.match((await so.get(refused.headers.location)).text, /would have more than 0 prisoners/)
      await setCapacity(bea, 1)
      await setUntrainedRule(s, est, 'warn')
      try {
        fingerprint = fingerprintOn((await so.get('/allocate/preview')).text)
        const saved = await so.post(
          '/allocate/confirm',
          { fingerprint: fingerprint!, [`staff_${W.W2}`]: String(bea), [`proposed_${W.W2}`]: String(kay) },
          '/allocate',
        )
        assert.equal(saved.headers.location, '/allocate?')
        assert.match(
          (await so.get('/allocate')).text,
          /1 prisoner allocated a Key Worker\. Not yet trained \(no initial course\): Bee, Bea \(BEA1\); book them onto the course/,
        )
        assert.deepEqual(await keyWorkerOf(W.W2!), { staff_id: bea, allocation_reason: 'manual' })
      } finally {
        await setUntrainedRule(s, est, 'allow')
      }
    })

    it('rebalances: no proposal goes back with the option kept; the moves made are counted', async () => {
      const none = await so.post('/allocate/rebalance/confirm', { recent: 'yes' }, '/allocate')
      assert.equal(none.headers.location, '/allocate/rebalance?recent=yes')
      assert.match((await so.get('/allocate/rebalance?recent=yes')).text, /Check the proposed moves first/)
      // Ada's room cut to two: one of her three moves (to Kay, who has room)
      await setCapacity(ada, 2)
      try {
        const page = await so.get('/allocate/rebalance')
        assert.equal((await lastView('so.pages')).details.page, 'proposed moves')
        const fingerprint = fingerprintOn(page.text)
        const moved = ofAda.filter(n => page.text.includes(`value="${n}"`))
        assert.equal(moved.length, 1)
        const res = await so.post(
          '/allocate/rebalance/confirm',
          { fingerprint: fingerprint!, move: moved },
          '/allocate',
        )
        assert.equal(res.headers.location, '/allocate')
        assert.match((await so.get('/allocate')).text, /1 prisoner moved to another Key Worker/)
        assert.equal((await keyWorkerOf(moved[0]!))!.staff_id, kay)
      } finally {
        await setCapacity(ada, 3)
      }
    })
  })

  describe('cover', () => {
    it('is 404 for an officer not of the establishment, and offers the officer’s return date', async () => {
      assert.equal((await so.get('/staff/999999/cover')).status, 404)
      await s.db.db.updateTable('staff').set({ status_return_date: '2027-03-09' }).where('id', '=', ada).execute()
      const page = await so.get(`/staff/${ada}/cover`)
      assert.equal(page.status, 200)
      assert.match(page.text, /Arrange cover for Ada Away/)
      assert.match(page.text, /name="until-day"[^>]*value="9"/)
      assert.match(page.text, /name="until-month"[^>]*value="3"/)
      assert.match(page.text, /name="until-year"[^>]*value="2027"/)
      const view = await lastView('so.pages')
      assert.deepEqual([view.entity, view.entityId, view.details.page], ['caseload', String(ada), 'cover'])
    })

    it('refuses a date that is not one, and says how many were covered and how many stay', async () => {
      const bad = await so.post(`/staff/${ada}/cover`, { 'until-day': '31', 'until-month': '2', 'until-year': '2027' })
      assert.equal(bad.headers.location, `/staff/${ada}/cover`)
      assert.match((await so.get(`/staff/${ada}/cover`)).text, /the date the cover ends/i)
      // Ada holds two (one moved to Kay above); Bea has one place and Kay five: both covered
      const until = addDays(todayIso(), 9)
      const [y, m, d] = until.split('-')
      const res = await so.post(`/staff/${ada}/cover`, {
        'until-day': String(Number(d)),
        'until-month': String(Number(m)),
        'until-year': y!,
      })
      assert.equal(res.headers.location, `/staff/${ada}`)
      const text = (await so.get(`/staff/${ada}`)).text
      assert.match(text, new RegExp(`2 prisoners covered until ${spokenDate(until)}`))
      assert.doesNotMatch(text, /nobody has room/)
      // given back, then covered again with no room anywhere: they stay, and the message says so
      assert.deepEqual(await s.cover.returnDue({ ...SYSTEM_ACTOR, establishmentId: est }, until), {
        returned: 2,
        kept: 0,
      })
      await setCapacity(bea, 0)
      await setCapacity(kay, 1)
      try {
        const again = await so.post(`/staff/${ada}/cover`, {
          'until-day': String(Number(d)),
          'until-month': String(Number(m)),
          'until-year': y!,
        })
        assert.equal(again.headers.location, `/staff/${ada}`)
        assert.match(
          (await so.get(`/staff/${ada}`)).text,
          new RegExp(`0 prisoners covered until ${spokenDate(until)}; 2 stay with Ada Away because nobody has room`),
        )
      } finally {
        await setCapacity(bea, 1)
        await setCapacity(kay, null)
      }
    })
  })

  describe('a prisoner’s Key Worker and the caseload', () => {
    it('allocates by hand from the prisoner’s page, refusing a blank choice, and removes with a reason', async () => {
      const number = W.W1!
      assert.equal((await so.get('/prisoners/Z9999ZZ/allocate')).status, 404)
      // the prison number in small letters finds him
      const page = await so.get(`/prisoners/${number.toLowerCase()}/allocate`)
      assert.equal(page.status, 200)
      assert.match(page.text, /Choose a Key Worker for Wes Able/)
      assert.deepEqual(await lastView('so.pages'), {
        entity: 'prisoner',
        entityId: number,
        details: { page: 'allocate' },
      })
      const blank = await so.post(`/prisoners/${number}/allocate`, { staffId: '' })
      assert.equal(blank.headers.location, `/prisoners/${number}/allocate`)
      assert.match((await so.get(`/prisoners/${number}/allocate`)).text, /Choose a Key Worker/)
      const res = await so.post(`/prisoners/${number}/allocate`, { staffId: String(ada) })
      assert.equal(res.headers.location, `/prisoners/${number}`)
      assert.match((await so.get(`/prisoners/${number}`)).text, /Key Worker allocated to Wes Able/)
      assert.equal((await keyWorkerOf(number))!.staff_id, ada)

      const remove = await so.get(`/prisoners/${number}/deallocate`)
      assert.match(remove.text, /Remove the Key Worker of Wes Able/)
      assert.deepEqual((await lastView('so.pages')).details, { page: 'deallocate' })
      const noWhy = await so.post(`/prisoners/${number}/deallocate`, { reason: 'manual', note: '' })
      assert.equal(noWhy.headers.location, `/prisoners/${number}/deallocate`)
      assert.match((await so.get(`/prisoners/${number}/deallocate`)).text, /Say why the Key Worker is being removed/)
      assert.equal((await keyWorkerOf(number))!.staff_id, ada, 'not removed')
      const removed = await so.post(`/prisoners/${number}/deallocate`, { reason: 'transferred', note: '' })
      assert.equal(removed.headers.location, `/prisoners/${number}`)
      assert.match((await so.get(`/prisoners/${number}`)).text, /Key Worker removed from Wes Able/)
      assert.equal(await keyWorkerOf(number), null)
    })

    it('refuses to remove a Key Worker a prisoner does not have, saying so on the same page', async () => {
      // Wes Able's was removed above
      const number = W.W1!
      assert.equal(await keyWorkerOf(number), null)
      const res = await so.post(`/prisoners/${number}/deallocate`, { reason: 'transferred', note: '' })
      assert.equal(res.headers.location, `/prisoners/${number}/deallocate`)
      assert.match((await so.get(`/prisoners/${number}/deallocate`)).text, /This prisoner has no Key Worker/)
      assert.doesNotMatch((await so.get(`/prisoners/${number}`)).text, /Key Worker removed from/)
    })

    it('an allocation by hand is audited as manual', async () => {
      const number = W.W1!
      const res = await so.post(`/prisoners/${number}/allocate`, { staffId: String(kay) })
      assert.equal(res.headers.location, `/prisoners/${number}`)
      const row = await keyWorkerOf(number)
      assert.equal(row!.staff_id, kay)
      assert.equal(row!.allocation_reason, 'manual')
    })

    it('each page is titled for what it is about', async () => {
      const title = async (path: string) => /<title>([^<]*)<\/title>/.exec((await so.get(path)).text)?.[1] ?? ''
      assert.match(await title(`/prisoners/${W.W2!}/allocate`), /^Choose a Key Worker for Wes Baker/)
      assert.match(await title(`/prisoners/${W.W2!}/deallocate`), /^Remove the Key Worker of Wes Baker/)
      assert.match(await title(`/staff/${ada}/cover`), /^Arrange cover for Ada Away/)
      assert.match(await title('/allocate/preview'), /^Check the proposed allocations/)
      assert.match(await title('/allocate/rebalance'), /^Rebalance caseloads/)
      assert.match(/<title>([^<]*)<\/title>/.exec((await kw.get('/caseload')).text)?.[1] ?? '', /^My caseload/)
    })

    it('shows a Key Worker their own caseload, and an officer with no staff record none', async () => {
      const mine = await kw.get('/caseload')
      assert.equal(mine.status, 200)
      const held = (await s.allocations.caseload(est, kay)).map(p => p.prison_number)
      assert.ok(held.length > 0)
      for (const n of held) assert.ok(mine.text.includes(n), n)
      assert.deepEqual(await lastView('kw.pages'), {
        entity: 'caseload',
        entityId: String(kay),
        details: { shown: held },
      })
      // the Supervising Officer has no staff record here
      const theirs = await so.get('/caseload')
      assert.equal(theirs.status, 200)
      for (const n of held) assert.ok(!theirs.text.includes(n), n)
      assert.deepEqual(await lastView('so.pages'), { entity: 'caseload', entityId: null, details: { shown: [] } })
    })
  })
})
