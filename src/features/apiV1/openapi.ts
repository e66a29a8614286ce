import { z } from 'zod'
import {
  type ApiScope,
  SCOPES,
  allocationsResponse,
  currentKeyWorkerResponse,
  establishmentCodeParam,
  pagingQuery,
  prisonNumberParam,
  problem,
  referralsQuery,
  referralsResponse,
  sessionsResponse,
  statisticsQuery,
  statisticsResponse,
  tokenError,
  tokenRequest,
  tokenResponse,
} from './schema'
import { TOKEN_TTL_SECONDS } from './service'

export const API_V1 = '/api/v1'
export const TOKEN_PATH = '/oauth/token'

/**
 * Every GET endpoint of /api/v1: its path (OpenAPI style), the scope it needs, its parameters and its answer. The
 * routes (routes.ts) and the OpenAPI document (below) are both made from this table, so an endpoint cannot be served
 * without being documented, and the test validates every path of the document.
 */
export const ENDPOINTS = {
  keyWorker: {
    path: '/prisoners/{prisonNumber}/key-worker',
    scope: 'keywork.read.allocations',
    summary: 'A prisoner’s current Key Worker and last session',
    description:
      'Where he is held, among the establishments the client may read (in custody first), his current Key Worker ' +
      '(null when he has none) and his last submitted session there. The MoJ keyworker API’s ' +
      '/prisoners/{prisonNumber}/allocations/current answers the same question.',
    params: { prisonNumber: prisonNumberParam },
    query: null,
    response: currentKeyWorkerResponse,
  },
  sessions: {
    path: '/prisoners/{prisonNumber}/sessions',
    scope: 'keywork.read.sessions',
    summary: 'A prisoner’s Key Work sessions, newest first',
    description:
      'Submitted sessions where he is held (as for key-worker): when, how and which pathways; never the words.',
    params: { prisonNumber: prisonNumberParam },
    query: pagingQuery,
    response: sessionsResponse,
  },
  allocations: {
    path: '/establishments/{establishmentCode}/allocations',
    scope: 'keywork.read.allocations',
    summary: 'The current allocations of an establishment, by prisoner name',
    description: 'Every prisoner allocated to a Key Worker now, cover allocations included.',
    params: { establishmentCode: establishmentCodeParam },
    query: pagingQuery,
    response: allocationsResponse,
  },
  referrals: {
    path: '/establishments/{establishmentCode}/referrals',
    scope: 'keywork.read.referrals',
    summary: 'The referrals of an establishment, overdue first',
    description: 'Referrals made in Key Work sessions, in the order the referrals page lists them.',
    params: { establishmentCode: establishmentCodeParam },
    query: referralsQuery,
    response: referralsResponse,
  },
  statistics: {
    path: '/establishments/{establishmentCode}/statistics',
    scope: 'keywork.read.statistics',
    summary: 'Delivery statistics of an establishment for a period',
    description: 'The figures of the statistics page for the days from and to (included), up to 3 years.',
    params: { establishmentCode: establishmentCodeParam },
    query: statisticsQuery,
    response: statisticsResponse,
  },
} as const satisfies Record<
  string,
  {
    path: string
    scope: ApiScope
    summary: string
    description: string
    params: Record<string, z.ZodType>
    query: z.ZodObject | z.ZodType | null
    response: z.ZodType
  }
>

export type EndpointName = keyof typeof ENDPOINTS

type Json = Record<string, unknown>

/**
 * A schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), its named parts (zod `.meta({ id })`) moved into the
 * document's components and referred to there.
 */
function convert(schema: z.ZodType, components: Json, io: 'input' | 'output' = 'output'): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as Json
  const defs = (json.$defs ?? {}) as Record<string, Json>
  delete json.$defs
  delete json.$schema
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite)
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [
          k,
          k === '$ref' && typeof x === 'string' ? x.replace('#/$defs/', '#/components/schemas/') : rewrite(x),
        ]),
      )
    return v
  }
  for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def)
  return rewrite(json) as Json
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
})

/** The OpenAPI 3.1 document of /api/v1, made from the zod schemas each time (a few milliseconds). */
export function openApiDocument(serverUrl: string, version: string): Json {
  const components: Json = {}
  convert(problem, components)
  const paths: Json = {}
  for (const [name, e] of Object.entries(ENDPOINTS)) {
    const parameters: Json[] = []
    for (const [pname, schema] of Object.entries(e.params)) {
      const s = convert(schema, components, 'input')
      const { description, ...rest } = s
      parameters.push({ name: pname, in: 'path', required: true, description, schema: rest })
    }
    if (e.query) {
      const q = convert(e.query, components, 'input') as { properties?: Record<string, Json>; required?: string[] }
      for (const [qname, s] of Object.entries(q.properties ?? {})) {
        const { description, ...rest } = s
        parameters.push({
          name: qname,
          in: 'query',
          required: (q.required ?? []).includes(qname),
          description,
          schema: rest,
        })
      }
    }
    paths[e.path] = {
      get: {
        operationId: name,
        summary: e.summary,
        description: e.description,
        security: [{ clientCredentials: [e.scope] }],
        parameters,
        responses: {
          '200': {
            description: 'OK',
            headers: {
              'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Calls allowed a minute' },
              'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Calls left this minute' },
              'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the minute ends' },
            },
            content: { 'application/json': { schema: convert(e.response, components) } },
          },
          '400': problemResponse('A parameter the API cannot use'),
          '401': problemResponse('No bearer token, or one that is unknown, expired or revoked'),
          '403': problemResponse(`The token does not carry the scope ${e.scope}`),
          '404': problemResponse('Not found among the establishments the client may read'),
          '429': {
            ...problemResponse('Too many calls this minute: try again after Retry-After seconds'),
            headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
          },
        },
      },
    }
  }
  paths[TOKEN_PATH] = {
    post: {
      operationId: 'token',
      summary: 'A bearer token for the client credentials (RFC 6749 §4.4)',
      description:
        `Authenticate by HTTP Basic (client id and secret) or in the body. The token lasts ${TOKEN_TTL_SECONDS} ` +
        'seconds; ask for a new one when it expires.',
      security: [],
      requestBody: {
        required: true,
        content: { 'application/x-www-form-urlencoded': { schema: convert(tokenRequest, components, 'input') } },
      },
      responses: {
        '200': {
          description: 'A token',
          content: { 'application/json': { schema: convert(tokenResponse, components) } },
        },
        '400': {
          description: 'A bad request or scope',
          content: { 'application/json': { schema: convert(tokenError, components) } },
        },
        '401': {
          description: 'The client could not be authenticated',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/TokenError' } } },
        },
      },
    },
  }
  paths['/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': {} } } },
    },
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'keywork API for other services',
      version,
      summary: 'Key Workers, allocations, sessions, referrals and statistics, read-only',
      description:
        'Read-only, JSON. Ask for a token with the client credentials grant, then send it as ' +
        '`Authorization: Bearer <token>`. A client reads only the establishments it was given; anything else is not ' +
        'found (404). Calls are limited per client per minute (429 with Retry-After).',
      license: { name: 'Open Government Licence v3.0', identifier: 'OGL-UK-3.0' },
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: `${serverUrl}${TOKEN_PATH}`, scopes: { ...SCOPES } } },
        },
      },
    },
  }
}
