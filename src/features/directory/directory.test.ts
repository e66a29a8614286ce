import { loadDemoDirectory } from '../../demo/load/loaders'
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays, todayIso } from '../../domain/dates'
import type { ServiceRecord } from '../../domain/directoryRecord'
import { searchTextOf } from '../../domain/directory'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type World, signedIn, testWorld } from '../../../test/harness'

const world: World & { close(): Promise<void> } = await testWorld()
after(() => world.close())
const s = world.services
const db = s.db.db
const MDI = world.est.MDI!
const LEI = world.est.LEI!

function record(over: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    name: 'Housing advice',
    description: 'Advice on housing before release.',
    organizationName: 'Housing charity',
    status: 'active',
    provision: 'external',
    applicationProcess: 'Email the team.',
    eligibility: null,
    waitTime: '2 weeks',
    email: 'housing@example.org',
    url: null,
    interpretationServices: null,
    location: {
      type: 'physical',
      name: 'Housing centre',
      description: null,
      url: null,
      address: { address1: '1 High Street', address2: null, city: 'Leeds', region: null, postalCode: 'LS1 1AA' },
    },
    contacts: [{ name: 'Anna Kowalska', title: 'Housing adviser', email: 'anna@example.org', phone: null }],
    phones: [{ number: '0113 496 0001', extension: null, type: 'voice' }],
    schedules: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '12:00', description: null }],
    languages: ['en', 'pl'],
    pathways: ['accommodation'],
    ...over,
  }
}

async function create(establishmentId: number | null, over: Partial<ServiceRecord> = {}) {
  const r = await s.directory.create({ ...SYSTEM_ACTOR, establishmentId }, establishmentId, record(over))
  assert.ok(r.ok)
  return r.value
}

/** A valid form post for a new service, with overrides. */
function form(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: 'Library',
    organizationName: 'Moorland (HMP)',
    description: 'Books and audiobooks.',
    status: 'active',
    provision: 'internal',
    pathways: ['education-training-employment', 'wellbeing-safety'],
    applicationProcess: 'Ask wing staff for the library slot.',
    email: 'library.mdi@example.org',
    phone1Number: '0113 203 2600',
    phone1Extension: '204',
    phone1Type: 'voice',
    contact1Name: 'Jo Price',
    contact1Title: 'Librarian',
    contact1Email: 'jo.price@example.org',
    contact1Phone1Number: '+44 113 496 0002',
    schedule1Days: ['MO', 'TU', 'WE'],
    schedule1Opens: '9:00',
    schedule1Closes: '16:00',
    location1Kind: 'inside',
    location1Name: 'Library',
    languages: 'English, Polish',
    ...over,
  }
}

/** Decodes the few entities the templates write. */
const unescape = (t: string) =>
  t
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/**
 * The fields a browser would post from the page's form as shown (text, hidden, ticked boxes, chosen options), with
 * its CSRF token: to change a few of them and post the rest back unchanged, as a person editing the form does.
 */
function shownForm(html: string): Record<string, string | string[]> {
  const form = /<form method="post" novalidate>([\s\S]*?)<\/form>/.exec(html)?.[1]
  assert.ok(form, 'the page has the service form')
  const out: Record<string, string | string[]> = {}
  const add = (name: string, value: string) => {
    const had = out[name]
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value]
  }
  const attrs = (tag: string) => {
    const a: Record<string, string> = {}
    for (const m of tag.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) a[m[1]!] = unescape(m[2] ?? '')
    return a
  }
  for (const m of form.matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(m[1]!)
    if (!a.name) continue
    if ((a.type === 'checkbox' || a.type === 'radio') && !('checked' in a)) continue
    add(a.name, a.value ?? '')
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const a = attrs(m[1]!)
    if (a.name) add(a.name, unescape(m[2]!))
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const a = attrs(m[1]!)
    const chosen = /<option\b([^>]*\bselected[^>]*)>/.exec(m[2]!) ?? /<option\b([^>]*)>/.exec(m[2]!)
    if (a.name && chosen) add(a.name, attrs(chosen[1]!).value ?? '')
  }
  return out
}

let housing: string
let gym: string
let samaritans: string
let leedsOnly: string
let oldOne: string

