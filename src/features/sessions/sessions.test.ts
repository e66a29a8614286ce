import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { londonNow } from '../../domain/hubs'
import { addDays } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { Browser, createUser, signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'

// Recording Key Work sessions through the routes, over a real database (SQLite, or PostgreSQL with
// TEST_DATABASE_URL): drafts, submit, double submit, amendments, delete, bad input and roles.

let world: SeededWorld
let kw: Browser
const today = londonNow().date
const [ty, tm, td] = today.split('-')
const dateFields = (iso: string) => {
  const [y, m, d] = iso.split('-')
  return { 'sessionDate-day': String(Number(d)), 'sessionDate-month': String(Number(m)), 'sessionDate-year': y! }
}

before(async () => {
  world = await seededWorld()
  kw = await signedIn(world, 'key_worker.mdi')
})
after(() => world.close())

const db = () => world.services.db.db
const mdi = () => world.seeded.MDI

let prisonerSeq = 0
/** A prisoner of MDI made for one test (so tests don't share drafts or goals). */
async function newPrisoner(overrides: Record<string, string> = {}) {
  prisonerSeq++
  const prisonNumber = `G${String(1000 + prisonerSeq)}GG`
  const record = prisonerRecordSchema.parse({
    prisonNumber,
    firstName: 'Alan',
    lastName: `Test${prisonerSeq}`,
    dateOfBirth: '1990-01-01',
    unit: mdi().unitCode,
    cell: '',
    receptionDate: '2025-01-10',
    releaseDate: '',
    status: 'in',
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
    nationality: 'British',
    ...overrides,
  })
  const r = await world.services.prisoners.create(
    { ...SYSTEM_ACTOR, establishmentId: mdi().establishmentId },
    mdi().establishmentId,
    record,
  )
  assert.ok(r.ok, JSON.stringify(r))
  return prisonNumber
}

/** Starts a draft through the routes; returns its id. */
async function start(b: Browser, prisonNumber: string): Promise<number> {
  const page = await b.get(`/prisoners/${prisonNumber}/sessions/new`)
  assert.equal(page.status, 200, page.text.slice(0, 300))
  const key = /name="client_key" value="([^"]+)"/.exec(page.text)?.[1]
  assert.ok(key)
  const res = await b.post(
    `/prisoners/${prisonNumber}/sessions`,
    { client_key: key },
    `/prisoners/${prisonNumber}/sessions/new`,
  )
  assert.equal(res.status, 303)
  const m = /^\/sessions\/(\d+)\/edit$/.exec(res.headers.location ?? '')
  assert.ok(m, res.headers.location)
  return Number(m[1])
}

const basic = (): Record<string, string | string[]> => ({
  outcome: 'delivered',
  'sessionDate-day': String(Number(td)),
  'sessionDate-month': String(Number(tm)),
  'sessionDate-year': ty!,
  startsAt: '10:15',
  duration: '40',
  location: 'interview_room',
  private: 'yes',
  interpreterNeeded: 'no',
  concern: 'no',
  prisonerWords: 'I want to get a job in a kitchen.',
  agreed: 'Look at catering courses.',
})

