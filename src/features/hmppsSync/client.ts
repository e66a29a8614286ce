import type { HmppsAuthConfig, PrisonerSearchConfig } from '../../config'

/** A call to an HMPPS API that failed: the sync records the message and changes nothing. */
export class HmppsApiError extends Error {}

const TIMEOUT_MS = 20_000
/** Prisoner Search takes at most this many prison numbers per call (POST /prisoner-search/prisoner-numbers). */
export const NUMBERS_PER_CALL = 1000

/** One page of a prison's roll as Prisoner Search answers it (a Spring page): the entries and whether it is the last. */
export interface RollPage {
  content: unknown[]
  last: boolean
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * The Prisoner Search API with a system token from HMPPS Auth (client credentials): the roll of a prison page by page
 * (GET /prison/{prisonId}/prisoners?page&size, zero-based pages), and prisoners by number
 * (POST /prisoner-search/prisoner-numbers). The token is kept until a minute before it expires.
 */
export function prisonerSearchClient(
  auth: HmppsAuthConfig,
  search: PrisonerSearchConfig,
  fetchFn: typeof fetch = fetch,
) {
  let token: { value: string; until: number } | null = null

  async function systemToken(): Promise<string> {
    if (token && token.until > Date.now()) return token.value
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString(
      'base64',
    )
    let res: Response
    try {
      res = await fetchFn(`${auth.url}/oauth/token?grant_type=client_credentials`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (err) {
      throw new HmppsApiError(`HMPPS Auth could not be reached: ${(err as Error).message}`)
    }
    if (!res.ok) throw new HmppsApiError(`HMPPS Auth refused the client credentials (HTTP ${res.status})`)
    const body: unknown = await res.json().catch(() => null)
    if (!isObject(body) || typeof body.access_token !== 'string')
      throw new HmppsApiError('HMPPS Auth answered without an access token')
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 300
    token = { value: body.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 }
    return token.value
  }

  async function call(path: string, init: { method: 'GET' } | { method: 'POST'; json: unknown }): Promise<unknown> {
    const bearer = await systemToken()
    let res: Response
    try {
      res = await fetchFn(`${search.url}${path}`, {
        method: init.method,
        headers: {
          authorization: `Bearer ${bearer}`,
          accept: 'application/json',
          ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.method === 'POST' ? { body: JSON.stringify(init.json) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (err) {
      throw new HmppsApiError(`Prisoner Search could not be reached: ${(err as Error).message}`)
    }
    if (res.status === 401) token = null
    if (!res.ok)
      throw new HmppsApiError(`Prisoner Search answered ${init.method} ${path.split('?')[0]} with HTTP ${res.status}`)
    try {
      return await res.json()
    } catch {
      throw new HmppsApiError(`Prisoner Search answered ${path.split('?')[0]} with something other than JSON`)
    }
  }

  return {
    /** One zero-based page of the prison's roll. */
    async rollPage(prisonId: string, page: number, size: number): Promise<RollPage> {
      const path = `/prison/${encodeURIComponent(prisonId)}/prisoners?page=${page}&size=${size}`
      const body = await call(path, { method: 'GET' })
      if (!isObject(body) || !Array.isArray(body.content))
        throw new HmppsApiError(`Prisoner Search answered page ${page} of ${prisonId}'s roll without a content list`)
      const totalPages = typeof body.totalPages === 'number' ? body.totalPages : null
      const last =
        typeof body.last === 'boolean'
          ? body.last
          : totalPages !== null
            ? page + 1 >= totalPages
            : body.content.length < size
      return { content: body.content, last }
    },

    /** The Prisoner Search records of these prison numbers (those it knows). */
    async byNumbers(prisonNumbers: readonly string[]): Promise<unknown[]> {
      const found: unknown[] = []
      for (let i = 0; i < prisonNumbers.length; i += NUMBERS_PER_CALL) {
        const body = await call('/prisoner-search/prisoner-numbers', {
          method: 'POST',
          json: { prisonerNumbers: prisonNumbers.slice(i, i + NUMBERS_PER_CALL) },
        })
        if (!Array.isArray(body)) throw new HmppsApiError('Prisoner Search answered prisoner-numbers without a list')
        found.push(...(body as unknown[]))
      }
      return found
    },
  }
}

export type PrisonerSearchClient = ReturnType<typeof prisonerSearchClient>
