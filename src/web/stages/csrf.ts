import type { Express } from 'express'
import { csrfSync } from 'csrf-sync'
import type { AppParts } from '../parts'

export type Csrf = ReturnType<typeof csrfSync>

/**
 * 10. CSRF on every state-changing request, whatever its content type (a synchroniser token in the session). Multipart
 * is checked after the file is parsed, by the upload route (mount.ts), and refused by every other route. An API
 * call with no sign-in (GET only) gets no token: one stored in a session would start a session per call.
 */
export function csrfProtection(app: Express, parts: Pick<AppParts, 'isApi'>): Csrf {
  const csrf = csrfSync({ getTokenFromRequest: req => (req.body as Record<string, string> | undefined)?._csrf })
  app.use((req, res, next) => {
    if (!res.locals.ctx && parts.isApi(req)) return next()
    res.locals.csrfToken = csrf.generateToken(req)
    if (req.is('multipart/form-data')) return next()
    csrf.csrfSynchronisedProtection(req, res, next)
  })
  return csrf
}
