import type { Kysely } from 'kysely'
import type { Database, Establishment, NationalPolicy } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import {
  type EstablishmentOverrides,
  type PolicyBounds,
  boundsErrors,
  effectiveSettings,
  policyErrors,
} from '../../domain/policy'
import { type Result, fail, ok } from '../../domain/result'
import { type RoleGrant, isNational } from '../../domain/roles'
import type { Actor, AuditService } from '../../platform/audit/service'
import { ttlCache } from '../../domain/ttlCache'
import { establishmentsRepository } from './repository'

export function toBounds(p: NationalPolicy): PolicyBounds {
  return {
    ratio: { min: p.ratio_min, max: p.ratio_max, default: p.ratio_default },
    frequencyWeeks: { min: p.frequency_weeks_min, max: p.frequency_weeks_max, default: p.frequency_weeks_default },
    sessionMinutes: { min: p.session_minutes_min, max: p.session_minutes_max, default: p.session_minutes_default },
  }
}

export function overridesOf(e: Establishment): EstablishmentOverrides {
  return { ratio: e.ratio, frequencyWeeks: e.frequency_weeks, sessionMinutes: e.session_minutes }
}

export type { Result } from '../../domain/result'

export function establishmentsService(db: Kysely<Database>, audit: AuditService) {
  const repo = establishmentsRepository(db)
  // Every request lists the establishments a user may act in; cleared by every write below.
  const list = ttlCache<'all', Establishment[]>(5000)
  const all = () => list.get('all', () => repo.all())
  // The national bounds, read by the prisoner page (the most viewed): the same 5 s bound on other instances
  const policyBounds = ttlCache<'all', PolicyBounds>(5000)
  const changed = <T>(value: T): T => {
    list.clear()
    policyBounds.clear()
    return value
  }
  return {
    all,
    byId: (id: number) => repo.byId(id),
    byCode: (code: string) => repo.byCode(code),
    counts: () => repo.counts(),
    policy: () => repo.policy(),
    /** The national bounds on ratio, frequency and session length (a copy kept up to 5 s; this instance's changes at once). */
    bounds: () => policyBounds.get('all', async () => toBounds(await repo.policy())),

    /** The establishments a user may act in: all enabled ones for national users, otherwise those they hold a role in. */
    async available(grants: RoleGrant[]): Promise<Establishment[]> {
      const enabled = (await all()).filter(e => e.enabled === 1)
      if (isNational(grants)) return enabled
      const ids = new Set(grants.map(g => g.establishmentId))
      return enabled.filter(e => ids.has(e.id))
    },

    async settings(establishmentId: number) {
      const est = await repo.byId(establishmentId)
      if (!est) return undefined
      const bounds = toBounds(await repo.policy())
      return { establishment: est, bounds, effective: effectiveSettings(bounds, overridesOf(est)) }
    },

    async updateSettings(
      actor: Actor,
      establishmentId: number,
      input: { name: string; category: string; region: string; autoAllocation: boolean } & EstablishmentOverrides,
    ): Promise<Result> {
      return changed(
        await db.transaction().execute(async trx => {
          const before = await repo.byId(establishmentId, trx)
          if (!before) return fail({ name: 'Establishment not found' })
          const errors = boundsErrors(toBounds(await repo.policy(trx)), input)
          if (Object.keys(errors).length > 0) return fail(errors as Record<string, string>)
          const values = {
            name: input.name,
            category: input.category,
            region: input.region,
            ratio: input.ratio,
            frequency_weeks: input.frequencyWeeks,
            session_minutes: input.sessionMinutes,
            auto_allocation: input.autoAllocation ? 1 : 0,
            updated_at: new Date().toISOString(),
          }
          await repo.update(trx, establishmentId, values)
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'establishment',
            entityId: establishmentId,
            establishmentId,
            changes: diff(before, { ...before, ...values }),
          })
          return ok()
        }),
      )
    },

    async updatePolicy(actor: Actor, bounds: PolicyBounds): Promise<Result> {
      const errors = policyErrors(bounds)
      if (Object.keys(errors).length > 0) return fail(errors as Record<string, string>)
      return changed(
        await db.transaction().execute(async trx => {
          const before = await repo.policy(trx)
          const values = {
            ratio_default: bounds.ratio.default,
            ratio_min: bounds.ratio.min,
            ratio_max: bounds.ratio.max,
            frequency_weeks_default: bounds.frequencyWeeks.default,
            frequency_weeks_min: bounds.frequencyWeeks.min,
            frequency_weeks_max: bounds.frequencyWeeks.max,
            session_minutes_default: bounds.sessionMinutes.default,
            session_minutes_min: bounds.sessionMinutes.min,
            session_minutes_max: bounds.sessionMinutes.max,
            updated_at: new Date().toISOString(),
          }
          await repo.updatePolicy(trx, values)
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'national_policy',
            entityId: 1,
            establishmentId: null,
            changes: diff(before, { ...before, ...values }),
          })
          return ok()
        }),
      )
    },

    async create(
      actor: Actor,
      input: { code: string; name: string; category: string; region: string },
    ): Promise<Result<number>> {
      return changed(
        await db.transaction().execute(async trx => {
          const code = input.code.toUpperCase()
          const existing = await repo.byCode(code, trx)
          if (existing) return fail({ code: `An establishment with code ${code} already exists` })
          const now = new Date().toISOString()
          const values = {
            ...input,
            code,
            enabled: 1,
            ratio: null,
            frequency_weeks: null,
            session_minutes: null,
            created_at: now,
            updated_at: now,
          }
          const id = await repo.insert(trx, values)
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'establishment',
            entityId: id,
            establishmentId: id,
            changes: diff(null, values),
          })
          return ok(id)
        }),
      )
    },
  }
}

export type EstablishmentsService = ReturnType<typeof establishmentsService>
