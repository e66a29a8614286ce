import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { todayIso } from '../../domain/dates'
import { lastMonths, monthLabel } from '../../domain/quality'
import { signedIn } from '../../../test/harness'
import { insertSession } from '../../../test/support/referrals'
import {
  actor,
  addOfficer,
  addPrisoner,
  insertCommendation,
  insertFlag,
  insertReview,
  insertSupervision,
  must,
  qualityWorld,
  userIdOf,
} from '../../../test/support/qualityFixtures'

// The quality dashboard over a small world worked by hand: Moorland (MDI) with two houseblocks, a Key Worker and a
// prisoner in each, entries over the last three months, reviews, flags, a commendation and a supervision; Leeds (LEI)
// with one reviewed entry, which only the national figures count.

const { world, s, db, MDI, LEI } = await qualityWorld()

async function unit(est: number, code: string, name: string) {
  return must(await s.units.create(actor(est), est, { code, name, capacity: 100 }))
}
const officer = (est: number, staffNumber: string, lastName: string, homeUnit: string) =>
  addOfficer(s, est, { staffNumber, firstName: 'Sam', lastName, homeUnit })
const prisoner = (est: number, prisonNumber: string, unitCode: string) =>
  addPrisoner(s, est, { prisonNumber, lastName: prisonNumber, unit: unitCode })

const hb1 = await unit(MDI, 'HB1', 'Houseblock 1')
await unit(MDI, 'HB2', 'Houseblock 2')
await unit(LEI, 'A', 'A wing')
const kwA = await officer(MDI, 'MDI0001', 'Able', 'HB1')
const kwB = await officer(MDI, 'MDI0002', 'Baker', 'HB2')
const kwL = await officer(LEI, 'LEI0001', 'Leeds', 'A')
const p1 = await prisoner(MDI, 'A1111AA', 'HB1')
const p2 = await prisoner(MDI, 'A2222AA', 'HB2')
const pL = await prisoner(LEI, 'B1111BB', 'A')
const so = await userIdOf(db, 'supervising_officer.mdi')
const soL = await userIdOf(db, 'supervising_officer.lei')
const rubric = await s.rubric.current(MDI)
const voice = rubric.criteria[0]!

const today = todayIso()
const [m0, m1, m2] = lastMonths(today, 3) as [string, string, string]

const entry = (est: number, prisonerId: number, staffId: number, date: string, status?: 'draft' | 'deleted') =>
  insertSession(db, { establishmentId: est, prisonerId, staffId, author: 'key_worker.mdi', sessionDate: date, status })
const review = (est: number, sessionId: number, overall: number, voiceScore: number | null, kind?: 'calibration') =>
  insertReview(db, {
    establishmentId: est,
    sessionId,
    reviewerUserId: est === MDI ? so : soL,
    rubricVersionId: rubric.versionId,
    overall,
    kind,
    scores: [{ criterionId: voice.id, score: voiceScore }],
  })

// month 0: four entries (two each), three reviewed (3, 4 and 2 overall; voice 3, 4, 1), one calibration mark that
// does not count, a draft and a deleted entry that do not count either; pre-checks 2.5 and 3.5
const s1 = await entry(MDI, p1, kwA, `${m0}-10`)
const s2 = await entry(MDI, p1, kwA, `${m0}-11`)
const s3 = await entry(MDI, p2, kwB, `${m0}-10`)
const s4 = await entry(MDI, p2, kwB, `${m0}-12`)
await entry(MDI, p1, kwA, `${m0}-13`, 'draft')
await entry(MDI, p2, kwB, `${m0}-13`, 'deleted')
await review(MDI, s1, 3, 3)
await review(MDI, s2, 4, 4)
await review(MDI, s3, 2, 1)
await review(MDI, s4, 1, 1, 'calibration')
await db.updateTable('key_work_sessions').set({ precheck_score: 2.5 }).where('id', '=', s1).execute()
await db.updateTable('key_work_sessions').set({ precheck_score: 3.5 }).where('id', '=', s3).execute()
// month 1: two entries, one reviewed (1 overall, voice 1)
const s6 = await entry(MDI, p1, kwA, `${m1}-10`)
await entry(MDI, p2, kwB, `${m1}-10`)
await review(MDI, s6, 1, 1)
// month 2 (this month): one entry, not reviewed
await entry(MDI, p1, kwA, `${m2}-01`)
// Leeds: one entry of month 0, reviewed 4
const sL = await entry(LEI, pL, kwL, `${m0}-10`)
await review(LEI, sL, 4, 4)