before(async () => {
  housing = await create(MDI)
  gym = await create(MDI, {
    name: 'Gym and PE',
    description: 'Gym sessions.',
    organizationName: 'Moorland (HMP)',
    provision: 'internal',
    pathways: ['health', 'wellbeing-safety'],
    languages: [],
    location: { type: 'physical', name: 'Gym', description: null, url: null, address: null },
    contacts: [],
  })
  samaritans = await create(null, {
    name: 'Samaritans',
    description: 'Emotional support.',
    organizationName: 'Samaritans (demo)',
    pathways: ['wellbeing-safety'],
    languages: [],
    location: { type: 'virtual', name: 'By phone', description: null, url: null, address: null },
    contacts: [],
    phones: [{ number: '020 7946 0001', extension: null, type: 'voice' }],
  })
  leedsOnly = await create(LEI, { name: 'Leeds debt advice', pathways: ['finance-benefit-debt'] })
  oldOne = (
    await db.transaction().execute(trx =>
      s.directory.insertMany(trx, [
        {
          establishmentId: MDI,
          record: record({ name: 'Old food bank', pathways: ['finance-benefit-debt'] }),
          assuredDate: addDays(todayIso(), -220),
        },
      ]),
    )
  )[0]!
})

describe('find a service', () => {
  it('shows the establishment’s services and national ones, never another establishment’s', async () => {
    const b = await signedIn(world, 'key_worker.mdi')
    const res = await b.get('/directory')
    assert.equal(res.status, 200)
    for (const name of ['Housing advice', 'Gym and PE', 'Samaritans']) assert.match(res.text, new RegExp(name))
    assert.doesNotMatch(res.text, /Leeds debt advice/)
    assert.match(res.text, /National/)
  })

  it('searches by words, including the organisation and contact names', async () => {
    const b = await signedIn(world, 'supervising_officer.mdi')
    let res = await b.get('/directory?q=HOUSING+release')
    assert.match(res.text, /Housing advice/)
    assert.doesNotMatch(res.text, /Gym and PE/)
    res = await b.get('/directory?q=kowalska')
    assert.match(res.text, /Housing advice/)
    assert.doesNotMatch(res.text, /Samaritans/)
    res = await b.get('/directory?q=nothing-like-this')
    assert.match(res.text, /No services match your search/)
    res = await b.get('/directory?q=%25_%5C')
    assert.equal(res.status, 200)
  })

  it('filters by pathway, by inside or outside, and by language', async () => {
    const b = await signedIn(world, 'key_worker.mdi')
    let res = await b.get('/directory?pathway=wellbeing-safety')
    assert.match(res.text, /Gym and PE/)
    assert.match(res.text, /Samaritans/)
    assert.doesNotMatch(res.text, /Housing advice/)
    res = await b.get('/directory?provision=internal')
    assert.match(res.text, /Gym and PE/)
    assert.doesNotMatch(res.text, /Housing advice/)
    assert.doesNotMatch(res.text, /Samaritans/)
    res = await b.get('/directory?language=pl')
    assert.match(res.text, /Housing advice/)
    assert.doesNotMatch(res.text, /Gym and PE/)
    res = await b.get('/directory?pathway=gardening&provision=x&language=zz')
    assert.equal(res.status, 200)
    assert.match(res.text, /Gym and PE/)
  })

  it('the service page has everything needed to refer', async () => {
    const b = await signedIn(world, 'key_worker.mdi')
    const res = await b.get(`/directory/services/${housing}`)
    assert.equal(res.status, 200)
    for (const text of [
      'Housing advice',
      'Email the team.',
      '0113 496 0001',
      'housing@example.org',
      'Anna Kowalska',
      'Monday to Friday, 09:00 to 12:00',
      '1 High Street',
      'Polish',
      'Accommodation',
      '2 weeks',
      'Never',
    ])
      assert.ok(res.text.includes(text), `service page shows ${text}`)
    assert.doesNotMatch(res.text, /Edit service/)
    assert.doesNotMatch(res.text, /Change history/)
    assert.equal((await b.get(`/directory/services/${samaritans}`)).status, 200)
    assert.equal((await b.get(`/directory/services/${leedsOnly}`)).status, 404)
    assert.equal((await b.get('/directory/services/not-a-uuid')).status, 404)
  })
})

