import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, SupervisionTable } from '../../platform/db/types'

/**
 * One-to-one supervision records (issue 15). Writes only `supervisions`; reads the establishment's staff (its Key
 * Workers) and its QA settings (the supervision interval), read-only, as the quality features may.
 */
export function supervisionRepository(db: Kysely<Database>) {
  return {
    /** The Key Workers of the establishment now (holding a caseload, not inactive), by name. */
    keyWorkers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '<>', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },
    /** One member of staff of the establishment (any: a Key Worker who has since left keeps their history). */
    staff(establishmentId: number, staffId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id', 'key_worker', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', staffId)
        .executeTakeFirst()
    },
    /** The staff records of the establishment linked to a user account. */
    staffOfUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id', 'key_worker', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute()
    },
    /** The establishment's supervision interval in weeks, if its QA settings set one. */
    async supervisionWeeks(establishmentId: number): Promise<number | null> {
      const r = await db
        .selectFrom('qa_settings')
        .select('supervision_weeks')
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
      return r ? Number(r.supervision_weeks) : null
    },
    /** Each Key Worker's latest supervision (by date held, then the latest recorded), one row per member of staff. */
    latest(establishmentId: number) {
      return db
        .selectFrom('supervisions as s')
        .selectAll('s')
        .where('s.establishment_id', '=', establishmentId)
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('supervisions as later')
                .select('later.id')
                .whereRef('later.staff_id', '=', 's.staff_id')
                .where('later.establishment_id', '=', establishmentId)
                .where(l =>
                  l.or([
                    l('later.held_on', '>', l.ref('s.held_on')),
                    l.and([l('later.held_on', '=', l.ref('s.held_on')), l('later.id', '>', l.ref('s.id'))]),
                  ]),
                ),
            ),
          ),
        )
        .execute()
    },
    /** A member of staff's supervisions, most recent first. */
    forStaff(establishmentId: number, staffId: number) {
      return db
        .selectFrom('supervisions')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('staff_id', '=', staffId)
        .orderBy('held_on', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },
    byId(trx: Kysely<Database>, establishmentId: number, id: number) {
      return trx
        .selectFrom('supervisions')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    async insert(trx: Kysely<Database>, row: Insertable<SupervisionTable>): Promise<number> {
      const r = await trx.insertInto('supervisions').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async update(trx: Kysely<Database>, establishmentId: number, id: number, values: Updateable<SupervisionTable>) {
      await trx
        .updateTable('supervisions')
        .set(values)
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .execute()
    },
  }
}

export type SupervisionRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof supervisionRepository>['forStaff']>>
>[number]
