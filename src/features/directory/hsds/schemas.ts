import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { excerpt } from '../../../domain/untrusted'
import type { Problem } from './model'

/**
 * The vendored Open Referral HSDS 3.0 JSON schemas (schemas/hsds-3.0), compiled with Ajv once per process, on
 * first use (compiling the nested service schema takes about two seconds, which a start-up should not pay).
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

let cache:
  | {
      service: ValidateFunction
      tabular: Map<string, TabularTable>
    }
  | undefined

function compiled() {
  if (cache) return cache
  const ajv = newAjv()
  const service = ajv.compile(closed(loadHsdsSchema('compiled/service.json')) as Json)
  const tabularSchema = loadHsdsSchema('compiled/tabular.json') as { properties: Record<string, { items: Json }> }
  const tabular = new Map<string, TabularTable>()
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
    tabular.set(name, {
      name,
      file: item.path,
      columns,
      required: new Set(item.required ?? []),
      validate: ajv.compile(closed(scalar) as Json),
    })
  }
  cache = { service, tabular }
  return cache
}

/** Every way the value breaks the strict HSDS service schema, prefixed with `at` (e.g. `/3`). */
export function serviceProblems(value: unknown, at: string): Problem[] {
  const validate = compiled().service
  if (validate(value)) return []
  return (validate.errors ?? []).map(e => problemOf(e, at))
}

export function tabularTables(): Map<string, TabularTable> {
  return compiled().tabular
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
