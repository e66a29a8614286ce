import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

/** What the allocation engine needs from the database, read in a few set-based queries. */
export function autoAllocationRepository(db: Kysely<Database>) {
  return {
    /** Prisoners in custody without an active Key Worker, high complexity of need left out. */
    unallocated(establishmentId: number) {
      return db
        .selectFrom('prisoners')
        .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
        .select([
          'prisoners.id',
          'prisoners.prison_number',
          'prisoners.first_name',
          'prisoners.last_name',
          'prisoners.reception_date',
          'prisoners.first_language',
          'prisoners.interpreter_needed',
          'prisoners.cell',
          'residential_units.code as unit_code',
          'residential_units.name as unit_name',
        ])
        .where('prisoners.establishment_id', '=', establishmentId)
        .where('prisoners.status', '=', 'in')
        .where('prisoners.complexity', '!=', 'high')
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('allocations')
                .select('allocations.id')
                .whereRef('allocations.prisoner_id', '=', 'prisoners.id')
                .where('allocations.deallocated_at', 'is', null),
            ),
          ),
        )
        .orderBy('prisoners.reception_date')
        .orderBy('prisoners.id')
        .execute()
    },

    /** Prisoners in custody with an active Key Worker (not on cover), for rebalancing. */
    allocated(establishmentId: number) {
      return db
        .selectFrom('allocations')
        .innerJoin('prisoners', 'prisoners.id', 'allocations.prisoner_id')
        .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
        .select([
          'allocations.id as allocation_id',
          'allocations.staff_id',
          'prisoners.id',
          'prisoners.prison_number',
          'prisoners.first_name',
          'prisoners.last_name',
          'prisoners.reception_date',
          'prisoners.first_language',
          'prisoners.interpreter_needed',
          'prisoners.cell',
          'residential_units.code as unit_code',
          'residential_units.name as unit_name',
        ])
        .where('allocations.establishment_id', '=', establishmentId)
        .where('allocations.deallocated_at', 'is', null)
        .where('allocations.cover_until', 'is', null)
        .where('prisoners.establishment_id', '=', establishmentId)
        .where('prisoners.status', '=', 'in')
        .orderBy('prisoners.id')
        .execute()
    },

    /** Ended allocations at this establishment, newest first: each prisoner's previous Key Workers. */
    previous(establishmentId: number) {
      return db
        .selectFrom('allocations')
        .select(['prisoner_id', 'staff_id'])
        .where('establishment_id', '=', establishmentId)
        .where('deallocated_at', 'is not', null)
        .orderBy('deallocated_at', 'desc')
        .execute()
    },

    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .leftJoin('residential_units', 'residential_units.id', 'staff.home_unit_id')
        .select([
          'staff.id',
          'staff.staff_number',
          'staff.first_name',
          'staff.last_name',
          'staff.grade',
          'staff.key_worker',
          'staff.status',
          'staff.weekly_hours',
          'staff.capacity_override',
          'staff.languages',
          'residential_units.code as home_unit_code',
          'residential_units.name as home_unit_name',
        ])
        .where('staff.establishment_id', '=', establishmentId)
        .where('staff.status', '=', 'active')
        .orderBy('staff.last_name')
        .orderBy('staff.first_name')
        .execute()
    },

    /** Every officer not inactive, present or away, for explaining why nobody has room. */
    staffForRoom(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'key_worker', 'status', 'status_return_date', 'weekly_hours', 'capacity_override'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '!=', 'inactive')
        .execute()
    },
  }
}
