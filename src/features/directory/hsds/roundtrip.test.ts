import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import { unzipSync } from 'fflate'
import { testWorld } from '../../../../test/harness'
import { PATHWAYS } from '../../../domain/pathways'
import { type Actor, SYSTEM_ACTOR } from '../../../platform/audit/service'
import type { Scope } from './repository'
import { hsdsValidators, errorsOf, jsonBytes } from '../../../../test/support/hsds'

/**
 * Import → export gives back the input: generated HSDS 3.0 services with every optional field HSDS defines, the
 * records keywork does not model (funding, service areas, cost options, required documents, programs, a location's
 * accessibility, contacts, phones and schedules of a service at a location...), and a term of another taxonomy.
 *
 * What keywork adds, and the comparison leaves out (docs/decisions/006-hsds-lossless.md): the metadata records of
 * its own import (updated_by the importer), its provision attribute and its own copy of its pathway terms, the
 * empty lists it writes for what it models, and the order of lists (keywork writes a record's children by id).
 */

type World = Awaited<ReturnType<typeof testWorld>>
type Obj = Record<string, unknown>

const IMPORTER = 'admin.mdi'
const actorIn = (world: World): Actor => ({
  ...SYSTEM_ACTOR,
  username: IMPORTER,
  establishmentId: world.est.MDI!,
})
const own = (world: World): Scope => ({ establishmentId: world.est.MDI!, includeNational: false })

// --- generators: valid HSDS 3.0 values ---

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/)
/** text with punctuation, quotes, commas, accents, a leading formula character: what CSV has to carry */
const text = fc
  .array(fc.oneof(word, fc.constantFrom(',', '"', '=', '+', '-', "'", 'é', 'ł', ';', '&', '<b>', '\n')), {
    minLength: 1,
    maxLength: 6,
  })
  .map(parts => `${parts.join(' ')} x`)
const uuid = fc.uuid({ version: 4 })
const url = word.map(w => `https://example.org/${w.toLowerCase()}`)
const email = word.map(w => `${w.toLowerCase()}@example.org`)
const date = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map(d => d.toISOString().slice(0, 10))
/** valid_from and valid_to, in order */
const validity = fc
  .tuple(date, date)
  .map(([x, y]) => (x <= y ? { valid_from: x, valid_to: y } : { valid_from: y, valid_to: x }))
const dateTime = fc
  .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map(d => d.toISOString().replace(/\.\d{3}Z$/, 'Z'))
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const coordinate = fc.integer({ min: -89_999_999, max: 89_999_999 }).map(n => (n === 0 ? 1 : n) / 1e6)
const amount = fc.integer({ min: 1, max: 999_999 }).map(n => n / 100)
const list = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 2 })

const metadata = (resourceId: string, resourceType: string) =>
  list(
    fc.record({
      id: uuid,
      resource_id: fc.constant(resourceId),
      resource_type: fc.constant(resourceType),
      last_action_date: dateTime,
      last_action_type: fc.constantFrom('create', 'update'),
      field_name: word,
      previous_value: text,
      replacement_value: text,
      updated_by: fc.constantFrom('council.publisher', 'charity.editor'),
    }),
  )

/** Another taxonomy (an LGA-style list), with a parent term. */
const FOREIGN_TAXONOMY = {
  id: 'd0c1a6a4-6c55-4f0e-9d1f-3a51a0f0a001',
  name: 'LGA Service List',
  description: 'Local Government Association services',
  uri: 'https://example.org/lga',
  version: '2',
}
const foreignTerm = (id: string, code: string) => ({
  id,
  code,
  name: `Term ${code}`,
  description: `The ${code} services`,
  parent_id: 'd0c1a6a4-6c55-4f0e-9d1f-3a51a0f0a0ff',
  taxonomy: 'LGA',
  language: 'en',
  taxonomy_id: FOREIGN_TAXONOMY.id,
  term_uri: `https://example.org/lga/${code}`,
  taxonomy_detail: FOREIGN_TAXONOMY,
})

const attribute = (linkId: string, linkEntity: string) =>
  fc.tuple(uuid, fc.constantFrom('101', '202'), text).chain(([id, code, value]) =>
    metadata(id, 'attribute').map(meta => ({
      id,
      link_id: linkId,
      taxonomy_term_id: `d0c1a6a4-6c55-4f0e-9d1f-3a51a0f0a${code}`,
      link_type: 'classification',
      link_entity: linkEntity,
      value,
      taxonomy_term: foreignTerm(`d0c1a6a4-6c55-4f0e-9d1f-3a51a0f0a${code}`, code),
      metadata: meta,
    })),
  )

const language = (parent: Obj) =>
  fc
    .record({ id: uuid, name: word, code: fc.constantFrom('en', 'pl', 'cy'), note: text })
    .map(l => ({ ...l, ...parent }))

