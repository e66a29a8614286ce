import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Role, RoleGrant } from '../../domain/roles'

/** The SQL of single sign-on: accounts by the provider's subject, and an account's roles replaced from claims. */
export function ssoRepository(db: Kysely<Database>) {
  return {
    bySubject(trx: Kysely<Database>, subject: string) {
      return trx.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst()
    },
    byUsername(trx: Kysely<Database>, username: string) {
      return trx.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst()
    },
    setSubject(trx: Kysely<Database>, userId: number, subject: string) {
      return trx.updateTable('users').set({ oidc_subject: subject }).where('id', '=', userId).execute()
    },
    signedIn(trx: Kysely<Database>, userId: number, at: string) {
      return trx.updateTable('users').set({ last_sign_in_at: at }).where('id', '=', userId).execute()
    },
    async create(
      trx: Kysely<Database>,
      u: { username: string; displayName: string; email: string | null; subject: string; at: string },
    ): Promise<number> {
      const row = await trx
        .insertInto('users')
        .values({
          username: u.username,
          display_name: u.displayName,
          email: u.email,
          password_hash: null,
          enabled: 1,
          created_at: u.at,
          last_sign_in_at: null,
          oidc_subject: u.subject,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    },
    async grants(trx: Kysely<Database>, userId: number): Promise<RoleGrant[]> {
      const rows = await trx
        .selectFrom('user_roles')
        .select(['role', 'establishment_id'])
        .where('user_id', '=', userId)
        .execute()
      return rows.map(r => ({ role: r.role as Role, establishmentId: r.establishment_id }))
    },
    async replaceGrants(trx: Kysely<Database>, userId: number, grants: RoleGrant[]) {
      await trx.deleteFrom('user_roles').where('user_id', '=', userId).execute()
      if (grants.length > 0)
        await trx
          .insertInto('user_roles')
          .values(grants.map(g => ({ user_id: userId, role: g.role, establishment_id: g.establishmentId })))
          .execute()
    },
    /** Enabled establishments by code (the codes an establishments claim may name). */
    async establishmentIds(): Promise<Map<string, number>> {
      const rows = await db.selectFrom('establishments').select(['id', 'code']).where('enabled', '=', 1).execute()
      return new Map(rows.map(r => [r.code.toUpperCase(), r.id]))
    },
  }
}
