import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database, StatDailyTable } from '../../platform/db/types'
import { type Period, REASONS, type SessionFact } from '../../domain/statistics'
import { addDays, londonDayStart } from '../../domain/dates'
import { unitOnDay } from '../../domain/custody'

// The SQL pieces the statistics' reads and their upkeep share: what a scope's filter means for spells, sessions,
// referrals and goals, the London-day ranges of timestamps and the columns of a session fact.

/**
 * Which records a query counts. establishmentId null: every establishment (national). unitIds: prisoners in
 * those units on the day of the record (a houseblock and the units inside it: an eligible day by his spell's unit,
 * a session, an allocation, a referral or a goal by the unit he was in that day). staffId: sessions held by that
 * officer, prisoners on their caseload.
 */
export interface Filter {
  establishmentId: number | null
  unitIds?: number[]
  staffId?: number
}

export interface EventRow {
  establishment_id: number
  day: string
  n: number
}

export const CHUNK = 400

export const n = (v: unknown) => Number(v ?? 0)

// stat_daily columns of the not-delivered reasons, in REASONS order
export const REASON_COLUMNS = REASONS.map(r => `nd_${r}`) as (keyof StatDailyTable & string)[]

/** every count column of stat_daily */
export const DAILY_COUNT_COLUMNS = [
  'delivered',
  'not_delivered',
  'private_delivered',
  'private_answered',
  'interpreter_needed',
  'interpreter_used',
  'interpreter_answered',
  'gap_count',
  'gap_days',
  'first_count',
  'first_days',
  'precheck_n',
  'precheck_sum',
  ...REASON_COLUMNS,
] as const

export interface FactRow {
  id: number
  establishment_id: number
  prisoner_id: number
  session_date: string
  outcome: string | null
  not_delivered_reason: string | null
  private: number | null
  interpreter_needed: number | null
  interpreter_used: number | null
  precheck_score: number | null
  reception_date: string
  prev_date: string | null
}

