import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import type { EntryForm } from '../../domain/sessionEntry'
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/service'
import { staffRecordSchema } from '../staff/schema'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { admitPrisoner } from '../../../test/support/prisoners'
import { formOf } from './draft'

// Drafts, rule by rule: what a new entry's form holds, the client key that makes the start form sent twice make one
// draft, who may see and change a draft, what a save writes (and the audit event naming the fields it changed), and
// what the entry form is offered besides the draft (bookings of the session's day, services, teams). Every test
// makes its own prisoners, so no test depends on another's drafts.

let world: SeededWorld
const today = londonNow().date

before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const db = () => world.services.db.db
const sessions = () => world.services.sessions
const mdi = () => world.seeded.MDI
const lei = () => world.seeded.LEI

/** The fixture's user of MDI as an actor. */
const owner = (): Actor => ({ userId: mdi().userId, username: 'fixture.mdi', establishmentId: mdi().establishmentId })

let seq = 0
/** A new user with a Key Worker role in MDI, as an actor. */
async function newUser(): Promise<Actor> {
  seq++
  const username = `drafts.user${seq}`
  const r = await world.services.users.create(SYSTEM_ACTOR, {
    username,
    displayName: `Drafts user ${seq}`,
    email: null,
    password: null,
    roles: [{ role: 'KEY_WORKER', establishmentId: mdi().establishmentId }],
  })
  assert.ok(r.ok, JSON.stringify(r))
  return { userId: r.value, username, establishmentId: mdi().establishmentId }
}

interface NewPrisoner {
  in?: 'MDI' | 'LEI'
  status?: 'released' | 'transferred'
  interpreterNeeded?: 'yes' | 'no'
  firstLanguage?: string
}

/** A new prisoner (in MDI unless told), received a year ago; his prison number, id and names. */
async function newPrisoner(o: NewPrisoner = {}) {
  seq++
  const where = o.in === 'LEI' ? lei() : mdi()
  const prisonNumber = `D${String(4000 + seq)}DR`
  const lastName = `Draft${seq}`
  const id = await admitPrisoner(world.services, where.establishmentId, {
    prisonNumber,
    firstName: 'Dan',
    lastName,
    dateOfBirth: '1985-07-09',
    unit: where.unitCode,
    receptionDate: addDays(today, -365),
    firstLanguage: o.firstLanguage ?? 'en',
    interpreterNeeded: o.interpreterNeeded ?? 'no',
  })
  // released or transferred since (written directly: the record was made while he was here)
  if (o.status) await db().updateTable('prisoners').set({ status: o.status }).where('id', '=', id).execute()
  return { prisonNumber, id, name: `Dan ${lastName}` }
}

/** A new draft by the actor (the owner unless told) for a new prisoner of MDI; its id and prison number. */
async function newDraft(actor: Actor = owner(), clientKey?: string) {
  const p = await newPrisoner()
  const started = await sessions().start(actor, mdi().establishmentId, p.prisonNumber, clientKey)
  assert.ok(started !== 'not-found' && started.ok, JSON.stringify(started))
  return { id: started.value.id, prisonNumber: p.prisonNumber, prisonerId: p.id }
}

