// npm run bench -- scale [--json] [--duration S] [--connections N] [--writers N] [--audit-seconds S]
//                        [--skip-sqlite] [--keep-database NAME]
//
// Several instances on one PostgreSQL (issue 18, points 5 and 6). A bench database (created and dropped here, on the
// server of BENCH_DATABASE_URL or TEST_DATABASE_URL) with the demo as `npm start` loads it (3 establishments and a
// year of Key Work history: a prisoner page shows his last sessions, goals and referrals), then:
// (1) audited writes per second, one establishment against many (bench/audit.ts auditedWrites, in this process,
//     before any instance starts);
// (2) a mixed load as officers make it, every request audited as the app audits it: prisoner pages (5 in 10),
//     prisoner searches (2), session submissions with a goal and a referral (2, each a different draft and narrative)
//     and the establishment's statistics page (1), by autocannon with N connections: against ONE `keywork serve`
//     process, then against TWO (two processes on different ports over the same database, N/2 connections each, at
//     the same time), side by side: throughput, p50 and p99 over every response, answers other than the expected
//     (200, or 303 for a submission), and the CPU each side took: the instances, and the load generator (this
//     process) — on a 2-core machine the generator's share is taken from the instances;
// (3) the prisoner page alone on one instance, on PostgreSQL and on SQLite (the same demo in a temporary file),
//     PostgreSQL's throughput as a share of SQLite's.
import { type ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import type { Config } from '../src/config'
import { DEMO_PASSWORD } from '../src/demo/generator/generate'
import { DEFAULT_DEMO } from '../src/demo/load/service'
import { loadDemoHistory } from '../src/demo/statistics'
import { todayIso } from '../src/domain/dates'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { type Services, buildServices } from '../src/services'
import { type AuditedWritesResult, auditedWrites } from './audit'
import { withBenchDatabase } from './benchDatabase'
import { positive, signIn } from './http'
import { benchConfig } from './pages-server'
import { entryBody, makeDrafts } from './entries'

const TARGET = { twoOverOne: 1.5, postgresOverSqlite: 0.8 }
const ROOT = path.resolve(import.meta.dirname, '..')
/** the mix, one slot per request in turn */
const MIX = ['page', 'page', 'search', 'submit', 'page', 'statistics', 'page', 'search', 'submit', 'page'] as const
type Kind = (typeof MIX)[number]

export interface LoadMeasure {
  instances: number
  connections: number
  seconds: number
  requests: number
  requestsPerSecond: number
  p50: number
  p99: number
  /** answers other than 200 or 303, and connection errors (submissions recorded: see `recorded`) */
  unexpected: number
  errors: number
  byKind: Record<Kind, number>
  /** CPU the instances took, in seconds, and as cores over the run */
  instanceCpuSeconds: number
  /** CPU the load generator (this process) took, in seconds, and as cores over the run */
  generatorCpuSeconds: number
  generatorCores: number
  instanceCores: number
  /** submissions sent and found submitted in the database afterwards */
  submissions?: { sent: number; recorded: number }
}

export interface ScaleResult {
  bench: 'scale'
  part: 'mixed load' | 'prisoner page' | 'audited writes'
  engine: 'postgres' | 'sqlite'
  measure: string
  load?: LoadMeasure
  audit?: AuditedWritesResult
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      writers: { type: 'string', default: '8' },
      'audit-seconds': { type: 'string', default: '3' },
      'skip-sqlite': { type: 'boolean', default: false },
      'keep-database': { type: 'string' },
    },
  })
  const seconds = positive(values.duration, 'duration')
  const connections = Math.max(2, Math.round(positive(values.connections, 'connections') / 2) * 2)
  const writers = positive(values.writers, 'writers')
  const auditSeconds = positive(values['audit-seconds'], 'audit-seconds')
  const say = (line: string) => {
    if (!values.json) console.error(line)
  }
  const results: ScaleResult[] = []
  const emit = (r: ScaleResult) => {
    results.push(r)
    if (values.json) console.log(JSON.stringify(r))
  }
  const children: ChildProcess[] = []
  const secret = crypto.randomBytes(24).toString('hex')
  try {
    const serverUrl =
      process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
    await withBenchDatabase('scale', values['keep-database'], async ({ s, name, kept }) => {
      const url = new URL(serverUrl)
      url.pathname = `/${name}`
      if (!kept) {
        say('scale: building the demo on PostgreSQL…')
        await buildDemo(s)
      }
      const load = await loadOf(s, 4 * Math.ceil(seconds * 400 + 1000))
      const env = { DATABASE_URL: url.toString() }
      // (2) the mixed load, one instance then two
      say('scale: starting two instances (keywork serve) on the bench database…')
      const a = await startInstance(env, secret, children)
      const b = await startInstance(env, secret, children)
      const who = await load.signInAll(a.base)
      for (const [measure, instances] of [
        ['one instance', [a]],
        ['two instances', [a, b]],
      ] as const) {
        say(`scale: mixed load, ${measure}, ${connections / instances.length} connections each, ${seconds} s…`)
        await mixed([...instances], who, load, connections, 2) // warm-up
        await load.recorded()
        const measured = await mixed([...instances], who, load, connections, seconds)
        measured.submissions = await load.recorded()
        emit({ bench: 'scale', part: 'mixed load', engine: 'postgres', measure, load: measured })
      }
      await stopInstance(b)
      // (3) the prisoner page on PostgreSQL, one instance
      say(`scale: prisoner page on PostgreSQL, one instance, ${seconds} s…`)
      await pageOnly(a, who.keyworker, load.prisonNumbers, connections, 2)
      emit({
        bench: 'scale',
        part: 'prisoner page',
        engine: 'postgres',
        measure: 'one instance',
        load: await pageOnly(a, who.keyworker, load.prisonNumbers, connections, seconds),
      })
      await stopInstance(a)
      // (1) audited writes, in this process, once the instances have stopped
      say(`scale: audited writes, ${writers} writers, ${auditSeconds} s each…`)
      await auditedWrites(s, { writers, establishmentIds: [1], seconds: 1 }) // warm-up: connections, statements
      const each = Array.from({ length: writers }, (_, i) => 1000 + i)
      for (const ids of [[1], each])
        emit({
          bench: 'scale',
          part: 'audited writes',
          engine: 'postgres',
          measure: ids.length === 1 ? 'one establishment' : `${ids.length} establishments`,
          audit: await auditedWrites(s, { writers, establishmentIds: ids, seconds: auditSeconds }),
        })
    })
    if (!values['skip-sqlite']) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-bench-scale-'))
      try {
        const database: Config['database'] = { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') }
        say('scale: building the demo on SQLite…')
        const s = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
        let prisonNumbers: string[]
        try {
          await migrateToLatest(s.db)
          await buildDemo(s)
          prisonNumbers = (await loadOf(s, 0)).prisonNumbers
        } finally {
          await s.close()
        }
        const a = await startInstance({ DATABASE_URL: `sqlite:${database.file}` }, secret, children)
        const cookie = await signIn(a.base, 'keyworker', DEMO_PASSWORD)
        say(`scale: prisoner page on SQLite, one instance, ${seconds} s…`)
        await pageOnly(a, cookie, prisonNumbers, connections, 2)
        emit({
          bench: 'scale',
          part: 'prisoner page',
          engine: 'sqlite',
          measure: 'one instance',
          load: await pageOnly(a, cookie, prisonNumbers, connections, seconds),
        })
        await stopInstance(a)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
  } finally {
    await Promise.all(children.map(c => stopInstance({ child: c, base: '' })))
  }
  if (!values.json) printTable(results)
}

async function buildDemo(s: Services) {
  await s.guidance.ensureNationalContent()
  const r = await s.demo.load({ ...DEFAULT_DEMO, reset: false })
  if (!r.ok) throw new Error(Object.values(r.errors).join('\n'))
  await loadDemoHistory(
    s.db,
    { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
    { seed: DEFAULT_DEMO.seed, today: todayIso() },
  )
}

interface Who {
  keyworker: string
  supervisor: string
  /** the keyworker's CSRF token, for the submissions */
  csrf: string
}

/** What the load needs from the demo: Leeds' prison numbers in custody, drafts to submit, narratives. */
async function loadOf(s: Services, drafts: number) {
  const leeds = await s.establishments.byCode('LEI')
  if (!leeds) throw new Error('the demo has no Leeds')
  const { rows } = await s.prisoners.search({ establishmentId: leeds.id, status: 'in', limit: 200, offset: 0 })
  if (rows.length === 0) throw new Error('the demo has no prisoners in Leeds')
  const draftIds = drafts > 0 ? await makeDrafts(s, drafts) : []
  let next = 0
  let counted = 0
  return {
    prisonNumbers: rows.map(r => r.prison_number),
    /** of the drafts handed out since the last call, how many were submitted, and how many were handed out */
    async recorded(): Promise<{ sent: number; recorded: number }> {
      const ids = draftIds.slice(counted, next)
      counted = next
      if (ids.length === 0) return { sent: 0, recorded: 0 }
      const r = await s.db.db
        .selectFrom('key_work_sessions')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'submitted')
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow()
      return { sent: ids.length, recorded: Number(r.n) }
    },
    /** the next draft's id, and its place among the drafts (which entry it gets: bench/entries.ts) */
    nextDraft: () => {
      if (next >= draftIds.length) throw new Error('the bench ran out of drafts: raise their number')
      return { index: next, id: draftIds[next++]! }
    },
    async signInAll(base: string): Promise<Who> {
      const keyworker = await signIn(base, 'keyworker', DEMO_PASSWORD)
      const supervisor = await signIn(base, 'supervisor', DEMO_PASSWORD)
      const form = await (
        await fetch(`${base}/sessions/${draftIds[0]}/edit`, { headers: { cookie: keyworker } })
      ).text()
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1]
      if (!csrf) throw new Error('no CSRF token on the session form')
      return { keyworker, supervisor, csrf }
    },
  }
}

