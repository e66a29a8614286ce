import type { Request, RequestHandler, Response } from 'express'
import type { DirectoryServiceTable } from '../../../platform/db/types'
import type { Services } from '../../../services'
import { type RequestContext, actorOf, establishmentOf, hasRole } from '../../../web/context'
import { HttpError } from '../../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../../forms/forms'
import { type RouteDef, get, param, post } from '../../../web/routing'
import { apiRepository } from './apiRepository'
import { type HsdsObject, compact, organizationFields, serviceFields, termObjects } from './exportJson'
import { PROVISION_TAXONOMY, PROVISION_TERMS } from './model'
import { type Scope, hsdsRepository } from './repository'
import { loadHsdsSchema } from './schemas'
import { SCOPE_CHOICES, SCOPE_NAMES } from './tokens'
import { tokenFormSchema } from './tokenSchema'

/**
 * The HSDS 3.0 API (schemas/hsds-3.0/openapi.json), read-only, as JSON: the services, organisations, services at
 * locations and taxonomies a reader sees. A reader is either a signed-in user with a role in the establishment they
 * act in (its own and the national services), or a partner sending an establishment's API token as
 * `Authorization: Bearer <token>` (that establishment's own and the national services; a national token, the
 * national services). The routes are 'public' to the app's access rule because they check both themselves: a
 * request with neither gets a JSON 401, never the sign-in page. Every error is JSON.
 */

export const API_ROOT = '/api/hsds'
export const HSDS_VERSION = '3.0'

const PER_PAGE_DEFAULT = 20
const PER_PAGE_MAX = 100
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A query parameter the API cannot use: answered with a 400 naming it. */
class BadParameter extends Error {}

const send = (res: Response, status: number, message: string) => void res.status(status).json({ status, message })

function text(req: Request, name: string, max = 200): string | undefined {
  const v = req.query[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new BadParameter(`${name} must be given once, as text`)
  if (v.length > max) throw new BadParameter(`${name} must be at most ${max} characters`)
  return v
}

function whole(req: Request, name: string, fallback: number, min: number, max: number): number {
  const v = text(req, name, 20)
  if (v === undefined) return fallback
  const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN
  if (!(n >= min && n <= max))
    throw new BadParameter(
      max === Infinity
        ? `${name} must be a whole number, ${min} or more`
        : `${name} must be a whole number from ${min} to ${max}`,
    )
  return n
}

function bool(req: Request, name: string): boolean {
  const v = text(req, name, 10)
  if (v === undefined || v === 'false') return false
  if (v === 'true') return true
  throw new BadParameter(`${name} must be true or false`)
}

function id(req: Request, name: string): string | undefined {
  const v = text(req, name, 100)
  if (v === undefined) return undefined
  if (!UUID.test(v)) throw new BadParameter(`${name} must be a UUID`)
  return v
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/i

/** An RFC 3339 date-time with its offset (2025-01-31T09:00:00Z, 2025-06-01T00:00:00+01:00), as epoch ms. */
export function parseDateTime(v: string): number | null {
  const m = DATE_TIME.exec(v)
  if (!m) return null
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[]
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate()
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour! > 23 || minute! > 59 || second! > 59)
    return null
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return null
  const t = Date.parse(v.toUpperCase())
  return Number.isNaN(t) ? null : t
}

function modifiedAfter(req: Request): number | undefined {
  const v = text(req, 'modified_after', 40)
  if (v === undefined) return undefined
  const t = parseDateTime(v)
  if (t === null)
    throw new BadParameter('modified_after must be a date and time with its offset, like 2025-01-31T09:00:00Z')
  return t
}

function format(req: Request) {
  const v = text(req, 'format', 20)
  if (v !== undefined && v !== 'json') throw new BadParameter('format must be json: keywork answers in JSON only')
}

/** The openapi.json Page: paging fields, then the page's items. */
function page<T>(items: T[], pageNumber: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(items.length / perPage))
  const slice = items.slice((pageNumber - 1) * perPage, pageNumber * perPage)
  return {
    slice,
    page: (contents: unknown[]) => ({
      total_items: items.length,
      total_pages: totalPages,
      page_number: pageNumber,
      size: contents.length,
      first_page: pageNumber === 1,
      last_page: pageNumber >= totalPages,
      empty: contents.length === 0,
      contents,
    }),
  }
}

