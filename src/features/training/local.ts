// An establishment's local modules (its services, hubs, processes): added, changed, retired or restored, never
// deleted.
// Invariants:
// - a local module is seen and changed only by its establishment (another's id is not found);
// - its code is unique among the national (published and draft) and the establishment's modules; its prerequisites
//   name national or active local modules and never form a circle; a module another active one needs is not retired;
// - every change is one transaction with its audit event (the changed columns, each from → to).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor } from '../../platform/audit/service'
import {
  type LocalModule,
  type LocalModuleText,
  type TrainingContext,
  actorName,
  changesOf,
  columnsOf,
  localOf,
  prerequisiteError,
  same,
  splitCodes,
  viewOf,
} from './context'
import type { TrainingNational } from './national'

export function trainingLocal(
  { db, repo, audit }: TrainingContext,
  { publishedModules, surface: { ensureNational } }: TrainingNational,
) {
  /** What is wrong with a local module against the national and the establishment's modules (empty when nothing). */
  async function localProblems(
    k: Kysely<Database>,
    establishmentId: number,
    text: LocalModuleText,
    exceptId?: number,
  ): Promise<Record<string, string>> {
    const errors: Record<string, string> = {}
    const national = await publishedModules(k)
    const draft = await repo.draft(k)
    const draftModules = draft ? await repo.versionModules(k, draft.id) : []
    const mine = (await repo.localModules(k, establishmentId)).filter(m => m.id !== exceptId)
    if ([...national, ...draftModules].some(m => same(m.code, text.code)))
      errors.code = 'That code is used by a national module: choose another'
    else if (mine.some(m => same(m.code, text.code)))
      errors.code = 'Your establishment already has a module with that code: choose another'
    const active = mine.filter(m => m.active === 1).map(r => viewOf(r, null))
    // the module itself first, so a circle is named from it
    const graph = [{ code: text.code, prerequisites: text.prerequisites }, ...national, ...active]
    const problem = prerequisiteError(
      graph,
      graph.map(m => m.code),
      text.code,
    )
    if (problem) errors.prerequisites = problem
    return errors
  }

  return {
    /** An establishment's local modules, retired ones too (marked). */
    async localModules(establishmentId: number): Promise<LocalModule[]> {
      return (await repo.localModules(db, establishmentId)).map(localOf)
    },

    /** One of the establishment's local modules; null when it has none with that id (another's, or national). */
    async localModule(establishmentId: number, id: number): Promise<LocalModule | null> {
      const r = await repo.module(db, id)
      if (!r || r.establishment_id !== establishmentId) return null
      return localOf(r)
    },

    /** The same for an establishment's local module. */
    async localModuleChecks(
      establishmentId: number,
      m: { code: string; prerequisites: string[] },
      exceptId?: number,
    ): Promise<Record<string, string>> {
      return localProblems(
        db,
        establishmentId,
        { ...m, title: '', format: 'workshop', hours: 1, days: 1, summary: '', outcomes: [] },
        exceptId,
      )
    },

    /** An establishment adds a local module (its services, hubs, processes). */
    async addLocal(actor: Actor, establishmentId: number, text: LocalModuleText): Promise<Result<number>> {
      await ensureNational()
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const errors = await localProblems(trx, establishmentId, text)
        if (Object.keys(errors).length) return fail(errors)
        const cols = columnsOf({ ...text, kind: 'local' })
        const now = new Date().toISOString()
        const id = await repo.insertModule(trx, {
          programme_version_id: null,
          establishment_id: establishmentId,
          ...cols,
          position: await repo.nextModulePosition(trx, { establishmentId }),
          created_at: now,
          created_by: actorName(actor),
          updated_at: now,
          updated_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_module',
          entityId: id,
          establishmentId,
          changes: cols,
        })
        return ok(id)
      })
    },

    /** An establishment changes one of its local modules; null when it has none with that id. */
    async updateLocal(
      actor: Actor,
      establishmentId: number,
      id: number,
      text: LocalModuleText,
    ): Promise<Result<number> | null> {
      await ensureNational()
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const m = await repo.module(trx, id)
        if (!m || m.establishment_id !== establishmentId) return null
        const errors = await localProblems(trx, establishmentId, text, id)
        // a module others of the establishment need keeps its code
        if (!same(m.code, text.code) && !errors.code) {
          const needing = (await repo.localModules(trx, establishmentId)).filter(
            x => x.id !== id && splitCodes(x.prerequisites).some(p => same(p, m.code)),
          )
          if (needing.length)
            errors.code = `${m.code} is a prerequisite of ${needing.map(x => x.code).join(', ')}: it keeps its code`
        }
        if (Object.keys(errors).length) return fail(errors)
        const cols = columnsOf({ ...text, kind: 'local' })
        await repo.updateModule(trx, id, {
          ...cols,
          updated_at: new Date().toISOString(),
          updated_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_module',
          entityId: id,
          establishmentId,
          changes: changesOf(m, cols),
        })
        return ok(id)
      })
    },

    /** Retires (no longer offered) or restores a local module; never deleted. Null when not the establishment's. */
    async setLocalActive(actor: Actor, establishmentId: number, id: number, active: boolean): Promise<Result | null> {
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const m = await repo.module(trx, id)
        if (!m || m.establishment_id !== establishmentId) return null
        if ((m.active === 1) === active) return ok()
        if (!active) {
          const needing = (await repo.localModules(trx, establishmentId, { activeOnly: true })).filter(
            x => x.id !== id && splitCodes(x.prerequisites).some(p => same(p, m.code)),
          )
          if (needing.length)
            return fail({
              module: `${m.title} is a prerequisite of ${needing.map(x => x.code).join(', ')}: change those first`,
            })
        } else {
          // restoring: its code may since have been taken, or its prerequisites gone
          const errors = await localProblems(trx, establishmentId, { ...viewOf(m, null) }, id)
          if (Object.keys(errors).length) return fail({ module: Object.values(errors).join('. ') })
        }
        await repo.updateModule(trx, id, {
          active: active ? 1 : 0,
          updated_at: new Date().toISOString(),
          updated_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_module',
          entityId: id,
          establishmentId,
          changes: { code: m.code, active: { from: !active, to: active } },
        })
        return ok()
      })
    },
  }
}