async function sessionRow(id: number) {
  return db().selectFrom('key_work_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

describe('recording a session', () => {
  it('records a delivered session with a goal, a referral to a directory service and a worksheet', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const edit = await kw.get(`/sessions/${id}/edit`)
    assert.equal(edit.status, 200)
    assert.match(edit.text, /not on your caseload/, 'the Key Worker is not linked to this prisoner: cover')
    // the establishment's session length is a suggestion, not a recorded answer (issue 12, point 3)
    assert.match(edit.text, /Usually \d+ minutes/, 'the session length is suggested')
    assert.doesNotMatch(edit.text, /name="duration"[^>]*value="\d+"/, 'but not filled in')
    assert.match(edit.text, new RegExp(`name="sessionDate-year"[^>]*value="${ty}"`), 'the date defaults to today')
    assert.match(edit.text, /Resettlement advice MDI/, 'the establishment’s directory services are offered')
    assert.doesNotMatch(edit.text, /Resettlement advice LEI/, 'not another establishment’s')
    assert.match(edit.text, /session-draft\.js" nonce="/, 'the draft script is included with the CSP nonce')

    // the statistics count referrals and goals on the (UTC) day they were made
    const followUps = async () => {
      const day = new Date().toISOString().slice(0, 10)
      const rows = (await world.services.statistics.verifyFollowUps(mdi().establishmentId)).stored
      const row = rows.find(r => r.day === day)
      return { made: row?.referrals_made ?? 0, set: row?.goals_set ?? 0, achieved: row?.goals_achieved ?? 0 }
    }
    await world.services.statistics.rebuild(mdi().establishmentId) // the fixture's rows were inserted without counts
    const followUpsBefore = await followUps()
    const outboxBefore = await db()
      .selectFrom('outbox_emails')
      .select(db().fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const form = {
      ...basic(),
      pathways: ['education-training-employment', 'health'],
      goalRows: '1',
      goal0Description: 'Finish the level 1 food hygiene course',
      goal0Measure: 'Certificate',
      goal0TargetDate: addDays(today, 60),
      referralRows: '1',
      referral0To: `service:${mdi().serviceId}`,
      referral0Note: 'Needs an address for release',
      referral0FollowUp: addDays(today, 14),
      worksheets: [String(mdi().worksheetId)],
    }
    // saving without JavaScript shows the chosen service's contact details
    const saved = await kw.post(`/sessions/${id}/draft`, { ...form, action: 'save' }, `/sessions/${id}/edit`)
    assert.equal(saved.status, 303)
    const again = await kw.get(`/sessions/${id}/edit`)
    assert.match(again.text, /resettlement\.mdi@example\.org/)
    assert.match(again.text, /0113 496 0100/)

    const res = await kw.post(`/sessions/${id}/submit`, form, `/sessions/${id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.equal(row.status, 'submitted')
    assert.equal(row.outcome, 'delivered')
    assert.equal(row.session_date, today)
    assert.equal(row.duration_minutes, 40)
    assert.equal(row.on_caseload, 0)
    assert.equal(row.pathways, 'education-training-employment,health')
    assert.ok(row.submitted_at)
    assert.equal(row.draft_form, null)
    const goals = await db().selectFrom('session_goals').selectAll().where('set_in_session_id', '=', id).execute()
    assert.equal(goals.length, 1)
    assert.equal(goals[0]!.status, 'open')
    const referrals = await db().selectFrom('referrals').selectAll().where('session_id', '=', id).execute()
    assert.equal(referrals.length, 1)
    assert.equal(referrals[0]!.service_id, mdi().serviceId)
    assert.equal(referrals[0]!.status, 'sent')
    const sheets = await db().selectFrom('session_worksheets').selectAll().where('session_id', '=', id).execute()
    assert.deepEqual(
      sheets.map(s => s.worksheet_id),
      [mdi().worksheetId],
    )
    const audit = await db()
      .selectFrom('audit_events')
      .selectAll()
      .where('entity', '=', 'key_work_session')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'submit')
      .execute()
    assert.equal(audit.length, 1)
    const outboxAfter = await db()
      .selectFrom('outbox_emails')
      .select(db().fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(outboxAfter.n), Number(outboxBefore.n) + 1, 'the referral was emailed (to the outbox)')
    assert.deepEqual(await followUps(), {
      ...followUpsBefore,
      made: followUpsBefore.made + 1,
      set: followUpsBefore.set + 1,
    })

    const page = await kw.get(`/sessions/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Finish the level 1 food hygiene course/)
    assert.match(page.text, /resettlement\.mdi@example\.org/, 'the referred service’s contact details')
    assert.match(page.text, /Getting to the gym at MDI/)

    // the timeline and planning helpers read through these
    const prisoner = (await world.services.prisoners.get(mdi().establishmentId, pn))!
    const last = await world.services.sessions.lastDelivered(mdi().establishmentId)
    assert.equal(last.get(prisoner.id), today)
    const history = await world.services.sessions.forPrisoner(mdi().establishmentId, prisoner.id)
    assert.equal(history.length, 1)
    assert.equal(history[0]!.goals.length, 1)
    assert.equal(history[0]!.referrals[0]!.to, 'Resettlement advice MDI')

    // the goal is carried forward into the next session, and reviewed there
    const next = await start(kw, pn)
    const nextEdit = await kw.get(`/sessions/${next}/edit`)
    assert.match(nextEdit.text, /Finish the level 1 food hygiene course/)
    const goalId = goals[0]!.id
    const r2 = await kw.post(
      `/sessions/${next}/submit`,
      { ...basic(), [`review${goalId}Status`]: 'achieved', [`review${goalId}Note`]: 'Passed' },
      `/sessions/${next}/edit`,
    )
    assert.equal(r2.headers.location, `/sessions/${next}`)
    const goal = await db().selectFrom('session_goals').selectAll().where('id', '=', goalId).executeTakeFirstOrThrow()
    assert.equal(goal.status, 'achieved')
    assert.equal(goal.updated_in_session_id, next)
    assert.equal(
      (await followUps()).achieved,
      followUpsBefore.achieved + 1,
      'counted as achieved on the day it was set',
    )
    const reviews = await db().selectFrom('goal_reviews').selectAll().where('goal_id', '=', goalId).execute()
    assert.deepEqual(
      reviews.map(r => [r.session_id, r.status, r.note]),
      [[next, 'achieved', 'Passed']],
    )
  })

  it('records a session not delivered, with its reason', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const res = await kw.post(
      `/sessions/${id}/submit`,
      { outcome: 'not_delivered', notDeliveredReason: 'other', notDeliveredDetail: 'Fire alarm', ...dateFields(today) },
      `/sessions/${id}/edit`,
    )
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.equal(row.status, 'submitted')
    assert.equal(row.outcome, 'not_delivered')
    assert.equal(row.not_delivered_reason, 'other')
    assert.equal(row.not_delivered_detail, 'Fire alarm')
    const prisoner = (await world.services.prisoners.get(mdi().establishmentId, pn))!
    assert.equal((await world.services.sessions.lastDelivered(mdi().establishmentId)).has(prisoner.id), false)
  })

  it('returns to the existing draft when started again, and lists it under "Your drafts"', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const again = await kw.get(`/prisoners/${pn}/sessions/new`)
    assert.equal(again.status, 303)
    assert.equal(again.headers.location, `/sessions/${id}/edit`)
    const post = await kw.post(`/prisoners/${pn}/sessions`, {}, '/')
    assert.equal(post.headers.location, `/sessions/${id}/edit`)
    const drafts = await kw.get('/sessions/drafts')
    assert.match(drafts.text, new RegExp(`/sessions/${id}/edit`))
    const n = await db()
      .selectFrom('key_work_sessions')
      .select('id')
      .where('status', '=', 'draft')
      .where('prisoner_id', '=', (await world.services.prisoners.get(mdi().establishmentId, pn))!.id)
      .execute()
    assert.equal(n.length, 1)
  })
})

