import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * Single sign-on (issue 18): the OpenID provider's subject of the account, stored at its first sign-in through the
 * provider and matched first afterwards (a username can be reused; a subject cannot). Unique where set.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table users add column oidc_subject text`.execute(db)
  await sql`create unique index users_oidc_subject on users (oidc_subject)`.execute(db)
}
