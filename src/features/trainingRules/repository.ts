import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, TrainingPolicyTable, TrainingSettingTable } from '../../platform/db/types'

type Db = Kysely<Database>

/** The national training policy (one row), each establishment's own settings, and who has done the initial course. */
export function trainingRulesRepository(db: Db) {
  return {
    policy(trx: Db = db) {
      return trx.selectFrom('training_policy').selectAll().where('id', '=', 1).executeTakeFirst()
    },

    async updatePolicy(trx: Db, values: Updateable<TrainingPolicyTable>) {
      await trx.updateTable('training_policy').set(values).where('id', '=', 1).execute()
    },

    async saveSettings(trx: Db, values: Insertable<TrainingSettingTable>) {
      const { establishment_id: _id, ...rest } = values
      void _id
      await trx
        .insertInto('training_settings')
        .values(values)
        .onConflict(oc => oc.column('establishment_id').doUpdateSet(rest))
        .execute()
    },

    settings(establishmentId: number, trx: Db = db) {
      return trx
        .selectFrom('training_settings')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
    },

    /** Staff of the establishment with a non-voided initial course not failed. One query. */
    async trainedStaffIds(establishmentId: number, trx: Db = db): Promise<Set<number>> {
      const rows = await trx
        .selectFrom('training_completions')
        .select('staff_id')
        .distinct()
        .where('establishment_id', '=', establishmentId)
        .where('kind', '=', 'initial')
        .where('outcome', '<>', 'failed')
        .where('voided_at', 'is', null)
        .execute()
      return new Set(rows.map(r => r.staff_id))
    },
  }
}
