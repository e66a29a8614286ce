import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import type { Response } from 'supertest'
import { ROLES, type Role } from '../src/domain/roles'
import { routeDefsOf } from '../src/app'
import type { Access, RouteDef } from '../src/web/routing'
import { Browser, createUser } from './harness'
import { type Code, type Seeded, hasParams, resolvePath, seededWorld, usernameFor } from './fixtures'
import { ACCESS_TABLE, tableAccess, tableAllows } from './accessTable'

// The route x role access matrix. Every route registered on the app must carry an access rule (a RouteDef), that
// rule must be the one written by hand in test/accessTable.ts, and the table must hold: for each role, acting in its
// own establishment (MDI), and with the route's parameters pointing at MDI's records and at another establishment's
// (LEI's) records; and for a user who holds different roles in two establishments, acting in each in turn.

/**
 * Mounted outside the RouteDef list on purpose, before sessions: load balancers call /ping and /health without one,
 * and the status page for people must answer when the database (which holds the sessions) does not.
 */
const PUBLIC_BY_DESIGN = new Set(['GET /ping', 'GET /health', 'GET /status'])

const world = await seededWorld()
after(() => world.close())
const app = world.app
const defs = routeDefsOf(app)
const own = world.seeded.MDI
const other = world.seeded.LEI

const label = (d: { method: string; path: string }) => `${d.method.toUpperCase()} ${d.path}`

/** A Key Worker in MDI who is an establishment admin in LEI: only the roles of the establishment acted in count. */
const MIXED = 'mixed.roles'
await createUser(world.services, MIXED, [
  { role: 'KEY_WORKER', establishmentId: own.establishmentId },
  { role: 'ESTABLISHMENT_ADMIN', establishmentId: other.establishmentId },
])
const NAMES: Record<Code, RegExp> = { MDI: /Moorland \(HMP\) \(MDI\)/, LEI: /Leeds \(HMP\) \(LEI\)/ }

interface Layer {
  route?: { path: string; methods: Record<string, boolean> }
  handle?: { stack?: unknown }
  name?: string
}

describe('every route has an access rule', () => {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack

  it('mounts routes only on the app itself, never in a nested router the matrix cannot see', () => {
    const routers = stack.filter(l => !l.route && Array.isArray(l.handle?.stack))
    assert.deepEqual(
      routers.map(l => l.name),
      [],
      'mount every route as a RouteDef in src/routes.ts, not through express.Router()',
    )
  })

  it('has a RouteDef for every route Express will answer', () => {
    const registered = stack.flatMap(l =>
      l.route ? Object.keys(l.route.methods).map(m => `${m.toUpperCase()} ${l.route!.path}`) : [],
    )
    const declared = new Set(defs.map(label))
    const missing = registered.filter(r => !declared.has(r) && !PUBLIC_BY_DESIGN.has(r))
    assert.deepEqual(missing, [], `routes without a RouteDef (add them to src/routes.ts with an access rule)`)
    for (const d of defs) assert.ok(registered.includes(label(d)), `${label(d)} is declared but not mounted`)
  })

  it('declares each method and path once, so no rule is shadowed by another', () => {
    const seen = new Map<string, number>()
    for (const d of defs) seen.set(label(d), (seen.get(label(d)) ?? 0) + 1)
    assert.deepEqual(
      [...seen].filter(([, n]) => n > 1).map(([k]) => k),
      [],
    )
  })

  it('gives every route exactly the roles of the hand-written access table (test/accessTable.ts)', () => {
    const wrong = defs
      .filter(d => ACCESS_TABLE[label(d)] !== undefined)
      .filter(d => {
        const a = d.access
        const code = a === 'public' || a === 'signed-in' ? a : [...a].sort()
        return JSON.stringify(code) !== JSON.stringify(tableAccess(label(d)))
      })
      .map(d => `${label(d)}: the code says ${JSON.stringify(d.access)}, the table ${ACCESS_TABLE[label(d)]}`)
    assert.deepEqual(wrong, [], 'change the route or the table, deliberately')
    const missing = defs.filter(d => ACCESS_TABLE[label(d)] === undefined).map(label)
    assert.deepEqual(missing, [], 'routes missing from test/accessTable.ts')
    const declared = new Set(defs.map(label))
    const stale = Object.keys(ACCESS_TABLE).filter(k => !declared.has(k))
    assert.deepEqual(stale, [], 'rows of test/accessTable.ts for routes that no longer exist')
  })

  it('gives every route a rule that someone can pass', () => {
    for (const d of defs) {
      const a: Access = d.access
      if (a === 'public' || a === 'signed-in') continue
      assert.ok(Array.isArray(a) && a.length > 0, `${label(d)} allows no role`)
      for (const r of a) assert.ok((ROLES as readonly string[]).includes(r), `${label(d)}: unknown role ${r}`)
    }
  })

  it('can fill in every route parameter (extend test/fixtures.ts PARAM_VALUES for new ones)', () => {
    for (const d of defs) assert.doesNotThrow(() => resolvePath(d.path, own), label(d))
  })
})

