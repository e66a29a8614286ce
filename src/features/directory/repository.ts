import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  type Updateable,
  sql,
} from 'kysely'
import type {
  Database,
  DirectoryAddressTable,
  DirectoryAttributeTable,
  DirectoryContactTable,
  DirectoryLanguageTable,
  DirectoryLocationTable,
  DirectoryMetadataTable,
  DirectoryOrganizationTable,
  DirectoryPhoneTable,
  DirectoryScheduleTable,
  DirectoryServiceAtLocationTable,
  DirectoryServiceTable,
} from '../../platform/db/types'

/** Rows of any number of services, inserted together in foreign-key order (a form save, or the demo). */
export interface DirectoryRows {
  organizations: Insertable<DirectoryOrganizationTable>[]
  services: Insertable<DirectoryServiceTable>[]
  locations: Insertable<DirectoryLocationTable>[]
  addresses: Insertable<DirectoryAddressTable>[]
  serviceAtLocations: Insertable<DirectoryServiceAtLocationTable>[]
  contacts: Insertable<DirectoryContactTable>[]
  phones: Insertable<DirectoryPhoneTable>[]
  schedules: Insertable<DirectoryScheduleTable>[]
  languages: Insertable<DirectoryLanguageTable>[]
  attributes: Insertable<DirectoryAttributeTable>[]
}

export const emptyRows = (): DirectoryRows => ({
  organizations: [],
  services: [],
  locations: [],
  addresses: [],
  serviceAtLocations: [],
  contacts: [],
  phones: [],
  schedules: [],
  languages: [],
  attributes: [],
})

export interface SearchFilters {
  establishmentId: number
  /** lower-case words, each must appear in the service's search text */
  words: string[]
  pathwayTermId?: string
  /** only services with no pathway: neither a pathway term nor a term mapped to one ("no pathway yet") */
  noPathway?: boolean
  provision?: string
  language?: string
  /** statuses to leave out (defunct by default) */
  excludeStatuses: string[]
  limit: number
  offset: number
}

/** The tables of a service's child rows, which saving the edit form writes row by row (update.ts). */
export type ChildTable =
  | 'directory_service_at_locations'
  | 'directory_phones'
  | 'directory_contacts'
  | 'directory_schedules'
  | 'directory_languages'
  | 'directory_attributes'

/** Column values that pick out rows: a row has the key when each of these columns equals its value. */
export type RowKey = Readonly<Record<string, string>>

/** Rows having any of the keys. */
const anyOf = (keys: readonly RowKey[]) =>
  sql<boolean>`${sql.join(
    keys.map(
      k =>
        sql`(${sql.join(
          Object.entries(k).map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
          sql` and `,
        )})`,
    ),
    sql` or `,
  )}`

export type ServiceRow = Selectable<DirectoryServiceTable> & { organization_name: string }

// Rows per INSERT, kept well under both engines' bound-parameter limits (the widest table has 17 columns).
const CHUNK = 400

type Db = Kysely<Database>

/**
 * Text in result order, the same on both engines: PostgreSQL compares with collation "C" (byte order, as SQLite
 * does) rather than the database's default, which may ignore spaces and punctuation. The listing index is built with
 * the same collation.
 */
function textOrder(db: Db) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  return (column: 's.name' | 's.id') => (postgres ? sql`${sql.ref(column)} collate "C"` : sql.ref(column))
}

