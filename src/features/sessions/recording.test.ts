import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { NATIONAL_RUBRIC_V1 } from '../../domain/rubric'
import type { EntryForm } from '../../domain/sessionEntry'
import { type Services, buildServices } from '../../services'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { admitPrisoner } from '../../../test/support/prisoners'
import { mayAmend } from './amend'
import type { SessionRow } from './repository'
import { sessionsService } from './service'

// What recording an entry writes, rule by rule: the checks of its references (services, worksheets, hub bookings),
// the row as locked, the statistics moved in the same transaction (checked against a recount from the tables), the
// audit event's changes, the integrity checks and the key work case note queued with it; then the same for an
// amendment and a deletion. Two sessions services share one database: `full`, wired as an instance with the MoJ case
// notes service configured (only queued here, never sent), and `bare`, with none of the optional parts.

let world: SeededWorld
let full: Services
let bare: ReturnType<typeof sessionsService>
const logged: unknown[][] = []
const today = londonNow().date
const yesterday = addDays(today, -1)

before(async () => {
  world = await seededWorld()
  const plain = world.services
  full = buildServices(
    {
      ...plain.config,
      // queued in the outbox only: no test here sends, so nothing listens at this address
      hmppsAuth: { url: 'http://127.0.0.1:9/auth', clientId: 'keywork', clientSecret: 'not-a-secret' },
      caseNotes: { apiUrl: 'http://127.0.0.1:9' },
    },
    plain.db,
  )
  bare = sessionsService(plain.db.db, {
    audit: plain.audit,
    prisoners: plain.prisoners,
    staff: plain.staff,
    establishments: plain.establishments,
    directory: plain.directory,
    worksheets: plain.worksheets,
    hubs: plain.hubs,
    statistics: plain.statistics,
  })
  // the fixtures write some sessions directly: count them once, so that every change after this must keep it exact
  await plain.statistics.rebuild(world.seeded.MDI.establishmentId)
})
after(() => world.close())

const db = () => world.services.db.db
const mdi = () => world.seeded.MDI

/** The fixture's user of MDI as an actor, with the name and display name the users table holds. */
async function owner() {
  const u = await db()
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', '=', mdi().userId)
    .executeTakeFirstOrThrow()
  return { userId: u.id, username: u.username, displayName: u.display_name, establishmentId: mdi().establishmentId }
}

let seq = 0
/** A new prisoner in MDI, received a year ago; his prison number and id. */
async function newPrisoner(): Promise<{ prisonNumber: string; id: number }> {
  seq++
  const prisonNumber = `R${String(3000 + seq)}RC`
  const id = await admitPrisoner(world.services, mdi().establishmentId, {
    prisonNumber,
    firstName: 'Ray',
    lastName: `Record${seq}`,
    unit: mdi().unitCode,
    receptionDate: addDays(today, -365),
  })
  return { prisonNumber, id }
}

const LONG_WORDS =
  'I want to find somewhere to live before I get out, and I have been worried about it for weeks because my ' +
  'mum has moved away and I do not know anyone else who could put me up for a while.'
const LONG_AGREED =
  'We agreed that I will refer him to the resettlement advice service this week, that he will fill in the ' +
  'housing form with the hub officer on Thursday, and that we will go through what they say when we next meet.'

/** A delivered 45-minute session on the day, in a cell, with a narrative of 361 characters (not thin). */
function formOn(day: string, extra: EntryForm = {}): EntryForm {
  const [y, m, d] = day.split('-')
  return {
    outcome: 'delivered',
    'sessionDate-day': d!,
    'sessionDate-month': m!,
    'sessionDate-year': y!,
    duration: '45',
    location: 'cell',
    private: 'yes',
    interpreterNeeded: 'no',
    concern: 'no',
    prisonerWords: LONG_WORDS,
    agreed: LONG_AGREED,
    ...extra,
  }
}

