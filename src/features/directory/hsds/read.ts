import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'
import { type Reading, readServices } from './readJson'
import { serviceProblems } from './schemas'
import { readTabular } from './tabular'
import { ZIP_LIMITS, type ZipLimits, unzipTabular } from './unzip'
import { nestedValueProblems } from './values'

/** The largest HSDS file keywork imports (web upload and command line). */
export const HSDS_FILE_LIMIT_BYTES = 20 * 1024 * 1024

/** How much one read may take in: the file, and the CSV files of a zip once unzipped. */
export interface ReadLimits {
  fileBytes: number
  zip: ZipLimits
}

export const READ_LIMITS: ReadLimits = { fileBytes: HSDS_FILE_LIMIT_BYTES, zip: ZIP_LIMITS }

/** A zip's local file header, or the end of central directory record that is all an empty zip holds. */
const ZIP_MAGICS = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
  [0x50, 0x4b, 0x07, 0x08],
]

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGICS.some(magic => magic.every((b, i) => bytes[i] === b))
}

/** Control characters (other than tab and line breaks) a message must not repeat from a binary file. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/g

/** The services of a JSON file, each with its JSON pointer: the shapes HSDS publishers produce. */
export function servicesOf(value: unknown): { items: { value: unknown; at: string }[] } | Problem[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path: '/', message: 'The file holds no services' }]
    return { items: value.map((v, i) => ({ value: v, at: `/${i}` })) }
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    // a paginated list, as GET /services answers: { total_items, ..., contents: [services] }
    if ('contents' in o) {
      if (!Array.isArray(o.contents))
        return [{ path: '/contents', message: 'must be an array of HSDS services (a page of GET /services)' }]
      if (o.contents.length === 0) return [{ path: '/contents', message: 'The file holds no services' }]
      return { items: o.contents.map((v, i) => ({ value: v, at: `/contents/${i}` })) }
    }
    // one service, as GET /services/{id} answers
    if ('id' in o || 'name' in o) return { items: [{ value: o, at: '' }] }
  }
  return [
    {
      path: '/',
      message:
        'must be an array of HSDS services, one HSDS service, or a page of services with its contents: the file should start with [ or {',
    },
  ]
}

/**
 * Reads an HSDS file (the JSON array of services, one service, a page of services, or a zip of tabular CSV files)
 * and checks it against the HSDS schemas and keywork's checks of the values it shows: the rows, and every problem
 * found in one pass (or the problems that stop the file being read at all). CPU-bound (seconds for a large file):
 * readInWorker runs it off the server's event loop.
 */
export function readHsdsFile(
  bytes: Uint8Array,
  knownTermIds: Set<string>,
  limits: ReadLimits = READ_LIMITS,
): Reading | Problem[] {
  if (bytes.length === 0) return [{ path: '/', message: 'The selected file is empty' }]
  if (bytes.length > limits.fileBytes)
    return [{ path: '/', message: `The file must be smaller than ${limits.fileBytes / 1024 / 1024} MB` }]
  if (isZip(bytes)) {
    const { files, problems } = unzipTabular(bytes, limits.zip)
    if (files.size === 0) return problems
    const reading = readTabular(files, knownTermIds)
    reading.problems.unshift(...problems)
    return reading
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
    const reason = excerpt((e as Error).message.replace(CONTROL, '?'), 200)
    return [
      {
        path: '/',
        message: `The file is not valid JSON (${reason}). Upload an HSDS JSON file or a zip of HSDS CSV files`,
      },
    ]
  }
  const shape = servicesOf(value)
  if (Array.isArray(shape)) return shape
  // every check runs on what can be read, so that one pass lists every problem: the schema's first
  const schema = shape.items.flatMap(s => serviceProblems(s.value, s.at))
  const seen = new Set(schema.map(p => p.path))
  const values = shape.items.flatMap(s => nestedValueProblems(s.value, s.at)).filter(p => !seen.has(p.path))
  const reading = readServices(shape.items)
  reading.problems.unshift(...schema, ...values)
  return reading
}
