// The national programme as it is published: version 1 seeded from the domain, and the modules other features read.
// Invariants:
// - version 1 is written (with its audit event) when the database has no version at all, once: two starts at once
//   meet the unique version number and one wins;
// - the modules offered are the published version's national modules plus the establishment's active local ones;
//   a module by id or code is found whether retired or of an older version, the caller checks the establishment.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { NATIONAL_PROGRAMME_V1 } from '../../domain/trainingProgramme'
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/service'
import {
  type ModuleRow,
  type ModuleView,
  type ProgrammeVersionFull,
  type ProgrammeVersionView,
  type TrainingContext,
  actorName,
  columnsOf,
  contributorOf,
  same,
  versionOf,
  viewOf,
} from './context'

export function trainingNational({ db, repo, audit }: TrainingContext) {
  /** Writes programme version 1 from the domain's seed when the database has no version at all. */
  async function seed(trx: Kysely<Database>, actor: Actor) {
    if (await repo.anyVersion(trx)) return
    const now = new Date().toISOString()
    const p = NATIONAL_PROGRAMME_V1
    const versionId = await repo.insertVersion(trx, {
      version: p.version,
      status: 'published',
      summary: p.summary,
      created_at: now,
      created_by: actorName(actor),
      published_at: now,
      published_by: actorName(actor),
    })
    let position = 1
    for (const c of p.contributors)
      await repo.insertContributor(trx, { programme_version_id: versionId, ...c, position: position++ })
    position = 1
    for (const m of p.modules)
      await repo.insertModule(trx, {
        programme_version_id: versionId,
        establishment_id: null,
        ...columnsOf(m),
        position: position++,
        created_at: now,
        created_by: actorName(actor),
        updated_at: now,
        updated_by: actorName(actor),
      })
    await audit.record(trx, actor, {
      action: 'import',
      entity: 'training_programme_version',
      entityId: versionId,
      establishmentId: null,
      changes: { version: p.version, modules: p.modules.map(m => m.code), contributors: p.contributors.length },
    })
  }

  async function ensureNational(trx?: Kysely<Database>, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    if (trx) return seed(trx, actor)
    if (await repo.anyVersion(db)) return
    try {
      await db.transaction().execute(t => seed(t, actor))
    } catch (err) {
      // two starts at once: the unique version number lets one win; the other finds the programme there
      if (!(await repo.anyVersion(db))) throw err
    }
  }

  /** The published version (version 1 written first when the database has none). */
  async function published(k: Kysely<Database> = db) {
    let v = await repo.latestPublished(k)
    if (!v && k === db) {
      await ensureNational()
      v = await repo.latestPublished(db)
    }
    return v
  }

  async function publishedModules(k: Kysely<Database>): Promise<ModuleView[]> {
    const v = await published(k)
    return v ? (await repo.versionModules(k, v.id)).map(r => viewOf(r, v.version)) : []
  }

  async function publishedRows(): Promise<ModuleRow[]> {
    const v = await published()
    return v ? repo.versionModules(db, v.id) : []
  }

  return {
    seed,
    published,
    publishedModules,
    publishedRows,
    /** What the service offers of the published programme. */
    surface: {
      ensureNational,

      /** The published national modules and that establishment's active local modules (national only for null). */
      async modulesFor(establishmentId: number | null): Promise<ModuleView[]> {
        const national = await publishedModules(db)
        if (establishmentId === null) return national
        const local = await repo.localModules(db, establishmentId, { activeOnly: true })
        return [...national, ...local.map(r => viewOf(r, null))]
      },

      /** Any module by id (national of any version, or local, retired too); the caller checks the establishment. */
      async moduleById(id: number): Promise<ModuleView | undefined> {
        const r = await repo.module(db, id)
        if (!r) return undefined
        if (r.programme_version_id === null) return viewOf(r, null)
        const v = await repo.version(db, r.programme_version_id)
        return viewOf(r, v?.version ?? null)
      },

      /** The published national module of that code, or else the establishment's local one (retired too). */
      async moduleByCode(code: string, establishmentId: number | null): Promise<ModuleView | undefined> {
        const national = (await publishedModules(db)).find(m => same(m.code, code))
        if (national || establishmentId === null) return national
        const local = (await repo.localModules(db, establishmentId)).find(m => same(m.code, code))
        return local ? viewOf(local, null) : undefined
      },

      /** Every version, newest first. */
      async versions(): Promise<ProgrammeVersionView[]> {
        await published()
        return (await repo.versions(db)).map(versionOf)
      },

      /** A version with its modules and contributors; null when there is none with that number. */
      async version(number?: number): Promise<ProgrammeVersionFull | null> {
        const v = number === undefined ? await published() : (await repo.versions(db)).find(x => x.version === number)
        if (!v) return null
        return {
          version: versionOf(v),
          modules: (await repo.versionModules(db, v.id)).map(r => viewOf(r, v.version)),
          contributors: (await repo.contributors(db, v.id)).map(contributorOf),
        }
      },
    },
  }
}

export type TrainingNational = ReturnType<typeof trainingNational>
