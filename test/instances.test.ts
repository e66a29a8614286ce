import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { sql } from 'kysely'
import { type Config, loadConfig } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { runDailyJobs } from '../src/cli/jobs'
import { STALE_MS, runOnce } from '../src/platform/jobs'
import { type Services, buildServices } from '../src/services'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'
import { PASSWORD, createUser } from './harness'

// Several instances on one database (issue 18, point 5). Two app processes (`keywork serve`) on different ports over
// the same database: PostgreSQL when TEST_DATABASE_URL is set (a schema of its own), else one SQLite file (SQLite is
// one process by design, decision 008, but the file is shared all the same, so the same proof runs on it). And, in
// process, two sets of services over the same database running the daily jobs at once.

const root = path.resolve(import.meta.dirname, '..')
const PG_URL = process.env.TEST_DATABASE_URL
/**
 * The bound for a role change to apply on another instance: each instance caches a user's roles for 5 s
 * (src/features/users/service.ts, `access`, ttlCache(5000)); the instance that made the change clears its own at once.
 */
const ROLE_BOUND_MS = 5000
/** Jobs runDailyJobs runs (at least these: others may be added; each call names them all, as run or skipped) */
const JOBS = ['cover-returns', 'training-reminders', 'recruitment-retention', 'bulletin-digests', 'planner-statistics']

/** Every job a call of runDailyJobs named, run or skipped; checks it holds those above. */
function jobsOf(r: Record<string, unknown>): string[] {
  const all = [...(r.ran as string[]), ...(r.skipped as string[])].sort()
  for (const job of JOBS) assert.ok(all.includes(job), `${job} neither ran nor was skipped`)
  assert.equal(new Set(all).size, all.length, 'no job named twice by one call')
  return all
}

interface Store {
  database: Config['database']
  /** environment for a child process on the same database */
  env: Record<string, string>
  drop(): Promise<void>
}

async function newStore(): Promise<Store> {
  if (PG_URL) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`create schema ${schema}`)
    await admin.end()
    return {
      database: { kind: 'postgres', url: PG_URL, schema },
      env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
      async drop() {
        const c = new pg.Client({ connectionString: PG_URL })
        await c.connect()
        await c.query(`drop schema ${schema} cascade`)
        await c.end()
      },
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-instances-'))
  const file = path.join(dir, 'keywork.sqlite')
  return {
    database: { kind: 'sqlite', file },
    env: { DATABASE_URL: `sqlite:${file}` },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

function servicesOn(store: Store): Services {
  const config: Config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database: store.database }
  return buildServices(config, openDatabase(store.database))
}

async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise(resolve => s.close(resolve))
  return port
}

interface Instance {
  base: string
  child: ChildProcess
  /** the log lines (pino JSON) it has written */
  logs: Record<string, unknown>[]
  /** resolves with the daily jobs' log line of its start */
  jobsRan: Promise<Record<string, unknown>>
}

async function startInstance(store: Store): Promise<Instance> {
  const port = await freePort()
  const child = spawn('node', ['bin/keywork.js', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      ...store.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      SESSION_SECRET: 'one secret shared by every instance',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  let buffered = ''
  const waiters: (() => void)[] = []
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines)
      if (line.startsWith('{')) {
        logs.push(JSON.parse(line) as Record<string, unknown>)
        waiters.splice(0).forEach(w => w())
      }
  })
  const logged = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const look = () => {
        const hit = logs.find(l => l.msg === msg)
        if (hit) return resolve(hit)
        if (child.exitCode !== null) return reject(new Error(`instance exited ${child.exitCode}: ${stderr}`))
        waiters.push(look)
      }
      child.once('exit', () => waiters.splice(0).forEach(w => w()))
      look()
    })
  await logged('keywork listening')
  return { base: `http://127.0.0.1:${port}`, child, logs, jobsRan: logged('daily jobs ran') }
}

