import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Dates are ISO 8601 text ('YYYY-MM-DD'), timestamps ISO text with time zone 'Z', booleans 0/1:
// one representation on both engines, so every query behaves the same on SQLite and PostgreSQL.

export interface NationalPolicyTable {
  id: number
  ratio_default: number
  ratio_min: number
  ratio_max: number
  frequency_weeks_default: number
  frequency_weeks_min: number
  frequency_weeks_max: number
  session_minutes_default: number
  session_minutes_min: number
  session_minutes_max: number
  updated_at: string
}

export interface EstablishmentTable {
  id: Generated<number>
  code: string
  name: string
  category: string
  region: string
  enabled: number
  ratio: number | null
  frequency_weeks: number | null
  session_minutes: number | null
  /** 1: Supervising Officers run automatic allocation; 0: allocation by hand only */
  auto_allocation: ColumnType<number, number | undefined, number>
  created_at: string
  updated_at: string
}

export interface ResidentialUnitTable {
  id: Generated<number>
  establishment_id: number
  code: string
  name: string
  parent_id: number | null
  capacity: number
  created_at: string
  updated_at: string
}

export interface StaffTable {
  id: Generated<number>
  establishment_id: number
  staff_number: string
  first_name: string
  last_name: string
  grade: string
  email: string | null
  working_pattern: string
  weekly_hours: number
  started_in_post: string | null
  languages: string
  status: string
  status_return_date: string | null
  home_unit_id: number | null
  user_id: number | null
  /** null: use the pro-rata default from the establishment's ratio */
  capacity_override: ColumnType<number | null, number | null | undefined, number | null>
  /** 1: holds a caseload (allocation considers them); band 3 officers by default */
  key_worker: ColumnType<number, number | undefined, number>
  created_at: string
  updated_at: string
}

export interface PrisonerTable {
  id: Generated<number>
  prison_number: string
  first_name: string
  last_name: string
  date_of_birth: string
  establishment_id: number
  unit_id: number | null
  cell: string | null
  reception_date: string
  release_date: string | null
  status: string
  complexity: string
  first_language: string
  interpreter_needed: number
  nationality: string
  created_at: string
  updated_at: string
}

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  email: string | null
  password_hash: string | null
  enabled: number
  created_at: string
  last_sign_in_at: string | null
}

export interface UserRoleTable {
  id: Generated<number>
  user_id: number
  establishment_id: number | null
  role: string
}

export interface WebSessionTable {
  sid: string
  data: string
  expires_at: string
}

export interface SignInAttemptTable {
  key: string
  failures: number
  first_failure_at: string
  locked_until: string | null
}

export interface AuditEventTable {
  id: Generated<number>
  at: string
  user_id: number | null
  username: string | null
  establishment_id: number | null
  action: string
  entity: string
  entity_id: string | null
  changes: string | null
  prev_hash: string
  hash: string
}

export interface AuditHeadTable {
  id: number
  last_id: number
  hash: string
}

export interface AllocationTable {
  id: Generated<number>
  establishment_id: number
  prisoner_id: number
  staff_id: number
  allocated_at: string
  allocated_by: string | null
  allocation_reason: string
  deallocated_at: string | null
  deallocated_by: string | null
  deallocation_reason: string | null
  deallocation_note: string | null
  handover_note: string | null
  cover_until: Generated<string | null>
  covering_for_staff_id: Generated<number | null>
}

// Services directory: Open Referral HSDS 3.0 entities, HSDS field names, UUID text ids.

export interface DirectoryTaxonomyTable {
  id: string
  name: string
  description: string
  uri: string | null
  version: string | null
}

export interface DirectoryTaxonomyTermTable {
  id: string
  taxonomy_id: string
  code: string
  name: string
  description: string
}

export interface DirectoryOrganizationTable {
  id: string
  /** null: national, seen by every establishment */
  establishment_id: number | null
  name: string
  description: string
  email: string | null
  website: string | null
  created_at: string
  updated_at: string
}

