import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import supertest from 'supertest'
import { type Browser, signedIn, testWorld } from '../../../../test/harness'
import { SYSTEM_ACTOR } from '../../../platform/audit/service'
import { HSDS_DIR, closed, loadHsdsSchema } from './schemas'

// The HSDS API (api.ts) over a hand-built directory: three establishments' worth of services (MDI's, LEI's and a
// national one) whose ids are written here, each filter's expected ids written by hand; every answer validated
// against the vendored HSDS 3.0 schemas and openapi.json; the partner tokens, their scope, storage and audit.

type Obj = Record<string, unknown>

// --- the vendored schemas, as published, under the addresses openapi.json gives them ---

const SPEC = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/'
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, validateSchema: false }))
for (const f of readdirSync(HSDS_DIR).filter(f => f.endsWith('.json') && f !== 'openapi.json'))
  ajv.addSchema(loadHsdsSchema(f), `${SPEC}${f}`)
for (const f of readdirSync(path.join(HSDS_DIR, 'compiled')).filter(
  f => f.endsWith('_list.json') || /^(service|organization|service_at_location)\.json$/.test(f),
))
  ajv.addSchema(loadHsdsSchema(`compiled/${f}`), `${SPEC}compiled/${f}`)

const openapi = loadHsdsSchema('openapi.json') as {
  paths: Record<string, { get: { responses: { 200: { content: { 'application/json': { schema: Obj } } } } } }>
  components: { schemas: { Page: Obj } }
}

/** openapi.json's own response schema of a path (the Page reference inlined), compiled. */
function responseValidator(p: string): ValidateFunction {
  const schema = JSON.parse(
    JSON.stringify(openapi.paths[p]!.get.responses[200].content['application/json'].schema).replaceAll(
      '{"$ref":"#/components/schemas/Page"}',
      JSON.stringify(openapi.components.schemas.Page),
    ),
  ) as Obj
  return ajv.compile(schema)
}

/** The same schema with no field HSDS does not define: a list shape holds no nested arrays. */
const strict = (name: string) => ajv.compile(closed(loadHsdsSchema(name)) as Obj)

const V = {
  root: responseValidator('/'),
  services: responseValidator('/services'),
  service: responseValidator('/services/{id}'),
  organizations: responseValidator('/organizations'),
  organization: responseValidator('/organizations/{id}'),
  taxonomies: responseValidator('/taxonomies'),
  taxonomy: responseValidator('/taxonomies/{id}'),
  terms: responseValidator('/taxonomy_terms'),
  term: responseValidator('/taxonomy_terms/{id}'),
  sals: responseValidator('/service_at_locations'),
  // openapi.json names compiled/service.json for one service at location, though it describes a service at location
  sal: ajv.getSchema(`${SPEC}compiled/service_at_location.json`)!,
  strictServiceList: strict('compiled/service_list.json'),
  strictOrganizationList: strict('compiled/organization_list.json'),
  strictSalList: strict('compiled/service_at_location_list.json'),
}

function valid(v: ValidateFunction, body: unknown, what: string) {
  assert.ok(v(body), `${what}: ${JSON.stringify(v.errors?.slice(0, 5))}`)
}

const PAGE_KEYS = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents']

// --- the hand-built directory ---

const ORG_A = '0a000000-0000-4000-8000-00000000000a' // MDI: Alpha Trust
const ORG_B = '0b000000-0000-4000-8000-00000000000b' // MDI: Beta Housing
const ORG_L = '0c000000-0000-4000-8000-00000000000c' // LEI: Leeds Futures
const ORG_N = '0d000000-0000-4000-8000-00000000000d' // national: National Advice
const S1 = '51000000-0000-4000-8000-000000000001' // MDI, Alpha, Apple housing: accommodation, internal
const S2 = '52000000-0000-4000-8000-000000000002' // MDI, Beta, Banana benefits: finance, council term
const S3 = '53000000-0000-4000-8000-000000000003' // MDI, Alpha, Cherry health: health and accommodation, internal
const S4 = '54000000-0000-4000-8000-000000000004' // LEI, Leeds Futures, Damson housing: accommodation
const S5 = '55000000-0000-4000-8000-000000000005' // national, Elder advice: accommodation
const SAL1 = 'a1000000-0000-4000-8000-000000000001'
const SAL2 = 'a2000000-0000-4000-8000-000000000002'
const SAL4 = 'a4000000-0000-4000-8000-000000000004'
const SAL5 = 'a5000000-0000-4000-8000-000000000005'

