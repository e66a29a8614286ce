import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import supertest from 'supertest'
import { Ajv2020 } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { addDays, todayIso } from '../../domain/dates'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { type World, createUser, signedIn, testWorld } from '../../../test/harness'
import { recordSession } from '../../../test/support/sessions'
import { insertReferral } from '../../../test/support/referrals'
import { prisonerRecordSchema } from '../prisoners/schema'
import { staffRecordSchema } from '../staff/schema'
import { createClient, revokeClient } from './cli'
import type { ClientCreate } from './schema'
import { ENDPOINTS } from './openapi'

/**
 * The API for other services over a hand-built world: MDI with two officers' worth of allocations and three
 * sessions, LEI with one prisoner. Every expected value below is written from that world by hand.
 */

let world: World & { close(): Promise<void> }
const today = todayIso()
const est = (code: 'MDI' | 'LEI') => world.est[code]!
const api = () => supertest(world.app)

const staffIds: Record<string, number> = {}

async function officer(code: 'MDI' | 'LEI', lastName: string) {
  const s = world.services
  const establishmentId = est(code)
  const username = `${lastName.toLowerCase()}.${code.toLowerCase()}`
  const userId = await createUser(s, username, [{ role: 'KEY_WORKER', establishmentId }])
  const r = await s.staff.create({ ...SYSTEM_ACTOR, establishmentId }, establishmentId, {
    ...staffRecordSchema.parse({
      staffNumber: `${code}${lastName.slice(0, 3).toUpperCase()}1`,
      firstName: 'Alex',
      lastName,
      grade: 'Band 3',
      workingPattern: 'full_time',
      languages: 'English',
      status: 'active',
    }),
    userId,
  })
  assert.ok(r.ok, JSON.stringify(r))
  staffIds[lastName] = r.value
  return { userId, username, establishmentId }
}

async function prisoner(code: 'MDI' | 'LEI', prisonNumber: string, first: string, last: string, complexity = 'low') {
  const r = await world.services.prisoners.create(
    { ...SYSTEM_ACTOR, establishmentId: est(code) },
    est(code),
    prisonerRecordSchema.parse({
      prisonNumber,
      firstName: first,
      lastName: last,
      dateOfBirth: '1990-01-01',
      receptionDate: '2025-01-10',
      status: 'in',
      complexity,
      firstLanguage: 'en',
      interpreterNeeded: 'no',
      nationality: 'British',
    }),
  )
  assert.ok(r.ok, JSON.stringify(r))
}

async function allocate(code: 'MDI' | 'LEI', prisonNumber: string, lastName: string) {
  const r = await world.services.allocations.allocate(
    { ...SYSTEM_ACTOR, establishmentId: est(code) },
    est(code),
    prisonNumber,
    staffIds[lastName]!,
    { reason: 'manual' },
  )
  assert.ok(r.ok, JSON.stringify(r))
}

const on = (date: string) => {
  const [y, m, d] = date.split('-')
  return { 'sessionDate-day': d!, 'sessionDate-month': m!, 'sessionDate-year': y! }
}

const sessionIds: Record<string, number> = {}

async function client(input: Partial<ClientCreate> & { name: string }, owner: number | null = null) {
  const r = await world.services.apiClients.create({ ...SYSTEM_ACTOR, username: 'test' }, owner, {
    scopes: ['keywork.read.allocations', 'keywork.read.sessions', 'keywork.read.referrals', 'keywork.read.statistics'],
    establishments: ['MDI'],
    rateLimitPerMinute: 1000,
    ...input,
  })
  assert.ok(r.ok, JSON.stringify(r))
  return r.value
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

async function tokenFor(c: { clientId: string; clientSecret: string }, scope?: string): Promise<string> {
  const res = await api()
    .post('/api/v1/oauth/token')
    .set('Authorization', basic(c.clientId, c.clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) })
  assert.equal(res.status, 200, res.text)
  return res.body.access_token as string
}

let mdiClient: { clientId: string; clientSecret: string }
let mdiToken = ''

