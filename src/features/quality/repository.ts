import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { addDays, londonDayStart } from '../../domain/dates'
import { PRECHECK_SCALE } from '../../domain/statistics'

// The quality dashboard's reads. Read-only over other features' tables (sessions, staff, units, prisoners) and the
// quality tables (reviews, scores, criteria, flags, commendations, supervisions, settings), as the statistics do
// (decision 013). Every query is scoped by the filter's establishment (null: every establishment, national).

/**
 * Which records count. establishmentId null: every establishment. unitIds: entries of prisoners in those units on
 * the session's day (a houseblock and the units inside it; Key Workers by their home unit). staffId: one officer.
 */
export interface QualityFilter {
  establishmentId: number | null
  unitIds?: number[]
  staffId?: number
}

/** A range of whole days, inclusive. */
export interface Days {
  from: string
  to: string
}

const n = (v: unknown) => Number(v ?? 0)

export function qualityRepository(db: Kysely<Database>, dialect: Dialect) {
  /** the unit prisoner p was in on a day: that of his last arrival or move on or before it, else his record's */
  const unitOn = (day: RawBuilder<unknown>) => sql`coalesce((select e.unit_id from custody_events e
      where e.prisoner_id = p.id and e.kind in ('reception', 'transfer_in', 'moved') and e.date <= ${day}
      order by e.date desc, e.id desc limit 1), p.unit_id)`
  const inList = (ids: number[]) => sql.join(ids.map(id => sql`${id}`))

  /** conditions on submitted sessions s (joined to prisoners p when a houseblock is asked for) */
  const sessionWhere = (f: QualityFilter, d: Days) =>
    sql.join(
      [
        sql`s.status = 'submitted'`,
        sql`s.session_date >= ${d.from} and s.session_date <= ${d.to}`,
        ...(f.establishmentId !== null ? [sql`s.establishment_id = ${f.establishmentId}`] : []),
        ...(f.staffId !== undefined ? [sql`s.staff_id = ${f.staffId}`] : []),
        ...(f.unitIds
          ? [f.unitIds.length ? sql`${unitOn(sql`s.session_date`)} in (${inList(f.unitIds)})` : sql`1 = 0`]
          : []),
      ],
      sql` and `,
    )
  const prisonerJoin = (f: QualityFilter) => (f.unitIds ? sql`join prisoners p on p.id = s.prisoner_id` : sql``)
  /**
   * conditions on records a (integrity flags fl, commendations c) of an entry: their establishment and officer, and
   * for a houseblock, entries of prisoners in its units on the entry's day
   */
  const entryScope = (a: 'fl' | 'c', f: QualityFilter) => {
    const t = sql.raw(a)
    return [
      ...(f.establishmentId !== null ? [sql`${t}.establishment_id = ${f.establishmentId}`] : []),
      ...(f.staffId !== undefined ? [sql`${t}.staff_id = ${f.staffId}`] : []),
      ...(f.unitIds
        ? [
            f.unitIds.length
              ? sql`${t}.session_id in (select s.id from key_work_sessions s join prisoners p on p.id = s.prisoner_id
                  where s.id = ${t}.session_id and ${unitOn(sql`s.session_date`)} in (${inList(f.unitIds)}))`
              : sql`1 = 0`,
          ]
        : []),
    ]
  }
  /** timestamps (UTC ISO text) on the London days of the range */
  const timeRange = (column: RawBuilder<unknown>, d: Days) =>
    sql`${column} >= ${londonDayStart(d.from)} and ${column} < ${londonDayStart(addDays(d.to, 1))}`

  /**
   * Reviews (not calibration marks) of the scope's entries of the days, each with its entry's date: the reviews are
   * read first (a few tens of thousands a year nationally) and each entry found by its id, so the millions of entries
   * are never scanned (a subquery the planner keeps as it is: PostgreSQL would otherwise hash the whole table).
   */
  const reviewedEntries = (f: QualityFilter, d: Days, columns: RawBuilder<unknown>) => {
    // SQLite joins by looking each entry up already; PostgreSQL is kept to it by a lateral subquery it cannot flatten
    const entry =
      dialect === 'postgres'
        ? sql`join lateral (select s.* from key_work_sessions s where s.id = r.session_id offset 0) s on true`
        : sql`join key_work_sessions s on s.id = r.session_id`
    return sql`(select ${columns}, s.session_date
      from qa_reviews r ${entry} ${prisonerJoin(f)}
      where r.kind <> 'calibration' and r.submitted_at >= ${londonDayStart(d.from)}
        ${f.establishmentId !== null ? sql`and r.establishment_id = ${f.establishmentId}` : sql``}
        and ${sessionWhere(f, d)})`
  }

  return {
    /**
     * Submitted entries per month of their session date, with the pre-check's count and sum. For every establishment
     * or one, from the statistics' day aggregates (stat_daily: a day's delivered and not delivered entries are its
     * submitted ones, by session date, and its pre-check count and sum in ten-thousandths, migration 025): a year is
     * at most 365 rows an establishment instead of millions of entries. A houseblock or an officer: from the entries.
     */
    async submittedByMonth(f: QualityFilter, d: Days) {
      if (!f.unitIds && f.staffId === undefined) {
        const r = await sql<{ month: string; entries: unknown; prechecked: unknown; precheck_sum: unknown }>`
          select substr(sd.day, 1, 7) as month, sum(sd.delivered + sd.not_delivered) as entries,
            sum(sd.precheck_n) as prechecked, sum(sd.precheck_sum) as precheck_sum
          from stat_daily sd
          where sd.day >= ${d.from} and sd.day <= ${d.to}
            ${f.establishmentId !== null ? sql`and sd.establishment_id = ${f.establishmentId}` : sql``}
          group by substr(sd.day, 1, 7)`.execute(db)
        return r.rows.map(x => ({
          month: x.month,
          entries: n(x.entries),
          prechecked: n(x.prechecked),
          precheckSum: n(x.precheck_sum) / PRECHECK_SCALE,
        }))
      }
      const r = await sql<{ month: string; entries: unknown; prechecked: unknown; precheck_sum: unknown }>`
        select substr(s.session_date, 1, 7) as month, count(*) as entries, count(s.precheck_score) as prechecked,
          sum(s.precheck_score) as precheck_sum
        from key_work_sessions s ${prisonerJoin(f)}
        where ${sessionWhere(f, d)}
        group by substr(s.session_date, 1, 7)`.execute(db)
      return r.rows.map(x => ({
        month: x.month,
        entries: n(x.entries),
        prechecked: n(x.prechecked),
        precheckSum: n(x.precheck_sum),
      }))
    },

    /**
     * Reviews (sampled or chosen, not calibration) of entries of the months, in one statement over one reading of
     * them: counted per month of the entry and overall score, with the entries reviewed (one review an entry outside
     * calibration, so the distinct entries of each score add up to the month's); and each criterion's mean score per
     * month (scores left blank do not count).
     */
    async reviewFigures(f: QualityFilter, d: Days) {
      const r = await sql<{
        part: string
        month: string
        overall: unknown
        code: string | null
        title: string | null
        a: unknown
        b: unknown
      }>`
        with rv as (
          select x.id, x.session_id, x.overall_score, substr(x.session_date, 1, 7) as month
          from ${reviewedEntries(f, d, sql`r.id, r.session_id, r.overall_score`)} x
        )
        select 'o' as part, rv.month, rv.overall_score as overall, null as code, null as title, count(*) as a,
          count(distinct rv.session_id) as b
        from rv group by rv.month, rv.overall_score
        union all
        select 'c' as part, rv.month, null as overall, c.code, max(c.title) as title, count(sc.score) as a,
          sum(sc.score) as b
        from rv join qa_review_scores sc on sc.review_id = rv.id join qa_criteria c on c.id = sc.criterion_id
        group by rv.month, c.code`.execute(db)
      const reviewed = new Map<string, number>()
      const scores: { month: string; overall: number; reviews: number }[] = []
      const criteria: { month: string; code: string; title: string; scores: number; total: number }[] = []
      for (const x of r.rows) {
        if (x.part === 'o') {
          scores.push({ month: x.month, overall: n(x.overall), reviews: n(x.a) })
          reviewed.set(x.month, (reviewed.get(x.month) ?? 0) + n(x.b))
        } else criteria.push({ month: x.month, code: x.code!, title: x.title!, scores: n(x.a), total: n(x.b) })
      }
      return { scores, reviewed: [...reviewed].map(([month, count]) => ({ month, reviewed: count })), criteria }
    },

    /** Integrity flags raised or resolved in the days (their timestamps), for counting per London month. */
    async flags(f: QualityFilter, d: Days) {
      const scoped = sql.join(
        [
          ...entryScope('fl', f),
          sql`(${timeRange(sql`fl.raised_at`, d)} or (fl.resolved_at is not null and ${timeRange(sql`fl.resolved_at`, d)}))`,
        ],
        sql` and `,
      )
      const r = await sql<{ raised_at: string; resolved_at: string | null }>`
        select fl.raised_at, fl.resolved_at from integrity_flags fl where ${scoped}`.execute(db)
      return r.rows
    },

    /** Commendations made in the days (a houseblock: those of entries of its prisoners). */
    async commendations(f: QualityFilter, d: Days) {
      const scoped = sql.join([...entryScope('c', f), timeRange(sql`c.created_at`, d)], sql` and `)
      const r = await sql<{ created_at: string }>`
        select c.created_at from qa_commendations c where ${scoped}`.execute(db)
      return r.rows.map(x => x.created_at)
    },

    /**
     * The Key Workers now in scope (holding a caseload, not inactive; a houseblock: by their home unit) with their
     * establishment's supervision interval (null: not set), and the supervisions held from `since` to the end.
     */
    async supervision(f: QualityFilter, since: string, to: string) {
      let q = db
        .selectFrom('staff as st')
        .leftJoin('qa_settings as qs', 'qs.establishment_id', 'st.establishment_id')
        .select(['st.id', 'st.establishment_id', 'qs.supervision_weeks'])
        .where('st.key_worker', '=', 1)
        .where('st.status', '<>', 'inactive')
      if (f.establishmentId !== null) q = q.where('st.establishment_id', '=', f.establishmentId)
      if (f.staffId !== undefined) q = q.where('st.id', '=', f.staffId)
      if (f.unitIds) q = f.unitIds.length ? q.where('st.home_unit_id', 'in', f.unitIds) : q.where(sql<boolean>`1 = 0`)
      let sv = db
        .selectFrom('supervisions')
        .select(['staff_id', 'held_on'])
        .where('held_on', '>=', since)
        .where('held_on', '<=', to)
      if (f.establishmentId !== null) sv = sv.where('establishment_id', '=', f.establishmentId)
      if (f.staffId !== undefined) sv = sv.where('staff_id', '=', f.staffId)
      const [keyWorkers, held] = await Promise.all([q.execute(), sv.execute()])
      return {
        keyWorkers: keyWorkers.map(k => ({
          id: n(k.id),
          establishmentId: n(k.establishment_id),
          weeks: k.supervision_weeks === null ? null : n(k.supervision_weeks),
        })),
        held: held.map(h => ({ staffId: n(h.staff_id), heldOn: h.held_on })),
      }
    },

    /** The establishments, for the national team's choice. */
    establishments() {
      return db.selectFrom('establishments').select(['id', 'code', 'name']).orderBy('name').execute()
    },
  }
}

export type QualityRepository = ReturnType<typeof qualityRepository>
