import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import {
  insertAmendment,
  insertGoal,
  insertGoalReview,
  insertReferral,
  insertSession,
} from '../../../test/support/referrals'
import { type SessionRow, amended, buildTimeline } from './build'

const world = await seededWorld()
const s = world.services
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = londonNow().date
const est = mdi.establishmentId
const prisonerId = (await s.prisoners.get(est, mdi.prisonNumber))!.id
const actor = { ...SYSTEM_ACTOR, username: 'supervising_officer.mdi', establishmentId: est }

// A history: an allocation with a handover note; an older session with a goal and a referral; a newer session
// reviewing the goal as achieved (then amended); a not-delivered session; a draft; a deleted entry.
const allocated = await s.allocations.allocate(actor, est, mdi.prisonNumber, mdi.staffId, {
  reason: 'manual',
  handoverNote: 'Settles well with a morning session.',
})
assert.ok(allocated.ok, JSON.stringify(allocated))
const base = { establishmentId: est, prisonerId, staffId: mdi.staffId, author: 'key_worker.mdi' }
const older = await insertSession(s.db.db, {
  ...base,
  sessionDate: addDays(today, -30),
  agreed: 'AGREED-OLDER: write to the housing officer',
  prisonerWords: 'I want somewhere to live near my daughter.',
  pathways: 'accommodation,children-families',
})
await insertGoal(s.db.db, {
  establishmentId: est,
  prisonerId,
  sessionId: older,
  description: 'GOAL-OPEN: open a bank account',
})
const goalDone = await insertGoal(s.db.db, {
  establishmentId: est,
  prisonerId,
  sessionId: older,
  description: 'GOAL-DONE: get a birth certificate',
})
const referralPom = await insertReferral(s.db.db, {
  establishmentId: est,
  prisonerId,
  sessionId: older,
  stakeholder: 'pom',
  note: 'REFERRAL-POM: sentence plan review',
  followUpDate: addDays(today, -2),
  createdBy: 'key_worker.mdi',
})
const referralDone = await insertReferral(s.db.db, {
  establishmentId: est,
  prisonerId,
  sessionId: older,
  stakeholder: 'chaplaincy',
  note: 'REFERRAL-CHAPLAINCY',
  createdBy: 'key_worker.mdi',
})
const notDelivered = await insertSession(s.db.db, {
  ...base,
  sessionDate: addDays(today, -20),
  outcome: 'not_delivered',
  notDeliveredReason: 'unavailable_court',
})
const newer = await insertSession(s.db.db, { ...base, sessionDate: addDays(today, -10), agreed: 'AGREED-ORIGINAL' })
await insertGoalReview(s.db.db, {
  goalId: goalDone,
  sessionId: newer,
  status: 'achieved',
  note: 'Certificate arrived.',
})
await insertAmendment(s.db.db, {
  sessionId: newer,
  by: 'key_worker.mdi',
  reason: 'Typed the wrong plan',
  changes: { agreed: { from: 'AGREED-ORIGINAL', to: 'AGREED-NEWER: apply for ID' } },
})
await insertSession(s.db.db, { ...base, sessionDate: addDays(today, -5), status: 'draft', agreed: 'AGREED-DRAFT' })
await insertSession(s.db.db, {
  ...base,
  sessionDate: addDays(today, -8),
  status: 'deleted',
  agreed: 'AGREED-DELETED',
  deletedBy: 'establishment_admin.mdi',
  deletedReason: 'Entered for the wrong prisoner',
})
const update = await s.referrals.update(actor, est, referralDone, { status: 'done', followUpDate: null })
assert.ok(update.ok)

const at = (text: string, needle: string) => {
  const i = text.indexOf(needle)
  assert.ok(i >= 0, `page shows ${needle}`)
  return i
}

