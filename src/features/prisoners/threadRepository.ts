import { type Expression, type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import { jsonRows, parseRows } from '../../platform/db/json'
import type { Database } from '../../platform/db/types'
import { custodyEventsQuery } from './repository'

// The thread of a prisoner's key work on his page, the most viewed page. page() reads it all in one statement: his
// record, his allocations here, his last session and last delivered one, his open goals and referrals and his
// movements, each list a JSON array column (platform/db/json.ts). On PostgreSQL every statement is a round trip, and
// the page made nine of them; every subquery walks an index on the prisoner.

/** Submitted sessions only: drafts and deleted entries are not part of the record. */
const SUBMITTED = 'submitted'

/** A prisoner in a subquery: his id as a value, or the page query's outer `p.id`. */
type PrisonerRef = number | Expression<number>

export function prisonerThreadRepository(db: Kysely<Database>, dialect: Dialect) {
  /** The latest submitted session (delivered ones only, or any) for the prisoner here, by the prisoner index. */
  const latest = (establishmentId: number, prisoner: PrisonerRef, deliveredOnly: boolean) => {
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
      .where('k.prisoner_id', '=', prisoner)
      .where('k.status', '=', SUBMITTED)
      .where('k.session_date', 'is not', null)
      .where('k.establishment_id', '=', establishmentId)
    if (deliveredOnly) q = q.where('k.outcome', '=', 'delivered')
    return q.orderBy('k.session_date', 'desc').orderBy('k.id', 'desc').limit(1)
  }

  /** Open goals and open referrals, in one list. */
  const openItems = (establishmentId: number, prisoner: PrisonerRef) => {
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
      .where('g.prisoner_id', '=', prisoner)
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
      .where('r.prisoner_id', '=', prisoner)
      .where('r.status', 'in', ['sent', 'acknowledged'])
      .where('r.establishment_id', '=', establishmentId)
    return goals.unionAll(referrals)
  }

  /** His allocations here, with the officer's name (newest first, once sorted). */
  const allocations = (establishmentId: number, prisoner: PrisonerRef) =>
    db
      .selectFrom('allocations as a')
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select([
        'a.id',
        'a.establishment_id',
        'a.prisoner_id',
        'a.staff_id',
        'a.allocated_at',
        'a.allocated_by',
        'a.allocation_reason',
        'a.deallocated_at',
        'a.deallocated_by',
        'a.deallocation_reason',
        'a.deallocation_note',
        'a.handover_note',
        'a.cover_until',
        'a.covering_for_staff_id',
        's.first_name as staff_first_name',
        's.last_name as staff_last_name',
      ])
      .where('a.prisoner_id', '=', prisoner)
      .where('a.establishment_id', '=', establishmentId)

  const outerId = sql.ref<number>('p.id')
  const outerNumber = sql.ref<string>('p.prison_number')

  return {
    /**
     * Everything his page shows from keywork's own records, in one statement: undefined when the establishment has
     * no record of him. Lists in the page's order: allocations newest first, movements as they happened.
     */
    async page(establishmentId: number, prisonNumber: string) {
      const row = await db
        .selectFrom('prisoners as p')
        .leftJoin('residential_units as u', 'u.id', 'p.unit_id')
        .selectAll('p')
        .select(['u.name as unit_name', 'u.code as unit_code'])
        .select([
          jsonRows(dialect, allocations(establishmentId, outerId)).as('allocations_json'),
          jsonRows(dialect, latest(establishmentId, outerId, false)).as('last_json'),
          jsonRows(dialect, latest(establishmentId, outerId, true)).as('last_delivered_json'),
          jsonRows(dialect, openItems(establishmentId, outerId)).as('open_json'),
          jsonRows(dialect, custodyEventsQuery(db, establishmentId, outerNumber)).as('custody_json'),
        ])
        .where('p.establishment_id', '=', establishmentId)
        .where('p.prison_number', '=', prisonNumber)
        .executeTakeFirst()
      if (!row) return undefined
      const { allocations_json, last_json, last_delivered_json, open_json, custody_json, ...prisoner } = row
      return {
        prisoner,
        allocations: parseRows(allocations_json).sort(
          (a, b) => b.allocated_at.localeCompare(a.allocated_at) || b.id - a.id,
        ),
        last: parseRows(last_json)[0],
        lastDelivered: parseRows(last_delivered_json)[0],
        openItems: parseRows(open_json),
        custodyEvents: parseRows(custody_json).sort((a, b) => a.id - b.id),
      }
    },
  }
}
