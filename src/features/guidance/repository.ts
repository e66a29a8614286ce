import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

export function guidanceRepository(db: Kysely<Database>) {
  return {
    latest(trx: Kysely<Database> = db) {
      return trx.selectFrom('guide_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst()
    },
    byVersion(version: number) {
      return db.selectFrom('guide_versions').selectAll().where('version', '=', version).executeTakeFirst()
    },
    /** The version before the given one, if any. */
    previous(version: number) {
      return db
        .selectFrom('guide_versions')
        .selectAll()
        .where('version', '<', version)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst()
    },
    versions() {
      return db
        .selectFrom('guide_versions')
        .select(['id', 'version', 'summary', 'published_at', 'published_by'])
        .orderBy('version', 'desc')
        .execute()
    },
    async insertVersion(
      trx: Kysely<Database>,
      values: { version: number; body: string; summary: string; published_at: string; published_by: string | null },
    ) {
      const r = await trx.insertInto('guide_versions').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    introduction(establishmentId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('booklet_introductions')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
    },
    async saveIntroduction(
      trx: Kysely<Database>,
      values: { establishment_id: number; body: string; updated_at: string; updated_by: string | null },
    ) {
      const n = await trx
        .updateTable('booklet_introductions')
        .set({ body: values.body, updated_at: values.updated_at, updated_by: values.updated_by })
        .where('establishment_id', '=', values.establishment_id)
        .executeTakeFirst()
      if (Number(n.numUpdatedRows) === 0) await trx.insertInto('booklet_introductions').values(values).execute()
    },
  }
}

export type GuidanceRepository = ReturnType<typeof guidanceRepository>
