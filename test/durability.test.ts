import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { type Config, loadConfig } from '../src/config'
import { londonNow } from '../src/domain/hubs'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'
import { prisonerRecordSchema } from '../src/features/prisoners/schema'
import { type Services, buildServices } from '../src/services'
import { PASSWORD, createUser } from './harness'

// No acknowledged write is lost (issue 18, point 7). The real server (`keywork serve`, a child process) over a file
// (SQLite) or a schema of its own (PostgreSQL, when TEST_DATABASE_URL is set), 50 officers' browsers at once, each in a
// loop: start an entry, submit it, save another draft. Every 303 the browsers saw is written down with the unique
// token its text carried. Then:
// - the server is killed with SIGKILL in the middle of the load and started again on the same database: every
//   acknowledged entry is there exactly once, an entry in flight at the kill at most once, every acknowledged draft
//   save still there (or the save in flight after it), and the audit trail verifies;
// - `keywork backup` runs while the load goes on, the backup is restored into a fresh database or file with
//   `keywork restore`: `keywork audit verify` passes on the copy, and it holds every entry acknowledged before the
//   backup began, once.

const root = path.resolve(import.meta.dirname, '..')
const PG_URL = process.env.TEST_DATABASE_URL
const exec = promisify(execFile)

/** officers' browsers at once, across KEY_WORKERS users */
const CLIENTS = 50
const KEY_WORKERS = 5
/** acknowledged submissions before the kill; and before the backup starts */
const KILL_AFTER = 100
const BACKUP_AFTER = 40

interface Store {
  database: Config['database']
  /** environment for a child process on this database */
  env: Record<string, string>
  drop(): Promise<void>
}

