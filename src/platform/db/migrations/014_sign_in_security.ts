import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../database'

/**
 * A session row names its user and when they signed in, so a password change can end the user's other sessions and
 * a session can be ended at an absolute age however active it is. A password an admin sets must be changed by its
 * owner at their first sign-in.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`alter table web_sessions add column user_id integer`.execute(db)
  await sql`alter table web_sessions add column signed_in_at text`.execute(db)
  await sql`create index web_sessions_user on web_sessions (user_id)`.execute(db)
  await sql`alter table users add column must_change_password integer not null default 0`.execute(db)
}
