import { parentPort } from 'node:worker_threads'
import { type ReadLimits, readHsdsFile } from './read'
import { type Part, splitResult } from './readTransfer'

/**
 * The worker thread of readWorker.ts: reads one file at a time, in the order they come. A large result goes back in
 * parts, each sent when the server asks for it (readTransfer.ts), so that taking it in never stops the server.
 */
export interface ReadJob {
  id: number
  bytes: Uint8Array
  termIds: string[]
  /** the limits of one read, when not keywork's own (the directory benchmark's large file) */
  limits?: ReadLimits
}

/** The parts of each result still to send, by job id. */
const waiting = new Map<number, Part[]>()

parentPort?.on('message', (m: ReadJob | { id: number; next: true }) => {
  if ('next' in m) {
    const parts = waiting.get(m.id)
    const part = parts?.shift()
    if (!parts?.length) waiting.delete(m.id)
    parentPort?.postMessage({ id: m.id, part })
    return
  }
  try {
    const { skeleton, parts } = splitResult(readHsdsFile(m.bytes, new Set(m.termIds), m.limits))
    if (parts.length) waiting.set(m.id, parts)
    parentPort?.postMessage({ id: m.id, result: skeleton, parts: parts.length })
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  }
})