const phone = (parent: Obj) =>
  uuid.chain(id =>
    fc
      .record({
        number: fc.stringMatching(/^\+44 [0-9]{4} [0-9]{6}$/),
        extension: fc.integer({ min: 1, max: 9999 }),
        type: fc.constantFrom('voice', 'text', 'fax'),
        description: text,
        languages: list(language({ phone_id: id })),
      })
      .map(p => ({ id, ...parent, ...p })),
  )

const contact = (parent: Obj) =>
  uuid.chain(id =>
    fc
      .record({ name: text, title: text, department: text, email, phones: list(phone({ contact_id: id })) })
      .map(c => ({ id, ...parent, ...c })),
  )

const schedule = (parent: Obj) =>
  fc
    .record({
      id: uuid,
      validity,
      dtstart: date,
      timezone: fc.integer({ min: -12, max: 12 }),
      until: date,
      count: fc.integer({ min: 1, max: 52 }),
      wkst: fc.constantFrom('MO', 'SU'),
      freq: fc.constantFrom('WEEKLY', 'MONTHLY'),
      interval: fc.integer({ min: 1, max: 4 }),
      byday: fc.constantFrom('MO', 'MO,WE,FR', 'SA,SU'),
      byweekno: fc.constantFrom('1', '1,27'),
      bymonthday: fc.constantFrom('1', '15'),
      byyearday: fc.constantFrom('1', '200'),
      description: text,
      opens_at: time,
      closes_at: time,
      schedule_link: url,
      attending_type: fc.constantFrom('in person', 'online'),
      notes: text,
    })
    .map(({ validity: v, ...s }) => ({ ...s, ...v, ...parent }))

const location = (organizationId: string) =>
  uuid.chain(id =>
    fc
      .record({
        location_type: fc.constant('physical'),
        url,
        organization_id: fc.constant(organizationId),
        name: text,
        alternate_name: text,
        description: text,
        transportation: text,
        latitude: coordinate,
        longitude: coordinate,
        external_identifier: word,
        external_identifier_type: fc.constant('UPRN'),
        languages: list(language({ location_id: id })),
        addresses: list(
          fc.record({
            id: uuid,
            location_id: fc.constant(id),
            attention: text,
            address_1: text,
            address_2: text,
            city: word,
            region: word,
            state_province: word,
            postal_code: fc.constantFrom('SW1A 1AA', 'LS1 4AP'),
            country: fc.constant('GB'),
            address_type: fc.constantFrom('physical', 'postal'),
          }),
        ),
        contacts: list(contact({ location_id: id })),
        accessibility: list(
          fc.record({ id: uuid, location_id: fc.constant(id), description: text, details: text, url }),
        ),
        phones: list(phone({ location_id: id })),
        schedules: list(schedule({ location_id: id })),
        attributes: list(attribute(id, 'location')),
        metadata: metadata(id, 'location'),
      })
      .map(l => ({ id, ...l })),
  )

