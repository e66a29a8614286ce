import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Database, HmppsEventTable, HmppsSyncRunTable } from '../../platform/db/types'

// prison numbers per statement: well under either engine's limit on bound parameters
const CHUNK = 500

/** The queries of the HMPPS adapters: their runs and events, and what they read of prisoner records. */
export function hmppsSyncRepository(db: Kysely<Database>) {
  return {
    async startRun(values: Insertable<HmppsSyncRunTable>) {
      const r = await db.insertInto('hmpps_sync_runs').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    async finishRun(trx: Kysely<Database>, id: number, values: Updateable<HmppsSyncRunTable>) {
      await trx.updateTable('hmpps_sync_runs').set(values).where('id', '=', id).execute()
    },

    /** The establishment's records of men (all of them), as the roll sync compares them. */
    recordsAt(trx: Kysely<Database>, establishmentId: number) {
      return trx.selectFrom('prisoners').selectAll().where('establishment_id', '=', establishmentId).execute()
    },

    /** His record at one establishment. */
    recordAt(trx: Kysely<Database>, establishmentId: number, prisonNumber: string) {
      return trx
        .selectFrom('prisoners')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .where('prison_number', '=', prisonNumber)
        .executeTakeFirst()
    },

    /** Of these men, the records that hold them in custody at another establishment than this one (null: any). */
    async inCustodyElsewhere(trx: Kysely<Database>, establishmentId: number | null, prisonNumbers: readonly string[]) {
      const rows = []
      for (let i = 0; i < prisonNumbers.length; i += CHUNK)
        rows.push(
          ...(await trx
            .selectFrom('prisoners')
            .selectAll()
            .where('prison_number', 'in', prisonNumbers.slice(i, i + CHUNK))
            .where('status', '=', 'in')
            .$if(establishmentId !== null, q => q.where('establishment_id', '<>', establishmentId!))
            .execute()),
        )
      return rows
    },

    /** Records the event once: false when its key was taken already (a redelivery), and nothing is written. */
    async takeEvent(trx: Kysely<Database>, values: Insertable<HmppsEventTable>) {
      const r = await trx
        .insertInto('hmpps_events')
        .values(values)
        .onConflict(oc => oc.column('event_key').doNothing())
        .executeTakeFirst()
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
    },

    eventByKey(key: string) {
      return db.selectFrom('hmpps_events').selectAll().where('event_key', '=', key).executeTakeFirst()
    },

    /** The latest runs and events: of one establishment, or (null) of all, with the establishment's code. */
    async recent(establishmentId: number | null, runs: number, events: number) {
      const [runRows, eventRows] = await Promise.all([
        db
          .selectFrom('hmpps_sync_runs')
          .innerJoin('establishments', 'establishments.id', 'hmpps_sync_runs.establishment_id')
          .selectAll('hmpps_sync_runs')
          .select('establishments.code as establishment_code')
          .$if(establishmentId !== null, q => q.where('hmpps_sync_runs.establishment_id', '=', establishmentId!))
          .orderBy('hmpps_sync_runs.id', 'desc')
          .limit(runs)
          .execute(),
        db
          .selectFrom('hmpps_events')
          .selectAll()
          .$if(establishmentId !== null, q => q.where('establishment_id', '=', establishmentId!))
          .orderBy('id', 'desc')
          .limit(events)
          .execute(),
      ])
      return { runs: runRows, events: eventRows }
    },
  }
}
