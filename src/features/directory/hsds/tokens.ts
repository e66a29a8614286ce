import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { ApiTokenScope, Database } from '../../../platform/db/types'
import type { Actor, AuditService } from '../../../platform/audit/service'
import { type Result, fail, ok } from '../../../domain/result'
import type { Owner } from './repository'
import { tokenRepository } from './tokenRepository'

/**
 * API tokens: an establishment admin (or the national team, for the national services) gives one to a partner, who
 * sends it as `Authorization: Bearer <token>`. A token is 32 random bytes, shown once when created; only its SHA-256
 * is stored. Each token has one scope, chosen when it is made: 'hsds' reads the services directory (the HSDS API,
 * read-only); 'xapi' is an establishment's learning record store sending and reading training records
 * (features/trainingRecords, /api/xapi/statements), and only an establishment has one. Each API takes only its own
 * scope. Every use and every refused token is audited, and a use records when it was last used.
 */

/** Marks keywork's tokens, so one pasted in the wrong place is recognisable. */
export const TOKEN_PREFIX = 'kwh_'
const TOKEN_PATTERN = /^kwh_[A-Za-z0-9_-]{43}$/
export const NAME_MAX = 100

export const SCOPES = ['hsds', 'xapi'] as const satisfies readonly ApiTokenScope[]
export type { ApiTokenScope }

/** A token's purpose in words: as the form offers it, and shorter, as the list and the audit trail show it. */
export const SCOPE_CHOICES: Record<ApiTokenScope, string> = {
  hsds: 'Services directory (HSDS API, read-only)',
  xapi: 'Training records (xAPI, for an establishment’s learning record store)',
}
export const SCOPE_NAMES: Record<ApiTokenScope, string> = {
  hsds: 'Services directory (HSDS API)',
  xapi: 'Training records (xAPI)',
}

/** Why the national team cannot make an xAPI token (the form and the service say the same). */
export const NATIONAL_XAPI_REFUSED =
  'Only an establishment has a training records (xAPI) token: its admin makes one for its learning record store. ' +
  'Choose services directory'

/** The audit entity of a token's use, by scope. */
const USE_ENTITY: Record<ApiTokenScope, string> = { hsds: 'hsds_api', xapi: 'xapi_api' }

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/** Who a token speaks for: its owner's services are what it reads. */
export interface TokenCaller {
  tokenId: number
  name: string
  owner: Owner
  scope: ApiTokenScope
}

/** The request a token came with, for the audit trail. */
export interface TokenRequest {
  method: string
  path: string
}

/**
 * A token refused: 'malformed', 'unknown' or 'revoked' (answered 401), or 'scope' (answered 403: a valid token made
 * for the other API, or a national token where an establishment's is needed), with the token's own scope and owner.
 */
export type TokenRefusal =
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'scope'; scope: ApiTokenScope; owner: Owner }

export type TokenCheck = { ok: true; caller: TokenCaller } | TokenRefusal

const ENTITY = 'api_token'
const cap = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}…` : s)

export function tokensService(db: Kysely<Database>, audit: AuditService) {
  const repo = tokenRepository(db)

  return {
    list: (owner: Owner) => repo.list(owner),

    /**
     * A new token for a partner: returned once, here, and never again. An xAPI token is an establishment's only: a
     * national one is refused (errors.scope).
     */
    async create(
      actor: Actor,
      owner: Owner,
      name: string,
      scope: ApiTokenScope,
    ): Promise<Result<{ id: number; token: string }>> {
      if (scope === 'xapi' && owner === null) return fail({ scope: NATIONAL_XAPI_REFUSED })
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const id = await db.transaction().execute(async trx => {
        const id = await repo.insert(trx, {
          establishment_id: owner,
          name,
          scope,
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
          changes: { name, purpose: SCOPE_NAMES[scope] },
        })
        return id
      })
      return ok({ id, token })
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
     * Checks a bearer token for an API (`scope`) and audits the outcome: a use (with the path read) and its last-used
     * time, or a refusal (malformed, unknown or revoked; for an unknown one, the first characters of its hash, never
     * the token; or a token of the other scope, or a national token for xAPI, which only an establishment has).
     */
    async check(token: string, request: TokenRequest, scope: ApiTokenScope): Promise<TokenCheck> {
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
        const who = { userId: null, username: `API token: ${row.name}`, establishmentId: row.establishment_id }
        if (row.scope !== scope || (scope === 'xapi' && row.establishment_id === null)) {
          await audit.record(trx, who, {
            action: 'refused',
            entity: ENTITY,
            entityId: row.id,
            establishmentId: row.establishment_id,
            changes: { reason: 'another purpose', purpose: SCOPE_NAMES[row.scope], ...where, status: 403 },
          })
          return { ok: false as const, reason: 'scope' as const, scope: row.scope, owner: row.establishment_id }
        }
        await repo.used(trx, row.id, now)
        await audit.record(trx, who, { action: 'view', entity: USE_ENTITY[scope], entityId: row.id, changes: where })
        return {
          ok: true as const,
          caller: { tokenId: row.id, name: row.name, owner: row.establishment_id, scope: row.scope },
        }
      })
    },
  }
}

export type TokensService = ReturnType<typeof tokensService>
