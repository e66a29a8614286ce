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

/** The HSDS tabular file of each table name (service_at_location → service_at_location.csv). */
function hsdsFileOfTable(): Map<string, string> {
  const tabular = loadHsdsSchema('compiled/tabular.json') as { properties: Record<string, { items: { path: string } }> }
  return new Map(Object.entries(tabular.properties).map(([name, p]) => [name, p.items.path]))
}

const baseName = (name: string) => name.split('/').pop() ?? name
const dirName = (name: string) => (name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '')

/** "a/./b/../c.csv" → "a/c.csv": a data package's resource path, as a zip entry name. */
function normalPath(p: string): string {
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return out.join('/')
}

/**
 * The entries a Frictionless data package (datapackage.json, as HSDS publishes the tabular form with) names as its
 * resources, by entry name, with the HSDS file each holds; problems for a resource missing from the zip or not an
 * HSDS table.
 */
function dataPackageFiles(
  text: string,
  packageName: string,
  entries: Entry[],
  problems: Problem[],
): Map<string, string> {
  const found = new Map<string, string>()
  let pkg: unknown
  try {
    pkg = JSON.parse(text)
  } catch {
    problems.push({ path: excerpt(packageName), message: 'is not valid JSON: keywork reads it to find the CSV files' })
    return found
  }
  const resources = (pkg as { resources?: unknown } | null)?.resources
  if (!Array.isArray(resources)) {
    problems.push({ path: excerpt(packageName), message: 'must list its CSV files in resources' })
    return found
  }
  const hsdsFiles = hsdsTabularFileNames()
  const byTable = hsdsFileOfTable()
  const names = new Set(entries.map(e => e.name))
  resources.forEach((r, i) => {
    const res = (r ?? {}) as { name?: unknown; path?: unknown }
    const at = `${excerpt(packageName)}, resources/${i}`
    const paths = Array.isArray(res.path) ? res.path : [res.path]
    for (const p of paths) {
      if (typeof p !== 'string' || p === '') {
        problems.push({ path: `${at}/path`, message: 'must be the path of a CSV file in the zip' })
        continue
      }
      const entryName = normalPath(dirName(packageName) + p)
      const hsdsName = hsdsFiles.has(baseName(p))
        ? baseName(p)
        : typeof res.name === 'string'
          ? byTable.get(res.name)
          : undefined
      if (!names.has(entryName))
        problems.push({
          path: `${at}/path`,
          message: `names ${excerpt(p)}, which is not in the zip: add the file or remove the resource`,
        })
      else if (!hsdsName)
        problems.push({
          path: `${at}/path`,
          message: `${excerpt(p)} is not a file of the HSDS tabular form (organizations.csv, ...)`,
        })
      else found.set(entryName, hsdsName)
    }
  })
  return found
}

/**
 * Unzips the tabular form within the limits. A zip that cannot be read (damaged, too many files, too large once
 * unzipped) is refused at once; otherwise every file of the HSDS tabular form is read and the problems of the others
 * listed alongside: a file that is not of the HSDS tabular form (never inflated), a file twice, a file that is not
 * UTF-8. A Frictionless datapackage.json, as HSDS publishes the tabular form, says where the CSV files are.
 */
export function unzipTabular(
  bytes: Uint8Array,
  limits: ZipLimits = ZIP_LIMITS,
): { files: Map<string, string>; problems: Problem[] } {
  const files = new Map<string, string>()
  const refuse = (message: string) => ({ files: new Map<string, string>(), problems: [{ path: '/', message }] })
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
  const entries = listing.entries.filter(e => {
    if (e.name.endsWith('/')) return false
    return !baseName(e.name).startsWith('.') && !e.name.startsWith('__MACOSX/')
  })
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const tooLarge = (name: string) =>
    refuse(`${excerpt(name)} is too large once unzipped: ${limitsText(limits)}. Nothing was imported`)
  const allTooLarge = refuse(
    `The files in the zip are too large once unzipped: ${limitsText(limits)}. Nothing was imported`,
  )
  let total = 0
  /** One entry's text; a refusal when it cannot be read; null when it is not UTF-8 (a problem noted). */
  const read = (e: Entry, name: string): string | null | { files: Map<string, string>; problems: Problem[] } => {
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
      return decoder.decode(data).replace(/^\uFEFF/, '')
    } catch {
      problems.push({ path: excerpt(name), message: 'is not UTF-8 text: save it as CSV UTF-8' })
      return null
    }
  }
  const readable = (e: Entry) => {
    if (e.method === 0 || e.method === 8) return true
    problems.push({ path: excerpt(e.name), message: 'is compressed in a way keywork cannot read: zip it again' })
    return false
  }

  // the data package first: it says which entries are the CSV files
  const packages = entries.filter(e => baseName(e.name) === 'datapackage.json')
  let packaged = new Map<string, string>()
  if (packages.length > 1)
    problems.push({ path: excerpt(packages[1]!.name), message: 'the zip holds datapackage.json more than once' })
  const pkg = packages[0]
  if (pkg && readable(pkg)) {
    if (pkg.size > limits.fileBytes) return tooLarge(pkg.name)
    const text = read(pkg, pkg.name)
    if (text !== null && typeof text === 'object') return text
    if (typeof text === 'string') packaged = dataPackageFiles(text, pkg.name, entries, problems)
  }

  const wanted: { entry: Entry; name: string }[] = []
  for (const e of entries) {
    if (packages.includes(e)) continue
    const name = packaged.get(e.name) ?? baseName(e.name)
    if (!packaged.has(e.name) && !hsdsFiles.has(name))
      problems.push({
        path: excerpt(e.name),
        message: 'is not a file of the HSDS tabular form (organizations.csv, ...)',
      })
    else if (wanted.some(w => w.name === name))
      problems.push({ path: excerpt(e.name), message: `the zip holds ${name} more than once` })
    else if (readable(e)) wanted.push({ entry: e, name })
  }

  // what the zip says first (nothing inflated), then what inflating really gives, since the sizes can lie
  for (const { entry } of wanted) if (entry.size > limits.fileBytes) return tooLarge(entry.name)
  if (wanted.reduce((n, w) => n + w.entry.size, 0) > limits.totalBytes) return allTooLarge

  for (const { entry, name } of wanted) {
    const text = read(entry, name)
    if (text !== null && typeof text === 'object') return text
    if (typeof text === 'string') files.set(name, text)
  }
  if (!problems.length && files.size === 0)
    problems.push({ path: '/', message: 'The zip file holds no CSV files of the HSDS tabular form' })
  return { files, problems }
}
