import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { todayIso } from '../../domain/dates'
import { lastMonths } from '../../domain/quality'
import { type Browser, createUser, signedIn } from '../../../test/harness'
import { insertSession } from '../../../test/support/referrals'
import { actor, addOfficer, addPrisoner, must, qualityWorld, userIdOf } from '../../../test/support/qualityFixtures'

// Calibration over a small world: Moorland (MDI) with two Supervising Officers who mark, entries of its Key Worker;
// Leeds (LEI) with its own Supervising Officer and an entry. The agreement figures are worked by hand (see
// src/domain/qualityCalibration.test.ts for the arithmetic).

const { world, s, db, MDI, LEI } = await qualityWorld()

await createUser(s, 'so2.mdi', [{ role: 'SUPERVISING_OFFICER', establishmentId: MDI }])
const so1 = await userIdOf(db, 'supervising_officer.mdi')
const so2 = await userIdOf(db, 'so2.mdi')
const soL = await userIdOf(db, 'supervising_officer.lei')

async function setUp(est: number, unit: string, staffNumber: string, prisonNumber: string) {
  must(await s.units.create(actor(est), est, { code: unit, name: unit, capacity: 100 }))
  const staffId = await addOfficer(s, est, { staffNumber, firstName: 'Kim', lastName: 'Officer', homeUnit: unit })
  const prisonerId = await addPrisoner(s, est, { prisonNumber, lastName: 'Prisoner', unit })
  return { staffId, prisonerId }
}
const mdi = await setUp(MDI, 'HB1', 'MDI0001', 'A1111AA')
const lei = await setUp(LEI, 'A', 'LEI0001', 'B1111BB')
const [, lastMonth] = lastMonths(todayIso(), 2) as [string, string]
const entry = (est: number, who: { staffId: number; prisonerId: number }, day: string) =>
  insertSession(db, {
    establishmentId: est,
    prisonerId: who.prisonerId,
    staffId: who.staffId,
    author: 'kw',
    sessionDate: day,
  })
// five entries of last month in MDI (the hand-worked exercise takes the first three); one in LEI
const e = [] as number[]
for (const day of ['01', '02', '03', '04', '05']) e.push(await entry(MDI, mdi, `${lastMonth}-${day}`))
const eL = await entry(LEI, lei, `${lastMonth}-01`)
// the pre-check estimated 1, 2, 1 for the prisoner's voice on the first three
const rubric = await s.rubric.current(MDI)
const voice = rubric.criteria[0]!
for (const [i, v] of [1, 2, 1].entries())
  await db
    .updateTable('key_work_sessions')
    .set({ precheck: JSON.stringify({ rubricVersion: rubric.version, estimates: { [voice.code]: v }, hints: [] }) })
    .where('id', '=', e[i]!)
    .execute()

// the first entry was written by MDI's Key Worker: they are told when the exercise closes, not before
const kwUser = await userIdOf(db, 'key_worker.mdi')
await db.updateTable('key_work_sessions').set({ author_user_id: kwUser }).where('id', '=', e[0]!).execute()
const noticesOf = async (userId: number) =>
  db.selectFrom('user_notices').select(['kind', 'link']).where('user_id', '=', userId).execute()

const count = async (table: 'qa_calibrations' | 'qa_reviews' | 'qa_review_scores') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** A mark: voice scored, every other criterion not applicable. */
const markForm = (voiceScore: string, overall: string) => {
  const body: Record<string, string> = { overall, good: 'Clear goal.', change: 'Quote him.' }
  for (const c of rubric.criteria) body[`score-${c.id}`] = c.id === voice.id ? voiceScore : 'na'
  return body
}

let exerciseId = 0
let randomId = 0
let sos: { one: Browser; two: Browser; lei: Browser }

