// The HSDS part of `npm run bench -- directory`: importing and exporting a directory of N services (20,000 by
// default) with every HSDS field filled (bench/hsdsData.ts), into an establishment of a fresh SQLite database, with
// the real app listening in this process. A child process (bench/ping.ts) asks GET /ping one request after the
// other during the import: the import reads the file in a worker thread, and the server must keep answering.
// Targets: import ≤ 30 s, export ≤ 10 s, /ping p99 ≤ 100 ms during the import.
import { fork } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Config } from '../src/config'
import { openDatabase } from '../src/platform/db/database'
import { migrateToLatest } from '../src/platform/db/migrate'
import { SYSTEM_ACTOR } from '../src/platform/audit/service'
import { setReadLimits } from '../src/features/directory/hsds/readWorker'
import { buildServices } from '../src/services'
import { createApp } from '../src/app'
import { benchConfig } from './pages-server'

export const TARGETS = { importSeconds: 30, exportSeconds: 10, pingP99Ms: 100 }

export interface HsdsBenchResult {
  bench: 'directory-hsds'
  engine: 'sqlite'
  services: number
  fileBytes: number
  importSeconds: number
  /** CPU time of the whole process (every thread) meanwhile: steadier than the wall time on a shared machine */
  importCpuSeconds: number
  created: number
  exportJsonSeconds: number
  exportJsonCpuSeconds: number
  exportJsonBytes: number
  exportZipSeconds: number
  exportZipCpuSeconds: number
  exportZipBytes: number
  peakRssImportMb: number
  peakRssExportMb: number
  ping: { count: number; p50: number; p99: number; max: number }
}

/** Samples this process's resident memory until stopped: its peak over a phase. */
function rssSampler() {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 20)
  return () => {
    clearInterval(timer)
    return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024)
  }
}

