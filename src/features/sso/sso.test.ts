import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import { type World, testWorld } from '../../../test/harness'
import type { OidcConfig } from '../../config'
import { ssoService } from './service'

/**
 * Single sign-on end to end: a local OpenID provider (oidc-provider, its development login and consent pages) on the
 * loopback, the keywork app on another port, and real HTTP between them (fetch, manual redirects, a cookie jar per
 * origin), as a browser would go.
 */

interface Account {
  preferred_username: string
  name: string
  authorities?: string[]
  caseloads?: string[]
}
const ACCOUNTS: Record<string, Account> = {
  // an existing keywork user (testWorld's Key Worker at MDI), no role claims
  'sub-kw': { preferred_username: 'key_worker.mdi', name: 'Kay Worker' },
  // an existing user whose claims make them a Key Worker in MDI and LEI (and name an establishment keywork lacks)
  'sub-so': {
    preferred_username: 'supervising_officer.mdi',
    name: 'Sue Officer',
    authorities: ['ROLE_KEY_WORKER', 'ROLE_GLOBAL_SEARCH'],
    caseloads: ['MDI', 'LEI', 'XYZ'],
  },
  // unknown to keywork; the claims give a role in LEI
  'sub-new': {
    preferred_username: 'new.officer',
    name: 'New Officer',
    authorities: ['ROLE_SUPERVISING_OFFICER'],
    caseloads: ['LEI'],
  },
  // unknown to keywork; no role claims
  'sub-stranger': { preferred_username: 'stranger', name: 'A Stranger' },
  // an existing keywork user, disabled below
  'sub-disabled': { preferred_username: 'key_worker.lei', name: 'Gone Away' },
}

let world: World & { close(): Promise<void> }
let appServer: http.Server
let opServer: http.Server
let app: string
let issuer: string
let base: OidcConfig

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Rebuilds the app's single sign-on with these settings (the handlers read services.sso on every request). */
function configure(extra: Partial<OidcConfig>, localPasswords = true) {
  const settings = { ...base, ...extra }
  world.services.config = { ...world.services.config, oidc: settings, localPasswords }
  world.services.sso = ssoService(world.services.db.db, world.services.audit, settings)
}

before(async () => {
  world = await testWorld()
  appServer = http.createServer(world.app)
  app = await listen(appServer)
  let handler: http.RequestListener = (_req, res) => res.end()
  opServer = http.createServer((req, res) => handler(req, res))
  issuer = await listen(opServer)
  // ESM only, and without types of its own: loaded when the test runs, typed by what the test uses
  const { default: Provider } = (await import('oidc-provider' as string)) as {
    default: new (issuer: string, config: object) => { callback(): http.RequestListener }
  }
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'keywork',
        client_secret: 'a-secret-for-the-test-provider',
        redirect_uris: [`${app}/sign-in/oidc/callback`],
        post_logout_redirect_uris: [`${app}/sign-in`],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      keywork: ['authorities', 'caseloads'],
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
    findAccount: (_ctx: unknown, id: string) => {
      const account = ACCOUNTS[id]
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined
    },
  })
  handler = provider.callback()
  base = {
    issuerUrl: issuer,
    clientId: 'keywork',
    clientSecret: 'a-secret-for-the-test-provider',
    redirectUrl: `${app}/sign-in/oidc/callback`,
    postLogoutRedirectUrl: `${app}/sign-in`,
    scopes: 'openid profile keywork',
    providerName: 'Test Auth',
    usernameClaim: 'preferred_username',
  }
  configure({})
})

after(async () => {
  appServer.closeAllConnections()
  opServer.closeAllConnections()
  await new Promise(r => appServer.close(r))
  await new Promise(r => opServer.close(r))
  await world.close()
})

/** A browser: cookies per origin (path and expiry attributes ignored but for removal), redirects followed by hand. */
class Client {
  jar = new Map<string, Map<string, string>>()

  cookies(url: string) {
    const origin = new URL(url).origin
    if (!this.jar.has(origin)) this.jar.set(origin, new Map())
    return this.jar.get(origin)!
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const jar = this.cookies(url)
    const headers = new Headers(init.headers)
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const at = pair!.indexOf('=')
      const name = pair!.slice(0, at).trim()
      const value = pair!.slice(at + 1).trim()
      const expired = attrs.some(a => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now())
      if (!value || expired) jar.delete(name)
      else jar.set(name, value)
    }
    return res
  }

  /** Follows redirects from url until a page that is not a redirect; returns it and the URL it came from. */
  async follow(url: string, init?: RequestInit): Promise<{ res: Response; url: string; trail: string[] }> {
    const trail: string[] = []
    let res = await this.fetch(url, init)
    while (res.status >= 300 && res.status < 400) {
      await res.text()
      url = new URL(res.headers.get('location')!, url).href
      trail.push(url)
      res = await this.fetch(url)
    }
    return { res, url, trail }
  }

  /** Goes through the provider's login (as `sub`) and consent pages; returns the app's answer to the callback. */
  async signInAs(sub: string) {
    const first = await this.follow(`${app}/sign-in/oidc`)
    let { res, url } = first
    const { trail } = first
    for (let step = 0; step < 4 && url.startsWith(issuer); step++) {
      const page = await res.text()
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1]
      assert.ok(prompt, `a provider page with a form at ${url}: ${page.slice(0, 200)}`)
      const body = new URLSearchParams(prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt })
      const next = await this.follow(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      ;({ res, url } = next)
      trail.push(...next.trail)
    }
    return { res, url, trail, text: await res.text() }
  }

  async signedInAs(): Promise<string | null> {
    const res = await this.fetch(`${app}/account/password`)
    await res.text()
    return res.status === 200 ? 'signed in' : null
  }
}

