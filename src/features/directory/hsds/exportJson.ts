import type {
  DirectoryAddressTable,
  DirectoryAttributeTable,
  DirectoryContactTable,
  DirectoryForeignTaxonomyTable,
  DirectoryForeignTermTable,
  DirectoryLanguageTable,
  DirectoryLocationTable,
  DirectoryMetadataTable,
  DirectoryOrganizationTable,
  DirectoryPhoneTable,
  DirectoryScheduleTable,
  DirectoryServiceAtLocationTable,
  DirectoryServiceTable,
  DirectoryTaxonomyTable,
  DirectoryTaxonomyTermTable,
} from '../../../platform/db/types'
import { type Provision, PROVISIONS } from '../../../domain/directory'
import { parseExtra, withExtra } from './extras'
import { PROVISION_TAXONOMY, PROVISION_TERMS, provisionAttributeId } from './model'

/** Everything an export needs, read from the database in one transaction. */
export interface Snapshot {
  services: DirectoryServiceTable[]
  organizations: DirectoryOrganizationTable[]
  serviceAtLocations: DirectoryServiceAtLocationTable[]
  locations: DirectoryLocationTable[]
  addresses: DirectoryAddressTable[]
  contacts: DirectoryContactTable[]
  phones: DirectoryPhoneTable[]
  schedules: DirectoryScheduleTable[]
  languages: DirectoryLanguageTable[]
  attributes: DirectoryAttributeTable[]
  metadata: DirectoryMetadataTable[]
  taxonomies: DirectoryTaxonomyTable[]
  terms: DirectoryTaxonomyTermTable[]
  /** other taxonomies' terms the services carry (and their parents), and those the directory brought */
  foreignTerms?: DirectoryForeignTermTable[]
  foreignTaxonomies?: DirectoryForeignTaxonomyTable[]
}

export type HsdsObject = Record<string, unknown>

/** Drops null and undefined fields: HSDS fields are typed (a string, never null) and absent when unknown. */
export function compact(o: Record<string, unknown>): HsdsObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined))
}

/** HSDS phone.extension is a number; keywork keeps text, so only a plain number is exported as one. */
export function extensionToHsds(ext: string | null): number | null {
  return ext !== null && /^(0|[1-9]\d{0,14})$/.test(ext) ? Number(ext) : null
}

/** An exported object: keywork's fields (null ones left out), then the fields it kept (extras.ts). */
const nest = (extra: string | null | undefined, fields: Record<string, unknown>) => withExtra(compact(fields), extra)

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

function groupBy<T>(rows: T[], key: (r: T) => string | null): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r)
    if (k === null) continue
    const list = m.get(k)
    if (list) list.push(r)
    else m.set(k, [r])
  }
  return m
}

/**
 * The taxonomy terms of an export, as HSDS taxonomy_term objects: keywork's with their taxonomy_detail, and other
 * taxonomies' terms exactly as they were imported.
 */
export function termObjects(
  snapshot: Pick<Snapshot, 'taxonomies' | 'terms' | 'foreignTerms'>,
): Map<string, HsdsObject> {
  const taxonomies = new Map<string, HsdsObject>(
    snapshot.taxonomies.map(t => [
      t.id,
      compact({ id: t.id, name: t.name, description: t.description, uri: t.uri, version: t.version }),
    ]),
  )
  taxonomies.set(PROVISION_TAXONOMY.id, { ...PROVISION_TAXONOMY })
  const terms = new Map<string, HsdsObject>()
  for (const t of snapshot.terms)
    terms.set(t.id, {
      id: t.id,
      code: t.code,
      name: t.name,
      description: t.description,
      taxonomy_id: t.taxonomy_id,
      taxonomy_detail: taxonomies.get(t.taxonomy_id),
    })
  for (const p of PROVISIONS) {
    const t = PROVISION_TERMS[p]
    terms.set(t.id, {
      ...t,
      taxonomy_id: PROVISION_TAXONOMY.id,
      taxonomy_detail: taxonomies.get(PROVISION_TAXONOMY.id),
    })
  }
  for (const t of snapshot.foreignTerms ?? []) if (!terms.has(t.id)) terms.set(t.id, parseExtra(t.data))
  return terms
}

export function organizationFields(o: DirectoryOrganizationTable): HsdsObject {
  return withExtra(
    compact({ id: o.id, name: o.name, description: o.description, email: o.email, website: o.website }),
    o.extra,
  )
}

/** The one-to-one fields of a service (HSDS service_list item, without its organisation). */
export function serviceFields(s: DirectoryServiceTable): HsdsObject {
  return withExtra(serviceColumns(s), s.extra)
}

function serviceColumns(s: DirectoryServiceTable): HsdsObject {
  return compact({
    id: s.id,
    organization_id: s.organization_id,
    name: s.name,
    alternate_name: s.alternate_name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    interpretation_services: s.interpretation_services,
    application_process: s.application_process,
    wait_time: s.wait_time,
    eligibility_description: s.eligibility_description,
    assured_date: s.assured_date,
    assurer_email: s.assurer_email,
    last_modified: s.updated_at,
  })
}

/**
 * The services as HSDS 3.0 compiled `service` objects, fully nested: organisation, service at locations with
 * their location (addresses, phones), contacts with their phones, phones, schedules, languages, attributes with
 * their taxonomy term (the pathways, and keywork's provision term), and the metadata of every object.
 */
