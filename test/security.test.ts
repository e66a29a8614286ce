import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import pino from 'pino'
import supertest from 'supertest'
import { ROLES, type Role } from '../src/domain/roles'
import { isLocalPath } from '../src/features/auth/routes'
import { createApp, routeDefsOf } from '../src/app'
import type { Access } from '../src/web/routing'
import { Browser, PASSWORD } from './harness'
import { resolvePath, seededWorld, usernameFor } from './fixtures'

// Issue 11, points 4, 8 and 11: what the request log may hold, what a browser may cache, and which URLs name a record.

const world = await seededWorld()
after(() => world.close())
const own = world.seeded.MDI

/** The session cookie's value as the browser holds it, from a response that set it. */
function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const set = ([] as string[]).concat((res.headers['set-cookie'] as string[] | string | undefined) ?? [])
  const m = set.map(c => /^keywork\.sid=([^;]+)/.exec(c)).find(Boolean)
  assert.ok(m, `no session cookie set: ${JSON.stringify(set)}`)
  return m[1]!
}

describe('the request log', () => {
  const lines: string[] = []
  // the app as production builds it, request logging on, writing to a stream the test reads
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
      done()
    },
  })
  const s = world.services
  const app = createApp({
    ...s,
    config: { ...s.config, logLevel: 'info', logRequests: true },
    logger: pino({ level: 'info', base: { service: 'keywork' } }, sink),
  })
  const prisonNumber = own.prisonNumber
  let cookie = ''
  let csrfToken = ''

  before(async () => {
    const b = new Browser(app)
    const signIn = await b.signIn(usernameFor('ESTABLISHMENT_ADMIN'))
    assert.equal(signIn.status, 303)
    cookie = sessionCookie(signIn)
    for (const path of [
      '/',
      `/prisoners?q=${prisonNumber}&status=all`,
      `/prisoners?q=${prisonNumber.toLowerCase()}`,
      `/prisoners/${prisonNumber}`,
      `/prisoners/${prisonNumber.toLowerCase()}`,
      `/prisoners/${prisonNumber}/no-such-page?q=${prisonNumber}`,
    ]) {
      const res = await b.get(path).set('Authorization', 'Basic c2VjcmV0OnNlY3JldA==')
      assert.ok(res.status < 500, `${path} gave ${res.status}`)
    }
    csrfToken = await b.csrf(`/prisoners/${prisonNumber}/edit`)
    // a form post carries the CSRF token and the prison number in its body
    await b.agent.post(`/prisoners/${prisonNumber}/edit`).type('form').send({ _csrf: csrfToken, prisonNumber })
  })

  it('holds no session cookie, CSRF token or authorisation header', () => {
    const log = lines.join('\n')
    assert.ok(lines.length >= 8, `expected a line per request, got ${lines.length}`)
    const sid = decodeURIComponent(cookie).replace(/^s:/, '').split('.')[0]!
    for (const secret of [cookie, decodeURIComponent(cookie), sid, csrfToken, 'c2VjcmV0OnNlY3JldA=='])
      assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}…`)
    assert.doesNotMatch(log, /keywork\.sid/)
  })

  it('holds no prison number, in a path, a query or a form, in any case', () => {
    assert.ok(
      lines.some(l => l.includes('"url":"/prisoners')),
      'the prisoner pages were logged',
    )
    assert.doesNotMatch(lines.join('\n'), new RegExp(prisonNumber, 'i'))
  })

  it('still says, for each request, its id, method, route and status', () => {
    const entries = lines.map(l => JSON.parse(l) as Record<string, unknown>)
    const record = entries.find(e => (e.route as string | undefined) === '/prisoners/:prisonNumber')
    assert.ok(record, 'a line with the route pattern of the prisoner page')
    const req = record.req as Record<string, unknown>
    const res = record.res as Record<string, unknown>
    assert.equal(req.method, 'GET')
    assert.equal(req.url, '/prisoners/:prisonNumber')
    assert.match(String(req.id), /^[0-9a-f-]{36}$/)
    assert.equal(res.statusCode, 200)
    const search = entries.find(
      e => (e.req as Record<string, unknown>).url === '/prisoners?q=[redacted]&status=[redacted]',
    )
    assert.ok(search, 'the search is logged with its parameter names and no values')
    assert.equal(search.route, '/prisoners')
  })
})

function allows(access: Access, role: Role): boolean {
  return access === 'public' || access === 'signed-in' || access.includes(role)
}

describe('nothing personal is cached', () => {
  const browsers = new Map<Role, Browser>()
  before(async () => {
    for (const role of ROLES) {
      const b = new Browser(world.app)
      const res = await b.signIn(usernameFor(role))
      assert.equal(res.status, 303)
      if (role === 'NATIONAL_POLICY') await b.post('/establishment/switch', { establishment: 'MDI' }, '/')
      browsers.set(role, b)
    }
  })

  it('sends Cache-Control: no-store with every signed-in GET route, pages, PDFs, CSVs and the API alike', async () => {
    const kinds = new Set<string>()
    for (const def of routeDefsOf(world.app).filter(d => d.method === 'get')) {
      const role = ROLES.find(r => allows(def.access, r))!
      const path = resolvePath(def.path, own)
      const res = await browsers.get(role)!.get(path)
      const what = `GET ${path} as ${role} gave ${res.status}`
      assert.ok(res.status < 500, what)
      assert.equal(res.headers['cache-control'], 'no-store', what)
      kinds.add(String(res.headers['content-type'] ?? 'redirect').split(';')[0]!)
    }
    // the sample really holds each kind the issue names
    for (const kind of ['text/html', 'application/pdf', 'text/csv', 'application/json'])
      assert.ok(kinds.has(kind), `no ${kind} response among the GET routes: ${[...kinds].join(', ')}`)
  })

  it('names the PDFs, the CSV and the HSDS API explicitly, and a redirect after a form', async () => {
    const b = browsers.get('ESTABLISHMENT_ADMIN')!
    for (const path of [
      '/booklet.pdf',
      `/worksheets/${own.worksheetId}.pdf`,
      '/statistics.csv',
      '/api/hsds/services',
    ]) {
      const res = await b.get(path)
      assert.equal(res.status, 200, path)
      assert.equal(res.headers['cache-control'], 'no-store', path)
    }
    const redirect = await b.post('/account/password', {}, '/account/password')
    assert.equal(redirect.status, 303)
    assert.equal(redirect.headers['cache-control'], 'no-store')
  })

  it('lets static assets be cached', async () => {
    const res = await supertest(world.app).get('/static/app/app.css')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['cache-control']), /max-age=\d+/)
    assert.doesNotMatch(String(res.headers['cache-control']), /no-store/)
  })
})

describe('strict identifiers', () => {
  let b: Browser
  before(async () => {
    b = new Browser(world.app)
    assert.equal((await b.signIn(usernameFor('ESTABLISHMENT_ADMIN'))).status, 303)
  })

  // each of these is a way Number() reads the same id: the old code opened the record at every one of them
  const spellings = (n: number) => [
    `${n}e0`,
    `0x${n.toString(16)}`,
    `0b${n.toString(2)}`,
    `+${n}`,
    `0${n}`,
    `00${n}`,
    `%20${n}`,
    `${n}%20`,
    `${n}.0`,
    `${n}.`,
  ]

  for (const [route, id] of [
    ['/sessions/:id', () => own.sessionId],
    ['/staff/:id', () => own.staffId],
    ['/referrals/:id', () => own.referralId],
    ['/hubs/:id', () => own.hubId],
  ] as const) {
    it(`opens ${route} only at its digits: other spellings of the id are 404`, async () => {
      const n = id()
      const base = route.replace(':id', '')
      const good = await b.get(`${base}${n}`)
      assert.equal(good.status, 200, `${base}${n}`)
      for (const s of spellings(n)) {
        const res = await b.get(`${base}${s}`)
        assert.equal(res.status, 404, `${base}${s} gave ${res.status}`)
      }
    })
  }

  it('answers 404 for 1e3, 0x10 and ids beyond a safe integer', async () => {
    for (const s of ['1e3', '0x10', '0', '-1', '9007199254740993', '99999999999999999999']) {
      const res = await b.get(`/sessions/${s}`)
      assert.equal(res.status, 404, `/sessions/${s} gave ${res.status}`)
    }
  })
})

/** A GET sent as written, without a client's URL clean-up (a browser or curl can send these). */
async function rawGet(path: string): Promise<{ status: number; cookie: string }> {
  const server = world.app.listen(0, '127.0.0.1')
  await new Promise(resolve => server.once('listening', resolve))
  try {
    const { port } = server.address() as AddressInfo
    return await new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path }, res => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, cookie: sessionCookie(res) })
        })
        .on('error', reject)
    })
  } finally {
    server.close()
  }
}

describe('the sign-in return address', () => {
  /** Opens `path` signed out (which remembers it), then signs in: where does sign-in send the user? */
  async function returnAfterSignIn(path: string): Promise<string> {
    const first = await rawGet(path)
    assert.equal(first.status, 303, `GET ${JSON.stringify(path)} signed out`)
    const agent = supertest.agent(world.app)
    const cookie = `keywork.sid=${first.cookie}`
    const page = await agent.get('/sign-in').set('Cookie', cookie)
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!
    const res = await agent
      .post('/sign-in')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf, username: usernameFor('KEY_WORKER'), password: PASSWORD })
    assert.equal(res.status, 303)
    return String(res.headers.location)
  }

  it('returns to a page of this service', async () => {
    assert.equal(await returnAfterSignIn(`/prisoners?q=Nowak`), '/prisoners?q=Nowak')
    assert.equal(await returnAfterSignIn(`/sessions/${own.sessionId}`), `/sessions/${own.sessionId}`)
  })

  it('goes home instead of to another site', async () => {
    for (const evil of ['/\\evil.example', '/\\/evil.example', '//evil.example', 'https://evil.example/'])
      assert.equal(await returnAfterSignIn(evil), '/', JSON.stringify(evil))
  })

  it('accepts only a path of this service, whatever HTTP could carry', () => {
    // percent-encoded, a tab or slash stays in the path: the browser does not decode it into a host
    for (const good of ['/', '/prisoners?q=Nowak', '/sessions/5/edit', '/directory?q=a%2F%2Fb', '/%09/evil'])
      assert.equal(isLocalPath(good), true, good)
    for (const bad of [
      '/\\evil.example',
      '//evil.example',
      '/\\/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/\tevil',
      '/\t/evil.example',
      '/\n/evil.example',
      '/ok\\..\\x',
      '/\u007f',
      '',
      'evil.example',
    ])
      assert.equal(isLocalPath(bad), false, JSON.stringify(bad))
  })
})
