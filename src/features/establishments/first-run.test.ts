import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, describe, it } from 'node:test'
import { loadConfig } from '../../config'
import { buildServices } from '../../services'
import { createApp } from '../../app'
import { Browser, createUser, testServices } from '../../../test/harness'
import { createEstablishment } from './cli'

// A real deployment starts from an empty database: the national team, alone in it, adds the first establishment
// on the web, or an operator adds it with `keywork establishments create`. Either way, they are not refused.

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../../..')
const LEEDS = { code: 'LEI', name: 'Leeds (HMP)', category: 'Category B local', region: 'Yorkshire' }

describe('first run on the web: a national user alone on an empty database', () => {
  it('is offered to add the first establishment, adds it and then works in it', async () => {
    const s = await testServices()
    try {
      await createUser(s, 'first.national', [{ role: 'NATIONAL_POLICY', establishmentId: null }])
      const b = new Browser(createApp(s))
      assert.equal((await b.signIn('first.national')).status, 303)

      const home = await b.get('/')
      assert.equal(home.status, 200)
      assert.match(
        home.text,
        /<a href="\/establishments\/new"[^>]*class="govuk-button"[^>]*>\s*Add the first establishment/,
      )
      const empty = await b.get('/establishments')
      assert.equal(empty.status, 200)
      assert.match(empty.text, /There are no establishments yet/)
      assert.equal((await b.get('/establishments/new')).status, 200)
      assert.equal((await b.get('/national/policy')).status, 200)

      // a wrong code is refused with the form's message and nothing is written
      const bad = await b.post('/establishments/new', { ...LEEDS, code: 'LEEDS' })
      assert.equal(bad.status, 303)
      assert.equal(bad.headers.location, '/establishments/new')
      assert.match((await b.get('/establishments/new')).text, /Enter a 3-letter establishment code/)
      assert.deepEqual(await s.establishments.all(), [])

      const added = await b.post('/establishments/new', LEEDS)
      assert.equal(added.status, 303)
      assert.equal(added.headers.location, '/establishments')
      const list = await b.get('/establishments')
      assert.match(list.text, /Leeds \(HMP\) \(LEI\) has been added/)
      assert.match(list.text, /<td class="govuk-table__cell">LEI<\/td>/)
      // the national overview now lists it, and the national user chooses to work in it
      const now = await b.get('/')
      assert.equal(now.status, 200)
      assert.match(now.text, /Leeds \(HMP\) \(LEI\)/)
      assert.match(now.text, /Work in it<span class="govuk-visually-hidden">: Leeds \(HMP\)<\/span>/)
      assert.doesNotMatch(now.text, /Add the first establishment/)
      assert.equal((await b.post('/establishment/switch', { establishment: 'LEI' }, '/')).status, 303)
      assert.match((await b.get('/')).text, /Key Work in Leeds \(HMP\)/)
    } finally {
      await s.close()
    }
  })

  it('still refuses establishment pages to a user without a national role and without an establishment', async () => {
    const s = await testServices()
    try {
      await createUser(s, 'nobody.yet', [])
      const b = new Browser(createApp(s))
      await b.signIn('nobody.yet')
      const home = await b.get('/')
      assert.equal(home.status, 200)
      assert.match(home.text, /You do not have a role in any establishment yet/)
      assert.doesNotMatch(home.text, /Add the first establishment/)
      for (const p of ['/establishments', '/establishments/new', '/national/policy', '/prisoners'])
        assert.equal((await b.get(p)).status, 403, p)
      assert.equal((await b.post('/establishments/new', LEEDS, '/account/password')).status, 403)
      assert.deepEqual(await s.establishments.all(), [])
    } finally {
      await s.close()
    }
  })
})

describe('keywork establishments create', () => {
  it('adds an establishment with the web form’s checks, and refuses a bad or a repeated one', async () => {
    const s = await testServices()
    try {
      const out: string[] = []
      const err: string[] = []
      const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }
      assert.equal(await createEstablishment(s, { ...LEEDS, code: 'L1', region: ' ' }, io), 1)
      assert.deepEqual(err, ['Enter a 3-letter establishment code, for example MDI', 'Enter the region'])
      assert.deepEqual(await s.establishments.all(), [])

      assert.equal(await createEstablishment(s, { ...LEEDS, code: 'lei' }, io), 0)
      assert.match(out[0]!, /^Added Leeds \(HMP\) \(LEI\)/)
      assert.equal(await createEstablishment(s, LEEDS, io), 1)
      assert.equal(err.at(-1), 'An establishment with code LEI already exists')
      const all = await s.establishments.all()
      assert.deepEqual(
        all.map(e => [e.code, e.name, e.category, e.region]),
        [['LEI', 'Leeds (HMP)', 'Category B local', 'Yorkshire']],
      )
    } finally {
      await s.close()
    }
  })
})

describe('first run from the command line (SQLite file)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-first-run-'))
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('creates the national user and the first establishment; the user signs in, changes the password and works', async () => {
    const file = path.join(dir, 'new.sqlite')
    const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }
    const cli = (...args: string[]) => run('node', ['bin/keywork.js', ...args], { cwd: root, env })
    const password = 'a first run passphrase'
    await cli(
      'users',
      'create',
      '--username',
      'ops.lead',
      '--name',
      'Olu Lead',
      '--role',
      'NATIONAL_POLICY',
      '--password',
      password,
    )
    const created = await cli(
      'establishments',
      'create',
      '--code',
      'LEI',
      '--name',
      'Leeds (HMP)',
      '--category',
      'Category B local',
      '--region',
      'Yorkshire',
    )
    assert.match(created.stdout, /Added Leeds \(HMP\) \(LEI\)/)
    assert.match((await cli('establishments', 'list')).stdout, /^LEI {2}Leeds \(HMP\)$/m)
    await assert.rejects(
      cli('establishments', 'create', '--code', 'LEI', '--name', 'x', '--category', 'x', '--region', 'x'),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1)
        assert.match(e.stderr, /An establishment with code LEI already exists/)
        return true
      },
    )

    const s = buildServices({
      ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      database: { kind: 'sqlite', file },
    })
    try {
      const b = new Browser(createApp(s))
      const signIn = await b.signIn('ops.lead', password)
      assert.equal(signIn.status, 303)
      // a password an operator chose must be changed first
      const first = await b.get('/')
      assert.equal(first.status, 303)
      assert.equal(first.headers.location, '/account/password')
      const changed = await b.post('/account/password', {
        currentPassword: password,
        newPassword: 'my own long passphrase',
        confirmPassword: 'my own long passphrase',
      })
      assert.equal(changed.status, 303)
      assert.equal(changed.headers.location, '/')
      // a national user lands on the national overview, then chooses the establishment to work in
      const overview = await b.get('/')
      assert.equal(overview.status, 200)
      assert.match(overview.text, /Work in it<span class="govuk-visually-hidden">: Leeds \(HMP\)<\/span>/)
      assert.equal((await b.post('/establishment/switch', { establishment: 'LEI' }, '/')).status, 303)
      const home = await b.get('/')
      assert.equal(home.status, 200)
      assert.match(home.text, /Key Work in Leeds \(HMP\)/)
      assert.match(home.text, /href="\/users"/)
      assert.equal((await b.get('/users/new')).status, 200)
      assert.match((await b.get('/establishments')).text, /<td class="govuk-table__cell">LEI<\/td>/)
    } finally {
      await s.close()
    }
  })
})