before(async () => {
  world = await testWorld()
  const ward = await officer('MDI', 'Ward')
  await officer('MDI', 'Shaw')
  await officer('LEI', 'Lane')
  await prisoner('MDI', 'A1001AA', 'Dean', 'Walsh')
  await prisoner('MDI', 'A1002AA', 'Marcus', 'Reid')
  await prisoner('MDI', 'A1003AA', 'Tyler', 'Okafor', 'high')
  await prisoner('LEI', 'B1001AA', 'Piotr', 'Nowak')
  await allocate('MDI', 'A1001AA', 'Ward')
  await allocate('MDI', 'A1002AA', 'Shaw')
  await allocate('LEI', 'B1001AA', 'Lane')
  const s = world.services
  sessionIds.walshDelivered = await recordSession(s.sessions, ward, est('MDI'), 'A1001AA', {
    ...on(addDays(today, -10)),
    pathways: ['accommodation', 'finance-benefit-debt'],
  })
  sessionIds.walshRefused = await recordSession(s.sessions, ward, est('MDI'), 'A1001AA', {
    ...on(addDays(today, -3)),
    outcome: 'not_delivered',
    notDeliveredReason: 'prisoner_refused',
  })
  sessionIds.reid = await recordSession(s.sessions, ward, est('MDI'), 'A1002AA', on(addDays(today, -5)))
  const walshId = (await s.prisoners.get(est('MDI'), 'A1001AA'))!.id
  await insertReferral(s.db.db, {
    establishmentId: est('MDI'),
    prisonerId: walshId,
    sessionId: sessionIds.walshDelivered,
    stakeholder: 'pom',
    status: 'sent',
    followUpDate: addDays(today, -1),
    createdBy: ward.username,
  })
  mdiClient = await client({ name: 'Digital Prison Services' })
  mdiToken = await tokenFor(mdiClient)
})
after(() => world.close())

