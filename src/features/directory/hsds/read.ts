import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'
import { type Reading, readServices } from './readJson'
import { serviceProblems } from './schemas'
import { readTabular } from './tabular'
import { unzipTabular } from './unzip'

/** The largest HSDS file keywork imports (web upload and command line). */
export const HSDS_FILE_LIMIT_BYTES = 20 * 1024 * 1024

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b)
}

/**
 * Reads an HSDS file (the JSON array of services, or a zip of tabular CSV files) and checks it against the HSDS
 * schemas: the rows, or the problems that stop it. CPU-bound (seconds for a large file): readInWorker runs it off the
 * server's event loop.
 */
export function readHsdsFile(bytes: Uint8Array, knownTermIds: Set<string>): Reading | Problem[] {
  if (bytes.length === 0) return [{ path: '/', message: 'The selected file is empty' }]
  if (bytes.length > HSDS_FILE_LIMIT_BYTES)
    return [{ path: '/', message: `The file must be smaller than ${HSDS_FILE_LIMIT_BYTES / 1024 / 1024} MB` }]
  if (isZip(bytes)) {
    const { files, problems } = unzipTabular(bytes)
    if (problems.length) return problems
    return readTabular(files, knownTermIds)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return [{ path: '/', message: 'The file is not UTF-8 text: save it as UTF-8' }]
  }
  if (text.trim() === '') return [{ path: '/', message: 'The selected file is empty' }]
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return [
      {
        path: '/',
        message: `The file is not valid JSON (${excerpt((e as Error).message, 200)}). Upload an HSDS JSON file or a zip of HSDS CSV files`,
      },
    ]
  }
  if (!Array.isArray(value))
    return [{ path: '/', message: 'must be an array of HSDS services: the file should start with [' }]
  if (value.length === 0) return [{ path: '/', message: 'The file holds no services' }]
  const problems = value.flatMap((s, i) => serviceProblems(s, `/${i}`))
  if (problems.length) return problems
  return readServices(value)
}