describe('drafts', () => {
  it('saves without JavaScript, adding goal rows, and keeps everything typed', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const res = await kw.post(
      `/sessions/${id}/draft`,
      { ...basic(), duration: 'abc', goal0Description: 'First goal', goalRows: '1', action: 'add-goal' },
      `/sessions/${id}/edit`,
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit#goal1Description`)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /Draft saved/)
    assert.match(page.text, /id="goal1Description"/, 'one more goal row')
    assert.match(page.text, /First goal/)
    assert.match(page.text, /name="duration"[^>]*value="abc"/, 'even a value that would not pass is kept')
    assert.equal((await sessionRow(id)).status, 'draft')
  })

  it('saves through the JSON endpoint the script uses', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const _csrf = await kw.csrf(`/sessions/${id}/edit`)
    const res = await kw.agent
      .post(`/sessions/${id}/draft`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, ...basic(), agreed: 'Saved by the script' })
    assert.equal(res.status, 200)
    assert.equal(res.body.saved, true)
    const row = await sessionRow(id)
    assert.match(row.draft_form ?? '', /Saved by the script/)
    // a bad token is refused, as JSON
    const bad = await kw.agent
      .post(`/sessions/${id}/draft`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: 'x' })
    assert.equal(bad.status, 403)
  })
})

