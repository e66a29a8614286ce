import type { Insertable, Kysely } from 'kysely'
import type { CustodyEventTable, Database, NewPrisoner, Prisoner } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import type { Actor, AuditService } from '../../platform/audit/service'
import { londonNow } from '../../domain/hubs'
import {
  type CustodyEventKind,
  custodyEventFor,
  heldElsewhereMessage,
  refusedWhileHeldElsewhere,
} from '../../domain/prisoner'
import { type Result, fail, ok } from '../../domain/result'
import type { UnitsService } from '../units/service'
import { custodyRepository } from './custodyRepository'
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

export function prisonersService(
  db: Kysely<Database>,
  audit: AuditService,
  deps: { units: UnitsService; hooks?: PrisonerHooks },
) {
  const repo = prisonersRepository(db)
  const { units } = deps
  const hooks = deps.hooks ?? {}
  const custody = custodyRepository()

  async function changed(trx: Kysely<Database>, actor: Actor, change: PrisonerChange) {
    if (change.status || change.complexity || change.establishment) await hooks.onPrisonerChanged?.(trx, actor, change)
  }

  /** Whether the establishment may not save this record: another establishment holds him in custody. */
  async function heldElsewhere(trx: Kysely<Database>, establishmentId: number, record: PrisonerRecord) {
    const { heldElsewhere, own } = await repo.custody(trx, establishmentId, [record.prisonNumber])
    return heldElsewhere.size > 0 && refusedWhileHeldElsewhere(own.size > 0, record.status)
  }

  async function recordCustodyEvent(
    trx: Kysely<Database>,
    actor: Actor,
    event: {
      kind: CustodyEventKind | 'complexity' | 'moved'
      prisonerId: number
      prisonNumber: string
      establishmentId: number
      unitId?: number | null
      complexity?: string | null
    },
    date: string,
    fromEstablishmentId: number | null,
  ) {
    await repo.insertCustodyEvent(trx, {
      prison_number: event.prisonNumber,
      kind: event.kind,
      establishment_id: event.establishmentId,
      prisoner_id: event.prisonerId,
      from_establishment_id: fromEstablishmentId,
      date,
      recorded_at: new Date().toISOString(),
      user_id: actor.userId,
      username: actor.username,
      unit_id: event.unitId ?? null,
      complexity: event.complexity ?? null,
    })
  }

  /**
   * Inserts or updates the establishment's own record of one prisoner by prison number, auditing what changed, and
   * records his coming into or leaving its custody; returns what happened. Refuses (changing nothing) while another
   * establishment holds him in custody. A transfer in is one audited event naming the establishment he came from;
   * nothing of that establishment's record is read or copied.
   */
  async function upsert(
    trx: Kysely<Database>,
    actor: Actor,
    establishmentId: number,
    record: PrisonerRecord,
    unitId: number | null,
    on?: string,
  ): Promise<'created' | 'updated' | 'unchanged' | 'held-elsewhere'> {
    const now = new Date().toISOString()
    const values = toRow(record, establishmentId, unitId)
    const existing = await repo.own(trx, establishmentId, record.prisonNumber)
    const arriving = values.status === 'in' && existing?.status !== 'in'
    if ((!existing || arriving) && (await heldElsewhere(trx, establishmentId, record))) return 'held-elsewhere'
    const cameFrom = arriving ? await repo.previousEstablishment(trx, establishmentId, record.prisonNumber) : undefined
    const kind = custodyEventFor(existing?.status ?? null, values.status, cameFrom !== undefined)
    const transferIn = kind === 'transfer_in' && cameFrom
    const action = transferIn ? 'transfer-in' : existing ? 'update' : 'create'
    const fromEstablishment = transferIn ? { from_establishment: cameFrom.code } : {}
    // arrivals are dated by the reception date of the record; departures by the day they are recorded (or `on`, the
    // day an HMPPS event says they happened)
    const eventDate = kind === 'transfer_in' || kind === 'reception' ? values.reception_date : (on ?? londonNow().date)
    // an arrival records the unit and complexity of need he arrives with
    const arrival = { unitId: values.unit_id, complexity: values.complexity }
    if (!existing) {
      const row: NewPrisoner = { ...values, created_at: now, updated_at: now }
      const id = await repo.insert(trx, row)
      await audit.record(trx, actor, {
        action,
        entity: 'prisoner',
        entityId: record.prisonNumber,
        establishmentId,
        changes: { ...diff(null, values), ...fromEstablishment },
      })
      const event = { prisonerId: id, prisonNumber: record.prisonNumber, establishmentId, ...arrival }
      if (kind) await recordCustodyEvent(trx, actor, { ...event, kind }, eventDate, cameFrom?.id ?? null)
      else {
        // a record of a stay already over: its history is the reception and the departure its dates give
        await recordCustodyEvent(trx, actor, { ...event, kind: 'reception' }, values.reception_date, null)
        const left =
          values.release_date && values.release_date > values.reception_date
            ? values.release_date
            : values.reception_date
        const departure = values.status === 'transferred' ? 'transfer_out' : 'release'
        await recordCustodyEvent(trx, actor, { ...event, kind: departure }, left, null)
      }
      return 'created'
    }
    const changes = diff(pick(existing, Object.keys(values)), values)
    if (Object.keys(changes).length === 0) return 'unchanged'
    await repo.update(trx, existing.id, { ...values, updated_at: now })
    // a corrected reception date re-dates the arrival of his stay, so the history (and the statistics) follow it
    const redated =
      existing.reception_date !== values.reception_date && kind !== 'reception' && kind !== 'transfer_in'
        ? await custody.redateArrival(trx, existing.id, values.reception_date)
        : undefined
    await audit.record(trx, actor, {
      action,
      entity: 'prisoner',
      entityId: record.prisonNumber,
      establishmentId,
      changes: {
        ...changes,
        ...fromEstablishment,
        ...(redated ? { [`${redated.kind}_event_date`]: { from: redated.from, to: redated.to } } : {}),
      },
    })
    const event = { prisonerId: existing.id, prisonNumber: record.prisonNumber, establishmentId }
    if (kind) {
      const more = kind === 'reception' || kind === 'transfer_in' ? arrival : {}
      await recordCustodyEvent(trx, actor, { ...event, ...more, kind }, eventDate, cameFrom?.id ?? null)
    } else if (existing.status === 'in' && values.status === 'in') {
      // while he stays, a change of complexity of need or of unit is dated the day it is recorded
      const today = on ?? londonNow().date
      if (existing.complexity !== values.complexity)
        await recordCustodyEvent(
          trx,
          actor,
          { ...event, kind: 'complexity', complexity: values.complexity },
          today,
          null,
        )
      if (existing.unit_id !== values.unit_id)
        await recordCustodyEvent(trx, actor, { ...event, kind: 'moved', unitId: values.unit_id }, today, null)
    }
    await changed(trx, actor, {
      prisonerId: existing.id,
      prisonNumber: existing.prison_number,
      establishmentId: existing.establishment_id,
      ...(existing.status !== values.status ? { status: { from: existing.status, to: values.status } } : {}),
      ...(existing.complexity !== values.complexity
        ? { complexity: { from: existing.complexity, to: values.complexity } }
        : {}),
    })
    return 'updated'
  }

  return {
    /**
     * Rebuilds the spells of eligibility from the custody events (one establishment, or all); returns the prisoner
     * records rebuilt. A repair: every change keeps them up to date.
     */
    rebuildCustody: (establishmentId: number | null) => custody.rebuild(db, establishmentId),
    /** Writes custody events of a bulk load and the spells they make, in the caller's transaction. */
    insertCustodyHistory: (trx: Kysely<Database>, events: Insertable<CustodyEventTable>[]) =>
      custody.insertHistory(trx, events),
    search: (s: PrisonerSearch) => repo.search(s),
    summary: (establishmentId: number) => repo.summary(establishmentId),
    units: (establishmentId: number) => units.list(establishmentId),

    /** Audits a view of his record (his page), before the page is shown. */
    async viewed(actor: Actor, establishmentId: number, prisonNumber: string) {
      await audit.recordAlone(actor, { action: 'view', entity: 'prisoner', entityId: prisonNumber, establishmentId })
    },

    get: (establishmentId: number, prisonNumber: string) => repo.byPrisonNumber(establishmentId, prisonNumber),

    /** Which establishments have a record of him, and his status in each (the API picks those its client may read). */
    recordsOf: (prisonNumber: string) => repo.recordsOf(prisonNumber),

    /** His movements that involve the establishment: which establishment, what and when, nothing else. */
    custodyEvents: (establishmentId: number, prisonNumber: string) => repo.custodyEvents(establishmentId, prisonNumber),

    /**
     * For an import, before its rows are checked: of these prison numbers, those another establishment holds in
     * custody and those the establishment has a record of (see refusedWhileHeldElsewhere).
     */
    custody: (establishmentId: number, prisonNumbers: readonly string[]) =>
      repo.custody(db, establishmentId, prisonNumbers),

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
        const existing = await repo.own(trx, establishmentId, record.prisonNumber)
        if (existing)
          return fail({ prisonNumber: `A prisoner with prison number ${record.prisonNumber} already exists` })
        if (await heldElsewhere(trx, establishmentId, record))
          return fail({ prisonNumber: heldElsewhereMessage(record.prisonNumber) })
        const unit = await this.unitIdFor(trx, establishmentId, record.unit)
        if (!unit.ok) return fail({ unit: unit.error })
        await upsert(trx, actor, establishmentId, record, unit.id)
        return ok()
      })
    },

    async update(actor: Actor, establishmentId: number, prisonNumber: string, record: PrisonerRecord): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.own(trx, establishmentId, prisonNumber)
        if (!existing) return fail({ prisonNumber: 'Prisoner not found' })
        if (record.prisonNumber !== prisonNumber) return fail({ prisonNumber: 'The prison number cannot be changed' })
        if (record.status === 'in' && existing.status !== 'in' && (await heldElsewhere(trx, establishmentId, record)))
          return fail({ status: heldElsewhereMessage(record.prisonNumber) })
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
     * The caller has refused the records of prisoners another establishment holds in custody (an import reports them
     * on their rows); one that slipped through since (another establishment took him meanwhile) rolls it all back.
     * `on`: the day departures, moves and complexity changes happened (an HMPPS event's); default today.
     */
    async saveMany(
      trx: Kysely<Database>,
      actor: Actor,
      establishmentId: number,
      records: { record: PrisonerRecord; unitId: number | null }[],
      opts: { fullRoll: boolean; keep?: ReadonlySet<string>; on?: string },
    ): Promise<SaveOutcome> {
      const outcome: SaveOutcome = { created: 0, updated: 0, unchanged: 0, released: 0 }
      for (const { record, unitId } of records) {
        const r = await upsert(trx, actor, establishmentId, record, unitId, opts.on)
        if (r === 'held-elsewhere') throw new Error(heldElsewhereMessage(record.prisonNumber))
        outcome[r]++
      }
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
          const event = { kind: 'release' as const, prisonerId: p.id, prisonNumber: p.prison_number, establishmentId }
          await recordCustodyEvent(trx, actor, event, londonNow().date, null)
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
