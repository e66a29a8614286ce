import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { type CompletionFact, type JournalFact, addMonthsIso, trainingStatus } from '../../domain/training'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { staffRecordSchema } from '../staff/schema'
import { signedIn, testWorld } from '../../../test/harness'
import { insertSession } from '../../../test/support/referrals'
import { addPrisoner, insertReview, must, userIdOf } from '../../../test/support/qualityFixtures'

// The training dashboard over a world worked by hand. Moorland (MDI, national rules: window 3 to 9 months, top-ups
// every 12 months, 6 CPD hours) has nine Key Workers, one at every stage, a Band 4 officer and an inactive Key Worker
// who do not count; Leeds (LEI) sets its own CPD target of 10 hours and has three Key Workers, and ten Band 4 officers
// who did the initial course two months ago with QA reviews before and after it. Every date is chosen from today.

const world = await testWorld()
after(() => world.close())
const s = world.services
const db = s.db.db
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const today = todayIso()
const months = (n: number) => addMonthsIso(today, n)
const actor = (est: number) => ({ ...SYSTEM_ACTOR, establishmentId: est })
await s.training.ensureNational()
await s.rubric.ensureNational()
await s.units.create(actor(MDI), MDI, { code: 'HB1', name: 'Houseblock 1', capacity: 100 })
await s.units.create(actor(LEI), LEI, { code: 'A', name: 'A wing', capacity: 100 })
// Leeds's own CPD target (the rules feature's table, within the national bounds of 6 to 40)
await db
  .insertInto('training_settings')
  .values({
    establishment_id: LEI,
    window_from_months: null,
    window_to_months: null,
    topup_months: null,
    cpd_hours: 10,
    untrained_allocation: null,
    updated_at: new Date().toISOString(),
    updated_by: 'fixture',
  })
  .execute()

let staffNo = 0
async function officer(
  est: number,
  lastName: string,
  o: { started: string | null; grade?: 'Band 3' | 'Band 4'; status?: 'active' | 'inactive' },
): Promise<number> {
  staffNo++
  return must(
    await s.staff.create(
      actor(est),
      est,
      staffRecordSchema.parse({
        staffNumber: `T${String(staffNo).padStart(4, '0')}`,
        firstName: 'Sam',
        lastName,
        grade: o.grade ?? 'Band 3',
        workingPattern: 'full_time',
        startedInPost: o.started ?? '',
        languages: 'English',
        status: o.status ?? 'active',
      }),
    ),
  )
}

/** Every completion written, by officer, for the cross-check against the domain over the full records. */
const written = new Map<number, CompletionFact[]>()
const journals = new Map<number, JournalFact[]>()
async function completion(
  est: number,
  staffId: number,
  c: { kind: CompletionFact['kind']; on: string; hours: number; outcome?: CompletionFact['outcome']; voided?: boolean },
) {
  const code = c.kind === 'initial' ? 'KW-INITIAL' : c.kind === 'topup' ? 'KW-TOPUP-MI' : `X-${c.kind}`
  await db
    .insertInto('training_completions')
    .values({
      establishment_id: est,
      staff_id: staffId,
      module_id: null,
      module_code: code,
      kind: c.kind,
      title: code,
      completed_on: c.on,
      hours: c.hours,
      outcome: c.outcome ?? 'completed',
      evidence: '',
      source: 'manual',
      course_id: null,
      external_id: null,
      recorded_at: new Date().toISOString(),
      recorded_by: 'fixture',
      voided_at: c.voided ? new Date().toISOString() : null,
      voided_by: c.voided ? 'fixture' : null,
      void_reason: c.voided ? 'Recorded against the wrong officer' : null,
    })
    .execute()
  if (!c.voided)
    written
      .set(staffId, written.get(staffId) ?? [])
      .get(staffId)!
      .push({ moduleCode: code, kind: c.kind, completedOn: c.on, hours: c.hours, outcome: c.outcome ?? 'completed' })
}
const kwUser = await userIdOf(db, 'key_worker.mdi')
async function journal(est: number, staffId: number, on: string, minutes: number) {
  const at = new Date().toISOString()
  await db
    .insertInto('reflective_entries')
    .values({
      establishment_id: est,
      staff_id: staffId,
      user_id: kwUser,
      form: 'short',
      title: 'Reflection',
      written_on: on,
      minutes,
      shared: 0,
      flags: '[]',
      created_at: at,
      updated_at: at,
    })
    .execute()
  journals
    .set(staffId, journals.get(staffId) ?? [])
    .get(staffId)!
    .push({ writtenOn: on, minutes })
}

