import assert from 'node:assert/strict'
import { describe, it, after } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { followUpProblems, isOverdue, nextStatuses, referralEmail } from '../../domain/referrals'
import { insertReferral, insertSession } from '../../../test/support/referrals'

const world = await seededWorld()
const s = world.services
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = londonNow().date
const prisonerId = (await s.prisoners.get(mdi.establishmentId, mdi.prisonNumber))!.id

/** A session of `staffId` by `author`, with one stakeholder referral. */
async function referral(o: {
  stakeholder: string
  followUp: string | null
  status?: string
  author?: string
  staffId?: number | null
}) {
  const author = o.author ?? 'key_worker.mdi'
  const sessionId = await insertSession(s.db.db, {
    establishmentId: mdi.establishmentId,
    prisonerId,
    staffId: o.staffId === undefined ? mdi.staffId : o.staffId,
    author,
    sessionDate: addDays(today, -20),
  })
  return insertReferral(s.db.db, {
    establishmentId: mdi.establishmentId,
    prisonerId,
    sessionId,
    stakeholder: o.stakeholder,
    status: o.status ?? 'sent',
    followUpDate: o.followUp,
    createdBy: author,
  })
}

describe('rules', () => {
  it('moves sent → acknowledged → done or declined, and no further', () => {
    assert.deepEqual(nextStatuses('sent'), ['acknowledged', 'done', 'declined'])
    assert.deepEqual(nextStatuses('acknowledged'), ['done', 'declined'])
    assert.deepEqual(nextStatuses('done'), [])
    assert.deepEqual(nextStatuses('declined'), [])
    assert.deepEqual(nextStatuses('nonsense'), [])
  })

  it('calls a referral overdue only past its follow-up date and still open', () => {
    assert.equal(isOverdue({ status: 'sent', follow_up_date: '2025-01-01' }, '2025-01-02'), true)
    assert.equal(isOverdue({ status: 'acknowledged', follow_up_date: '2025-01-01' }, '2025-01-02'), true)
    assert.equal(isOverdue({ status: 'sent', follow_up_date: '2025-01-02' }, '2025-01-02'), false)
    assert.equal(isOverdue({ status: 'done', follow_up_date: '2025-01-01' }, '2025-01-02'), false)
    assert.equal(isOverdue({ status: 'sent', follow_up_date: null }, '2025-01-02'), false)
  })

  it('asks a follow-up for what it needs: a date to acknowledge, a reason to decline', () => {
    const t = '2026-06-10'
    const cases: [Parameters<typeof followUpProblems>[0], Record<string, string>][] = [
      [
        { from: 'sent', to: 'acknowledged', followUpDate: null, note: null },
        { followUpDate: 'Enter when you will follow the referral up next' },
      ],
      [
        { from: 'sent', to: 'acknowledged', followUpDate: '2026-06-09', note: null },
        { followUpDate: 'The follow-up date must be today or in the future' },
      ],
      [{ from: 'sent', to: 'acknowledged', followUpDate: '2026-06-10', note: null }, {}],
      [
        { from: 'sent', to: 'sent', followUpDate: '2026-05-01', note: null },
        { followUpDate: 'The follow-up date must be today or in the future' },
      ],
      [
        { from: 'acknowledged', to: 'declined', followUpDate: null, note: null },
        { note: 'Enter why the referral was declined' },
      ],
      [{ from: 'acknowledged', to: 'declined', followUpDate: null, note: 'No places' }, {}],
      [{ from: 'sent', to: 'done', followUpDate: '2026-01-01', note: null }, {}],
    ]
    for (const [input, expected] of cases) assert.deepEqual(followUpProblems(input, t), expected, JSON.stringify(input))
  })

  it('writes an email without a note or a date, and without inventing an address', () => {
    const e = referralEmail({
      establishmentName: 'Leeds (HMP)',
      serviceName: 'Job club',
      contactName: null,
      prisonerName: 'David Jones',
      prisonNumber: 'B2222BB',
      keyWorkerName: 'Sam Officer',
      keyWorkerEmail: null,
      note: null,
      followUpDate: null,
    })
    assert.match(e.body, /^Dear Job club,/)
    assert.match(e.body, /left no note/)
    assert.match(e.body, /contact the Key Worker through Leeds \(HMP\)/)
    assert.equal(e.personalisation.follow_up_date, '')
  })
})

