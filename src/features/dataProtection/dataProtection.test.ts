import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { addDays, addMonths, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { runDailyJobs } from '../../cli/jobs'
import { signedIn } from '../../../test/harness'
import { seededWorld, usernameFor } from '../../../test/fixtures'
import { insertSession } from '../../../test/support/referrals'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()

const headId = async () =>
  (
    await db
      .selectFrom('audit_events')
      .select(eb => eb.fn.max('id').as('last_id'))
      .executeTakeFirstOrThrow()
  ).last_id ?? 0
const eventsAfter = (id: number) =>
  db
    .selectFrom('audit_events')
    .select(['action', 'entity', 'entity_id', 'username', 'changes'])
    .where('id', '>', id)
    .orderBy('id')
    .execute()

/** A prisoner record written straight to the table (a past spell in an establishment, as a migration brings). */
async function prisonerRow(
  establishmentId: number,
  prisonNumber: string,
  firstName: string,
  status: string,
  releaseDate: string | null,
) {
  const now = new Date().toISOString()
  const r = await db
    .insertInto('prisoners')
    .values({
      prison_number: prisonNumber,
      first_name: firstName,
      last_name: 'Testman',
      date_of_birth: '1970-03-04',
      establishment_id: establishmentId,
      unit_id: null,
      cell: 'X-1-001',
      reception_date: '2005-01-10',
      release_date: releaseDate,
      status,
      complexity: 'low',
      first_language: 'en',
      interpreter_needed: 0,
      nationality: 'British',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

const prisonerId = async (establishmentId: number, prisonNumber: string) =>
  (
    await db
      .selectFrom('prisoners')
      .select('id')
      .where('establishment_id', '=', establishmentId)
      .where('prison_number', '=', prisonNumber)
      .executeTakeFirstOrThrow()
  ).id

const national = await signedIn(world, usernameFor('NATIONAL_POLICY'))

describe('subject access request', async () => {
  // Tomasz Nowak (A1111AA) is in custody at MDI; he was held at LEI before, released in 2019 (a record written here)
  const mdiRecord = await prisonerId(mdi.establishmentId, mdi.prisonNumber)
  const leiRecord = await prisonerRow(lei.establishmentId, mdi.prisonNumber, 'Tomasz', 'released', '2019-05-01')
  const leiStaff = await db
    .selectFrom('staff')
    .select(['first_name', 'last_name'])
    .where('id', '=', lei.staffId)
    .executeTakeFirstOrThrow()
  const { id: leiAllocation } = await db
    .insertInto('allocations')
    .values({
      establishment_id: lei.establishmentId,
      prisoner_id: leiRecord,
      staff_id: lei.staffId,
      allocated_at: '2018-06-01T09:00:00.000Z',
      allocated_by: 'admin.lei',
      allocation_reason: 'manual',
      deallocated_at: '2019-05-01T09:00:00.000Z',
      deallocated_by: 'admin.lei',
      deallocation_reason: 'released',
      deallocation_note: null,
      handover_note: 'Worked well with the gym team.',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const leiSession = await insertSession(db, {
    establishmentId: lei.establishmentId,
    prisonerId: leiRecord,
    staffId: lei.staffId,
    author: 'keyworker.lei',
    sessionDate: '2019-01-15',
    agreed: 'Start the gym induction before release.',
  })
  // the referral's session of each establishment (the fixture's minimal session)
  const referralSession = async (referralId: number) =>
    (await db.selectFrom('referrals').select('session_id').where('id', '=', referralId).executeTakeFirstOrThrow())
      .session_id

  // his record viewed by MDI's Key Worker; David Jones (B2222BB) viewed by LEI's
  const kw = await signedIn(world, usernameFor('KEY_WORKER', 'MDI'))
  assert.equal((await kw.get(`/prisoners/${mdi.prisonNumber}`)).status, 200)
  const kwLei = await signedIn(world, usernameFor('KEY_WORKER', 'LEI'))
  assert.equal((await kwLei.get(`/prisoners/${lei.prisonNumber}`)).status, 200)

  it('the request is audited (who asked, for whom) and leads to the counts and the two downloads', async () => {
    const before = await headId()
    const r = await national.post('/data-protection/subject-access', { prisonNumber: ' a1111aa ' })
    assert.equal(r.status, 303)
    assert.equal(r.headers.location, `/data-protection/subject-access/${mdi.prisonNumber}`)
    const events = await eventsAfter(before)
    assert.deepEqual(
      events.map(e => [e.action, e.entity, e.entity_id, e.username]),
      [['create', 'subject_access_request', 'A1111AA', 'national']],
    )
    const page = await national.get(r.headers.location!)
    assert.equal(page.status, 200)
    assert.match(page.text, /Tomasz Nowak \(A1111AA\)/)
    assert.match(page.text, /sar\.json/)
    assert.match(page.text, /sar\.pdf/)
    assert.doesNotMatch(page.text, /undefined|\[object Object\]/)
    const viewed = await eventsAfter(before)
    assert.deepEqual(viewed.at(-1)?.action, 'view')
    assert.deepEqual(viewed.at(-1)?.entity_id, 'A1111AA')
  })

  it('the JSON holds each section with his rows in every establishment, and nothing of another man', async () => {
    const r = await national.get(`/data-protection/subject-access/${mdi.prisonNumber}/sar.json`)
    assert.equal(r.status, 200)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of many shapes, read field by field
    const body = r.body as { format: string; version: number; prisonNumber: string; sections: Record<string, any[]> }
    assert.equal(body.format, 'keywork-subject-access-request')
    assert.equal(body.version, 1)
    const sec = body.sections
    assert.deepEqual(Object.keys(sec), [
      'prisonerRecords',
      'custodyEvents',
      'custodySpells',
      'allocations',
      'sessions',
      'amendments',
      'goals',
      'goalReviews',
      'referrals',
      'hubBookings',
      'worksheets',
      'qaReviews',
      'integrityFlags',
      'goodPractice',
      'transferHandovers',
      'transferHandoverItems',
      'caseNotesSent',
      'movementEvents',
      'views',
    ])
    // two records: MDI's (in custody) and LEI's (released 2019)
    assert.deepEqual(
      sec.prisonerRecords!.map(p => [p.id, p.first_name, p.status]),
      [
        [mdiRecord, 'Tomasz', 'in'],
        [leiRecord, 'Tomasz', 'released'],
      ],
    )
    const ids = new Set([mdiRecord, leiRecord])
    for (const key of [
      'custodyEvents',
      'custodySpells',
      'allocations',
      'sessions',
      'goals',
      'referrals',
      'hubBookings',
    ])
      for (const row of sec[key]!) assert.ok(ids.has(row.prisoner_id), `${key} row of another man`)
    // the LEI allocation, with his Key Worker by name
    const alloc = sec.allocations!.find(a => a.id === leiAllocation)
    assert.equal(alloc?.key_worker_last_name, leiStaff.last_name)
    assert.equal(alloc?.handover_note, 'Worked well with the gym team.')
    // his sessions: MDI's recorded session, MDI's referral session, and the LEI session written above
    const sessionIds = sec.sessions!.map(x => x.id).sort((a, b) => a - b)
    const expected = [mdi.sessionId, await referralSession(mdi.referralId), leiSession].sort((a, b) => a - b)
    assert.deepEqual(sessionIds, expected)
    assert.ok(sec.sessions!.some(x => x.agreed === 'Start the gym induction before release.'))
    assert.deepEqual(
      sec.referrals!.map(x => x.id),
      [mdi.referralId],
    )
    assert.deepEqual(
      sec.hubBookings!.map(x => x.id),
      [mdi.bookingId],
    )
    assert.ok(sec.integrityFlags!.some(f => f.id === mdi.flagId))
    assert.ok(!sec.integrityFlags!.some(f => f.id === lei.flagId))
    assert.ok(sec.goodPractice!.some(g => g.id === mdi.goodPracticeId))
    // the views: MDI's Key Worker opened his record; LEI's Key Worker's view of David Jones is not his
    assert.ok(sec.views!.some(v => v.username === usernameFor('KEY_WORKER', 'MDI') && v.page === 'prisoner'))
    assert.ok(!sec.views!.some(v => v.username === usernameFor('KEY_WORKER', 'LEI')))
    // nothing of David Jones anywhere
    assert.doesNotMatch(JSON.stringify(body), /B2222BB|David/)
    assert.ok(!sec.sessions!.some(x => x.id === lei.sessionId))
  })

  it('the PDF reads his name, each section heading and GOV.UK dates', async () => {
    const r = await national.get(`/data-protection/subject-access/${mdi.prisonNumber}/sar.pdf`)
    assert.equal(r.status, 200)
    assert.match(String(r.headers['content-type']), /application\/pdf/)
    const dir = mkdtempSync(join(tmpdir(), 'sar-'))
    writeFileSync(join(dir, 'sar.pdf'), r.body as Buffer)
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'sar.pdf'), '-']).toString()
    assert.match(text, /Tomasz Nowak\s+\(A1111AA\)/)
    for (const h of ['Prisoner records (2)', 'Key work sessions (3)', 'Referrals (1)', 'Who viewed his record'])
      assert.ok(text.includes(h), h)
    // his LEI release date, 2019-05-01, as GOV.UK writes it
    assert.match(text, /1 May 2019/)
    assert.doesNotMatch(text, /B2222BB|David Jones/)
  })

  it('a bad or unknown prison number: an error, nothing recorded', async () => {
    for (const [value, message] of [
      ['', 'Enter a prison number'],
      ['nonsense', 'Enter a prison number in the format A1234BC'],
      ['Z9999ZZ', 'No record of Z9999ZZ is held in any establishment'],
    ] as const) {
      const before = await headId()
      const r = await national.post('/data-protection/subject-access', { prisonNumber: value })
      assert.equal(r.status, 303)
      assert.equal(r.headers.location, '/data-protection/subject-access')
      assert.equal(await headId(), before, `no audit event for ${value}`)
      const page = await national.get('/data-protection/subject-access')
      assert.match(page.text, /govuk-error-summary/)
      assert.ok(page.text.includes(message), message)
    }
    assert.equal((await national.get('/data-protection/subject-access/Z9999ZZ')).status, 404)
    assert.equal((await national.get('/data-protection/subject-access/nonsense/sar.json')).status, 404)
  })

  it('only the national team: Key Workers, Supervising Officers and admins are refused', async () => {
    for (const role of ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const) {
      const b = await signedIn(world, usernameFor(role, 'MDI'))
      for (const path of [
        '/data-protection/subject-access',
        `/data-protection/subject-access/${mdi.prisonNumber}`,
        `/data-protection/subject-access/${mdi.prisonNumber}/sar.json`,
        `/data-protection/subject-access/${mdi.prisonNumber}/sar.pdf`,
        '/data-protection/retention',
      ])
        assert.equal((await b.get(path)).status, 403, `${role} ${path}`)
    }
  })
})

describe('retention', async () => {
  const cutoff = addMonths(today, -12 * 6) // the rule set below: 6 years after release
  const names = Object.fromEntries(
    (await db.selectFrom('establishments').select(['id', 'name']).execute()).map(e => [e.id, e.name]),
  )

  it('the rule is set within bounds, audited; a bad value is refused and changes nothing', async () => {
    for (const bad of ['', '0', '101', 'six', '2.5']) {
      const before = await headId()
      const r = await national.post('/data-protection/retention', { years: bad })
      assert.equal(r.status, 303)
      assert.equal(await headId(), before)
      const page = await national.get('/data-protection/retention')
      assert.match(page.text, /govuk-error-summary/)
    }
    const before = await headId()
    await national.post('/data-protection/retention', { years: '6' })
    assert.equal((await s.dataProtection.settings()).years_after_release, 6)
    const events = await eventsAfter(before)
    assert.deepEqual(
      events.map(e => [e.action, e.entity]),
      [['update', 'retention_settings']],
    )
    const admin = await signedIn(world, usernameFor('ESTABLISHMENT_ADMIN', 'MDI'))
    assert.equal((await admin.post('/data-protection/retention', { years: '9', _csrf: 'x' }, '/')).status, 403)
    assert.equal((await s.dataProtection.settings()).years_after_release, 6)
  })

  it('a dry run counts; the run anonymises exactly the men past the rule; a second run changes nothing', async () => {
    // nothing in the seeded world is due
    assert.equal((await s.dataProtection.dryRun(today)).men, 0)
    // C1000AA released exactly 6 years ago today: due (the anniversary is the first day)
    const exactly = await prisonerRow(mdi.establishmentId, 'C1000AA', 'Exactly', 'released', cutoff)
    // C1000AB released a day later: not yet
    const dayLater = await prisonerRow(mdi.establishmentId, 'C1000AB', 'Daylater', 'released', addDays(cutoff, 1))
    // C1000AC released from both, long ago: due, two records
    const bothMdi = await prisonerRow(mdi.establishmentId, 'C1000AC', 'Both', 'released', '2010-02-01')
    const bothLei = await prisonerRow(lei.establishmentId, 'C1000AC', 'Both', 'released', '2012-07-09')
    // C1000AD released from MDI long ago but in custody at LEI: kept
    const backIn = await prisonerRow(mdi.establishmentId, 'C1000AD', 'Backin', 'released', '2010-02-01')
    await prisonerRow(lei.establishmentId, 'C1000AD', 'Backin', 'in', null)
    const session = await insertSession(db, {
      establishmentId: mdi.establishmentId,
      prisonerId: exactly,
      staffId: mdi.staffId,
      author: 'keyworker.mdi',
      sessionDate: addDays(cutoff, -30),
      agreed: 'Phone his sister about housing.',
      prisonerWords: 'I want to see my kids.',
    })
    await db
      .insertInto('session_goals')
      .values({
        establishment_id: mdi.establishmentId,
        prisoner_id: exactly,
        set_in_session_id: session,
        description: 'Find a flat in Doncaster',
        measure: 'Tenancy signed',
        target_date: null,
        status: 'open',
        updated_in_session_id: null,
        created_at: '2020-01-01T00:00:00.000Z',
        updated_at: '2020-01-01T00:00:00.000Z',
      })
      .execute()
    // a case note queued about him (its text not yet sent) and a movement event HMPPS sent about him
    const at = '2020-01-01T00:00:00.000Z'
    await db
      .insertInto('case_note_outbox')
      .values({
        establishment_id: mdi.establishmentId,
        session_id: session,
        amendment_id: null,
        prison_number: 'C1000AA',
        kind: 'create',
        source: 'session',
        payload: '{"text":"I want to see my kids."}',
        idempotency_key: 'retention-test-1',
        status: 'failed',
        next_attempt_at: at,
        claimed_by: null,
        claimed_until: null,
        last_error: 'HTTP 400',
        case_note_id: null,
        created_at: at,
        updated_at: at,
        sent_at: null,
      })
      .execute()
    await db
      .insertInto('hmpps_events')
      .values({
        event_key: 'prisoner-offender-search.prisoner.released|C1000AA|2020-01-01T09:00:00Z',
        event_type: 'prisoner-offender-search.prisoner.released',
        prison_number: 'C1000AA',
        prison_code: 'MDI',
        establishment_id: mdi.establishmentId,
        occurred_at: at,
        received_at: at,
        message_id: null,
        outcome: 'applied',
        detail: 'released',
      })
      .execute()
    const sar = await s.dataProtection.subject('C1000AA')
    assert.deepEqual(
      sar?.caseNotesSent.map(o => [o.kind, o.status, o.payload]),
      [['create', 'failed', '{"text":"I want to see my kids."}']],
    )
    assert.deepEqual(
      sar?.movementEvents.map(e => [e.event_type, e.outcome]),
      [['prisoner-offender-search.prisoner.released', 'applied']],
    )
    await s.statistics.rebuild()
    const stats = () => db.selectFrom('stat_daily').selectAll().orderBy('establishment_id').orderBy('day').execute()
    const statsBefore = await stats()

    // the dry run: 2 men (C1000AA, C1000AC), 3 records: MDI 2 (C1000AA, C1000AC), LEI 1 (C1000AC)
    const expectedPer = [
      { establishment: names[mdi.establishmentId]!, records: 2 },
      { establishment: names[lei.establishmentId]!, records: 1 },
    ].sort((a, b) => a.establishment.localeCompare(b.establishment))
    const before = await headId()
    const dry = await s.dataProtection.dryRun(today)
    assert.deepEqual(dry, { years: 6, cutoff, men: 2, records: 3, perEstablishment: expectedPer })
    const page = await national.get('/data-protection/retention')
    assert.match(page.text, /2 men released on or before/)
    assert.match(page.text, /3 prisoner records would be anonymised/)
    // the dry run changed nothing
    assert.equal(await headId(), before)
    const first = await db
      .selectFrom('prisoners')
      .select('first_name')
      .where('id', '=', exactly)
      .executeTakeFirstOrThrow()
    assert.equal(first.first_name, 'Exactly')

    // the daily job runs it
    const jobs = await runDailyJobs(s)
    assert.equal(jobs.retentionAnonymised, 3)
    const after1 = await db
      .selectFrom('prisoners')
      .select(['id', 'first_name', 'last_name', 'date_of_birth', 'prison_number', 'cell'])
      .where('id', 'in', [exactly, dayLater, bothMdi, bothLei, backIn])
      .orderBy('id')
      .execute()
    const byId = new Map(after1.map(p => [p.id, p]))
    for (const id of [exactly, bothMdi, bothLei]) {
      const p = byId.get(id)!
      assert.equal(p.first_name, 'Anonymised')
      assert.equal(p.last_name, 'Anonymised')
      assert.equal(p.date_of_birth, '1900-01-01')
      assert.equal(p.cell, null)
      assert.match(p.prison_number, /^Z\d{4}[A-Z]{2}$/)
    }
    // his two records keep one (pseudonymous) number
    assert.equal(byId.get(bothMdi)!.prison_number, byId.get(bothLei)!.prison_number)
    assert.equal(byId.get(dayLater)!.first_name, 'Daylater')
    assert.equal(byId.get(dayLater)!.prison_number, 'C1000AB')
    assert.equal(byId.get(backIn)!.first_name, 'Backin')
    // the free text of his session and goal gone; the session itself (its date, outcome, duration) kept
    const sess = await db
      .selectFrom('key_work_sessions')
      .selectAll()
      .where('id', '=', session)
      .executeTakeFirstOrThrow()
    assert.equal(sess.agreed, null)
    assert.equal(sess.prisoner_words, null)
    assert.equal(sess.outcome, 'delivered')
    assert.equal(sess.duration_minutes, 45)
    const goal = await db
      .selectFrom('session_goals')
      .selectAll()
      .where('prisoner_id', '=', exactly)
      .executeTakeFirstOrThrow()
    assert.equal(goal.description, 'Anonymised')
    // the queued note's text and his number gone from what was sent to, or heard from, HMPPS
    const outbox = await db.selectFrom('case_note_outbox').selectAll().where('session_id', '=', session).execute()
    assert.deepEqual(
      outbox.map(o => [o.payload, /^Z\d{4}[A-Z]{2}$/.test(o.prison_number)]),
      [['', true]],
    )
    const heard = await db.selectFrom('hmpps_events').select(['prison_number', 'event_key']).execute()
    assert.equal(heard.length, 1)
    assert.match(heard[0]!.prison_number ?? '', /^Z\d{4}[A-Z]{2}$/)
    assert.doesNotMatch(heard[0]!.event_key, /C1000AA/)
    // one audit event, counts only
    const events = await eventsAfter(before)
    const runs = events.filter(e => e.entity === 'retention_run')
    assert.equal(runs.length, 1)
    assert.equal(runs[0]!.action, 'anonymise')
    const changes = runs[0]!.changes!
    assert.deepEqual(JSON.parse(changes), { years: 6, cutoff, men: 2, records: 3, perEstablishment: expectedPer })
    assert.doesNotMatch(changes, /C1000|Exactly|Both/)
    // the old number finds nothing
    assert.equal(await s.dataProtection.subject('C1000AA'), null)
    // statistics unchanged, and rebuilt from the anonymised rows they come out the same
    assert.deepEqual(await stats(), statsBefore)
    await s.statistics.rebuild()
    assert.deepEqual(await stats(), statsBefore)

    // a second run: nothing to do, nothing written
    const snapshot = await db.selectFrom('prisoners').selectAll().orderBy('id').execute()
    const head = await headId()
    const again = await s.dataProtection.run(SYSTEM_ACTOR, today)
    assert.equal(again.men, 0)
    assert.equal(again.records, 0)
    assert.equal(await headId(), head)
    assert.deepEqual(await db.selectFrom('prisoners').selectAll().orderBy('id').execute(), snapshot)
    assert.equal((await s.dataProtection.dryRun(today)).men, 0)
  })
})
