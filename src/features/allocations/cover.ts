import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { allocate } from '../../domain/allocation'
import { formatDate, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type AutoAllocationService, engineOfficer, enginePrisoner } from './auto'
import { ALLOCATE_ANYWAY } from './service'
import { coverRepository } from './coverRepository'
import { allocationsRepository } from './repository'

export interface CoverOutcome {
  covered: number
  /** prisoners left with their own Key Worker because nobody had room */
  uncovered: { prisonNumber: string; reason: string }[]
}

/**
 * Cover while a Key Worker is away: their prisoners are allocated for a while to other Key Workers (chosen by the
 * allocation engine, so houseblock and language still count and nobody goes over capacity), and go back to their
 * own Key Worker when the cover ends (returnDue, run daily and by `keywork jobs run`).
 */
export function coverService(
  db: Kysely<Database>,
  deps: { audit: AuditService; autoAllocation: AutoAllocationService },
) {
  const repo = coverRepository()
  const allocations = allocationsRepository(db)

  return {
    async arrange(
      actor: Actor,
      establishmentId: number,
      staffId: number,
      until: string,
      /**
       * untrainedConfirmed: what the user said to "allocate anyway" where the training rules warn and the cover
       * would give prisoners to a Key Worker without the initial course (false refuses, naming them; left out by
       * callers that are not a user's form). Where the rules refuse, untrained Key Workers are never chosen.
       */
      opts: { untrainedConfirmed?: boolean } = {},
    ): Promise<Result<CoverOutcome>> {
      if (until <= todayIso()) return fail({ until: 'The cover must end after today' })
      const state = await deps.autoAllocation.unallocated(establishmentId)
      const caseload = await repo.ownCaseload(db, establishmentId, staffId)
      if (caseload.length === 0) return fail({ until: 'This officer has no prisoners of their own to cover' })
      const result = allocate(
        {
          today: todayIso(),
          prisoners: caseload.map(p => enginePrisoner(p, [])),
          officers: state.officers.filter(o => o.id !== staffId && !o.closed).map(engineOfficer),
        },
        { strategy: 'optimal' },
      )
      const byId = new Map(caseload.map(p => [String(p.id), p]))
      const untrained =
        state.untrainedRule === 'warn'
          ? state.officers.filter(o => !o.trained && result.pairs.some(pair => pair.officerId === String(o.id)))
          : []
      if (untrained.length && opts.untrainedConfirmed === false) {
        const names = untrained.map(o => o.label)
        const who = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
        return fail({
          untrainedConfirmed: `The cover would give prisoners to ${who}, who ${names.length === 1 ? 'has' : 'have'} not done the initial Key Worker course. Tick “${ALLOCATE_ANYWAY}” to go ahead, or arrange the cover later.`,
        })
      }
      return db.transaction().execute(async trx => {
        const now = new Date().toISOString()
        for (const pair of result.pairs) {
          const p = byId.get(pair.prisonerId)!
          await allocations.end(trx, p.allocation_id, {
            deallocated_at: now,
            deallocated_by: actor.username,
            deallocation_reason: 'staff_unavailable',
            deallocation_note: `Covered until ${formatDate(until)}`,
          })
          const id = await allocations.insert(trx, {
            establishment_id: establishmentId,
            prisoner_id: p.id,
            staff_id: Number(pair.officerId),
            allocated_at: now,
            allocated_by: actor.username,
            allocation_reason: 'cover',
            cover_until: until,
            covering_for_staff_id: staffId,
          })
          await deps.audit.record(trx, actor, {
            action: 'create',
            entity: 'allocation',
            entityId: id,
            establishmentId,
            changes: {
              prisoner: p.prison_number,
              cover_for: staffId,
              staff_id: Number(pair.officerId),
              until,
              ...(untrained.some(o => String(o.id) === pair.officerId)
                ? { untrained: true, untrained_confirmed: opts.untrainedConfirmed ?? null }
                : {}),
            },
          })
        }
        return ok({
          covered: result.pairs.length,
          uncovered: result.unallocated.map(u => ({
            prisonNumber: byId.get(u.prisonerId)!.prison_number,
            reason: u.reason,
          })),
        })
      })
    },

    /**
     * Ends every cover whose date has come and gives the prisoner back to their own Key Worker, if that officer is
     * active again; otherwise the cover stays and is reported, for a Supervising Officer to decide.
     */
    async returnDue(actor: Actor, today = todayIso()) {
      return db.transaction().execute(async trx => {
        let returned = 0
        const kept: number[] = []
        for (const cover of await repo.due(trx, today)) {
          const owner =
            cover.covering_for_staff_id === null ? undefined : await repo.staffStatus(trx, cover.covering_for_staff_id)
          if (!owner || owner.status !== 'active') {
            kept.push(cover.id)
            continue
          }
          const now = new Date().toISOString()
          await allocations.end(trx, cover.id, {
            deallocated_at: now,
            deallocated_by: actor.username,
            deallocation_reason: 'cover_ended',
          })
          const id = await allocations.insert(trx, {
            establishment_id: cover.establishment_id,
            prisoner_id: cover.prisoner_id,
            staff_id: owner.id,
            allocated_at: now,
            allocated_by: actor.username,
            allocation_reason: 'returned_from_cover',
          })
          await deps.audit.record(trx, actor, {
            action: 'create',
            entity: 'allocation',
            entityId: id,
            establishmentId: cover.establishment_id,
            changes: { returned_from_cover: cover.id, staff_id: owner.id },
          })
          returned++
        }
        return { returned, kept: kept.length }
      })
    },
  }
}

export type CoverService = ReturnType<typeof coverService>
