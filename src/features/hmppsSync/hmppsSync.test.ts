import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import supertest from 'supertest'
import { setClock } from '../../domain/clock'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { prisonerRecordSchema } from '../prisoners/schema'
import { unitRecordSchema } from '../units/schema'
import { runDailyJobs } from '../../cli/jobs'
import { signedIn, testWorld } from '../../../test/harness'
import {
  FAKE_CLIENT_ID,
  FAKE_CLIENT_SECRET,
  FAKE_TOKEN,
  startFakePrisonerSearch,
} from '../../../test/support/fakePrisonerSearch'
import { hmppsSyncService } from './service'

// "today" for the departures and moves the sync finds: 20 January 2026, 10:00 in London
setClock('2026-01-20T10:00:00Z')
const world = await testWorld()
const s = world.services
const db = s.db.db
const fake = await startFakePrisonerSearch()
after(async () => {
  setClock(null)
  await fake.close()
  await world.close()
})
const MDI = world.est.MDI!
const LEI = world.est.LEI!
const SECRET = 'a-shared-secret-for-the-queue-listener-0123456789'

const configured = (over: { maxPages?: number; pageSize?: number; events?: boolean } = {}) =>
  hmppsSyncService(db, {
    audit: s.audit,
    prisoners: s.prisoners,
    establishments: s.establishments,
    units: s.units,
    logger: s.logger,
    config: {
      hmppsAuth: { url: fake.authUrl, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET },
      prisonerSearch: { url: fake.searchUrl, pageSize: over.pageSize ?? 2, maxPages: over.maxPages ?? 10 },
      hmppsEventsToken: over.events === false ? null : SECRET,
    },
  })

for (const [est, code, name] of [
  [MDI, 'A', 'A wing'],
  [MDI, 'B', 'B wing'],
  [LEI, 'H1', 'Houseblock 1'],
] as const) {
  const r = await s.units.create(SYSTEM_ACTOR, est, unitRecordSchema.parse({ code, name, capacity: '100' }))
  assert.ok(r.ok)
}

/** A record keywork holds, made as the prisoner form would. */
async function holds(est: number, prisonNumber: string, receptionDate: string, unit = '', cell = '') {
  const record = prisonerRecordSchema.parse({
    prisonNumber,
    firstName: 'Held',
    lastName: 'Before',
    dateOfBirth: '1985-05-05',
    unit,
    cell,
    receptionDate,
    status: 'in',
    complexity: 'low',
  })
  const r = await s.prisoners.create(SYSTEM_ACTOR, est, record)
  assert.ok(r.ok, JSON.stringify(r))
}

const person = (prisonerNumber: string, over: Record<string, unknown> = {}) => ({
  prisonerNumber,
  firstName: 'JOHN',
  lastName: 'SMITH',
  dateOfBirth: '1980-01-01',
  prisonId: 'MDI',
  prisonName: 'Moorland (HMP & YOI)',
  status: 'ACTIVE IN',
  inOutStatus: 'IN',
  cellLocation: 'A-1-001',
  receptionDate: '2025-03-01',
  ...over,
})

const codeOf = new Map([
  [MDI, 'MDI'],
  [LEI, 'LEI'],
])
async function eventsAfter(id: number) {
  const rows = await db
    .selectFrom('custody_events')
    .leftJoin('residential_units', 'residential_units.id', 'custody_events.unit_id')
    .select([
      'custody_events.prison_number',
      'custody_events.establishment_id',
      'custody_events.kind',
      'custody_events.date',
      'custody_events.from_establishment_id',
      'residential_units.code as unit',
      'custody_events.complexity',
      'custody_events.username',
    ])
    .where('custody_events.id', '>', id)
    .orderBy('custody_events.prison_number')
    .orderBy('custody_events.id')
    .execute()
  return rows.map(r => [
    r.prison_number,
    codeOf.get(r.establishment_id),
    r.kind,
    r.date,
    r.from_establishment_id === null ? null : codeOf.get(r.from_establishment_id),
    r.unit,
    r.complexity,
  ])
}
const lastEventId = async () =>
  Number(
    (
      await db
        .selectFrom('custody_events')
        .select(eb => eb.fn.max('id').as('m'))
        .executeTakeFirst()
    )?.m ?? 0,
  )
