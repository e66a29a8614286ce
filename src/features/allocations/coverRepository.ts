import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

/** Queries run inside the caller's transaction. */
export function coverRepository() {
  return {
    /** The officer's own prisoners (not those they are covering for someone else), for the engine. */
    ownCaseload(trx: Kysely<Database>, establishmentId: number, staffId: number) {
      return trx
        .selectFrom('allocations')
        .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
        .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
        .select([
          'allocations.id as allocation_id',
          'prisoners.id',
          'prisoners.prison_number',
          'prisoners.first_name',
          'prisoners.last_name',
          'prisoners.reception_date',
          'prisoners.first_language',
          'prisoners.interpreter_needed',
          'residential_units.code as unit_code',
        ])
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.staff_id', '=', staffId)
        .where('allocations.deallocated_at', 'is', null)
        .where('allocations.cover_until', 'is', null)
        .orderBy('prisoners.id')
        .execute()
    },
    /** Cover allocations whose end date has come, across every establishment. */
    due(trx: Kysely<Database>, today: string) {
      return trx
        .selectFrom('allocations')
        .selectAll()
        .where('deallocated_at', 'is', null)
        .where('cover_until', 'is not', null)
        .where('cover_until', '<=', today)
        .orderBy('id')
        .execute()
    },
    staffStatus(trx: Kysely<Database>, staffId: number) {
      return trx.selectFrom('staff').select(['id', 'status']).where('id', '=', staffId).executeTakeFirst()
    },
  }
}
