import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/types'
import { searchTextOf } from '../../../domain/directory'
import { excerpt } from '../../../domain/untrusted'
import type { Actor, AuditService } from '../../../platform/audit/service'
import { type HsdsObject, type Snapshot, organizationFields, serviceFields, toHsdsServices } from './exportJson'
import { assembleKept, canonicalJson, parseExtra } from './extras'
import {
  type Bundle,
  COLUMNS,
  type Located,
  PROVISION_TERMS,
  type Problem,
  RESOURCE_TYPE,
  TABLES,
  type TableName,
  provisionAttributeId,
} from './model'
import { isZip } from './read'
import { readInWorker } from './readWorker'
import { type Owner, type Scope, hsdsRepository } from './repository'
import { toTabularFiles } from './tabular'
import { zipFiles } from './zipWrite'
import { termMappingService } from './termMapping'
import { type FileTaxonomies, KEYWORK_TERM_IDS, collectTaxonomies, differingFields, termColumns } from './terms'

export { HSDS_FILE_LIMIT_BYTES } from './read'

export type HsdsFormat = 'json' | 'zip'

export interface HsdsImportReport {
  fileName: string
  format: HsdsFormat
  services: number
  created: Partial<Record<TableName, number>>
  updated: Partial<Record<TableName, number>>
  unchanged: number
  /** terms of other taxonomies the file brought: new to keywork, and changed */
  foreignTerms: { created: number; updated: number }
}

export type HsdsImportOutcome =
  { status: 'rejected'; fileName: string; problems: Problem[] } | { status: 'imported'; report: HsdsImportReport }

function rowsOf(bundle: Bundle, table: TableName): Located<Record<string, unknown>>[] {
  return bundle[table] as unknown as Located<Record<string, unknown>>[]
}

/** Where a field of a located row is: a JSON pointer, or "file.csv row N, field". */
function fieldAt(at: string, field: string): string {
  return at === '' || at.startsWith('/') ? `${at}/${field}` : `${at}, ${field}`
}

function same(a: unknown, b: unknown): boolean {
  const x = a ?? null
  const y = b ?? null
  if (x === null || y === null) return x === y
  return String(x) === String(y)
}

/** The columns of a table compared to decide whether a row changed (a service's last_modified is not data). */
function comparedColumns(table: TableName): string[] {
  const cols = (COLUMNS[table] as readonly string[]).filter(c => c !== 'last_modified')
  if (table === 'metadata') return cols
  return table === 'services' ? [...cols, 'provision', 'extra'] : [...cols, 'extra']
}

/** The HSDS fields of a change to kept fields (extra): each top-level field that differs, as text. */
function extraChanges(before: unknown, after: unknown): { field: string; before: string; after: string }[] {
  const a = parseExtra(before as string | null)
  const b = parseExtra(after as string | null)
  const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : canonicalJson(v))
  return differingFields(a, b).map(field => ({ field, before: text(a[field]), after: text(b[field]) }))
}

function changedFields(table: TableName, row: Record<string, unknown>, existing: Record<string, unknown>): string[] {
  return comparedColumns(table).filter(c => c !== 'id' && !same(row[c], existing[c]))
}

/** Child tables whose new rows must hang from a parent the importer may change. */
const PARENT: Partial<Record<TableName, { column: string; table: TableName }[]>> = {
  addresses: [{ column: 'location_id', table: 'locations' }],
  service_at_locations: [{ column: 'service_id', table: 'services' }],
  contacts: [{ column: 'service_id', table: 'services' }],
  schedules: [{ column: 'service_id', table: 'services' }],
  languages: [{ column: 'service_id', table: 'services' }],
  attributes: [{ column: 'link_id', table: 'services' }],
  phones: [
    { column: 'contact_id', table: 'contacts' },
    { column: 'service_id', table: 'services' },
    { column: 'location_id', table: 'locations' },
  ],
}

