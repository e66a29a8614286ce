import { STATUS_CODES } from 'node:http'
import type { ErrorRequestHandler, Express } from 'express'
import type { Services } from '../../services'
import { auditRefusal } from '../audit'
import { HttpError } from '../errors'
import type { AppParts } from '../parts'
import { redactUrl } from '../requestLog'
import { UPLOAD_LIMIT_BYTES } from './mount'

/**
 * 12. Not found, then every error as a page (or JSON for a script or the API): a 401 goes to sign-in, a 5xx is
 * logged with a cleaned URL, a refusal of personal data is audited, and nothing is sent twice.
 */
export function errorPages(app: Express, services: Services, parts: Pick<AppParts, 'isApi'>) {
  app.use((_req, _res, next) => next(new HttpError(404)))
  app.use(errorHandler(services, parts))
}

function errorHandler(services: Services, parts: Pick<AppParts, 'isApi'>): ErrorRequestHandler {
  return async (err: unknown, req, res, _next) => {
    const e = err as { status?: number; statusCode?: number; code?: string; type?: string }
    let status = err instanceof HttpError ? err.status : (e.status ?? e.statusCode ?? 500)
    if (e.code === 'LIMIT_FILE_SIZE' || e.type === 'entity.too.large') status = 413
    else if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) status = 400
    // the API's errors are JSON, whatever the request accepts
    const api = parts.isApi(req)
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
    if (api)
      return void res.json({
        status,
        message: e.type === 'entity.parse.failed' ? 'The body is not valid JSON' : (STATUS_CODES[status] ?? 'Error'),
      })
    if (req.accepts(['html', 'json']) === 'json')
      return void res.json({ status, error: csrfFailed ? 'csrf' : undefined })
    res.render(view, { status, csrfFailed, uploadLimitMb: UPLOAD_LIMIT_BYTES / 1024 / 1024 })
  }
}
