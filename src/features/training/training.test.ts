import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type Browser, signedIn, testWorld } from '../../../test/harness'
import { type SeededWorld, seededWorld } from '../../../test/fixtures'

// The national training programme (issue 16): version 1 seeded once; the national team drafts, changes and
// publishes versions with a change summary (the previous one superseded); each establishment's admins keep its
// local modules. Over the routes and a real database.

let world: SeededWorld
before(async () => {
  world = await seededWorld()
})
after(() => world.close())

const s = () => world.services
const db = () => world.services.db.db
const mdi = () => world.seeded.MDI
const lei = () => world.seeded.LEI
const as = async (username: string) => {
  const b = await signedIn(world, username)
  if (username === 'national') await b.post('/establishment/switch', { establishment: 'MDI' }, '/')
  return b
}

const moduleRow = (id: number) =>
  db().selectFrom('training_modules').selectAll().where('id', '=', id).executeTakeFirst()
const moduleCount = async () => (await db().selectFrom('training_modules').select('id').execute()).length
const localOf = (establishmentId: number) =>
  db()
    .selectFrom('training_modules')
    .selectAll()
    .where('establishment_id', '=', establishmentId)
    .orderBy('id')
    .execute()
const auditOf = (entity: string, id: number | string) =>
  db()
    .selectFrom('audit_events')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
const versionRows = () => db().selectFrom('training_programme_versions').selectAll().orderBy('version').execute()

const V1_CODES = ['KW-INITIAL', 'KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-PATHWAYS']

const localForm = (over: Record<string, string> = {}) => ({
  code: 'LOCAL-MDI-2',
  title: 'Referrals to the Moorland resettlement hub',
  format: 'practical',
  hours: '1.5',
  days: '1',
  summary: 'How to refer a prisoner to the resettlement hub, and what it offers.',
  outcomes: 'Make a referral to the resettlement hub\nExplain to a prisoner what the hub offers',
  prerequisites: 'kw-initial, LOCAL-MDI-1',
  ...over,
})

describe('the national programme, version 1', () => {
  it('is written once however often it is ensured: published, five modules, six people', async () => {
    await s().training.ensureNational()
    await s().training.ensureNational()
    const versions = await versionRows()
    assert.deepEqual(
      versions.map(v => [v.version, v.status]),
      [[1, 'published']],
    )
    assert.ok(versions[0]!.summary.startsWith('The first national Key Worker training programme'))
    const modules = await db()
      .selectFrom('training_modules')
      .select('code')
      .where('programme_version_id', '=', versions[0]!.id)
      .orderBy('position')
      .execute()
    assert.deepEqual(
      modules.map(m => m.code),
      V1_CODES,
    )
    const people = await db()
      .selectFrom('training_contributors')
      .select('role')
      .where('programme_version_id', '=', versions[0]!.id)
      .orderBy('position')
      .execute()
    assert.deepEqual(
      people.map(p => p.role),
      ['academic', 'psychologist', 'mental_health', 'prison_officer', 'prison_officer', 'prisoner_voice'],
    )
    assert.equal((await auditOf('training_programme_version', versions[0]!.id)).length, 1)
  })

  it('gives the other features the published modules and only the establishment’s own local ones', async () => {
    const forMdi = await s().training.modulesFor(mdi().establishmentId)
    assert.deepEqual(
      forMdi.map(m => m.code),
      [...V1_CODES, 'LOCAL-MDI-1'],
    )
    assert.deepEqual(
      (await s().training.modulesFor(lei().establishmentId)).map(m => m.code),
      [...V1_CODES, 'LOCAL-LEI-1'],
    )
    assert.deepEqual(
      (await s().training.modulesFor(null)).map(m => m.code),
      V1_CODES,
    )
    const initial = (await s().training.moduleByCode('kw-initial', mdi().establishmentId))!
    const { id, outcomes, summary, ...rest } = initial
    assert.deepEqual(rest, {
      code: 'KW-INITIAL',
      title: 'Key Worker initial course',
      kind: 'initial',
      format: 'workshop',
      hours: 30,
      days: 5,
      prerequisites: [],
      establishmentId: null,
      programmeVersion: 1,
    })
    assert.equal(outcomes.length, 9)
    assert.ok(summary.length > 50)
    assert.deepEqual(await s().training.moduleById(id), initial)
    const mi = (await s().training.moduleByCode('KW-TOPUP-MI', null))!
    assert.deepEqual([mi.kind, mi.hours, mi.prerequisites], ['topup', 3, ['KW-INITIAL']])
    const local = (await s().training.moduleByCode('LOCAL-MDI-1', mdi().establishmentId))!
    assert.deepEqual(
      [local.id, local.kind, local.establishmentId, local.programmeVersion, local.hours],
      [mdi().localModuleId, 'local', mdi().establishmentId, null, 2],
    )
    assert.equal(await s().training.moduleByCode('LOCAL-LEI-1', mdi().establishmentId), undefined)
    assert.equal(await s().training.moduleByCode('LOCAL-MDI-1', null), undefined)
    assert.equal(await s().training.moduleById(999999), undefined)
  })
})

