import type { Insertable, Kysely } from 'kysely'
import type { Database, QaSampleTable, QaSettingTable } from '../../platform/db/types'
import { ENTRY_COLUMNS } from './columns'

/**
 * The QA settings, the national bounds of the sample, and the monthly sample and queue (qa_settings, qa_samples, the
 * QA columns of national_policy). Reads submitted entries to sample them. Every query is scoped by establishment.
 */
export function qaSampleRepository(db: Kysely<Database>) {
  return {
    policy(trx: Kysely<Database> = db) {
      return trx
        .selectFrom('national_policy')
        .select(['qa_sample_default', 'qa_sample_min', 'qa_sample_max'])
        .where('id', '=', 1)
        .executeTakeFirst()
    },
    async updatePolicy(
      trx: Kysely<Database>,
      values: { qa_sample_default: number; qa_sample_min: number; qa_sample_max: number },
    ) {
      await trx
        .updateTable('national_policy')
        .set({ ...values, updated_at: new Date().toISOString() })
        .where('id', '=', 1)
        .execute()
    },
    settings(establishmentId: number, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_settings')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
    },
    async saveSettings(trx: Kysely<Database>, row: QaSettingTable) {
      const { establishment_id: _id, ...rest } = row
      await trx
        .insertInto('qa_settings')
        .values(row)
        .onConflict(oc => oc.column('establishment_id').doUpdateSet(rest))
        .execute()
    },

    /**
     * The submitted entries of a month (session dates from `from` to before `until`) not sampled yet and not reviewed
     * yet (outside calibration), with what the risk reasons need.
     */
    candidates(establishmentId: number, from: string, until: string, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('key_work_sessions as s')
        .innerJoin('staff as st', 'st.id', 's.staff_id')
        .select([
          's.id',
          's.staff_id',
          's.author_user_id',
          's.session_date',
          's.precheck_score',
          's.concern',
          'st.started_in_post',
        ])
        .where('s.establishment_id', '=', establishmentId)
        .where('s.status', '=', 'submitted')
        .where('s.session_date', '>=', from)
        .where('s.session_date', '<', until)
        .where(eb =>
          eb.not(eb.exists(eb.selectFrom('qa_samples as q').select('q.id').whereRef('q.session_id', '=', 's.id'))),
        )
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('qa_reviews as r')
                .select('r.id')
                .whereRef('r.session_id', '=', 's.id')
                .where('r.kind', '!=', 'calibration'),
            ),
          ),
        )
        .orderBy('s.id')
        .execute()
    },
    /** How many entries of each officer were already picked at random for the month. */
    async randomCounts(establishmentId: number, month: string, trx: Kysely<Database> = db) {
      const rows = await trx
        .selectFrom('qa_samples')
        .select(['staff_id', eb => eb.fn.countAll<number>().as('n')])
        .where('establishment_id', '=', establishmentId)
        .where('month', '=', month)
        .where('random', '=', 1)
        .groupBy('staff_id')
        .execute()
      return new Map(rows.map(r => [r.staff_id, Number(r.n)]))
    },
    /** Adds a sampled entry unless it is sampled already (the unique session_id); whether it was added. */
    async insertSample(trx: Kysely<Database>, row: Insertable<QaSampleTable>) {
      const r = await trx
        .insertInto('qa_samples')
        .values(row)
        .onConflict(oc => oc.column('session_id').doNothing())
        .returning('id')
        .executeTakeFirst()
      return r?.id ?? null
    },
    samplesOfMonth(establishmentId: number, month: string) {
      return db
        .selectFrom('qa_samples')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('month', '=', month)
        .orderBy('session_id')
        .execute()
    },
    /** The sampled entries still to review, oldest due first. */
    queue(establishmentId: number) {
      return (
        db
          .selectFrom('qa_samples as q')
          .innerJoin('key_work_sessions as s', 's.id', 'q.session_id')
          .innerJoin('prisoners as p', 'p.id', 's.prisoner_id')
          .leftJoin('staff as st', 'st.id', 'q.staff_id')
          .select([
            'q.id',
            'q.session_id',
            'q.month',
            'q.random',
            'q.risk',
            'q.due_on',
            'q.sampled_at',
            'q.status',
            ...ENTRY_COLUMNS,
            'st.user_id as staff_user_id',
          ])
          .where('q.establishment_id', '=', establishmentId)
          .where('q.status', '=', 'due')
          // an entry deleted since it was sampled has nothing left to review
          .where('s.status', '=', 'submitted')
          .orderBy('q.due_on')
          .orderBy('q.id')
          .execute()
      )
    },
    /** A sample of the establishment, by its id or by its entry's. */
    sample(establishmentId: number, by: { id: number } | { sessionId: number }, trx: Kysely<Database> = db) {
      return trx
        .selectFrom('qa_samples')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('id' in by ? 'id' : 'session_id', '=', 'id' in by ? by.id : by.sessionId)
        .executeTakeFirst()
    },
    async markSampleReviewed(trx: Kysely<Database>, id: number) {
      await trx.updateTable('qa_samples').set({ status: 'reviewed' }).where('id', '=', id).execute()
    },
  }
}
