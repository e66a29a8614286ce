import type { Kysely } from 'kysely'
import { type BookletPart2, bookletPart2 } from '../../domain/booklet'
import { formatDate } from '../../domain/dates'
import type { BookletService } from '../../domain/directory'
import { markdownBlocks } from '../../domain/markdown'
import { type Result, fail, ok } from '../../domain/result'
import { type TextDiff, textDiff } from '../../domain/textdiff'
import type { Database, Establishment } from '../../platform/db/types'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { WorksheetsService } from '../worksheets/service'
import { loadGuideSeed } from './content'
import { finishPdf, heading, newPdf, paragraph, table, writeBlocks } from '../../platform/pdf'
import { guidanceRepository } from './repository'

export interface GuideVersion {
  id: number
  version: number
  body: string
  summary: string
  published_at: string
  published_by: string | null
}

export interface Booklet {
  establishment: Pick<Establishment, 'id' | 'name' | 'code'>
  guide: GuideVersion | null
  introduction: string | null
  part2: BookletPart2
}

export interface GuidanceDeps {
  audit: AuditService
  worksheets: WorksheetsService
  /** the directory's services for an establishment's booklet (the directory feature owns them) */
  servicesForBooklet: (establishmentId: number) => Promise<BookletService[]>
  /** tells establishment staff of a new version, in the publish transaction (the bulletins feature) */
  announce?: (trx: Kysely<Database>, actor: Actor, v: { version: number; summary: string }) => Promise<unknown>
}

export function guidanceService(db: Kysely<Database>, deps: GuidanceDeps) {
  const repo = guidanceRepository(db)

  async function booklet(establishment: Booklet['establishment']): Promise<Booklet> {
    const [guide, intro, services] = await Promise.all([
      repo.latest(),
      repo.introduction(establishment.id),
      deps.servicesForBooklet(establishment.id),
    ])
    return { establishment, guide: guide ?? null, introduction: intro?.body ?? null, part2: bookletPart2(services) }
  }

  return {
    latest: () => repo.latest().then(v => v ?? null),
    version: (n: number) => repo.byVersion(n).then(v => v ?? null),
    versions: () => repo.versions(),

    /** A version with what changed since the one before it (null for the first). */
    async changes(n: number): Promise<{ version: GuideVersion; previous: GuideVersion | null; diff: TextDiff } | null> {
      const version = await repo.byVersion(n)
      if (!version) return null
      const previous = (await repo.previous(n)) ?? null
      return { version, previous, diff: textDiff(previous?.body ?? '', version.body) }
    },

    /** Publishes a new version of the national guide; refuses one identical to the current version. */
    async publish(actor: Actor, input: { body: string; summary: string }): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        const latest = await repo.latest(trx)
        if (latest && latest.body.trim() === input.body.trim())
          return fail({ body: 'The guide has not changed: edit it before publishing a new version' })
        const version = (latest?.version ?? 0) + 1
        const body = `${input.body.trim()}\n`
        await repo.insertVersion(trx, {
          version,
          body,
          summary: input.summary,
          published_at: new Date().toISOString(),
          published_by: actor.username,
        })
        const d = textDiff(latest?.body ?? '', body)
        await deps.audit.record(trx, actor, {
          action: 'create',
          entity: 'guide_version',
          entityId: version,
          establishmentId: null,
          changes: { version, summary: input.summary, linesAdded: d.added, linesRemoved: d.removed },
        })
        await deps.announce?.(trx, actor, { version, summary: input.summary })
        return ok(version)
      })
    },

    introduction: (establishmentId: number) => repo.introduction(establishmentId).then(r => r ?? null),

    async saveIntroduction(
      actor: Actor,
      establishmentId: number,
      body: string,
    ): Promise<Result<'saved' | 'unchanged'>> {
      return db.transaction().execute(async trx => {
        const before = await repo.introduction(establishmentId, trx)
        if (before && before.body === body) return ok('unchanged' as const)
        await repo.saveIntroduction(trx, {
          establishment_id: establishmentId,
          body,
          updated_at: new Date().toISOString(),
          updated_by: actor.username,
        })
        await deps.audit.record(trx, actor, {
          action: before ? 'update' : 'create',
          entity: 'booklet_introduction',
          entityId: establishmentId,
          establishmentId,
          changes: { body: { from: before?.body ?? null, to: body } },
        })
        return ok('saved' as const)
      })
    },

    /**
     * Makes sure the national content exists: version 1 of the guide when there is no version at all, and every
     * national worksheet shipped in content/. Idempotent; run at start and after the demo's reset.
     */
    async ensureNationalContent(trx?: Kysely<Database>, actor: Actor = SYSTEM_ACTOR): Promise<void> {
      const run = async (t: Kysely<Database>) => {
        if (!(await repo.latest(t))) {
          const seed = loadGuideSeed()
          await repo.insertVersion(t, {
            version: seed.version,
            body: seed.body,
            summary: seed.summary,
            published_at: new Date().toISOString(),
            published_by: actor.username,
          })
          await deps.audit.record(t, actor, {
            action: 'import',
            entity: 'guide_version',
            entityId: seed.version,
            establishmentId: null,
            changes: { version: seed.version, summary: seed.summary, source: 'content/guide/v1.md' },
          })
        }
        await deps.worksheets.ensureNational(t, actor)
      }
      if (trx) await run(trx)
      else await db.transaction().execute(run)
    },

    booklet,

    /** Both parts as one A5 PDF. */
    async bookletPdf(b: Booklet): Promise<{ pdf: Buffer; pages: number }> {
      const doc = newPdf(`Key Worker booklet: ${b.establishment.name}`)
      heading(doc, 'Key Worker booklet', 20)
      paragraph(doc, b.establishment.name, { size: 13 })
      paragraph(
        doc,
        `Part 1: the national Key Worker guide${b.guide ? `, version ${b.guide.version} (${formatDate(b.guide.published_at)})` : ''}.`,
      )
      paragraph(doc, `Part 2: services and contacts at ${b.establishment.name}.`)

      heading(doc, 'Part 1: the Key Worker guide', 17, { newPage: true })
      if (b.guide) writeBlocks(doc, markdownBlocks(b.guide.body), { headingSizes: [14, 11.5, 10.5] })
      else paragraph(doc, 'The national guide has not been published yet.')

      heading(doc, `Part 2: ${b.establishment.name}`, 17, { newPage: true })
      if (b.introduction) writeBlocks(doc, markdownBlocks(b.introduction), { headingSizes: [14, 11.5, 10.5] })
      writePart2(doc, b.part2)
      return finishPdf(doc, `Key Worker booklet · ${b.establishment.code}`)
    },
  }
}

