// Every query of the case note outbox. Rows are written in the transaction of a session's submit or amendment, and
// claimed by the sender with a conditional update (a lease), so that one instance sends each row at a time.
import { type Kysely, sql } from 'kysely'
import type { Database, CaseNoteOutboxTable } from '../../platform/db/types'
import type { Insertable, Selectable } from 'kysely'

type Db = Kysely<Database>
export type OutboxRow = Selectable<CaseNoteOutboxTable>

/** Whose rows a reader sees: one establishment, or every one (the national team). */
export type OutboxScope = { establishmentId: number } | 'all'

export function caseNotesRepository(db: Db) {
  return {
    /** A submitted session as its note says it: null when not submitted in this establishment. */
    sessionForNote(trx: Db, establishmentId: number, sessionId: number) {
      return trx
        .selectFrom('key_work_sessions as s')
        .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
        .innerJoin('establishments as e', 'e.id', 's.establishment_id')
        .leftJoin('users as u', 'u.id', 's.author_user_id')
        .select([
          's.id',
          's.outcome',
          's.not_delivered_reason',
          's.not_delivered_detail',
          's.session_date',
          's.starts_at',
          's.duration_minutes',
          's.location',
          's.private',
          's.pathways',
          's.concern',
          's.concern_escalated_to',
          's.prisoner_words',
          's.agreed',
          's.author',
          'u.display_name',
          'p.prison_number',
          'e.code as establishment_code',
        ])
        .where('s.id', '=', sessionId)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.status', '=', 'submitted')
        .executeTakeFirst()
    },

    amendment(trx: Db, sessionId: number, amendmentId: number) {
      return trx
        .selectFrom('session_amendments')
        .select(['id', 'reason', 'changes', 'amended_by'])
        .where('id', '=', amendmentId)
        .where('session_id', '=', sessionId)
        .executeTakeFirst()
    },

    async establishmentCode(id: number) {
      const r = await db.selectFrom('establishments').select('code').where('id', '=', id).executeTakeFirst()
      return r?.code ?? null
    },

    displayName(trx: Db, username: string) {
      return trx.selectFrom('users').select('display_name').where('username', '=', username).executeTakeFirst()
    },

    /** Queues a row; a second row for the same source (the natural key) is not written. */
    async insert(trx: Db, row: Insertable<CaseNoteOutboxTable>) {
      await trx
        .insertInto('case_note_outbox')
        .values(row)
        .onConflict(oc => oc.column('source').doNothing())
        .execute()
    },

    /** Pending rows due by `now` and not held by a live claim, oldest first. */
    dueIds(now: string, limit: number) {
      return db
        .selectFrom('case_note_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where(eb => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('id')
        .limit(limit)
        .execute()
    },

    /**
     * Claims a due row for `token` until `until`: a conditional update, so of two instances that both saw it due
     * exactly one claims it (the other's update finds the claim taken and changes nothing). The attempt is counted as
     * it is claimed, before any request: a row whose sender died mid-attempt is known to have been tried. The claimed
     * row, or null.
     */
    async claim(id: number, token: string, now: string, until: string) {
      const r = await db
        .updateTable('case_note_outbox')
        .set({ claimed_by: token, claimed_until: until, attempts: sql<number>`attempts + 1` })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where(eb => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1) return null
      return (await db.selectFrom('case_note_outbox').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    },

    /** Writes the outcome of an attempt, if the claim is still ours; gives the claim back. */
    async settle(
      id: number,
      token: string,
      values: Partial<
        Pick<
          OutboxRow,
          'status' | 'attempts' | 'payload' | 'next_attempt_at' | 'last_error' | 'case_note_id' | 'sent_at'
        >
      > & {
        updated_at: string
      },
    ) {
      const r = await db
        .updateTable('case_note_outbox')
        .set({ ...values, claimed_by: null, claimed_until: null })
        .where('id', '=', id)
        .where('claimed_by', '=', token)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** The rows of a session before `id` (its note, and earlier amendments), in order. */
    /** A session's note in the outbox (queued or sent), if it has one: only then is there a note to amend. */
    noteOf(trx: Db, sessionId: number) {
      return trx
        .selectFrom('case_note_outbox')
        .select(['id', 'prison_number'])
        .where('session_id', '=', sessionId)
        .where('kind', '=', 'create')
        .executeTakeFirst()
    },

    earlierOfSession(sessionId: number, id: number) {
      return db
        .selectFrom('case_note_outbox')
        .select(['id', 'kind', 'status', 'case_note_id'])
        .where('session_id', '=', sessionId)
        .where('id', '<', id)
        .orderBy('id')
        .execute()
    },

    /** Case note ids already recorded for a prisoner (a lookup after an unanswered attempt must not claim them). */
    async knownCaseNoteIds(prisonNumber: string) {
      const rows = await db
        .selectFrom('case_note_outbox')
        .select('case_note_id')
        .where('prison_number', '=', prisonNumber)
        .where('kind', '=', 'create')
        .where('case_note_id', 'is not', null)
        .execute()
      return new Set(rows.map(r => r.case_note_id!))
    },

    /** Pending and failed rows in scope, failed first, then by when they are next tried. */
    unsent(scope: OutboxScope, limit: number) {
      let q = db
        .selectFrom('case_note_outbox as o')
        .innerJoin('key_work_sessions as s', 's.id', 'o.session_id')
        .innerJoin('establishments as e', 'e.id', 'o.establishment_id')
        .select([
          'o.id',
          'o.prison_number',
          'o.kind',
          'o.status',
          'o.attempts',
          'o.last_error',
          'o.next_attempt_at',
          'o.created_at',
          'o.session_id',
          's.session_date',
          'e.code as establishment_code',
        ])
        .where('o.status', 'in', ['pending', 'failed'])
      if (scope !== 'all') q = q.where('o.establishment_id', '=', scope.establishmentId)
      return q.orderBy('o.status').orderBy('o.next_attempt_at').orderBy('o.id').limit(limit).execute()
    },

    /** How many rows of each status are in scope. */
    async counts(scope: OutboxScope) {
      let q = db
        .selectFrom('case_note_outbox')
        .select(eb => ['status', eb.fn.countAll<number>().as('n')])
        .groupBy('status')
      if (scope !== 'all') q = q.where('establishment_id', '=', scope.establishmentId)
      const rows = await q.execute()
      const out = { pending: 0, sent: 0, failed: 0 }
      for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = Number(r.n)
      return out
    },

    byId(trx: Db, scope: OutboxScope, id: number) {
      let q = trx.selectFrom('case_note_outbox').selectAll().where('id', '=', id)
      if (scope !== 'all') q = q.where('establishment_id', '=', scope.establishmentId)
      return q.executeTakeFirst()
    },

    /** A failed row back to pending, due now, with its attempts counted afresh. */
    async requeue(trx: Db, id: number, now: string) {
      const r = await trx
        .updateTable('case_note_outbox')
        .set({
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          claimed_by: null,
          claimed_until: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', '=', 'failed')
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
  }
}

export type CaseNotesRepository = ReturnType<typeof caseNotesRepository>
