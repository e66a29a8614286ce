import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Browser, PASSWORD, type World, createUser, signedIn, testWorld } from '../../../test/harness'

describe('users', () => {
  let world: World & { close(): Promise<void> }
  let admin: Browser
  let mdi: number
  let lei: number
  before(async () => {
    world = await testWorld()
    admin = await signedIn(world, 'establishment_admin.mdi')
    mdi = world.est.MDI!
    lei = world.est.LEI!
  })
  after(() => world.close())

  const userNamed = (username: string) =>
    world.services.db.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
  const grantsOf = async (username: string) => {
    const u = await userNamed(username)
    return u ? (await world.services.users.grants(u.id)).map(g => `${g.role}@${g.establishmentId ?? 'all'}`).sort() : []
  }
  const userCount = async () => (await world.services.users.search(null, '', 1000, 0)).total

  it('lists and searches the users with a role in this establishment only', async () => {
    const list = await admin.get('/users')
    assert.equal(list.status, 200)
    assert.match(list.text, /key_worker\.mdi/)
    assert.match(list.text, /supervising_officer\.mdi/)
    assert.doesNotMatch(list.text, /key_worker\.lei/)
    assert.doesNotMatch(list.text, />national</)
    assert.doesNotMatch(list.text, /Users of every establishment/, 'only national users can look across establishments')
    // the switch is ignored for an establishment admin
    assert.doesNotMatch((await admin.get('/users?scope=all')).text, /key_worker\.lei/)
    const found = await admin.get('/users?q=supervising')
    assert.match(found.text, /supervising_officer\.mdi/)
    assert.doesNotMatch(found.text, /key_worker\.mdi/)
  })

  it('lets the national team see the users of every establishment', async () => {
    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    const here = await national.get('/users')
    assert.doesNotMatch(here.text, /key_worker\.lei/)
    const all = await national.get('/users?scope=all')
    assert.match(all.text, /key_worker\.lei/)
    assert.match(all.text, /LEI: Key Worker/)
    const lw = (await userNamed('key_worker.lei'))!
    assert.match(all.text, new RegExp(`href="/users/${lw.id}\\?scope=all"`))
    assert.equal((await national.get(`/users/${lw.id}`)).status, 404, 'scoped to MDI without the switch')
    const page = await national.get(`/users/${lw.id}?scope=all`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Leeds \(HMP\) \(LEI\)/)
  })

  it('creates a user with a password and roles here, and audits it', async () => {
    const before = await userCount()
    const res = await admin.post('/users/new', {
      username: 'Aisha.Khan',
      displayName: 'Aisha Khan',
      email: 'aisha.khan@justice.gov.uk',
      signInMethod: 'password',
      password: 'a long enough password',
      roles: ['KEY_WORKER', 'SUPERVISING_OFFICER'],
    })
    assert.equal(res.status, 303)
    const user = (await userNamed('aisha.khan'))!
    assert.ok(user, 'username is stored in lower case')
    assert.equal(res.headers.location, `/users/${user.id}`)
    assert.deepEqual(await grantsOf('aisha.khan'), [`KEY_WORKER@${mdi}`, `SUPERVISING_OFFICER@${mdi}`])
    assert.equal(await userCount(), before + 1)
    const page = await admin.get(`/users/${user.id}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Aisha Khan/)
    assert.match(page.text, /A password/)
    assert.match(page.text, /Moorland \(HMP\) \(MDI\)/)
    assert.match(page.text, /Key Worker, Supervising Officer/)
    const events = await world.services.audit.forEntity('user', String(user.id))
    assert.equal(events[0]?.action, 'create')
    assert.equal(events[0]?.username, 'establishment_admin.mdi')
    // and they can sign in with it
    const b = new Browser(world.app)
    const signIn = await b.signIn('aisha.khan', 'a long enough password')
    assert.equal(signIn.headers.location, '/')
  })

  it('creates a user without a local password, for single sign-on later', async () => {
    const res = await admin.post('/users/new', {
      username: 'sso.user',
      displayName: 'Single Sign-on',
      email: '',
      signInMethod: 'none',
      password: '',
      roles: 'KEY_WORKER',
    })
    assert.equal(res.status, 303)
    const user = (await userNamed('sso.user'))!
    assert.equal(user.password_hash, null)
    assert.match((await admin.get(`/users/${user.id}`)).text, /Single sign-on \(no local password\)/)
    const signIn = await new Browser(world.app).signIn('sso.user', '')
    assert.equal(signIn.headers.location, '/sign-in')
  })

  it('keeps values and shows every error for a bad form, saving nothing', async () => {
    const before = await userCount()
    await admin.post('/users/new', {
      username: 'No Spaces!',
      displayName: '',
      email: 'nope',
      signInMethod: 'password',
      password: 'short',
    })
    const form = await admin.get('/users/new')
    assert.match(form.text, /There is a problem/)
    assert.match(form.text, /Username must be 3 to 50 lowercase letters, digits, dots or hyphens/)
    assert.match(form.text, /Enter their full name/)
    assert.match(form.text, /Enter an email address in the correct format/)
    assert.match(form.text, /Password must be at least 12 characters/)
    assert.match(form.text, /Select at least one role/)
    assert.match(form.text, /value="No Spaces!"/)
    assert.match(form.text, /value="nope"/)
    assert.doesNotMatch(form.text, /value="short"/, 'a password is never sent back')

    await admin.post('/users/new', {
      username: 'aisha.khan',
      displayName: 'Again',
      signInMethod: 'none',
      roles: 'KEY_WORKER',
    })
    assert.match((await admin.get('/users/new')).text, /The username aisha.khan is already taken/)

    // the national role is not offered to, nor accepted from, an establishment admin
    assert.doesNotMatch((await admin.get('/users/new')).text, /value="NATIONAL_POLICY"/)
    await admin.post('/users/new', {
      username: 'would.be.national',
      displayName: 'Would be national',
      signInMethod: 'none',
      roles: 'NATIONAL_POLICY',
    })
    assert.match(
      (await admin.get('/users/new')).text,
      /Only the national policy team can give the national policy role/,
    )
    assert.equal(await userCount(), before)
  })

  it('changes roles in this establishment only, and audits it', async () => {
    const userId = await createUser(world.services, 'two.places', [
      { role: 'KEY_WORKER', establishmentId: mdi },
      { role: 'KEY_WORKER', establishmentId: lei },
    ])
    const res = await admin.post(
      `/users/${userId}/roles`,
      { roles: ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] },
      `/users/${userId}`,
    )
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, `/users/${userId}`)
    assert.deepEqual(await grantsOf('two.places'), [
      `ESTABLISHMENT_ADMIN@${mdi}`,
      `KEY_WORKER@${lei}`,
      `SUPERVISING_OFFICER@${mdi}`,
    ])
    const events = await world.services.audit.forEntity('user_roles', String(userId))
    assert.equal(events[0]?.establishment_id, mdi)
    assert.match(events[0]?.changes ?? '', /"from":\["KEY_WORKER"\]/)

    await admin.post(`/users/${userId}/roles`, {}, `/users/${userId}`)
    assert.match((await admin.get(`/users/${userId}`)).text, /Select at least one role/)
    assert.equal((await grantsOf('two.places')).length, 3)

    const me = (await userNamed('establishment_admin.mdi'))!
    await admin.post(`/users/${me.id}/roles`, { roles: 'KEY_WORKER' }, `/users/${me.id}`)
    assert.match((await admin.get(`/users/${me.id}`)).text, /You cannot remove your own establishment admin role/)
    assert.deepEqual(await grantsOf('establishment_admin.mdi'), [`ESTABLISHMENT_ADMIN@${mdi}`])
  })

  it('disables and enables an account, but not one’s own', async () => {
    const userId = await createUser(world.services, 'to.disable', [{ role: 'KEY_WORKER', establishmentId: mdi }])
    const them = await signedIn(world, 'to.disable')
    let res = await admin.post(`/users/${userId}/enabled`, { enabled: 'no' }, `/users/${userId}`)
    assert.equal(res.status, 303)
    assert.equal((await userNamed('to.disable'))?.enabled, 0)
    assert.match((await admin.get(`/users/${userId}`)).text, /This account is disabled/)
    assert.equal((await them.get('/')).headers.location, '/sign-in', 'signed out at once')
    assert.equal((await new Browser(world.app).signIn('to.disable', PASSWORD)).headers.location, '/sign-in')
    const updates = (await world.services.audit.forEntity('user', String(userId))).filter(e => e.action === 'update')
    assert.equal(updates.length, 1)
    assert.match(updates[0]?.changes ?? '', /"enabled":false/)
    assert.equal(updates[0]?.username, 'establishment_admin.mdi')

    res = await admin.post(`/users/${userId}/enabled`, { enabled: 'yes' }, `/users/${userId}`)
    assert.equal((await userNamed('to.disable'))?.enabled, 1)

    const me = (await userNamed('establishment_admin.mdi'))!
    const page = await admin.get(`/users/${me.id}`)
    assert.doesNotMatch(page.text, /Disable account/)
    await admin.post(`/users/${me.id}/enabled`, { enabled: 'no' }, `/users/${me.id}`)
    assert.match((await admin.get(`/users/${me.id}`)).text, /You cannot disable your own account/)
    assert.equal((await userNamed('establishment_admin.mdi'))?.enabled, 1)
  })

  it('hides a user with no role here behind a 404, for every action', async () => {
    const other = (await userNamed('key_worker.lei'))!
    assert.equal((await admin.get(`/users/${other.id}`)).status, 404)
    assert.equal((await admin.get(`/users/${other.id}?scope=all`)).status, 404)
    assert.equal((await admin.post(`/users/${other.id}/roles`, { roles: 'KEY_WORKER' }, '/users/new')).status, 404)
    assert.equal((await admin.post(`/users/${other.id}/enabled`, { enabled: 'no' }, '/users/new')).status, 404)
    assert.deepEqual(await grantsOf('key_worker.lei'), [`KEY_WORKER@${lei}`])
    assert.equal((await userNamed('key_worker.lei'))?.enabled, 1)
    assert.equal((await admin.get('/users/999999')).status, 404)
  })

  it('is closed to Key Workers and Supervising Officers', async () => {
    for (const username of ['key_worker.mdi', 'supervising_officer.mdi']) {
      const b = await signedIn(world, username)
      assert.equal((await b.get('/users')).status, 403)
      assert.equal((await b.get('/users/new')).status, 403)
      const res = await b.post(
        '/users/new',
        { username: 'sneaky', displayName: 'S', signInMethod: 'none', roles: 'ESTABLISHMENT_ADMIN' },
        '/',
      )
      assert.equal(res.status, 403)
    }
    assert.equal(await userNamed('sneaky'), undefined)
  })

  it('lets the national team give the national role and add someone to another establishment', async () => {
    const national = await signedIn(world, 'national')
    await national.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.match((await national.get('/users/new')).text, /value="NATIONAL_POLICY"/)
    const res = await national.post('/users/new', {
      username: 'policy.lead',
      displayName: 'Policy Lead',
      signInMethod: 'none',
      roles: 'NATIONAL_POLICY',
    })
    const lead = (await userNamed('policy.lead'))!
    assert.equal(res.headers.location, `/users/${lead.id}?scope=all`)
    assert.deepEqual(await grantsOf('policy.lead'), ['NATIONAL_POLICY@all'])

    // a Leeds officer given a role in Moorland too, from the all-establishments view
    const lw = (await userNamed('key_worker.lei'))!
    const add = await national.post(
      `/users/${lw.id}/roles?scope=all`,
      { roles: 'KEY_WORKER' },
      `/users/${lw.id}?scope=all`,
    )
    assert.equal(add.status, 303)
    assert.deepEqual(await grantsOf('key_worker.lei'), [`KEY_WORKER@${lei}`, `KEY_WORKER@${mdi}`].sort())
    assert.match((await admin.get('/users')).text, /key_worker\.lei/)
  })

  it('shows an establishment admin only the roles held in their establishment', async () => {
    const userId = await createUser(world.services, 'split.shift', [
      { role: 'KEY_WORKER', establishmentId: mdi },
      { role: 'SUPERVISING_OFFICER', establishmentId: lei },
    ])
    const page = await admin.get(`/users/${userId}`)
    assert.equal(page.status, 200)
    assert.match(page.text, /Moorland \(HMP\) \(MDI\)/)
    assert.doesNotMatch(page.text, /Leeds|\(LEI\)/)
    const list = await admin.get('/users?q=split.shift')
    assert.match(list.text, /split\.shift/)
    assert.doesNotMatch(list.text, /Leeds|LEI|Supervising Officer/)
  })

  it('lets an establishment admin remove someone from their establishment, but not disable an account used elsewhere', async () => {
    const userId = (await userNamed('split.shift'))!.id
    const atLeeds = await signedIn(world, 'split.shift')
    await atLeeds.post('/establishment/switch', { establishment: 'LEI' }, '/')
    const atMoorland = await signedIn(world, 'split.shift')
    await atMoorland.post('/establishment/switch', { establishment: 'MDI' }, '/')

    assert.doesNotMatch((await admin.get(`/users/${userId}`)).text, /Disable account/)
    await admin.post(`/users/${userId}/enabled`, { enabled: 'no' }, `/users/${userId}`)
    assert.match((await admin.get(`/users/${userId}`)).text, /You can remove them from this establishment instead/)
    assert.equal((await userNamed('split.shift'))?.enabled, 1)
    assert.equal((await atLeeds.get('/')).status, 200, 'still signed in')

    // changing roles here leaves Leeds alone
    await admin.post(`/users/${userId}/roles`, { roles: 'SUPERVISING_OFFICER' }, `/users/${userId}`)
    assert.deepEqual(await grantsOf('split.shift'), [`SUPERVISING_OFFICER@${lei}`, `SUPERVISING_OFFICER@${mdi}`].sort())

    await admin.post(`/users/${userId}/remove`, {}, `/users/${userId}`)
    assert.match((await admin.get(`/users/${userId}`)).text, /Confirm that they should be removed/)
    assert.equal((await grantsOf('split.shift')).length, 2, 'nothing removed without the confirmation')
    const res = await admin.post(`/users/${userId}/remove`, { remove: 'yes' }, `/users/${userId}`)
    assert.equal(res.status, 303)
    assert.equal(res.headers.location, '/users')
    assert.match((await admin.get('/users')).text, /split\.shift has been removed from Moorland \(HMP\)/)
    assert.deepEqual(await grantsOf('split.shift'), [`SUPERVISING_OFFICER@${lei}`])
    assert.equal((await userNamed('split.shift'))?.enabled, 1)
    assert.equal((await admin.get(`/users/${userId}`)).status, 404, 'no longer one of Moorland’s users')
    const events = await world.services.audit.forEntity('user_roles', String(userId))
    assert.equal(events[0]?.establishment_id, mdi)

    // Leeds carries on: the session there, a new sign-in; the Moorland session now acts in Leeds
    assert.equal((await atLeeds.get('/')).status, 200)
    assert.equal((await new Browser(world.app).signIn('split.shift')).headers.location, '/')
    assert.equal((await atMoorland.get('/')).status, 200)
    await atMoorland.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.match((await atMoorland.get('/')).text, /Select an establishment you work in/)

    const me = (await userNamed('establishment_admin.mdi'))!
    await admin.post(`/users/${me.id}/remove`, { remove: 'yes' }, `/users/${me.id}`)
    assert.deepEqual(await grantsOf('establishment_admin.mdi'), [`ESTABLISHMENT_ADMIN@${mdi}`], 'not oneself')
  })

  it('lets the national team, or an admin of every establishment the account is in, disable it', async () => {
    const userId = await createUser(world.services, 'both.sites', [
      { role: 'KEY_WORKER', establishmentId: mdi },
      { role: 'KEY_WORKER', establishmentId: lei },
    ])
    await createUser(world.services, 'admin.both', [
      { role: 'ESTABLISHMENT_ADMIN', establishmentId: mdi },
      { role: 'ESTABLISHMENT_ADMIN', establishmentId: lei },
    ])
    const adminOfBoth = await signedIn(world, 'admin.both')
    await adminOfBoth.post('/establishment/switch', { establishment: 'MDI' }, '/')
    assert.match((await adminOfBoth.get(`/users/${userId}`)).text, /Disable account/)
    const them = await signedIn(world, 'both.sites')
    await adminOfBoth.post(`/users/${userId}/enabled`, { enabled: 'no' }, `/users/${userId}`)
    assert.equal((await userNamed('both.sites'))?.enabled, 0)
    assert.equal((await them.get('/')).headers.location, '/sign-in', 'signed out')

    const national = await signedIn(world, 'national')
    await national.post(`/users/${userId}/enabled?scope=all`, { enabled: 'yes' }, `/users/${userId}?scope=all`)
    assert.equal((await userNamed('both.sites'))?.enabled, 1)
  })

  it('refuses a common password for a new user, and makes the one an admin sets be changed at first sign-in', async () => {
    const fields = {
      username: 'new.starter',
      displayName: 'New Starter',
      email: '',
      signInMethod: 'password',
      roles: 'KEY_WORKER',
    }
    await admin.post('/users/new', { ...fields, password: 'password1234' })
    assert.match((await admin.get('/users/new')).text, /on a list of common passwords/)
    await admin.post('/users/new', { ...fields, password: 'new starter 2026' })
    assert.match((await admin.get('/users/new')).text, /must not include a username, a person’s name/)
    assert.equal(await userNamed('new.starter'), undefined)

    await admin.post('/users/new', { ...fields, password: 'given by the admin' })
    assert.equal((await userNamed('new.starter'))?.must_change_password, 1)
    const b = new Browser(world.app)
    await b.signIn('new.starter', 'given by the admin')
    for (const path of ['/', '/prisoners', '/users']) {
      const res = await b.get(path)
      assert.equal(res.status, 303, path)
      assert.equal(res.headers.location, '/account/password', path)
    }
    const _csrf = await b.csrf('/account/password')
    const post = await b.agent.post('/establishment/switch').type('form').send({ _csrf, establishment: 'MDI' })
    assert.equal(post.headers.location, '/account/password')
    const form = await b.get('/account/password')
    assert.equal(form.status, 200)
    assert.match(form.text, /Your password was set by someone else/)

    const changed = await b.post('/account/password', {
      currentPassword: 'given by the admin',
      newPassword: 'only I know this one',
      confirmPassword: 'only I know this one',
    })
    assert.equal(changed.headers.location, '/')
    assert.equal((await b.get('/')).status, 200)
    assert.equal((await userNamed('new.starter'))?.must_change_password, 0)
  })

  it('lets an admin who may manage the account set a new password, which its owner must change', async () => {
    const userId = await createUser(world.services, 'forgetful', [{ role: 'KEY_WORKER', establishmentId: mdi }])
    const them = await signedIn(world, 'forgetful')
    const hashBefore = (await userNamed('forgetful'))?.password_hash
    const attempts: [Record<string, string>, RegExp][] = [
      [{}, /Enter a new password/],
      [{ newPassword: 'password1234' }, /on a list of common passwords/],
      [{ newPassword: 'forgetful once more' }, /must not include a username/],
    ]
    for (const [fields, message] of attempts) {
      await admin.post(`/users/${userId}/password`, fields, `/users/${userId}`)
      assert.match((await admin.get(`/users/${userId}`)).text, message)
    }
    assert.equal((await userNamed('forgetful'))?.password_hash, hashBefore, 'unchanged by refused attempts')
    assert.equal((await them.get('/')).status, 200)

    const res = await admin.post(
      `/users/${userId}/password`,
      { newPassword: 'a temporary passphrase' },
      `/users/${userId}`,
    )
    assert.equal(res.headers.location, `/users/${userId}`)
    assert.equal((await userNamed('forgetful'))?.must_change_password, 1)
    assert.equal((await them.get('/')).headers.location, '/sign-in', 'their sessions end')
    const b = new Browser(world.app)
    await b.signIn('forgetful', 'a temporary passphrase')
    assert.equal((await b.get('/')).headers.location, '/account/password')

    // not for an account that works elsewhere too
    const elsewhere = (await userNamed('both.sites'))!
    const hash = elsewhere.password_hash
    assert.doesNotMatch((await admin.get(`/users/${elsewhere.id}`)).text, /Set new password/)
    await admin.post(
      `/users/${elsewhere.id}/password`,
      { newPassword: 'a temporary passphrase' },
      `/users/${elsewhere.id}`,
    )
    assert.match((await admin.get(`/users/${elsewhere.id}`)).text, /can set a new password for this account/)
    assert.equal((await userNamed('both.sites'))?.password_hash, hash)
  })
})
