import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import type { TrainingRules } from '../../domain/training'
import { type TrainingTally, emptyTally } from '../../domain/trainingDashboard'

// The training dashboard's reads. Read-only over other features' tables (staff, the training records, the journal,
// courses and enrolments, QA reviews and entries), as the statistics and the quality dashboard do (decision 013).
// Every query is scoped by the establishment asked for (null: every establishment, national).

const n = (v: unknown) => Number(v ?? 0)

/** One Key Worker's training facts, aggregated in SQL: the domain's date rules are applied to them in the service. */
export interface OfficerFacts {
  id: number
  establishmentId: number
  staffNumber: string
  firstName: string
  lastName: string
  startedInPost: string | null
  /** the first and the latest valid initial course (not voided, not failed) */
  firstInitial: string | null
  lastInitial: string | null
  /** the latest valid top-up */
  lastTopup: string | null
  /** hours of valid completions from `from` to `to` */
  hours: number
  /** reflective journal minutes written from `from` to `to` */
  minutes: number
}

export interface CourseRow {
  id: number
  establishmentId: number | null
  region: string | null
  title: string
  code: string
  firstDay: string | null
  lastDay: string | null
  capacity: number
  enrolled: number
  waiting: number
}

/** An officer's QA reviews on each side of their initial course: count and sum of overall scores. */
export interface SideRow {
  staffId: number
  side: 'before' | 'after'
  reviews: number
  sum: number
}

/** A valid completion: not voided and not failed (a failed course never counts as done). */
const VALID = sql`c.voided_at is null and c.outcome <> 'failed'`

/**
 * The Key Workers of the scope (holding a caseload, not inactive: kw) with their valid completions grouped per officer
 * (c: the first and latest initial course, the latest top-up, the hours from `from` to `to`) and their journal minutes
 * written from `from` to `to` (j), so the five years of records are never read into JS.
 */
function factsCtes(establishmentId: number | null, from: string, to: string) {
  const inScope = (alias: string) =>
    establishmentId === null ? sql`` : sql`and ${sql.ref(`${alias}.establishment_id`)} = ${establishmentId}`
  return sql`kw as (
      select st.id, st.establishment_id, st.staff_number, st.first_name, st.last_name, st.started_in_post
      from staff st
      where st.key_worker = 1 and st.status <> 'inactive' ${inScope('st')}
    ),
    c as (
      select c.staff_id,
        min(case when c.kind = 'initial' then c.completed_on end) as first_initial,
        max(case when c.kind = 'initial' then c.completed_on end) as last_initial,
        max(case when c.kind = 'topup' then c.completed_on end) as last_topup,
        sum(case when c.completed_on >= ${from} and c.completed_on <= ${to} then cast(c.hours as numeric) else 0 end)
          as hours
      from training_completions c
      where ${VALID} ${inScope('c')}
      group by c.staff_id
    ),
    j as (
      select j.staff_id, sum(j.minutes) as minutes
      from reflective_entries j
      where j.written_on >= ${from} and j.written_on <= ${to} ${inScope('j')}
      group by j.staff_id
    )`
}

