import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import {
  type CriterionText,
  NATIONAL_CODES,
  NATIONAL_RUBRIC_V1,
  type Rubric,
  type RubricCriterion,
  criterionOf,
} from '../../domain/rubric'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import { rubricRepository } from './repository'

export interface RubricDeps {
  audit: AuditService
  /** PostgreSQL takes row locks to serialise concurrent changes; SQLite needs none */
  dialect?: 'sqlite' | 'postgres'
}

export interface RubricVersionSummary {
  id: number
  version: number
  status: string
  notes: string | null
  createdAt: string
  createdBy: string
  publishedAt: string | null
  publishedBy: string | null
}

/** An establishment's own criterion with whether it is still in use. */
export type LocalCriterion = RubricCriterion & { active: boolean }

const descriptorColumns = (c: CriterionText) => ({
  code: c.code,
  title: c.title,
  guidance: c.guidance,
  descriptor_1: c.descriptors[0],
  descriptor_2: c.descriptors[1],
  descriptor_3: c.descriptors[2],
  descriptor_4: c.descriptors[3],
})

const summaryOf = (v: {
  id: number
  version: number
  status: string
  notes: string | null
  created_at: string
  created_by: string
  published_at: string | null
  published_by: string | null
}): RubricVersionSummary => ({
  id: v.id,
  version: v.version,
  status: v.status,
  notes: v.notes,
  createdAt: v.created_at,
  createdBy: v.created_by,
  publishedAt: v.published_at,
  publishedBy: v.published_by,
})

const actorName = (actor: Actor) => actor.username ?? 'system'

/**
 * The quality rubric: the national versions (the national team drafts, edits and publishes; a published version is
 * never changed, so every review keeps the criteria it was scored against) and each establishment's own criteria
 * (added, edited and retired, never deleted: reviews point at them).
 */
