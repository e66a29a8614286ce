import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { qaCommendationRepository } from './commendationRepository'
import { qaReviewRepository } from './reviewRepository'
import { qaSampleRepository } from './sampleRepository'
import { ENTRY_COLUMNS } from './columns'

/**
 * The quality-assurance queue, reviews and commendations: the entries and people QA reads here, the rest in one
 * repository per job (sampleRepository.ts, reviewRepository.ts, commendationRepository.ts). Writes only its own
 * tables (qa_settings, qa_samples, qa_reviews, qa_review_scores, qa_review_amendments, qa_commendations, and the QA
 * bounds of national_policy); reads entries, staff, prisoners, users and the rubric's criteria (the read-only
 * exception of issue 15). Every query is scoped by establishment.
 */
export function qaRepository(db: Kysely<Database>) {
  /** An entry with who it is for and who wrote it. */
  const entry = (trx: Kysely<Database>) =>
    trx
      .selectFrom('key_work_sessions as s')
      .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
      .leftJoin('staff as st', 'st.id', 's.staff_id')
      .leftJoin('users as au', 'au.id', 's.author_user_id')
      .select([
        's.id',
        's.establishment_id',
        's.status',
        's.staff_id',
        's.starts_at',
        's.duration_minutes',
        's.outcome',
        's.not_delivered_reason',
        's.pathways',
        's.concern',
        's.concern_escalated_to',
        's.interpreter_needed',
        's.interpreter_used',
        's.prisoner_words',
        's.agreed',
        's.precheck_score',
        ...ENTRY_COLUMNS,
        'st.user_id as staff_user_id',
        'st.email as staff_email',
        'au.display_name as author_name',
        'au.email as author_email',
      ])

  return {
    entry(establishmentId: number, sessionId: number, trx: Kysely<Database> = db) {
      return entry(trx)
        .where('s.establishment_id', '=', establishmentId)
        .where('s.id', '=', sessionId)
        .executeTakeFirst()
    },
    /** An entry in any establishment: a national calibration exercise marks entries of several. */
    entryAnywhere(sessionId: number, trx: Kysely<Database> = db) {
      return entry(trx).where('s.id', '=', sessionId).executeTakeFirst()
    },
    staffMember(establishmentId: number, staffId: number) {
      return db
        .selectFrom('staff as st')
        .leftJoin('users as u', 'u.id', 'st.user_id')
        .select([
          'st.id',
          'st.first_name',
          'st.last_name',
          'st.email',
          'st.user_id',
          'u.email as user_email',
          'u.display_name as user_name',
        ])
        .where('st.establishment_id', '=', establishmentId)
        .where('st.id', '=', staffId)
        .executeTakeFirst()
    },
    /** The establishment's Key Workers (not left), by name. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('key_worker', '=', 1)
        .where('status', '!=', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },
    /** The staff records linked to a user in this establishment. */
    staffOfUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'email', 'first_name', 'last_name'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .execute()
    },
    userEmail(userId: number) {
      return db.selectFrom('users').select(['email', 'display_name']).where('id', '=', userId).executeTakeFirst()
    },
    ...qaSampleRepository(db),
    ...qaReviewRepository(db),
    ...qaCommendationRepository(db),
  }
}

export type QaRepository = ReturnType<typeof qaRepository>