/** Whether the hand-written table lets `role` (null: signed out) use the route. */
const allows = (def: RouteDef, role: Role | null) => tableAllows(label(def), role)

/**
 * A signed-in (or signed-out) browser, acting in `code` (MDI unless said), that signs in again if a route signs it
 * out. `role` is the role it holds there, whose column of the table it is checked against.
 */
class Actor {
  browser = new Browser(app)
  private token: string | undefined

  constructor(
    readonly role: Role | null,
    readonly username: string | null = role ? usernameFor(role) : null,
    readonly code: Code = 'MDI',
  ) {}

  async start() {
    this.browser = new Browser(app)
    this.token = undefined
    if (!this.role || !this.username) return
    const res = await this.browser.signIn(this.username)
    assert.equal(res.status, 303, `sign-in as ${this.username}`)
    assert.notEqual(res.headers.location, '/sign-in', `sign-in as ${this.username}`)
    if (this.role === 'NATIONAL_POLICY' || this.username === MIXED) {
      // national users act in whichever establishment is active, and so do users of several: make it this one
      const sw = await this.browser.post('/establishment/switch', { establishment: this.code }, '/')
      assert.equal(sw.status, 303)
    }
    const home = await this.browser.get('/')
    assert.equal(home.status, 200)
    assert.match(home.text, NAMES[this.code], `${this.username} should be acting in ${this.code}`)
  }

  async csrf(): Promise<string> {
    this.token ??= await this.browser.csrf(this.role ? '/' : '/sign-in')
    return this.token
  }

  /** GET, or POST an empty form (multipart with no file for uploads) with a valid CSRF token. */
  async send(def: RouteDef, path: string): Promise<Response> {
    const agent = this.browser.agent
    if (def.method === 'get') return agent.get(path).set('Accept', 'text/html')
    const _csrf = await this.csrf()
    if (def.upload) return agent.post(path).set('Accept', 'text/html').field('_csrf', _csrf)
    return agent.post(path).set('Accept', 'text/html').type('form').send({ _csrf })
  }
}

const where = (res: Response) => `${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}`

interface Subject {
  title: string
  actor: Actor
  /** the establishment acted in, and another one */
  own: Seeded
  other: Seeded
  /** routes the role may use, but not on the seeded record, which is not theirs: 404 */
  notTheirs?: ReadonlySet<string>
}

/**
 * The API for other services (features/apiV1) takes a client's bearer token only, never a session: without one, a
 * 401 in JSON (problem details), signed in or not, whatever the establishment (apiV1.test.ts checks its establishment
 * rule with tokens). Its OpenAPI document is public.
 */
const isApiV1 = (path: string) => path.startsWith('/api/v1/')
const API_V1_DOCUMENT = '/api/v1/openapi.json'
/**
 * The HSDS API answers for itself (features/directory/hsds/api.ts): signed out, and without an API token, a JSON 401,
 * never the sign-in page. Its taxonomies are shared by every establishment, so another establishment's is theirs too.
 */