describe('the programme page', () => {
  it('is read by every role: modules, outcomes, format, hours, prerequisites, who made it, the local modules', async () => {
    for (const username of ['key_worker.mdi', 'supervising_officer.mdi', 'establishment_admin.mdi', 'national']) {
      const page = await (await as(username)).get('/training/programme')
      assert.equal(page.status, 200, username)
      for (const text of [
        'Key Worker initial course',
        '30 hours over 5 days',
        'Motivational interviewing refresher',
        'Personality disorder awareness',
        'Workshop',
        'E-learning',
        'Initial course',
        'Dr Alex Example (illustrative)',
        'Prisoner voice (lived experience)',
        'Mental health professional',
        'Services and hubs of Houseblock 1',
        '2 hours over 1 day',
      ])
        assert.ok(page.text.toLowerCase().includes(text.toLowerCase()), `${username}: ${text}`)
      assert.match(
        page.text,
        /<dt class="govuk-summary-list__key">\s*Prerequisites\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*KW-INITIAL/,
      )
      assert.doesNotMatch(page.text, /Services and hubs of A wing/, `${username}: not LEI’s`)
      assert.doesNotMatch(page.text, /undefined|\[object Object\]|e_learning|prisoner_voice|NaN/)
      assert.equal(/Add a local module/.test(page.text), username === 'establishment_admin.mdi', `${username}: add`)
      assert.equal(/Start a new version/.test(page.text), username === 'national', `${username}: start a version`)
    }
  })

  it('answers 404 for a version that does not exist', async () => {
    const b = await as('key_worker.mdi')
    assert.equal((await b.get('/training/programme?version=99')).status, 404)
    assert.equal((await b.get('/training/programme?version=abc')).status, 404)
  })
})

