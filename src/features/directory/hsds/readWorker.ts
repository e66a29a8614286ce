import { Worker } from 'node:worker_threads'
import type { Problem } from './model'
import type { ReadLimits } from './read'
import type { ReadJob } from './readThread'
import { type Part, joinPart } from './readTransfer'
import type { Reading } from './readJson'

/**
 * Reading and checking a large HSDS file takes seconds of CPU (unzipping, CSV parsing, the HSDS schemas): done on the
 * server's event loop, it would stop every other request meanwhile. It runs in one worker thread instead, started on
 * the first import and kept (it compiles the HSDS schemas once); the thread does not keep the process alive when idle.
 */

/** The heap one read may use: a 20 MB file, or 50 MB of CSV files unzipped, needs a few hundred MB at most. */
const WORKER_HEAP_MB = 1536

type Result = Reading | Problem[]

interface Pending {
  resolve(result: Result): void
  reject(error: Error): void
  /** the result so far, and how many of its parts are still to come (readTransfer.ts) */
  result?: Result
  partsLeft: number
}

let worker: Worker | undefined
let nextId = 1
const pending = new Map<number, Pending>()

function start(): Worker {
  const w = new Worker(new URL('./readThreadEntry.js', import.meta.url), {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  })
  w.on('message', (m: { id: number; result?: Result; parts?: number; part?: Part; error?: string }) => {
    const job = pending.get(m.id)
    if (!job) return
    if (m.result !== undefined) {
      job.result = m.result
      job.partsLeft = m.parts ?? 0
    } else if (m.part && job.result !== undefined) {
      joinPart(job.result, m.part)
      job.partsLeft--
    }
    if (m.error === undefined && job.partsLeft > 0) {
      // the next part once this one is in: the server answers others in between
      setImmediate(() => w.postMessage({ id: m.id, next: true }))
      return
    }
    pending.delete(m.id)
    if (pending.size === 0) w.unref()
    if (m.error !== undefined) job.reject(new Error(`Reading the HSDS file failed: ${m.error}`))
    else job.resolve(job.result!)
  })
  const stopped = (error: Error) => {
    if (worker === w) worker = undefined
    const jobs = [...pending.values()]
    pending.clear()
    for (const job of jobs)
      if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
        job.resolve([{ path: '/', message: 'The file is too large to read. Nothing was imported' }])
      else job.reject(error)
  }
  w.on('error', stopped)
  w.on('exit', code => stopped(new Error(`the HSDS reading thread stopped (exit code ${code})`)))
  w.unref()
  return w
}

let limits: ReadLimits | undefined
let heapMb = WORKER_HEAP_MB

/**
 * Other limits for the reads that follow (undefined: keywork's own). Only the directory benchmark sets them: its
 * 20,000 services with every HSDS field filled make a file larger than an upload may be.
 */
export function setReadLimits(l: ReadLimits | undefined, workerHeapMb = WORKER_HEAP_MB) {
  limits = l
  heapMb = workerHeapMb
}

/** readHsdsFile (read.ts), in the worker thread. */
export function readInWorker(bytes: Uint8Array, knownTermIds: Set<string>): Promise<Result> {
  worker ??= start()
  const w = worker
  const id = nextId++
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, partsLeft: 0 })
    // a pending read keeps the process alive (the command line awaits it with nothing else to do)
    w.ref()
    const job: ReadJob = { id, bytes, termIds: [...knownTermIds], limits }
    w.postMessage(job)
  })
}