describe('setting up an exercise', () => {
  it('a Supervising Officer sets one up from entry numbers, with two markers', async () => {
    sos = {
      one: await signedIn(world, 'supervising_officer.mdi'),
      two: await signedIn(world, 'so2.mdi'),
      lei: await signedIn(world, 'supervising_officer.lei'),
    }
    const form = await sos.one.get('/quality/calibration/new')
    assert.equal(form.status, 200)
    assert.doesNotMatch(form.text, /supervising_officer\.lei/, 'only this establishment’s SOs are offered')
    const res = await sos.one.post('/quality/calibration/new', {
      title: 'Hand-worked',
      pick: 'ids',
      ids: `${e[0]}, ${e[1]} ${e[2]}`,
      markers: [String(so1), String(so2)],
    })
    assert.equal(res.status, 303)
    const m = /^\/quality\/calibration\/(\d+)$/.exec(String(res.headers.location))
    assert.ok(m, String(res.headers.location))
    exerciseId = Number(m[1])
    const entries = await db
      .selectFrom('qa_calibration_entries')
      .select('session_id')
      .where('calibration_id', '=', exerciseId)
      .execute()
    assert.deepEqual(
      entries.map(x => Number(x.session_id)).sort((a, b) => a - b),
      e.slice(0, 3),
    )
    const row = await db
      .selectFrom('qa_calibrations')
      .selectAll()
      .where('id', '=', exerciseId)
      .executeTakeFirstOrThrow()
    assert.equal(Number(row.establishment_id), MDI)
    assert.equal(row.status, 'open')
  })

  it('picks entries at random from a month of the establishment', async () => {
    const res = await sos.one.post('/quality/calibration/new', {
      title: 'Random',
      pick: 'random',
      month: lastMonth,
      count: '3',
      markers: [String(so1), String(so2)],
    })
    assert.equal(res.status, 303)
    const id = Number(/(\d+)$/.exec(String(res.headers.location))![1])
    randomId = id
    const entries = await db
      .selectFrom('qa_calibration_entries')
      .select('session_id')
      .where('calibration_id', '=', id)
      .execute()
    assert.equal(entries.length, 3)
    assert.ok(
      entries.every(x => e.includes(Number(x.session_id))),
      'MDI entries of that month only',
    )
  })

  it('lists every problem at once and saves nothing on bad input', async () => {
    const before = await count('qa_calibrations')
    const empty = await sos.one.post('/quality/calibration/new', { title: '', pick: 'random', month: '', count: '99' })
    assert.equal(empty.status, 303)
    const page = await sos.one.get('/quality/calibration/new')
    for (const text of ['Enter a title', 'Choose the month', 'from 2 to 40', 'at least 2 markers'])
      assert.match(page.text, new RegExp(text), text)
    // another establishment's entry, another establishment's Supervising Officer, a made-up id
    await sos.one.post('/quality/calibration/new', {
      title: 'Wrong',
      pick: 'ids',
      ids: `${e[0]} ${eL} 99999`,
      markers: [String(so1), String(soL)],
    })
    const again = await sos.one.get('/quality/calibration/new')
    assert.match(again.text, new RegExp(`Entries ${eL}, 99999 are not submitted entries of this establishment`))
    assert.match(again.text, /Choose the markers from the list/)
    await sos.one.post('/quality/calibration/new', { title: 'Ids', pick: 'ids', ids: 'abc', markers: String(so1) })
    assert.match((await sos.one.get('/quality/calibration/new')).text, /Enter entry numbers only/)
    assert.equal(await count('qa_calibrations'), before)
  })
})