// keywork's terms (domain/pathways.ts, model.ts), written out
const ACCOMMODATION = 'c71ed244-b89f-5dba-9497-ffa7879229e7'
const HEALTH = 'a933e20a-f7c3-5718-94f5-e95c3bcb7c13'
const FINANCE = 'df9a33af-5fa2-52ba-bd8c-4cc80afd4699'
const PATHWAY_TAXONOMY = 'f1c5d7f2-6a43-5b1e-9a57-3c0e8d0b2a11'
const PROVISION_TAXONOMY = '7b0c4f6e-2d1a-5c8e-9f3b-6a4d2e1c0b9a'
const INTERNAL = '3e7f0a52-9c4b-5d1e-8a6f-1b2c3d4e5f60'
const EXTERNAL = 'a1b2c3d4-5e6f-5a7b-8c9d-0e1f2a3b4c5d'
// a council's own taxonomy, written to the database directly
const COUNCIL_TAXONOMY = 'cc000000-0000-4000-8000-0000000000cc'
const COUNCIL_TERM = 'ce000000-0000-4000-8000-0000000000ce'
// another taxonomy as a publisher's file brings it: a term and its child, kept as they came (MDI's import)
const UK_TAXONOMY = 'fa000000-0000-4000-8000-0000000000fa'
const UK_HOUSING = 'f1000000-0000-4000-8000-0000000000f1' // on Apple housing; mapped to finance below
const UK_EMERGENCY = 'f2000000-0000-4000-8000-0000000000f2' // child of UK_HOUSING, on Cherry health
const UK_DETAIL = { id: UK_TAXONOMY, name: 'Open Referral UK', description: 'The UK services taxonomy' }
const ukTerm = (id: string, name: string, code: string, parent?: string) => ({
  id,
  name,
  description: `${name}, as Open Referral UK describes it`,
  code,
  ...(parent ? { parent_id: parent } : {}),
  taxonomy_id: UK_TAXONOMY,
  taxonomy_detail: UK_DETAIL,
})

let n = 0
const uuid = () => `ee000000-0000-4000-8000-${String(++n).padStart(12, '0')}`

function org(id: string, name: string) {
  return { id, name, description: `${name} helps people leaving prison` }
}

function serviceAtLocation(serviceId: string, name: string, sal: { id: string; location: string }) {
  const locationId = uuid()
  return {
    id: sal.id,
    service_id: serviceId,
    location_id: locationId,
    description: `${name} at ${sal.location}`,
    location: { id: locationId, location_type: 'physical', name: sal.location },
  }
}

function service(
  id: string,
  organization: Obj,
  name: string,
  lastModified: string,
  terms: string[],
  sal?: { id: string; location: string },
  foreign: Obj[] = [],
) {
  return {
    id,
    organization_id: organization.id,
    name,
    description: `${name} for men leaving prison`,
    status: 'active',
    last_modified: lastModified,
    organization,
    service_at_locations: sal ? [serviceAtLocation(id, name, sal)] : [],
    contacts: [{ id: uuid(), service_id: id, name: 'Sam Hughes', title: 'Adviser' }],
    phones: [{ id: uuid(), service_id: id, number: '0113 496 0100', type: 'voice' }],
    attributes: [
      ...terms.map(t => ({ id: uuid(), link_id: id, link_entity: 'service', taxonomy_term_id: t })),
      ...foreign.map(t => ({
        id: uuid(),
        link_id: id,
        link_entity: 'service',
        taxonomy_term_id: t.id,
        taxonomy_term: t,
      })),
    ],
  }
}

const A = org(ORG_A, 'Alpha Trust')
const B = org(ORG_B, 'Beta Housing')
const MDI_FILE = [
  service(S1, A, 'Apple housing', '2025-01-10T09:00:00Z', [ACCOMMODATION, INTERNAL], { id: SAL1, location: 'Wing A' }, [
    ukTerm(UK_HOUSING, 'Housing support', 'UK-H'),
  ]),
  // a quarter past midnight in London on 1 March is 23:15 UTC on 28 February
  service(S2, B, 'Banana benefits', '2025-03-01T00:15:00+01:00', [FINANCE, EXTERNAL], {
    id: SAL2,
    location: 'Library',
  }),
  service(S3, A, 'Cherry health', '2025-06-01T12:00:00Z', [HEALTH, ACCOMMODATION, INTERNAL], undefined, [
    ukTerm(UK_EMERGENCY, 'Emergency housing', 'UK-H1', UK_HOUSING),
  ]),
]
const LEI_FILE = [
  service(S4, org(ORG_L, 'Leeds Futures'), 'Damson housing', '2025-07-01T00:00:00Z', [ACCOMMODATION, EXTERNAL], {
    id: SAL4,
    location: 'Leeds hub',
  }),
]
const NATIONAL_FILE = [
  service(S5, org(ORG_N, 'National Advice'), 'Elder advice', '2025-05-01T00:00:00Z', [ACCOMMODATION, EXTERNAL], {
    id: SAL5,
    location: 'Online',
  }),
]

const ids = (page: Obj) => (page.contents as Obj[]).map(x => x.id)
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