export function directoryRepository(db: Db) {
  const byName = textOrder(db)

  async function insertChunks<T extends keyof Database>(trx: Db, table: T, rows: Insertable<Database[T]>[]) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto(table)
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        .values(rows.slice(i, i + CHUNK) as any)
        .execute()
    }
  }

  /**
   * Its own and national services (establishment_id null). coalesce(…, 0) rather than "= ? or is null": SQLite
   * answers the OR by merging two index lookups, which costs ten times a scan of the covering index.
   */
  const seenBy = (establishmentId: number) => (eb: ExpressionBuilder<Database & { s: DirectoryServiceTable }, 's'>) =>
    eb(eb.fn.coalesce('s.establishment_id', sql.lit(0)), 'in', [0, establishmentId])

  /** Services this establishment sees: its own and the national ones. */
  function visible(trx: Db, establishmentId: number) {
    return trx
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
      .where(seenBy(establishmentId))
  }

  /** The search, on the services table alone (no join): narrow rows to sort and count. */
  function filtered(f: SearchFilters) {
    let q = db.selectFrom('directory_services as s').where(seenBy(f.establishmentId))
    for (const w of f.words) q = q.where('s.search_text', 'like', `%${w}%`)
    if (f.provision) q = q.where('s.provision', '=', f.provision)
    if (f.excludeStatuses.length) q = q.where('s.status', 'not in', f.excludeStatuses)
    // IN (subquery) rather than EXISTS: the subquery runs once, not once per service
    if (f.pathwayTermId) {
      const term = f.pathwayTermId
      // the pathway's term, or a term of another taxonomy mapped to it
      q = q.where('s.id', 'in', eb =>
        eb
          .selectFrom('directory_attributes as a')
          .select('a.link_id')
          .where(eb =>
            eb.or([
              eb('a.taxonomy_term_id', '=', term),
              eb(
                'a.taxonomy_term_id',
                'in',
                eb.selectFrom('directory_foreign_terms as f').select('f.id').where('f.pathway_term_id', '=', term),
              ),
            ]),
          )
          .where('a.link_entity', '=', 'service'),
      )
    }
    if (f.noPathway)
      q = q.where('s.id', 'not in', eb =>
        eb
          .selectFrom('directory_attributes as a')
          .select('a.link_id')
          .where('a.link_entity', '=', 'service')
          .where(eb =>
            eb.or([
              eb('a.taxonomy_term_id', 'in', eb.selectFrom('directory_taxonomy_terms as t').select('t.id')),
              eb(
                'a.taxonomy_term_id',
                'in',
                eb.selectFrom('directory_foreign_terms as f').select('f.id').where('f.pathway_term_id', 'is not', null),
              ),
            ]),
          ),
      )
    if (f.language) {
      const code = f.language
      q = q.where('s.id', 'in', eb =>
        eb.selectFrom('directory_languages as l').select('l.service_id').where('l.code', '=', code),
      )
    }
    return q
  }

  /**
   * The pathways of services: their pathway terms, and the terms of other taxonomies mapped to a pathway (once each).
   */
  async function pathwayRows(trx: Db, serviceIds: string[]): Promise<{ service_id: string; code: string }[]> {
    const direct = await trx
      .selectFrom('directory_attributes as a')
      .innerJoin('directory_taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
      .select(['a.link_id as service_id', 't.code'])
      .where('a.link_entity', '=', 'service')
      .where('a.link_id', 'in', serviceIds)
      .execute()
    const mapped = await trx
      .selectFrom('directory_attributes as a')
      .innerJoin('directory_foreign_terms as f', 'f.id', 'a.taxonomy_term_id')
      .innerJoin('directory_taxonomy_terms as t', 't.id', 'f.pathway_term_id')
      .select(['a.link_id as service_id', 't.code'])
      .where('a.link_entity', '=', 'service')
      .where('a.link_id', 'in', serviceIds)
      .execute()
    const seen = new Set<string>()
    return [...direct, ...mapped].filter(r => {
      const key = `${r.service_id} ${r.code}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  }

  return {
    async insertRows(trx: Db, rows: DirectoryRows) {
      await insertChunks(trx, 'directory_organizations', rows.organizations)
      await insertChunks(trx, 'directory_services', rows.services)
      await insertChunks(trx, 'directory_locations', rows.locations)
      await insertChunks(trx, 'directory_addresses', rows.addresses)
      await insertChunks(trx, 'directory_service_at_locations', rows.serviceAtLocations)
      await insertChunks(trx, 'directory_contacts', rows.contacts)
      await insertChunks(trx, 'directory_phones', rows.phones)
      await insertChunks(trx, 'directory_schedules', rows.schedules)
      await insertChunks(trx, 'directory_languages', rows.languages)
      await insertChunks(trx, 'directory_attributes', rows.attributes)
    },

    /**
     * A page of results and the total.
     *
     * The whole directory (or only what is inside, or in the community): the page is read in result order (name,
     * then id) along the covering index `directory_services_listing`, so a deep page skips index entries rather
     * than sorting the directory, and the total is a count over the same narrow entries, made only when the page
     * does not tell it (a first page that is not full is all there is).
     *
     * With words, a pathway or a language: the matches are found first (every search text has to be read for
     * words; the pathway and language through their indexes), and the page and the total (a window count) come
     * from sorting only those, in one statement.
     *
     * Either way the page's full rows are then read by id.
     */
    async search(f: SearchFilters): Promise<{ rows: ServiceRow[]; total: number }> {
      let ids: { id: string }[]
      let total: number | undefined
      if (f.words.length > 0 || f.pathwayTermId || f.noPathway || f.language) {
        const page = await filtered(f)
          .select(eb => ['s.id', eb.fn.countAll<number>().over().as('total')])
          .orderBy(byName('s.name'))
          .orderBy(byName('s.id'))
          .limit(f.limit)
          .offset(f.offset)
          .execute()
        ids = page
        if (page.length > 0) total = Number(page[0]!.total)
      } else {
        ids = await filtered(f)
          .select('s.id')
          .orderBy(byName('s.name'))
          .orderBy(byName('s.id'))
          .limit(f.limit)
          .offset(f.offset)
          .execute()
      }
      if (total === undefined && f.offset === 0 && ids.length < f.limit) total = ids.length
      if (total === undefined) {
        const c = await filtered(f)
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        total = Number(c.n)
      }
      const full =
        ids.length === 0
          ? []
          : await db
              .selectFrom('directory_services as s')
              .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
              .selectAll('s')
              .select('o.name as organization_name')
              .where(
                's.id',
                'in',
                ids.map(r => r.id),
              )
              .execute()
      const byId = new Map(full.map(r => [r.id, r]))
      const rows = ids.map(r => byId.get(r.id)).filter((r): r is ServiceRow => r !== undefined)
      return { rows, total }
    },

    /** A service the establishment sees, or undefined. */
    byId(trx: Db, establishmentId: number, id: string): Promise<ServiceRow | undefined> {
      return visible(trx, establishmentId)
        .selectAll('s')
        .select('o.name as organization_name')
        .where('s.id', '=', id)
        .executeTakeFirst()
    },

    /** Active and temporarily closed services the establishment sees, by name. */
    forBooklet(establishmentId: number): Promise<ServiceRow[]> {
      return visible(db, establishmentId)
        .selectAll('s')
        .select('o.name as organization_name')
        .where('s.status', 'in', ['active', 'temporarily closed'])
        .orderBy('s.name')
        .orderBy('s.id')
        .execute()
    },

    /**
     * Services not checked since `before` (or never), for the people who look after them: an establishment's own
     * services (establishmentId), or the national ones (null). Defunct services are left out.
     */
    checkDue(establishmentId: number | null, before: string): Promise<ServiceRow[]> {
      let q = db
        .selectFrom('directory_services as s')
        .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
        .selectAll('s')
        .select('o.name as organization_name')
        .where('s.status', '!=', 'defunct')
        .where(eb => eb.or([eb('s.assured_date', 'is', null), eb('s.assured_date', '<', before)]))
      q =
        establishmentId === null
          ? q.where('s.establishment_id', 'is', null)
          : q.where('s.establishment_id', '=', establishmentId)
      return q.orderBy('s.assured_date').orderBy('s.name').limit(500).execute()
    },

    /** Pathway codes of each service, for a page of search results. */
    async pathwaysOf(serviceIds: string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>()
      if (serviceIds.length === 0) return out
      for (const r of await pathwayRows(db, serviceIds)) {
        const codes = out.get(r.service_id) ?? []
        if (!codes.includes(r.code)) out.set(r.service_id, [...codes, r.code])
      }
      return out
    },

    /** Everything hanging off the given services, in a few queries per thousand services. */
    async details(trx: Db, serviceIds: string[]) {
      if (serviceIds.length <= 1000) return this.detailsOf(trx, serviceIds)
      const parts = []
      for (let i = 0; i < serviceIds.length; i += 1000)
        parts.push(await this.detailsOf(trx, serviceIds.slice(i, i + 1000)))
      return {
        contacts: parts.flatMap(p => p.contacts),
        phones: parts.flatMap(p => p.phones),
        schedules: parts.flatMap(p => p.schedules),
        languages: parts.flatMap(p => p.languages),
        pathways: parts.flatMap(p => p.pathways),
        locations: parts.flatMap(p => p.locations),
      }
    },

    async detailsOf(trx: Db, serviceIds: string[]) {
      if (serviceIds.length === 0)
        return { contacts: [], phones: [], schedules: [], languages: [], pathways: [], locations: [] }
      const contacts = await trx
        .selectFrom('directory_contacts')
        .selectAll()
        .where('service_id', 'in', serviceIds)
        .orderBy('id')
        .execute()
      const contactIds = contacts.map(c => c.id)
      const phones = await trx
        .selectFrom('directory_phones')
        .selectAll()
        .where(eb =>
          contactIds.length
            ? eb.or([eb('service_id', 'in', serviceIds), eb('contact_id', 'in', contactIds)])
            : eb('service_id', 'in', serviceIds),
        )
        .orderBy('id')
        .execute()
      const schedules = await trx
        .selectFrom('directory_schedules')
        .selectAll()
        .where('service_id', 'in', serviceIds)
        .orderBy('id')
        .execute()
      const languages = await trx
        .selectFrom('directory_languages')
        .selectAll()
        .where('service_id', 'in', serviceIds)
        .orderBy('id')
        .execute()
      const pathways = await pathwayRows(trx, serviceIds)
      const locations = await trx
        .selectFrom('directory_service_at_locations as sal')
        .innerJoin('directory_locations as l', 'l.id', 'sal.location_id')
        .leftJoin('directory_addresses as ad', 'ad.location_id', 'l.id')
        .select([
          'sal.service_id',
          'l.id',
          'l.name',
          'l.location_type',
          'l.description',
          'l.url',
          'l.establishment_id',
          'ad.id as address_id',
          'ad.address_1',
          'ad.address_2',
          'ad.city',
          'ad.region',
          'ad.postal_code',
        ])
        .where('sal.service_id', 'in', serviceIds)
        .orderBy('sal.id')
        .execute()
      return { contacts, phones, schedules, languages, pathways, locations }
    },

    organizationByName(trx: Db, establishmentId: number | null, name: string) {
      let q = trx.selectFrom('directory_organizations').selectAll().where('name', '=', name)
      q =
        establishmentId === null
          ? q.where('establishment_id', 'is', null)
          : q.where('establishment_id', '=', establishmentId)
      return q.executeTakeFirst()
    },

    /** How many services are at a location (to know whether editing it in place affects others). */
    async servicesAtLocation(trx: Db, locationId: string): Promise<number> {
      const r = await trx
        .selectFrom('directory_service_at_locations')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('location_id', '=', locationId)
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },

    async updateLocation(trx: Db, id: string, values: Updateable<DirectoryLocationTable>) {
      await trx.updateTable('directory_locations').set(values).where('id', '=', id).execute()
    },

    async replaceAddress(trx: Db, locationId: string, address: Insertable<DirectoryAddressTable> | null) {
      await trx.deleteFrom('directory_addresses').where('location_id', '=', locationId).execute()
      if (address) await trx.insertInto('directory_addresses').values(address).execute()
    },

    async updateAddress(trx: Db, locationId: string, values: Updateable<DirectoryAddressTable>) {
      await trx.updateTable('directory_addresses').set(values).where('location_id', '=', locationId).execute()
    },

    /** Deletes the rows of a child table that have these keys (a row has a key when every column of it is equal). */
    async deleteRows(trx: Db, table: ChildTable, keys: readonly RowKey[]) {
      if (!keys.length) return
      await trx.deleteFrom(table).where(anyOf(keys)).execute()
    },

    /** Sets some columns of the rows of a child table that have this key. */
    async updateRows(trx: Db, table: ChildTable, key: RowKey, values: Record<string, unknown>) {
      if (Object.keys(values).length === 0) return
      await trx
        .updateTable(table)
        .set(values as never)
        .where(anyOf([key]))
        .execute()
    },

    async updateService(trx: Db, id: string, values: Updateable<DirectoryServiceTable>) {
      await trx.updateTable('directory_services').set(values).where('id', '=', id).execute()
    },

    async insertMetadata(trx: Db, rows: Insertable<DirectoryMetadataTable>[]) {
      await insertChunks(trx, 'directory_metadata', rows)
    },

    metadataFor(resourceId: string) {
      return db
        .selectFrom('directory_metadata')
        .selectAll()
        .where('resource_id', '=', resourceId)
        .orderBy('last_action_date', 'desc')
        .orderBy('field_name')
        .limit(500)
        .execute()
    },
  }
}

export type DirectoryRepository = ReturnType<typeof directoryRepository>
