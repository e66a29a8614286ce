// npm run bench -- sessions [--json] [--requests N] [--connections N] [--establishments N] [--prisoners-per N]
//                           [--skip-post] [--skip-statistics] [--keep-database NAME]
//
// --keep-database NAME: build the statistics database under that name and keep it; a later run with the same name
// reuses it (no 13-minute rebuild), for working on the statistics queries.
//
// (a) Recording a session: the real app (child process, SQLite demo in a temporary file) answers POST
//     /sessions/:id/submit with a full entry (a delivered session with a goal and a referral), each request a
//     different draft of the demo Key Worker, dated over the last week, under 50 concurrent connections
//     (autocannon): first as fast as they can send (saturation: the p99 is the queue of 50 behind one SQLite writer),
//     side by side with a bare node:http server sending the same bytes. Then 50 officers at a working pace, each
//     signed in with their own browser session and connection, each recording an entry at random moments, a second
//     apart on average (Poisson arrivals: 50 entries a second in all, where a 1,200-man prison records about 240 in
//     a working day); latency counts from the moment an entry was due to go, so a queue shows in full. Last, the
//     worst moment: all 50 press Submit in the same instant, once a second (autocannon's rate limit).
// (b) Statistics on PostgreSQL: a bench database (created and dropped here, on the server of BENCH_DATABASE_URL or
//     TEST_DATABASE_URL) with the national demo (120 establishments × 733 prisoners ≈ 88,000 men, receptions
//     moved back a year so every current allocation has a year of history: ≈ 3 million sessions), then the
//     statistics page for the last 12 months of Leeds (≈ 1,200 men) and of all establishments, time per request
//     through the real app, side by side with a plain count(*) over key_work_sessions in the same run.
import type { ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import { allocateDemo } from '../src/demo/cli'
import type { Config } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { addDays, todayIso } from '../src/domain/dates'
import { DEMO_PASSWORD } from '../src/demo/generator/generate'
import { DEFAULT_DEMO } from '../src/demo/load/service'
import { loadDemoHistory } from '../src/demo/statistics'
import { buildServices } from '../src/services'
import { entryBody, makeDrafts } from './entries'
import { benchConfig } from './pages-server'
import { type Server, cpuOf, signIn, startServer, stop } from './http'

const TARGET = { postP99: 50, saturationSpread: 3, establishment: 100, national: 1000 }

export interface PostResult {
  bench: 'sessions'
  part: 'record a session'
  engine: 'sqlite'
  connections: number
  requests: number
  recorded: number
  /** as fast as 50 connections can send, one after another (saturation: p99 is the queue behind one writer) */
  keywork: { requestsPerSecond: number; p50: number; p99: number; errors: number; unexpected: number; cpuMs: number }
  /** where the slow requests of the saturation run were (issue 18 point 8) */
  tail: Tail
  /** 50 officers, each with their own session, each sending an entry at random moments a second apart on average */
  paced: { requestsPerSecond: number; p50: number; p99: number; errors: number; unexpected: number }
  /** all 50 sending at the same instant, once a second */
  together: { requestsPerSecond: number; p50: number; p99: number; errors: number; unexpected: number }
  bare: { requestsPerSecond: number; p50: number; p99: number }
}

export interface StatisticsResult {
  bench: 'sessions'
  part: 'statistics'
  engine: 'postgres'
  page: string
  scope: string
  prisoners: number
  sessions: number
  requests: number
  /** milliseconds per request, through the app */
  meanMs: number
  medianMs: number
  maxMs: number
  /** the same run: select count(*) over the sessions counted */
  countMs: number
  target: number
}

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      requests: { type: 'string', default: '3000' },
      connections: { type: 'string', default: '50' },
      establishments: { type: 'string', default: '120' },
      'prisoners-per': { type: 'string', default: '733' },
      repeat: { type: 'string', default: '10' },
      'skip-post': { type: 'boolean', default: false },
      'skip-statistics': { type: 'boolean', default: false },
      'keep-database': { type: 'string' },
    },
  })
  const say = (line: string) => {
    if (!values.json) console.error(line)
  }
  const out: (PostResult | StatisticsResult)[] = []
  const emit = (r: PostResult | StatisticsResult) => {
    out.push(r)
    if (values.json) console.log(JSON.stringify(r))
  }
  const children: ChildProcess[] = []
  try {
    if (!values['skip-post']) emit(await benchPost(Number(values.requests), Number(values.connections), say, children))
    if (!values['skip-statistics'])
      for (const r of await benchStatistics(
        {
          establishments: Number(values.establishments),
          prisonersPer: Number(values['prisoners-per']),
          repeat: Number(values.repeat),
          keep: values['keep-database'],
        },
        say,
        children,
      ))
        emit(r)
  } finally {
    await Promise.all(children.map(stop))
  }
  if (!values.json) printTable(out)
}

