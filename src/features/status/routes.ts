import type { RequestHandler } from 'express'
import { ping } from '../../platform/db/database'
import type { Services } from '../../services'

const checkedAt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})

/**
 * GET /status, the footer's "Service status": /health for people. Mounted before sessions like /health, because
 * sessions live in the database and this page must still answer, and say so, when the database does not.
 */
export function statusPage(services: Services): RequestHandler {
  return async (_req, res) => {
    let database = true
    try {
      await ping(services.db.db)
    } catch {
      database = false
    }
    res.status(database ? 200 : 503).render('status/views/status', {
      pageTitle: 'Service status',
      database,
      version: services.config.version,
      checkedAt: checkedAt.format(new Date()),
    })
  }
}