const rowOf = (id: number) =>
  db().selectFrom('key_work_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const storedForm = async (id: number): Promise<EntryForm> => JSON.parse((await rowOf(id)).draft_form ?? 'null')

/** The audit events of an entry, oldest first, with their changes read. */
async function auditOf(id: number) {
  const rows = await db()
    .selectFrom('audit_events')
    .select(['action', 'changes'])
    .where('entity', '=', 'key_work_session')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
  return rows.map(r => ({ action: r.action, changes: JSON.parse(r.changes ?? 'null') }))
}

/** The ids of a prisoner's entries, any status. */
const entriesOf = async (prisonerId: number) =>
  (await db().selectFrom('key_work_sessions').select('id').where('prisoner_id', '=', prisonerId).execute()).map(
    r => r.id,
  )

/** The entry submitted or deleted (only its status: what the draft rules read). */
const setStatus = (id: number, status: string) =>
  db().updateTable('key_work_sessions').set({ status }).where('id', '=', id).execute()

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('the stored form of a draft', () => {
  it('reads a stored JSON object as the form', () => {
    assert.deepEqual(formOf({ draft_form: '{"agreed":"Call the housing team","goalRows":"2"}' }), {
      agreed: 'Call the housing team',
      goalRows: '2',
    })
  })

  it('reads nothing stored, or anything but a JSON object, as an empty form', () => {
    for (const stored of [null, '', 'null', '[]', '["agreed"]', '"agreed"', '42', 'true', '{not json'])
      assert.deepEqual(formOf({ draft_form: stored }), {}, `stored ${String(stored)}`)
  })
})

describe('starting an entry', () => {
  it("fills in today and what the prisoner's record says, and one row each of goals and referrals", async () => {
    const p = await newPrisoner({ interpreterNeeded: 'yes', firstLanguage: 'pl' })
    const started = await sessions().start(owner(), mdi().establishmentId, p.prisonNumber, 'start-form-0001')
    assert.ok(started !== 'not-found' && started.ok)
    const [y, m, d] = today.split('-')
    assert.deepEqual(await storedForm(started.value.id), {
      client_key: 'start-form-0001',
      'sessionDate-day': d!.replace(/^0/, ''),
      'sessionDate-month': m!.replace(/^0/, ''),
      'sessionDate-year': y,
      interpreterNeeded: 'yes',
      interpreterLanguage: 'Polish',
      goalRows: '1',
      referralRows: '1',
    })
  })

  it('says no interpreter is needed when the record says so, and names no language without one', async () => {
    const p = await newPrisoner({ interpreterNeeded: 'no' })
    await db().updateTable('prisoners').set({ first_language: '' }).where('id', '=', p.id).execute()
    const started = await sessions().start(owner(), mdi().establishmentId, p.prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    const form = await storedForm(started.value.id)
    assert.equal(form.interpreterNeeded, 'no')
    assert.equal('interpreterLanguage' in form, false)
  })

  it('writes a draft row by its author, with no pathways, and a create event naming the prisoner', async () => {
    const p = await newPrisoner()
    const started = await sessions().start(owner(), mdi().establishmentId, p.prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    assert.equal(started.value.created, true)
    const id = started.value.id
    const row = await rowOf(id)
    assert.equal(row.status, 'draft')
    assert.equal(row.prisoner_id, p.id)
    assert.equal(row.establishment_id, mdi().establishmentId)
    assert.equal(row.author_user_id, mdi().userId)
    assert.equal(row.author, 'fixture.mdi')
    assert.equal(row.staff_id, null, 'the fixture user is linked to no staff record')
    assert.equal(row.on_caseload, 0)
    assert.equal(row.pathways, '')
    assert.deepEqual(await auditOf(id), [
      { action: 'create', changes: { status: 'draft', prisoner: p.prisonNumber, on_caseload: 0 } },
    ])
  })

  it("records the author as 'unknown' when the actor has no username", async () => {
    const p = await newPrisoner()
    const started = await sessions().start({ ...owner(), username: null }, mdi().establishmentId, p.prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    assert.equal((await rowOf(started.value.id)).author, 'unknown')
  })

  it('returns the open draft when the author starts again for the same prisoner, making no second one', async () => {
    const { id, prisonNumber, prisonerId } = await newDraft()
    const again = await sessions().start(owner(), mdi().establishmentId, prisonNumber)
    assert.deepEqual(again, { ok: true, value: { id, created: false } })
    assert.deepEqual(await entriesOf(prisonerId), [id])
  })

  it('answers not-found for a prison number not in the establishment, and for an actor with no user account', async () => {
    assert.equal(await sessions().start(owner(), mdi().establishmentId, 'Z9999ZZ'), 'not-found')
    const p = await newPrisoner()
    assert.equal(await sessions().start(SYSTEM_ACTOR, mdi().establishmentId, p.prisonNumber), 'not-found')
    assert.deepEqual(await entriesOf(p.id), [], 'no draft without an author')
  })

  it('refuses a released or transferred prisoner, naming him', async () => {
    const released = await newPrisoner({ status: 'released' })
    assert.deepEqual(await sessions().start(owner(), mdi().establishmentId, released.prisonNumber), {
      ok: false,
      errors: { form: `${released.name} has been released, so a session cannot be recorded for them` },
    })
    const moved = await newPrisoner({ status: 'transferred' })
    assert.deepEqual(await sessions().start(owner(), mdi().establishmentId, moved.prisonNumber), {
      ok: false,
      errors: { form: `${moved.name} has been transferred out, so a session cannot be recorded for them here` },
    })
  })

  it("stores the officer linked to the author, and whether the prisoner is on that officer's caseload", async () => {
    const actor = await newUser()
    const staff = await world.services.staff.create(
      { ...SYSTEM_ACTOR, establishmentId: mdi().establishmentId },
      mdi().establishmentId,
      staffRecordSchema.parse({
        staffNumber: `DRF${seq}`,
        firstName: 'Kim',
        lastName: 'Linked',
        grade: 'Band 4',
        workingPattern: 'full_time',
        startedInPost: '2023-04-01',
        languages: 'English',
        status: 'active',
        homeUnit: mdi().unitCode,
      }),
    )
    assert.ok(staff.ok, JSON.stringify(staff))
    const staffId = staff.value
    await db().updateTable('staff').set({ user_id: actor.userId }).where('id', '=', staffId).execute()
    const p = await newPrisoner()
    await db()
      .insertInto('allocations')
      .values({
        establishment_id: mdi().establishmentId,
        prisoner_id: p.id,
        staff_id: staffId,
        allocated_at: '2025-02-01T10:00:00.000Z',
        allocated_by: 'test',
        allocation_reason: 'manual',
        deallocated_at: null,
        deallocated_by: null,
        deallocation_reason: null,
        deallocation_note: null,
        handover_note: null,
      })
      .execute()

    const info = await sessions().startInfo(mdi().establishmentId, p.prisonNumber, actor.userId!)
    assert.equal(info?.officer?.id, staffId)
    assert.equal(info?.onCaseload, true)
    assert.equal(info?.draftId, null)

    const started = await sessions().start(actor, mdi().establishmentId, p.prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    const row = await rowOf(started.value.id)
    assert.equal(row.staff_id, staffId)
    assert.equal(row.on_caseload, 1)
    assert.deepEqual(await auditOf(started.value.id), [
      { action: 'create', changes: { status: 'draft', prisoner: p.prisonNumber, on_caseload: 1 } },
    ])
  })
})

describe('the start page', () => {
  it('knows no prisoner not in the establishment', async () => {
    assert.equal(await sessions().startInfo(mdi().establishmentId, 'Z9999ZZ', mdi().userId), null)
  })

  it("puts no prisoner on the caseload of a user linked to no officer, and points to the user's open draft", async () => {
    const p = await newPrisoner()
    const first = await sessions().startInfo(mdi().establishmentId, p.prisonNumber, mdi().userId)
    assert.equal(first?.prisoner.prison_number, p.prisonNumber)
    assert.equal(first?.officer, null)
    assert.equal(first?.onCaseload, false)
    assert.equal(first?.draftId, null)
    const started = await sessions().start(owner(), mdi().establishmentId, p.prisonNumber)
    assert.ok(started !== 'not-found' && started.ok)
    const then = await sessions().startInfo(mdi().establishmentId, p.prisonNumber, mdi().userId)
    assert.equal(then?.draftId, started.value.id)
  })
})

describe('the client key of the start form', () => {
  it('is kept when it is 8 to 64 letters, digits, dashes or underscores', async () => {
    for (const key of ['abcd-_09', 'Start_Form-2026-0042', 'k'.repeat(64)]) {
      const { id } = await newDraft(owner(), key)
      assert.equal((await rowOf(id)).client_key, key)
      assert.equal((await storedForm(id)).client_key, key)
    }
  })

  it('is replaced by a new random key when missing, too short, too long or holding other characters', async () => {
    for (const key of [undefined, '', 'abc-123', 'k'.repeat(65), 'has spaces in it', '!!!abcdefgh', 'abcdefgh!!!']) {
      const { id } = await newDraft(owner(), key)
      const stored = (await rowOf(id)).client_key
      assert.match(stored ?? '', UUID, `key ${String(key)}`)
      assert.equal((await storedForm(id)).client_key, stored)
    }
  })

  it('leads the same start form sent again, after its entry was submitted, back to that entry', async () => {
    const key = 'resent-form-0001'
    const { id, prisonNumber, prisonerId } = await newDraft(owner(), key)
    await setStatus(id, 'submitted')
    const again = await sessions().start(owner(), mdi().establishmentId, prisonNumber, key)
    assert.deepEqual(again, { ok: true, value: { id, created: false } })
    assert.deepEqual(await entriesOf(prisonerId), [id])
  })

  it("refuses another user's key, and the author's key in another establishment", async () => {
    const key = 'used-form-00001'
    const { prisonNumber } = await newDraft(owner(), key)
    const used = { ok: false, errors: { form: 'This form has already been used: start the session again' } }
    const other = await newUser()
    assert.deepEqual(await sessions().start(other, mdi().establishmentId, prisonNumber, key), used)
    const leeds = await newPrisoner({ in: 'LEI' })
    const there = { ...owner(), establishmentId: lei().establishmentId }
    assert.deepEqual(await sessions().start(there, lei().establishmentId, leeds.prisonNumber, key), used)
    const made = await db().selectFrom('key_work_sessions').select('id').where('client_key', '=', key).execute()
    assert.equal(made.length, 1)
  })
})

describe('whose draft it is', () => {
  it('gives the author their own draft, and no one else, in no other establishment', async () => {
    const { id } = await newDraft()
    const own = await sessions().ownDraft(mdi().establishmentId, id, mdi().userId)
    assert.equal(own?.id, id)
    assert.equal(own?.status, 'draft')
    const other = await newUser()
    assert.equal(await sessions().ownDraft(mdi().establishmentId, id, other.userId!), null)
    assert.equal(await sessions().ownDraft(lei().establishmentId, id, mdi().userId), null)
    assert.equal(await sessions().ownDraft(mdi().establishmentId, 987654, mdi().userId), null)
  })

  it('gives an entry with no author to no one, not even to a user with no account', async () => {
    const p = await newPrisoner()
    const now = new Date().toISOString()
    const { id } = await db()
      .insertInto('key_work_sessions')
      .values({
        establishment_id: mdi().establishmentId,
        prisoner_id: p.id,
        staff_id: null,
        author_user_id: null,
        author: 'imported',
        status: 'draft',
        on_caseload: 0,
        interpreter_needed: 0,
        pathways: '',
        concern: 0,
        client_key: null,
        draft_form: '{}',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    assert.equal(await sessions().ownDraft(mdi().establishmentId, id, null as unknown as number), null)
    assert.deepEqual(await sessions().saveDraft(SYSTEM_ACTOR, mdi().establishmentId, id, { agreed: 'x' }), {
      kind: 'not-found',
    })
  })
})

describe('saving a draft', () => {
  it('stores the form as typed and writes an update event naming the changed fields in order, not their words', async () => {
    const { id } = await newDraft()
    const before = await storedForm(id)
    const form = { ...before, 'sessionDate-day': '1', prisonerWords: 'I need a flat', agreed: 'Call housing' }
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, id, form), { kind: 'saved' })
    assert.deepEqual(await storedForm(id), form)
    const events = await auditOf(id)
    assert.equal(events.length, 2)
    assert.deepEqual(events[1], {
      action: 'update',
      changes: { draft: ['agreed', 'prisonerWords', 'sessionDate-day'] },
    })
  })

  it('changes nothing when only empty fields were added or left out', async () => {
    const { id } = await newDraft()
    const start = await storedForm(id)
    // an empty field the draft did not have is no change
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, id, { ...start, prisonerWords: '' }), {
      kind: 'unchanged',
    })
    assert.deepEqual(await storedForm(id), start)
    const typed = { ...start, agreed: 'Call housing', prisonerWords: '' }
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, id, typed), { kind: 'saved' })
    // an empty field the draft had, now left out, is no change either
    const { prisonerWords: _left, ...without } = typed
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, id, without), { kind: 'unchanged' })
    assert.deepEqual(await storedForm(id), typed)
    assert.deepEqual(
      (await auditOf(id)).map(e => e.action),
      ['create', 'update'],
    )
  })

  it("does not save another user's draft, or a draft named in another establishment", async () => {
    const { id } = await newDraft()
    const start = await storedForm(id)
    const other = await newUser()
    const form = { ...start, agreed: 'Written by someone else' }
    assert.deepEqual(await sessions().saveDraft(other, mdi().establishmentId, id, form), { kind: 'not-found' })
    assert.deepEqual(await sessions().saveDraft(owner(), lei().establishmentId, id, form), { kind: 'not-found' })
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, 987654, form), { kind: 'not-found' })
    assert.deepEqual(await storedForm(id), start)
    assert.equal((await auditOf(id)).length, 1)
  })

  it('answers with the status of an entry that is no longer a draft, whoever saves it, and changes nothing', async () => {
    const submitted = await newDraft()
    const form = { ...(await storedForm(submitted.id)), agreed: 'Too late' }
    await setStatus(submitted.id, 'submitted')
    const other = await newUser()
    assert.deepEqual(await sessions().saveDraft(other, mdi().establishmentId, submitted.id, form), {
      kind: 'not-draft',
      status: 'submitted',
    })
    const deleted = await newDraft()
    const form2 = { ...(await storedForm(deleted.id)), agreed: 'Too late' }
    await setStatus(deleted.id, 'deleted')
    assert.deepEqual(await sessions().saveDraft(owner(), mdi().establishmentId, deleted.id, form2), {
      kind: 'not-draft',
      status: 'deleted',
    })
    assert.equal((await storedForm(deleted.id)).agreed, undefined)
    assert.equal((await auditOf(deleted.id)).length, 1)
  })
})