export function toHsdsServices(snap: Snapshot): HsdsObject[] {
  const orgs = new Map(snap.organizations.map(o => [o.id, o]))
  const locations = new Map(snap.locations.map(l => [l.id, l]))
  const sals = groupBy([...snap.serviceAtLocations].sort(byId), r => r.service_id)
  const addresses = groupBy([...snap.addresses].sort(byId), r => r.location_id)
  const contacts = groupBy([...snap.contacts].sort(byId), r => r.service_id)
  const phones = [...snap.phones].sort(byId)
  const contactPhones = groupBy(phones, r => r.contact_id)
  const servicePhones = groupBy(phones, r => (r.contact_id === null ? r.service_id : null))
  const locationPhones = groupBy(phones, r => (r.contact_id === null && r.service_id === null ? r.location_id : null))
  const schedules = groupBy([...snap.schedules].sort(byId), r => r.service_id)
  const languages = groupBy([...snap.languages].sort(byId), r => r.service_id)
  const attributes = groupBy([...snap.attributes].sort(byId), r => (r.link_entity === 'service' ? r.link_id : null))
  const metadata = groupBy([...snap.metadata].sort(byId), r => r.resource_id)
  const terms = termObjects(snap)

  const meta = (id: string) =>
    (metadata.get(id) ?? []).map(m => ({
      id: m.id,
      resource_id: m.resource_id,
      resource_type: m.resource_type,
      last_action_date: m.last_action_date,
      last_action_type: m.last_action_type,
      field_name: m.field_name,
      previous_value: m.previous_value,
      replacement_value: m.replacement_value,
      updated_by: m.updated_by,
    }))

  const phone = (p: DirectoryPhoneTable) =>
    nest(p.extra, {
      id: p.id,
      location_id: p.location_id,
      service_id: p.service_id,
      contact_id: p.contact_id,
      number: p.number,
      extension: extensionToHsds(p.extension),
      type: p.type,
      description: p.description,
      metadata: meta(p.id),
    })

  const location = (l: DirectoryLocationTable) =>
    nest(l.extra, {
      id: l.id,
      location_type: l.location_type,
      url: l.url,
      organization_id: l.organization_id,
      name: l.name,
      description: l.description,
      addresses: (addresses.get(l.id) ?? []).map(a =>
        nest(a.extra, {
          id: a.id,
          location_id: a.location_id,
          address_1: a.address_1,
          address_2: a.address_2,
          city: a.city,
          region: a.region,
          state_province: a.state_province,
          postal_code: a.postal_code,
          country: a.country,
          address_type: a.address_type,
          metadata: meta(a.id),
        }),
      ),
      phones: (locationPhones.get(l.id) ?? []).map(phone),
      metadata: meta(l.id),
    })

  const attribute = (
    a: { id: string; link_id: string; link_type: string | null; link_entity: string } & {
      taxonomy_term_id: string
      value: string | null
      extra?: string | null
    },
  ) =>
    nest(a.extra, {
      id: a.id,
      link_id: a.link_id,
      taxonomy_term_id: a.taxonomy_term_id,
      link_type: a.link_type,
      link_entity: a.link_entity,
      value: a.value,
      taxonomy_term: terms.get(a.taxonomy_term_id),
      metadata: meta(a.id),
    })

  return snap.services.map(s => {
    const org = orgs.get(s.organization_id)
    const provisionTerm = PROVISION_TERMS[s.provision as Provision] ?? PROVISION_TERMS.external
    return compact({
      ...serviceFields(s),
      organization: org ? { ...organizationFields(org), metadata: meta(org.id) } : undefined,
      service_at_locations: (sals.get(s.id) ?? []).map(sal => {
        const loc = locations.get(sal.location_id)
        return nest(sal.extra, {
          id: sal.id,
          service_id: sal.service_id,
          location_id: sal.location_id,
          description: sal.description,
          location: loc ? location(loc) : undefined,
          metadata: meta(sal.id),
        })
      }),
      contacts: (contacts.get(s.id) ?? []).map(c =>
        nest(c.extra, {
          id: c.id,
          service_id: c.service_id,
          name: c.name,
          title: c.title,
          department: c.department,
          email: c.email,
          phones: (contactPhones.get(c.id) ?? []).map(phone),
          metadata: meta(c.id),
        }),
      ),
      phones: (servicePhones.get(s.id) ?? []).map(phone),
      schedules: (schedules.get(s.id) ?? []).map(r =>
        nest(r.extra, {
          id: r.id,
          service_id: r.service_id,
          valid_from: r.valid_from,
          valid_to: r.valid_to,
          freq: r.freq,
          interval: r.interval,
          byday: r.byday,
          description: r.description,
          opens_at: r.opens_at,
          closes_at: r.closes_at,
          notes: r.notes,
          metadata: meta(r.id),
        }),
      ),
      languages: (languages.get(s.id) ?? []).map(l =>
        nest(l.extra, {
          id: l.id,
          service_id: l.service_id,
          name: l.name,
          code: l.code,
          note: l.note,
          metadata: meta(l.id),
        }),
      ),
      attributes: [
        ...(attributes.get(s.id) ?? []).map(attribute),
        attribute({
          id: provisionAttributeId(s.id),
          link_id: s.id,
          link_type: null,
          link_entity: 'service',
          taxonomy_term_id: provisionTerm.id,
          value: null,
        }),
      ],
      metadata: meta(s.id),
    })
  })
}
