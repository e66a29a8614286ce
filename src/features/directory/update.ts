// Saving the edit form over a stored service (DirectoryService.update), all or nothing, row by row.
// Invariants:
// - every child table (locations, phone numbers, contacts and each contact's phone numbers, opening times,
//   languages, pathways) goes through the one step `reconcile`, driven by its row of CHILD_TABLES;
// - a stored row the form shows (by id; languages and pathways by code) is written only if what the form shows of it
//   changed, and then only in its table's `columns`: what the form does not show (notes, valid dates, a location
//   type the form does not offer) is kept;
// - a form row without a stored id is added; only the stored rows listed in `removed` (languages and pathways: the
//   codes no longer ticked) are deleted, so a row the form did not show (added by an import since, a location's own
//   phone numbers, another attribute) is kept; deleting a contact deletes its phone numbers;
// - a location other services share is not changed under them: this service moves to a changed copy;
// - new rows get ids in the order the form lists them, and are inserted after every delete and update;
// - the audit event and the HSDS metadata compare the service before and after, field by field; when no field
//   changed, nothing is recorded and updated_at stays.
import type { Kysely, Updateable } from 'kysely'
import { diff } from '../../domain/audit'
import {
  type ContactRecord,
  type LocationRecord,
  type PhoneRecord,
  type ScheduleRecord,
  type ServiceEdit,
  contactPhonesOf,
  locationKindOf,
  locationsOf,
  reconcileRows,
} from '../../domain/directoryRecord'
import { type Result, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { Database, DirectoryLocationTable } from '../../platform/db/types'
import type { DirectoryServiceDetail, Stored } from './assemble'
import { fieldsOf } from './format'
import { recordChange } from './history'
import { orderedUuid } from './ids'
import { type Editor, mayEdit } from './permission'
import { type ChildTable, type DirectoryRepository, type DirectoryRows, type RowKey, emptyRows } from './repository'
import {
  addressRow,
  contactRow,
  languageRow,
  pathwayRow,
  phoneRow,
  rowBuilder,
  scheduleRow,
  serviceColumns,
} from './rowBuilder'

interface ChildTableSpec {
  table: ChildTable
  /** the columns that pick out a stored row */
  key: readonly string[]
  /** the columns the form shows: the only ones an update writes (none: rows are only added or removed) */
  columns: readonly string[]
  /** the builder's list new rows go in */
  rows: keyof DirectoryRows
  /** rows of another table that point at a deleted row (by `column`) and go with it */
  dependents?: { table: ChildTable; column: string }
}

/** How the form's rows are written to each child table of a service. */
export const CHILD_TABLES = {
  locations: {
    table: 'directory_service_at_locations',
    key: ['service_id', 'location_id'],
    columns: [],
    rows: 'serviceAtLocations',
  },
  phones: { table: 'directory_phones', key: ['id'], columns: ['number', 'extension', 'type'], rows: 'phones' },
  contacts: {
    table: 'directory_contacts',
    key: ['id'],
    columns: ['name', 'title', 'email'],
    rows: 'contacts',
    dependents: { table: 'directory_phones', column: 'contact_id' },
  },
  schedules: {
    table: 'directory_schedules',
    key: ['id'],
    columns: ['freq', 'interval', 'byday', 'opens_at', 'closes_at', 'description'],
    rows: 'schedules',
  },
  languages: { table: 'directory_languages', key: ['service_id', 'code'], columns: [], rows: 'languages' },
  pathways: {
    table: 'directory_attributes',
    key: ['link_id', 'link_entity', 'taxonomy_term_id'],
    columns: [],
    rows: 'attributes',
  },
} as const satisfies Record<string, ChildTableSpec>

/** One child table's part of a save: the stored rows, the form's, and how a form row becomes a row of the table. */
interface Child<S extends { id: string }, E extends { id?: string }> {
  spec: ChildTableSpec
  stored: readonly S[]
  edited: readonly E[]
  removed: readonly string[]
  /** whether what the form shows of a stored row is the same */
  same: (stored: S, edited: E) => boolean
  /** the table's row for a stored or form row, with this id (null: none, as for a pathway with no term) */
  row: (x: S | E, id: string) => Record<string, unknown> | null
  /** adds a new form row (default: its `row` with a new id) */
  add?: (edited: E) => void
  /** writes a changed row (default: its `columns`) */
  change?: (stored: S, edited: E) => Promise<void>
}

const pick = (row: Record<string, unknown>, columns: readonly string[]) =>
  Object.fromEntries(columns.map(c => [c, row[c]]))

/** A code list (languages, pathways) as rows keyed by code. */
const byCode = (codes: readonly string[]) => codes.map(code => ({ id: code, code }))

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
const always = () => true

export interface UpdateDeps {
  repo: DirectoryRepository
  audit: AuditService
  load: (trx: Kysely<Database>, establishmentId: number, serviceId: string) => Promise<DirectoryServiceDetail | null>
}

/** Saves the edit form over a stored service, inside the caller's transaction (see the invariants above). */
export async function updateService(
  trx: Kysely<Database>,
  deps: UpdateDeps,
  args: { actor: Actor; establishmentId: number; serviceId: string; editor: Editor; edit: ServiceEdit },
): Promise<Result | 'not-found' | 'forbidden'> {
  const { repo } = deps
  const { actor, establishmentId, serviceId, editor, edit } = args
  const existing = await deps.load(trx, establishmentId, serviceId)
  if (!existing) return 'not-found'
  if (!mayEdit(editor, establishmentId, existing)) return 'forbidden'
  const { record, removed } = edit
  const before = fieldsOf(existing)
  const now = new Date().toISOString()
  const scope = existing.establishmentId
  const b = rowBuilder(now)

  /** The one step every child table goes through: delete the removed rows, update the changed, add the new. */
  async function reconcile<S extends { id: string }, E extends { id?: string }>(c: Child<S, E>) {
    const { spec } = c
    const r = reconcileRows(c.stored, c.edited, c.removed, c.same)
    const keyOf = (x: S | E, id: string): RowKey | null => {
      const row = c.row(x, id)
      return row && (pick(row, spec.key) as RowKey)
    }
    if (spec.dependents) {
      const { table, column } = spec.dependents
      await repo.deleteRows(
        trx,
        table,
        r.remove.map(s => ({ [column]: s.id })),
      )
    }
    await repo.deleteRows(
      trx,
      spec.table,
      r.remove.map(s => keyOf(s, s.id)).filter(k => k !== null),
    )
    for (const { stored, edited } of r.change) {
      if (c.change) await c.change(stored, edited)
      else {
        const row = c.row(edited, stored.id)
        if (row) await repo.updateRows(trx, spec.table, keyOf(stored, stored.id)!, pick(row, spec.columns))
      }
    }
    for (const e of r.add) {
      if (c.add) c.add(e)
      else {
        const row = c.row(e, orderedUuid())
        if (row) (b.rows[spec.rows] as Record<string, unknown>[]).push(row)
      }
    }
    return r
  }

  let organizationId = existing.organizationId
  if (record.organizationName !== existing.organizationName) {
    const org = await repo.organizationByName(trx, scope, record.organizationName)
    organizationId = b.organization(scope, record.organizationName, org?.id)
    // the new organisation (if any) must exist before the service points at it
    await repo.insertRows(trx, { ...emptyRows(), organizations: b.rows.organizations.splice(0) })
  }

  /** Changes a location in place (only this service is there), in the columns the form shows. */
  async function changeLocation(stored: Stored<LocationRecord>, edited: LocationRecord) {
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

  // a link to a place is keyed by the place: `id` is the stored location's
  const link = (id: string) => ({ service_id: serviceId, location_id: id })
  await reconcile({
    spec: CHILD_TABLES.locations,
    stored: existing.locations,
    edited: locationsOf(record),
    removed: removed.locations,
    same: sameLocation,
    row: (_, id) => link(id),
    add: l => b.link(serviceId, scope, organizationId, l),
    async change(stored, edited) {
      if ((await repo.servicesAtLocation(trx, stored.id)) === 1) return changeLocation(stored, edited)
      await repo.deleteRows(trx, CHILD_TABLES.locations.table, [link(stored.id)])
      // what the form does not show of the place is copied: its description, the region of its address
      const region = stored.address?.region ?? null
      const address = edited.address ? { ...edited.address, region } : null
      b.link(serviceId, scope, organizationId, { ...edited, description: stored.description, address })
    },
  })

  await reconcile({
    spec: CHILD_TABLES.phones,
    stored: existing.phones,
    edited: record.phones,
    removed: removed.phones,
    same: samePhone,
    row: (p, id) => phoneRow(id, serviceId, null, p),
  })

  const contacts = await reconcile({
    spec: CHILD_TABLES.contacts,
    stored: existing.contacts,
    edited: record.contacts,
    removed: removed.contacts,
    same: sameContact,
    row: (c, id) => contactRow(id, serviceId, c),
    add: c => b.contact(serviceId, c),
  })
  for (const { stored, edited } of [...contacts.change, ...contacts.keep])
    await reconcile({
      spec: CHILD_TABLES.phones,
      stored: stored.phones,
      edited: contactPhonesOf(edited),
      removed: removed.phones,
      same: samePhone,
      row: (p, id) => phoneRow(id, null, stored.id, p),
    })

  await reconcile({
    spec: CHILD_TABLES.schedules,
    stored: existing.schedules,
    edited: record.schedules,
    removed: removed.schedules,
    same: sameSchedule,
    row: (s, id) => scheduleRow(id, serviceId, s),
  })

  // languages and pathways by code: the rows of codes kept stay as they are (with their notes)
  const unticked = (stored: readonly string[], ticked: readonly string[]) => stored.filter(c => !ticked.includes(c))
  await reconcile({
    spec: CHILD_TABLES.languages,
    stored: byCode(existing.languages),
    edited: byCode(record.languages),
    removed: unticked(existing.languages, record.languages),
    same: always,
    row: (l, id) => languageRow(id, serviceId, l.code),
  })
  await reconcile({
    spec: CHILD_TABLES.pathways,
    stored: byCode(existing.pathways),
    edited: byCode(record.pathways),
    removed: unticked(existing.pathways, record.pathways),
    same: always,
    row: (p, id) => pathwayRow(() => id, serviceId, p.code),
  })
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

  const saved = (await deps.load(trx, establishmentId, serviceId))!
  const after = fieldsOf(saved)
  if (Object.keys(diff(before, after)).length === 0) return ok()
  await repo.updateService(trx, serviceId, { updated_at: now })
  await recordChange(trx, deps, { actor, serviceId, establishmentId: scope, before, after, at: now })
  return ok()
}
