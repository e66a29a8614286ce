import { parentPort } from 'node:worker_threads'
import { type ReadLimits, readHsdsFile } from './read'

/** The worker thread of readWorker.ts: reads one file at a time, in the order they come. */
export interface ReadJob {
  id: number
  bytes: Uint8Array
  termIds: string[]
  /** the limits of one read, when not keywork's own (the directory benchmark's large file) */
  limits?: ReadLimits
}

parentPort?.on('message', (job: ReadJob) => {
  try {
    parentPort?.postMessage({ id: job.id, result: readHsdsFile(job.bytes, new Set(job.termIds), job.limits) })
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})
