import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { londonNow } from '../../domain/hubs'
import { type Browser, createUser, signedIn } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'
import { admitPrisoner } from '../../../test/support/prisoners'

// The session pages as a user (or a script) sees them: each page's title, the messages after an action, where each
// action leads, which buttons each role gets, who may open what (404 otherwise), and the 'view' event each page of
// personal data leaves in the audit trail.

let world: SeededWorld
let kw: Browser
let so: Browser
let admin: Browser
const [ty, tm, td] = londonNow().date.split('-')

before(async () => {
  world = await seededWorld()
  kw = await signedIn(world, 'key_worker.mdi')
  so = await signedIn(world, 'supervising_officer.mdi')
  admin = await signedIn(world, 'establishment_admin.mdi')
})
after(() => world.close())

const db = () => world.services.db.db
const mdi = () => world.seeded.MDI

let seq = 0
/** A prisoner of MDI made for one test; the prison number and the name the pages show. */
async function newPrisoner() {
  seq++
  const prisonNumber = `P${String(3000 + seq)}PP`
  const lastName = `Pages${seq}`
  await admitPrisoner(world.services, mdi().establishmentId, {
    prisonNumber,
    firstName: 'Alan',
    lastName,
    unit: mdi().unitCode,
    receptionDate: '2025-01-10',
  })
  return { prisonNumber, name: `Alan ${lastName}` }
}

/** Starts a draft through the start form (token from the home page, so no other page is viewed); its id. */
async function startFor(b: Browser, prisonNumber: string, fields: Record<string, string> = {}): Promise<number> {
  const res = await b.post(`/prisoners/${prisonNumber}/sessions`, fields, '/')
  assert.equal(res.status, 303)
  const m = /^\/sessions\/(\d+)\/edit$/.exec(res.headers.location ?? '')
  assert.ok(m, res.headers.location)
  return Number(m[1])
}

/** A delivered session of today that can be submitted. */
const valid = (): Record<string, string | string[]> => ({
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

/** A new prisoner's entry, submitted by b; its id and the prisoner. */
async function submittedEntry(b: Browser = kw) {
  const p = await newPrisoner()
  const id = await startFor(b, p.prisonNumber)
  const res = await b.post(`/sessions/${id}/submit`, valid(), '/')
  assert.equal(res.headers.location, `/sessions/${id}`)
  return { id, ...p }
}

const sessionRow = (id: number) =>
  db().selectFrom('key_work_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

/** The details of the 'view' events a user left on one record (or on a list: entityId null), oldest first. */
async function views(username: string, entity: string, entityId: string | null) {
  let q = db()
    .selectFrom('audit_events')
    .select('changes')
    .where('action', '=', 'view')
    .where('username', '=', username)
    .where('entity', '=', entity)
  q = entityId === null ? q.where('entity_id', 'is', null) : q.where('entity_id', '=', entityId)
  const rows = await q.orderBy('id').execute()
  return rows.map(r => (r.changes === null ? null : (JSON.parse(r.changes) as unknown)))
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim()

describe('the start page and starting a draft', () => {
  it('titles the start page with the prisoner’s name and audits it as a view of the prisoner', async () => {
    const p = await newPrisoner()
    const page = await kw.get(`/prisoners/${p.prisonNumber}/sessions/new`)
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), `Record a session with ${p.name} - Key Work - GOV.UK`)
    assert.deepEqual(await views('key_worker.mdi', 'prisoner', p.prisonNumber), [{ page: 'new session' }])
  })

  it('explains a release even when a draft is open, rather than sending the officer to the draft', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const again = await kw.get(`/prisoners/${p.prisonNumber}/sessions/new`)
    assert.equal(again.status, 303, 'while he is in: back to the open draft')
    assert.equal(again.headers.location, `/sessions/${id}/edit`)
    await db()
      .updateTable('prisoners')
      .set({ status: 'released' })
      .where('prison_number', '=', p.prisonNumber)
      .execute()
    const page = await kw.get(`/prisoners/${p.prisonNumber}/sessions/new`)
    assert.equal(page.status, 200)
    assert.match(page.text, new RegExp(`${p.name} has been released, so a session cannot be recorded for them`))
  })

  it('sends a start refused for a released prisoner back to the start page, with the reason', async () => {
    const p = await newPrisoner()
    await db()
      .updateTable('prisoners')
      .set({ status: 'released' })
      .where('prison_number', '=', p.prisonNumber)
      .execute()
    const res = await kw.post(`/prisoners/${p.prisonNumber}/sessions`, {}, '/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/prisoners/${p.prisonNumber}/sessions/new`)
  })

  it('keeps the start form’s client key on the draft, and ignores one that is not text', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber, { client_key: 'pages-start-key-0001' })
    assert.equal((await sessionRow(id)).client_key, 'pages-start-key-0001')

    const q = await newPrisoner()
    const _csrf = await kw.csrf('/')
    const res = await kw.agent
      .post(`/prisoners/${q.prisonNumber}/sessions`)
      .type('json')
      .send({ _csrf, client_key: 1234567890 })
    assert.equal(res.status, 303)
    const m = /^\/sessions\/(\d+)\/edit$/.exec(res.headers.location ?? '')
    assert.ok(m, res.headers.location)
    const key = (await sessionRow(Number(m[1]))).client_key
    assert.notEqual(key, '1234567890')
    assert.match(String(key), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a key of its own')
  })

  it('says so when the officer starts again and already had a draft, and not the first time', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const first = await kw.get(`/sessions/${id}/edit`)
    assert.doesNotMatch(first.text, /You already had a draft for this prisoner/)
    assert.equal(await startFor(kw, p.prisonNumber), id)
    const second = await kw.get(`/sessions/${id}/edit`)
    assert.match(second.text, /You already had a draft for this prisoner: carry on with it/)
  })
})

