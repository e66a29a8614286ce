import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Taxonomies other than keywork's, as HSDS imports bring them (docs/decisions/006-hsds-lossless.md): each taxonomy
 * and term kept whole (`data`, the HSDS object as it came, exported unchanged), owned by the directory that first
 * imported it (establishment_id; null: national). A term may be mapped to one of keywork's pathway terms, once for
 * everyone: services carrying the term then count as on that pathway. mapped_at is set when it is mapped;
 * mapped_by_establishment_id says whose admin mapped it (null: the national team).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create table directory_foreign_taxonomies (
    id text primary key,
    establishment_id integer references establishments(id),
    name text not null,
    data text not null
  )`.execute(db)
  await sql`create table directory_foreign_terms (
    id text primary key,
    establishment_id integer references establishments(id),
    taxonomy_id text,
    parent_id text,
    code text,
    name text not null,
    data text not null,
    pathway_term_id text references directory_taxonomy_terms(id),
    mapped_at text,
    mapped_by text,
    mapped_by_establishment_id integer references establishments(id)
  )`.execute(db)
  await sql`create index directory_foreign_terms_pathway on directory_foreign_terms (pathway_term_id)`.execute(db)
}
