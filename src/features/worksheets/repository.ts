import type { Kysely, Updateable } from 'kysely'
import type { Database, WorksheetTable } from '../../platform/db/types'

export type WorksheetRow = Omit<WorksheetTable, 'id'> & { id: number }

export function worksheetsRepository(db: Kysely<Database>) {
  /** National worksheets and the establishment's own. */
  const visible = (trx: Kysely<Database>, establishmentId: number) =>
    trx
      .selectFrom('worksheets')
      .where(eb => eb.or([eb('establishment_id', 'is', null), eb('establishment_id', '=', establishmentId)]))

  return {
    list(establishmentId: number, pathway?: string | null) {
      let q = visible(db, establishmentId).selectAll()
      if (pathway) q = q.where('pathway', '=', pathway)
      return q.orderBy('title').orderBy('id').execute()
    },
    byId(establishmentId: number, id: number, trx: Kysely<Database> = db) {
      return visible(trx, establishmentId).selectAll().where('id', '=', id).executeTakeFirst()
    },
    nationalSlugs(trx: Kysely<Database>) {
      return trx
        .selectFrom('worksheets')
        .select('slug')
        .where('establishment_id', 'is', null)
        .where('slug', 'is not', null)
        .execute()
        .then(rows => new Set(rows.map(r => r.slug!)))
    },
    async insert(trx: Kysely<Database>, values: Omit<WorksheetTable, 'id'>) {
      const r = await trx.insertInto('worksheets').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async update(trx: Kysely<Database>, id: number, values: Updateable<WorksheetTable>) {
      await trx.updateTable('worksheets').set(values).where('id', '=', id).execute()
    },
  }
}

export type WorksheetsRepository = ReturnType<typeof worksheetsRepository>
