import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Request } from 'express'

// What the request log may hold: no cookie, session id, CSRF token or authorisation header (anyone reading the logs
// could take over a session), and no prison number or search term (personal data). A line keeps the method, the
// route pattern, the status and the request id, which is what an operator needs to follow a request.

/** A path segment that looks like a prison number (A1234BC), in any case */
const PRISON_NUMBER_SEGMENT = /^[a-z]\d{4}[a-z]{2}$/i

/** The path with prison numbers replaced and every query value dropped (the names stay: they say what was asked). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const safePath = path
    .split('/')
    .map(segment => (PRISON_NUMBER_SEGMENT.test(decodeSegment(segment)) ? ':prisonNumber' : segment))
    .join('/')
  if (q < 0) return safePath
  const names = [...new Set(new URLSearchParams(url.slice(q + 1)).keys())]
  return names.length ? `${safePath}?${names.map(n => `${encodeURIComponent(n)}=[redacted]`).join('&')}` : safePath
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

interface SerializedReq {
  id: unknown
  method: string
  url: string
  raw?: IncomingMessage
}

/** pino-http options: serializers that keep only safe fields, and redaction for anything logged through req.log. */
export const requestLogOptions = {
  serializers: {
    req: (req: SerializedReq) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
  redact: {
    paths: [
      'req.headers.cookie',
      'req.headers.authorization',
      'req.body._csrf',
      'res.headers["set-cookie"]',
      'headers.cookie',
      'headers.authorization',
      'headers["set-cookie"]',
      '_csrf',
    ],
    censor: '[redacted]',
  },
  /** the route pattern (/prisoners/:prisonNumber), known only once the router has matched it */
  customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: object) => ({
    ...value,
    route: routeOf(req),
  }),
  customErrorObject: (req: IncomingMessage, _res: ServerResponse, _err: Error, value: object) => ({
    ...value,
    route: routeOf(req),
  }),
}

function routeOf(req: IncomingMessage): string | undefined {
  const route = (req as Request).route as { path?: unknown } | undefined
  return typeof route?.path === 'string' ? route.path : undefined
}