export interface DirectoryServiceTable {
  id: string
  /** null: national, seen by every establishment */
  establishment_id: number | null
  organization_id: string
  name: string
  alternate_name: string | null
  description: string | null
  url: string | null
  email: string | null
  /** HSDS: active | inactive | defunct | temporarily closed */
  status: string
  /** internal (inside the prison) | external (in the community); exported as an HSDS attribute */
  provision: string
  application_process: string | null
  eligibility_description: string | null
  wait_time: string | null
  interpretation_services: string | null
  /** last checked */
  assured_date: string | null
  assurer_email: string | null
  /** lower-cased name, description, organisation and contact text, for search */
  search_text: string
  created_at: string
  updated_at: string
}

export interface DirectoryLocationTable {
  id: string
  establishment_id: number | null
  organization_id: string | null
  /** HSDS: physical | postal | virtual */
  location_type: string
  name: string
  description: string | null
  url: string | null
}

export interface DirectoryAddressTable {
  id: string
  location_id: string
  address_1: string
  address_2: string | null
  city: string
  region: string | null
  state_province: string
  postal_code: string
  country: string
  address_type: string
}

export interface DirectoryServiceAtLocationTable {
  id: string
  service_id: string
  location_id: string
  description: string | null
}

export interface DirectoryContactTable {
  id: string
  service_id: string | null
  name: string | null
  title: string | null
  department: string | null
  email: string | null
}

export interface DirectoryPhoneTable {
  id: string
  service_id: string | null
  contact_id: string | null
  location_id: string | null
  number: string
  extension: string | null
  type: string | null
  description: string | null
}

export interface DirectoryScheduleTable {
  id: string
  service_id: string
  freq: string | null
  interval: number | null
  byday: string | null
  opens_at: string | null
  closes_at: string | null
  valid_from: string | null
  valid_to: string | null
  description: string | null
  notes: string | null
}

export interface DirectoryLanguageTable {
  id: string
  service_id: string
  name: string | null
  code: string | null
  note: string | null
}

export interface DirectoryAttributeTable {
  id: string
  link_id: string
  link_type: string | null
  link_entity: string
  taxonomy_term_id: string
  value: string | null
}

export interface DirectoryMetadataTable {
  id: string
  resource_id: string
  resource_type: string
  last_action_date: string
  last_action_type: string
  field_name: string
  previous_value: string
  replacement_value: string
  updated_by: string
}

export interface Database {
  national_policy: NationalPolicyTable
  establishments: EstablishmentTable
  residential_units: ResidentialUnitTable
  staff: StaffTable
  prisoners: PrisonerTable
  users: UserTable
  user_roles: UserRoleTable
  web_sessions: WebSessionTable
  sign_in_attempts: SignInAttemptTable
  audit_events: AuditEventTable
  audit_head: AuditHeadTable
  allocations: AllocationTable
  directory_taxonomies: DirectoryTaxonomyTable
  directory_taxonomy_terms: DirectoryTaxonomyTermTable
  directory_organizations: DirectoryOrganizationTable
  directory_services: DirectoryServiceTable
  directory_locations: DirectoryLocationTable
  directory_addresses: DirectoryAddressTable
  directory_service_at_locations: DirectoryServiceAtLocationTable
  directory_contacts: DirectoryContactTable
  directory_phones: DirectoryPhoneTable
  directory_schedules: DirectoryScheduleTable
  directory_languages: DirectoryLanguageTable
  directory_attributes: DirectoryAttributeTable
  directory_metadata: DirectoryMetadataTable
}

export type Establishment = Selectable<EstablishmentTable>
export type ResidentialUnit = Selectable<ResidentialUnitTable>
export type Staff = Selectable<StaffTable>
export type NewStaff = Insertable<StaffTable>
export type StaffUpdate = Updateable<StaffTable>
export type Prisoner = Selectable<PrisonerTable>
export type NewPrisoner = Insertable<PrisonerTable>
export type User = Selectable<UserTable>
export type NationalPolicy = Selectable<NationalPolicyTable>
export type AuditEvent = Selectable<AuditEventTable>