const userNamed = (username: string) =>
  world.services.db.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()

async function grantsOf(userId: number) {
  const rows = await world.services.db.db
    .selectFrom('user_roles')
    .select(['role', 'establishment_id'])
    .where('user_id', '=', userId)
    .orderBy('establishment_id')
    .orderBy('role')
    .execute()
  return rows.map(r => `${r.role}@${r.establishment_id ?? 'national'}`)
}

const failures = async (reason: string) =>
  (
    await world.services.db.db
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'sign-in-failed')
      .execute()
  ).filter(r => String(r.changes).includes(`"reason":"${reason}"`)).length

test('the sign-in page offers the provider beside the password form', async () => {
  const c = new Client()
  const page = await (await c.fetch(`${app}/sign-in`)).text()
  assert.match(page, /Sign in with Test Auth/)
  assert.match(page, /href="\/sign-in\/oidc"/)
  assert.match(page, /name="password"/)
})

test('keywork roles: signs in through the provider, subject stored, session regenerated, roles unchanged', async () => {
  const c = new Client()
  await (await c.fetch(`${app}/sign-in`)).text()
  const before = c.cookies(app).get('keywork.sid')
  assert.ok(before, 'a session before sign-in')
  const user = (await userNamed('key_worker.mdi'))!
  const grantsBefore = await grantsOf(user.id)
  const { res, url, trail } = await c.signInAs('sub-kw')
  assert.ok(url.startsWith(app), 'back at keywork')
  assert.ok(
    trail.some(u => u.startsWith(`${issuer}/auth?`) && /code_challenge_method=S256/.test(u) && /nonce=/.test(u)),
    'PKCE (S256), state and nonce sent to the provider',
  )
  assert.equal(res.status, 200, 'the home page')
  assert.notEqual(c.cookies(app).get('keywork.sid'), before, 'a new session id at sign-in')
  assert.equal(await c.signedInAs(), 'signed in')
  assert.equal((await userNamed('key_worker.mdi'))!.oidc_subject, 'sub-kw')
  // no roles claim configured: keywork's own roles, as they were (KEY_WORKER at MDI)
  assert.deepEqual(await grantsOf(user.id), grantsBefore)
  assert.deepEqual(grantsBefore, [`KEY_WORKER@${world.est.MDI}`])
  const session = await world.services.db.db
    .selectFrom('web_sessions')
    .select('data')
    .where('user_id', '=', user.id)
    .executeTakeFirstOrThrow()
  assert.equal(JSON.parse(session.data).establishmentId, world.est.MDI)
})

test('roles and establishments from claims: replaced for a known user, a new user created', async () => {
  configure({ rolesClaim: 'authorities', establishmentsClaim: 'caseloads' })
  try {
    const so = (await userNamed('supervising_officer.mdi'))!
    assert.deepEqual(await grantsOf(so.id), [`SUPERVISING_OFFICER@${world.est.MDI}`])
    const c = new Client()
    const r = await c.signInAs('sub-so')
    assert.equal(r.res.status, 200)
    // ROLE_KEY_WORKER in MDI and LEI (XYZ unknown, ROLE_GLOBAL_SEARCH not a keywork role); the SO role is gone
    const expected = [`KEY_WORKER@${world.est.MDI}`, `KEY_WORKER@${world.est.LEI}`].sort(
      (a, b) => Number(a.split('@')[1]) - Number(b.split('@')[1]),
    )
    assert.deepEqual(await grantsOf(so.id), expected)

    const users = await world.services.db.db.selectFrom('users').select('id').execute()
    const n = new Client()
    const created = await n.signInAs('sub-new')
    assert.equal(created.res.status, 200)
    const fresh = (await userNamed('new.officer'))!
    assert.equal(fresh.display_name, 'New Officer')
    assert.equal(fresh.oidc_subject, 'sub-new')
    assert.equal(fresh.password_hash, null)
    assert.deepEqual(await grantsOf(fresh.id), [`SUPERVISING_OFFICER@${world.est.LEI}`])
    assert.equal((await world.services.db.db.selectFrom('users').select('id').execute()).length, users.length + 1)
  } finally {
    configure({})
  }
})

