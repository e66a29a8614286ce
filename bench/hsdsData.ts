// An HSDS 3.0 directory of N services for the directory benchmark, made by walking the vendored schema
// (schemas/hsds-3.0/compiled/service.json): every optional scalar field of every record is present, with a value
// valid for the schema and for keywork's checks. Deterministic: the same seed gives the same bytes.
//
// The schema nests every entity under every other (a phone's language's attribute's taxonomy term's metadata...);
// one record of each at every depth would make a service of thousands of objects. So each service holds one record
// of each table where HSDS publishers put them: its organisation (shared by 20 services, so a repeated identical
// copy), program, service at location with its location (address, accessibility, phone), contact (phone),
// phone, schedule, language, service area, funding, cost option, required document, a pathway and a provision
// attribute, and metadata. Its one phone is repeated, identical, under the service, the contact and the location.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { PATHWAYS } from '../src/domain/pathways'
import { PROVISION_TERMS } from '../src/features/directory/hsds/model'

type Obj = Record<string, unknown>
interface Schema {
  type?: string
  format?: string
  enum?: unknown[]
  datapackage_type?: string
  properties?: Record<string, Schema>
  items?: Schema
}

const SCHEMA = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../schemas/hsds-3.0/compiled/service.json'), 'utf8'),
) as Schema

/** Which nested collections each entity gets (one record each): the rest of the schema's nesting is left out. */
const NESTED: Record<string, Record<string, string>> = {
  service: {
    organization: 'organization',
    program: 'program',
    service_at_locations: 'service_at_location',
    contacts: 'contact',
    phones: 'phone',
    schedules: 'schedule',
    languages: 'language',
    service_areas: 'service_area',
    funding: 'funding',
    cost_options: 'cost_option',
    required_documents: 'required_document',
    metadata: 'metadata',
  },
  organization: { organization_identifiers: 'organization_identifier', metadata: 'metadata' },
  service_at_location: { location: 'location' },
  location: { addresses: 'address', accessibility: 'accessibility', phones: 'phone', metadata: 'metadata' },
  contact: { phones: 'phone' },
}

