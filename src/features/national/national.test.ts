import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { signedIn, testWorld } from '../../../test/harness'
import { historyFromRecords } from '../../../test/support/statisticsFixtures'
import { insertReview, userIdOf } from '../../../test/support/qualityFixtures'
import { setClock } from '../../domain/clock'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { trendInWords } from './service'

// A world of three establishments small enough to count every figure of the overview by hand. Today is Saturday
// 28 March 2026: the delivery window is 1 to 28 March (28 days), the trend's months October 2025 to March 2026, the
// QA window entries from 1 January 2026. Every expected figure below is worked out in the comments beside it.

setClock('2026-03-28T12:00:00.000Z')
const world = await testWorld()
after(async () => {
  setClock(null)
  await world.close()
})
const s = world.services
const db = s.db.db
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const created = await s.establishments.create(SYSTEM_ACTOR, {
  code: 'WYI',
  name: 'Wymott (HMP)',
  category: 'Category C',
  region: 'North West',
})
assert.ok(created.ok)
const WYI = created.value
// MDI sees its men weekly, LEI fortnightly; ratios (within the national bounds, 4 to 10) set so that capacity is
// counted by hand
await db.updateTable('establishments').set({ frequency_weeks: 1, ratio: 6 }).where('id', '=', MDI).execute()
await db.updateTable('establishments').set({ frequency_weeks: 2, ratio: 4 }).where('id', '=', LEI).execute()
await db.updateTable('establishments').set({ frequency_weeks: 1, ratio: 6 }).where('id', '=', WYI).execute()
await s.rubric.ensureNational()
await s.training.ensureNational()
const rubricVersionId = Number((await db.selectFrom('qa_rubric_versions').select('id').executeTakeFirstOrThrow()).id)
const reviewer = await userIdOf(db, 'supervising_officer.mdi')

