import type { Kysely } from 'kysely'
import type { Database, NewStaff, StaffUpdate } from '../../platform/db/types'
import { searchPrefixes } from '../../domain/prisoner'
import { normaliseStaffNumber } from '../../domain/staff'

export interface StaffSearch {
  establishmentId: number
  query?: string
  status?: string
  /** only officers who hold a caseload */
  keyWorkersOnly?: boolean
  limit: number
  offset: number
}

export function staffRepository(db: Kysely<Database>) {
  function searchQuery(s: StaffSearch) {
    let q = db
      .selectFrom('staff')
      .leftJoin('residential_units', 'residential_units.id', 'staff.home_unit_id')
      .where('staff.establishment_id', '=', s.establishmentId)
    if (s.status) q = q.where('staff.status', '=', s.status)
    if (s.keyWorkersOnly) q = q.where('staff.key_worker', '=', 1)
    const text = s.query?.trim()
    if (text) {
      // every word must start the first or last name, or be the start of the staff number: "smi jo" finds Jo Smith
      for (const like of searchPrefixes(text)) {
        q = q.where(eb =>
          eb.or([
            eb(eb.fn('lower', ['staff.last_name']), 'like', like),
            eb(eb.fn('lower', ['staff.first_name']), 'like', like),
            eb('staff.staff_number', 'like', normaliseStaffNumber(like)),
          ]),
        )
      }
    }
    return q
  }

  return {
    async search(s: StaffSearch) {
      const base = searchQuery(s)
      const [rows, total] = await Promise.all([
        base
          .select([
            'staff.id',
            'staff.staff_number',
            'staff.first_name',
            'staff.last_name',
            'staff.grade',
            'staff.working_pattern',
            'staff.weekly_hours',
            'staff.capacity_override',
            'staff.key_worker',
            'staff.status',
            'staff.status_return_date',
            'residential_units.name as home_unit_name',
          ])
          .orderBy('staff.last_name')
          .orderBy('staff.first_name')
          .orderBy('staff.staff_number')
          .limit(s.limit)
          .offset(s.offset)
          .execute(),
        base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ])
      return { rows, total: Number(total.n) }
    },

    /** Scoped to an establishment: another establishment's staff member is simply not found. */
    byId(establishmentId: number, id: number) {
      return db
        .selectFrom('staff')
        .leftJoin('residential_units', 'residential_units.id', 'staff.home_unit_id')
        .leftJoin('users', 'users.id', 'staff.user_id')
        .selectAll('staff')
        .select([
          'residential_units.code as home_unit_code',
          'residential_units.name as home_unit_name',
          'users.username as user_username',
          'users.display_name as user_display_name',
        ])
        .where('staff.establishment_id', '=', establishmentId)
        .where('staff.id', '=', id)
        .executeTakeFirst()
    },

    byIdIn(trx: Kysely<Database>, establishmentId: number, id: number) {
      return trx
        .selectFrom('staff')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    byStaffNumber(trx: Kysely<Database>, establishmentId: number, staffNumber: string) {
      return trx
        .selectFrom('staff')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('staff_number', '=', staffNumber)
        .executeTakeFirst()
    },

    /** Staff records of the establishment already linked to a user account (one record per account). */
    linkedToUser(trx: Kysely<Database>, establishmentId: number, userId: number) {
      return trx
        .selectFrom('staff')
        .select(['id', 'staff_number', 'first_name', 'last_name'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .execute()
    },

    /** User accounts with a role in the establishment, which a staff record there may be linked to. */
    linkableUsers(trx: Kysely<Database>, establishmentId: number) {
      return trx
        .selectFrom('users')
        .select(['users.id', 'users.username', 'users.display_name'])
        .where(eb =>
          eb.exists(
            eb
              .selectFrom('user_roles')
              .select('user_roles.id')
              .whereRef('user_roles.user_id', '=', 'users.id')
              .where('user_roles.establishment_id', '=', establishmentId),
          ),
        )
        .orderBy('users.display_name')
        .orderBy('users.username')
        .execute()
    },

    async insert(trx: Kysely<Database>, values: NewStaff) {
      const r = await trx.insertInto('staff').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    async update(trx: Kysely<Database>, id: number, values: StaffUpdate) {
      await trx.updateTable('staff').set(values).where('id', '=', id).execute()
    },
  }
}

export type StaffRepository = ReturnType<typeof staffRepository>