describe('bad input', () => {
  async function submitErrors(overrides: Record<string, string | string[]>, pn?: string) {
    const prisonNumber = pn ?? (await newPrisoner())
    const id = await start(kw, prisonNumber)
    const res = await kw.post(`/sessions/${id}/submit`, { ...basic(), ...overrides }, `/sessions/${id}/edit`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.equal(page.status, 200)
    assert.match(page.text, /There is a problem/)
    const row = await sessionRow(id)
    assert.equal(row.status, 'draft', 'nothing submitted')
    // what was typed is in the draft on the server, not only on the page
    const saved = JSON.parse(row.draft_form ?? '{}') as Record<string, unknown>
    for (const [field, value] of Object.entries(overrides)) assert.deepEqual(saved[field], value, field)
    for (const table of ['session_goals', 'referrals'] as const) {
      const rows = await db().selectFrom(table).select('id').where('prisoner_id', '=', row.prisoner_id).execute()
      assert.equal(rows.length, 0, `no ${table} written`)
    }
    return page.text
  }

  it('refuses a session dated in the future', async () => {
    assert.match(await submitErrors(dateFields(addDays(today, 1))), /today or in the past/)
  })
  it('refuses a session before the prisoner’s reception', async () => {
    const text = await submitErrors({ ...dateFields('2025-01-09') })
    assert.match(text, /before the prisoner arrived/)
  })
  it('refuses a duration of 0 or 600 minutes, keeping the values typed', async () => {
    const zero = await submitErrors({ duration: '0', goal0Description: 'Kept goal', goal0Measure: 'Kept measure' })
    assert.match(zero, /whole number of minutes from 5 to 180/)
    assert.match(zero, /Kept goal/)
    assert.match(await submitErrors({ duration: '600' }), /whole number of minutes from 5 to 180/)
  })
  it('refuses a referral to another establishment’s service', async () => {
    const text = await submitErrors({ referral0To: `service:${world.seeded.LEI.serviceId}` })
    assert.match(text, /this establishment’s directory or a national one/)
  })
  it('refuses an interpreter-needing prisoner with no interpreter and no reason, and a concern not escalated', async () => {
    const text = await submitErrors({ interpreterNeeded: 'yes', interpreterUsed: 'no', concern: 'yes' })
    assert.match(text, /why no interpreter was used/)
    assert.match(text, /escalated to/)
  })
  it('gives 404 for a prisoner of another establishment', async () => {
    assert.equal((await kw.get(`/prisoners/${world.seeded.LEI.prisonNumber}/sessions/new`)).status, 404)
    assert.equal((await kw.post(`/prisoners/${world.seeded.LEI.prisonNumber}/sessions`, {}, '/')).status, 404)
  })
  it('explains that a released prisoner cannot have a session, at start and at submit', async () => {
    const released = await newPrisoner({ status: 'released', releaseDate: '2026-01-01' })
    const page = await kw.get(`/prisoners/${released}/sessions/new`)
    assert.equal(page.status, 200)
    assert.match(page.text, /has been released/)
    const post = await kw.post(`/prisoners/${released}/sessions`, {}, '/')
    assert.equal(post.status, 303)
    assert.match((await kw.get(post.headers.location!)).text, /has been released/)

    // released while the draft was open
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const prisoner = (await world.services.prisoners.get(mdi().establishmentId, pn))!
    await db().updateTable('prisoners').set({ status: 'released' }).where('id', '=', prisoner.id).execute()
    const res = await kw.post(`/sessions/${id}/submit`, basic(), `/sessions/${id}/edit`)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    assert.match((await kw.get(`/sessions/${id}/edit`)).text, /has been released/)
    assert.equal((await sessionRow(id)).status, 'draft')
  })
  it('answers an empty or junk submit with errors, never a 500', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const res = await kw.post(
      `/sessions/${id}/submit`,
      { outcome: 'maybe', duration: ['1', '2'], goal99Description: 'x', hubBookingId: 'x' },
      `/sessions/${id}/edit`,
    )
    assert.equal(res.status, 303)
    assert.match((await kw.get(`/sessions/${id}/edit`)).text, /There is a problem/)
  })
})

describe('double submit', () => {
  it('makes one entry from the same form sent twice, one after the other or at once', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const form = { ...basic(), goal0Description: 'One goal only', goal0Measure: 'Count them' }
    const _csrf = await kw.csrf(`/sessions/${id}/edit`)
    const send = () =>
      kw.agent
        .post(`/sessions/${id}/submit`)
        .type('form')
        .send({ _csrf, ...form })
    const [a, b] = await Promise.all([send(), send()])
    const c = await send()
    for (const r of [a, b, c]) {
      assert.equal(r.status, 303)
      assert.equal(r.headers.location, `/sessions/${id}`)
    }
    const row = await sessionRow(id)
    const entries = await db()
      .selectFrom('key_work_sessions')
      .select('id')
      .where('prisoner_id', '=', row.prisoner_id)
      .execute()
    assert.equal(entries.length, 1)
    const goals = await db().selectFrom('session_goals').select('id').where('set_in_session_id', '=', id).execute()
    assert.equal(goals.length, 1)
    assert.equal((await kw.get(`/sessions/${id}`)).status, 200)
  })
})