/** mulberry32: a small seeded generator, so the dataset is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = ['advice', 'housing', 'support', 'money', 'health', 'work', 'family', 'learning', 'debt', 'release']

export function hsdsDirectory(count: number, seed = 1): Obj[] {
  const rnd = random(seed)
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('')
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rnd() * 4)]}${hex(3)}-${hex(12)}`
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ')
  const day = () =>
    `2025-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`

  /** The value of one scalar field, by its name and schema. */
  function scalar(entity: string, field: string, s: Schema, ids: Record<string, string>): unknown {
    if (field in ids) return ids[field]
    if (s.enum) return s.enum[0]
    if (s.format === 'uuid') return uuid()
    if (s.format === 'email') return `${field.replace(/_/g, '.')}@example.org`
    if (s.format === 'uri') return `https://example.org/${entity}/${hex(6)}`
    // ends after starts: valid_to and until a year after valid_from and dtstart
    if (s.datapackage_type === 'date')
      return field === 'valid_to' || field === 'until' ? `2026${day().slice(4)}` : day()
    if (s.datapackage_type === 'datetime') return `${day()}T09:30:00.000Z`
    if (s.datapackage_type === 'time') return field === 'opens_at' ? '09:00' : '17:00'
    const special: Record<string, unknown> = {
      byday: 'MO,WE,FR',
      bymonthday: '1,15',
      byweekno: '1,2',
      byyearday: '1,100',
      latitude: 53.38 + rnd() / 10,
      longitude: -1.47 - rnd() / 10,
      timezone: 0,
      count: 10,
      interval: 1,
      amount: 12.5,
      extension: 100 + Math.floor(rnd() * 900),
      year_incorporated: 1990,
      minimum_age: 18,
      maximum_age: 65,
      code: 'en',
      country: 'GB',
      currency: 'GBP',
      number: `0114 496 ${String(Math.floor(rnd() * 10_000)).padStart(4, '0')}`,
      type: 'voice',
      link_entity: 'service',
      link_type: 'pathway',
      last_action_type: 'update',
      updated_by: 'publisher',
      resource_type: entity,
      postal_code: 'S1 2HH',
      language: 'en',
    }
    if (field in special) return special[field]
    if (s.type === 'number') return Math.floor(rnd() * 100)
    return `${words(field === 'description' ? 8 : 2)}`
  }

  /** One record of `entity` from its schema: every scalar field, and the nested collections NESTED allows. */
  function record(entity: string, s: Schema, ids: Record<string, string>, make: Maker): Obj {
    const o: Obj = {}
    for (const [field, p] of Object.entries(s.properties ?? {})) {
      const child = NESTED[entity]?.[field]
      if (p.type === 'array' || p.type === 'object' || p.properties || p.items) {
        if (!child) continue
        const itemSchema = p.type === 'array' ? p.items! : p
        const made = make(child, itemSchema, ids)
        if (made !== undefined) o[field] = p.type === 'array' ? (Array.isArray(made) ? made : [made]) : made
        continue
      }
      o[field] = scalar(entity, field, p, ids)
    }
    return o
  }
  type Maker = (entity: string, s: Schema, ids: Record<string, string>) => Obj | Obj[] | undefined

  const organizations = new Map<number, Obj>()
  const metadata = (s: Schema, resourceId: string, entity: string) => ({
    ...record('metadata', s, { resource_id: resourceId }, () => undefined),
    resource_type: entity,
  })

  const services: Obj[] = []
  for (let i = 0; i < count; i++) {
    const ids = {
      service_id: uuid(),
      organization_id: '',
      program_id: uuid(),
      location_id: uuid(),
      contact_id: uuid(),
      service_at_location_id: uuid(),
      phone_id: uuid(),
    }
    const orgIndex = Math.floor(i / 20)
    let phone: Obj | undefined
    const make: Maker = (entity, s, parentIds) => {
      if (entity === 'metadata') return [metadata(s, parentIds.self!, parentIds.selfEntity!)]
      if (entity === 'organization') {
        let org = organizations.get(orgIndex)
        if (!org) {
          const id = uuid()
          const orgIds = { id, self: id, selfEntity: 'organization', organization_id: id }
          org = record('organization', s, orgIds, make)
          // another organisation of the file as its parent (the first has none)
          const parent = organizations.get(orgIndex - 1)
          if (parent) org.parent_organization_id = parent.id
          else delete org.parent_organization_id
          organizations.set(orgIndex, org)
        }
        return structuredClone(org)
      }
      if (entity === 'phone') {
        // the one phone of the service, the same under the service, its contact and its location
        if (!phone) {
          phone = record('phone', s, { ...ids, id: ids.phone_id, self: ids.phone_id, selfEntity: 'phone' }, make)
          delete phone.organization_id
        }
        return [structuredClone(phone)]
      }
      const id =
        entity === 'program'
          ? ids.program_id
          : entity === 'location'
            ? ids.location_id
            : entity === 'contact'
              ? ids.contact_id
              : entity === 'service_at_location'
                ? ids.service_at_location_id
                : uuid()
      const organizationId = parentIds.organization_id || ids.organization_id
      const r = record(entity, s, { ...ids, organization_id: organizationId, id, self: id, selfEntity: entity }, make)
      if (entity === 'contact') {
        delete r.organization_id
        delete r.location_id
        delete r.service_at_location_id
      }
      if (entity === 'location') r.organization_id = ids.organization_id
      if (entity === 'schedule') {
        delete r.location_id
        delete r.service_at_location_id
      }
      if (entity === 'language') {
        delete r.location_id
        delete r.phone_id
      }
      return r
    }
    // the organisation first: its id is every record's organization_id
    const orgSchema = SCHEMA.properties!.organization!
    const org = make('organization', orgSchema, {}) as Obj
    ids.organization_id = String(org.id)
    const service = record(
      'service',
      SCHEMA,
      { ...ids, id: ids.service_id, self: ids.service_id, selfEntity: 'service' },
      make,
    )
    service.organization = org
    const pathway = PATHWAYS[i % PATHWAYS.length]!
    service.attributes = [
      { id: uuid(), link_id: ids.service_id, link_entity: 'service', taxonomy_term_id: pathway.termId },
      {
        id: uuid(),
        link_id: ids.service_id,
        link_entity: 'service',
        taxonomy_term_id: (i % 3 === 0 ? PROVISION_TERMS.internal : PROVISION_TERMS.external).id,
      },
    ]
    service.name = `${words(2)} service ${i + 1}`
    services.push(service)
  }
  return services
}

// As a child process of bench/directoryHsds.ts: writes the directory as JSON to a file, so that generating it does
// not weigh on the memory measured in the benchmark's own process. Arguments: count, seed, file.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [count, seed, file] = process.argv.slice(2)
  writeFileSync(file!, JSON.stringify(hsdsDirectory(Number(count), Number(seed))))
}