describe('tokens (client credentials)', () => {
  it('issues a bearer token by HTTP Basic or in the body, with every scope of the client when none is asked', async () => {
    const res = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(mdiClient.clientId, mdiClient.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' })
    assert.equal(res.status, 200)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.equal(res.body.token_type, 'Bearer')
    assert.equal(res.body.expires_in, 900)
    assert.equal(
      res.body.scope,
      'keywork.read.allocations keywork.read.sessions keywork.read.referrals keywork.read.statistics',
    )
    assert.match(res.body.access_token, /^kwa_[A-Za-z0-9_-]{43}$/)
    const body = await api().post('/api/v1/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: mdiClient.clientId,
      client_secret: mdiClient.clientSecret,
      scope: 'keywork.read.sessions',
    })
    assert.equal(body.status, 200)
    assert.equal(body.body.scope, 'keywork.read.sessions')
  })

  it('stores the secret and the token only as hashes', async () => {
    const row = await world.services.db.db
      .selectFrom('api_clients')
      .selectAll()
      .where('client_id', '=', mdiClient.clientId)
      .executeTakeFirstOrThrow()
    assert.match(row.secret_hash, /^\$argon2id\$/)
    const tokens = await world.services.db.db.selectFrom('api_access_tokens').select('token_hash').execute()
    assert.ok(tokens.length > 0)
    for (const t of tokens) assert.match(t.token_hash, /^[0-9a-f]{64}$/)
    assert.ok(!tokens.some(t => t.token_hash.includes(mdiToken)))
  })

  it('refuses a wrong secret or an unknown client (401 invalid_client), an unknown scope (400 invalid_scope)', async () => {
    const wrong = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(mdiClient.clientId, 'kws_not-the-secret'))
      .type('form')
      .send({ grant_type: 'client_credentials' })
    assert.equal(wrong.status, 401)
    assert.equal(wrong.body.error, 'invalid_client')
    assert.match(wrong.headers['www-authenticate'] ?? '', /^Basic /)
    const unknown = await api()
      .post('/api/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'kwc_nobody', client_secret: 'x' })
    assert.equal(unknown.status, 401)
    assert.equal(unknown.body.error, 'invalid_client')
    const scope = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(mdiClient.clientId, mdiClient.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'keywork.read.sessions keywork.write.everything' })
    assert.equal(scope.status, 400)
    assert.equal(scope.body.error, 'invalid_scope')
    const grant = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(mdiClient.clientId, mdiClient.clientSecret))
      .type('form')
      .send({ grant_type: 'password' })
    assert.equal(grant.status, 400)
    assert.equal(grant.body.error, 'unsupported_grant_type')
  })

  it('refuses a scope the client was not given', async () => {
    const narrow = await client({ name: 'Sessions only', scopes: ['keywork.read.sessions'] })
    const res = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(narrow.clientId, narrow.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'keywork.read.allocations' })
    assert.equal(res.status, 400)
    assert.equal(res.body.error, 'invalid_scope')
  })

  it('refuses a revoked client, and the tokens it held stop working', async () => {
    const c = await client({ name: 'Soon revoked' })
    const token = await tokenFor(c)
    const ok = await api().get('/api/v1/establishments/MDI/allocations').set('Authorization', `Bearer ${token}`)
    assert.equal(ok.status, 200)
    const lines: string[] = []
    const code = await revokeClient(world.services, c.clientId, { out: l => lines.push(l), err: l => lines.push(l) })
    assert.equal(code, 0)
    const res = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(c.clientId, c.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' })
    assert.equal(res.status, 401)
    assert.equal(res.body.error, 'invalid_client')
    const after = await api().get('/api/v1/establishments/MDI/allocations').set('Authorization', `Bearer ${token}`)
    assert.equal(after.status, 401)
  })

  it('refuses an expired token with a 401 and WWW-Authenticate', async () => {
    const c = await client({ name: 'Expiring' })
    const token = await tokenFor(c)
    const id = (
      await world.services.db.db
        .selectFrom('api_clients')
        .select('id')
        .where('client_id', '=', c.clientId)
        .executeTakeFirstOrThrow()
    ).id
    await world.services.db.db
      .updateTable('api_access_tokens')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('api_client_id', '=', id)
      .execute()
    const res = await api().get('/api/v1/establishments/MDI/allocations').set('Authorization', `Bearer ${token}`)
    assert.equal(res.status, 401)
    assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/)
    assert.match(res.headers['www-authenticate'] ?? '', /error="invalid_token"/)
    const none = await api().get('/api/v1/establishments/MDI/allocations')
    assert.equal(none.status, 401)
  })

  it('lets the token POST through without a session or CSRF token, and no other POST under /api/v1', async () => {
    const other = await api().post('/api/v1/establishments/MDI/allocations').type('form').send({})
    assert.notEqual(other.status, 200)
    assert.ok([303, 401, 403, 404].includes(other.status), String(other.status))
    assert.equal(other.headers['set-cookie'], undefined)
  })

  it('makes clients from the CLI, and an establishment admin only for its own establishment', async () => {
    const lines: string[] = []
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`! ${l}`) }
    assert.equal(
      await createClient(
        world.services,
        { name: 'CLI made', scopes: 'keywork.read.statistics', establishment: 'all', rateLimit: '60' },
        io,
      ),
      0,
    )
    assert.match(lines.join('\n'), /client_id: +kwc_/)
    assert.match(lines.join('\n'), /client_secret: +kws_/)
    lines.length = 0
    assert.equal(
      await createClient(world.services, { name: 'Bad', scopes: 'keywork.read.nothing', establishment: 'MDI' }, io),
      2,
    )
    assert.match(lines.join('\n'), /Scopes must be among/)
    const own = await world.services.apiClients.create({ ...SYSTEM_ACTOR, username: 'admin' }, est('MDI'), {
      name: 'Both',
      scopes: ['keywork.read.statistics'],
      establishments: ['MDI', 'LEI'],
      rateLimitPerMinute: 60,
    })
    assert.equal(own.ok, false)
    const all = await world.services.apiClients.create({ ...SYSTEM_ACTOR, username: 'admin' }, est('MDI'), {
      name: 'All',
      scopes: ['keywork.read.statistics'],
      establishments: 'all',
      rateLimitPerMinute: 60,
    })
    assert.equal(all.ok, false)
  })
})

