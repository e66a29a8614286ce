import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { londonDayStart } from '../../domain/dates'

// The national overview's own reads: every establishment at once, each a grouped query (never one query an
// establishment). Read-only over other features' tables (establishments, staff, allocations, hubs, QA reviews), as
// the statistics and quality dashboards are; writes only the thresholds.

const n = (v: unknown) => Number(v ?? 0)

export function nationalRepository(db: Kysely<Database>, dialect: Dialect) {
  return {
    /** Every establishment (enabled or not) with its category, region and own settings, by name. */
    establishments: () => db.selectFrom('establishments').selectAll().orderBy('name').execute(),

    /**
     * Active Key Workers per establishment, grouped by what sets their capacity (weekly hours and any override), so
     * the capacity is summed by the same rule as allocation uses, over a few rows an establishment.
     */
    async keyWorkerGroups() {
      const rows = await db
        .selectFrom('staff')
        .select(eb => ['establishment_id', 'weekly_hours', 'capacity_override', eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'active')
        .where('key_worker', '=', 1)
        .groupBy(['establishment_id', 'weekly_hours', 'capacity_override'])
        .execute()
      return rows.map(r => ({
        establishmentId: r.establishment_id,
        weeklyHours: n(r.weekly_hours),
        override: r.capacity_override === null ? null : n(r.capacity_override),
        count: n(r.n),
      }))
    },

    /** Prisoners now allocated to a Key Worker, per establishment (the caseloads held). */
    async activeAllocations() {
      const rows = await db
        .selectFrom('allocations')
        .select(eb => ['establishment_id', eb.fn.countAll<number>().as('n')])
        .where('deallocated_at', 'is', null)
        .groupBy('establishment_id')
        .execute()
      return new Map(rows.map(r => [r.establishment_id, n(r.n)]))
    },

    /** Active hubs and their active private rooms, per establishment. */
    async hubs() {
      const r = await sql<{ establishment_id: number; hubs: unknown; private_rooms: unknown }>`
        select h.establishment_id, count(distinct h.id) as hubs,
          count(distinct case when r.active = 1 and r.is_private = 1 then r.id end) as private_rooms
        from hubs h left join hub_rooms r on r.hub_id = h.id and r.establishment_id = h.establishment_id
        where h.active = 1
        group by h.establishment_id`.execute(db)
      return new Map(r.rows.map(x => [n(x.establishment_id), { hubs: n(x.hubs), privateRooms: n(x.private_rooms) }]))
    },

    /**
     * QA reviews (not calibration marks) of entries with session dates from `from` to `to`, counted per
     * establishment and overall score (1–4): the histogram the quality dashboard's interval is worked out from. The
     * reviews are read first and each entry found by its id (as the quality dashboard does), so the millions of
     * entries are never scanned.
     */
    async reviewScores(from: string, to: string) {
      const entry =
        dialect === 'postgres'
          ? sql`join lateral (select s.status, s.session_date from key_work_sessions s where s.id = r.session_id
              offset 0) s on true`
          : sql`join key_work_sessions s on s.id = r.session_id`
      const r = await sql<{ establishment_id: number; overall_score: unknown; reviews: unknown }>`
        select r.establishment_id, r.overall_score, count(*) as reviews
        from qa_reviews r ${entry}
        where r.kind <> 'calibration' and r.submitted_at >= ${londonDayStart(from)}
          and s.status = 'submitted' and s.session_date >= ${from} and s.session_date <= ${to}
        group by r.establishment_id, r.overall_score`.execute(db)
      return r.rows.map(x => ({
        establishmentId: n(x.establishment_id),
        overall: n(x.overall_score),
        reviews: n(x.reviews),
      }))
    },

    /**
     * Spells of eligibility (custody_spells) live in the days, as the statistics count them: per establishment, how
     * many start on each day (a spell begun before the first day counts from it) and how many end on each day (a spell
     * is eligible from its from_date up to the day before its to_date).
     */
    async custodyEvents(from: string, to: string) {
      const later = dialect === 'postgres' ? sql`greatest(c.from_date, ${from})` : sql`max(c.from_date, ${from})`
      const r = await sql<{ kind: string; establishment_id: number; day: string; n: unknown }>`
        select 's' as kind, c.establishment_id, ${later} as day, count(*) as n
        from custody_spells c where c.from_date <= ${to} and (c.to_date is null or c.to_date > ${from})
        group by 1, 2, 3
        union all
        select 'e' as kind, c.establishment_id, c.to_date as day, count(*) as n
        from custody_spells c where c.to_date > ${from} and c.to_date <= ${to} and c.from_date <= ${to}
        group by 1, 2, 3`.execute(db)
      return r.rows.map(x => ({ kind: x.kind, establishmentId: n(x.establishment_id), day: x.day, n: n(x.n) }))
    },

    /** Sessions delivered per establishment and day from `from` to `to`, from the statistics' day aggregates. */
    async deliveredByDay(from: string, to: string) {
      const r = await sql<{ establishment_id: number; day: string; delivered: unknown }>`
        select establishment_id, day, delivered from stat_daily
        where day >= ${from} and day <= ${to} and delivered <> 0`.execute(db)
      return r.rows.map(x => ({ establishmentId: n(x.establishment_id), day: x.day, delivered: n(x.delivered) }))
    },

    /** The thresholds, one row a measure. */
    thresholds: () => db.selectFrom('national_thresholds').selectAll().execute(),

    /** Replaces one measure's threshold, in the caller's transaction. */
    async saveThreshold(
      trx: Kysely<Database>,
      measure: string,
      values: { green: number; amber: number; direction: string; updated_at: string; updated_by: string },
    ) {
      const r = await trx
        .updateTable('national_thresholds')
        .set(values)
        .where('measure', '=', measure)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0)
        await trx
          .insertInto('national_thresholds')
          .values({ measure, ...values })
          .execute()
    },
  }
}