describe('paging through results', () => {
  it('gives every service once, in name then id order by code point on both engines, with the total on every page', async () => {
    // names that sort differently under a language-aware collation: case, spaces, punctuation, accents
    const names = [
      'apple',
      'Apple',
      'B team',
      'B-team',
      'Bteam',
      'Émigré support',
      'Zebra',
      'zebra',
      'Ärzte',
      '42 Club',
    ]
    const items = Array.from({ length: 47 }, (_, i) => ({
      establishmentId: LEI,
      record: record({ name: `${names[i % names.length]}${i % 3 === 0 ? '' : ` ${i}`}`, pathways: ['health'] }),
    }))
    await db.transaction().execute(trx => s.directory.insertMany(trx, items))
    const visible = await db
      .selectFrom('directory_services')
      .select(['id', 'name', 'search_text'])
      .where(eb => eb.or([eb('establishment_id', '=', LEI), eb('establishment_id', 'is', null)]))
      .where('status', 'not in', ['defunct', 'inactive'])
      .execute()
    const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
    const expected = visible.sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.id, b.id)).map(r => r.id)
    const seen: string[] = []
    for (let page = 1; page <= Math.ceil(expected.length / 20) + 1; page++) {
      const r = await s.directory.search(LEI, { q: '', page })
      assert.equal(r.total, expected.length, `the total on page ${page}`)
      seen.push(...r.rows.map(x => x.id))
    }
    assert.deepEqual(seen, expected)
    // with words: the matches in the same order, and their total past the first page
    const matching = expected.filter(id => visible.find(v => v.id === id)!.search_text.includes('advice'))
    assert.ok(matching.length > 20)
    const second = await s.directory.search(LEI, { q: 'ADVICE', page: 2 })
    assert.equal(second.total, matching.length)
    assert.deepEqual(
      second.rows.map(x => x.id),
      matching.slice(20, 40),
    )
    const beyond = await s.directory.search(LEI, { q: 'advice', page: 99 })
    assert.deepEqual([beyond.rows.length, beyond.total], [0, matching.length])
  })
})