describe('follow-up of a referral', () => {
  it('moves a referral on, audited, and closes the form when done', async () => {
    const id = await referral({ stakeholder: 'healthcare', followUp: addDays(today, 5) })
    const kw = await signedIn(world, 'key_worker.mdi')
    const page = await kw.get(`/referrals/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Healthcare/)
    assert.match(page.text, /No change: still sent/)
    assert.match(page.text, /recorded here only/, 'a stakeholder referral is not emailed')

    const next = addDays(today, 7).split('-')
    let res = await kw.post(`/referrals/${id}`, {
      status: 'acknowledged',
      'followUpDate-day': next[2]!,
      'followUpDate-month': next[1]!,
      'followUpDate-year': next[0]!,
    })
    assert.equal(res.status, 303)
    assert.equal((await s.referrals.get(mdi.establishmentId, id))?.status, 'acknowledged')
    const so = await signedIn(world, 'supervising_officer.mdi')
    res = await so.post(`/referrals/${id}`, { status: 'done' })
    assert.equal(res.status, 303)
    const done = await s.referrals.get(mdi.establishmentId, id)
    assert.equal(done?.status, 'done')
    assert.equal(done?.updated_by, 'supervising_officer.mdi')

    const events = await s.audit.forEntity('referral', String(id))
    const statuses = events
      .filter(e => e.action === 'update')
      .map(e => (JSON.parse(e.changes!) as { status?: { from: string; to: string } }).status)
      .reverse()
    assert.deepEqual(statuses, [
      { from: 'sent', to: 'acknowledged' },
      { from: 'acknowledged', to: 'done' },
    ])
    assert.equal(events[0]?.username, 'supervising_officer.mdi')

    const closed = await kw.get(`/referrals/${id}`)
    assert.doesNotMatch(closed.text, /name="status"/, 'a done referral has no form')
    assert.match(closed.text, /Acknowledged to Done/)
    res = await kw.post(`/referrals/${id}`, { status: 'declined' })
    assert.equal(res.status, 303)
    assert.match((await kw.get(res.headers.location!)).text, /There is a problem/)
    assert.equal((await s.referrals.get(mdi.establishmentId, id))?.status, 'done')
  })

  it('keeps the follow-up date unless changed, and changes it alone', async () => {
    const id = await referral({ stakeholder: 'education', followUp: '2030-01-10' })
    const kw = await signedIn(world, 'key_worker.mdi')
    let res = await kw.post(`/referrals/${id}`, {
      status: 'sent',
      'followUpDate-day': '10',
      'followUpDate-month': '1',
      'followUpDate-year': '2030',
    })
    assert.match(
      (await kw.get(res.headers.location!)).text,
      /Choose a new status, change the follow-up date or add a note/,
    )
    res = await kw.post(`/referrals/${id}`, {
      status: 'sent',
      'followUpDate-day': '20',
      'followUpDate-month': '2',
      'followUpDate-year': '2030',
    })
    assert.equal(res.headers.location, `/referrals/${id}`)
    const r = await s.referrals.get(mdi.establishmentId, id)
    assert.equal(r?.follow_up_date, '2030-02-20')
    assert.equal(r?.status, 'sent')
  })

  it('answers an empty or bad form with errors, changing nothing', async () => {
    const id = await referral({ stakeholder: 'chaplaincy', followUp: null })
    const kw = await signedIn(world, 'key_worker.mdi')
    const bodies: Record<string, string>[] = [
      {},
      { status: 'lost' },
      { status: 'done', 'followUpDate-day': '31', 'followUpDate-month': '2', 'followUpDate-year': '2030' },
    ]
    for (const body of bodies) {
      const res = await kw.post(`/referrals/${id}`, body)
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, `/referrals/${id}`)
      assert.match((await kw.get(`/referrals/${id}`)).text, /There is a problem/)
    }
    assert.equal((await s.referrals.get(mdi.establishmentId, id))?.status, 'sent')
  })

  it('acknowledging sets a new follow-up date, so an overdue referral is no longer overdue', async () => {
    const id = await referral({ stakeholder: 'housing', followUp: addDays(today, -10) })
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.match((await kw.get(`/referrals/${id}`)).text, /past its follow-up date/)
    const old = addDays(today, -10).split('-')
    // acknowledging with the old date still in the form is refused: it would stay overdue
    let res = await kw.post(`/referrals/${id}`, {
      status: 'acknowledged',
      'followUpDate-day': old[2]!,
      'followUpDate-month': old[1]!,
      'followUpDate-year': old[0]!,
    })
    assert.match((await kw.get(res.headers.location!)).text, /The follow-up date must be today or in the future/)
    res = await kw.post(`/referrals/${id}`, { status: 'acknowledged' })
    assert.match((await kw.get(res.headers.location!)).text, /Enter when you will follow the referral up next/)
    assert.equal((await s.referrals.get(mdi.establishmentId, id))?.status, 'sent')

    const next = addDays(today, 14).split('-')
    res = await kw.post(`/referrals/${id}`, {
      status: 'acknowledged',
      'followUpDate-day': next[2]!,
      'followUpDate-month': next[1]!,
      'followUpDate-year': next[0]!,
      note: 'Housing team will visit him next week',
    })
    assert.equal(res.headers.location, `/referrals/${id}`)
    const page = (await kw.get(`/referrals/${id}`)).text
    assert.doesNotMatch(page, /past its follow-up date/)
    assert.match(page, /Note: Housing team will visit him next week/)
    const overdue = await kw.get('/referrals?status=overdue')
    assert.ok(!overdue.text.includes(`/referrals/${id}"`), 'not listed as overdue')
    const listed = await s.referrals.list({ establishmentId: mdi.establishmentId, limit: 500, offset: 0 })
    assert.equal(listed.rows.find(r => r.id === id)?.overdue, false)
  })

  it('declining needs a note, which the history shows', async () => {
    const id = await referral({ stakeholder: 'education', followUp: addDays(today, 3) })
    const kw = await signedIn(world, 'key_worker.mdi')
    let res = await kw.post(`/referrals/${id}`, { status: 'declined', note: '   ' })
    assert.match((await kw.get(res.headers.location!)).text, /Enter why the referral was declined/)
    assert.equal((await s.referrals.get(mdi.establishmentId, id))?.status, 'sent')
    res = await kw.post(`/referrals/${id}`, { status: 'declined', note: 'Course full until spring' })
    assert.equal(res.headers.location, `/referrals/${id}`)
    const r = await s.referrals.get(mdi.establishmentId, id)
    assert.equal(r?.status, 'declined')
    assert.equal(r?.follow_up_date, addDays(today, 3), 'closing keeps the date it had')
    assert.match((await kw.get(`/referrals/${id}`)).text, /Sent to Declined[\s\S]*Note: Course full until spring/)
  })

  it('hides another establishment’s referral, and lets only Key Workers and SOs change one', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get(`/referrals/${lei.referralId}`)).status, 404)
    assert.equal((await kw.post(`/referrals/${lei.referralId}`, { status: 'done' }, '/referrals')).status, 404)
    assert.equal((await s.referrals.get(lei.establishmentId, lei.referralId))?.status, 'sent')
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await admin.get(`/referrals/${mdi.referralId}`)).status, 200)
    assert.equal(
      (await admin.post(`/referrals/${mdi.referralId}`, { status: 'done' }, `/referrals/${mdi.referralId}`)).status,
      403,
    )
  })
})