export function rubricService(db: Kysely<Database>, deps: RubricDeps) {
  const repo = rubricRepository(db, deps.dialect)
  const { audit } = deps

  /** Writes the national rubric version 1 from the domain's seed when the database has no version at all. */
  async function seed(trx: Kysely<Database>, actor: Actor) {
    if (await repo.anyVersion(trx)) return
    const now = new Date().toISOString()
    const versionId = await repo.insertVersion(trx, {
      version: NATIONAL_RUBRIC_V1.version,
      status: 'published',
      notes: NATIONAL_RUBRIC_V1.notes,
      created_at: now,
      created_by: actorName(actor),
      published_at: now,
      published_by: actorName(actor),
    })
    let position = 1
    for (const c of NATIONAL_RUBRIC_V1.criteria)
      await repo.insertCriterion(trx, {
        rubric_version_id: versionId,
        establishment_id: null,
        ...descriptorColumns(c),
        position: position++,
        created_at: now,
        created_by: actorName(actor),
      })
    await audit.record(trx, actor, {
      action: 'import',
      entity: 'qa_rubric_version',
      entityId: versionId,
      establishmentId: null,
      changes: { version: NATIONAL_RUBRIC_V1.version, criteria: NATIONAL_RUBRIC_V1.criteria.map(c => c.code) },
    })
  }

  async function ensureNational(trx?: Kysely<Database>, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    if (trx) return seed(trx, actor)
    if (await repo.anyVersion(db)) return
    try {
      await db.transaction().execute(t => seed(t, actor))
    } catch (err) {
      // two starts at once: the unique version number lets one win; the other finds the rubric there
      if (!(await repo.anyVersion(db))) throw err
    }
  }

  async function rubricOf(
    k: Kysely<Database>,
    version: { id: number; version: number },
    establishmentId: number,
    extraLocalIds: number[] = [],
  ): Promise<Rubric> {
    const national = await repo.versionCriteria(k, version.id)
    const local = await repo.localCriteria(k, establishmentId, { activeOnly: true, orIds: extraLocalIds })
    return { versionId: version.id, version: version.version, criteria: [...national, ...local].map(criterionOf) }
  }

  /** The version a national criterion may be edited in: a draft; a published version is never changed. */
  async function draftCriterion(trx: Kysely<Database>, criterionId: number) {
    const c = await repo.criterion(trx, criterionId)
    if (!c || c.rubric_version_id === null) return null
    const v = await repo.version(trx, c.rubric_version_id)
    return v?.status === 'draft' ? { criterion: c, version: v } : null
  }

  /** Writes a new draft version, a copy of the published one's criteria, and audits it (the caller holds the lock). */
  async function insertDraft(trx: Kysely<Database>, actor: Actor, notes: string): Promise<number> {
    const published = await repo.latestPublished(trx)
    const now = new Date().toISOString()
    const version = (await repo.maxVersion(trx)) + 1
    const id = await repo.insertVersion(trx, {
      version,
      status: 'draft',
      notes: notes || null,
      created_at: now,
      created_by: actorName(actor),
      published_at: null,
      published_by: null,
    })
    const from = published ? await repo.versionCriteria(trx, published.id) : []
    for (const c of from)
      await repo.insertCriterion(trx, {
        rubric_version_id: id,
        establishment_id: null,
        code: c.code,
        title: c.title,
        guidance: c.guidance,
        descriptor_1: c.descriptor_1,
        descriptor_2: c.descriptor_2,
        descriptor_3: c.descriptor_3,
        descriptor_4: c.descriptor_4,
        position: c.position,
        created_at: now,
        created_by: actorName(actor),
      })
    await audit.record(trx, actor, {
      action: 'create',
      entity: 'qa_rubric_version',
      entityId: id,
      establishmentId: null,
      changes: { version, status: 'draft', copiedFrom: published?.version ?? null, notes: notes || null },
    })
    return id
  }

  /**
   * Writes a new criterion, national (of a draft version, its number in the audit) or an establishment's own, and
   * audits it in the same transaction; its id.
   */
  async function createCriterion(
    trx: Kysely<Database>,
    actor: Actor,
    owner: { versionId: number; establishmentId: null } | { versionId: null; establishmentId: number },
    text: CriterionText,
    position: number,
    version?: number,
  ) {
    const id = await repo.insertCriterion(trx, {
      rubric_version_id: owner.versionId,
      establishment_id: owner.establishmentId,
      ...descriptorColumns(text),
      position,
      created_at: new Date().toISOString(),
      created_by: actorName(actor),
    })
    await audit.record(trx, actor, {
      action: 'create',
      entity: 'qa_criterion',
      entityId: id,
      establishmentId: owner.establishmentId,
      changes: version === undefined ? descriptorColumns(text) : { version, ...descriptorColumns(text) },
    })
    return id
  }

  /** A code an establishment may not use: a national one, or one of its own criteria (retired too). */
  async function localCodeTaken(k: Kysely<Database>, establishmentId: number, code: string, exceptId?: number) {
    const lower = code.toLowerCase()
    const published = await repo.latestPublished(k)
    const nationalCodes = new Set(NATIONAL_CODES)
    if (published) for (const c of await repo.versionCriteria(k, published.id)) nationalCodes.add(c.code.toLowerCase())
    if (nationalCodes.has(lower)) return 'That code is used by a national criterion: choose another'
    const mine = await repo.localCriteria(k, establishmentId)
    if (mine.some(c => c.id !== exceptId && c.code.toLowerCase() === lower))
      return 'Your establishment already has a criterion with that code: choose another'
    return null
  }

  return {
    ensureNational,

    /** The latest published national version (version 1 written first if there is none) and the establishment's active criteria. */
    async current(establishmentId: number): Promise<Rubric> {
      let v = await repo.latestPublished(db)
      if (!v) {
        await ensureNational()
        v = await repo.latestPublished(db)
      }
      if (!v) throw new Error('no published rubric version')
      return rubricOf(db, v, establishmentId)
    },

    /**
     * The rubric a review used or uses: that national version, the establishment's active criteria, and any retired
     * ones named in `criterionIds` (the criteria an older review scored). Throws when the version does not exist.
     */
    async forReview(rubricVersionId: number, establishmentId: number, criterionIds: number[] = []): Promise<Rubric> {
      const v = await repo.version(db, rubricVersionId)
      if (!v) throw new Error(`no rubric version ${rubricVersionId}`)
      return rubricOf(db, v, establishmentId, criterionIds)
    },

    async versions(): Promise<RubricVersionSummary[]> {
      return (await repo.versions(db)).map(summaryOf)
    },

    /** A national version with its criteria; null when there is none with that id. */
    async version(id: number): Promise<{ version: RubricVersionSummary; criteria: RubricCriterion[] } | null> {
      const v = await repo.version(db, id)
      if (!v) return null
      return { version: summaryOf(v), criteria: (await repo.versionCriteria(db, id)).map(criterionOf) }
    },

    async draft(): Promise<RubricVersionSummary | null> {
      const d = await repo.draft(db)
      return d ? summaryOf(d) : null
    },

    /** A national criterion (of any version), with its version; null when there is none. */
    async nationalCriterion(id: number) {
      const c = await repo.criterion(db, id)
      if (!c || c.rubric_version_id === null) return null
      const v = await repo.version(db, c.rubric_version_id)
      return v ? { criterion: criterionOf(c), version: summaryOf(v) } : null
    },

    /** An establishment's own criteria, retired ones too (marked). */
    async localCriteria(establishmentId: number): Promise<LocalCriterion[]> {
      return (await repo.localCriteria(db, establishmentId)).map(r => ({ ...criterionOf(r), active: r.active === 1 }))
    },

    async localCriterion(establishmentId: number, id: number): Promise<LocalCriterion | null> {
      const r = await repo.criterion(db, id)
      if (!r || r.establishment_id !== establishmentId) return null
      return { ...criterionOf(r), active: r.active === 1 }
    },

    /** National team: a new draft version, a copy of the published one. One draft at a time. */
    async startDraft(actor: Actor, notes: string): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        await seed(trx, actor)
        if (await repo.draft(trx)) return fail({ notes: 'A draft version is already being prepared: edit that one' })
        return ok(await insertDraft(trx, actor, notes))
      })
    },

    /** National team: changes a criterion of the draft (its code stays, so the pre-check and reports still match). */
    async updateNational(actor: Actor, criterionId: number, text: Omit<CriterionText, 'code'>): Promise<Result> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        const found = await draftCriterion(trx, criterionId)
        if (!found) return fail({ title: 'Only a criterion of the draft version can be changed' })
        const { code: _code, ...cols } = descriptorColumns({ ...text, code: found.criterion.code })
        await repo.updateCriterion(trx, criterionId, cols)
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_criterion',
          entityId: criterionId,
          establishmentId: null,
          changes: { version: found.version.version, code: found.criterion.code, ...cols },
        })
        return ok()
      })
    },

    /** National team: adds a criterion to the draft version. */
    async addNational(actor: Actor, versionId: number | null, text: CriterionText): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        // no draft yet: adding a criterion starts one (a copy of the published version), in the same transaction
        if (versionId === null) {
          await seed(trx, actor)
          const open = await repo.draft(trx)
          versionId = open ? open.id : await insertDraft(trx, actor, `Started to add “${text.title}”`)
        }
        const v = await repo.version(trx, versionId)
        if (!v || v.status !== 'draft') return fail({ code: 'Criteria can only be added to the draft version' })
        const existing = await repo.versionCriteria(trx, versionId)
        if (existing.some(c => c.code.toLowerCase() === text.code.toLowerCase()))
          return fail({ code: 'This version already has a criterion with that code: choose another' })
        const position = await repo.nextVersionPosition(trx, versionId)
        return ok(await createCriterion(trx, actor, { versionId, establishmentId: null }, text, position, v.version))
      })
    },

    /** National team: publishes the draft; the published version becomes superseded. Reviews keep their version. */
    async publish(actor: Actor, versionId: number): Promise<Result> {
      return db.transaction().execute(async trx => {
        await repo.lockVersions(trx)
        const v = await repo.version(trx, versionId)
        if (!v || v.status !== 'draft') return fail({ version: 'Only the draft version can be published' })
        if (!(await repo.versionCriteria(trx, versionId)).length)
          return fail({ version: 'A version needs at least one criterion' })
        const previous = await repo.latestPublished(trx)
        await repo.supersedePublished(trx)
        const now = new Date().toISOString()
        await repo.updateVersion(trx, versionId, {
          status: 'published',
          published_at: now,
          published_by: actorName(actor),
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_rubric_version',
          entityId: versionId,
          establishmentId: null,
          changes: {
            version: v.version,
            status: { from: 'draft', to: 'published' },
            supersedes: previous?.version ?? null,
          },
        })
        return ok()
      })
    },

    /** An establishment adds a criterion of its own. */
    async addLocal(actor: Actor, establishmentId: number, text: CriterionText): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const taken = await localCodeTaken(trx, establishmentId, text.code)
        if (taken) return fail({ code: taken })
        const position = await repo.nextLocalPosition(trx, establishmentId)
        return ok(await createCriterion(trx, actor, { versionId: null, establishmentId }, text, position))
      })
    },

    /** An establishment changes one of its own criteria; null when it has no such criterion. */
    async updateLocal(actor: Actor, establishmentId: number, id: number, text: CriterionText): Promise<Result | null> {
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const c = await repo.criterion(trx, id)
        if (!c || c.establishment_id !== establishmentId) return null
        const taken = await localCodeTaken(trx, establishmentId, text.code, id)
        if (taken) return fail({ code: taken })
        const cols = descriptorColumns(text)
        await repo.updateCriterion(trx, id, cols)
        const changes = Object.fromEntries(
          Object.entries(cols)
            .filter(([k, v]) => c[k as keyof typeof c] !== v)
            .map(([k, v]) => [k, { from: c[k as keyof typeof c], to: v }]),
        )
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_criterion',
          entityId: id,
          establishmentId,
          changes,
        })
        return ok()
      })
    },

    /** Retires (active false) or restores an establishment's own criterion; never deleted. Null when not found. */
    async setLocalActive(actor: Actor, establishmentId: number, id: number, active: boolean): Promise<Result | null> {
      return db.transaction().execute(async trx => {
        await repo.lockEstablishment(trx, establishmentId)
        const c = await repo.criterion(trx, id)
        if (!c || c.establishment_id !== establishmentId) return null
        if ((c.active === 1) === active) return ok()
        await repo.updateCriterion(trx, id, { active: active ? 1 : 0 })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'qa_criterion',
          entityId: id,
          establishmentId,
          changes: { active: { from: !active, to: active } },
        })
        return ok()
      })
    },
  }
}

export type RubricService = ReturnType<typeof rubricService>
