import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, EstablishmentTable, NationalPolicyTable } from '../../platform/db/types'

export function establishmentsRepository(db: Kysely<Database>) {
  return {
    all() {
      return db.selectFrom('establishments').selectAll().orderBy('name').execute()
    },
    byId(id: number, trx: Kysely<Database> = db) {
      return trx.selectFrom('establishments').selectAll().where('id', '=', id).executeTakeFirst()
    },
    byCode(code: string, trx: Kysely<Database> = db) {
      return trx.selectFrom('establishments').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst()
    },
    byIds(ids: number[]) {
      if (ids.length === 0) return Promise.resolve([])
      return db.selectFrom('establishments').selectAll().where('id', 'in', ids).orderBy('name').execute()
    },
    async update(trx: Kysely<Database>, id: number, values: Updateable<EstablishmentTable>) {
      await trx.updateTable('establishments').set(values).where('id', '=', id).execute()
    },
    async insert(trx: Kysely<Database>, values: Insertable<EstablishmentTable>) {
      const row = await trx.insertInto('establishments').values(values).returning('id').executeTakeFirstOrThrow()
      return row.id
    },
    policy(trx: Kysely<Database> = db) {
      return trx.selectFrom('national_policy').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
    },
    async updatePolicy(trx: Kysely<Database>, values: Updateable<NationalPolicyTable>) {
      await trx.updateTable('national_policy').set(values).where('id', '=', 1).execute()
    },
    /** Prisoner and staff counts per establishment, for the national list. */
    async counts() {
      const prisoners = await db
        .selectFrom('prisoners')
        .select(['establishment_id', db.fn.countAll<number>().as('n')])
        .where('status', '=', 'in')
        .groupBy('establishment_id')
        .execute()
      const staff = await db
        .selectFrom('staff')
        .select(['establishment_id', db.fn.countAll<number>().as('n')])
        .where('status', '!=', 'inactive')
        .groupBy('establishment_id')
        .execute()
      return {
        prisoners: new Map(prisoners.map(r => [r.establishment_id, Number(r.n)])),
        staff: new Map(staff.map(r => [r.establishment_id, Number(r.n)])),
      }
    },
  }
}
