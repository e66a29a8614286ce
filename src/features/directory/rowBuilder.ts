// The rows a service is stored as (HSDS tables), built in memory and inserted together (repository.insertRows).
// Invariants: every row gets a new ordered id (ids.ts) in the order it is built, so lists read back in that order;
// within one builder (a form save, or a batch of the demo) an organisation is made once per establishment and name,
// and a location once per establishment and place; a service is linked to a place once; a pathway with no taxonomy
// term gets no row. Nothing here touches the database.
import { searchTextOf } from '../../domain/directory'
import {
  type ContactRecord,
  type LocationRecord,
  type PhoneRecord,
  type ScheduleRecord,
  type ServiceRecord,
  contactPhonesOf,
  locationsOf,
} from '../../domain/directoryRecord'
import { languageName } from '../../domain/languages'
import { PATHWAYS } from '../../domain/pathways'
import { locationLine } from './format'
import { orderedUuid } from './ids'
import { emptyRows } from './repository'

/** The taxonomy term of each pathway. */
export const termIdOf = new Map<string, string>(PATHWAYS.map(p => [p.code, p.termId]))

/**
 * The service's own columns from a record; the search text names its contacts (`contacts`, when the service keeps
 * contacts the record does not list).
 */
export function serviceColumns(
  r: ServiceRecord,
  alternateName: string | null,
  contacts: readonly ContactRecord[] = r.contacts,
) {
  return {
    name: r.name,
    description: r.description,
    url: r.url,
    email: r.email,
    status: r.status,
    provision: r.provision,
    application_process: r.applicationProcess,
    eligibility_description: r.eligibility,
    wait_time: r.waitTime,
    interpretation_services: r.interpretationServices,
    search_text: searchTextOf({
      name: r.name,
      alternateName,
      description: r.description,
      organizationName: r.organizationName,
      eligibility: r.eligibility,
      contacts: contacts.map(c => ({ name: c.name, title: c.title })),
    }),
  }
}

/** Builds the rows of new services (and their organisations and locations, shared by name within a batch). */
export function rowBuilder(now: string) {
  const rows = emptyRows()
  const orgs = new Map<string, string>()
  const locations = new Map<string, string>()
  const uuid = orderedUuid

  const scopeKey = (establishmentId: number | null) => (establishmentId === null ? 'national' : String(establishmentId))
  /** The id made for `key` in this batch, or a new one whose rows `make` adds. */
  const once = (made: Map<string, string>, key: string, make: (id: string) => void): string => {
    const known = made.get(key)
    if (known) return known
    const id = uuid()
    made.set(key, id)
    make(id)
    return id
  }

  return {
    rows,
    organization(establishmentId: number | null, name: string, existingId?: string): string {
      if (existingId) return existingId
      return once(orgs, `${scopeKey(establishmentId)}|${name}`, id =>
        rows.organizations.push({
          id,
          establishment_id: establishmentId,
          name,
          description: name,
          email: null,
          website: null,
          created_at: now,
          updated_at: now,
        }),
      )
    },

    location(establishmentId: number | null, organizationId: string | null, l: LocationRecord): string {
      return once(locations, `${scopeKey(establishmentId)}|${locationLine(l)}|${l.description ?? ''}`, id => {
        rows.locations.push({
          id,
          establishment_id: establishmentId,
          organization_id: organizationId,
          location_type: l.type,
          name: l.name,
          description: l.description,
          url: l.url,
        })
        if (l.address) rows.addresses.push(addressRow(id, l))
      })
    },

    /** Contacts, phones, schedules, languages and pathways of a service. */
    children(serviceId: string, r: ServiceRecord) {
      for (const c of r.contacts) this.contact(serviceId, c)
      for (const p of r.phones) rows.phones.push(phoneRow(uuid(), serviceId, null, p))
      for (const s of r.schedules) rows.schedules.push(scheduleRow(uuid(), serviceId, s))
      for (const code of r.languages) rows.languages.push(languageRow(uuid(), serviceId, code))
      for (const code of r.pathways) {
        const row = pathwayRow(uuid, serviceId, code)
        if (row) rows.attributes.push(row)
      }
    },

    /** A contact of a service, with its phone numbers. */
    contact(serviceId: string, c: ContactRecord): string {
      const contactId = uuid()
      rows.contacts.push(contactRow(contactId, serviceId, c))
      for (const p of contactPhonesOf(c)) rows.phones.push(phoneRow(uuid(), null, contactId, p))
      return contactId
    },

    /** Links a service to a location (a new one unless the same place is already among the batch's). */
    link(serviceId: string, establishmentId: number | null, organizationId: string | null, l: LocationRecord) {
      const locationId = this.location(establishmentId, organizationId, l)
      if (!rows.serviceAtLocations.some(x => x.service_id === serviceId && x.location_id === locationId))
        rows.serviceAtLocations.push({ id: uuid(), service_id: serviceId, location_id: locationId, description: null })
    },

    service(
      establishmentId: number | null,
      r: ServiceRecord,
      opts: { organizationId?: string; assuredDate?: string | null; assurerEmail?: string | null } = {},
    ): string {
      const id = uuid()
      const organizationId = this.organization(establishmentId, r.organizationName, opts.organizationId)
      rows.services.push({
        id,
        establishment_id: establishmentId,
        organization_id: organizationId,
        alternate_name: null,
        ...serviceColumns(r, null),
        assured_date: opts.assuredDate ?? null,
        assurer_email: opts.assurerEmail ?? null,
        created_at: now,
        updated_at: now,
      })
      for (const l of locationsOf(r)) this.link(id, establishmentId, organizationId, l)
      this.children(id, r)
      return id
    },
  }
}

export type RowBuilder = ReturnType<typeof rowBuilder>

export function addressRow(locationId: string, l: LocationRecord) {
  const a = l.address!
  return {
    id: orderedUuid(),
    location_id: locationId,
    address_1: a.address1,
    address_2: a.address2,
    city: a.city,
    region: a.region,
    state_province: a.region ?? 'England',
    postal_code: a.postalCode,
    country: 'GB',
    address_type: 'physical',
  }
}

export function contactRow(id: string, serviceId: string, c: ContactRecord) {
  return { id, service_id: serviceId, name: c.name, title: c.title, department: null, email: c.email }
}

export function phoneRow(id: string, serviceId: string | null, contactId: string | null, p: PhoneRecord) {
  return {
    id,
    service_id: serviceId,
    contact_id: contactId,
    location_id: null,
    number: p.number,
    extension: p.extension,
    type: p.type,
    description: null,
  }
}

export function scheduleRow(id: string, serviceId: string, s: ScheduleRecord) {
  return {
    id,
    service_id: serviceId,
    freq: s.days.length ? 'WEEKLY' : null,
    interval: s.days.length ? 1 : null,
    byday: s.days.length ? s.days.join(',') : null,
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    valid_from: null,
    valid_to: null,
    description: s.description,
    notes: null,
  }
}

export function languageRow(id: string, serviceId: string, code: string) {
  return { id, service_id: serviceId, code, name: languageName(code), note: null }
}

/** A service's link to its pathway's taxonomy term; null for a pathway with no term (no id is made for it). */
export function pathwayRow(uuid: () => string, serviceId: string, code: string) {
  const term = termIdOf.get(code)
  if (!term) return null
  return {
    id: uuid(),
    link_id: serviceId,
    link_type: 'pathway',
    link_entity: 'service',
    taxonomy_term_id: term,
    value: null,
  }
}
