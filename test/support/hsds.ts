import { randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'csv-parse/sync'
import { unzipSync } from 'fflate'
import { PATHWAYS } from '../../src/domain/pathways'
import { PROVISION_TERMS } from '../../src/features/directory/hsds/model'
import { HSDS_DIR, loadHsdsSchema } from '../../src/features/directory/hsds/schemas'

/** Test helpers: the vendored HSDS schemas exactly as published (not keywork's strict copy), and fixtures. */

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

let validators: { service: ValidateFunction; serviceList: ValidateFunction; tabular: ValidateFunction } | undefined

export function hsdsValidators() {
  if (validators) return validators
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  addFormats(ajv)
  for (const f of readdirSync(HSDS_DIR).filter(f => f.endsWith('.json') && f !== 'openapi.json'))
    ajv.addSchema(loadHsdsSchema(f), f)
  validators = {
    service: ajv.compile(loadHsdsSchema('compiled/service.json')),
    serviceList: ajv.compile(loadHsdsSchema('compiled/service_list.json')),
    tabular: ajv.compile(loadHsdsSchema('compiled/tabular.json')),
  }
  return validators
}

/** The openapi.json Page fields of a paginated list. */
export const PAGE_FIELDS = {
  total_items: 'number',
  total_pages: 'number',
  page_number: 'number',
  size: 'number',
  first_page: 'boolean',
  last_page: 'boolean',
  empty: 'boolean',
} as const

export function errorsOf(v: ValidateFunction): string {
  return JSON.stringify(v.errors?.slice(0, 5))
}

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/hsds')

export function fixtureBytes(name = 'directory.json'): Buffer {
  return readFileSync(path.join(here, name))
}

export function fixture(name = 'directory.json'): Record<string, unknown>[] {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>[]
}

export const jsonBytes = (v: unknown) => Buffer.from(JSON.stringify(v))

/** The CSV files of a tabular zip, parsed into HSDS tabular rows (typed by the schema) keyed by table name. */
export function tabularObject(zip: Uint8Array): Record<string, Record<string, unknown>[]> {
  const files = unzipSync(zip)
  const tabular = loadHsdsSchema('compiled/tabular.json') as {
    properties: Record<
      string,
      { items: { path: string; required?: string[]; properties: Record<string, { type: string }> } }
    >
  }
  const out: Record<string, Record<string, unknown>[]> = {}
  for (const [name, def] of Object.entries(tabular.properties)) {
    const data = files[def.items.path]
    if (!data) continue
    const rows = parse(Buffer.from(data).toString('utf8'), { columns: true }) as Record<string, string>[]
    out[name] = rows.map(r =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k, v]) => v !== '' || def.items.required?.includes(k))
          .map(([k, v]) => [k, def.items.properties[k]?.type === 'number' && v !== '' ? Number(v) : v]),
      ),
    )
  }
  return out
}

/** Every metadata entry (at any depth) whose id is not among `keep`, removed; returns what was removed. */
export function stripMetadata(value: unknown, keep: Set<string>, removed: Record<string, unknown>[] = []): unknown {
  if (Array.isArray(value)) return value.map(v => stripMetadata(v, keep, removed))
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === 'metadata' && Array.isArray(v)) {
      const list = v as Record<string, unknown>[]
      removed.push(...list.filter(m => !keep.has(String(m.id))))
      out[k] = list.filter(m => keep.has(String(m.id))).map(m => stripMetadata(m, keep, removed))
    } else out[k] = stripMetadata(v, keep, removed)
  }
  return out
}

export function metadataIds(value: unknown, ids = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach(v => metadataIds(v, ids))
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'metadata' && Array.isArray(v)) for (const m of v as { id: string }[]) ids.add(m.id)
      metadataIds(v, ids)
    }
  return ids
}

/** The same directory with fresh ids (taxonomy terms kept), so it can be imported next to the original. */
export function withFreshIds<T>(value: T): T {
  const map = new Map<string, string>()
  const keep = new Set<string>([
    ...PATHWAYS.map(p => p.termId),
    PROVISION_TERMS.internal.id,
    PROVISION_TERMS.external.id,
  ])
  const text = JSON.stringify(value).replace(
    /"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g,
    (m, id: string) => {
      if (keep.has(id)) return m
      if (!map.has(id)) map.set(id, randomUUID())
      return `"${map.get(id)}"`
    },
  )
  return JSON.parse(text) as T
}

/** One entry of a zip written by zipOf: its data as stored (deflated when method is 8). */
export interface RawEntry {
  name: string
  stored: Uint8Array
  method: 0 | 8
  crc: number
  /** the unzipped size the zip declares (a zip bomb may lie) */
  size: number
}

/** A zip of the entries as given, declared sizes included: zip bombs that fflate would not write. */
export function zipOf(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(e.method, 8)
    local.writeUInt16LE(0x21, 12) // 1980-01-01
    local.writeUInt32LE(e.crc >>> 0, 14)
    local.writeUInt32LE(e.stored.length, 18)
    local.writeUInt32LE(e.size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(e.method, 10)
    central.writeUInt16LE(0x21, 14)
    central.writeUInt32LE(e.crc >>> 0, 16)
    central.writeUInt32LE(e.stored.length, 20)
    central.writeUInt32LE(e.size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, Buffer.from(e.stored))
    centrals.push(central, name)
    offset += 30 + name.length + e.stored.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/**
 * A zip bomb entry: `megabytes` MB of one repeated byte after `head`, deflated by zlib a megabyte at a time (so the
 * test never holds the whole text), declaring its true size unless `declared` says otherwise.
 */
export async function bombEntry(
  name: string,
  megabytes: number,
  opts: { head?: string; declared?: number } = {},
): Promise<RawEntry> {
  const deflate = zlib.createDeflateRaw({ level: 9 })
  const out: Buffer[] = []
  deflate.on('data', (c: Buffer) => out.push(c))
  const done = new Promise(resolve => deflate.on('end', resolve))
  const head = Buffer.from(opts.head ?? '')
  const mb = Buffer.alloc(1024 * 1024, 'a')
  let crc = zlib.crc32(head)
  deflate.write(head)
  for (let i = 0; i < megabytes; i++) {
    crc = zlib.crc32(mb, crc)
    if (!deflate.write(mb)) await new Promise(resolve => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  const size = head.length + megabytes * 1024 * 1024
  return { name, stored: Buffer.concat(out), method: 8, crc, size: opts.declared ?? size }
}

/** A small entry, deflated. */
export function textEntry(name: string, text: string): RawEntry {
  const data = Buffer.from(text)
  return { name, stored: zlib.deflateRawSync(data), method: 8, crc: zlib.crc32(data), size: data.length }
}
