import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'

/**
 * The vendored Open Referral HSDS 3.0 JSON schemas (schemas/hsds-3.0), compiled with Ajv once per process, on
 * first use (compiling the nested service schema takes a second or two, which a start-up should not pay). Imports
 * use them in the reading thread (readWorker.ts); an export needs only the tabular column lists, never compiled.
 *
 * keywork validates an import against a strict copy: the same schema with additionalProperties false on every
 * object, so a field HSDS does not define is reported rather than silently dropped.
 */

export const HSDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schemas/hsds-3.0')

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

type Json = Record<string, unknown>

export function loadHsdsSchema(name: string): Json {
  return JSON.parse(readFileSync(path.join(HSDS_DIR, name), 'utf8')) as Json
}

function newAjv(): Ajv2020 {
  // strict off: the HSDS schemas carry their own keywords (constraints, core, example, datapackage_metadata...)
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
  addFormats(ajv)
  return ajv
}

/** A deep copy where every object schema with properties allows no other property. */
export function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed)
  if (!schema || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [k, v] of Object.entries(schema as Json)) {
    out[k] = k === 'example' || k === 'constraints' ? v : closed(v)
  }
  if (out.properties && typeof out.properties === 'object') out.additionalProperties = false
  return out
}

/** The tabular (CSV) form of one table: the table's scalar columns only, in the schema's order. */
export interface TabularTable {
  /** HSDS name, e.g. service_at_location */
  name: string
  /** the CSV file name, e.g. service_at_location.csv */
  file: string
  columns: { name: string; type: string }[]
  /** an empty cell in a required column is an empty string, not a missing value */
  required: Set<string>
  validate: ValidateFunction
}

let ajv: Ajv2020 | undefined
let service: ValidateFunction | undefined
let tabular: Map<string, TabularTable> | undefined

/** Every way the value breaks the strict HSDS service schema, prefixed with `at` (e.g. `/3`). */
export function serviceProblems(value: unknown, at: string): Problem[] {
  service ??= (ajv ??= newAjv()).compile(closed(loadHsdsSchema('compiled/service.json')) as Json)
  if (service(value)) return []
  return (service.errors ?? []).map(e => problemOf(e, at))
}

/** The tables of the tabular form; a table's validator is compiled when first used (an export needs none). */
export function tabularTables(): Map<string, TabularTable> {
  if (tabular) return tabular
  const tabularSchema = loadHsdsSchema('compiled/tabular.json') as { properties: Record<string, { items: Json }> }
  tabular = new Map<string, TabularTable>()
  for (const [name, def] of Object.entries(tabularSchema.properties)) {
    const item = def.items as { path: string; properties: Record<string, Json>; required?: string[] }
    const columns = Object.entries(item.properties)
      .filter(([, p]) => p.type !== 'array' && p.type !== 'object')
      .map(([col, p]) => ({ name: col, type: String(p.type) }))
    const scalar = {
      type: 'object',
      properties: Object.fromEntries(columns.map(c => [c.name, item.properties[c.name]])),
      required: item.required ?? [],
    }
    let validate: ValidateFunction | undefined
    tabular.set(name, {
      name,
      file: item.path,
      columns,
      required: new Set(item.required ?? []),
      get validate() {
        return (validate ??= (ajv ??= newAjv()).compile(closed(scalar) as Json))
      },
    })
  }
  return tabular
}

export function problemOf(e: ErrorObject, at: string): Problem {
  const where = `${at}${e.instancePath}`
  if (e.keyword === 'additionalProperties') {
    const field = excerpt((e.params as { additionalProperty: string }).additionalProperty)
    return { path: `${where}/${field}`, message: `unknown field "${field}": HSDS 3.0 has no such field here` }
  }
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty: string }).missingProperty)
    return { path: `${where}/${field}`, message: 'is required' }
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(v => JSON.stringify(v)).join(', ')
    return { path: where || '/', message: `must be one of ${allowed}` }
  }
  return { path: where || '/', message: e.message ?? 'is not valid' }
}