describe('HSDS API', () => {
  let world: Awaited<ReturnType<typeof testWorld>>
  let keyWorker: Browser
  let admin: Browser
  let leiAdmin: Browser
  let national: Browser

  before(async () => {
    world = await testWorld()
    const s = world.services
    for (const [owner, file, name] of [
      [world.est.MDI!, MDI_FILE, 'mdi.json'],
      [world.est.LEI!, LEI_FILE, 'lei.json'],
      [null, NATIONAL_FILE, 'national.json'],
    ] as const) {
      const outcome = await s.hsds.import(SYSTEM_ACTOR, owner, Buffer.from(JSON.stringify(file)), name)
      assert.equal(outcome.status, 'imported', JSON.stringify(outcome).slice(0, 2000))
    }
    // a council's own taxonomy, and its term on Banana benefits
    const db = s.db.db
    await db
      .insertInto('directory_taxonomies')
      .values({
        id: COUNCIL_TAXONOMY,
        name: 'Council categories',
        description: 'A council’s own',
        uri: null,
        version: '2',
      })
      .execute()
    await db
      .insertInto('directory_taxonomy_terms')
      .values({
        id: COUNCIL_TERM,
        taxonomy_id: COUNCIL_TAXONOMY,
        code: 'council-benefits',
        name: 'Benefits help',
        description: 'Help to claim benefits',
      })
      .execute()
    await db
      .insertInto('directory_attributes')
      .values({
        id: uuid(),
        link_id: S2,
        link_type: null,
        link_entity: 'service',
        taxonomy_term_id: COUNCIL_TERM,
        value: null,
      })
      .execute()
    // an admin has mapped the UK housing term to the finance pathway (features/directory mapping, by hand here)
    await db
      .updateTable('directory_foreign_terms')
      .set({ pathway_term_id: FINANCE })
      .where('id', '=', UK_HOUSING)
      .execute()
    ;[keyWorker, admin, leiAdmin, national] = await Promise.all([
      signedIn(world, 'key_worker.mdi'),
      signedIn(world, 'establishment_admin.mdi'),
      signedIn(world, 'establishment_admin.lei'),
      signedIn(world, 'national'),
    ])
  })
  after(() => world.close())

  /** A GET as the MDI Key Worker: 200 JSON, no-store. */
  async function read(url: string, as: Browser = keyWorker): Promise<Obj> {
    const res = await as.get(url)
    assert.equal(res.status, 200, `${url}: ${res.status} ${res.text.slice(0, 300)}`)
    assert.match(String(res.headers['content-type']), /^application\/json/, url)
    assert.equal(res.headers['cache-control'], 'no-store', url)
    return res.body as Obj
  }

  async function page(url: string, v: ValidateFunction): Promise<Obj> {
    const body = await read(url)
    valid(v, body, url)
    assert.deepEqual(Object.keys(body).sort(), [...PAGE_KEYS].sort(), url)
    return body
  }

  describe('without a session or a valid token', () => {
    it('answers every endpoint with a JSON 401, not the sign-in page, whatever the request accepts', async () => {
      const anonymous = supertest(world.app)
      for (const url of [
        '/api/hsds',
        '/api/hsds/',
        '/api/hsds/services',
        `/api/hsds/services/${S1}`,
        '/api/hsds/organizations',
        '/api/hsds/taxonomies',
        '/api/hsds/taxonomy_terms',
        '/api/hsds/service_at_locations',
      ]) {
        for (const accept of ['text/html', 'application/json', '*/*']) {
          const res = await anonymous.get(url).set('Accept', accept)
          assert.equal(res.status, 401, `${url} (${accept})`)
          assert.match(String(res.headers['content-type']), /^application\/json/, url)
          assert.equal((res.body as Obj).status, 401)
          assert.equal(res.headers.location, undefined)
          assert.equal(res.headers['set-cookie'], undefined, `${url}: no session is started`)
          assert.equal(res.headers['cache-control'], 'no-store')
        }
      }
    })

    it('answers an unknown API path with a JSON 404', async () => {
      const res = await keyWorker.get('/api/hsds/programs').set('Accept', 'text/html')
      assert.equal(res.status, 404)
      assert.match(String(res.headers['content-type']), /^application\/json/)
      assert.equal((res.body as Obj).status, 404)
    })
  })

  describe('the API root', () => {
    it('gives the HSDS version and where its openapi.json is, as openapi.json describes', async () => {
      const body = await read('/api/hsds')
      valid(V.root, body, '/')
      assert.equal(body.version, '3.0')
      const url = new URL(String(body.openapi_url))
      const doc = await read(url.pathname)
      assert.equal(typeof (doc.paths as Obj)['/services'], 'object')
      assert.equal((doc.info as Obj).title, 'keywork HSDS API')
    })
  })

  describe('GET /services', () => {
    it('lists own and national services, never another establishment’s, by name, in the list shape', async () => {
      const body = await page('/api/hsds/services', V.services)
      assert.deepEqual(ids(body), [S1, S2, S3, S5])
      assert.deepEqual(
        [body.total_items, body.total_pages, body.page_number, body.size, body.first_page, body.last_page, body.empty],
        [4, 1, 1, 4, true, true, false],
      )
      for (const item of body.contents as Obj[]) {
        valid(V.strictServiceList, item, String(item.id))
        assert.equal(typeof item.organization, 'object')
      }
      assert.equal(((body.contents as Obj[])[0]!.organization as Obj).name, 'Alpha Trust')
    })

    it('pages', async () => {
      const body = await page('/api/hsds/services?per_page=3&page=2', V.services)
      assert.deepEqual(ids(body), [S5])
      assert.deepEqual(
        [body.total_items, body.total_pages, body.page_number, body.size, body.first_page, body.last_page],
        [4, 2, 2, 1, false, true],
      )
      const beyond = await page('/api/hsds/services?per_page=3&page=9', V.services)
      assert.deepEqual([beyond.size, beyond.empty, ids(beyond)], [0, true, []])
    })

    it('filters by organization_id', async () => {
      assert.deepEqual(ids(await page(`/api/hsds/services?organization_id=${ORG_A}`, V.services)), [S1, S3])
      assert.deepEqual(ids(await page(`/api/hsds/services?organization_id=${ORG_L}`, V.services)), [])
    })

    it('filters by taxonomy_term_id: a pathway, keywork’s provision and a council’s own term', async () => {
      const by = async (t: string) => ids(await page(`/api/hsds/services?taxonomy_term_id=${t}`, V.services))
      assert.deepEqual(await by(ACCOMMODATION), [S1, S3, S5])
      assert.deepEqual(await by(HEALTH), [S3])
      assert.deepEqual(await by(INTERNAL), [S1, S3])
      assert.deepEqual(await by(EXTERNAL), [S2, S5])
      assert.deepEqual(await by(COUNCIL_TERM), [S2])
      assert.deepEqual(await by(UK_HOUSING), [S1])
      assert.deepEqual(await by(UK_EMERGENCY), [S3])
      // Apple housing carries the UK housing term, mapped to finance
      assert.deepEqual(await by(FINANCE), [S1, S2])
    })

    it('filters by taxonomy_id', async () => {
      const by = async (t: string) => ids(await page(`/api/hsds/services?taxonomy_id=${t}`, V.services))
      assert.deepEqual(await by(COUNCIL_TAXONOMY), [S2])
      assert.deepEqual(await by(UK_TAXONOMY), [S1, S3])
      assert.deepEqual(await by(PATHWAY_TAXONOMY), [S1, S2, S3, S5])
      assert.deepEqual(await by(PROVISION_TAXONOMY), [S1, S2, S3, S5])
      assert.deepEqual(await by('99999999-0000-4000-8000-000000000000'), [])
    })

    it('filters by modified_after (on or after), comparing instants, not text', async () => {
      const by = async (t: string) =>
        ids(await page(`/api/hsds/services?modified_after=${encodeURIComponent(t)}`, V.services))
      // Banana benefits was modified at 2025-02-28T23:15:00Z, written with a +01:00 offset
      assert.deepEqual(await by('2025-03-01T00:00:00Z'), [S3, S5])
      assert.deepEqual(await by('2025-02-28T23:15:00Z'), [S2, S3, S5])
      assert.deepEqual(await by('2025-03-01T00:15:00+01:00'), [S2, S3, S5])
      assert.deepEqual(await by('2025-02-28T23:15:01Z'), [S3, S5])
      assert.deepEqual(await by('2020-01-01T00:00:00.000Z'), [S1, S2, S3, S5])
      assert.deepEqual(await by('2030-01-01T00:00:00Z'), [])
    })

    it('combines filters', async () => {
      const url = `/api/hsds/services?organization_id=${ORG_A}&taxonomy_term_id=${ACCOMMODATION}&modified_after=2025-02-01T00:00:00Z`
      assert.deepEqual(ids(await page(url, V.services)), [S3])
    })

    it('minimal=true gives only each service’s own fields', async () => {
      const body = await page('/api/hsds/services?minimal=true', V.services)
      assert.deepEqual(ids(body), [S1, S2, S3, S5])
      for (const item of body.contents as Obj[]) {
        valid(V.strictServiceList, item, String(item.id))
        assert.equal(item.organization, undefined)
        assert.ok(
          Object.values(item).every(v => typeof v !== 'object'),
          JSON.stringify(item),
        )
      }
      assert.deepEqual(Object.keys((body.contents as Obj[])[0]!).sort(), [
        'description',
        'id',
        'last_modified',
        'name',
        'organization_id',
        'status',
      ])
    })

    it('full=true gives fully nested services, valid compiled services', async () => {
      const body = await page(`/api/hsds/services?full=true&organization_id=${ORG_A}`, V.services)
      assert.deepEqual(ids(body), [S1, S3])
      const service = ajv.getSchema(`${SPEC}compiled/service.json`)!
      for (const item of body.contents as Obj[]) {
        valid(service, item, String(item.id))
        assert.equal((item.contacts as Obj[]).length, 1)
      }
      assert.deepEqual(
        ((body.contents as Obj[])[0]!.service_at_locations as Obj[]).map(x => x.id),
        [SAL1],
      )
    })

    it('refuses bad parameters with a JSON 400 naming them', async () => {
      for (const [q, param] of [
        ['modified_after=yesterday', 'modified_after'],
        ['modified_after=2025-02-30T00:00:00Z', 'modified_after'],
        ['modified_after=2025-01-01', 'modified_after'],
        ['modified_after=2025-01-01T24:00:00Z', 'modified_after'],
        ['taxonomy_term_id=housing', 'taxonomy_term_id'],
        ['taxonomy_id=1', 'taxonomy_id'],
        ['organization_id=x', 'organization_id'],
        ['full=yes', 'full'],
        ['minimal=1', 'minimal'],
        ['page=0', 'page'],
        ['per_page=1000', 'per_page'],
        ['format=ndjson', 'format'],
        ['search=a&search=b', 'search'],
      ]) {
        const res = await keyWorker.get(`/api/hsds/services?${q}`).set('Accept', 'text/html')
        assert.equal(res.status, 400, q)
        assert.match(String(res.headers['content-type']), /^application\/json/, q)
        assert.equal((res.body as Obj).status, 400, q)
        assert.match(String((res.body as Obj).message), new RegExp(`^${param} `), q)
      }
    })
  })

  describe('GET /services/{id}', () => {
    it('gives a fully nested service, and a JSON 404 for another establishment’s', async () => {
      valid(V.service, await read(`/api/hsds/services/${S5}`), 'national service')
      for (const id of [S4, 'nope']) {
        const res = await keyWorker.get(`/api/hsds/services/${id}`).set('Accept', 'text/html')
        assert.equal(res.status, 404)
        assert.deepEqual(res.body, { status: 404, message: 'Service not found' })
      }
    })
  })

  describe('organizations', () => {
    it('lists the organisations of own and national services, in the list shape', async () => {
      const body = await page('/api/hsds/organizations', V.organizations)
      assert.deepEqual(ids(body), [ORG_A, ORG_B, ORG_N])
      for (const item of body.contents as Obj[]) valid(V.strictOrganizationList, item, String(item.id))
      const found = await page('/api/hsds/organizations?search=beta', V.organizations)
      assert.deepEqual(ids(found), [ORG_B])
    })

    it('full=true nests each organisation’s services; full_service=true fully', async () => {
      const body = await page('/api/hsds/organizations?full=true&per_page=1', V.organizations)
      assert.deepEqual(ids(body), [ORG_A])
      assert.deepEqual(
        ((body.contents as Obj[])[0]!.services as Obj[]).map(x => x.id),
        [S1, S3],
      )
      const fully = await page('/api/hsds/organizations?full_service=true&per_page=1', V.organizations)
      const services = (fully.contents as Obj[])[0]!.services as Obj[]
      assert.equal((services[0]!.contacts as Obj[]).length, 1)
    })

    it('gives one organisation with its services, and a JSON 404 for another establishment’s', async () => {
      const body = await read(`/api/hsds/organizations/${ORG_A}`)
      valid(V.organization, body, 'organisation')
      assert.deepEqual(
        (body.services as Obj[]).map(x => x.id),
        [S1, S3],
      )
      const full = await read(`/api/hsds/organizations/${ORG_A}?full_service=true`)
      valid(V.organization, full, 'organisation with full services')
      assert.equal(((full.services as Obj[])[0]!.service_at_locations as Obj[]).length, 1)
      const res = await keyWorker.get(`/api/hsds/organizations/${ORG_L}`)
      assert.equal(res.status, 404)
      assert.deepEqual(res.body, { status: 404, message: 'Organization not found' })
    })
  })

  describe('taxonomies and terms', () => {
    it('lists the taxonomies: keywork’s pathways and provision, the council’s and the one MDI’s file brought', async () => {
      const body = await page('/api/hsds/taxonomies', V.taxonomies)
      // by name: Council categories, Open Referral UK, Pathways to reduce reoffending, keywork-provision
      assert.deepEqual(ids(body), [COUNCIL_TAXONOMY, UK_TAXONOMY, PATHWAY_TAXONOMY, PROVISION_TAXONOMY])
      assert.deepEqual(await read(`/api/hsds/taxonomies/${UK_TAXONOMY}`), UK_DETAIL)
      // LEI's directory neither brought it nor carries its terms
      const lei = (await leiAdmin.get('/api/hsds/taxonomies')).body as Obj
      assert.deepEqual(ids(lei), [COUNCIL_TAXONOMY, PATHWAY_TAXONOMY, PROVISION_TAXONOMY])
      assert.equal((await leiAdmin.get(`/api/hsds/taxonomies/${UK_TAXONOMY}`)).status, 404)
      valid(V.taxonomy, await read(`/api/hsds/taxonomies/${COUNCIL_TAXONOMY}`), 'taxonomy')
      valid(V.taxonomy, await read(`/api/hsds/taxonomies/${PROVISION_TAXONOMY}`), 'provision taxonomy')
      const res = await keyWorker.get('/api/hsds/taxonomies/99999999-0000-4000-8000-000000000000')
      assert.deepEqual([res.status, res.body], [404, { status: 404, message: 'Taxonomy not found' }])
    })

    it('lists terms, by taxonomy and by search', async () => {
      const all = await page('/api/hsds/taxonomy_terms?per_page=100', V.terms)
      // eight pathways (the seven, and wellbeing and safety), two provision terms, the council's, two UK terms
      assert.equal(all.total_items, 13)
      const council = await page(`/api/hsds/taxonomy_terms?taxonomy_id=${COUNCIL_TAXONOMY}`, V.terms)
      assert.deepEqual(ids(council), [COUNCIL_TERM])
      const provision = await page(`/api/hsds/taxonomy_terms?taxonomy_id=${PROVISION_TAXONOMY}`, V.terms)
      assert.deepEqual(ids(provision), [EXTERNAL, INTERNAL])
      assert.deepEqual(ids(await page('/api/hsds/taxonomy_terms?search=accommodation', V.terms)), [ACCOMMODATION])
      assert.equal((await page('/api/hsds/taxonomy_terms?top_only=true&per_page=100', V.terms)).total_items, 12)
      assert.deepEqual(ids(await page(`/api/hsds/taxonomy_terms?parent_id=${UK_HOUSING}`, V.terms)), [UK_EMERGENCY])
      // by name: Emergency housing, Housing support
      assert.deepEqual(ids(await page(`/api/hsds/taxonomy_terms?taxonomy_id=${UK_TAXONOMY}`, V.terms)), [
        UK_EMERGENCY,
        UK_HOUSING,
      ])
      const uk = await read(`/api/hsds/taxonomy_terms/${UK_EMERGENCY}`)
      valid(V.term, uk, 'a term kept as it came')
      assert.deepEqual(uk, ukTerm(UK_EMERGENCY, 'Emergency housing', 'UK-H1', UK_HOUSING))
      assert.equal((await leiAdmin.get(`/api/hsds/taxonomy_terms/${UK_HOUSING}`)).status, 404)
      const term = await read(`/api/hsds/taxonomy_terms/${COUNCIL_TERM}`)
      valid(V.term, term, 'term')
      assert.equal((term.taxonomy_detail as Obj).name, 'Council categories')
      assert.equal((await keyWorker.get(`/api/hsds/taxonomy_terms/${S1}`)).status, 404)
    })
  })

  describe('service_at_locations', () => {
    it('lists own and national services at their locations, with the service filters', async () => {
      const body = await page('/api/hsds/service_at_locations', V.sals)
      assert.deepEqual(ids(body), [SAL1, SAL2, SAL5])
      for (const item of body.contents as Obj[]) valid(V.strictSalList, item, String(item.id))
      assert.equal(((body.contents as Obj[])[1]!.service as Obj).name, 'Banana benefits')
      assert.equal(((body.contents as Obj[])[1]!.location as Obj).name, 'Library')
      const by = async (q: string) => ids(await page(`/api/hsds/service_at_locations?${q}`, V.sals))
      assert.deepEqual(await by(`organization_id=${ORG_B}`), [SAL2])
      assert.deepEqual(await by(`taxonomy_term_id=${ACCOMMODATION}`), [SAL1, SAL5])
      assert.deepEqual(await by(`taxonomy_id=${COUNCIL_TAXONOMY}`), [SAL2])
      assert.deepEqual(await by(`taxonomy_id=${UK_TAXONOMY}`), [SAL1])
      assert.deepEqual(await by('modified_after=2025-02-28T23:15:00Z'), [SAL2, SAL5])
      const full = await page('/api/hsds/service_at_locations?full=true', V.sals)
      for (const item of full.contents as Obj[]) valid(V.sal, item, String(item.id))
      assert.equal((await keyWorker.get('/api/hsds/service_at_locations?postcode=LS1')).status, 400)
    })

    it('gives one fully nested, and a JSON 404 for another establishment’s', async () => {
      const body = await read(`/api/hsds/service_at_locations/${SAL5}`)
      valid(V.sal, body, 'service at location')
      assert.equal((body.service as Obj).id, S5)
      assert.equal((body.location as Obj).name, 'Online')
      const res = await keyWorker.get(`/api/hsds/service_at_locations/${SAL4}`)
      assert.deepEqual([res.status, res.body], [404, { status: 404, message: 'Service at location not found' }])
    })
  })

  describe('API tokens', () => {
    const db = () => world.services.db.db
    const lastAudit = async (n = 1) =>
      (
        await db()
          .selectFrom('audit_events')
          .select(['user_id', 'username', 'establishment_id', 'action', 'entity', 'entity_id', 'changes'])
          .orderBy('id', 'desc')
          .limit(n)
          .execute()
      ).reverse()

    async function create(as: Browser, name: string, scope: 'hsds' | 'xapi' = 'hsds'): Promise<string> {
      const res = await as.post('/directory/api-tokens', { name, scope }, '/directory/api-tokens')
      assert.equal(res.status, 200, res.text.slice(0, 500))
      const m = /<code id="new-token"[^>]*>([^<]+)<\/code>/.exec(res.text)
      assert.ok(m, 'the new token is shown')
      return m[1]!
    }

    const bearer = (token: string, url: string) =>
      supertest(world.app).get(url).set('Authorization', `Bearer ${token}`).set('Accept', 'application/json')

    it('creates a token shown once, storing only its SHA-256, and audits the creation', async () => {
      const token = await create(admin, 'Leeds City Council')
      assert.match(token, /^kwh_[A-Za-z0-9_-]{43}$/)
      const rows = await db().selectFrom('api_tokens').selectAll().execute()
      assert.equal(rows.length, 1)
      const row = rows[0]!
      assert.equal(row.token_hash, sha256(token))
      assert.equal(row.establishment_id, world.est.MDI)
      assert.equal(row.name, 'Leeds City Council')
      assert.equal(row.scope, 'hsds')
      assert.equal(row.created_by, 'establishment_admin.mdi')
      assert.equal(row.last_used_at, null)
      assert.ok(!Object.values(row).some(v => typeof v === 'string' && v.includes(token.slice(4))), 'no token stored')
      const [event] = await lastAudit()
      assert.deepEqual(
        { ...event, changes: JSON.parse(String(event!.changes)) as unknown },
        {
          user_id: event!.user_id,
          username: 'establishment_admin.mdi',
          establishment_id: world.est.MDI,
          action: 'create',
          entity: 'api_token',
          entity_id: String(row.id),
          changes: { name: 'Leeds City Council', purpose: 'Services directory (HSDS API)' },
        },
      )
      assert.notEqual(event!.user_id, null)
      const list = await admin.get('/directory/api-tokens')
      assert.equal(list.status, 200)
      assert.match(list.text, /Leeds City Council/)
      assert.match(list.text, /establishment_admin\.mdi/)
      assert.match(list.text, /Never/)
      assert.match(list.text, /<td class="govuk-table__cell">Services directory \(HSDS API\)<\/td>/)
      assert.ok(!list.text.includes(token), 'the list never shows the token')
    })

    it('makes a training records (xAPI) token that the HSDS API refuses with a JSON 403, audited', async () => {
      const res = await admin.post(
        '/directory/api-tokens',
        { name: 'Learning record store', scope: 'xapi' },
        '/directory/api-tokens',
      )
      assert.equal(res.status, 200)
      assert.match(res.text, /\/api\/xapi\/statements<\/code>/, 'the page names the xAPI address')
      const token = /<code id="new-token"[^>]*>([^<]+)<\/code>/.exec(res.text)![1]!
      const row = await db()
        .selectFrom('api_tokens')
        .select(['id', 'scope', 'establishment_id'])
        .where('token_hash', '=', sha256(token))
        .executeTakeFirstOrThrow()
      assert.deepEqual([row.scope, row.establishment_id], ['xapi', world.est.MDI])
      const list = await admin.get('/directory/api-tokens')
      assert.match(list.text, /<td class="govuk-table__cell">Training records \(xAPI\)<\/td>/)
      assert.doesNotMatch(list.text, />xapi</, 'no code on the page')

      const refused = await bearer(token, '/api/hsds/services')
      assert.deepEqual(
        [refused.status, refused.body],
        [
          403,
          {
            status: 403,
            message:
              'This token is for training records (xAPI), not the services directory: the API tokens page makes a ' +
              'services directory (HSDS API) token',
          },
        ],
      )
      const [event] = await lastAudit()
      assert.deepEqual(
        { ...event, changes: JSON.parse(String(event!.changes)) as unknown },
        {
          user_id: null,
          username: 'API token: Learning record store',
          establishment_id: world.est.MDI,
          action: 'refused',
          entity: 'api_token',
          entity_id: String(row.id),
          changes: {
            reason: 'another purpose',
            purpose: 'Training records (xAPI)',
            method: 'GET',
            path: '/api/hsds/services',
            status: 403,
          },
        },
      )
      const used = await db()
        .selectFrom('api_tokens')
        .select('last_used_at')
        .where('id', '=', row.id)
        .executeTakeFirstOrThrow()
      assert.equal(used.last_used_at, null, 'a refusal is not a use')
    })

    it('asks who the token is for and its purpose, every problem at once; the national team makes no xAPI token', async () => {
      const tokenCount = async () =>
        Number(
          (
            await db()
              .selectFrom('api_tokens')
              .select(eb => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = await tokenCount()
      const errorsOf = async (as: Browser, fields: Record<string, string>) => {
        const res = await as.post('/directory/api-tokens', fields, '/directory/api-tokens')
        assert.equal(res.status, 303)
        const page = await as.get('/directory/api-tokens')
        return [...page.text.matchAll(/<a href="#(\w+)">([^<]+)<\/a>/g)].map(m => [m[1], m[2]])
      }
      assert.deepEqual(await errorsOf(admin, { name: ' ' }), [
        ['name', 'Enter who the token is for'],
        ['scope', 'Choose what the token is for'],
      ])
      assert.deepEqual(await errorsOf(admin, { name: 'x'.repeat(101), scope: 'everything' }), [
        ['name', 'Who the token is for must be 100 characters or fewer'],
        ['scope', 'Choose what the token is for'],
      ])
      const nationalRefusal =
        'Only an establishment has a training records (xAPI) token: its admin makes one for its learning record ' +
        'store. Choose services directory'
      assert.deepEqual(await errorsOf(national, { name: 'National LRS', scope: 'xapi' }), [['scope', nationalRefusal]])
      assert.equal(await tokenCount(), before, 'nothing saved')
      // what was typed is kept, the choice too
      await national.post('/directory/api-tokens', { name: 'National LRS', scope: 'xapi' }, '/directory/api-tokens')
      const page = await national.get('/directory/api-tokens')
      assert.match(page.text, /value="National LRS"/)
      assert.match(page.text, /value="xapi" checked/)
    })

    it('reads own and national services with a token, never another establishment’s; audits each use', async () => {
      const token = await create(admin, 'Probation partner')
      const id = (
        await db()
          .selectFrom('api_tokens')
          .select('id')
          .where('token_hash', '=', sha256(token))
          .executeTakeFirstOrThrow()
      ).id
      const res = await bearer(token, '/api/hsds/services')
      assert.equal(res.status, 200)
      assert.equal(res.headers['set-cookie'], undefined, 'a token starts no session')
      assert.equal(res.headers['cache-control'], 'no-store')
      valid(V.services, res.body, 'token page')
      assert.deepEqual(ids(res.body as Obj), [S1, S2, S3, S5])
      const [event] = await lastAudit()
      assert.deepEqual(
        { ...event, changes: JSON.parse(String(event!.changes)) as unknown },
        {
          user_id: null,
          username: 'API token: Probation partner',
          establishment_id: world.est.MDI,
          action: 'view',
          entity: 'hsds_api',
          entity_id: String(id),
          changes: { method: 'GET', path: '/api/hsds/services' },
        },
      )
      const used = await db()
        .selectFrom('api_tokens')
        .select('last_used_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.notEqual(used.last_used_at, null)

      const trail = await admin.get('/audit?entity=hsds_api')
      assert.match(trail.text, /API token: Probation partner/, 'the admin reads the use in the audit trail')
      assert.match(trail.text, /Directory API read with a token/)

      assert.equal((await bearer(token, `/api/hsds/services/${S4}`)).status, 404)
      assert.equal((await bearer(token, `/api/hsds/services/${S5}`)).status, 200)
      assert.deepEqual(ids((await bearer(token, '/api/hsds/organizations')).body as Obj), [ORG_A, ORG_B, ORG_N])
      assert.deepEqual(ids((await bearer(token, '/api/hsds/service_at_locations')).body as Obj), [SAL1, SAL2, SAL5])
      assert.equal((await bearer(token, `/api/hsds/organizations/${ORG_L}`)).status, 404)
      // read-only: nothing but GET
      const post = await supertest(world.app).post('/api/hsds/services').set('Authorization', `Bearer ${token}`)
      assert.equal(post.status, 404)
      assert.match(String(post.headers['content-type']), /^application\/json/)
    })

    it('scopes a LEI token to LEI’s and national services, and a national token to national ones', async () => {
      const lei = await create(leiAdmin, 'Leeds housing')
      assert.deepEqual(ids((await bearer(lei, '/api/hsds/services')).body as Obj), [S4, S5])
      const nat = await create(national, 'National partner')
      const row = await db()
        .selectFrom('api_tokens')
        .select('establishment_id')
        .where('token_hash', '=', sha256(nat))
        .executeTakeFirstOrThrow()
      assert.equal(row.establishment_id, null)
      assert.deepEqual(ids((await bearer(nat, '/api/hsds/services')).body as Obj), [S5])
      assert.equal((await bearer(nat, `/api/hsds/services/${S1}`)).status, 404)
      // a signed-in user sending a token reads what the token may
      const both = await keyWorker.get('/api/hsds/services').set('Authorization', `Bearer ${nat}`)
      assert.deepEqual(ids(both.body as Obj), [S5])
    })

    it('refuses an unknown or malformed token with a JSON 401, audited without the token', async () => {
      const unknown = `kwh_${'A'.repeat(43)}`
      for (const [header, reason] of [
        [`Bearer ${unknown}`, 'unknown'],
        ['Bearer not-a-token', 'malformed'],
        ['Basic dXNlcjpwYXNz', 'malformed'],
      ] as const) {
        const res = await supertest(world.app).get('/api/hsds/services').set('Authorization', header)
        assert.equal(res.status, 401, header)
        assert.match(String(res.headers['content-type']), /^application\/json/)
        assert.equal((res.body as Obj).status, 401)
        assert.match(String(res.headers['www-authenticate']), /^Bearer /)
        const [event] = await lastAudit()
        assert.equal(event!.action, 'refused')
        assert.equal(event!.entity, 'api_token')
        assert.equal(event!.entity_id, null)
        const changes = JSON.parse(String(event!.changes)) as Obj
        assert.equal(changes.reason, reason)
        assert.equal(changes.path, '/api/hsds/services')
        assert.equal(changes.status, 401)
        assert.ok(!String(event!.changes).includes('AAAAAAAAAA'), 'the token is not in the audit trail')
      }
    })

    it('revokes a token (audited); a revoked token gets a JSON 401, audited', async () => {
      const token = await create(admin, 'Short-lived')
      const { id } = await db()
        .selectFrom('api_tokens')
        .select('id')
        .where('token_hash', '=', sha256(token))
        .executeTakeFirstOrThrow()
      assert.equal((await bearer(token, '/api/hsds')).status, 200)

      // another establishment's admin cannot revoke it
      const lei = await leiAdmin.post('/directory/api-tokens/revoke', { tokenId: String(id) }, '/directory/api-tokens')
      assert.equal(lei.status, 404)
      assert.equal((await bearer(token, '/api/hsds')).status, 200)

      const res = await admin.post('/directory/api-tokens/revoke', { tokenId: String(id) }, '/directory/api-tokens')
      assert.equal(res.status, 303)
      assert.equal(res.headers.location, '/directory/api-tokens')
      const [revoked] = await lastAudit()
      assert.deepEqual(
        [revoked!.action, revoked!.entity, revoked!.entity_id, revoked!.username, revoked!.establishment_id],
        ['revoke', 'api_token', String(id), 'establishment_admin.mdi', world.est.MDI],
      )
      const row = await db().selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      assert.notEqual(row.revoked_at, null)
      assert.equal(row.revoked_by, 'establishment_admin.mdi')

      const refused = await bearer(token, '/api/hsds/services')
      assert.equal(refused.status, 401)
      assert.match(String(refused.headers['content-type']), /^application\/json/)
      const [event] = await lastAudit()
      assert.deepEqual(
        [event!.action, event!.entity, event!.entity_id, event!.establishment_id],
        ['refused', 'api_token', String(id), world.est.MDI],
      )
      assert.equal((JSON.parse(String(event!.changes)) as Obj).reason, 'revoked')
      const list = await admin.get('/directory/api-tokens')
      assert.match(list.text, /Revoked/)
    })

    it('asks for a name, and keeps the page to establishment admins and the national team', async () => {
      const res = await admin.post('/directory/api-tokens', { name: '  ', scope: 'hsds' }, '/directory/api-tokens')
      assert.equal(res.status, 303)
      const page = await admin.get('/directory/api-tokens')
      assert.match(page.text, /Enter who the token is for/)
      assert.equal((await keyWorker.get('/directory/api-tokens')).status, 403)
      assert.match((await admin.get('/directory/export')).text, /href="\/directory\/api-tokens"/)
      assert.doesNotMatch((await keyWorker.get('/directory/export')).text, /href="\/directory\/api-tokens"/)
      const before = await db()
        .selectFrom('api_tokens')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      const noCsrf = await admin.agent
        .post('/directory/api-tokens')
        .type('form')
        .send({ name: 'No token', scope: 'hsds' })
      assert.equal(noCsrf.status, 403)
      const afterCount = await db()
        .selectFrom('api_tokens')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      assert.equal(Number(afterCount.n), Number(before.n))
    })
  })
})
