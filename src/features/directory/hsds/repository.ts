import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely'
import type { Database } from '../../../platform/db/types'
import { DB_TABLE, type TableName } from './model'
import { chunks } from '../../../domain/chunks'

/** Whose directory: an establishment's (its id), or the national one (null). */
export type Owner = number | null

/** Which services a reader sees: an establishment's own, and the national ones if asked. */
export interface Scope {
  establishmentId: number | null
  includeNational: boolean
}

const CHUNK = 500

/** SQL LIKE pattern for a literal piece of text. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`
}

export function hsdsRepository(db: Kysely<Database>) {
  /** The where clause of a scope, on directory_services. */
  function inScope(scope: Scope) {
    return (eb: ExpressionBuilder<Database, 'directory_services'>): Expression<SqlBool> => {
      const own =
        scope.establishmentId === null
          ? eb('directory_services.establishment_id', 'is', null)
          : eb('directory_services.establishment_id', '=', scope.establishmentId)
      return scope.includeNational && scope.establishmentId !== null
        ? eb.or([own, eb('directory_services.establishment_id', 'is', null)])
        : own
    }
  }

  return {
    /** Services in scope, by name then id (the export's order). */
    services(trx: Kysely<Database>, scope: Scope) {
      return trx
        .selectFrom('directory_services')
        .selectAll()
        .where(inScope(scope))
        .orderBy('name')
        .orderBy('id')
        .execute()
    },

    async servicePage(scope: Scope, search: string, offset: number, limit: number) {
      let q = db.selectFrom('directory_services').where(inScope(scope))
      const words = search.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10)
      for (const w of words) q = q.where('search_text', 'like', likeContains(w))
      const total = await q.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      const rows = await q.selectAll().orderBy('name').orderBy('id').offset(offset).limit(limit).execute()
      return { total: Number(total.n), rows }
    },

    serviceById(trx: Kysely<Database>, scope: Scope, id: string) {
      return trx
        .selectFrom('directory_services')
        .selectAll()
        .where(inScope(scope))
        .where('id', '=', id)
        .executeTakeFirst()
    },

    async organizations(trx: Kysely<Database>, ids: string[]) {
      const out = []
      for (const c of chunks(ids, CHUNK))
        out.push(...(await trx.selectFrom('directory_organizations').selectAll().where('id', 'in', c).execute()))
      return out
    },

    async byServiceIds<T extends 'service_at_locations' | 'contacts' | 'phones' | 'schedules' | 'languages'>(
      trx: Kysely<Database>,
      table: T,
      serviceIds: string[],
    ) {
      const out = []
      for (const c of chunks(serviceIds, CHUNK))
        out.push(
          ...(await trx
            .selectFrom(DB_TABLE[table] as 'directory_phones')
            .selectAll()
            .where('service_id', 'in', c)
            .execute()),
        )
      return out as unknown as Database[(typeof DB_TABLE)[T]][]
    },

    async phonesOf(trx: Kysely<Database>, column: 'contact_id' | 'location_id', ids: string[]) {
      const out = []
      for (const c of chunks(ids, CHUNK))
        out.push(...(await trx.selectFrom('directory_phones').selectAll().where(column, 'in', c).execute()))
      return out
    },

    async locations(trx: Kysely<Database>, ids: string[]) {
      const out = []
      for (const c of chunks(ids, CHUNK))
        out.push(...(await trx.selectFrom('directory_locations').selectAll().where('id', 'in', c).execute()))
      return out
    },

    async addresses(trx: Kysely<Database>, locationIds: string[]) {
      const out = []
      for (const c of chunks(locationIds, CHUNK))
        out.push(...(await trx.selectFrom('directory_addresses').selectAll().where('location_id', 'in', c).execute()))
      return out
    },

    async attributes(trx: Kysely<Database>, serviceIds: string[]) {
      const out = []
      for (const c of chunks(serviceIds, CHUNK))
        out.push(
          ...(await trx
            .selectFrom('directory_attributes')
            .selectAll()
            .where('link_entity', '=', 'service')
            .where('link_id', 'in', c)
            .execute()),
        )
      return out
    },

    async metadataOf(trx: Kysely<Database>, resourceIds: string[]) {
      const out = []
      for (const c of chunks(resourceIds, CHUNK))
        out.push(...(await trx.selectFrom('directory_metadata').selectAll().where('resource_id', 'in', c).execute()))
      return out
    },

    taxonomies(trx: Kysely<Database>) {
      return trx.selectFrom('directory_taxonomies').selectAll().orderBy('id').execute()
    },

    taxonomyTerms(trx: Kysely<Database>) {
      return trx.selectFrom('directory_taxonomy_terms').selectAll().orderBy('id').execute()
    },

    /** Organisations and locations a directory holds, whether or not a service uses them (the tabular export). */
    async ownedIds(trx: Kysely<Database>, table: 'organizations' | 'locations', scope: Scope): Promise<string[]> {
      let q = trx.selectFrom(DB_TABLE[table] as 'directory_locations').select('id')
      q =
        scope.establishmentId === null
          ? q.where('establishment_id', 'is', null)
          : scope.includeNational
            ? q.where(eb =>
                eb.or([eb('establishment_id', '=', scope.establishmentId), eb('establishment_id', 'is', null)]),
              )
            : q.where('establishment_id', '=', scope.establishmentId)
      return (await q.execute()).map(r => r.id)
    },

    /** Terms of other taxonomies by id. */
    async foreignTerms(trx: Kysely<Database>, ids: string[]) {
      const out = []
      for (const c of chunks(ids, CHUNK))
        out.push(...(await trx.selectFrom('directory_foreign_terms').selectAll().where('id', 'in', c).execute()))
      return out
    },

    async foreignTaxonomies(trx: Kysely<Database>, ids: string[]) {
      const out = []
      for (const c of chunks(ids, CHUNK))
        out.push(...(await trx.selectFrom('directory_foreign_taxonomies').selectAll().where('id', 'in', c).execute()))
      return out
    },

    /** Ids of the terms and taxonomies a directory imported first (the tabular export writes them all). */
    async ownedTaxonomyIds(trx: Kysely<Database>, scope: Scope) {
      const owned = <T extends 'directory_foreign_terms' | 'directory_foreign_taxonomies'>(table: T) => {
        const q = trx.selectFrom(table as 'directory_foreign_terms').select('id')
        return (
          scope.establishmentId === null
            ? q.where('establishment_id', 'is', null)
            : scope.includeNational
              ? q.where(eb =>
                  eb.or([eb('establishment_id', '=', scope.establishmentId), eb('establishment_id', 'is', null)]),
                )
              : q.where('establishment_id', '=', scope.establishmentId)
        ).execute()
      }
      return {
        terms: (await owned('directory_foreign_terms')).map(r => r.id),
        taxonomies: (await owned('directory_foreign_taxonomies')).map(r => r.id),
      }
    },

    /** Adds and changes terms and taxonomies of other taxonomies (planned by the importer). */
    async writeTaxonomies(
      trx: Kysely<Database>,
      plan: Record<'terms' | 'taxonomies', { insert: Record<string, unknown>[]; update: Record<string, unknown>[] }>,
    ) {
      const tables = { terms: 'directory_foreign_terms', taxonomies: 'directory_foreign_taxonomies' } as const
      for (const kind of ['taxonomies', 'terms'] as const) {
        const table = tables[kind] as 'directory_foreign_terms'
        for (const c of chunks(plan[kind].insert, CHUNK))
          await trx
            .insertInto(table)
            .values(c as never)
            .execute()
        for (const { id, ...values } of plan[kind].update)
          await trx
            .updateTable(table)
            .set(values as never)
            .where('id', '=', id as string)
            .execute()
      }
    },

    /** Existing rows of a table by id, whatever their owner. */
    async rowsById(
      trx: Kysely<Database>,
      table: TableName,
      ids: string[],
    ): Promise<Map<string, Record<string, unknown>>> {
      const out = new Map<string, Record<string, unknown>>()
      for (const c of chunks(ids, CHUNK)) {
        const rows = await trx
          .selectFrom(DB_TABLE[table] as 'directory_phones')
          .selectAll()
          .where('id', 'in', c)
          .execute()
        for (const r of rows) out.set(r.id, r as unknown as Record<string, unknown>)
      }
      return out
    },

    /** Owner (establishment id, or null for national) of existing organisations, services or locations. */
    async ownersOf(
      trx: Kysely<Database>,
      table: 'organizations' | 'services' | 'locations',
      ids: string[],
    ): Promise<Map<string, Owner>> {
      const out = new Map<string, Owner>()
      for (const c of chunks(ids, CHUNK)) {
        const rows = await trx
          .selectFrom(DB_TABLE[table] as 'directory_services')
          .select(['id', 'establishment_id'])
          .where('id', 'in', c)
          .execute()
        for (const r of rows) out.set(r.id, r.establishment_id)
      }
      return out
    },

    /** Owner of the contacts whose ids are given, through their service. */
    async contactOwners(trx: Kysely<Database>, ids: string[]): Promise<Map<string, Owner>> {
      const out = new Map<string, Owner>()
      for (const c of chunks(ids, CHUNK)) {
        const rows = await trx
          .selectFrom('directory_contacts')
          .leftJoin('directory_services', 'directory_services.id', 'directory_contacts.service_id')
          .select(['directory_contacts.id as id', 'directory_services.establishment_id as owner'])
          .where('directory_contacts.id', 'in', c)
          .execute()
        for (const r of rows) out.set(r.id, r.owner)
      }
      return out
    },

    insert(trx: Kysely<Database>, table: TableName, row: Record<string, unknown>) {
      return trx
        .insertInto(DB_TABLE[table] as 'directory_phones')
        .values(row as never)
        .execute()
    },

    update(trx: Kysely<Database>, table: TableName, id: string, values: Record<string, unknown>) {
      return trx
        .updateTable(DB_TABLE[table] as 'directory_phones')
        .set(values as never)
        .where('id', '=', id)
        .execute()
    },
  }
}

export type HsdsRepository = ReturnType<typeof hsdsRepository>