const isApi = (path: string) => path === '/api/hsds' || path.startsWith('/api/hsds/') || isXapi(path)
/**
 * The xAPI statements (features/trainingRecords) take an establishment's xAPI token only, never a session: a JSON
 * 401 signed in or not, without one.
 */
const isXapi = (path: string) => path === '/api/xapi/statements' || isHmppsEvents(path)
/** The HMPPS events (features/hmppsSync) take the events secret only, never a session: the same. */
const isHmppsEvents = (path: string) => path === '/api/hmpps/events'
const SHARED_RECORDS = new Set([
  // bulletins are national: everyone a bulletin is for reads it and marks it read, whichever establishment (issue 17)
  'GET /bulletins/:bulletinId',
  'POST /bulletins/:bulletinId/read',
  'GET /api/hsds/taxonomies/:taxonomyId',
  'GET /api/hsds/taxonomy_terms/:taxonomyTermId',
  // the good-practice library is national: every establishment reads every published item
  'GET /good-practice/:goodPracticeId',
  // survey rounds are national: each reader sees the results their role allows (their own establishment's, for SOs)
  'GET /survey/rounds/:roundId',
  // trials are national: whoever may read a report reads it, whichever establishment they act in (issue 17)
  'GET /trials/:trialId',
  'GET /trials/:trialId/report.pdf',
])

/** The national team decides nominations to the library from every establishment, whichever it acts in. */
const NATIONAL_RECORDS = new Set([
  'GET /good-practice/nominations/:nominationId',
  'POST /good-practice/nominations/:nominationId',
  // good practice submitted from every establishment, and questions from every establishment (issue 17)
  'GET /good-practice/submissions/:submissionId',
  'POST /good-practice/submissions/:submissionId',
  'GET /questions/:questionId',
  'POST /questions/:questionId',
  // a national survey round, closed or reworded by the national team (an empty form is sent back with its error)
  'POST /survey/rounds/:roundId/close',
  'GET /survey/rounds/:roundId/edit',
  'POST /survey/rounds/:roundId/edit',
  // a national trial, changed by the national team (an empty form is sent back with its errors)
  'GET /trials/:trialId/edit',
  'POST /trials/:trialId/edit',
  // a subject access request reads a man's records in every establishment (issue 18)
  'GET /data-protection/subject-access/:prisonNumber',
  'GET /data-protection/subject-access/:prisonNumber/sar.json',
  'GET /data-protection/subject-access/:prisonNumber/sar.pdf',
  // the national team sees and retries the case notes of every establishment (issue 18)
  'POST /case-notes/:outboxId/retry',
])

/** Only its author, a Supervising Officer or an admin amends an entry; the seeded one is key_worker.mdi's. */
const AUTHOR_ONLY = new Set(['GET /sessions/:sessionId/amend', 'POST /sessions/:sessionId/amend'])

/** A reflective journal entry is its writer's alone (shared, its SOs read it); the seeded one is key_worker.mdi's. */
const WRITER_ONLY = new Set([
  'GET /journal/:entryId',
  'GET /journal/:entryId/edit',
  'POST /journal/:entryId/edit',
  'POST /journal/:entryId/sharing',
  'GET /journal/:entryId/delete',
  'POST /journal/:entryId/delete',
])

/** Only his Key Worker (or an SO or admin) prepares or withdraws his transfer handover; key_worker.mdi is not his. */
const HIS_KEY_WORKER_ONLY = new Set([
  'GET /prisoners/:prisonNumber/handover/prepare',
  'POST /prisoners/:prisonNumber/handover/prepare',
  'POST /prisoners/:prisonNumber/handover/withdraw',
])

/** An officer's certificate is theirs (and their SOs', admins' and the national team's): key_worker.mdi holds none. */
const HOLDER_ONLY = new Set(['GET /training/certificates/:certificateId'])

