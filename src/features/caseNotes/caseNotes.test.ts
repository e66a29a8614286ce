import assert from 'node:assert/strict'
import { after, afterEach, before, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { setClock } from '../../domain/clock'
import { SYSTEM_ACTOR, type Actor } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { type Services, buildServices } from '../../services'
import { createApp } from '../../app'
import { type World, signedIn, testWorld } from '../../../test/harness'
import { recordSession } from '../../../test/support/sessions'
import { FAKE_CLIENT, type FakeCaseNotes, startFakeCaseNotes } from '../../../test/support/fakeCaseNotes'

// Each submitted session pushed to the MoJ case notes service (a local fake of it) through the outbox.

const fake: FakeCaseNotes = await startFakeCaseNotes()
const base = await testWorld()
const plain = base.services // not configured: CASE_NOTES_API_URL unset
// the same database with the case notes service configured, as an instance started with the settings would be
const configured = (): Services =>
  buildServices(
    {
      ...plain.config,
      hmppsAuth: { url: `${fake.url}/auth`, clientId: FAKE_CLIENT.id, clientSecret: FAKE_CLIENT.secret },
      caseNotes: { apiUrl: fake.url },
    },
    plain.db,
  )
const s = configured()
const world: World = { services: s, app: createApp(s), est: base.est }
const db = plain.db.db
const MDI = base.est.MDI!
const LEI = base.est.LEI!
after(async () => {
  await fake.close()
  await base.close()
})
afterEach(() => setClock(null))

const day = addDays(todayIso(), -2)
let kw: Actor
let kwLei: Actor
let n = 0
/** A new prisoner of MDI (or LEI), for one test's sessions. */
async function prisoner(establishmentId = MDI): Promise<string> {
  n++
  const prisonNumber = `A${String(1000 + n)}CN`
  const r = await s.prisoners.create(
    { ...SYSTEM_ACTOR, establishmentId },
    establishmentId,
    prisonerRecordSchema.parse({
      prisonNumber,
      firstName: 'Test',
      lastName: `Man${n}`,
      dateOfBirth: '1985-01-01',
      unit: '',
      cell: '',
      receptionDate: '2025-01-10',
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    }),
  )
  assert.ok(r.ok, JSON.stringify(r))
  return prisonNumber
}

const rowsOf = (prisonNumber: string) =>
  db.selectFrom('case_note_outbox').selectAll().where('prison_number', '=', prisonNumber).orderBy('id').execute()
const writesFor = (prisonNumber: string) =>
  fake.requests.filter(r => r.method !== 'GET' && r.path.startsWith(`/case-notes/${prisonNumber}`))
const notesFor = (prisonNumber: string) => fake.notes.filter(x => x.offenderIdentifier === prisonNumber)
/** Moves the clock past any back-off (the next try of every pending row is due). */
const later = (hours: number) => setClock(new Date(Date.now() + hours * 60 * 60_000))

before(async () => {
  const user = async (username: string, establishmentId: number) => {
    const [u] = (await s.users.list(establishmentId, username)).filter(x => x.username === username)
    return { userId: u!.id, username, establishmentId }
  }
  kw = await user('key_worker.mdi', MDI)
  kwLei = await user('key_worker.lei', LEI)
})

/** The amendment form: every amendable value as text, changed or not, and why. */
const amendForm = (changes: Record<string, string>, reason: string) => ({
  sessionDate: day,
  startsAt: '10:00',
  durationMinutes: '45',
  location: 'interview_room',
  private: 'yes',
  concernEscalatedTo: '',
  interpreterWhyNot: '',
  prisonerWords: 'I want to sort out somewhere to live before release.',
  agreed: 'To look at housing options together next time.',
  ...changes,
  reason,
})

describe('not configured', () => {
  it('queues nothing and sends nothing', async () => {
    assert.equal(plain.caseNotes.configured, false)
    const pn = await prisoner()
    const id = await recordSession(plain.sessions, kw, MDI, pn, {}, day)
    const r = await plain.sessions.amend(kw, MDI, id, amendForm({ agreed: 'Nothing.' }, 'Typed wrongly'))
    assert.ok(r !== 'not-found' && r.ok)
    assert.deepEqual(await rowsOf(pn), [])
    assert.deepEqual(await plain.caseNotes.sendDue(), { sent: 0, retrying: 0, failed: 0, waiting: 0 })
    assert.deepEqual(writesFor(pn), [])
  })
})

describe('a submitted session', () => {
  it('is queued with the submit and posted once as a KA/KS note, with its key and the establishment', async () => {
    const pn = await prisoner()
    const id = await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const [row] = await rowsOf(pn)
    assert.equal(row!.status, 'pending')
    assert.equal(row!.session_id, id)
    assert.equal(await s.caseNotes.sendDue().then(r => r.sent >= 1), true)
    const writes = writesFor(pn)
    assert.equal(writes.length, 1)
    assert.equal(writes[0]!.method, 'POST')
    assert.equal(writes[0]!.path, `/case-notes/${pn}`)
    assert.equal(writes[0]!.caseloadId, 'MDI')
    assert.equal(writes[0]!.authorization, 'Bearer fake-token-1')
    assert.equal(writes[0]!.idempotencyKey, row!.idempotency_key)
    assert.deepEqual(writes[0]!.body, {
      locationId: 'MDI',
      type: 'KA',
      subType: 'KS',
      occurrenceDateTime: `${day}T10:00:00`,
      text:
        'Key work session held (45 minutes, interview room, private).\n' +
        'What the prisoner said: I want to sort out somewhere to live before release.\n' +
        'What was agreed: To look at housing options together next time.\n' +
        'Pathways discussed: Accommodation.\n' +
        'Recorded in keywork by key_worker.mdi.',
      systemGenerated: false,
    })
    const [sent] = await rowsOf(pn)
    assert.equal(sent!.status, 'sent')
    assert.equal(sent!.attempts, 1)
    assert.equal(sent!.case_note_id, notesFor(pn)[0]!.caseNoteId)
    assert.equal(sent!.payload, '') // the text is at the service: no second copy kept
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'username'])
      .where('entity', '=', 'case_note_outbox')
      .where('entity_id', '=', String(sent!.id))
      .execute()
    assert.deepEqual(audit, [{ action: 'send', username: 'case notes sender' }])
  })

  it('not delivered: a KA/KE entry saying why', async () => {
    const pn = await prisoner()
    await recordSession(
      s.sessions,
      kw,
      MDI,
      pn,
      {
        outcome: 'not_delivered',
        notDeliveredReason: 'prisoner_refused',
        startsAt: '',
        duration: '',
        location: '',
        private: '',
        interpreterUsed: '',
        pathways: [],
        prisonerWords: '',
        agreed: '',
      },
      day,
    )
    await s.caseNotes.sendDue()
    const writes = writesFor(pn)
    assert.equal(writes.length, 1)
    assert.deepEqual(writes[0]!.body, {
      locationId: 'MDI',
      type: 'KA',
      subType: 'KE',
      occurrenceDateTime: `${day}T00:00:00`,
      text: 'Key work session not held: Prisoner refused.\nRecorded in keywork by key_worker.mdi.',
      systemGenerated: false,
    })
  })

  it('an amendment is PUT to the note by its case note id, after the note, even when made before it was sent', async () => {
    const pn = await prisoner()
    const id = await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const r = await s.sessions.amend(
      kw,
      MDI,
      id,
      amendForm({ agreed: 'To see the housing officer on Monday.' }, 'Housing officer booked'),
    )
    assert.ok(r !== 'not-found' && r.ok, JSON.stringify(r))
    const queued = await rowsOf(pn)
    assert.deepEqual(
      queued.map(q => [q.kind, q.status]),
      [
        ['create', 'pending'],
        ['amend', 'pending'],
      ],
    )
    await s.caseNotes.sendDue()
    const writes = writesFor(pn)
    const noteId = notesFor(pn)[0]!.caseNoteId
    assert.deepEqual(
      writes.map(w => [w.method, w.path]),
      [
        ['POST', `/case-notes/${pn}`],
        ['PUT', `/case-notes/${pn}/${noteId}`],
      ],
    )
    assert.deepEqual(writes[1]!.body, {
      text:
        'Amended in keywork by key_worker.mdi: Housing officer booked\n' +
        'What was agreed: To look at housing options together next time. → To see the housing officer on Monday.',
    })
    assert.equal(writes[1]!.idempotencyKey, queued[1]!.idempotency_key)
    assert.deepEqual(
      (await rowsOf(pn)).map(q => [q.kind, q.status, q.case_note_id]),
      [
        ['create', 'sent', noteId],
        ['amend', 'sent', noteId],
      ],
    )
    assert.equal(notesFor(pn)[0]!.amendments.length, 1)
  })

  it('a deleted entry is amended at the service to say so, who deleted it and why, after its note', async () => {
    const pn = await prisoner()
    const id = await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const r = await s.sessions.remove(kw, MDI, id, 'Recorded against the wrong man')
    assert.ok(r !== 'not-found' && r.ok, JSON.stringify(r))
    assert.deepEqual(
      (await rowsOf(pn)).map(q => [q.kind, q.source, q.status]),
      [
        ['create', `session:${id}`, 'pending'],
        ['amend', `deletion:${id}`, 'pending'],
      ],
    )
    await s.caseNotes.sendDue()
    const noteId = notesFor(pn)[0]!.caseNoteId
    const writes = writesFor(pn)
    assert.deepEqual(
      writes.map(w => [w.method, w.path]),
      [
        ['POST', `/case-notes/${pn}`],
        ['PUT', `/case-notes/${pn}/${noteId}`],
      ],
    )
    assert.deepEqual(writes[1]!.body, {
      text:
        'Deleted in keywork by key_worker.mdi: Recorded against the wrong man\n' +
        'This entry no longer stands as a key work session in keywork.',
    })
    assert.equal(notesFor(pn)[0]!.amendments.length, 1)
  })

  it('a session submitted before case notes were configured has no note: its amendment and deletion queue nothing', async () => {
    const pn = await prisoner()
    const id = await recordSession(plain.sessions, kw, MDI, pn, {}, day)
    const amended = await s.sessions.amend(kw, MDI, id, amendForm({ agreed: 'Changed later.' }, 'A correction'))
    assert.ok(amended !== 'not-found' && amended.ok)
    const removed = await s.sessions.remove(kw, MDI, id, 'A duplicate')
    assert.ok(removed !== 'not-found' && removed.ok)
    assert.deepEqual(await rowsOf(pn), [])
  })

  it('an amendment waits while its note cannot be sent, and follows it once it is', async () => {
    const pn = await prisoner()
    const id = await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const r = await s.sessions.amend(kw, MDI, id, amendForm({ agreed: 'Changed.' }, 'A correction'))
    assert.ok(r !== 'not-found' && r.ok)
    fake.plan.push(503)
    const first = await s.caseNotes.sendDue()
    assert.equal(first.retrying, 1)
    assert.equal(first.waiting, 1)
    const [note, amendment] = await rowsOf(pn)
    assert.equal(note!.attempts, 1)
    assert.equal(amendment!.attempts, 0) // waiting is not an attempt
    later(1)
    await s.caseNotes.sendDue()
    assert.deepEqual(
      (await rowsOf(pn)).map(q => q.status),
      ['sent', 'sent'],
    )
    assert.deepEqual(
      writesFor(pn).map(w => w.method),
      ['POST', 'POST', 'PUT'],
    )
  })
})

