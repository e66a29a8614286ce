// Puts a service's rows back together as the record the pages, the booklet and the edit form read.
// Invariants: services come in the order of the rows given; each list (locations, contacts and their phones, the
// service's own phones, opening times, languages) in the order of its rows' ids, which is the order they were
// written (ids.ts); pathways in the order of PATHWAYS, unknown codes left out; `location` is the first location and a
// contact's `phone` its first phone.
import type { Provision, ServiceStatus } from '../../domain/directory'
import {
  type ContactRecord,
  type LocationRecord,
  type PhoneRecord,
  type PhoneType,
  type ScheduleRecord,
  type ServiceRecord,
  daysOf,
  openingTimeLine,
} from '../../domain/directoryRecord'
import { groupBy } from '../../domain/groupBy'
import { PATHWAYS, type PathwayCode, isPathwayCode } from '../../domain/pathways'
import type { ServiceRow, directoryRepository } from './repository'

/** A stored row: its id is always known. */
export type Stored<T> = T & { id: string }
export type StoredContact = Stored<ContactRecord> & { phones: Stored<PhoneRecord>[] }

/** A service with everything needed to refer someone to it. */
export interface DirectoryServiceDetail extends ServiceRecord {
  id: string
  establishmentId: number | null
  national: boolean
  organizationId: string
  alternateName: string | null
  assuredDate: string | null
  assurerEmail: string | null
  createdAt: string
  updatedAt: string
  /** every location (`location` is the first) */
  locations: Stored<LocationRecord>[]
  /** every contact with every phone number (`phone` is the first) */
  contacts: StoredContact[]
  /** the same as `contacts` */
  contactsWithPhones: StoredContact[]
  phones: Stored<PhoneRecord>[]
  schedules: Stored<ScheduleRecord>[]
  /** "Monday to Friday, 09:00 to 12:00" */
  openingTimes: string[]
}

type Details = Awaited<ReturnType<ReturnType<typeof directoryRepository>['details']>>

function toPhone(p: {
  id: string
  number: string
  extension: string | null
  type: string | null
}): Stored<PhoneRecord> {
  return { id: p.id, number: p.number, extension: p.extension, type: (p.type ?? 'voice') as PhoneType }
}

/** Puts services and their details together, in the order of `rows`. */
export function assemble(rows: ServiceRow[], d: Details): DirectoryServiceDetail[] {
  const contacts = groupBy(d.contacts, c => c.service_id)
  const servicePhones = groupBy(
    d.phones.filter(p => p.service_id !== null && p.contact_id === null),
    p => p.service_id,
  )
  const contactPhones = groupBy(
    d.phones.filter(p => p.contact_id !== null),
    p => p.contact_id,
  )
  const schedules = groupBy(d.schedules, s => s.service_id)
  const languages = groupBy(d.languages, l => l.service_id)
  const pathways = groupBy(d.pathways, p => p.service_id)
  const locations = groupBy(d.locations, l => l.service_id)
  const pathwayOrder = (code: string) => PATHWAYS.findIndex(p => p.code === code)

  return rows.map(s => {
    const locs = (locations.get(s.id) ?? []).map(l => ({
      id: l.id,
      type: (l.location_type === 'virtual' ? 'virtual' : 'physical') as LocationRecord['type'],
      name: l.name,
      description: l.description,
      url: l.url,
      address:
        l.address_id && l.address_1 && l.city && l.postal_code
          ? { address1: l.address_1, address2: l.address_2, city: l.city, region: l.region, postalCode: l.postal_code }
          : null,
    }))
    const contactsWithPhones = (contacts.get(s.id) ?? []).map(c => {
      const phones = (contactPhones.get(c.id) ?? []).map(toPhone)
      return { id: c.id, name: c.name, title: c.title, email: c.email, phone: phones[0] ?? null, phones }
    })
    const scheduleRecords = (schedules.get(s.id) ?? []).map(x => ({
      id: x.id,
      days: daysOf(x.byday),
      opensAt: x.opens_at,
      closesAt: x.closes_at,
      description: x.description,
    }))
    return {
      id: s.id,
      establishmentId: s.establishment_id,
      national: s.establishment_id === null,
      organizationId: s.organization_id,
      organizationName: s.organization_name,
      name: s.name,
      alternateName: s.alternate_name,
      description: s.description,
      status: s.status as ServiceStatus,
      provision: s.provision as Provision,
      applicationProcess: s.application_process,
      eligibility: s.eligibility_description,
      waitTime: s.wait_time,
      email: s.email,
      url: s.url,
      interpretationServices: s.interpretation_services,
      assuredDate: s.assured_date,
      assurerEmail: s.assurer_email,
      createdAt: s.created_at,
      updatedAt: s.updated_at,
      location: locs[0] ?? null,
      locations: locs,
      contacts: contactsWithPhones,
      contactsWithPhones,
      phones: (servicePhones.get(s.id) ?? []).map(toPhone),
      schedules: scheduleRecords,
      openingTimes: scheduleRecords.map(openingTimeLine).filter(l => l.length > 0),
      languages: (languages.get(s.id) ?? []).map(l => l.code ?? '').filter(Boolean),
      pathways: (pathways.get(s.id) ?? [])
        .map(p => p.code)
        .filter(isPathwayCode)
        .sort((a, b) => pathwayOrder(a) - pathwayOrder(b)) as PathwayCode[],
    }
  })
}
