import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Browser, PASSWORD, createUser, signedIn, testWorld } from '../../../test/harness'

/** Signs in from the given address (the app trusts the loopback proxy's X-Forwarded-For), returning the message shown. */
async function attempt(b: Browser, username: string, password: string, address: string) {
  const _csrf = await b.csrf('/sign-in')
  await b.agent.post('/sign-in').set('X-Forwarded-For', address).type('form').send({ _csrf, username, password })
  const page = await b.get('/sign-in')
  if (/The username or password is incorrect/.test(page.text)) return 'checked'
  if (/Too many failed attempts/.test(page.text)) return 'locked'
  return `other: ${page.status}`
}

describe('sign-in, sessions and security headers', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  before(async () => {
    world = await testWorld()
  })
  after(() => world.close())

  it('sends someone signed out to sign-in, then back to the page they wanted', async () => {
    const b = new Browser(world.app)
    const res = await b.get('/prisoners?q=smith')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/sign-in')
    const signIn = await b.signIn('key_worker.mdi')
    assert.equal(signIn.headers.location, '/prisoners?q=smith')
  })

  it('stores passwords as argon2id and issues a new session id at sign-in', async () => {
    const user = await world.services.db.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'key_worker.mdi')
      .executeTakeFirstOrThrow()
    assert.match(user.password_hash ?? '', /^\$argon2id\$/)
    const b = new Browser(world.app)
    const first = await b.get('/sign-in')
    const before = /keywork\.sid=([^;]+)/.exec(String(first.headers['set-cookie']))?.[1]
    const res = await b.signIn('key_worker.mdi')
    const afterCookie = /keywork\.sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1]
    assert.ok(before && afterCookie && before !== afterCookie)
    assert.match(String(res.headers['set-cookie']), /HttpOnly/)
    assert.match(String(res.headers['set-cookie']), /SameSite=Lax/)
    const rows = await world.services.db.db.selectFrom('web_sessions').select('sid').execute()
    assert.ok(rows.length > 0, 'sessions live in the database')
  })

  it('rejects a wrong password without saying which part was wrong', async () => {
    const b = new Browser(world.app)
    const res = await b.signIn('key_worker.mdi', 'wrong password!!')
    assert.equal(res.headers.location, '/sign-in')
    const page = await b.get('/sign-in')
    assert.match(page.text, /The username or password is incorrect/)
    assert.match(page.text, /value="key_worker.mdi"/)
  })

  it('locks an account after 5 failures, even with the right password', async () => {
    await createUser(world.services, 'locked.user', [{ role: 'KEY_WORKER', establishmentId: world.est.MDI! }])
    const b = new Browser(world.app)
    for (let i = 0; i < 5; i++) await b.signIn('locked.user', 'not the password')
    const res = await b.signIn('locked.user', PASSWORD)
    assert.equal(res.headers.location, '/sign-in')
    const page = await b.get('/sign-in')
    assert.match(page.text, /Too many failed attempts/)
  })

  it('refuses a form without a valid CSRF token and saves nothing', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const res = await b.agent
      .post('/establishment/settings')
      .type('form')
      .send({ _csrf: 'forged', name: 'Hacked', category: 'x', region: 'y' })
    assert.equal(res.status, 403)
    assert.match(res.text, /Your form has expired/)
    const est = await world.services.establishments.byId(world.est.MDI!)
    assert.notEqual(est?.name, 'Hacked')
  })

  it('answers an oversized form with 413', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const _csrf = await b.csrf('/establishment/settings')
    const res = await b.agent
      .post('/establishment/settings')
      .type('form')
      .send({ _csrf, name: 'x'.repeat(300_000) })
    assert.equal(res.status, 413)
  })

  it('reads an establishment switch sent as JSON of the wrong type as no establishment, not a 500 (issue 18 point 9)', async () => {
    const b = await signedIn(world, 'national')
    const _csrf = await b.csrf('/')
    for (const establishment of [{ toString: 1, valueOf: 2 }, [{ toString: null }], 12, null]) {
      const res = await b.agent
        .post('/establishment/switch')
        .type('json')
        .send({ _csrf, establishment, next: { toString: 1 } })
      assert.equal(res.status, 303, JSON.stringify(establishment))
      assert.equal(res.headers.location, '/')
      assert.doesNotMatch((await b.get('/')).text, /You are now working in/)
    }
  })

  it('sets a CSP with a nonce on scripts', async () => {
    const b = new Browser(world.app)
    const res = await b.get('/sign-in')
    const csp = String(res.headers['content-security-policy'])
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    assert.ok(nonce)
    assert.ok(res.text.includes(`nonce="${nonce}"`))
  })

  it('returns to the form page after the session expired on a POST', async () => {
    const b = await signedIn(world, 'establishment_admin.mdi')
    const _csrf = await b.csrf('/establishment/settings')
    await sql`delete from web_sessions`.execute(world.services.db.db)
    const res = await b.agent
      .post('/establishment/settings')
      .set('Referer', 'http://127.0.0.1/establishment/settings')
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ _csrf, name: 'x' })
    assert.equal(res.headers.location, '/sign-in')
    const again = await b.signIn('establishment_admin.mdi')
    assert.equal(again.headers.location, '/establishment/settings')
  })

  it('signs out: the session is gone', async () => {
    const b = await signedIn(world, 'key_worker.mdi')
    const _csrf = await b.csrf('/')
    const out = await b.agent.post('/sign-out').type('form').send({ _csrf })
    assert.equal(out.headers.location, '/sign-in')
    const res = await b.get('/')
    assert.equal(res.status, 303)
  })

  it('changes the password: the old one stops working', async () => {
    await createUser(world.services, 'changer', [{ role: 'KEY_WORKER', establishmentId: world.est.MDI! }])
    const b = await signedIn(world, 'changer')
    const bad = await b.post('/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'short',
      confirmPassword: 'short',
    })
    assert.equal(bad.headers.location, '/account/password')
    assert.match((await b.get('/account/password')).text, /at least 12 characters/)
    const good = await b.post('/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a brand new passphrase',
    })
    assert.equal(good.headers.location, '/')
    const old = await new Browser(world.app).signIn('changer', PASSWORD)
    assert.equal(old.headers.location, '/sign-in')
    const fresh = await new Browser(world.app).signIn('changer', 'a brand new passphrase')
    assert.equal(fresh.headers.location, '/')
  })

  it('serves /health and /ping without a session', async () => {
    const b = new Browser(world.app)
    const health = await b.get('/health')
    assert.equal(health.status, 200)
    assert.equal(health.body.status, 'UP')
    assert.equal(health.body.version, world.services.config.version)
    assert.equal((await b.get('/ping')).body.status, 'UP')
  })

  it('checks at most 5 of 20 wrong passwords for one account sent at once, and refuses the rest as locked', async () => {
    const userId = await createUser(world.services, 'rushed', [{ role: 'KEY_WORKER', establishmentId: world.est.MDI! }])
    const browsers = Array.from({ length: 20 }, () => new Browser(world.app))
    const outcomes = await Promise.all(browsers.map((b, i) => attempt(b, 'rushed', `wrong password ${i}`, '10.1.0.1')))
    assert.equal(outcomes.filter(o => o === 'checked').length, 5)
    assert.equal(outcomes.filter(o => o === 'locked').length, 15)
    const failures = (await world.services.audit.forEntity('user', String(userId))).filter(
      e => e.action === 'sign-in-failed',
    )
    assert.equal(failures.length, 5, 'only the 5 checked attempts are recorded as failures')
    // and the right password is refused too while locked
    assert.equal(await attempt(new Browser(world.app), 'rushed', PASSWORD, '10.1.0.2'), 'locked')
  })

  it('checks at most 20 attempts from one address sent at once, whichever accounts they name', async () => {
    const browsers = Array.from({ length: 26 }, () => new Browser(world.app))
    const outcomes = await Promise.all(browsers.map((b, i) => attempt(b, `nobody.${i}`, 'wrong password', '10.2.0.1')))
    assert.equal(outcomes.filter(o => o === 'checked').length, 20)
    assert.equal(outcomes.filter(o => o === 'locked').length, 6)
    // another address is not affected
    assert.equal(await attempt(new Browser(world.app), 'nobody.0', 'wrong password', '10.2.0.2'), 'checked')
  })

  it('gives a successful sign-in its slot back, so an address many people sign in from is not locked', async () => {
    for (let i = 0; i < 22; i++) {
      const b = new Browser(world.app)
      const _csrf = await b.csrf('/sign-in')
      const res = await b.agent
        .post('/sign-in')
        .set('X-Forwarded-For', '10.3.0.1')
        .type('form')
        .send({ _csrf, username: 'key_worker.mdi', password: PASSWORD })
      assert.equal(res.headers.location, '/', `sign-in ${i + 1}`)
    }
  })

  it('ends the user’s other sessions when they change their password, and keeps the one that changed it', async () => {
    await createUser(world.services, 'two.devices', [{ role: 'KEY_WORKER', establishmentId: world.est.MDI! }])
    const desk = await signedIn(world, 'two.devices')
    const laptop = await signedIn(world, 'two.devices')
    const bystander = await signedIn(world, 'key_worker.mdi')
    assert.equal((await laptop.get('/')).status, 200)
    const res = await desk.post('/account/password', {
      currentPassword: PASSWORD,
      newPassword: 'a fresh passphrase of mine',
      confirmPassword: 'a fresh passphrase of mine',
    })
    assert.equal(res.headers.location, '/')
    assert.equal((await desk.get('/')).status, 200, 'the session that changed it stays')
    const other = await laptop.get('/')
    assert.equal(other.status, 303)
    assert.equal(other.headers.location, '/sign-in')
    assert.equal((await bystander.get('/')).status, 200, 'other users’ sessions stay')
  })

  it('refuses common passwords and ones made of the username, name or service name, when a password is set', async () => {
    await createUser(world.services, 'sam.okafor', [{ role: 'KEY_WORKER', establishmentId: world.est.MDI! }])
    const b = await signedIn(world, 'sam.okafor')
    const cases: [string, RegExp][] = [
      ['Password1234', /on a list of common passwords/],
      ['qwertyuiop12', /on a list of common passwords/],
      ['pass word 1234', /on a list of common passwords/],
      ['Key-Work-2026!!', /must not include a username, a person’s name or the name of this service/],
      ['keywork is great', /must not include a username, a person’s name or the name of this service/],
      ['okafor the great 1', /must not include a username, a person’s name or the name of this service/],
      ['sam.okafor.2026', /must not include a username, a person’s name or the name of this service/],
    ]
    for (const [password, message] of cases) {
      const res = await b.post('/account/password', {
        currentPassword: PASSWORD,
        newPassword: password,
        confirmPassword: password,
      })
      assert.equal(res.headers.location, '/account/password', password)
      assert.match((await b.get('/account/password')).text, message, password)
    }
    assert.equal((await new Browser(world.app).signIn('sam.okafor', PASSWORD)).headers.location, '/', 'unchanged')
  })

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const userId = await createUser(world.services, 'long.shift', [
      { role: 'KEY_WORKER', establishmentId: world.est.MDI! },
    ])
    const b = await signedIn(world, 'long.shift')
    const db = world.services.db.db
    const signedInAt = (hours: number) =>
      db
        .updateTable('web_sessions')
        .set({ signed_in_at: new Date(Date.now() - hours * 3_600_000).toISOString() })
        .where('user_id', '=', userId)
        .execute()
    await signedInAt(11)
    assert.equal((await b.get('/')).status, 200, 'within the lifetime')
    await signedInAt(12.01)
    const res = await b.get('/')
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/sign-in')
    const rows = await db.selectFrom('web_sessions').select('sid').where('user_id', '=', userId).execute()
    assert.equal(rows.length, 0, 'the session is gone')
  })
})
