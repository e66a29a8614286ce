import { excerpt, limitedList } from '../../../domain/untrusted'
import {
  type Bundle,
  COLUMNS,
  type Problem,
  RESOURCE_TYPE,
  type TableName,
  type Tables,
  emptyBundle,
  provisionOfTerm,
} from './model'
import { type KeptRow, extraOf } from './extras'

type Obj = Record<string, unknown>

/** What reading a file found: the rows, the problems, and the tabular rows kept whole. */
export interface Reading {
  bundle: Bundle
  problems: Problem[]
  /** tabular rows keywork keeps whole (hsds/extras.ts), nested by the importer */
  kept?: KeptRow[]
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : [])

function hasValue(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)
}

/** The HSDS fields of each record that link it to a record it is nested in (one phone may have several). */
const LINKS: Partial<Record<TableName, readonly string[]>> = {
  phones: ['service_id', 'contact_id', 'location_id', 'organization_id', 'service_at_location_id'],
  contacts: ['service_id', 'organization_id', 'location_id', 'service_at_location_id'],
  schedules: ['service_id', 'location_id', 'service_at_location_id'],
  languages: ['service_id', 'location_id', 'phone_id'],
  addresses: ['location_id'],
  service_at_locations: ['service_id'],
  attributes: ['link_id'],
  metadata: ['resource_id'],
}

