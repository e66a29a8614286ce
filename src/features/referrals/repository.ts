import { type Kysely, type Updateable, sql } from 'kysely'
import type { Database, ReferralTable } from '../../platform/db/types'

export interface ReferralListFilter {
  establishmentId: number
  /** only the referrals of sessions held by this officer, or made by this user */
  mine?: { staffId: number | null; username: string }
  /** 'open' (sent or acknowledged), 'overdue', one status, or all */
  status?: 'open' | 'overdue' | 'sent' | 'acknowledged' | 'done' | 'declined'
  /** only the referrals of sessions held by this officer (Supervising Officer's filter) */
  staffId?: number
  /** ISO date: a referral is overdue when its follow-up date is before this and it is still open */
  today: string
  limit: number
  offset: number
}

const OPEN = ['sent', 'acknowledged']

export function referralsRepository(db: Kysely<Database>) {
  /** A referral with what a person reading it needs: the prisoner, the session and officer, the service. */
  const detailed = (trx: Kysely<Database>) =>
    trx
      .selectFrom('referrals')
      .innerJoin('prisoners', 'prisoners.id', 'referrals.prisoner_id')
      .innerJoin('key_work_sessions', 'key_work_sessions.id', 'referrals.session_id')
      .leftJoin('staff', 'staff.id', 'key_work_sessions.staff_id')
      .leftJoin('directory_services', 'directory_services.id', 'referrals.service_id')
      .selectAll('referrals')
      .select([
        'prisoners.prison_number',
        'prisoners.first_name as prisoner_first_name',
        'prisoners.last_name as prisoner_last_name',
        'key_work_sessions.session_date',
        'key_work_sessions.staff_id',
        'key_work_sessions.author',
        'staff.first_name as staff_first_name',
        'staff.last_name as staff_last_name',
        'staff.email as staff_email',
        'directory_services.name as service_name',
      ])

  const filtered = (f: ReferralListFilter) => {
    let q = detailed(db).where('referrals.establishment_id', '=', f.establishmentId)
    if (f.mine) {
      const { staffId, username } = f.mine
      q = q.where(eb =>
        eb.or([
          eb('referrals.created_by', '=', username),
          ...(staffId === null ? [] : [eb('key_work_sessions.staff_id', '=', staffId)]),
        ]),
      )
    }
    if (f.staffId !== undefined) q = q.where('key_work_sessions.staff_id', '=', f.staffId)
    if (f.status === 'open') q = q.where('referrals.status', 'in', OPEN)
    else if (f.status === 'overdue')
      q = q.where('referrals.status', 'in', OPEN).where('referrals.follow_up_date', '<', f.today)
    else if (f.status) q = q.where('referrals.status', '=', f.status)
    return q
  }

  return {
    byId(establishmentId: number, id: number) {
      return detailed(db)
        .where('referrals.establishment_id', '=', establishmentId)
        .where('referrals.id', '=', id)
        .executeTakeFirst()
    },
    byIdIn(trx: Kysely<Database>, establishmentId: number, id: number) {
      return trx
        .selectFrom('referrals')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    /** The referrals with these ids, of this establishment only, in id order. */
    byIds(establishmentId: number, ids: number[]) {
      if (ids.length === 0) return Promise.resolve([])
      return detailed(db)
        .where('referrals.establishment_id', '=', establishmentId)
        .where('referrals.id', 'in', ids)
        .orderBy('referrals.id')
        .execute()
    },
    /**
     * Overdue first (past the follow-up date and still open), oldest follow-up first; then the other open ones
     * by follow-up date (none last); then the closed ones, most recently changed first.
     */
    list(f: ReferralListFilter) {
      const rank = sql<number>`case
        when referrals.status in ('sent', 'acknowledged') and referrals.follow_up_date < ${f.today} then 0
        when referrals.status in ('sent', 'acknowledged') then 1
        else 2 end`
      return (
        filtered(f)
          .select(rank.as('rank'))
          .orderBy(rank)
          // no follow-up date last, on both engines (they sort nulls differently)
          .orderBy(
            sql`case when referrals.status in ('sent', 'acknowledged') and referrals.follow_up_date is null then 1 else 0 end`,
          )
          .orderBy(sql`case when referrals.status in ('sent', 'acknowledged') then referrals.follow_up_date end`)
          .orderBy('referrals.updated_at', 'desc')
          .orderBy('referrals.id', 'desc')
          .limit(f.limit)
          .offset(f.offset)
          .execute()
      )
    },
    async count(f: ReferralListFilter): Promise<number> {
      const r = await filtered(f)
        .clearSelect()
        .select(eb => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },
    /** Officers who held sessions with referrals in the establishment, for the Supervising Officer's filter. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['staff.id', 'staff.first_name', 'staff.last_name', 'staff.staff_number'])
        .where('staff.establishment_id', '=', establishmentId)
        .where(eb =>
          eb.exists(
            eb
              .selectFrom('referrals')
              .innerJoin('key_work_sessions', 'key_work_sessions.id', 'referrals.session_id')
              .select('referrals.id')
              .whereRef('key_work_sessions.staff_id', '=', 'staff.id')
              .where('referrals.establishment_id', '=', establishmentId),
          ),
        )
        .orderBy('staff.last_name')
        .orderBy('staff.first_name')
        .execute()
    },
    async update(trx: Kysely<Database>, id: number, values: Updateable<ReferralTable>) {
      await trx.updateTable('referrals').set(values).where('id', '=', id).execute()
    },
  }
}

export type ReferralDetail = NonNullable<Awaited<ReturnType<ReturnType<typeof referralsRepository>['byId']>>>
