import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Find a service, cheap at any depth: a covering index in the order the results are shown (name, then id), with
 * the columns the filters without words test (who sees it, status, inside or in the community). A page is then a
 * walk along the index (skipping `offset` entries, not sorting the whole directory) and the total a count over the
 * same narrow entries, instead of a window count over every row of the table.
 *
 * The pathway and language filters find their services through an index on the term or code (the languages table
 * had none on the code), covering the service id.
 *
 * PostgreSQL sorts with collation "C", the byte order SQLite uses, so both engines give the same pages whatever the
 * database's default collation; the index is built with the same collation so that it serves the order.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres')
    await sql`create index directory_services_listing
      on directory_services (name collate "C", id collate "C", establishment_id, status, provision)`.execute(db)
  else
    await sql`create index directory_services_listing
      on directory_services (name, id, establishment_id, status, provision)`.execute(db)
  await sql`create index directory_languages_code on directory_languages (code, service_id)`.execute(db)
  await sql`create index directory_attributes_term_link
    on directory_attributes (taxonomy_term_id, link_entity, link_id)`.execute(db)
  await sql`drop index directory_attributes_term`.execute(db)
}
