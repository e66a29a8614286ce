import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { Database } from '../../../platform/db/types'
import type { Scope } from './repository'

/**
 * The queries of the HSDS API (api.ts) that the import and export do not need: which services, organisations and
 * services at locations a reader sees, and which services carry a taxonomy term. Filtering and paging happen on the
 * small id lists these return, so each filter is plain code (a stored last_modified keeps the offset it came with,
 * which only a parsed date compares correctly).
 */

const CHUNK = 500

/** SQL LIKE pattern for a literal piece of text. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`
}

type OwnerColumn =
  | 'directory_services.establishment_id'
  | 'directory_organizations.establishment_id'
  | 'directory_foreign_terms.establishment_id'
  | 'directory_foreign_taxonomies.establishment_id'

/** The where clause of a scope on an owner column: an establishment's rows, with the national ones if asked. */
function inScope(column: OwnerColumn, scope: Scope): RawBuilder<SqlBool> {
  const col = sql.ref(column)
  if (scope.establishmentId === null) return sql<SqlBool>`${col} is null`
  if (scope.includeNational) return sql<SqlBool>`(${col} = ${scope.establishmentId} or ${col} is null)`
  return sql<SqlBool>`${col} = ${scope.establishmentId}`
}

/** The words of a search, lower-cased, at most ten. */
export const searchWords = (search: string) => search.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10)

export function apiRepository(db: Kysely<Database>) {
  return {
    /** The services in scope matching every search word, by name then id: only what the filters need. */
    async serviceHeads(scope: Scope, search: string) {
      let q = db.selectFrom('directory_services').where(inScope('directory_services.establishment_id', scope))
      for (const w of searchWords(search)) q = q.where('search_text', 'like', likeContains(w))
      return q.select(['id', 'organization_id', 'provision', 'updated_at']).orderBy('name').orderBy('id').execute()
    },

    async servicesById(ids: string[]) {
      const out = []
      for (let i = 0; i < ids.length; i += CHUNK)
        out.push(
          ...(await db
            .selectFrom('directory_services')
            .selectAll()
            .where('id', 'in', ids.slice(i, i + CHUNK))
            .execute()),
        )
      const byId = new Map(out.map(s => [s.id, s]))
      return ids.flatMap(id => byId.get(id) ?? [])
    },

    /**
     * Ids of the services linked (by a service attribute) to the term, or to any term of the taxonomy: keywork's
     * terms, other taxonomies' terms, and for a pathway the other taxonomies' terms mapped to it.
     */
    async serviceIdsWith(filter: { termId: string } | { taxonomyId: string }): Promise<Set<string>> {
      const foreign = db.selectFrom('directory_foreign_terms').select('id')
      const termIds =
        'termId' in filter
          ? db
              .selectFrom('directory_attributes as a')
              .select('a.link_id')
              .where('a.link_entity', '=', 'service')
              .where(eb =>
                eb.or([
                  eb('a.taxonomy_term_id', '=', filter.termId),
                  eb('a.taxonomy_term_id', 'in', foreign.where('pathway_term_id', '=', filter.termId)),
                ]),
              )
          : db
              .selectFrom('directory_attributes as a')
              .select('a.link_id')
              .where('a.link_entity', '=', 'service')
              .where(eb =>
                eb.or([
                  eb(
                    'a.taxonomy_term_id',
                    'in',
                    db.selectFrom('directory_taxonomy_terms').select('id').where('taxonomy_id', '=', filter.taxonomyId),
                  ),
                  eb('a.taxonomy_term_id', 'in', foreign.where('taxonomy_id', '=', filter.taxonomyId)),
                ]),
              )
      return new Set((await termIds.execute()).map(r => r.link_id))
    },

    /**
     * Other taxonomies' terms a reader sees: those their directory brought, and those their services carry (another
     * directory may have brought the same term first).
     */
    foreignTerms(scope: Scope) {
      const carried = db
        .selectFrom('directory_attributes as a')
        .innerJoin('directory_services', 'directory_services.id', 'a.link_id')
        .select('a.taxonomy_term_id')
        .where('a.link_entity', '=', 'service')
        .where(inScope('directory_services.establishment_id', scope))
      return db
        .selectFrom('directory_foreign_terms')
        .selectAll()
        .where(eb => eb.or([inScope('directory_foreign_terms.establishment_id', scope), eb('id', 'in', carried)]))
        .orderBy('id')
        .execute()
    },

    /** Other taxonomies a reader sees: those their directory brought, and those of the terms they see. */
    foreignTaxonomies(scope: Scope, termTaxonomyIds: string[]) {
      return db
        .selectFrom('directory_foreign_taxonomies')
        .selectAll()
        .where(eb =>
          termTaxonomyIds.length
            ? eb.or([inScope('directory_foreign_taxonomies.establishment_id', scope), eb('id', 'in', termTaxonomyIds)])
            : inScope('directory_foreign_taxonomies.establishment_id', scope),
        )
        .orderBy('id')
        .execute()
    },

    /** The organisations in scope, by name then id. */
    organizations(scope: Scope) {
      return db
        .selectFrom('directory_organizations')
        .selectAll()
        .where(inScope('directory_organizations.establishment_id', scope))
        .orderBy('name')
        .orderBy('id')
        .execute()
    },

    organizationById(scope: Scope, id: string) {
      return db
        .selectFrom('directory_organizations')
        .selectAll()
        .where(inScope('directory_organizations.establishment_id', scope))
        .where('id', '=', id)
        .executeTakeFirst()
    },

    /** The in-scope services of some organisations, by name then id. */
    async servicesOfOrganizations(scope: Scope, organizationIds: string[]) {
      const out = []
      for (let i = 0; i < organizationIds.length; i += CHUNK)
        out.push(
          ...(await db
            .selectFrom('directory_services')
            .selectAll()
            .where(inScope('directory_services.establishment_id', scope))
            .where('organization_id', 'in', organizationIds.slice(i, i + CHUNK))
            .orderBy('name')
            .orderBy('id')
            .execute()),
        )
      return out
    },

    /** Every service at a location whose service is in scope: ids only, by id. */
    serviceAtLocationHeads(scope: Scope) {
      return db
        .selectFrom('directory_service_at_locations as sal')
        .innerJoin('directory_services', 'directory_services.id', 'sal.service_id')
        .where(inScope('directory_services.establishment_id', scope))
        .select(['sal.id', 'sal.service_id'])
        .orderBy('sal.id')
        .execute()
    },

    serviceAtLocationById(scope: Scope, id: string) {
      return db
        .selectFrom('directory_service_at_locations as sal')
        .innerJoin('directory_services', 'directory_services.id', 'sal.service_id')
        .where(inScope('directory_services.establishment_id', scope))
        .where('sal.id', '=', id)
        .select(['sal.id', 'sal.service_id'])
        .executeTakeFirst()
    },
  }
}

export type ApiRepository = ReturnType<typeof apiRepository>
