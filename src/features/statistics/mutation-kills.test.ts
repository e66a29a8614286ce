import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Kysely } from 'kysely'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import {
  historyFromRecords,
  insertAllocation,
  insertOfficer,
  insertPrisoner as insertPrisonerRecord,
} from '../../../test/support/statisticsFixtures'
import { setClock } from '../../domain/clock'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import type { Database } from '../../platform/db/types'
import { readQuery } from './schema'
import { followUpChange } from './service'

// A world small enough to count by hand (1–28 March 2026, 28 days, four whole weeks), for the rules of the
// statistics service, its routes and its query schema. Every expected value below is worked out in the comments.
//
// Establishments: Moorland (MDI, sessions every week), Leeds (LEI, every 2 weeks), Érlestoke (ERL, enabled, no
// records) and Haverigg (HVI, disabled, no records).
// MDI, unit "Hand wing" (HA), officer S1 (Hand 1, HAND1):
//   P1: in custody since 1 Jan, low complexity; allocated to S1 on 5 Jan (before the period), still allocated.
//       Delivered sessions by S1 on 3, 10, 17, 24 March.
//   P2: in custody since 1 Jan, low complexity, never allocated. Delivered session by S1 on 5 March (cover for S1).
// LEI, officer L1 (Leeds 1, LEE1):
//   P3: in custody since 1 Jan, low complexity; allocated to L1 on 10 March. Delivered session by L1 on 10 March.

const PERIOD = { from: '2026-03-01', to: '2026-03-28' }
const CUSTOM = {
  period: 'custom',
  'from-day': '1',
  'from-month': '3',
  'from-year': '2026',
  'to-day': '28',
  'to-month': '3',
  'to-year': '2026',
}
const qs = (extra: Record<string, string> = {}) => new URLSearchParams({ ...CUSTOM, ...extra }).toString()

let world: Awaited<ReturnType<typeof testWorld>>
let db: Kysely<Database>
let mdi: number
let lei: number
let unitHA: number
let s1: number
let l1: number
let p3: number
let p3Session: number
let rebuiltMdi: number
let rebuiltLei: number

async function insertPrisoner(est: number, n: number, unit: number | null) {
  const id = await insertPrisonerRecord(db, {
    establishmentId: est,
    prisonNumber: `K${1000 + n}MK`,
    firstName: 'Mutant',
    lastName: `Killer ${n}`,
    unitId: unit,
    receptionDate: '2026-01-01',
  })
  await historyFromRecords(db, [id])
  return id
}

const allocate = (est: number, prisoner: number, staff: number, at: string) =>
  insertAllocation(db, { establishmentId: est, prisonerId: prisoner, staffId: staff, at })

let keys = 0
function sessionRow(est: number, prisoner: number, staff: number, date: string) {
  const now = '2026-03-28T12:00:00.000Z'
  return {
    establishment_id: est,
    prisoner_id: prisoner,
    staff_id: staff,
    author_user_id: null,
    author: 'test',
    status: 'submitted',
    on_caseload: 1,
    outcome: 'delivered',
    not_delivered_reason: null,
    not_delivered_detail: null,
    session_date: date,
    starts_at: '10:00',
    duration_minutes: 45,
    location: 'cell',
    hub_booking_id: null,
    private: 1,
    interpreter_needed: 0,
    interpreter_used: 0,
    interpreter_service: null,
    interpreter_booking_ref: null,
    interpreter_language: null,
    interpreter_why_not: null,
    pathways: '',
    concern: 0,
    concern_escalated_to: null,
    prisoner_words: 'Said things',
    agreed: null,
    client_key: `mk-${est}-${prisoner}-${date}-${++keys}`,
    precheck_score: null,
    created_at: now,
    updated_at: now,
    submitted_at: now,
    deleted_at: null,
    deleted_by: null,
    deleted_reason: null,
  }
}

