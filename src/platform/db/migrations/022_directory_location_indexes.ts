import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * The HSDS export reads a location's address, phones and service links by location id, and a taxonomy's terms by
 * taxonomy id; without these indexes each of those reads scanned its whole table (measured: about 0.7 s of a
 * 20,000-service export went on phones alone).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create index directory_addresses_location on directory_addresses (location_id)`.execute(db)
  await sql`create index directory_phones_location on directory_phones (location_id)`.execute(db)
  await sql`create index directory_sal_location on directory_service_at_locations (location_id)`.execute(db)
  await sql`create index directory_locations_organization on directory_locations (organization_id)`.execute(db)
  await sql`create index directory_foreign_terms_taxonomy on directory_foreign_terms (taxonomy_id)`.execute(db)
}
