import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { staffRecordSchema } from '../staff/schema'
import { type Browser, createUser, signedIn } from '../../../test/harness'
import { seededWorld } from '../../../test/fixtures'

const world = await seededWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const mdi = world.seeded.MDI
const lei = world.seeded.LEI
const today = todayIso()

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

const count = async () =>
  Number(
    (
      await db
        .selectFrom('reflective_entries')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

const userId = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id

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
    .select(['action', 'entity', 'entity_id', 'user_id', 'changes'])
    .where('id', '>', id)
    .orderBy('id')
    .execute()

/** A staff record of MDI linked to a new Key Worker account. */
async function officer(username: string, staffNumber: string, lastName: string) {
  const actor = { ...SYSTEM_ACTOR, establishmentId: mdi.establishmentId }
  const uid = await createUser(s, username, [{ role: 'KEY_WORKER', establishmentId: mdi.establishmentId }])
  const r = await s.staff.create(
    actor,
    mdi.establishmentId,
    staffRecordSchema.parse({
      staffNumber,
      firstName: 'Alex',
      lastName,
      grade: 'Band 3',
      workingPattern: 'full_time',
      startedInPost: '2024-01-08',
      languages: 'English',
      status: 'active',
      homeUnit: mdi.unitCode,
    }),
  )
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  await db.updateTable('staff').set({ user_id: uid }).where('id', '=', r.value).execute()
  return { userId: uid, staffId: r.value }
}

async function prisoner(prisonNumber: string, firstName: string, lastName: string) {
  const actor = { ...SYSTEM_ACTOR, establishmentId: mdi.establishmentId }
  const r = await s.prisoners.create(
    actor,
    mdi.establishmentId,
    prisonerRecordSchema.parse({
      prisonNumber,
      firstName,
      lastName,
      dateOfBirth: '1990-01-01',
      unit: mdi.unitCode,
      cell: '',
      receptionDate: '2025-01-06',
      releaseDate: '',
      status: 'in',
      complexity: 'low',
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    }),
  )
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return (await s.prisoners.get(mdi.establishmentId, prisonNumber))!.id
}

async function allocate(prisonerId: number, staffId: number, ended = false) {
  await db
    .insertInto('allocations')
    .values({
      establishment_id: mdi.establishmentId,
      prisoner_id: prisonerId,
      staff_id: staffId,
      allocated_at: '2025-02-01T10:00:00.000Z',
      allocated_by: 'test',
      allocation_reason: 'manual',
      deallocated_at: ended ? '2025-03-01T10:00:00.000Z' : null,
      deallocated_by: null,
      deallocation_reason: null,
      deallocation_note: null,
      handover_note: null,
    })
    .execute()
}

const short = (title: string, text: string, minutes = '30', writtenOn = today) => ({
  title,
  ...dateFields('writtenOn', writtenOn),
  minutes,
  text,
})

const gibbs = (over: Record<string, string> = {}) => ({
  title: 'De-escalating on the landing',
  ...dateFields('writtenOn', addDays(today, -2)),
  minutes: '45',
  description: 'A man on my caseload was shouting at the servery.',
  feelings: 'I felt anxious and rushed.',
  evaluation: 'Listening worked; raising my voice did not.',
  analysis: 'He had had bad news from home that morning.',
  conclusion: 'I should have asked what was wrong first.',
  actionPlan: 'Ask first, and book a key work session the same week.',
  ...over,
})

let writer: { userId: number; staffId: number }
let other: { userId: number; staffId: number }
let w: Browser
let o: Browser

before(async () => {
  writer = await officer('officer.writer', 'MDI0101', 'Writer')
  other = await officer('officer.other', 'MDI0102', 'Other')
  // the writer's caseload: two men now, one allocated before and no longer; the other officer's, one man
  await allocate(await prisoner('A7001AA', 'Darius', 'Kowalczyk'), writer.staffId)
  await allocate(await prisoner('A7002AA', 'Peter', 'White'), writer.staffId)
  await allocate(await prisoner('A7003AA', 'Kevin', 'Marsh'), writer.staffId, true)
  await allocate(await prisoner('A7004AA', 'Owen', 'Hargreaves'), other.staffId)
  w = await signedIn(world, 'officer.writer')
  o = await signedIn(world, 'officer.other')
})

/** Writes an entry through the form, confirming what the check finds; returns its id. */
async function write(b: Browser, path: string, fields: Record<string, string>): Promise<number> {
  let res = await b.post(path, fields)
  if (res.headers.location === path) {
    const page = await b.get(path)
    const key = /name="confirmFlags"[^>]*value="([^"]*)"/.exec(page.text)
    assert.ok(key, 'the form asks to confirm what the check found')
    res = await b.post(path, { ...fields, confirmFlags: key[1]!.replaceAll('&#39;', "'") })
  }
  assert.equal(res.status, 303)
  const m = /^\/journal\/(\d+)$/.exec(String(res.headers.location))
  assert.ok(m, `saved, then to ${res.headers.location}`)
  return Number(m[1])
}

