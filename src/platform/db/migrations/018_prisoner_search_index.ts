import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Prisoner search walks the men in custody, in name order. Since the prisoners table keeps every past stay (one
 * record per establishment, with the custody history), an establishment holds several times more released and
 * transferred men than it holds now: an index that starts with the status lets the search and its count read only
 * the men in custody, in the order the page shows them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create index prisoners_establishment_status_name
    on prisoners (establishment_id, status, last_name, first_name, prison_number)`.execute(db)
}
