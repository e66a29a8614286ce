import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * For tests: a real HTTP server on 127.0.0.1 that answers like GOV.UK Notify's v2 email endpoint
 * (POST /v2/notifications/email). It records each request and checks the client's JWT against the API key.
 */

export const FAKE_SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506'
export const FAKE_SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0'
export const FAKE_API_KEY = `keywork_test-${FAKE_SERVICE_ID}-${FAKE_SECRET}`

export interface FakeNotifyRequest {
  method: string
  path: string
  authorization: string | undefined
  /** the JWT was signed with the key's secret (HS256) and issued by the key's service */
  jwtValid: boolean
  body: {
    template_id?: string
    email_address?: string
    personalisation?: Record<string, string>
    reference?: string
  }
}

function verifyJwt(authorization: string | undefined): boolean {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(authorization ?? '')
  if (!m) return false
  const [, header, payload, signature] = m
  const expected = crypto.createHmac('sha256', FAKE_SECRET).update(`${header}.${payload}`).digest('base64url')
  if (expected !== signature) return false
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { iss?: string; iat?: number }
  return claims.iss === FAKE_SERVICE_ID && typeof claims.iat === 'number'
}

export async function startFakeNotify() {
  const requests: FakeNotifyRequest[] = []
  /** the notification ids answered, in order */
  const ids: string[] = []
  /** what the next requests get: Notify's success, or a 400 as Notify sends for a team-only key */
  let mode: 'ok' | 'bad-request' = 'ok'

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      let body: FakeNotifyRequest['body'] = {}
      try {
        body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as FakeNotifyRequest['body']
      } catch {
        /* recorded as empty */
      }
      const authorization = req.headers.authorization
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization,
        jwtValid: verifyJwt(authorization),
        body,
      })
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(json))
      }
      if (req.method !== 'POST' || req.url !== '/v2/notifications/email')
        return send(404, { status_code: 404, errors: [{ error: 'NotFoundError', message: 'Not found' }] })
      if (!verifyJwt(authorization))
        return send(403, { status_code: 403, errors: [{ error: 'AuthError', message: 'Invalid token: signature' }] })
      if (mode === 'bad-request')
        return send(400, {
          status_code: 400,
          errors: [{ error: 'BadRequestError', message: 'Can’t send to this recipient using a team-only API key' }],
        })
      const id = crypto.randomUUID()
      ids.push(id)
      send(201, {
        id,
        reference: body.reference ?? null,
        content: {
          subject: body.personalisation?.subject ?? '',
          body: body.personalisation?.body ?? '',
          from_email: 'keywork@notifications.service.gov.uk',
        },
        uri: `https://api.notifications.service.gov.uk/v2/notifications/${id}`,
        template: {
          id: body.template_id,
          version: 1,
          uri: `https://api.notifications.service.gov.uk/v2/template/${body.template_id}`,
        },
      })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    ids,
    setMode(m: typeof mode) {
      mode = m
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}
