import { excerpt } from '../../../domain/untrusted'
import { type Bundle, COLUMNS, type Located, type Problem, RESOURCE_TYPE, TABLES, type TableName } from './model'

/**
 * What keywork keeps of HSDS without modelling it (docs/decisions/006-hsds-lossless.md).
 *
 * Each record keywork models (a row of one of its directory tables) carries `extra`: its other HSDS fields and the
 * records nested in it that keywork does not model (a service's funding, a location's accessibility, a contact of
 * a location...), as canonical JSON. The JSON form is kept as it came; the tabular form's rows of those records are
 * assembled into the same nesting on import (assembleKept) and written back to their files, with the foreign key
 * of the record they are nested in, on export (flattenExtra).
 */

export type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

class CycleError extends Error {}

/** JSON with the keys of every object sorted: the same record always gives the same text. */
export function canonicalJson(value: unknown): string {
  const onPath = new Set<unknown>()
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v) || isObj(v)) {
      if (onPath.has(v)) throw new CycleError('records refer to each other in a circle')
      onPath.add(v)
      const out = Array.isArray(v)
        ? v.map(walk)
        : Object.fromEntries(
            Object.keys(v)
              .sort()
              .filter(k => v[k] !== undefined)
              .map(k => [k, walk(v[k])]),
          )
      onPath.delete(v)
      return out
    }
    return v
  }
  return JSON.stringify(walk(value))
}

export function parseExtra(text: string | null | undefined): Obj {
  if (!text) return {}
  const v = JSON.parse(text) as unknown
  return isObj(v) ? v : {}
}

/** An exported HSDS object: keywork's fields, then the kept ones. */
export function withExtra(fields: Obj, extra: string | null | undefined): Obj {
  return extra ? { ...fields, ...parseExtra(extra) } : fields
}

/** The nested collections the JSON reader (readJson.ts) turns into keywork's rows, per HSDS entity. */
const MODELLED_NESTED: Record<string, readonly string[]> = {
  service: [
    'organization',
    'service_at_locations',
    'contacts',
    'phones',
    'schedules',
    'languages',
    'attributes',
    'metadata',
  ],
  organization: ['metadata'],
  service_at_location: ['location', 'metadata'],
  location: ['addresses', 'phones', 'metadata'],
  address: ['metadata'],
  contact: ['phones', 'metadata'],
  phone: ['metadata'],
  schedule: ['metadata'],
  language: ['metadata'],
  // an attribute's taxonomy_term is kept here and taken out by the importer (a term is stored once)
  attribute: ['metadata'],
  metadata: [],
}

const keptOut = new Map<TableName, Set<string>>(
  TABLES.map(t => [t, new Set([...(COLUMNS[t] as readonly string[]), ...(MODELLED_NESTED[RESOURCE_TYPE[t]] ?? [])])]),
)

/** HSDS phone.extension is a number keywork keeps as text; one that text does not give back exactly is kept too. */
const plainExtension = (n: number) => /^(0|[1-9]\d{0,14})$/.test(String(n))

/** The fields of an HSDS object (or CSV record) of a table that keywork does not model: canonical JSON, or null. */
export function extraOf(table: TableName, o: Obj): string | null {
  const skip = keptOut.get(table)!
  const out: Obj = {}
  for (const [k, v] of Object.entries(o)) if (!skip.has(k) && v !== undefined) out[k] = v
  if (table === 'phones' && typeof o.extension === 'number' && !plainExtension(o.extension)) out.extension = o.extension
  return Object.keys(out).length ? canonicalJson(out) : null
}

// --- how HSDS nests its records ---

interface Child {
  entity: string
  /** the child's column naming the record it is nested in; null for a record nested by the parent's own column */
  fk: string | null
  /** a single object (service.organization, service.program, attribute.taxonomy_term...), not a list */
  single?: true
}

const common = (): Record<string, Child> => ({
  attributes: { entity: 'attribute', fk: 'link_id' },
  metadata: { entity: 'metadata', fk: 'resource_id' },
})

