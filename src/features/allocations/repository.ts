import type { Insertable, Kysely, Updateable } from 'kysely'
import type { AllocationTable, Database } from '../../platform/db/types'

export function allocationsRepository(db: Kysely<Database>) {
  const withStaff = (trx: Kysely<Database>) =>
    trx
      .selectFrom('allocations')
      .innerJoin('staff', 'staff.id', 'allocations.staff_id')
      .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
      .selectAll('allocations')
      .select([
        'staff.first_name as staff_first_name',
        'staff.last_name as staff_last_name',
        'prisoners.prison_number',
        'prisoners.first_name as prisoner_first_name',
        'prisoners.last_name as prisoner_last_name',
      ])

  return {
    active(trx: Kysely<Database>, prisonerId: number) {
      return trx
        .selectFrom('allocations')
        .selectAll()
        .where('prisoner_id', '=', prisonerId)
        .where('deallocated_at', 'is', null)
        .executeTakeFirst()
    },
    activeCount(trx: Kysely<Database>, staffId: number) {
      return trx
        .selectFrom('allocations')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('staff_id', '=', staffId)
        .where('deallocated_at', 'is', null)
        .executeTakeFirstOrThrow()
        .then(r => Number(r.n))
    },
    /** Active allocations per officer of an establishment. */
    async loads(establishmentId: number): Promise<Map<number, number>> {
      const rows = await db
        .selectFrom('allocations')
        .select(['staff_id', db.fn.countAll<number>().as('n')])
        .where('establishment_id', '=', establishmentId)
        .where('deallocated_at', 'is', null)
        .groupBy('staff_id')
        .execute()
      return new Map(rows.map(r => [r.staff_id, Number(r.n)]))
    },
    historyForPrisoner(establishmentId: number, prisonerId: number) {
      return withStaff(db)
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.prisoner_id', '=', prisonerId)
        .orderBy('allocations.allocated_at', 'desc')
        .orderBy('allocations.id', 'desc')
        .execute()
    },
    historyForStaff(establishmentId: number, staffId: number, limit = 200) {
      return withStaff(db)
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.staff_id', '=', staffId)
        .orderBy('allocations.allocated_at', 'desc')
        .orderBy('allocations.id', 'desc')
        .limit(limit)
        .execute()
    },
    /** Every current allocation of the establishment (cover included), by prisoner name (the API, features/apiV1). */
    current(establishmentId: number) {
      return withStaff(db)
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.deallocated_at', 'is', null)
        .orderBy('prisoners.last_name')
        .orderBy('prisoners.first_name')
        .orderBy('prisoners.prison_number')
        .orderBy('allocations.id')
        .execute()
    },
    caseload(establishmentId: number, staffId: number) {
      return db
        .selectFrom('allocations')
        .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
        .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
        .select([
          'allocations.allocated_at',
          'prisoners.id',
          'prisoners.prison_number',
          'prisoners.first_name',
          'prisoners.last_name',
          'prisoners.cell',
          'prisoners.first_language',
          'prisoners.interpreter_needed',
          'prisoners.release_date',
          'residential_units.name as unit_name',
        ])
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.staff_id', '=', staffId)
        .where('allocations.deallocated_at', 'is', null)
        .orderBy('prisoners.last_name')
        .orderBy('prisoners.first_name')
        .execute()
    },
    async insert(trx: Kysely<Database>, row: Insertable<AllocationTable>) {
      const r = await trx.insertInto('allocations').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async end(trx: Kysely<Database>, id: number, values: Updateable<AllocationTable>) {
      await trx
        .updateTable('allocations')
        .set(values)
        .where('id', '=', id)
        .where('deallocated_at', 'is', null)
        .execute()
    },
  }
}
