import type { Kysely } from 'kysely'
import type { Database, Staff } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { type Result, fail, ok } from '../../domain/result'
import { joinLanguages } from '../../domain/staff'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { UnitsService } from '../units/service'
import { type StaffSearch, staffRepository } from './repository'
import type { StaffRecord } from './schema'

export const PAGE_SIZE = 50

/**
 * A staff record from a form: the record, the user account to link and the capacity override (for both: null
 * clears it; left out keeps it, as the CSV import does).
 */
export type StaffInput = StaffRecord & { userId?: number | null; capacityOverride?: number | null }

export interface StaffSaveOutcome {
  created: number
  updated: number
  unchanged: number
}

const ENTITY = 'staff'

function toRow(r: StaffRecord, establishmentId: number, homeUnitId: number | null) {
  return {
    establishment_id: establishmentId,
    staff_number: r.staffNumber,
    first_name: r.firstName,
    last_name: r.lastName,
    grade: r.grade,
    email: r.email,
    working_pattern: r.workingPattern,
    weekly_hours: r.weeklyHours,
    started_in_post: r.startedInPost,
    languages: joinLanguages(r.languages),
    status: r.status,
    status_return_date: r.statusReturnDate,
    home_unit_id: homeUnitId,
    // undefined as well as null: callers that build a record in code may leave it out
    ...(r.keyWorker === null || r.keyWorker === undefined ? {} : { key_worker: r.keyWorker ? 1 : 0 }),
  }
}

function pick(row: Staff, keys: string[]): Record<string, unknown> {
  const r = row as unknown as Record<string, unknown>
  return Object.fromEntries(keys.map(k => [k, r[k]]))
}

export function staffService(db: Kysely<Database>, audit: AuditService, deps: { units: UnitsService }) {
  const repo = staffRepository(db)
  const { units } = deps

  /** Inserts or updates one staff member by staff number within the establishment, auditing what changed. */
  async function upsert(
    trx: Kysely<Database>,
    actor: Actor,
    establishmentId: number,
    record: StaffRecord,
    homeUnitId: number | null,
    userId: number | null | undefined,
    capacityOverride?: number | null,
  ): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; id: number }> {
    const now = new Date().toISOString()
    const values = {
      ...toRow(record, establishmentId, homeUnitId),
      ...(userId === undefined ? {} : { user_id: userId }),
      ...(capacityOverride === undefined ? {} : { capacity_override: capacityOverride }),
    }
    const existing = await repo.byStaffNumber(trx, establishmentId, record.staffNumber)
    if (!existing) {
      const created = { key_worker: record.grade === 'Band 3' ? 1 : 0, ...values }
      const id = await repo.insert(trx, { user_id: null, ...created, created_at: now, updated_at: now })
      await audit.record(trx, actor, {
        action: 'create',
        entity: ENTITY,
        entityId: record.staffNumber,
        establishmentId,
        changes: diff(null, created),
      })
      return { outcome: 'created', id }
    }
    const changes = diff(pick(existing, Object.keys(values)), values)
    if (Object.keys(changes).length === 0) return { outcome: 'unchanged', id: existing.id }
    await repo.update(trx, existing.id, { ...values, updated_at: now })
    await audit.record(trx, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: record.staffNumber,
      establishmentId,
      changes,
    })
    return { outcome: 'updated', id: existing.id }
  }

  /** Checks the unit and the user account a form names; errors keyed by field. */
  async function references(
    trx: Kysely<Database>,
    establishmentId: number,
    input: StaffInput,
    staffId: number | null,
  ): Promise<Result<{ homeUnitId: number | null }>> {
    let homeUnitId: number | null = null
    if (input.homeUnit) {
      const unit = await units.byCode(trx, establishmentId, input.homeUnit)
      if (!unit) return fail({ homeUnit: `Residential unit ${input.homeUnit} is not a unit of this establishment` })
      homeUnitId = unit.id
    }
    if (input.userId !== undefined && input.userId !== null) {
      const users = await repo.linkableUsers(trx, establishmentId)
      if (!users.some(u => u.id === input.userId))
        return fail({ userId: 'Choose a user account with a role in this establishment' })
      const taken = (await repo.linkedToUser(trx, establishmentId, input.userId)).filter(s => s.id !== staffId)
      if (taken.length)
        return fail({ userId: `That user account is already linked to staff number ${taken[0]!.staff_number}` })
    }
    return ok({ homeUnitId })
  }

  return {
    search: (s: StaffSearch) => repo.search(s),
    get: (establishmentId: number, staffId: number) => repo.byId(establishmentId, staffId),
    units: (establishmentId: number) => units.list(establishmentId),
    linkableUsers: (establishmentId: number) => repo.linkableUsers(db, establishmentId),
    /** The staff record(s) of the establishment linked to a user account. */
    linkedTo: (establishmentId: number, userId: number) => repo.linkedToUser(db, establishmentId, userId),

    async create(actor: Actor, establishmentId: number, input: StaffInput): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        if (await repo.byStaffNumber(trx, establishmentId, input.staffNumber))
          return fail<number>({
            staffNumber: `A member of staff with staff number ${input.staffNumber} already exists`,
          })
        const refs = await references(trx, establishmentId, input, null)
        if (!refs.ok) return fail<number>(refs.errors)
        const { id } = await upsert(
          trx,
          actor,
          establishmentId,
          input,
          refs.value.homeUnitId,
          input.userId ?? null,
          input.capacityOverride,
        )
        return ok(id)
      })
    },

    async update(actor: Actor, establishmentId: number, staffId: number, input: StaffInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byIdIn(trx, establishmentId, staffId)
        if (!existing) return fail({ staffNumber: 'Member of staff not found' })
        if (existing.staff_number !== input.staffNumber)
          return fail({ staffNumber: 'The staff number cannot be changed' })
        const refs = await references(trx, establishmentId, input, staffId)
        if (!refs.ok) return fail(refs.errors)
        await upsert(trx, actor, establishmentId, input, refs.value.homeUnitId, input.userId, input.capacityOverride)
        return ok()
      })
    },

    /**
     * Saves validated records inside the caller's transaction (imports are all-or-nothing), upserting by staff
     * number within the establishment. Links to user accounts are kept as they are.
     */
    async saveMany(
      trx: Kysely<Database>,
      actor: Actor,
      establishmentId: number,
      records: { record: StaffRecord; homeUnitId: number | null }[],
    ): Promise<StaffSaveOutcome> {
      const outcome: StaffSaveOutcome = { created: 0, updated: 0, unchanged: 0 }
      for (const { record, homeUnitId } of records)
        outcome[(await upsert(trx, actor, establishmentId, record, homeUnitId, undefined)).outcome]++
      return outcome
    },
  }
}

export type StaffService = ReturnType<typeof staffService>
