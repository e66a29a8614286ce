import type { Kysely } from 'kysely'
import { isUniqueViolation } from '../../platform/db/errors'
import type { Database } from '../../platform/db/types'
import { effectiveCapacity } from '../../domain/capacity'
import { now as clockNow } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { EstablishmentsService } from '../establishments/service'
import type { PrisonerChange, PrisonersService } from '../prisoners/service'
import type { StaffService } from '../staff/service'
import { allocationCheck } from '../../domain/training'
import { type TrainingGate, trainingOf, untrainedRefusal } from './auto'
import { allocationsRepository } from './repository'
import type { DeallocationReason } from './schema'

export interface AllocationDeps {
  audit: AuditService
  establishments: EstablishmentsService
  prisoners: PrisonersService
  staff: StaffService
  /** the training rules: whether an officer without the initial course may be allocated prisoners */
  training?: TrainingGate
}

/** The words of the box a user ticks to allocate an untrained Key Worker where the training rules warn. */
export const ALLOCATE_ANYWAY = 'Allocate anyway: I know this officer has not done the initial course'

/** Why an allocation to an untrained Key Worker waits for the user's confirmation, naming the officer. */
export function untrainedWarning(name: string): string {
  return `${name} has not done the initial Key Worker course. Tick “${ALLOCATE_ANYWAY}” to go ahead, or choose another Key Worker.`
}

/** The note on an allocation ended because the prisoner's record changed, so history says it was automatic. */
const AUTOMATIC_NOTES: Partial<Record<DeallocationReason, string>> = {
  released: 'Ended automatically: the prisoner was released',
  transferred: 'Ended automatically: the prisoner was transferred',
  complexity_changed: 'Ended automatically: complexity of need changed to high',
}

/**
 * Why a change to a prisoner's record ends their Key Worker, if it does: release first, then transfer (by status,
 * or by moving to another establishment), then a change to high complexity of need.
 */
export function deallocationReasonFor(change: PrisonerChange): DeallocationReason | undefined {
  if (change.status?.to === 'released') return 'released'
  if (change.status?.to === 'transferred' || change.establishment) return 'transferred'
  if (change.complexity?.to === 'high') return 'complexity_changed'
  return undefined
}