describe('your session entries', () => {
  it('lists the officer’s drafts and recent entries under its title, and audits which entries it showed', async () => {
    await createUser(world.services, 'kw.list.mdi', [{ role: 'KEY_WORKER', establishmentId: mdi().establishmentId }])
    const b = await signedIn(world, 'kw.list.mdi')
    const done = await submittedEntry(b)
    const p = await newPrisoner()
    const draft = await startFor(b, p.prisonNumber)
    const page = await b.get('/sessions/drafts')
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), 'Your session entries - Key Work - GOV.UK')
    assert.match(page.text, new RegExp(`href="/sessions/${draft}/edit"`))
    assert.match(page.text, new RegExp(`href="/sessions/${done.id}"`))
    assert.deepEqual(await views('kw.list.mdi', 'session_list', null), [
      { page: 'your entries', sessions: [draft, done.id] },
    ])
  })
})

describe('the draft form', () => {
  it('titles the form with the prisoner’s name and audits it as a view of the draft', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), `Key work session with ${p.name} - Key Work - GOV.UK`)
    assert.deepEqual(await views('key_worker.mdi', 'key_work_session', String(id)), [
      { page: 'draft', prisonNumber: p.prisonNumber },
    ])
  })

  it('shows the saved pathways and worksheets ticked, and every referral row saved', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const fields = {
      ...valid(),
      pathways: ['health', 'accommodation'],
      worksheets: [String(mdi().worksheetId)],
      referralRows: '2',
      action: 'save',
    }
    await kw.post(`/sessions/${id}/draft`, fields, '/')
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /name="pathways" type="checkbox" value="health" checked/)
    assert.match(page.text, /name="pathways" type="checkbox" value="accommodation" checked/)
    assert.match(page.text, /name="pathways" type="checkbox" value="drugs-alcohol"[\s>]/, 'one not chosen: not ticked')
    assert.match(page.text, new RegExp(`name="worksheets" type="checkbox" value="${mdi().worksheetId}" checked`))
    assert.match(page.text, /id="referral1To"/, 'the second referral row')
    assert.doesNotMatch(page.text, /id="referral2To"/)
  })

  it('keeps a single ticked pathway and worksheet ticked when a refused submit shows the form again', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const fields = { ...valid(), duration: '', pathways: 'health', worksheets: String(mdi().worksheetId) }
    const res = await kw.post(`/sessions/${id}/submit`, fields, '/')
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /name="pathways" type="checkbox" value="health" checked/)
    assert.match(page.text, new RegExp(`name="worksheets" type="checkbox" value="${mdi().worksheetId}" checked`))
  })
})

