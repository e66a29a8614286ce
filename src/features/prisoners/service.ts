import type { Kysely } from 'kysely'
import type { Database, NewPrisoner, Prisoner } from '../../db/types'
import { diff } from '../../domain/audit'
import type { Actor, AuditService } from '../audit/service'
import { type Result, fail, ok } from '../../domain/result'
import { unitsRepository } from '../units/repository'
import { type PrisonerSearch, prisonersRepository } from './repository'
import type { PrisonerRecord } from './schema'

export const PAGE_SIZE = 50

function toRow(r: PrisonerRecord, establishmentId: number, unitId: number | null) {
  return {
    prison_number: r.prisonNumber,
    first_name: r.firstName,
    last_name: r.lastName,
    date_of_birth: r.dateOfBirth,
    establishment_id: establishmentId,
    unit_id: unitId,
    cell: r.cell,
    reception_date: r.receptionDate,
    release_date: r.releaseDate,
    status: r.status,
    complexity: r.complexity,
    first_language: r.firstLanguage,
    interpreter_needed: r.interpreterNeeded ? 1 : 0,
    nationality: r.nationality,
  }
}

export interface SaveOutcome {
  created: number
  updated: number
  unchanged: number
  released: number
}

/**
 * A change to a prisoner's record that other features may need to act on (allocations ends a Key Worker on
 * release, transfer or high complexity). Only the fields that changed are present.
 */
export interface PrisonerChange {
  prisonerId: number
  prisonNumber: string
  /** where the prisoner was before the change */
  establishmentId: number
  status?: { from: string; to: string }
  complexity?: { from: string; to: string }
  establishment?: { from: number; to: number }
}

/**
 * Called inside the transaction that changed the prisoner, so whatever a hook writes commits or rolls back with
 * it (an import stays all-or-nothing). A hook rather than an import because allocations depends on prisoners.
 */
export interface PrisonerHooks {
  onPrisonerChanged?(trx: Kysely<Database>, actor: Actor, change: PrisonerChange): Promise<unknown>
}