/**
 * Recruitment campaigns are national: the national team runs every one, whichever establishment it acts in. Only a
 * candidate's two assessors score it and only its moderator moderates: the seeded candidates' assessors are their
 * establishment's SO and admin users, their moderator the national user (test/support/recruitment.ts); anyone else: 404.
 */
const RECRUITMENT_NATIONAL = new Set([
  'GET /recruitment/:campaignId',
  'GET /recruitment/:campaignId/questions/new',
  'POST /recruitment/:campaignId/questions/new',
  'POST /recruitment/:campaignId/questions/remove',
  'GET /recruitment/:campaignId/candidates/new',
  'POST /recruitment/:campaignId/candidates/new',
  'GET /recruitment/:campaignId/candidates/:candidateId',
  'POST /recruitment/:campaignId/candidates/:candidateId',
  'GET /recruitment/:campaignId/results',
  'GET /recruitment/:campaignId/moderation',
  'POST /recruitment/:campaignId/moderation',
])
const ASSESSORS_ONLY = new Set([
  'GET /recruitment/:campaignId/candidates/:candidateId/score',
  'POST /recruitment/:campaignId/candidates/:candidateId/score',
])
const MODERATOR_ONLY = new Set(['GET /recruitment/:campaignId/moderation', 'POST /recruitment/:campaignId/moderation'])

const subjects: Subject[] = [
  ...([null, ...ROLES] as const).map(role => ({
    title: role ?? 'signed out',
    actor: new Actor(role),
    own,
    other,
    notTheirs:
      role === 'KEY_WORKER'
        ? new Set([...HOLDER_ONLY, ...HIS_KEY_WORKER_ONLY])
        : role === 'NATIONAL_POLICY'
          ? ASSESSORS_ONLY
          : role === 'SUPERVISING_OFFICER' || role === 'ESTABLISHMENT_ADMIN'
            ? MODERATOR_ONLY
            : undefined,
  })),
  {
    title: 'a Key Worker in MDI who is an admin in LEI, acting in MDI',
    actor: new Actor('KEY_WORKER', MIXED, 'MDI'),
    own,
    other,
    notTheirs: new Set([...AUTHOR_ONLY, ...WRITER_ONLY, ...HOLDER_ONLY, ...HIS_KEY_WORKER_ONLY]),
  },
  {
    title: 'a Key Worker in MDI who is an admin in LEI, acting in LEI',
    actor: new Actor('ESTABLISHMENT_ADMIN', MIXED, 'LEI'),
    own: other,
    other: own,
    // assigned to no candidate
    notTheirs: new Set([...ASSESSORS_ONLY, ...MODERATOR_ONLY]),
  },
]