describe('saving a draft', () => {
  it('saves as it is and returns to the top of the form, adding no rows', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const fields = { ...valid(), goalRows: '1', referralRows: '1', agreed: 'Saved plainly' }
    const res = await kw.post(`/sessions/${id}/draft`, fields, '/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
    const form = JSON.parse((await sessionRow(id)).draft_form!) as Record<string, unknown>
    assert.equal(form.goalRows, '1')
    assert.equal(form.referralRows, '1')
    assert.equal(form.agreed, 'Saved plainly')
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /Draft saved/)
    assert.doesNotMatch(page.text, /id="goal1Description"|id="referral1To"/)
  })

  it('adds a referral row and takes the officer to it', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const fields = { ...valid(), goalRows: '1', referralRows: '1', referral0Note: 'First', action: 'add-referral' }
    const res = await kw.post(`/sessions/${id}/draft`, fields, '/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit#referral1To`)
    const form = JSON.parse((await sessionRow(id)).draft_form!) as Record<string, unknown>
    assert.equal(form.referralRows, '2')
    assert.equal(form.goalRows, '1', 'no goal row added')
    const page = await kw.get(`/sessions/${id}/edit`)
    assert.match(page.text, /id="referral1To"/)
    assert.doesNotMatch(page.text, /id="goal1Description"/)
  })

  it('answers a client that accepts anything (*/*) like a browser: a redirect, not JSON', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const _csrf = await kw.csrf('/')
    const res = await kw.agent
      .post(`/sessions/${id}/draft`)
      .set('Accept', '*/*')
      .type('form')
      .send({ _csrf, ...valid() })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit`)
  })
})

describe('Check my entry', () => {
  it('without JavaScript, sends the officer to the form with the hints', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const res = await kw.post(`/sessions/${id}/check`, valid(), '/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/sessions/${id}/edit?check=1#check-results`)
  })

  it('answers a script asking about a submitted entry that nothing was saved, and its status', async () => {
    const { id } = await submittedEntry()
    const _csrf = await kw.csrf('/')
    const res = await kw.agent
      .post(`/sessions/${id}/check`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, ...valid() })
    assert.equal(res.status, 409)
    assert.deepEqual(res.body, { saved: false, status: 'submitted' })
  })

  it('sends a check of a submitted entry to its page, and stops there (no failure logged)', async () => {
    const { id } = await submittedEntry()
    const logger = world.services.logger
    const real = logger.error
    const logged: unknown[] = []
    logger.error = ((...args: unknown[]) => void logged.push(args)) as typeof logger.error
    try {
      const res = await kw.post(`/sessions/${id}/check`, valid(), '/')
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, `/sessions/${id}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    } finally {
      logger.error = real
    }
    assert.deepEqual(logged, [])
  })
})

describe('submitting', () => {
  it('says the session was recorded, naming the prisoner, on the entry’s page', async () => {
    const { id, name } = await submittedEntry()
    const page = await kw.get(`/sessions/${id}`)
    assert.match(page.text, new RegExp(`Session with ${name} recorded`))
  })
})

describe('the entry’s page', () => {
  it('is not found for an id no entry has, or another establishment’s entry', async () => {
    assert.equal((await kw.get('/sessions/987654')).status, 404)
    assert.equal((await kw.get(`/sessions/${world.seeded.LEI.sessionId}`)).status, 404)
  })

  it('sends the author of a draft to the form, and is not found for anyone else', async () => {
    const p = await newPrisoner()
    const id = await startFor(kw, p.prisonNumber)
    const own = await kw.get(`/sessions/${id}`)
    assert.equal(own.status, 303)
    assert.equal(own.headers.location, `/sessions/${id}/edit`)
    assert.equal((await so.get(`/sessions/${id}`)).status, 404)
    assert.equal((await admin.get(`/sessions/${id}`)).status, 404)
  })

  it('titles the entry with the prisoner’s name and audits it as a view of the entry', async () => {
    const { id, name, prisonNumber } = await submittedEntry()
    const page = await kw.get(`/sessions/${id}`)
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), `Key work session with ${name} - Key Work - GOV.UK`)
    assert.deepEqual(await views('key_worker.mdi', 'key_work_session', String(id)), [{ prisonNumber }])
  })

  it('offers "Amend" to the author and a Supervising Officer, not to another Key Worker; "Delete" to admins', async () => {
    const { id } = await submittedEntry()
    await createUser(world.services, 'kw.reader.mdi', [{ role: 'KEY_WORKER', establishmentId: mdi().establishmentId }])
    const reader = await signedIn(world, 'kw.reader.mdi')
    const buttons = async (b: Browser) => {
      const page = await b.get(`/sessions/${id}`)
      assert.equal(page.status, 200)
      return {
        amend: page.text.includes('Amend this entry'),
        delete: page.text.includes('Delete this entry'),
      }
    }
    assert.deepEqual(await buttons(kw), { amend: true, delete: false })
    assert.deepEqual(await buttons(so), { amend: true, delete: false })
    assert.deepEqual(await buttons(reader), { amend: false, delete: false })
    assert.deepEqual(await buttons(admin), { amend: true, delete: true })
  })

  it('offers neither button on a deleted entry', async () => {
    const { id } = await submittedEntry()
    const res = await admin.post(`/sessions/${id}/delete`, { reason: 'Duplicate' }, '/')
    assert.equal(res.headers.location, `/sessions/${id}`)
    const page = await admin.get(`/sessions/${id}`)
    assert.equal(page.status, 200)
    assert.doesNotMatch(page.text, /Delete this entry|Amend this entry/)
  })
})

describe('amending', () => {
  it('shows the amend form under its title with the reason empty, and audits it as a view', async () => {
    const { id, prisonNumber } = await submittedEntry()
    const page = await kw.get(`/sessions/${id}/amend`)
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), 'Amend a session entry - Key Work - GOV.UK')
    assert.match(page.text, /<textarea[^>]*id="reason"[^>]*>\s*<\/textarea>/)
    assert.deepEqual(await views('key_worker.mdi', 'key_work_session', String(id)), [
      { page: 'amend form', prisonNumber },
    ])
  })

  it('says the amendment was added', async () => {
    const { id } = await submittedEntry()
    const fields = {
      sessionDate: londonNow().date,
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
    const res = await kw.post(`/sessions/${id}/amend`, fields, '/')
    assert.equal(res.headers.location, `/sessions/${id}`)
    assert.match((await kw.get(`/sessions/${id}`)).text, /Amendment added to the entry/)
  })
})

describe('deleting', () => {
  it('shows the delete form to an admin under its title with the reason empty, and audits it', async () => {
    const { id, prisonNumber } = await submittedEntry()
    const page = await admin.get(`/sessions/${id}/delete`)
    assert.equal(page.status, 200)
    assert.equal(titleOf(page.text), 'Delete a session entry - Key Work - GOV.UK')
    assert.match(page.text, /<textarea[^>]*id="reason"[^>]*>\s*<\/textarea>/)
    assert.deepEqual(await views('establishment_admin.mdi', 'key_work_session', String(id)), [
      { page: 'delete form', prisonNumber },
    ])
  })

  it('has no delete form for a draft or a missing entry, and sends a deleted one to its page', async () => {
    const p = await newPrisoner()
    const draft = await startFor(kw, p.prisonNumber)
    assert.equal((await admin.get(`/sessions/${draft}/delete`)).status, 404)
    assert.equal((await admin.get('/sessions/987654/delete')).status, 404)
    const { id } = await submittedEntry()
    await admin.post(`/sessions/${id}/delete`, { reason: 'Duplicate' }, '/')
    const again = await admin.get(`/sessions/${id}/delete`)
    assert.equal(again.status, 303)
    assert.equal(again.headers.location, `/sessions/${id}`)
  })

  it('never deletes a draft or a missing entry', async () => {
    const p = await newPrisoner()
    const draft = await startFor(kw, p.prisonNumber)
    assert.equal((await admin.post(`/sessions/${draft}/delete`, { reason: 'Not wanted' }, '/')).status, 404)
    assert.equal((await sessionRow(draft)).status, 'draft')
    assert.equal((await admin.post('/sessions/987654/delete', { reason: 'Not wanted' }, '/')).status, 404)
  })

  it('says the entry was deleted, and sends a second delete to the entry, keeping the first reason', async () => {
    const { id } = await submittedEntry()
    const res = await admin.post(`/sessions/${id}/delete`, { reason: 'Wrong prisoner' }, '/')
    assert.equal(res.headers.location, `/sessions/${id}`)
    assert.match((await admin.get(`/sessions/${id}`)).text, /Session entry deleted/)
    const again = await admin.post(`/sessions/${id}/delete`, { reason: 'Twice' }, '/')
    assert.equal(again.status, 303)
    assert.equal(again.headers.location, `/sessions/${id}`)
    assert.equal((await sessionRow(id)).deleted_reason, 'Wrong prisoner')
  })

  it('refuses a delete with no reason, or a reason sent twice, back to the form; the entry stays', async () => {
    const { id } = await submittedEntry()
    const none = await admin.post(`/sessions/${id}/delete`, {}, '/')
    assert.equal(none.status, 303)
    assert.equal(none.headers.location, `/sessions/${id}/delete`)
    assert.match((await admin.get(`/sessions/${id}/delete`)).text, /Enter why the entry is being deleted/)
    const twice = await admin.post(`/sessions/${id}/delete`, { reason: ['One', 'Two'] }, '/')
    assert.equal(twice.status, 303)
    assert.equal(twice.headers.location, `/sessions/${id}/delete`)
    assert.equal((await sessionRow(id)).status, 'submitted')
  })
})