async function stop(i: Instance | undefined) {
  if (!i || i.child.exitCode !== null) return
  const exited = new Promise(resolve => i.child.once('exit', resolve))
  i.child.kill('SIGTERM')
  await exited
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map(c => c.split(';')[0])
    .join('; ')

async function csrfOf(base: string, pathname: string, cookie = '') {
  const res = await fetch(base + pathname, { headers: { cookie }, redirect: 'manual' })
  const text = await res.text()
  const m = /name="_csrf" value="([^"]+)"/.exec(text)
  assert.ok(m, `no form on ${pathname} (${res.status})`)
  return { token: m[1]!, cookie: cookieOf(res) || cookie }
}

async function post(base: string, pathname: string, cookie: string, fields: [string, string][]) {
  return fetch(base + pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
}

/** Signs in on one instance; returns the session cookie. */
async function signIn(base: string, username: string): Promise<string> {
  const form = await csrfOf(base, '/sign-in')
  const res = await post(base, '/sign-in', form.cookie, [
    ['_csrf', form.token],
    ['username', username],
    ['password', PASSWORD],
  ])
  assert.equal(res.status, 303, `sign-in of ${username}`)
  assert.notEqual(res.headers.get('location'), '/sign-in')
  return cookieOf(res)
}

const get = (base: string, pathname: string, cookie: string) =>
  fetch(base + pathname, { headers: { cookie }, redirect: 'manual' })

describe('two instances on one database', { timeout: 90_000 }, () => {
  let store: Store
  let s: Services
  let a: Instance | undefined
  let b: Instance | undefined
  let officerId = 0

  before(async () => {
    store = await newStore()
    s = servicesOn(store)
    await migrateToLatest(s.db)
    const est = await s.establishments.create(SYSTEM_ACTOR, {
      code: 'MDI',
      name: 'Moorland (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
    })
    assert.ok(est.ok)
    await createUser(s, 'admin', [{ role: 'ESTABLISHMENT_ADMIN', establishmentId: est.value }])
    officerId = await createUser(s, 'officer', [
      { role: 'KEY_WORKER', establishmentId: est.value },
      { role: 'ESTABLISHMENT_ADMIN', establishmentId: est.value },
    ])
    // something for the weekly digest to send: a notice published a week ago, to the one user with an email address
    await s.db.db.updateTable('users').set({ email: 'officer@example.gov.uk' }).where('id', '=', officerId).execute()
    await s.db.db
      .insertInto('bulletins')
      .values({
        kind: 'notice',
        title: 'A notice',
        summary: 'For everyone',
        audience: '',
        published_by: 'national',
        published_at: new Date(Date.now() - 7 * 24 * 3600_000).toISOString(),
      })
      .execute()
    // PostgreSQL: both started at once; each runs the daily jobs as it starts. SQLite is one process by design
    // (decision 008): a second process over its file starts once the first has run its jobs, since a long first job
    // could hold the file past the second's busy timeout on a loaded machine (seen in CI: "database is locked")
    if (store.database.kind === 'postgres') [a, b] = await Promise.all([startInstance(store), startInstance(store)])
    else {
      a = await startInstance(store)
      await a.jobsRan
      b = await startInstance(store)
    }
  })

  after(async () => {
    await Promise.all([stop(a), stop(b)])
    await s?.close()
    await store?.drop()
  })

  it('a session signed in on one instance works on the other, with the same cookie', async () => {
    const cookie = await signIn(a!.base, 'admin')
    const onB = await get(b!.base, '/users', cookie)
    assert.equal(onB.status, 200)
    assert.match(await onB.text(), /officer/)
    // and a form on B, its CSRF token kept in the shared session, then read back on A
    const form = await csrfOf(b!.base, `/users/${officerId}`, cookie)
    const saved = await post(b!.base, `/users/${officerId}/roles`, cookie, [
      ['_csrf', form.token],
      ['roles', 'KEY_WORKER'],
      ['roles', 'ESTABLISHMENT_ADMIN'],
    ])
    assert.equal(saved.status, 303)
    assert.match(await (await get(a!.base, `/users/${officerId}`, cookie)).text(), /Roles saved for officer/)
    // signed out on A: the cookie no longer works on B
    const out = await csrfOf(a!.base, '/users', cookie)
    assert.equal((await post(a!.base, '/sign-out', cookie, [['_csrf', out.token]])).status, 303)
    const after = await get(b!.base, '/users', cookie)
    assert.equal(after.status, 303)
    assert.match(after.headers.get('location') ?? '', /\/sign-in/)
  })

  it(`a role removed on instance A applies on instance B within ${ROLE_BOUND_MS / 1000} s`, async () => {
    const admin = await signIn(a!.base, 'admin')
    const officer = await signIn(b!.base, 'officer')
    // B has just read the officer's roles (and holds them in its cache): an admin page opens
    assert.equal((await get(b!.base, '/users', officer)).status, 200)
    const form = await csrfOf(a!.base, `/users/${officerId}`, admin)
    const removed = await post(a!.base, `/users/${officerId}/roles`, admin, [
      ['_csrf', form.token],
      ['roles', 'KEY_WORKER'],
    ])
    assert.equal(removed.status, 303)
    const removedAt = performance.now()
    // A itself applies it at once
    const officerOnA = officer // the same session
    assert.equal((await get(a!.base, '/users', officerOnA)).status, 403)
    // B: poll until refused; no request that starts after the bound may still be let in
    let status = 200
    while (status === 200) {
      const startedAt = performance.now()
      status = (await get(b!.base, '/users', officer)).status
      if (status === 200)
        assert.ok(startedAt - removedAt <= ROLE_BOUND_MS, 'B still let the officer in after the bound')
      else break
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    assert.equal(status, 403)
    // the role kept still works on B
    assert.equal((await get(b!.base, '/', officer)).status, 200)
  })

  it('the daily jobs, run by both instances as they start, ran each job once per due hour', async () => {
    const logs = await Promise.all([a!.jobsRan, b!.jobsRan])
    const all = jobsOf(logs[0]!)
    assert.deepEqual(jobsOf(logs[1]!), all)
    const ran = logs.flatMap(l => l.ran as string[])
    const dues = new Set(logs.map(l => l.due as string))
    // each job once per due hour across both (two instances in the same hour: each job once, not twice)
    assert.deepEqual([...ran].sort(), [...dues].flatMap(() => all).sort())
    const rows = await s.db.db.selectFrom('job_runs').selectAll().orderBy('job').execute()
    assert.equal(rows.length, ran.length)
    assert.ok(rows.every(r => r.finished_at !== null && dues.has(r.due_key)))
    const pids = new Set([a!.child.pid, b!.child.pid].map(String))
    assert.ok(
      rows.every(r => pids.has(r.instance.split(':').pop()!)),
      'each run names the instance that ran it',
    )
    // the one digest email, once
    const digests = await s.db.db
      .selectFrom('outbox_emails')
      .select('to_address')
      .where('reference', 'like', 'bulletin-digest-%')
      .execute()
    assert.deepEqual(
      digests.map(d => d.to_address),
      ['officer@example.gov.uk'],
    )
  })
})

describe('the daily jobs from two sets of services at once, in process', () => {
  let store: Store
  let one: Services
  let two: Services

  before(async () => {
    store = await newStore()
    one = servicesOn(store)
    two = servicesOn(store)
    await migrateToLatest(one.db)
  })
  after(async () => {
    await one?.close()
    await two?.close()
    await store?.drop()
  })

  const runs = (job: string) =>
    one.db.db.selectFrom('job_runs').selectAll().where('job', '=', job).orderBy('due_key').execute()

  it('runs each job once for the hour however many run them; a third run skips them all', async () => {
    // PostgreSQL: both at once. SQLite: one after the other. Two connections to one SQLite file in one process cannot
    // take turns: a transaction takes the write lock as it begins (decision 026) and the other connection's begin waits
    // for it synchronously, holding up the event loop the first needs to finish. Instances are processes: two of them
    // running the jobs at once on one SQLite file are tested above (both run them as they start).
    const [x, y] =
      store.database.kind === 'postgres'
        ? await Promise.all([runDailyJobs(one), runDailyJobs(two)])
        : [await runDailyJobs(one), await runDailyJobs(two)]
    assert.equal(x.due, y.due)
    const all = jobsOf(x)
    assert.deepEqual(jobsOf(y), all)
    // each job ran on one of the two, and was skipped by the other
    assert.deepEqual([...x.ran, ...y.ran].sort(), all)
    assert.deepEqual([...x.skipped, ...y.skipped].sort(), all)
    const third = await runDailyJobs(one)
    assert.deepEqual(third.ran, [])
    assert.deepEqual([...third.skipped].sort(), all)
    const rows = await one.db.db.selectFrom('job_runs').selectAll().execute()
    assert.equal(rows.length, all.length)
  })

  it('a due time whose run failed is given back, and the next run does it', async () => {
    await assert.rejects(
      runOnce(one.db, 'test-job', '2026-12-06T07', () => Promise.reject(new Error('boom'))),
      /boom/,
    )
    assert.deepEqual(await runs('test-job'), [])
    const again = await runOnce(two.db, 'test-job', '2026-12-06T07', async () => 42)
    assert.deepEqual(again, { ran: true, value: 42 })
    assert.deepEqual(await runOnce(one.db, 'test-job', '2026-12-06T07', async () => 43), { ran: false, reason: 'done' })
  })

  it('an unfinished claim is left while it may be running, and taken over when its instance is gone', async () => {
    const claim = (due: string, startedAt: string) =>
      one.db.db
        .insertInto('job_runs')
        .values({ job: 'claimed', due_key: due, instance: 'gone:1', started_at: startedAt, finished_at: null })
        .execute()
    // claimed a minute ago by an instance that holds no lock now
    await claim('2026-12-06T08', new Date(Date.now() - 60_000).toISOString())
    const fresh = await runOnce(one.db, 'claimed', '2026-12-06T08', async () => 'ran')
    if (store.database.kind === 'postgres')
      // the advisory lock proves nobody is running it: its instance died, so the due time is taken over at once
      assert.deepEqual(fresh, { ran: true, value: 'ran' })
    // SQLite has no lock to ask: a claim younger than STALE_MS may be running still
    else assert.deepEqual(fresh, { ran: false, reason: 'running' })
    // claimed longer ago than STALE_MS: taken over on either engine
    await claim('2026-12-06T09', new Date(Date.now() - STALE_MS - 60_000).toISOString())
    assert.deepEqual(await runOnce(two.db, 'claimed', '2026-12-06T09', async () => 'ran'), { ran: true, value: 'ran' })
    const rows = await runs('claimed')
    const taken = store.database.kind === 'postgres' ? rows : rows.filter(r => r.due_key === '2026-12-06T09')
    assert.equal(taken.length, store.database.kind === 'postgres' ? 2 : 1)
    assert.ok(
      taken.every(r => r.finished_at !== null && r.instance !== 'gone:1'),
      'finished by the one that took over',
    )
  })

  it('while one runs a job, the other does not start it (PostgreSQL: the advisory lock; one process: its own runs)', async () => {
    let release!: () => void
    const held = new Promise<void>(resolve => (release = resolve))
    const first = runOnce(one.db, 'slow', '2026-12-06T10', () => held.then(() => 'first'))
    // let the first claim and start
    while ((await runs('slow')).length === 0) await new Promise(resolve => setTimeout(resolve, 10))
    // the same handle (a second tick of one instance): never twice at once
    assert.deepEqual(await runOnce(one.db, 'slow', '2026-12-06T11', async () => 'tick'), {
      ran: false,
      reason: 'running',
    })
    // the other instance, for the same due time: claimed and running
    assert.deepEqual(await runOnce(two.db, 'slow', '2026-12-06T10', async () => 'second'), {
      ran: false,
      reason: 'running',
    })
    // the other instance, for the next due time: on PostgreSQL the job's lock keeps it out until the first is done
    const next = await runOnce(two.db, 'slow', '2026-12-06T11', async () => 'next')
    if (store.database.kind === 'postgres') assert.deepEqual(next, { ran: false, reason: 'running' })
    else assert.deepEqual(next, { ran: true, value: 'next' })
    release()
    assert.deepEqual(await first, { ran: true, value: 'first' })
    const count = await sql<{ n: number }>`select count(*) as n from job_runs where job = 'slow'`.execute(one.db.db)
    assert.equal(Number(count.rows[0]!.n), store.database.kind === 'postgres' ? 1 : 2)
  })
})
