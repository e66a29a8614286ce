import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Who is a Key Worker is a fact about the officer, not their grade (a band 4 may hold a caseload, a band 3 may be
 * on other duties); existing band 3 officers start as Key Workers. An establishment may choose not to use
 * automatic allocation.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table staff add column key_worker integer not null default 0`.execute(db)
  await sql`update staff set key_worker = 1 where grade = 'Band 3'`.execute(db)
  await sql`alter table establishments add column auto_allocation integer not null default 1`.execute(db)
}
