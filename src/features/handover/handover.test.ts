import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { type Browser, createUser, signedIn, testWorld } from '../../../test/harness'
import { insertGoal, insertReferral, insertSession } from '../../../test/support/referrals'

// Transfer handovers (issue 18) over real services and a real database (both engines), in a world built by hand:
// Moorland (MDI) sends, Leeds (LEI) receives, Berwyn (BWI) is a third establishment that held him years ago.
const world = await testWorld()
const s = world.services
const db = s.db.db
after(() => world.close())
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const r = await s.establishments.create(SYSTEM_ACTOR, {
  code: 'BWI',
  name: 'Berwyn (HMP)',
  category: 'Category C',
  region: 'Wales',
})
if (!r.ok) throw new Error(JSON.stringify(r.errors))
const BWI = r.value

const PN = 'C3333CC'
const OTHER_PN = 'D4444DD'
const at = (establishmentId: number) => ({ ...SYSTEM_ACTOR, establishmentId })
const record = (status: string, receptionDate: string, releaseDate = '') =>
  prisonerRecordSchema.parse({
    prisonNumber: PN,
    firstName: 'Marek',
    lastName: 'Kowalski',
    dateOfBirth: '1990-01-15',
    unit: '',
    cell: '',
    receptionDate,
    releaseDate,
    status,
    complexity: 'low',
    firstLanguage: 'en',
    interpreterNeeded: 'no',
    nationality: 'Polish',
  })
const must = (x: { ok: boolean; errors?: unknown }) => assert.ok(x.ok, JSON.stringify(x))

// an old stay at Berwyn, long over; then Moorland receives him
must(await s.prisoners.create(at(BWI), BWI, record('released', '2019-03-01', '2020-06-30')))
must(await s.prisoners.create(at(MDI), MDI, record('in', '2025-02-03')))
must(
  await s.prisoners.create(at(MDI), MDI, {
    ...record('in', '2025-02-03'),
    prisonNumber: OTHER_PN,
    firstName: 'Other',
  }),
)
const userId = async (username: string) =>
  Number((await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id)
await createUser(s, 'other.kw.mdi', [{ role: 'KEY_WORKER', establishmentId: MDI }])
await createUser(s, 'so.bwi', [{ role: 'SUPERVISING_OFFICER', establishmentId: BWI }])

// his Key Worker at Moorland is key_worker.mdi (a staff record linked to that user), allocated before the transfer
const now = new Date().toISOString()
const { id: staffId } = await db
  .insertInto('staff')
  .values({
    establishment_id: MDI,
    staff_number: 'MDI0099',
    first_name: 'Ann',
    last_name: 'Keyes',
    grade: 'Band 3',
    email: null,
    working_pattern: 'full_time',
    weekly_hours: 37,
    started_in_post: '2023-04-01',
    languages: 'English',
    status: 'active',
    status_return_date: null,
    home_unit_id: null,
    user_id: await userId('key_worker.mdi'),
    created_at: now,
    updated_at: now,
  })
  .returning('id')
  .executeTakeFirstOrThrow()
const prisonerId = (await s.prisoners.get(MDI, PN))!.id
await db
  .insertInto('allocations')
  .values({
    establishment_id: MDI,
    prisoner_id: prisonerId,
    staff_id: staffId,
    allocated_at: '2025-02-10T10:00:00.000Z',
    allocated_by: 'supervising_officer.mdi',
    allocation_reason: 'manual',
    deallocated_at: null,
    deallocated_by: null,
    deallocation_reason: null,
    deallocation_note: null,
    handover_note: null,
  })
  .execute()

// his key work at Moorland: three delivered sessions (what was agreed at each), goals and referrals
const session = (sessionDate: string, agreed: string | null) =>
  insertSession(db, { establishmentId: MDI, prisonerId, staffId, author: 'key_worker.mdi', sessionDate, agreed })
const s1 = await session('2025-03-04', 'Apply for the bricklaying course.')
const s2 = await session('2025-04-08', 'Write to his sister before the visit.')
const s3 = await session('2025-05-13', 'Keep going to the gym three times a week.')
const g1 = await insertGoal(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s1,
  description: 'Start a trade course',
})
const g2 = await insertGoal(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s2,
  description: 'Rebuild contact with family',
  status: 'in_progress',
})
const g3 = await insertGoal(db, { establishmentId: MDI, prisonerId, sessionId: s3, description: 'Stay off spice' })
const achieved = await insertGoal(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s1,
  description: 'Get his ID back',
  status: 'achieved',
})
const r1 = await insertReferral(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s2,
  stakeholder: 'substance_misuse',
  followUpDate: '2025-06-01',
  createdBy: 'key_worker.mdi',
})
const r2 = await insertReferral(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s3,
  stakeholder: 'chaplaincy',
  createdBy: 'key_worker.mdi',
})
const done = await insertReferral(db, {
  establishmentId: MDI,
  prisonerId,
  sessionId: s1,
  stakeholder: 'education',
  status: 'done',
  createdBy: 'key_worker.mdi',
})

