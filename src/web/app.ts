import express from 'express'
import type { Services } from '../services'
import { setUpNunjucks } from './nunjucks'
import type { AppParts } from './parts'
import { staticAssets } from './stages/assets'
import { bodyParsing } from './stages/body'
import { csrfProtection } from './stages/csrf'
import { currentUser } from './stages/currentUser'
import { errorPages } from './stages/errors'
import { health } from './stages/health'
import { requestLogging } from './stages/logging'
import { mountRoutes } from './stages/mount'
import { securityHeaders } from './stages/security'
import { sessions } from './stages/sessions'
import { signInRequired } from './stages/signIn'
import { takeTurns } from './stages/turns'

export { UPLOAD_LIMIT_BYTES, routeDefsOf } from './stages/mount'

/**
 * The web application: its stages in their order, one file each in stages/ (docs/ARCHITECTURE.md, "Requests").
 * Features plug in through `parts` (src/routes.ts builds them): the web layer imports no feature.
 */
export function createWebApp(services: Services, parts: AppParts) {
  const app = express()
  app.set('trust proxy', 'loopback')
  app.disable('x-powered-by')
  // every page carries a fresh CSP nonce, so an ETag would never match: don't hash each body for one
  app.set('etag', false)

  health(app, services)
  requestLogging(app, services)
  takeTurns(app)
  securityHeaders(app, services)
  staticAssets(app, services)
  app.get('/status', parts.statusPage) // for people, before sessions like /health
  sessions(app, services)
  bodyParsing(app)
  setUpNunjucks(app, !services.config.templateReload) // 7. views
  currentUser(app, services, parts)
  signInRequired(app, parts)
  const csrf = csrfProtection(app, parts)
  mountRoutes(app, parts.routes, csrf)
  errorPages(app, services, parts)
  return app
}