function writePart2(doc: PDFKit.PDFDocument, part2: BookletPart2) {
  const groups = [
    ...part2.groups,
    ...(part2.other.length ? [{ code: 'other', name: 'Other services', services: part2.other }] : []),
  ]
  if (groups.length === 0) paragraph(doc, 'No services are listed in the directory yet.')
  for (const g of groups) {
    heading(doc, g.name, 14)
    for (const s of g.services) {
      heading(doc, s.name, 10.5)
      const lines: { label: string; text: string }[] = []
      if (s.description) lines.push({ label: '', text: s.description })
      if (s.status === 'temporarily closed') lines.push({ label: 'Status: ', text: 'temporarily closed' })
      if (s.applicationProcess) lines.push({ label: 'How to apply: ', text: s.applicationProcess })
      if (s.location) lines.push({ label: 'Where: ', text: s.location })
      if (s.openingTimes.length) lines.push({ label: 'Open: ', text: s.openingTimes.join('; ') })
      if (s.phones.length) lines.push({ label: 'Phone: ', text: s.phones.join(', ') })
      if (s.email) lines.push({ label: 'Email: ', text: s.email })
      for (const l of lines)
        paragraph(doc, l.label ? [{ text: l.label, bold: true }, { text: l.text }] : [{ text: l.text }], { size: 9 })
    }
  }
  if (part2.contacts.length) {
    heading(doc, 'Contacts', 14)
    table(
      doc,
      ['Name', 'Role', 'Phone', 'Email'],
      part2.contacts.map(c => [c.name === c.service ? c.name : `${c.name} (${c.service})`, c.role, c.phone, c.email]),
      { weights: [30, 20, 22, 28] },
    )
  }
}

export type GuidanceService = ReturnType<typeof guidanceService>
