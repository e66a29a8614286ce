import { type Insertable, type Kysely, type Updateable, sql } from 'kysely'
import type {
  Database,
  TrainingContributorTable,
  TrainingModuleTable,
  TrainingProgrammeVersionTable,
} from '../../platform/db/types'

/** The training programme's tables: national versions with their modules and contributors, and local modules. */
export function trainingRepository(db: Kysely<Database>, dialect: 'sqlite' | 'postgres' = 'sqlite') {
  const newest = (k: Kysely<Database>, status: 'published' | 'draft') =>
    k
      .selectFrom('training_programme_versions')
      .selectAll()
      .where('status', '=', status)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()

  return {
    /** Serialises changes to one establishment's local modules (PostgreSQL); SQLite writes one at a time already. */
    async lockEstablishment(k: Kysely<Database>, establishmentId: number) {
      if (dialect !== 'postgres') return
      await k.selectFrom('establishments').select('id').where('id', '=', establishmentId).forUpdate().execute()
    },
    /** One change to the national versions at a time. */
    async lockVersions(k: Kysely<Database>) {
      if (dialect !== 'postgres') return
      await sql`lock table training_programme_versions in share row exclusive mode`.execute(k)
    },
    latestPublished(k: Kysely<Database> = db) {
      return newest(k, 'published')
    },
    draft(k: Kysely<Database> = db) {
      return newest(k, 'draft')
    },
    anyVersion(k: Kysely<Database> = db) {
      return k.selectFrom('training_programme_versions').select('id').limit(1).executeTakeFirst()
    },
    version(k: Kysely<Database>, id: number) {
      return k.selectFrom('training_programme_versions').selectAll().where('id', '=', id).executeTakeFirst()
    },
    versions(k: Kysely<Database> = db) {
      return k.selectFrom('training_programme_versions').selectAll().orderBy('version', 'desc').execute()
    },
    async maxVersion(k: Kysely<Database>) {
      const r = await k
        .selectFrom('training_programme_versions')
        .select(eb => eb.fn.max('version').as('v'))
        .executeTakeFirst()
      return Number(r?.v ?? 0)
    },
    async insertVersion(k: Kysely<Database>, row: Insertable<TrainingProgrammeVersionTable>) {
      const r = await k.insertInto('training_programme_versions').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateVersion(k: Kysely<Database>, id: number, values: Updateable<TrainingProgrammeVersionTable>) {
      await k.updateTable('training_programme_versions').set(values).where('id', '=', id).execute()
    },
    async supersedePublished(k: Kysely<Database>) {
      await k
        .updateTable('training_programme_versions')
        .set({ status: 'superseded' })
        .where('status', '=', 'published')
        .execute()
    },

    /** A national version's modules, in order. */
    versionModules(k: Kysely<Database>, versionId: number) {
      return k
        .selectFrom('training_modules')
        .selectAll()
        .where('programme_version_id', '=', versionId)
        .orderBy('position')
        .orderBy('id')
        .execute()
    },
    /** An establishment's local modules (retired too, unless activeOnly), in order. */
    localModules(k: Kysely<Database>, establishmentId: number, opts: { activeOnly?: boolean } = {}) {
      let q = k.selectFrom('training_modules').selectAll().where('establishment_id', '=', establishmentId)
      if (opts.activeOnly) q = q.where('active', '=', 1)
      return q.orderBy('position').orderBy('id').execute()
    },
    module(k: Kysely<Database>, id: number) {
      return k.selectFrom('training_modules').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async insertModule(k: Kysely<Database>, row: Insertable<TrainingModuleTable>) {
      const r = await k.insertInto('training_modules').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateModule(k: Kysely<Database>, id: number, values: Updateable<TrainingModuleTable>) {
      await k.updateTable('training_modules').set(values).where('id', '=', id).execute()
    },
    /** Only a draft's modules are ever deleted (nothing points at them yet: courses run published modules). */
    async deleteModule(k: Kysely<Database>, id: number) {
      await k.deleteFrom('training_modules').where('id', '=', id).execute()
    },
    /** Whether anything refers to a module: a course, a completion or feedback. */
    async moduleInUse(k: Kysely<Database>, id: number) {
      const course = await k.selectFrom('training_courses').select('id').where('module_id', '=', id).limit(1).execute()
      if (course.length) return true
      const done = await k
        .selectFrom('training_completions')
        .select('id')
        .where('module_id', '=', id)
        .limit(1)
        .execute()
      return done.length > 0
    },
    /** Whether any establishment has a local module with this code (any case), retired ones too. */
    async localCodeExists(k: Kysely<Database>, code: string) {
      const r = await k
        .selectFrom('training_modules')
        .select('id')
        .where('establishment_id', 'is not', null)
        .where(eb => eb(eb.fn('upper', ['code']), '=', code.toUpperCase()))
        .limit(1)
        .execute()
      return r.length > 0
    },
    async nextModulePosition(
      k: Kysely<Database>,
      owner: { versionId: number } | { establishmentId: number },
    ): Promise<number> {
      let q = k.selectFrom('training_modules').select(eb => eb.fn.max('position').as('p'))
      q =
        'versionId' in owner
          ? q.where('programme_version_id', '=', owner.versionId)
          : q.where('establishment_id', '=', owner.establishmentId)
      const r = await q.executeTakeFirst()
      return Number(r?.p ?? 0) + 1
    },

    /** A version's contributors, in order. */
    contributors(k: Kysely<Database>, versionId: number) {
      return k
        .selectFrom('training_contributors')
        .selectAll()
        .where('programme_version_id', '=', versionId)
        .orderBy('position')
        .orderBy('id')
        .execute()
    },
    contributor(k: Kysely<Database>, id: number) {
      return k.selectFrom('training_contributors').selectAll().where('id', '=', id).executeTakeFirst()
    },
    async insertContributor(k: Kysely<Database>, row: Insertable<TrainingContributorTable>) {
      const r = await k.insertInto('training_contributors').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateContributor(k: Kysely<Database>, id: number, values: Updateable<TrainingContributorTable>) {
      await k.updateTable('training_contributors').set(values).where('id', '=', id).execute()
    },
    async deleteContributor(k: Kysely<Database>, id: number) {
      await k.deleteFrom('training_contributors').where('id', '=', id).execute()
    },
    async nextContributorPosition(k: Kysely<Database>, versionId: number) {
      const r = await k
        .selectFrom('training_contributors')
        .select(eb => eb.fn.max('position').as('p'))
        .where('programme_version_id', '=', versionId)
        .executeTakeFirst()
      return Number(r?.p ?? 0) + 1
    },
  }
}
