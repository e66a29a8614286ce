import type { Kysely } from 'kysely'
import * as oidc from 'openid-client'
import type { OidcConfig } from '../../config'
import type { Database, User } from '../../platform/db/types'
import type { AuditService } from '../../platform/audit/service'
import type { RoleGrant } from '../../domain/roles'
import { grantsFromClaims, jwtPayload, sameGrants } from '../../domain/ssoClaims'
import { ssoRepository } from './repository'

/** What the sign-in keeps in the session between sending the user to the provider and their return. */
export interface PendingSignIn {
  state: string
  nonce: string
  verifier: string
}

export type SsoRefusal = 'failed' | 'disabled' | 'unknown' | 'no-role' | 'subject-mismatch'

export type SsoResult =
  { ok: true; user: User; grants: RoleGrant[]; idToken: string } | { ok: false; reason: SsoRefusal }

/**
 * Single sign-on with OpenID Connect (authorisation code with PKCE, state and nonce), through openid-client. The
 * provider's metadata is discovered at the first sign-in (and again after a failure). An account is found by the
 * provider's subject, else by username (its subject is then stored); its roles come from the claims when a roles
 * claim is configured (replacing its keywork roles, audited), else from keywork's own roles. Every outcome audited.
 */
export function ssoService(db: Kysely<Database>, audit: AuditService, settings: OidcConfig | null) {
  const repo = ssoRepository(db)
  let discovered: Promise<oidc.Configuration> | undefined

  function provider(s: OidcConfig): Promise<oidc.Configuration> {
    const issuer = new URL(s.issuerUrl)
    // plain http only on the loopback (a provider started by the tests, or a developer's)
    const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
    discovered ??= oidc
      .discovery(
        issuer,
        s.clientId,
        s.clientSecret,
        undefined,
        loopback ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((e: unknown) => {
        discovered = undefined
        throw e
      })
    return discovered
  }

  const refuse = async (reason: SsoRefusal, address: string, user?: { id: number; username: string }) => {
    await audit.recordAlone(
      { userId: user?.id ?? null, username: user?.username ?? null, establishmentId: null },
      {
        action: 'sign-in-failed',
        entity: 'user',
        entityId: user?.id ?? null,
        changes: { address, via: 'oidc', reason },
      },
    )
    return { ok: false, reason } as const
  }

  return {
    settings,

    /** The provider's authorisation URL and what to check on return; null when single sign-on is not configured. */
    async start(): Promise<{ url: string; pending: PendingSignIn } | null> {
      if (!settings) return null
      const config = await provider(settings)
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() }
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      })
      return { url: url.href, pending }
    },

    /**
     * The provider's answer (query: the callback's query string) checked against what start gave (state, nonce,
     * PKCE), the tokens fetched, and the account found, created or refused.
     */
    async finish(query: string, pending: PendingSignIn | undefined, address: string): Promise<SsoResult> {
      if (!settings || !pending) return refuse('failed', address)
      let claims: Record<string, unknown>
      let idToken: string
      try {
        const config = await provider(settings)
        const current = new URL(settings.redirectUrl)
        current.search = query
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        })
        const idClaims = tokens.claims()
        if (!idClaims || !tokens.id_token) return refuse('failed', address)
        idToken = tokens.id_token
        // roles and caseloads are often in userinfo, or in a JWT access token (HMPPS Auth's `authorities`), rather
        // than in the ID token; the ID token wins, then userinfo. Both tokens came straight from the token endpoint.
        claims = { ...jwtPayload(tokens.access_token), ...idClaims }
        if (config.serverMetadata().userinfo_endpoint) {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
          claims = { ...jwtPayload(tokens.access_token), ...info, ...idClaims }
        }
      } catch {
        return refuse('failed', address)
      }
      const subject = String(claims.sub)
      const username = String(claims[settings.usernameClaim] ?? '')
        .trim()
        .toLowerCase()
      const codes = await repo.establishmentIds()
      const fromClaims = grantsFromClaims(claims, settings, code => codes.get(code))

      const outcome = await db.transaction().execute(async trx => {
        let user = (await repo.bySubject(trx, subject)) ?? (username ? await repo.byUsername(trx, username) : undefined)
        if (user && user.oidc_subject !== null && user.oidc_subject !== subject)
          return { refused: 'subject-mismatch', user } as const
        if (user && user.enabled !== 1) return { refused: 'disabled', user } as const
        const at = new Date().toISOString()
        if (!user) {
          // an unknown person becomes a user only if the claims give them a role
          if (!username || !fromClaims || fromClaims.length === 0) return { refused: 'unknown' } as const
          const displayName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : username
          const email = typeof claims.email === 'string' ? claims.email : null
          const id = await repo.create(trx, { username, displayName, email, subject, at })
          user = (await repo.bySubject(trx, subject))!
          await audit.record(
            trx,
            { userId: id, username, establishmentId: null },
            { action: 'create', entity: 'user', entityId: id, changes: { username, via: 'oidc' } },
          )
        } else if (user.oidc_subject === null) {
          await repo.setSubject(trx, user.id, subject)
        }
        const actor = { userId: user.id, username: user.username, establishmentId: null }
        if (fromClaims) {
          const before = await repo.grants(trx, user.id)
          if (fromClaims.length === 0) return { refused: 'no-role', user } as const
          if (!sameGrants(before, fromClaims)) {
            await repo.replaceGrants(trx, user.id, fromClaims)
            await audit.record(trx, actor, {
              action: 'update',
              entity: 'user_roles',
              entityId: user.id,
              changes: { roles: { from: before, to: fromClaims }, via: 'oidc claims' },
            })
          }
        }
        const grants = await repo.grants(trx, user.id)
        if (grants.length === 0) return { refused: 'no-role', user } as const
        await repo.signedIn(trx, user.id, at)
        await audit.record(trx, actor, {
          action: 'sign-in',
          entity: 'user',
          entityId: user.id,
          changes: { address, via: 'oidc' },
        })
        return { user, grants }
      })
      if (outcome.refused) return refuse(outcome.refused, address, outcome.user)
      return { ok: true, user: outcome.user, grants: outcome.grants, idToken }
    },

    /** The provider's end-session URL (RP-initiated logout), or null when there is none to go to. */
    async endSessionUrl(idToken: string | undefined): Promise<string | null> {
      if (!settings || !idToken) return null
      try {
        const config = await provider(settings)
        if (!config.serverMetadata().end_session_endpoint) return null
        return oidc.buildEndSessionUrl(config, {
          id_token_hint: idToken,
          post_logout_redirect_uri: settings.postLogoutRedirectUrl,
        }).href
      } catch {
        return null
      }
    },
  }
}

export type SsoService = ReturnType<typeof ssoService>
