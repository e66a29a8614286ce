import type { Express } from 'express'
import type { Services } from '../../services'
import { ping } from '../../platform/db/database'

/** 1. Health, before sessions so load balancers cost nothing: /ping always, /health with the database's answer. */
export function health(app: Express, services: Services) {
  const { config } = services
  app.get('/ping', (_req, res) => void res.json({ status: 'UP' }))
  app.get('/health', async (_req, res) => {
    try {
      await ping(services.db.db)
      res.json({ status: 'UP', version: config.version, database: services.db.dialect })
    } catch {
      res.status(503).json({ status: 'DOWN', version: config.version, database: services.db.dialect })
    }
  })
}
