import { createHash } from 'node:crypto'
import type {
  DirectoryAddressTable,
  DirectoryAttributeTable,
  DirectoryContactTable,
  DirectoryLanguageTable,
  DirectoryMetadataTable,
  DirectoryPhoneTable,
  DirectoryScheduleTable,
  DirectoryServiceAtLocationTable,
} from '../../../platform/db/types'
import type { Provision } from '../../../domain/directory'

/**
 * The part of HSDS 3.0 keywork stores, as flat rows named like the database tables (HSDS field names; null for
 * absent); an entity stored whole is its table type itself. Both the one-file JSON form and the tabular (CSV)
 * form are read into a Bundle and written from one.
 */

export interface OrganizationRow {
  id: string
  name: string
  description: string
  email: string | null
  website: string | null
  /** HSDS fields keywork does not model, as canonical JSON (hsds/extras.ts) */
  extra?: string | null
}
export interface ServiceRow {
  id: string
  organization_id: string
  name: string
  alternate_name: string | null
  description: string | null
  url: string | null
  email: string | null
  status: string
  /** from the service's keywork-provision attribute; null when the file has none */
  provision: Provision | null
  application_process: string | null
  eligibility_description: string | null
  wait_time: string | null
  interpretation_services: string | null
  assured_date: string | null
  assurer_email: string | null
  /** HSDS last_modified; stored as updated_at */
  last_modified: string | null
  /** HSDS fields keywork does not model, as canonical JSON (hsds/extras.ts) */
  extra?: string | null
}
export interface LocationRow {
  id: string
  organization_id: string | null
  location_type: string
  name: string
  description: string | null
  url: string | null
  /** HSDS fields keywork does not model, as canonical JSON (hsds/extras.ts) */
  extra?: string | null
}
export type AddressRow = DirectoryAddressTable
export type ServiceAtLocationRow = DirectoryServiceAtLocationTable
export type ContactRow = DirectoryContactTable
export type PhoneRow = DirectoryPhoneTable
export type ScheduleRow = DirectoryScheduleTable
export type LanguageRow = DirectoryLanguageTable
export type AttributeRow = DirectoryAttributeTable
export type MetadataRow = DirectoryMetadataTable

export interface Tables {
  organizations: OrganizationRow
  services: ServiceRow
  locations: LocationRow
  addresses: AddressRow
  service_at_locations: ServiceAtLocationRow
  contacts: ContactRow
  phones: PhoneRow
  schedules: ScheduleRow
  languages: LanguageRow
  attributes: AttributeRow
  metadata: MetadataRow
}
export type TableName = keyof Tables

/** In the order rows are written (parents first). */
export const TABLES: readonly TableName[] = [
  'organizations',
  'locations',
  'addresses',
  'services',
  'service_at_locations',
  'contacts',
  'phones',
  'schedules',
  'languages',
  'attributes',
  'metadata',
]

/** The database table of each. */
export const DB_TABLE = {
  organizations: 'directory_organizations',
  services: 'directory_services',
  locations: 'directory_locations',
  addresses: 'directory_addresses',
  service_at_locations: 'directory_service_at_locations',
  contacts: 'directory_contacts',
  phones: 'directory_phones',
  schedules: 'directory_schedules',
  languages: 'directory_languages',
  attributes: 'directory_attributes',
  metadata: 'directory_metadata',
} as const

/** HSDS resource_type of each (metadata.resource_type). */
export const RESOURCE_TYPE: Record<TableName, string> = {
  organizations: 'organization',
  services: 'service',
  locations: 'location',
  addresses: 'address',
  service_at_locations: 'service_at_location',
  contacts: 'contact',
  phones: 'phone',
  schedules: 'schedule',
  languages: 'language',
  attributes: 'attribute',
  metadata: 'metadata',
}

/** A row read from a file, with where it was (a JSON pointer, or "file.csv row N"). */
export interface Located<T> {
  at: string
  row: T
}

export type Bundle = { [K in TableName]: Located<Tables[K]>[] }

export function emptyBundle(): Bundle {
  return Object.fromEntries(TABLES.map(t => [t, []])) as unknown as Bundle
}

