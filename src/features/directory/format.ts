// A service as text: the fields its HSDS metadata and audit trail compare, and the lines of the booklet and pages.
// Invariants: the same record always gives the same text (so an edit that changes nothing records nothing); a field
// with no value is '' (never "null"); lists are joined in their stored order.
import type { BookletService } from '../../domain/directory'
import {
  type ContactRecord,
  type LocationRecord,
  type PhoneRecord,
  type ServiceRecord,
  contactPhonesOf,
  locationsOf,
  openingTimeLine,
  phoneLine,
} from '../../domain/directoryRecord'
import type { DirectoryServiceDetail } from './assemble'

/** The fields recorded in HSDS metadata and the audit trail, as text, from a service record. */
export function fieldsOf(r: ServiceRecord): Record<string, string> {
  return {
    name: r.name,
    description: r.description ?? '',
    'organization.name': r.organizationName,
    status: r.status,
    provision: r.provision,
    application_process: r.applicationProcess ?? '',
    eligibility_description: r.eligibility ?? '',
    wait_time: r.waitTime ?? '',
    email: r.email ?? '',
    url: r.url ?? '',
    interpretation_services: r.interpretationServices ?? '',
    location: locationsOf(r).map(locationLine).join('; '),
    contacts: r.contacts.map(contactLine).join('; '),
    phones: r.phones.map(phoneText).join('; '),
    schedules: r.schedules.map(openingTimeLine).join('; '),
    languages: r.languages.join(','),
    pathways: r.pathways.join(','),
  }
}

export function locationLine(l: LocationRecord): string {
  const a = l.address
  const address = a ? [a.address1, a.address2, a.city, a.postalCode].filter(Boolean).join(', ') : ''
  return [l.name, address, l.type === 'virtual' ? (l.url ?? 'online or by phone') : ''].filter(Boolean).join(', ')
}

/** A phone for the audit trail and the booklet: "0113 496 0123, extension 204", with its type unless voice. */
function phoneText(p: PhoneRecord): string {
  return phoneLine(p) + (p.type === 'voice' ? '' : ` (${p.type})`)
}

function contactLine(c: ContactRecord): string {
  return [c.name, c.title, c.email, ...contactPhonesOf(c).map(phoneText)].filter(Boolean).join(', ')
}

/** A service, its organisation and contacts as the booklet needs them. */
export function toBooklet(s: DirectoryServiceDetail): BookletService {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    provision: s.provision,
    status: s.status,
    pathways: [...s.pathways],
    applicationProcess: s.applicationProcess,
    email: s.email,
    location: s.locations.length ? s.locations.map(locationLine).join('; ') : null,
    contacts: s.contactsWithPhones.map(c => ({
      name: c.name,
      title: c.title,
      email: c.email,
      phones: c.phones.map(phoneText),
    })),
    phones: s.phones.map(phoneText),
    openingTimes: s.openingTimes,
    national: s.national,
  }
}