async function insertSession(est: number, prisoner: number, staff: number, date: string, trx: Kysely<Database> = db) {
  const r = await trx
    .insertInto('key_work_sessions')
    .values(sessionRow(est, prisoner, staff, date))
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

before(async () => {
  world = await testWorld()
  db = world.services.db.db
  mdi = world.est.MDI!
  lei = world.est.LEI!
  for (const [code, name] of [
    ['ERL', 'Érlestoke (HMP)'],
    ['HVI', 'Haverigg (HMP)'],
  ] as const) {
    const r = await world.services.establishments.create(SYSTEM_ACTOR, {
      code,
      name,
      category: 'Category C',
      region: 'South West',
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
  }
  // written straight into the table before anything reads the establishments (the service keeps them a while)
  await db.updateTable('establishments').set({ enabled: 0 }).where('code', '=', 'HVI').execute()
  await db.updateTable('establishments').set({ frequency_weeks: 1 }).where('id', '=', mdi).execute()
  await db.updateTable('establishments').set({ frequency_weeks: 2 }).where('id', '=', lei).execute()
  const unit = await db
    .insertInto('residential_units')
    .values({
      establishment_id: mdi,
      code: 'HA',
      name: 'Hand wing',
      parent_id: null,
      capacity: 50,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  unitHA = unit.id
  s1 = await insertOfficer(db, { establishmentId: mdi, staffNumber: 'HAND1', lastName: 'Hand 1' })
  l1 = await insertOfficer(db, { establishmentId: lei, staffNumber: 'LEE1', lastName: 'Leeds 1' })
  const p1 = await insertPrisoner(mdi, 1, unitHA)
  const p2 = await insertPrisoner(mdi, 2, unitHA)
  p3 = await insertPrisoner(lei, 3, null)
  await allocate(mdi, p1, s1, '2026-01-05T09:00:00.000Z')
  await allocate(lei, p3, l1, '2026-03-10T10:00:00.000Z')
  for (const d of ['2026-03-03', '2026-03-10', '2026-03-17', '2026-03-24']) await insertSession(mdi, p1, s1, d)
  await insertSession(mdi, p2, s1, '2026-03-05')
  p3Session = await insertSession(lei, p3, l1, '2026-03-10')
  // the rows were written straight into the tables: the pre-aggregates are built from them
  rebuiltMdi = await world.services.statistics.rebuild(mdi)
  rebuiltLei = await world.services.statistics.rebuild(lei)
})
after(() => world.close())

// ---- helpers reading the page as a user sees it

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim()

/** The options of the scope select: [value, text, selected]. */
function scopeOptions(html: string): [string, string, boolean][] {
  const select = /<select[^>]*id="scope"[\s\S]*?<\/select>/.exec(html)?.[0] ?? ''
  return [...select.matchAll(/<option([^>]*)>([\s\S]*?)<\/option>/g)].map(m => [
    decode(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '(no value)'),
    decode(m[2]!),
    /\bselected\b/.test(m[1]!),
  ])
}

/** The rows of a table by id: each row's cells' texts (header cell first). */
function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? ''
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map(r =>
    [...r[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(c => decode(c[1]!)),
  )
}

/** The current period's text of a measure row. */
function current(html: string, key: string) {
  const row = new RegExp(`data-measure="${key}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? ''
  return /<td[^>]*>([^<]*)<\/td>/.exec(row)?.[1]
}

/** The value of an input by id. */
function inputValue(html: string, id: string) {
  const tag = new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? ''
  return /value="([^"]*)"/.exec(tag)?.[1]
}

/** The radios of the period: [value, label]. */
function periodRadios(html: string): [string, string][] {
  return [
    ...html.matchAll(/<input[^>]*name="period"[^>]*value="([^"]*)"[^>]*>\s*<label[^>]*>([\s\S]*?)<\/label>/g),
  ].map(m => [m[1]!, decode(m[2]!)])
}

const csvLine = (text: string, measure: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .find(l => l.startsWith(`${measure},`) || l.startsWith(`"${measure}",`))

// ---------------------------------------------------------------------------------------------------------------

describe('statistics: rules the mutants of service, routes and schema broke', () => {
  let so: Browser
  let national: Browser
  const medianBetween = async () =>
    current((await national.get(`/statistics?${qs({ scope: 'national' })}`)).text, 'medianDaysBetween')
  before(async () => {
    so = await signedIn(world, 'supervising_officer.mdi')
    national = await signedIn(world, 'national')
  })

  it('rule: a referral or goal moving status changes the counts by after − before (followUpChange)', () => {
    // referral counts are [made, acknowledged (acknowledged or done), completed (done)]
    // acknowledged [1,1,0] → done [1,1,1]: made 1−1 = 0, acknowledged 1−1 = 0, completed 1−0 = 1
    assert.deepEqual(followUpChange('referral', '2026-03-03', 'acknowledged', 'done'), {
      day: '2026-03-03',
      referrals_made: 0,
      referrals_acknowledged: 0,
      referrals_completed: 1,
    })
    // done [1,1,1] → declined [1,0,0]: made 0, acknowledged 0−1 = −1, completed 0−1 = −1
    assert.deepEqual(followUpChange('referral', '2026-03-03', 'done', 'declined'), {
      day: '2026-03-03',
      referrals_made: 0,
      referrals_acknowledged: -1,
      referrals_completed: -1,
    })
    // goal counts are [set, achieved]: open [1,0] → achieved [1,1]: set 1−1 = 0, achieved 1−0 = 1
    assert.deepEqual(followUpChange('goal', '2026-03-04', 'open', 'achieved'), {
      day: '2026-03-04',
      goals_set: 0,
      goals_achieved: 1,
    })
    // achieved [1,1] → dropped [1,0]: set 0, achieved 0−1 = −1
    assert.deepEqual(followUpChange('goal', '2026-03-04', 'achieved', 'dropped'), {
      day: '2026-03-04',
      goals_set: 0,
      goals_achieved: -1,
    })
  })

  it('rule: the query schema names each bad date with its exact message, and gives no period with any error', () => {
    const today = '2026-06-30'
    const custom = (extra: Record<string, string>) => readQuery({ ...CUSTOM, ...extra }, today)
    const realDate = 'The first day must be a real date, for example 27 3 2026'
    // a day left blank but month and year given: not "Enter the first day" (that is for all three blank)
    assert.deepEqual(custom({ 'from-day': '' }).errors, { 'from-day': realDate })
    // every part must be 1 to 4 digits, whole: "5.0", "+5", "1e1" are numbers to JavaScript but not dates here
    for (const day of ['5.0', '+5', '1e1']) {
      const q = custom({ 'from-day': day })
      assert.deepEqual(q.errors, { 'from-day': realDate }, day)
      assert.equal(q.period, null, day)
    }
    // the first day after the last, both in the past: one error, on the first day
    assert.deepEqual(custom({ 'from-day': '10', 'to-day': '1' }).errors, {
      'from-day': 'The first day must be on or before the last day',
    })
    // a good custom period: no error, the period as entered
    assert.deepEqual(custom({}), {
      values: { ...CUSTOM, scope: 'establishment' },
      period: PERIOD,
      errors: {},
    })
    // up to 3 years (MAX_DAYS = 366 × 3 = 1,098 days, both ends counted): 1 Jan 2023 + 1,098 days
    //   = 1 Jan 2023 + 365 (2023) + 366 (2024) + 365 (2025) + 2 = 3 Jan 2026, so 1 Jan 2023 to 2 Jan 2026 is the longest
    const threeYears = { 'from-day': '1', 'from-month': '1', 'from-year': '2023', 'to-month': '1', 'to-year': '2026' }
    assert.deepEqual(custom({ ...threeYears, 'to-day': '2' }).period, { from: '2023-01-01', to: '2026-01-02' })
    assert.deepEqual(custom({ ...threeYears, 'to-day': '3' }).errors, {
      'from-day': 'A period can be up to 3 years long',
    })
    // a last day in the future (today is 30 June 2026) with a good first day: an error and no period
    const future = custom({ 'to-day': '1', 'to-month': '7' })
    assert.deepEqual(future.errors, { 'to-day': 'The last day must be today or in the past' })
    assert.equal(future.period, null)
  })

  it('rule: the schema trims each field and keeps at most 20 characters (40 for the scope)', () => {
    const q = readQuery(
      { ...CUSTOM, 'from-day': '  7  ', 'to-day': 'x'.repeat(25), scope: `  ${'y'.repeat(50)}` },
      '2026-06-30',
    )
    assert.equal(q.values['from-day'], '7')
    assert.equal(q.values['to-day'], 'x'.repeat(20))
    assert.equal(q.values.scope, 'y'.repeat(40))
    // " 7 " is the 7th once trimmed: the first day is good; the last day is not a date
    assert.deepEqual(q.errors, { 'to-day': 'The last day must be a real date, for example 27 3 2026' })
  })

  it('rule: a preset fills the date fields with its days (4 weeks to 30 June 2026: 3 June to 30 June)', async () => {
    // 30 June − 27 days = 3 June: 28 days, both ends counted
    const expected = {
      'from-day': '3',
      'from-month': '6',
      'from-year': '2026',
      'to-day': '30',
      'to-month': '6',
      'to-year': '2026',
    }
    const q = readQuery({ period: '4w' }, '2026-06-30')
    assert.deepEqual(q.values, { period: '4w', scope: 'establishment', ...expected })
    setClock('2026-06-30T12:00:00.000Z')
    try {
      const res = await so.get('/statistics?period=4w')
      for (const [id, value] of Object.entries(expected)) assert.equal(inputValue(res.text, id), value, id)
      assert.match(res.text, /Moorland \(HMP\): 3 June 2026 to 30 June 2026/)
    } finally {
      setClock(null)
    }
  })

  it('rule: the page is titled, lists the scopes the user may choose (the chosen one selected) and the presets, with no error', async () => {
    const res = await so.get(`/statistics?${qs()}`)
    assert.equal(res.status, 200)
    assert.match(res.text, /<title>[^<]*Delivery statistics/)
    assert.doesNotMatch(res.text, /govuk-error-summary/, 'a good query shows no error')
    assert.doesNotMatch(res.text, /Choose a scope from the list/)
    assert.deepEqual(scopeOptions(res.text), [
      ['establishment', 'Moorland (HMP)', true],
      [`houseblock-${unitHA}`, 'Houseblock: Hand wing', false],
      [`officer-${s1}`, 'Key Worker: Hand 1, Officer (HAND1)', false],
    ])
    const officer = await so.get(`/statistics?${qs({ scope: `officer-${s1}` })}`)
    assert.deepEqual(
      scopeOptions(officer.text).map(([value, , selected]) => [value, selected]),
      [
        ['establishment', false],
        [`houseblock-${unitHA}`, false],
        [`officer-${s1}`, true],
      ],
    )
    assert.deepEqual(periodRadios(res.text), [
      ['4w', 'Last 4 weeks'],
      ['quarter', 'Last quarter'],
      ['12m', 'Last 12 months'],
      ['custom', 'Custom dates'],
    ])
  })

  it('rule: the establishment page — chart titled with the scope, weekly counts as whole numbers, CSV link with the query, no table of establishments', async () => {
    const res = await so.get(`/statistics?${qs()}`)
    assert.match(
      res.text,
      /<title id="weekly-chart-title">Sessions delivered and projected each week, Moorland \(HMP\)<\/title>/,
    )
    // delivered: week 1–7 Mar: P1 on the 3rd, P2 on the 5th = 2; then P1 on the 10th, 17th, 24th: 1 a week
    // projected: 2 prisoners eligible every day, weekly sessions: 2 × 7 days ÷ (1 week × 7) = 2.0 a week
    assert.deepEqual(tableRows(res.text, 'weekly-table'), [
      ['w/c 1 Mar', '2', '2.0'],
      ['w/c 8 Mar', '1', '2.0'],
      ['w/c 15 Mar', '1', '2.0'],
      ['w/c 22 Mar', '1', '2.0'],
    ])
    const href =
      '/statistics.csv?period=custom&scope=establishment&from-day=1&from-month=3&from-year=2026&to-day=28&to-month=3&to-year=2026'
    assert.ok(res.text.includes(`href="${href.replace(/&/g, '&amp;')}"`), 'the CSV link carries the query')
    assert.doesNotMatch(res.text, /id="establishments-table"/, 'only a national scope lists the establishments')
  })

  it('rule: a Key Worker’s eligible days and projection come from their caseload, day by day and week by week', async () => {
    const res = await so.get(`/statistics?${qs({ scope: `officer-${s1}` })}`)
    assert.equal(res.status, 200)
    // S1's caseload: P1 (allocated 5 Jan, in custody) every day: 28 prisoner-days; 28 ÷ 28 = 1.0 a day
    assert.equal(current(res.text, 'eligible'), '1.0')
    // projected 28 ÷ (1 week × 7) = 4.0; delivered to P1 on the caseload: 4 (P2's on the 5th is cover)
    assert.equal(current(res.text, 'projected'), '4.0')
    assert.equal(current(res.text, 'delivered'), '4')
    assert.equal(current(res.text, 'coverDelivered'), '1')
    // each week: 7 prisoner-days ÷ 7 = 1.0 projected, 1 delivered
    assert.deepEqual(tableRows(res.text, 'weekly-table'), [
      ['w/c 1 Mar', '1', '1.0'],
      ['w/c 8 Mar', '1', '1.0'],
      ['w/c 15 Mar', '1', '1.0'],
      ['w/c 22 Mar', '1', '1.0'],
    ])
  })

  it('rule: a bad query gives errors on the page and no figures; the CSV answers 400 in plain text listing every error', async () => {
    // a last day in the future
    const future = await so.get(`/statistics?${qs({ 'to-year': '2099' })}`)
    assert.equal(future.status, 200)
    assert.match(future.text, /The last day must be today or in the past/)
    assert.doesNotMatch(future.text, /data-measure=/, 'no figures with an error')
    const csv = await so.get(`/statistics.csv?${qs({ 'from-day': '31', 'from-month': '2', scope: 'nonsense' })}`)
    assert.equal(csv.status, 400)
    assert.match(csv.headers['content-type']!, /^text\/plain/)
    assert.equal(csv.text, 'The first day must be a real date, for example 27 3 2026\nChoose a scope from the list\n')
  })

  it('rule: the national team chooses "All establishments"; the table lists the enabled establishments and any with records, by name', async () => {
    const res = await national.get(`/statistics?${qs({ scope: 'national' })}`)
    assert.equal(res.status, 200)
    assert.doesNotMatch(res.text, /govuk-error-summary/)
    const options = scopeOptions(res.text)
    assert.deepEqual(options[1], ['national', 'All establishments', true])
    assert.equal(options.filter(o => o[2]).length, 1, 'one option selected')
    // columns: establishment, eligible (average), with a Key Worker (% of eligible on the last day), projected,
    // delivered, compliance. Alphabetically (É sorts with E): Érlestoke, Leeds, Moorland; Haverigg is disabled
    // and has no records, so it is left out.
    //   Érlestoke: nobody: 0.0 eligible, no % (nobody eligible), 0.0 projected, 0 delivered, no compliance
    //   Leeds: P3 28 days ÷ 28 = 1.0; with L1 on the 28th: 1 of 1 = 100.0%; projected 28 ÷ (2 weeks × 7) = 2.0;
    //     delivered 1 (10 Mar); compliance 1 ÷ 2 = 50.0%
    //   Moorland: P1 and P2 56 ÷ 28 = 2.0; with a Key Worker 1 (P1) of 2 = 50.0%; projected 56 ÷ 7 = 8.0;
    //     delivered 5; compliance 5 ÷ 8 = 62.5%
    assert.deepEqual(tableRows(res.text, 'establishments-table'), [
      ['Érlestoke (HMP)', '0.0', 'No data', '0.0', '0', 'No data'],
      ['Leeds (HMP)', '1.0', '100.0%', '2.0', '1', '50.0%'],
      ['Moorland (HMP)', '2.0', '50.0%', '8.0', '5', '62.5%'],
    ])
    // all: 5 + 1 = 6 delivered
    assert.equal(current(res.text, 'delivered'), '6')
  })

  it('rule: the national CSV is named "all" and carries the Ministry of Justice figures of every establishment', async () => {
    const res = await national.get(`/statistics.csv?${qs({ scope: 'national' })}`)
    assert.equal(res.status, 200)
    assert.match(
      res.headers['content-disposition']!,
      /attachment; filename="key-work-statistics-all-2026-03-01-to-2026-03-28.csv"/,
    )
    const moj = (measure: string) => csvLine(res.text, measure)?.split(',').at(-2)
    // assigned: Σ over days of eligible prisoners with a Key Worker, averaged and truncated per establishment:
    //   MDI: P1 all 28 days → 28 ÷ 28 = 1; LEI: P3 from 10 Mar to 28 Mar = 19 days → 19 ÷ 28 = 0.68 → 0; others 0
    //   1 + 0 = 1
    assert.equal(moj('Prisoners with a Key Worker (last day)'), '1')
    // reception to allocation: P3 allocated 10 Mar, eligible since 1 Jan: 31 + 28 + 9 = 68 (the only one)
    assert.equal(moj('Average days from reception to a Key Worker'), '68')
    // reception to a first session: P1 on 3 Mar 31 + 28 + 2 = 61; P2 on 5 Mar 31 + 28 + 4 = 63; P3 on 10 Mar 68
    //   (61 + 63 + 68) ÷ 3 = 192 ÷ 3 = 64
    assert.equal(moj('Average days from reception to the first session'), '64')
    // Moorland alone: the CSV named by its code, its own figures: P1 and P2 only: (61 + 63) ÷ 2 = 62
    const own = await so.get(`/statistics.csv?${qs()}`)
    assert.match(own.headers['content-disposition']!, /filename="key-work-statistics-mdi-2026-03-01-to-2026-03-28.csv"/)
    assert.equal(csvLine(own.text, 'Average days from reception to the first session')?.split(',').at(-2), '62')
    assert.equal(csvLine(own.text, 'Prisoners with a Key Worker (last day)')?.split(',').at(-2), '1')
  })

  it('rule: each establishment’s Ministry of Justice figures (national scope) are its own', async () => {
    const r = await world.services.statistics.compute({ kind: 'national' }, PERIOD, { moj: true })
    const byName = Object.fromEntries(r.establishments.map(e => [e.name, e.figures.moj]))
    // Érlestoke: nobody
    assert.deepEqual(byName['Érlestoke (HMP)'], {
      assigned: 0,
      assignedPercent: null,
      toAllocation: null,
      toSession: null,
    })
    // Leeds: P3 with a Key Worker 19 of 28 days → 0 (truncated), so no %; allocated 10 Mar, 68 days after 1 Jan;
    //   first session 10 Mar, 68 days
    assert.deepEqual(byName['Leeds (HMP)'], { assigned: 0, assignedPercent: null, toAllocation: 68, toSession: 68 })
    // Moorland: P1 every day → 1; of 2 eligible (56 ÷ 28) = 50.00%; no allocation in the period;
    //   first sessions 61 (P1) and 63 (P2) days after reception: (61 + 63) ÷ 2 = 62
    assert.deepEqual(byName['Moorland (HMP)'], { assigned: 1, assignedPercent: 50, toAllocation: null, toSession: 62 })
  })

  it('rule: a rebuild of one establishment writes its days only and moves the national histogram by its own change; a full rebuild resets it', async () => {
    // MDI's days with sessions: 3, 5, 10, 17, 24 March = 5; LEI's: 10 March = 1
    assert.equal(rebuiltMdi, 5)
    assert.equal(rebuiltLei, 1)
    // days between sessions: P1 3 → 10 → 17 → 24 Mar: 7, 7, 7 (first sessions have none): national median 7.0
    assert.equal(await medianBetween(), '7.0')
    // the national histogram (the median's source) out of step: 5 gaps of 99 days on 2 March no establishment has
    await db.insertInto('stat_gaps_all').values({ day: '2026-03-02', gap_days: 99, n: 5 }).execute()
    // 7, 7, 7, 99, 99, 99, 99, 99: the median of 8 is (4th + 5th) ÷ 2 = (99 + 99) ÷ 2 = 99
    assert.equal(await medianBetween(), '99.0')
    assert.equal(await world.services.statistics.rebuild(mdi), 5)
    assert.equal(await medianBetween(), '99.0', 'one establishment’s rebuild leaves the rest of the histogram')
    // everything: 5 + 1 = 6 days, and the national histogram from the establishments' rows again
    assert.equal(await world.services.statistics.rebuild(), 6)
    assert.equal(await medianBetween(), '7.0')
  })

  // it lists the establishments through that transaction too: SQLite has one connection, which the transaction holds
  it(
    'rule: a full rebuild in the caller’s transaction does all its work there (rolled back, nothing changed)',
    { timeout: 20_000 },
    async () => {
      await db.insertInto('stat_gaps_all').values({ day: '2026-03-02', gap_days: 99, n: 5 }).execute()
      await assert.rejects(
        db.transaction().execute(async trx => {
          await world.services.statistics.rebuild(undefined, trx)
          throw new Error('roll back')
        }),
        /roll back/,
      )
      assert.equal(await medianBetween(), '99.0', 'as before the rolled back rebuild: the median of 7 ×3, 99 ×5')
      await db.transaction().execute(trx => world.services.statistics.rebuild(undefined, trx))
      assert.equal(await medianBetween(), '7.0')
    },
  )

  it('rule: a change with no dates (a draft) runs and changes no aggregate', async () => {
    const r = await db
      .transaction()
      .execute(trx =>
        world.services.statistics.changeSessions(
          trx,
          { establishmentId: lei, prisonerId: p3, dates: [null, undefined] },
          async () => 'changed',
        ),
      )
    assert.equal(r, 'changed')
  })

  it('rule: a session moved to a later day leaves its old day and counts on the new one', async () => {
    const lso = await signedIn(world, 'supervising_officer.lei')
    // P3's session moves from 10 Mar to 20 Mar: dates before and after, the earliest (10 Mar) read from
    await db
      .transaction()
      .execute(trx =>
        world.services.statistics.changeSessions(
          trx,
          { establishmentId: lei, prisonerId: p3, dates: ['2026-03-10', '2026-03-20'] },
          () =>
            trx
              .updateTable('key_work_sessions')
              .set({ session_date: '2026-03-20' })
              .where('id', '=', p3Session)
              .execute(),
        ),
      )
    const res = await lso.get(`/statistics?${qs()}`)
    assert.equal(current(res.text, 'delivered'), '1')
    // one session, in the week of 15–21 March; P3 28 days ÷ (2 weeks × 7) = 2.0 projected, 0.5 a week
    assert.deepEqual(
      tableRows(res.text, 'weekly-table').map(r => r.slice(0, 2)),
      [
        ['w/c 1 Mar', '0'],
        ['w/c 8 Mar', '0'],
        ['w/c 15 Mar', '1'],
        ['w/c 22 Mar', '0'],
      ],
    )
  })

  it('rule: the establishment scope reads the aggregates: a session written behind their back counts after refreshDay', async () => {
    const lso = await signedIn(world, 'supervising_officer.lei')
    const delivered = async () => current((await lso.get(`/statistics?${qs()}`)).text, 'delivered')
    await insertSession(lei, p3, l1, '2026-03-24') // not told to the statistics
    assert.equal(await delivered(), '1', 'the aggregates do not know the 24 March session yet')
    await db.transaction().execute(trx => world.services.statistics.refreshDay(trx, lei, '2026-03-24'))
    // 20 Mar and 24 Mar: 2
    assert.equal(await delivered(), '2')
  })

  it('rule: storeFrom writes an establishment’s aggregates from the sessions given, and returns the days written', async () => {
    const lso = await signedIn(world, 'supervising_officer.lei')
    const delivered = async () => current((await lso.get(`/statistics?${qs()}`)).text, 'delivered')
    // as after a bulk load that has inserted the sessions but not yet their aggregates
    await db.deleteFrom('stat_daily').where('establishment_id', '=', lei).execute()
    assert.equal(await delivered(), '0')
    const fact = (id: number, date: string) => ({
      id,
      prisonerId: p3,
      date,
      outcome: 'delivered',
      reason: null,
      private: 1,
      interpreterNeeded: 0,
      interpreterUsed: 0,
      precheckScore: null,
      receptionDate: '2026-01-01',
    })
    const ids = (
      await db
        .selectFrom('key_work_sessions')
        .select(['id', 'session_date'])
        .where('establishment_id', '=', lei)
        .execute()
    ).sort((a, b) => a.session_date!.localeCompare(b.session_date!))
    const written = await db.transaction().execute(trx =>
      world.services.statistics.storeFrom(
        trx,
        lei,
        ids.map(r => fact(r.id, r.session_date!)),
      ),
    )
    // two sessions on two days (20 and 24 March): 2 days written, 2 delivered
    assert.equal(written, 2)
    assert.equal(await delivered(), '2')
  })

  it('rule: an establishment newer than the cached list (made on another instance in the last 5 s) counts with weekly sessions, not an error', async () => {
    const page = () => national.get(`/statistics?${qs({ scope: 'national' })}`)
    assert.equal((await page()).status, 200) // the list of establishments is read (and kept a few seconds)
    const now = '2026-01-01T00:00:00.000Z'
    const { id } = await db
      .insertInto('establishments')
      .values({
        code: 'NEW',
        name: 'Newest (HMP)',
        category: 'Category C',
        region: 'North',
        enabled: 1,
        ratio: null,
        frequency_weeks: null,
        session_minutes: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await insertPrisoner(id, 4, null) // in custody since 1 Jan: eligible all 28 days
    const res = await page()
    assert.equal(res.status, 200)
    // eligible: MDI 56 + LEI 28 + the new one 28 = 112 prisoner-days ÷ 28 = 4.0
    assert.equal(current(res.text, 'eligible'), '4.0')
    // projected: MDI 56 ÷ 7 = 8 + LEI 28 ÷ 14 = 2 + the new one, weekly: 28 ÷ 7 = 4 → 14.0
    assert.equal(current(res.text, 'projected'), '14.0')
  })
})
