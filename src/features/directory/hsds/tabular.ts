import { csvLine } from '../../../platform/csv'
import { CsvError, parse } from 'csv-parse/sync'
import { strToU8, zipSync } from 'fflate'
import { PROVISIONS } from '../../../domain/directory'
import { excerpt, restoreFormula } from '../../../domain/untrusted'
import { type Snapshot, extensionToHsds, termObjects } from './exportJson'
import { type Emit, extraScalars, flattenExtra, flattenRecord, keptPlacement, parseExtra } from './extras'
import { CSV_FILE, PROVISION_TERMS, TABLES, type TableName, provisionAttributeId } from './model'
import { Reader, type Reading, rowOf } from './readJson'
import { problemOf, tabularTables } from './schemas'
import { valueProblems } from './values'

/**
 * The HSDS tabular form: one CSV file per table (compiled/tabular.json), zipped. Every table's file holds all
 * the scalar columns HSDS defines for it, in the schema's order, so any HSDS tool can read it.
 */

// the one CSV writer (src/platform/csv.ts); exported here too for the tabular tests
export { csvField, csvLine } from '../../../platform/csv'

/** HSDS table name of each keywork table (service_at_location, ...). */
const HSDS_NAME: Record<TableName, string> = {
  organizations: 'organization',
  services: 'service',
  locations: 'location',
  addresses: 'address',
  service_at_locations: 'service_at_location',
  contacts: 'contact',
  phones: 'phone',
  schedules: 'schedule',
  languages: 'language',
  attributes: 'attribute',
  metadata: 'metadata',
}

function csvOf(hsdsName: string, rows: Record<string, unknown>[]): string {
  const table = tabularTables().get(hsdsName)
  if (!table) throw new Error(`no HSDS table ${hsdsName}`)
  const cols = table.columns.map(c => c.name)
  return csvLine(cols) + rows.map(r => csvLine(cols.map(c => r[c]))).join('')
}

/**
 * The snapshot as the files of the tabular form, by file name: keywork's tables with the fields each row kept
 * (extras.ts), then every record kept whole in them (funding, service areas, a location's accessibility...) in its
 * table's file, naming the record it was nested in. A record met twice (an organisation's location that is also a
 * service's) is written once, as keywork's row.
 */
export function toTabularFiles(snap: Snapshot): Record<string, string> {
  const byId = <T extends { id: string }>(rows: T[]) =>
    [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  // each row's kept fields, parsed once: its scalars are columns of its row, its records go to their own files
  const kept = new Map<Record<string, unknown>, Record<string, unknown>>()
  const withKept = <T extends { extra?: string | null }>(r: T, fields: Record<string, unknown> = {}) => {
    if (!r.extra) return { ...r, ...fields }
    const extra = parseExtra(r.extra)
    const row = { ...r, ...fields, ...extraScalars(extra) }
    kept.set(row, extra)
    return row
  }
  const rows: Record<TableName, Record<string, unknown>[]> = {
    organizations: byId(snap.organizations).map(o => withKept(o)),
    services: snap.services.map(s => withKept(s, { last_modified: s.updated_at })),
    locations: byId(snap.locations).map(l => withKept(l)),
    addresses: byId(snap.addresses).map(a => withKept(a)),
    service_at_locations: byId(snap.serviceAtLocations).map(r => withKept(r)),
    contacts: byId(snap.contacts).map(r => withKept(r)),
    phones: byId(snap.phones).map(p => withKept(p, { extension: extensionToHsds(p.extension) })),
    schedules: byId(snap.schedules).map(r => withKept(r)),
    languages: byId(snap.languages).map(r => withKept(r)),
    attributes: byId<{ id: string; extra?: string | null }>([
      ...snap.attributes,
      ...snap.services.map(s => ({
        id: provisionAttributeId(s.id),
        link_id: s.id,
        link_type: null,
        link_entity: 'service',
        taxonomy_term_id: (PROVISION_TERMS[s.provision as 'internal'] ?? PROVISION_TERMS.external).id,
        value: null,
      })),
    ]).map(r => withKept(r)),
    metadata: byId(snap.metadata).map(r => ({ ...r })),
  }
  // every record by HSDS table and id, keywork's rows first
  const records = new Map<string, Map<string, Record<string, unknown>>>()
  const emit: Emit = (entity, row) => {
    let m = records.get(entity)
    if (!m) records.set(entity, (m = new Map()))
    const id = String(row.id)
    if (!m.has(id)) m.set(id, row)
  }
  for (const t of TABLES) for (const r of rows[t]) emit(HSDS_NAME[t], r)
  for (const t of TABLES)
    for (const r of rows[t]) {
      const extra = kept.get(r)
      if (extra) flattenExtra(t, String(r.id), extra, emit)
    }
  for (const term of termObjects(snap).values()) flattenRecord('taxonomy_term', term, emit)
  for (const t of snap.foreignTaxonomies ?? []) flattenRecord('taxonomy', parseExtra(t.data), emit)

  const files: Record<string, string> = {}
  const always = new Set([...TABLES.map(t => HSDS_NAME[t]), 'taxonomy', 'taxonomy_term'])
  for (const table of tabularTables().values()) {
    const m = records.get(table.name)
    if (!m && !always.has(table.name)) continue
    const list = [...(m?.values() ?? [])]
    // keywork's services in the export's order (name, then id); every other file by id
    if (table.name !== 'service')
      list.sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0))
    files[table.file] = csvOf(table.name, list)
  }
  return files
}

