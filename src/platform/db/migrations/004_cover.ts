import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/** Cover: a temporary allocation while the prisoner's Key Worker is away, returned on cover_until. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table allocations add column cover_until text`.execute(db)
  await sql`alter table allocations add column covering_for_staff_id integer references staff(id)`.execute(db)
  await sql`create index allocations_cover_due on allocations (cover_until) where deallocated_at is null and cover_until is not null`.execute(
    db,
  )
}
