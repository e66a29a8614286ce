import type { Kysely } from 'kysely'
import type { Dialect } from '../database'

// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // filled in by its feature
}