/** The nested records of each HSDS entity (compiled/service.json), by key. */
export const CHILDREN: Record<string, Record<string, Child>> = {
  service: {
    organization: { entity: 'organization', fk: null, single: true },
    program: { entity: 'program', fk: null, single: true },
    service_at_locations: { entity: 'service_at_location', fk: 'service_id' },
    contacts: { entity: 'contact', fk: 'service_id' },
    phones: { entity: 'phone', fk: 'service_id' },
    schedules: { entity: 'schedule', fk: 'service_id' },
    languages: { entity: 'language', fk: 'service_id' },
    service_areas: { entity: 'service_area', fk: 'service_id' },
    funding: { entity: 'funding', fk: 'service_id' },
    cost_options: { entity: 'cost_option', fk: 'service_id' },
    required_documents: { entity: 'required_document', fk: 'service_id' },
    ...common(),
  },
  organization: {
    funding: { entity: 'funding', fk: 'organization_id' },
    contacts: { entity: 'contact', fk: 'organization_id' },
    phones: { entity: 'phone', fk: 'organization_id' },
    locations: { entity: 'location', fk: 'organization_id' },
    programs: { entity: 'program', fk: 'organization_id' },
    organization_identifiers: { entity: 'organization_identifier', fk: 'organization_id' },
    ...common(),
  },
  service_at_location: {
    location: { entity: 'location', fk: null, single: true },
    contacts: { entity: 'contact', fk: 'service_at_location_id' },
    phones: { entity: 'phone', fk: 'service_at_location_id' },
    schedules: { entity: 'schedule', fk: 'service_at_location_id' },
    ...common(),
  },
  location: {
    addresses: { entity: 'address', fk: 'location_id' },
    phones: { entity: 'phone', fk: 'location_id' },
    contacts: { entity: 'contact', fk: 'location_id' },
    schedules: { entity: 'schedule', fk: 'location_id' },
    languages: { entity: 'language', fk: 'location_id' },
    accessibility: { entity: 'accessibility', fk: 'location_id' },
    ...common(),
  },
  contact: { phones: { entity: 'phone', fk: 'contact_id' }, ...common() },
  phone: { languages: { entity: 'language', fk: 'phone_id' }, ...common() },
  attribute: {
    taxonomy_term: { entity: 'taxonomy_term', fk: null, single: true },
    metadata: { entity: 'metadata', fk: 'resource_id' },
  },
  taxonomy_term: {
    taxonomy_detail: { entity: 'taxonomy', fk: null, single: true },
    metadata: { entity: 'metadata', fk: 'resource_id' },
  },
  taxonomy: { metadata: { entity: 'metadata', fk: 'resource_id' } },
  metadata: {},
}
for (const e of [
  'address',
  'schedule',
  'language',
  'service_area',
  'funding',
  'cost_option',
  'program',
  'required_document',
  'accessibility',
  'organization_identifier',
])
  CHILDREN[e] ??= common()

/**
 * Where a tabular row of an entity keywork keeps whole is nested on import: the first of its columns, in this order,
 * that names a record of the file. Attributes (link_id) and metadata (resource_id) may hang from any record.
 */
const PARENTS: Record<string, { fk: string; parent: string; key: string }[]> = {
  phone: [
    { fk: 'contact_id', parent: 'contact', key: 'phones' },
    { fk: 'service_at_location_id', parent: 'service_at_location', key: 'phones' },
    { fk: 'service_id', parent: 'service', key: 'phones' },
    { fk: 'location_id', parent: 'location', key: 'phones' },
    { fk: 'organization_id', parent: 'organization', key: 'phones' },
  ],
  contact: [
    { fk: 'service_at_location_id', parent: 'service_at_location', key: 'contacts' },
    { fk: 'service_id', parent: 'service', key: 'contacts' },
    { fk: 'location_id', parent: 'location', key: 'contacts' },
    { fk: 'organization_id', parent: 'organization', key: 'contacts' },
  ],
  schedule: [
    { fk: 'service_at_location_id', parent: 'service_at_location', key: 'schedules' },
    { fk: 'service_id', parent: 'service', key: 'schedules' },
    { fk: 'location_id', parent: 'location', key: 'schedules' },
  ],
  language: [
    { fk: 'phone_id', parent: 'phone', key: 'languages' },
    { fk: 'service_id', parent: 'service', key: 'languages' },
    { fk: 'location_id', parent: 'location', key: 'languages' },
  ],
  funding: [
    { fk: 'service_id', parent: 'service', key: 'funding' },
    { fk: 'organization_id', parent: 'organization', key: 'funding' },
  ],
  service_area: [{ fk: 'service_id', parent: 'service', key: 'service_areas' }],
  required_document: [{ fk: 'service_id', parent: 'service', key: 'required_documents' }],
  cost_option: [{ fk: 'service_id', parent: 'service', key: 'cost_options' }],
  program: [{ fk: 'organization_id', parent: 'organization', key: 'programs' }],
  accessibility: [{ fk: 'location_id', parent: 'location', key: 'accessibility' }],
  organization_identifier: [{ fk: 'organization_id', parent: 'organization', key: 'organization_identifiers' }],
  attribute: [{ fk: 'link_id', parent: '*', key: 'attributes' }],
  metadata: [{ fk: 'resource_id', parent: '*', key: 'metadata' }],
}

