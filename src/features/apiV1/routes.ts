import type { Request, RequestHandler, Response } from 'express'
import { z } from 'zod'
import type { Services } from '../../services'
import { type RouteDef, get, post } from '../../web/routing'
import type { AuditInput } from '../../platform/audit/service'
import { API_V1, ENDPOINTS, type EndpointName, TOKEN_PATH, openApiDocument } from './openapi'
import type { ApiCaller } from './service'
import { actorOfCaller } from './service'
import type { allocation, referral, session, sessionSummary } from './schema'

/**
 * The API for other services (/api/v1; OpenAPI 3.1 at /api/v1/openapi.json). Its routes are 'public' to the app's
 * access rule because they check their callers themselves (decision 007, as the HSDS API): a client's bearer token,
 * never a session cookie. Each call: the token (401), the client's rate limit (429 with Retry-After), the scope
 * (403), the parameters (400), then the establishment rule (another establishment's prisoner or code: 404, as the
 * pages answer); every call and every refusal is audited, a prisoner's record read as a 'view' of it. Errors are
 * RFC 9457 problem details; the token endpoint answers as RFC 6749 §5.2 says.
 */

/** Requests /api/v1 answers for itself: its GETs, and the token endpoint's POST (the one path without CSRF). */
export const isApiV1 = (req: { path: string; method: string }) =>
  ((req.method === 'GET' || req.method === 'HEAD') && (req.path === API_V1 || req.path.startsWith(`${API_V1}/`))) ||
  (req.method === 'POST' && req.path === `${API_V1}${TOKEN_PATH}`)

const PROBLEM_TYPES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorised',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests',
}