/** Runs fn with console.log sent to stderr (or nowhere with --json), so that stdout stays JSON lines. */
async function quietly<T>(say: (l: string) => void, fn: () => Promise<T>): Promise<T> {
  const log = console.log
  console.log = (...args: unknown[]) => say(args.map(String).join(' '))
  try {
    return await fn()
  } finally {
    console.log = log
  }
}

// ------------------------------------------------------------------------------------------------ (a) POST

async function benchPost(
  requests: number,
  connections: number,
  say: (l: string) => void,
  children: ChildProcess[],
): Promise<PostResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-bench-sessions-'))
  const database: Config['database'] = { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') }
  const warmup = Math.min(500, Math.ceil(requests / 5))
  const paced = Math.min(1000, requests)
  try {
    say('record a session: building the demo (SQLite)…')
    const s = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
    let draftIds: number[]
    try {
      await migrateToLatest(s.db)
      await s.guidance.ensureNationalContent()
      const r = await s.demo.load({ ...DEFAULT_DEMO, reset: false })
      if (!r.ok) throw new Error(Object.values(r.errors).join('\n'))
      draftIds = await makeDrafts(s, warmup + requests + 2 * paced)
    } finally {
      await s.close()
    }
    const secret = crypto.randomBytes(24).toString('hex')
    const app = await startServer({ mode: 'app', database, sessionSecret: secret }, children)
    const cookie = await signIn(app.base, 'keyworker', DEMO_PASSWORD)
    const form = await (await fetch(`${app.base}/sessions/${draftIds[0]}/edit`, { headers: { cookie } })).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1]
    if (!csrf) throw new Error('no CSRF token on the session form: is the sessions feature mounted?')
    // each draft's own entry (bench/entries.ts): the officer's day and the narratives as in a prison
    const body = entryBody(csrf, 0)
    // one request, checked by hand: it must record the entry (303 to the entry's page)
    const probe = await fetch(`${app.base}/sessions/${draftIds[0]}/submit`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    const probeBody = Buffer.from(await probe.arrayBuffer())
    if (probe.status !== 303 || probe.headers.get('location') !== `/sessions/${draftIds[0]}`)
      throw new Error(`submitting a full entry answered ${probe.status} ${probe.headers.get('location')}: not recorded`)
    let next = 1
    const load = (server: Server, ids: number[] | null, amount: number, overallRate?: number, trace?: Traced[]) =>
      autocannon({
        url: server.base,
        connections,
        amount,
        ...(overallRate ? { overallRate } : {}),
        // each response with its place on its connection: is a slow request the first of a new connection?
        ...(trace
          ? {
              setupClient: client => {
                let seq = 0
                client.on('response', (_status: number, _bytes: number, ms: number) => trace.push({ ms, seq: ++seq }))
              },
            }
          : {}),
        requests: [
          {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body,
            setupRequest: req => {
              if (!ids) return { ...req, path: '/' }
              const i = next++
              return { ...req, path: `/sessions/${ids[i % ids.length]}/submit`, body: entryBody(csrf, i % ids.length) }
            },
          },
        ],
      })
    const bare = await startServer({ mode: 'bare', body: probeBody.toString('base64') }, children)
    say(`record a session: ${warmup} warm-up and ${requests} measured submits, ${connections} connections…`)
    await load(bare, null, warmup)
    await load(app, draftIds, warmup - 1)
    const bareResult = await load(bare, null, requests)
    const before = next
    const cpuBefore = await cpuOf(app)
    const kernelBefore = tcpCounters()
    const traced: Traced[] = []
    const ours = await load(app, draftIds, requests, undefined, traced)
    const tail = tailOf(traced, kernelBefore, tcpCounters())
    const cpuMs = ((await cpuOf(app)) - cpuBefore) / 1000 / ours.requests.total
    say(
      `record a session at saturation: ${Math.round(ours.requests.average)} req/s, p50 ${ours.latency.p50} ms, ` +
        `p99 ${ours.latency.p99} ms (p99 ÷ p50 ${(ours.latency.p99 / Math.max(1, ours.latency.p50)).toFixed(1)}); ` +
        `tail: ${JSON.stringify(tail)}`,
    )
    // 50 officers, each signed in in their own browser, at a working pace
    say(`record a session: ${connections} officers sign in…`)
    const officers: Officer[] = []
    for (let i = 0; i < connections; i++) {
      const c = await signIn(app.base, 'keyworker', DEMO_PASSWORD)
      const page = await (await fetch(`${app.base}/sessions/${draftIds[next]}/edit`, { headers: { cookie: c } })).text()
      const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
      if (!token) throw new Error('no CSRF token on the session form')
      officers.push({ cookie: c, csrf: token })
    }
    say(`record a session: ${paced} submits by ${connections} officers, an entry a second each on average…`)
    const pacedResult = await atWorkingPace(app, officers, () => ({ index: next, id: draftIds[next++]! }), paced, 1000)
    say(`record a session: ${paced} submits, all ${connections} at the same instant once a second…`)
    const together = await load(app, draftIds, paced, connections)
    const check = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
    let recorded = 0
    try {
      const r = await check.db.db
        .selectFrom('key_work_sessions')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'submitted')
        .where('id', 'in', draftIds.slice(before, next))
        .executeTakeFirstOrThrow()
      recorded = Number(r.n)
    } finally {
      await check.close()
    }
    await stop(children.pop())
    await stop(children.pop())
    return {
      bench: 'sessions',
      part: 'record a session',
      engine: 'sqlite',
      connections,
      requests,
      recorded,
      keywork: {
        requestsPerSecond: ours.requests.average,
        p50: ours.latency.p50,
        p99: ours.latency.p99,
        errors: ours.errors,
        unexpected: ours.requests.total - (ours['3xx'] ?? 0),
        cpuMs: Math.round(cpuMs * 100) / 100,
      },
      tail,
      paced: pacedResult,
      together: {
        requestsPerSecond: together.requests.average,
        p50: together.latency.p50,
        p99: together.latency.p99,
        errors: together.errors,
        unexpected: together.requests.total - (together['3xx'] ?? 0),
      },
      bare: {
        requestsPerSecond: bareResult.requests.average,
        p50: bareResult.latency.p50,
        p99: bareResult.latency.p99,
      },
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

interface Traced {
  ms: number
  /** 1 for the first request of its connection */
  seq: number
}

/** TCP counters of the machine (Linux /proc/net/netstat and snmp): SYN retransmissions and listen queue overflows. */
function tcpCounters(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const file of ['/proc/net/netstat', '/proc/net/snmp']) {
    let lines: string[]
    try {
      lines = fs.readFileSync(file, 'utf8').trim().split('\n')
    } catch {
      continue
    }
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const [prefix, ...names] = lines[i]!.split(/\s+/)
      const values = lines[i + 1]!.split(/\s+/).slice(1)
      names.forEach((n, k) => (out[`${prefix}${n}`] = Number(values[k])))
    }
  }
  return out
}