type Load = Awaited<ReturnType<typeof loadOf>>

/** CPU seconds (user + system) a process has used, from /proc (Linux); 0 elsewhere. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return 0
  }
}

interface Instance {
  base: string
  child: ChildProcess
}

async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise(resolve => s.close(resolve))
  return port
}

/** Starts `keywork serve` (as test/instances.test.ts does) and waits until it listens. */
async function startInstance(env: Record<string, string>, secret: string, children: ChildProcess[]) {
  const port = await freePort()
  const child = spawn(process.execPath, ['bin/keywork.js', 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'false',
      SECURE_COOKIES: 'false',
      SESSION_SECRET: secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    // listening, and the daily jobs it runs at start done (they would otherwise compete with the load)
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('"msg":"daily jobs ran"') || out.includes('"msg":"daily jobs failed"')) resolve()
      if (out.length > 1_000_000) out = out.slice(-10_000)
    })
    child.once('exit', code => reject(new Error(`keywork serve exited (${code}) before listening: ${stderr}`)))
  })
  return { base: `http://127.0.0.1:${port}`, child } satisfies Instance
}

function stopInstance(i: Instance): Promise<void> {
  const { child } = i
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Runs one autocannon per instance at once (the connections shared out), each request chosen by `pick`. */
async function measure(
  instances: Instance[],
  connections: number,
  seconds: number,
  pick: (i: number) => { kind: Kind; method: 'GET' | 'POST'; path: string; cookie: string; body?: string },
): Promise<LoadMeasure> {
  const latencies: number[] = []
  const byKind = Object.fromEntries(MIX.map(k => [k, 0])) as Record<Kind, number>
  let unexpected = 0
  let errors = 0
  let n = 0
  const cpu0 = instances.map(i => cpuSecondsOf(i.child.pid))
  const gen0 = process.cpuUsage()
  const t0 = performance.now()
  await Promise.all(
    instances.map(inst =>
      autocannon({
        url: inst.base,
        connections: connections / instances.length,
        duration: seconds,
        setupClient: client => {
          client.on('response', (status: number, _bytes: number, ms: number) => {
            latencies.push(ms)
            if (status !== 200 && status !== 303) unexpected++
          })
        },
        requests: [
          {
            method: 'GET',
            setupRequest: req => {
              const r = pick(n++)
              byKind[r.kind]++
              return {
                ...req,
                method: r.method,
                path: r.path,
                headers: {
                  cookie: r.cookie,
                  ...(r.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
                },
                ...(r.body ? { body: r.body } : { body: undefined }),
              }
            },
          },
        ],
      }).then(r => {
        errors += r.errors
      }),
    ),
  )
  const wall = (performance.now() - t0) / 1000
  const gen = process.cpuUsage(gen0)
  const instanceCpu = instances.reduce((sum, i, k) => sum + cpuSecondsOf(i.child.pid) - cpu0[k]!, 0)
  latencies.sort((x, y) => x - y)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  const generatorCpuSeconds = (gen.user + gen.system) / 1e6
  return {
    instances: instances.length,
    connections,
    seconds: wall,
    requests: latencies.length,
    requestsPerSecond: latencies.length / wall,
    p50: at(0.5),
    p99: at(0.99),
    unexpected,
    errors,
    byKind,
    instanceCpuSeconds: instanceCpu,
    generatorCpuSeconds,
    generatorCores: generatorCpuSeconds / wall,
    instanceCores: instanceCpu / wall,
  }
}

function mixed(instances: Instance[], who: Who, load: Load, connections: number, seconds: number) {
  return measure(instances, connections, seconds, i => {
    const kind = MIX[i % MIX.length]!
    const pn = load.prisonNumbers[(i * 7) % load.prisonNumbers.length]!
    switch (kind) {
      case 'page':
        return { kind, method: 'GET', path: `/prisoners/${pn}`, cookie: who.keyworker }
      case 'search':
        return { kind, method: 'GET', path: `/prisoners?q=${pn.slice(0, 3)}`, cookie: who.keyworker }
      case 'statistics':
        return { kind, method: 'GET', path: '/statistics?period=12m&scope=establishment', cookie: who.supervisor }
      case 'submit': {
        const { id, index } = load.nextDraft()
        return {
          kind,
          method: 'POST',
          path: `/sessions/${id}/submit`,
          cookie: who.keyworker,
          body: entryBody(who.csrf, index),
        }
      }
    }
  })
}

function pageOnly(instance: Instance, cookie: string, prisonNumbers: string[], connections: number, seconds: number) {
  return measure([instance], connections, seconds, i => ({
    kind: 'page',
    method: 'GET',
    path: `/prisoners/${prisonNumbers[(i * 7) % prisonNumbers.length]!}`,
    cookie,
  }))
}

function printTable(results: ScaleResult[]) {
  const n = (x: number, digits = 0) => x.toLocaleString('en-GB', { maximumFractionDigits: digits })
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const audit = results.filter(r => r.audit)
  if (audit.length) {
    console.log('\nAudited writes on PostgreSQL (bench/audit.ts, in-process writers, each event its own transaction):')
    for (const { audit: a } of audit)
      console.log(
        `  ${a!.measure.padEnd(36)} ${n(a!.perSecond).padStart(7)} writes/s  p50 ${n(a!.p50Ms, 1)} ms  ` +
          `p99 ${n(a!.p99Ms, 1)} ms  (${a!.writers} writers)`,
      )
  }
  const line = (r: ScaleResult) => {
    const l = r.load!
    return (
      `  ${`${r.engine}, ${r.measure}`.padEnd(26)} ${n(l.requestsPerSecond).padStart(6)} req/s  p50 ${n(l.p50, 1)} ms` +
      `  p99 ${n(l.p99, 1)} ms  (${n(l.requests)} requests, ${l.unexpected} unexpected, ${l.errors} errors` +
      // autocannon builds a connection's next request before it sends it: when the run ends, up to one submission a
      // connection was built and never sent, so "built" exceeds "recorded" by at most the connections
      `${l.submissions ? `, ${n(l.submissions.recorded)} submissions recorded of ${n(l.submissions.sent)} built` : ''})` +
      `  CPU: instances ${n(l.instanceCores, 2)} cores, load generator ${n(l.generatorCores, 2)} cores`
    )
  }
  const mixedRuns = results.filter(r => r.part === 'mixed load')
  if (mixedRuns.length) {
    const l = mixedRuns[0]!.load!
    console.log(
      `\nMixed load on PostgreSQL (${l.connections} connections; prisoner pages 5 in 10, searches 2, submissions 2, ` +
        `statistics 1; all audited):`,
    )
    for (const r of mixedRuns) console.log(line(r))
    const one = mixedRuns.find(r => r.measure === 'one instance')?.load
    const two = mixedRuns.find(r => r.measure === 'two instances')?.load
    if (one && two) {
      const x = two.requestsPerSecond / one.requestsPerSecond
      console.log(
        `  Two instances over one: ${n(x, 2)}× (target ≥ ${TARGET.twoOverOne}× where the cores allow: ${mark(x >= TARGET.twoOverOne)};` +
          ` this machine has ${os.availableParallelism()} cores, the load generator took ${n(two.generatorCores, 2)} of them)`,
      )
    }
  }
  const pages = results.filter(r => r.part === 'prisoner page')
  if (pages.length) {
    console.log('\nPrisoner page, one instance:')
    for (const r of pages) console.log(line(r))
    const pgPage = pages.find(r => r.engine === 'postgres')?.load
    const sqPage = pages.find(r => r.engine === 'sqlite')?.load
    if (pgPage && sqPage) {
      const x = pgPage.requestsPerSecond / sqPage.requestsPerSecond
      console.log(
        `  PostgreSQL over SQLite: ${n(x, 2)}× (target ≥ ${TARGET.postgresOverSqlite}×: ${mark(x >= TARGET.postgresOverSqlite)})`,
      )
    }
  }
}