export function prisonersService(db: Kysely<Database>, audit: AuditService, hooks: PrisonerHooks = {}) {
  const repo = prisonersRepository(db)
  const units = unitsRepository(db)

  async function changed(trx: Kysely<Database>, actor: Actor, change: PrisonerChange) {
    if (change.status || change.complexity || change.establishment) await hooks.onPrisonerChanged?.(trx, actor, change)
  }

  /** Inserts or updates one prisoner by prison number, auditing what changed; returns what happened. */
  async function upsert(
    trx: Kysely<Database>,
    actor: Actor,
    establishmentId: number,
    record: PrisonerRecord,
    unitId: number | null,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const now = new Date().toISOString()
    const values = toRow(record, establishmentId, unitId)
    const existing = await repo.anyByPrisonNumber(trx, record.prisonNumber)
    if (!existing) {
      const row: NewPrisoner = { ...values, created_at: now, updated_at: now }
      const id = await repo.insert(trx, row)
      await audit.record(trx, actor, {
        action: 'create',
        entity: 'prisoner',
        entityId: record.prisonNumber,
        establishmentId,
        changes: diff(null, values),
      })
      void id
      return 'created'
    }
    const changes = diff(pick(existing, Object.keys(values)), values)
    if (Object.keys(changes).length === 0) return 'unchanged'
    await repo.update(trx, existing.id, { ...values, updated_at: now })
    await audit.record(trx, actor, {
      action: 'update',
      entity: 'prisoner',
      entityId: record.prisonNumber,
      establishmentId,
      changes,
    })
    await changed(trx, actor, {
      prisonerId: existing.id,
      prisonNumber: existing.prison_number,
      establishmentId: existing.establishment_id,
      ...(existing.status !== values.status ? { status: { from: existing.status, to: values.status } } : {}),
      ...(existing.complexity !== values.complexity
        ? { complexity: { from: existing.complexity, to: values.complexity } }
        : {}),
      ...(existing.establishment_id !== values.establishment_id
        ? { establishment: { from: existing.establishment_id, to: values.establishment_id } }
        : {}),
    })
    return 'updated'
  }

  return {
    search: (s: PrisonerSearch) => repo.search(s),
    summary: (establishmentId: number) => repo.summary(establishmentId),
    units: (establishmentId: number) => units.list(establishmentId),

    /** Reads a prisoner's record and audits the view in the same transaction. */
    async view(actor: Actor, establishmentId: number, prisonNumber: string) {
      const prisoner = await repo.byPrisonNumber(establishmentId, prisonNumber)
      if (!prisoner) return undefined
      await audit.recordAlone(actor, { action: 'view', entity: 'prisoner', entityId: prisonNumber, establishmentId })
      return prisoner
    },

    get: (establishmentId: number, prisonNumber: string) => repo.byPrisonNumber(establishmentId, prisonNumber),

    /** Resolves unit codes against the establishment's units; errors keyed by field. */
    async unitIdFor(trx: Kysely<Database>, establishmentId: number, code: string | null) {
      if (!code) return { ok: true as const, id: null }
      const unit = await units.byCode(trx, establishmentId, code.toUpperCase())
      return unit
        ? { ok: true as const, id: unit.id }
        : { ok: false as const, error: `Residential unit ${code} is not a unit of this establishment` }
    },

    async create(actor: Actor, establishmentId: number, record: PrisonerRecord): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.anyByPrisonNumber(trx, record.prisonNumber)
        if (existing)
          return fail({ prisonNumber: `A prisoner with prison number ${record.prisonNumber} already exists` })
        const unit = await this.unitIdFor(trx, establishmentId, record.unit)
        if (!unit.ok) return fail({ unit: unit.error })
        await upsert(trx, actor, establishmentId, record, unit.id)
        return ok()
      })
    },

    async update(actor: Actor, establishmentId: number, prisonNumber: string, record: PrisonerRecord): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.anyByPrisonNumber(trx, prisonNumber)
        if (!existing || existing.establishment_id !== establishmentId)
          return fail({ prisonNumber: 'Prisoner not found' })
        if (record.prisonNumber !== prisonNumber) return fail({ prisonNumber: 'The prison number cannot be changed' })
        const unit = await this.unitIdFor(trx, establishmentId, record.unit)
        if (!unit.ok) return fail({ unit: unit.error })
        await upsert(trx, actor, establishmentId, record, unit.id)
        return ok()
      })
    },

    /**
     * Saves validated records inside the caller's transaction (imports are all-or-nothing).
     * With fullRoll, prisoners of the establishment missing from the records are marked released; nobody is deleted.
     * Prison numbers in keep are never released (an import's skipped rows: the prisoner is in the roll).
     */
    async saveMany(
      trx: Kysely<Database>,
      actor: Actor,
      establishmentId: number,
      records: { record: PrisonerRecord; unitId: number | null }[],
      opts: { fullRoll: boolean; keep?: ReadonlySet<string> },
    ): Promise<SaveOutcome> {
      const outcome: SaveOutcome = { created: 0, updated: 0, unchanged: 0, released: 0 }
      for (const { record, unitId } of records) outcome[await upsert(trx, actor, establishmentId, record, unitId)]++
      if (opts.fullRoll) {
        const present = new Set(records.map(r => r.record.prisonNumber))
        const now = new Date().toISOString()
        for (const p of await repo.inEstablishment(trx, establishmentId)) {
          if (present.has(p.prison_number) || opts.keep?.has(p.prison_number)) continue
          await repo.update(trx, p.id, { status: 'released', updated_at: now })
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'prisoner',
            entityId: p.prison_number,
            establishmentId,
            changes: { status: { from: p.status, to: 'released' }, reason: 'not in full roll import' },
          })
          await changed(trx, actor, {
            prisonerId: p.id,
            prisonNumber: p.prison_number,
            establishmentId,
            status: { from: p.status, to: 'released' },
          })
          outcome.released++
        }
      }
      return outcome
    },
  }
}

function pick(row: Prisoner, keys: string[]): Record<string, unknown> {
  const r = row as unknown as Record<string, unknown>
  return Object.fromEntries(keys.map(k => [k, r[k]]))
}

export type PrisonersService = ReturnType<typeof prisonersService>
