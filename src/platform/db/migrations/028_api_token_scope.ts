import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * What an API token is for (issue 16 follow-up): `scope` 'hsds' (the services directory, read through the HSDS API)
 * or 'xapi' (an establishment's learning record store sending training records to /api/xapi/statements). Each API
 * takes only its own scope. Before this column the xAPI routes took an establishment's token whose name began with
 * "xAPI" (the rule `/^xapi\b/i` on the name); those tokens become 'xapi' here, so a learning record store already
 * sending statements goes on working. They no longer read the HSDS API.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table api_tokens add column scope text not null default 'hsds'`.execute(db)
  await scopeXapiTokens(db)
}

/** The old naming rule of the xAPI routes: a name beginning with the word "xAPI", in any case. */
export const OLD_XAPI_NAME = /^xapi\b/i

/**
 * Sets scope 'xapi' on every establishment token (never a national one) whose name the old rule accepted; returns
 * how many. The names are matched here rather than in SQL: `\b` has no portable SQL form, and tokens are few.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function scopeXapiTokens(db: Kysely<any>): Promise<number> {
  const rows = await sql<{ id: number; name: string }>`select id, name from api_tokens
    where establishment_id is not null and lower(name) like ${'%xapi%'}`.execute(db)
  const ids = rows.rows.filter(r => OLD_XAPI_NAME.test(r.name.trim())).map(r => Number(r.id))
  for (const id of ids) await sql`update api_tokens set scope = 'xapi' where id = ${id}`.execute(db)
  return ids.length
}
