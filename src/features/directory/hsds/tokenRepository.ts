import type { Kysely } from 'kysely'
import type { ApiTokenScope, Database } from '../../../platform/db/types'
import type { Owner } from './repository'

/** The API tokens of one owner: an establishment (its id) or the national team (null). */
export function tokenRepository(db: Kysely<Database>) {
  const ofOwner = (owner: Owner) =>
    owner === null
      ? db.selectFrom('api_tokens').where('establishment_id', 'is', null)
      : db.selectFrom('api_tokens').where('establishment_id', '=', owner)

  return {
    /** Newest first; never the hash. */
    list(owner: Owner) {
      return ofOwner(owner)
        .select(['id', 'name', 'scope', 'created_by', 'created_at', 'last_used_at', 'revoked_at', 'revoked_by'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },

    byId(trx: Kysely<Database>, owner: Owner, id: number) {
      const q = trx.selectFrom('api_tokens').selectAll().where('id', '=', id)
      return (
        owner === null ? q.where('establishment_id', 'is', null) : q.where('establishment_id', '=', owner)
      ).executeTakeFirst()
    },

    byHash(trx: Kysely<Database>, hash: string) {
      return trx.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst()
    },

    async insert(
      trx: Kysely<Database>,
      row: {
        establishment_id: number | null
        name: string
        scope: ApiTokenScope
        token_hash: string
        created_by_user_id: number | null
        created_by: string
        created_at: string
      },
    ): Promise<number> {
      const r = await trx.insertInto('api_tokens').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },

    async revoke(trx: Kysely<Database>, id: number, at: string, by: string) {
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
    },

    async used(trx: Kysely<Database>, id: number, at: string) {
      await trx.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
    },
  }
}

export type TokenRepository = ReturnType<typeof tokenRepository>