describe('what the entry form offers', () => {
  /** A booking of MDI's hub room on a day (written directly: the booking rules refuse days past and far ahead). */
  const bookOn = async (date: string) =>
    (
      await db()
        .insertInto('hub_bookings')
        .values({
          establishment_id: mdi().establishmentId,
          room_id: mdi().roomId,
          date,
          starts_at: '08:00',
          ends_at: '08:30',
          staff_id: null,
          prisoner_id: null,
          purpose: 'Key work session',
          booked_by_user_id: null,
          booked_by: 'fixture',
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const bookingIds = async (row: Parameters<ReturnType<typeof sessions>['formOptions']>[1], form: EntryForm) =>
    (await sessions().formOptions(mdi().establishmentId, row, form)).bookings.map(b => b.id)

  const dated = (y: string, m: string, d: string): EntryForm => ({
    'sessionDate-year': y,
    'sessionDate-month': m,
    'sessionDate-day': d,
  })

  it('shows the hub bookings of the session day as typed, a one-digit month and day padded', async () => {
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    const march = await bookOn('2031-03-04')
    const november = await bookOn('2031-11-20')
    assert.deepEqual(await bookingIds(row, dated('2031', '3', '4')), [march])
    assert.deepEqual(await bookingIds(row, dated('2031', '11', '20')), [november])
  })

  it("shows today's bookings when no four-digit year was typed", async () => {
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    const todays = await bookOn(today)
    for (const form of [{}, dated('', '3', '4'), dated('31', '3', '4'), dated('20311', '3', '4')])
      assert.ok((await bookingIds(row, form)).includes(todays), JSON.stringify(form))
  })

  it('shows no bookings for a month or day that is not two digits at most', async () => {
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    await bookOn('2031-12-04')
    for (const form of [dated('2031', '123', '04'), dated('2031', '12', '04x'), dated('2031', '2031-12', '04')])
      assert.deepEqual(await bookingIds(row, form), [], JSON.stringify(form))
  })

  it('finds the real bookings of a day through the hubs', async () => {
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    const [y, m, d] = addDays(today, 7).split('-')
    const options = await sessions().formOptions(mdi().establishmentId, row, dated(y!, m!, d!))
    assert.ok(options.bookings.some(b => b.id === mdi().bookingId))
  })

  it('offers only the active services, in alphabetical order whatever their case', async () => {
    const base = {
      description: 'A service for the drafts tests.',
      organizationName: 'Moorland (HMP)',
      provision: 'internal' as const,
      applicationProcess: 'Ask the wing office.',
      eligibility: null,
      waitTime: null,
      email: null,
      url: null,
      interpretationServices: null,
      location: { type: 'physical' as const, name: 'Wing office', description: null, url: null, address: null },
      contacts: [],
      phones: [],
      schedules: [],
      languages: ['en'],
      pathways: ['accommodation' as const],
    }
    const actor = { ...SYSTEM_ACTOR, establishmentId: mdi().establishmentId }
    for (const [name, status] of [
      ['Zeta housing advice', 'active'],
      ['alpha reading group', 'active'],
      ['Beta gym', 'temporarily closed'],
    ] as const) {
      const r = await world.services.directory.create(actor, mdi().establishmentId, { ...base, name, status })
      assert.ok(r.ok, JSON.stringify(r))
    }
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    const options = await sessions().formOptions(mdi().establishmentId, row, {})
    assert.deepEqual(
      options.services.map(s => s.name),
      ['alpha reading group', 'Resettlement advice MDI', 'Zeta housing advice'],
    )
  })

  it('keeps a team a service stands for on offer only when the entry already chose it', async () => {
    const { id } = await newDraft()
    const row = (await sessions().ownDraft(mdi().establishmentId, id, mdi().userId))!
    // MDI's "Resettlement advice MDI" stands for the resettlement team, so the team is not offered on its own
    const plain = await sessions().formOptions(mdi().establishmentId, row, {
      prisonerWords: 'I asked for resettlement',
    })
    assert.equal('resettlement' in plain.stakeholders, false)
    assert.equal(plain.stakeholders.chaplaincy, 'Chaplaincy')
    const chosen = await sessions().formOptions(mdi().establishmentId, row, {
      referral0To: 'stakeholder:resettlement',
    })
    assert.equal(chosen.stakeholders.resettlement, 'Resettlement')
  })
})