describe('amendments and delete', () => {
  let id: number
  before(async () => {
    const pn = await newPrisoner()
    id = await start(kw, pn)
    await kw.post(`/sessions/${id}/submit`, basic(), `/sessions/${id}/edit`)
    assert.equal((await sessionRow(id)).status, 'submitted')
  })

  it('locks the submitted entry: the edit page shows it read-only, draft saves change nothing', async () => {
    const edit = await kw.get(`/sessions/${id}/edit`)
    assert.equal(edit.status, 303)
    assert.equal(edit.headers.location, `/sessions/${id}`)
    await kw.post(`/sessions/${id}/draft`, { ...basic(), agreed: 'changed' }, `/sessions/${id}`)
    assert.equal((await sessionRow(id)).agreed, 'Look at catering courses.')
  })

  it('appends an amendment with who, when and why; the original stays', async () => {
    const missing = await kw.post(`/sessions/${id}/amend`, { durationMinutes: '50' }, `/sessions/${id}/amend`)
    assert.equal(missing.headers.location, `/sessions/${id}/amend`)
    assert.match((await kw.get(`/sessions/${id}/amend`)).text, /Enter why the entry is being amended/)

    const form = await kw.get(`/sessions/${id}/amend`)
    assert.match(form.text, /name="durationMinutes"[^>]*value="40"/)
    const fields = {
      sessionDate: today,
      startsAt: '10:15',
      durationMinutes: '50',
      location: 'interview_room',
      private: 'yes',
      concernEscalatedTo: '',
      interpreterWhyNot: '',
      prisonerWords: 'I want to get a job in a kitchen.',
      agreed: 'Look at catering courses.',
      reason: 'It ran over',
    }
    const res = await kw.post(`/sessions/${id}/amend`, fields, `/sessions/${id}/amend`)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.equal(row.duration_minutes, 50, 'the entry holds the amended value')
    const amendments = await db().selectFrom('session_amendments').selectAll().where('session_id', '=', id).execute()
    assert.equal(amendments.length, 1)
    assert.equal(amendments[0]!.amended_by, 'key_worker.mdi')
    assert.equal(amendments[0]!.reason, 'It ran over')
    assert.deepEqual(JSON.parse(amendments[0]!.changes), { durationMinutes: { from: '40', to: '50' } })
    const page = await kw.get(`/sessions/${id}`)
    assert.match(page.text, /It ran over/)
    assert.match(page.text, /50 minutes/)

    // a Supervising Officer may amend too; another Key Worker may not
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/sessions/${id}/amend`)).status, 200)
    await createUser(world.services, 'key_worker2.mdi', [
      { role: 'KEY_WORKER', establishmentId: mdi().establishmentId },
    ])
    const other = await signedIn(world, 'key_worker2.mdi')
    assert.equal((await other.get(`/sessions/${id}/amend`)).status, 404)
    assert.equal((await other.post(`/sessions/${id}/amend`, { ...fields, durationMinutes: '60' }, '/')).status, 404)
    assert.equal((await other.get(`/sessions/${id}`)).status, 200, 'but may read it')
  })

  it('counts an amended date and privacy in the statistics and due dates, keeping the aggregates exact', async () => {
    const pn = await newPrisoner()
    const sid = await start(kw, pn)
    await kw.post(`/sessions/${sid}/submit`, basic(), `/sessions/${sid}/edit`)
    const prisonerId = (await sessionRow(sid)).prisoner_id
    const establishmentId = mdi().establishmentId
    await world.services.statistics.rebuild(establishmentId) // the fixture's sessions were inserted without aggregates
    const lastDelivered = async () => (await world.services.sessions.lastDelivered(establishmentId)).get(prisonerId)
    assert.equal(await lastDelivered(), today)
    const earlier = addDays(today, -3)
    const res = await kw.post(
      `/sessions/${sid}/amend`,
      {
        sessionDate: earlier,
        startsAt: '10:15',
        durationMinutes: '40',
        location: 'interview_room',
        private: 'no',
        concernEscalatedTo: '',
        interpreterWhyNot: '',
        prisonerWords: 'I want to get a job in a kitchen.',
        agreed: 'Look at catering courses.',
        reason: 'Recorded on the wrong day',
      },
      `/sessions/${sid}/amend`,
    )
    assert.equal(res.headers.location, `/sessions/${sid}`)
    const row = await sessionRow(sid)
    assert.equal(row.session_date, earlier)
    assert.equal(row.private, 0)
    assert.equal(await lastDelivered(), earlier, 'the due date follows the amended date')
    const [amendment] = await db().selectFrom('session_amendments').selectAll().where('session_id', '=', sid).execute()
    assert.deepEqual(JSON.parse(amendment!.changes), {
      sessionDate: { from: today, to: earlier },
      private: { from: 'yes', to: 'no' },
    })
    // the stored aggregates equal a recount from the sessions, with the session on its amended day, not private
    const { stored, fresh } = await world.services.statistics.verify(establishmentId)
    const storedDays = new Map(stored.daily.map(d => [d.day, d]))
    for (const [day, a] of fresh) {
      if (a.delivered + a.notDelivered === 0) continue
      assert.equal(storedDays.get(day)?.delivered, a.delivered, `delivered on ${day}`)
      assert.equal(storedDays.get(day)?.private_delivered, a.privateDelivered, `private on ${day}`)
      assert.equal(storedDays.get(day)?.gap_count, a.gapCount, `gaps on ${day}`)
    }
    assert.equal(
      stored.daily.filter(d => d.delivered + d.not_delivered > 0).length,
      [...fresh.values()].filter(a => a.delivered + a.notDelivered > 0).length,
    )
    assert.ok((fresh.get(earlier)?.delivered ?? 0) >= 1)
  })

  it('lets only an establishment admin delete, with a reason, never removing the row', async () => {
    assert.equal((await kw.post(`/sessions/${id}/delete`, { reason: 'x' }, '/')).status, 403)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    const noReason = await admin.post(`/sessions/${id}/delete`, { reason: ' ' }, `/sessions/${id}/delete`)
    assert.equal(noReason.headers.location, `/sessions/${id}/delete`)
    assert.equal((await sessionRow(id)).status, 'submitted')
    const res = await admin.post(
      `/sessions/${id}/delete`,
      { reason: 'Recorded against the wrong prisoner' },
      `/sessions/${id}/delete`,
    )
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.equal(row.status, 'deleted')
    assert.equal(row.deleted_by, 'establishment_admin.mdi')
    assert.equal(row.deleted_reason, 'Recorded against the wrong prisoner')
    assert.ok(row.deleted_at)
    const audit = await db()
      .selectFrom('audit_events')
      .select('id')
      .where('entity', '=', 'key_work_session')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'delete')
      .execute()
    assert.equal(audit.length, 1)
    assert.match((await admin.get(`/sessions/${id}`)).text, /Recorded against the wrong prisoner/)
    assert.equal((await world.services.sessions.lastDelivered(mdi().establishmentId)).has(row.prisoner_id), false)
  })
})

describe('roles', () => {
  it('keeps a draft to its author (404 for anyone else) and lets readers read entries', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/sessions/${id}/edit`)).status, 404)
    assert.equal((await so.post(`/sessions/${id}/draft`, basic(), '/')).status, 404)
    assert.equal((await so.post(`/sessions/${id}/submit`, basic(), '/')).status, 404)
    assert.equal((await so.get(`/sessions/${id}`)).status, 404)
    assert.equal((await sessionRow(id)).status, 'draft')

    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.equal((await national.get(`/sessions/${mdi().sessionId}`)).status, 200)
    assert.equal((await national.get(`/prisoners/${pn}/sessions/new`)).status, 403)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await admin.get(`/sessions/${mdi().sessionId}`)).status, 200)
    assert.equal((await admin.post(`/prisoners/${pn}/sessions`, {}, '/')).status, 403)
    // a Supervising Officer records (for cover) too
    const soId = await start(so, pn)
    assert.notEqual(soId, id)
    assert.equal(
      (await so.post(`/sessions/${soId}/submit`, basic(), `/sessions/${soId}/edit`)).headers.location,
      `/sessions/${soId}`,
    )
  })

  it('shows "Record a session" on the prisoner page to those who record', async () => {
    const page = await kw.get(`/prisoners/${mdi().prisonNumber}`)
    // a button that starts the draft: straight into the entry form
    assert.match(page.text, new RegExp(`action="/prisoners/${mdi().prisonNumber}/sessions"`))
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.doesNotMatch((await admin.get(`/prisoners/${mdi().prisonNumber}`)).text, /Record a session/)
  })
})