test('an unknown user without role claims is refused, nothing created', async () => {
  const count = (await world.services.db.db.selectFrom('users').select('id').execute()).length
  const failed = await failures('unknown')
  const c = new Client()
  const r = await c.signInAs('sub-stranger')
  assert.equal(r.res.status, 403)
  assert.match(r.text, /You do not have a Key Work account/)
  assert.equal((await world.services.db.db.selectFrom('users').select('id').execute()).length, count)
  assert.equal(await failures('unknown'), failed + 1)
  assert.equal(await c.signedInAs(), null)
})

test('a disabled user is refused with a clear page, and audited', async () => {
  const u = (await userNamed('key_worker.lei'))!
  await world.services.db.db.updateTable('users').set({ enabled: 0 }).where('id', '=', u.id).execute()
  const failed = await failures('disabled')
  const c = new Client()
  const r = await c.signInAs('sub-disabled')
  assert.equal(r.res.status, 403)
  assert.match(r.text, /Your Key Work account has been disabled/)
  assert.equal(await failures('disabled'), failed + 1)
  assert.equal(await c.signedInAs(), null)
})

test('a tampered state is refused', async () => {
  const c = new Client()
  // to the provider and through its pages, stopping at the redirect back to keywork
  let res = await c.fetch(`${app}/sign-in/oidc`)
  let url = new URL(res.headers.get('location')!, app).href
  for (let i = 0; i < 12 && !url.startsWith(app); i++) {
    res = await c.fetch(url)
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href
      continue
    }
    const prompt = /name="prompt" value="(\w+)"/.exec(await res.text())![1]!
    res = await c.fetch(url, {
      method: 'POST',
      body: new URLSearchParams(prompt === 'login' ? { prompt, login: 'sub-kw', password: 'any' } : { prompt }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    url = new URL(res.headers.get('location')!, url).href
  }
  const callback = new URL(url)
  assert.equal(callback.pathname, '/sign-in/oidc/callback')
  assert.ok(callback.searchParams.get('code'), 'a code from the provider')
  callback.searchParams.set('state', 'not-the-state-keywork-sent')
  const failed = await failures('failed')
  const answer = await c.fetch(callback.href)
  assert.equal(answer.status, 403)
  assert.match(await answer.text(), /could not be completed/)
  assert.equal(await failures('failed'), failed + 1)
  assert.equal(await c.signedInAs(), null)
})

test('sign-out ends the keywork session and goes to the provider end-session with the ID token', async () => {
  const c = new Client()
  assert.equal((await c.signInAs('sub-kw')).res.status, 200)
  const page = await (await c.fetch(`${app}/account/password`)).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!
  const out = await c.fetch(`${app}/sign-out`, {
    method: 'POST',
    body: new URLSearchParams({ _csrf: csrf }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  assert.equal(out.status, 303)
  const end = new URL(out.headers.get('location')!)
  assert.equal(`${end.origin}${end.pathname}`, `${issuer}/session/end`)
  assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${app}/sign-in`)
  const hint = end.searchParams.get('id_token_hint')!
  const payload = JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString())
  assert.equal(payload.sub, 'sub-kw')
  assert.equal(payload.aud, 'keywork')
  // the provider accepts it: its sign-out confirmation page
  const confirm = await c.fetch(end.href)
  assert.equal(confirm.status, 200)
  assert.match(await confirm.text(), /logout|sign-?out/i)
  assert.equal(await c.signedInAs(), null)
})

test('local passwords off: no password form, and POST /sign-in refused', async () => {
  const c = new Client()
  const before = await (await c.fetch(`${app}/sign-in`)).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(before)![1]!
  configure({}, false)
  try {
    const page = await (await c.fetch(`${app}/sign-in`)).text()
    assert.match(page, /Sign in with Test Auth/)
    assert.doesNotMatch(page, /name="password"/)
    const res = await c.fetch(`${app}/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, username: 'national', password: 'correct horse battery staple' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(res.status, 403)
    assert.match(await res.text(), /Passwords are turned off/)
    assert.equal(await c.signedInAs(), null)
  } finally {
    configure({})
  }
})

test('a provider that cannot be reached: a clear page, not a server error', async () => {
  // a port nobody listens on: the app's own server, closed again
  const closed = http.createServer()
  const gone = await listen(closed)
  await new Promise(r => closed.close(r))
  configure({ issuerUrl: gone })
  try {
    const res = await new Client().fetch(`${app}/sign-in/oidc`)
    assert.equal(res.status, 503)
    assert.match(await res.text(), /Sign in with Test Auth is not available at the moment/)
  } finally {
    configure({})
  }
})