/** References that must resolve, in the file or among the records the importer can see. */
const REFERENCES: { table: TableName; column: string; to: 'organizations' | 'services' | 'locations' | 'contacts' }[] =
  [
    { table: 'services', column: 'organization_id', to: 'organizations' },
    { table: 'locations', column: 'organization_id', to: 'organizations' },
    { table: 'addresses', column: 'location_id', to: 'locations' },
    { table: 'service_at_locations', column: 'service_id', to: 'services' },
    { table: 'service_at_locations', column: 'location_id', to: 'locations' },
    { table: 'contacts', column: 'service_id', to: 'services' },
    { table: 'phones', column: 'service_id', to: 'services' },
    { table: 'phones', column: 'contact_id', to: 'contacts' },
    { table: 'phones', column: 'location_id', to: 'locations' },
    { table: 'schedules', column: 'service_id', to: 'services' },
    { table: 'languages', column: 'service_id', to: 'services' },
    { table: 'attributes', column: 'link_id', to: 'services' },
  ]

/** Text keywork shows as a record's name: an empty string would be a blank line in the directory. */
const NOT_BLANK: [TableName, string][] = [
  ['organizations', 'name'],
  ['services', 'name'],
  ['locations', 'name'],
  ['phones', 'number'],
]

const scopeName = (owner: Owner) => (owner === null ? 'the national directory' : 'your establishment’s directory')

