import { type Insertable, type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database, KeyWorkSlotTable } from '../../platform/db/types'

/** Rows per multi-row insert: well under SQLite's 32,766 bound parameters with 9 columns. */
const CHUNK_ROWS = 500
/**
 * Literals, not bound parameters: the partial index key_work_sessions_delivered (prisoner_id, session_date) where
 * status = 'submitted' and outcome = 'delivered' (migration 010) is only used when the query states these values.
 */
const SUBMITTED = sql.lit('submitted')
const DELIVERED = sql.lit('delivered')

export function planningRepository(db: Kysely<Database>, dialect: Dialect) {
  return {
    /** An officer's key work time: weekly slots by weekday and time, then one-off slots by date. */
    slots(k: Kysely<Database>, establishmentId: number, staffId: number) {
      return k
        .selectFrom('key_work_slots')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('staff_id', '=', staffId)
        .orderBy('on_date')
        .orderBy('weekday')
        .orderBy('starts_at')
        .orderBy('id')
        .execute()
    },
    slot(k: Kysely<Database>, establishmentId: number, staffId: number, id: number) {
      return k
        .selectFrom('key_work_slots')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('staff_id', '=', staffId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async insertSlot(trx: Kysely<Database>, row: Insertable<KeyWorkSlotTable>) {
      const r = await trx.insertInto('key_work_slots').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async deleteSlot(trx: Kysely<Database>, id: number) {
      const r = await trx.deleteFrom('key_work_slots').where('id', '=', id).executeTakeFirst()
      return Number(r.numDeletedRows) > 0
    },
    /** Serialises changes to one officer's key work time (PostgreSQL), so two overlapping adds cannot both pass. */
    async lockStaff(trx: Kysely<Database>, establishmentId: number, staffId: number) {
      let q = trx
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name'])
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', staffId)
      if (dialect === 'postgres') q = q.forUpdate()
      return q.executeTakeFirst()
    },

    /**
     * Every prisoner in custody with an active Key Worker in the establishment (or only one officer's caseload),
     * with their officer, residential unit and last delivered session: one query, the last session a correlated
     * max() that reads the partial index of delivered sessions (one index seek per prisoner).
     */
    caseloads(establishmentId: number, staffId?: number) {
      let q = db
        .selectFrom('allocations as a')
        .innerJoin('prisoners as p', 'p.id', 'a.prisoner_id')
        .innerJoin('staff as s', 's.id', 'a.staff_id')
        .select(eb =>
          eb
            .selectFrom('key_work_sessions as k')
            .select(k => k.fn.max('k.session_date').as('m'))
            .whereRef('k.prisoner_id', '=', 'a.prisoner_id')
            .where('k.status', '=', SUBMITTED)
            .where('k.outcome', '=', DELIVERED)
            // unary plus: SQLite must not pick the establishment index over the partial one (still exact)
            .where(sql<number>`+${sql.ref('k.establishment_id')}`, '=', establishmentId)
            .as('last_session'),
        )
        .select([
          'p.id',
          'p.prison_number',
          'p.first_name',
          'p.last_name',
          'p.unit_id',
          'p.cell',
          'a.allocated_at',
          'a.staff_id',
          's.first_name as staff_first_name',
          's.last_name as staff_last_name',
          's.staff_number',
        ])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.deallocated_at', 'is', null)
        .where('p.status', '=', 'in')
      if (staffId !== undefined) q = q.where('a.staff_id', '=', staffId)
      return q.execute()
    },

    /** The establishment's residential units, to find each prisoner's houseblock (the top-level unit). */
    units(establishmentId: number) {
      return db
        .selectFrom('residential_units')
        .select(['id', 'code', 'name', 'parent_id'])
        .where('establishment_id', '=', establishmentId)
        .orderBy('code')
        .execute()
    },

    /** Key Workers of the establishment (for the filter). */
    keyWorkers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .orderBy('last_name')
        .orderBy('first_name')
        .execute()
    },

    // Demo: inside the demo's transaction
    keyWorkerIds(trx: Kysely<Database>, establishmentId: number) {
      return trx
        .selectFrom('staff')
        .select('id')
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '=', 'active')
        .orderBy('id')
        .execute()
    },
    async insertSlots(trx: Kysely<Database>, rows: Insertable<KeyWorkSlotTable>[]) {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS)
        await trx
          .insertInto('key_work_slots')
          .values(rows.slice(i, i + CHUNK_ROWS))
          .execute()
    },
  }
}

export type PlanningRepository = ReturnType<typeof planningRepository>