for (const { title, actor, own, other, notTheirs } of subjects) {
  const role = actor.role
  describe(`access as ${title}`, () => {
    before(() => actor.start())

    for (const def of defs) {
      const allowed = allows(def, role)
      const ownPath = resolvePath(def.path, own)
      const notTheir = allowed && !!notTheirs?.has(label(def))
      const tokenOnly = (!role || isXapi(def.path)) && isApi(def.path)
      const apiV1 = isApiV1(def.path)
      const expect = apiV1
        ? def.path === API_V1_DOCUMENT
          ? 'public JSON'
          : '401 JSON, a client token only'
        : tokenOnly
          ? '401 JSON'
          : !role && !allowed
            ? 'sign-in'
            : notTheir
              ? '404, not their record'
              : allowed
                ? 'allowed'
                : '403'

      it(`${label(def)}: ${expect}`, async () => {
        const res = await actor.send(def, ownPath)
        const what = `${label(def)} as ${title} gave ${where(res)}`

        if (apiV1) {
          // the token endpoint, sent no grant_type: 400 invalid_request (RFC 6749 §5.2)
          assert.equal(res.status, def.path === API_V1_DOCUMENT ? 200 : def.method === 'post' ? 400 : 401, what)
          assert.match(String(res.headers['content-type']), /^application\/(problem\+)?json/, what)
        } else if (tokenOnly) {
          assert.equal(res.status, 401, what)
          assert.match(String(res.headers['content-type']), /^application\/json/, what)
          assert.equal((res.body as { status?: unknown }).status, 401, what)
        } else if (!role && !allowed) {
          assert.equal(res.status, 303, what)
          assert.equal(res.headers.location, '/sign-in', what)
        } else if (!allowed) {
          assert.equal(res.status, 403, what)
        } else if (notTheir) {
          assert.equal(res.status, 404, what)
        } else if (def.method === 'get') {
          assert.ok(res.status === 200 || res.status === 303 || res.status === 302, what)
          if (role && res.status !== 200)
            assert.notEqual(res.headers.location, '/sign-in', `${what}: signed in, but sent to sign in`)
        } else if (def.upload && res.status === 422) {
          // a file cannot survive a redirect, so upload forms may show their errors in place
          assert.match(res.text, /There is a problem/, `${what}: the form should show its error summary`)
        } else {
          // an empty form: redirected back with errors (or, for forms with nothing to fill in, done)
          assert.equal(res.status, 303, what)
          const location = String(res.headers.location ?? '')
          assert.ok(location.startsWith('/') && !location.startsWith('//'), `${what}: redirect to a local page`)
          if (role && location === '/sign-in' && def.path !== '/sign-in' && def.path !== '/sign-out')
            assert.fail(`${what}: signed in, but sent to sign in`)
          if (role && def.path === '/sign-out') return actor.start()
          const next = await actor.browser.get(location).set('Accept', 'text/html')
          assert.ok(next.status < 400, `${what}, then GET ${location} gave ${where(next)}`)
          if (location === ownPath && next.status === 200)
            assert.match(next.text, /There is a problem/, `${what}: the form should show its error summary`)
        }
      })

      if (hasParams(def.path) && role && !apiV1) {
        const otherPath = resolvePath(def.path, other)
        const shared = SHARED_RECORDS.has(label(def))
        const national =
          role === 'NATIONAL_POLICY' && (NATIONAL_RECORDS.has(label(def)) || RECRUITMENT_NATIONAL.has(label(def)))
        // the national team's: read (200), or an empty form sent back with its errors (303)
        // a shared record too: read (200), or its form done or sent back (303)
        const status = !allowed ? 403 : shared || national ? (def.method === 'get' ? 200 : 303) : 404
        it(`${label(def)} with another establishment’s record: ${status}`, async () => {
          const res = await actor.send(def, otherPath)
          assert.equal(res.status, status, `${def.method.toUpperCase()} ${otherPath} gave ${where(res)}`)
        })
      }
      if (hasParams(def.path) && !role && !allowed) {
        it(`${label(def)} with another establishment’s record: sign-in`, async () => {
          const res = await actor.send(def, resolvePath(def.path, other))
          assert.equal(res.status, 303)
          assert.equal(res.headers.location, '/sign-in')
        })
      }
    }
  })
}

// CSRF on every state-changing request, whatever its content type (issue 11, point 2). Every POST route, for every
// role and signed out, is sent without a CSRF token as multipart, as a urlencoded form, as JSON and with no body, and
// (non-upload routes) as multipart with a valid token, which only upload routes parse: each is refused before any
// handler runs, and nothing changes.

/**
 * Every table's rows, hashed per table. Left out: the HTTP session store (each request may touch its expiry; that a
 * refused request changes no session is checked by the actor still being signed in, in MDI, afterwards), and refused
 * attempts in the audit trail (recording them is the point of another rule), with the audit head that follows them.
 */
