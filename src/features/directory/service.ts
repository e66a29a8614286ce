import crypto from 'node:crypto'
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, DirectoryLocationTable, DirectoryMetadataTable } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { todayIso } from '../../domain/dates'
import {
  type BookletService,
  CHECK_DUE_MONTHS,
  type Provision,
  type ServiceStatus,
  searchTextOf,
} from '../../domain/directory'
import {
  type ContactRecord,
  type LocationRecord,
  type PhoneRecord,
  type PhoneType,
  type ScheduleRecord,
  type ServiceEdit,
  type ServiceRecord,
  contactPhonesOf,
  daysOf,
  locationKindOf,
  locationsOf,
  monthsBefore,
  openingTimeLine,
  phoneLine,
  reconcileRows,
} from '../../domain/directoryRecord'
import { languageName } from '../../domain/languages'
import { PATHWAYS, type PathwayCode, isPathwayCode } from '../../domain/pathways'
import { type Result, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type DirectoryRows, type ServiceRow, directoryRepository, emptyRows } from './repository'

export const PAGE_SIZE = 20
const ENTITY = 'directory_service'

let lastMs = 0
let seq = 0
let pool = Buffer.alloc(0)
let poolAt = 0

/**
 * A UUID version 7: time-ordered, so that a service's contacts, phones and opening times, read back in id order,
 * come in the order they were written (on either engine). HSDS only asks for a UUID.
 */
