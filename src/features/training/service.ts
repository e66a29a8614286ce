import type { Kysely, Selectable } from 'kysely'
import type { Database, TrainingContributorTable, TrainingModuleTable } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import type { ContributorRole, ModuleFormat, ModuleKind } from '../../domain/training'
import {
  type ContributorText,
  type ModuleText,
  NATIONAL_PROGRAMME_V1,
  prerequisiteProblems,
} from '../../domain/trainingProgramme'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import { trainingRepository } from './repository'

export interface TrainingDeps {
  audit: AuditService
  /** PostgreSQL takes locks to serialise concurrent changes; SQLite needs none */
  dialect?: 'sqlite' | 'postgres'
}

/** A module as the other training features see it: national (of a programme version) or an establishment's local one. */
export interface ModuleView {
  id: number
  code: string
  title: string
  kind: ModuleKind
  format: ModuleFormat
  hours: number
  days: number
  summary: string
  outcomes: string[]
  prerequisites: string[]
  establishmentId: number | null
  programmeVersion: number | null
}

/** An establishment's own module with whether it is still offered. */
export type LocalModule = ModuleView & { active: boolean }

export interface ContributorView {
  id: number
  name: string
  role: ContributorRole
  organisation: string
}

export interface ProgrammeVersionView {
  id: number
  version: number
  status: 'draft' | 'published' | 'superseded'
  summary: string
  createdAt: string
  createdBy: string
  publishedAt: string | null
  publishedBy: string | null
}

export interface ProgrammeVersionFull {
  version: ProgrammeVersionView
  modules: ModuleView[]
  contributors: ContributorView[]
}

/** What a local module may be given: its kind is always 'local'. */
export type LocalModuleText = Omit<ModuleText, 'kind'>

type ModuleRow = Selectable<TrainingModuleTable>
type VersionRow = { id: number; version: number; status: string; summary: string } & Record<string, unknown>

const actorName = (actor: Actor) => actor.username ?? 'system'
const splitCodes = (s: string) =>
  s
    .split(',')
    .map(c => c.trim())
    .filter(Boolean)
const splitLines = (s: string) =>
  s
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)

function viewOf(r: ModuleRow, programmeVersion: number | null): ModuleView {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind as ModuleKind,
    format: r.format as ModuleFormat,
    hours: Number(r.hours),
    days: Number(r.days),
    summary: r.summary,
    outcomes: splitLines(r.outcomes),
    prerequisites: splitCodes(r.prerequisites),
    establishmentId: r.establishment_id,
    programmeVersion,
  }
}

const localOf = (r: ModuleRow): LocalModule => ({ ...viewOf(r, null), active: r.active === 1 })

const contributorOf = (r: Selectable<TrainingContributorTable>): ContributorView => ({
  id: r.id,
  name: r.name,
  role: r.role as ContributorRole,
  organisation: r.organisation,
})

const versionOf = (v: Selectable<Database['training_programme_versions']>): ProgrammeVersionView => ({
  id: v.id,
  version: v.version,
  status: v.status as ProgrammeVersionView['status'],
  summary: v.summary,
  createdAt: v.created_at,
  createdBy: v.created_by,
  publishedAt: v.published_at,
  publishedBy: v.published_by,
})

/** The columns a module's text is stored in. */
const columnsOf = (t: ModuleText) => ({
  code: t.code,
  title: t.title,
  kind: t.kind,
  summary: t.summary,
  outcomes: t.outcomes.join('\n'),
  format: t.format,
  hours: t.hours,
  days: t.days,
  prerequisites: t.prerequisites.join(','),
})

/** The changed columns, each from → to, for the audit trail. */
function changesOf(before: ModuleRow, after: ReturnType<typeof columnsOf>) {
  return Object.fromEntries(
    Object.entries(after)
      .filter(([k, v]) => String(before[k as keyof ModuleRow]) !== String(v))
      .map(([k, v]) => [k, { from: before[k as keyof ModuleRow], to: v }]),
  )
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase()

/**
 * The national Key Worker training programme (issue 16): numbered versions (the national team drafts a copy of the
 * published version, changes its modules and contributors, and publishes it with a change summary; the previous one
 * is superseded, and completions count by module code so nothing is lost) and each establishment's local modules
 * (added, changed, retired, never deleted).
 */
export function trainingService(db: Kysely<Database>, deps: TrainingDeps) {
  const repo = trainingRepository(db, deps.dialect)
  const { audit } = deps

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

  /** The prerequisite problems of a set of modules, as form errors on the prerequisites field (null when none). */
  function prerequisiteError(
    modules: { code: string; prerequisites: readonly string[] }[],
    known: string[],
    code: string,
  ): string | null {
    const problems = prerequisiteProblems(modules, known)
    if (!problems.size) return null
    return problems.get(code.toUpperCase()) ?? [...problems.values()][0]!
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

export type TrainingService = ReturnType<typeof trainingService>