describe('adding and editing services', () => {
  it('an admin adds a service: audited, with HSDS metadata per field and search text', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.post('/directory/services/new', form(), '/directory/services/new')
    assert.equal(res.status, 303)
    const id = /\/directory\/services\/([0-9a-f-]{36})$/.exec(String(res.headers.location))?.[1]
    assert.ok(id, res.headers.location)
    const row = await db.selectFrom('directory_services').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, MDI)
    assert.equal(
      row.search_text,
      searchTextOf({
        name: 'Library',
        description: 'Books and audiobooks.',
        organizationName: 'Moorland (HMP)',
        contacts: [{ name: 'Jo Price', title: 'Librarian' }],
      }),
    )
    const meta = await db.selectFrom('directory_metadata').selectAll().where('resource_id', '=', id).execute()
    assert.ok(meta.length >= 10)
    assert.ok(meta.every(m => m.last_action_type === 'create' && m.updated_by === 'establishment_admin.mdi'))
    assert.equal(meta.find(m => m.field_name === 'name')?.replacement_value, 'Library')
    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity', '=', 'directory_service')
      .where('entity_id', '=', id)
      .execute()
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.action, 'create')
    const page = await b.get(`/directory/services/${id}`)
    assert.match(page.text, /0113 203 2600, extension 204/)
    assert.match(page.text, /\+44 113 496 0002/)
    assert.match(page.text, /Monday to Wednesday, 09:00 to 16:00/)
    assert.match(page.text, /Change history/)
    const service = await s.directory.get(MDI, id)
    assert.deepEqual(service?.languages, ['en', 'pl'])
    assert.deepEqual(service?.pathways, ['education-training-employment', 'wellbeing-safety'])
  })

  it('a phone number or email in the wrong form is a field error, and nothing is saved', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const before = await db
      .selectFrom('directory_services')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const res = await b.post(
      '/directory/services/new',
      form({
        name: 'Bad one',
        phone1Number: '0113 ABC 2600',
        email: 'not-an-email',
        contact1Phone1Number: '12345',
        schedule1Closes: '08:00',
      }),
      '/directory/services/new',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/directory/services/new')
    const page = await b.get('/directory/services/new')
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /href="#phone1Number"/)
    assert.match(page.text, /Phone number 1: enter a UK phone number/)
    assert.match(page.text, /href="#email"/)
    assert.match(page.text, /Enter the service email address in the correct format/)
    assert.match(page.text, /href="#contact1Phone1Number"/)
    assert.match(page.text, /Contact 1, phone number 1: enter a UK phone number/)
    assert.match(page.text, /value="Bad one"/)
    const after = await db
      .selectFrom('directory_services')
      .select(db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(after.n), Number(before.n))
  })

  it('cross-field rules: closing after opening, an address for a community place', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    await b.post(
      '/directory/services/new',
      form({ schedule1Closes: '08:00', location1Kind: 'community', location1Name: 'Drop-in' }),
      '/directory/services/new',
    )
    const page = await b.get('/directory/services/new')
    assert.match(page.text, /Closing time 1 must be after the opening time/)
    assert.match(page.text, /href="#location1Address1">Location 1: enter the first line of the address/)
  })

  it('an empty form gives errors, not a failure', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.post('/directory/services/new', {}, '/directory/services/new')
    assert.equal(res.status, 303)
    const page = await b.get('/directory/services/new')
    assert.match(page.text, /Enter the service name/)
    const edit = await b.post(`/directory/services/${gym}/edit`, {}, `/directory/services/${gym}/edit`)
    assert.equal(edit.status, 303)
    assert.match((await b.get(`/directory/services/${gym}/edit`)).text, /There is a problem/)
  })

  it('an admin edits their service: changed fields recorded with previous and new values', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const edit = await b.get(`/directory/services/${gym}/edit`)
    assert.equal(edit.status, 200)
    assert.match(edit.text, /value="Gym and PE"/)
    const fields = shownForm(edit.text)
    assert.equal(fields.phone1Number, '0113 496 0001', 'the stored phone number is on the form')
    const res = await b.agent
      .post(`/directory/services/${gym}/edit`)
      .type('form')
      .send({
        ...fields,
        name: 'Gym and sport',
        phone1Number: '0113 496 0999',
        location1Name: 'Sports hall',
      })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/directory/services/${gym}`)
    const meta = await db
      .selectFrom('directory_metadata')
      .selectAll()
      .where('resource_id', '=', gym)
      .where('last_action_type', '=', 'update')
      .execute()
    const byField = new Map(meta.map(m => [m.field_name, m]))
    assert.equal(byField.get('name')?.previous_value, 'Gym and PE')
    assert.equal(byField.get('name')?.replacement_value, 'Gym and sport')
    assert.equal(byField.get('phones')?.replacement_value, '0113 496 0999')
    assert.equal(byField.get('location')?.replacement_value, 'Sports hall')
    assert.equal(byField.get('description'), undefined, 'unchanged fields are not recorded')
    assert.ok(meta.every(m => m.updated_by === 'establishment_admin.mdi' && m.resource_type === 'service'))
    const row = await db.selectFrom('directory_services').selectAll().where('id', '=', gym).executeTakeFirstOrThrow()
    assert.match(row.search_text, /gym and sport/)
    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', gym)
      .where('action', '=', 'update')
      .execute()
    assert.equal(audit.length, 1)
    const page = await b.get(`/directory/services/${gym}`)
    assert.match(page.text, /Gym and sport/)
    assert.match(page.text, /Sports hall/)
    assert.match(page.text, /Change history/)
    // searching finds the new name
    assert.match((await b.get('/directory?q=sport')).text, /Gym and sport/)
  })

  it('an admin cannot edit a national service (403) or another establishment’s (404)', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    assert.equal((await b.get(`/directory/services/${samaritans}/edit`)).status, 403)
    const csrf = await b.csrf('/directory/services/new')
    const post = await b.agent
      .post(`/directory/services/${samaritans}/edit`)
      .type('form')
      .send({ _csrf: csrf, ...form() })
    assert.equal(post.status, 403)
    const checked = await b.agent.post(`/directory/services/${samaritans}/checked`).type('form').send({ _csrf: csrf })
    assert.equal(checked.status, 403)
    assert.equal((await b.get(`/directory/services/${leedsOnly}/edit`)).status, 404)
    const other = await b.agent
      .post(`/directory/services/${leedsOnly}/edit`)
      .type('form')
      .send({ _csrf: csrf, ...form() })
    assert.equal(other.status, 404)
    const page = await b.get(`/directory/services/${samaritans}`)
    assert.doesNotMatch(page.text, /Edit service/)
    const row = await db
      .selectFrom('directory_services')
      .select('name')
      .where('id', '=', samaritans)
      .executeTakeFirstOrThrow()
    assert.equal(row.name, 'Samaritans')
  })

  it('Key Workers and Supervising Officers cannot edit', async () => {
    for (const user of ['key_worker.mdi', 'supervising_officer.mdi']) {
      const b = await signedIn(world, user)
      assert.equal((await b.get(`/directory/services/${housing}/edit`)).status, 403)
      assert.equal((await b.get('/directory/services/new')).status, 403)
      assert.equal((await b.get('/directory/check-due')).status, 403)
    }
  })

  it('the national team adds and edits national services, seen in every establishment', async () => {
    const b = await signedIn(world, 'national')
    const res = await b.post(
      '/directory/services/new',
      form({
        name: 'National Careers Service',
        scope: 'national',
        organizationName: 'National Careers Service (demo)',
      }),
      '/directory/services/new',
    )
    assert.equal(res.status, 303)
    const id = String(res.headers.location).split('/').pop()!
    const row = await db.selectFrom('directory_services').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.establishment_id, null)
    assert.ok(await s.directory.get(LEI, id), 'Leeds sees it')
    const lei = await signedIn(world, 'key_worker.lei')
    assert.match((await lei.get('/directory?q=careers')).text, /National Careers Service/)

    const edit = await b.post(
      `/directory/services/${samaritans}/edit`,
      form({ name: 'Samaritans (free from prison phones)' }),
      `/directory/services/${samaritans}/edit`,
    )
    assert.equal(edit.status, 303)
    assert.equal((await s.directory.get(MDI, samaritans))?.name, 'Samaritans (free from prison phones)')
    // without a choice of who sees it, the national team is asked
    await b.post('/directory/services/new', form({ name: 'Unscoped' }), '/directory/services/new')
    assert.match((await b.get('/directory/services/new')).text, /Select who sees this service/)
  })
})

describe('several locations and phone numbers', () => {
  let workshop: string
  const editPath = () => `/directory/services/${workshop}/edit`

  before(async () => {
    workshop = await create(MDI, {
      name: 'Workshops',
      organizationName: 'Moorland (HMP)',
      provision: 'internal',
      pathways: ['education-training-employment'],
      location: {
        type: 'physical',
        name: 'Workshop 4',
        description: 'Inside Moorland (HMP)',
        url: null,
        address: null,
      },
      contacts: [
        {
          name: 'Sam Turner',
          title: 'Instructor',
          email: null,
          phone: { number: '0113 496 0200', extension: '31', type: 'voice' },
        },
      ],
      phones: [{ number: '0113 496 0201', extension: null, type: 'voice' }],
    })
  })

  /** What the trail says changed in the service's last update, by field. */
  async function lastUpdate() {
    const meta = await db
      .selectFrom('directory_metadata')
      .selectAll()
      .where('resource_id', '=', workshop)
      .where('last_action_type', '=', 'update')
      .orderBy('last_action_date', 'desc')
      .execute()
    const at = meta[0]?.last_action_date
    return new Map(meta.filter(m => m.last_action_date === at).map(m => [m.field_name, m]))
  }

  const counts = async () => ({
    metadata: (await db.selectFrom('directory_metadata').select('id').where('resource_id', '=', workshop).execute())
      .length,
    audit: (await db.selectFrom('audit_events').select('id').where('entity_id', '=', workshop).execute()).length,
  })

  it('“Add another location” shows a new row without saving; saving adds the second location', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const before = await s.directory.get(MDI, workshop)
    const beforeCounts = await counts()
    const shown = shownForm((await b.get(editPath())).text)
    assert.equal(shown.location1Name, 'Workshop 4')
    assert.equal(shown.location2Id, undefined, 'one location, one row')

    const added = await b.agent
      .post(editPath())
      .type('form')
      .send({ ...shown, name: 'Workshops and training', add: 'location' })
    assert.equal(added.status, 303)
    assert.equal(added.headers.location, `${editPath()}#location2Kind`)
    const page = await b.get(editPath())
    assert.match(page.text, /id="location2Kind"/)
    assert.match(page.text, /value="Workshops and training"/, 'what was typed is kept')
    assert.doesNotMatch(page.text, /There is a problem/)
    assert.deepEqual(await s.directory.get(MDI, workshop), before, 'nothing saved')
    assert.deepEqual(await counts(), beforeCounts)

    const res = await b.agent
      .post(editPath())
      .type('form')
      .send({
        ...shownForm(page.text),
        location2Kind: 'community',
        location2Name: 'Leeds College of Building',
        location2Address1: 'North Street',
        location2City: 'Leeds',
        location2Postcode: 'ls2 7qt',
      })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/directory/services/${workshop}`)
    const after = (await s.directory.get(MDI, workshop))!
    assert.equal(after.name, 'Workshops and training')
    assert.deepEqual(
      after.locations.map(l => [l.name, l.address?.postalCode ?? null, l.description]),
      [
        ['Workshop 4', null, 'Inside Moorland (HMP)'],
        ['Leeds College of Building', 'LS2 7QT', null],
      ],
    )
    assert.equal(after.locations[0]!.id, before!.locations[0]!.id, 'the first location is the same row')
    const trail = await lastUpdate()
    assert.equal(trail.get('location')?.previous_value, 'Workshop 4')
    assert.equal(
      trail.get('location')?.replacement_value,
      'Workshop 4; Leeds College of Building, North Street, Leeds, LS2 7QT',
    )
    assert.equal(trail.get('name')?.replacement_value, 'Workshops and training')
    assert.equal(trail.get('contacts'), undefined, 'unchanged fields are not recorded')
    assert.ok([...trail.values()].every(m => m.updated_by === 'establishment_admin.mdi'))
    const audit = await db
      .selectFrom('audit_events')
      .select('changes')
      .where('entity_id', '=', workshop)
      .where('action', '=', 'update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(Object.keys(JSON.parse(audit.changes!)).sort(), ['location', 'name'])
    const service = await b.get(`/directory/services/${workshop}`)
    assert.match(service.text, /Workshop 4/)
    assert.match(service.text, /Leeds College of Building, North Street, Leeds, LS2 7QT/)
  })

  it('a contact gets a second phone number, and the service a second one of its own', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const before = (await s.directory.get(MDI, workshop))!
    let shown = shownForm((await b.get(editPath())).text)
    assert.equal(shown.contact1Phone1Number, '0113 496 0200')
    assert.equal(shown.contact1Phone2Number, undefined)
    await b.agent
      .post(editPath())
      .type('form')
      .send({ ...shown, add: 'contact1Phone' })
    shown = shownForm((await b.get(editPath())).text)
    assert.equal(shown.contact1Phone2Number, '', 'a blank second phone row for contact 1')
    await b.agent
      .post(editPath())
      .type('form')
      .send({ ...shown, contact1Phone2Number: '07700 900123', contact1Phone2Type: 'text', add: 'phone' })
    shown = shownForm((await b.get(editPath())).text)
    assert.equal(shown.contact1Phone2Number, '07700 900123', 'kept while adding another row')
    assert.equal(shown.phone2Number, '')
    const res = await b.agent
      .post(editPath())
      .type('form')
      .send({ ...shown, phone2Number: '0113 496 0202 ext 7' })
    assert.equal(res.status, 303)

    const after = (await s.directory.get(MDI, workshop))!
    assert.equal(after.contacts.length, 1)
    assert.equal(after.contacts[0]!.id, before.contacts[0]!.id, 'the same contact')
    assert.deepEqual(
      after.contacts[0]!.phones.map(p => [p.number, p.extension, p.type]),
      [
        ['0113 496 0200', '31', 'voice'],
        ['07700 900123', null, 'text'],
      ],
    )
    assert.equal(after.contacts[0]!.phones[0]!.id, before.contacts[0]!.phones[0]!.id)
    assert.deepEqual(
      after.phones.map(p => [p.number, p.extension]),
      [
        ['0113 496 0201', null],
        ['0113 496 0202', '7'],
      ],
    )
    const trail = await lastUpdate()
    assert.equal(trail.get('contacts')?.previous_value, 'Sam Turner, Instructor, 0113 496 0200, extension 31')
    assert.equal(
      trail.get('contacts')?.replacement_value,
      'Sam Turner, Instructor, 0113 496 0200, extension 31, 07700 900123 (text)',
    )
    assert.equal(trail.get('phones')?.replacement_value, '0113 496 0201; 0113 496 0202, extension 7')
    const page = await b.get(`/directory/services/${workshop}`)
    assert.match(page.text, /07700 900123/)
    assert.match(page.text, /0113 496 0202, extension 7/)
  })

  it('a bad phone number in a second row is an error naming the row, and nothing is saved', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const before = await s.directory.get(MDI, workshop)
    const beforeCounts = await counts()
    const shown = shownForm((await b.get(editPath())).text)
    assert.equal(shown.contact1Phone2Number, '07700 900123')
    const res = await b.agent
      .post(editPath())
      .type('form')
      .send({
        ...shown,
        name: 'Renamed, but not saved',
        location1Remove: 'yes',
        contact1Phone2Number: '07700 9001',
        phone2Number: '0113 ABC 0202',
      })
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, editPath())
    const page = await b.get(editPath())
    assert.match(page.text, /There is a problem/)
    assert.match(page.text, /href="#contact1Phone2Number">Contact 1, phone number 2: enter a UK phone number/)
    assert.match(page.text, /href="#phone2Number">Phone number 2: enter a UK phone number/)
    assert.match(page.text, /id="contact1Phone2Number" name="contact1Phone2Number" type="tel" value="07700 9001"/)
    assert.doesNotMatch(page.text, /href="#contact1Phone1Number"/, 'only the wrong row is named')
    assert.deepEqual(await s.directory.get(MDI, workshop), before, 'nothing saved, not even the name')
    assert.deepEqual(await counts(), beforeCounts, 'no audit event, no metadata')
  })

  it('“Remove” takes away only the rows ticked, when saving', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const before = (await s.directory.get(MDI, workshop))!
    const shown = shownForm((await b.get(editPath())).text)
    const res = await b.agent
      .post(editPath())
      .type('form')
      .send({ ...shown, location1Remove: 'yes', contact1Phone1Remove: 'yes' })
    assert.equal(res.status, 303)
    const after = (await s.directory.get(MDI, workshop))!
    assert.deepEqual(
      after.locations.map(l => l.name),
      ['Leeds College of Building'],
    )
    assert.deepEqual(
      after.contacts[0]!.phones.map(p => p.number),
      ['07700 900123'],
    )
    assert.equal(after.phones.length, 2, 'the service’s own phone numbers stay')
    const workshop4 = before.locations[0]!.id
    assert.ok(
      await db.selectFrom('directory_locations').select('id').where('id', '=', workshop4).executeTakeFirst(),
      'the place itself stays in the directory; only this service is no longer there',
    )
    const trail = await lastUpdate()
    assert.equal(trail.get('location')?.replacement_value, 'Leeds College of Building, North Street, Leeds, LS2 7QT')
    assert.equal(trail.get('contacts')?.replacement_value, 'Sam Turner, Instructor, 07700 900123 (text)')
  })

  it('keeps the rows and columns the form does not show, even when added after the form was opened', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const contactId = (await s.directory.get(MDI, workshop))!.contacts[0]!.id
    await db.updateTable('directory_contacts').set({ department: 'Industries' }).where('id', '=', contactId).execute()
    const stale = shownForm((await b.get(editPath())).text)
    // meanwhile an import adds a phone number and a language to the service
    await db
      .insertInto('directory_phones')
      .values({
        id: '01900000-0000-7000-8000-000000000001',
        service_id: workshop,
        contact_id: null,
        location_id: null,
        number: '0113 496 0299',
        extension: null,
        type: 'fax',
        description: 'Imported',
      })
      .execute()
    const res = await b.agent
      .post(editPath())
      .type('form')
      .send({ ...stale, contact1Title: 'Senior instructor', location1Name: 'Leeds College of Building (North St)' })
    assert.equal(res.status, 303)
    const after = (await s.directory.get(MDI, workshop))!
    assert.ok(
      after.phones.some(p => p.number === '0113 496 0299' && p.type === 'fax'),
      'the phone number added since the form was opened is kept',
    )
    const contact = await db
      .selectFrom('directory_contacts')
      .selectAll()
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow()
    assert.equal(contact.title, 'Senior instructor')
    assert.equal(contact.department, 'Industries', 'a column the form does not show is kept')
    const imported = await db
      .selectFrom('directory_phones')
      .select('description')
      .where('id', '=', '01900000-0000-7000-8000-000000000001')
      .executeTakeFirstOrThrow()
    assert.equal(imported.description, 'Imported')
    assert.equal(after.locations[0]!.name, 'Leeds College of Building (North St)')
  })

  it('a place other services share is not changed under them: the service moves to a changed copy', async () => {
    const place = {
      type: 'physical' as const,
      name: 'Education block',
      description: 'Ground floor',
      url: null,
      address: null,
    }
    const [english, maths] = await db.transaction().execute(trx =>
      s.directory.insertMany(trx, [
        { establishmentId: MDI, record: record({ name: 'English', provision: 'internal', location: place }) },
        { establishmentId: MDI, record: record({ name: 'Maths', provision: 'internal', location: place }) },
      ]),
    )
    const shared = (await s.directory.get(MDI, english!))!.locations[0]!.id
    assert.equal((await s.directory.get(MDI, maths!))!.locations[0]!.id, shared, 'one place for both')
    const b = await signedIn(world, 'establishment_admin.mdi')
    const path = `/directory/services/${english}/edit`
    const shown = shownForm((await b.get(path)).text)
    const res = await b.agent
      .post(path)
      .type('form')
      .send({ ...shown, location1Name: 'Education block, room 2' })
    assert.equal(res.status, 303)
    const e = (await s.directory.get(MDI, english!))!.locations
    const m = (await s.directory.get(MDI, maths!))!.locations
    assert.deepEqual(
      e.map(l => [l.name, l.description]),
      [['Education block, room 2', 'Ground floor']],
    )
    assert.notEqual(e[0]!.id, shared)
    assert.deepEqual(
      m.map(l => [l.id, l.name]),
      [[shared, 'Education block']],
    )
  })
})

describe('last checked', () => {
  it('lists services not checked for 6 months, and marking one as checked takes it off', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    let res = await b.get('/directory/check-due')
    assert.equal(res.status, 200)
    assert.match(res.text, /Old food bank/)
    assert.match(res.text, /Housing advice/, 'never checked')
    assert.doesNotMatch(res.text, /Samaritans/, 'national services are for the national team')
    assert.doesNotMatch(res.text, /Leeds debt advice/)
    const done = await b.post(
      `/directory/services/${oldOne}/checked`,
      { returnTo: 'check-due' },
      '/directory/check-due',
    )
    assert.equal(done.status, 303)
    assert.equal(done.headers.location, '/directory/check-due')
    res = await b.get('/directory/check-due')
    assert.doesNotMatch(res.text, /Old food bank/)
    const row = await db.selectFrom('directory_services').selectAll().where('id', '=', oldOne).executeTakeFirstOrThrow()
    assert.equal(row.assured_date, todayIso())
    assert.equal(row.assurer_email, 'establishment_admin.mdi')
    const meta = await db
      .selectFrom('directory_metadata')
      .selectAll()
      .where('resource_id', '=', oldOne)
      .where('field_name', '=', 'assured_date')
      .executeTakeFirstOrThrow()
    assert.equal(meta.previous_value, addDays(todayIso(), -220))
    assert.equal(meta.replacement_value, todayIso())
    assert.match((await b.get(`/directory/services/${oldOne}`)).text, /by establishment_admin\.mdi/)

    const national = await signedIn(world, 'national')
    assert.match((await national.get('/directory/check-due')).text, /Samaritans/)
  })

  it('an admin cannot mark another establishment’s service as checked', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const csrf = await b.csrf('/directory/check-due')
    const res = await b.agent.post(`/directory/services/${leedsOnly}/checked`).type('form').send({ _csrf: csrf })
    assert.equal(res.status, 404)
  })
})

describe('services for the booklet', () => {
  it('active and temporarily closed services of the establishment and national ones, ready to print', async () => {
    await create(MDI, { name: 'Closed for now', status: 'temporarily closed' })
    await create(MDI, { name: 'Gone away', status: 'defunct' })
    await create(MDI, { name: 'Paused', status: 'inactive' })
    const list = await s.directory.servicesForBooklet(MDI)
    const names = list.map(x => x.name)
    assert.ok(names.includes('Housing advice'))
    assert.ok(names.includes('Closed for now'))
    assert.ok(names.some(n => n.startsWith('Samaritans')))
    assert.ok(!names.includes('Gone away'))
    assert.ok(!names.includes('Paused'))
    // a search leaves them out, unless an admin asks for them
    const kw = await signedIn(world, 'key_worker.mdi')
    assert.doesNotMatch((await kw.get('/directory?q=paused&closed=yes')).text, /Paused/)
    const admin = await signedIn(world, 'establishment_admin.mdi')
    assert.doesNotMatch((await admin.get('/directory?q=paused')).text, /Paused/)
    assert.match((await admin.get('/directory?q=paused&closed=yes')).text, /Paused/)
    assert.ok(!names.includes('Leeds debt advice'))
    const h = list.find(x => x.id === housing)!
    assert.deepEqual(h.openingTimes, ['Monday to Friday, 09:00 to 12:00'])
    assert.deepEqual(h.pathways, ['accommodation'])
    assert.deepEqual(h.phones, ['0113 496 0001'])
    assert.equal(h.contacts[0]?.name, 'Anna Kowalska')
    assert.equal(h.location, 'Housing centre, 1 High Street, Leeds, LS1 1AA')
    assert.equal(h.national, false)
    assert.equal(list.find(x => x.name.startsWith('Samaritans'))?.national, true)
    assert.equal(await s.directory.get(LEI, housing), null)
  })
})

describe('the demo directory', () => {
  it('loads realistic services for each establishment plus national ones, through bulk inserts', async () => {
    const world2 = await testWorld()
    try {
      const s2 = world2.services
      await s2.db.db.transaction().execute(trx =>
        loadDemoDirectory(
          s2.directory,
          trx,
          [
            { id: world2.est.MDI!, code: 'MDI', name: 'Moorland (HMP)' },
            { id: world2.est.LEI!, code: 'LEI', name: 'Leeds (HMP)' },
          ],
          '2026-01-15',
        ),
      )
      const mdi = await s2.directory.servicesForBooklet(world2.est.MDI!)
      const own = mdi.filter(x => !x.national)
      assert.ok(own.length >= 25)
      assert.ok(mdi.some(x => x.national && x.name === 'Samaritans'))
      const pathways = new Set(own.flatMap(x => x.pathways))
      assert.equal(pathways.size, 8)
      const r = await s2.directory.search(world2.est.LEI!, { q: 'chaplaincy', language: 'pl', page: 1 })
      assert.equal(r.rows.length, 1)
      const due = await s2.directory.checkDue(world2.est.MDI!, { establishment: true, national: false }, '2026-01-15')
      assert.ok(due.rows.length > 0)
    } finally {
      await world2.close()
    }
  })
})
