import type { Request } from 'express'
import type { Services } from '../../services'
import { type RouteDef, get } from '../../web/routing'
import { isLocalPath } from '../../domain/localPath'
import type { PendingSignIn, SsoRefusal } from './service'

declare module 'express-session' {
  interface SessionData {
    /** state, nonce and PKCE verifier of a sign-in sent to the OpenID provider, until it returns */
    oidcPending?: PendingSignIn
    /** the provider's ID token, for its end-session (sign-out) */
    oidcIdToken?: string
  }
}

/** What the refused page says, by reason. */
const REFUSALS: Record<SsoRefusal, string> = {
  failed: 'The sign-in could not be completed. Go back to the sign-in page and try again.',
  disabled: 'Your Key Work account has been disabled. Ask your establishment admin if you need it again.',
  unknown:
    'You do not have a Key Work account. Ask your establishment admin to add you, or to give you a Key Work role.',
  'no-role': 'You do not have a Key Work role. Ask your establishment admin to give you one.',
  'subject-mismatch':
    'Your Key Work account is linked to a different sign-in. Ask your establishment admin to check your account.',
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate(err => (err ? reject(err) : resolve())))
}

/** Single sign-on: to the OpenID provider, and back. Both public (the user is not signed in yet). */
export function ssoRoutes(s: Services): RouteDef[] {
  return [
    get('/sign-in/oidc', 'public', async (req, res) => {
      if (res.locals.ctx) return res.redirect('/')
      let start: Awaited<ReturnType<typeof s.sso.start>>
      try {
        start = await s.sso.start()
      } catch (e) {
        // the provider cannot be reached (its discovery document): say so, rather than a server error
        s.logger.warn({ err: e }, 'OpenID provider unreachable')
        const name = s.config.oidc?.providerName ?? 'single sign-on'
        return res.status(503).render('sso/views/refused', {
          message: `Sign in with ${name} is not available at the moment. Try again in a few minutes.`,
        })
      }
      if (!start) return res.redirect('/sign-in')
      req.session.oidcPending = start.pending
      res.redirect(start.url)
    }),

    get('/sign-in/oidc/callback', 'public', async (req, res) => {
      if (res.locals.ctx) return res.redirect('/')
      const pending = req.session.oidcPending
      // nothing sent to the provider from this browser (a bookmark, the back button): nothing to complete
      if (!pending) return res.redirect('/sign-in')
      delete req.session.oidcPending
      const at = req.originalUrl.indexOf('?')
      const query = at === -1 ? '' : req.originalUrl.slice(at)
      const result = await s.sso.finish(query, pending, req.ip ?? 'unknown')
      if (!result.ok) {
        return res.status(403).render('sso/views/refused', { message: REFUSALS[result.reason] })
      }
      const { returnTo } = req.session
      // a new session id at sign-in defeats session fixation
      await regenerate(req)
      req.session.userId = result.user.id
      req.session.oidcIdToken = result.idToken
      const first = result.grants.find(g => g.establishmentId !== null)
      if (first?.establishmentId) req.session.establishmentId = first.establishmentId
      res.redirect(303, returnTo && isLocalPath(returnTo) ? returnTo : '/')
    }),
  ]
}