describe('marking, blind', () => {
  it('a marker scores an entry; their mark is saved as a calibration review', async () => {
    const before = await count('qa_reviews')
    for (const [i, [v, o]] of [
      ['1', '3'],
      ['2', '4'],
      ['1', '3'],
    ].entries()) {
      const path = `/quality/calibration/${exerciseId}/entries/${e[i]}`
      const res = await sos.one.post(path, markForm(v!, o!))
      assert.equal(res.status, 303, path)
      assert.equal(res.headers.location, `/quality/calibration/${exerciseId}`)
    }
    assert.equal(await count('qa_reviews'), before + 3)
    const kinds = await db.selectFrom('qa_reviews').select('kind').where('calibration_id', '=', exerciseId).execute()
    assert.deepEqual(
      kinds.map(k => k.kind),
      ['calibration', 'calibration', 'calibration'],
    )
  })

  it('another marker does not see those marks while the exercise is open, nor does the report show', async () => {
    const page = await sos.two.get(`/quality/calibration/${exerciseId}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /id="agreement"/)
    assert.match(page.text, /3 of 3/, 'how many the first marker has done')
    const mark = await sos.two.get(`/quality/calibration/${exerciseId}/entries/${e[0]}`)
    assert.equal(mark.status, 200)
    assert.doesNotMatch(mark.text, /checked/, 'nothing chosen: another marker’s scores are not shown')
    assert.doesNotMatch(mark.text, /Clear goal/)
    // the first marker sees their own mark
    const own = await sos.one.get(`/quality/calibration/${exerciseId}/entries/${e[0]}`)
    assert.match(own.text, /You have marked this entry/)
    assert.match(own.text, /value="3" checked/)
  })

  it('refuses bad scores, a second mark and marks of other establishments’ exercises, saving nothing', async () => {
    const before = await count('qa_reviews')
    const path = `/quality/calibration/${exerciseId}/entries/${e[0]}`
    const bad = markForm('7', '5')
    bad.good = ''
    await sos.two.post(path, bad)
    const page = await sos.two.get(path)
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /Choose a score from 1 to 4 for The prisoner/)
    assert.match(page.text, /Choose an overall score from 1 to 4/)
    assert.match(page.text, /Enter what was good about the entry/)
    await sos.one.post(path, markForm('2', '2'))
    assert.match(
      (await sos.one.get(`/quality/calibration/${exerciseId}`)).text + (await sos.one.get(path)).text,
      /marked this entry already/,
    )
    // LEI's Supervising Officer: not found
    assert.equal((await sos.lei.get(`/quality/calibration/${exerciseId}`)).status, 404)
    assert.equal((await sos.lei.get(path)).status, 404)
    assert.equal((await sos.lei.post(path, markForm('1', '1'), '/quality/calibration')).status, 404)
    assert.equal(
      (await sos.lei.post(`/quality/calibration/${exerciseId}/close`, {}, '/quality/calibration')).status,
      404,
    )
    assert.equal(await count('qa_reviews'), before)
  })

  it('refuses Key Workers everywhere, and lets the establishment admin read but not mark or close', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    for (const path of ['/quality/calibration', `/quality/calibration/${exerciseId}`, '/quality/calibration/new'])
      assert.equal((await kw.get(path)).status, 403, path)
    const ea = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await ea.get(`/quality/calibration/${exerciseId}`)).status, 200)
    assert.equal((await ea.get(`/quality/calibration/${exerciseId}/entries/${e[0]}`)).status, 403)
    assert.equal((await ea.post(`/quality/calibration/${exerciseId}/close`, {}, '/quality/calibration')).status, 403)
  })
})

describe('closing and the report', () => {
  it('the second marker finishes; a Supervising Officer closes it; the report shows agreement, in words', async () => {
    for (const [i, [v, o]] of [
      ['1', '3'],
      ['2', '4'],
      ['2', '4'],
    ].entries())
      assert.equal(
        (await sos.two.post(`/quality/calibration/${exerciseId}/entries/${e[i]}`, markForm(v!, o!))).status,
        303,
      )
    assert.deepEqual(await noticesOf(kwUser), [], 'the officer is not told while the marking is blind')
    const closed = await sos.two.post(
      `/quality/calibration/${exerciseId}/close`,
      {},
      `/quality/calibration/${exerciseId}`,
    )
    // both markers' marks of the Key Worker's entry: a notice each, linking to the feedback
    const told = await noticesOf(kwUser)
    assert.equal(told.length, 2)
    assert.ok(told.every(n => n.kind === 'qa-calibration' && /^\/my-feedback\/review\?id=\d+$/.test(n.link)))
    assert.equal(closed.status, 303)
    const page = await sos.one.get(`/quality/calibration/${exerciseId}`)
    // overall and voice: 4/9 = 0.44, low; the pre-check against the markers: 24/35 = 0.69, tentative
    assert.match(page.text, /Overall score<\/dt>\s*<dd[^>]*><strong>0.44<\/strong><br>Low:.*a finding, not a failure/)
    assert.match(page.text, /Pre-check and markers<\/dt>\s*<dd[^>]*><strong>0.69<\/strong><br>.*Tentative/)
    assert.match(page.text, new RegExp(`data-code="${voice.code}">[\\s\\S]*?0.44`))
    assert.match(page.text, /3 entries, 2 markers, 6 marks/)
    // a closed exercise takes no more marks
    assert.equal(
      (await sos.one.post(`/quality/calibration/${randomId}/close`, {}, `/quality/calibration/${randomId}`)).status,
      303,
    )
    const [first] = await db
      .selectFrom('qa_calibration_entries')
      .select('session_id')
      .where('calibration_id', '=', randomId)
      .execute()
    const before = await count('qa_reviews')
    const path = `/quality/calibration/${randomId}/entries/${first!.session_id}`
    await sos.one.post(path, markForm('1', '1'))
    assert.match((await sos.one.get(path)).text, /This exercise is closed: marks can no longer be made/)
    assert.equal(await count('qa_reviews'), before)
  })

  it('the dashboard shows the exercise’s agreement', async () => {
    const res = await sos.one.get('/quality/dashboard?months=3')
    assert.match(res.text, /Hand-worked<\/a>/)
    assert.match(res.text, /0.44 <strong class="govuk-tag govuk-tag--orange">\s*Low: a finding\s*<\/strong>/)
  })
})

describe('a national exercise', () => {
  it('the national team takes entries of any establishment and markers from any; only markers see it', async () => {
    const np = await signedIn(world, 'national')
    const res = await np.post('/quality/calibration/new', {
      title: 'National round',
      pick: 'ids',
      ids: `${e[4]} ${eL}`,
      markers: [String(so1), String(soL)],
    })
    assert.equal(res.status, 303)
    const id = Number(/(\d+)$/.exec(String(res.headers.location))![1])
    const row = await db
      .selectFrom('qa_calibrations')
      .select('establishment_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, null)
    // Leeds' SO marks Moorland's entry, and Moorland's SO Leeds'
    assert.equal((await sos.lei.post(`/quality/calibration/${id}/entries/${e[4]}`, markForm('3', '3'))).status, 303)
    assert.equal((await sos.one.post(`/quality/calibration/${id}/entries/${eL}`, markForm('3', '3'))).status, 303)
    // a Moorland SO who is not a marker does not find it
    assert.equal((await sos.two.get(`/quality/calibration/${id}`)).status, 404)
    assert.equal((await np.post(`/quality/calibration/${id}/close`, {}, `/quality/calibration/${id}`)).status, 303)
    assert.match((await np.get(`/quality/calibration/${id}`)).text, /2 entries, 2 markers, 2 marks/)
  })
})