// Moorland: one Key Worker at every stage
const A = await officer(MDI, 'Ash', { started: months(-1) }) // window opens in 2 months: not yet due; no CPD
const B = await officer(MDI, 'Birch', { started: months(-4) }) // in the window; 2 h of journal: under half
await journal(MDI, B, months(-1), 120)
const C = await officer(MDI, 'Cedar', { started: months(-10) }) // window closed a month ago: overdue; 3 h: half
await completion(MDI, C, { kind: 'cpd', on: months(-2), hours: 3 })
const D = await officer(MDI, 'Damson', { started: null }) // no start date; a 6 h local module: met
await completion(MDI, D, { kind: 'local', on: months(-3), hours: 6 })
const E = await officer(MDI, 'Elm', { started: months(-36) }) // trained 2 years ago, top-up 2 months ago: current
await completion(MDI, E, { kind: 'initial', on: months(-24), hours: 30 })
await completion(MDI, E, { kind: 'topup', on: months(-2), hours: 3 })
await journal(MDI, E, addDays(today, -10), 90) // 3 h + 1.5 h: half
await journal(MDI, E, months(-13), 600) // outside the year
const F = await officer(MDI, 'Fir', { started: months(-24) }) // trained 11½ months ago: top-up due in 15 days
const fOn = addDays(months(-12), 15)
await completion(MDI, F, { kind: 'initial', on: fOn, hours: 30 }) // 30 h: met
const G = await officer(MDI, 'Gorse', { started: months(-48) }) // top-up 14 months ago: expired; no CPD
await completion(MDI, G, { kind: 'initial', on: months(-36), hours: 30 })
await completion(MDI, G, { kind: 'topup', on: months(-14), hours: 2 })
await completion(MDI, G, { kind: 'topup', on: months(-1), hours: 3, voided: true })
const H = await officer(MDI, 'Hazel', { started: months(-48) }) // trained 3 years ago, again 6 months ago: current
await completion(MDI, H, { kind: 'initial', on: months(-36), hours: 30 })
await completion(MDI, H, { kind: 'initial', on: months(-6), hours: 30 }) // 30 h: met
const K = await officer(MDI, 'Kale', { started: months(-24) }) // failed the course a month ago: overdue; no CPD
await completion(MDI, K, { kind: 'initial', on: months(-1), hours: 30, outcome: 'failed' })
// not counted: a Band 4 officer (no caseload) and an inactive Key Worker
const I = await officer(MDI, 'Ivy', { started: months(-30), grade: 'Band 4' })
await completion(MDI, I, { kind: 'initial', on: months(-24), hours: 30 })
await officer(MDI, 'Juniper', { started: months(-24), status: 'inactive' })

// Leeds (target 10 h)
const L1 = await officer(LEI, 'Larch', { started: months(-12) }) // trained a month ago: current; 30 h: met
await completion(LEI, L1, { kind: 'initial', on: months(-1), hours: 30 })
const L2 = await officer(LEI, 'Lime', { started: months(-12) }) // overdue; 8 h: half of 10
await completion(LEI, L2, { kind: 'cpd', on: months(-1), hours: 8 })
const L3 = await officer(LEI, 'Linden', { started: months(-24) }) // trained 13 months ago: expired; 6 h: half of 10
await completion(LEI, L3, { kind: 'initial', on: months(-13), hours: 30 })
await completion(LEI, L3, { kind: 'cpd', on: months(-1), hours: 6 })