describe('writing an entry', () => {
  it('saves a Gibbs entry, private, with its minutes, audited without its text', async () => {
    const before = await count()
    const id = await write(w, '/journal/new/gibbs', gibbs({ conclusion: 'First, ask.\n\nThen listen.' }))
    assert.equal(await count(), before + 1)
    const row = await db.selectFrom('reflective_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.staff_id, writer.staffId)
    assert.equal(row.user_id, writer.userId)
    assert.equal(row.establishment_id, mdi.establishmentId)
    assert.equal(row.form, 'gibbs')
    assert.equal(row.written_on, addDays(today, -2))
    assert.equal(row.minutes, 45)
    assert.equal(row.analysis, 'He had had bad news from home that morning.')
    assert.equal(row.action_plan, 'Ask first, and book a key work session the same week.')
    assert.equal(row.shared, 0)
    assert.equal(row.flags, '[]')
    const events = await s.audit.forEntity('reflective_entry', String(id))
    assert.deepEqual(
      events.map(e => [e.action, e.username]),
      [['create', 'officer.writer']],
    )
    assert.doesNotMatch(String(events[0]!.changes), /servery|anxious|bad news/, 'the trail never holds the text')
    const page = await w.get(`/journal/${id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /He had had bad news from home that morning\./)
    assert.match(page.text, /<p class="govuk-body">First, ask\.<\/p>\s*<p class="govuk-body">Then listen\.<\/p>/)
    assert.match(page.text, /Do not name|only you can read it/)
  })

  it('shows the notice not to name prisoners or colleagues on the form', async () => {
    for (const path of ['/journal/new/gibbs', '/journal/new/short']) {
      const page = await w.get(path)
      assert.equal(page.status, 200)
      assert.match(page.text, /Do not name prisoners or colleagues/)
    }
    const gibbsForm = await w.get('/journal/new/gibbs')
    for (const hint of ['What happened?', 'What were you thinking and feeling', 'What will you do next?'])
      assert.ok(gibbsForm.text.includes(hint), hint)
  })

  it('refuses bad input, listing every problem at once, and saves nothing', async () => {
    const before = await count()
    const res = await w.post('/journal/new/gibbs', {
      ...gibbs({ title: '', minutes: '601', feelings: '', actionPlan: '   ' }),
      ...dateFields('writtenOn', addDays(today, 1)),
    })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/journal/new/gibbs')
    const page = await w.get('/journal/new/gibbs')
    for (const message of [
      'Enter a title',
      'The date of the reflection must be today or in the past',
      'The time you spent must be a whole number of minutes from 0 to 600, like 45',
      'Enter what you were thinking and feeling (feelings)',
      'Enter what you will do next (action plan)',
    ])
      assert.ok(page.text.includes(message), message)
    assert.match(page.text, /There is a problem/)
    // a short entry: no text, minutes not a number, no date
    const r2 = await w.post('/journal/new/short', { title: 'x', minutes: 'ten', text: '' })
    assert.equal(r2.status, 303)
    const p2 = await w.get('/journal/new/short')
    for (const message of [
      'Enter your reflection',
      'Enter the date of the reflection',
      'The time you spent must be a whole number of minutes from 0 to 600, like 45',
    ])
      assert.ok(p2.text.includes(message), message)
    assert.equal(await count(), before)
  })

  it('takes 0 and 600 minutes, the edges', async () => {
    const a = await write(w, '/journal/new/short', short('Nothing much', 'A quiet day.', '0', addDays(today, -400)))
    const b = await write(w, '/journal/new/short', short('A long course', 'All day.', '600', addDays(today, -400)))
    const rows = await db.selectFrom('reflective_entries').select(['id', 'minutes']).where('id', 'in', [a, b]).execute()
    assert.deepEqual(
      rows.map(r => r.minutes).sort((x, y) => x - y),
      [0, 600],
    )
  })

  it('refuses a user without a staff record here: nothing saved', async () => {
    const kw = await signedIn(world, 'key_worker.mdi')
    const before = await count()
    const res = await kw.post('/journal/new/short', short('Mine', 'A thought.'))
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/journal/new/short')
    assert.match((await kw.get('/journal/new/short')).text, /not linked to a staff record/)
    assert.equal(await count(), before)
  })
})

describe('the check: prison numbers and caseload names', () => {
  it('stops a flagged entry to show where, saves it once confirmed, and keeps the flags', async () => {
    const fields = gibbs({
      title: 'A hard week',
      description: 'Kowalczyk refused to come out of his cell.',
      analysis: 'His number, A1234BC, was on the wrong list.',
    })
    const before = await count()
    const res = await w.post('/journal/new/gibbs', fields)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/journal/new/gibbs')
    assert.equal(await count(), before, 'not saved before it is confirmed')
    const page = await w.get('/journal/new/gibbs')
    assert.match(page.text, /Your entry may identify a prisoner/)
    assert.match(page.text, /Name of a prisoner on your caseload in <strong>Description<\/strong>: “Kowalczyk”/)
    assert.match(page.text, /Prison number in <strong>Analysis<\/strong>: “A1234BC”/)
    assert.match(page.text, /Kowalczyk refused to come out of his cell\./, 'what was typed is kept')

    // confirming other findings than these does not save it
    const wrong = await w.post('/journal/new/gibbs', { ...fields, confirmFlags: 'analysis:prison_number:a1234bc' })
    assert.equal(wrong.headers.location, '/journal/new/gibbs')
    assert.equal(await count(), before)
    await w.get('/journal/new/gibbs')

    const id = await write(w, '/journal/new/gibbs', fields)
    assert.equal(await count(), before + 1)
    const row = await db.selectFrom('reflective_entries').select('flags').where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(JSON.parse(row.flags), [
      { field: 'description', kind: 'name', text: 'Kowalczyk' },
      { field: 'analysis', kind: 'prison_number', text: 'A1234BC' },
    ])
    const shown = await w.get(`/journal/${id}`)
    assert.match(shown.text, /may have identified a prisoner/)
    assert.match(shown.text, /Prison number in Analysis: “A1234BC”/)
    // shared, its Supervising Officer sees the findings too, as the officer's
    assert.equal((await w.post(`/journal/${id}/sharing`, { share: 'yes' }, `/journal/${id}`)).status, 303)
    const so = await signedIn(world, 'supervising_officer.mdi')
    const read = await so.get(`/journal/${id}`)
    assert.match(read.text, /Name of a prisoner on their caseload in Description: “Kowalczyk”/)
    assert.match(
      (await so.get('/journal/shared')).text,
      /A hard week<\/a> <strong class="govuk-tag govuk-tag--yellow">/,
    )

    // edited away, the flags go
    const edited = await w.post(`/journal/${id}/edit`, {
      ...fields,
      description: 'A man refused to come out of his cell.',
      analysis: 'His number was on the wrong list.',
    })
    assert.equal(edited.headers.location, `/journal/${id}`)
    const after = await db
      .selectFrom('reflective_entries')
      .select(['flags', 'description'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(after.flags, '[]')
    assert.equal(after.description, 'A man refused to come out of his cell.')
  })

  it('does not flag a name that is not on this officer’s caseload, nor a word like A1234', async () => {
    // Hargreaves is the other officer's; Marsh was the writer's but no longer; Nowak is MDI's seeded prisoner
    const res = await w.post(
      '/journal/new/short',
      short('Room A1234 again', 'Hargreaves, Marsh and Nowak were not mine. Code A1234 on the white board.'),
    )
    assert.equal(res.status, 303)
    assert.match(String(res.headers.location), /^\/journal\/\d+$/, 'saved without asking')
    const id = Number(String(res.headers.location).split('/').pop())
    const row = await db.selectFrom('reflective_entries').select('flags').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.flags, '[]')
  })

  it('flags a caseload surname in the title of a short entry, named as the form names it', async () => {
    const res = await w.post('/journal/new/short', short('Talking with Mr White', 'It went well.'))
    assert.equal(res.headers.location, '/journal/new/short')
    const page = await w.get('/journal/new/short')
    assert.match(page.text, /Name of a prisoner on your caseload in <strong>Title<\/strong>: “White”/)
  })
})

describe('privacy', () => {
  let id = 0
  const path = () => `/journal/${id}`
  let so: Browser
  before(async () => {
    id = await write(w, '/journal/new/short', short('Feeling out of my depth', 'I need more support with this.'))
    so = await signedIn(world, 'supervising_officer.mdi')
  })

  /** GETs the entry as someone who may not read it: 404 (or 403 by the route's roles), audited as refused. */
  async function refused(b: Browser, status: number, username: string) {
    const before = await headId()
    const res = await b.get(path())
    assert.equal(res.status, status, `${username}: ${res.status}`)
    assert.doesNotMatch(res.text, /I need more support/)
    const events = await eventsAfter(before)
    assert.deepEqual(
      events.map(e => [e.action, e.entity, e.user_id]),
      [['refused', 'reflective_entry', await userId(username)]],
    )
    assert.equal(events[0]!.entity_id, String(id))
    assert.equal((JSON.parse(events[0]!.changes!) as { status: number }).status, status)
  }

  it('is read by its writer, not audited', async () => {
    const before = await headId()
    const res = await w.get(path())
    assert.equal(res.status, 200)
    assert.match(res.text, /I need more support with this\./)
    assert.deepEqual(await eventsAfter(before), [])
  })

  it('is not found for another officer, nor for an admin who is also a Key Worker, audited', async () => {
    await refused(o, 404, 'officer.other')
    await createUser(s, 'admin.kw', [
      { role: 'ESTABLISHMENT_ADMIN', establishmentId: mdi.establishmentId },
      { role: 'KEY_WORKER', establishmentId: mdi.establishmentId },
    ])
    await refused(await signedIn(world, 'admin.kw'), 404, 'admin.kw')
  })

  it('is refused to an admin and to the national team (no journal is theirs to read), audited', async () => {
    await refused(await signedIn(world, 'establishment_admin.mdi'), 403, 'establishment_admin.mdi')
    const national = await signedIn(world, 'national')
    assert.equal((await national.post('/establishment/switch', { establishment: 'MDI' }, '/')).status, 303)
    await refused(national, 403, 'national')
  })

  it('is not found for a Supervising Officer before it is shared', async () => {
    await refused(so, 404, 'supervising_officer.mdi')
    assert.doesNotMatch((await so.get('/journal/shared')).text, /Feeling out of my depth/)
  })

  it('cannot be shared, changed or deleted by another officer: 404, nothing changes', async () => {
    const before = await db.selectFrom('reflective_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal((await o.post(`${path()}/sharing`, { share: 'yes' }, '/journal')).status, 404)
    assert.equal((await o.post(`${path()}/edit`, short('Mine now', 'x'), '/journal')).status, 404)
    assert.equal((await o.post(`${path()}/delete`, { confirm: 'yes' }, '/journal')).status, 404)
    assert.equal((await o.get(`${path()}/edit`)).status, 404)
    const after = await db.selectFrom('reflective_entries').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(after, before)
  })

  it('once shared, is read by a Supervising Officer of the establishment (audited), not of another', async () => {
    const res = await w.post(`${path()}/sharing`, { share: 'yes' }, path())
    assert.equal(res.status, 303)
    const row = await db
      .selectFrom('reflective_entries')
      .select(['shared', 'shared_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(row.shared, 1)
    assert.ok(row.shared_at)

    const before = await headId()
    const read = await so.get(path())
    assert.equal(read.status, 200)
    assert.match(read.text, /I need more support with this\./)
    assert.match(read.text, /Shared by Alex Writer \(MDI0101\)/)
    assert.doesNotMatch(read.text, /Stop sharing|Change this entry/, 'the SO only reads')
    assert.deepEqual(
      (await eventsAfter(before)).map(e => [e.action, e.entity, e.entity_id, e.user_id]),
      [['view', 'reflective_entry', String(id), await userId('supervising_officer.mdi')]],
    )
    const list = await so.get('/journal/shared')
    assert.match(list.text, /Feeling out of my depth/)
    const mine = await so.get(`/journal/shared?officer=${writer.staffId}`)
    assert.match(mine.text, /Feeling out of my depth/)
    assert.doesNotMatch((await so.get(`/journal/shared?officer=${other.staffId}`)).text, /Feeling out of my depth/)
    assert.equal((await so.get(`/journal/shared?officer=${lei.staffId}`)).status, 404)

    // LEI's Supervising Officer, acting in LEI: not found there
    const soLei = await signedIn(world, 'supervising_officer.lei')
    assert.equal((await soLei.get(path())).status, 404)
    assert.doesNotMatch((await soLei.get('/journal/shared')).text, /Feeling out of my depth/)
    // and the other officer, still not
    assert.equal((await o.get(path())).status, 404)
    // nor the admin
    assert.equal((await (await signedIn(world, 'admin.kw')).get(path())).status, 404)
  })

  it('once withdrawn, is not found for the Supervising Officer again', async () => {
    const res = await w.post(`${path()}/sharing`, { share: 'no' }, path())
    assert.equal(res.status, 303)
    assert.equal((await so.get(path())).status, 404)
    const events = await s.audit.forEntity('reflective_entry', String(id))
    const sharing = events.map(e => e.action).filter(a => a === 'share' || a === 'unshare')
    assert.deepEqual(sharing.sort(), ['share', 'unshare'])
  })

  it('is deleted by its writer after confirming, audited; its minutes stop counting', async () => {
    const before = await count()
    const r1 = await w.post(`${path()}/delete`, {}, `${path()}/delete`)
    assert.equal(r1.headers.location, `${path()}/delete`)
    assert.match((await w.get(`${path()}/delete`)).text, /Choose yes to delete this entry, or no to keep it/)
    assert.equal(await count(), before)
    const r2 = await w.post(`${path()}/delete`, { confirm: 'yes' }, `${path()}/delete`)
    assert.equal(r2.headers.location, '/journal')
    assert.equal(await count(), before - 1)
    assert.equal((await w.get(path())).status, 404)
    const events = await s.audit.forEntity('reflective_entry', String(id))
    assert.ok(events.some(e => e.action === 'delete' && e.username === 'officer.writer'))
  })
})

describe('minutes towards CPD', () => {
  it('sums the minutes written by each officer within the dates, both ends included', async () => {
    const insert = (staffId: number, userId: number, written_on: string, minutes: number) =>
      db
        .insertInto('reflective_entries')
        .values({
          establishment_id: mdi.establishmentId,
          staff_id: staffId,
          user_id: userId,
          form: 'short',
          title: 't',
          written_on,
          minutes,
          created_at: '2025-01-01T00:00:00.000Z',
          updated_at: '2025-01-01T00:00:00.000Z',
        })
        .execute()
    const a = await officer('officer.cpd.a', 'MDI0201', 'Cpd')
    const b = await officer('officer.cpd.b', 'MDI0202', 'Cpd')
    const c = await officer('officer.cpd.c', 'MDI0203', 'Cpd')
    await insert(a.staffId, a.userId, '2025-03-31', 15) // the day before: out
    await insert(a.staffId, a.userId, '2025-04-01', 30) // the first day: in
    await insert(a.staffId, a.userId, '2025-09-10', 45)
    await insert(a.staffId, a.userId, '2026-03-31', 60) // the last day: in
    await insert(a.staffId, a.userId, '2026-04-01', 90) // the day after: out
    await insert(b.staffId, b.userId, '2025-06-01', 20)
    const map = await s.journal.minutesFor([a.staffId, b.staffId, c.staffId], '2025-04-01', '2026-03-31')
    const total = (id: number) => map.get(id)!.reduce((n, f) => n + f.minutes, 0)
    assert.equal(total(a.staffId), 135) // 30 + 45 + 60
    assert.deepEqual(map.get(a.staffId), [
      { writtenOn: '2025-04-01', minutes: 30 },
      { writtenOn: '2025-09-10', minutes: 45 },
      { writtenOn: '2026-03-31', minutes: 60 },
    ])
    assert.equal(total(b.staffId), 20)
    assert.deepEqual(map.get(c.staffId), [], 'an officer with no entries is there, with none')
    assert.deepEqual([...(await s.journal.minutesFor([], '2025-01-01', '2025-12-31'))], [])
  })

  it('shows the writer the time spent in the 12 months to today on their journal', async () => {
    await officer('officer.list', 'MDI0301', 'Lister')
    const b = await signedIn(world, 'officer.list')
    await write(b, '/journal/new/short', short('One', 'A thought.', '50', today))
    await write(b, '/journal/new/short', short('Two', 'Another.', '25', addDays(today, -30)))
    await write(b, '/journal/new/short', short('Old', 'Long ago.', '100', addDays(today, -800)))
    const page = await b.get('/journal')
    assert.equal(page.status, 200)
    assert.match(page.text, /<strong>1 hour 15 minutes<\/strong>/)
    assert.match(page.text, /Entries \(3\)/)
  })
})
