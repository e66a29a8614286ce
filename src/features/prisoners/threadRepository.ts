import { type Kysely, sql } from 'kysely'
import type { Database } from '../../platform/db/types'

// The thread of a prisoner's key work on his page, the most viewed page: two or three indexed queries, whatever the
// history (a second session query only when the last session was not delivered).

/** Submitted sessions only: drafts and deleted entries are not part of the record. */
const SUBMITTED = 'submitted'

export function prisonerThreadRepository(db: Kysely<Database>) {
  /** The latest submitted session (delivered ones only, or any) for the prisoner here, by the prisoner index. */
  const latest = (establishmentId: number, prisonerId: number, deliveredOnly: boolean) => {
    let q = db
      .selectFrom('key_work_sessions as k')
      .leftJoin('staff as s', 's.id', 'k.staff_id')
      .select([
        'k.id',
        'k.session_date',
        'k.outcome',
        'k.not_delivered_reason',
        'k.agreed',
        'k.author',
        's.first_name as staff_first_name',
        's.last_name as staff_last_name',
      ])
      .where('k.prisoner_id', '=', prisonerId)
      .where('k.status', '=', SUBMITTED)
      .where('k.session_date', 'is not', null)
      .where('k.establishment_id', '=', establishmentId)
    if (deliveredOnly) q = q.where('k.outcome', '=', 'delivered')
    return q.orderBy('k.session_date', 'desc').orderBy('k.id', 'desc').limit(1).executeTakeFirst()
  }

  return {
    /** The last session (delivered or not) and the last delivered one: a second query only when they differ. */
    async lastSessions(establishmentId: number, prisonerId: number) {
      const last = await latest(establishmentId, prisonerId, false)
      if (!last || last.outcome === 'delivered') return { last, lastDelivered: last }
      return { last, lastDelivered: await latest(establishmentId, prisonerId, true) }
    },

    /** Open goals and open referrals, in one list: goals by target date, referrals by follow-up date. */
    openItems(establishmentId: number, prisonerId: number) {
      const goals = db
        .selectFrom('session_goals as g')
        .select([
          sql<'goal' | 'referral'>`'goal'`.as('kind'),
          'g.id',
          sql<string | null>`g.description`.as('text'),
          'g.status',
          'g.target_date as date',
          sql<string | null>`cast(null as varchar(64))`.as('stakeholder'),
        ])
        .where('g.prisoner_id', '=', prisonerId)
        .where('g.status', 'in', ['open', 'in_progress'])
        .where('g.establishment_id', '=', establishmentId)
      const referrals = db
        .selectFrom('referrals as r')
        .leftJoin('directory_services as d', 'd.id', 'r.service_id')
        .select([
          sql<'goal' | 'referral'>`'referral'`.as('kind'),
          'r.id',
          'd.name as text',
          'r.status',
          'r.follow_up_date as date',
          'r.stakeholder',
        ])
        .where('r.prisoner_id', '=', prisonerId)
        .where('r.status', 'in', ['sent', 'acknowledged'])
        .where('r.establishment_id', '=', establishmentId)
      return goals.unionAll(referrals).execute()
    },
  }
}
