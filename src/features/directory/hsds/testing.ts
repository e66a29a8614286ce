import { randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'csv-parse/sync'
import { unzipSync } from 'fflate'
import { PATHWAYS } from '../../../domain/pathways'
import { PROVISION_TERMS } from './model'
import { HSDS_DIR, loadHsdsSchema } from './schemas'

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

const here = path.dirname(fileURLToPath(import.meta.url))

export function fixtureBytes(name = 'directory.json'): Buffer {
  return readFileSync(path.join(here, 'fixtures', name))
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
