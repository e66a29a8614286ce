// The national team's draft version: started as a copy of the published one, its modules and contributors changed,
// then published with a change summary (the previous version superseded).
// Invariants:
// - one draft at a time; every change takes the versions lock first (PostgreSQL) and is one transaction with its
//   audit event;
// - a module's code never changes (completions count by code) and is unique across the draft and the local modules;
//   prerequisites name modules that exist and never form a circle;
// - publishing keeps every module of the published version's codes countable: nothing done is lost.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import type { ContributorText, ModuleText } from '../../domain/trainingProgramme'
import type { Actor } from '../../platform/audit/service'
import {
  type ModuleRow,
  type ProgrammeVersionFull,
  type TrainingContext,
  type VersionRow,
  actorName,
  changesOf,
  columnsOf,
  contributorOf,
  prerequisiteError,
  same,
  splitCodes,
  versionOf,
  viewOf,
} from './context'
import type { TrainingNational } from './national'

export function trainingDraft({ db, repo, audit }: TrainingContext, { seed, publishedRows }: TrainingNational) {
  /** The draft a national module or contributor may be changed in; null when there is no draft. */
  async function openDraft(trx: Kysely<Database>): Promise<VersionRow | null> {
    return (await repo.draft(trx)) ?? null
  }

  /** Writes a new draft version, a copy of the published one's modules and contributors (the caller holds the lock). */
  async function insertDraft(trx: Kysely<Database>, actor: Actor): Promise<number> {
    await seed(trx, actor)
    const from = await repo.latestPublished(trx)
    const now = new Date().toISOString()
    const version = (await repo.maxVersion(trx)) + 1
    const id = await repo.insertVersion(trx, {
      version,
      status: 'draft',
      summary: '',
      created_at: now,
      created_by: actorName(actor),
      published_at: null,
      published_by: null,
    })
    if (from) {
      for (const c of await repo.contributors(trx, from.id))
        await repo.insertContributor(trx, {
          programme_version_id: id,
          name: c.name,
          role: c.role,
          organisation: c.organisation,
          position: c.position,
        })
      for (const m of await repo.versionModules(trx, from.id))
        await repo.insertModule(trx, {
          programme_version_id: id,
          establishment_id: null,
          code: m.code,
          title: m.title,
          kind: m.kind,
          summary: m.summary,
          outcomes: m.outcomes,
          format: m.format,
          hours: m.hours,
          days: m.days,
          prerequisites: m.prerequisites,
          position: m.position,
          active: 1,
          created_at: now,
          created_by: actorName(actor),
          updated_at: now,
          updated_by: actorName(actor),
        })
    }
    await audit.record(trx, actor, {
      action: 'create',
      entity: 'training_programme_version',
      entityId: id,
      establishmentId: null,
      changes: { version, status: 'draft', copiedFrom: from?.version ?? null },
    })
    return id
  }

  /** What is wrong with a module of the draft: a code taken (a new module), prerequisites unknown or in a circle. */
  async function draftProblems(
    k: Kysely<Database>,
    version: number,
    modules: ModuleRow[],
    existing: ModuleRow | undefined,
    code: string,
    prerequisites: string[],
  ): Promise<Record<string, string>> {
    const errors: Record<string, string> = {}
    if (!existing) {
      if (modules.some(m => same(m.code, code)))
        errors.code = 'This version already has a module with that code: choose another'
      else if (await repo.localCodeExists(k, code))
        errors.code = 'An establishment has a local module with that code: choose another'
    }
    const others = modules.filter(m => m.id !== existing?.id).map(r => viewOf(r, version))
    const graph = [{ code, prerequisites }, ...others]
    const problem = prerequisiteError(
      graph,
      graph.map(m => m.code),
      code,
    )
    if (problem) errors.prerequisites = problem
    return errors
  }

  return {
    /** The draft being prepared with its modules and contributors, or null. */
    async draft(): Promise<ProgrammeVersionFull | null> {
      const v = await repo.draft(db)
      if (!v) return null
      return {
        version: versionOf(v),
        modules: (await repo.versionModules(db, v.id)).map(r => viewOf(r, v.version)),
        contributors: (await repo.contributors(db, v.id)).map(contributorOf),
      }
    },

    /**
     * The checks against the database of a module of the draft (its code and prerequisites), for a form whose other
     * fields failed too, so every problem is listed at once. Empty when there is nothing to say.
     */
    async draftModuleChecks(
      existingCode: string | null,
      m: { code: string; prerequisites: string[] },
    ): Promise<Record<string, string>> {
      const draft = await repo.draft(db)
      const modules = draft ? await repo.versionModules(db, draft.id) : await publishedRows()
      const existing = existingCode ? modules.find(x => same(x.code, existingCode)) : undefined
      return draftProblems(db, draft?.version ?? 0, modules, existing, existing?.code ?? m.code, m.prerequisites)
    },

    /** National team: a new draft, a copy of the published version. One draft at a time. */
    async startDraft(actor: Actor): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        if (await repo.draft(trx)) return fail({ draft: 'A draft version is already being prepared: change that one' })
        return ok(await insertDraft(trx, actor))
      })
    },

    /**
     * National team: adds a module to the draft (existingCode null) or changes one (its code stays: completions
     * count by code). With no draft, adding starts one in the same transaction.
     */
    async saveDraftModule(actor: Actor, existingCode: string | null, text: ModuleText): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        let draft = await openDraft(trx)
        if (!draft && existingCode) return fail({ code: 'There is no draft: start one first' })
        if (!draft) draft = (await repo.version(trx, await insertDraft(trx, actor)))!
        const modules = await repo.versionModules(trx, draft.id)
        const existing = existingCode ? modules.find(m => same(m.code, existingCode)) : undefined
        if (existingCode && !existing) return fail({ code: 'The draft has no module with that code' })
        const code = existing ? existing.code : text.code
        const errors = await draftProblems(trx, draft.version, modules, existing, code, text.prerequisites)
        if (Object.keys(errors).length) return fail(errors)
        const cols = columnsOf({ ...text, code })
        const now = new Date().toISOString()
        if (existing) {
          const changes = changesOf(existing, cols)
          await repo.updateModule(trx, existing.id, { ...cols, updated_at: now, updated_by: actorName(actor) })
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'training_module',
            entityId: existing.id,
            establishmentId: null,
            changes: { version: draft.version, code, ...changes },
          })
          return ok(existing.id)
        }
        const id = await repo.insertModule(trx, {
          programme_version_id: draft.id,
          establishment_id: null,
          ...cols,
          position: await repo.nextModulePosition(trx, { versionId: draft.id }),
          created_at: now,
          created_by: actorName(actor),
          updated_at: now,
          updated_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_module',
          entityId: id,
          establishmentId: null,
          changes: { version: draft.version, ...cols },
        })
        return ok(id)
      })
    },

    /** National team: removes a module from the draft, unless another module of the draft needs it first. */
    async removeDraftModule(actor: Actor, code: string): Promise<Result> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        const draft = await openDraft(trx)
        if (!draft) return fail({ code: 'There is no draft: start one first' })
        const modules = await repo.versionModules(trx, draft.id)
        const m = modules.find(x => same(x.code, code))
        if (!m) return fail({ code: 'The draft has no module with that code' })
        const needing = modules.filter(x => x.id !== m.id && splitCodes(x.prerequisites).some(p => same(p, m.code)))
        if (needing.length)
          return fail({
            code: `${m.title} is a prerequisite of ${needing.map(x => x.code).join(', ')}: change those first`,
          })
        await repo.deleteModule(trx, m.id)
        await audit.record(trx, actor, {
          action: 'delete',
          entity: 'training_module',
          entityId: m.id,
          establishmentId: null,
          changes: { version: draft.version, code: m.code, title: m.title },
        })
        return ok()
      })
    },

    /** National team: adds (id null) or changes a contributor of the draft; adding with no draft starts one. */
    async saveDraftContributor(actor: Actor, id: number | null, text: ContributorText): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        let draft = await openDraft(trx)
        if (!draft && id !== null) return fail({ name: 'There is no draft: start one first' })
        // no draft yet: adding a person starts one (a copy of the published version), in the same transaction
        if (!draft) draft = (await repo.version(trx, await insertDraft(trx, actor)))!
        if (id !== null) {
          const c = await repo.contributor(trx, id)
          if (!c || c.programme_version_id !== draft.id) return fail({ name: 'The draft has no such contributor' })
          await repo.updateContributor(trx, id, text)
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'training_contributor',
            entityId: id,
            establishmentId: null,
            changes: { version: draft.version, ...text },
          })
          return ok(id)
        }
        const newId = await repo.insertContributor(trx, {
          programme_version_id: draft.id,
          ...text,
          position: await repo.nextContributorPosition(trx, draft.id),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_contributor',
          entityId: newId,
          establishmentId: null,
          changes: { version: draft.version, ...text },
        })
        return ok(newId)
      })
    },

    /** National team: removes a contributor from the draft. */
    async removeDraftContributor(actor: Actor, id: number): Promise<Result> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        const draft = await openDraft(trx)
        const c = await repo.contributor(trx, id)
        if (!draft || !c || c.programme_version_id !== draft.id)
          return fail({ name: 'The draft has no such contributor' })
        await repo.deleteContributor(trx, id)
        await audit.record(trx, actor, {
          action: 'delete',
          entity: 'training_contributor',
          entityId: id,
          establishmentId: null,
          changes: { version: draft.version, name: c.name, role: c.role },
        })
        return ok()
      })
    },

    /**
     * National team: publishes the draft (the version number the page showed) with its change summary; the
     * published version becomes superseded. Completions count by module code, so none is lost.
     */
    async publish(actor: Actor, version: number, summary: string): Promise<Result> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        const v = await openDraft(trx)
        if (!v || v.version !== version) return fail({ summary: 'Publish the draft from its page' })
        const modules = await repo.versionModules(trx, v.id)
        const errors: Record<string, string> = {}
        if (!modules.some(m => m.kind === 'initial'))
          errors.summary = 'A version needs an initial course (a module of the kind initial course)'
        if (!(await repo.contributors(trx, v.id)).length)
          errors.contributors = 'Name at least one person who co-created this version'
        const problem = prerequisiteError(
          modules.map(r => viewOf(r, v.version)),
          modules.map(m => m.code),
          '',
        )
        if (problem) errors.prerequisites = problem
        if (Object.keys(errors).length) return fail(errors)
        const previous = await repo.latestPublished(trx)
        await repo.supersedePublished(trx)
        const now = new Date().toISOString()
        await repo.updateVersion(trx, v.id, {
          status: 'published',
          summary,
          published_at: now,
          published_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_programme_version',
          entityId: v.id,
          establishmentId: null,
          changes: {
            version: v.version,
            status: { from: 'draft', to: 'published' },
            summary,
            supersedes: previous?.version ?? null,
          },
        })
        return ok()
      })
    },
  }
}
