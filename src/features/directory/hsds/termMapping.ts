import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/types'
import { PATHWAYS, type PathwayCode } from '../../../domain/pathways'
import type { Actor, AuditService } from '../../../platform/audit/service'
import { parseExtra } from './extras'
import type { Owner } from './repository'

/**
 * Mapping the terms of other taxonomies to keywork's pathways (docs/decisions/006-hsds-lossless.md). A term is mapped
 * once, for everyone: the services carrying it, now and in later imports, count as on that pathway (the directory's
 * pathway filter and listing read the mapping; the term itself, and the export, are unchanged). An establishment
 * admin maps the terms its directory's services carry, unless the national team or another establishment mapped it
 * first; the national team maps any term.
 */

export interface TermForMapping {
  id: string
  name: string
  code: string | null
  taxonomy: string | null
  parent: string | null
  /** the directory's services carrying the term */
  services: number
  pathway: PathwayCode | null
  /** whether this user may change the mapping */
  editable: boolean
  mappedBy: string | null
}

const CHUNK = 500

/**
 * Whose terms a user sees: an establishment admin, its directory's; the national team, the national directory's and
 * those of the establishment it is working in (as it edits both directories' services).
 */
export interface TermScope {
  /** the directory the user maps for: an establishment's id, or null for the national team */
  owner: Owner
  /** the establishment the user is working in */
  establishmentId: number
}

const ownersOf = (scope: TermScope): Owner[] => (scope.owner === null ? [null, scope.establishmentId] : [scope.owner])

function ownedBy(column: 's.establishment_id' | 'establishment_id', owners: Owner[]) {
  const ids = owners.filter((o): o is number => o !== null)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (eb: any) =>
    owners.includes(null)
      ? ids.length
        ? eb.or([eb(column, 'is', null), eb(column, 'in', ids)])
        : eb(column, 'is', null)
      : eb(column, 'in', ids)
}