describe('submit rules named by the mutations they kill', () => {
  it('rule: a referral to a stakeholder team submitted through the form is saved with its team', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const res = await kw.post(
      `/sessions/${id}/submit`,
      {
        ...basic(),
        referralRows: '2',
        referral0To: 'stakeholder:pom',
        referral0Note: 'Sentence plan review',
        referral1To: 'stakeholder:chaplaincy',
        referral1Note: '',
      },
      `/sessions/${id}/edit`,
    )
    assert.equal(res.status, 303)
    assert.equal((await sessionRow(id)).status, 'submitted')
    const referrals = await db()
      .selectFrom('referrals')
      .select(['stakeholder', 'service_id', 'note', 'status'])
      .where('session_id', '=', id)
      .orderBy('id')
      .execute()
    assert.deepEqual(referrals, [
      { stakeholder: 'pom', service_id: null, note: 'Sentence plan review', status: 'sent' },
      { stakeholder: 'chaplaincy', service_id: null, note: null, status: 'sent' },
    ])
    const page = await kw.get(`/sessions/${id}`)
    assert.match(page.text, /Prison Offender Manager \(POM\)/)
    assert.match(page.text, /Chaplaincy/)
  })

  it('rule: of submits racing past the draft check, only the first writes; the rest find the entry locked', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const user = await db()
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'key_worker.mdi')
      .executeTakeFirstOrThrow()
    const actor = { userId: user.id, username: 'key_worker.mdi', establishmentId: mdi().establishmentId }
    const form = {
      ...basic(),
      goalRows: '1',
      goal0Description: 'One goal only',
      goal0Measure: 'Count them',
      referralRows: '1',
      referral0To: 'stakeholder:education',
    }
    // all started together: each reads the entry as a draft before any of them locks it, so all but one reach the
    // conditional update and find it already submitted
    const results = await Promise.all(
      Array.from({ length: 4 }, () => world.services.sessions.submit(actor, mdi().establishmentId, id, form)),
    )
    const outcomes = results.map(r => (r !== 'not-found' && r.ok ? r.value.already : r))
    assert.deepEqual(outcomes.sort(), [false, true, true, true], 'one submit wrote the entry, the others wrote nothing')
    const count = async (table: 'session_goals' | 'referrals', column: 'set_in_session_id' | 'session_id') =>
      (await db().selectFrom(table).select('id').where(column, '=', id).execute()).length
    assert.equal(await count('session_goals', 'set_in_session_id'), 1)
    assert.equal(await count('referrals', 'session_id'), 1)
    const submits = await db()
      .selectFrom('audit_events')
      .select('id')
      .where('entity', '=', 'key_work_session')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'submit')
      .execute()
    assert.equal(submits.length, 1, 'one submit event')
  })
})