export function statisticsSql(db: Kysely<Database>, dialect: Dialect) {
  const n = (v: unknown) => Number(v ?? 0)
  const later = (a: RawBuilder<unknown>, b: RawBuilder<unknown>) =>
    dialect === 'postgres' ? sql`greatest(${a}, ${b})` : sql`max(${a}, ${b})`

  /** conditions on spells of eligibility c for the filter (not the officer's caseload) */
  const spellWhere = (f: Filter) =>
    sql.join(
      [
        sql`1 = 1`,
        ...(f.establishmentId !== null ? [sql`c.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds ? [f.unitIds.length ? sql`c.unit_id in (${sql.join(f.unitIds)})` : sql`1 = 0`] : []),
      ],
      sql` and `,
    )
  /**
   * The unit prisoner p was in on a day (a date column): that of his last arrival or move on or before it, else his
   * record's (domain/custody.ts unitOnDay, with the same fallback as unitsOnDays).
   */
  const unitOn = (day: RawBuilder<unknown>) => sql`coalesce((select e.unit_id from custody_events e
      where e.prisoner_id = p.id and e.kind in ('reception', 'transfer_in', 'moved') and e.date <= ${day}
      order by e.date desc, e.id desc limit 1), p.unit_id)`
  /** conditions on sessions s (joined to prisoners p) */
  const sessionWhere = (f: Filter) =>
    sql.join(
      [
        sql`s.status = 'submitted'`,
        ...(f.establishmentId !== null ? [sql`s.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds
          ? [f.unitIds.length ? sql`${unitOn(sql`s.session_date`)} in (${sql.join(f.unitIds)})` : sql`1 = 0`]
          : []),
        ...(f.staffId !== undefined ? [sql`s.staff_id = ${f.staffId}`] : []),
      ],
      sql` and `,
    )
  /**
   * referrals or goals r in scope: through the prisoner (houseblock: every prisoner who has been in its units; the
   * caller keeps those in them on the day, unitsOnDays) or the session (officer)
   */
  const followUpWhere = (f: Filter) =>
    sql.join(
      [
        sql`1 = 1`,
        ...(f.establishmentId !== null ? [sql`r.establishment_id = ${f.establishmentId}`] : []),
        ...(f.unitIds ? [everInUnits(sql`r.prisoner_id`, f.unitIds)] : []),
      ],
      sql` and `,
    )
  /** prisoner records that are or have been in one of the units */
  const everInUnits = (prisonerId: RawBuilder<unknown>, unitIds: number[]) =>
    unitIds.length
      ? sql`${prisonerId} in (select id from prisoners where unit_id in (${sql.join(unitIds)})
          union select prisoner_id from custody_events where unit_id in (${sql.join(unitIds)}))`
      : sql`1 = 0`

  /**
   * The rows whose prisoner was in one of the units on the row's day: the unit of his last arrival or move on or
   * before it (domain/custody.ts unitOnDay), else his record's unit. Rows of other prisoners are dropped.
   */
  async function unitsOnDays<T extends { prisoner_id: number; day: string }>(rows: T[], unitIds: number[]) {
    const ids = [...new Set(rows.map(r => n(r.prisoner_id)))]
    const events = new Map<number, { id: number; kind: string; date: string; unitId: number | null }[]>()
    const current = new Map<number, number | null>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      const [evs, prisoners] = await Promise.all([
        db
          .selectFrom('custody_events')
          .select(['id', 'prisoner_id', 'kind', 'date', 'unit_id'])
          .where('prisoner_id', 'in', chunk)
          .where('kind', 'in', ['reception', 'transfer_in', 'moved'])
          .execute(),
        db.selectFrom('prisoners').select(['id', 'unit_id']).where('id', 'in', chunk).execute(),
      ])
      for (const e of evs) {
        const list = events.get(n(e.prisoner_id)) ?? []
        list.push({ id: n(e.id), kind: e.kind, date: e.date, unitId: e.unit_id === null ? null : n(e.unit_id) })
        events.set(n(e.prisoner_id), list)
      }
      for (const p of prisoners) current.set(n(p.id), p.unit_id === null ? null : n(p.unit_id))
    }
    const wanted = new Set(unitIds)
    return rows.filter(r => {
      const unit = unitOnDay(events.get(n(r.prisoner_id)) ?? [], r.day) ?? current.get(n(r.prisoner_id)) ?? null
      return unit !== null && wanted.has(unit)
    })
  }
  /** timestamps (UTC ISO text) on the Europe/London days of the period */
  const timeRange = (column: RawBuilder<unknown>, p: Period) =>
    sql`${column} >= ${londonDayStart(p.from)} and ${column} < ${londonDayStart(addDays(p.to, 1))}`

  // unary plus on the establishment: SQLite otherwise walks the establishment index through every earlier session
  // of the establishment for each session (230 ms for a day of Leeds, 9 ms through the prisoner's index)
  const prevDateOf = sql`(select max(o.session_date) from key_work_sessions o
      where o.prisoner_id = s.prisoner_id and +o.establishment_id = s.establishment_id
        and o.status = 'submitted' and o.outcome = 'delivered'
        and (o.session_date < s.session_date or (o.session_date = s.session_date and o.id < s.id)))`

  /** the FactRow columns but prev_date, over key_work_sessions s join prisoners p */
  const factColumns = sql`s.id, s.establishment_id, s.prisoner_id, s.session_date, s.outcome, s.not_delivered_reason,
    s.private, s.interpreter_needed, s.interpreter_used, s.precheck_score, p.reception_date`
  /** a fact without its previous date, for the callers that work it out themselves */
  const toBareFact = (r: Omit<FactRow, 'prev_date'>) => {
    const { prevDate: _, ...fact } = toFact({ ...r, prev_date: null })
    return fact
  }
  const toFact = (r: FactRow): SessionFact & { establishmentId: number } => ({
    id: r.id,
    establishmentId: r.establishment_id,
    prisonerId: r.prisoner_id,
    date: r.session_date,
    outcome: r.outcome,
    reason: r.not_delivered_reason,
    private: r.private === null ? null : n(r.private),
    interpreterNeeded: r.interpreter_needed === null ? null : n(r.interpreter_needed),
    interpreterUsed: r.interpreter_used === null ? null : n(r.interpreter_used),
    precheckScore: r.precheck_score === null ? null : Number(r.precheck_score),
    receptionDate: r.reception_date,
    prevDate: r.prev_date,
  })

  return {
    later,
    spellWhere,
    unitOn,
    sessionWhere,
    followUpWhere,
    everInUnits,
    unitsOnDays,
    timeRange,
    prevDateOf,
    factColumns,
    toFact,
    toBareFact,
  }
}