/** A draft for the prisoner by the owner, through these sessions; its id. */
async function draft(sessions: Services['sessions'] | typeof bare, prisonNumber: string): Promise<number> {
  const started = await sessions.start(await owner(), mdi().establishmentId, prisonNumber)
  assert.ok(started !== 'not-found' && started.ok, JSON.stringify(started))
  return started.value.id
}

/** The entry's row as stored. */
const rowOf = (id: number) =>
  db().selectFrom('key_work_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** The audit events of an entry, oldest first, with their changes read. */
async function auditOf(id: number) {
  const rows = await db()
    .selectFrom('audit_events')
    .select(['action', 'username', 'changes'])
    .where('entity', '=', 'key_work_session')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
  return rows.map(r => ({ action: r.action, username: r.username, changes: JSON.parse(r.changes ?? 'null') }))
}

/** The case notes queued for an entry: kind, source and the note's text. */
async function outboxOf(id: number) {
  const rows = await db()
    .selectFrom('case_note_outbox')
    .select(['kind', 'source', 'payload'])
    .where('session_id', '=', id)
    .orderBy('id')
    .execute()
  return rows.map(r => ({ kind: r.kind, source: r.source, text: String(JSON.parse(r.payload).text ?? '') }))
}

/** The integrity flags raised on an entry, by kind. */
const flagsOf = async (id: number) =>
  (await db().selectFrom('integrity_flags').select('kind').where('session_id', '=', id).execute()).map(f => f.kind)

/** The stored statistics of MDI against a recount from the sessions: equal when they were moved exactly. */
async function assertStatisticsExact() {
  const s = world.services.statistics
  const { stored, fresh } = await s.verify(mdi().establishmentId)
  const figures = (a: {
    delivered: number
    notDelivered: number
    privateDelivered: number
    gapCount: number
    gapDays: number
    firstCount: number
    firstDays: number
  }) => [a.delivered, a.notDelivered, a.privateDelivered, a.gapCount, a.gapDays, a.firstCount, a.firstDays]
  assert.deepEqual(
    Object.fromEntries(
      stored.daily
        .filter(d => d.delivered + d.not_delivered > 0)
        .map(d => [
          d.day,
          figures({
            delivered: d.delivered,
            notDelivered: d.not_delivered,
            privateDelivered: d.private_delivered,
            gapCount: d.gap_count,
            gapDays: d.gap_days,
            firstCount: d.first_count,
            firstDays: d.first_days,
          }),
        ]),
    ),
    Object.fromEntries(
      [...fresh].filter(([, a]) => a.delivered + a.notDelivered > 0).map(([day, a]) => [day, figures(a)]),
    ),
  )
  const follow = await s.verifyFollowUps(mdi().establishmentId)
  assert.deepEqual(follow.stored, follow.fresh)
}

/** MDI's stored day of statistics for a date (the delivered sessions counted on it). */
async function deliveredOn(day: string): Promise<number> {
  const rows = (await world.services.statistics.verify(mdi().establishmentId)).stored.daily
  return rows.filter(r => r.day === day).reduce((n, r) => n + r.delivered, 0)
}

/** A booking of MDI's hub room today (written directly: the booking rules refuse times already past). */
const bookToday = (prisonerId: number | null) =>
  db()
    .insertInto('hub_bookings')
    .values({
      establishment_id: mdi().establishmentId,
      room_id: mdi().roomId,
      date: today,
      starts_at: '09:00',
      ends_at: '09:45',
      staff_id: null,
      prisoner_id: prisonerId,
      purpose: 'Key work session',
      booked_by_user_id: null,
      booked_by: 'fixture',
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()

describe('submitting: the references an entry makes', () => {
  it('refuses a referral to a service that is not taking referrals, naming it, and keeps the draft', async () => {
    const { prisonNumber } = await newPrisoner()
    const id = await draft(full.sessions, prisonNumber)
    const service = await db()
      .selectFrom('directory_services')
      .select(['id', 'name'])
      .where('id', '=', mdi().serviceId)
      .executeTakeFirstOrThrow()
    await db()
      .updateTable('directory_services')
      .set({ status: 'temporarily closed' })
      .where('id', '=', service.id)
      .execute()
    try {
      const form = formOn(today, { referral0To: `service:${service.id}`, agreed: `${LONG_AGREED} Closed one.` })
      const r = await full.sessions.submitEntry(await owner(), mdi().establishmentId, id, form)
      assert.deepEqual(r, {
        kind: 'invalid',
        errors: { referral0To: `${service.name} is not taking referrals at the moment` },
      })
      const row = await rowOf(id)
      assert.equal(row.status, 'draft')
      assert.match(row.draft_form ?? '', /Closed one\./)
      assert.equal((await db().selectFrom('referrals').select('id').where('session_id', '=', id).execute()).length, 0)
    } finally {
      await db().updateTable('directory_services').set({ status: 'active' }).where('id', '=', service.id).execute()
    }
  })

  it('refuses a worksheet that is not in the list, and a hub booking not on the day of the session', async () => {
    const { prisonNumber } = await newPrisoner()
    const id = await draft(full.sessions, prisonNumber)
    const owned = await owner()
    // another booking today, for someone else: a booking of the day, but not the one named
    await bookToday(null)
    // the seeded booking is a week ahead: not on the day of a session today
    const r = await full.sessions.submitEntry(
      owned,
      mdi().establishmentId,
      id,
      formOn(today, { worksheets: ['999999'], location: 'hub_room', hubBookingId: String(mdi().bookingId) }),
    )
    assert.deepEqual(r, {
      kind: 'invalid',
      errors: {
        worksheets: 'Select worksheets from the list',
        hubBookingId: 'Select a hub room booking on the day of the session',
      },
    })
    assert.equal((await rowOf(id)).status, 'draft')
  })

  it('keeps the hub booking of a session in a hub room, once it is a booking of that day', async () => {
    const { prisonNumber, id: prisonerId } = await newPrisoner()
    const booking = await bookToday(prisonerId)
    const id = await draft(full.sessions, prisonNumber)
    const r = await full.sessions.submitEntry(
      await owner(),
      mdi().establishmentId,
      id,
      formOn(today, { location: 'hub_room', hubBookingId: String(booking.id) }),
    )
    assert.equal(r.kind, 'submitted')
    const row = await rowOf(id)
    assert.equal(row.location, 'hub_room')
    assert.equal(row.hub_booking_id, booking.id)
  })

  it('refuses an entry for a prisoner who is now in another establishment, though still in custody', async () => {
    const { prisonNumber, id: prisonerId } = await newPrisoner()
    const id = await draft(full.sessions, prisonNumber)
    await db()
      .updateTable('prisoners')
      .set({ establishment_id: world.seeded.LEI.establishmentId })
      .where('id', '=', prisonerId)
      .execute()
    const r = await full.sessions.submitEntry(await owner(), mdi().establishmentId, id, formOn(today))
    assert.equal(r.kind, 'invalid')
    assert.deepEqual(Object.keys(r.kind === 'invalid' ? r.errors : {}), ['form'])
    assert.equal((await rowOf(id)).status, 'draft')
  })

  it('answers not found for an entry that does not exist', async () => {
    assert.deepEqual(await full.sessions.submitEntry(await owner(), mdi().establishmentId, 987654, formOn(today)), {
      kind: 'not-found',
    })
  })
})

describe('submitting: what a valid entry writes', () => {
  it('moves the statistics of the day the entry was started and of the day it is dated, in one transaction', async () => {
    const { prisonNumber } = await newPrisoner()
    const before = { today: await deliveredOn(today), yesterday: await deliveredOn(yesterday) }
    const id = await draft(full.sessions, prisonNumber)
    const r = await full.sessions.submitEntry(await owner(), mdi().establishmentId, id, formOn(yesterday))
    assert.equal(r.kind, 'submitted')
    assert.deepEqual(r.kind === 'submitted' ? r.prisoner : null, { first_name: 'Ray', last_name: `Record${seq}` })
    // one delivered session more, counted on the day it is dated: yesterday
    assert.equal(await deliveredOn(yesterday), before.yesterday + 1)
    assert.equal(await deliveredOn(today), before.today)
    await assertStatisticsExact()
  })

  it('writes goals, goal reviews and referrals, counts them, and names them in its audit event', async () => {
    const { prisonNumber } = await newPrisoner()
    const owned = await owner()
    const first = await draft(full.sessions, prisonNumber)
    const one = await full.sessions.submitEntry(
      owned,
      mdi().establishmentId,
      first,
      formOn(today, {
        goal0Description: 'Fill in the housing form',
        goal0Measure: 'The form is sent',
        goal0TargetDate: addDays(today, 14),
        referral0To: 'stakeholder:pom',
        referral0Note: 'Ask about an address',
      }),
    )
    assert.equal(one.kind, 'submitted')
    const goals = await db().selectFrom('session_goals').selectAll().where('set_in_session_id', '=', first).execute()
    assert.equal(goals.length, 1)
    assert.equal(goals[0]!.status, 'open')
    const referrals = await db().selectFrom('referrals').selectAll().where('session_id', '=', first).execute()
    assert.deepEqual(
      referrals.map(r => [r.service_id, r.stakeholder, r.note, r.status, r.created_by]),
      [[null, 'pom', 'Ask about an address', 'sent', owned.username]],
    )
    assert.deepEqual(one.kind === 'submitted' ? one.referralIds : null, [referrals[0]!.id])
    await assertStatisticsExact()

    // the next session reviews the goal as achieved: the review is kept, the goal's day counts it achieved
    const second = await draft(full.sessions, prisonNumber)
    const goalId = goals[0]!.id
    const two = await full.sessions.submitEntry(
      owned,
      mdi().establishmentId,
      second,
      formOn(today, { [`review${goalId}Status`]: 'achieved', [`review${goalId}Note`]: 'Sent on Monday' }),
    )
    assert.equal(two.kind, 'submitted')
    const goal = await db().selectFrom('session_goals').selectAll().where('id', '=', goalId).executeTakeFirstOrThrow()
    assert.equal(goal.status, 'achieved')
    assert.equal(goal.updated_in_session_id, second)
    await assertStatisticsExact()

    const [submitOne] = (await auditOf(first)).filter(e => e.action === 'submit')
    assert.deepEqual(submitOne?.changes, {
      prisoner: prisonNumber,
      outcome: 'delivered',
      not_delivered_reason: null,
      session_date: today,
      duration_minutes: 45,
      // the fixture user is linked to no officer: the prisoner is on no caseload of theirs
      on_caseload: 0,
      goals: [goalId],
      reviews: [],
      referrals: [referrals[0]!.id],
      worksheets: [],
    })
    const [submitTwo] = (await auditOf(second)).filter(e => e.action === 'submit')
    assert.deepEqual(submitTwo?.changes.reviews, [{ goal: goalId, status: 'achieved' }])
    assert.deepEqual(submitTwo?.changes.goals, [])
  })

  it('runs the integrity checks and queues its key work case note in the same transaction', async () => {
    const { prisonNumber } = await newPrisoner()
    const id = await draft(full.sessions, prisonNumber)
    // 45 minutes and a narrative of 34 characters: thin (under 300)
    const r = await full.sessions.submitEntry(
      await owner(),
      mdi().establishmentId,
      id,
      formOn(today, { prisonerWords: 'Said he was fine.', agreed: 'Meet next week.' }),
    )
    assert.equal(r.kind, 'submitted')
    assert.deepEqual(await flagsOf(id), ['thin'])
    assert.deepEqual(
      (await outboxOf(id)).map(o => [o.kind, o.source]),
      [['create', `session:${id}`]],
    )
  })

  it('records without the optional parts: no integrity checks, case notes, emails or logger wired', async () => {
    const { prisonNumber } = await newPrisoner()
    const id = await draft(bare, prisonNumber)
    // by an actor whose username is not known: the referral names them as unknown
    const r = await bare.submitEntry(
      { ...(await owner()), username: null },
      mdi().establishmentId,
      id,
      formOn(today, { referral0To: `service:${mdi().serviceId}` }),
    )
    assert.equal(r.kind, 'submitted')
    assert.deepEqual(await outboxOf(id), [])
    const referrals = await db().selectFrom('referrals').select('created_by').where('session_id', '=', id).execute()
    assert.deepEqual(referrals, [{ created_by: 'unknown' }])
  })
})

describe('submitting: the emails to the services referred to', () => {
  const withReferrals = (send: () => Promise<unknown[]>, logger?: { error: (...a: unknown[]) => void }) =>
    sessionsService(world.services.db.db, {
      audit: world.services.audit,
      prisoners: world.services.prisoners,
      staff: world.services.staff,
      establishments: world.services.establishments,
      directory: world.services.directory,
      worksheets: world.services.worksheets,
      hubs: world.services.hubs,
      statistics: world.services.statistics,
      referrals: { sendForNewReferrals: async () => (await send()) as never },
      ...(logger ? { logger } : {}),
    })

  it('asks for no email when the entry refers to no one', async () => {
    let asked = 0
    const sessions = withReferrals(async () => {
      asked++
      return []
    })
    const { prisonNumber } = await newPrisoner()
    const id = await draft(sessions, prisonNumber)
    assert.equal(
      (await sessions.submitEntry(await owner(), mdi().establishmentId, id, formOn(today))).kind,
      'submitted',
    )
    assert.equal(asked, 0)
  })

  it('logs a failed email with the referrals it was for, and without a logger still records the entry', async () => {
    logged.length = 0
    const failing = () => Promise.reject(new Error('Notify is down'))
    const sessions = withReferrals(failing, { error: (...a: unknown[]) => void logged.push(a) })
    const { prisonNumber } = await newPrisoner()
    const id = await draft(sessions, prisonNumber)
    const form = formOn(today, { referral0To: `service:${mdi().serviceId}` })
    const r = await sessions.submitEntry(await owner(), mdi().establishmentId, id, form)
    assert.equal(r.kind, 'submitted')
    assert.equal(logged.length, 1)
    const [fields, message] = logged[0] as [{ referralIds: number[] }, string]
    assert.deepEqual(fields.referralIds, r.kind === 'submitted' ? r.referralIds : [])
    assert.equal(message, 'sending referral emails failed; the referrals are saved')

    const silent = withReferrals(failing)
    const other = await newPrisoner()
    const id2 = await draft(silent, other.prisonNumber)
    assert.equal((await silent.submitEntry(await owner(), mdi().establishmentId, id2, form)).kind, 'submitted')
    assert.equal((await rowOf(id2)).status, 'submitted')
  })
})

/** The amendment form: every amendable value of an entry made by formOn(day), with these changed, and why. */
function amendForm(day: string, changes: Record<string, string>, reason: string): EntryForm {
  return {
    sessionDate: day,
    startsAt: '',
    durationMinutes: '45',
    location: 'cell',
    private: 'yes',
    concernEscalatedTo: '',
    interpreterWhyNot: '',
    prisonerWords: LONG_WORDS,
    agreed: LONG_AGREED,
    ...changes,
    reason,
  }
}

/** A submitted entry of a new prisoner, dated `day`, through the full service; its id. */
async function submitted(day = today): Promise<number> {
  const { prisonNumber } = await newPrisoner()
  const id = await draft(full.sessions, prisonNumber)
  const r = await full.sessions.submitEntry(await owner(), mdi().establishmentId, id, formOn(day))
  assert.equal(r.kind, 'submitted')
  return id
}

describe('amending a submitted entry', () => {
  it('may be done by its author, a Supervising Officer or an establishment admin, and only once submitted', () => {
    const entry = (status: string) => ({ status, author_user_id: 7 }) as SessionRow
    assert.equal(mayAmend(entry('submitted'), 7, []), true)
    assert.equal(mayAmend(entry('submitted'), 8, ['KEY_WORKER']), false)
    assert.equal(mayAmend(entry('submitted'), 8, ['SUPERVISING_OFFICER']), true)
    assert.equal(mayAmend(entry('submitted'), 8, ['ESTABLISHMENT_ADMIN']), true)
    assert.equal(mayAmend(entry('submitted'), 8, ['']), false)
    assert.equal(mayAmend(entry('draft'), 7, ['ESTABLISHMENT_ADMIN']), false)
    assert.equal(mayAmend(entry('deleted'), 7, []), false)
  })

  it('moves the statistics to the amended date, records the amendment and audits it with the reason', async () => {
    const id = await submitted(today)
    const owned = await owner()
    const before = { today: await deliveredOn(today), yesterday: await deliveredOn(yesterday) }
    const r = await full.sessions.amend(
      owned,
      mdi().establishmentId,
      id,
      amendForm(today, { sessionDate: yesterday }, 'Typed the wrong day'),
    )
    assert.ok(r !== 'not-found' && r.ok, JSON.stringify(r))
    assert.equal((await rowOf(id)).session_date, yesterday)
    assert.equal(await deliveredOn(today), before.today - 1)
    assert.equal(await deliveredOn(yesterday), before.yesterday + 1)
    await assertStatisticsExact()
    const amendment = await db()
      .selectFrom('session_amendments')
      .selectAll()
      .where('session_id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(amendment.id, r.value)
    assert.equal(amendment.amended_by, owned.username)
    assert.equal(amendment.reason, 'Typed the wrong day')
    const [event] = (await auditOf(id)).filter(e => e.action === 'amend')
    assert.deepEqual(event?.changes, {
      amendment: r.value,
      reason: 'Typed the wrong day',
      sessionDate: { from: today, to: yesterday },
    })
  })

  it('checks the amended date against today and the prisoner’s arrival', async () => {
    const id = await submitted(today)
    const tomorrow = await full.sessions.amend(
      await owner(),
      mdi().establishmentId,
      id,
      amendForm(today, { sessionDate: addDays(today, 1) }, 'Wrong day'),
    )
    assert.deepEqual(tomorrow, {
      ok: false,
      errors: { sessionDate: 'The date of the session must be today or in the past' },
    })
    const beforeArrival = await full.sessions.amend(
      await owner(),
      mdi().establishmentId,
      id,
      amendForm(today, { sessionDate: addDays(today, -400) }, 'Wrong day'),
    )
    assert.deepEqual(beforeArrival, {
      ok: false,
      errors: { sessionDate: 'The date of the session cannot be before the prisoner arrived at this establishment' },
    })
    assert.equal((await rowOf(id)).session_date, today)
  })

  it('runs the integrity checks on the amended narrative and queues the amendment to the case note', async () => {
    const id = await submitted(today)
    // (the entries here share their narrative, so each after the first is also a near-duplicate: not looked at here)
    const thin = async () => (await flagsOf(id)).filter(k => k === 'thin')
    assert.deepEqual(await thin(), [])
    const r = await full.sessions.amend(
      await owner(),
      mdi().establishmentId,
      id,
      amendForm(today, { prisonerWords: 'Fine.', agreed: 'Nothing.' }, 'Put the wrong prisoner’s words'),
    )
    assert.ok(r !== 'not-found' && r.ok)
    assert.deepEqual(await thin(), ['thin'])
    assert.deepEqual(
      (await outboxOf(id)).map(o => [o.kind, o.source]),
      [
        ['create', `session:${id}`],
        ['amend', `amendment:${r.value}`],
      ],
    )
  })

  it('amends without the optional parts wired', async () => {
    const id = await submitted(today)
    const r = await bare.amend(
      await owner(),
      mdi().establishmentId,
      id,
      amendForm(today, { durationMinutes: '50' }, 'Longer'),
    )
    assert.ok(r !== 'not-found' && r.ok)
    assert.equal((await rowOf(id)).duration_minutes, 50)
  })

  it('finds no entry to amend that is a draft, deleted, of another establishment or missing', async () => {
    const { prisonNumber } = await newPrisoner()
    const draftId = await draft(full.sessions, prisonNumber)
    const form = amendForm(today, { durationMinutes: '50' }, 'Longer')
    const owned = await owner()
    assert.equal(await full.sessions.amend(owned, mdi().establishmentId, draftId, form), 'not-found')
    assert.equal(await full.sessions.amend(owned, mdi().establishmentId, 987654, form), 'not-found')
    const id = await submitted(today)
    assert.equal(await full.sessions.amend(owned, world.seeded.LEI.establishmentId, id, form), 'not-found')
    const gone = await full.sessions.remove(owned, mdi().establishmentId, id, 'Wrong prisoner')
    assert.deepEqual(gone, { ok: true, value: undefined })
    assert.equal(await full.sessions.amend(owned, mdi().establishmentId, id, form), 'not-found')
  })
})

describe('deleting an entry', () => {
  it('needs a reason of at most 1,000 characters', async () => {
    const id = await submitted(today)
    const owned = await owner()
    assert.deepEqual(await full.sessions.remove(owned, mdi().establishmentId, id, '   '), {
      ok: false,
      errors: { reason: 'Enter why the entry is being deleted' },
    })
    assert.deepEqual(await full.sessions.remove(owned, mdi().establishmentId, id, 'x'.repeat(1001)), {
      ok: false,
      errors: { reason: 'The reason must be 1,000 characters or fewer' },
    })
    assert.equal((await rowOf(id)).status, 'submitted')
    assert.deepEqual(await full.sessions.remove(owned, mdi().establishmentId, id, 'y'.repeat(1000)), {
      ok: true,
      value: undefined,
    })
    assert.equal((await rowOf(id)).deleted_reason, 'y'.repeat(1000))
  })

  it('marks the entry deleted with who and why, moves the statistics and audits it', async () => {
    const id = await submitted(yesterday)
    const owned = await owner()
    const before = await deliveredOn(yesterday)
    assert.deepEqual(await full.sessions.remove(owned, mdi().establishmentId, id, '  Recorded twice  '), {
      ok: true,
      value: undefined,
    })
    const row = await rowOf(id)
    assert.deepEqual([row.status, row.deleted_by, row.deleted_reason], ['deleted', owned.username, 'Recorded twice'])
    assert.equal(await deliveredOn(yesterday), before - 1)
    await assertStatisticsExact()
    const [event] = (await auditOf(id)).filter(e => e.action === 'delete')
    assert.deepEqual(event?.changes, { status: { from: 'submitted', to: 'deleted' }, reason: 'Recorded twice' })
    // the case note says so, naming who deleted it as the users table names them
    const notes = await outboxOf(id)
    assert.deepEqual(
      notes.map(o => [o.kind, o.source]),
      [
        ['create', `session:${id}`],
        ['amend', `deletion:${id}`],
      ],
    )
    assert.match(notes[1]!.text, /Recorded twice/)
    assert.ok(notes[1]!.text.includes(owned.displayName ?? owned.username), notes[1]!.text)
    // deleted once: not found again, and nothing more written
    assert.equal(await full.sessions.remove(owned, mdi().establishmentId, id, 'Again'), 'not-found')
    assert.equal((await auditOf(id)).filter(e => e.action === 'delete').length, 1)
  })

  it('names an actor without a username as unknown, in the deletion and the amendment', async () => {
    const id = await submitted(today)
    const nameless = { userId: null, username: null, establishmentId: mdi().establishmentId }
    const r = await full.sessions.amend(
      nameless,
      mdi().establishmentId,
      id,
      amendForm(today, { durationMinutes: '40' }, 'Shorter'),
    )
    assert.ok(r !== 'not-found' && r.ok)
    const amendment = await db()
      .selectFrom('session_amendments')
      .selectAll()
      .where('id', '=', r.value)
      .executeTakeFirstOrThrow()
    assert.equal(amendment.amended_by, 'unknown')
    assert.deepEqual(await full.sessions.remove(nameless, mdi().establishmentId, id, 'Wrong prisoner'), {
      ok: true,
      value: undefined,
    })
    assert.equal((await rowOf(id)).deleted_by, 'unknown')
    const notes = await outboxOf(id)
    assert.equal(notes.at(-1)?.source, `deletion:${id}`)
    assert.match(notes.at(-1)!.text, /unknown/)
  })

  it('queues no case note for a draft deleted, and deletes without the optional parts wired', async () => {
    const { prisonNumber } = await newPrisoner()
    const draftId = await draft(full.sessions, prisonNumber)
    assert.deepEqual(await full.sessions.remove(await owner(), mdi().establishmentId, draftId, 'Started by mistake'), {
      ok: true,
      value: undefined,
    })
    assert.deepEqual(await outboxOf(draftId), [])
    const id = await submitted(today)
    assert.deepEqual(await bare.remove(await owner(), mdi().establishmentId, id, 'Wrong prisoner'), {
      ok: true,
      value: undefined,
    })
    assert.equal(await full.sessions.remove(await owner(), mdi().establishmentId, 987654, 'Missing'), 'not-found')
  })
})

describe('Check my entry without a rubric service: the national rubric, version 1', () => {
  it('estimates every national criterion it can, and says which a reader must judge', async () => {
    const { prisonNumber } = await newPrisoner()
    const id = await draft(bare, prisonNumber)
    const row = await bare.get(mdi().establishmentId, id)
    assert.ok(row)
    const check = await bare.checkEntryForm(row, formOn(today))
    assert.equal(check.stored.rubricVersion, 1)
    assert.equal(check.stored.rubricVersionId, null)
    const titles = new Map(NATIONAL_RUBRIC_V1.criteria.map(c => [c.code, c.title]))
    // the pre-check estimates these of version 1's nine criteria (precheck.ts): every one has a title of the rubric
    assert.ok(check.estimates.length >= 5, JSON.stringify(check.estimates))
    const words: Record<string, string> = {
      '1': '1 – Poor',
      '2': '2 – Requires improvement',
      '3': '3 – Good',
      '4': '4 – Good practice',
      null: 'For a reader to judge',
    }
    for (const e of check.estimates) {
      assert.equal(e.title, titles.get(e.code))
      assert.equal(e.label, words[String(e.estimate)])
    }
    assert.ok(check.estimates.some(e => e.estimate === null && e.label === 'For a reader to judge'))
    // no goal set and none open: the hint about goals, with the goal criterion's title
    const goalHint = check.hints.find(h => h.criterion === 'goal')
    assert.equal(goalHint?.title, titles.get('goal'))
  })

  it('reads the prisoner’s open goals when none are given: a goal left unreviewed is hinted at', async () => {
    const { prisonNumber } = await newPrisoner()
    const first = await draft(bare, prisonNumber)
    const r = await bare.submitEntry(
      await owner(),
      mdi().establishmentId,
      first,
      formOn(today, {
        goal0Description: 'Write to his sister',
        goal0Measure: 'A letter sent',
        goal0TargetDate: addDays(today, 7),
      }),
    )
    assert.equal(r.kind, 'submitted')
    const id = await draft(bare, prisonNumber)
    const row = await bare.get(mdi().establishmentId, id)
    assert.ok(row)
    const [goal] = await db().selectFrom('session_goals').select('id').where('set_in_session_id', '=', first).execute()
    const check = await bare.checkEntryForm(row, formOn(today))
    const hint = check.hints.find(h => h.criterion === 'goal')
    assert.match(hint?.message ?? '', /has an open goal and none is reviewed/)
    assert.equal(hint?.field, `review${goal!.id}Status`)
    // the submit stores the same pre-check with the entry, read against the same open goal
    assert.equal((await bare.submitEntry(await owner(), mdi().establishmentId, id, formOn(today))).kind, 'submitted')
    const stored = JSON.parse((await rowOf(id)).precheck ?? '{}') as { hints: { criterion: string; field: string }[] }
    assert.equal(stored.hints.find(h => h.criterion === 'goal')?.field, `review${goal!.id}Status`)
  })
})
