import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { markdownBlocks, plainTextOfMarkdown } from '../../domain/markdown'
import { pathwayName } from '../../domain/pathways'
import { type Readability, readability } from '../../domain/readability'
import { type Result, fail, ok } from '../../domain/result'
import type { Role } from '../../domain/roles'
import type { Actor, AuditService } from '../../platform/audit/service'
import { finishPdf, heading, newPdf, paragraph, writeBlocks } from '../../platform/pdf'
import { loadWorksheetSeeds } from './content'
import { type WorksheetRow, worksheetsRepository } from './repository'
import type { WorksheetRecord } from './schema'

const ENTITY = 'worksheet'

export interface Worksheet extends WorksheetRow {
  national: boolean
  pathwayName: string
}

const toWorksheet = (r: WorksheetRow): Worksheet => ({
  ...r,
  national: r.establishment_id === null,
  pathwayName: pathwayName(r.pathway),
})

/**
 * Who may change a worksheet: national ones only the national team; local ones the establishment's admins, and the
 * national team, which oversees every establishment's content (to correct a local sheet, say), audited like any edit.
 */
export function canEditWorksheet(roles: readonly Role[], w: { establishment_id: number | null }): boolean {
  if (roles.includes('NATIONAL_POLICY')) return true
  return w.establishment_id !== null && roles.includes('ESTABLISHMENT_ADMIN')
}

/** Who may add worksheets, and whether what they add is national. */
export function authorScope(roles: readonly Role[]): 'national' | 'local' | null {
  if (roles.includes('NATIONAL_POLICY')) return 'national'
  if (roles.includes('ESTABLISHMENT_ADMIN')) return 'local'
  return null
}

/** The reading score of a sheet's words, for its authors. */
export const sheetReadability = (sheet: string): Readability => readability(plainTextOfMarkdown(sheet))

export interface WorksheetsDeps {
  audit: AuditService
  /** tells establishment staff of a new national worksheet, in its transaction (the bulletins feature) */
  announce?: (
    trx: Kysely<Database>,
    actor: Actor,
    w: { id: number; title: string; purpose: string },
  ) => Promise<unknown>
}

export function worksheetsService(db: Kysely<Database>, deps: WorksheetsDeps) {
  const repo = worksheetsRepository(db)
  const fields = (r: WorksheetRecord) => ({
    title: r.title,
    pathway: r.pathway,
    purpose: r.purpose,
    guidance: r.guidance,
    sheet: r.sheet,
  })

  return {
    /** National worksheets and the establishment's own, by title; optionally one pathway's. */
    async list(establishmentId: number, filter: { pathway?: string | null } = {}): Promise<Worksheet[]> {
      return (await repo.list(establishmentId, filter.pathway ?? null)).map(toWorksheet)
    },

    /** A worksheet the establishment sees (national or its own), or null. */
    async get(establishmentId: number, id: number): Promise<Worksheet | null> {
      const r = await repo.byId(establishmentId, id)
      return r ? toWorksheet(r) : null
    },

    /** Adds a national worksheet (establishmentId null) or a local one. */
    async create(actor: Actor, establishmentId: number | null, record: WorksheetRecord): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        const now = new Date().toISOString()
        const values = {
          establishment_id: establishmentId,
          slug: null,
          ...fields(record),
          created_at: now,
          updated_at: now,
          updated_by: actor.username,
        }
        const id = await repo.insert(trx, values)
        await deps.audit.record(trx, actor, {
          action: 'create',
          entity: ENTITY,
          entityId: id,
          establishmentId,
          changes: diff(null, fields(record)),
        })
        if (establishmentId === null)
          await deps.announce?.(trx, actor, { id, title: record.title, purpose: record.purpose })
        return ok(id)
      })
    },

    /** Saves a worksheet the actor may edit (checked by the caller with canEditWorksheet). */
    async update(
      actor: Actor,
      establishmentId: number,
      id: number,
      record: WorksheetRecord,
      roles: readonly Role[],
    ): Promise<Result<'updated' | 'unchanged'>> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byId(establishmentId, id, trx)
        if (!existing) return fail({ title: 'This worksheet no longer exists' })
        if (!canEditWorksheet(roles, existing)) return fail({ title: 'You cannot change this worksheet' })
        const after = fields(record)
        const changes = diff(
          Object.fromEntries(Object.keys(after).map(k => [k, existing[k as keyof typeof after]])),
          after,
        )
        if (Object.keys(changes).length === 0) return ok('unchanged' as const)
        await repo.update(trx, id, { ...after, updated_at: new Date().toISOString(), updated_by: actor.username })
        await deps.audit.record(trx, actor, {
          action: 'update',
          entity: ENTITY,
          entityId: id,
          establishmentId: existing.establishment_id,
          changes,
        })
        return ok('updated' as const)
      })
    },

    /** Adds any national worksheet shipped in content/worksheets that the database does not have yet. */
    async ensureNational(trx: Kysely<Database>, actor: Actor): Promise<number> {
      const have = await repo.nationalSlugs(trx)
      const now = new Date().toISOString()
      const added: string[] = []
      for (const seed of loadWorksheetSeeds()) {
        if (have.has(seed.slug)) continue
        const { slug, ...rest } = seed
        await repo.insert(trx, {
          establishment_id: null,
          slug,
          ...rest,
          created_at: now,
          updated_at: now,
          updated_by: actor.username,
        })
        added.push(slug)
      }
      if (added.length)
        await deps.audit.record(trx, actor, {
          action: 'import',
          entity: ENTITY,
          establishmentId: null,
          changes: { national: added },
        })
      return added.length
    },

    /** The printable sheet as an A5 PDF: title, pathway, the sheet with lines to write on. */
    async pdf(w: Worksheet): Promise<{ pdf: Buffer; pages: number }> {
      const doc = newPdf(w.title)
      paragraph(doc, `Worksheet · ${w.pathwayName}`, { size: 8.5, colour: '#505a5f' })
      const blocks = markdownBlocks(w.sheet)
      // the sheet's own first heading is its title: do not print the title twice
      const first = blocks[0]
      if (!(first?.kind === 'heading' && first.text.trim() === w.title.trim())) heading(doc, w.title, 16)
      writeBlocks(doc, blocks, { rulesAreWritingSpace: true, headingSizes: [16, 12.5, 11] })
      paragraph(doc, 'Name: ____________________   Date: ____________', { size: 9 })
      return finishPdf(doc, w.title)
    },
  }
}

export type WorksheetsService = ReturnType<typeof worksheetsService>