// Courses: Moorland's initial course in 10 days (2 places, both taken, one waiting), its top-up 60 days ago (4 places,
// 3 completed, 1 withdrew, 1 still "waiting" on a course that has run: not counted), a cancelled course and one 400
// days ago (neither counts); a Yorkshire regional course in 20 days (10 places, 5 taken); Leeds's course in 30 days (3
// places, all taken, 2 waiting).
const mod = async (code: string) => (await s.training.moduleByCode(code, null))!.id
async function course(
  c: { est: number | null; module: string; capacity: number; first: string; days?: number; status?: string },
  enrolments: [number, string][],
) {
  const at = new Date().toISOString()
  const { id } = await db
    .insertInto('training_courses')
    .values({
      module_id: await mod(c.module),
      establishment_id: c.est,
      region: c.est === null ? 'Yorkshire' : null,
      trainer_user_id: null,
      trainer: 'Trainer',
      place: 'Training room',
      capacity: c.capacity,
      status: c.status ?? 'scheduled',
      created_at: at,
      created_by: 'fixture',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (let i = 0; i < (c.days ?? 1); i++)
    await db
      .insertInto('training_course_days')
      .values({ course_id: Number(id), day: addDays(c.first, i), starts_at: '09:00', ends_at: '16:00' })
      .execute()
  for (const [staffId, status] of enrolments)
    await db
      .insertInto('training_enrolments')
      .values({
        course_id: Number(id),
        staff_id: staffId,
        status,
        enrolled_at: at,
        enrolled_by: 'fixture',
        waiting_since: status === 'waiting' ? at : null,
        updated_at: at,
        updated_by: 'fixture',
      })
      .execute()
}
await course({ est: MDI, module: 'KW-INITIAL', capacity: 2, first: addDays(today, 10), days: 5 }, [
  [A, 'enrolled'],
  [B, 'enrolled'],
  [C, 'waiting'],
])
await course({ est: MDI, module: 'KW-TOPUP-MI', capacity: 4, first: addDays(today, -60), status: 'completed' }, [
  [E, 'completed'],
  [F, 'completed'],
  [G, 'not_completed'],
  [H, 'withdrawn'],
  [K, 'waiting'],
])
await course({ est: MDI, module: 'KW-INITIAL', capacity: 10, first: addDays(today, 5), status: 'cancelled' }, [
  [D, 'cancelled'],
])
await course({ est: MDI, module: 'KW-INITIAL', capacity: 5, first: addDays(today, -400) }, [[D, 'completed']])
await course({ est: null, module: 'KW-TOPUP-MH', capacity: 10, first: addDays(today, 20) }, [
  [E, 'enrolled'],
  [F, 'enrolled'],
  [L1, 'enrolled'],
  [L2, 'enrolled'],
  [L3, 'enrolled'],
])

// QA before and after: Moorland's Fir has one review each side (too few to tell); Leeds's ten Band 4 officers did the
// initial course two months ago: eight went from 2 to 3, one stayed at 3, one from (2 and 4) to 3
const rubric = await s.rubric.current(MDI)
const soMDI = await userIdOf(db, 'supervising_officer.mdi')
const soLEI = await userIdOf(db, 'supervising_officer.lei')
const pMDI = await addPrisoner(s, MDI, { prisonNumber: 'A1111AA', lastName: 'One', unit: 'HB1' })
const pLEI = await addPrisoner(s, LEI, { prisonNumber: 'B1111BB', lastName: 'Two', unit: 'A' })
async function reviewed(est: number, staffId: number, on: string, overall: number, kind?: 'calibration') {
  const sessionId = await insertSession(db, {
    establishmentId: est,
    prisonerId: est === MDI ? pMDI : pLEI,
    staffId,
    author: 'fixture',
    sessionDate: on,
  })
  await insertReview(db, {
    establishmentId: est,
    sessionId,
    reviewerUserId: est === MDI ? soMDI : soLEI,
    rubricVersionId: rubric.versionId,
    overall,
    kind,
  })
}
await reviewed(MDI, F, addDays(fOn, -20), 2)
await reviewed(MDI, F, addDays(fOn, 20), 3)
const cOn = months(-2)
const leeds: number[] = []
for (let i = 0; i < 10; i++) {
  const id = await officer(LEI, `Band four ${i}`, { started: months(-30), grade: 'Band 4' })
  leeds.push(id)
  await completion(LEI, id, { kind: 'initial', on: cOn, hours: 30 })
  const before = i < 8 ? [2] : i === 8 ? [3] : [2, 4]
  for (const [j, score] of before.entries()) await reviewed(LEI, id, addDays(cOn, -30 - j), score)
  await reviewed(LEI, id, addDays(cOn, 10), 3)
}
await reviewed(LEI, leeds[0]!, addMonthsIso(cOn, -7), 1) // more than 6 months before: not counted
await reviewed(LEI, leeds[1]!, addDays(cOn, 5), 1, 'calibration') // a calibration mark: not counted
await reviewed(LEI, leeds[2]!, cOn, 1) // on the day of the course: neither side
// Leeds waits for its own course
await course({ est: LEI, module: 'KW-INITIAL', capacity: 3, first: addDays(today, 30), days: 5 }, [
  [L1, 'enrolled'],
  [L2, 'enrolled'],
  [L3, 'enrolled'],
  [leeds[0]!, 'waiting'],
  [leeds[1]!, 'waiting'],
])

const mdi = () => s.trainingDashboard.dashboard({ kind: 'establishment', establishmentId: MDI }, today)
const national = () => s.trainingDashboard.dashboard({ kind: 'national' }, today)

describe('training dashboard figures, counted by hand', () => {
  it('Moorland: initial course, top-ups, CPD bands, the officers below target', async () => {
    const d = await mdi()
    const t = d.total.tally
    assert.equal(t.keyWorkers, 9)
    assert.deepEqual(t.initial, { done: 4, in_window: 1, not_yet_due: 1, overdue: 2, no_start_date: 1 })
    assert.equal(t.trained, 4)
    assert.deepEqual(t.topup, { current: 2, expiring: 1, expired: 1 })
    assert.deepEqual(t.cpd, { none: 3, under_half: 1, half: 2, met: 3 })
    assert.equal(t.cpdMet, 3)
    assert.equal(t.cpdHours, 0 + 2 + 3 + 6 + 4.5 + 30 + 0 + 30 + 0)
    assert.deepEqual(
      d.belowTarget.map(o => [o.staffId, o.hours, o.target]),
      [
        [A, 0, 6],
        [G, 0, 6],
        [K, 0, 6],
        [B, 2, 6],
        [C, 3, 6],
        [E, 4.5, 6],
      ],
    )
    assert.deepEqual(d.targets, [6])
  })

  it('Leeds: its own CPD target of 10 hours', async () => {
    const d = await s.trainingDashboard.dashboard({ kind: 'establishment', establishmentId: LEI }, today)
    const t = d.total.tally
    assert.equal(t.keyWorkers, 3)
    assert.deepEqual(t.initial, { done: 2, in_window: 0, not_yet_due: 0, overdue: 1, no_start_date: 0 })
    assert.deepEqual(t.topup, { current: 1, expiring: 0, expired: 1 })
    assert.deepEqual(t.cpd, { none: 0, under_half: 0, half: 2, met: 1 })
    assert.deepEqual(
      d.belowTarget.map(o => [o.staffId, o.hours, o.target]),
      [
        [L3, 6, 10],
        [L2, 8, 10],
      ],
    )
    assert.deepEqual(d.targets, [10])
  })

  it('national: every establishment’s row as its own view, and the sum', async () => {
    const d = await national()
    assert.deepEqual(
      d.rows.map(r => r.code),
      ['LEI', 'MDI'],
    )
    const [own, leedsView] = await Promise.all([
      mdi(),
      s.trainingDashboard.dashboard({ kind: 'establishment', establishmentId: LEI }, today),
    ])
    assert.deepEqual(d.rows[1]!.tally, own.total.tally)
    assert.deepEqual(d.rows[0]!.tally, leedsView.total.tally)
    assert.equal(d.total.tally.keyWorkers, 12)
    assert.deepEqual(d.total.tally.initial, { done: 6, in_window: 1, not_yet_due: 1, overdue: 3, no_start_date: 1 })
    assert.deepEqual(d.total.tally.topup, { current: 3, expiring: 1, expired: 2 })
    assert.equal(d.total.tally.cpdMet, 4)
    assert.deepEqual(d.belowTarget, [], 'no officer list nationally')
    assert.deepEqual(d.targets, [6, 10])
  })

  it('each officer’s status is what the domain gives over their full records', async () => {
    const statuses = await s.trainingDashboard.statuses({ kind: 'national' }, today)
    const kws = [A, B, C, D, E, F, G, H, K, L1, L2, L3]
    assert.deepEqual(
      [...statuses.keys()].sort((a, b) => a - b),
      [...kws].sort((a, b) => a - b),
    )
    const rules = { MDI: await s.trainingRules.rulesFor(MDI), LEI: await s.trainingRules.rulesFor(LEI) }
    const started = new Map(
      (await db.selectFrom('staff').select(['id', 'started_in_post']).execute()).map(x => [
        Number(x.id),
        x.started_in_post,
      ]),
    )
    for (const id of kws) {
      const r = [L1, L2, L3].includes(id) ? rules.LEI : rules.MDI
      const expected = trainingStatus(r, started.get(id)!, written.get(id) ?? [], today, journals.get(id) ?? [])
      assert.deepEqual(statuses.get(id), expected, `officer ${id}`)
    }
  })

  it('courses: places taken, fill rates and waiting lists of the period', async () => {
    const d = await mdi()
    assert.deepEqual(d.total.courses, { courses: 3, capacity: 16, enrolled: 10, waiting: 1 })
    assert.deepEqual(
      d.courseList.map(c => [c.code, c.capacity, c.enrolled, c.waiting, c.runBy]),
      [
        ['KW-TOPUP-MI', 4, 3, 0, 'Moorland (HMP)'],
        ['KW-INITIAL', 2, 2, 1, 'Moorland (HMP)'],
        ['KW-TOPUP-MH', 10, 5, 0, 'Regional: Yorkshire'],
      ],
    )
    const n = await national()
    assert.deepEqual(n.rows[1]!.courses, { courses: 2, capacity: 6, enrolled: 5, waiting: 1 })
    assert.deepEqual(n.rows[0]!.courses, { courses: 1, capacity: 3, enrolled: 3, waiting: 2 })
    assert.deepEqual(n.total.courses, { courses: 4, capacity: 19, enrolled: 13, waiting: 3 })
  })

  it('QA before and after: too few in Moorland, a difference with its interval in Leeds', async () => {
    const from = addDays(months(-12), 1)
    const few = await s.trainingDashboard.beforeAfter({ kind: 'establishment', establishmentId: MDI }, from, today)
    assert.deepEqual([few.officers, few.paired, few.reviewsBefore, few.reviewsAfter], [1, 1, 1, 1])
    assert.equal(few.difference, null)
    assert.equal(few.meanBefore, null)
    const b = await s.trainingDashboard.beforeAfter({ kind: 'establishment', establishmentId: LEI }, from, today)
    // eleven officers trained in the year (Larch too, with no reviews); ten with reviews on both sides
    assert.deepEqual([b.officers, b.paired, b.reviewsBefore, b.reviewsAfter], [11, 10, 11, 10])
    // differences: eight of 1, two of 0: mean 0.8, sd √(1.6/9), t(9) = 2.262
    const half = (2.262 * Math.sqrt(1.6 / 9)) / Math.sqrt(10)
    assert.ok(Math.abs(b.difference!.estimate - 0.8) < 1e-9)
    assert.ok(Math.abs(b.difference!.low - (0.8 - half)) < 1e-9)
    assert.ok(Math.abs(b.meanBefore! - 2.2) < 1e-9 && Math.abs(b.meanAfter! - 3) < 1e-9)
  })
})

const cells = (html: string, id: string) => {
  const table = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr class="govuk-table__row"([^>]*)>([\s\S]*?)<\/tr>/g)]
    .filter(m => m[1])
    .map(m => [...m[2]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(c => c[1]!.replace(/<[^>]+>/g, '').trim()))
}

describe('training dashboard pages', () => {
  it('an SO sees their establishment: charts, tables and the officers below target', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    const res = await b.get('/training/dashboard')
    assert.equal(res.status, 200)
    assert.match(res.text, /<svg[^>]*role="img"[^>]*aria-labelledby="initial-chart-title initial-chart-desc"/)
    assert.match(res.text, /Of 9 Key Workers: Done, 4 \(44\.4%\); Due now, 1 \(11\.1%\)/)
    assert.deepEqual(cells(res.text, 'initial-table'), [
      ['Done', '4', '44.4%'],
      ['Due now', '1', '11.1%'],
      ['Not yet due', '1', '11.1%'],
      ['Overdue', '2', '22.2%'],
      ['No start date recorded', '1', '11.1%'],
    ])
    assert.deepEqual(
      cells(res.text, 'below-target-table').map(r => r[0]),
      ['Ash, Sam', 'Gorse, Sam', 'Kale, Sam', 'Birch, Sam', 'Cedar, Sam', 'Elm, Sam'],
    )
    assert.match(res.text, /Too few to tell: 1 officer has reviews both before and after/)
    assert.match(res.text, /href="\/quality"/)
    // no raw values in what the page shows (its text, not its attributes)
    assert.doesNotMatch(
      res.text.replace(/<[^>]+>/g, ''),
      /undefined|NaN|\[object Object\]|in_window|not_yet_due|no_start_date|under_half/,
    )
  })

  it('another establishment’s id is not found, and the refusal is audited', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('audit_events')
            .select(eb => eb.fn.countAll().as('n'))
            .where('action', '=', 'refused')
            .where('entity', '=', 'training_dashboard')
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    assert.equal((await b.get(`/training/dashboard?establishment=${LEI}`)).status, 404)
    assert.equal((await b.get(`/training/dashboard.csv?establishment=${LEI}`)).status, 404)
    assert.equal(await count(), before + 2)
    assert.equal((await b.get(`/training/dashboard?establishment=${MDI}`)).status, 200)
    const admin = await signedIn(world, 'establishment_admin.lei')
    const csv = await admin.get('/training/dashboard.csv')
    assert.equal(csv.text.split('\r\n')[2]!.split(',')[0], 'LEI')
    assert.equal((await admin.get(`/training/dashboard?establishment=${MDI}`)).status, 404)
  })

  it('the national team: all establishments, or one; an unknown id is not found', async () => {
    const np = await signedIn(world, 'national')
    const all = await np.get('/training/dashboard?establishment=all&months=12')
    assert.equal(all.status, 200)
    assert.deepEqual(
      cells(all.text, 'establishments-table').map(r => r.slice(0, 3)),
      [
        ['Leeds (HMP)', '3', '66.7%'],
        ['Moorland (HMP)', '9', '44.4%'],
        ['All establishments', '12', '50.0%'],
      ],
    )
    assert.doesNotMatch(all.text, /below-target-table/)
    const leeds = await np.get(`/training/dashboard?establishment=${LEI}`)
    assert.equal(leeds.status, 200)
    assert.match(leeds.text, /Scores were higher after the initial course/)
    assert.match(leeds.text, /\+0\.80 \(0\.50 to 1\.10\)/)
    assert.equal((await np.get('/training/dashboard?establishment=999999')).status, 404)
  })

  it('the CSV’s rows are the table’s rows', async () => {
    const np = await signedIn(world, 'national')
    const page = await np.get('/training/dashboard?establishment=all')
    const csv = await np.get('/training/dashboard.csv?establishment=all')
    assert.equal(csv.status, 200)
    assert.match(String(csv.headers['content-type']), /^text\/csv/)
    assert.match(String(csv.headers['content-disposition']), new RegExp(`key-work-training-all-${today}\\.csv`))
    const lines = csv.text.split('\r\n').filter(Boolean)
    assert.match(lines[1]!, /^Establishment code,Establishment,Key Workers,Initial course: Done,/)
    const table = cells(page.text, 'establishments-table')
    const header = lines[1]!.split(',')
    const col = (name: string) => header.indexOf(name)
    const rows = lines.slice(2).map(l => l.split(','))
    assert.equal(rows.length, table.length)
    const pc = (v: string) => (v === '' ? 'None' : `${Number(v).toFixed(1)}%`)
    rows.forEach((r, i) => {
      const t = table[i]!
      assert.equal(r[1], t[0])
      assert.deepEqual(
        [
          r[col('Key Workers')],
          pc(r[col('Initial course: Done (%)')]!),
          pc(r[col('Initial course: Due now (%)')]!),
          pc(r[col('Initial course: Not yet due (%)')]!),
          pc(r[col('Initial course: Overdue (%)')]!),
          pc(r[col('Initial course: No start date recorded (%)')]!),
          pc(r[col('Top-up: Current (% of trained)')]!),
          pc(r[col('Top-up: Expiring soon (% of trained)')]!),
          pc(r[col('Top-up: Expired (% of trained)')]!),
          pc(r[col('CPD target met (%)')]!),
          pc(r[col('Fill rate (%)')]!),
          r[col('Waiting')],
        ],
        t.slice(1),
        `row ${i}`,
      )
    })
    assert.deepEqual(
      rows.map(r => r[0]),
      ['LEI', 'MDI', ''],
    )
    assert.equal(rows[1]![col('Initial course: Done')], '4')
  })

  it('refuses Key Workers', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    for (const path of ['/training/dashboard', '/training/dashboard.csv'])
      assert.equal((await kw.get(path)).status, 403, path)
  })
})

