import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Lossless HSDS (docs/decisions/006-hsds-lossless.md). Every directory table keywork models gets `extra`: the HSDS
 * fields of the record keywork does not use (fees, ages, coordinates, schedule recurrence...) and the records nested
 * in it that keywork does not model (funding, service areas, a location's accessibility...), as canonical JSON text,
 * exported again as they came.
 *
 * An attribute may now link a service to a term of another taxonomy (directory_foreign_terms, migration 021), so its
 * taxonomy_term_id no longer references keywork's own terms. SQLite cannot drop a constraint: the table is rebuilt
 * (nothing references it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const table of [
    'directory_organizations',
    'directory_services',
    'directory_locations',
    'directory_addresses',
    'directory_service_at_locations',
    'directory_contacts',
    'directory_phones',
    'directory_schedules',
    'directory_languages',
  ])
    await sql`alter table ${sql.table(table)} add column extra text`.execute(db)

  if (dialect === 'postgres') {
    await sql`alter table directory_attributes drop constraint directory_attributes_taxonomy_term_id_fkey`.execute(db)
    await sql`alter table directory_attributes add column extra text`.execute(db)
    return
  }
  await sql`create table directory_attributes_new (
    id text primary key,
    link_id text not null, link_type text, link_entity text not null,
    taxonomy_term_id text not null,
    value text,
    extra text
  )`.execute(db)
  await sql`insert into directory_attributes_new (id, link_id, link_type, link_entity, taxonomy_term_id, value)
    select id, link_id, link_type, link_entity, taxonomy_term_id, value from directory_attributes`.execute(db)
  await sql`drop table directory_attributes`.execute(db)
  await sql`alter table directory_attributes_new rename to directory_attributes`.execute(db)
  await sql`create index directory_attributes_link on directory_attributes (link_id)`.execute(db)
  await sql`create index directory_attributes_term_link
    on directory_attributes (taxonomy_term_id, link_entity, link_id)`.execute(db)
}
