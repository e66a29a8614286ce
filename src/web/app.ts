import crypto from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import path from 'node:path'
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express'
import session from 'express-session'
import helmet from 'helmet'
import multer from 'multer'
import { pinoHttp } from 'pino-http'
import { csrfSync } from 'csrf-sync'
import { rolesIn } from '../domain/roles'
import { DatabaseSessionStore } from '../platform/auth/sessionStore'
import type { Services } from '../services'
import { routes as allRoutes } from '../routes'
import type { RequestContext } from './context'
import { auditRefusal } from './audit'
import { HttpError } from './errors'
import { govukDir, mojDir, setUpNunjucks, srcDir } from './nunjucks'
import { type RouteDef, authorise } from './routing'
import { ping } from '../db/database'
import { redactUrl, requestLogOptions } from './requestLog'
import { keepUnsavedEntry } from '../features/sessions/unsaved'
import { statusPage } from '../features/status/routes'

export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024

export function createApp(services: Services) {
  const { config, logger } = services
  const app = express()
  app.set('trust proxy', 'loopback')
  app.disable('x-powered-by')
  // every page carries a fresh CSP nonce, so an ETag would never match: don't hash each body for one
  app.set('etag', false)

  // 1. health, before sessions so load balancers cost nothing
  app.get('/ping', (_req, res) => void res.json({ status: 'UP' }))
  app.get('/health', async (_req, res) => {
    try {
      await ping(services.db.db)
      res.json({ status: 'UP', version: config.version, database: services.db.dialect })
    } catch {
      res.status(503).json({ status: 'DOWN', version: config.version, database: services.db.dialect })
    }
  })

  if (config.logLevel !== 'silent') {
    app.use(
      pinoHttp({
        logger,
        genReqId: (req, res) => {
          const id = (req.headers['x-request-id'] as string | undefined) ?? crypto.randomUUID()
          res.setHeader('x-request-id', id)
          return id
        },
        autoLogging: config.logRequests,
        ...requestLogOptions,
      }),
    )
  }

  // 2. security headers with a per-request CSP nonce
  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString('base64')
    next()
  })
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
  )

  // 3. static assets, before sessions: a stylesheet or a font needs no session read. Cached as in production except
  // in development, where an edited stylesheet must show on the next load (the browser tests load ~300 pages: without
  // the cache each one revalidated its 7 assets)
  const cache = { maxAge: config.env === 'development' ? 0 : '7d' }
  app.use('/assets', express.static(path.join(govukDir, 'dist', 'govuk', 'assets'), cache))
  app.use('/assets/moj', express.static(path.join(mojDir, 'moj', 'assets'), cache))
  app.use('/static/govuk', express.static(path.join(govukDir, 'dist', 'govuk'), { ...cache, index: false }))
  app.use('/static/moj', express.static(path.join(mojDir, 'moj'), { ...cache, index: false }))
  app.use('/static/app', express.static(path.join(srcDir, 'web', 'public'), cache))
  // nothing after the assets may be kept by a browser or a proxy: pages, PDFs, CSVs and the API are personal
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  })
  // the status page for people, before sessions like /health: it must still answer when the database does not
  app.get('/status', statusPage(services))

  // 4. sessions in the database
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

  // 5. body parsing, with small limits: larger bodies get a 413
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 6000 }))
  app.use(express.json({ limit: '200kb' }))

  // 6. views
  setUpNunjucks(app, !config.templateReload)

  // 7-8. authentication, current user and establishment
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    res.locals.currentPath = req.path
    const userId = req.session.userId
    if (!userId) return next()
    const { user, grants } = await services.users.access(userId)
    if (!user || user.enabled !== 1) {
      delete req.session.userId
      return next()
    }
    const establishments = await services.establishments.available(grants)
    let establishment = establishments.find(e => e.id === req.session.establishmentId) ?? establishments[0] ?? null
    // a national user who has not chosen an establishment is on the national overview, not in the first one found
    const unchosen = req.session.establishmentId === undefined && grants.some(g => g.role === 'NATIONAL_POLICY')
    res.locals.noEstablishmentChosen = unchosen
    if (establishment && req.session.establishmentId !== establishment.id && !unchosen)
      req.session.establishmentId = establishment.id
    if (!establishment) establishment = null
    const ctx: RequestContext = {
      userId,
      username: user.username,
      displayName: user.display_name,
      grants,
      national: grants.some(g => g.role === 'NATIONAL_POLICY'),
      roles: rolesIn(grants, establishment?.id ?? null),
      establishments,
      establishment,
      mustChangePassword: user.must_change_password === 1,
    }
    res.locals.ctx = ctx
    if (req.session.flash) {
      res.locals.flash = req.session.flash
      delete req.session.flash
    }
    next()
  })

  // Anyone not signed in goes to sign-in, and comes back afterwards (to the form's page for a POST). A script's
  // request (asking for JSON) gets a 401 it can tell the user about, not the sign-in page as if it had worked.
  // The HSDS API answers for itself (features/directory/hsds/api.ts): a partner's token, or a JSON 401.
  const publicPaths = new Set(['/sign-in'])
  app.use((req, res, next) => {
    if (res.locals.ctx || publicPaths.has(req.path) || isHsdsApi(req)) return next()
    if (req.accepts(['html', 'json']) === 'json') return void res.status(401).json({ status: 401, error: 'signed-out' })
    if (req.method === 'GET') req.session.returnTo = req.originalUrl
    else {
      const referer = req.get('referer')
      const back = keepUnsavedEntry(req) ?? (referer ? safeLocalPath(referer, req) : null)
      if (back) req.session.returnTo = back
    }
    res.redirect(303, '/sign-in')
  })

  // A password an admin set must be changed before anything else; changing it and signing out stay open.
  const whileChangingPassword = new Set(['/account/password', '/sign-out'])
  app.use((req, res, next) => {
    const ctx = res.locals.ctx as RequestContext | undefined
    if (!ctx?.mustChangePassword || whileChangingPassword.has(req.path)) return next()
    res.redirect(303, '/account/password')
  })

  // 9. CSRF on every form; uploads are checked after the file is parsed, in their own route
  const csrf = csrfSync({ getTokenFromRequest: req => (req.body as Record<string, string> | undefined)?._csrf })
  app.use((req, res, next) => {
    // a partner's API call (no sign-in, GET only) gets no session: a token stored in one would start one per call
    if (!res.locals.ctx && isHsdsApi(req)) return next()
    res.locals.csrfToken = csrf.generateToken(req)
    if (req.is('multipart/form-data')) return next()
    csrf.csrfSynchronisedProtection(req, res, next)
  })
  // only upload routes parse multipart: any other route refuses it, so no handler runs without a checked token
  const refuseMultipart: RequestHandler = (req, _res, next) =>
    next(req.is('multipart/form-data') ? new HttpError(415) : undefined)

  // 10. routes, each with its access rule
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20 },
  })
  const defs = allRoutes(services)
  for (const def of defs) {
    const chain = [authorise(def.access)]
    if (def.method === 'post' && !def.upload && !def.ownUpload) chain.push(refuseMultipart)
    if (def.upload) {
      chain.push(upload.single(def.upload), (req, res, next) => {
        if (!csrf.isRequestValid(req)) return next(csrf.invalidCsrfTokenError)
        next()
      })
    }
    app[def.method](def.path, ...chain, def.handler)
  }
  app.locals.routeDefs = defs

  // 11. not found, and errors
  app.use((_req, _res, next) => next(new HttpError(404)))
  app.use(errorHandler(services))
  return app
}

