import { parentPort } from 'node:worker_threads'
import { readHsdsFile } from './read'

/** The worker thread of readWorker.ts: reads one file at a time, in the order they come. */
export interface ReadJob {
  id: number
  bytes: Uint8Array
  termIds: string[]
}

parentPort?.on('message', (job: ReadJob) => {
  try {
    parentPort?.postMessage({ id: job.id, result: readHsdsFile(job.bytes, new Set(job.termIds)) })
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})