async function newStore(): Promise<Store> {
  if (PG_URL) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`
    await adminQuery(PG_URL, `create schema ${schema}`)
    return {
      database: { kind: 'postgres', url: PG_URL, schema },
      env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
      drop: () => adminQuery(PG_URL, `drop schema ${schema} cascade`),
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-durability-'))
  const file = path.join(dir, 'keywork.sqlite')
  return {
    database: { kind: 'sqlite', file },
    env: { DATABASE_URL: `sqlite:${file}` },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/** A fresh, empty store to restore a backup of `from` into: a new PostgreSQL database (same schema name), or file. */
async function restoreTarget(from: Store): Promise<Store> {
  if (from.database.kind === 'postgres') {
    const name = `keywork_restore_${crypto.randomBytes(6).toString('hex')}`
    await adminQuery(PG_URL!, `create database ${name}`)
    const url = new URL(PG_URL!)
    url.pathname = `/${name}`
    const schema = from.database.schema!
    return {
      database: { kind: 'postgres', url: url.toString(), schema },
      env: { DATABASE_URL: url.toString(), DATABASE_SCHEMA: schema },
      drop: () => adminQuery(PG_URL!, `drop database ${name} with (force)`),
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-restored-'))
  const file = path.join(dir, 'restored.sqlite')
  return {
    database: { kind: 'sqlite', file },
    env: { DATABASE_URL: `sqlite:${file}` },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

async function adminQuery(url: string, text: string) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    await c.query(text)
  } finally {
    await c.end()
  }
}

function servicesOn(store: Store): Services {
  const config: Config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database: store.database }
  return buildServices(config, openDatabase(store.database))
}

/** `keywork <args>` on a store, as an operator runs it. */
function keywork(store: Store, args: string[]) {
  return exec('node', ['bin/keywork.js', ...args], {
    cwd: root,
    env: { ...process.env, ...store.env, LOG_LEVEL: 'silent', NODE_ENV: 'development' },
  })
}

async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise(resolve => s.close(resolve))
  return port
}

interface Server {
  base: string
  child: ChildProcess
}

/** `keywork serve` on the store; resolves once it listens. */
async function startServer(store: Store): Promise<Server> {
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
      SESSION_SECRET: 'the durability test secret, kept across restarts',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += d.toString()
      if (/"msg":"keywork listening"/.test(out)) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', code => reject(new Error(`keywork serve exited (${code}) before listening: ${stderr}`)))
  })
  return { base: `http://127.0.0.1:${port}`, child }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

async function stopServer(server: Server | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  if (!server) return
  const gone = exited(server.child)
  server.child.kill(signal)
  await gone
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map(c => c.split(';')[0])
    .join('; ')

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1]

function post(base: string, pathname: string, cookie: string, fields: Record<string, string>) {
  return fetch(base + pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
}

interface Officer {
  index: number
  cookie: string
  csrf: string
  /** the prisoner this officer records entries for, one after another */
  prisoner: string
  /** the prisoner of the officer's standing draft, saved again and again */
  draftPrisoner: string
  /** that draft's id */
  draftId: number
}

/** Signs in like a browser; returns the cookie and the session's CSRF token. */
async function signIn(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const page = await fetch(`${base}/sign-in`)
  const token = csrfIn(await page.text())
  assert.ok(token, 'a CSRF token on the sign-in page')
  const res = await post(base, '/sign-in', cookieOf(page), { _csrf: token, username, password: PASSWORD })
  assert.equal(res.status, 303, `sign-in of ${username}`)
  assert.notEqual(res.headers.get('location'), '/sign-in')
  const cookie = cookieOf(res)
  const home = await fetch(`${base}/sessions/drafts`, { headers: { cookie } })
  const csrf = csrfIn(await home.text())
  assert.ok(csrf, 'a CSRF token on the drafts page')
  return { cookie, csrf }
}

/** Starts an entry for a prisoner (the start page's form); the draft's id from the 303 to its form. */
async function startEntry(base: string, o: { cookie: string; csrf: string }, prisonNumber: string) {
  const res = await post(base, `/prisoners/${prisonNumber}/sessions`, o.cookie, {
    _csrf: o.csrf,
    client_key: crypto.randomUUID(),
  })
  const id = /^\/sessions\/(\d+)\/edit$/.exec(res.headers.get('location') ?? '')?.[1]
  if (res.status !== 303 || !id)
    throw new Error(`starting an entry answered ${res.status} ${res.headers.get('location')}`)
  return Number(id)
}

const [year, month, day] = londonNow().date.split('-')

/** A whole entry (a delivered session today), its text carrying the token. */
const entry = (csrf: string, token: string) => ({
  _csrf: csrf,
  outcome: 'delivered',
  'sessionDate-day': String(Number(day)),
  'sessionDate-month': String(Number(month)),
  'sessionDate-year': year!,
  startsAt: '10:00',
  duration: '30',
  location: 'cell',
  private: 'yes',
  interpreterNeeded: 'no',
  concern: 'no',
  prisonerWords: 'He wants to sort out his housing before release.',
  agreed: `Ask the resettlement team about housing. Reference ${token}.`,
})

const TOKEN = /tok-[a-z]+-\d+-\d+-[0-9a-f]{8}/g

/** What the browsers were told, written down as it happened. */
class Load {
  /** submissions answered 303 to the entry's page: token → entry id */
  readonly acknowledged = new Map<string, number>()
  /** submissions sent and never answered (in flight when the server died) */
  readonly unanswered = new Set<string>()
  /** each officer's standing draft: the token of the last save answered 303, and of a save left unanswered */
  readonly drafts = new Map<number, { id: number; acknowledged: string | null; unanswered: string | null }>()
  /** answers that were neither a 303 where expected nor a dropped connection */
  readonly unexpected: string[] = []
  private stopping = false
  private readonly running: Promise<void>[] = []
  private readonly waiters: { n: number; resolve: () => void }[] = []

  constructor(
    private readonly base: string,
    private readonly phase: string,
  ) {}

  start(officers: Officer[]) {
    for (const o of officers) {
      this.drafts.set(o.index, { id: o.draftId, acknowledged: null, unanswered: null })
      this.running.push(this.officer(o))
    }
  }

  /** Resolves once n submissions have been acknowledged. */
  after(n: number): Promise<void> {
    if (this.acknowledged.size >= n) return Promise.resolve()
    return new Promise(resolve => this.waiters.push({ n, resolve }))
  }

  /** Lets every officer finish the request in hand, and stops. */
  async stop() {
    this.stopping = true
    await Promise.all(this.running)
  }

  private acknowledge(token: string, id: number) {
    this.acknowledged.set(token, id)
    for (const w of [...this.waiters])
      if (this.acknowledged.size >= w.n) {
        this.waiters.splice(this.waiters.indexOf(w), 1)
        w.resolve()
      }
  }

  private async officer(o: Officer) {
    const draft = this.drafts.get(o.index)!
    for (let n = 0; !this.stopping; n++) {
      const token = `tok-${this.phase}-${o.index}-${n}-${crypto.randomBytes(4).toString('hex')}`
      // a new entry, submitted; then the standing draft saved with new words
      let id: number
      try {
        id = await startEntry(this.base, o, o.prisoner)
      } catch (err) {
        if (!isDropped(err)) this.unexpected.push(String(err))
        return
      }
      this.unanswered.add(token)
      try {
        const res = await post(this.base, `/sessions/${id}/submit`, o.cookie, entry(o.csrf, token))
        const location = res.headers.get('location')
        if (res.status === 303 && location === `/sessions/${id}`) {
          this.unanswered.delete(token)
          this.acknowledge(token, id)
        } else this.unexpected.push(`submit of ${id} answered ${res.status} ${location}`)
      } catch (err) {
        if (!isDropped(err)) this.unexpected.push(String(err))
        return
      }
      const draftToken = `${token.replace('tok-', 'tok-d')}`
      draft.unanswered = draftToken
      try {
        const res = await post(this.base, `/sessions/${o.draftId}/draft`, o.cookie, entry(o.csrf, draftToken))
        const location = res.headers.get('location')
        if (res.status === 303 && location === `/sessions/${o.draftId}/edit`) {
          draft.acknowledged = draftToken
          draft.unanswered = null
        } else this.unexpected.push(`draft save of ${o.draftId} answered ${res.status} ${location}`)
      } catch (err) {
        if (!isDropped(err)) this.unexpected.push(String(err))
        return
      }
    }
  }
}

/** fetch's failure when the server went away mid-request or refuses connections */
function isDropped(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause
  return (
    err instanceof TypeError && ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EPIPE'].includes(cause?.code ?? '')
  )
}

interface Found {
  /** token → the rows whose submitted text holds it */
  submitted: Map<string, number[]>
  /** draft id → its stored form's token */
  drafts: Map<number, string | null>
}

/** Every token in the database: in the text of submitted entries, and in the forms of drafts. */
async function found(store: Store): Promise<Found> {
  const s = servicesOn(store)
  try {
    const rows = await s.db.db
      .selectFrom('key_work_sessions')
      .select(['id', 'status', 'agreed', 'draft_form'])
      .execute()
    const submitted = new Map<string, number[]>()
    const drafts = new Map<number, string | null>()
    for (const r of rows) {
      if (r.status === 'submitted')
        for (const t of (r.agreed ?? '').match(TOKEN) ?? []) submitted.set(t, [...(submitted.get(t) ?? []), r.id])
      if (r.status === 'draft') drafts.set(r.id, (r.draft_form ?? '').match(TOKEN)?.[0] ?? null)
    }
    return { submitted, drafts }
  } finally {
    await s.close()
  }
}

/** Officer `index` signs in, as one of the Key Workers, and starts their standing draft. */
async function officerOf(base: string, index: number): Promise<Officer> {
  const session = await signIn(base, `officer${index % KEY_WORKERS}`)
  const draftPrisoner = `D${1000 + CLIENTS + index}DU`
  const draftId = await startEntry(base, session, draftPrisoner)
  return { index, ...session, prisoner: `D${1000 + index}DU`, draftPrisoner, draftId }
}

describe('SQLite synchronous setting', () => {
  it('is FULL unless SQLITE_SYNCHRONOUS says NORMAL, and refuses anything else', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-synchronous-'))
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` }
    try {
      // PRAGMA synchronous reads back 1 for NORMAL, 2 for FULL (SQLite's documentation)
      const cases: [Record<string, string>, number][] = [
        [{}, 2],
        [{ SQLITE_SYNCHRONOUS: 'NORMAL' }, 1],
        [{ SQLITE_SYNCHRONOUS: 'FULL' }, 2],
      ]
      for (const [extra, expected] of cases) {
        const db = openDatabase(loadConfig({ ...env, ...extra }).database)
        try {
          assert.equal(db.sqlite!.pragma('synchronous', { simple: true }), expected, JSON.stringify(extra))
        } finally {
          await db.close()
        }
      }
      assert.throws(() => loadConfig({ ...env, SQLITE_SYNCHRONOUS: 'OFF' }), /SQLITE_SYNCHRONOUS/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('no acknowledged write is lost', { timeout: 240_000 }, () => {
  let store: Store
  let server: Server | undefined
  const officers: Officer[] = []

  before(async () => {
    store = await newStore()
    const s = servicesOn(store)
    try {
      await migrateToLatest(s.db)
      const est = await s.establishments.create(SYSTEM_ACTOR, {
        code: 'MDI',
        name: 'Moorland (HMP)',
        category: 'Category B local',
        region: 'Yorkshire',
      })
      assert.ok(est.ok)
      const actor = { ...SYSTEM_ACTOR, establishmentId: est.value }
      assert.ok((await s.units.create(actor, est.value, { code: 'HB1', name: 'Houseblock 1', capacity: 200 })).ok)
      for (let k = 0; k < KEY_WORKERS; k++)
        await createUser(s, `officer${k}`, [{ role: 'KEY_WORKER', establishmentId: est.value }])
      // two prisoners an officer: one whose entries they record, one whose draft they keep saving
      for (let i = 0; i < 2 * CLIENTS; i++) {
        const record = prisonerRecordSchema.parse({
          prisonNumber: `D${1000 + i}DU`,
          firstName: 'Test',
          lastName: `Prisoner ${i}`,
          dateOfBirth: '1990-01-01',
          unit: 'HB1',
          receptionDate: '2025-01-06',
          status: 'in',
          complexity: 'low',
          firstLanguage: 'en',
          interpreterNeeded: 'no',
        })
        assert.ok((await s.prisoners.create(actor, est.value, record)).ok, `prisoner ${i}`)
      }
    } finally {
      await s.close()
    }
    server = await startServer(store)
    // one officer of each Key Worker at a time: sign-in attempts at once beyond the throttle's limits are refused
    for (let index = 0; index < CLIENTS; index += KEY_WORKERS)
      officers.push(
        ...(await Promise.all(Array.from({ length: KEY_WORKERS }, (_, k) => officerOf(server!.base, index + k)))),
      )
  })

  after(async () => {
    await stopServer(server)
    await store?.drop()
  })

  it(`keeps every entry acknowledged before a SIGKILL under ${CLIENTS} officers' load, once, and every draft`, async t => {
    const load = new Load(server!.base, 'kill')
    load.start(officers)
    await load.after(KILL_AFTER)
    await stopServer(server, 'SIGKILL')
    await load.stop()
    const restartedAt = performance.now()
    server = await startServer(store)
    t.diagnostic(`restart after SIGKILL: listening in ${Math.round(performance.now() - restartedAt)} ms`)
    t.diagnostic(`acknowledged ${load.acknowledged.size} submissions; ${load.unanswered.size} in flight at the kill`)

    assert.deepEqual(load.unexpected, [])
    assert.ok(load.acknowledged.size >= KILL_AFTER)
    // the kill came in the middle of the load: requests were in flight
    const draftsInFlight = [...load.drafts.values()].filter(d => d.unanswered).length
    assert.ok(load.unanswered.size + draftsInFlight > 0, 'some requests were in flight at the kill')

    const db = await found(store)
    for (const [token, id] of load.acknowledged) assert.deepEqual(db.submitted.get(token), [id], `entry ${token}`)
    for (const token of load.unanswered)
      assert.ok((db.submitted.get(token) ?? []).length <= 1, `the entry in flight ${token}, at most once`)
    for (const [token, ids] of db.submitted)
      assert.ok(load.acknowledged.has(token) || load.unanswered.has(token), `${token} (${ids}) was sent`)
    for (const [index, d] of load.drafts) {
      assert.ok(db.drafts.has(d.id), `officer ${index}'s draft ${d.id} is still a draft`)
      const stored = db.drafts.get(d.id)
      // the last save acknowledged, or the one in flight after it
      assert.ok(stored === d.acknowledged || stored === d.unanswered, `draft ${d.id} holds ${stored}`)
      if (d.acknowledged === null) assert.ok(stored === null || stored === d.unanswered)
    }

    // the restarted server shows an acknowledged entry, and the audit trail is whole
    const [someToken, someId] = [...load.acknowledged][0]!
    const page = await fetch(`${server.base}/sessions/${someId}`, { headers: { cookie: officers[0]!.cookie } })
    assert.equal(page.status, 200)
    assert.ok((await page.text()).includes(someToken))
    // what `keywork audit verify` runs (it runs as a command on the restored copy below)
    const s = servicesOn(store)
    try {
      const audit = await s.audit.verify()
      assert.deepEqual(audit.problems, [])
      assert.equal(audit.ok, true)
    } finally {
      await s.close()
    }
  })

  it('restores a backup taken under load: the audit trail verifies and every entry acknowledged before it is there, once', async t => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-backup-'))
    const file = path.join(dir, store.database.kind === 'postgres' ? 'keywork.dump' : 'keywork.sqlite')
    const target = await restoreTarget(store)
    try {
      const load = new Load(server!.base, 'backup')
      load.start(officers)
      await load.after(BACKUP_AFTER)
      const before = new Map(load.acknowledged)
      const backedUp = await keywork(store, ['backup', file])
      const during = load.acknowledged.size - before.size
      await load.stop()
      t.diagnostic(`${before.size} entries acknowledged before the backup, ${during} while it ran`)
      assert.match(backedUp.stdout, /Backed up to/)
      assert.deepEqual(load.unexpected, [])
      assert.ok(during > 0, 'the service went on recording while the backup ran')

      const restoreStarted = performance.now()
      const restored = await keywork(target, ['restore', file])
      t.diagnostic(`keywork restore: ${Math.round(performance.now() - restoreStarted)} ms`)
      assert.match(restored.stdout, /Restored/)
      const verified = await keywork(target, ['audit', 'verify'])
      assert.match(verified.stdout, /The audit trail is intact/)

      const db = await found(target)
      for (const [token, id] of before) assert.deepEqual(db.submitted.get(token), [id], `entry ${token}`)
      for (const [token, ids] of db.submitted) assert.equal(ids.length, 1, `${token} once`)
    } finally {
      await target.drop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
