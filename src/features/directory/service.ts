// The services directory's public surface: searching, reading, adding and changing services (HSDS tables).
// Invariants: every read is scoped to what the establishment sees (its own services and the national ones; another
// establishment's service is not found); every change is one transaction with its HSDS metadata and audit event
// (history.ts), made only by an editor `mayEdit` allows (permission.ts). The parts: ids.ts (ids), rowBuilder.ts
// (new rows), assemble.ts (rows to records), format.ts (records as text), update.ts (saving the edit form).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { todayIso } from '../../domain/dates'
import { type BookletService, CHECK_DUE_MONTHS } from '../../domain/directory'
import { type ServiceEdit, type ServiceRecord, monthsBefore } from '../../domain/directoryRecord'
import { type Result, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type DirectoryServiceDetail, type StoredContact, assemble } from './assemble'
import { fieldsOf, toBooklet } from './format'
import { recordChange } from './history'
import { type Editor, mayEdit } from './permission'
import { type DirectoryRows, directoryRepository } from './repository'
import { rowBuilder, termIdOf } from './rowBuilder'
import { updateService } from './update'

export type { DirectoryServiceDetail, StoredContact }
export { fieldsOf, locationLine, toBooklet } from './format'
export { orderedUuid } from './ids'
export { type Editor, mayEdit } from './permission'

export const PAGE_SIZE = 20

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

export function directoryService(db: Kysely<Database>, deps: { audit: AuditService }) {
  const repo = directoryRepository(db)
  const history = { repo, audit: deps.audit }

  async function load(trx: Kysely<Database>, establishmentId: number, serviceId: string) {
    const row = await repo.byId(trx, establishmentId, serviceId)
    if (!row) return null
    return assemble([row], await repo.details(trx, [serviceId]))[0]!
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
        const change = { actor, serviceId: id, establishmentId, before: null, after: fieldsOf(record), at: now }
        await recordChange(trx, history, change)
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
    update: (
      actor: Actor,
      establishmentId: number,
      serviceId: string,
      editor: Editor,
      edit: ServiceEdit,
    ): Promise<Result | 'not-found' | 'forbidden'> =>
      db
        .transaction()
        .execute(trx => updateService(trx, { ...history, load }, { actor, establishmentId, serviceId, editor, edit })),

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
        const scope = existing.establishment_id
        await recordChange(trx, history, { actor, serviceId, establishmentId: scope, before, after, at: now })
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
