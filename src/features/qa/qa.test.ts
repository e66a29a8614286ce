import assert from 'node:assert/strict'
import { after, afterEach, describe, it } from 'node:test'
import { setClock } from '../../domain/clock'
import { monthlySample } from '../../domain/qaSample'
import { staffRecordSchema } from '../staff/schema'
import { signedIn } from '../../../test/harness'
import { qaTestWorld } from '../../../test/support/qa'
import { dueState, daysOverdue, hash32, monthBounds, previousMonth, riskReasons, sampleSeed } from './rules'
import { amendmentLines } from './service'

const { world, s, db, mdi, lei, SYSTEM, kwId, newEntry } = await qaTestWorld()
after(() => world.close())
afterEach(() => setClock(null))

describe('rules', () => {
  it('calls an entry overdue from the day after its due day', () => {
    assert.equal(dueState('2026-03-24', '2026-03-23'), 'due')
    assert.equal(dueState('2026-03-24', '2026-03-24'), 'due-today')
    assert.equal(dueState('2026-03-24', '2026-03-25'), 'overdue')
    assert.equal(daysOverdue('2026-03-24', '2026-03-25'), 1)
    assert.equal(daysOverdue('2026-02-27', '2026-03-02'), 3, 'across the end of February 2026 (28 days)')
    assert.equal(daysOverdue('2026-03-24', '2026-03-20'), 0)
  })

  it('bounds a month and finds the one before', () => {
    assert.deepEqual(monthBounds('2026-02'), { from: '2026-02-01', until: '2026-03-01', last: '2026-02-28' })
    assert.deepEqual(monthBounds('2024-12'), { from: '2024-12-01', until: '2025-01-01', last: '2024-12-31' })
    assert.equal(previousMonth('2026-01-15'), '2025-12')
    assert.equal(previousMonth('2026-03-31'), '2026-02')
  })

  it('raises an entry for each risk, and a new officer only in their first 3 months', () => {
    const base = { flagged: false, precheckScore: null, concern: 0, sessionDate: '2026-05-10', startedInPost: null }
    assert.deepEqual(riskReasons(base), [])
    assert.deepEqual(riskReasons({ ...base, flagged: true }), ['integrity-flag'])
    assert.deepEqual(riskReasons({ ...base, precheckScore: 2.49 }), ['low-precheck'])
    assert.deepEqual(riskReasons({ ...base, precheckScore: 2.5 }), [])
    assert.deepEqual(riskReasons({ ...base, concern: 1 }), ['self-harm-concern'])
    assert.deepEqual(riskReasons({ ...base, startedInPost: '2026-02-11' }), ['new-officer'])
    assert.deepEqual(
      riskReasons({ ...base, startedInPost: '2026-02-10' }),
      [],
      'three months to the day: no longer new',
    )
  })

  it('seeds each officer and month differently, and the same every time (FNV-1a)', () => {
    // FNV-1a 32-bit of "a" is 0xe40c292c (the published test vector)
    assert.equal(hash32('a'), 0xe40c292c)
    assert.equal(hash32(''), 0x811c9dc5)
    assert.equal(sampleSeed(1, '2026-01', 7), sampleSeed(1, '2026-01', 7))
    assert.notEqual(sampleSeed(1, '2026-01', 7), sampleSeed(1, '2026-02', 7))
    assert.notEqual(sampleSeed(1, '2026-01', 7), sampleSeed(2, '2026-01', 7))
  })

  it('words an amendment for people, never with internal codes', () => {
    const lines = amendmentLines(
      {
        overall_score: { from: 2, to: 3 },
        'score:voice': { from: 1, to: null },
        'comment:voice': { from: null, to: 'Better' },
        feedback_good: { from: 'a', to: 'b' },
      },
      new Map([['voice', 'The prisoner’s own voice']]),
    )
    assert.deepEqual(lines, [
      { what: 'Overall score', from: '2 – Requires improvement', to: '3 – Good' },
      { what: 'Score for The prisoner’s own voice', from: '1 – Poor', to: 'Does not apply' },
      { what: 'Comment on The prisoner’s own voice', from: 'nothing', to: 'Better' },
      { what: 'What was good', from: 'a', to: 'b' },
    ])
  })
})