describe('an entry states only what happened (issue 12, point 3)', () => {
  it('presets nothing the officer must answer; the interpreter language starts as his first language', async () => {
    const pn = await newPrisoner({ firstLanguage: 'pl', interpreterNeeded: 'yes' })
    const id = await start(kw, pn)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /name="location"[^>]*value="[a-z_]+"[^>]*checked/, 'no place is preset')
    assert.doesNotMatch(page.text, /name="private"[^>]*value="(yes|no)"[^>]*checked/, 'privacy is not preset')
    assert.match(page.text, /name="interpreterLanguage"[^>]*value="Polish"/)
    // the questions of each outcome are revealed under it (GOV.UK conditional reveals)
    assert.match(page.text, /id="conditional-outcome-2"[\s\S]*id="notDeliveredReason"/)
  })

  it('refuses a delivered session with nothing written about it, keeping what was typed', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const { prisonerWords: _w, agreed: _a, ...nothing } = basic()
    const res = await kw.post(`/sessions/${id}/submit`, nothing, `/sessions/${id}/edit`)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /Record what was discussed or agreed/)
    assert.equal((await sessionRow(id)).status, 'draft')
  })

  it('records a delivered session without the refusal reason left in the not-delivered questions', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const fields = { ...basic(), notDeliveredReason: 'prisoner_refused', notDeliveredDetail: 'Said no' }
    const res = await kw.post(`/sessions/${id}/submit`, fields, `/sessions/${id}/edit`)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.deepEqual(
      { outcome: row.outcome, reason: row.not_delivered_reason, detail: row.not_delivered_detail },
      { outcome: 'delivered', reason: null, detail: null },
    )
  })

  it('records a session not delivered without the place, length or privacy of a session that did not happen', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const fields = { ...basic(), outcome: 'not_delivered', notDeliveredReason: 'prisoner_refused' }
    const res = await kw.post(`/sessions/${id}/submit`, fields, `/sessions/${id}/edit`)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const row = await sessionRow(id)
    assert.deepEqual(
      [row.outcome, row.not_delivered_reason, row.location, row.private, row.duration_minutes],
      ['not_delivered', 'prisoner_refused', null, null, null],
    )
  })
})

