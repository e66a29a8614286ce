import type { Insertable, Kysely } from 'kysely'
import type { Database, TransferHandoverItemTable } from '../../platform/db/types'

type Db = Kysely<Database>

/** How many sessions' agreed actions the sender may choose from, newest first. */
export const AGREED_CHOICES = 3

/**
 * Transfer handovers: the sender's open items to choose from (its own tables, scoped to its establishment), and the
 * shared snapshots, found by the sending establishment or by the receiving one, never by anyone else.
 */
export function handoverRepository(db: Db) {
  return {
    /** The establishment's own record of him. */
    prisoner(exec: Db, establishmentId: number, prisonNumber: string) {
      return exec
        .selectFrom('prisoners')
        .select(['id', 'prison_number', 'first_name', 'last_name', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('prison_number', '=', prisonNumber)
        .executeTakeFirst()
    },

    /** His latest Key Worker here (current, or ended by his transfer), with the user the staff record is linked to. */
    lastKeyWorker(exec: Db, establishmentId: number, prisonerId: number) {
      return exec
        .selectFrom('allocations as a')
        .innerJoin('staff as s', 's.id', 'a.staff_id')
        .select(['s.first_name', 's.last_name', 's.user_id'])
        .where('a.establishment_id', '=', establishmentId)
        .where('a.prisoner_id', '=', prisonerId)
        .orderBy('a.allocated_at', 'desc')
        .orderBy('a.id', 'desc')
        .executeTakeFirst()
    },

    /** His open goals here, set in submitted (not deleted) sessions, oldest first. */
    openGoals(exec: Db, establishmentId: number, prisonerId: number) {
      return exec
        .selectFrom('session_goals as g')
        .innerJoin('key_work_sessions as k', 'k.id', 'g.set_in_session_id')
        .select(['g.id', 'g.description', 'g.measure', 'g.status', 'g.target_date', 'k.session_date'])
        .where('g.establishment_id', '=', establishmentId)
        .where('g.prisoner_id', '=', prisonerId)
        .where('g.status', 'in', ['open', 'in_progress'])
        .where('k.status', '=', 'submitted')
        .where('k.deleted_at', 'is', null)
        .orderBy('g.id')
        .execute()
    },

    /** His open referrals here (sent or acknowledged), made in submitted (not deleted) sessions, oldest first. */
    openReferrals(exec: Db, establishmentId: number, prisonerId: number) {
      return exec
        .selectFrom('referrals as r')
        .innerJoin('key_work_sessions as k', 'k.id', 'r.session_id')
        .leftJoin('directory_services as d', 'd.id', 'r.service_id')
        .select(['r.id', 'r.stakeholder', 'd.name as service_name', 'r.status', 'r.follow_up_date', 'k.session_date'])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.prisoner_id', '=', prisonerId)
        .where('r.status', 'in', ['sent', 'acknowledged'])
        .where('k.status', '=', 'submitted')
        .where('k.deleted_at', 'is', null)
        .orderBy('r.id')
        .execute()
    },

    /** What was agreed at his latest delivered sessions here that recorded something, newest first. */
    lastAgreed(exec: Db, establishmentId: number, prisonerId: number) {
      return exec
        .selectFrom('key_work_sessions as k')
        .select(['k.id', 'k.agreed', 'k.session_date'])
        .where('k.establishment_id', '=', establishmentId)
        .where('k.prisoner_id', '=', prisonerId)
        .where('k.status', '=', 'submitted')
        .where('k.deleted_at', 'is', null)
        .where('k.outcome', '=', 'delivered')
        .where('k.agreed', 'is not', null)
        .where('k.agreed', '!=', '')
        .orderBy('k.session_date', 'desc')
        .orderBy('k.id', 'desc')
        .limit(AGREED_CHOICES)
        .execute()
    },

    /** Every establishment but this one, by name (where he may be going). */
    otherEstablishments(establishmentId: number) {
      return db
        .selectFrom('establishments')
        .select(['id', 'code', 'name'])
        .where('id', '!=', establishmentId)
        .orderBy('name')
        .execute()
    },

    establishmentByCode(exec: Db, code: string) {
      return exec
        .selectFrom('establishments')
        .select(['id', 'code', 'name'])
        .where('code', '=', code)
        .executeTakeFirst()
    },

    /** Where he arrived from this establishment most recently (the transfer in that names it), if anywhere. */
    arrivedFrom(establishmentId: number, prisonNumber: string) {
      return db
        .selectFrom('custody_events')
        .select('establishment_id')
        .where('prison_number', '=', prisonNumber)
        .where('kind', '=', 'transfer_in')
        .where('from_establishment_id', '=', establishmentId)
        .orderBy('id', 'desc')
        .executeTakeFirst()
    },

    displayName(exec: Db, userId: number | null) {
      if (userId === null) return Promise.resolve(undefined)
      return exec.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst()
    },

    /** An unread, unwithdrawn handover from here about him to that establishment, if one is waiting. */
    waiting(exec: Db, sendingId: number, prisonerId: number, receivingId: number) {
      return exec
        .selectFrom('transfer_handovers')
        .select('id')
        .where('sending_establishment_id', '=', sendingId)
        .where('prisoner_id', '=', prisonerId)
        .where('receiving_establishment_id', '=', receivingId)
        .where('read_at', 'is', null)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst()
    },

    async insert(
      trx: Db,
      handover: Insertable<Database['transfer_handovers']>,
      items: Omit<Insertable<TransferHandoverItemTable>, 'handover_id'>[],
    ) {
      const { id } = await trx
        .insertInto('transfer_handovers')
        .values(handover)
        .returning('id')
        .executeTakeFirstOrThrow()
      if (items.length)
        await trx
          .insertInto('transfer_handover_items')
          .values(items.map(i => ({ ...i, handover_id: id })))
          .execute()
      return id
    },

    /**
     * The handovers about him that involve the establishment: those it sent (any state) and those that name it as
     * the receiver and are not withdrawn. Newest first, with both establishments' names.
     */
    involving(exec: Db, establishmentId: number, prisonNumber: string) {
      return exec
        .selectFrom('transfer_handovers as h')
        .innerJoin('establishments as f', 'f.id', 'h.sending_establishment_id')
        .innerJoin('establishments as t', 't.id', 'h.receiving_establishment_id')
        .select([
          'h.id',
          'h.sending_establishment_id',
          'h.receiving_establishment_id',
          'h.note',
          'h.key_worker',
          'h.prepared_by_name',
          'h.shared_at',
          'h.read_at',
          'h.withdrawn_at',
          'h.withdrawn_by',
          'f.name as from_name',
          't.name as to_name',
        ])
        .where('h.prison_number', '=', prisonNumber)
        .where(eb =>
          eb.or([
            eb('h.sending_establishment_id', '=', establishmentId),
            eb.and([eb('h.receiving_establishment_id', '=', establishmentId), eb('h.withdrawn_at', 'is', null)]),
          ]),
        )
        .orderBy('h.shared_at', 'desc')
        .orderBy('h.id', 'desc')
        .execute()
    },

    items(exec: Db, handoverIds: readonly number[]) {
      if (handoverIds.length === 0) return Promise.resolve([])
      return exec
        .selectFrom('transfer_handover_items')
        .select(['id', 'handover_id', 'kind', 'source_id', 'text', 'detail', 'status', 'since', 'due'])
        .where('handover_id', 'in', [...handoverIds])
        .orderBy('handover_id')
        .orderBy('position')
        .execute()
    },

    /** Marks these handovers read (the receiver's first view); the ones already read keep their first time. */
    async markRead(trx: Db, ids: readonly number[], at: string) {
      if (ids.length === 0) return
      await trx
        .updateTable('transfer_handovers')
        .set({ read_at: at })
        .where('id', 'in', [...ids])
        .where('read_at', 'is', null)
        .where('withdrawn_at', 'is', null)
        .execute()
    },

    /** The handover the establishment sent about his record, for a withdrawal. */
    sent(exec: Db, sendingId: number, prisonerId: number, id: number) {
      return exec
        .selectFrom('transfer_handovers as h')
        .innerJoin('establishments as t', 't.id', 'h.receiving_establishment_id')
        .select(['h.id', 'h.read_at', 'h.withdrawn_at', 't.code as to_code', 't.name as to_name'])
        .where('h.id', '=', id)
        .where('h.sending_establishment_id', '=', sendingId)
        .where('h.prisoner_id', '=', prisonerId)
        .executeTakeFirst()
    },

    /** Withdraws an unread handover: its shared content goes, who shared and withdrew it stays. */
    async withdraw(trx: Db, id: number, by: string, at: string) {
      const r = await trx
        .updateTable('transfer_handovers')
        .set({ withdrawn_at: at, withdrawn_by: by, note: null })
        .where('id', '=', id)
        .where('read_at', 'is', null)
        .where('withdrawn_at', 'is', null)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1) return false
      await trx.deleteFrom('transfer_handover_items').where('handover_id', '=', id).execute()
      return true
    },
  }
}

export type HandoverRepository = ReturnType<typeof handoverRepository>