// ---- the OpenAPI document, and every response validated against it ----

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
let doc: Json
const ROOT = 'https://keywork.test/api/v1/openapi.json'
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)

/** Validates a response body against the document's schema for the path, method, status and media type. */
function validate(path: string, method: string, res: supertest.Response) {
  const response = doc.paths[path]?.[method]?.responses?.[String(res.status)]
  assert.ok(response, `the document describes ${method} ${path} ${res.status}`)
  const mediaType = (res.headers['content-type'] ?? '').split(';')[0]!
  const schema = response.content?.[mediaType]?.schema
  assert.ok(schema, `the document describes ${mediaType} for ${method} ${path} ${res.status}`)
  const pointer = ['paths', path, method, 'responses', String(res.status), 'content', mediaType, 'schema']
    .map(p => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/')
  const check = ajv.getSchema(`${ROOT}#/${pointer}`)
  assert.ok(check, `ajv compiles the schema of ${method} ${path} ${res.status}`)
  const body = JSON.parse(res.text) as unknown
  assert.ok(check(body), `${method} ${path} ${res.status}: ${JSON.stringify(check.errors)}\n${res.text}`)
}

/** Example values of each path parameter and of the required query parameters, from the world above. */
const EXAMPLES: Record<string, string> = {
  prisonNumber: 'A1001AA',
  establishmentCode: 'MDI',
  from: addDays(today, -30),
  to: today,
}

describe('the OpenAPI document', () => {
  before(async () => {
    const res = await api().get('/api/v1/openapi.json')
    assert.equal(res.status, 200)
    doc = res.body as Json
    ajv.addSchema({ ...doc, $id: ROOT })
  })

  it('is OpenAPI 3.1 with the client credentials flow and its scopes', () => {
    assert.equal(doc.openapi, '3.1.0')
    assert.deepEqual(Object.keys(doc.components.securitySchemes.clientCredentials.flows.clientCredentials.scopes), [
      'keywork.read.allocations',
      'keywork.read.sessions',
      'keywork.read.referrals',
      'keywork.read.statistics',
    ])
    for (const p of [
      '/prisoners/{prisonNumber}/key-worker',
      '/prisoners/{prisonNumber}/sessions',
      '/establishments/{establishmentCode}/allocations',
      '/establishments/{establishmentCode}/referrals',
      '/establishments/{establishmentCode}/statistics',
      '/oauth/token',
    ])
      assert.ok(doc.paths[p], p)
    // the validator the other tests use does check: an empty answer is not a CurrentKeyWorker
    const check = ajv.getSchema(`${ROOT}#/components/schemas/CurrentKeyWorker`)!
    assert.equal(check({}), false)
    assert.equal(check({ prisonNumber: 'A1001AA' }), false)
    // the prison number is the prisoner form's own rule
    const pn = doc.paths['/prisoners/{prisonNumber}/key-worker'].get.parameters[0]
    assert.equal(pn.schema.pattern, '^[A-Z]\\d{4}[A-Z]{2}$')
  })

  it('describes every answer of every GET path (200, and 401, 403, 404 and 400 problems)', async () => {
    let checked = 0
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const op = item.get as Json | undefined
      if (!op || path === '/openapi.json') continue
      const params = (op.parameters ?? []) as { name: string; in: string; required: boolean }[]
      const url = (values: Record<string, string>) => {
        const p = path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(values[n] ?? EXAMPLES[n]!))
        const q = params
          .filter(x => x.in === 'query' && x.required)
          .map(x => `${x.name}=${encodeURIComponent(values[x.name] ?? EXAMPLES[x.name]!)}`)
        return `/api/v1${p}${q.length ? `?${q.join('&')}` : ''}`
      }
      for (const x of params.filter(x => x.required)) assert.ok(EXAMPLES[x.name], `an example for ${x.name} of ${path}`)

      const ok = await api().get(url({})).set('Authorization', `Bearer ${mdiToken}`)
      assert.equal(ok.status, 200, `${path}: ${ok.text}`)
      validate(path, 'get', ok)
      assert.ok(Number(ok.headers['ratelimit-remaining']) >= 0)

      const none = await api().get(url({}))
      assert.equal(none.status, 401)
      validate(path, 'get', none)

      const scope = op.security[0].clientCredentials[0] as string
      const other = Object.keys(doc.components.securitySchemes.clientCredentials.flows.clientCredentials.scopes).find(
        x => x !== scope,
      )!
      const wrongScope = await api()
        .get(url({}))
        .set('Authorization', `Bearer ${await tokenFor(mdiClient, other)}`)
      assert.equal(wrongScope.status, 403)
      validate(path, 'get', wrongScope)

      // another establishment's prisoner or code: not found, as the pages answer
      const elsewhere = await api()
        .get(url({ prisonNumber: 'B1001AA', establishmentCode: 'LEI' }))
        .set('Authorization', `Bearer ${mdiToken}`)
      assert.equal(elsewhere.status, 404)
      validate(path, 'get', elsewhere)

      const bad = await api()
        .get(url({ prisonNumber: 'not-a-number', establishmentCode: 'm d i', from: '2025-02-30' }))
        .set('Authorization', `Bearer ${mdiToken}`)
      assert.equal(bad.status, 400, `${path}: ${bad.text}`)
      validate(path, 'get', bad)
      checked++
    }
    // every endpoint the routes serve is in the document, and was called above
    assert.equal(checked, Object.keys(ENDPOINTS).length)
  })

  it('validates the token endpoint’s answers', async () => {
    const good = await api()
      .post('/api/v1/oauth/token')
      .set('Authorization', basic(mdiClient.clientId, mdiClient.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials' })
    validate('/oauth/token', 'post', good)
    const wrong = await api()
      .post('/api/v1/oauth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: mdiClient.clientId, client_secret: 'no' })
    validate('/oauth/token', 'post', wrong)
    const scope = await api().post('/api/v1/oauth/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: mdiClient.clientId,
      client_secret: mdiClient.clientSecret,
      scope: 'nothing',
    })
    validate('/oauth/token', 'post', scope)
  })
})

describe('answers, from the world above', () => {
  const get = (url: string) => api().get(url).set('Authorization', `Bearer ${mdiToken}`)

  it('gives a prisoner’s current Key Worker and last session', async () => {
    const res = await get('/api/v1/prisoners/a1001aa/key-worker')
    assert.equal(res.status, 200)
    const b = res.body
    assert.equal(b.prisonNumber, 'A1001AA')
    assert.deepEqual(b.establishment, { code: 'MDI', name: 'Moorland (HMP)' })
    assert.equal(b.hasHighComplexityOfNeeds, false)
    assert.deepEqual(
      { staffId: b.keyWorker.staffId, firstName: b.keyWorker.firstName, lastName: b.keyWorker.lastName },
      { staffId: staffIds.Ward, firstName: 'Alex', lastName: 'Ward' },
    )
    assert.equal(b.keyWorker.cover, false)
    assert.equal(b.lastSession.id, sessionIds.walshRefused)
    assert.equal(b.lastSession.date, addDays(today, -3))
    assert.equal(b.lastSession.outcome, 'not_delivered')
    assert.equal(b.lastSession.notDeliveredReason, 'prisoner_refused')

    const high = await get('/api/v1/prisoners/A1003AA/key-worker')
    assert.equal(high.status, 200)
    assert.equal(high.body.hasHighComplexityOfNeeds, true)
    assert.equal(high.body.keyWorker, null)
    assert.equal(high.body.lastSession, null)
  })

  it('lists a prisoner’s sessions newest first, paged', async () => {
    const res = await get('/api/v1/prisoners/A1001AA/sessions?size=1')
    assert.equal(res.status, 200)
    assert.equal(res.body.totalItems, 2)
    assert.equal(res.body.totalPages, 2)
    assert.deepEqual(
      res.body.content.map((x: Json) => x.id),
      [sessionIds.walshRefused],
    )
    const two = await get('/api/v1/prisoners/A1001AA/sessions?size=1&page=2')
    const s = two.body.content[0]
    assert.equal(s.id, sessionIds.walshDelivered)
    assert.equal(s.date, addDays(today, -10))
    assert.equal(s.outcome, 'delivered')
    assert.deepEqual(s.pathways, ['accommodation', 'finance-benefit-debt'])
    assert.equal(s.durationMinutes, 45)
    assert.equal(s.referralsMade, 1)
    assert.equal(s.keyWorker.lastName, 'Ward')
    assert.equal('agreed' in s || 'prisonerWords' in s, false)
    for (const [query, detail] of [
      ['size=501', 'size: size must be at most 500'],
      ['page=0', 'page: page must be at least 1'],
      ['page=two', 'page: page must be a whole number'],
      ['page=1&page=2', 'page: page must be a whole number'],
    ]) {
      const bad = await get(`/api/v1/prisoners/A1001AA/sessions?${query}`)
      assert.equal(bad.status, 400, query)
      assert.equal(bad.body.detail, detail, query)
    }
  })

  it('lists an establishment’s current allocations by prisoner name', async () => {
    const res = await get('/api/v1/establishments/MDI/allocations')
    assert.equal(res.status, 200)
    assert.equal(res.body.totalItems, 2)
    assert.deepEqual(
      res.body.content.map((a: Json) => [a.prisonNumber, a.lastName, a.keyWorker.lastName, a.allocationReason]),
      [
        ['A1002AA', 'Reid', 'Shaw', 'manual'],
        ['A1001AA', 'Walsh', 'Ward', 'manual'],
      ],
    )
  })

  it('lists referrals, overdue first, with a status filter', async () => {
    const res = await get('/api/v1/establishments/MDI/referrals')
    assert.equal(res.status, 200)
    assert.equal(res.body.totalItems, 1)
    const r = res.body.content[0]
    assert.equal(r.prisonNumber, 'A1001AA')
    assert.equal(r.sessionId, sessionIds.walshDelivered)
    assert.equal(r.referredTo, 'Prison Offender Manager (POM)')
    assert.equal(r.status, 'sent')
    assert.equal(r.overdue, true)
    assert.equal(r.followUpDate, addDays(today, -1))
    const done = await get('/api/v1/establishments/MDI/referrals?status=done')
    assert.equal(done.body.totalItems, 0)
    assert.deepEqual(done.body.content, [])
  })

  it('gives the statistics of a period', async () => {
    const res = await get(`/api/v1/establishments/MDI/statistics?from=${addDays(today, -30)}&to=${today}`)
    assert.equal(res.status, 200)
    assert.equal(res.body.delivered, 2)
    assert.equal(res.body.notDelivered, 1)
    assert.equal(res.body.notDeliveredReasons.prisoner_refused, 1)
    assert.equal(res.body.eligibleAtEnd, 2)
    assert.equal(res.body.allocatedAtEnd, 2)
    const backwards = await get(`/api/v1/establishments/MDI/statistics?from=${today}&to=${addDays(today, -1)}`)
    assert.equal(backwards.status, 400)
    assert.match(backwards.body.detail, /from must be on or before to/)
  })

  it('reads every establishment for a client given all of them', async () => {
    const all = await client({
      name: 'National reporting',
      establishments: 'all',
      scopes: ['keywork.read.allocations'],
    })
    const token = await tokenFor(all)
    const lei = await api().get('/api/v1/prisoners/B1001AA/key-worker').set('Authorization', `Bearer ${token}`)
    assert.equal(lei.status, 200)
    assert.equal(lei.body.keyWorker.lastName, 'Lane')
    const mdi = await api().get('/api/v1/establishments/MDI/allocations').set('Authorization', `Bearer ${token}`)
    assert.equal(mdi.status, 200)
  })
})

describe('rate limit', () => {
  it('answers the call after the limit with 429, Retry-After and a problem body', async () => {
    const c = await client({ name: 'Busy', rateLimitPerMinute: 3 })
    const token = await tokenFor(c)
    const statuses: number[] = []
    let last: supertest.Response | undefined
    for (let i = 0; i < 4; i++) {
      last = await api().get('/api/v1/establishments/MDI/allocations').set('Authorization', `Bearer ${token}`)
      statuses.push(last.status)
    }
    // a minute may turn between calls: then the count starts again, and the fourth call is not yet over the limit
    if (statuses[3] !== 429) return assert.ok(statuses.every(s => s === 200))
    assert.deepEqual(statuses, [200, 200, 200, 429])
    assert.match(last!.headers['content-type'] ?? '', /^application\/problem\+json/)
    const wait = Number(last!.headers['retry-after'])
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, String(wait))
    assert.equal(last!.body.status, 429)
    assert.match(last!.body.detail, /3 calls a minute/)
    validate('/establishments/{establishmentCode}/allocations', 'get', last!)
  })

  it('counts in the database, so another instance on the same database counts the same calls', async () => {
    const c = await client({ name: 'Two instances', rateLimitPerMinute: 2 })
    const caller = await world.services.apiClients.authenticate(await tokenFor(c))
    assert.notEqual(caller, 'invalid')
    if (caller === 'invalid') return
    const t = Date.UTC(2026, 0, 1, 12, 0, 30)
    assert.deepEqual(
      [
        (await world.services.apiClients.rate(caller, t)).ok,
        (await world.services.apiClients.rate(caller, t + 1000)).ok,
        await world.services.apiClients.rate(caller, t + 2000),
        (await world.services.apiClients.rate(caller, t + 30_000)).ok,
      ],
      [true, true, { ok: false, limit: 2, retryAfterSeconds: 28 }, true],
    )
  })
})

