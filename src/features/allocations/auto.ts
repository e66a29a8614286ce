import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { isUniqueViolation } from '../../platform/db/errors'
import type { Database } from '../../platform/db/types'
import {
  type AllocationOfficer,
  type AllocationPrisoner,
  type AllocationResult,
  type RoomExplanation,
  type Strategy,
  NO_OFFICER_REASON,
  NO_ROOM_REASON,
  allocate,
  explainRoom,
} from '../../domain/allocation'
import { effectiveCapacity } from '../../domain/capacity'
import { addDays, todayIso } from '../../domain/dates'
import { officerLabel } from '../../domain/officerLabel'
import { type Result, fail, ok } from '../../domain/result'
import { splitLanguages } from '../../domain/staff'
import type { UntrainedAllocation } from '../../domain/training'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { EstablishmentsService } from '../establishments/service'
import { autoAllocationRepository } from './autoRepository'
import { allocationsRepository } from './repository'

export const AUTO_OFF =
  'Automatic allocation is turned off for this establishment: allocate Key Workers by hand from each prisoner’s page, or ask an establishment admin to turn it on in the establishment settings.'

/**
 * What allocation asks the training rules (src/features/trainingRules): the establishment's rule for officers who
 * have not done the initial course, and who has. Not wired: everyone may be allocated.
 */
export interface TrainingGate {
  rulesFor(establishmentId: number): Promise<{ untrainedAllocation: UntrainedAllocation }>
  trainedStaffIds(establishmentId: number, trx?: Kysely<Database>): Promise<Set<number>>
}

/** The rule in force and the trained officers' ids ('allow' and nobody when no gate is wired). */
export async function trainingOf(
  gate: TrainingGate | undefined,
  establishmentId: number,
  trx?: Kysely<Database>,
): Promise<{ rule: UntrainedAllocation; trained: Set<number> }> {
  if (!gate) return { rule: 'allow', trained: new Set() }
  const [rules, trained] = await Promise.all([
    gate.rulesFor(establishmentId),
    gate.trainedStaffIds(establishmentId, trx),
  ])
  return { rule: rules.untrainedAllocation, trained }
}

/** Why a Key Worker cannot be given prisoners under the 'refuse' rule, naming them. */
export function untrainedRefusal(name: string): string {
  return `${name} has not done the initial Key Worker course, and this establishment’s training rules do not allow prisoners to be allocated to a Key Worker until they have. Choose another Key Worker.`
}

export interface PreviewFilter {
  unitCode?: string
  interpreter?: boolean
  /** only prisoners received at least this many days ago */
  waitingDays?: number
}

export interface ConfirmRow {
  prisonNumber: string
  /** null: leave unallocated */
  staffId: number | null
  /** true when the Supervising Officer changed the proposed officer */
  overridden: boolean
}

/** A prisoner row as the allocation engine sees it. */
export function enginePrisoner(
  p: {
    id: number
    first_name: string
    last_name: string
    unit_code: string | null
    reception_date: string
    first_language: string
    interpreter_needed: number
  },
  previousOfficerIds: string[],
): AllocationPrisoner {
  return {
    id: String(p.id),
    name: `${p.last_name}, ${p.first_name}`,
    unitCode: p.unit_code,
    receptionDate: p.reception_date,
    language: p.first_language,
    interpreterNeeded: p.interpreter_needed === 1,
    excluded: false,
    previousOfficerIds,
  }
}

/** An active officer, with capacity and load worked out, as the allocation engine sees them. */
export function engineOfficer(o: {
  id: number
  home_unit_code: string | null
  languages: string
  capacity: number
  load: number
  keyWorker: boolean
  /** true: no new prisoners (an untrained Key Worker where the training rules refuse them); those held may stay */
  closed?: boolean
}): AllocationOfficer {
  return {
    id: String(o.id),
    homeUnitCode: o.home_unit_code,
    languages: splitLanguages(o.languages),
    capacity: o.closed ? Math.min(o.capacity, o.load) : o.capacity,
    currentLoad: o.load,
    active: true,
    keyWorker: o.keyWorker,
  }
}