describe('failures', () => {
  it('the service failing twice, then answering: one note, three attempts, the same key each time', async () => {
    const pn = await prisoner()
    await recordSession(s.sessions, kw, MDI, pn, {}, day)
    fake.plan.push(503, 500)
    assert.equal((await s.caseNotes.sendDue()).retrying, 1)
    const [once] = await rowsOf(pn)
    assert.equal(once!.status, 'pending')
    assert.equal(once!.last_error, 'The case notes service answered 503 (unavailable)')
    // not due again until its back-off (one minute) has passed
    assert.ok(once!.next_attempt_at > new Date().toISOString())
    assert.equal((await s.caseNotes.sendDue()).retrying, 0)
    later(1)
    assert.equal((await s.caseNotes.sendDue()).retrying, 1)
    later(2)
    await s.caseNotes.sendDue()
    const [row] = await rowsOf(pn)
    assert.equal(row!.status, 'sent')
    assert.equal(row!.attempts, 3)
    assert.equal(row!.last_error, null)
    assert.equal(notesFor(pn).length, 1)
    assert.equal(row!.case_note_id, notesFor(pn)[0]!.caseNoteId)
    const posts = writesFor(pn)
    assert.equal(posts.length, 3)
    assert.deepEqual(new Set(posts.map(p => p.idempotencyKey)), new Set([row!.idempotency_key]))
  })

  it('the service writing the note but the connection dropping before its answer: no second note', async () => {
    const pn = await prisoner()
    await recordSession(s.sessions, kw, MDI, pn, {}, day)
    fake.plan.push('drop')
    assert.equal((await s.caseNotes.sendDue()).retrying, 1)
    assert.equal(notesFor(pn).length, 1) // it was written
    later(1)
    await s.caseNotes.sendDue()
    const [row] = await rowsOf(pn)
    assert.equal(row!.status, 'sent')
    assert.equal(row!.attempts, 2)
    assert.equal(notesFor(pn).length, 1)
    assert.equal(row!.case_note_id, notesFor(pn)[0]!.caseNoteId)
    assert.equal(writesFor(pn).length, 1) // found by looking, not posted again
  })

  it('an amendment whose answer was lost is not appended twice', async () => {
    const pn = await prisoner()
    const id = await recordSession(s.sessions, kw, MDI, pn, {}, day)
    await s.caseNotes.sendDue()
    const r = await s.sessions.amend(kw, MDI, id, amendForm({ agreed: 'Once only.' }, 'Correction'))
    assert.ok(r !== 'not-found' && r.ok)
    fake.plan.push('drop')
    await s.caseNotes.sendDue()
    later(1)
    await s.caseNotes.sendDue()
    assert.deepEqual(
      (await rowsOf(pn)).map(q => [q.kind, q.status, q.attempts]),
      [
        ['create', 'sent', 1],
        ['amend', 'sent', 2],
      ],
    )
    assert.equal(notesFor(pn)[0]!.amendments.length, 1)
  })

  it('an instance dying after the service wrote the note, before recording it: the next sender does not post again', async () => {
    const pn = await prisoner()
    await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const [row] = await rowsOf(pn)
    // the dead instance's attempt: claimed (and counted), posted with the row's key, never settled
    const claimedUntil = new Date(Date.now() + 2 * 60_000).toISOString()
    await db
      .updateTable('case_note_outbox')
      .set({ attempts: 1, claimed_by: 'dead-instance', claimed_until: claimedUntil })
      .where('id', '=', row!.id)
      .execute()
    const res = await fetch(`${fake.url}/case-notes/${pn}`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer fake-token-1',
        'content-type': 'application/json',
        CaseloadId: 'MDI',
        'Idempotency-Key': row!.idempotency_key,
      },
      body: row!.payload,
    })
    assert.equal(res.status, 201)
    // while its claim holds, nobody else touches the row
    assert.equal((await s.caseNotes.sendDue()).sent, 0)
    later(1) // the lease has run out
    await s.caseNotes.sendDue()
    const [after] = await rowsOf(pn)
    assert.equal(after!.status, 'sent')
    assert.equal(after!.attempts, 2)
    assert.equal(notesFor(pn).length, 1)
    assert.equal(after!.case_note_id, notesFor(pn)[0]!.caseNoteId)
    assert.equal(writesFor(pn).length, 1)
  })

  it('two senders at once (two instances): each row is posted once', async () => {
    const pns = [await prisoner(), await prisoner(), await prisoner()]
    for (const pn of pns) await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const other = configured()
    const [a, b] = await Promise.all([s.caseNotes.sendDue(), other.caseNotes.sendDue()])
    assert.equal(a.sent + b.sent, 3)
    for (const pn of pns) {
      assert.equal(writesFor(pn).length, 1)
      assert.equal(notesFor(pn).length, 1)
    }
  })

  it('out of attempts after ten failures: failed', async () => {
    const pn = await prisoner()
    await recordSession(s.sessions, kw, MDI, pn, {}, day)
    for (let i = 1; i <= 10; i++) {
      fake.plan.push(502)
      later(5 * i) // past the longest back-off (4 hours) each time
      await s.caseNotes.sendDue()
    }
    const [row] = await rowsOf(pn)
    assert.equal(row!.status, 'failed')
    assert.equal(row!.attempts, 10)
    assert.equal(notesFor(pn).length, 0)
  })

  it('a refusal (4xx) fails at once; the admin sees it, only in its establishment, and retrying sends it', async () => {
    const pn = await prisoner()
    await recordSession(s.sessions, kw, MDI, pn, {}, day)
    const pnLei = await prisoner(LEI)
    await recordSession(s.sessions, kwLei, LEI, pnLei, {}, day)
    fake.plan.push(400, 503) // MDI's is refused; LEI's meets an outage
    const r = await s.caseNotes.sendDue()
    assert.equal(r.failed, 1)
    const [row] = await rowsOf(pn)
    assert.equal(row!.status, 'failed')
    assert.equal(row!.attempts, 1)
    assert.equal(row!.last_error, 'The case notes service answered 400 (the note was refused as it is)')

    const admin = await signedIn(world, 'establishment_admin.mdi')
    const page = await admin.get('/case-notes')
    assert.equal(page.status, 200)
    assert.ok(page.text.includes(pn))
    assert.ok(!page.text.includes(pnLei), 'another establishment’s notes are not shown')
    assert.ok(page.text.includes('The case notes service answered 400 (the note was refused as it is)'))
    assert.ok(page.text.includes(`action="/case-notes/${row!.id}/retry"`))
    const viewed = await db
      .selectFrom('audit_events')
      .select('changes')
      .where('entity', '=', 'case_note_outbox_list')
      .where('action', '=', 'view')
      .execute()
    assert.ok(viewed.length >= 1)

    // the national team sees every establishment's
    const national = await signedIn(world, 'national')
    const all = await national.get('/case-notes')
    assert.equal(all.status, 200)
    assert.ok(all.text.includes(pn) && all.text.includes(pnLei))

    // another establishment's admin cannot retry it
    const leiAdmin = await signedIn(world, 'establishment_admin.lei')
    const refused = await leiAdmin.post(`/case-notes/${row!.id}/retry`, {}, '/case-notes')
    assert.equal(refused.status, 404)
    // a row that is not failed is not retried (nothing changes, nothing is audited)
    const [lei] = await rowsOf(pnLei)
    assert.equal((await leiAdmin.post(`/case-notes/${lei!.id}/retry`, {}, '/case-notes')).status, 303)
    assert.equal((await rowsOf(pnLei))[0]!.attempts, 1)
    // without the form's token: refused
    assert.equal((await admin.agent.post(`/case-notes/${row!.id}/retry`).type('form').send({})).status, 403)
    assert.equal((await rowsOf(pn))[0]!.status, 'failed')

    const retried = await admin.post(`/case-notes/${row!.id}/retry`, {}, '/case-notes')
    assert.equal(retried.status, 303)
    assert.equal(retried.headers.location, '/case-notes')
    const requeued = (await rowsOf(pn))[0]!
    assert.equal(requeued.status, 'pending')
    assert.equal(requeued.attempts, 0)
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'username', 'changes'])
      .where('entity', '=', 'case_note_outbox')
      .where('entity_id', '=', String(row!.id))
      .execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.action, 'retry')
    assert.equal(audit[0]!.username, 'establishment_admin.mdi')
    assert.deepEqual(JSON.parse(audit[0]!.changes!), {
      status: { from: 'failed', to: 'pending' },
      attempts: 1,
      lastError: 'The case notes service answered 400 (the note was refused as it is)',
    })

    later(1)
    await s.caseNotes.sendDue()
    const done = (await rowsOf(pn))[0]!
    assert.equal(done.status, 'sent')
    assert.equal(notesFor(pn).length, 1)
    const after = await admin.get('/case-notes')
    assert.ok(!after.text.includes(pn))
  })
})