export function hsdsService(db: Kysely<Database>, audit: AuditService) {
  const repo = hsdsRepository(db)

  /** The directory: its services, and the organisations, locations and terms it holds that no service uses. */
  async function snapshot(trx: Kysely<Database>, scope: Scope): Promise<Snapshot> {
    return snapshotOf(trx, await repo.services(trx, scope), scope)
  }

  /** The services and everything they hold. */
  async function snapshotOf(
    trx: Kysely<Database>,
    services: Database['directory_services'][],
    scope?: Scope,
  ): Promise<Snapshot> {
    const serviceIds = services.map(s => s.id)
    const serviceAtLocations = await repo.byServiceIds(trx, 'service_at_locations', serviceIds)
    const contacts = await repo.byServiceIds(trx, 'contacts', serviceIds)
    const locations = await repo.locations(trx, [
      ...new Set([
        ...serviceAtLocations.map(r => r.location_id),
        ...(scope ? await repo.ownedIds(trx, 'locations', scope) : []),
      ]),
    ])
    const locationIds = locations.map(l => l.id)
    const contactIds = new Set(contacts.map(c => c.id))
    const serviceIdSet = new Set(serviceIds)
    const locationIdSet = new Set(locationIds)
    const phoneRows = new Map<string, Database['directory_phones']>()
    for (const p of [
      ...(await repo.byServiceIds(trx, 'phones', serviceIds)),
      ...(await repo.phonesOf(trx, 'contact_id', [...contactIds])),
      ...(await repo.phonesOf(trx, 'location_id', locationIds)),
    ])
      phoneRows.set(p.id, p)
    // only the phones the nested form can hold: a contact's, else a service's, else a location's
    const phones = [...phoneRows.values()].filter(p =>
      p.contact_id !== null
        ? contactIds.has(p.contact_id)
        : p.service_id !== null
          ? serviceIdSet.has(p.service_id)
          : p.location_id !== null && locationIdSet.has(p.location_id),
    )
    const organizations = await repo.organizations(trx, [
      ...new Set([
        ...services.map(s => s.organization_id),
        ...locations.flatMap(l => (l.organization_id ? [l.organization_id] : [])),
        ...(scope ? await repo.ownedIds(trx, 'organizations', scope) : []),
      ]),
    ])
    const addresses = await repo.addresses(trx, locationIds)
    const schedules = await repo.byServiceIds(trx, 'schedules', serviceIds)
    const languages = await repo.byServiceIds(trx, 'languages', serviceIds)
    const attributes = await repo.attributes(trx, serviceIds)
    const ids = [
      ...serviceIds,
      ...serviceIds.map(provisionAttributeId),
      ...[organizations, locations, addresses, serviceAtLocations, contacts, phones, schedules, languages, attributes]
        .flat()
        .map(r => r.id),
    ]
    // other taxonomies: the terms the services carry and their parents, and those the directory brought
    const owned = scope ? await repo.ownedTaxonomyIds(trx, scope) : { terms: [], taxonomies: [] }
    const foreignTerms = new Map<string, Database['directory_foreign_terms']>()
    let wantedTerms = [...new Set([...attributes.map(a => a.taxonomy_term_id), ...owned.terms])]
    while (wantedTerms.length) {
      const found = await repo.foreignTerms(
        trx,
        wantedTerms.filter(id => !KEYWORK_TERM_IDS.has(id)),
      )
      for (const t of found) foreignTerms.set(t.id, t)
      wantedTerms = [
        ...new Set(found.flatMap(t => (t.parent_id && !foreignTerms.has(t.parent_id) ? [t.parent_id] : []))),
      ]
    }
    const foreignTaxonomies = await repo.foreignTaxonomies(trx, [
      ...new Set([
        ...[...foreignTerms.values()].flatMap(t => (t.taxonomy_id ? [t.taxonomy_id] : [])),
        ...owned.taxonomies,
      ]),
    ])
    const metadata = await repo.metadataOf(trx, ids)
    return {
      foreignTerms: [...foreignTerms.values()],
      foreignTaxonomies,
      services,
      organizations,
      serviceAtLocations,
      locations,
      addresses,
      contacts,
      phones,
      schedules,
      languages,
      attributes,
      metadata,
      taxonomies: await repo.taxonomies(trx),
      terms: await repo.taxonomyTerms(trx),
    }
  }

  /** Drops exact repeats (an organisation or a location nested in several services); reports any other repeat. */
  function dedupe(bundle: Bundle, problems: Problem[]) {
    for (const table of TABLES) {
      const first = new Map<string, Located<unknown>>()
      const kept: Located<unknown>[] = []
      for (const item of bundle[table] as Located<{ id: string }>[]) {
        const before = first.get(item.row.id)
        if (!before) {
          first.set(item.row.id, item)
          kept.push(item)
        } else if (table === 'services')
          problems.push({
            path: fieldAt(item.at, 'id'),
            message: `the service id appears more than once (also at ${before.at})`,
          })
        else if (JSON.stringify(before.row) !== JSON.stringify(item.row))
          problems.push({
            path: fieldAt(item.at, 'id'),
            message: `the ${RESOURCE_TYPE[table]} id appears more than once with different values (also at ${before.at})`,
          })
      }
      ;(bundle as Record<TableName, Located<unknown>[]>)[table] = kept
    }
  }

  interface Plan {
    inserts: Map<TableName, Record<string, unknown>[]>
    updates: Map<TableName, { row: Record<string, unknown>; changed: string[]; existing: Record<string, unknown> }[]>
    unchanged: number
  }

  /** Checks the rows against the database (owners, references, terms); returns what to write. */
  async function plan(
    trx: Kysely<Database>,
    owner: Owner,
    bundle: Bundle,
    problems: Problem[],
    file: FileTaxonomies,
  ): Promise<Plan> {
    const terms = new Set([
      ...(await repo.taxonomyTerms(trx)).map(t => t.id),
      PROVISION_TERMS.internal.id,
      PROVISION_TERMS.external.id,
      ...file.terms.keys(),
    ])
    const stored = new Set(
      (
        await repo.foreignTerms(trx, [
          ...new Set(bundle.attributes.map(a => a.row.taxonomy_term_id).filter(id => !terms.has(id))),
        ])
      ).map(t => t.id),
    )
    for (const { at, row } of bundle.attributes)
      if (!terms.has(row.taxonomy_term_id) && !stored.has(row.taxonomy_term_id))
        problems.push({
          path: fieldAt(at, 'taxonomy_term_id'),
          message: `unknown taxonomy term "${excerpt(row.taxonomy_term_id)}": give the term (taxonomy_term, or a row of taxonomy_terms.csv)`,
        })

    for (const [table, column] of NOT_BLANK)
      for (const { at, row } of rowsOf(bundle, table))
        if (typeof row[column] === 'string' && (row[column] as string).trim() === '')
          problems.push({ path: fieldAt(at, column), message: 'must not be empty' })

    const inFile = new Map<TableName, Map<string, Record<string, unknown>>>(
      TABLES.map(t => [t, new Map((bundle[t] as Located<{ id: string }>[]).map(i => [i.row.id, i.row]))]),
    )
    const existing = new Map<TableName, Map<string, Record<string, unknown>>>()
    for (const t of TABLES) existing.set(t, await repo.rowsById(trx, t, [...inFile.get(t)!.keys()]))

    // owners of existing records, and of the records referenced from the file
    const wanted = { services: new Set<string>(), locations: new Set<string>(), organizations: new Set<string>() }
    const contactsWanted = new Set<string>()
    for (const t of ['services', 'locations', 'organizations'] as const)
      for (const id of existing.get(t)!.keys()) wanted[t].add(id)
    for (const id of existing.get('contacts')!.keys()) contactsWanted.add(id)
    const parentOfExisting = (t: TableName, r: Record<string, unknown>): { table: TableName; id: string } | null => {
      for (const p of PARENT[t] ?? [])
        if (typeof r[p.column] === 'string') return { table: p.table, id: r[p.column] as string }
      return null
    }
    for (const t of TABLES)
      for (const r of existing.get(t)!.values()) {
        const p = parentOfExisting(t, r)
        if (p?.table === 'contacts') contactsWanted.add(p.id)
        else if (p) wanted[p.table as 'services'].add(p.id)
      }
    for (const ref of REFERENCES)
      for (const { row } of rowsOf(bundle, ref.table)) {
        const id = row[ref.column]
        if (typeof id !== 'string') continue
        if (ref.to === 'contacts') contactsWanted.add(id)
        else wanted[ref.to].add(id)
      }
    const owners = {
      services: await repo.ownersOf(trx, 'services', [...wanted.services]),
      locations: await repo.ownersOf(trx, 'locations', [...wanted.locations]),
      organizations: await repo.ownersOf(trx, 'organizations', [...wanted.organizations]),
      contacts: await repo.contactOwners(trx, [...contactsWanted]),
    }
    const ownerOf = (table: TableName, id: string): Owner | undefined => {
      if (table === 'services' || table === 'locations' || table === 'organizations' || table === 'contacts')
        return owners[table].get(id)
      const r = existing.get(table)!.get(id)
      const p = r ? parentOfExisting(table, r) : null
      return p ? ownerOf(p.table, p.id) : undefined
    }
    /** The importer may change this record: it is theirs, or new in the file. */
    const writable = (table: TableName, id: string): boolean => {
      const o = ownerOf(table, id)
      if (o === undefined) return inFile.get(table)!.has(id) && !existing.get(table)!.has(id)
      return o === owner
    }
    const visible = (table: 'organizations' | 'services' | 'locations' | 'contacts', id: string): boolean => {
      if (inFile.get(table)!.has(id)) return true
      const o = owners[table].get(id)
      return o !== undefined && (o === owner || o === null)
    }

    for (const ref of REFERENCES)
      for (const { at, row } of rowsOf(bundle, ref.table)) {
        const id = row[ref.column]
        if (typeof id === 'string' && !visible(ref.to, id))
          problems.push({
            path: fieldAt(at, ref.column),
            message: `refers to ${RESOURCE_TYPE[ref.to]} "${excerpt(id)}", which is neither in the file nor in ${scopeName(owner)}`,
          })
      }
    const allIds = new Set(TABLES.flatMap(t => [...inFile.get(t)!.keys()]))
    for (const { at, row } of bundle.metadata)
      if (!allIds.has(row.resource_id))
        problems.push({
          path: fieldAt(at, 'resource_id'),
          message: `refers to "${excerpt(row.resource_id)}", which is not a record in the file`,
        })

    const result: Plan = { inserts: new Map(), updates: new Map(), unchanged: 0 }
    for (const table of TABLES) {
      for (const { at, row: fileRow } of rowsOf(bundle, table)) {
        const id = fileRow.id as string
        const before = existing.get(table)!.get(id)
        const row: Record<string, unknown> = { ...fileRow }
        if (table === 'services') row.provision ??= (before?.provision as string | undefined) ?? 'external'
        if (before) {
          const changed = changedFields(table, row, before)
          const o = ownerOf(table, id)
          if (table === 'metadata') {
            if (changed.length)
              problems.push({
                path: fieldAt(at, 'id'),
                message: 'a metadata record already exists with this id: metadata is never changed',
              })
            else result.unchanged++
            continue
          }
          if (o !== owner) {
            if (changed.length === 0 && o === null) {
              result.unchanged++
              continue
            }
            problems.push({
              path: fieldAt(at, 'id'),
              message:
                o === null
                  ? `belongs to the national directory: only the national policy team can change it (${changed.join(', ')} differ)`
                  : `is already used by a record of ${owner === null ? 'an establishment’s' : 'another establishment’s'} directory`,
            })
            continue
          }
          if (changed.length === 0) result.unchanged++
          else {
            const list = result.updates.get(table) ?? []
            list.push({ row, changed, existing: before })
            result.updates.set(table, list)
          }
          continue
        }
        for (const p of PARENT[table] ?? []) {
          const pid = row[p.column]
          if (typeof pid === 'string' && visible(p.table as 'services', pid) && !writable(p.table, pid)) {
            problems.push({
              path: fieldAt(at, p.column),
              message: `cannot be added to ${RESOURCE_TYPE[p.table]} "${excerpt(pid)}": it is not part of ${scopeName(owner)}`,
            })
            break
          }
        }
        const list = result.inserts.get(table) ?? []
        list.push(row)
        result.inserts.set(table, list)
      }
    }
    return result
  }

  interface TermPlan {
    terms: { insert: Record<string, unknown>[]; update: Record<string, unknown>[] }
    taxonomies: { insert: Record<string, unknown>[]; update: Record<string, unknown>[] }
  }

  /**
   * The other taxonomies' terms and taxonomies of the file against those stored: new ones are added (owned by the
   * importer's directory), the importer's own are changed, another directory's that differ are a problem.
   */
  async function planTerms(
    trx: Kysely<Database>,
    owner: Owner,
    file: FileTaxonomies,
    problems: Problem[],
  ): Promise<TermPlan> {
    const out: TermPlan = { terms: { insert: [], update: [] }, taxonomies: { insert: [], update: [] } }
    const storedTerms = new Map((await repo.foreignTerms(trx, [...file.terms.keys()])).map(t => [t.id, t]))
    const storedTaxonomies = new Map(
      (await repo.foreignTaxonomies(trx, [...file.taxonomies.keys()])).map(t => [t.id, t]),
    )
    const check = (
      kind: 'taxonomy term' | 'taxonomy',
      id: string,
      t: { at: string; data: Record<string, unknown>; text: string },
      before: { establishment_id: number | null; data: string } | undefined,
      values: Record<string, unknown>,
      into: { insert: Record<string, unknown>[]; update: Record<string, unknown>[] },
    ) => {
      if (!before) return void into.insert.push({ id, establishment_id: owner, ...values })
      if (before.data === t.text) return
      if (before.establishment_id !== owner)
        return void problems.push({
          path: fieldAt(t.at, 'id'),
          message: `this ${kind} is already in keywork, brought by ${before.establishment_id === null ? 'the national directory' : 'another establishment’s directory'}, with other values (${differingFields(parseExtra(before.data), t.data).join(', ')}): only that directory can change it`,
        })
      into.update.push({ id, ...values })
    }
    for (const [id, t] of file.terms) check('taxonomy term', id, t, storedTerms.get(id), termColumns(t.data), out.terms)
    for (const [id, t] of file.taxonomies)
      check(
        'taxonomy',
        id,
        t,
        storedTaxonomies.get(id),
        { name: String(t.data.name ?? ''), data: t.text },
        out.taxonomies,
      )
    return out
  }

  function dbRow(table: TableName, row: Record<string, unknown>, owner: Owner, now: string): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const c of comparedColumns(table)) out[c] = row[c] ?? null
    out.id = row.id
    if (table === 'organizations' || table === 'services' || table === 'locations') out.establishment_id = owner
    if (table === 'organizations') Object.assign(out, { created_at: now, updated_at: now })
    if (table === 'services') {
      const at = typeof row.last_modified === 'string' ? row.last_modified : now
      Object.assign(out, { created_at: at, updated_at: at, search_text: '' })
    }
    return out
  }

  /** Recomputes search_text of the importer's services touched by the import. */
  async function refreshSearchText(trx: Kysely<Database>, serviceIds: Set<string>) {
    const services = await repo.rowsById(trx, 'services', [...serviceIds])
    const orgs = await repo.organizations(trx, [
      ...new Set([...services.values()].map(s => s.organization_id as string)),
    ])
    const orgName = new Map(orgs.map(o => [o.id, o.name]))
    // by service, once: a filter per service would be quadratic (20,000 services: seconds)
    const contacts = new Map<string, Awaited<ReturnType<typeof repo.byServiceIds<'contacts'>>>>()
    for (const c of await repo.byServiceIds(trx, 'contacts', [...services.keys()]))
      if (c.service_id !== null) contacts.set(c.service_id, [...(contacts.get(c.service_id) ?? []), c])
    for (const s of services.values()) {
      const text = searchTextOf({
        name: s.name as string,
        alternateName: s.alternate_name as string | null,
        description: s.description as string | null,
        organizationName: orgName.get(s.organization_id as string) ?? null,
        eligibility: s.eligibility_description as string | null,
        contacts: contacts.get(s.id as string) ?? [],
      })
      if (text !== s.search_text) await repo.update(trx, 'services', s.id as string, { search_text: text })
    }
  }

  return {
    /** Other taxonomies' terms and the pathways they are mapped to (termMapping.ts). */
    termMapping: termMappingService(db, audit),

    /** The directory as HSDS services (compiled service objects, fully nested). */
    async exportJson(scope: Scope): Promise<HsdsObject[]> {
      return db.transaction().execute(async trx => toHsdsServices(await snapshot(trx, scope)))
    },

    /** The directory as the HSDS tabular form: a zip of one CSV file per table. */
    async exportZip(scope: Scope): Promise<Uint8Array> {
      // deflated off the event loop (zipWrite.ts), once the transaction is over
      return zipFiles(await db.transaction().execute(async trx => toTabularFiles(await snapshot(trx, scope))))
    },

    async exportTabularFiles(scope: Scope): Promise<Record<string, string>> {
      return db.transaction().execute(async trx => toTabularFiles(await snapshot(trx, scope)))
    },

    /** One page of services as HSDS service_list items (one-to-one fields and the organisation). */
    async page(scope: Scope, search: string, page: number, perPage: number) {
      const { total, rows } = await repo.servicePage(scope, search, (page - 1) * perPage, perPage)
      const orgs = new Map(
        (await repo.organizations(db, [...new Set(rows.map(r => r.organization_id))])).map(o => [o.id, o]),
      )
      const totalPages = Math.max(1, Math.ceil(total / perPage))
      return {
        total_items: total,
        total_pages: totalPages,
        page_number: page,
        size: rows.length,
        first_page: page === 1,
        last_page: page >= totalPages,
        empty: rows.length === 0,
        contents: rows.map(s => {
          const o = orgs.get(s.organization_id)
          return { ...serviceFields(s), ...(o ? { organization: organizationFields(o) } : {}) }
        }),
      }
    },

    /** One service, fully nested, or undefined when it is not in scope. */
    async one(scope: Scope, id: string): Promise<HsdsObject | undefined> {
      return db.transaction().execute(async trx => {
        const s = await repo.serviceById(trx, scope, id)
        if (!s) return undefined
        return toHsdsServices(await snapshotOf(trx, [s]))[0]
      })
    },

    /**
     * Imports an HSDS file (the JSON array of services, or a zip of tabular CSV files) into one directory: an
     * establishment's (owner = its id) or the national one (null). All or nothing: any problem, nothing saved.
     */
    async import(actor: Actor, owner: Owner, bytes: Uint8Array, fileName: string): Promise<HsdsImportOutcome> {
      const format: HsdsFormat = isZip(bytes) ? 'zip' : 'json'
      const termIds = new Set([
        ...(await repo.taxonomyTerms(db)).map(t => t.id),
        PROVISION_TERMS.internal.id,
        PROVISION_TERMS.external.id,
      ])
      const reading = await readInWorker(bytes, termIds)
      if (Array.isArray(reading)) return { status: 'rejected', fileName, problems: reading }
      const problems = [...reading.problems]
      const bundle = reading.bundle
      // the tabular form's records keywork keeps whole go where HSDS nests them; other taxonomies' terms apart
      const taxonomies = collectTaxonomies(bundle, assembleKept(bundle, reading.kept ?? [], problems), problems)
      dedupe(bundle, problems)
      if (bundle.services.length === 0 && format === 'zip' && !problems.length)
        problems.push({ path: 'services.csv', message: 'The file holds no services' })

      class Rejected extends Error {}
      try {
        return await db.transaction().execute(async trx => {
          const p = await plan(trx, owner, bundle, problems, taxonomies)
          const termPlan = await planTerms(trx, owner, taxonomies, problems)
          if (problems.length) throw new Rejected()
          const now = new Date().toISOString()
          const report: HsdsImportReport = {
            fileName,
            format,
            services: bundle.services.length,
            created: {},
            updated: {},
            unchanged: p.unchanged,
            foreignTerms: { created: termPlan.terms.insert.length, updated: termPlan.terms.update.length },
          }
          await repo.writeTaxonomies(trx, termPlan)
          const touchedServices = new Set<string>()
          const newMetadata: Record<string, unknown>[] = []
          const by = actor.username ?? 'system'
          const meta = (table: TableName, id: string, field: string, before: unknown, after: unknown) =>
            newMetadata.push({
              id: randomUUID(),
              resource_id: id,
              resource_type: RESOURCE_TYPE[table],
              last_action_date: now,
              last_action_type: 'import',
              field_name: field,
              previous_value: before === null || before === undefined ? '' : String(before),
              replacement_value: after === null || after === undefined ? '' : String(after),
              updated_by: by,
            })
          for (const table of TABLES) {
            for (const row of p.inserts.get(table) ?? []) {
              await repo.insert(trx, table, dbRow(table, row, owner, now))
              if (table !== 'metadata') meta(table, row.id as string, 'id', '', row.id)
              if (table === 'services') touchedServices.add(row.id as string)
              if (table === 'contacts' && typeof row.service_id === 'string') touchedServices.add(row.service_id)
            }
            for (const u of p.updates.get(table) ?? []) {
              const values: Record<string, unknown> = {}
              for (const c of u.changed) values[c] = u.row[c] ?? null
              if (table === 'organizations') values.updated_at = now
              if (table === 'services')
                values.updated_at = typeof u.row.last_modified === 'string' ? u.row.last_modified : now
              await repo.update(trx, table, u.row.id as string, values)
              for (const c of u.changed)
                if (c === 'extra')
                  for (const x of extraChanges(u.existing.extra, u.row.extra))
                    meta(table, u.row.id as string, x.field, x.before, x.after)
                else meta(table, u.row.id as string, c, u.existing[c], u.row[c])
              if (table === 'services') touchedServices.add(u.row.id as string)
              if (table === 'contacts') {
                for (const sid of [u.row.service_id, u.existing.service_id])
                  if (typeof sid === 'string') touchedServices.add(sid)
              }
            }
            const c = p.inserts.get(table)?.length ?? 0
            const n = p.updates.get(table)?.length ?? 0
            if (c) report.created[table] = c
            if (n) report.updated[table] = n
          }
          for (const u of p.updates.get('organizations') ?? [])
            for (const s of bundle.services) if (s.row.organization_id === u.row.id) touchedServices.add(s.row.id)
          for (const m of newMetadata) await repo.insert(trx, 'metadata', m)
          await refreshSearchText(trx, touchedServices)
          await audit.record(trx, actor, {
            action: 'import',
            entity: 'directory',
            entityId: format === 'zip' ? 'hsds-tabular' : 'hsds-json',
            establishmentId: owner,
            changes: {
              file: fileName,
              services: report.services,
              created: report.created,
              updated: report.updated,
              unchanged: report.unchanged,
            },
          })
          return { status: 'imported' as const, report }
        })
      } catch (e) {
        if (e instanceof Rejected) return { status: 'rejected', fileName, problems }
        throw e
      }
    },
  }
}

export type HsdsService = ReturnType<typeof hsdsService>