export interface Tail {
  /** responses slower than 900 ms (a SYN retransmission is 1 s on Linux) */
  over900: number
  /** of those, the first request of their connection */
  over900First: number
  /** the first requests of connections: their p50 and worst, beside the others' */
  firstP50: number
  firstMax: number
  restP99: number
  /** latency histogram: upper bound in ms → responses */
  histogram: [number, number][]
  /** the machine's counters over the run (other processes count too): SYN retransmissions, listen overflows, drops */
  synRetrans: number
  listenOverflows: number
  listenDrops: number
}

function tailOf(traced: Traced[], before: Record<string, number>, after: Record<string, number>): Tail {
  const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0)
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b)
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0
  const first = sorted(traced.filter(t => t.seq === 1).map(t => t.ms))
  const rest = sorted(traced.filter(t => t.seq > 1).map(t => t.ms))
  const bounds = [25, 50, 100, 200, 400, 900, 1500, 3000, Infinity]
  return {
    over900: traced.filter(t => t.ms > 900).length,
    over900First: traced.filter(t => t.ms > 900 && t.seq === 1).length,
    firstP50: at(first, 0.5),
    firstMax: first[first.length - 1] ?? 0,
    restP99: at(rest, 0.99),
    histogram: bounds.map((b, i) => [b, traced.filter(t => t.ms <= b && (i === 0 || t.ms > bounds[i - 1]!)).length]),
    synRetrans: delta('TcpExtTCPSynRetrans'),
    listenOverflows: delta('TcpExtListenOverflows'),
    listenDrops: delta('TcpExtListenDrops'),
  }
}