let n = 0
async function officer(est: number) {
  n++
  const at = '2025-01-01T00:00:00.000Z'
  const r = await db
    .insertInto('staff')
    .values({
      establishment_id: est,
      staff_number: `N${String(n).padStart(4, '0')}`,
      first_name: 'Officer',
      last_name: `Number ${n}`,
      grade: 'Band 3',
      email: null,
      working_pattern: 'full_time',
      weekly_hours: 37,
      started_in_post: '2025-01-01',
      key_worker: 1,
      languages: '',
      status: 'active',
      status_return_date: null,
      home_unit_id: null,
      user_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

async function prisoner(est: number, complexity = 'low') {
  n++
  const at = '2026-02-01T00:00:00.000Z'
  const r = await db
    .insertInto('prisoners')
    .values({
      prison_number: `A${1000 + n}AA`,
      first_name: 'Hand',
      last_name: `Counted ${n}`,
      date_of_birth: '1990-01-01',
      establishment_id: est,
      unit_id: null,
      cell: null,
      reception_date: '2026-02-01',
      release_date: null,
      status: 'in',
      complexity,
      first_language: 'English',
      interpreter_needed: 0,
      nationality: 'British',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await historyFromRecords(db, [r.id])
  return r.id
}

async function allocate(est: number, prisonerId: number, staffId: number) {
  await db
    .insertInto('allocations')
    .values({
      establishment_id: est,
      prisoner_id: prisonerId,
      staff_id: staffId,
      allocated_at: '2026-02-01T09:00:00.000Z',
      allocated_by: 'test',
      allocation_reason: 'manual',
      deallocated_at: null,
      deallocated_by: null,
      deallocation_reason: null,
      deallocation_note: null,
      handover_note: null,
    })
    .execute()
}

async function session(
  est: number,
  prisonerId: number,
  staffId: number,
  date: string,
  o: { private?: number; needed?: number; used?: number | null } = {},
) {
  const at = `${date}T12:00:00.000Z`
  const r = await db
    .insertInto('key_work_sessions')
    .values({
      establishment_id: est,
      prisoner_id: prisonerId,
      staff_id: staffId,
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
      location: 'hub_room',
      hub_booking_id: null,
      private: o.private ?? 1,
      interpreter_needed: o.needed ?? 0,
      interpreter_used: o.used === undefined ? 0 : o.used,
      interpreter_service: null,
      interpreter_booking_ref: null,
      interpreter_language: null,
      interpreter_why_not: null,
      pathways: '',
      concern: 0,
      concern_escalated_to: null,
      prisoner_words: 'Said things',
      agreed: null,
      client_key: `national-${n++}`,
      created_at: at,
      updated_at: at,
      submitted_at: at,
      deleted_at: null,
      deleted_by: null,
      deleted_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

async function referral(est: number, prisonerId: number, sessionId: number, day: string, status: string) {
  const at = `${day}T11:00:00.000Z`
  await db
    .insertInto('referrals')
    .values({
      establishment_id: est,
      prisoner_id: prisonerId,
      session_id: sessionId,
      service_id: null,
      stakeholder: 'pom',
      note: null,
      status,
      follow_up_date: null,
      created_at: at,
      created_by: 'test',
      updated_at: at,
      updated_by: null,
    })
    .execute()
}

async function completion(est: number, staffId: number, kind: 'initial' | 'cpd', on: string, hours: number) {
  await db
    .insertInto('training_completions')
    .values({
      establishment_id: est,
      staff_id: staffId,
      module_id: null,
      module_code: kind === 'initial' ? 'KW-INITIAL' : 'X-cpd',
      kind,
      title: kind,
      completed_on: on,
      hours,
      outcome: 'completed',
      evidence: '',
      source: 'manual',
      course_id: null,
      external_id: null,
      recorded_at: '2026-03-01T00:00:00.000Z',
      recorded_by: 'fixture',
      voided_at: null,
      voided_by: null,
      void_reason: null,
    })
    .execute()
}

async function hub(est: number, rooms: { private: number; active: number }[]) {
  const at = '2026-01-01T00:00:00.000Z'
  const h = await db
    .insertInto('hubs')
    .values({
      establishment_id: est,
      name: `Hub ${n++}`,
      unit_id: null,
      opens_at: '08:00',
      closes_at: '17:00',
      active: 1,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const r of rooms)
    await db
      .insertInto('hub_rooms')
      .values({
        establishment_id: est,
        hub_id: h.id,
        name: `Room ${n++}`,
        kind: r.private ? 'room' : 'desk',
        is_private: r.private,
        has_computer: 0,
        has_phone: 0,
        active: r.active,
        created_at: at,
        updated_at: at,
      })
      .execute()
}

// ---- Moorland (MDI), Category B local, Yorkshire: weekly sessions, ratio 6
const m1 = await officer(MDI)
const m2 = await officer(MDI)
const p1 = await prisoner(MDI)
const p2 = await prisoner(MDI, 'medium')
await prisoner(MDI, 'high') // not eligible: high complexity of need
await allocate(MDI, p1, m1)
await allocate(MDI, p2, m2)
// March: P1 4 sessions in private; P2 2 sessions not in private, both needing an interpreter, one with one
const mar: number[] = []
for (const d of ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']) mar.push(await session(MDI, p1, m1, d))
mar.push(await session(MDI, p2, m2, '2026-03-10', { private: 0, needed: 1, used: 1 }))
mar.push(await session(MDI, p2, m2, '2026-03-24', { private: 0, needed: 1, used: 0 }))
// February: 4 sessions
for (const d of ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23']) await session(MDI, p1, m1, d)
// an entry of December (before the QA window), reviewed in March: its review is not counted
const december = await session(MDI, p1, m1, '2025-12-15')
// referrals made in March: done, acknowledged, acknowledged, sent → 3 of 4 followed up
await referral(MDI, p1, mar[0]!, '2026-03-02', 'done')
await referral(MDI, p1, mar[1]!, '2026-03-09', 'acknowledged')
await referral(MDI, p2, mar[4]!, '2026-03-10', 'acknowledged')
await referral(MDI, p2, mar[5]!, '2026-03-24', 'sent')
// QA: three March entries scored 3, 4 and 2; the December entry scored 1 (outside the window)
for (const [i, overall] of [
  [0, 3],
  [1, 4],
  [2, 2],
] as const)
  await insertReview(db, {
    establishmentId: MDI,
    sessionId: mar[i]!,
    reviewerUserId: reviewer,
    rubricVersionId,
    overall,
    submittedAt: '2026-03-27T10:00:00.000Z',
  })
await insertReview(db, {
  establishmentId: MDI,
  sessionId: december,
  reviewerUserId: reviewer,
  rubricVersionId,
  overall: 1,
  submittedAt: '2026-03-27T10:00:00.000Z',
})
// training: officer 1 did the initial course and 12 hours of CPD (the national target is 6); officer 2 nothing
await completion(MDI, m1, 'initial', '2025-03-01', 30)
await completion(MDI, m1, 'cpd', '2026-03-18', 12)
// one active hub: a private room, a desk that is not private, and an inactive private room
await hub(MDI, [
  { private: 1, active: 1 },
  { private: 0, active: 1 },
  { private: 1, active: 0 },
])

// ---- Leeds (LEI), Category B local, Yorkshire: fortnightly sessions, ratio 4, one Key Worker with capacity 2
const l1 = await officer(LEI)
// its capacity set by hand to 2 (an admin's override), below the ratio's 4
await db.updateTable('staff').set({ capacity_override: 2 }).where('id', '=', l1).execute()
const q1 = await prisoner(LEI)
const q2 = await prisoner(LEI)
await allocate(LEI, q1, l1)
await allocate(LEI, q2, l1)
const leiMar = [
  await session(LEI, q1, l1, '2026-03-05'),
  await session(LEI, q1, l1, '2026-03-19'),
  await session(LEI, q2, l1, '2026-03-12'),
  await session(LEI, q2, l1, '2026-03-26'),
]
await session(LEI, q1, l1, '2026-02-10')
await session(LEI, q2, l1, '2026-02-17')
for (const i of [0, 1])
  await insertReview(db, {
    establishmentId: LEI,
    sessionId: leiMar[i]!,
    reviewerUserId: reviewer,
    rubricVersionId,
    overall: 2,
    submittedAt: '2026-03-27T10:00:00.000Z',
  })

// ---- Wymott (WYI), Category C, North West: one Key Worker, no men, nothing recorded
await officer(WYI)

await s.statistics.rebuild()

// ---- The figures by hand.
// Eligible prisoner-days in March (1–28): MDI P1 and P2 (P3 is high complexity) 2 × 28 = 56; LEI 2 × 28 = 56.
// Projected: MDI 56 ÷ (1 × 7) = 8; LEI 56 ÷ (2 × 7) = 4. Delivered: MDI 6, LEI 4.
// Compliance: MDI 6 ÷ 8 = 75% (amber: 70 ≤ 75 < 85); LEI 4 ÷ 4 = 100% (green); WYI no one eligible: no figure.
// February (28 days, receptions on the 1st): MDI 4 ÷ 8 = 50%; LEI 2 ÷ 4 = 50%. Earlier months: no one in custody.
// Seen in 28 days: MDI 2 of 2 = 100%, LEI 2 of 2 = 100% (green).
// QA: MDI scores 3, 4, 2: mean 3, sd √(((0)² + 1² + (−1)²) ÷ 2) = 1, half-width t95(2) × 1 ÷ √3 = 4.303 ÷ 1.732 =
//   2.484 → 0.52 to 5.48; green exactly at 3. LEI 2, 2: mean 2, sd 0 → 2.00 to 2.00, red (below 2.5).
// Initial course: MDI 1 of 2 = 50% (red, below 75); LEI 0 of 1 = 0%; WYI 0 of 1 = 0%.
// CPD (target 6 hours): MDI 1 of 2 = 50% (red, below 60); LEI 0%; WYI 0%.
// Interpreter: MDI 1 used of 2 needed = 50% (red); LEI none needed: no figure.
// Referrals: MDI 3 of 4 = 75% (amber: 60 ≤ 75 < 80); LEI none: no figure.
// Caseload: MDI 2 men ÷ (6 + 6) = 16.7% (green, at or below 90); LEI 2 ÷ 2 = 100% (amber exactly at 100);
//   WYI 0 ÷ 6 = 0% (green).
// Held in private: MDI 4 of 6 = 66.7% (amber); LEI 4 of 4 = 100% (green).
// Hubs: MDI 1 hub, 1 private room (the desk is not private, the other room is inactive); LEI and WYI none.

const national = await signedIn(world, 'national')

/** The cells of an establishment's row on the overview page, by measure: figure and RAG words. */
function rowOf(page: string, code: string) {
  const m = new RegExp(`<tr class="govuk-table__row" data-code="${code}">([\\s\\S]*?)</tr>`).exec(page)
  assert.ok(m, `a row for ${code}`)
  const cells: Record<string, string> = {}
  for (const c of m[1]!.matchAll(/<td[^>]*data-measure="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g))
    cells[c[1]!] = c[2]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  return cells
}
const codesIn = (page: string) => [...page.matchAll(/data-code="([A-Z]+)"/g)].map(m => m[1])

describe('the national overview', () => {
  it('shows every measure of each establishment with its RAG status, as counted by hand', async () => {
    const page = (await national.get('/national')).text
    const mdi = rowOf(page, 'MDI')
    assert.equal(mdi.compliance, '75% Amber')
    assert.equal(mdi.seen28, '100% Green')
    assert.equal(mdi.qa_score, '3.00 Green 95% interval 0.52 to 5.48, 3 reviews')
    assert.equal(mdi.initial_course, '50% Red')
    assert.equal(mdi.cpd, '50% Red')
    assert.equal(mdi.interpreter, '50% Red')
    assert.equal(mdi.referrals, '75% Amber')
    assert.equal(mdi.caseload, '16.7% Green 2 Key Workers; 2 men, capacity 12')
    assert.equal(mdi.private, '66.7% Amber 1 hub, 1 private room')
    assert.match(mdi.trend!, /Up 25 points: 50% in February 2026 to 75% in March 2026/)

    const lei = rowOf(page, 'LEI')
    assert.equal(lei.compliance, '100% Green')
    assert.equal(lei.qa_score, '2.00 Red 95% interval 2.00 to 2.00, 2 reviews')
    assert.equal(lei.initial_course, '0% Red')
    assert.equal(lei.interpreter, '– Not enough data none to count')
    assert.equal(lei.referrals, '– Not enough data none to count')
    assert.equal(lei.caseload, '100% Amber 1 Key Worker; 2 men, capacity 2')
    assert.equal(lei.private, '100% Green 0 hubs, 0 private rooms')
    assert.match(lei.trend!, /Up 50 points: 50% in February 2026 to 100% in March 2026/)

    const wyi = rowOf(page, 'WYI')
    assert.equal(wyi.compliance, '– Not enough data none to count')
    assert.equal(wyi.qa_score, '– Not enough data 0 reviews: at least 2 are needed')
    assert.equal(wyi.caseload, '0% Green 1 Key Worker; 0 men, capacity 6')
    assert.equal(wyi.private, '– Not enough data 0 hubs, 0 private rooms; no sessions to count')
    assert.match(wyi.trend!, /Not enough months with a figure/)

    // the rules in words, the national work links, a drill-down to the establishment and to its statistics
    assert.match(page, /Green at 85% or more, amber at 70% or more, red below/)
    assert.match(page, /Green at 90% or less, amber at 100% or less, red above/)
    for (const href of ['/national/thresholds', '/bulletins', '/bulletins/reach', '/good-practice/submissions'])
      assert.ok(page.includes(`href="${href}"`), href)
    for (const href of ['/questions', '/trials', '/survey/rounds', '/recruitment'])
      assert.ok(page.includes(`href="${href}"`), href)
    assert.match(page, /name="establishment" value="LEI"/)
    assert.match(page, /name="next" value="\/statistics"/)
  })

  it('is the national user’s home page until they choose an establishment', async () => {
    const page = (await national.get('/')).text
    assert.equal(rowOf(page, 'MDI').compliance, '75% Amber')
  })

  it('sorts by any measure both ways, men without a figure last', async () => {
    assert.deepEqual(codesIn((await national.get('/national')).text), ['LEI', 'MDI', 'WYI']) // by name
    // compliance: MDI 75, LEI 100, WYI none
    assert.deepEqual(codesIn((await national.get('/national?sort=compliance&order=asc')).text), ['MDI', 'LEI', 'WYI'])
    assert.deepEqual(codesIn((await national.get('/national?sort=compliance&order=desc')).text), ['LEI', 'MDI', 'WYI'])
    // caseload: WYI 0, MDI 16.7, LEI 100
    assert.deepEqual(codesIn((await national.get('/national?sort=caseload&order=asc')).text), ['WYI', 'MDI', 'LEI'])
    assert.deepEqual(codesIn((await national.get('/national?sort=caseload&order=desc')).text), ['LEI', 'MDI', 'WYI'])
    // an unknown column sorts by name
    assert.deepEqual(codesIn((await national.get('/national?sort=nonsense')).text), ['LEI', 'MDI', 'WYI'])
    // the sorted column's link turns the order round, and says so
    const page = (await national.get('/national?sort=compliance&order=asc')).text
    assert.match(page, /aria-sort="ascending"><a class="govuk-link" href="\/national\?sort=compliance&amp;order=desc"/)
  })

  it('filters by category and region, keeping the sort', async () => {
    assert.deepEqual(codesIn((await national.get('/national?category=Category+C')).text), ['WYI'])
    assert.deepEqual(codesIn((await national.get('/national?region=Yorkshire')).text), ['LEI', 'MDI'])
    assert.deepEqual(codesIn((await national.get('/national?region=Yorkshire&sort=compliance&order=asc')).text), [
      'MDI',
      'LEI',
    ])
    assert.deepEqual(codesIn((await national.get('/national?category=Category+C&region=Yorkshire')).text), [])
    // an unknown category is ignored, not an error
    assert.deepEqual(codesIn((await national.get('/national?category=Nonsense')).text), ['LEI', 'MDI', 'WYI'])
  })

  it('gives the same rows as CSV, with the RAG in words', async () => {
    const res = await national.get('/national.csv?region=Yorkshire&sort=compliance&order=asc')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /text\/csv/)
    const lines = res.text.split('\r\n')
    assert.equal(
      lines[0],
      'Establishment,Code,Category,Region,Compliance (%),Compliance RAG,Seen in 28 days (%),Seen in 28 days RAG,' +
        'QA score,QA score RAG,Initial course (%),Initial course RAG,CPD (%),CPD RAG,Interpreter used (%),' +
        'Interpreter used RAG,Referrals followed up (%),Referrals followed up RAG,Caseload against capacity (%),' +
        'Caseload against capacity RAG,Held in private (%),Held in private RAG,QA score 95% interval low,' +
        'QA score 95% interval high,QA reviews,Key Workers,Men allocated,Capacity,Hubs,Private rooms,Compliance trend',
    )
    assert.equal(
      lines[1],
      'Moorland (HMP),MDI,Category B local,Yorkshire,75,Amber,100,Green,3,Green,50,Red,50,Red,50,Red,75,Amber,' +
        '16.7,Green,66.7,Amber,0.52,5.48,3,2,2,12,1,1,Up 25 points: 50% in February 2026 to 75% in March 2026',
    )
    assert.equal(
      lines[2],
      'Leeds (HMP),LEI,Category B local,Yorkshire,100,Green,100,Green,2,Red,0,Red,0,Red,,Not enough data,,' +
        'Not enough data,100,Amber,100,Green,2,2,2,1,2,2,0,0,Up 50 points: 50% in February 2026 to 100% in March 2026',
    )
    assert.equal(lines[3], '') // the rules follow the rows
    assert.equal(lines[4], 'Compliance rule,"Green at 85% or more, amber at 70% or more, red below"')
  })

  it('is for the national team only', async () => {
    for (const user of ['supervising_officer.mdi', 'establishment_admin.mdi', 'key_worker.mdi']) {
      const b = await signedIn(world, user)
      for (const path of ['/national', '/national.csv', '/national/thresholds'])
        assert.equal((await b.get(path)).status, 403, `${user} ${path}`)
    }
  })
})

describe('the RAG thresholds', () => {
  const form = (over: Record<string, string> = {}) => ({
    'compliance-green': '85',
    'compliance-amber': '70',
    'compliance-direction': 'higher',
    'seen28-green': '90',
    'seen28-amber': '75',
    'seen28-direction': 'higher',
    'qa_score-green': '3',
    'qa_score-amber': '2.5',
    'qa_score-direction': 'higher',
    'initial_course-green': '90',
    'initial_course-amber': '75',
    'initial_course-direction': 'higher',
    'cpd-green': '80',
    'cpd-amber': '60',
    'cpd-direction': 'higher',
    'interpreter-green': '90',
    'interpreter-amber': '75',
    'interpreter-direction': 'higher',
    'referrals-green': '80',
    'referrals-amber': '60',
    'referrals-direction': 'higher',
    'caseload-green': '90',
    'caseload-amber': '100',
    'caseload-direction': 'lower',
    'private-green': '80',
    'private-amber': '60',
    'private-direction': 'higher',
    ...over,
  })
  const stored = () => db.selectFrom('national_thresholds').selectAll().orderBy('measure').execute()
  const audits = async () =>
    Number(
      (
        await db
          .selectFrom('audit_events')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('entity', '=', 'national_threshold')
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('shows each rule in words, with the defaults of the migration', async () => {
    const page = (await national.get('/national/thresholds')).text
    assert.match(page, /Green at 3 or more, amber at 2.5 or more, red below/)
    assert.match(page, /The default, never changed/)
  })

  it('lists every problem at once and saves nothing', async () => {
    const before = await stored()
    const auditsBefore = await audits()
    const res = await national.post(
      '/national/thresholds',
      form({
        'compliance-amber': '86', // above green when higher is better
        'seen28-green': '', // blank
        'cpd-green': '150', // out of range
        'caseload-amber': '80', // below green when lower is better
        'private-direction': 'sideways',
      }),
    )
    assert.equal(res.status, 303)
    const page = (await national.get('/national/thresholds')).text
    assert.match(page, /There is a problem/)
    assert.match(page, /Compliance: amber must be at or below green when higher is better/)
    assert.match(page, /Enter green for seen in 28 days/)
    assert.match(page, /CPD: green must be between 0% and 100%/)
    assert.match(page, /Caseload against capacity: amber must be at or above green when lower is better/)
    assert.match(page, /Choose whether higher or lower is better for held in private/)
    assert.deepEqual(await stored(), before)
    assert.equal(await audits(), auditsBefore)
    // an empty form: an error, nothing saved
    await national.post('/national/thresholds', {})
    assert.match((await national.get('/national/thresholds')).text, /There is a problem/)
    assert.deepEqual(await stored(), before)
  })

  it('saves a change, audited with who and when, and the overview follows it at the boundary', async () => {
    const auditsBefore = await audits()
    const res = await national.post('/national/thresholds', form({ 'compliance-green': '75' }))
    assert.equal(res.status, 303)
    const row = (await stored()).find(r => r.measure === 'compliance')!
    assert.equal(Number(row.green), 75)
    assert.equal(row.updated_by, 'national')
    assert.equal(row.updated_at, '2026-03-28T12:00:00.000Z')
    // only the measure that changed is audited
    assert.equal(await audits(), auditsBefore + 1)
    // MDI's 75% is now green: exactly at the new green
    assert.equal(rowOf((await national.get('/national')).text, 'MDI').compliance, '75% Green')
    assert.match((await national.get('/national/thresholds')).text, /Last changed by national on 28 March 2026/)
    await national.post('/national/thresholds', form())
    assert.equal(rowOf((await national.get('/national')).text, 'MDI').compliance, '75% Amber')
  })

  it('refuses everyone but the national team', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const res = await so.post('/national/thresholds', form({ 'compliance-green': '10' }), '/quality')
    assert.equal(res.status, 403)
    assert.equal(Number((await stored()).find(r => r.measure === 'compliance')!.green), 85)
  })
})

describe('an establishment against the national picture', () => {
  /** figure and RAG of each column of a measure's row */
  function measureRow(page: string, label: string) {
    const m = new RegExp(
      `<th scope="row" class="govuk-table__header">${label}<span[\\s\\S]*?</th>([\\s\\S]*?)</tr>`,
    ).exec(page)
    assert.ok(m, label)
    return [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(c =>
      c[1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
  }

  it('shows MDI beside its category and every establishment, pooled', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    const page = (await so.get('/comparison')).text
    assert.match(page, /pooled rates/)
    // Category B local = MDI + LEI; national = MDI + LEI + WYI
    // compliance (6 + 4) ÷ (8 + 4) = 83.3% amber; WYI adds nothing
    assert.deepEqual(measureRow(page, 'Compliance').slice(0, 3), ['75% Amber', '83.3% Amber', '83.3% Amber'])
    // QA: MDI [3, 4, 2] with LEI [2, 2]: (3 + 4 + 2 + 2 + 2) ÷ 5 = 2.6, amber (2.5 ≤ 2.6 < 3)
    assert.match(measureRow(page, 'QA score')[1]!, /^2\.60 Amber/)
    // initial course: category (1 + 0) ÷ (2 + 1) = 33.3%; national (1 + 0 + 0) ÷ (2 + 1 + 1) = 25%
    assert.deepEqual(measureRow(page, 'Initial course').slice(0, 3), ['50% Red', '33.3% Red', '25% Red'])
    // caseload: category (2 + 2) ÷ (12 + 2) = 28.6%; national (2 + 2 + 0) ÷ (12 + 2 + 6) = 20%
    assert.deepEqual(measureRow(page, 'Caseload against capacity').slice(0, 3), [
      '16.7% Green',
      '28.6% Green',
      '20% Green',
    ])
    // held in private: (4 + 4) ÷ (6 + 4) = 80%, green exactly at 80
    assert.deepEqual(measureRow(page, 'Held in private').slice(0, 3), ['66.7% Amber', '80% Green', '80% Green'])
    // interpreters: only MDI needed one: 1 ÷ 2 everywhere
    assert.deepEqual(measureRow(page, 'Interpreter used').slice(0, 3), ['50% Red', '50% Red', '50% Red'])
    assert.equal(measureRow(page, 'Compliance')[3], 'Green at 85% or more, amber at 70% or more, red below')
  })

  it('is for Supervising Officers, admins and the national team in an establishment', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get('/comparison')).status, 403)
    const admin = await signedIn(world, 'establishment_admin.lei')
    assert.match((await admin.get('/comparison')).text, /Leeds \(HMP\) against the national picture/)
    // the national team, in the establishment it chose from the overview
    const np = await signedIn(world, 'national')
    const switched = await np.post('/establishment/switch', { establishment: 'WYI', next: '/comparison' }, '/national')
    assert.equal(switched.headers.location, '/comparison')
    assert.match((await np.get('/comparison')).text, /Wymott \(HMP\) against the national picture/)
    // the switch goes on to nowhere but its own list
    const elsewhere = await np.post(
      '/establishment/switch',
      { establishment: 'WYI', next: 'https://evil.example' },
      '/',
    )
    assert.equal(elsewhere.headers.location, '/')
  })
})

describe('the trend in words', () => {
  const point = (label: string, compliance: number | null) => ({ month: label, label, compliance })

  it('says one point, not one points, and ignores months without a figure', () => {
    assert.deepEqual(trendInWords([point('July 2026', 71.2), point('August 2026', null), point('December 2026', 70)]), {
      words: 'Down 1 point: 71% in July 2026 to 70% in December 2026',
      arrow: '↓',
    })
    // 40 − 45 = −5: five points down; under one point either way is level
    assert.equal(
      trendInWords([point('July', 45), point('December', 40)]).words,
      'Down 5 points: 45% in July to 40% in December',
    )
    assert.equal(
      trendInWords([point('July', 45), point('December', 45.9)]).words,
      'Level: 45% in July to 46% in December',
    )
    assert.equal(trendInWords([point('July', 45)]).arrow, '')
  })
})