/** The HSDS fields keywork stores, per table (a service's provision comes from its attributes). */
export const COLUMNS: { [K in TableName]: readonly Exclude<keyof Tables[K], 'provision'>[] } = {
  organizations: ['id', 'name', 'description', 'email', 'website'],
  services: [
    'id',
    'organization_id',
    'name',
    'alternate_name',
    'description',
    'url',
    'email',
    'status',
    'interpretation_services',
    'application_process',
    'wait_time',
    'eligibility_description',
    'assured_date',
    'assurer_email',
    'last_modified',
  ],
  locations: ['id', 'location_type', 'url', 'organization_id', 'name', 'description'],
  addresses: [
    'id',
    'location_id',
    'address_1',
    'address_2',
    'city',
    'region',
    'state_province',
    'postal_code',
    'country',
    'address_type',
  ],
  service_at_locations: ['id', 'service_id', 'location_id', 'description'],
  contacts: ['id', 'service_id', 'name', 'title', 'department', 'email'],
  phones: ['id', 'location_id', 'service_id', 'contact_id', 'number', 'extension', 'type', 'description'],
  schedules: [
    'id',
    'service_id',
    'valid_from',
    'valid_to',
    'freq',
    'interval',
    'byday',
    'description',
    'opens_at',
    'closes_at',
    'notes',
  ],
  languages: ['id', 'service_id', 'name', 'code', 'note'],
  attributes: ['id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'],
  metadata: [
    'id',
    'resource_id',
    'resource_type',
    'last_action_date',
    'last_action_type',
    'field_name',
    'previous_value',
    'replacement_value',
    'updated_by',
  ],
}

/** The HSDS tabular (CSV) file of each table. */
export const CSV_FILE: Record<TableName, string> = {
  organizations: 'organizations.csv',
  services: 'services.csv',
  locations: 'locations.csv',
  addresses: 'addresses.csv',
  service_at_locations: 'service_at_location.csv',
  contacts: 'contacts.csv',
  phones: 'phones.csv',
  schedules: 'schedules.csv',
  languages: 'languages.csv',
  attributes: 'attributes.csv',
  metadata: 'metadata.csv',
}

export interface Problem {
  /** JSON pointer into the file (`/0/phones/1/number`), or `services.csv row 3, name` */
  path: string
  message: string
}

// --- keywork's second taxonomy: where a service is delivered (directory_services.provision) ---

export const PROVISION_TAXONOMY = {
  id: '7b0c4f6e-2d1a-5c8e-9f3b-6a4d2e1c0b9a',
  name: 'keywork-provision',
  description: 'Where a service is delivered: inside the prison (internal) or in the community (external)',
  version: '1',
} as const

export const PROVISION_TERMS: Record<Provision, { id: string; code: Provision; name: string; description: string }> = {
  internal: {
    id: '3e7f0a52-9c4b-5d1e-8a6f-1b2c3d4e5f60',
    code: 'internal',
    name: 'Internal',
    description: 'Delivered inside the prison',
  },
  external: {
    id: 'a1b2c3d4-5e6f-5a7b-8c9d-0e1f2a3b4c5d',
    code: 'external',
    name: 'External',
    description: 'Delivered in the community',
  },
}

export function provisionOfTerm(termId: string): Provision | null {
  if (termId === PROVISION_TERMS.internal.id) return 'internal'
  if (termId === PROVISION_TERMS.external.id) return 'external'
  return null
}

const PROVISION_NAMESPACE = Buffer.from('5f0e3c1a8b2d4e6f9a7c0b1d2e3f4a5b', 'hex')

/** RFC 4122 version 5 UUID: the provision attribute of a service gets the same id in every export. */
export function uuidV5(name: string, namespace: Buffer = PROVISION_NAMESPACE): string {
  const hash = createHash('sha1').update(namespace).update(name).digest()
  const b = Buffer.from(hash.subarray(0, 16))
  b[6] = (b[6]! & 0x0f) | 0x50
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export const provisionAttributeId = (serviceId: string) => uuidV5(`provision:${serviceId}`)
