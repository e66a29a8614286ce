import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * For tests: a real HTTP server on 127.0.0.1 that answers like HMPPS Auth's token endpoint (client credentials,
 * POST /auth/oauth/token with HTTP Basic) and the Prisoner Search API, as they are published:
 * - GET /search/prison/{prisonId}/prisoners?page&size: the prison's roll as a Spring page (content, totalElements,
 *   totalPages, number, size, first, last, numberOfElements, empty), zero-based pages, for the bearer token only;
 * - POST /search/prisoner-search/prisoner-numbers { prisonerNumbers }: the prisoners it knows, as a list.
 * It records every request (method, path, query, authorization, body).
 */

export const FAKE_CLIENT_ID = 'keywork-system'
export const FAKE_CLIENT_SECRET = 'fake-client-secret'
export const FAKE_TOKEN = 'fake-system-token-1'

export interface FakeRequest {
  method: string
  path: string
  query: Record<string, string>
  authorization: string | undefined
  body: unknown
}

export async function startFakePrisonerSearch() {
  const requests: FakeRequest[] = []
  /** each prison's roll, in the order Prisoner Search pages it */
  const rolls = new Map<string, unknown[]>()
  /** every prisoner it knows by number (those released or elsewhere too) */
  const people = new Map<string, Record<string, unknown>>()
  /** pages (zero-based) of any roll answered with a 500 */
  const failPages = new Set<number>()

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const raw = Buffer.concat(chunks).toString()
      let body: unknown = raw
      try {
        body = raw ? (JSON.parse(raw) as unknown) : null
      } catch {
        /* kept as text */
      }
      const authorization = req.headers.authorization
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization,
        body,
      })
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      if (req.method === 'POST' && url.pathname === '/auth/oauth/token') {
        const basic = `Basic ${Buffer.from(`${FAKE_CLIENT_ID}:${FAKE_CLIENT_SECRET}`).toString('base64')}`
        if (authorization !== basic || url.searchParams.get('grant_type') !== 'client_credentials')
          return json(401, { error: 'unauthorized' })
        return json(200, { access_token: FAKE_TOKEN, token_type: 'bearer', expires_in: 1199, scope: 'read' })
      }
      if (authorization !== `Bearer ${FAKE_TOKEN}`) return json(401, { status: 401, userMessage: 'Unauthorised' })
      const roll = /^\/search\/prison\/([A-Z]+)\/prisoners$/.exec(url.pathname)
      if (req.method === 'GET' && roll) {
        const page = Number(url.searchParams.get('page') ?? '0')
        const size = Number(url.searchParams.get('size') ?? '10')
        if (failPages.has(page)) return json(500, { status: 500, userMessage: 'Internal Server Error' })
        const all = rolls.get(roll[1]!) ?? []
        const content = all.slice(page * size, (page + 1) * size)
        const totalPages = Math.ceil(all.length / size)
        return json(200, {
          content,
          pageable: { pageNumber: page, pageSize: size, offset: page * size, paged: true, unpaged: false },
          totalElements: all.length,
          totalPages,
          last: page + 1 >= totalPages,
          number: page,
          size,
          first: page === 0,
          numberOfElements: content.length,
          empty: content.length === 0,
        })
      }
      if (req.method === 'POST' && url.pathname === '/search/prisoner-search/prisoner-numbers') {
        const numbers = (body as { prisonerNumbers?: unknown })?.prisonerNumbers
        if (!Array.isArray(numbers)) return json(400, { status: 400, userMessage: 'prisonerNumbers is required' })
        return json(
          200,
          numbers.map(n => people.get(String(n))).filter(p => p !== undefined),
        )
      }
      json(404, { status: 404, userMessage: 'Not found' })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  return {
    authUrl: `${base}/auth`,
    searchUrl: `${base}/search`,
    requests,
    rolls,
    people,
    failPages,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}
