// npm run bench -- pages [--json] [--duration S] [--connections N] [--engines sqlite,postgres]
//                        [--establishments N] [--prisoners-per N]
//
// Builds the demo in a fresh database (a temporary SQLite file; PostgreSQL in a fresh schema of
// BENCH_DATABASE_URL), starts the real app in a child process on a loopback port, signs in as the demo Key
// Worker, and loads the prisoner search page and a prisoner page with autocannon, each side by side with a bare
// node:http server (also a child process) sending a body of the same bytes. The machine is shared and noisy:
// the ratio ours/bare is what counts.
import type { ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import pg from 'pg'
import type { Config } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { DEFAULT_DEMO } from '../src/demo/load/service'
import { DEMO_PASSWORD } from '../src/demo/generator/generate'
import { buildServices } from '../src/services'
import { benchConfig } from './pages-server'
import { type Server, positive, signIn, startServer, stop } from './http'

type Engine = 'sqlite' | 'postgres'

interface Measure {
  requestsPerSecond: number
  p50: number
  p99: number
  /** CPU time (user + system) the server process spent per request, in microseconds */
  cpuMicrosPerRequest: number
  non2xx: number
  /** connection errors, timeouts included */
  errors: number
  timeouts: number
}

export interface PageResult {
  bench: 'pages'
  engine: Engine
  page: string
  path: string
  bytes: number
  connections: number
  seconds: number
  keywork: Measure
  bare: Measure
  /** keywork requests per second over bare requests per second */
  ratio: number
  /** bare CPU per request over keywork CPU per request: the same ratio, less sensitive to a busy machine */
  cpuRatio: number
}

const TARGET = { ratio: 0.25, p99: 50, postgresVsSqlite: 0.5 }

export async function run(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '50' },
      engines: { type: 'string' },
      establishments: { type: 'string' },
      'prisoners-per': { type: 'string' },
    },
  })
  const seconds = positive(values.duration, 'duration')
  const warmup = Number(values.warmup) || 0
  const connections = positive(values.connections, 'connections')
  const engines = (values.engines ?? (process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite'))
    .split(',')
    .map(e => e.trim())
  for (const e of engines)
    if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: sqlite and/or postgres, not ${e}`)
  const demo = {
    ...DEFAULT_DEMO,
    ...(values.establishments ? { establishments: positive(values.establishments, 'establishments') } : {}),
    ...(values['prisoners-per'] ? { prisonersPer: positive(values['prisoners-per'], 'prisoners-per') } : {}),
  }
  const say = (line: string) => {
    if (!values.json) console.error(line)
  }

  const results: PageResult[] = []
  for (const engine of engines as Engine[]) {
    const db = await freshDatabase(engine)
    const children: ChildProcess[] = []
    try {
      say(`${engine}: building the demo (${demo.establishments} establishments)…`)
      const started = performance.now()
      const prisonNumber = await buildDemo(db.database, demo)
      say(`${engine}: demo built in ${((performance.now() - started) / 1000).toFixed(1)} s`)

      const secret = crypto.randomBytes(24).toString('hex')
      const app = await startServer({ mode: 'app', database: db.database, sessionSecret: secret }, children)
      const cookie = await signIn(app.base, 'keyworker', DEMO_PASSWORD)
      const pages = [
        { page: 'prisoner search', path: '/prisoners?q=smi', expect: 'Smith' },
        { page: 'prisoner page', path: `/prisoners/${prisonNumber}`, expect: prisonNumber },
      ]
      for (const p of pages) {
        const body = await fetchPage(app.base, p.path, cookie, p.expect)
        const bare = await startServer({ mode: 'bare', body: body.toString('base64') }, children)
        say(`${engine}: ${p.page} (${body.length.toLocaleString('en-GB')} bytes), ${seconds} s each…`)
        const load = (server: Server, headers: Record<string, string>, duration: number) =>
          measure(server, p.path, headers, connections, duration)
        if (warmup > 0) {
          await load(bare, {}, warmup)
          await load(app, { cookie }, warmup)
        }
        const bareResult = await load(bare, {}, seconds)
        const ours = await load(app, { cookie }, seconds)
        const result: PageResult = {
          bench: 'pages',
          engine,
          page: p.page,
          path: p.path,
          bytes: body.length,
          connections,
          seconds,
          keywork: ours,
          bare: bareResult,
          ratio: ours.requestsPerSecond / bareResult.requestsPerSecond,
          cpuRatio: bareResult.cpuMicrosPerRequest / ours.cpuMicrosPerRequest,
        }
        results.push(result)
        if (values.json) console.log(JSON.stringify(result))
        await stop(children.pop())
      }
    } finally {
      await Promise.all(children.map(stop))
      await db.drop()
    }
  }
  if (!values.json) printTable(results)
}

async function freshDatabase(engine: Engine): Promise<{ database: Config['database']; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-bench-'))
    return {
      database: { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    }
  }
  const url =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    try {
      await c.query(query)
    } finally {
      await c.end()
    }
  }
  await admin(`create schema ${schema}`)
  return { database: { kind: 'postgres', url, schema }, drop: () => admin(`drop schema ${schema} cascade`) }
}

/** Migrates, loads the demo, and returns an in-custody prison number of the first establishment. */
async function buildDemo(
  database: Config['database'],
  demo: { seed: number; establishments: number; prisonersPer?: number },
): Promise<string> {
  const services = buildServices(benchConfig(database, 'x'.repeat(32)), openDatabase(database))
  try {
    await migrateToLatest(services.db)
    const r = await services.demo.load({ ...demo, reset: false })
    if (!r.ok) throw new Error(Object.values(r.errors).join('\n'))
    const leeds = await services.establishments.byCode('LEI')
    if (!leeds) throw new Error('the demo has no Leeds')
    const { rows } = await services.prisoners.search({ establishmentId: leeds.id, status: 'in', limit: 1, offset: 0 })
    if (!rows[0]) throw new Error('the demo has no prisoners')
    return rows[0].prison_number
  } finally {
    await services.close()
  }
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise(resolve => {
    const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
      if (!m.cpu) return
      child.off('message', onMessage)
      resolve(m.cpu.user + m.cpu.system)
    }
    child.on('message', onMessage)
    child.send('cpu')
  })
}

async function fetchPage(base: string, pagePath: string, cookie: string, expect: string): Promise<Buffer> {
  const res = await fetch(`${base}${pagePath}`, { headers: { cookie }, redirect: 'manual' })
  const body = Buffer.from(await res.arrayBuffer())
  if (res.status !== 200 || !body.includes(expect))
    throw new Error(`${pagePath} answered ${res.status} without "${expect}": not the page to measure`)
  return body
}

async function measure(
  server: Server,
  pagePath: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Measure> {
  const cpuBefore = await cpuOf(server.child)
  const r = await autocannon({ url: `${server.base}${pagePath}`, headers, connections, duration })
  const cpu = (await cpuOf(server.child)) - cpuBefore
  return {
    requestsPerSecond: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuMicrosPerRequest: r.requests.total > 0 ? cpu / r.requests.total : 0,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  }
}

function printTable(results: PageResult[]) {
  const n = (x: number, digits = 0) => x.toLocaleString('en-GB', { maximumFractionDigits: digits })
  const head = [
    'engine',
    'page',
    'bytes',
    'keywork req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'bare req/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'ours/bare',
    'by CPU',
  ]
  const rows = results.map(r => [
    r.engine,
    r.page,
    n(r.bytes),
    n(r.keywork.requestsPerSecond),
    n(r.keywork.p50, 1),
    n(r.keywork.p99, 1),
    n(r.keywork.cpuMicrosPerRequest),
    n(r.bare.requestsPerSecond),
    n(r.bare.p50, 1),
    n(r.bare.p99, 1),
    n(r.bare.cpuMicrosPerRequest),
    `${n(r.ratio * 100, 1)}%`,
    `${n(r.cpuRatio * 100, 1)}%`,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`\n${line(head)}\n${line(widths.map(w => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`)

  for (const r of results) {
    const k = r.keywork
    if (k.non2xx + k.errors > 0)
      console.log(
        `! ${r.engine} ${r.page}: ${k.non2xx} non-2xx responses, ${k.errors} errors (${k.timeouts} timeouts at 10 s)`,
      )
  }
  const page = (engine: Engine) => results.find(r => r.engine === engine && r.page === 'prisoner page')
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  const sqlite = page('sqlite')
  if (sqlite)
    console.log(
      `Target, prisoner page on SQLite: ${n(sqlite.ratio * 100, 1)}% of bare throughput ` +
        `(${n(sqlite.cpuRatio * 100, 1)}% by CPU per request; ≥ ${TARGET.ratio * 100}%: ` +
        `${mark(sqlite.ratio >= TARGET.ratio)}), p99 ${n(sqlite.keywork.p99, 1)} ms (≤ ${TARGET.p99} ms: ` +
        `${mark(sqlite.keywork.p99 <= TARGET.p99)})`,
    )
  const postgres = page('postgres')
  if (postgres && sqlite) {
    const vs = postgres.keywork.requestsPerSecond / sqlite.keywork.requestsPerSecond
    console.log(
      `Target, prisoner page on PostgreSQL: ${n(vs, 2)}× SQLite's throughput (within 2×: ` +
        `${mark(vs >= TARGET.postgresVsSqlite)}), p99 ${n(postgres.keywork.p99, 1)} ms`,
    )
  }
}
