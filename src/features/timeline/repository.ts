import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

/**
 * A read-only model of a prisoner's key work history over the sessions tables (key_work_sessions, session_goals,
 * goal_reviews, referrals, session_amendments) and the referrals' audited status changes. Drafts never appear;
 * deleted entries only when asked (for admins). Every query is scoped to the establishment.
 */
export function timelineRepository(db: Kysely<Database>) {
  return {
    sessions(establishmentId: number, prisonerId: number, includeDeleted: boolean) {
      return db
        .selectFrom('key_work_sessions')
        .leftJoin('staff', 'staff.id', 'key_work_sessions.staff_id')
        .selectAll('key_work_sessions')
        .select(['staff.first_name as staff_first_name', 'staff.last_name as staff_last_name'])
        .where('key_work_sessions.establishment_id', '=', establishmentId)
        .where('key_work_sessions.prisoner_id', '=', prisonerId)
        .where(eb => {
          const shown = eb.and([
            eb('key_work_sessions.status', '=', 'submitted'),
            eb('key_work_sessions.deleted_at', 'is', null),
          ])
          if (!includeDeleted) return shown
          // a submitted entry an admin deleted (a deleted draft was never part of the record)
          return eb.or([
            shown,
            eb.and([
              eb.or([
                eb('key_work_sessions.status', '=', 'deleted'),
                eb('key_work_sessions.deleted_at', 'is not', null),
              ]),
              eb('key_work_sessions.submitted_at', 'is not', null),
            ]),
          ])
        })
        .orderBy('key_work_sessions.session_date', 'desc')
        .orderBy('key_work_sessions.id', 'desc')
        .execute()
    },

    amendments(sessionIds: number[]) {
      if (sessionIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('session_amendments')
        .selectAll()
        .where('session_id', 'in', sessionIds)
        .orderBy('amended_at')
        .orderBy('id')
        .execute()
    },

    /** Goals set in submitted (not deleted) sessions. */
    goals(establishmentId: number, prisonerId: number) {
      return db
        .selectFrom('session_goals')
        .innerJoin('key_work_sessions', 'key_work_sessions.id', 'session_goals.set_in_session_id')
        .selectAll('session_goals')
        .select(['key_work_sessions.session_date', 'key_work_sessions.starts_at', 'key_work_sessions.author'])
        .where('session_goals.establishment_id', '=', establishmentId)
        .where('session_goals.prisoner_id', '=', prisonerId)
        .where('key_work_sessions.status', '=', 'submitted')
        .where('key_work_sessions.deleted_at', 'is', null)
        .orderBy('session_goals.id')
        .execute()
    },

    /** Reviews of the prisoner's goals made in submitted (not deleted) sessions. */
    goalReviews(establishmentId: number, prisonerId: number) {
      return db
        .selectFrom('goal_reviews')
        .innerJoin('session_goals', 'session_goals.id', 'goal_reviews.goal_id')
        .innerJoin('key_work_sessions', 'key_work_sessions.id', 'goal_reviews.session_id')
        .selectAll('goal_reviews')
        .select([
          'session_goals.description',
          'key_work_sessions.session_date',
          'key_work_sessions.starts_at',
          'key_work_sessions.author',
        ])
        .where('session_goals.establishment_id', '=', establishmentId)
        .where('session_goals.prisoner_id', '=', prisonerId)
        .where('key_work_sessions.status', '=', 'submitted')
        .where('key_work_sessions.deleted_at', 'is', null)
        .orderBy('goal_reviews.id')
        .execute()
    },

    /** Referrals made in submitted (not deleted) sessions, with the directory service's name. */
    referrals(establishmentId: number, prisonerId: number) {
      return db
        .selectFrom('referrals')
        .innerJoin('key_work_sessions', 'key_work_sessions.id', 'referrals.session_id')
        .leftJoin('directory_services', 'directory_services.id', 'referrals.service_id')
        .selectAll('referrals')
        .select([
          'key_work_sessions.session_date',
          'key_work_sessions.starts_at',
          'directory_services.name as service_name',
        ])
        .where('referrals.establishment_id', '=', establishmentId)
        .where('referrals.prisoner_id', '=', prisonerId)
        .where('key_work_sessions.status', '=', 'submitted')
        .where('key_work_sessions.deleted_at', 'is', null)
        .orderBy('referrals.id')
        .execute()
    },

    /** The names of these users (usernames are what the records keep), for bylines. */
    async displayNames(usernames: string[]): Promise<Map<string, string>> {
      const wanted = [...new Set(usernames)]
      if (wanted.length === 0) return new Map()
      const rows = await db
        .selectFrom('users')
        .select(['username', 'display_name'])
        .where('username', 'in', wanted)
        .execute()
      return new Map(rows.filter(r => r.display_name).map(r => [r.username, r.display_name]))
    },

    /** The audited changes of these referrals (status and follow-up date), oldest first. */
    referralChanges(establishmentId: number, referralIds: number[]) {
      if (referralIds.length === 0) return Promise.resolve([])
      return db
        .selectFrom('audit_events')
        .select(['id', 'at', 'username', 'entity_id', 'changes'])
        .where('entity', '=', 'referral')
        .where('action', '=', 'update')
        .where('establishment_id', '=', establishmentId)
        .where(
          'entity_id',
          'in',
          referralIds.map(id => String(id)),
        )
        .orderBy('id')
        .execute()
    },
  }
}

export type TimelineRepository = ReturnType<typeof timelineRepository>