describe('settings within the national bounds', () => {
  it('starts from the defaults: the national default sample, 14 days, 300 characters, 6 weeks', async () => {
    const st = await s.qa.settings(lei.establishmentId)
    assert.equal(st.saved, false)
    assert.deepEqual(
      [st.samplePerOfficer, st.reviewDueDays, st.thinEntryChars, st.supervisionWeeks, st.bounds],
      [2, 14, 300, 6, { min: 1, default: 2, max: 10 }],
    )
  })

  it('lets the SO and the admin save them, lists every problem at once and saves nothing on bad input', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    let res = await so.post('/quality/settings', {
      samplePerOfficer: '11',
      reviewDueDays: 'soon',
      thinEntryChars: '',
      supervisionWeeks: '0',
    })
    assert.equal(res.status, 303)
    const page = await so.get('/quality/settings')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Enter the shortest narrative/)
    assert.match(page.text, /must be a whole number/)
    assert.equal(await s.qa.settings(mdi.establishmentId).then(x => x.saved), false)
    // a number out of bounds is checked by the service, every field at once
    res = await so.post('/quality/settings', {
      samplePerOfficer: '11',
      reviewDueDays: '91',
      thinEntryChars: '300',
      supervisionWeeks: '0',
    })
    const again = await so.get('/quality/settings')
    assert.match(again.text, /from 1 to 10 \(the national bounds\)/)
    assert.match(again.text, /Days to review a sampled entry must be from 1 to 90/)
    assert.match(again.text, /Weeks between supervisions must be from 1 to 26/)
    assert.equal(await s.qa.settings(mdi.establishmentId).then(x => x.saved), false)

    res = await so.post('/quality/settings', {
      samplePerOfficer: '3',
      reviewDueDays: '10',
      thinEntryChars: '250',
      supervisionWeeks: '4',
    })
    assert.equal(res.headers.location, '/quality/settings')
    const saved = await s.qa.settings(mdi.establishmentId)
    assert.deepEqual(
      [saved.samplePerOfficer, saved.reviewDueDays, saved.thinEntryChars, saved.supervisionWeeks],
      [3, 10, 250, 4],
    )
    const ea = await signedIn(world, 'establishment_admin.mdi')
    res = await ea.post('/quality/settings', {
      samplePerOfficer: '2',
      reviewDueDays: '14',
      thinEntryChars: '300',
      supervisionWeeks: '6',
    })
    assert.equal(res.status, 303)
    assert.equal((await s.qa.settings(mdi.establishmentId)).samplePerOfficer, 2)
    const events = await s.audit.forEntity('qa_settings', String(mdi.establishmentId))
    assert.equal(events.length, 2)
  })

  it('reads them for the national team, refuses them to a Key Worker, and keeps another establishment’s apart', async () => {
    const np = await signedIn(world, 'national')
    assert.equal((await np.get('/quality/settings')).status, 200)
    assert.equal((await np.post('/quality/settings', { samplePerOfficer: '2' })).status, 403)
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/quality/settings')).status, 403)
    assert.equal((await s.qa.settings(lei.establishmentId)).saved, false)
  })

  it('lets the national team set the bounds, min ≤ default ≤ max, and keeps them on a bad form', async () => {
    const np = await signedIn(world, 'national')
    let res = await np.post(
      '/quality/settings/national',
      { sampleMin: '3', sampleDefault: '2', sampleMax: '5' },
      '/quality/settings',
    )
    assert.equal(res.headers.location, '/quality/settings')
    assert.match((await np.get('/quality/settings')).text, /The default sample must be at least the smallest/)
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '1', sampleDefault: '6', sampleMax: '5' },
      '/quality/settings',
    )
    assert.match((await np.get('/quality/settings')).text, /The largest sample must be at least the default/)
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '', sampleDefault: 'x', sampleMax: '99' },
      '/quality/settings',
    )
    const page = await np.get('/quality/settings')
    assert.match(page.text, /Enter the smallest sample/)
    assert.match(page.text, /The default sample must be a whole number/)
    assert.deepEqual(await s.qa.bounds(), { min: 1, default: 2, max: 10 })
    res = await np.post(
      '/quality/settings/national',
      { sampleMin: '1', sampleDefault: '3', sampleMax: '4' },
      '/quality/settings',
    )
    assert.deepEqual(await s.qa.bounds(), { min: 1, default: 3, max: 4 })
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.post('/quality/settings/national', { sampleMin: '1' }, '/quality/settings')).status, 403)
    // back as it was, for the tests below
    assert.ok((await s.qa.saveBounds(SYSTEM, { min: 1, default: 2, max: 10 })).ok)
  })
})

