import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { hashPassword, verifyPassword } from '../../platform/auth/passwords'
import { type Result, fail, ok } from '../../domain/result'
import type { EstablishmentsService } from '../establishments/service'
import { apiClientsRepository } from './repository'
import { type ApiScope, type ClientCreate, isApiScope } from './schema'

/**
 * The clients of the API for other services (/api/v1): OAuth 2.0 client credentials (RFC 6749 §4.4). A national admin
 * or an establishment admin makes a client (its id, and a secret shown once and kept as its argon2id hash, as
 * passwords are), with its scopes and the establishments it may read; a client exchanges its id and secret for a
 * bearer token that lasts TOKEN_TTL_SECONDS (kept as its SHA-256: it is 32 random bytes, too long to guess, and is
 * checked on every call, where argon2 would cost 50 ms). Calls are counted per client in fixed minutes in the
 * database, so the limit holds across instances. Every issue, refusal and call is audited by the routes through
 * `audit` here.
 */

export const TOKEN_TTL_SECONDS = 900
export const CLIENT_ID_PREFIX = 'kwc_'
export const CLIENT_SECRET_PREFIX = 'kws_'
export const ACCESS_TOKEN_PREFIX = 'kwa_'
const ACCESS_TOKEN_PATTERN = /^kwa_[A-Za-z0-9_-]{43}$/
const WINDOW_MS = 60_000

const sha256 = (v: string) => createHash('sha256').update(v, 'utf8').digest('hex')

/** Who is calling: a client with a valid, unexpired token. */
export interface ApiCaller {
  id: number
  clientId: string
  name: string
  /** the scopes of the token (a subset of the client's) */
  scopes: Set<ApiScope>
  /** the establishments it may read: every one, or these ids */
  establishments: 'all' | Set<number>
  rateLimitPerMinute: number
}

export type TokenIssue =
  | { ok: true; accessToken: string; expiresIn: number; scopes: ApiScope[] }
  | { ok: false; error: 'invalid_client' | 'invalid_scope'; description: string }

export type RateCheck =
  | { ok: true; limit: number; remaining: number; resetSeconds: number }
  | { ok: false; limit: number; retryAfterSeconds: number }

export const actorOfCaller = (c: { clientId: string; name: string }): Actor => ({
  userId: null,
  username: `API client: ${c.name} (${c.clientId})`,
  establishmentId: null,
})

/** An argon2id hash of nothing anyone holds, verified against when the client id is unknown (the same time). */
let decoy: Promise<string> | undefined

