// `keywork demo`: a year of Key Work history for every establishment (src/domain/demo/history.ts), written in bulk,
// with the statistics aggregates built from the same rows. One transaction per establishment. For the demo's fresh
// database: the establishments must have no sessions yet (their aggregates are built from the new ones only).
import { type Insertable, type Kysely, sql } from 'kysely'
import type { Db } from '../platform/db/database'
import type { AllocationTable, Database, KeyWorkSessionTable } from '../platform/db/types'
import { addDays } from '../domain/dates'
import { groupBy } from '../domain/groupBy'
import { Random, deriveSeed } from '../domain/random'
import { generateHistory } from './generator/history'
import { deliveryUplift, demoTrials } from './generator/trials'
import { PRECHECK_DAYS, demoPrecheck } from './generator/quality'
import { effectiveSettings } from '../domain/policy'
import { type AuditService, SYSTEM_ACTOR } from '../platform/audit/service'
import { type establishmentsService, overridesOf, toBounds } from '../features/establishments/service'
import type { StatisticsService } from '../features/statistics/service'

const CHUNK = 500

export interface DemoHistorySummary {
  sessions: number
  delivered: number
  goals: number
  referrals: number
}

export async function loadDemoHistory(
  db: Db,
  deps: {
    audit: AuditService
    establishments: ReturnType<typeof establishmentsService>
    statistics: StatisticsService
  },
  opts: { seed: number; today: string; onProgress?: (done: number, total: number, name: string) => void },
): Promise<DemoHistorySummary> {
  const k = db.db
  const all = (await deps.establishments.all()).sort((a, b) => a.id - b.id)
  const bounds = toBounds(await deps.establishments.policy())
  const summary: DemoHistorySummary = { sessions: 0, delivered: 0, goals: 0, referrals: 0 }
  // the trials demo's interventions: where one has a planted effect, delivery rises from its adoption date
  const trials = demoTrials(
    all.map(e => e.id),
    opts.today,
  )
  let done = 0
  for (const est of all) {
    const settings = effectiveSettings(bounds, overridesOf(est))
    const [allocations, prisoners, services] = await Promise.all([
      k
        .selectFrom('allocations')
        .select(['id', 'prisoner_id', 'staff_id', 'allocated_at'])
        .where('establishment_id', '=', est.id)
        .where('deallocated_at', 'is', null)
        .execute(),
      k
        .selectFrom('prisoners')
        .select(['id', 'first_name', 'reception_date', 'unit_id', 'interpreter_needed', 'first_language'])
        .where('establishment_id', '=', est.id)
        .where('status', '=', 'in')
        .execute(),
      k
        .selectFrom('directory_services')
        .select(['id', 'name'])
        .where(eb => eb.or([eb('establishment_id', '=', est.id), eb('establishment_id', 'is', null)]))
        .where('status', '=', 'active')
        .orderBy('id')
        .execute(),
    ])
    // the men who left in the year had Key Workers too, until they left: their allocations, ended that day
    const past = await pastAllocations(k, est.id, opts.seed, addDays(opts.today, -365), allocations)
    const history = generateHistory({
      seed: opts.seed,
      stream: est.id,
      today: opts.today,
      frequencyWeeks: settings.frequencyWeeks,
      sessionMinutes: settings.sessionMinutes,
      allocations: [
        ...allocations.map(a => ({
          id: a.id,
          prisonerId: a.prisoner_id,
          staffId: a.staff_id,
          allocatedAt: a.allocated_at,
        })),
        ...past.allocations,
      ],
      prisoners: [...prisoners, ...past.prisoners].map(p => ({
        id: p.id,
        firstName: p.first_name,
        receptionDate: p.reception_date,
        unitId: p.unit_id,
        interpreterNeeded: p.interpreter_needed === 1,
        firstLanguage: p.first_language,
      })),
      services,
      uplift: deliveryUplift(trials, est.id),
    })

    await k.transaction().execute(async trx => {
      // backdate the current allocations to when the history starts
      const moves = [...history.allocatedAt]
      for (let i = 0; i < moves.length; i += CHUNK) {
        const chunk = moves.slice(i, i + CHUNK)
        const cases = sql.join(
          chunk.map(([id, at]) => sql`when ${id} then ${at}`),
          sql` `,
        )
        await sql`update allocations set allocated_at = case id ${cases} end
          where id in (${sql.join(chunk.map(([id]) => id))})`.execute(trx)
      }
      // the pre-check of each delivered entry since "Check my entry" came in, as if typed (goals and referrals too)
      const precheckFrom = addDays(opts.today, -PRECHECK_DAYS)
      const firstNames = new Map([...prisoners, ...past.prisoners].map(p => [p.id, p.first_name]))
      const goalsOf = groupBy(history.goals, g => g.sessionKey)
      const referralsOf = groupBy(history.referrals, r => r.sessionKey)
      const rows = history.sessions.map((s): Insertable<KeyWorkSessionTable> => {
        const at = `${s.date}T${s.startsAt}:00.000Z`
        const check =
          s.date >= precheckFrom &&
          demoPrecheck(
            {
              ...s,
              goals: (goalsOf.get(s.key) ?? []).map(g => ({
                description: g.description,
                measure: g.measure,
                targetDate: g.targetDate,
              })),
              referrals: (referralsOf.get(s.key) ?? []).map(r => ({
                to: r.serviceId ?? r.stakeholder ?? '',
                note: r.note,
                followUp: r.followUpDate,
              })),
            },
            firstNames.get(s.prisonerId) ?? '',
          )
        return {
          establishment_id: est.id,
          prisoner_id: s.prisonerId,
          staff_id: s.staffId,
          author_user_id: null,
          author: 'demo',
          status: 'submitted',
          on_caseload: 1,
          outcome: s.outcome,
          not_delivered_reason: s.reason,
          not_delivered_detail: s.detail,
          session_date: s.date,
          starts_at: s.startsAt,
          duration_minutes: s.durationMinutes,
          location: s.location,
          private: s.private,
          interpreter_needed: s.interpreterNeeded,
          interpreter_used: s.interpreterUsed,
          interpreter_service: s.interpreterService,
          interpreter_booking_ref: s.interpreterRef,
          interpreter_language: s.interpreterLanguage,
          interpreter_why_not: s.interpreterWhyNot,
          pathways: s.pathways,
          concern: s.concern,
          concern_escalated_to: s.concernEscalatedTo,
          prisoner_words: s.prisonerWords,
          agreed: s.agreed,
          client_key: s.key,
          precheck: check ? check.precheck : null,
          precheck_score: check ? check.score : null,
          created_at: at,
          updated_at: at,
          submitted_at: at,
        }
      })
      const ids = await insertSessions(trx, rows)
      const goals = history.goals.map(g => ({
        establishment_id: est.id,
        prisoner_id: g.prisonerId,
        set_in_session_id: ids.get(g.sessionKey)!,
        description: g.description,
        measure: g.measure,
        target_date: g.targetDate,
        status: g.status,
        updated_in_session_id: null,
        created_at: g.createdAt,
        updated_at: g.createdAt,
      }))
      for (let i = 0; i < goals.length; i += CHUNK)
        await trx
          .insertInto('session_goals')
          .values(goals.slice(i, i + CHUNK))
          .execute()
      const referrals = history.referrals.map(r => ({
        establishment_id: est.id,
        prisoner_id: r.prisonerId,
        session_id: ids.get(r.sessionKey)!,
        service_id: r.serviceId,
        stakeholder: r.stakeholder,
        note: r.note,
        status: r.status,
        follow_up_date: r.followUpDate,
        created_at: r.createdAt,
        created_by: 'demo',
        updated_at: r.createdAt,
        updated_by: null,
      }))
      for (let i = 0; i < referrals.length; i += CHUNK)
        await trx
          .insertInto('referrals')
          .values(referrals.slice(i, i + CHUNK))
          .execute()
      // the aggregates from what was just inserted: the demo's establishments have no other sessions
      const receptions = new Map([...prisoners, ...past.prisoners].map(p => [p.id, p.reception_date]))
      await deps.statistics.storeFrom(
        trx,
        est.id,
        history.sessions.map((x, i) => ({
          id: ids.get(x.key)!,
          prisonerId: x.prisonerId,
          date: x.date,
          outcome: x.outcome,
          reason: x.reason,
          private: x.private,
          interpreterNeeded: x.interpreterNeeded,
          interpreterUsed: x.interpreterUsed,
          precheckScore: rows[i]!.precheck_score ?? null,
          receptionDate: receptions.get(x.prisonerId)!,
        })),
      )
      await deps.audit.record(trx, SYSTEM_ACTOR, {
        action: 'import',
        entity: 'demo_history',
        entityId: est.code,
        establishmentId: est.id,
        changes: {
          seed: opts.seed,
          today: opts.today,
          sessions: rows.length,
          goals: goals.length,
          referrals: referrals.length,
        },
      })
    })
    summary.sessions += history.sessions.length
    summary.delivered += history.sessions.filter(s => s.outcome === 'delivered').length
    summary.goals += history.goals.length
    summary.referrals += history.referrals.length
    opts.onProgress?.(++done, all.length, est.name)
    // PostgreSQL: keep the planner's statistics current while the tables grow
    if (done % 10 === 0) await deps.statistics.analyze()
  }
  await deps.statistics.analyze()
  return summary
}

