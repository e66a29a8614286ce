import { type Insertable, type Kysely, type Updateable, sql } from 'kysely'
import type { Database, QaCriterionTable, QaRubricVersionTable } from '../../platform/db/types'

/** The rubric's tables: national versions and their criteria, and each establishment's own criteria. */
export function rubricRepository(db: Kysely<Database>, dialect: 'sqlite' | 'postgres' = 'sqlite') {
  /** the newest version of a status (the newest wins if ever more than one) */
  const newest = (k: Kysely<Database>, status: 'published' | 'draft') =>
    k
      .selectFrom('qa_rubric_versions')
      .selectAll()
      .where('status', '=', status)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()

  return {
    /**
     * Serialises changes to one establishment's criteria (PostgreSQL), so two adds of the same code cannot both pass
     * the check; SQLite runs one writing transaction at a time already.
     */
    async lockEstablishment(k: Kysely<Database>, establishmentId: number) {
      if (dialect !== 'postgres') return
      await k.selectFrom('establishments').select('id').where('id', '=', establishmentId).forUpdate().execute()
    },
    /** The same for the national rubric: one change to the versions at a time. */
    async lockVersions(k: Kysely<Database>) {
      if (dialect !== 'postgres') return
      await sql`lock table qa_rubric_versions in share row exclusive mode`.execute(k)
    },
    /** The newest published version (only one is published at a time; the newest wins if ever more). */
    latestPublished(k: Kysely<Database> = db) {
      return newest(k, 'published')
    },
    anyVersion(k: Kysely<Database> = db) {
      return k.selectFrom('qa_rubric_versions').select('id').limit(1).executeTakeFirst()
    },
    version(k: Kysely<Database>, id: number) {
      return k.selectFrom('qa_rubric_versions').selectAll().where('id', '=', id).executeTakeFirst()
    },
    versions(k: Kysely<Database> = db) {
      return k.selectFrom('qa_rubric_versions').selectAll().orderBy('version', 'desc').execute()
    },
    draft(k: Kysely<Database> = db) {
      return newest(k, 'draft')
    },
    async maxVersion(k: Kysely<Database>) {
      const r = await k
        .selectFrom('qa_rubric_versions')
        .select(eb => eb.fn.max('version').as('v'))
        .executeTakeFirst()
      return Number(r?.v ?? 0)
    },
    async insertVersion(k: Kysely<Database>, row: Insertable<QaRubricVersionTable>) {
      const r = await k.insertInto('qa_rubric_versions').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateVersion(k: Kysely<Database>, id: number, values: Updateable<QaRubricVersionTable>) {
      await k.updateTable('qa_rubric_versions').set(values).where('id', '=', id).execute()
    },
    async supersedePublished(k: Kysely<Database>) {
      await k
        .updateTable('qa_rubric_versions')
        .set({ status: 'superseded' })
        .where('status', '=', 'published')
        .execute()
    },

    /** A national version's criteria, in order. */
    versionCriteria(k: Kysely<Database>, versionId: number) {
      return k
        .selectFrom('qa_criteria')
        .selectAll()
        .where('rubric_version_id', '=', versionId)
        .orderBy('position')
        .orderBy('id')
        .execute()
    },
    /** An establishment's own criteria (retired too, unless only active), in order. */
    localCriteria(k: Kysely<Database>, establishmentId: number, opts: { activeOnly?: boolean; orIds?: number[] } = {}) {
      let q = k.selectFrom('qa_criteria').selectAll().where('establishment_id', '=', establishmentId)
      if (opts.activeOnly) {
        const ids = opts.orIds ?? []
        q = q.where(eb => (ids.length ? eb.or([eb('active', '=', 1), eb('id', 'in', ids)]) : eb('active', '=', 1)))
      }
      return q.orderBy('position').orderBy('id').execute()
    },
    criterion(k: Kysely<Database>, id: number) {
      return k.selectFrom('qa_criteria').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async insertCriterion(k: Kysely<Database>, row: Insertable<QaCriterionTable>) {
      const r = await k.insertInto('qa_criteria').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateCriterion(k: Kysely<Database>, id: number, values: Updateable<QaCriterionTable>) {
      await k.updateTable('qa_criteria').set(values).where('id', '=', id).execute()
    },
    async nextLocalPosition(k: Kysely<Database>, establishmentId: number) {
      const r = await k
        .selectFrom('qa_criteria')
        .select(eb => eb.fn.max('position').as('p'))
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
      return Number(r?.p ?? 0) + 1
    },
    async nextVersionPosition(k: Kysely<Database>, versionId: number) {
      const r = await k
        .selectFrom('qa_criteria')
        .select(eb => eb.fn.max('position').as('p'))
        .where('rubric_version_id', '=', versionId)
        .executeTakeFirst()
      return Number(r?.p ?? 0) + 1
    },
  }
}