interface Officer {
  cookie: string
  /** this officer's CSRF token */
  csrf: string
}

/**
 * Officers at a working pace: each sends its entries over its own keep-alive connection, at moments drawn at random
 * (exponential gaps of the given mean: Poisson arrivals), until `total` have gone. A latency counts from the moment
 * the entry was due, not from when it could be sent, so a server that falls behind shows its whole queue.
 */
async function atWorkingPace(
  server: Server,
  officers: Officer[],
  nextDraft: () => { id: number; index: number },
  total: number,
  meanGapMs: number,
): Promise<PostResult['paced']> {
  const latencies: number[] = []
  let errors = 0
  let unexpected = 0
  let sent = 0
  const started = performance.now()
  const gap = () => -Math.log(1 - Math.random()) * meanGapMs
  const post = (agent: http.Agent, o: Officer, path: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${server.base}${path}`,
        {
          method: 'POST',
          agent,
          headers: {
            cookie: o.cookie,
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        res => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  await Promise.all(
    officers.map(async o => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
      let due = performance.now() + gap()
      try {
        while (sent < total) {
          sent++
          const wait = due - performance.now()
          if (wait > 0) await new Promise(r => setTimeout(r, wait))
          const { id, index } = nextDraft()
          try {
            const status = await post(agent, o, `/sessions/${id}/submit`, entryBody(o.csrf, index))
            if (status !== 303) unexpected++
          } catch {
            errors++
          }
          latencies.push(performance.now() - due)
          due += gap()
        }
      } finally {
        agent.destroy()
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10
  return { requestsPerSecond: Math.round(latencies.length / seconds), p50: at(0.5), p99: at(0.99), errors, unexpected }
}

// ----------------------------------------------------------------------------------------- (b) statistics

async function benchStatistics(
  opts: { establishments: number; prisonersPer: number; repeat: number; keep?: string },
  say: (l: string) => void,
  children: ChildProcess[],
): Promise<StatisticsResult[]> {
  const serverUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  if (opts.keep !== undefined && !/^[a-z_][a-z0-9_]{0,40}$/.test(opts.keep))
    throw new Error('--keep-database takes a lower-case name of letters, digits and _')
  const name = opts.keep ?? `keywork_bench_sessions_${crypto.randomBytes(4).toString('hex')}`
  const admin = async (query: string, params: unknown[] = []) => {
    const c = new pg.Client({ connectionString: serverUrl })
    await c.connect()
    try {
      return (await c.query(query, params)).rows
    } finally {
      await c.end()
    }
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const database: Config['database'] = { kind: 'postgres', url: url.toString() }
  const kept =
    opts.keep !== undefined && (await admin('select 1 from pg_database where datname = $1', [name])).length > 0
  if (!kept) await admin(`create database ${name}`)
  try {
    const today = todayIso()
    const s = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
    let leeds: { id: number; prisoners: number; sessions: number }
    let total: { prisoners: number; sessions: number }
    try {
      await migrateToLatest(s.db)
      if (kept) say(`statistics: reusing the database ${name} (--keep-database)`)
      else {
        await s.guidance.ensureNationalContent()
        say(`statistics: building the national demo on PostgreSQL (${opts.establishments} × ${opts.prisonersPer})…`)
        let t = performance.now()
        const r = await quietly(say, () =>
          s.demo.load({ seed: 1, establishments: opts.establishments, prisonersPer: opts.prisonersPer, reset: false }),
        )
        if (!r.ok) throw new Error(Object.values(r.errors).join('\n'))
        say(`statistics: demo loaded in ${seconds(t)} s; moving receptions back a year and allocating…`)
        // every man in custody arrived at least a year ago, so that every allocation has a year of history
        await s.db.db
          .updateTable('prisoners')
          .set({ reception_date: addDays(today, -400) })
          .where('status', '=', 'in')
          .where('reception_date', '>', addDays(today, -400))
          .execute()
        t = performance.now()
        await quietly(say, () => allocateDemo(s))
        say(`statistics: allocated in ${seconds(t)} s; recording a year of history…`)
        t = performance.now()
        const h = await loadDemoHistory(
          s.db,
          { audit: s.audit, establishments: s.establishments, statistics: s.statistics },
          {
            seed: 1,
            today,
            onProgress: (done, all, est) => {
              if (done % 10 === 0 || done === all) say(`  history ${done}/${all} (${est}) after ${seconds(t)} s`)
            },
          },
        )
        say(
          `statistics: ${h.sessions.toLocaleString('en-GB')} sessions, ${h.goals.toLocaleString('en-GB')} goals and ` +
            `${h.referrals.toLocaleString('en-GB')} referrals recorded (with their aggregates) in ${seconds(t)} s`,
        )
        await sqlRun(database, 'analyze')
      }
      const est = await s.establishments.byCode('LEI')
      if (!est) throw new Error('the demo has no Leeds')
      const count = async (establishmentId?: number) => {
        let q = s.db.db
          .selectFrom('prisoners')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'in')
        if (establishmentId) q = q.where('establishment_id', '=', establishmentId)
        let q2 = s.db.db.selectFrom('key_work_sessions').select(eb => eb.fn.countAll<number>().as('n'))
        if (establishmentId) q2 = q2.where('establishment_id', '=', establishmentId)
        return {
          prisoners: Number((await q.executeTakeFirstOrThrow()).n),
          sessions: Number((await q2.executeTakeFirstOrThrow()).n),
        }
      }
      leeds = { id: est.id, ...(await count(est.id)) }
      total = await count()
    } finally {
      await s.close()
    }

    const secret = crypto.randomBytes(24).toString('hex')
    const app = await startServer({ mode: 'app', database, sessionSecret: secret }, children)
    const results: StatisticsResult[] = []
    const pages = [
      {
        page: 'establishment statistics, last 12 months',
        scope: 'Leeds',
        user: 'supervisor',
        path: '/statistics?period=12m&scope=establishment',
        countSql: `select count(*) from key_work_sessions where establishment_id = ${leeds.id}`,
        ...leeds,
        target: TARGET.establishment,
      },
      {
        page: 'national statistics, last 12 months',
        scope: 'all establishments',
        user: 'national',
        path: '/statistics?period=12m&scope=national',
        countSql: 'select count(*) from key_work_sessions',
        ...total,
        target: TARGET.national,
      },
    ]
    for (const p of pages) {
      const cookie = await signIn(app.base, p.user, DEMO_PASSWORD)
      const times: number[] = []
      for (let i = 0; i < opts.repeat + 2; i++) {
        const t = performance.now()
        const res = await fetch(`${app.base}${p.path}`, { headers: { cookie } })
        const text = await res.text()
        if (res.status !== 200 || !text.includes('data-measure="compliance"'))
          throw new Error(`${p.path} answered ${res.status} without the figures`)
        if (i >= 2) times.push(performance.now() - t)
      }
      const countTimes: number[] = []
      const c = new pg.Client({ connectionString: database.url })
      await c.connect()
      try {
        for (let i = 0; i < opts.repeat + 2; i++) {
          const t = performance.now()
          await c.query(p.countSql)
          if (i >= 2) countTimes.push(performance.now() - t)
        }
      } finally {
        await c.end()
      }
      times.sort((a, b) => a - b)
      countTimes.sort((a, b) => a - b)
      say(`statistics: ${p.page}: median ${times[times.length >> 1]!.toFixed(0)} ms`)
      results.push({
        bench: 'sessions',
        part: 'statistics',
        engine: 'postgres',
        page: p.page,
        scope: p.scope,
        prisoners: p.prisoners,
        sessions: p.sessions,
        requests: times.length,
        meanMs: times.reduce((a, b) => a + b, 0) / times.length,
        medianMs: times[times.length >> 1]!,
        maxMs: times[times.length - 1]!,
        countMs: countTimes[countTimes.length >> 1]!,
        target: p.target,
      })
    }
    await stop(children.pop())
    return results
  } finally {
    await Promise.all(children.map(stop))
    children.length = 0
    if (opts.keep === undefined) await admin(`drop database if exists ${name} with (force)`)
  }
}

async function sqlRun(database: Config['database'], query: string) {
  if (database.kind !== 'postgres') return
  const c = new pg.Client({ connectionString: database.url })
  await c.connect()
  try {
    await c.query(query)
  } finally {
    await c.end()
  }
}

const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1)

// ------------------------------------------------------------------------------------------------ helpers

function printTable(results: (PostResult | StatisticsResult)[]) {
  const n = (x: number, digits = 0) => x.toLocaleString('en-GB', { maximumFractionDigits: digits })
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  for (const r of results) {
    if (r.part === 'record a session') {
      console.log(
        `\nRecord a session (POST of a full entry, ${r.connections} connections, ${n(r.requests)} requests, SQLite):\n` +
          `  keywork  ${n(r.keywork.requestsPerSecond)} req/s  p50 ${n(r.keywork.p50, 1)} ms  p99 ${n(r.keywork.p99, 1)} ms` +
          `  server CPU ${n(r.keywork.cpuMs, 2)} ms per entry` +
          `  (${n(r.recorded)} entries recorded, ${r.keywork.unexpected} answers other than a redirect, ${r.keywork.errors} errors)\n` +
          `  slow at saturation: ${r.tail.over900} responses over 900 ms, ${r.tail.over900First} of them the first of ` +
          `their connection; first requests p50 ${n(r.tail.firstP50, 1)} ms, worst ${n(r.tail.firstMax, 1)} ms; the ` +
          `others' p99 ${n(r.tail.restP99, 1)} ms; machine TCP counters over the run: ${r.tail.synRetrans} SYN ` +
          `retransmissions, ${r.tail.listenOverflows} listen overflows, ${r.tail.listenDrops} drops\n` +
          `  histogram (ms: responses): ${r.tail.histogram.map(([b, c]) => `≤${b === Infinity ? '∞' : b}: ${c}`).join(', ')}\n` +
          `  bare     ${n(r.bare.requestsPerSecond)} req/s  p50 ${n(r.bare.p50, 1)} ms  p99 ${n(r.bare.p99, 1)} ms\n` +
          `  ${r.connections} officers, each signed in, an entry a second each at random moments: ` +
          `${n(r.paced.requestsPerSecond)} req/s  p50 ${n(r.paced.p50, 1)} ms  p99 ${n(r.paced.p99, 1)} ms` +
          `  (${r.paced.unexpected} answers other than a redirect, ${r.paced.errors} errors)\n` +
          `  all ${r.connections} at the same instant, once a second: ${n(r.together.requestsPerSecond)} req/s` +
          `  p50 ${n(r.together.p50, 1)} ms  p99 ${n(r.together.p99, 1)} ms` +
          `  (${r.together.unexpected} answers other than a redirect, ${r.together.errors} errors)\n` +
          `  Target p99 ≤ ${TARGET.postP99} ms at ${r.connections} users: ` +
          `${mark(r.paced.p99 <= TARGET.postP99 && r.paced.unexpected === 0 && r.paced.errors === 0)}` +
          ` (all at the same instant: ${mark(r.together.p99 <= TARGET.postP99)};` +
          ` at saturation: ${mark(r.keywork.p99 <= TARGET.postP99)})\n` +
          `  Target p99 ≤ ${TARGET.saturationSpread} × p50 at saturation (issue 18, point 8): ` +
          `${mark(r.keywork.p99 <= TARGET.saturationSpread * r.keywork.p50)} ` +
          `(${(r.keywork.p99 / Math.max(1, r.keywork.p50)).toFixed(1)}×)`,
      )
    } else {
      console.log(
        `\n${r.page}, ${r.scope} (${n(r.prisoners)} men in custody, ${n(r.sessions)} sessions in the database, PostgreSQL):\n` +
          `  page: mean ${n(r.meanMs, 1)} ms, median ${n(r.medianMs, 1)} ms, max ${n(r.maxMs, 1)} ms over ${r.requests} requests\n` +
          `  count(*) of those sessions: ${n(r.countMs, 1)} ms\n` +
          `  Target ≤ ${n(r.target)} ms: ${mark(r.medianMs <= r.target)}`,
      )
    }
  }
}