export function orderedUuid(): string {
  let ms = Date.now()
  if (ms <= lastMs) {
    seq++
    if (seq > 0xfff) {
      lastMs++
      seq = 0
    }
    ms = lastMs
  } else {
    lastMs = ms
    seq = 0
  }
  if (poolAt + 8 > pool.length) {
    pool = crypto.randomBytes(8 * 4096)
    poolAt = 0
  }
  const rand = pool.subarray(poolAt, poolAt + 8)
  poolAt += 8
  rand[0] = (rand[0]! & 0x3f) | 0x80
  const hex = ms.toString(16).padStart(12, '0') + '7' + seq.toString(16).padStart(3, '0') + rand.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const termIdOf = new Map<string, string>(PATHWAYS.map(p => [p.code, p.termId]))

/** A stored row: its id is always known. */
type Stored<T> = T & { id: string }
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

/** The pathway filter's value for services whose terms are not (yet) mapped to a pathway. */
export const NO_PATHWAY = 'none'

export interface SearchQuery {
  q: string
  pathway?: string
  provision?: string
  language?: string
  /** include inactive and defunct services */
  allStatuses?: boolean
  page: number
}

/** Words to look for: lower case, without the characters LIKE treats specially. */
export function searchWords(q: string): string[] {
  return q
    .toLowerCase()
    .replace(/[%_\\]/g, ' ')
    .split(/\s+/)
    .filter(w => w.length > 0)
    .slice(0, 8)
}

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

/**
 * The service's own columns from a record; the search text names its contacts (`contacts`, when the service keeps
 * contacts the record does not list).
 */
function serviceColumns(
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
function rowBuilder(now: string) {
  const rows = emptyRows()
  const orgs = new Map<string, string>()
  const locations = new Map<string, string>()
  const uuid = orderedUuid

  const scopeKey = (establishmentId: number | null) => (establishmentId === null ? 'national' : String(establishmentId))

  return {
    rows,
    organization(establishmentId: number | null, name: string, existingId?: string): string {
      const key = `${scopeKey(establishmentId)}|${name}`
      const known = existingId ?? orgs.get(key)
      if (known) return known
      const id = uuid()
      orgs.set(key, id)
      rows.organizations.push({
        id,
        establishment_id: establishmentId,
        name,
        description: name,
        email: null,
        website: null,
        created_at: now,
        updated_at: now,
      })
      return id
    },

    location(establishmentId: number | null, organizationId: string | null, l: LocationRecord): string {
      const key = `${scopeKey(establishmentId)}|${locationLine(l)}|${l.description ?? ''}`
      const known = locations.get(key)
      if (known) return known
      const id = uuid()
      locations.set(key, id)
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
      return id
    },

    /** Contacts, phones, schedules, languages and pathways of a service. */
    children(serviceId: string, r: ServiceRecord) {
      for (const c of r.contacts) {
        const contactId = uuid()
        rows.contacts.push({
          id: contactId,
          service_id: serviceId,
          name: c.name,
          title: c.title,
          department: null,
          email: c.email,
        })
        for (const p of contactPhonesOf(c)) rows.phones.push(phoneRow(uuid(), null, contactId, p))
      }
      for (const p of r.phones) rows.phones.push(phoneRow(uuid(), serviceId, null, p))
      for (const s of r.schedules) rows.schedules.push(scheduleRow(uuid(), serviceId, s))
      this.languages(serviceId, r.languages)
      this.pathways(serviceId, r.pathways)
    },

    languages(serviceId: string, codes: readonly string[]) {
      for (const code of codes)
        rows.languages.push({ id: uuid(), service_id: serviceId, code, name: languageName(code), note: null })
    },

    pathways(serviceId: string, codes: readonly PathwayCode[]) {
      for (const code of codes) {
        const term = termIdOf.get(code)
        if (term)
          rows.attributes.push({
            id: uuid(),
            link_id: serviceId,
            link_type: 'pathway',
            link_entity: 'service',
            taxonomy_term_id: term,
            value: null,
          })
      }
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

function addressRow(locationId: string, l: LocationRecord) {
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

/** The columns of a phone the form shows (its description and location are kept). */
function phoneColumns(p: PhoneRecord) {
  return { number: p.number, extension: p.extension, type: p.type }
}

/** A record with nothing in its lists, to build some of a service's rows. */
function emptyRecord(): ServiceRecord {
  return {
    name: '',
    description: null,
    organizationName: '',
    status: 'active',
    provision: 'internal',
    applicationProcess: null,
    eligibility: null,
    waitTime: null,
    email: null,
    url: null,
    interpretationServices: null,
    location: null,
    contacts: [],
    phones: [],
    schedules: [],
    languages: [],
    pathways: [],
  }
}

function phoneRow(id: string, serviceId: string | null, contactId: string | null, p: PhoneRecord) {
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

function scheduleRow(id: string, serviceId: string, s: ScheduleRecord) {
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
function assemble(rows: ServiceRow[], d: Details): DirectoryServiceDetail[] {
  const group = <T, K>(items: T[], key: (t: T) => K) => {
    const m = new Map<K, T[]>()
    for (const i of items) {
      const k = key(i)
      const list = m.get(k)
      if (list) list.push(i)
      else m.set(k, [i])
    }
    return m
  }
  const contacts = group(d.contacts, c => c.service_id)
  const servicePhones = group(
    d.phones.filter(p => p.service_id !== null && p.contact_id === null),
    p => p.service_id,
  )
  const contactPhones = group(
    d.phones.filter(p => p.contact_id !== null),
    p => p.contact_id,
  )
  const schedules = group(d.schedules, s => s.service_id)
  const languages = group(d.languages, l => l.service_id)
  const pathways = group(d.pathways, p => p.service_id)
  const locations = group(d.locations, l => l.service_id)
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

/** What the form shows of a place: an edit that leaves it the same does not touch the stored row. */
function locationAsShown(l: LocationRecord): string {
  const kind = locationKindOf(l)
  const a = l.address
  return [
    kind,
    l.name,
    kind === 'virtual' ? (l.url ?? '') : '',
    kind === 'community' && a ? [a.address1, a.address2 ?? '', a.city, a.postalCode.toUpperCase()].join('\n') : '',
  ].join('\u0000')
}

const sameLocation = (a: LocationRecord, b: LocationRecord) => locationAsShown(a) === locationAsShown(b)
const samePhone = (a: PhoneRecord, b: PhoneRecord) =>
  a.number === b.number && (a.extension ?? null) === (b.extension ?? null) && a.type === b.type
const sameContact = (a: ContactRecord, b: ContactRecord) =>
  (a.name ?? null) === (b.name ?? null) &&
  (a.title ?? null) === (b.title ?? null) &&
  (a.email ?? null) === (b.email ?? null)
const sameSchedule = (a: ScheduleRecord, b: ScheduleRecord) =>
  a.days.join(',') === b.days.join(',') &&
  (a.opensAt ?? null) === (b.opensAt ?? null) &&
  (a.closesAt ?? null) === (b.closesAt ?? null) &&
  (a.description ?? null) === (b.description ?? null)

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

export interface Editor {
  /** holds the national policy role: edits national services and the establishment's own */
  national: boolean
  /** holds the establishment admin role in the establishment acting in */
  admin: boolean
}

/** Whether someone acting in `establishmentId` may change this service. */
export function mayEdit(editor: Editor, establishmentId: number, s: { establishmentId: number | null }): boolean {
  if (editor.national) return s.establishmentId === null || s.establishmentId === establishmentId
  return editor.admin && s.establishmentId === establishmentId
}

export function directoryService(db: Kysely<Database>, deps: { audit: AuditService }) {
  const repo = directoryRepository(db)

  async function load(trx: Kysely<Database>, establishmentId: number, serviceId: string) {
    const row = await repo.byId(trx, establishmentId, serviceId)
    if (!row) return null
    return assemble([row], await repo.details(trx, [serviceId]))[0]!
  }

  /** Changes a location in place (only this service is there), in the columns the form shows. */
  async function changeLocation(trx: Kysely<Database>, stored: Stored<LocationRecord>, edited: LocationRecord) {
    const was = locationKindOf(stored)
    const kind = locationKindOf(edited)
    const values: Updateable<DirectoryLocationTable> = { name: edited.name }
    // a location_type the form does not offer (HSDS "postal") is kept unless the place moves online or back
    if ((was === 'virtual') !== (kind === 'virtual')) values.location_type = edited.type
    if (kind === 'virtual') values.url = edited.url
    else if (was === 'virtual') values.url = null
    await repo.updateLocation(trx, stored.id, values)
    const a = edited.address
    if (kind === 'community' && a && stored.address)
      await repo.updateAddress(trx, stored.id, {
        address_1: a.address1,
        address_2: a.address2,
        city: a.city,
        postal_code: a.postalCode,
      })
    else if (kind === 'community') await repo.replaceAddress(trx, stored.id, addressRow(stored.id, edited))
    else if (stored.address) await repo.replaceAddress(trx, stored.id, null)
  }

  function metadataRows(
    serviceId: string,
    action: 'create' | 'update',
    before: Record<string, string>,
    after: Record<string, string>,
    actor: Actor,
    at: string,
  ): Insertable<DirectoryMetadataTable>[] {
    const out: Insertable<DirectoryMetadataTable>[] = []
    for (const field of Object.keys(after)) {
      const previous = before[field] ?? ''
      const replacement = after[field] ?? ''
      if (previous === replacement) continue
      out.push({
        id: orderedUuid(),
        resource_id: serviceId,
        resource_type: 'service',
        last_action_date: at,
        last_action_type: action,
        field_name: field,
        previous_value: previous,
        replacement_value: replacement,
        updated_by: actor.username ?? 'system',
      })
    }
    return out
  }

  return {
    /** Services this establishment sees (its own and national ones) matching the query, a page at a time. */
    async search(establishmentId: number, query: SearchQuery) {
      const page = Math.max(1, Math.min(10_000, Math.floor(query.page) || 1))
      const { rows, total } = await repo.search({
        establishmentId,
        words: searchWords(query.q),
        pathwayTermId: query.pathway && query.pathway !== NO_PATHWAY ? termIdOf.get(query.pathway) : undefined,
        noPathway: query.pathway === NO_PATHWAY,
        provision: query.provision || undefined,
        language: query.language || undefined,
        excludeStatuses: query.allStatuses ? [] : ['defunct', 'inactive'],
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      })
      const pathways = await repo.pathwaysOf(rows.map(r => r.id))
      return {
        page,
        total,
        pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        rows: rows.map(r => ({ ...r, pathways: pathways.get(r.id) ?? [] })),
      }
    },

    /** The full service, or null if the establishment does not see it (another establishment's). */
    get: (establishmentId: number, serviceId: string): Promise<DirectoryServiceDetail | null> =>
      load(db, establishmentId, serviceId),

    /** Active and temporarily closed services the establishment sees (its own and national), for the booklet. */
    async servicesForBooklet(establishmentId: number): Promise<BookletService[]> {
      const rows = await repo.forBooklet(establishmentId)
      const details = await repo.details(
        db,
        rows.map(r => r.id),
      )
      return assemble(rows, details).map(toBooklet)
    },

    /** Adds a service: national (establishmentId null) or the establishment's. */
    async create(actor: Actor, establishmentId: number | null, record: ServiceRecord): Promise<Result<string>> {
      return db.transaction().execute(async trx => {
        const now = new Date().toISOString()
        const b = rowBuilder(now)
        const org = await repo.organizationByName(trx, establishmentId, record.organizationName)
        const id = b.service(establishmentId, record, { organizationId: org?.id })
        await repo.insertRows(trx, b.rows)
        const after = fieldsOf(record)
        await repo.insertMetadata(trx, metadataRows(id, 'create', {}, after, actor, now))
        await deps.audit.record(trx, actor, {
          action: 'create',
          entity: ENTITY,
          entityId: id,
          establishmentId,
          changes: diff(null, after),
        })
        return ok(id)
      })
    },

    /**
     * Saves the form over an existing service, all or nothing: the service row, its organisation (by name), and
     * its locations, phone numbers, contacts (with theirs), opening times, languages and pathways, row by row.
     * A stored row the form shows (by id) is changed only if what the form shows of it changed, and then only in
     * the columns the form shows; a row without an id is added; only the rows listed in `removed` are deleted, so a
     * row the form did not show (added by an import since, a location's own phone numbers, another attribute) is
     * kept. A location other services share is not changed under them: this service moves to a changed copy.
     * The audit event and the HSDS metadata compare the service before and after, field by field. 'not-found' when
     * the establishment does not see it, 'forbidden' when the editor may not change it.
     */
    async update(
      actor: Actor,
      establishmentId: number,
      serviceId: string,
      editor: Editor,
      edit: ServiceEdit,
    ): Promise<Result | 'not-found' | 'forbidden'> {
      return db.transaction().execute(async trx => {
        const existing = await load(trx, establishmentId, serviceId)
        if (!existing) return 'not-found' as const
        if (!mayEdit(editor, establishmentId, existing)) return 'forbidden' as const
        const { record, removed } = edit
        const before = fieldsOf(existing)
        const now = new Date().toISOString()
        const scope = existing.establishmentId
        const b = rowBuilder(now)

        let organizationId = existing.organizationId
        if (record.organizationName !== existing.organizationName) {
          const org = await repo.organizationByName(trx, scope, record.organizationName)
          organizationId = b.organization(scope, record.organizationName, org?.id)
          // the new organisation (if any) must exist before the service points at it
          await repo.insertRows(trx, { ...emptyRows(), organizations: b.rows.organizations.splice(0) })
        }

        const locations = reconcileRows(existing.locations, locationsOf(record), removed.locations, sameLocation)
        for (const l of locations.remove) await repo.unlinkLocation(trx, serviceId, l.id)
        for (const { stored, edited } of locations.change) {
          if ((await repo.servicesAtLocation(trx, stored.id)) === 1) await changeLocation(trx, stored, edited)
          else {
            await repo.unlinkLocation(trx, serviceId, stored.id)
            // what the form does not show of the place is copied: its description, the region of its address
            const region = stored.address?.region ?? null
            const address = edited.address ? { ...edited.address, region } : null
            b.link(serviceId, scope, organizationId, { ...edited, description: stored.description, address })
          }
        }
        for (const l of locations.add) b.link(serviceId, scope, organizationId, l)

        const phones = reconcileRows(existing.phones, record.phones, removed.phones, samePhone)
        await repo.deletePhones(
          trx,
          phones.remove.map(p => p.id),
        )
        for (const { stored, edited } of phones.change) await repo.updatePhone(trx, stored.id, phoneColumns(edited))
        for (const p of phones.add) b.rows.phones.push(phoneRow(orderedUuid(), serviceId, null, p))

        const contacts = reconcileRows(existing.contacts, record.contacts, removed.contacts, sameContact)
        await repo.deleteContacts(
          trx,
          contacts.remove.map(c => c.id),
        )
        for (const { stored, edited } of contacts.change)
          await repo.updateContact(trx, stored.id, { name: edited.name, title: edited.title, email: edited.email })
        for (const { stored, edited } of [...contacts.change, ...contacts.keep]) {
          const own = reconcileRows(stored.phones, contactPhonesOf(edited), removed.phones, samePhone)
          await repo.deletePhones(
            trx,
            own.remove.map(p => p.id),
          )
          for (const x of own.change) await repo.updatePhone(trx, x.stored.id, phoneColumns(x.edited))
          for (const p of own.add) b.rows.phones.push(phoneRow(orderedUuid(), null, stored.id, p))
        }
        b.children(serviceId, { ...emptyRecord(), contacts: contacts.add })

        const schedules = reconcileRows(existing.schedules, record.schedules, removed.schedules, sameSchedule)
        await repo.deleteSchedules(
          trx,
          schedules.remove.map(x => x.id),
        )
        for (const { stored, edited } of schedules.change) {
          const { id: _id, service_id: _service, ...columns } = scheduleRow(stored.id, serviceId, edited)
          // valid_from, valid_to and notes are not on the form: kept
          const { valid_from: _from, valid_to: _to, notes: _notes, ...shown } = columns
          await repo.updateSchedule(trx, stored.id, shown)
        }
        for (const x of schedules.add) b.rows.schedules.push(scheduleRow(orderedUuid(), serviceId, x))

        // languages and pathways by code: the rows of codes kept stay as they are (with their notes)
        await repo.deleteLanguages(
          trx,
          serviceId,
          existing.languages.filter(c => !record.languages.includes(c)),
        )
        b.languages(
          serviceId,
          record.languages.filter(c => !existing.languages.includes(c)),
        )
        await repo.deleteAttributes(
          trx,
          serviceId,
          existing.pathways.filter(c => !record.pathways.includes(c)).flatMap(c => termIdOf.get(c) ?? []),
        )
        b.pathways(
          serviceId,
          record.pathways.filter(c => !existing.pathways.includes(c)),
        )
        await repo.insertRows(trx, b.rows)

        // the search text names every contact the service keeps, listed on the form or not
        const listed = new Set(
          [...contacts.change, ...contacts.keep, ...contacts.remove.map(stored => ({ stored }))].map(x => x.stored.id),
        )
        const keptContacts = [...record.contacts, ...existing.contacts.filter(c => !listed.has(c.id))]
        await repo.updateService(trx, serviceId, {
          ...serviceColumns(record, existing.alternateName, keptContacts),
          organization_id: organizationId,
        })

        const saved = (await load(trx, establishmentId, serviceId))!
        const after = fieldsOf(saved)
        const changes = diff(before, after)
        if (Object.keys(changes).length === 0) return ok()
        await repo.updateService(trx, serviceId, { updated_at: now })
        await repo.insertMetadata(trx, metadataRows(serviceId, 'update', before, after, actor, now))
        await deps.audit.record(trx, actor, {
          action: 'update',
          entity: ENTITY,
          entityId: serviceId,
          establishmentId: scope,
          changes,
        })
        return ok()
      })
    },

    /** Records that someone checked the service's details today (HSDS assured_date and assurer_email). */
    async markChecked(
      actor: Actor,
      establishmentId: number,
      serviceId: string,
      editor: Editor,
      assurerEmail: string,
      today = todayIso(),
    ): Promise<'ok' | 'not-found' | 'forbidden'> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byId(trx, establishmentId, serviceId)
        if (!existing) return 'not-found' as const
        if (!mayEdit(editor, establishmentId, { establishmentId: existing.establishment_id }))
          return 'forbidden' as const
        const now = new Date().toISOString()
        const before = { assured_date: existing.assured_date ?? '', assurer_email: existing.assurer_email ?? '' }
        const after = { assured_date: today, assurer_email: assurerEmail }
        await repo.updateService(trx, serviceId, { assured_date: today, assurer_email: assurerEmail, updated_at: now })
        await repo.insertMetadata(trx, metadataRows(serviceId, 'update', before, after, actor, now))
        await deps.audit.record(trx, actor, {
          action: 'update',
          entity: ENTITY,
          entityId: serviceId,
          establishmentId: existing.establishment_id,
          changes: diff(before, after),
        })
        return 'ok' as const
      })
    },

    /** Who changed which field, newest first (HSDS metadata). */
    history: (serviceId: string) => repo.metadataFor(serviceId),

    /**
     * Services not checked for CHECK_DUE_MONTHS: the establishment's own (for its admins) and, for the national
     * team, the national ones too.
     */
    async checkDue(establishmentId: number, opts: { establishment: boolean; national: boolean }, today = todayIso()) {
      const before = monthsBefore(today, CHECK_DUE_MONTHS)
      const rows = [
        ...(opts.national ? await repo.checkDue(null, before) : []),
        ...(opts.establishment ? await repo.checkDue(establishmentId, before) : []),
      ]
      return { before, rows }
    },

    /**
     * Inserts whole services in bulk in the caller's transaction, without an audit event each: for a bulk load whose
     * own audit event covers them (the demo). Each group is one establishment's services (null: national), whose
     * organisations are made once per name; a few groups go in each batch of statements.
     */
    async insertInBulk(
      trx: Kysely<Database>,
      groups: {
        establishmentId: number | null
        services: { record: ServiceRecord; assuredDate: string | null; assurerEmail: string | null }[]
      }[],
    ): Promise<number> {
      const now = new Date().toISOString()
      let services = 0
      for (let i = 0; i < groups.length; i += 10) {
        const b = rowBuilder(now)
        for (const g of groups.slice(i, i + 10))
          for (const s of g.services) {
            b.service(g.establishmentId, s.record, { assuredDate: s.assuredDate, assurerEmail: s.assurerEmail })
            services++
          }
        await repo.insertRows(trx, b.rows)
      }
      return services
    },

    /** Inserts many services at once, inside the caller's transaction (bench and tests). */
    async insertMany(
      trx: Kysely<Database>,
      items: { establishmentId: number | null; record: ServiceRecord; assuredDate?: string | null }[],
    ): Promise<string[]> {
      const b = rowBuilder(new Date().toISOString())
      const ids = items.map(i => b.service(i.establishmentId, i.record, { assuredDate: i.assuredDate ?? null }))
      await repo.insertRows(trx, b.rows)
      return ids
    },
  }
}

export type DirectoryService = ReturnType<typeof directoryService>
export type { DirectoryRows }