const prisonersPrint = async () => JSON.stringify(await db.selectFrom('prisoners').selectAll().orderBy('id').execute())
const spellsOf = async (est: number, prisonNumber: string) =>
  (
    await db
      .selectFrom('custody_spells')
      .innerJoin('prisoners', 'prisoners.id', 'custody_spells.prisoner_id')
      .leftJoin('residential_units', 'residential_units.id', 'custody_spells.unit_id')
      .select(['custody_spells.from_date', 'custody_spells.to_date', 'residential_units.code as unit'])
      .where('custody_spells.establishment_id', '=', est)
      .where('prisoners.prison_number', '=', prisonNumber)
      .orderBy('custody_spells.from_date')
      .execute()
  ).map(r => [r.from_date, r.to_date, r.unit])

describe('the roll from Prisoner Search', () => {
  let start: number
  before(async () => {
    await holds(MDI, 'A1000AC', '2024-05-01', 'A', 'A-1-010')
    await holds(MDI, 'A2000AA', '2024-01-01')
    await holds(MDI, 'A2000AB', '2024-02-01')
    await holds(MDI, 'A2000AC', '2024-03-01')
    await holds(LEI, 'A1000AD', '2023-01-01')
    // five entries on the roll, two to a page: three pages
    fake.rolls.set('MDI', [
      person('A1000AA'),
      person('A1000AB', {
        firstName: 'PETER',
        lastName: 'JONES',
        cellLocation: 'B-2-003',
        receptionDate: '2020-01-01',
        lastAdmissionDate: '2025-06-10',
        complexityOfNeedLevel: 'high',
      }),
      person('A1000AC', {
        firstName: 'HELD',
        lastName: 'BEFORE',
        cellLocation: 'B-1-001',
        receptionDate: '2024-05-01',
      }),
      person('A1000AD', { cellLocation: 'A-2-002', receptionDate: '2023-01-01', lastAdmissionDate: '2025-11-01' }),
      { prisonerNumber: 'A1000AE', firstName: 'NO', prisonId: 'MDI' },
    ])
    // where the men keywork holds but the roll no longer names have gone (A2000AC: unknown to it)
    fake.people.set('A2000AA', person('A2000AA', { prisonId: 'OUT', status: 'INACTIVE OUT', inOutStatus: 'OUT' }))
    fake.people.set('A2000AB', person('A2000AB', { prisonId: 'BMI', status: 'ACTIVE IN' }))
    start = await lastEventId()
  })

  it('reads every page with the system token, and reconciles the custody history', async () => {
    const sync = configured()
    fake.requests.length = 0
    const r = await sync.syncRoll(SYSTEM_ACTOR, 'mdi')
    assert.ok(r.ok, JSON.stringify(r))

    const token = fake.requests.filter(q => q.path === '/auth/oauth/token')
    assert.equal(token.length, 1)
    assert.equal(
      token[0]!.authorization,
      `Basic ${Buffer.from('keywork-system:fake-client-secret').toString('base64')}`,
    )
    const pages = fake.requests.filter(q => q.path === '/search/prison/MDI/prisoners')
    assert.deepEqual(
      pages.map(q => [q.method, q.query.page, q.query.size, q.authorization]),
      [
        ['GET', '0', '2', `Bearer ${FAKE_TOKEN}`],
        ['GET', '1', '2', `Bearer ${FAKE_TOKEN}`],
        ['GET', '2', '2', `Bearer ${FAKE_TOKEN}`],
      ],
    )
    const lookups = fake.requests.filter(q => q.path === '/search/prisoner-search/prisoner-numbers')
    assert.deepEqual(
      lookups.map(q => [q.method, q.authorization, q.body]),
      [['POST', `Bearer ${FAKE_TOKEN}`, { prisonerNumbers: ['A2000AA', 'A2000AB', 'A2000AC'] }]],
    )

    assert.deepEqual(
      { ...r, problems: r.problems.map(p => p.prisonNumber), runId: 0 },
      {
        ok: true,
        code: 'MDI',
        runId: 0,
        pages: 3,
        roll: 5,
        created: 3,
        updated: 1,
        unchanged: 0,
        released: 2,
        transferred: 1,
        invalid: 1,
        problems: ['A1000AE'],
      },
    )
    assert.deepEqual(r.problems[0]!.errors, [
      'lastName is missing',
      'dateOfBirth is missing',
      'receptionDate is missing',
    ])

    // by hand: arrivals dated by the day he came (his last admission), the rest by today, 2026-01-20
    assert.deepEqual(await eventsAfter(start), [
      ['A1000AA', 'MDI', 'reception', '2025-03-01', null, 'A', 'low'],
      ['A1000AB', 'MDI', 'reception', '2025-06-10', null, 'B', 'high'],
      ['A1000AC', 'MDI', 'moved', '2026-01-20', null, 'B', null],
      ['A1000AD', 'LEI', 'transfer_out', '2025-11-01', null, null, null],
      ['A1000AD', 'MDI', 'transfer_in', '2025-11-01', 'LEI', 'A', 'low'],
      ['A2000AA', 'MDI', 'release', '2026-01-20', null, null, null],
      ['A2000AB', 'MDI', 'transfer_out', '2026-01-20', null, null, null],
      ['A2000AC', 'MDI', 'release', '2026-01-20', null, null, null],
    ])
    // the spells the statistics count follow: high complexity is no spell
    assert.deepEqual(await spellsOf(MDI, 'A1000AA'), [['2025-03-01', null, 'A']])
    assert.deepEqual(await spellsOf(MDI, 'A1000AB'), [])
    assert.deepEqual(await spellsOf(MDI, 'A1000AC'), [
      ['2024-05-01', '2026-01-20', 'A'],
      ['2026-01-20', null, 'B'],
    ])
    assert.deepEqual(await spellsOf(LEI, 'A1000AD'), [['2023-01-01', '2025-11-01', null]])
    assert.deepEqual(await spellsOf(MDI, 'A1000AD'), [['2025-11-01', null, 'A']])
    assert.deepEqual(await spellsOf(MDI, 'A2000AB'), [['2024-02-01', '2026-01-20', null]])

    const statuses = await db
      .selectFrom('prisoners')
      .select(['prison_number', 'establishment_id', 'status', 'first_name', 'cell'])
      .orderBy('prison_number')
      .orderBy('establishment_id')
      .execute()
    assert.deepEqual(
      statuses.map(p => [p.prison_number, codeOf.get(p.establishment_id), p.status, p.first_name, p.cell]),
      [
        ['A1000AA', 'MDI', 'in', 'JOHN', 'A-1-001'],
        ['A1000AB', 'MDI', 'in', 'PETER', 'B-2-003'],
        ['A1000AC', 'MDI', 'in', 'HELD', 'B-1-001'],
        ['A1000AD', 'MDI', 'in', 'JOHN', 'A-2-002'],
        ['A1000AD', 'LEI', 'transferred', 'Held', null],
        ['A2000AA', 'MDI', 'released', 'Held', null],
        ['A2000AB', 'MDI', 'transferred', 'Held', null],
        ['A2000AC', 'MDI', 'released', 'Held', null],
      ],
    )
    // each change audited by the roll sync, and the run itself
    const audited = await db
      .selectFrom('audit_events')
      .select(['action', 'entity', 'entity_id'])
      .where('entity', '=', 'hmpps_roll')
      .execute()
    assert.deepEqual(audited, [{ action: 'sync', entity: 'hmpps_roll', entity_id: 'MDI' }])
  })

  it('a second sync of the same roll changes nothing', async () => {
    const events = await lastEventId()
    const print = await prisonersPrint()
    fake.requests.length = 0
    const r = await configured().syncRoll(SYSTEM_ACTOR, 'MDI')
    assert.ok(r.ok)
    assert.deepEqual(
      [r.created, r.updated, r.unchanged, r.released, r.transferred, r.problems.length],
      [0, 0, 4, 0, 0, 1],
    )
    assert.equal(await lastEventId(), events)
    assert.equal(await prisonersPrint(), print)
    // nobody gone: no lookup
    assert.equal(fake.requests.filter(q => q.path.endsWith('/prisoner-numbers')).length, 0)
  })

  it('a roll longer than the bound, or a page that fails, changes nothing and is recorded as failed', async () => {
    const events = await lastEventId()
    const print = await prisonersPrint()
    const bounded = await configured({ maxPages: 2 }).syncRoll(SYSTEM_ACTOR, 'MDI')
    assert.deepEqual(bounded, {
      ok: false,
      code: 'MDI',
      runId: bounded.runId,
      message: 'The roll of MDI has more than 2 pages of 2: nothing was changed (raise HMPPS_ROLL_MAX_PAGES)',
    })
    fake.failPages.add(1)
    try {
      const failed = await configured().syncRoll(SYSTEM_ACTOR, 'MDI')
      assert.equal(failed.ok, false)
      assert.equal(!failed.ok && failed.message, 'Prisoner Search answered GET /prison/MDI/prisoners with HTTP 500')
    } finally {
      fake.failPages.clear()
    }
    assert.equal(await lastEventId(), events)
    assert.equal(await prisonersPrint(), print)
    const runs = await db.selectFrom('hmpps_sync_runs').select(['outcome', 'pages']).orderBy('id').execute()
    assert.deepEqual(
      runs.map(r => [r.outcome, r.pages]),
      [
        ['ok', 3],
        ['ok', 3],
        ['failed', 2],
        ['failed', 1],
      ],
    )
  })

  it('off when not configured: no call, no run; the hourly jobs leave it out', async () => {
    fake.requests.length = 0
    const off = hmppsSyncService(db, {
      audit: s.audit,
      prisoners: s.prisoners,
      establishments: s.establishments,
      units: s.units,
      logger: s.logger,
      config: { hmppsAuth: null, prisonerSearch: null, hmppsEventsToken: null },
    })
    assert.deepEqual(off.enabled, { roll: false, events: false })
    assert.deepEqual(await off.syncRoll(SYSTEM_ACTOR, 'MDI'), {
      ok: false,
      code: 'MDI',
      runId: null,
      message: 'Prisoner Search is not configured (PRISONER_SEARCH_URL)',
    })
    assert.deepEqual(await off.syncAll(SYSTEM_ACTOR), [])
    const jobs = await runDailyJobs(s)
    assert.ok(!jobs.ran.includes('hmpps-roll') && !jobs.skipped.includes('hmpps-roll'))
    assert.equal(fake.requests.length, 0)
    assert.equal(
      await db
        .selectFrom('hmpps_sync_runs')
        .select('id')
        .execute()
        .then(r => r.length),
      4,
    )
  })
})