describe('the prisoner’s key work timeline', () => {
  it('shows sessions, goals, referrals and allocations, newest first, without drafts', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const res = await kw.get(`/prisoners/${mdi.prisonNumber}/timeline`)
    assert.equal(res.status, 200)
    const t = res.text
    assert.doesNotMatch(t, /AGREED-DRAFT/)
    assert.doesNotMatch(t, /AGREED-DELETED|Entered for the wrong prisoner/, 'deleted entries are for admins only')
    // newest first: the status change (today), the amended newer session and its goal review, the not-delivered
    // session, the older session and what it produced; the allocation (today) at the top
    assert.ok(at(t, 'Referral to Chaplaincy: done') < at(t, 'AGREED-NEWER: apply for ID'))
    assert.ok(at(t, 'Key Worker: Sam Officer MDI') < at(t, 'AGREED-NEWER'))
    assert.ok(at(t, 'AGREED-NEWER') < at(t, 'Goal achieved'))
    assert.ok(at(t, 'Goal achieved') < at(t, 'Not delivered: Prisoner unavailable: court'))
    assert.ok(at(t, 'Not delivered: Prisoner unavailable: court') < at(t, 'AGREED-OLDER'))
    assert.ok(at(t, 'AGREED-OLDER') < at(t, 'GOAL-OPEN: open a bank account'))
    assert.ok(at(t, 'GOAL-OPEN') < at(t, 'REFERRAL-POM'))
    assert.doesNotMatch(t, /AGREED-ORIGINAL<\/dd>/, 'the session reads as amended')
    // the field changed by its label, never its internal name
    assert.match(t, /Amended on .* by key_worker\.mdi: Typed the wrong plan \(changed: what was agreed\)/)
    assert.match(t, /Settles well with a morning session\./, 'the handover note')
    assert.match(t, /Accommodation, Children and families/)
    assert.match(t, new RegExp(`href="/referrals/${referralPom}"`))
    assert.match(t, new RegExp(`href="/sessions/${older}"`))
    assert.match(t, new RegExp(`href="/sessions/${notDelivered}"`))
  })

  it('shows deleted entries to admins, with who deleted them and why', async () => {
    for (const user of ['establishment_admin.mdi']) {
      const admin = await signedIn(world, user)
      const t = (await admin.get(`/prisoners/${mdi.prisonNumber}/timeline`)).text
      assert.match(t, /Deleted by establishment_admin\.mdi: Entered for the wrong prisoner/)
      assert.doesNotMatch(t, /AGREED-DELETED/, 'only the fact of the deletion')
      assert.doesNotMatch(t, /AGREED-DRAFT/)
    }
  })

  it('audits the view like the prisoner page', async () => {
    const so = await signedIn(world, 'supervising_officer.mdi')
    assert.equal((await so.get(`/prisoners/${mdi.prisonNumber}/timeline`)).status, 200)
    const [event] = await s.audit.forEntity('prisoner', mdi.prisonNumber, 1)
    assert.equal(event?.action, 'view')
    assert.equal(event?.username, 'supervising_officer.mdi')
    assert.deepEqual(JSON.parse(event!.changes!), { page: 'timeline' })
  })

  it('is linked from the prisoner page', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const t = (await kw.get(`/prisoners/${mdi.prisonNumber}`)).text
    assert.match(t, new RegExp(`href="/prisoners/${mdi.prisonNumber}/timeline"`))
    assert.match(t, new RegExp(`href="/prisoners/${mdi.prisonNumber}/timeline/print"`))
  })

  it('hides another establishment’s prisoner', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.equal((await kw.get(`/prisoners/${lei.prisonNumber}/timeline`)).status, 404)
    assert.equal((await kw.get(`/prisoners/${lei.prisonNumber}/timeline/print`)).status, 404)
    assert.equal((await kw.get('/prisoners/NOT-A-NUMBER/timeline')).status, 404)
  })
})

describe('the printable summary', () => {
  it('shows the Key Worker, open goals, open referrals and the last sessions’ agreed actions', async () => {
    const pom = await signedIn(world, 'supervising_officer.mdi')
    const res = await pom.get(`/prisoners/${mdi.prisonNumber}/timeline/print`)
    assert.equal(res.status, 200)
    const t = res.text
    assert.match(t, /href="\/static\/app\/timeline\.css"/)
    assert.match(t, /Sam Officer MDI, since/)
    assert.match(t, /Settles well with a morning session\./)
    assert.match(t, /GOAL-OPEN: open a bank account/)
    assert.doesNotMatch(t, /GOAL-DONE/, 'an achieved goal is not open')
    assert.match(t, /REFERRAL-POM/)
    assert.match(t, /\(overdue\)/)
    assert.doesNotMatch(t, /REFERRAL-CHAPLAINCY/, 'a done referral is not open')
    assert.ok(at(t, 'AGREED-NEWER: apply for ID') < at(t, 'AGREED-OLDER'))
    assert.doesNotMatch(t, /AGREED-DRAFT|AGREED-DELETED/)
    const [event] = await s.audit.forEntity('prisoner', mdi.prisonNumber, 1)
    assert.deepEqual(JSON.parse(event!.changes!), { page: 'timeline summary' })
  })

  it('serves the print stylesheet', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const css = await kw.get('/static/app/timeline.css')
    assert.equal(css.status, 200)
    assert.match(css.text, /@media print/)
  })
})