function paging(req: Request) {
  return {
    pageNumber: whole(req, 'page', 1, 1, Infinity),
    perPage: whole(req, 'per_page', PER_PAGE_DEFAULT, 1, PER_PAGE_MAX),
  }
}

/** The one-to-one fields of an HSDS object: what the *_list shapes hold of it. */
function scalars(o: HsdsObject | undefined): HsdsObject {
  if (!o) return {}
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v === null || typeof v !== 'object'))
}

function byNameThenId(a: HsdsObject, b: HsdsObject): number {
  const an = String(a.name ?? '')
  const bn = String(b.name ?? '')
  if (an !== bn) return an < bn ? -1 : 1
  return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0
}

const matches = (search: string | undefined, ...fields: unknown[]) => {
  const words = (search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const hay = fields
    .filter(f => typeof f === 'string')
    .join(' ')
    .toLowerCase()
  return words.every(w => hay.includes(w))
}

let openapi: Record<string, unknown> | undefined

export function hsdsApiRoutes(s: Services): RouteDef[] {
  const hsds = s.hsds
  const api = apiRepository(s.db.db)
  const repo = hsdsRepository(s.db.db)

  /**
   * Whose directory the request reads, or undefined once it has been answered with a 401 or a 403. A bearer token,
   * when sent, decides (a script's token, not whoever is signed in in the same browser).
   */
  async function readerScope(req: Request, res: Response): Promise<Scope | undefined> {
    const header = req.get('authorization')
    if (header !== undefined) {
      const m = /^Bearer +(\S+) *$/i.exec(header)
      const check = await s.hsdsTokens.check(m ? m[1]! : '', { method: req.method, path: req.originalUrl }, 'hsds')
      if (!check.ok && check.reason === 'scope') {
        send(
          res,
          403,
          `This token is for ${SCOPE_NAMES[check.scope].replace(/^./, c => c.toLowerCase())}, not the services ` +
            'directory: the API tokens page makes a services directory (HSDS API) token',
        )
        return undefined
      }
      if (!check.ok) {
        res.set('WWW-Authenticate', 'Bearer realm="keywork HSDS API", error="invalid_token"')
        send(res, 401, 'The API token is not valid: it is unknown, revoked or not a keywork token')
        return undefined
      }
      const owner = check.caller.owner
      return owner === null
        ? { establishmentId: null, includeNational: false }
        : { establishmentId: owner, includeNational: true }
    }
    const ctx = res.locals.ctx as RequestContext | undefined
    if (!ctx) {
      res.set('WWW-Authenticate', 'Bearer realm="keywork HSDS API"')
      send(res, 401, 'Sign in, or send an API token as Authorization: Bearer <token>')
      return undefined
    }
    if (ctx.roles.length === 0 || !ctx.establishment) {
      send(res, 403, 'You have no role in an establishment to read its directory')
      return undefined
    }
    return { establishmentId: ctx.establishment.id, includeNational: true }
  }

  /** A route of the API: the reader's scope first, then the handler; a bad parameter is a JSON 400. */
  function route(path: string, handler: (req: Request, res: Response, scope: Scope) => Promise<void>): RouteDef {
    const h: RequestHandler = async (req, res) => {
      const scope = await readerScope(req, res)
      if (!scope) return
      try {
        format(req)
        await handler(req, res, scope)
      } catch (e) {
        if (e instanceof BadParameter) return send(res, 400, e.message)
        throw e
      }
    }
    return get(`${API_ROOT}${path}`, 'public', h)
  }

  /** Fully nested services (compiled service objects), in the order given, through the export's own code. */
  async function fullServices(scope: Scope, ids: string[]): Promise<HsdsObject[]> {
    const out: HsdsObject[] = []
    for (const sid of ids) {
      const one = await hsds.one(scope, sid)
      if (one) out.push(one)
    }
    return out
  }

  async function withOrganizations(rows: DirectoryServiceTable[]): Promise<HsdsObject[]> {
    const orgs = new Map(
      (await repo.organizations(s.db.db, [...new Set(rows.map(r => r.organization_id))])).map(o => [o.id, o]),
    )
    return rows.map(r => {
      const o = orgs.get(r.organization_id)
      return { ...scalars(serviceFields(r)), ...(o ? { organization: scalars(organizationFields(o)) } : {}) }
    })
  }

  /** The ids of the services in scope that pass the service filters of the request, by name then id. */
  async function filteredServiceIds(req: Request, scope: Scope): Promise<string[]> {
    const search = text(req, 'search')?.trim()
    const after = modifiedAfter(req)
    const termId = id(req, 'taxonomy_term_id')
    const taxonomyId = id(req, 'taxonomy_id')
    const organizationId = id(req, 'organization_id')
    let heads = await api.serviceHeads(scope, search ?? '')
    if (organizationId !== undefined) heads = heads.filter(h => h.organization_id === organizationId)
    if (after !== undefined) heads = heads.filter(h => Date.parse(h.updated_at) >= after)
    if (termId !== undefined) {
      // keywork's provision term is a column, exported as an attribute: both count
      const linked = await api.serviceIdsWith({ termId })
      const provision = Object.values(PROVISION_TERMS).find(t => t.id === termId)?.code
      heads = heads.filter(h => linked.has(h.id) || h.provision === provision)
    }
    if (taxonomyId !== undefined) {
      // every service carries a term of keywork's provision taxonomy
      if (taxonomyId !== PROVISION_TAXONOMY.id) {
        const linked = await api.serviceIdsWith({ taxonomyId })
        heads = heads.filter(h => linked.has(h.id))
      }
    }
    return heads.map(h => h.id)
  }

  /**
   * The taxonomies and terms a reader sees: keywork's (the pathways, keywork-provision) and any other held in
   * keywork's own tables, for everyone; other taxonomies an import brought, when the reader's directory brought them
   * or its services carry their terms. Other taxonomies' records are given as they came.
   */
  async function taxonomyData(scope: Scope) {
    const [taxonomies, terms, foreignTerms] = await Promise.all([
      repo.taxonomies(s.db.db),
      repo.taxonomyTerms(s.db.db),
      api.foreignTerms(scope),
    ])
    const foreignTaxonomies = await api.foreignTaxonomies(scope, [
      ...new Set(foreignTerms.flatMap(t => (t.taxonomy_id ? [t.taxonomy_id] : []))),
    ])
    const termMap = termObjects({ taxonomies, terms, foreignTerms })
    const details = new Map<string, HsdsObject>()
    for (const t of foreignTaxonomies) details.set(t.id, JSON.parse(t.data) as HsdsObject)
    for (const t of termMap.values())
      if (t.taxonomy_detail && typeof t.taxonomy_id === 'string' && !details.has(t.taxonomy_id))
        details.set(t.taxonomy_id, t.taxonomy_detail as HsdsObject)
    for (const t of taxonomies)
      if (!details.has(t.id))
        details.set(
          t.id,
          compact({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version }),
        )
    if (!details.has(PROVISION_TAXONOMY.id)) details.set(PROVISION_TAXONOMY.id, { ...PROVISION_TAXONOMY })
    return {
      taxonomies: [...details.values()].sort(byNameThenId),
      terms: [...termMap.values()].sort(byNameThenId),
    }
  }

  /** A nested service at location found in its service's full object, with the service (less its locations). */
  async function fullServiceAtLocation(scope: Scope, salId: string, serviceId: string) {
    const [service] = await fullServices(scope, [serviceId])
    if (!service) return undefined
    const sal = (service.service_at_locations as HsdsObject[] | undefined)?.find(x => x.id === salId)
    if (!sal) return undefined
    const { service_at_locations: _, ...serviceOnly } = service
    return { sal, service: serviceOnly }
  }

  return [
    route('', async (req, res) => {
      res.json({
        version: HSDS_VERSION,
        openapi_url: `${req.protocol}://${req.get('host')}${API_ROOT}/openapi.json`,
      })
    }),

    route('/openapi.json', async (req, res) => {
      openapi ??= loadHsdsSchema('openapi.json')
      res.json({
        ...openapi,
        info: {
          title: 'keywork HSDS API',
          version: s.config.version,
          summary: 'The services directory of a keywork establishment, read-only, as HSDS 3.0',
          description:
            'Sign in, or send an establishment’s API token as Authorization: Bearer <token>. Read-only: GET only.',
          license: { name: 'Open Government Licence v3.0', identifier: 'OGL-UK-3.0' },
        },
        servers: [{ url: `${req.protocol}://${req.get('host')}${API_ROOT}` }],
      })
    }),

    route('/services', async (req, res, scope) => {
      const { pageNumber, perPage } = paging(req)
      const full = bool(req, 'full')
      const minimal = bool(req, 'minimal')
      const ids = await filteredServiceIds(req, scope)
      const p = page(ids, pageNumber, perPage)
      let contents: HsdsObject[]
      if (full) contents = await fullServices(scope, p.slice)
      else {
        const rows = await api.servicesById(p.slice)
        contents = minimal ? rows.map(r => scalars(serviceFields(r))) : await withOrganizations(rows)
      }
      res.json(p.page(contents))
    }),

    route('/services/:serviceId', async (req, res, scope) => {
      const sid = param(req, 'serviceId')
      const [service] = UUID.test(sid) ? await fullServices(scope, [sid]) : []
      if (!service) return send(res, 404, 'Service not found')
      res.json(service)
    }),

    route('/organizations', async (req, res, scope) => {
      const { pageNumber, perPage } = paging(req)
      const search = text(req, 'search')
      const full = bool(req, 'full')
      const fullService = bool(req, 'full_service')
      const orgs = (await api.organizations(scope)).filter(o => matches(search, o.name, o.description))
      const p = page(orgs, pageNumber, perPage)
      if (!full && !fullService) return void res.json(p.page(p.slice.map(o => scalars(organizationFields(o)))))
      const services = await api.servicesOfOrganizations(
        scope,
        p.slice.map(o => o.id),
      )
      const nested = fullService
        ? await fullServices(
            scope,
            services.map(x => x.id),
          )
        : services.map(x => scalars(serviceFields(x)))
      res.json(
        p.page(
          p.slice.map(o => ({
            ...scalars(organizationFields(o)),
            services: nested.filter(x => x.organization_id === o.id),
          })),
        ),
      )
    }),

    route('/organizations/:organizationId', async (req, res, scope) => {
      const oid = param(req, 'organizationId')
      const org = UUID.test(oid) ? await api.organizationById(scope, oid) : undefined
      if (!org) return send(res, 404, 'Organization not found')
      const services = await api.servicesOfOrganizations(scope, [org.id])
      const nested = bool(req, 'full_service')
        ? await fullServices(
            scope,
            services.map(x => x.id),
          )
        : services.map(x => scalars(serviceFields(x)))
      res.json({ ...organizationFields(org), services: nested })
    }),

    route('/taxonomies', async (req, res, scope) => {
      const { pageNumber, perPage } = paging(req)
      const search = text(req, 'search')
      const { taxonomies } = await taxonomyData(scope)
      const p = page(
        taxonomies.filter(t => matches(search, t.name, t.description)),
        pageNumber,
        perPage,
      )
      res.json(p.page(p.slice))
    }),

    route('/taxonomies/:taxonomyId', async (req, res, scope) => {
      const tid = param(req, 'taxonomyId')
      const found = (await taxonomyData(scope)).taxonomies.find(t => t.id === tid)
      if (!found) return send(res, 404, 'Taxonomy not found')
      res.json(found)
    }),

    route('/taxonomy_terms', async (req, res, scope) => {
      const { pageNumber, perPage } = paging(req)
      const search = text(req, 'search')
      const taxonomyId = id(req, 'taxonomy_id')
      const parentId = id(req, 'parent_id')
      const topOnly = bool(req, 'top_only')
      const { terms } = await taxonomyData(scope)
      const p = page(
        terms.filter(
          t =>
            matches(search, t.name, t.code, t.description) &&
            (taxonomyId === undefined || t.taxonomy_id === taxonomyId) &&
            (parentId === undefined || t.parent_id === parentId) &&
            (!topOnly || t.parent_id === undefined),
        ),
        pageNumber,
        perPage,
      )
      res.json(p.page(p.slice))
    }),

    route('/taxonomy_terms/:taxonomyTermId', async (req, res, scope) => {
      const tid = param(req, 'taxonomyTermId')
      const found = (await taxonomyData(scope)).terms.find(t => t.id === tid)
      if (!found) return send(res, 404, 'Taxonomy term not found')
      res.json(found)
    }),

    route('/service_at_locations', async (req, res, scope) => {
      const { pageNumber, perPage } = paging(req)
      const full = bool(req, 'full')
      for (const unsupported of ['postcode', 'proximity'])
        if (text(req, unsupported) !== undefined)
          throw new BadParameter(`${unsupported} is not supported: keywork keeps no coordinates to measure from`)
      const order = new Map((await filteredServiceIds(req, scope)).map((sid, i) => [sid, i]))
      const sals = (await api.serviceAtLocationHeads(scope))
        .filter(x => order.has(x.service_id))
        .sort((a, b) => order.get(a.service_id)! - order.get(b.service_id)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const p = page(sals, pageNumber, perPage)
      const services = new Map(
        (await fullServices(scope, [...new Set(p.slice.map(x => x.service_id))])).map(x => [String(x.id), x]),
      )
      const contents = p.slice.flatMap(x => {
        const service = services.get(x.service_id)
        const sal = (service?.service_at_locations as HsdsObject[] | undefined)?.find(y => y.id === x.id)
        if (!service || !sal) return []
        const { service_at_locations: _, ...serviceOnly } = service
        if (full) return [{ ...sal, service: serviceOnly }]
        return [
          {
            ...scalars(sal),
            ...(sal.location ? { location: scalars(sal.location as HsdsObject) } : {}),
            service: {
              ...scalars(service),
              ...(service.organization ? { organization: scalars(service.organization as HsdsObject) } : {}),
            },
          },
        ]
      })
      res.json(p.page(contents))
    }),

    route('/service_at_locations/:serviceAtLocationId', async (req, res, scope) => {
      const sid = param(req, 'serviceAtLocationId')
      const head = UUID.test(sid) ? await api.serviceAtLocationById(scope, sid) : undefined
      const found = head ? await fullServiceAtLocation(scope, head.id, head.service_id) : undefined
      if (!found) return send(res, 404, 'Service at location not found')
      res.json({ ...found.sal, service: found.service })
    }),
  ]
}

const TOKEN_MANAGERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

/**
 * The page where an establishment admin (or the national team, for the national services) gives partners API tokens
 * and revokes them: for the services directory (the HSDS API, read-only), or an establishment's for its learning
 * record store (training records by xAPI). A new token is shown once, on the page that answers its creation, and
 * never stored.
 */
export function apiTokenRoutes(s: Services): RouteDef[] {
  const tokens = s.hsdsTokens

  const ownerOf = (res: Response) => (hasRole(res, 'NATIONAL_POLICY') ? null : establishmentOf(res).id)
  const directoryName = (res: Response, owner: number | null) =>
    owner === null ? 'the national directory' : `the directory of ${establishmentOf(res).name}`

  async function render(req: Request, res: Response, created?: { name: string; token: string; xapi: boolean }) {
    const owner = ownerOf(res)
    const form = takeForm(req, { name: '', scope: '' })
    res.render('directory/hsds/views/api-tokens', {
      pageTitle: created ? 'API token created' : 'API tokens',
      directoryName: directoryName(res, owner),
      national: owner === null,
      tokens: (await tokens.list(owner)).map(t => ({ ...t, purpose: SCOPE_NAMES[t.scope] })),
      scopes: Object.entries(SCOPE_CHOICES).map(([value, text]) => ({ value, text })),
      created,
      apiUrl: `${req.protocol}://${req.get('host')}${created?.xapi ? '/api/xapi/statements' : `${API_ROOT}/services`}`,
      ...form,
    })
  }

  return [
    get('/directory/api-tokens', TOKEN_MANAGERS, (req, res) => render(req, res)),

    post('/directory/api-tokens', TOKEN_MANAGERS, async (req, res) => {
      const owner = ownerOf(res)
      const form = parseForm(tokenFormSchema(owner === null), req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/directory/api-tokens')
      const { name, scope } = form.data
      const r = await tokens.create(actorOf(res), owner, name, scope)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/directory/api-tokens')
      await render(req, res, { name, token: r.value.token, xapi: scope === 'xapi' })
    }),

    post('/directory/api-tokens/revoke', TOKEN_MANAGERS, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const raw = typeof body.tokenId === 'string' ? body.tokenId : ''
      if (!/^[1-9]\d{0,9}$/.test(raw))
        return redirectWithErrors(req, res, { tokenId: 'Choose a token to revoke' }, '/directory/api-tokens')
      const outcome = await tokens.revoke(actorOf(res), ownerOf(res), Number(raw))
      if (outcome === 'not-found') throw new HttpError(404)
      flash(
        req,
        outcome === 'revoked' ? 'The token is revoked: it no longer opens the API' : 'The token was already revoked',
      )
      res.redirect(303, '/directory/api-tokens')
    }),
  ]
}