/** A tabular row keywork keeps whole (its HSDS table name, e.g. funding), with where it was. */
export interface KeptRow {
  entity: string
  at: string
  row: Obj
}

/**
 * Whether a row of a table keywork models sits where keywork does not model it (a contact of a location, a phone
 * of an organisation, an attribute of a location...): then it is kept whole, nested in its parent's extra.
 */
export function keptPlacement(table: TableName, o: Obj): boolean {
  const has = (k: string) => o[k] !== undefined && o[k] !== null && o[k] !== ''
  switch (table) {
    case 'contacts':
    case 'schedules':
    case 'languages':
      return !has('service_id')
    case 'phones':
      return !has('service_id') && !has('contact_id') && !has('location_id')
    case 'attributes':
      return has('link_entity') && o.link_entity !== 'service'
    default:
      return false
  }
}

const ENTITY_TABLE = new Map<string, TableName>(TABLES.map(t => [RESOURCE_TYPE[t], t]))

/** Where a field of a located row is: a JSON pointer, or "file.csv row N, field". */
const fieldAt = (at: string, field: string) => (at.startsWith('/') ? `${at}/${field}` : `${at}, ${field}`)

/** The terms and taxonomies of another taxonomy found in a file (rows of the tabular form). */
export interface KeptTaxonomies {
  terms: Located<Obj>[]
  taxonomies: Located<Obj>[]
}

/**
 * The tabular form's records keywork keeps whole, nested where HSDS nests them: in the extra of the record of the
 * file they belong to (a funding row in its service's extra), or in another kept record (a phone of a location's
 * contact). A phone, attribute or metadata row of the bundle that belongs to a kept record moves there too. Taxonomy
 * terms and taxonomies are returned apart (stored once, for every directory). All or nothing: a row whose parent is
 * not in the file is a problem.
 */