describe('movement events', () => {
  let api: ReturnType<typeof supertest>
  before(() => {
    // the events arrive after they occurred: now is 25 January 2026
    setClock('2026-01-25T12:00:00Z')
    // the app's services take the configured adapter; its routes read it at each request
    Object.assign(s, { hmppsSync: configured() })
    api = supertest(world.app)
  })
  const postEvent = (body: unknown, secret = SECRET) =>
    api
      .post('/api/hmpps/events')
      .set('Authorization', `Bearer ${secret}`)
      .type('json')
      .send(body as object)
  const event = (
    type: 'received' | 'released',
    nomsNumber: string,
    reason: string,
    prisonId: string,
    occurredAt: string,
  ) => ({
    eventType: `prisoner-offender-search.prisoner.${type}`,
    occurredAt,
    version: 1,
    description: `A prisoner has been ${type}`,
    detailUrl: `https://prisoner-search.prison.service.justice.gov.uk/prisoner/${nomsNumber}`,
    additionalInformation: { nomsNumber, reason, prisonId },
  })
  const eventRows = () => db.selectFrom('hmpps_events').selectAll().orderBy('id').execute()

  it('refuses a caller without the secret, and an event that is not one, writing nothing', async () => {
    const events = await lastEventId()
    const none = await api.post('/api/hmpps/events').type('json').send({})
    assert.equal(none.status, 401)
    assert.equal((await postEvent({}, 'wrong-secret-wrong-secret-wrong-secret')).status, 401)
    const malformed = await api
      .post('/api/hmpps/events')
      .set('Authorization', `Bearer ${SECRET}`)
      .set('Content-Type', 'application/json')
      .send('{"eventType": "prisoner-offender-search.prisoner.released", ')
    assert.equal(malformed.status, 400)
    assert.deepEqual(malformed.body, { status: 400, message: 'The body is not valid JSON' })
    const bad = await postEvent({
      eventType: 'prisoner-offender-search.prisoner.released',
      occurredAt: '2026-01-21T09:00:00',
      additionalInformation: { nomsNumber: 'A1000AA', prisonId: 'MDI', reason: 'RELEASED' },
    })
    assert.equal(bad.status, 400)
    assert.deepEqual(bad.body, {
      status: 400,
      errors: ['occurredAt must be a date and time with its offset, like 2026-12-06T09:15:00Z'],
    })
    assert.deepEqual(await eventRows(), [])
    assert.equal(await lastEventId(), events)
  })

  it('released: a release dated the London day it occurred; delivered again, nothing more', async () => {
    const before = await lastEventId()
    const body = event('released', 'A1000AA', 'RELEASED', 'MDI', '2026-01-21T23:30:00Z')
    const first = await postEvent(body)
    assert.equal(first.status, 200)
    assert.deepEqual(first.body, {
      status: 200,
      outcome: 'applied',
      detail: 'released',
      key: 'prisoner-offender-search.prisoner.released|A1000AA|2026-01-21T23:30:00.000Z',
    })
    const again = await postEvent(body)
    assert.deepEqual(again.body, {
      status: 200,
      outcome: 'duplicate',
      first: 'applied',
      key: 'prisoner-offender-search.prisoner.released|A1000AA|2026-01-21T23:30:00.000Z',
    })
    assert.deepEqual(await eventsAfter(before), [['A1000AA', 'MDI', 'release', '2026-01-21', null, null, null]])
  })

  it('received on transfer: out of the establishment that held him, in here, new to this one', async () => {
    const before = await lastEventId()
    await holds(LEI, 'A3000AA', '2022-02-02', 'H1')
    fake.people.set('A3000AA', person('A3000AA', { firstName: 'MARK', lastName: 'TAYLOR', cellLocation: 'B-3-001' }))
    const r = await postEvent(event('received', 'A3000AA', 'TRANSFERRED', 'MDI', '2026-01-22T11:00:00Z'))
    assert.deepEqual(r.body.outcome, 'applied')
    assert.deepEqual(await eventsAfter(before), [
      ['A3000AA', 'LEI', 'reception', '2022-02-02', null, 'H1', 'low'],
      ['A3000AA', 'LEI', 'transfer_out', '2026-01-22', null, null, null],
      ['A3000AA', 'MDI', 'transfer_in', '2026-01-22', 'LEI', 'B', 'low'],
    ])
    // the other half of the same transfer, from LEI's side, arrives after: already done
    const out = await postEvent(event('released', 'A3000AA', 'TRANSFERRED', 'LEI', '2026-01-22T10:00:00Z'))
    assert.equal(out.body.outcome, 'unchanged')
    assert.equal((await eventsAfter(before)).length, 3)
  })

  it('complexity of need, in its SNS notification: a complexity event where he is held', async () => {
    const before = await lastEventId()
    const r = await postEvent({
      Type: 'Notification',
      MessageId: '5f3c8d1e-2a4b-4c6d-8e9f-0a1b2c3d4e5f',
      Message: JSON.stringify({ offenderNo: 'A1000AC', level: 'high', active: true }),
      Timestamp: '2026-01-23T08:00:00.000Z',
      MessageAttributes: { eventType: { Type: 'String', Value: 'complexity-of-need.level.changed' } },
    })
    assert.deepEqual([r.status, r.body.outcome, r.body.detail], [200, 'applied', 'complexity of need low → high'])
    assert.deepEqual(await eventsAfter(before), [['A1000AC', 'MDI', 'complexity', '2026-01-23', null, null, 'high']])
    assert.deepEqual(await spellsOf(MDI, 'A1000AC'), [
      ['2024-05-01', '2026-01-20', 'A'],
      ['2026-01-20', '2026-01-23', 'B'],
    ])
  })

  it('an establishment keywork does not run, and a return from court: recorded as ignored, nothing changed', async () => {
    const before = await lastEventId()
    const elsewhere = await postEvent(event('received', 'A4000AA', 'NEW_ADMISSION', 'BMI', '2026-01-24T09:00:00Z'))
    assert.deepEqual(
      [elsewhere.status, elsewhere.body.outcome, elsewhere.body.detail],
      [200, 'ignored', 'BMI is not an establishment keywork runs'],
    )
    const court = await postEvent(event('received', 'A1000AB', 'RETURN_FROM_COURT', 'MDI', '2026-01-24T17:00:00Z'))
    assert.deepEqual(
      [court.body.outcome, court.body.detail],
      ['ignored', 'a return from court or temporary absence: he stayed on the roll'],
    )
    assert.equal(await lastEventId(), before)
    const rows = await eventRows()
    assert.deepEqual(
      rows.map(r => [r.event_type.split('.').pop(), r.prison_number, r.prison_code, r.establishment_id, r.outcome]),
      [
        ['released', 'A1000AA', 'MDI', MDI, 'applied'],
        ['received', 'A3000AA', 'MDI', MDI, 'applied'],
        ['released', 'A3000AA', 'LEI', LEI, 'unchanged'],
        ['changed', 'A1000AC', 'MDI', MDI, 'applied'],
        ['received', 'A4000AA', 'BMI', null, 'ignored'],
        ['received', 'A1000AB', 'MDI', MDI, 'ignored'],
      ],
    )
  })

  it('the admin page: an admin sees their establishment’s syncs and events, the national team all; audited', async () => {
    const admin = await signedIn(world, 'establishment_admin.lei')
    const lei = await admin.get('/hmpps')
    assert.equal(lei.status, 200)
    assert.match(lei.text, /A3000AA/)
    assert.doesNotMatch(lei.text, /A1000AA|A4000AA/)
    assert.match(lei.text, /No roll has been read from Prisoner Search for this establishment yet/)
    const national = await signedIn(world, 'national')
    const all = await national.get('/hmpps')
    assert.equal(all.status, 200)
    for (const n of ['A1000AA', 'A3000AA', 'A4000AA', 'BMI']) assert.match(all.text, new RegExp(n))
    assert.match(all.text, /The roll of MDI has more than 2 pages of 2/)
    const viewed = await db
      .selectFrom('audit_events')
      .select(['username', 'changes'])
      .where('action', '=', 'view')
      .where('entity', '=', 'hmpps_events')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      viewed.map(v => [v.username, (JSON.parse(v.changes!) as { scope: string }).scope]),
      [
        ['establishment_admin.lei', 'LEI'],
        ['national', 'all establishments'],
      ],
    )
    const keyWorker = await signedIn(world, 'key_worker.mdi')
    assert.equal((await keyWorker.get('/hmpps')).status, 403)
  })
})
