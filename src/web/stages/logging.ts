import crypto from 'node:crypto'
import type { Express } from 'express'
import { pinoHttp } from 'pino-http'
import type { Services } from '../../services'
import { requestLogOptions } from '../requestLog'

/** 2. One log line a request with a request id (kept from X-Request-Id or made), cleaned by requestLog.ts. */
export function requestLogging(app: Express, services: Services) {
  const { config, logger } = services
  if (config.logLevel === 'silent') return
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
