import { type Kysely, sql } from 'kysely'
import type { Database } from '../../platform/db/types'

/** The clients of /api/v1, their establishments, the bearer tokens issued to them and their rate windows. */
export function apiClientsRepository(db: Kysely<Database>) {
  return {
    /** Clients, newest first: those an establishment manages, or (null) every client; never a hash. */
    list(owner: number | null) {
      let q = db
        .selectFrom('api_clients')
        .select([
          'id',
          'client_id',
          'name',
          'scopes',
          'all_establishments',
          'owner_establishment_id',
          'rate_limit_per_minute',
          'created_by',
          'created_at',
          'last_used_at',
          'revoked_at',
          'revoked_by',
        ])
      if (owner !== null) q = q.where('owner_establishment_id', '=', owner)
      return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    },

    byClientId(trx: Kysely<Database>, clientId: string) {
      return trx.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst()
    },

    async establishmentIds(trx: Kysely<Database>, apiClientId: number): Promise<number[]> {
      const rows = await trx
        .selectFrom('api_client_establishments')
        .select('establishment_id')
        .where('api_client_id', '=', apiClientId)
        .orderBy('establishment_id')
        .execute()
      return rows.map(r => r.establishment_id)
    },

    async insert(
      trx: Kysely<Database>,
      row: {
        client_id: string
        name: string
        secret_hash: string
        scopes: string
        all_establishments: number
        owner_establishment_id: number | null
        rate_limit_per_minute: number
        created_by_user_id: number | null
        created_by: string
        created_at: string
      },
      establishmentIds: number[],
    ): Promise<number> {
      const r = await trx.insertInto('api_clients').values(row).returning('id').executeTakeFirstOrThrow()
      const id = Number(r.id)
      if (establishmentIds.length > 0)
        await trx
          .insertInto('api_client_establishments')
          .values(establishmentIds.map(establishment_id => ({ api_client_id: id, establishment_id })))
          .execute()
      return id
    },

    async revoke(trx: Kysely<Database>, id: number, at: string, by: string) {
      await trx
        .updateTable('api_clients')
        .set({ revoked_at: at, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
      // its tokens stop at once (they are checked against the client too)
      await trx.deleteFrom('api_access_tokens').where('api_client_id', '=', id).execute()
    },

    async used(trx: Kysely<Database>, id: number, at: string) {
      await trx.updateTable('api_clients').set({ last_used_at: at }).where('id', '=', id).execute()
    },

    async insertToken(
      trx: Kysely<Database>,
      row: { api_client_id: number; token_hash: string; scopes: string; issued_at: string; expires_at: string },
    ) {
      await trx.insertInto('api_access_tokens').values(row).execute()
      // expired tokens are of no use to anyone: cleared as new ones are issued
      await trx.deleteFrom('api_access_tokens').where('expires_at', '<', row.issued_at).execute()
    },

    /** A token with its client. */
    tokenByHash(trx: Kysely<Database>, hash: string) {
      return trx
        .selectFrom('api_access_tokens as t')
        .innerJoin('api_clients as c', 'c.id', 't.api_client_id')
        .select([
          't.id as token_id',
          't.scopes as token_scopes',
          't.expires_at',
          'c.id',
          'c.client_id',
          'c.name',
          'c.all_establishments',
          'c.rate_limit_per_minute',
          'c.revoked_at',
        ])
        .where('t.token_hash', '=', hash)
        .executeTakeFirst()
    },

    /**
     * Counts a call in the client's window (a fixed minute, its start as ISO text) and returns the calls counted in
     * it so far, this one included: one statement, so concurrent calls on any instance each get their own count.
     */
    async hit(apiClientId: number, windowStart: string): Promise<number> {
      const r = await db
        .insertInto('api_rate_windows')
        .values({ api_client_id: apiClientId, window_start: windowStart, hits: 1 })
        .onConflict(oc =>
          oc.columns(['api_client_id', 'window_start']).doUpdateSet({ hits: sql<number>`api_rate_windows.hits + 1` }),
        )
        .returning('hits')
        .executeTakeFirstOrThrow()
      const hits = Number(r.hits)
      // the first call of a window clears the client's earlier windows
      if (hits === 1)
        await db
          .deleteFrom('api_rate_windows')
          .where('api_client_id', '=', apiClientId)
          .where('window_start', '<', windowStart)
          .execute()
      return hits
    },
  }
}

export type ApiClientsRepository = ReturnType<typeof apiClientsRepository>
