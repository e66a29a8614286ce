import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, ReflectiveEntryTable } from '../../platform/db/types'

/** Staff ids per query: well under both engines' limit on bound parameters. */
const CHUNK = 1000

/**
 * The reflective journal (issue 16). Writes only `reflective_entries`; reads the establishment's staff (whose
 * account a record is) and the prisoners currently allocated to one of them (the check's caseload names).
 */
export function journalRepository(db: Kysely<Database>) {
  return {
    /** The staff record(s) of the establishment linked to a user account. */
    staffOfUser(establishmentId: number, userId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute()
    },
    staff(establishmentId: number, staffId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', staffId)
        .executeTakeFirst()
    },
    /** The names of the prisoners allocated to a member of staff now (their own and any they cover). */
    caseloadNames(establishmentId: number, staffId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('allocations as a')
        .innerJoin('prisoners as p', 'p.id', 'a.prisoner_id')
        .select(['p.first_name', 'p.last_name'])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.staff_id', '=', staffId)
        .where('a.deallocated_at', 'is', null)
        .orderBy('p.id')
        .execute()
    },
    byId(establishmentId: number, id: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('reflective_entries')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    /** A writer's entries in the establishment, newest first. */
    forUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('reflective_entries')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .orderBy('written_on', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },
    /** The entries shared with the establishment's Supervising Officers (one officer's, if given), newest first. */
    shared(establishmentId: number, staffId?: number) {
      let q = db
        .selectFrom('reflective_entries as r')
        .innerJoin('staff as s', 's.id', 'r.staff_id')
        .select([
          'r.id',
          'r.staff_id',
          'r.user_id',
          'r.form',
          'r.title',
          'r.written_on',
          'r.minutes',
          'r.shared_at',
          'r.flags',
          's.first_name',
          's.last_name',
          's.staff_number',
        ])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.shared', '=', 1)
      if (staffId !== undefined) q = q.where('r.staff_id', '=', staffId)
      return q.orderBy('r.written_on', 'desc').orderBy('r.id', 'desc').execute()
    },
    /** Minutes written per staff member between two dates (inclusive), entry by entry. */
    async minutes(staffIds: readonly number[], from: string, to: string) {
      const rows: { staff_id: number; written_on: string; minutes: number }[] = []
      for (let i = 0; i < staffIds.length; i += CHUNK) {
        const part = await db
          .selectFrom('reflective_entries')
          .select(['staff_id', 'written_on', 'minutes'])
          .where('staff_id', 'in', staffIds.slice(i, i + CHUNK))
          .where('written_on', '>=', from)
          .where('written_on', '<=', to)
          .orderBy('staff_id')
          .orderBy('written_on')
          .orderBy('id')
          .execute()
        rows.push(...part)
      }
      return rows
    },
    async insert(trx: Kysely<Database>, row: Insertable<ReflectiveEntryTable>): Promise<number> {
      const r = await trx.insertInto('reflective_entries').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async update(trx: Kysely<Database>, establishmentId: number, id: number, values: Updateable<ReflectiveEntryTable>) {
      await trx
        .updateTable('reflective_entries')
        .set(values)
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .execute()
    },
    async remove(trx: Kysely<Database>, establishmentId: number, id: number) {
      await trx
        .deleteFrom('reflective_entries')
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .execute()
    },
  }
}

export type ReflectiveEntryRow = NonNullable<Awaited<ReturnType<ReturnType<typeof journalRepository>['byId']>>>
export type SharedEntryRow = Awaited<ReturnType<ReturnType<typeof journalRepository>['shared']>>[number]