/** A fixed time for every file in the zip, so the same directory always gives the same bytes. */
const ZIP_TIME = new Date('2000-01-01T00:00:00Z')

export function toZip(files: Record<string, string>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime: ZIP_TIME }]])),
    { level: 6 },
  )
}

const KNOWN_FILES = new Map<string, TableName>(TABLES.map(t => [CSV_FILE[t], t]))

/** What the tabular form requires that the JSON form gets from nesting. */
const REQUIRED_REFS: Partial<Record<TableName, string[]>> = {
  services: ['organization_id'],
  service_at_locations: ['service_id', 'location_id'],
  addresses: ['location_id'],
  contacts: ['service_id'],
  schedules: ['service_id'],
  languages: ['service_id'],
  attributes: ['link_id', 'taxonomy_term_id'],
  metadata: ['resource_id', 'resource_type'],
  locations: ['name'],
}

/**
 * The tabular form, as rows: every cell checked against the strict HSDS schema of its table. Terms of any taxonomy are
 * kept (hsds/extras.ts), so the terms keywork knows are no longer needed here.
 */
export function readTabular(files: Map<string, string>, _knownTermIds?: Set<string>): Reading {
  const reader = new Reader()
  const tables = tabularTables()
  for (const table of tables.values()) {
    const text = files.get(table.file)
    if (text === undefined) continue
    let records: string[][]
    try {
      records = parse(text, { relax_column_count: false, skip_empty_lines: true }) as string[][]
    } catch (e) {
      const line = e instanceof CsvError ? ` (line ${String((e as CsvError & { lines?: number }).lines ?? '?')})` : ''
      reader.problem(table.file, `is not a valid CSV file${line}: ${excerpt((e as Error).message, 200)}`)
      continue
    }
    const [header, ...data] = records
    if (!header) continue
    const types = new Map(table.columns.map(c => [c.name, c.type]))
    const seen = new Set<string>()
    // a bad column is a problem, and its cells are left out: the rows are still checked (every problem in one pass)
    const columns: { name: string; index: number }[] = []
    header.forEach((h, index) => {
      if (!types.has(h))
        reader.problem(
          `${table.file}, column ${excerpt(h)}`,
          `unknown column "${excerpt(h)}": HSDS 3.0 has no such field in ${table.file}`,
        )
      else if (seen.has(h)) reader.problem(`${table.file}, column ${excerpt(h)}`, 'the column appears more than once')
      else columns.push({ name: h, index })
      seen.add(h)
    })
    const ours = KNOWN_FILES.get(table.file)
    data.forEach((cells, i) => {
      const at = `${table.file} row ${i + 2}`
      const o: Record<string, unknown> = {}
      columns.forEach(({ name: h, index: j }) => {
        const v = restoreFormula(cells[j] ?? '')
        if (v === '') {
          if (table.required.has(h)) o[h] = ''
          return
        }
        o[h] = types.get(h) === 'number' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v
      })
      // the schema, then keywork's checks of the values it shows, then what keywork needs: all of them
      const reported = new Set<string>()
      if (!table.validate(o)) {
        for (const e of table.validate.errors ?? []) {
          const p = problemOf(e, '')
          const field = p.path.replace(/^\//, '').split('/')[0] || 'row'
          reported.add(field)
          reader.problem(`${at}, ${p.path.replace(/^\//, '') || 'row'}`, p.message)
        }
      }
      for (const p of valueProblems(table.name, o, field => field))
        if (!reported.has(p.path)) reader.problem(`${at}, ${p.path}`, p.message)
      // another taxonomy's terms, the tables keywork does not model, and rows where keywork does not model them
      // (a location's contact...) are kept whole: hsds/extras.ts
      if (table.name === 'taxonomy_term' || table.name === 'taxonomy' || (ours && keptPlacement(ours, o))) {
        reader.keep(table.name, at, o)
        return
      }
      if (!ours) {
        // meta_table_description describes the files, not the directory: read, not kept
        if (table.name !== 'meta_table_description') reader.keep(table.name, at, o)
        return
      }
      for (const col of REQUIRED_REFS[ours] ?? [])
        if (o[col] === undefined && !reported.has(col)) reader.problem(`${at}, ${col}`, 'is required by keywork')
      if (ours === 'phones' && o.service_id === undefined && o.contact_id === undefined && o.location_id === undefined)
        reader.problem(`${at}, service_id`, 'is required: a phone needs a service_id, contact_id or location_id')
      if (ours === 'attributes') {
        if (o.link_entity !== undefined && o.link_entity !== 'service')
          reader.problem(`${at}, link_entity`, 'must be "service": keywork links taxonomy terms to services only')
        const termId = String(o.taxonomy_term_id ?? '')
        const provision = PROVISIONS.find(p => PROVISION_TERMS[p].id === termId)
        if (provision) {
          reader.setProvision(String(o.link_id ?? ''), provision, at)
          return
        }
        reader.add('attributes', at, { ...rowOf('attributes', o), link_entity: String(o.link_entity ?? 'service') }, o)
        return
      }
      reader.add(ours, at, rowOf(ours, o), o)
    })
  }
  return reader.finish()
}
