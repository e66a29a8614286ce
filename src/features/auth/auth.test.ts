import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { Browser, PASSWORD, createUser, signedIn, testWorld } from '../../../test/harness'

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
})