/** CPU seconds (user and system, all threads) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from)
  return (d.user + d.system) / 1e6
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0

export async function runHsds(count: number, say: (line: string) => void): Promise<HsdsBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keywork-bench-hsds-'))
  const database: Config['database'] = { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') }
  const services = buildServices(benchConfig(database, crypto.randomBytes(24).toString('hex')), openDatabase(database))
  const server = http.createServer(createApp(services))
  const pinger = fork(path.join(import.meta.dirname, 'ping.ts'), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: process.execArgv,
  })
  try {
    await migrateToLatest(services.db)
    const est = await services.establishments.create(SYSTEM_ACTOR, {
      code: 'LEI',
      name: 'Leeds (HMP)',
      category: 'Category B local',
      region: 'Yorkshire',
    })
    if (!est.ok) throw new Error(JSON.stringify(est.errors))

    say(`hsds: generating ${count.toLocaleString('en-GB')} services with every HSDS field filled…`)
    const file = path.join(dir, 'directory.json')
    await new Promise<void>((resolve, reject) =>
      fork(path.join(import.meta.dirname, 'hsdsData.ts'), [String(count), '1', file], {
        execArgv: [...process.execArgv, '--max-old-space-size=8192'],
      }).once('exit', code => (code === 0 ? resolve() : reject(new Error(`generating the file failed (${code})`)))),
    )
    let bytes: Buffer | undefined = fs.readFileSync(file)
    const fileBytes = bytes.length
    say(`hsds: ${(fileBytes / 1024 / 1024).toFixed(1)} MB of JSON`)
    // the file is larger than an upload may be: the limits are raised for this read only
    const big = 4 * 1024 * 1024 * 1024 - 1
    setReadLimits({ fileBytes: big, zip: { entries: 50, fileBytes: big, totalBytes: big } }, 8192)

    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    await new Promise<void>((resolve, reject) => {
      pinger.once('message', () => resolve())
      pinger.once('exit', code => reject(new Error(`the pinger exited (${code})`)))
      pinger.send({ url: `${base}/ping` })
    })

    global.gc?.()
    const importRss = rssSampler()
    say('hsds: importing…')
    const started = performance.now()
    const importCpu = process.cpuUsage()
    const actor = { ...SYSTEM_ACTOR, username: 'bench.import', establishmentId: est.value }
    const outcome = await services.hsds.import(actor, est.value, bytes, 'bench.json')
    const importSeconds = (performance.now() - started) / 1000
    const importCpuSeconds = cpuSince(importCpu)
    const peakRssImportMb = importRss()
    const latencies = await new Promise<number[]>(resolve => {
      pinger.once('message', (m: { latencies: number[] }) => resolve(m.latencies))
      pinger.send('stop')
    })
    if (outcome.status !== 'imported')
      throw new Error(`the import was refused: ${JSON.stringify(outcome.problems.slice(0, 10), null, 1)}`)
    bytes = undefined
    const created = Object.values(outcome.report.created).reduce((n, c) => n + (c ?? 0), 0)
    say(`hsds: imported in ${importSeconds.toFixed(1)} s (${created.toLocaleString('en-GB')} records created)`)

    global.gc?.()
    const exportRss = rssSampler()
    const scope = { establishmentId: est.value, includeNational: false }
    let t = performance.now()
    let cpu = process.cpuUsage()
    // as the export route sends it
    const json = JSON.stringify(await services.hsds.exportJson(scope), null, 2) + '\n'
    const exportJsonSeconds = (performance.now() - t) / 1000
    const exportJsonCpuSeconds = cpuSince(cpu)
    t = performance.now()
    cpu = process.cpuUsage()
    const zip = await services.hsds.exportZip(scope)
    const exportZipSeconds = (performance.now() - t) / 1000
    const exportZipCpuSeconds = cpuSince(cpu)
    const peakRssExportMb = exportRss()
    say(`hsds: exported JSON in ${exportJsonSeconds.toFixed(1)} s, zip in ${exportZipSeconds.toFixed(1)} s`)

    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      bench: 'directory-hsds',
      engine: 'sqlite',
      services: count,
      fileBytes,
      importSeconds,
      importCpuSeconds,
      created,
      exportJsonSeconds,
      exportJsonCpuSeconds,
      exportJsonBytes: Buffer.byteLength(json),
      exportZipSeconds,
      exportZipCpuSeconds,
      exportZipBytes: zip.length,
      peakRssImportMb,
      peakRssExportMb,
      ping: {
        count: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
      },
    }
  } finally {
    setReadLimits(undefined)
    pinger.kill()
    server.close()
    await services.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function printHsds(r: HsdsBenchResult) {
  const n = (x: number, digits = 1) => x.toLocaleString('en-GB', { maximumFractionDigits: digits })
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED')
  console.log(
    [
      '',
      `HSDS import and export, ${n(r.services, 0)} services with every field filled, SQLite`,
      `  file                ${n(r.fileBytes / 1024 / 1024)} MB of JSON, ${n(r.created, 0)} records created`,
      `  import              ${n(r.importSeconds)} s (≤ ${TARGETS.importSeconds} s: ${mark(r.importSeconds <= TARGETS.importSeconds)}), CPU ${n(r.importCpuSeconds)} s, peak RSS ${n(r.peakRssImportMb, 0)} MB`,
      `  /ping during import ${n(r.ping.count, 0)} requests, p50 ${n(r.ping.p50)} ms, p99 ${n(r.ping.p99)} ms (≤ ${TARGETS.pingP99Ms} ms: ${mark(r.ping.p99 <= TARGETS.pingP99Ms)}), max ${n(r.ping.max)} ms`,
      `  export JSON         ${n(r.exportJsonSeconds)} s (≤ ${TARGETS.exportSeconds} s: ${mark(r.exportJsonSeconds <= TARGETS.exportSeconds)}), CPU ${n(r.exportJsonCpuSeconds)} s, ${n(r.exportJsonBytes / 1024 / 1024)} MB`,
      `  export zip          ${n(r.exportZipSeconds)} s (≤ ${TARGETS.exportSeconds} s: ${mark(r.exportZipSeconds <= TARGETS.exportSeconds)}), CPU ${n(r.exportZipCpuSeconds)} s, ${n(r.exportZipBytes / 1024 / 1024)} MB`,
      `  peak RSS of export  ${n(r.peakRssExportMb, 0)} MB`,
      '',
    ].join('\n'),
  )
}