describe('an establishment’s local modules', () => {
  let admin: Browser
  before(async () => {
    admin = await as('establishment_admin.mdi')
  })

  it('are added by the establishment admin, kind local, audited', async () => {
    const res = await admin.post('/training/programme/local/new', localForm())
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/training/programme#local')
    const row = (await localOf(mdi().establishmentId)).find(m => m.code === 'LOCAL-MDI-2')!
    assert.equal(row.kind, 'local')
    assert.equal(row.programme_version_id, null)
    assert.equal(row.hours, 1.5)
    assert.equal(row.prerequisites, 'KW-INITIAL,LOCAL-MDI-1')
    assert.equal(row.outcomes, 'Make a referral to the resettlement hub\nExplain to a prisoner what the hub offers')
    const events = await auditOf('training_module', row.id)
    assert.deepEqual(
      events.map(e => [e.action, e.username, e.establishment_id]),
      [['create', 'establishment_admin.mdi', mdi().establishmentId]],
    )
  })

  it('lists every problem at once, with the checks against the programme, and saves nothing', async () => {
    const before = await moduleCount()
    const res = await admin.post(
      '/training/programme/local/new',
      localForm({
        code: 'LOCAL-MDI-3',
        title: '',
        format: 'podcast',
        hours: '0',
        days: '0',
        summary: '',
        outcomes: ' \n ',
        prerequisites: 'KW-INITIAL, NOPE-1',
      }),
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/training/programme/local/new')
    const page = await admin.get('/training/programme/local/new')
    assert.match(page.text, /There is a problem/)
    for (const message of [
      'Enter a title',
      'The format must be one of: workshop, lecture, practical, observation, peer supervision, e learning',
      'The hours must be more than 0',
      'The days must be at least 1',
      'Enter what the module is about',
      'Enter at least one learning outcome',
      'There is no module with the code NOPE-1',
    ])
      assert.ok(page.text.includes(message), message)
    assert.match(page.text, /value="LOCAL-MDI-3"/, 'what was typed is kept')
    assert.equal(await moduleCount(), before)
  })

  it('refuses hours over 200, a national code, a code already used, a bad code and a prerequisite format', async () => {
    const before = await moduleCount()
    const tries: [Record<string, string>, string][] = [
      [localForm({ code: 'LOCAL-MDI-9', hours: '200.5' }), 'The hours must be 200 or fewer'],
      [localForm({ code: 'LOCAL-MDI-9', hours: 'two' }), 'The hours must be a number, like 2 or 1.5'],
      [localForm({ code: 'LOCAL-MDI-9', days: '31' }), 'The days must be 30 or fewer'],
      [localForm({ code: 'kw-initial' }), 'That code is used by a national module: choose another'],
      [localForm({ code: 'local-mdi-1' }), 'Your establishment already has a module with that code: choose another'],
      [
        localForm({ code: '9 lives' }),
        'The module code must start with a letter and have only letters, numbers and hyphens, 2 to 40 of them',
      ],
      [
        localForm({ code: 'LOCAL-MDI-9', prerequisites: 'KW_INITIAL' }),
        'Prerequisites must be module codes, like KW-INITIAL, separated by commas: KW_INITIAL is not one',
      ],
      [localForm({ code: 'LOCAL-MDI-9', prerequisites: 'LOCAL-MDI-9' }), 'LOCAL-MDI-9 cannot be its own prerequisite'],
      // another establishment's local module is not a prerequisite it can name
      [
        localForm({ code: 'LOCAL-MDI-9', prerequisites: 'LOCAL-LEI-1' }),
        'There is no module with the code LOCAL-LEI-1',
      ],
    ]
    for (const [fields, message] of tries) {
      const res = await admin.post('/training/programme/local/new', fields)
      assert.equal(res.status, 303)
      const page = await admin.get('/training/programme/local/new')
      assert.ok(
        page.text.includes(message),
        `${message} in ${page.text.slice(page.text.indexOf('There is a problem'), page.text.indexOf('There is a problem') + 600)}`,
      )
    }
    assert.equal(await moduleCount(), before)
  })

  it('a second add of the same module at the same time (a double submit) is refused by its code', async () => {
    const fields = localForm({ code: 'LOCAL-MDI-5', prerequisites: '' })
    const [a, b] = await Promise.all([
      admin.post('/training/programme/local/new', fields),
      admin.post('/training/programme/local/new', fields),
    ])
    assert.deepEqual([a.status, b.status], [303, 303])
    await admin.get('/training/programme/local/new') // the refused one's errors, shown once
    assert.equal((await localOf(mdi().establishmentId)).filter(m => m.code === 'LOCAL-MDI-5').length, 1)
  })

  it('refuses a change that makes the prerequisites go round in a circle, and changes nothing', async () => {
    const id = mdi().localModuleId
    const was = await moduleRow(id)
    const res = await admin.post(
      `/training/programme/local/${id}`,
      localForm({ code: 'LOCAL-MDI-1', prerequisites: 'KW-INITIAL, LOCAL-MDI-2' }),
    )
    assert.equal(res.status, 303)
    const page = await admin.get(`/training/programme/local/${id}`)
    assert.ok(
      page.text.includes('The prerequisites go round in a circle: LOCAL-MDI-1 → LOCAL-MDI-2 → LOCAL-MDI-1'),
      'circle named',
    )
    assert.deepEqual(await moduleRow(id), was)
  })

  it('are changed, audited with what changed', async () => {
    const id = mdi().localModuleId
    const res = await admin.post(
      `/training/programme/local/${id}`,
      localForm({ code: 'LOCAL-MDI-1', title: 'Services, hubs and the ACCT process', hours: '3', prerequisites: '' }),
    )
    assert.equal(res.status, 303)
    const row = (await moduleRow(id))!
    assert.deepEqual([row.title, row.hours, row.prerequisites], ['Services, hubs and the ACCT process', 3, ''])
    const last = (await auditOf('training_module', id)).at(-1)!
    assert.equal(last.action, 'update')
    const changes = JSON.parse(last.changes!) as Record<string, { from: unknown; to: unknown }>
    assert.deepEqual(changes.hours, { from: 2, to: 3 })
    assert.deepEqual(changes.prerequisites, { from: 'KW-INITIAL', to: '' })
  })

  it('are retired and restored, never deleted; one another module needs stays', async () => {
    const mine = await localOf(mdi().establishmentId)
    const needed = mine.find(m => m.code === 'LOCAL-MDI-1')!
    const second = mine.find(m => m.code === 'LOCAL-MDI-2')!
    // LOCAL-MDI-2 needs LOCAL-MDI-1: refused
    let res = await admin.post(`/training/programme/local/${needed.id}/retire`, {}, '/training/programme')
    assert.equal(res.status, 303)
    let page = await admin.get('/training/programme')
    assert.ok(page.text.includes('is a prerequisite of LOCAL-MDI-2: change those first'))
    assert.equal((await moduleRow(needed.id))!.active, 1)

    res = await admin.post(`/training/programme/local/${second.id}/retire`, {}, '/training/programme')
    assert.equal(res.status, 303)
    assert.equal((await moduleRow(second.id))!.active, 0)
    assert.deepEqual(
      (await s().training.modulesFor(mdi().establishmentId)).filter(m => m.kind === 'local').map(m => m.code),
      ['LOCAL-MDI-1', 'LOCAL-MDI-5'],
    )
    page = await admin.get('/training/programme')
    assert.match(page.text, /Retired local modules/)
    res = await admin.post(`/training/programme/local/${second.id}/restore`, {}, '/training/programme')
    assert.equal((await moduleRow(second.id))!.active, 1)
    assert.deepEqual(
      (await auditOf('training_module', second.id)).map(e => e.action),
      ['create', 'update', 'update'],
    )
  })

  it('answers 404 for another establishment’s module, audits the refusal, and changes nothing', async () => {
    const id = lei().localModuleId
    const was = await moduleRow(id)
    const head = async () =>
      (
        await db()
          .selectFrom('audit_events')
          .select(eb => eb.fn.max('id').as('last_id'))
          .executeTakeFirstOrThrow()
      ).last_id ?? 0
    const before = await head()
    assert.equal((await admin.get(`/training/programme/local/${id}`)).status, 404)
    const events = await db().selectFrom('audit_events').selectAll().where('id', '>', before).execute()
    assert.deepEqual(
      events.map(e => [e.action, e.entity, e.entity_id, e.establishment_id]),
      [['refused', 'training_module', String(id), mdi().establishmentId]],
    )
    for (const path of [`/training/programme/local/${id}`, `/training/programme/local/${id}/retire`])
      assert.equal(
        (await admin.post(path, localForm({ code: 'LOCAL-LEI-1', title: 'Taken over' }), '/training/programme')).status,
        404,
      )
    assert.deepEqual(await moduleRow(id), was)
    // and through the service: not found, nothing changed
    const actor = { ...SYSTEM_ACTOR, establishmentId: mdi().establishmentId }
    assert.equal(await s().training.setLocalActive(actor, mdi().establishmentId, id, false), null)
    assert.equal(await s().training.localModule(mdi().establishmentId, id), null)
    assert.deepEqual(await moduleRow(id), was)
  })

  it('are for the establishment admin only: a Key Worker or Supervising Officer is refused', async () => {
    for (const username of ['key_worker.mdi', 'supervising_officer.mdi', 'national']) {
      const b = await as(username)
      const res = await b.post(
        '/training/programme/local/new',
        localForm({ code: 'LOCAL-MDI-7' }),
        '/training/programme',
      )
      assert.equal(res.status, 403, username)
    }
    assert.equal((await localOf(mdi().establishmentId)).filter(m => m.code === 'LOCAL-MDI-7').length, 0)
  })
})

describe('a new national version', () => {
  let national: Browser
  let v1InitialId = 0
  before(async () => {
    national = await as('national')
    v1InitialId = (await s().training.moduleByCode('KW-INITIAL', null))!.id
  })

  const nationalForm = (over: Record<string, string> = {}) => ({
    code: 'KW-TOPUP-INTERP',
    kind: 'topup',
    title: 'Working with interpreters',
    format: 'e_learning',
    hours: '1',
    days: '1',
    summary: 'Booking and using a telephone interpreter in a Key Work session.',
    outcomes: 'Book a telephone interpreter\nRecord the interpreter in the entry',
    prerequisites: 'KW-INITIAL',
    ...over,
  })

  it('starts as a draft, a copy of the published version; one draft at a time', async () => {
    const [a, b] = await Promise.all([
      national.post('/training/programme/draft/start', {}, '/training/programme'),
      national.post('/training/programme/draft/start', {}, '/training/programme'),
    ])
    assert.deepEqual([a.status, b.status], [303, 303])
    const versions = await versionRows()
    assert.deepEqual(
      versions.map(v => [v.version, v.status]),
      [
        [1, 'published'],
        [2, 'draft'],
      ],
    )
    const draft = (await s().training.draft())!
    assert.deepEqual(
      draft.modules.map(m => m.code),
      V1_CODES,
    )
    assert.equal(draft.contributors.length, 6)
    // nobody sees the draft: the programme is still version 1
    assert.deepEqual(
      (await s().training.modulesFor(null)).map(m => [m.code, m.programmeVersion]),
      V1_CODES.map(c => [c, 1]),
    )
    const page = await national.get('/training/programme/draft')
    assert.equal(page.status, 200)
    assert.match(page.text, /Draft training programme, version 2/)
  })

  it('has its modules changed (the code stays), added and removed, each audited', async () => {
    let res = await national.post(
      '/training/programme/draft/module',
      nationalForm({
        existing: 'KW-TOPUP-MI',
        code: 'KW-RENAMED',
        title: 'Motivational interviewing refresher',
        hours: '4',
        format: 'practical',
        outcomes: 'Use reflections\nRoll with resistance',
      }),
      '/training/programme/draft/module?code=KW-TOPUP-MI',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/training/programme/draft')
    res = await national.post('/training/programme/draft/module', nationalForm(), '/training/programme/draft/module')
    assert.equal(res.status, 303)
    res = await national.post(
      '/training/programme/draft/module/remove',
      { code: 'KW-TOPUP-PATHWAYS' },
      '/training/programme/draft',
    )
    assert.equal(res.status, 303)
    const draft = (await s().training.draft())!
    assert.deepEqual(
      draft.modules.map(m => m.code),
      ['KW-INITIAL', 'KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-INTERP'],
    )
    const mi = draft.modules.find(m => m.code === 'KW-TOPUP-MI')!
    assert.deepEqual([mi.hours, mi.outcomes, mi.kind], [4, ['Use reflections', 'Roll with resistance'], 'topup'])
    const interp = draft.modules.find(m => m.code === 'KW-TOPUP-INTERP')!
    assert.deepEqual([interp.format, interp.prerequisites, interp.programmeVersion], ['e_learning', ['KW-INITIAL'], 2])
    assert.deepEqual(
      (await auditOf('training_module', mi.id)).map(e => e.action),
      ['update'],
    )
    // the published version is untouched
    assert.equal((await s().training.moduleByCode('KW-TOPUP-MI', null))!.hours, 3)
  })

  it('refuses a circle of prerequisites, an unknown one, a code taken, and removing a module others need', async () => {
    const before = await moduleCount()
    const draftBefore = (await s().training.draft())!.modules
    const tries: [Record<string, string>, string, string][] = [
      [
        nationalForm({ existing: 'KW-INITIAL', code: 'KW-INITIAL', kind: 'initial', prerequisites: 'KW-TOPUP-MH' }),
        '/training/programme/draft/module?code=KW-INITIAL',
        'The prerequisites go round in a circle: KW-INITIAL → KW-TOPUP-MH → KW-INITIAL',
      ],
      [
        nationalForm({ code: 'KW-NEW', prerequisites: 'KW-TOPUP-PATHWAYS' }),
        '/training/programme/draft/module',
        'There is no module with the code KW-TOPUP-PATHWAYS',
      ],
      [
        nationalForm({ code: 'kw-topup-mh' }),
        '/training/programme/draft/module',
        'This version already has a module with that code: choose another',
      ],
      [
        nationalForm({ code: 'LOCAL-LEI-1' }),
        '/training/programme/draft/module',
        'An establishment has a local module with that code: choose another',
      ],
      [
        nationalForm({ code: 'KW-NEW', kind: 'local' }),
        '/training/programme/draft/module',
        'The kind must be one of: initial, topup, cpd',
      ],
    ]
    for (const [fields, path, message] of tries) {
      const res = await national.post('/training/programme/draft/module', fields, path)
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, path)
      const page = await national.get(path)
      assert.ok(page.text.includes(message), message)
    }
    const res = await national.post(
      '/training/programme/draft/module/remove',
      { code: 'KW-INITIAL' },
      '/training/programme/draft',
    )
    assert.equal(res.status, 303)
    const page = await national.get('/training/programme/draft')
    assert.ok(
      page.text.includes(
        'Key Worker initial course is a prerequisite of KW-TOPUP-MI, KW-TOPUP-ENTRIES, KW-TOPUP-MH, KW-TOPUP-INTERP: change those first',
      ),
    )
    assert.equal(await moduleCount(), before)
    assert.deepEqual((await s().training.draft())!.modules, draftBefore)
  })

  it('has its contributors added, changed and removed', async () => {
    let res = await national.post(
      '/training/programme/draft/contributor',
      { name: 'Ana Interpreter (illustrative)', role: 'other', organisation: 'A telephone interpreting service' },
      '/training/programme/draft/contributor',
    )
    assert.equal(res.status, 303)
    const added = (await s().training.draft())!.contributors.at(-1)!
    assert.deepEqual([added.name, added.role], ['Ana Interpreter (illustrative)', 'other'])
    res = await national.post(
      '/training/programme/draft/contributor',
      { existing: String(added.id), name: 'Ana Interpreter (illustrative)', role: 'prison_officer', organisation: '' },
      `/training/programme/draft/contributor?id=${added.id}`,
    )
    assert.equal(res.status, 303)
    const first = (await s().training.draft())!.contributors[0]!
    res = await national.post(
      '/training/programme/draft/contributor/remove',
      { id: String(first.id) },
      '/training/programme/draft',
    )
    assert.equal(res.status, 303)
    const people = (await s().training.draft())!.contributors
    assert.equal(people.length, 6)
    assert.equal(people.at(-1)!.role, 'prison_officer')
    assert.ok(!people.some(p => p.id === first.id))
    // a contributor with no name or role: both said at once, nothing saved
    res = await national.post(
      '/training/programme/draft/contributor',
      { name: '', role: '' },
      '/training/programme/draft/contributor',
    )
    const page = await national.get('/training/programme/draft/contributor')
    assert.ok(page.text.includes('Enter their name'))
    assert.ok(page.text.includes('Their role must be one of'))
    assert.equal((await s().training.draft())!.contributors.length, 6)
  })

  it('is published with a change summary; the previous version is superseded and its modules kept', async () => {
    // no summary: refused, still a draft
    let res = await national.post(
      '/training/programme/draft/publish',
      { version: '2', summary: ' ' },
      '/training/programme/draft',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/training/programme/draft')
    assert.ok((await national.get('/training/programme/draft')).text.includes('Enter what changed in this version'))
    assert.equal((await versionRows())[1]!.status, 'draft')
    // a stale page's version number: refused
    res = await national.post(
      '/training/programme/draft/publish',
      { version: '3', summary: 'x' },
      '/training/programme/draft',
    )
    assert.equal((await versionRows())[1]!.status, 'draft')

    res = await national.post(
      '/training/programme/draft/publish',
      {
        version: '2',
        summary: 'A top-up on working with interpreters; the pathways top-up folded into the initial course.',
      },
      '/training/programme/draft',
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/training/programme')
    const versions = await versionRows()
    assert.deepEqual(
      versions.map(v => [v.version, v.status]),
      [
        [1, 'superseded'],
        [2, 'published'],
      ],
    )
    assert.equal(versions[1]!.published_by, 'national')
    assert.deepEqual(
      (await s().training.modulesFor(mdi().establishmentId)).map(m => [m.code, m.programmeVersion]),
      [
        ['KW-INITIAL', 2],
        ['KW-TOPUP-MI', 2],
        ['KW-TOPUP-ENTRIES', 2],
        ['KW-TOPUP-MH', 2],
        ['KW-TOPUP-INTERP', 2],
        ['LOCAL-MDI-1', null],
        ['LOCAL-MDI-2', null],
        ['LOCAL-MDI-5', null],
      ],
    )
    assert.equal((await s().training.moduleByCode('KW-TOPUP-MI', null))!.hours, 4)
    // the code is the same, the module row new; version 1's row is kept for what was done under it
    const initialNow = (await s().training.moduleByCode('KW-INITIAL', null))!
    assert.notEqual(initialNow.id, v1InitialId)
    const old = (await s().training.moduleById(v1InitialId))!
    assert.deepEqual([old.code, old.programmeVersion], ['KW-INITIAL', 1])
    const events = await auditOf('training_programme_version', versions[1]!.id)
    assert.deepEqual(
      events.map(e => e.action),
      ['create', 'update'],
    )
    assert.deepEqual((JSON.parse(events[1]!.changes!) as { supersedes: number }).supersedes, 1)

    const history = await (await as('key_worker.mdi')).get('/training/programme/versions')
    assert.equal(history.status, 200)
    assert.ok(history.text.includes('A top-up on working with interpreters'))
    assert.ok(history.text.includes('The first national Key Worker training programme'))
    assert.match(history.text, /Superseded/)
    const earlier = await (await as('key_worker.mdi')).get('/training/programme?version=1')
    assert.equal(earlier.status, 200)
    assert.ok(earlier.text.includes('Signposting across the seven pathways'))
    assert.ok(earlier.text.includes('This is an earlier version'))
  })

  it('refuses to publish a version with no initial course or nobody who made it, and a second publish', async () => {
    const actor = { ...SYSTEM_ACTOR, username: 'national' }
    const started = await s().training.startDraft(actor)
    assert.ok(started.ok)
    const draft = (await s().training.draft())!
    for (const code of ['KW-TOPUP-MI', 'KW-TOPUP-ENTRIES', 'KW-TOPUP-MH', 'KW-TOPUP-INTERP', 'KW-INITIAL'])
      assert.ok((await s().training.removeDraftModule(actor, code)).ok, code)
    for (const c of draft.contributors) assert.ok((await s().training.removeDraftContributor(actor, c.id)).ok)
    const r = await s().training.publish(actor, draft.version.version, 'Everything removed')
    assert.deepEqual(r, {
      ok: false,
      errors: {
        summary: 'A version needs an initial course (a module of the kind initial course)',
        contributors: 'Name at least one person who co-created this version',
      },
    })
    assert.deepEqual(
      (await versionRows()).map(v => v.status),
      ['superseded', 'published', 'draft'],
    )
    assert.deepEqual(await s().training.publish(actor, 2, 'Again'), {
      ok: false,
      errors: { summary: 'Publish the draft from its page' },
    })
  })
})

describe('with no draft', () => {
  it('adding a national module or a person starts a draft, a copy of the published version, in one go', async () => {
    const fresh = await testWorld()
    try {
      const national = await signedIn(fresh, 'national')
      await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
      const form = await national.get('/training/programme/draft/contributor')
      assert.equal(form.status, 200)
      assert.match(form.text, /saving starts a new draft version/)
      let res = await national.post(
        '/training/programme/draft/contributor',
        { name: 'Ana Interpreter (illustrative)', role: 'other', organisation: '' },
        '/training/programme/draft/contributor',
      )
      assert.equal(res.status, 303)
      const versions = await fresh.services.db.db
        .selectFrom('training_programme_versions')
        .select(['version', 'status'])
        .orderBy('version')
        .execute()
      assert.deepEqual(versions, [
        { version: 1, status: 'published' },
        { version: 2, status: 'draft' },
      ])
      const draft = (await fresh.services.training.draft())!
      assert.deepEqual(
        draft.modules.map(m => m.code),
        V1_CODES,
      )
      assert.deepEqual(
        draft.contributors.map(c => c.role),
        ['academic', 'psychologist', 'mental_health', 'prison_officer', 'prison_officer', 'prisoner_voice', 'other'],
      )
      // a module added now goes into the same draft
      res = await national.post(
        '/training/programme/draft/module',
        {
          code: 'KW-CPD-READING',
          kind: 'cpd',
          title: 'Reading group on desistance',
          format: 'peer_supervision',
          hours: '1',
          days: '1',
          summary: 'A monthly reading group.',
          outcomes: 'Discuss a paper on desistance',
          prerequisites: '',
        },
        '/training/programme/draft/module',
      )
      assert.equal(res.status, 303)
      assert.deepEqual((await fresh.services.training.draft())!.modules.at(-1)!.code, 'KW-CPD-READING')
      assert.equal((await fresh.services.training.versions()).length, 2)
    } finally {
      await fresh.close()
    }
  })
})