/** The places (relative JSON paths) where two values read from a file differ; no value, null and [] are the same. */
export function differences(a: unknown, b: unknown, at: string, out: string[]): string[] {
  if (!hasValue(a) && !hasValue(b)) return out
  const here = at || '(the whole record)'
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      if (i >= a.length || i >= b.length) out.push(`${at}/${i}`.replace(/^\//, ''))
      else differences(a[i], b[i], `${at}/${i}`, out)
    return out
  }
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], `${at}/${k}`, out)
    return out
  }
  if (a !== b) out.push(here.replace(/^\//, ''))
  return out
}

/** A table row from an HSDS object (or CSV record): the columns keywork keeps, null when absent. */
export function rowOf<T extends TableName>(table: T, o: Obj): Tables[T] {
  const row: Obj = {}
  for (const col of COLUMNS[table] as readonly string[]) {
    const v = o[col]
    // an object or a list where a value belongs is a schema error already: the row is only read for the other checks
    if (v === undefined || v === null || typeof v === 'object') row[col] = null
    else if (typeof v === 'boolean' || (table === 'phones' && col === 'extension')) row[col] = String(v)
    else row[col] = v
  }
  // what keywork does not model is kept with the row (hsds/extras.ts)
  if (table !== 'metadata') row.extra = extraOf(table, o)
  if (table === 'services') row.provision = null
  return row as unknown as Tables[T]
}

export class Reader {
  bundle = emptyBundle()
  problems: Problem[] = []
  /** provision per service id, from its keywork-provision attribute */
  provisions = new Map<string, { at: string; value: 'internal' | 'external' }>()

  problem(path: string, message: string) {
    this.problems.push({ path, message })
  }

  kept: KeptRow[] = []

  keep(entity: string, at: string, row: Obj) {
    this.kept.push({ entity, at, row })
  }

  /** The first copy of each record read, by table and id, with the object it was read from. */
  private copies = new Map<TableName, Map<string, { at: string; row: Record<string, unknown>; source: Obj }>>()

  /**
   * Adds a row read from `source` (the HSDS object or CSV record). Nested HSDS repeats a record where it belongs (one
   * phone under its service, its contact and its location): a copy deep-equal to the first is the same record, so
   * it merges into it with its parent links, as the tabular form's one row with several parent ids; a copy that
   * differs is a problem naming the fields. Services are left to the importer (the same service twice is an error).
   */
  add<T extends TableName>(table: T, at: string, row: Tables[T], source?: Obj) {
    if (source && table !== 'services') {
      const id = (row as { id: unknown }).id
      let byId = this.copies.get(table)
      if (!byId) this.copies.set(table, (byId = new Map()))
      if (typeof id === 'string') {
        const first = byId.get(id)
        if (first) {
          this.mergeCopy(table, first, { at, row: row as unknown as Record<string, unknown>, source })
          return
        }
        byId.set(id, { at, row: row as unknown as Record<string, unknown>, source })
      }
    }
    ;(this.bundle[table] as { at: string; row: Tables[T] }[]).push({ at, row })
  }

  private mergeCopy(
    table: TableName,
    first: { at: string; row: Record<string, unknown>; source: Obj },
    copy: { at: string; row: Record<string, unknown>; source: Obj },
  ) {
    const links = LINKS[table] ?? []
    const differ: string[] = []
    const strip = (o: Obj) => Object.fromEntries(Object.entries(o).filter(([k]) => !links.includes(k)))
    differences(strip(first.source), strip(copy.source), '', differ)
    const merged: Record<string, unknown> = {}
    for (const link of links) {
      const a = link in first.row ? first.row[link] : first.source[link]
      const b = link in copy.row ? copy.row[link] : copy.source[link]
      if (hasValue(a) && hasValue(b) && a !== b) differ.push(link)
      else if (!hasValue(a) && hasValue(b) && link in first.row) merged[link] = b
    }
    if (differ.length) {
      const where = (f: string) => (copy.at.startsWith('/') || copy.at === '' ? `${copy.at}/${f}` : `${copy.at}, ${f}`)
      this.problem(
        where('id'),
        `the ${RESOURCE_TYPE[table]} id appears more than once with different values: "${excerpt(first.row.id)}" is also at ${first.at || '/'}, and differs in ${limitedList(differ, 5)}`,
      )
    } else Object.assign(first.row, merged)
  }

  /** A child's reference to the object it is nested in: absent means that object; anything else is an error. */
  parentRef(o: Obj, at: string, key: string, parentId: string, parentEntity: string): string {
    const v = o[key]
    if (v === undefined || v === null) return parentId
    if (v !== parentId)
      this.problem(
        `${at}/${key}`,
        `must be "${excerpt(parentId)}", the id of the ${parentEntity} it is in, or left out`,
      )
    return parentId
  }

  metadata(list: unknown, at: string, resourceId: string, entity: string) {
    arr(list).forEach((m, i) => {
      const mAt = `${at}/metadata/${i}`
      const row = rowOf('metadata', m)
      row.resource_id = this.parentRef(m, mAt, 'resource_id', resourceId, entity)
      row.resource_type ??= entity
      this.add('metadata', mAt, row, m)
    })
  }

  phone(p: Obj, at: string, parent: { key: 'service_id' | 'contact_id' | 'location_id'; id: string; entity: string }) {
    const row = rowOf('phones', p)
    row[parent.key] = this.parentRef(p, at, parent.key, parent.id, parent.entity)
    this.add('phones', at, row, p)
    this.metadata(p.metadata, at, row.id, 'phone')
  }

  location(l: Obj, at: string) {
    const row = rowOf('locations', l)
    if (row.name === null) this.problem(`${at}/name`, 'is required: keywork needs a name for every location')
    this.add('locations', at, row, l)
    arr(l.addresses).forEach((a, i) => {
      const aAt = `${at}/addresses/${i}`
      const ar = rowOf('addresses', a)
      ar.location_id = this.parentRef(a, aAt, 'location_id', row.id, 'location')
      this.add('addresses', aAt, ar, a)
      this.metadata(a.metadata, aAt, ar.id, 'address')
    })
    arr(l.phones).forEach((p, i) =>
      this.phone(p, `${at}/phones/${i}`, { key: 'location_id', id: row.id, entity: 'location' }),
    )
    this.metadata(l.metadata, at, row.id, 'location')
  }

  attribute(a: Obj, at: string, serviceId: string) {
    const row = rowOf('attributes', a)
    row.link_id = this.parentRef(a, at, 'link_id', serviceId, 'service')
    if (row.link_entity === null) row.link_entity = 'service'
    else if (row.link_entity !== 'service')
      this.problem(`${at}/link_entity`, 'must be "service": keywork links taxonomy terms to services only')
    const term = isObj(a.taxonomy_term) ? a.taxonomy_term : null
    const termId = typeof term?.id === 'string' ? term.id : null
    if (row.taxonomy_term_id === null) row.taxonomy_term_id = termId as string
    else if (termId !== null && termId !== row.taxonomy_term_id)
      this.problem(`${at}/taxonomy_term/id`, `must be the same as taxonomy_term_id "${excerpt(row.taxonomy_term_id)}"`)
    if (row.taxonomy_term_id === null) {
      this.problem(`${at}/taxonomy_term_id`, 'is required: a taxonomy_term_id or a taxonomy_term with its id')
      return
    }
    // the rest of taxonomy_term describes the term; keywork keeps its own copy of every term it knows
    const provision = provisionOfTerm(row.taxonomy_term_id)
    if (provision) {
      this.setProvision(serviceId, provision, at)
      return
    }
    this.add('attributes', at, row, a)
    this.metadata(a.metadata, at, row.id, 'attribute')
  }

  setProvision(serviceId: string, value: 'internal' | 'external', at: string) {
    const before = this.provisions.get(serviceId)
    if (before && before.value !== value)
      this.problem(at, `the service is both internal and external (see also ${before.at}): keep one`)
    else this.provisions.set(serviceId, { at, value })
  }

  service(s: Obj, at: string) {
    const row = rowOf('services', s)
    const org = isObj(s.organization) ? s.organization : null
    if (org) {
      const oAt = `${at}/organization`
      const orow = rowOf('organizations', org)
      if (row.organization_id === null) row.organization_id = orow.id
      else if (row.organization_id !== orow.id)
        this.problem(`${oAt}/id`, `must be the same as the service's organization_id "${excerpt(row.organization_id)}"`)
      this.add('organizations', oAt, orow, org)
      this.metadata(org.metadata, oAt, orow.id, 'organization')
    }
    if (row.organization_id === null)
      this.problem(`${at}/organization_id`, 'is required: keywork needs the organisation that runs every service')
    this.add('services', at, row)

    arr(s.service_at_locations).forEach((sal, i) => {
      const sAt = `${at}/service_at_locations/${i}`
      const r = rowOf('service_at_locations', sal)
      r.service_id = this.parentRef(sal, sAt, 'service_id', row.id, 'service')
      const loc = isObj(sal.location) ? sal.location : null
      if (loc) {
        this.location(loc, `${sAt}/location`)
        const locId = String(loc.id)
        if (r.location_id === null) r.location_id = locId
        else if (r.location_id !== locId)
          this.problem(`${sAt}/location/id`, `must be the same as location_id "${excerpt(r.location_id)}"`)
      }
      if (r.location_id === null) this.problem(`${sAt}/location_id`, 'is required: a location_id or a location')
      else this.add('service_at_locations', sAt, r, sal)
      this.metadata(sal.metadata, sAt, r.id, 'service_at_location')
    })

    arr(s.contacts).forEach((c, i) => {
      const cAt = `${at}/contacts/${i}`
      const r = rowOf('contacts', c)
      r.service_id = this.parentRef(c, cAt, 'service_id', row.id, 'service')
      this.add('contacts', cAt, r, c)
      arr(c.phones).forEach((p, j) =>
        this.phone(p, `${cAt}/phones/${j}`, { key: 'contact_id', id: r.id, entity: 'contact' }),
      )
      this.metadata(c.metadata, cAt, r.id, 'contact')
    })

    arr(s.phones).forEach((p, i) =>
      this.phone(p, `${at}/phones/${i}`, { key: 'service_id', id: row.id, entity: 'service' }),
    )

    for (const [key, table, entity] of [
      ['schedules', 'schedules', 'schedule'],
      ['languages', 'languages', 'language'],
    ] as const) {
      arr(s[key]).forEach((o, i) => {
        const oAt = `${at}/${key}/${i}`
        const r = rowOf(table, o)
        r.service_id = this.parentRef(o, oAt, 'service_id', row.id, 'service')
        this.add(table, oAt, r, o)
        this.metadata(o.metadata, oAt, r.id, entity)
      })
    }

    arr(s.attributes).forEach((a, i) => this.attribute(a, `${at}/attributes/${i}`, row.id))
    this.metadata(s.metadata, at, row.id, 'service')
  }

  /** Sets each service's provision from its attribute. */
  finish(): Reading {
    for (const { row } of this.bundle.services) row.provision = this.provisions.get(row.id)?.value ?? null
    return { bundle: this.bundle, problems: this.problems, kept: this.kept }
  }
}

/**
 * The one-file form: HSDS services, each with its JSON pointer (`/3`, `/contents/3`, or `` for a file that is one
 * service). Read even where the schema found problems, so that the later checks run on what can be read.
 */
export function readServices(services: { value: unknown; at: string }[]): Reading {
  const reader = new Reader()
  for (const s of services) if (isObj(s.value)) reader.service(s.value, s.at)
  return reader.finish()
}
