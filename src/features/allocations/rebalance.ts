import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { isUniqueViolation } from '../../platform/db/errors'
import type { Database } from '../../platform/db/types'
import { RECENT_SESSION_DAYS, rebalance } from '../../domain/allocation/rebalance'
import { now as clockNow } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { EstablishmentsService } from '../establishments/service'
import { AUTO_OFF, type AutoAllocationService, enginePrisoner, engineOfficer } from './auto'
import { autoAllocationRepository } from './autoRepository'
import { allocationsRepository } from './repository'

export interface RebalanceOptions {
  /** move prisoners seen in the last 28 days too */
  moveRecentlySeen: boolean
}

/**
 * The date of each prisoner's last delivered Key Work session, by prisoner id. Sessions are recorded by the
 * sessions feature; until it is wired in, nobody counts as recently seen.
 */
export type LastSessions = (establishmentId: number) => Promise<Map<number, string>>

/**
 * Rebalancing caseloads: proposes the fewest moves that bring Key Workers within capacity and improve houseblock
 * and language matches; the Supervising Officer ticks the moves to make. Prisoners on cover, and the caseloads of
 * officers who are away, are left alone: cover returns them.
 */
export function rebalanceService(
  db: Kysely<Database>,
  deps: {
    audit: AuditService
    establishments: EstablishmentsService
    autoAllocation: AutoAllocationService
    lastSessions?: LastSessions
  },
) {
  const repo = autoAllocationRepository(db)
  const allocations = allocationsRepository(db)

  async function state(establishmentId: number, opts: RebalanceOptions) {
    const [base, allocated, lastSessions] = await Promise.all([
      deps.autoAllocation.unallocated(establishmentId),
      repo.allocated(establishmentId),
      deps.lastSessions ? deps.lastSessions(establishmentId) : Promise.resolve(new Map<number, string>()),
    ])
    const activeOfficers = new Set(base.officers.map(o => o.id))
    const prisoners = allocated.filter(p => activeOfficers.has(p.staff_id))
    const result = rebalance({
      today: base.today,
      moveRecentlySeen: opts.moveRecentlySeen,
      officers: base.officers.map(engineOfficer),
      prisoners: prisoners.map(p => ({
        ...enginePrisoner(p, base.previousBy.get(p.id) ?? []),
        currentOfficerId: String(p.staff_id),
        lastSessionDate: lastSessions.get(p.id) ?? null,
      })),
    })
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          prisoners.map(p => [p.id, p.staff_id, lastSessions.get(p.id) ?? null]),
          base.officers.map(o => [o.id, o.capacity, o.keyWorker]),
          opts.moveRecentlySeen,
        ]),
      )
      .digest('hex')
      .slice(0, 32)
    return { base, prisoners, result, fingerprint }
  }

  return {
    /** The proposed moves, with reasons; nothing is saved. */
    async preview(establishmentId: number, opts: RebalanceOptions) {
      const s = await state(establishmentId, opts)
      const prisonerById = new Map(s.prisoners.map(p => [String(p.id), p]))
      const officerById = new Map(s.base.officers.map(o => [String(o.id), o]))
      return {
        fingerprint: s.fingerprint,
        allocated: s.prisoners.length,
        recentDays: RECENT_SESSION_DAYS,
        pinned: s.result.pinned.length,
        before: s.result.before,
        after: s.result.after,
        moves: s.result.moves.map(m => ({
          ...m,
          prisoner: prisonerById.get(m.prisonerId)!,
          from: officerById.get(m.fromOfficerId)!,
          to: officerById.get(m.toOfficerId)!,
        })),
        overCapacity: s.result.overCapacity.map(o => ({ ...o, officer: officerById.get(o.officerId)! })),
      }
    },

    /**
     * Makes the chosen moves of the proposal, all or nothing. A stale proposal (any allocation, capacity or
     * session changed since) or a prisoner who is not in it is refused.
     */
    async confirm(
      actor: Actor,
      establishmentId: number,
      opts: RebalanceOptions,
      fingerprint: string,
      prisonNumbers: string[],
    ): Promise<Result<number>> {
      if ((await deps.establishments.byId(establishmentId))?.auto_allocation === 0) return fail({ form: AUTO_OFF })
      if (prisonNumbers.length === 0) return fail({ form: 'Choose at least one move to make' })
      const s = await state(establishmentId, opts)
      if (s.fingerprint !== fingerprint)
        return fail({
          form: 'Caseloads changed since this proposal was made. Nothing was saved: check the new proposal and confirm again.',
        })
      const byNumber = new Map(s.prisoners.map(p => [p.prison_number, p]))
      const moves = new Map(s.result.moves.map(m => [m.prisonerId, m]))
      const chosen: { p: (typeof s.prisoners)[number]; move: (typeof s.result.moves)[number] }[] = []
      for (const number of new Set(prisonNumbers)) {
        const p = byNumber.get(number)
        const move = p ? moves.get(String(p.id)) : undefined
        if (!p || !move) return fail({ form: `${number} is not one of the proposed moves. Nothing was saved.` })
        chosen.push({ p, move })
      }
      try {
        return await db.transaction().execute(async trx => {
          const now = clockNow().toISOString()
          for (const { p, move } of chosen) {
            await allocations.end(trx, p.allocation_id, {
              deallocated_at: now,
              deallocated_by: actor.username,
              deallocation_reason: 'manual',
              deallocation_note: `Rebalanced: ${move.reasons.join(', ')}`,
            })
            const id = await allocations.insert(trx, {
              establishment_id: establishmentId,
              prisoner_id: p.id,
              staff_id: Number(move.toOfficerId),
              allocated_at: now,
              allocated_by: actor.username,
              allocation_reason: 'auto',
            })
            await deps.audit.record(trx, actor, {
              action: 'create',
              entity: 'allocation',
              entityId: id,
              establishmentId,
              changes: {
                prisoner: p.prison_number,
                staff_id: { from: p.staff_id, to: Number(move.toOfficerId) },
                reason: 'rebalance',
                why: move.reasons,
                replaces: p.allocation_id,
              },
            })
          }
          return ok(chosen.length)
        })
      } catch (err) {
        if (isUniqueViolation(err))
          return fail({ form: 'Someone else changed these allocations at the same moment. Nothing was saved.' })
        throw err
      }
    },
  }
}

export type RebalanceService = ReturnType<typeof rebalanceService>
