import type { Express } from 'express'
import session from 'express-session'
import type { Services } from '../../services'
import { DatabaseSessionStore } from '../../platform/auth/sessionStore'

/**
 * 5. Sessions in the database (web_sessions), with the idle and absolute timeouts; a redirect waits for the
 * session to be saved.
 */
export function sessions(app: Express, services: Services) {
  const { config } = services
  app.use(
    session({
      name: 'keywork.sid',
      secret: config.sessionSecret,
      store: new DatabaseSessionStore(
        services.db.db,
        config.sessionIdleMinutes * 60_000,
        config.sessionAbsoluteHours * 3_600_000,
      ),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        maxAge: config.sessionIdleMinutes * 60_000,
      },
    }),
  )
  // express-session sends the response headers before its save has finished, so a browser can follow a redirect
  // before the session (a sign-in, form errors, a flash message) is stored: save it first, then redirect.
  app.use((req, res, next) => {
    const redirect = res.redirect.bind(res) as (status: number, url: string) => void
    res.redirect = ((...args: [number, string] | [string]) => {
      const [status, url] = args.length === 1 ? [302, args[0]] : args
      if (!req.session) return redirect(status, url)
      // the router's next() carries on from the route that redirected, so a failed save reaches the error handler
      req.session.save(err => (err ? next(err) : redirect(status, url)))
    }) as typeof res.redirect
    next()
  })
}
