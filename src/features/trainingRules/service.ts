// The training rules: the national policy (defaults and bounds) and each establishment's own settings within them.
// Invariants:
// - the rules in force at an establishment always lie within today's national bounds (an own value the bounds have
//   since moved past is brought back within them: effectiveRules);
// - every save lists every problem at once, saves nothing on any, and is one transaction with its audit event;
// - "trained" is a non-voided initial course completion whose outcome is not failed.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import {
  type LocalTrainingSettings,
  type TrainingPolicy,
  type TrainingRules,
  type UntrainedAllocation,
  DEFAULT_TRAINING_RULES,
  NO_LOCAL_SETTINGS,
  UNTRAINED_ALLOCATIONS,
  effectiveRules,
  policyProblems,
  settingsProblems,
} from '../../domain/training'
import type { Actor, AuditService } from '../../platform/audit/service'
import { trainingRulesRepository } from './repository'

type Db = Kysely<Database>

const asRule = (v: string | null | undefined): UntrainedAllocation | null =>
  UNTRAINED_ALLOCATIONS.find(r => r === v) ?? null

/** The policy when the row is missing (it is seeded by the migration): the defaults of the migration. */
const FALLBACK_POLICY: TrainingPolicy = {
  ...DEFAULT_TRAINING_RULES,
  windowToMax: 12,
  topupMonthsMin: 6,
  topupMonthsMax: 24,
  cpdHoursMin: 6,
  cpdHoursMax: 40,
  untrainedLocal: true,
}

export interface TrainingRulesDeps {
  audit: AuditService
}

export function trainingRulesService(db: Db, deps: TrainingRulesDeps) {
  const repo = trainingRulesRepository(db)
  const { audit } = deps

  async function policy(trx: Db = db): Promise<TrainingPolicy> {
    const row = await repo.policy(trx)
    if (!row) return FALLBACK_POLICY
    return {
      windowFromMonths: row.window_from_months,
      windowToMonths: row.window_to_months,
      windowToMax: row.window_to_max,
      topupMonths: row.topup_months,
      topupMonthsMin: row.topup_months_min,
      topupMonthsMax: row.topup_months_max,
      cpdHours: Number(row.cpd_hours),
      cpdHoursMin: Number(row.cpd_hours_min),
      cpdHoursMax: Number(row.cpd_hours_max),
      untrainedAllocation: asRule(row.untrained_allocation) ?? DEFAULT_TRAINING_RULES.untrainedAllocation,
      untrainedLocal: row.untrained_local === 1,
    }
  }

  async function local(establishmentId: number, trx: Db = db) {
    const row = await repo.settings(establishmentId, trx)
    const own: LocalTrainingSettings = row
      ? {
          windowFromMonths: row.window_from_months,
          windowToMonths: row.window_to_months,
          topupMonths: row.topup_months,
          cpdHours: row.cpd_hours === null ? null : Number(row.cpd_hours),
          untrainedAllocation: asRule(row.untrained_allocation),
        }
      : NO_LOCAL_SETTINGS
    return { own, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null }
  }

  async function rulesFor(establishmentId: number, trx: Db = db): Promise<TrainingRules> {
    const [p, l] = await Promise.all([policy(trx), local(establishmentId, trx)])
    return effectiveRules(p, l.own)
  }

  return {
    policy: () => policy(),
    rulesFor: (establishmentId: number, trx?: Db) => rulesFor(establishmentId, trx),
    /** Staff ids of the establishment with a valid initial course (one query). */
    trainedStaffIds: (establishmentId: number, trx?: Db) => repo.trainedStaffIds(establishmentId, trx),

    /** What the establishment's settings page shows: the policy, its own values, and the rules in force. */
    async settings(establishmentId: number) {
      const [p, l] = await Promise.all([policy(), local(establishmentId)])
      return { policy: p, ...l, effective: effectiveRules(p, l.own) }
    },

    /** The national policy (the national team): every problem at once, nothing saved on any. */
    async savePolicy(actor: Actor, input: TrainingPolicy): Promise<Result> {
      const problems = policyProblems(input)
      if (Object.keys(problems).length) return fail(problems)
      return db.transaction().execute(async trx => {
        const before = await policy(trx)
        await repo.updatePolicy(trx, {
          window_from_months: input.windowFromMonths,
          window_to_months: input.windowToMonths,
          window_to_max: input.windowToMax,
          topup_months: input.topupMonths,
          topup_months_min: input.topupMonthsMin,
          topup_months_max: input.topupMonthsMax,
          cpd_hours: input.cpdHours,
          cpd_hours_min: input.cpdHoursMin,
          cpd_hours_max: input.cpdHoursMax,
          untrained_allocation: input.untrainedAllocation,
          untrained_local: input.untrainedLocal ? 1 : 0,
          updated_at: now().toISOString(),
          updated_by: actor.username ?? 'system',
        })
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const k of Object.keys(input) as (keyof TrainingPolicy)[])
          if (before[k] !== input[k]) changes[k] = { from: before[k], to: input[k] }
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_policy',
          entityId: 1,
          establishmentId: null,
          changes,
        })
        return ok()
      })
    },

    /** An establishment's own settings within the national bounds; null uses the national default. */
    async saveSettings(
      actor: Actor,
      establishmentId: number,
      input: LocalTrainingSettings,
      reason = '',
    ): Promise<Result> {
      return db.transaction().execute(async trx => {
        const p = await policy(trx)
        const problems = settingsProblems(p, input)
        if (Object.keys(problems).length) return fail(problems)
        const before = await local(establishmentId, trx)
        await repo.saveSettings(trx, {
          establishment_id: establishmentId,
          window_from_months: input.windowFromMonths,
          window_to_months: input.windowToMonths,
          topup_months: input.topupMonths,
          cpd_hours: input.cpdHours,
          untrained_allocation: input.untrainedAllocation,
          updated_at: now().toISOString(),
          updated_by: actor.username ?? 'system',
        })
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const k of Object.keys(input) as (keyof LocalTrainingSettings)[])
          if (before.own[k] !== input[k]) changes[k] = { from: before.own[k], to: input[k] }
        if (reason) changes.reason = { from: null, to: reason }
        await audit.record(trx, actor, {
          action: before.updatedAt ? 'update' : 'create',
          entity: 'training_settings',
          entityId: establishmentId,
          establishmentId,
          changes,
        })
        return ok()
      })
    },
  }
}

export type TrainingRulesService = ReturnType<typeof trainingRulesService>
