import { type Kysely, sql } from 'kysely'
import type { Database } from '../../platform/db/types'

const n = (v: unknown) => Number(v ?? 0)

/**
 * Every query of the trials. Trials are national (no establishment of their own); the panel reads every
 * establishment's figures at once, grouped by establishment and month (never one query an establishment).
 */
export function trialsRepository(db: Kysely<Database>) {
  return {
    async list() {
      return db
        .selectFrom('trials as t')
        .leftJoin('trial_adoptions as a', 'a.trial_id', 't.id')
        .select(['t.id', 't.name', 't.kind', 't.version', 't.updated_at', 't.updated_by'])
        .select(eb => [eb.fn.count<number>('a.establishment_id').as('adopters'), eb.fn.min('a.start_date').as('first')])
        .groupBy(['t.id', 't.name', 't.kind', 't.version', 't.updated_at', 't.updated_by'])
        .orderBy('t.updated_at', 'desc')
        .orderBy('t.id', 'desc')
        .execute()
    },

    async trial(id: number, trx: Kysely<Database> = db) {
      const trial = await trx.selectFrom('trials').selectAll().where('id', '=', id).executeTakeFirst()
      if (!trial) return null
      const [adoptions, comparisons, outcomes] = await Promise.all([
        trx
          .selectFrom('trial_adoptions')
          .select(['establishment_id', 'start_date'])
          .where('trial_id', '=', id)
          .orderBy('start_date')
          .orderBy('establishment_id')
          .execute(),
        trx
          .selectFrom('trial_comparisons')
          .select('establishment_id')
          .where('trial_id', '=', id)
          .orderBy('establishment_id')
          .execute(),
        trx.selectFrom('trial_outcomes').select('measure').where('trial_id', '=', id).orderBy('position').execute(),
      ])
      return {
        trial,
        adoptions: adoptions.map(a => ({ establishmentId: a.establishment_id, startDate: a.start_date })),
        comparisons: comparisons.map(c => c.establishment_id),
        outcomes: outcomes.map(o => o.measure),
      }
    },

    async insertTrial(
      trx: Kysely<Database>,
      row: { name: string; kind: string; description: string; at: string; by: string },
    ) {
      const r = await trx
        .insertInto('trials')
        .values({
          name: row.name,
          kind: row.kind,
          description: row.description,
          version: 1,
          created_at: row.at,
          created_by: row.by,
          updated_at: row.at,
          updated_by: row.by,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return r.id
    },

    async updateTrial(
      trx: Kysely<Database>,
      id: number,
      row: { name: string; kind: string; description: string; version: number; at: string; by: string },
    ) {
      await trx
        .updateTable('trials')
        .set({
          name: row.name,
          kind: row.kind,
          description: row.description,
          version: row.version,
          updated_at: row.at,
          updated_by: row.by,
        })
        .where('id', '=', id)
        .execute()
    },

    /** Replaces the trial's adoptions, comparisons and outcomes with those given. */
    async replaceParts(
      trx: Kysely<Database>,
      id: number,
      parts: { adoptions: { establishmentId: number; startDate: string }[]; comparisons: number[]; outcomes: string[] },
    ) {
      await trx.deleteFrom('trial_adoptions').where('trial_id', '=', id).execute()
      await trx.deleteFrom('trial_comparisons').where('trial_id', '=', id).execute()
      await trx.deleteFrom('trial_outcomes').where('trial_id', '=', id).execute()
      if (parts.adoptions.length)
        await trx
          .insertInto('trial_adoptions')
          .values(
            parts.adoptions.map(a => ({ trial_id: id, establishment_id: a.establishmentId, start_date: a.startDate })),
          )
          .execute()
      if (parts.comparisons.length)
        await trx
          .insertInto('trial_comparisons')
          .values(parts.comparisons.map(e => ({ trial_id: id, establishment_id: e })))
          .execute()
      if (parts.outcomes.length)
        await trx
          .insertInto('trial_outcomes')
          .values(parts.outcomes.map((m, i) => ({ trial_id: id, measure: m, position: i })))
          .execute()
    },

    async insertRevision(
      trx: Kysely<Database>,
      row: { trialId: number; version: number; snapshot: string; at: string; by: string },
    ) {
      await trx
        .insertInto('trial_revisions')
        .values({
          trial_id: row.trialId,
          version: row.version,
          snapshot: row.snapshot,
          changed_at: row.at,
          changed_by: row.by,
        })
        .execute()
    },

    revisions: (trialId: number) =>
      db
        .selectFrom('trial_revisions')
        .select(['version', 'snapshot', 'changed_at', 'changed_by'])
        .where('trial_id', '=', trialId)
        .orderBy('version', 'desc')
        .execute(),

    // ---- the monthly panel (from and to: ISO days of the window) ----

    /** Delivered sessions and the days between sessions, per establishment and month, from the day aggregates. */
    async dailyByMonth(from: string, to: string) {
      const r = await sql<{
        establishment_id: number
        month: string
        delivered: unknown
        gap_days: unknown
        gap_count: unknown
      }>`
        select sd.establishment_id, substr(sd.day, 1, 7) as month, sum(sd.delivered) as delivered,
          sum(sd.gap_days) as gap_days, sum(sd.gap_count) as gap_count
        from stat_daily sd where sd.day >= ${from} and sd.day <= ${to}
        group by sd.establishment_id, substr(sd.day, 1, 7)`.execute(db)
      return r.rows.map(x => ({
        establishmentId: n(x.establishment_id),
        month: x.month,
        delivered: n(x.delivered),
        gapDays: n(x.gap_days),
        gapCount: n(x.gap_count),
      }))
    },

    /** Spells of eligibility that overlap the window (to_date excluded), for eligible prisoner-days per month. */
    spells: (from: string, to: string) =>
      db
        .selectFrom('custody_spells')
        .select(['establishment_id', 'from_date', 'to_date'])
        .where('from_date', '<=', to)
        .where(eb => eb.or([eb('to_date', 'is', null), eb('to_date', '>', from)]))
        .execute(),

    /** Eligible prisoners on the day and how many had a delivered session in the 28 days up to it, per establishment. */
    async seenOn(day: string, from28: string) {
      const r = await sql<{ establishment_id: number; eligible: unknown; seen: unknown }>`
        select c.establishment_id, count(*) as eligible, sum(case when x.prisoner_id is null then 0 else 1 end) as seen
        from custody_spells c
        left join (
          select distinct s.prisoner_id, s.establishment_id from key_work_sessions s
          where s.status = 'submitted' and s.outcome = 'delivered' and s.session_date >= ${from28}
            and s.session_date <= ${day}
        ) x on x.prisoner_id = c.prisoner_id and x.establishment_id = c.establishment_id
        where c.from_date <= ${day} and (c.to_date is null or c.to_date > ${day})
        group by c.establishment_id`.execute(db)
      return r.rows.map(x => ({ establishmentId: n(x.establishment_id), eligible: n(x.eligible), seen: n(x.seen) }))
    },

    /** QA reviews (not calibration) per establishment and month of the reviewed entry: count and sum of scores. */
    async qaByMonth(from: string, to: string) {
      const r = await sql<{ establishment_id: number; month: string; reviews: unknown; total: unknown }>`
        select r.establishment_id, substr(s.session_date, 1, 7) as month, count(*) as reviews,
          sum(r.overall_score) as total
        from qa_reviews r join key_work_sessions s on s.id = r.session_id
        where r.kind <> 'calibration' and s.session_date >= ${from} and s.session_date <= ${to}
        group by r.establishment_id, substr(s.session_date, 1, 7)`.execute(db)
      return r.rows.map(x => ({
        establishmentId: n(x.establishment_id),
        month: x.month,
        reviews: n(x.reviews),
        total: n(x.total),
      }))
    },

    /** Imported counts of a measure in the months. */
    counts: (measure: string, fromMonth: string, toMonth: string) =>
      db
        .selectFrom('trial_outcome_counts')
        .select(['establishment_id', 'month', 'count', 'population'])
        .where('measure', '=', measure)
        .where('month', '>=', fromMonth)
        .where('month', '<=', toMonth)
        .execute(),

    // ---- imported counts ----

    async existingKeys(trx: Kysely<Database>, keys: { establishmentId: number; month: string; measure: string }[]) {
      const months = [...new Set(keys.map(k => k.month))]
      if (months.length === 0) return new Set<string>()
      const rows = await trx
        .selectFrom('trial_outcome_counts')
        .select(['establishment_id', 'month', 'measure'])
        .where('month', 'in', months)
        .execute()
      return new Set(rows.map(r => `${r.establishment_id}|${r.month}|${r.measure}`))
    },

    async replaceCount(
      trx: Kysely<Database>,
      row: {
        establishmentId: number
        month: string
        measure: string
        count: number
        population: number | null
        at: string
        by: string
      },
    ) {
      await trx
        .deleteFrom('trial_outcome_counts')
        .where('establishment_id', '=', row.establishmentId)
        .where('month', '=', row.month)
        .where('measure', '=', row.measure)
        .execute()
      await trx
        .insertInto('trial_outcome_counts')
        .values({
          establishment_id: row.establishmentId,
          month: row.month,
          measure: row.measure,
          count: row.count,
          population: row.population,
          imported_at: row.at,
          imported_by: row.by,
        })
        .execute()
    },

    async insertImport(
      trx: Kysely<Database>,
      row: { fileName: string; added: number; replaced: number; at: string; by: string },
    ) {
      const r = await trx
        .insertInto('trial_outcome_imports')
        .values({
          file_name: row.fileName,
          rows_added: row.added,
          rows_replaced: row.replaced,
          imported_at: row.at,
          imported_by: row.by,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return r.id
    },

    /** What has been imported, per measure: establishments, months, the first and last month. */
    async countSummary() {
      const r = await db
        .selectFrom('trial_outcome_counts')
        .select('measure')
        .select(eb => [
          eb.fn.count<number>('id').as('rows'),
          eb.fn.count<number>('establishment_id').distinct().as('establishments'),
          eb.fn.min('month').as('first'),
          eb.fn.max('month').as('last'),
          eb.fn.sum<number>('count').as('total'),
        ])
        .groupBy('measure')
        .orderBy('measure')
        .execute()
      return r.map(x => ({ ...x, rows: n(x.rows), establishments: n(x.establishments), total: n(x.total) }))
    },

    imports: () =>
      db
        .selectFrom('trial_outcome_imports')
        .selectAll()
        .orderBy('imported_at', 'desc')
        .orderBy('id', 'desc')
        .limit(20)
        .execute(),

    /** Changes in the counts or the keywork figures: a cheap fingerprint to keep a cached estimate honest. */
    async countsFingerprint() {
      const r = await db
        .selectFrom('trial_outcome_imports')
        .select(eb => eb.fn.max('id').as('last'))
        .executeTakeFirst()
      return n(r?.last)
    },
  }
}
