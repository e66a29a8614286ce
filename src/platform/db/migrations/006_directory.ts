import { type Kysely, sql } from 'kysely'
import { PATHWAY_TAXONOMY_ID, PATHWAYS } from '../../../domain/pathways'
import type { Dialect } from '../database'

/**
 * The services directory, modelled on Open Referral HSDS 3.0: one table per HSDS entity we use, HSDS field names,
 * HSDS ids (UUID text) so an export imports back exactly. establishment_id null = a national service every
 * establishment sees. A service's "last checked" date is HSDS assured_date.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const run = (q: ReturnType<typeof sql>) => q.execute(db)

  await run(sql`create table directory_taxonomies (
    id text primary key, name text not null, description text not null, uri text, version text
  )`)
  await run(sql`create table directory_taxonomy_terms (
    id text primary key,
    taxonomy_id text not null references directory_taxonomies(id),
    code text not null unique, name text not null, description text not null
  )`)

  await run(sql`create table directory_organizations (
    id text primary key,
    establishment_id integer references establishments(id),
    name text not null, description text not null, email text, website text,
    created_at text not null, updated_at text not null
  )`)
  await run(sql`create index directory_organizations_establishment on directory_organizations (establishment_id)`)

  await run(sql`create table directory_services (
    id text primary key,
    establishment_id integer references establishments(id),
    organization_id text not null references directory_organizations(id),
    name text not null, alternate_name text, description text,
    url text, email text,
    status text not null,
    provision text not null,
    application_process text, eligibility_description text, wait_time text, interpretation_services text,
    assured_date text, assurer_email text,
    search_text text not null,
    created_at text not null, updated_at text not null
  )`)
  await run(sql`create index directory_services_establishment on directory_services (establishment_id, name)`)
  await run(sql`create index directory_services_organization on directory_services (organization_id)`)

  await run(sql`create table directory_locations (
    id text primary key,
    establishment_id integer references establishments(id),
    organization_id text references directory_organizations(id),
    location_type text not null, name text not null, description text, url text
  )`)
  await run(sql`create table directory_addresses (
    id text primary key,
    location_id text not null references directory_locations(id),
    address_1 text not null, address_2 text, city text not null, region text, state_province text not null,
    postal_code text not null, country text not null, address_type text not null
  )`)
  await run(sql`create table directory_service_at_locations (
    id text primary key,
    service_id text not null references directory_services(id),
    location_id text not null references directory_locations(id),
    description text
  )`)
  await run(sql`create index directory_sal_service on directory_service_at_locations (service_id)`)

  await run(sql`create table directory_contacts (
    id text primary key,
    service_id text references directory_services(id),
    name text, title text, department text, email text
  )`)
  await run(sql`create index directory_contacts_service on directory_contacts (service_id)`)

  await run(sql`create table directory_phones (
    id text primary key,
    service_id text references directory_services(id),
    contact_id text references directory_contacts(id),
    location_id text references directory_locations(id),
    number text not null, extension text, type text, description text
  )`)
  await run(sql`create index directory_phones_service on directory_phones (service_id)`)
  await run(sql`create index directory_phones_contact on directory_phones (contact_id)`)

  await run(sql`create table directory_schedules (
    id text primary key,
    service_id text not null references directory_services(id),
    freq text, "interval" integer, byday text, opens_at text, closes_at text, valid_from text, valid_to text,
    description text, notes text
  )`)
  await run(sql`create index directory_schedules_service on directory_schedules (service_id)`)

  await run(sql`create table directory_languages (
    id text primary key,
    service_id text not null references directory_services(id),
    name text, code text, note text
  )`)
  await run(sql`create index directory_languages_service on directory_languages (service_id)`)

  // HSDS attribute linking a service to a taxonomy term (its pathways)
  await run(sql`create table directory_attributes (
    id text primary key,
    link_id text not null, link_type text, link_entity text not null,
    taxonomy_term_id text not null references directory_taxonomy_terms(id),
    value text
  )`)
  await run(sql`create index directory_attributes_link on directory_attributes (link_id)`)
  await run(sql`create index directory_attributes_term on directory_attributes (taxonomy_term_id)`)

  // HSDS metadata: who changed which field of which resource, from what to what
  await run(sql`create table directory_metadata (
    id text primary key,
    resource_id text not null, resource_type text not null,
    last_action_date text not null, last_action_type text not null,
    field_name text not null, previous_value text not null, replacement_value text not null,
    updated_by text not null
  )`)
  await run(sql`create index directory_metadata_resource on directory_metadata (resource_id)`)

  await run(sql`insert into directory_taxonomies (id, name, description, uri, version) values (
    ${PATHWAY_TAXONOMY_ID}, 'Pathways to reduce reoffending',
    'The seven pathways to reduce reoffending, plus wellbeing and safety', null, '1'
  )`)
  for (const p of PATHWAYS) {
    await run(sql`insert into directory_taxonomy_terms (id, taxonomy_id, code, name, description)
      values (${p.termId}, ${PATHWAY_TAXONOMY_ID}, ${p.code}, ${p.name}, ${p.name})`)
  }
}