function sendProblem(res: Response, status: number, detail: string) {
  res
    .status(status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', title: PROBLEM_TYPES[status] ?? 'Error', status, detail }))
}

/** The first problem zod found, as a sentence naming the parameter. */
function firstIssue(e: z.ZodError): string {
  const i = e.issues[0]!
  const where = i.path.length > 0 ? `${i.path.join('.')}: ` : ''
  return `${where}${i.message}`
}

const iso = (v: string | null): string | null => {
  if (v === null) return null
  const t = Date.parse(v)
  return Number.isNaN(t) ? v : new Date(t).toISOString()
}

type Outcome = { status: 200; body: unknown; audit: AuditInput } | { status: 404; detail: string; audit: AuditInput }

function paged<T>(items: T[], page: number, size: number) {
  return {
    page,
    size,
    totalItems: items.length,
    totalPages: Math.max(1, Math.ceil(items.length / size)),
    slice: items.slice((page - 1) * size, page * size),
  }
}

export function apiV1Routes(s: Services): RouteDef[] {
  const clients = s.apiClients

  const establishmentsById = async () => new Map((await s.establishments.all()).map(e => [e.id, e]))

  /** The establishment of a code, if the client may read it. */
  async function readableEstablishment(caller: ApiCaller, code: string) {
    const e = await s.establishments.byCode(code)
    return e && clients.mayRead(caller, e.id) ? e : undefined
  }

  /** His record the client may read: where he is in custody first, else the latest reception. */
  async function readableRecord(caller: ApiCaller, prisonNumber: string) {
    const records = (await s.prisoners.recordsOf(prisonNumber)).filter(r => clients.mayRead(caller, r.establishment_id))
    records.sort(
      (a, b) =>
        Number(b.status === 'in') - Number(a.status === 'in') ||
        (a.reception_date < b.reception_date ? 1 : a.reception_date > b.reception_date ? -1 : 0) ||
        b.id - a.id,
    )
    const r = records[0]
    if (!r) return undefined
    const [prisoner, ests] = await Promise.all([
      s.prisoners.get(r.establishment_id, prisonNumber),
      establishmentsById(),
    ])
    const est = ests.get(r.establishment_id)
    return prisoner && est ? { prisoner, establishment: { code: est.code, name: est.name } } : undefined
  }

  const staffOf = (staffId: number | null, first: string | null, last: string | null) =>
    staffId === null || first === null ? null : { staffId, firstName: first, lastName: last ?? '' }

  type SessionRow = Awaited<ReturnType<Services['sessions']['forPrisoner']>>[number]
  const summaryOf = (r: SessionRow): z.infer<typeof sessionSummary> => ({
    id: r.id,
    date: r.session_date ?? '',
    outcome: r.outcome as z.infer<typeof sessionSummary>['outcome'],
    notDeliveredReason: r.not_delivered_reason as z.infer<typeof sessionSummary>['notDeliveredReason'],
    keyWorker: staffOf(r.staff_id, r.staff_first_name, r.staff_last_name),
    submittedAt: iso(r.submitted_at),
  })

  const notFound = (detail: string, audit: AuditInput): Outcome => ({ status: 404, detail, audit })
  const prisonerNotFound = (prisonNumber: string) =>
    notFound(`No prisoner ${prisonNumber} in the establishments this client may read`, {
      // a refused attempt at a prisoner's record is audited as the pages audit theirs
      action: 'refused',
      entity: 'prisoner',
      entityId: prisonNumber,
    })
  const establishmentNotFound = (code: string) =>
    notFound(`No establishment ${code} among those this client may read`, {
      action: 'refused',
      entity: 'establishment',
      entityId: code,
    })

  /** Each endpoint's answer, from its parsed parameters. */
  const HANDLERS: {
    [K in EndpointName]: (caller: ApiCaller, p: Record<string, string>, q: never) => Promise<Outcome>
  } = {
    async keyWorker(caller, p) {
      const found = await readableRecord(caller, p.prisonNumber!)
      if (!found) return prisonerNotFound(p.prisonNumber!)
      const { prisoner, establishment } = found
      const [history, sessions] = await Promise.all([
        s.allocations.historyForPrisoner(prisoner.establishment_id, prisoner.id),
        s.sessions.forPrisoner(prisoner.establishment_id, prisoner.id),
      ])
      const current = history.find(a => a.deallocated_at === null)
      const last = sessions[0]
      return {
        status: 200,
        body: {
          prisonNumber: prisoner.prison_number,
          establishment,
          status: prisoner.status,
          complexityOfNeed: prisoner.complexity,
          hasHighComplexityOfNeeds: prisoner.complexity === 'high',
          keyWorker: current
            ? {
                staffId: current.staff_id,
                firstName: current.staff_first_name,
                lastName: current.staff_last_name,
                allocatedAt: iso(current.allocated_at),
                cover: current.allocation_reason === 'cover',
              }
            : null,
          lastSession: last ? summaryOf(last) : null,
        },
        audit: {
          action: 'view',
          entity: 'prisoner',
          entityId: prisoner.prison_number,
          establishmentId: prisoner.establishment_id,
        },
      }
    },

    async sessions(caller, p, q: { page: number; size: number }) {
      const found = await readableRecord(caller, p.prisonNumber!)
      if (!found) return prisonerNotFound(p.prisonNumber!)
      const { prisoner, establishment } = found
      const rows = await s.sessions.forPrisoner(prisoner.establishment_id, prisoner.id)
      const { slice, ...page } = paged(rows, q.page, q.size)
      const content: z.infer<typeof session>[] = slice.map(r => ({
        ...summaryOf(r),
        startsAt: r.starts_at,
        durationMinutes: r.duration_minutes,
        location: r.location as z.infer<typeof session>['location'],
        private: r.private === null ? null : r.private === 1,
        pathways: (r.pathways ? r.pathways.split(',') : []) as z.infer<typeof session>['pathways'],
        goalsSet: r.goals.length,
        referralsMade: r.referrals.length,
      }))
      return {
        status: 200,
        body: { prisonNumber: prisoner.prison_number, establishment, ...page, content },
        audit: {
          action: 'view',
          entity: 'prisoner',
          entityId: prisoner.prison_number,
          establishmentId: prisoner.establishment_id,
          changes: { read: 'sessions', page: q.page },
        },
      }
    },

    async allocations(caller, p, q: { page: number; size: number }) {
      const e = await readableEstablishment(caller, p.establishmentCode!)
      if (!e) return establishmentNotFound(p.establishmentCode!)
      const rows = await s.allocations.current(e.id)
      const { slice, ...page } = paged(rows, q.page, q.size)
      const content: z.infer<typeof allocation>[] = slice.map(a => ({
        id: a.id,
        prisonNumber: a.prison_number,
        firstName: a.prisoner_first_name,
        lastName: a.prisoner_last_name,
        keyWorker: { staffId: a.staff_id, firstName: a.staff_first_name, lastName: a.staff_last_name },
        allocatedAt: iso(a.allocated_at)!,
        allocationReason: a.allocation_reason,
        cover: a.allocation_reason === 'cover',
        coverUntil: a.cover_until,
      }))
      return {
        status: 200,
        body: { establishment: { code: e.code, name: e.name }, ...page, content },
        audit: {
          action: 'view',
          entity: 'allocations',
          entityId: e.code,
          establishmentId: e.id,
          changes: { page: q.page },
        },
      }
    },

    async referrals(caller, p, q: { page: number; size: number; status?: 'open' }) {
      const e = await readableEstablishment(caller, p.establishmentCode!)
      if (!e) return establishmentNotFound(p.establishmentCode!)
      const { total, rows } = await s.referrals.list({
        establishmentId: e.id,
        ...(q.status ? { status: q.status } : {}),
        limit: q.size,
        offset: (q.page - 1) * q.size,
      })
      const content: z.infer<typeof referral>[] = rows.map(r => ({
        id: r.id,
        prisonNumber: r.prison_number,
        sessionId: r.session_id,
        sessionDate: r.session_date,
        referredTo: r.target,
        status: r.status as z.infer<typeof referral>['status'],
        followUpDate: r.follow_up_date,
        overdue: r.overdue,
        keyWorker: staffOf(r.staff_id, r.staff_first_name, r.staff_last_name),
        createdAt: iso(r.created_at)!,
        updatedAt: iso(r.updated_at)!,
      }))
      return {
        status: 200,
        body: {
          establishment: { code: e.code, name: e.name },
          page: q.page,
          size: q.size,
          totalItems: total,
          totalPages: Math.max(1, Math.ceil(total / q.size)),
          content,
        },
        audit: {
          action: 'view',
          entity: 'referrals',
          entityId: e.code,
          establishmentId: e.id,
          changes: { page: q.page, ...(q.status ? { status: q.status } : {}) },
        },
      }
    },

    async statistics(caller, p, q: { from: string; to: string }) {
      const e = await readableEstablishment(caller, p.establishmentCode!)
      if (!e) return establishmentNotFound(p.establishmentCode!)
      const { figures: f } = await s.statistics.compute(
        { kind: 'establishment', establishmentId: e.id },
        { from: q.from, to: q.to },
      )
      return {
        status: 200,
        body: {
          establishment: { code: e.code, name: e.name },
          from: q.from,
          to: q.to,
          eligible: f.eligible,
          eligibleAtEnd: f.eligibleAtEnd,
          allocatedAtEnd: f.allocated,
          allocatedPercent: f.allocatedPercent,
          projected: f.projected,
          delivered: f.delivered,
          notDelivered: f.notDelivered,
          notDeliveredReasons: { ...f.reasons },
          compliancePercent: f.compliance,
          seen28Percent: f.seen28Percent,
          referralsMade: f.referralsMade,
          referralsCompleted: f.referralsCompleted,
          goalsSet: f.goalsSet,
          goalsAchieved: f.goalsAchieved,
        },
        audit: {
          action: 'view',
          entity: 'statistics',
          entityId: e.code,
          establishmentId: e.id,
          changes: { from: q.from, to: q.to },
        },
      }
    },
  }

  /** Audits one call: what it read (or was refused), by which client, on which path. */
  const auditCall = (caller: ApiCaller | null, input: AuditInput, req: Request, status: number) =>
    s.audit.recordAlone(
      caller ? actorOfCaller(caller) : { userId: null, username: 'API client', establishmentId: null },
      {
        ...input,
        changes: {
          ...(input.changes && typeof input.changes === 'object' ? input.changes : {}),
          via: 'api/v1',
          path: (req.route as { path?: string } | undefined)?.path ?? req.path.slice(0, 200),
          status,
        },
      },
    )

  const refusal = (entity: string, reason: string): AuditInput => ({ action: 'refused', entity, changes: { reason } })

  function endpoint(name: EndpointName): RouteDef {
    const e = ENDPOINTS[name]
    const expressPath = API_V1 + e.path.replace(/\{(\w+)\}/g, ':$1')
    const paramsSchema = z.object(e.params)
    const handler: RequestHandler = async (req, res) => {
      const m = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '')
      const caller = m ? await clients.authenticate(m[1]!) : 'invalid'
      if (caller === 'invalid') {
        res.set('WWW-Authenticate', `Bearer realm="keywork API", error="invalid_token"`)
        await auditCall(null, refusal('api_client', m ? 'invalid token' : 'no token'), req, 401)
        return sendProblem(
          res,
          401,
          'Send a valid bearer token (Authorization: Bearer <token>) from POST /api/v1/oauth/token: this one is ' +
            (m ? 'unknown, expired or revoked' : 'missing'),
        )
      }
      const rate = await clients.rate(caller)
      if (!rate.ok) {
        res.set('Retry-After', String(rate.retryAfterSeconds))
        res.set('RateLimit-Limit', String(rate.limit))
        res.set('RateLimit-Remaining', '0')
        res.set('RateLimit-Reset', String(rate.retryAfterSeconds))
        await auditCall(caller, refusal('api_client', 'rate limit'), req, 429)
        return sendProblem(
          res,
          429,
          `This client may make ${rate.limit} calls a minute: try again in ${rate.retryAfterSeconds} seconds`,
        )
      }
      res.set('RateLimit-Limit', String(rate.limit))
      res.set('RateLimit-Remaining', String(rate.remaining))
      res.set('RateLimit-Reset', String(rate.resetSeconds))
      if (!caller.scopes.has(e.scope)) {
        await auditCall(caller, refusal('api_client', `scope ${e.scope}`), req, 403)
        return sendProblem(res, 403, `This token does not carry the scope ${e.scope}`)
      }
      const params = paramsSchema.safeParse(req.params)
      const query = (e.query ?? z.object({})).safeParse(req.query)
      const problem = !params.success ? params.error : !query.success ? query.error : null
      if (problem || !params.success || !query.success) {
        await auditCall(caller, refusal('api_client', 'bad parameter'), req, 400)
        return sendProblem(res, 400, problem ? firstIssue(problem) : 'A parameter is not right')
      }
      const outcome = await HANDLERS[name](caller, params.data as Record<string, string>, query.data as never)
      await auditCall(caller, outcome.audit, req, outcome.status)
      if (outcome.status === 404) return sendProblem(res, 404, outcome.detail)
      res.json(outcome.body)
    }
    return get(expressPath, 'public', handler)
  }

  const tokenHandler: RequestHandler = async (req, res) => {
    res.set('Cache-Control', 'no-store')
    res.set('Pragma', 'no-cache')
    const body = (req.body ?? {}) as Record<string, unknown>
    const oauthError = (status: number, error: string, description: string) =>
      void res.status(status).json({ error, error_description: description })
    const field = (name: string) => {
      const v = body[name]
      return typeof v === 'string' ? v : v === undefined ? undefined : null
    }
    if (!req.is('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'Send the request as application/x-www-form-urlencoded')
    const grantType = field('grant_type')
    const scope = field('scope')
    if (grantType === null || scope === null) return oauthError(400, 'invalid_request', 'Send each parameter once')
    if (grantType === undefined) return oauthError(400, 'invalid_request', 'grant_type is missing')
    if (grantType !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported')
    // RFC 6749 §2.3.1: HTTP Basic (each part form-urlencoded) or the body; not both
    const basic = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(req.get('authorization') ?? '')
    let clientId: string | undefined | null
    let secret: string | undefined | null
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const unform = (v: string) => {
        try {
          return decodeURIComponent(v.replace(/\+/g, ' '))
        } catch {
          return v
        }
      }
      clientId = colon < 0 ? decoded : unform(decoded.slice(0, colon))
      secret = colon < 0 ? '' : unform(decoded.slice(colon + 1))
      if (field('client_id') !== undefined || field('client_secret') !== undefined)
        return oauthError(400, 'invalid_request', 'Authenticate by HTTP Basic or in the body, not both')
    } else {
      clientId = field('client_id')
      secret = field('client_secret')
      if (clientId === null || secret === null) return oauthError(400, 'invalid_request', 'Send each parameter once')
    }
    if (!clientId || clientId.length > 200 || (secret ?? '').length > 200) {
      if (basic) res.set('WWW-Authenticate', 'Basic realm="keywork API"')
      return oauthError(401, 'invalid_client', 'Client authentication failed')
    }
    const r = await clients.issueToken(clientId, secret ?? '', scope?.slice(0, 1000))
    if (!r.ok) {
      if (r.error === 'invalid_client') {
        if (basic) res.set('WWW-Authenticate', 'Basic realm="keywork API"')
        return oauthError(401, r.error, r.description)
      }
      return oauthError(400, r.error, r.description)
    }
    res.json({ access_token: r.accessToken, token_type: 'Bearer', expires_in: r.expiresIn, scope: r.scopes.join(' ') })
  }

  return [
    post(`${API_V1}${TOKEN_PATH}`, 'public', tokenHandler),
    get(`${API_V1}/openapi.json`, 'public', (req, res) => {
      res.json(openApiDocument(`${req.protocol}://${req.get('host')}${API_V1}`, s.config.version))
    }),
    ...(Object.keys(ENDPOINTS) as EndpointName[]).map(endpoint),
  ]
}