describe('buildTimeline', () => {
  const session = (over: Partial<SessionRow>): SessionRow => ({
    id: 1,
    status: 'submitted',
    outcome: 'delivered',
    not_delivered_reason: null,
    not_delivered_detail: null,
    session_date: '2025-03-01',
    starts_at: '10:00',
    duration_minutes: 45,
    location: 'cell',
    private: 0,
    interpreter_needed: 1,
    interpreter_used: 0,
    interpreter_language: null,
    interpreter_why_not: 'No phone on the wing',
    pathways: '',
    concern: 1,
    concern_escalated_to: null,
    prisoner_words: null,
    agreed: null,
    author: 'kw',
    on_caseload: 0,
    submitted_at: '2025-03-01T11:00:00.000Z',
    deleted_at: null,
    deleted_by: null,
    deleted_reason: null,
    staff_first_name: null,
    staff_last_name: null,
    ...over,
  })
  const empty = { amendments: [], goals: [], goalReviews: [], referrals: [], referralChanges: [], allocations: [] }

  it('orders by moment, newest first, the session before what it produced', () => {
    const events = buildTimeline({
      ...empty,
      sessions: [session({ id: 1, session_date: '2025-03-01' }), session({ id: 2, session_date: '2025-04-01' })],
      goals: [
        {
          id: 9,
          description: 'g',
          measure: 'm',
          target_date: null,
          status: 'open',
          session_date: '2025-04-01',
          starts_at: '10:00',
          author: 'kw',
        },
      ],
    })
    assert.deepEqual(
      events.map(e => [e.kind, e.date]),
      [
        ['session', '2025-04-01'],
        ['goal_set', '2025-04-01'],
        ['session', '2025-03-01'],
      ],
    )
  })

  it('says what went wrong: interpreter not used, concern not escalated, recorded as cover', () => {
    const [e] = buildTimeline({ ...empty, sessions: [session({})] })
    const d = Object.fromEntries(e!.details)
    assert.equal(d.Interpreter, 'Needed but not used: No phone on the wing')
    assert.equal(d['Wellbeing or self-harm concern'], 'Not escalated')
    assert.match(d.Caseload ?? '', /cover/)
    assert.equal(d.Location, 'Cell, not private')
  })

  it('applies amendments in order, by form field name', () => {
    const r = amended(session({ agreed: 'a', duration_minutes: 45, private: 0 }), [
      {
        session_id: 1,
        amended_at: '',
        amended_by: 'x',
        reason: 'r',
        changes: JSON.stringify({ agreed: { from: 'a', to: 'b' } }),
      },
      {
        session_id: 1,
        amended_at: '',
        amended_by: 'x',
        reason: 'r',
        changes: JSON.stringify({
          agreed: { from: 'b', to: 'c' },
          durationMinutes: { from: '45', to: '60' },
          private: { from: 'no', to: 'yes' },
        }),
      },
      { session_id: 1, amended_at: '', amended_by: 'x', reason: 'r', changes: 'not json' },
    ])
    assert.equal(r.agreed, 'c')
    assert.equal(r.duration_minutes, 60)
    assert.equal(r.private, 1)
  })
})

