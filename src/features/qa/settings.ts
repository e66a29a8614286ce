// An establishment's QA settings and the national bounds of the sample.
// Invariants:
// - the sample per Key Worker in use always lies within today's national bounds (an establishment's own value that
//   the bounds have since moved past is clamped, and shown as such); the other settings keep to QA_LIMITS;
// - the national bounds keep min <= default <= max, each within QA_LIMITS.sample;
// - every save is one transaction with its audit event, listing every problem at once and saving nothing on any.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor } from '../../platform/audit/service'
import { type QaContext, stamp } from './context'
import { QA_DEFAULTS, QA_LIMITS } from './rules'

export interface SettingsInput {
  samplePerOfficer: number
  reviewDueDays: number
  thinEntryChars: number
  supervisionWeeks: number
}

export interface BoundsInput {
  min: number
  default: number
  max: number
}

export function qaSettings({ db, repo, audit }: QaContext) {
  async function bounds(trx: Kysely<Database> = db) {
    const p = await repo.policy(trx)
    return { min: p?.qa_sample_min ?? 1, default: p?.qa_sample_default ?? 2, max: p?.qa_sample_max ?? 10 }
  }

  /** The establishment's settings in use: its own, or the defaults; the sample kept within today's national bounds. */
  async function settings(establishmentId: number, trx: Kysely<Database> = db) {
    const [b, row] = await Promise.all([bounds(trx), repo.settings(establishmentId, trx)])
    const own = row?.sample_per_officer ?? b.default
    return {
      saved: !!row,
      bounds: b,
      samplePerOfficer: Math.min(b.max, Math.max(b.min, own)),
      /** the establishment's own value, when the national bounds have since moved past it */
      outsideBounds: own < b.min || own > b.max ? own : null,
      reviewDueDays: row?.review_due_days ?? QA_DEFAULTS.reviewDueDays,
      thinEntryChars: row?.thin_entry_chars ?? QA_DEFAULTS.thinEntryChars,
      supervisionWeeks: row?.supervision_weeks ?? QA_DEFAULTS.supervisionWeeks,
      updatedAt: row?.updated_at ?? null,
      updatedBy: row?.updated_by ?? null,
    }
  }

  return {
    settings,
    bounds: () => bounds(),

    async saveSettings(actor: Actor, establishmentId: number, input: SettingsInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const b = await bounds(trx)
        const errors: Record<string, string> = {}
        if (
          !Number.isInteger(input.samplePerOfficer) ||
          input.samplePerOfficer < b.min ||
          input.samplePerOfficer > b.max
        )
          errors.samplePerOfficer = `Entries sampled per Key Worker must be from ${b.min} to ${b.max} (the national bounds)`
        const check = (key: 'reviewDueDays' | 'thinEntryChars' | 'supervisionWeeks', what: string) => {
          const { min, max } = QA_LIMITS[key]
          const v = input[key]
          if (!Number.isInteger(v) || v < min || v > max) errors[key] = `${what} must be from ${min} to ${max}`
        }
        check('reviewDueDays', 'Days to review a sampled entry')
        check('thinEntryChars', 'The shortest narrative of a 30-minute session')
        check('supervisionWeeks', 'Weeks between supervisions')
        if (Object.keys(errors).length) return fail(errors)
        const before = await repo.settings(establishmentId, trx)
        const values = {
          establishment_id: establishmentId,
          sample_per_officer: input.samplePerOfficer,
          review_due_days: input.reviewDueDays,
          thin_entry_chars: input.thinEntryChars,
          supervision_weeks: input.supervisionWeeks,
          updated_at: stamp(),
          updated_by: actor.username ?? 'system',
        }
        await repo.saveSettings(trx, values)
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const k of ['sample_per_officer', 'review_due_days', 'thin_entry_chars', 'supervision_weeks'] as const)
          if (before?.[k] !== values[k]) changes[k] = { from: before?.[k] ?? null, to: values[k] }
        await audit.record(trx, actor, {
          action: before ? 'update' : 'create',
          entity: 'qa_settings',
          entityId: establishmentId,
          establishmentId,
          changes,
        })
        return ok()
      })
    },

    /** The national bounds of the sample per Key Worker (the national team): min ≤ default ≤ max. */
    async saveBounds(actor: Actor, input: BoundsInput): Promise<Result> {
      const errors: Record<string, string> = {}
      const { min, max } = QA_LIMITS.sample
      for (const [key, v, what] of [
        ['sampleMin', input.min, 'The smallest sample'],
        ['sampleDefault', input.default, 'The default sample'],
        ['sampleMax', input.max, 'The largest sample'],
      ] as const)
        if (!Number.isInteger(v) || v < min || v > max)
          errors[key] = `${what} must be a whole number from ${min} to ${max}`
      if (!errors.sampleMin && !errors.sampleDefault && input.default < input.min)
        errors.sampleDefault = 'The default sample must be at least the smallest'
      if (!errors.sampleMax && !errors.sampleDefault && input.default > input.max)
        errors.sampleMax = 'The largest sample must be at least the default'
      if (!errors.sampleMin && !errors.sampleMax && input.min > input.max)
        errors.sampleMax ??= 'The largest sample must be at least the smallest'
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const before = await bounds(trx)
        await repo.updatePolicy(trx, {
          qa_sample_min: input.min,
          qa_sample_default: input.default,
          qa_sample_max: input.max,
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'national_policy',
          entityId: 1,
          establishmentId: null,
          changes: {
            qa_sample_min: { from: before.min, to: input.min },
            qa_sample_default: { from: before.default, to: input.default },
            qa_sample_max: { from: before.max, to: input.max },
          },
        })
        return ok()
      })
    },
  }
}
