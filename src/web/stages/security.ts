import crypto from 'node:crypto'
import type { Express, Response } from 'express'
import helmet from 'helmet'
import type { Services } from '../../services'

/** 3. Security headers with a per-request CSP nonce (res.locals.cspNonce, for the pages' own scripts). */
export function securityHeaders(app: Express, services: Services) {
  const { config } = services
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
}