export function assembleKept(bundle: Bundle, kept: readonly KeptRow[], problems: Problem[]): KeptTaxonomies {
  const rows = (t: TableName) => bundle[t] as unknown as Located<Obj & { id: string }>[]
  const result: KeptTaxonomies = { terms: [], taxonomies: [] }
  if (kept.length === 0) return result

  /** every record of the file by id: a bundle row (its table) or a kept object */
  const index = new Map<string, { entity: string; table?: TableName; row: Obj }>()
  for (const t of TABLES) for (const { row } of rows(t)) index.set(row.id, { entity: RESOURCE_TYPE[t], table: t, row })
  const keptList: KeptRow[] = []
  for (const k of kept) {
    const id = typeof k.row.id === 'string' ? k.row.id : null
    if (id !== null && !index.has(id)) index.set(id, { entity: k.entity, row: k.row })
    if (k.entity === 'taxonomy_term') result.terms.push({ at: k.at, row: k.row })
    else if (k.entity === 'taxonomy') result.taxonomies.push({ at: k.at, row: k.row })
    else keptList.push(k)
  }
  const keptIds = new Set(kept.map(k => k.row.id))

  // bundle rows that hang from a kept record are kept with it
  const demote = (t: TableName, belongs: (r: Obj) => boolean) => {
    const stay: Located<Obj & { id: string }>[] = []
    for (const item of rows(t))
      if (belongs(item.row)) {
        const { extra, ...fields } = item.row
        const row = { ...parseExtra(extra as string | null), ...dropNulls(fields) }
        if (t === 'phones' && typeof row.extension === 'string' && /^\d+$/.test(row.extension))
          row.extension = Number(row.extension)
        keptList.push({ entity: RESOURCE_TYPE[t], at: item.at, row })
        index.set(item.row.id, { entity: RESOURCE_TYPE[t], row })
        keptIds.add(item.row.id)
      } else stay.push(item)
    ;(bundle as unknown as Record<TableName, unknown[]>)[t] = stay
  }
  demote('phones', r => typeof r.contact_id === 'string' && keptIds.has(r.contact_id))
  demote('attributes', r => typeof r.link_id === 'string' && keptIds.has(r.link_id))
  demote('metadata', r => typeof r.resource_id === 'string' && keptIds.has(r.resource_id))

  const extras = new Map<Obj, Obj>()
  const extraOfRow = (row: Obj) => {
    let e = extras.get(row)
    if (!e) extras.set(row, (e = parseExtra(row.extra as string | null)))
    return e
  }
  for (const k of keptList) {
    const candidates = PARENTS[k.entity] ?? []
    let placed = false
    for (const c of candidates) {
      const pid = k.row[c.fk]
      const target = typeof pid === 'string' ? index.get(pid) : undefined
      if (!target || target.row === k.row || (c.parent !== '*' && target.entity !== c.parent)) continue
      const holder = target.table ? extraOfRow(target.row) : target.row
      const list = (holder[c.key] ??= []) as Obj[]
      list.push(k.row)
      placed = true
      break
    }
    if (placed) continue
    const named = candidates.find(c => typeof k.row[c.fk] === 'string' && k.row[c.fk] !== '')
    problems.push(
      named
        ? {
            path: fieldAt(k.at, named.fk),
            message: `refers to "${excerpt(k.row[named.fk])}", which is not a ${named.parent === '*' ? 'record' : named.parent.replaceAll('_', ' ')} in the file`,
          }
        : {
            path: fieldAt(k.at, candidates[0]?.fk ?? 'id'),
            message: `is required: keywork keeps a ${k.entity.replaceAll('_', ' ')} with the record it belongs to (${candidates.map(c => c.fk).join(' or ')})`,
          },
    )
  }
  // a service's program (service.program in the JSON form) is the organisation's program its program_id names
  for (const { row } of rows('services')) {
    if (!String(row.extra ?? '').includes('"program_id"')) continue
    const extra = extraOfRow(row)
    const program = typeof extra.program_id === 'string' ? index.get(extra.program_id) : undefined
    if (program && program.entity === 'program' && !program.table && extra.program === undefined)
      extra.program = program.row
  }
  for (const [row, extra] of extras)
    try {
      row.extra = Object.keys(extra).length ? canonicalJson(extra) : null
    } catch (e) {
      if (!(e instanceof CycleError)) throw e
      problems.push({ path: String(row.id), message: 'records of the file refer to each other in a circle' })
    }
  return result
}

function dropNulls(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined))
}

// --- export: the kept records back to their tabular files ---

export type Emit = (entity: string, row: Obj) => void

const scalars = (o: Obj): Obj =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && (v === null || typeof v !== 'object')))

/** A kept record and everything nested in it as tabular rows, each naming the record it is nested in. */
export function flattenRecord(
  entity: string,
  o: Obj,
  emit: Emit,
  parent?: { id: unknown; fk: string; entity: string },
) {
  const row = scalars(o)
  if (parent && row[parent.fk] === undefined) row[parent.fk] = parent.id
  // keywork reads a metadata row by its resource_type
  if (parent && entity === 'metadata' && row.resource_type === undefined) row.resource_type = parent.entity
  emit(entity, row)
  flattenChildren(entity, o.id, o, emit)
}

function flattenChildren(entity: string, id: unknown, o: Obj, emit: Emit) {
  const children = CHILDREN[entity] ?? {}
  for (const [key, v] of Object.entries(o)) {
    const child = children[key]
    if (!child) continue
    if (child.single) {
      if (isObj(v)) flattenRecord(child.entity, v, emit)
    } else if (Array.isArray(v))
      for (const c of v)
        if (isObj(c)) flattenRecord(child.entity, c, emit, child.fk ? { id, fk: child.fk, entity } : undefined)
  }
}

/** The records kept in a modelled row's extra (parsed), as tabular rows (its kept fields are columns of its row). */
export function flattenExtra(table: TableName, id: string, extra: Obj, emit: Emit) {
  flattenChildren(RESOURCE_TYPE[table], id, extra, emit)
}

/** The kept scalar fields of a modelled row (its columns in the tabular form). */
export function extraScalars(extra: Obj): Obj {
  return scalars(extra)
}

export const tableOfEntity = (entity: string) => ENTITY_TABLE.get(entity)