/** The HSDS API (features/directory/hsds/api.ts), whose every answer is JSON. */
export const isHsdsApi = (req: Request) => req.path === '/api/hsds' || req.path.startsWith('/api/hsds/')

function safeLocalPath(url: string, req: Request): string | null {
  try {
    const u = new URL(url)
    return u.host === req.get('host') && u.pathname !== '/sign-in' ? u.pathname + u.search : null
  } catch {
    return null
  }
}

export function routeDefsOf(app: express.Express): RouteDef[] {
  return app.locals.routeDefs as RouteDef[]
}

function errorHandler(services: Services): ErrorRequestHandler {
  return async (err: unknown, req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; code?: string; type?: string }
    let status = err instanceof HttpError ? err.status : (e.status ?? e.statusCode ?? 500)
    if (e.code === 'LIMIT_FILE_SIZE' || e.type === 'entity.too.large') status = 413
    else if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) status = 400
    // the HSDS API's errors are JSON, whatever the request accepts
    const api = isHsdsApi(req)
    if (status === 401 && !api) return res.redirect(303, '/sign-in')
    if (status >= 500) services.logger.error({ err, url: redactUrl(req.originalUrl) }, 'request failed')
    const csrfFailed = e.code === 'EBADCSRFTOKEN'
    // a refused attempt at personal data is audited like a view of it; this never throws
    await auditRefusal(services.audit, services.logger, req, res, status, csrfFailed)
    const view =
      status === 404
        ? 'errors/404'
        : status === 403
          ? 'errors/403'
          : status === 413
            ? 'errors/413'
            : status === 415
              ? 'errors/415'
              : status < 500
                ? 'errors/400'
                : 'errors/500'
    if (res.headersSent) return
    res.status(status)
    if (api) return void res.json({ status, message: STATUS_CODES[status] ?? 'Error' })
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ status, error: csrfFailed ? 'csrf' : undefined })
    res.render(view, { status, csrfFailed, uploadLimitMb: UPLOAD_LIMIT_BYTES / 1024 / 1024 })
  }
}
