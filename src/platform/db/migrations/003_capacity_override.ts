import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/** An officer's own capacity, set by an establishment admin; null means "use the pro-rata default". */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table staff add column capacity_override integer`.execute(db)
}