describe('audit', () => {
  it('audits views of a prisoner as views, list reads, refusals and tokens, by the client', async () => {
    const events = await world.services.db.db
      .selectFrom('audit_events')
      .select(['username', 'action', 'entity', 'entity_id', 'establishment_id', 'changes'])
      .where('username', 'like', `API client: Digital Prison Services%`)
      .orderBy('id')
      .execute()
    const who = `API client: Digital Prison Services (${mdiClient.clientId})`
    assert.ok(events.every(e => e.username === who))
    const has = (action: string, entity: string, entityId: string | null, path?: string) =>
      events.some(
        e =>
          e.action === action &&
          e.entity === entity &&
          e.entity_id === entityId &&
          (path === undefined || String(e.changes).includes(path)),
      )
    assert.ok(has('view', 'prisoner', 'A1001AA', '/api/v1/prisoners/:prisonNumber/key-worker'))
    assert.ok(has('view', 'prisoner', 'A1001AA', '/api/v1/prisoners/:prisonNumber/sessions'))
    assert.ok(has('view', 'allocations', 'MDI'))
    assert.ok(has('view', 'referrals', 'MDI'))
    assert.ok(has('view', 'statistics', 'MDI'))
    assert.ok(has('create', 'api_access_token', mdiClient.clientId))
    assert.ok(has('refused', 'api_client', mdiClient.clientId, 'wrong secret'))
    assert.ok(has('refused', 'api_client', null, 'scope keywork.read'))
    // another establishment's prisoner, refused: audited as the attempt it was
    assert.ok(has('refused', 'prisoner', 'B1001AA', '"status":404'))
    assert.ok(has('refused', 'establishment', 'LEI', '"status":404'))
    assert.ok(!has('view', 'prisoner', 'B1001AA'))
    const view = events.find(e => e.action === 'view' && e.entity === 'prisoner' && e.entity_id === 'A1001AA')!
    assert.equal(view.establishment_id, est('MDI'))
  })

  it('audits the creation and the revocation of clients', async () => {
    const rows = await world.services.db.db
      .selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'api_client')
      .where('action', 'in', ['create', 'revoke'])
      .execute()
    assert.ok(rows.some(r => r.action === 'create' && r.entity_id === mdiClient.clientId))
    assert.ok(rows.some(r => r.action === 'revoke'))
  })

  it('never lets a signed-in session stand in for a token', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.get('/api/v1/establishments/MDI/allocations')
    assert.equal(res.status, 401)
  })
})
