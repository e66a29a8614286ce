import type { Insertable, Kysely } from 'kysely'
import type { Database, QaCommendationTable } from '../../platform/db/types'
import { PRISONER_COLUMNS } from './columns'

/** Commendations (qa_commendations), with the entry and officer they are about. Scoped by establishment. */
export function qaCommendationRepository(db: Kysely<Database>) {
  return {
    async insertCommendation(trx: Kysely<Database>, row: Insertable<QaCommendationTable>) {
      const r = await trx.insertInto('qa_commendations').values(row).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    commendationsForOfficer(establishmentId: number, userId: number, staffIds: number[]) {
      return db
        .selectFrom('qa_commendations as c')
        .leftJoin('key_work_sessions as s', 's.id', 'c.session_id')
        .leftJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .selectAll('c')
        .select(['s.session_date', ...PRISONER_COLUMNS])
        .where('c.establishment_id', '=', establishmentId)
        .where(eb =>
          eb.or([eb('c.officer_user_id', '=', userId), ...(staffIds.length ? [eb('c.staff_id', 'in', staffIds)] : [])]),
        )
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .execute()
    },
    commendations(establishmentId: number, limit: number) {
      return db
        .selectFrom('qa_commendations as c')
        .innerJoin('staff as st', 'st.id', 'c.staff_id')
        .selectAll('c')
        .select(['st.first_name as staff_first_name', 'st.last_name as staff_last_name'])
        .where('c.establishment_id', '=', establishmentId)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(limit)
        .execute()
    },
    async markCommendationsSeen(trx: Kysely<Database>, ids: number[], at: string) {
      if (ids.length)
        await trx
          .updateTable('qa_commendations')
          .set({ seen_at: at })
          .where('id', 'in', ids)
          .where('seen_at', 'is', null)
          .execute()
    },
  }
}
