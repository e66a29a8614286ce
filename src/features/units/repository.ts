import type { Kysely, Updateable } from 'kysely'
import type { Database, ResidentialUnitTable } from '../../platform/db/types'

export function unitsRepository(db: Kysely<Database>) {
  return {
    list(establishmentId: number) {
      return db
        .selectFrom('residential_units')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .orderBy('code')
        .execute()
    },
    /** Units with how many prisoners are in each now. */
    async listWithOccupancy(establishmentId: number) {
      const units = await this.list(establishmentId)
      const counts = await db
        .selectFrom('prisoners')
        .select(['unit_id', db.fn.countAll<number>().as('n')])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'in')
        .groupBy('unit_id')
        .execute()
      const byUnit = new Map(counts.map(c => [c.unit_id, Number(c.n)]))
      return units.map(u => ({ ...u, occupied: byUnit.get(u.id) ?? 0 }))
    },
    byId(establishmentId: number, id: number) {
      return db
        .selectFrom('residential_units')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    byCode(trx: Kysely<Database>, establishmentId: number, code: string) {
      return trx
        .selectFrom('residential_units')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('code', '=', code)
        .executeTakeFirst()
    },
    /** One unit of the establishment, read inside a transaction. */
    byIdIn(trx: Kysely<Database>, establishmentId: number, id: number) {
      return trx
        .selectFrom('residential_units')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    /** The establishment's units read inside a transaction, for checks and imports that change them. */
    listIn(trx: Kysely<Database>, establishmentId: number) {
      return trx
        .selectFrom('residential_units')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .orderBy('code')
        .execute()
    },
    async insert(trx: Kysely<Database>, values: Omit<ResidentialUnitTable, 'id'>) {
      const r = await trx.insertInto('residential_units').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async update(trx: Kysely<Database>, id: number, values: Updateable<ResidentialUnitTable>) {
      await trx.updateTable('residential_units').set(values).where('id', '=', id).execute()
    },
  }
}

export type UnitsRepository = ReturnType<typeof unitsRepository>