describe('no raw values (issue 12, point 5)', () => {
  it('shows the referred service’s phone and place as words on the submitted entry', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const fields = { ...basic(), referral0To: `service:${mdi().serviceId}` }
    const res = await kw.post(`/sessions/${id}/submit`, fields, `/sessions/${id}/edit`)
    assert.equal(res.headers.location, `/sessions/${id}`)
    const page = await kw.get(`/sessions/${id}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /\[object Object\]/)
    // test/fixtures.ts: the service's phone 0113 496 0100 (extension 2201), at the "Resettlement hub"
    assert.match(page.text, /Phone: 0113 496 0100/)
    assert.match(page.text, /Where: Resettlement hub/)
  })

  it('names who recorded and amended the entry, not their usernames', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    await kw.post(`/sessions/${id}/submit`, basic(), `/sessions/${id}/edit`)
    const amend = {
      ...{ sessionDate: today, startsAt: '10:15', durationMinutes: '50', location: 'interview_room', private: 'yes' },
      ...{ concernEscalatedTo: '', interpreterWhyNot: '', prisonerWords: 'I want to get a job in a kitchen.' },
      ...{ agreed: 'Look at catering courses.', reason: 'It ran over' },
    }
    assert.equal((await kw.post(`/sessions/${id}/amend`, amend)).headers.location, `/sessions/${id}`)
    const users = () => db().updateTable('users').where('username', '=', 'key_worker.mdi')
    await users().set({ display_name: 'Kim Okafor' }).execute()
    try {
      const page = (await kw.get(`/sessions/${id}`)).text
      const text = page.slice(page.indexOf('<main'))
      assert.match(text, /Recorded by Kim Okafor/)
      assert.match(text, /Amended by Kim Okafor on/)
      assert.doesNotMatch(text, /key_worker\.mdi/)
    } finally {
      await users().set({ display_name: 'key_worker.mdi' }).execute()
    }
  })
})

describe('nothing typed is lost when the sign-in expires (issue 12, point 4)', () => {
  it('answers the autosave of a signed-out officer with a 401, not the sign-in page', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const anonymous = new Browser(world.app)
    const res = await anonymous.agent
      .post(`/sessions/${id}/draft`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ agreed: 'Typed while signed out' })
    assert.equal(res.status, 401)
    assert.deepEqual(res.body, { status: 401, error: 'signed-out' })
    assert.doesNotMatch((await sessionRow(id)).draft_form ?? '', /Typed while signed out/)
  })

  it('brings a form submitted while signed out back to its page after signing in, unsaved', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const clientKey = (await sessionRow(id)).client_key!
    const officer = new Browser(world.app) // the same officer, whose sign-in has expired
    const res = await officer.agent
      .post(`/sessions/${id}/submit`)
      .type('form')
      .send({ _csrf: 'from-the-expired-sign-in', client_key: clientKey, ...basic(), agreed: 'Typed before expiry' })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/sign-in')
    const signIn = await officer.signIn('key_worker.mdi')
    assert.equal(signIn.headers.location, `/sessions/${id}/edit`)
    const page = await officer.get(`/sessions/${id}/edit`)
    assert.match(page.text, /You were signed out before this was saved/)
    assert.match(page.text, /Typed before expiry/)
    const row = await sessionRow(id)
    assert.equal(row.status, 'draft', 'not submitted without a fresh token')
    assert.doesNotMatch(row.draft_form ?? '', /Typed before expiry/, 'not saved either')
    // shown once: the next visit shows the draft as saved
    assert.doesNotMatch((await officer.get(`/sessions/${id}/edit`)).text, /Typed before expiry/)
  })

  it('never shows a form posted signed out for a draft without that draft’s own client key', async () => {
    const pn = await newPrisoner()
    const id = await start(kw, pn)
    const officer = new Browser(world.app)
    await officer.agent
      .post(`/sessions/${id}/submit`)
      .type('form')
      .send({ ...basic(), client_key: 'another-key-0000', agreed: 'Posted from another page' })
    assert.equal((await officer.signIn('key_worker.mdi')).headers.location, `/sessions/${id}/edit`)
    const page = await officer.get(`/sessions/${id}/edit`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /Posted from another page|You were signed out/)
  })
})
