import type { Kysely } from 'kysely'
import type { Database, ResidentialUnit } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import { descendantIds, parentProblems, unitTree } from '../../domain/unitHierarchy'
import { unitsRepository } from './repository'
import type { UnitRecord } from './schema'

export interface UnitsSaveOutcome {
  created: number
  updated: number
  unchanged: number
}

/** A unit record whose parent may be left out (a top-level unit). */
export type UnitInput = Omit<UnitRecord, 'parent'> & { parent?: string | null }

const ENTITY = 'residential_unit'

function toRow(r: UnitInput, establishmentId: number, parentId: number | null) {
  return { establishment_id: establishmentId, code: r.code, name: r.name, parent_id: parentId, capacity: r.capacity }
}

function pick(row: ResidentialUnit, keys: string[]): Record<string, unknown> {
  const r = row as unknown as Record<string, unknown>
  return Object.fromEntries(keys.map(k => [k, r[k]]))
}

export function unitsService(db: Kysely<Database>, audit: AuditService) {
  const repo = unitsRepository(db)

  /** Writes the row if anything changed and audits the difference; the unit must exist already. */
  async function saveExisting(
    trx: Kysely<Database>,
    actor: Actor,
    existing: ResidentialUnit,
    values: ReturnType<typeof toRow>,
  ): Promise<'updated' | 'unchanged'> {
    const changes = diff(pick(existing, Object.keys(values)), values)
    if (Object.keys(changes).length === 0) return 'unchanged'
    await repo.update(trx, existing.id, { ...values, updated_at: new Date().toISOString() })
    await audit.record(trx, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: existing.id,
      establishmentId: existing.establishment_id,
      changes,
    })
    return 'updated'
  }

  async function insert(trx: Kysely<Database>, actor: Actor, values: ReturnType<typeof toRow>): Promise<number> {
    const now = new Date().toISOString()
    const id = await repo.insert(trx, { ...values, created_at: now, updated_at: now })
    await audit.record(trx, actor, {
      action: 'create',
      entity: ENTITY,
      entityId: id,
      establishmentId: values.establishment_id,
      changes: diff(null, values),
    })
    return id
  }

  /** The parent's id, or a message for the parent field. */
  async function parentIdFor(
    trx: Kysely<Database>,
    establishmentId: number,
    record: UnitInput,
    self: number | null,
  ): Promise<{ ok: true; id: number | null } | { ok: false; error: string }> {
    if (!record.parent) return { ok: true, id: null }
    if (record.parent === record.code) return { ok: false, error: 'A unit cannot be inside itself' }
    const parent = await repo.byCode(trx, establishmentId, record.parent)
    if (!parent) return { ok: false, error: `Parent unit ${record.parent} is not a unit of this establishment` }
    if (self !== null) {
      if (parent.id === self) return { ok: false, error: 'A unit cannot be inside itself' }
      const all = await repo.listIn(trx, establishmentId)
      if (descendantIds(all, self).has(parent.id))
        return { ok: false, error: `${parent.code} is inside this unit, so this unit cannot be inside it` }
    }
    return { ok: true, id: parent.id }
  }

  /** Problems with the parents of records about to be imported, by record index (for the import's report). */
  async function checkParents(trx: Kysely<Database>, establishmentId: number, records: readonly UnitInput[]) {
    const existing = await repo.listIn(trx, establishmentId)
    const codeOf = new Map(existing.map(u => [u.id, u.code]))
    return parentProblems(
      existing.map(u => ({ code: u.code, parent: u.parent_id === null ? null : (codeOf.get(u.parent_id) ?? null) })),
      records.map(r => ({ code: r.code, parent: r.parent ?? null })),
    )
  }

  return {
    list: (establishmentId: number) => repo.list(establishmentId),
    /** A unit of the establishment by its code, in the caller's transaction (for the features that name units). */
    byCode: (trx: Kysely<Database>, establishmentId: number, code: string) => repo.byCode(trx, establishmentId, code),
    get: (establishmentId: number, id: number) => repo.byId(establishmentId, id),

    /** Every unit in reading order (a houseblock, then its wings), with capacity and the prisoners in it now. */
    async overview(establishmentId: number) {
      const rows = unitTree(await repo.listWithOccupancy(establishmentId))
      const top = rows.filter(r => r.depth === 0)
      return {
        rows,
        capacity: top.reduce((n, r) => n + r.capacity, 0),
        occupied: top.reduce((n, r) => n + r.occupiedWithin, 0),
      }
    },

    /** Units a unit may be placed inside: not itself, nor any unit inside it. */
    async parentOptions(establishmentId: number, unitId: number | null) {
      const all = await repo.list(establishmentId)
      if (unitId === null) return all
      const inside = descendantIds(all, unitId)
      return all.filter(u => u.id !== unitId && !inside.has(u.id))
    },

    async create(actor: Actor, establishmentId: number, record: UnitInput): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        if (await repo.byCode(trx, establishmentId, record.code))
          return fail<number>({ code: `A unit with code ${record.code} already exists` })
        const parent = await parentIdFor(trx, establishmentId, record, null)
        if (!parent.ok) return fail<number>({ parent: parent.error })
        return ok(await insert(trx, actor, toRow(record, establishmentId, parent.id)))
      })
    },

    async update(actor: Actor, establishmentId: number, unitId: number, record: UnitInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byIdIn(trx, establishmentId, unitId)
        if (!existing) return fail({ code: 'Residential unit not found' })
        const clash = await repo.byCode(trx, establishmentId, record.code)
        if (clash && clash.id !== unitId) return fail({ code: `A unit with code ${record.code} already exists` })
        const parent = await parentIdFor(trx, establishmentId, record, unitId)
        if (!parent.ok) return fail({ parent: parent.error })
        await saveExisting(trx, actor, existing, toRow(record, establishmentId, parent.id))
        return ok()
      })
    },

    parentProblems: checkParents,

    /**
     * Saves validated records inside the caller's transaction (imports are all-or-nothing), upserting by code.
     * A parent may come later in the same file, so new units are inserted first and parents set in a second pass;
     * each created or changed unit gets one audit event with its final values. Throws, so the caller's transaction
     * rolls back, if a parent is unknown or a unit would end up inside itself (check with parentProblems first).
     */
    async saveMany(
      trx: Kysely<Database>,
      actor: Actor,
      establishmentId: number,
      records: UnitInput[],
    ): Promise<UnitsSaveOutcome> {
      const problems = await checkParents(trx, establishmentId, records)
      if (problems.length) {
        const first = problems[0]!
        throw new Error(`Unit ${records[first.index]?.code}: ${first.message}`)
      }
      const outcome: UnitsSaveOutcome = { created: 0, updated: 0, unchanged: 0 }
      const idByCode = new Map((await repo.listIn(trx, establishmentId)).map(u => [u.code, u.id]))
      const now = new Date().toISOString()
      // first pass: every new unit exists, without its parent yet
      const created = new Set<string>()
      for (const r of records) {
        if (idByCode.has(r.code)) continue
        const id = await repo.insert(trx, { ...toRow(r, establishmentId, null), created_at: now, updated_at: now })
        idByCode.set(r.code, id)
        created.add(r.code)
      }
      // second pass: parents resolved, final values written and audited once per unit
      const lastByCode = new Map<string, UnitInput>() // a repeated code: its last row wins, in first-seen order
      for (const r of records) lastByCode.set(r.code, r)
      for (const r of lastByCode.values()) {
        const parentId = r.parent ? (idByCode.get(r.parent) ?? null) : null
        const values = toRow(r, establishmentId, parentId)
        const id = idByCode.get(r.code)!
        if (created.has(r.code)) {
          // the final values: a repeated code's last row, and the parent now that it exists
          await repo.update(trx, id, values)
          await audit.record(trx, actor, {
            action: 'create',
            entity: ENTITY,
            entityId: id,
            establishmentId,
            changes: diff(null, values),
          })
          outcome.created++
        } else {
          const existing = await repo.byIdIn(trx, establishmentId, id)
          if (!existing) throw new Error(`unit ${r.code} vanished during the import`)
          outcome[await saveExisting(trx, actor, existing, values)]++
        }
      }
      return outcome
    },
  }
}

export type UnitsService = ReturnType<typeof unitsService>