export function apiClientsService(
  db: Kysely<Database>,
  deps: { audit: AuditService; establishments: Pick<EstablishmentsService, 'byCode'> },
) {
  const repo = apiClientsRepository(db)
  const { audit } = deps

  return {
    /** Clients, newest first: an establishment's own, or (null: national) every one. */
    list: (owner: number | null) => repo.list(owner),

    /**
     * A new client: its id and secret, returned once. An establishment admin (owner: its id) may give a client only
     * its own establishment; the national team (owner null) any, several or all.
     */
    async create(
      actor: Actor,
      owner: number | null,
      input: ClientCreate,
    ): Promise<Result<{ id: number; clientId: string; clientSecret: string }>> {
      let establishmentIds: number[] = []
      if (input.establishments === 'all') {
        if (owner !== null)
          return fail({ establishments: 'Only the national team can give a client every establishment' })
      } else {
        const problems: string[] = []
        for (const code of input.establishments) {
          const e = await deps.establishments.byCode(code)
          if (!e) problems.push(`There is no establishment with the code ${code}`)
          else if (owner !== null && e.id !== owner) problems.push(`You can give a client only your own establishment`)
          else establishmentIds.push(e.id)
        }
        if (problems.length > 0) return fail({ establishments: problems.join('. ') })
        establishmentIds = [...new Set(establishmentIds)].sort((a, b) => a - b)
      }
      const clientId = CLIENT_ID_PREFIX + randomBytes(12).toString('base64url')
      const clientSecret = CLIENT_SECRET_PREFIX + randomBytes(32).toString('base64url')
      const secretHash = await hashPassword(clientSecret)
      const id = await db.transaction().execute(async trx => {
        const id = await repo.insert(
          trx,
          {
            client_id: clientId,
            name: input.name,
            secret_hash: secretHash,
            scopes: input.scopes.join(' '),
            all_establishments: input.establishments === 'all' ? 1 : 0,
            owner_establishment_id: owner,
            rate_limit_per_minute: input.rateLimitPerMinute,
            created_by_user_id: actor.userId,
            created_by: actor.username ?? 'unknown',
            created_at: new Date().toISOString(),
          },
          establishmentIds,
        )
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'api_client',
          entityId: clientId,
          establishmentId: owner,
          changes: {
            name: input.name,
            scopes: input.scopes,
            establishments: input.establishments,
            rateLimitPerMinute: input.rateLimitPerMinute,
          },
        })
        return id
      })
      return ok({ id, clientId, clientSecret })
    },

    /** Revokes a client and every token it holds. 'not-found': no such client, or not the establishment's own. */
    async revoke(actor: Actor, owner: number | null, clientId: string): Promise<'revoked' | 'already' | 'not-found'> {
      return db.transaction().execute(async trx => {
        const row = await repo.byClientId(trx, clientId)
        if (!row || (owner !== null && row.owner_establishment_id !== owner)) return 'not-found' as const
        if (row.revoked_at !== null) return 'already' as const
        await repo.revoke(trx, row.id, new Date().toISOString(), actor.username ?? 'unknown')
        await audit.record(trx, actor, {
          action: 'revoke',
          entity: 'api_client',
          entityId: clientId,
          establishmentId: row.owner_establishment_id,
          changes: { name: row.name },
        })
        return 'revoked' as const
      })
    },

    /**
     * The client credentials grant: a bearer token for the scopes asked for (all the client's when none), audited
     * whether issued or refused. An unknown client, a wrong secret or a revoked client: invalid_client; a scope
     * unknown or not the client's: invalid_scope.
     */
    async issueToken(clientId: string, secret: string, scopeParam: string | undefined): Promise<TokenIssue> {
      const row = clientId ? await repo.byClientId(db, clientId) : undefined
      decoy ??= hashPassword(randomBytes(16).toString('hex'))
      const secretOk = await verifyPassword(row ? row.secret_hash : await decoy, secret)
      const refuse = async (reason: string, error: 'invalid_client' | 'invalid_scope', description: string) => {
        await audit.recordAlone(
          row ? actorOfCaller({ clientId: row.client_id, name: row.name }) : actorOfCaller({ clientId, name: '?' }),
          {
            action: 'refused',
            entity: 'api_client',
            entityId: row ? row.client_id : null,
            establishmentId: row?.owner_establishment_id ?? null,
            changes: { reason, path: '/api/v1/oauth/token', ...(row ? {} : { clientId: clientId.slice(0, 40) }) },
          },
        )
        return { ok: false as const, error, description }
      }
      if (!row || !secretOk)
        return refuse(row ? 'wrong secret' : 'unknown client', 'invalid_client', 'Client authentication failed')
      if (row.revoked_at !== null) return refuse('revoked', 'invalid_client', 'Client authentication failed')
      const granted = row.scopes.split(' ').filter(isApiScope)
      let scopes: ApiScope[] = granted
      if (scopeParam !== undefined && scopeParam.trim() !== '') {
        const asked = [...new Set(scopeParam.trim().split(/ +/))]
        const bad = asked.filter(s => !isApiScope(s) || !granted.includes(s))
        if (bad.length > 0)
          return refuse(
            `scope ${bad.join(' ').slice(0, 200)}`,
            'invalid_scope',
            `Not a scope this client may have: ${bad.join(' ').slice(0, 200)}`,
          )
        scopes = asked as ApiScope[]
      }
      const accessToken = ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url')
      const now = new Date()
      await db.transaction().execute(async trx => {
        await repo.insertToken(trx, {
          api_client_id: row.id,
          token_hash: sha256(accessToken),
          scopes: scopes.join(' '),
          issued_at: now.toISOString(),
          expires_at: new Date(now.getTime() + TOKEN_TTL_SECONDS * 1000).toISOString(),
        })
        await repo.used(trx, row.id, now.toISOString())
        await audit.record(trx, actorOfCaller({ clientId: row.client_id, name: row.name }), {
          action: 'create',
          entity: 'api_access_token',
          entityId: row.client_id,
          establishmentId: row.owner_establishment_id,
          changes: { scopes, expiresInSeconds: TOKEN_TTL_SECONDS },
        })
      })
      return { ok: true, accessToken, expiresIn: TOKEN_TTL_SECONDS, scopes }
    },

    /** The caller a bearer token stands for; 'invalid' for a malformed, unknown, expired or revoked one. */
    async authenticate(token: string): Promise<ApiCaller | 'invalid'> {
      if (!ACCESS_TOKEN_PATTERN.test(token)) return 'invalid'
      const row = await repo.tokenByHash(db, sha256(token))
      if (!row || row.revoked_at !== null || row.expires_at <= new Date().toISOString()) return 'invalid'
      return {
        id: row.id,
        clientId: row.client_id,
        name: row.name,
        scopes: new Set(row.token_scopes.split(' ').filter(isApiScope)),
        establishments: row.all_establishments === 1 ? 'all' : new Set(await repo.establishmentIds(db, row.id)),
        rateLimitPerMinute: row.rate_limit_per_minute,
      }
    },

    /** Counts a call against the caller's limit for the current minute. */
    async rate(caller: ApiCaller, nowMs = Date.now()): Promise<RateCheck> {
      const start = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS
      const hits = await repo.hit(caller.id, new Date(start).toISOString())
      const resetSeconds = Math.max(1, Math.ceil((start + WINDOW_MS - nowMs) / 1000))
      const limit = caller.rateLimitPerMinute
      if (hits > limit) return { ok: false, limit, retryAfterSeconds: resetSeconds }
      return { ok: true, limit, remaining: limit - hits, resetSeconds }
    },

    /** Whether the caller may read the establishment. */
    mayRead: (caller: ApiCaller, establishmentId: number) =>
      caller.establishments === 'all' || caller.establishments.has(establishmentId),
  }
}

export type ApiClientsService = ReturnType<typeof apiClientsService>