export function trainingDashboardRepository(db: Kysely<Database>, dialect: Dialect) {
  return {
    /** The establishments, for the national team's choice and the by-establishment table. */
    establishments() {
      return db.selectFrom('establishments').select(['id', 'code', 'name', 'region']).orderBy('name').execute()
    },

    /** Every establishment's own training settings (null columns use the national default), for the national view. */
    localSettings() {
      return db
        .selectFrom('training_settings')
        .select(['establishment_id', 'window_from_months', 'window_to_months', 'topup_months', 'cpd_hours'])
        .execute()
    },

    /**
     * Every Key Worker of the scope (holding a caseload, not inactive) with their training facts, in one statement:
     * the completions and the journal are grouped per officer in SQL (the first and latest initial course, the
     * latest top-up, hours and minutes from `from` to `to`), so the five years of records are never read into JS.
     */
    async officerFacts(establishmentId: number | null, from: string, to: string): Promise<OfficerFacts[]> {
      const r = await sql<{
        id: number
        establishment_id: number
        staff_number: string
        first_name: string
        last_name: string
        started_in_post: string | null
        first_initial: string | null
        last_initial: string | null
        last_topup: string | null
        hours: unknown
        minutes: unknown
      }>`
        with ${factsCtes(establishmentId, from, to)}
        select kw.id, kw.establishment_id, kw.staff_number, kw.first_name, kw.last_name, kw.started_in_post,
          c.first_initial, c.last_initial, c.last_topup, c.hours, j.minutes
        from kw left join c on c.staff_id = kw.id left join j on j.staff_id = kw.id`.execute(db)
      return r.rows.map(x => ({
        id: n(x.id),
        establishmentId: n(x.establishment_id),
        staffNumber: x.staff_number,
        firstName: x.first_name,
        lastName: x.last_name,
        startedInPost: x.started_in_post,
        firstInitial: x.first_initial,
        lastInitial: x.last_initial,
        lastTopup: x.last_topup,
        hours: n(x.hours),
        minutes: n(x.minutes),
      }))
    },

    /**
     * PostgreSQL, every establishment: each Key Worker's facts (the first initial course, the latest initial course or
     * top-up, the hours of the year with the journal's minutes), the domain's date rules (src/domain/training.ts
     * trainingStatus) applied to each officer in SQL, and the officers counted per establishment, so 22,000 officers
     * travel as 120 rows. PostgreSQL's date + interval 'n months' clamps to the month's last day as addMonthsIso
     * does; hours are rounded to hundredths as the domain rounds them (in double precision: numeric would cost more
     * than all the rest). The rules come from the caller, one row an establishment. The tests check these counts
     * against each establishment's own view, counted officer by officer.
     */
    async tallies(
      rules: readonly { establishmentId: number; rules: TrainingRules }[],
      today: string,
      from: string,
    ): Promise<Map<number, TrainingTally>> {
      if (dialect !== 'postgres') throw new Error('tallies are counted in SQL on PostgreSQL only')
      const valid = sql`c.voided_at is null and c.outcome <> 'failed'`
      const ruleRows = sql`r (establishment_id, wf, wt, tm, cpd) as (
          select * from unnest(${rules.map(x => x.establishmentId)}::integer[],
            ${rules.map(x => x.rules.windowFromMonths)}::integer[], ${rules.map(x => x.rules.windowToMonths)}::integer[],
            ${rules.map(x => x.rules.topupMonths)}::integer[], ${rules.map(x => x.rules.cpdHours)}::float8[])
        ),
        kw as (
          select st.id, st.establishment_id, st.started_in_post from staff st
          where st.key_worker = 1 and st.status <> 'inactive'
        )`
      // The initial course and top-ups, and the CPD hours, depend on different records: two statements, each run
      // while the other is, without parallel workers (which would each build the same hash tables).
      const alone = <T>(query: RawBuilder<T>) =>
        db.transaction().execute(async trx => {
          await sql`set local max_parallel_workers_per_gather = 0`.execute(trx)
          return (await query.execute(trx)).rows
        })
      const [courses, cpd] = await Promise.all([
        alone(sql<Record<string, unknown> & { establishment_id: number }>`
          with ${ruleRows},
          ck as (
            select c.staff_id, min(c.completed_on) filter (where c.kind = 'initial') as first_initial,
              max(c.completed_on) as basis
            from training_completions c where c.kind in ('initial', 'topup') and ${valid}
            group by c.staff_id
          ),
          o as (
            select kw.establishment_id,
              case when ck.first_initial is not null then 'done'
                when kw.started_in_post is null then 'no_start_date'
                when ${today}::date < (kw.started_in_post::date + make_interval(months => r.wf))::date then 'not_yet_due'
                when ${today}::date <= (kw.started_in_post::date + make_interval(months => r.wt))::date then 'in_window'
                else 'overdue' end as initial,
              case when ck.first_initial is null then null
                else (ck.basis::date + make_interval(months => r.tm))::date end as due
            from kw join r on r.establishment_id = kw.establishment_id left join ck on ck.staff_id = kw.id
          )
          select o.establishment_id, count(*) as key_workers,
            count(*) filter (where o.initial = 'done') as done,
            count(*) filter (where o.initial = 'in_window') as in_window,
            count(*) filter (where o.initial = 'not_yet_due') as not_yet_due,
            count(*) filter (where o.initial = 'overdue') as overdue,
            count(*) filter (where o.initial = 'no_start_date') as no_start_date,
            count(*) filter (where o.due is not null and ${today}::date < o.due - 30) as current,
            count(*) filter (where o.due is not null and ${today}::date >= o.due - 30 and ${today}::date <= o.due)
              as expiring,
            count(*) filter (where o.due is not null and ${today}::date > o.due) as expired
          from o group by o.establishment_id`),
        alone(sql<Record<string, unknown> & { establishment_id: number }>`
          with ${ruleRows},
          h as (
            select c.staff_id, sum(c.hours::float8) as hours from training_completions c
            where c.completed_on >= ${from} and c.completed_on <= ${today} and ${valid}
            group by c.staff_id
          ),
          j as (
            select j.staff_id, sum(j.minutes) as minutes from reflective_entries j
            where j.written_on >= ${from} and j.written_on <= ${today}
            group by j.staff_id
          ),
          o as (
            select kw.establishment_id, r.cpd,
              round((coalesce(h.hours, 0) + coalesce(j.minutes, 0) / 60.0::float8) * 100) / 100 as hours
            from kw join r on r.establishment_id = kw.establishment_id
              left join h on h.staff_id = kw.id left join j on j.staff_id = kw.id
          )
          select o.establishment_id,
            count(*) filter (where o.hours <= 0 and o.hours < o.cpd) as cpd_none,
            count(*) filter (where o.hours > 0 and o.hours * 2 < o.cpd) as cpd_under_half,
            count(*) filter (where o.hours > 0 and o.hours * 2 >= o.cpd and o.hours < o.cpd) as cpd_half,
            count(*) filter (where o.hours >= o.cpd) as cpd_met,
            sum(o.hours) as cpd_hours
          from o group by o.establishment_id`),
      ])
      const hours = new Map(cpd.map(x => [n(x.establishment_id), x]))
      return new Map(
        courses.map(x => {
          const y: Record<string, unknown> = hours.get(n(x.establishment_id)) ?? {}
          const t = emptyTally()
          t.keyWorkers = n(x.key_workers)
          t.initial = {
            done: n(x.done),
            in_window: n(x.in_window),
            not_yet_due: n(x.not_yet_due),
            overdue: n(x.overdue),
            no_start_date: n(x.no_start_date),
          }
          t.trained = n(x.done)
          t.topup = { current: n(x.current), expiring: n(x.expiring), expired: n(x.expired) }
          t.cpd = { none: n(y.cpd_none), under_half: n(y.cpd_under_half), half: n(y.cpd_half), met: n(y.cpd_met) }
          t.cpdMet = t.cpd.met
          t.cpdHours = n(y.cpd_hours)
          return [n(x.establishment_id), t]
        }),
      )
    },

    /**
     * Courses not cancelled whose first day falls from `from` to `to`: the establishment's own and the regional
     * courses of `region` (national: every course), each with its places taken (enrolled, then completed or not)
     * and, while it has not yet run, its waiting list (counted course by course through the enrolments' index, so
     * the enrolments of other years are not read).
     */
    async courses(
      scope: { establishmentId: number; region: string | null } | null,
      from: string,
      to: string,
      today: string,
    ): Promise<CourseRow[]> {
      const where =
        scope === null
          ? sql``
          : scope.region
            ? sql`and (tc.establishment_id = ${scope.establishmentId} or tc.region = ${scope.region})`
            : sql`and tc.establishment_id = ${scope.establishmentId}`
      const r = await sql<{
        id: number
        establishment_id: number | null
        region: string | null
        title: string
        code: string
        first_day: string | null
        last_day: string | null
        capacity: number
        enrolled: unknown
        waiting: unknown
      }>`
        with d as (
          select course_id, min(day) as first_day, max(day) as last_day from training_course_days group by course_id
        ),
        cs as (
          select tc.id, tc.establishment_id, tc.region, tc.module_id, tc.capacity, d.first_day, d.last_day
          from training_courses tc join d on d.course_id = tc.id
          where tc.status <> 'cancelled' and d.first_day >= ${from} and d.first_day <= ${to} ${where}
        )
        select cs.id, cs.establishment_id, cs.region, m.title, m.code, cs.first_day, cs.last_day, cs.capacity,
          (select count(*) from training_enrolments e where e.course_id = cs.id
            and e.status in ('enrolled', 'completed', 'not_completed')) as enrolled,
          case when cs.last_day >= ${today}
            then (select count(*) from training_enrolments e where e.course_id = cs.id and e.status = 'waiting')
            else 0 end as waiting
        from cs join training_modules m on m.id = cs.module_id
        order by cs.first_day, cs.id`.execute(db)
      return r.rows.map(x => ({
        id: n(x.id),
        establishmentId: x.establishment_id === null ? null : n(x.establishment_id),
        region: x.region,
        title: x.title,
        code: x.code,
        firstDay: x.first_day,
        lastDay: x.last_day,
        capacity: n(x.capacity),
        enrolled: n(x.enrolled),
        waiting: n(x.waiting),
      }))
    },

    /** Staff of the scope whose first valid initial course was completed from `from` to `to` (retakes aside). */
    async initialCompletedIn(establishmentId: number | null, from: string, to: string) {
      const r = await sql<{ staff_id: number; completed_on: string }>`
        select c.staff_id, min(c.completed_on) as completed_on
        from training_completions c
        where ${VALID} and c.kind = 'initial' and c.completed_on <= ${to}
          ${establishmentId === null ? sql`` : sql`and c.establishment_id = ${establishmentId}`}
        group by c.staff_id
        having min(c.completed_on) >= ${from}`.execute(db)
      return r.rows.map(x => ({ staffId: n(x.staff_id), completedOn: x.completed_on }))
    },

    /**
     * QA reviews (sampled or chosen, not calibration marks) of each officer's submitted entries, counted and summed
     * on each side of their course: `before` from `lo` to the day before `on`, `after` from the day after `on` to
     * `hi` (the officers travel as one JSON text or arrays, so no statement is built officer by officer).
     */
    async reviewsAround(
      officers: readonly { staffId: number; lo: string; on: string; hi: string }[],
    ): Promise<SideRow[]> {
      if (!officers.length) return []
      const o =
        dialect === 'postgres'
          ? sql`select * from unnest(${officers.map(x => x.staffId)}::integer[], ${officers.map(x => x.lo)}::text[],
              ${officers.map(x => x.on)}::text[], ${officers.map(x => x.hi)}::text[]) as o(staff_id, lo, c, hi)`
          : sql`select json_extract(value, '$[0]') as staff_id, json_extract(value, '$[1]') as lo,
              json_extract(value, '$[2]') as c, json_extract(value, '$[3]') as hi
              from json_each(${JSON.stringify(officers.map(x => [x.staffId, x.lo, x.on, x.hi]))})`
      const r = await sql<{ staff_id: number; side: 'before' | 'after'; reviews: unknown; total: unknown }>`
        with o as (${o})
        select o.staff_id, case when s.session_date < o.c then 'before' else 'after' end as side,
          count(*) as reviews, sum(r.overall_score) as total
        from o
          join key_work_sessions s on s.staff_id = o.staff_id and s.status = 'submitted'
            and s.session_date >= o.lo and s.session_date <= o.hi and s.session_date <> o.c
          join qa_reviews r on r.session_id = s.id and r.kind <> 'calibration'
        group by o.staff_id, case when s.session_date < o.c then 'before' else 'after' end`.execute(db)
      return r.rows.map(x => ({ staffId: n(x.staff_id), side: x.side, reviews: n(x.reviews), sum: n(x.total) }))
    },
  }
}

export type TrainingDashboardRepository = ReturnType<typeof trainingDashboardRepository>