async function fingerprint(): Promise<Map<string, string>> {
  const { db, dialect } = world.services.db
  const tables =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
          .execute(db)
          .then(r => r.rows.map(t => t.name))
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`
          .execute(db)
          .then(r => r.rows.map(t => t.name))
  const prints = await Promise.all(
    tables
      .filter(t => t !== 'web_sessions' && t !== 'audit_chains')
      .map(async t => {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db)
        const kept = rows.rows.filter(r => t !== 'audit_events' || r.action !== 'refused')
        const lines = kept.map(r => JSON.stringify(r)).sort()
        return [t, crypto.createHash('sha256').update(lines.join('\n')).digest('hex')] as const
      }),
  )
  return new Map(prints)
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(t => before.get(t) !== after.get(t))
}

interface Attempt {
  name: string
  send: (agent: Actor['browser']['agent'], path: string) => Promise<Response>
}

const uploadField = (def: RouteDef) => def.upload ?? def.ownUpload

const attempts = (def: RouteDef, actor: Actor): Attempt[] => [
  {
    name: 'multipart without a token',
    send: (agent, path) => {
      const req = agent.post(path).set('Accept', 'text/html').field('name', 'x')
      const field = uploadField(def)
      return field ? req.attach(field, Buffer.from('prisonNumber\nA1234BC\n'), 'upload.csv') : req
    },
  },
  ...(uploadField(def)
    ? []
    : [
        {
          name: 'multipart with a valid token',
          send: async (agent: Actor['browser']['agent'], path: string) => {
            const _csrf = await actor.csrf()
            return agent.post(path).set('Accept', 'text/html').field('_csrf', _csrf).field('name', 'x')
          },
        },
      ]),
  {
    name: 'a urlencoded form without a token',
    send: (agent, path) => agent.post(path).set('Accept', 'text/html').type('form').send({ name: 'x' }),
  },
  {
    name: 'JSON without a token',
    send: (agent, path) => agent.post(path).set('Accept', 'text/html').type('json').send({ name: 'x' }),
  },
  { name: 'no body', send: (agent, path) => agent.post(path).set('Accept', 'text/html') },
]

for (const role of [null, ...ROLES] as const) {
  describe(`CSRF as ${role ?? 'signed out'}`, () => {
    const actor = new Actor(role)
    let print = new Map<string, string>()
    before(async () => {
      await actor.start()
      print = await fingerprint()
    })

    for (const def of defs.filter(d => d.method === 'post')) {
      const path = resolvePath(def.path, own)
      const allowed = allows(def, role)
      it(`${label(def)}: refused without a valid token, and nothing changes`, async () => {
        for (const attempt of attempts(def, actor)) {
          const res = await attempt.send(actor.browser.agent, path)
          const what = `${label(def)} as ${role ?? 'signed out'}, ${attempt.name}, gave ${where(res)}`
          if (!role && !allowed) {
            assert.equal(res.status, 303, what)
            assert.equal(res.headers.location, '/sign-in', what)
          } else if (!allowed) assert.equal(res.status, 403, what)
          // signed out, the token endpoint of /api/v1 takes no CSRF token: without a grant_type, RFC 6749's 400
          else if (!role && isApiV1(def.path) && !attempt.name.startsWith('multipart'))
            assert.equal(res.status, 400, what)
          // signed out, an API that answers for itself takes no CSRF token: without its bearer token, a 401
          else if (!role && isApi(def.path) && !attempt.name.startsWith('multipart'))
            assert.equal(res.status, 401, what)
          else if (attempt.name.startsWith('multipart') && !uploadField(def)) assert.equal(res.status, 415, what)
          else assert.equal(res.status, 403, what)
        }
        const now = await fingerprint()
        const changed = changedTables(print, now)
        print = now
        assert.deepEqual(changed, [], `${label(def)} as ${role ?? 'signed out'} changed these tables`)
      })
    }

    if (role)
      it('is still signed in, acting in MDI', async () => {
        const home = await actor.browser.get('/').set('Accept', 'text/html')
        assert.equal(home.status, 200, `GET / gave ${where(home)}`)
        assert.match(home.text, /Moorland \(HMP\) \(MDI\)/)
      })
  })
}
