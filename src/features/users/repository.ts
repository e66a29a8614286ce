import type { Insertable, Kysely } from 'kysely'
import type { Database, UserTable } from '../../platform/db/types'
import type { Role, RoleGrant } from '../../domain/roles'

export function usersRepository(db: Kysely<Database>) {
  return {
    byUsername(username: string) {
      return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst()
    },
    byId(id: number) {
      return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async grants(userId: number): Promise<RoleGrant[]> {
      const rows = await db
        .selectFrom('user_roles')
        .select(['role', 'establishment_id'])
        .where('user_id', '=', userId)
        .execute()
      return rows.map(r => ({ role: r.role as Role, establishmentId: r.establishment_id }))
    },
    /** Users with any role in the establishment (or every user when establishmentId is null). */
    list(establishmentId: number | null, search: string | undefined, limit: number) {
      let q = db.selectFrom('users').selectAll('users').orderBy('users.username').limit(limit)
      if (establishmentId !== null) {
        q = q.where(eb =>
          eb.exists(
            eb
              .selectFrom('user_roles')
              .select('user_roles.id')
              .whereRef('user_roles.user_id', '=', 'users.id')
              .where('user_roles.establishment_id', '=', establishmentId),
          ),
        )
      }
      if (search) {
        const like = `%${search.toLowerCase()}%`
        q = q.where(eb =>
          eb.or([eb('users.username', 'like', like), eb(eb.fn('lower', ['users.display_name']), 'like', like)]),
        )
      }
      return q.execute()
    },
    /** A page of users with any role in the establishment (every user when establishmentId is null), and the total. */
    async search(s: { establishmentId: number | null; query?: string; limit: number; offset: number }) {
      let q = db.selectFrom('users')
      if (s.establishmentId !== null) {
        const establishmentId = s.establishmentId
        q = q.where(eb =>
          eb.exists(
            eb
              .selectFrom('user_roles')
              .select('user_roles.id')
              .whereRef('user_roles.user_id', '=', 'users.id')
              .where('user_roles.establishment_id', '=', establishmentId),
          ),
        )
      }
      for (const word of (s.query ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 4)) {
        const like = `%${word.replace(/[%_\\]/g, '')}%`
        q = q.where(eb =>
          eb.or([
            eb('users.username', 'like', like),
            eb(eb.fn('lower', ['users.display_name']), 'like', like),
            eb(eb.fn('lower', ['users.email']), 'like', like),
          ]),
        )
      }
      const [rows, total] = await Promise.all([
        q
          .selectAll('users')
          .orderBy('users.display_name')
          .orderBy('users.username')
          .limit(s.limit)
          .offset(s.offset)
          .execute(),
        q.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(total.n) }
    },
    // writes, in the caller's transaction
    setPassword(trx: Kysely<Database>, userId: number, passwordHash: string, mustChange: boolean) {
      return trx
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: mustChange ? 1 : 0 })
        .where('id', '=', userId)
        .execute()
    },
    signedIn(trx: Kysely<Database>, userId: number, at: string) {
      return trx.updateTable('users').set({ last_sign_in_at: at }).where('id', '=', userId).execute()
    },
    setEnabled(trx: Kysely<Database>, userId: number, enabled: boolean) {
      return trx
        .updateTable('users')
        .set({ enabled: enabled ? 1 : 0 })
        .where('id', '=', userId)
        .execute()
    },
    usernameTaken(trx: Kysely<Database>, username: string) {
      return trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
    },
    async insert(trx: Kysely<Database>, values: Insertable<UserTable>): Promise<number> {
      return (await trx.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow()).id
    },
    async addRole(trx: Kysely<Database>, userId: number, role: Role, establishmentId: number | null) {
      await trx.insertInto('user_roles').values({ user_id: userId, role, establishment_id: establishmentId }).execute()
    },
    rolesIn(trx: Kysely<Database>, userId: number, establishmentId: number) {
      return trx
        .selectFrom('user_roles')
        .select('role')
        .where('user_id', '=', userId)
        .where('establishment_id', '=', establishmentId)
        .execute()
    },
    /** Removes the user's roles in the establishment (null: their national roles); returns the roles removed. */
    removeRoles(trx: Kysely<Database>, userId: number, establishmentId: number | null) {
      return trx
        .deleteFrom('user_roles')
        .where('user_id', '=', userId)
        .where('establishment_id', establishmentId === null ? 'is' : '=', establishmentId)
        .returning('role')
        .execute()
    },
    rolesForUsers(userIds: number[]) {
      if (userIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('user_roles')
        .leftJoin('establishments', 'establishments.id', 'user_roles.establishment_id')
        .select([
          'user_roles.id',
          'user_roles.user_id',
          'user_roles.role',
          'user_roles.establishment_id',
          'establishments.code',
          'establishments.name',
        ])
        .where('user_roles.user_id', 'in', userIds)
        .orderBy('establishments.code')
        .execute()
    },
  }
}

export type UsersRepository = ReturnType<typeof usersRepository>