export function allocationsService(db: Kysely<Database>, deps: AllocationDeps) {
  const repo = allocationsRepository(db)
  const { audit, establishments, prisoners, staff } = deps

  async function ratioOf(establishmentId: number) {
    const settings = await establishments.settings(establishmentId)
    return settings?.effective.ratio ?? 6
  }

  /**
   * Ends the prisoner's active allocation, if any, inside the caller's transaction (used when the prisoner's
   * record changes, so the deallocation commits or rolls back with that change). Returns whether one was ended.
   */
  async function endForPrisoner(
    trx: Kysely<Database>,
    actor: Actor,
    prisonerId: number,
    reason: DeallocationReason,
    note?: string,
  ): Promise<boolean> {
    const current = await repo.active(trx, prisonerId)
    if (!current) return false
    await repo.end(trx, current.id, {
      deallocated_at: new Date().toISOString(),
      deallocated_by: actor.username,
      deallocation_reason: reason,
      deallocation_note: note || null,
    })
    await audit.record(trx, actor, {
      action: 'update',
      entity: 'allocation',
      entityId: current.id,
      establishmentId: current.establishment_id,
      changes: { deallocated: { from: null, to: reason }, note: note ?? null, automatic: true },
    })
    return true
  }

  return {
    /** Active Key Workers of the establishment with their capacity and current load, for choosing a Key Worker. */
    async officers(establishmentId: number) {
      const [ratio, loads, { rows }, training] = await Promise.all([
        ratioOf(establishmentId),
        repo.loads(establishmentId),
        staff.search({ establishmentId, status: 'active', keyWorkersOnly: true, limit: 5000, offset: 0 }),
        trainingOf(deps.training, establishmentId),
      ])
      return rows.map(o => {
        const capacity = effectiveCapacity(ratio, o.weekly_hours, o.capacity_override)
        const load = loads.get(o.id) ?? 0
        /** 'ok', or what the training rules say of this officer ('warn' | 'refuse') when untrained */
        const trainingCheck = allocationCheck(training.rule, training.trained.has(o.id))
        return { ...o, capacity, load, hasRoom: load < capacity, trainingCheck }
      })
    },

    /** The training rule in force for Key Workers without the initial course ('allow' when not wired). */
    untrainedRule: async (establishmentId: number) => (await trainingOf(deps.training, establishmentId)).rule,

    historyForPrisoner: (establishmentId: number, prisonerId: number) =>
      repo.historyForPrisoner(establishmentId, prisonerId),
    historyForStaff: (establishmentId: number, staffId: number) => repo.historyForStaff(establishmentId, staffId),
    caseload: (establishmentId: number, staffId: number) => repo.caseload(establishmentId, staffId),
    /** Every current allocation of the establishment, with its officer and prisoner, by prisoner name. */
    current: (establishmentId: number) => repo.current(establishmentId),

    /** The capacity used for an officer: their override, else the establishment's ratio pro rata. */
    async capacityOf(establishmentId: number, officer: { weekly_hours: number; capacity_override: number | null }) {
      return effectiveCapacity(await ratioOf(establishmentId), officer.weekly_hours, officer.capacity_override)
    },

    /**
     * Allocates (or reallocates) a prisoner to a Key Worker by hand. Refuses an officer who is not active, is
     * full, or is not of this establishment; a prisoner with high complexity of need; a prisoner not in custody.
     */
    async allocate(
      actor: Actor,
      establishmentId: number,
      prisonNumber: string,
      staffId: number,
      opts: {
        reason: 'manual' | 'auto'
        handoverNote?: string
        /**
         * What the user said to "allocate anyway" when the officer has not done the initial course and the training
         * rules warn: false refuses with the warning, true goes ahead (and is audited). Left out by callers that are
         * not a user's form (the CLI, the demo, tests); the 'refuse' rule applies to every caller.
         */
        untrainedConfirmed?: boolean
      },
    ): Promise<Result> {
      const prisoner = await prisoners.get(establishmentId, prisonNumber)
      if (!prisoner) return fail({ staffId: 'Prisoner not found' })
      if (prisoner.status !== 'in') return fail({ staffId: 'Only a prisoner in custody can have a Key Worker' })
      if (prisoner.complexity === 'high')
        return fail({ staffId: 'Prisoners with high complexity of need are not allocated a Key Worker' })
      const officer = await staff.get(establishmentId, staffId)
      if (!officer) return fail({ staffId: 'Choose a Key Worker from this establishment' })
      if (officer.status !== 'active')
        return fail({ staffId: `${officer.first_name} ${officer.last_name} is not active` })
      if (officer.key_worker !== 1)
        return fail({
          staffId: `${officer.first_name} ${officer.last_name} is not a Key Worker: mark them as one on their staff page first`,
        })
      const name = `${officer.first_name} ${officer.last_name}`
      const training = await trainingOf(deps.training, establishmentId)
      const check = allocationCheck(training.rule, training.trained.has(officer.id))
      if (check === 'refuse') return fail({ staffId: untrainedRefusal(name) })
      if (check === 'warn' && opts.untrainedConfirmed === false)
        return fail({ untrainedConfirmed: untrainedWarning(name) })
      const capacity = effectiveCapacity(
        await ratioOf(establishmentId),
        officer.weekly_hours,
        officer.capacity_override,
      )
      try {
        return await db.transaction().execute(async trx => {
          const current = await repo.active(trx, prisoner.id)
          if (current?.staff_id === staffId) return fail({ staffId: 'This is already the prisoner’s Key Worker' })
          if ((await repo.activeCount(trx, staffId)) >= capacity)
            return fail({
              staffId: `${officer.first_name} ${officer.last_name} has no room: ${capacity} prisoners already`,
            })
          const now = clockNow().toISOString()
          if (current) {
            await repo.end(trx, current.id, {
              deallocated_at: now,
              deallocated_by: actor.username,
              deallocation_reason: 'manual',
              deallocation_note: 'Reallocated',
            })
          }
          const id = await repo.insert(trx, {
            establishment_id: establishmentId,
            prisoner_id: prisoner.id,
            staff_id: staffId,
            allocated_at: now,
            allocated_by: actor.username,
            allocation_reason: opts.reason,
            handover_note: opts.handoverNote || null,
          })
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'allocation',
            entityId: id,
            establishmentId,
            changes: {
              prisoner: prisonNumber,
              staff: officer.staff_number,
              reason: opts.reason,
              ...(current ? { replaces: current.id } : {}),
              ...(check === 'warn' ? { untrained: true, untrained_confirmed: opts.untrainedConfirmed ?? null } : {}),
            },
          })
          return ok()
        })
      } catch (err) {
        if (isUniqueViolation(err))
          return fail({
            staffId: 'Someone else allocated this prisoner at the same moment. Check the Key Worker and try again.',
          })
        throw err
      }
    },

    endForPrisoner,

    /** The prisoners service's hook: ends the Key Worker when the prisoner is released, transferred or high complexity. */
    async prisonerChanged(trx: Kysely<Database>, actor: Actor, change: PrisonerChange): Promise<boolean> {
      const reason = deallocationReasonFor(change)
      if (!reason) return false
      return endForPrisoner(trx, actor, change.prisonerId, reason, AUTOMATIC_NOTES[reason])
    },

    async deallocate(
      actor: Actor,
      establishmentId: number,
      prisonNumber: string,
      reason: DeallocationReason,
      note?: string,
    ): Promise<Result> {
      const prisoner = await prisoners.get(establishmentId, prisonNumber)
      if (!prisoner) return fail({ reason: 'Prisoner not found' })
      return db.transaction().execute(async trx => {
        const current = await repo.active(trx, prisoner.id)
        if (!current) return fail({ reason: 'This prisoner has no Key Worker' })
        await repo.end(trx, current.id, {
          deallocated_at: new Date().toISOString(),
          deallocated_by: actor.username,
          deallocation_reason: reason,
          deallocation_note: note || null,
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'allocation',
          entityId: current.id,
          establishmentId,
          changes: { deallocated: { from: null, to: reason }, note: note ?? null },
        })
        return ok()
      })
    },
  }
}

export type AllocationsService = ReturnType<typeof allocationsService>
