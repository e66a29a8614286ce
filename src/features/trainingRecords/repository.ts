import type { Insertable, Kysely } from 'kysely'
import type { Database, TrainingCertificateTable, TrainingCompletionTable } from '../../platform/db/types'

export type CompletionRow = Awaited<ReturnType<ReturnType<typeof trainingRecordsRepository>['completionsOf']>>[number]
export type CertificateRow = Awaited<ReturnType<ReturnType<typeof trainingRecordsRepository>['certificatesOf']>>[number]

const STAFF_COLUMNS = [
  'id',
  'establishment_id',
  'staff_number',
  'first_name',
  'last_name',
  'email',
  'started_in_post',
  'user_id',
  'key_worker',
  'status',
] as const

/**
 * Training records (issue 16): writes only training_completions (append-only: insert, and void) and
 * training_certificates (issue, supersede, revoke); reads staff and the officers' training assignments read-only.
 */
export function trainingRecordsRepository(db: Kysely<Database>) {
  return {
    async insertCompletion(trx: Kysely<Database>, row: Insertable<TrainingCompletionTable>): Promise<number> {
      const r = await trx.insertInto('training_completions').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },

    /** The non-voided completions of these officers, oldest first. */
    liveCompletions(staffIds: number[], k: Kysely<Database> = db) {
      if (staffIds.length === 0) return Promise.resolve([])
      return k
        .selectFrom('training_completions')
        .select(['staff_id', 'module_code', 'kind', 'completed_on', 'hours', 'outcome'])
        .where('staff_id', 'in', staffIds)
        .where('voided_at', 'is', null)
        .orderBy('completed_on')
        .orderBy('id')
        .execute()
    },

    /** Every completion of an officer of the establishment, voided ones too, newest first. */
    completionsOf(establishmentId: number, staffId: number) {
      return db
        .selectFrom('training_completions')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('staff_id', '=', staffId)
        .orderBy('completed_on', 'desc')
        .orderBy('id', 'desc')
        .execute()
    },

    completion(establishmentId: number, id: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('training_completions')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    /** Voids a completion not yet voided; false when it already was. */
    async voidCompletion(trx: Kysely<Database>, id: number, by: string, reason: string, at: string) {
      const r = await trx
        .updateTable('training_completions')
        .set({ voided_at: at, voided_by: by, void_reason: reason })
        .where('id', '=', id)
        .where('voided_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    /** The external ids of a source already recorded, of those given. */
    async knownExternalIds(source: string, ids: string[], k: Kysely<Database> = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set()
      const rows = await k
        .selectFrom('training_completions')
        .select('external_id')
        .where('source', '=', source)
        .where('external_id', 'in', ids)
        .execute()
      return new Set(rows.map(r => String(r.external_id)))
    },

    /** Completions of the establishment recorded at or after `since` (a timestamp) with an id above `afterId`, by id. */
    recordedSince(establishmentId: number, since: string, afterId: number, limit: number) {
      return db
        .selectFrom('training_completions as c')
        .innerJoin('staff as s', 's.id', 'c.staff_id')
        .select([
          'c.id',
          'c.module_code',
          'c.title',
          'c.completed_on',
          'c.hours',
          'c.outcome',
          'c.source',
          'c.external_id',
          'c.recorded_at',
          'c.voided_at',
          's.staff_number',
          's.email',
          's.first_name',
          's.last_name',
        ])
        .where('c.establishment_id', '=', establishmentId)
        .where('c.recorded_at', '>=', since)
        .where('c.id', '>', afterId)
        .orderBy('c.id')
        .limit(limit)
        .execute()
    },

    // ---- certificates

    async insertCertificate(trx: Kysely<Database>, row: Insertable<TrainingCertificateTable>): Promise<number> {
      const r = await trx.insertInto('training_certificates').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },

    /** The certificates of an officer for one module code that are not revoked, newest completion first. */
    liveCertificatesFor(trx: Kysely<Database>, staffId: number, moduleCode: string) {
      return trx
        .selectFrom('training_certificates as t')
        .innerJoin('training_completions as c', 'c.id', 't.completion_id')
        .select(['t.id', 't.superseded_by', 't.completed_on'])
        .where('t.staff_id', '=', staffId)
        .where('c.module_code', '=', moduleCode)
        .where('t.revoked_at', 'is', null)
        .orderBy('t.completed_on', 'desc')
        .orderBy('t.id', 'desc')
        .execute()
    },

    async setSupersededBy(trx: Kysely<Database>, ids: number[], by: number | null) {
      if (ids.length === 0) return
      await trx.updateTable('training_certificates').set({ superseded_by: by }).where('id', 'in', ids).execute()
    },

    /** Revokes the certificate of a completion (none, for a failed one); the ids revoked. */
    async revokeForCompletion(trx: Kysely<Database>, completionId: number, at: string, reason: string) {
      const rows = await trx
        .updateTable('training_certificates')
        .set({ revoked_at: at, revoke_reason: reason, superseded_by: null })
        .where('completion_id', '=', completionId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute()
      return rows.map(r => Number(r.id))
    },

    certificateByCode(code: string) {
      return db
        .selectFrom('training_certificates')
        .select(['id', 'code', 'name', 'module_title', 'completed_on', 'superseded_by', 'revoked_at'])
        .where('code', '=', code)
        .executeTakeFirst()
    },

    /** An officer's certificates (all: current, superseded, revoked), newest first. */
    certificatesOf(establishmentId: number, staffId: number) {
      return db
        .selectFrom('training_certificates as t')
        .innerJoin('training_completions as c', 'c.id', 't.completion_id')
        .select([
          't.id',
          't.code',
          't.completion_id',
          't.staff_id',
          't.name',
          't.module_title',
          't.completed_on',
          't.issued_on',
          't.superseded_by',
          't.revoked_at',
          't.revoke_reason',
          'c.module_code',
        ])
        .where('t.establishment_id', '=', establishmentId)
        .where('t.staff_id', '=', staffId)
        .orderBy('t.completed_on', 'desc')
        .orderBy('t.id', 'desc')
        .execute()
    },

    certificate(establishmentId: number, id: number) {
      return db
        .selectFrom('training_certificates')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    // ---- staff (read-only)

    staff(establishmentId: number, staffId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('staff')
        .select(STAFF_COLUMNS)
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', staffId)
        .executeTakeFirst()
    },

    staffOfUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('staff')
        .select(STAFF_COLUMNS)
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .executeTakeFirst()
    },

    /** The establishment's staff now (not inactive), by name. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(STAFF_COLUMNS)
        .where('establishment_id', '=', establishmentId)
        .where('status', '<>', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },

    /** The establishment's staff with these staff numbers (upper case) or emails (lower case). */
    staffByNumbersOrEmails(establishmentId: number, numbers: string[], emails: string[], k: Kysely<Database> = db) {
      if (numbers.length === 0 && emails.length === 0) return Promise.resolve([])
      return k
        .selectFrom('staff')
        .select(STAFF_COLUMNS)
        .where('establishment_id', '=', establishmentId)
        .where(eb =>
          eb.or([
            ...(numbers.length ? [eb(eb.fn('upper', ['staff_number']), 'in', numbers)] : []),
            ...(emails.length ? [eb(eb.fn('lower', ['email']), 'in', emails)] : []),
          ]),
        )
        .execute()
    },
  }
}

export type TrainingRecordsRepository = ReturnType<typeof trainingRecordsRepository>