/**
 * Allocations for the men who left the establishment since the horizon (each to one of today's Key Workers, a few
 * days after reception, ended the day he left), inserted; returned with the men, for the history of their sessions.
 */
async function pastAllocations(
  k: Kysely<Database>,
  establishmentId: number,
  seed: number,
  horizon: string,
  current: { staff_id: number }[],
) {
  const staff = [...new Set(current.map(a => a.staff_id))].sort((a, b) => a - b)
  const prisoners = await k
    .selectFrom('prisoners')
    .select([
      'id',
      'first_name',
      'reception_date',
      'release_date',
      'status',
      'unit_id',
      'interpreter_needed',
      'first_language',
    ])
    .where('establishment_id', '=', establishmentId)
    .where('status', '<>', 'in')
    .where('release_date', '>', horizon)
    .orderBy('id')
    .execute()
  const rng = new Random(deriveSeed(seed, 20_000 + establishmentId))
  const rows: Insertable<AllocationTable>[] = []
  const until = new Map<number, string>()
  for (const p of staff.length ? prisoners : []) {
    const start = addDays(p.reception_date, rng.int(1, 10))
    if (!p.release_date || start >= p.release_date) continue
    until.set(p.id, p.release_date)
    rows.push({
      establishment_id: establishmentId,
      prisoner_id: p.id,
      staff_id: rng.pick(staff),
      allocated_at: `${start}T10:00:00.000Z`,
      allocated_by: 'demo',
      allocation_reason: 'auto',
      deallocated_at: `${p.release_date}T09:00:00.000Z`,
      deallocated_by: 'demo',
      deallocation_reason: p.status === 'transferred' ? 'transferred' : 'released',
      deallocation_note: null,
      handover_note: null,
    })
  }
  const allocations: { id: number; prisonerId: number; staffId: number; allocatedAt: string; until: string }[] = []
  for (let i = 0; i < rows.length; i += CHUNK) {
    const out = await k
      .insertInto('allocations')
      .values(rows.slice(i, i + CHUNK))
      .returning(['id', 'prisoner_id', 'staff_id', 'allocated_at'])
      .execute()
    for (const a of out)
      allocations.push({
        id: a.id,
        prisonerId: a.prisoner_id,
        staffId: a.staff_id,
        allocatedAt: a.allocated_at,
        until: until.get(a.prisoner_id)!,
      })
  }
  return { prisoners: prisoners.filter(p => until.has(p.id)), allocations }
}

/** Inserts sessions in chunks and returns their ids by client key. */
async function insertSessions(trx: Kysely<Database>, rows: Insertable<KeyWorkSessionTable>[]) {
  const ids = new Map<string, number>()
  if (rows.length === 0) return ids
  const size = Math.min(CHUNK, Math.floor(30_000 / Object.keys(rows[0]!).length))
  for (let i = 0; i < rows.length; i += size) {
    const out = await trx
      .insertInto('key_work_sessions')
      .values(rows.slice(i, i + size))
      .returning(['id', 'client_key'])
      .execute()
    for (const r of out) ids.set(r.client_key!, r.id)
  }
  return ids
}
