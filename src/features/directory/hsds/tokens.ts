import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../platform/db/types'
import type { Actor, AuditService } from '../../../platform/audit/service'
import type { Owner } from './repository'
import { tokenRepository } from './tokenRepository'

/**
 * Read-only HSDS API tokens: an establishment admin (or the national team, for the national services) gives one to a
 * partner, who sends it as `Authorization: Bearer <token>`. A token is 32 random bytes, shown once when created;
 * only its SHA-256 is stored. Every use and every refused token is audited, and a use records when it was last used.
 */

/** Marks keywork's tokens, so one pasted in the wrong place is recognisable. */
export const TOKEN_PREFIX = 'kwh_'
const TOKEN_PATTERN = /^kwh_[A-Za-z0-9_-]{43}$/
export const NAME_MAX = 100

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/** Who a token speaks for: its owner's services are what it reads. */
export interface TokenCaller {
  tokenId: number
  name: string
  owner: Owner
}

/** The request a token came with, for the audit trail. */
export interface TokenRequest {
  method: string
  path: string
}

export type TokenCheck = { ok: true; caller: TokenCaller } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' }

const ENTITY = 'api_token'
const cap = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s)

export function tokensService(db: Kysely<Database>, audit: AuditService) {
  const repo = tokenRepository(db)

  return {
    list: (owner: Owner) => repo.list(owner),

    /** A new token for a partner: returned once, here, and never again. */
    async create(actor: Actor, owner: Owner, name: string): Promise<{ id: number; token: string }> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const id = await db.transaction().execute(async trx => {
        const id = await repo.insert(trx, {
          establishment_id: owner,
          name,
          token_hash: hashToken(token),
          created_by_user_id: actor.userId,
          created_by: actor.username ?? 'unknown',
          created_at: new Date().toISOString(),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: ENTITY,
          entityId: id,
          establishmentId: owner,
          changes: { name },
        })
        return id
      })
      return { id, token }
    },

    /** 'not-found' when the token is not this owner's; revoking a revoked token changes nothing. */
    async revoke(actor: Actor, owner: Owner, id: number): Promise<'revoked' | 'already' | 'not-found'> {
      return db.transaction().execute(async trx => {
        const row = await repo.byId(trx, owner, id)
        if (!row) return 'not-found' as const
        if (row.revoked_at !== null) return 'already' as const
        await repo.revoke(trx, id, new Date().toISOString(), actor.username ?? 'unknown')
        await audit.record(trx, actor, {
          action: 'revoke',
          entity: ENTITY,
          entityId: id,
          establishmentId: owner,
          changes: { name: row.name },
        })
        return 'revoked' as const
      })
    },

    /**
     * Checks a bearer token and audits the outcome: a use (with the path read) and its last-used time, or a refusal
     * (malformed, unknown or revoked; for an unknown one, the first characters of its hash, never the token).
     */
    async check(token: string, request: TokenRequest): Promise<TokenCheck> {
      const now = new Date().toISOString()
      const where = { method: request.method, path: cap(request.path) }
      const hash = hashToken(token)
      return db.transaction().execute(async trx => {
        const row = TOKEN_PATTERN.test(token) ? await repo.byHash(trx, hash) : undefined
        if (!row || row.revoked_at !== null) {
          const reason = !TOKEN_PATTERN.test(token) ? 'malformed' : !row ? 'unknown' : 'revoked'
          await audit.record(
            trx,
            { userId: null, username: row ? `API token: ${row.name}` : 'API token', establishmentId: null },
            {
              action: 'refused',
              entity: ENTITY,
              entityId: row?.id ?? null,
              establishmentId: row?.establishment_id ?? null,
              changes: { reason, ...where, status: 401, ...(row ? {} : { hash_prefix: hash.slice(0, 12) }) },
            },
          )
          return { ok: false as const, reason }
        }
        await repo.used(trx, row.id, now)
        await audit.record(
          trx,
          { userId: null, username: `API token: ${row.name}`, establishmentId: row.establishment_id },
          { action: 'view', entity: 'hsds_api', entityId: row.id, changes: where },
        )
        return { ok: true as const, caller: { tokenId: row.id, name: row.name, owner: row.establishment_id } }
      })
    },
  }
}

export type TokensService = ReturnType<typeof tokensService>