// the transfer: Moorland records him transferred out, Leeds receives him (a transfer in from Moorland)
must(await s.prisoners.update(at(MDI), MDI, PN, record('transferred', '2025-02-03')))
must(await s.prisoners.create(at(LEI), LEI, record('in', '2025-06-20')))

const browsers = new Map<string, Browser>()
const as = async (username: string) => {
  let b = browsers.get(username)
  if (!b) {
    b = await signedIn(world, username)
    browsers.set(username, b)
  }
  return b
}
const count = async (table: 'transfer_handovers' | 'transfer_handover_items') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
const headId = async () =>
  Number(
    (
      await db
        .selectFrom('audit_events')
        .select(eb => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id ?? 0,
  )
const eventsAfter = (id: number) =>
  db
    .selectFrom('audit_events')
    .select(['action', 'entity', 'entity_id', 'username', 'establishment_id', 'changes'])
    .where('id', '>', id)
    .orderBy('id')
    .execute()

/** The list items of a page's main content, as text (tags stripped, spaces collapsed). */
const listItems = (html: string) =>
  [...html.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(m =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  )
const PREPARE = `/prisoners/${PN}/handover/prepare`
const PAGE = `/prisoners/${PN}/handover`

/** What Leeds must see, written by hand from what Moorland ticks below. */
const SHARED_ITEMS = [
  'Start a trade course Open. Measure: Checked at the next session',
  'Stay off spice Open. Measure: Checked at the next session',
  'Substance misuse team Sent, referred 8 April 2025, follow up by 1 June 2025',
  'Keep going to the gym three times a week. 13 May 2025',
]
const NOTE = 'Settles best with a morning session.\nAsk about his sister.'

describe('preparing a handover at the sending establishment', () => {
  it('offers his open goals, open referrals and latest agreed actions, ticked as a suggestion, and Leeds suggested', async () => {
    const so = await as('supervising_officer.mdi')
    const page = await so.get(PREPARE)
    assert.equal(page.status, 200)
    for (const text of [
      'Start a trade course',
      'Rebuild contact with family',
      'Stay off spice',
      'Substance misuse team',
      'Chaplaincy',
      'Apply for the bricklaying course.',
      'Write to his sister before the visit.',
      'Keep going to the gym three times a week.',
      'from his Key Worker, Ann Keyes',
    ])
      assert.ok(page.text.includes(text), text)
    assert.ok(!page.text.includes('Get his ID back'), 'an achieved goal is not open')
    assert.ok(!page.text.includes(`name="referrals" type="checkbox" value="${done}"`), 'a done referral is not open')
    assert.match(page.text, /<option value="LEI" selected>/)
    const checked = [...page.text.matchAll(/name="(goals|referrals|agreed)" type="checkbox" value="(\d+)" checked/g)]
    assert.deepEqual(
      checked.map(m => `${m[1]}:${m[2]}`),
      [`goals:${g1}`, `goals:${g2}`, `goals:${g3}`, `referrals:${r1}`, `referrals:${r2}`, `agreed:${s3}`],
    )
    assert.equal(await count('transfer_handovers'), 0, 'nothing is shared by opening the form')
  })

  it('refuses an empty form with every problem at once, and saves nothing', async () => {
    const so = await as('supervising_officer.mdi')
    const res = await so.post(PREPARE, {}, PREPARE)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, PREPARE)
    const page = await so.get(PREPARE)
    assert.match(page.text, /There is a problem/)
    for (const message of [
      'Choose the establishment he is transferred to',
      'Write a handover note or choose at least one thing to share',
    ])
      assert.ok(page.text.includes(message), message)
    assert.equal(await count('transfer_handovers'), 0)
  })

  it('refuses goals that are not his open ones, his own establishment, and a note too long, keeping what was typed', async () => {
    const so = await as('supervising_officer.mdi')
    const res = await so.post(
      PREPARE,
      { receivingEstablishment: 'MDI', goals: [String(g1), String(achieved)], note: 'Kept text' },
      PREPARE,
    )
    assert.equal(res.status, 303)
    let page = await so.get(PREPARE)
    assert.ok(page.text.includes('Choose the establishment he is transferred to'))
    await so.post(PREPARE, { receivingEstablishment: 'LEI', goals: [String(g1), String(achieved)], note: 'Kept text' })
    page = await so.get(PREPARE)
    assert.ok(page.text.includes('A goal you chose is no longer open or is not his'))
    assert.ok(page.text.includes('Kept text'), 'the note typed is kept')
    await so.post(PREPARE, { receivingEstablishment: 'LEI', note: 'x'.repeat(2001), referrals: 'abc' })
    page = await so.get(PREPARE)
    assert.ok(page.text.includes('The handover note must be 2,000 characters or fewer'))
    assert.ok(page.text.includes('Choose referrals from the list'))
    // repeated and odd fields: an error, never a 500
    const odd = await so.post(PREPARE, { receivingEstablishment: ['LEI', 'BWI'], note: ['a', 'b'] })
    assert.equal(odd.status, 303)
    assert.equal(await count('transfer_handovers'), 0)
  })

  it('is for his Key Worker, a Supervising Officer or an admin there: another Key Worker and other establishments get 404', async () => {
    assert.equal((await (await as('key_worker.mdi')).get(PREPARE)).status, 200, 'his Key Worker')
    assert.equal((await (await as('establishment_admin.mdi')).get(PREPARE)).status, 200, 'the admin')
    const other = await as('other.kw.mdi')
    assert.equal((await other.get(PREPARE)).status, 404, 'a Key Worker who is not his')
    assert.equal((await other.post(PREPARE, { receivingEstablishment: 'LEI', note: 'x' }, '/')).status, 404)
    assert.equal((await (await as('national')).get(PREPARE)).status, 403, 'the national team does not prepare')
    assert.equal((await (await as('so.bwi')).get(`/prisoners/${OTHER_PN}/handover/prepare`)).status, 404)
    assert.equal(await count('transfer_handovers'), 0)
  })

  it('offers "Prepare a handover" on his page after the transfer out, to those who may', async () => {
    const link = `href="${PREPARE}"`
    assert.ok((await (await as('supervising_officer.mdi')).get(`/prisoners/${PN}`)).text.includes(link))
    assert.ok((await (await as('key_worker.mdi')).get(`/prisoners/${PN}`)).text.includes(link))
    assert.ok(!(await (await as('other.kw.mdi')).get(`/prisoners/${PN}`)).text.includes(link))
    assert.ok(!(await (await as('supervising_officer.mdi')).get(`/prisoners/${OTHER_PN}`)).text.includes(link))
  })

  it('shares what was ticked, as it is now, audited with the ids chosen', async () => {
    const before = await headId()
    const kw = await as('key_worker.mdi')
    const res = await kw.post(
      PREPARE,
      {
        receivingEstablishment: 'LEI',
        goals: [String(g1), String(g3)],
        referrals: String(r1),
        agreed: String(s3),
        note: NOTE,
      },
      PREPARE,
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, PAGE)
    assert.equal(await count('transfer_handovers'), 1)
    assert.equal(await count('transfer_handover_items'), 4)
    const h = await db.selectFrom('transfer_handovers').selectAll().executeTakeFirstOrThrow()
    assert.equal(h.sending_establishment_id, MDI)
    assert.equal(h.receiving_establishment_id, LEI)
    assert.equal(h.prison_number, PN)
    assert.equal(h.note, NOTE)
    assert.equal(h.key_worker, 'Ann Keyes')
    assert.equal(h.prepared_by, 'key_worker.mdi')
    assert.equal(h.read_at, null)
    const events = await eventsAfter(before)
    const created = events.filter(e => e.entity === 'transfer_handover')
    assert.equal(created.length, 1)
    assert.equal(created[0]!.action, 'create')
    assert.equal(created[0]!.establishment_id, MDI)
    assert.deepEqual(JSON.parse(created[0]!.changes!), {
      prison_number: PN,
      to: 'LEI',
      goals: [g1, g3],
      referrals: [r1],
      agreed: [s3],
      note: true,
    })
    // a second one to Leeds waits until the first is read or withdrawn
    await kw.post(PREPARE, { receivingEstablishment: 'LEI', note: 'Again' })
    assert.ok((await kw.get(PREPARE)).text.includes('A handover to Leeds (HMP) is waiting to be read'))
    assert.equal(await count('transfer_handovers'), 1)
  })
})

describe('the receiving establishment', () => {
  it('sees "Handover from Moorland" on his page, and exactly the chosen items on the handover page, audited', async () => {
    const kw = await as('key_worker.lei')
    const show = await kw.get(`/prisoners/${PN}`)
    assert.equal(show.status, 200)
    assert.ok(show.text.includes('Handover from Moorland (HMP)'))
    assert.ok(show.text.includes('2 open goals, 1 open referral, what was agreed at 1 session and a note'))
    const before = await headId()
    const page = await kw.get(PAGE)
    assert.equal(page.status, 200)
    assert.deepEqual(listItems(page.text), SHARED_ITEMS)
    assert.ok(page.text.includes('Settles best with a morning session.<br />'))
    assert.ok(page.text.includes('His Key Worker at Moorland (HMP): Ann Keyes.'))
    for (const notShared of ['Rebuild contact with family', 'Chaplaincy', 'Write to his sister', 'Get his ID back'])
      assert.ok(!page.text.includes(notShared), notShared)
    const views = (await eventsAfter(before)).filter(e => e.action === 'view')
    assert.equal(views.length, 1)
    assert.equal(views[0]!.entity, 'prisoner')
    assert.equal(views[0]!.entity_id, PN)
    assert.equal(views[0]!.establishment_id, LEI)
    assert.equal((JSON.parse(views[0]!.changes!) as { page: string }).page, 'handover')
    const h = await db.selectFrom('transfer_handovers').select('read_at').executeTakeFirstOrThrow()
    assert.ok(h.read_at, 'read by Leeds')
  })

  it('is not found by a third establishment, with or without its own record of him', async () => {
    const so = await as('so.bwi')
    // Berwyn holds an old record of him: his page is there, the handover is not
    const show = await so.get(`/prisoners/${PN}`)
    assert.equal(show.status, 200)
    assert.ok(!show.text.includes('Handover from'))
    const page = await so.get(PAGE)
    assert.equal(page.status, 200)
    assert.deepEqual(listItems(page.text), [])
    assert.ok(!page.text.includes('Start a trade course'))
    // a man Berwyn has no record of: 404
    assert.equal((await so.get(`/prisoners/${OTHER_PN}/handover`)).status, 404)
    const lei = await as('supervising_officer.lei')
    assert.equal((await lei.get(`/prisoners/${OTHER_PN}/handover`)).status, 404)
  })

  it('does not see later changes at the sender', async () => {
    await db.updateTable('session_goals').set({ description: 'Changed at Moorland' }).where('id', '=', g1).execute()
    await db.updateTable('referrals').set({ status: 'done' }).where('id', '=', r1).execute()
    await db.updateTable('key_work_sessions').set({ agreed: 'Changed too' }).where('id', '=', s3).execute()
    await insertGoal(db, { establishmentId: MDI, prisonerId, sessionId: s3, description: 'A goal set later' })
    const page = await (await as('key_worker.lei')).get(PAGE)
    assert.deepEqual(listItems(page.text), SHARED_ITEMS)
  })

  it('may not prepare or withdraw a handover of Moorland', async () => {
    const so = await as('supervising_officer.lei')
    const h = await db.selectFrom('transfer_handovers').select('id').executeTakeFirstOrThrow()
    const res = await so.post(`${PAGE}/withdraw`, { handover: String(h.id) }, PAGE)
    assert.equal(res.status, 303)
    assert.ok((await so.get(PAGE)).text.includes('Choose the handover to withdraw'))
    assert.equal(await count('transfer_handover_items'), 4)
  })
})

describe('withdrawing', () => {
  it('is refused once the receiver has read it', async () => {
    const so = await as('supervising_officer.mdi')
    const h = await db.selectFrom('transfer_handovers').select('id').executeTakeFirstOrThrow()
    await so.post(`${PAGE}/withdraw`, { handover: String(h.id) }, PAGE)
    const page = await so.get(PAGE)
    assert.match(page.text, /Leeds \(HMP\) read the handover on \d+ \w+ \d{4}: it can no longer be withdrawn/)
    assert.equal(await count('transfer_handover_items'), 4)
  })

  it('before it is read, removes what it shared: the named receiver saw it until then, and sees nothing after', async () => {
    const so = await as('supervising_officer.mdi')
    // a handover naming Berwyn (the sender's choice), which holds a record of him
    const res = await so.post(
      PREPARE,
      { receivingEstablishment: 'BWI', goals: String(g2), note: 'For Berwyn' },
      PREPARE,
    )
    assert.equal(res.status, 303)
    const bwi = (
      await db
        .selectFrom('transfer_handovers')
        .select('id')
        .where('receiving_establishment_id', '=', BWI)
        .executeTakeFirstOrThrow()
    ).id
    assert.ok((await (await as('so.bwi')).get(`/prisoners/${PN}`)).text.includes('Handover from Moorland (HMP)'))
    // Leeds sees only its own
    assert.deepEqual(listItems((await (await as('key_worker.lei')).get(PAGE)).text), SHARED_ITEMS)
    // read receipts: viewing Berwyn's prisoner page is not reading the handover
    assert.equal(
      (await db.selectFrom('transfer_handovers').select('read_at').where('id', '=', bwi).executeTakeFirstOrThrow())
        .read_at,
      null,
    )
    const before = await headId()
    const w = await so.post(`${PAGE}/withdraw`, { handover: String(bwi) }, PAGE)
    assert.equal(w.status, 303)
    const row = await db.selectFrom('transfer_handovers').selectAll().where('id', '=', bwi).executeTakeFirstOrThrow()
    assert.equal(row.note, null)
    assert.equal(row.withdrawn_by, 'supervising_officer.mdi')
    assert.equal(await count('transfer_handover_items'), 4, "only Leeds' items remain")
    const events = (await eventsAfter(before)).filter(e => e.entity === 'transfer_handover')
    assert.deepEqual(
      events.map(e => [e.action, e.entity_id, e.establishment_id]),
      [['withdraw', String(bwi), MDI]],
    )
    const berwyn = await as('so.bwi')
    assert.ok(!(await berwyn.get(`/prisoners/${PN}`)).text.includes('Handover from'))
    assert.deepEqual(listItems((await berwyn.get(PAGE)).text), [])
    const sender = await so.get(PAGE)
    assert.match(sender.text, /Withdrawn by supervising_officer\.mdi/)
  })
})

describe('data protection', () => {
  it('includes his handovers in a subject access request', async () => {
    const sar = await s.dataProtection.subject(PN)
    assert.ok(sar)
    assert.deepEqual(
      sar.transferHandovers.map(h => [h.from_establishment, h.to_establishment, h.note, h.withdrawn_by]),
      [
        ['Moorland (HMP)', 'Leeds (HMP)', NOTE, null],
        ['Moorland (HMP)', 'Berwyn (HMP)', null, 'supervising_officer.mdi'],
      ],
    )
    assert.deepEqual(
      sar.transferHandoverItems.map(i => i.text),
      ['Start a trade course', 'Stay off spice', 'Substance misuse team', 'Keep going to the gym three times a week.'],
    )
  })

  it('clears what was shared when the retention rule anonymises him', async () => {
    // every record of him released long ago: he is due under the rule
    await db
      .updateTable('prisoners')
      .set({ status: 'released', release_date: '2010-01-01' })
      .where('prison_number', '=', PN)
      .execute()
    await s.dataProtection.run(SYSTEM_ACTOR)
    const handovers = await db
      .selectFrom('transfer_handovers')
      .select(['note', 'prison_number'])
      .orderBy('id')
      .execute()
    assert.deepEqual(
      handovers.map(h => h.note),
      [null, null],
    )
    assert.ok(handovers.every(h => h.prison_number !== PN))
    const items = await db.selectFrom('transfer_handover_items').select(['text', 'detail']).execute()
    assert.deepEqual(
      items.map(i => [i.text, i.detail]),
      [
        ['Anonymised', null],
        ['Anonymised', null],
        ['Anonymised', null],
        ['Anonymised', null],
      ],
    )
  })
})