describe('names, not usernames or field names (issue 12, point 5)', () => {
  it('shows who did what by their name, and an amended field by its label', async () => {
    const db = world.services.db.db
    await db.updateTable('users').set({ display_name: 'Kim Okafor' }).where('username', '=', 'key_worker.mdi').execute()
    try {
      const kw = await signedIn(world, 'key_worker.mdi')
      const t = (await kw.get(`/prisoners/${mdi.prisonNumber}/timeline`)).text
      assert.match(t, /Amended on .* by Kim Okafor: Typed the wrong plan \(changed: what was agreed\)/)
      assert.doesNotMatch(t, /by key_worker\.mdi/, 'no username where a name belongs')
    } finally {
      await db
        .updateTable('users')
        .set({ display_name: 'key_worker.mdi' })
        .where('username', '=', 'key_worker.mdi')
        .execute()
    }
  })

  it('labels every field an amendment can change', () => {
    // the amendment form's labels (src/domain/sessionEntry.ts AMENDABLE), written out here
    const labels: Record<string, string> = {
      sessionDate: 'date of the session',
      startsAt: 'start time',
      durationMinutes: 'duration (minutes)',
      location: 'location',
      private: 'private',
      concernEscalatedTo: 'concern escalated to',
      interpreterWhyNot: 'why no interpreter was used',
      prisonerWords: 'what the prisoner said',
      agreed: 'what was agreed',
    }
    const changes = Object.fromEntries(Object.keys(labels).map(k => [k, { from: '', to: '' }]))
    const [event] = buildTimeline({
      sessions: [
        {
          ...{ id: 1, status: 'submitted', outcome: 'delivered', session_date: '2026-01-01', starts_at: null },
          ...{ not_delivered_reason: null, not_delivered_detail: null, duration_minutes: 45, location: 'cell' },
          ...{ private: 1, interpreter_needed: 0, interpreter_used: 0, interpreter_language: null, pathways: '' },
          ...{ interpreter_why_not: null, concern: 0, concern_escalated_to: null, prisoner_words: null, agreed: 'a' },
          ...{ author: 'kw', on_caseload: 1, submitted_at: '2026-01-01T11:00:00.000Z', deleted_at: null },
          ...{ deleted_by: null, deleted_reason: null, staff_first_name: null, staff_last_name: null },
        },
      ],
      amendments: [
        { session_id: 1, amended_at: '2026-01-02', amended_by: 'x', reason: 'r', changes: JSON.stringify(changes) },
      ],
      goals: [],
      goalReviews: [],
      referrals: [],
      referralChanges: [],
      allocations: [],
    })
    assert.match(
      event!.notes[0]!,
      new RegExp(`\\(changed: ${Object.values(labels).join(', ').replace(/[()]/g, '\\$&')}\\)`),
    )
  })
})

describe('buildTimeline: referral notes and imported allocations', () => {
  const empty = { sessions: [], amendments: [], goals: [], goalReviews: [], referrals: [], referralChanges: [] }
  const allocation = (allocation_reason: string) => ({
    id: 1,
    allocated_at: '2025-02-01T12:00:00.000Z',
    allocated_by: 'importer',
    allocation_reason,
    deallocated_at: null,
    deallocated_by: null,
    deallocation_reason: null,
    deallocation_note: null,
    handover_note: null,
    cover_until: null,
    staff_first_name: 'Ann',
    staff_last_name: 'Lee',
  })

  it('says how a Key Worker was allocated: automatically, by hand, or imported from an earlier record', () => {
    const how = (reason: string) =>
      buildTimeline({ ...empty, allocations: [allocation(reason)] })[0]?.details.find(([k]) => k === 'How')?.[1]
    assert.equal(how('auto'), 'Automatic allocation')
    assert.equal(how('manual'), 'By hand')
    assert.equal(how('imported'), 'Imported from an earlier record')
  })

  it('shows a referral’s follow-up note, also when the note is all that changed', () => {
    const referral = {
      id: 4,
      service_id: null,
      stakeholder: 'Chaplaincy',
      service_name: null,
      note: null,
      status: 'acknowledged',
      follow_up_date: '2025-03-10',
      created_by: 'kw',
      session_date: '2025-03-01',
      starts_at: '10:00',
    }
    const change = (at: string, changes: object) => ({
      at,
      username: 'kw',
      entity_id: '4',
      changes: JSON.stringify(changes),
    })
    const events = buildTimeline({
      ...empty,
      allocations: [],
      referrals: [referral],
      referralChanges: [
        change('2025-03-02T10:00:00.000Z', {
          status: { from: 'sent', to: 'acknowledged' },
          follow_up_date: { from: '2025-03-01', to: '2025-03-10' },
          follow_up_note: { from: null, to: 'Appointment on the 9th' },
        }),
        change('2025-03-05T10:00:00.000Z', { follow_up_note: { from: null, to: 'He went' } }),
      ],
    }).filter(e => e.kind === 'referral_change')
    assert.deepEqual(
      events.map(e => [e.title, e.details]),
      [
        ['Referral to Chaplaincy: note added', [['Note', 'He went']]],
        [
          'Referral to Chaplaincy: acknowledged',
          [
            ['Follow up by', '10 March 2025'],
            ['Note', 'Appointment on the 9th'],
          ],
        ],
      ],
    )
  })
})