const service = fc.tuple(uuid, uuid, uuid).chain(([id, orgId, programId]) =>
  fc
    .record({
      program: fc.record({
        id: fc.constant(programId),
        organization_id: fc.constant(orgId),
        name: text,
        alternate_name: text,
        description: text,
      }),
      organization: fc.record({
        id: fc.constant(orgId),
        name: text,
        alternate_name: text,
        description: text,
        email,
        website: url,
        tax_status: word,
        tax_id: word,
        year_incorporated: fc.integer({ min: 1800, max: 2025 }),
        legal_status: word,
        logo: url,
        uri: url,
        parent_organization_id: uuid,
        funding: list(fc.record({ id: uuid, organization_id: fc.constant(orgId), source: text })),
        contacts: list(contact({ organization_id: orgId })),
        phones: list(phone({ organization_id: orgId })),
        organization_identifiers: list(
          fc.record({
            id: uuid,
            organization_id: fc.constant(orgId),
            identifier_scheme: fc.constant('GB-CHC'),
            identifier_type: fc.constant('Charity number'),
            identifier: fc.stringMatching(/^[0-9]{6,8}$/),
          }),
        ),
        attributes: list(attribute(orgId, 'organization')),
        metadata: metadata(orgId, 'organization'),
      }),
      sal: uuid.chain(salId =>
        fc.record({
          id: fc.constant(salId),
          service_id: fc.constant(id),
          description: text,
          contacts: list(contact({ service_at_location_id: salId })),
          phones: list(phone({ service_at_location_id: salId })),
          schedules: list(schedule({ service_at_location_id: salId })),
          location: location(orgId),
          attributes: list(attribute(salId, 'service_at_location')),
          metadata: metadata(salId, 'service_at_location'),
        }),
      ),
      fields: fc.record({
        name: text,
        alternate_name: text,
        description: text,
        url,
        email,
        status: fc.constantFrom('active', 'temporarily closed'),
        interpretation_services: text,
        application_process: text,
        fees_description: text,
        wait_time: text,
        fees: text,
        accreditations: text,
        eligibility_description: text,
        minimum_age: fc.integer({ min: 0, max: 25 }),
        maximum_age: fc.integer({ min: 26, max: 120 }),
        assured_date: date,
        assurer_email: email,
        licenses: text,
        alert: text,
        last_modified: dateTime,
      }),
      contacts: list(contact({ service_id: id })),
      phones: list(phone({ service_id: id })),
      schedules: list(schedule({ service_id: id })),
      service_areas: list(
        fc.record({
          id: uuid,
          service_id: fc.constant(id),
          name: text,
          description: text,
          extent: text,
          extent_type: fc.constant('postcode'),
          uri: url,
        }),
      ),
      languages: list(language({ service_id: id })),
      funding: list(fc.record({ id: uuid, service_id: fc.constant(id), source: text })),
      cost_options: list(
        fc.record({
          id: uuid,
          service_id: fc.constant(id),
          valid_from: fc.constant('2025-01-01'),
          valid_to: date.map(d => (d < '2025-01-01' ? '2025-01-01' : d)),
          option: text,
          currency: fc.constant('GBP'),
          amount,
          amount_description: text,
        }),
      ),
      required_documents: list(fc.record({ id: uuid, service_id: fc.constant(id), document: text, uri: url })),
      pathway: fc.constantFrom(...PATHWAYS),
      foreign: attribute(id, 'service'),
      pathwayAttributeId: uuid,
      metadata: metadata(id, 'service'),
    })
    .map(g => ({
      id,
      organization_id: orgId,
      program_id: programId,
      ...g.fields,
      organization: { ...g.organization, programs: [g.program] },
      program: g.program,
      service_at_locations: [{ ...g.sal, location_id: g.sal.location.id }],
      contacts: g.contacts,
      phones: g.phones,
      schedules: g.schedules,
      service_areas: g.service_areas,
      languages: g.languages,
      funding: g.funding,
      cost_options: g.cost_options,
      required_documents: g.required_documents,
      attributes: [
        {
          id: g.pathwayAttributeId,
          link_id: id,
          taxonomy_term_id: g.pathway.termId,
          link_type: 'pathway',
          link_entity: 'service',
        },
        g.foreign,
      ],
      metadata: g.metadata,
    })),
)

// ids are random UUIDs: shrinking them would make every id the same, so a failing example is shown as generated
const directory = fc.noShrink(fc.array(service, { minLength: 1, maxLength: 2 }))

// --- the comparison: keywork's documented additions left out ---

const PATHWAY_TERMS = new Set<string>(PATHWAYS.map(p => p.termId))

/** The provision attribute keywork adds to every service (migration 006's second taxonomy). */
const PROVISION_TERM_IDS = new Set(['3e7f0a52-9c4b-5d1e-8a6f-1b2c3d4e5f60', 'a1b2c3d4-5e6f-5a7b-8c9d-0e1f2a3b4c5d'])

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v
      .filter(
        x =>
          !(
            x &&
            typeof x === 'object' &&
            (((x as Obj).updated_by === IMPORTER && (x as Obj).last_action_type === 'import') ||
              PROVISION_TERM_IDS.has((x as Obj).taxonomy_term_id as string))
          ),
      )
      .map(normalise)
    return items.every(x => x && typeof x === 'object' && typeof (x as Obj).id === 'string')
      ? [...items].sort((a, b) => ((a as Obj).id as string).localeCompare((b as Obj).id as string))
      : items
  }
  if (v && typeof v === 'object') {
    const out: Obj = {}
    for (const [k, x] of Object.entries(v as Obj)) {
      if (k === 'taxonomy_term' && PATHWAY_TERMS.has((v as Obj).taxonomy_term_id as string)) continue
      const n = normalise(x)
      if (Array.isArray(n) && n.length === 0) continue
      out[k] = n
    }
    return out
  }
  return v
}

const byIdMap = (services: Obj[]) => new Map(services.map(s => [s.id as string, s]))

/**
 * The rows of a CSV file of the zip, each cell as the README says a spreadsheet-safe cell is undone: a cell that a
 * spreadsheet would run as a formula was written with one apostrophe more before it.
 */
function csvRows(files: Record<string, Uint8Array>, file: string): Obj[] {
  const bytes = files[file]
  if (!bytes) return []
  const rows = parse(Buffer.from(bytes).toString('utf8'), { columns: true }) as Record<string, string>[]
  return rows.map(r =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /^'+[=+\-@\t\r]/.test(v) ? v.slice(1) : v])),
  )
}

