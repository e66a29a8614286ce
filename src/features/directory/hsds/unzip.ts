import { Inflate } from 'fflate'
import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'
import { loadHsdsSchema } from './schemas'

/**
 * Reading the zip of the tabular form without trusting it: the central directory is read first (how many entries,
 * their names and declared sizes), only entries named like an HSDS tabular file are inflated, in small steps that
 * count the bytes really produced, and reading stops as soon as a limit is passed. A 100 kB zip can hold gigabytes.
 */

/** The most entries a zip may hold: the tabular form has 21 files; folders and a few stray files fit too. */
export const ZIP_MAX_ENTRIES = 50
/** The most one file may hold unzipped: a directory of 5,000 services has a 2 MB services.csv. */
export const ZIP_MAX_FILE_BYTES = 30 * 1024 * 1024
/** The most all the files read may hold unzipped: 5,000 services come to about 7 MB. */
export const ZIP_MAX_TOTAL_BYTES = 50 * 1024 * 1024

export interface ZipLimits {
  entries: number
  fileBytes: number
  totalBytes: number
}

export const ZIP_LIMITS: ZipLimits = {
  entries: ZIP_MAX_ENTRIES,
  fileBytes: ZIP_MAX_FILE_BYTES,
  totalBytes: ZIP_MAX_TOTAL_BYTES,
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`

/** The limits, as the refusal says them (and the README). */
export function limitsText(limits: ZipLimits = ZIP_LIMITS): string {
  return `keywork reads at most ${limits.entries} files from a zip, ${mb(limits.fileBytes)} in one file and ${mb(limits.totalBytes)} in all once unzipped`
}

let fileNames: Set<string> | undefined

/** The file names of the HSDS tabular form (compiled/tabular.json), without compiling its schemas. */
export function hsdsTabularFileNames(): Set<string> {
  fileNames ??= new Set(
    Object.values(
      (loadHsdsSchema('compiled/tabular.json') as { properties: Record<string, { items: { path: string } }> })
        .properties,
    ).map(p => p.items.path),
  )
  return fileNames
}

interface Entry {
  name: string
  method: number
  compressedSize: number
  size: number
  /** where the entry's local header starts */
  offset: number
}

class Damaged extends Error {}

const u16 = (b: Uint8Array, i: number) => {
  if (i + 2 > b.length) throw new Damaged()
  return b[i]! | (b[i + 1]! << 8)
}
const u32 = (b: Uint8Array, i: number) => {
  if (i + 4 > b.length) throw new Damaged()
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
}

/** The end of central directory record: the last one in the file (a comment may follow it, 64 kB at most). */
function endRecord(b: Uint8Array): number {
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--)
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return i
  throw new Damaged()
}

type Listing = { entries: Entry[] } | { count: number }

/** The entries the central directory lists; only their number when there are more than the limit. */
function centralDirectory(b: Uint8Array, maxEntries: number): Listing {
  const end = endRecord(b)
  const count = u16(b, end + 10)
  // 0xffff means a ZIP64 archive, which counts its entries elsewhere: that many entries is over the limit anyway
  if (count > maxEntries) return { count }
  const names = new TextDecoder('utf-8')
  const entries: Entry[] = []
  let at = u32(b, end + 16)
  for (let n = 0; n < count; n++) {
    if (u32(b, at) !== 0x02014b50) throw new Damaged()
    const nameLength = u16(b, at + 28)
    if (at + 46 + nameLength > b.length) throw new Damaged()
    entries.push({
      method: u16(b, at + 10),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      name: names.decode(b.subarray(at + 46, at + 46 + nameLength)),
      offset: u32(b, at + 42),
    })
    at += 46 + nameLength + u16(b, at + 30) + u16(b, at + 32)
  }
  return { entries }
}

/** The entry's data as stored in the zip (compressed), from its local header. */
function storedData(b: Uint8Array, e: Entry): Uint8Array {
  if (u32(b, e.offset) !== 0x04034b50) throw new Damaged()
  const start = e.offset + 30 + u16(b, e.offset + 26) + u16(b, e.offset + 28)
  if (start + e.compressedSize > b.length) throw new Damaged()
  return b.subarray(start, start + e.compressedSize)
}

/** Compressed bytes handed to the inflater at a time: deflate expands at most about 1,000 times, so 4 MB a step. */
const STEP = 4096

class TooLarge extends Error {}

/** Inflates one entry, giving up once its output passes `max` bytes. */
function inflateBounded(data: Uint8Array, method: number, max: number): Uint8Array[] {
  if (method === 0) {
    if (data.length > max) throw new TooLarge()
    return [data]
  }
  const chunks: Uint8Array[] = []
  let size = 0
  const inflater = new Inflate(chunk => {
    size += chunk.length
    if (size <= max) chunks.push(chunk)
  })
  for (let i = 0; i < data.length; i += STEP) {
    inflater.push(data.subarray(i, i + STEP), i + STEP >= data.length)
    if (size > max) throw new TooLarge()
  }
  if (data.length === 0) inflater.push(data, true)
  return chunks
}

function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/**
 * Unzips the tabular form within the limits; problems for a bad or oversized zip, a file that is not of the HSDS
 * tabular form (never inflated), a file twice, or a file that is not UTF-8.
 */
export function unzipTabular(
  bytes: Uint8Array,
  limits: ZipLimits = ZIP_LIMITS,
): { files: Map<string, string>; problems: Problem[] } {
  const files = new Map<string, string>()
  const refuse = (message: string) => ({ files, problems: [{ path: '/', message }] })
  const damaged = refuse('The zip file cannot be opened: it is damaged or not a zip file. Nothing was imported')
  let listing: Listing
  try {
    listing = centralDirectory(bytes, limits.entries)
  } catch (e) {
    if (e instanceof Damaged) return damaged
    throw e
  }
  if ('count' in listing)
    return refuse(
      `The zip file holds ${listing.count === 0xffff ? 'too many' : listing.count.toLocaleString('en-GB')} files: ${limitsText(limits)}. Nothing was imported`,
    )

  const problems: Problem[] = []
  const hsdsFiles = hsdsTabularFileNames()
  const wanted: Entry[] = []
  for (const e of listing.entries) {
    if (e.name.endsWith('/')) continue
    const name = e.name.split('/').pop() ?? e.name
    if (name.startsWith('.') || e.name.startsWith('__MACOSX/')) continue
    if (!hsdsFiles.has(name))
      problems.push({
        path: excerpt(e.name),
        message: 'is not a file of the HSDS tabular form (organizations.csv, ...)',
      })
    else if (wanted.some(w => w.name.split('/').pop() === name))
      problems.push({ path: excerpt(e.name), message: `the zip holds ${name} more than once` })
    else if (e.method !== 0 && e.method !== 8)
      problems.push({ path: excerpt(e.name), message: 'is compressed in a way keywork cannot read: zip it again' })
    else wanted.push(e)
  }
  if (problems.length) return { files, problems }

  // what the zip says first (nothing inflated), then what inflating really gives, since the sizes can lie
  const tooLarge = (name: string) =>
    refuse(`${excerpt(name)} is too large once unzipped: ${limitsText(limits)}. Nothing was imported`)
  const allTooLarge = refuse(
    `The files in the zip are too large once unzipped: ${limitsText(limits)}. Nothing was imported`,
  )
  for (const e of wanted) if (e.size > limits.fileBytes) return tooLarge(e.name)
  if (wanted.reduce((n, e) => n + e.size, 0) > limits.totalBytes) return allTooLarge

  const decoder = new TextDecoder('utf-8', { fatal: true })
  let total = 0
  for (const e of wanted) {
    const name = e.name.split('/').pop() ?? e.name
    const room = limits.totalBytes - total
    let data: Uint8Array
    try {
      data = join(inflateBounded(storedData(bytes, e), e.method, Math.min(limits.fileBytes, room)))
    } catch (err) {
      if (err instanceof TooLarge) return limits.fileBytes <= room ? tooLarge(e.name) : allTooLarge
      // a damaged header, or deflate data fflate cannot read
      return damaged
    }
    total += data.length
    try {
      files.set(name, decoder.decode(data).replace(/^\uFEFF/, ''))
    } catch {
      problems.push({ path: name, message: 'is not UTF-8 text: save it as CSV UTF-8' })
    }
  }
  if (!problems.length && files.size === 0)
    problems.push({ path: '/', message: 'The zip file holds no CSV files of the HSDS tabular form' })
  return { files, problems }
}