describe('the national count in SQL agrees with the officers’ own statuses at every boundary', () => {
  it('windows opening and closing today, top-ups due around today, month ends and leap days, CPD at the target', async () => {
    const created = await s.establishments.create(SYSTEM_ACTOR, {
      code: 'BND',
      name: 'Boundary (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
    })
    assert.ok(created.ok)
    const BND = created.value
    const starts = [
      months(-3),
      addDays(months(-3), 1),
      addDays(months(-3), -1),
      months(-9),
      addDays(months(-9), 1),
      addDays(months(-9), -1),
      '2024-02-29',
      '2025-08-31',
      '2025-05-31',
      '2026-01-31',
      addDays(today, -1),
    ].filter(d => d <= today)
    for (const [i, started] of starts.entries()) await officer(BND, `Start ${i}`, { started })
    // the initial course a year ago, give or take: the top-up due from 31 days ago to 31 days ahead
    for (const k of [-31, -30, -29, -1, 0, 1, 29, 30, 31]) {
      const id = await officer(BND, `Due ${k}`, { started: months(-30) })
      await completion(BND, id, { kind: 'initial', on: addDays(months(-12), k), hours: 0.5 })
    }
    // CPD around the target of 6: 3 h, 2.9 h, 5 h 59 min, 5 h + 60 min, 6 h of journal alone
    for (const [hours, minutes] of [
      [3, 0],
      [2.9, 0],
      [5, 59],
      [5, 60],
      [0, 360],
    ] as const) {
      const id = await officer(BND, `Hours ${hours} ${minutes}`, { started: null })
      if (hours) await completion(BND, id, { kind: 'cpd', on: months(-1), hours })
      if (minutes) await journal(BND, id, months(-1), minutes)
    }
    const [n, own] = await Promise.all([
      national(),
      s.trainingDashboard.dashboard({ kind: 'establishment', establishmentId: BND }, today),
    ])
    const row = n.rows.find(r => r.code === 'BND')!
    assert.equal(row.tally.keyWorkers, starts.length + 9 + 5)
    assert.deepEqual(row.tally, own.total.tally)
    // by hand: top-ups due 31, 30, 29 days and 1 day ago have expired; due today and up to 30 days ahead, expiring;
    // 31 days ahead, current. CPD: the initial courses of a year ago count their half hour from the day after, so five
    // have none and four under half, with 2.9 h; 3 h and 5 h 59 min (5.98 h) are half; 6 h either way is met
    assert.deepEqual(row.tally.topup, { current: 1, expiring: 4, expired: 4 })
    assert.deepEqual(row.tally.cpd, { none: starts.length + 5, under_half: 5, half: 2, met: 2 })
  })
})