describe('lists', () => {
  it('puts a Key Worker’s overdue referrals first, oldest follow-up first, closed ones last', async () => {
    const ids = {
      overdueOld: await referral({
        stakeholder: 'mental_health',
        followUp: addDays(today, -30),
        status: 'acknowledged',
      }),
      future: await referral({ stakeholder: 'resettlement', followUp: addDays(today, 10) }),
      closedPast: await referral({
        stakeholder: 'substance_misuse',
        followUp: addDays(today, -40),
        status: 'declined',
      }),
      noDate: await referral({ stakeholder: 'pom', followUp: null }),
      overdueRecent: await referral({ stakeholder: 'pom', followUp: addDays(today, -3) }),
      someoneElse: await referral({
        stakeholder: 'pom',
        followUp: addDays(today, -50),
        author: 'someone.else',
        staffId: null,
      }),
    }
    const mine = await s.referrals.list({
      establishmentId: mdi.establishmentId,
      mine: { staffId: mdi.staffId, username: 'key_worker.mdi' },
      limit: 500,
      offset: 0,
    })
    const order = mine.rows.map(r => r.id)
    const pos = (id: number) => order.indexOf(id)
    assert.equal(pos(ids.someoneElse), -1, 'a Key Worker sees only their own referrals')
    assert.ok(pos(ids.overdueOld) < pos(ids.overdueRecent))
    // the fixture's referral is overdue by a day: after the one overdue by three
    assert.ok(pos(ids.overdueRecent) < pos(mdi.referralId))
    assert.ok(pos(mdi.referralId) < pos(ids.future))
    assert.ok(pos(ids.future) < pos(ids.noDate))
    assert.ok(pos(ids.noDate) < pos(ids.closedPast))
    assert.deepEqual(
      mine.rows.filter(r => r.overdue).map(r => r.id),
      order.slice(0, mine.rows.filter(r => r.overdue).length),
      'every overdue referral comes before every other',
    )
    assert.equal(mine.rows.find(r => r.id === ids.closedPast)?.overdue, false)

    const kw = await signedIn(world, 'key_worker.mdi')
    const page = await kw.get('/referrals')
    assert.equal(page.status, 200)
    assert.match(page.text, /My referrals/)
    const at = (text: string, id: number) => {
      const i = text.indexOf(`/referrals/${id}"`)
      assert.ok(i >= 0, `referral ${id} listed`)
      return i
    }
    assert.ok(at(page.text, ids.overdueOld) < at(page.text, ids.future))
    assert.ok(page.text.includes('Overdue'))
    assert.ok(!page.text.includes(`/referrals/${ids.someoneElse}"`))
    const overdueOnly = await kw.get('/referrals?status=overdue')
    assert.ok(overdueOnly.text.includes(`/referrals/${ids.overdueOld}"`))
    assert.ok(!overdueOnly.text.includes(`/referrals/${ids.future}"`))

    const so = await signedIn(world, 'supervising_officer.mdi')
    const all = await so.get('/referrals')
    assert.match(all.text, /<h1 class="govuk-heading-l">Referrals<\/h1>/)
    assert.ok(all.text.includes(`/referrals/${ids.someoneElse}"`), 'an SO sees the whole establishment')
    assert.ok(at(all.text, ids.someoneElse) < at(all.text, ids.overdueOld))
    assert.ok(!all.text.includes(`/referrals/${lei.referralId}"`))
    const filtered = await so.get(`/referrals?officer=${mdi.staffId}`)
    assert.ok(!filtered.text.includes(`/referrals/${ids.someoneElse}"`), 'the Key Worker filter')
    assert.ok(filtered.text.includes(`/referrals/${ids.overdueOld}"`))
  })

  it('ignores nonsense filters', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get('/referrals?status=%27;drop&officer=abc&page=-3')).status, 200)
  })
})