// a flag on s1 raised on the 5th of month 0 and resolved two days later; one on s3 raised in month 1, open
await insertFlag(db, {
  establishmentId: MDI,
  sessionId: s1,
  staffId: kwA,
  key: 'f1',
  raisedAt: `${m0}-05T10:00:00.000Z`,
  resolvedAt: `${m0}-07T10:00:00.000Z`,
})
await insertFlag(db, {
  establishmentId: MDI,
  sessionId: s3,
  staffId: kwB,
  key: 'f2',
  raisedAt: `${m1}-03T10:00:00.000Z`,
})
await insertCommendation(db, {
  establishmentId: MDI,
  sessionId: s6,
  staffId: kwA,
  byUserId: so,
  createdAt: `${m1}-15T12:00:00.000Z`,
})
// Able supervised on the first of this month: within the default 6 weeks today, not before
await insertSupervision(db, { establishmentId: MDI, staffId: kwA, supervisorUserId: so, heldOn: `${m2}-01` })

// the entries were written straight to the table: the statistics' day aggregates (from which the dashboard counts an
// establishment's or all establishments' entries and pre-checks) are made from them as `keywork stats rebuild` does
await s.statistics.rebuild()

const monthsOf = (d: Awaited<ReturnType<typeof s.quality.dashboard>>) => d.months

describe('quality dashboard figures, by hand', () => {
  it('an establishment: entries, reviews, coverage, good, the interval, pre-check, flags, commendations, supervision', async () => {
    const d = await s.quality.dashboard({ kind: 'establishment', establishmentId: MDI }, [m0, m1, m2], today)
    assert.deepEqual(
      d.criteria.map(c => c.code),
      [voice.code],
    )
    const [a, b, c] = monthsOf(d)
    assert.deepEqual(
      [a!.submitted, a!.reviewed, a!.coverage, a!.reviews, a!.good, a!.meanOverall],
      [4, 3, 0.75, 3, 2 / 3, 3],
    )
    // 2, 3, 4: mean 3, sd 1, t(2) = 4.303: 3 ± 4.303 ÷ √3 = 3 ± 2.484
    assert.ok(Math.abs(a!.overall!.low - 0.516) < 0.001 && Math.abs(a!.overall!.high - 5.484) < 0.001)
    assert.ok(Math.abs(a!.criteria[voice.code]! - 8 / 3) < 1e-9)
    assert.deepEqual([a!.prechecked, a!.precheckMean], [2, 3])
    assert.deepEqual([a!.flagsRaised, a!.flagsResolved, a!.resolveMedianDays, a!.commendations], [1, 1, 2, 0])
    assert.deepEqual(a!.supervision, { covered: 0, total: 2, share: 0 })
    assert.deepEqual(
      [b!.submitted, b!.reviewed, b!.coverage, b!.good, b!.meanOverall, b!.overall, b!.criteria[voice.code]],
      [2, 1, 0.5, 0, 1, null, 1],
    )
    assert.deepEqual([b!.flagsRaised, b!.flagsResolved, b!.resolveMedianDays, b!.commendations], [1, 0, null, 1])
    assert.deepEqual([c!.submitted, c!.reviewed, c!.coverage, c!.good, c!.prechecked], [1, 0, 0, null, 0])
    assert.deepEqual(c!.supervision, { covered: 1, total: 2, share: 0.5 })
    assert.match(d.comparison, /Too few reviews/)
  })

  it('a houseblock: its prisoners’ entries and the Key Workers based there', async () => {
    const d = await s.quality.dashboard({ kind: 'houseblock', establishmentId: MDI, unitId: hb1 }, [m0, m1, m2], today)
    const [a, b, c] = monthsOf(d)
    assert.deepEqual([a!.submitted, a!.reviewed, a!.good, a!.meanOverall, a!.flagsRaised], [2, 2, 1, 3.5, 1])
    assert.deepEqual([b!.submitted, b!.reviewed, b!.commendations, b!.flagsRaised], [1, 1, 1, 0])
    assert.deepEqual(c!.supervision, { covered: 1, total: 1, share: 1 })
  })

  it('one Key Worker: their entries, flags and supervision only', async () => {
    const d = await s.quality.dashboard({ kind: 'officer', establishmentId: MDI, staffId: kwB }, [m0, m1, m2], today)
    const [a, b, c] = monthsOf(d)
    assert.deepEqual([a!.submitted, a!.reviewed, a!.good, a!.flagsRaised], [2, 1, 0, 0])
    assert.deepEqual([b!.submitted, b!.reviewed, b!.flagsRaised, b!.commendations], [1, 0, 1, 0])
    assert.deepEqual(c!.supervision, { covered: 0, total: 1, share: 0 })
  })

  it('national: every establishment', async () => {
    const d = await s.quality.dashboard({ kind: 'national' }, [m0, m1, m2], today)
    const [a] = monthsOf(d)
    assert.deepEqual([a!.submitted, a!.reviewed, a!.good, a!.meanOverall], [5, 4, 0.75, 3.25])
    assert.deepEqual(a!.supervision, { covered: 0, total: 3, share: 0 })
  })
})

