import type { Express, RequestHandler } from 'express'
import multer from 'multer'
import { HttpError } from '../errors'
import { type RouteDef, authorise } from '../routing'
import type { Csrf } from './csrf'

export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024

/**
 * 11. Every route behind its access rule. Only upload routes parse multipart (one file, bounded, in memory), and
 * check the CSRF token once it is parsed; any other POST refuses multipart with 415, so no handler runs without a
 * checked token. The routes are kept on the app for the access tests (routeDefsOf).
 */
export function mountRoutes(app: Express, defs: RouteDef[], csrf: Csrf) {
  const refuseMultipart: RequestHandler = (req, _res, next) =>
    next(req.is('multipart/form-data') ? new HttpError(415) : undefined)
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20 },
  })
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
}

export function routeDefsOf(app: Express): RouteDef[] {
  return app.locals.routeDefs as RouteDef[]
}