export function termMappingService(db: Kysely<Database>, audit: AuditService) {
  const codeOfTerm = new Map<string, PathwayCode>(PATHWAYS.map(p => [p.termId, p.code]))
  const termOfCode = new Map<string, string>(PATHWAYS.map(p => [p.code, p.termId]))

  const mayMap = (owner: Owner, t: { mapped_at: string | null; mapped_by_establishment_id: number | null }) =>
    owner === null || t.mapped_at === null || t.mapped_by_establishment_id === owner

  /** How many of the directory's services carry each term of another taxonomy. */
  async function carried(trx: Kysely<Database>, owners: Owner[]): Promise<Map<string, number>> {
    const rows = await trx
      .selectFrom('directory_attributes as a')
      .innerJoin('directory_services as s', 's.id', 'a.link_id')
      .innerJoin('directory_foreign_terms as f', 'f.id', 'a.taxonomy_term_id')
      .select(['a.taxonomy_term_id as term', eb => eb.fn.count<number>('a.link_id').distinct().as('n')])
      .where('a.link_entity', '=', 'service')
      .where(ownedBy('s.establishment_id', owners))
      .groupBy('a.taxonomy_term_id')
      .execute()
    return new Map(rows.map(r => [r.term, Number(r.n)]))
  }

  return {
    /** The terms the directory's services carry, and those it brought: not mapped first, then by name. */
    async list(scope: TermScope): Promise<TermForMapping[]> {
      const owner = scope.owner
      const counts = await carried(db, ownersOf(scope))
      const owned = await db
        .selectFrom('directory_foreign_terms')
        .select('id')
        .where(ownedBy('establishment_id', ownersOf(scope)))
        .execute()
      const ids = [...new Set([...counts.keys(), ...owned.map(r => r.id)])]
      const terms = []
      for (let i = 0; i < ids.length; i += CHUNK)
        terms.push(
          ...(await db
            .selectFrom('directory_foreign_terms')
            .selectAll()
            .where('id', 'in', ids.slice(i, i + CHUNK))
            .execute()),
        )
      const names = new Map(terms.map(t => [t.id, t.name]))
      const taxonomyIds = [...new Set(terms.flatMap(t => (t.taxonomy_id ? [t.taxonomy_id] : [])))]
      const taxonomies = new Map<string, string>()
      for (let i = 0; i < taxonomyIds.length; i += CHUNK)
        for (const t of await db
          .selectFrom('directory_foreign_taxonomies')
          .select(['id', 'name'])
          .where('id', 'in', taxonomyIds.slice(i, i + CHUNK))
          .execute())
          taxonomies.set(t.id, t.name)
      return terms
        .map(t => {
          const data = parseExtra(t.data)
          const detail = data.taxonomy_detail as { name?: unknown } | undefined
          return {
            id: t.id,
            name: t.name,
            code: t.code,
            taxonomy:
              (t.taxonomy_id ? taxonomies.get(t.taxonomy_id) : undefined) ??
              (typeof detail?.name === 'string'
                ? detail.name
                : typeof data.taxonomy === 'string'
                  ? data.taxonomy
                  : null),
            parent: t.parent_id ? (names.get(t.parent_id) ?? null) : null,
            services: counts.get(t.id) ?? 0,
            pathway: t.pathway_term_id ? (codeOfTerm.get(t.pathway_term_id) ?? null) : null,
            editable: mayMap(owner, t),
            mappedBy: t.mapped_at === null ? null : (t.mapped_by ?? null),
          }
        })
        .sort(
          (a, b) =>
            Number(a.pathway !== null) - Number(b.pathway !== null) ||
            b.services - a.services ||
            a.name.localeCompare(b.name) ||
            (a.id < b.id ? -1 : 1),
        )
    },

    /**
     * Maps a term to a pathway (or takes the mapping away: null). 'not-found' when the term is neither carried by the
     * directory's services nor brought by it; 'forbidden' when another directory mapped it.
     */
    /** Whether the user sees the term: its directory brought it, or its services carry it. */
    async visible(scope: TermScope, termId: string, trx: Kysely<Database> = db): Promise<boolean> {
      const term = await trx
        .selectFrom('directory_foreign_terms')
        .select(['id', 'establishment_id'])
        .where('id', '=', termId)
        .executeTakeFirst()
      if (!term) return false
      const owners = ownersOf(scope)
      return owners.includes(term.establishment_id) || (await carried(trx, owners)).has(termId)
    },

    async map(
      actor: Actor,
      scope: TermScope,
      termId: string,
      pathway: PathwayCode | null,
    ): Promise<'ok' | 'not-found' | 'forbidden'> {
      const owner = scope.owner
      return db.transaction().execute(async trx => {
        const term = await trx
          .selectFrom('directory_foreign_terms')
          .selectAll()
          .where('id', '=', termId)
          .executeTakeFirst()
        if (!term || !(await this.visible(scope, termId, trx))) return 'not-found' as const
        if (!mayMap(owner, term)) return 'forbidden' as const
        const before = term.pathway_term_id ? (codeOfTerm.get(term.pathway_term_id) ?? null) : null
        if (before === pathway) return 'ok' as const
        const now = new Date().toISOString()
        await trx
          .updateTable('directory_foreign_terms')
          .set(
            pathway === null
              ? { pathway_term_id: null, mapped_at: null, mapped_by: null, mapped_by_establishment_id: null }
              : {
                  pathway_term_id: termOfCode.get(pathway)!,
                  mapped_at: now,
                  mapped_by: actor.username ?? 'system',
                  mapped_by_establishment_id: owner,
                },
          )
          .where('id', '=', termId)
          .execute()
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'directory-term',
          entityId: termId,
          establishmentId: owner,
          changes: { term: term.name, pathway: [before, pathway] },
        })
        return 'ok' as const
      })
    },
  }
}

export type TermMappingService = ReturnType<typeof termMappingService>