export function autoAllocationService(
  db: Kysely<Database>,
  deps: { audit: AuditService; establishments: EstablishmentsService; training?: TrainingGate },
) {
  const repo = autoAllocationRepository(db)
  const allocations = allocationsRepository(db)

  async function ratioOf(establishmentId: number) {
    const settings = await deps.establishments.settings(establishmentId)
    return settings?.effective.ratio ?? 6
  }

  /** Why nobody has room for the prisoners waiting, and what would make room (see src/domain/allocation/explain.ts). */
  async function explain(establishmentId: number, waiting: number): Promise<RoomExplanation> {
    const [settings, staff, loads] = await Promise.all([
      deps.establishments.settings(establishmentId),
      repo.staffForRoom(establishmentId),
      allocations.loads(establishmentId),
    ])
    return explainRoom({
      waiting,
      ratio: settings?.effective.ratio ?? 6,
      max: settings?.bounds.ratio.max ?? 6,
      officers: staff.map(o => ({
        keyWorker: o.key_worker === 1,
        status: o.status,
        returnDate: o.status_return_date,
        weeklyHours: o.weekly_hours,
        capacityOverride: o.capacity_override,
        load: loads.get(o.id) ?? 0,
      })),
    })
  }

  /** Everything the engine needs, plus a fingerprint that changes whenever any of it changes. */
  async function state(establishmentId: number, filter: PreviewFilter) {
    const ratio = await ratioOf(establishmentId)
    const [all, previous, staff, loads, training] = await Promise.all([
      repo.unallocated(establishmentId),
      repo.previous(establishmentId),
      repo.officers(establishmentId),
      allocations.loads(establishmentId),
      trainingOf(deps.training, establishmentId),
    ])
    const today = todayIso()
    const cutoff = filter.waitingDays ? addDays(today, -filter.waitingDays) : null
    const prisoners = all.filter(
      p =>
        (!filter.unitCode || p.unit_code === filter.unitCode) &&
        (!filter.interpreter || p.interpreter_needed === 1) &&
        (!cutoff || p.reception_date <= cutoff),
    )
    const previousBy = new Map<number, string[]>()
    for (const row of previous) {
      const list = previousBy.get(row.prisoner_id) ?? []
      if (!list.includes(String(row.staff_id))) list.push(String(row.staff_id))
      previousBy.set(row.prisoner_id, list)
    }
    const officers = staff.map(o => {
      const trained = training.trained.has(o.id)
      return {
        ...o,
        capacity: effectiveCapacity(ratio, o.weekly_hours, o.capacity_override),
        load: loads.get(o.id) ?? 0,
        keyWorker: o.key_worker === 1,
        label: officerLabel(o),
        /** has done the initial course */
        trained,
        /** the training rules refuse this officer new prisoners */
        closed: training.rule === 'refuse' && !trained,
      }
    })
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          prisoners.map(p => p.id),
          officers.map(o => [o.id, o.capacity, o.load, o.keyWorker, o.closed]),
        ]),
      )
      .digest('hex')
      .slice(0, 32)
    return { prisoners, officers, previousBy, today, fingerprint, untrainedRule: training.rule }
  }

  return {
    unallocated: (establishmentId: number, filter: PreviewFilter = {}) => state(establishmentId, filter),

    /** Where the training rules warn: the officers among these who have not done the initial course, by name. */
    async untrainedAmong(establishmentId: number, staffIds: number[]): Promise<string[]> {
      const training = await trainingOf(deps.training, establishmentId)
      if (training.rule !== 'warn') return []
      const ids = new Set(staffIds.filter(id => !training.trained.has(id)))
      if (ids.size === 0) return []
      return (await repo.officers(establishmentId)).filter(o => ids.has(o.id)).map(o => officerLabel(o))
    },
    explain,

    /** Runs the engine; nothing is saved. */
    async preview(establishmentId: number, filter: PreviewFilter, strategy: Strategy = 'optimal') {
      const s = await state(establishmentId, filter)
      const result: AllocationResult = allocate(
        {
          today: s.today,
          prisoners: s.prisoners.map(p => enginePrisoner(p, s.previousBy.get(p.id) ?? [])),
          // an untrained Key Worker where the training rules refuse them is not offered to the engine at all
          officers: s.officers.filter(o => !o.closed).map(engineOfficer),
        },
        { strategy },
      )
      const prisonerById = new Map(s.prisoners.map(p => [String(p.id), p]))
      const officerById = new Map(s.officers.map(o => [String(o.id), o]))
      const proposed = new Map<string, number>()
      for (const pair of result.pairs) proposed.set(pair.officerId, (proposed.get(pair.officerId) ?? 0) + 1)
      const unallocated = result.unallocated.map(u => ({ ...u, prisoner: prisonerById.get(u.prisonerId)! }))
      // one group per reason, so 263 men waiting for the same reason read as one line, not 263
      const groups = new Map<string, typeof unallocated>()
      for (const u of unallocated) groups.set(u.reason, [...(groups.get(u.reason) ?? []), u])
      const noRoom = unallocated.filter(u => u.reason === NO_ROOM_REASON || u.reason === NO_OFFICER_REASON).length
      return {
        fingerprint: s.fingerprint,
        stats: result.stats,
        pairs: result.pairs.map(pair => ({
          ...pair,
          prisoner: prisonerById.get(pair.prisonerId)!,
          officer: officerById.get(pair.officerId)!,
        })),
        unallocated,
        unallocatedGroups: [...groups].map(([reason, rows]) => ({ reason, rows })),
        /** why nobody had room for some, and what would help; null when everyone found a Key Worker */
        explanation: noRoom > 0 ? await explain(establishmentId, noRoom) : null,
        /**
         * Every Key Worker with room on their caseload today, whatever the engine proposed: the choices for a
         * change. Confirming checks capacity again, counting every row.
         */
        officersWithRoom: s.officers
          .filter(o => o.keyWorker && !o.closed && o.load < o.capacity)
          .map(o => ({
            id: o.id,
            name: o.label,
            load: o.load,
            capacity: o.capacity,
            proposed: proposed.get(String(o.id)) ?? 0,
            /** shown as "not trained" where the training rules warn */
            untrained: s.untrainedRule === 'warn' && !o.trained,
          })),
        /** the training rule in force for Key Workers without the initial course */
        untrainedRule: s.untrainedRule,
        /** where the rules warn: each untrained Key Worker the engine proposed, and how many prisoners */
        untrainedWarnings:
          s.untrainedRule === 'warn'
            ? s.officers
                .filter(o => !o.trained && (proposed.get(String(o.id)) ?? 0) > 0)
                .map(o => ({ id: o.id, name: o.label, proposed: proposed.get(String(o.id))! }))
            : [],
        /** where the rules refuse: the Key Workers left out because they have not done the initial course */
        refusedUntrained: s.officers.filter(o => o.keyWorker && o.closed).map(o => ({ id: o.id, name: o.label })),
      }
    },

    /**
     * Saves what the Supervising Officer confirmed, all or nothing. Refuses a stale preview (the prisoners or the
     * officers' loads changed since it was made) and any row that would break capacity.
     */
    async confirm(
      actor: Actor,
      establishmentId: number,
      filter: PreviewFilter,
      fingerprint: string,
      rows: ConfirmRow[],
    ): Promise<Result<number>> {
      if ((await deps.establishments.byId(establishmentId))?.auto_allocation === 0) return fail({ form: AUTO_OFF })
      const s = await state(establishmentId, filter)
      if (s.fingerprint !== fingerprint) {
        return fail({
          form: 'Allocations changed since this preview was made. Nothing was saved: check the new preview and confirm again.',
        })
      }
      const prisoners = new Map(s.prisoners.map(p => [p.prison_number, p]))
      const officers = new Map(s.officers.map(o => [o.id, o]))
      const adding = new Map<number, number>()
      // rows the Supervising Officer changed are checked last, so an error names the changed row, not an untouched one
      const ordered = [...rows.filter(r => !r.overridden), ...rows.filter(r => r.overridden)]
      for (const row of ordered) {
        if (row.staffId === null) continue
        const p = prisoners.get(row.prisonNumber)
        const o = officers.get(row.staffId)
        const key = `staff_${row.prisonNumber}`
        if (!p) return fail({ [key]: `${row.prisonNumber} is not waiting for a Key Worker. Nothing was saved.` })
        const who = `${p.last_name}, ${p.first_name} (${p.prison_number})`
        if (!o || !o.keyWorker)
          return fail({
            [key]: `${who}: the officer chosen is not an active Key Worker here. Choose another. Nothing was saved.`,
          })
        if (o.closed) return fail({ [key]: `${who}: ${untrainedRefusal(o.label)} Nothing was saved.` })
        adding.set(o.id, (adding.get(o.id) ?? 0) + 1)
        if (o.load + adding.get(o.id)! > o.capacity) {
          return fail({
            [key]: `${who}: ${o.label} would have more than ${o.capacity} prisoners (${o.load} already). Choose another Key Worker. Nothing was saved.`,
          })
        }
      }
      try {
        return await db.transaction().execute(async trx => {
          const now = new Date().toISOString()
          let saved = 0
          for (const row of rows) {
            if (row.staffId === null) continue
            const p = prisoners.get(row.prisonNumber)!
            const id = await allocations.insert(trx, {
              establishment_id: establishmentId,
              prisoner_id: p.id,
              staff_id: row.staffId,
              allocated_at: now,
              allocated_by: actor.username,
              allocation_reason: row.overridden ? 'manual' : 'auto',
            })
            await deps.audit.record(trx, actor, {
              action: 'create',
              entity: 'allocation',
              entityId: id,
              establishmentId,
              changes: { prisoner: p.prison_number, staff_id: row.staffId, reason: row.overridden ? 'manual' : 'auto' },
            })
            saved++
          }
          return ok(saved)
        })
      } catch (err) {
        if (isUniqueViolation(err)) {
          return fail({
            form: 'Someone else allocated some of these prisoners at the same moment. Nothing was saved: check the new preview.',
          })
        }
        throw err
      }
    },
  }
}

export type AutoAllocationService = ReturnType<typeof autoAllocationService>