describe('the monthly sample', () => {
  it('samples each officer at random and adds every risk entry, the same sample every time', async () => {
    const month = '2025-01'
    // a second officer, new in post: every entry of theirs is raised
    const newStaff = await s.staff.create(
      SYSTEM,
      mdi.establishmentId,
      staffRecordSchema.parse({
        staffNumber: 'QA0001',
        firstName: 'Nia',
        lastName: 'New',
        grade: 'Band 3',
        workingPattern: 'full_time',
        startedInPost: '2024-12-01',
        languages: 'English',
        status: 'active',
        homeUnit: mdi.unitCode,
      }),
    )
    assert.ok(newStaff.ok)
    const plain: number[] = []
    for (let d = 1; d <= 6; d++) plain.push(await newEntry({ sessionDate: `2025-01-0${d}` }))
    const concern = await newEntry({ sessionDate: '2025-01-10', concern: true })
    const low = await newEntry({ sessionDate: '2025-01-11', precheckScore: 2 })
    const flagged = await newEntry({ sessionDate: '2025-01-12' })
    await db
      .insertInto('integrity_flags')
      .values({
        establishment_id: mdi.establishmentId,
        kind: 'thin',
        flag_key: `thin:${flagged}`,
        session_id: flagged,
        other_session_id: null,
        staff_id: mdi.staffId,
        similarity: null,
        evidence: '{}',
        raised_at: new Date().toISOString(),
        status: 'open',
        outcome: null,
        note: null,
        resolved_by_user_id: null,
        resolved_by: null,
        resolved_at: null,
      })
      .execute()
    const novice = await newEntry({ sessionDate: '2025-01-20', staffId: newStaff.value })
    const outside = await newEntry({ sessionDate: '2025-02-01' })

    const first = await s.qa.draw(SYSTEM, mdi.establishmentId, month)
    const rows = await s.qa.sampleOfMonth(mdi.establishmentId, month)
    assert.deepEqual(first.added.sort(), rows.map(r => r.session_id).sort())
    const bySession = new Map(rows.map(r => [r.session_id, r]))
    assert.equal(bySession.get(concern)?.risk, 'self-harm-concern')
    assert.equal(bySession.get(low)?.risk, 'low-precheck')
    assert.equal(bySession.get(flagged)?.risk, 'integrity-flag')
    assert.equal(bySession.get(novice)?.risk, 'new-officer')
    assert.ok(!bySession.has(outside), 'an entry of another month is not in the sample')
    // the setting's 2 entries at random for each officer (the new one has only one entry)
    const random = rows.filter(r => r.random === 1)
    assert.equal(random.filter(r => r.staff_id === mdi.staffId).length, 2)
    assert.equal(random.filter(r => r.staff_id === newStaff.value).length, 1)
    // the same picks as the sampler with the establishment, month and officer's seed
    const officerEntries = [...plain, concern, low, flagged].map(id => ({
      sessionId: id,
      staffId: mdi.staffId,
      authorUserId: kwId,
      risk: [],
    }))
    const expected = monthlySample(officerEntries, 2, sampleSeed(mdi.establishmentId, month, mdi.staffId))
    assert.deepEqual(
      random.filter(r => r.staff_id === mdi.staffId).map(r => r.session_id),
      expected.map(e => e.sessionId),
    )

    // drawing again adds nothing; drawn afresh, the month gives the same sample
    assert.deepEqual((await s.qa.draw(SYSTEM, mdi.establishmentId, month)).added, [])
    const before = rows.map(r => [r.session_id, r.random, r.risk])
    await db.deleteFrom('qa_samples').where('month', '=', month).execute()
    await s.qa.draw(SYSTEM, mdi.establishmentId, month)
    const redrawn = (await s.qa.sampleOfMonth(mdi.establishmentId, month)).map(r => [r.session_id, r.random, r.risk])
    assert.deepEqual(redrawn, before)
  })

  it('dates each sampled entry due after the setting’s days, and overdue from the next London day', async () => {
    await newEntry({ sessionDate: '2025-05-06' })
    // 10:00 on 20 June 2025 (BST): due 14 days on, 4 July
    setClock('2025-06-20T09:00:00Z')
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-05')
    const [row] = await s.qa.sampleOfMonth(mdi.establishmentId, '2025-05')
    assert.equal(row?.due_on, '2025-07-04')
    const state = async () => (await s.qa.queue(mdi.establishmentId, null)).rows.find(r => r.id === row!.id)
    setClock('2025-07-04T22:30:00Z') // 23:30 on 4 July in London
    assert.equal((await state())?.state, 'due-today')
    setClock('2025-07-04T23:30:00Z') // 00:30 on 5 July in London, still 4 July in UTC
    assert.equal((await state())?.state, 'overdue')
    assert.equal((await state())?.daysOverdue, 1)
    setClock('2025-07-10T12:00:00Z')
    assert.equal((await state())?.daysOverdue, 6)
  })

  it('shows the queue to SO, admin and national team with why each entry was sampled, never an SO’s own entries', async () => {
    const own = await newEntry({ sessionDate: '2025-03-03', authorUsername: 'supervising_officer.mdi', concern: true })
    await s.qa.draw(SYSTEM, mdi.establishmentId, '2025-03')
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = await so.get('/quality/queue')
    assert.equal(page.status, 200)
    assert.doesNotMatch(
      page.text,
      new RegExp(
        `reviews/new\\?sample=${(await db.selectFrom('qa_samples').select('id').where('session_id', '=', own).executeTakeFirstOrThrow()).id}"`,
      ),
    )
    assert.match(page.text, /of your own entry is left for another Supervising Officer|of your own entries are left/)
    const other = await signedIn(world, 'second_so.mdi')
    const otherPage = await other.get('/quality/queue')
    assert.match(otherPage.text, /It records a self-harm or suicide concern/)
    assert.match(otherPage.text, /Picked at random for the monthly sample/)
    assert.match(otherPage.text, /Overdue/)
    assert.doesNotMatch(otherPage.text, /self-harm-concern|undefined|\[object Object\]/)
    for (const who of ['establishment_admin.mdi', 'national']) {
      const b = await signedIn(world, who)
      const p = await b.get('/quality/queue')
      assert.equal(p.status, 200, who)
      assert.doesNotMatch(p.text, /reviews\/new/, `${who} is not offered a review`)
    }
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/quality/queue')).status, 403)
    assert.equal((await kw.post('/quality/queue/draw', {}, '/')).status, 403)
    // the SO draws the month so far
    const res = await so.post('/quality/queue/draw', {}, '/quality/queue')
    assert.equal(res.headers.location, '/quality/queue')
  })
})