describe('HSDS round trip: what goes in comes out', () => {
  let a: World
  before(async () => {
    a = await testWorld()
  })
  after(() => a.close())

  it('JSON: import then export gives back every field of every record (property)', async () => {
    const { service: valid } = hsdsValidators()
    await fc.assert(
      fc.asyncProperty(directory, async input => {
        for (const s of input) assert.ok(valid(s), errorsOf(valid))
        const r = await a.services.hsds.import(actorIn(a), a.est.MDI!, jsonBytes(input), 'in.json')
        assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 2000))
        const exported = byIdMap(await a.services.hsds.exportJson(own(a)))
        for (const s of input) {
          const out = exported.get(s.id)
          assert.ok(out, 'the service is exported')
          assert.ok(valid(out), errorsOf(valid))
          assert.deepEqual(normalise(out), normalise(s))
        }
      }),
      { numRuns: 20 },
    )
  })

  it('tabular: each kept record is written in its file with its foreign key, and the zip round-trips (property)', async () => {
    await fc.assert(
      fc.asyncProperty(directory, async input => {
        const b = await testWorld()
        const c = await testWorld()
        try {
          const r = await b.services.hsds.import(actorIn(b), b.est.MDI!, jsonBytes(input), 'in.json')
          assert.equal(r.status, 'imported', JSON.stringify(r).slice(0, 2000))
          const zip = await b.services.hsds.exportZip(own(b))
          const files = unzipSync(zip)
          const all: Record<string, Obj[]> = {}
          for (const name of Object.keys(files)) all[name] = csvRows(files, name)

          // the kept records, by hand: each in its file, naming its parent
          const has = (file: string, id: string, fk: string, parent: string) =>
            assert.ok(
              (all[file] ?? []).some(row => row.id === id && row[fk] === parent),
              `${file} has ${id} with ${fk} ${parent}`,
            )
          for (const s of input) {
            const org = s.organization
            for (const f of s.funding) has('funding.csv', f.id, 'service_id', s.id)
            for (const f of org.funding) has('funding.csv', f.id, 'organization_id', org.id)
            for (const x of s.service_areas) has('service_areas.csv', x.id, 'service_id', s.id)
            for (const x of s.cost_options) has('cost_options.csv', x.id, 'service_id', s.id)
            for (const x of s.required_documents) has('required_documents.csv', x.id, 'service_id', s.id)
            for (const x of org.organization_identifiers)
              has('organization_identifiers.csv', x.id, 'organization_id', org.id)
            has('programs.csv', s.program.id, 'organization_id', org.id)
            const sal = s.service_at_locations[0]!
            for (const x of sal.contacts) has('contacts.csv', x.id, 'service_at_location_id', sal.id)
            for (const x of sal.schedules) has('schedules.csv', x.id, 'service_at_location_id', sal.id)
            for (const x of sal.location.accessibility) has('accessibility.csv', x.id, 'location_id', sal.location.id)
            for (const x of sal.location.contacts) has('contacts.csv', x.id, 'location_id', sal.location.id)
            for (const x of sal.location.contacts[0]!.phones)
              has('phones.csv', x.id, 'contact_id', sal.location.contacts[0]!.id)
            for (const x of s.phones[0]!.languages) has('languages.csv', x.id, 'phone_id', s.phones[0]!.id)
            has('attributes.csv', s.attributes[1]!.id, 'link_id', s.id)
            has('taxonomy_terms.csv', s.attributes[1]!.taxonomy_term_id, 'taxonomy_id', FOREIGN_TAXONOMY.id)
            const row = (all['services.csv'] ?? []).find(x => x.id === s.id)!
            assert.equal(row.fees_description, s.fees_description)
            assert.equal(Number(row.minimum_age), s.minimum_age)
            const loc = (all['locations.csv'] ?? []).find(x => x.id === sal.location.id)!
            assert.equal(Number(loc.latitude), sal.location.latitude)
          }
          assert.ok(all['taxonomies.csv']!.some(t => t.id === FOREIGN_TAXONOMY.id && t.name === FOREIGN_TAXONOMY.name))

          // the zip into another directory, and out again: the same files
          const z = await c.services.hsds.import(actorIn(c), c.est.MDI!, zip, 'in.zip')
          assert.equal(z.status, 'imported', JSON.stringify(z).slice(0, 2000))
          const again = unzipSync(await c.services.hsds.exportZip(own(c)))
          assert.deepEqual(Object.keys(again).sort(), Object.keys(files).sort())
          for (const name of Object.keys(files)) {
            const strip = (rows: Obj[]) =>
              name === 'metadata.csv'
                ? rows.filter(m => !(m.updated_by === IMPORTER && m.last_action_type === 'import'))
                : rows
            assert.deepEqual(strip(csvRows(again, name)), strip(all[name]!), name)
          }
        } finally {
          await Promise.all([b.close(), c.close()])
        }
      }),
      { numRuns: 6 },
    )
  })
})