describe('quality pages', () => {
  it('the hub links only to pages the user may open', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.get('/quality')
    assert.equal(res.status, 200)
    assert.match(res.text, /href="\/quality\/dashboard"/)
    assert.match(res.text, /href="\/quality\/calibration"/)
    const hrefs = [...res.text.matchAll(/<li>\s*<a class="govuk-link[^"]*" href="([^"]+)"/g)].map(m => m[1]!)
    assert.ok(hrefs.length >= 2)
    for (const href of hrefs) {
      const page = await b.get(href)
      assert.ok(page.status === 200 || page.status === 303, `${href} gave ${page.status}`)
    }
  })

  it('shows the figures in a table and says what the sample can tell', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    const res = await b.get('/quality/dashboard?scope=establishment&months=3')
    assert.equal(res.status, 200)
    assert.match(
      res.text,
      new RegExp(
        `${monthLabel(m0)}</th>\\s*<td[^>]*>4</td>\\s*<td[^>]*>3</td>\\s*<td[^>]*>75.0%</td>\\s*<td[^>]*>66.7%</td>\\s*<td[^>]*>3.00 \\(0.52 to 5.48\\)</td>`,
      ),
    )
    assert.match(res.text, /Too few reviews to give an interval/)
    assert.match(res.text, /<svg[^>]*role="img"/)
    assert.doesNotMatch(res.text, /undefined|NaN|\[object Object\]/)
  })

  it('downloads the figures as CSV', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    const res = await b.get('/quality/dashboard.csv?scope=establishment&months=3')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv/)
    assert.match(String(res.headers['content-disposition']), new RegExp(`key-work-quality-mdi-${m0}-to-${m2}\\.csv`))
    const lines = res.text.split('\r\n')
    assert.equal(lines[0], `Quality dashboard,"Moorland (HMP), ${monthLabel(m0)} to ${monthLabel(m2)}"`)
    assert.equal(
      lines[1],
      'Month,Entries submitted,Entries reviewed,Coverage (%),Reviews,"Scored good, 3 or 4 (%)",Mean overall score,' +
        `"95% interval, low","95% interval, high",Mean score: ${voice.title.includes(',') ? `"${voice.title}"` : voice.title},` +
        'Entries with a pre-check,Mean pre-check estimate,Flags raised,Flags resolved,Median days to resolve,' +
        'Commendations,Key Workers supervised in time,Key Workers,Supervision coverage (%)',
    )
    assert.equal(lines[2], `${m0},4,3,75,3,66.7,3,0.52,5.48,2.67,2,3,1,1,2,0,0,2,0`)
    assert.equal(lines[3], `${m1},2,1,50,1,0,1,,,1,0,,1,0,,1,0,2,0`)
    assert.equal(lines[4], `${m2},1,0,0,0,,,,,,0,,0,0,,0,1,2,50`)
    assert.equal(lines[5], '')
  })

  it('the national team may choose all establishments; others see only their own whatever they ask', async () => {
    const np = await signedIn(world, 'national')
    const all = await np.get('/quality/dashboard.csv?establishment=all&months=3')
    assert.equal(all.text.split('\r\n')[2]!.split(',').slice(0, 3).join(','), `${m0},5,4`)
    const leeds = await np.get(`/quality/dashboard.csv?establishment=${LEI}&months=3`)
    assert.equal(leeds.text.split('\r\n')[2]!.split(',').slice(0, 3).join(','), `${m0},1,1`)
    const so = await signedIn(world, 'supervising_officer.mdi')
    const asked = await so.get(`/quality/dashboard.csv?establishment=${LEI}&months=3`)
    assert.equal(asked.text.split('\r\n')[2]!.split(',').slice(0, 3).join(','), `${m0},4,3`)
    const odd = await so.get('/quality/dashboard?scope=officer-999999&months=abc')
    assert.equal(odd.status, 200, 'an unknown scope falls back to the establishment')
  })

  it('refuses Key Workers', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    for (const path of ['/quality', '/quality/dashboard', '/quality/dashboard.csv'])
      assert.equal((await kw.get(path)).status, 403, path)
  })
})
