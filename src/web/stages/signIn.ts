import type { Express, Request } from 'express'
import type { AppParts } from '../parts'
import type { RequestContext } from '../context'

/**
 * 9. Anyone not signed in goes to sign-in, and comes back afterwards (to the form's page for a POST). A script's
 * request (asking for JSON) gets a 401 it can tell the user about, not the sign-in page as if it had worked. An API
 * that answers for itself (parts.isApi), and a page for anyone (parts.isPublicPage), are let through. A password an
 * admin set must be changed before anything else; changing it and signing out stay open.
 */
export function signInRequired(app: Express, parts: Pick<AppParts, 'isApi' | 'returnAfterSignIn' | 'isPublicPage'>) {
  const publicPaths = new Set(['/sign-in', '/sign-in/oidc', '/sign-in/oidc/callback'])
  app.use((req, res, next) => {
    if (res.locals.ctx || publicPaths.has(req.path) || parts.isApi(req) || parts.isPublicPage?.(req)) return next()
    if (req.accepts(['html', 'json']) === 'json') return void res.status(401).json({ status: 401, error: 'signed-out' })
    if (req.method === 'GET') req.session.returnTo = req.originalUrl
    else {
      const referer = req.get('referer')
      const back = parts.returnAfterSignIn(req) ?? (referer ? safeLocalPath(referer, req) : null)
      if (back) req.session.returnTo = back
    }
    res.redirect(303, '/sign-in')
  })

  const whileChangingPassword = new Set(['/account/password', '/sign-out'])
  app.use((req, res, next) => {
    const ctx = res.locals.ctx as RequestContext | undefined
    if (!ctx?.mustChangePassword || whileChangingPassword.has(req.path)) return next()
    res.redirect(303, '/account/password')
  })
}

/** A page of this service the referring URL names (never sign-in itself); null for anywhere else. */
function safeLocalPath(url: string, req: Request): string | null {
  try {
    const u = new URL(url)
    return u.host === req.get('host') && u.pathname !== '/sign-in' ? u.pathname + u.search : null
  } catch {
    return null
  }
}
