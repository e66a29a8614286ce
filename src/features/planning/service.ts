import type { Db } from '../../platform/db/database'
import type { Selectable } from 'kysely'
import type { KeyWorkSlotTable } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { formatTime, londonNow, normaliseTime } from '../../domain/hubs'
import {
  type Due,
  type Piece,
  type Slot,
  byDue,
  describeKeyWorkSlot,
  keyWorkPieces,
  nextDue,
  slotClash,
  slotTimeProblems,
  withinKeyWorkTime,
} from '../../domain/planning'
import { type Result, fail, ok } from '../../domain/result'
import { officerLabel } from '../../domain/officerLabel'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { EstablishmentsService } from '../establishments/service'
import type { HubsService } from '../hubs/service'
import type { StaffService } from '../staff/service'
import { planningRepository } from './repository'
import type { BookInput, SlotInput } from './schema'

export const SESSIONS_DUE_PAGE_SIZE = 50
/** "My sessions" offers at most this many slots, looking at most at MAX_PIECES pieces of key work time. */
export const MAX_OFFERS = 10
const MAX_PIECES = 40
export const KEY_WORK_PURPOSE = 'Key work session'

const SLOT = 'key_work_slot'

type Now = { date: string; minutes: number }

export interface DueFilter {
  houseblockId?: number
  staffId?: number
  page?: number
}

export interface Counts {
  prisoners: number
  overdue: number
  dueThisWeek: number
}

const toSlot = (r: Selectable<KeyWorkSlotTable>): Slot => ({
  id: r.id,
  weekday: r.weekday,
  onDate: r.on_date,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  validFrom: r.valid_from,
  validTo: r.valid_to,
})

const count = (rows: { due: Due }[]): Counts => ({
  prisoners: rows.length,
  overdue: rows.filter(r => r.due.overdue).length,
  dueThisWeek: rows.filter(r => r.due.dueThisWeek).length,
})

export function planningService(
  db: Db,
  deps: { audit: AuditService; establishments: EstablishmentsService; staff: StaffService; hubs: HubsService },
) {
  const repo = planningRepository(db.db, db.dialect)
  const { audit } = deps

  async function frequencyOf(establishmentId: number) {
    const settings = await deps.establishments.settings(establishmentId)
    return {
      frequencyWeeks: settings?.effective.frequencyWeeks ?? 1,
      sessionMinutes: settings?.effective.sessionMinutes ?? 45,
    }
  }

  /** Each prisoner on the caseloads (all, or one officer's) with houseblock and due date, overdue first. */
  async function dueRows(establishmentId: number, staffId: number | undefined, now: Now) {
    const [{ frequencyWeeks }, rows, units] = await Promise.all([
      frequencyOf(establishmentId),
      repo.caseloads(establishmentId, staffId),
      repo.units(establishmentId),
    ])
    const unitById = new Map(units.map(u => [u.id, u]))
    const houseblockOf = (unitId: number | null) => {
      let u = unitId === null ? undefined : unitById.get(unitId)
      for (let depth = 0; u && u.parent_id !== null && depth < 20; depth++) u = unitById.get(u.parent_id) ?? u
      return u ? { id: u.id, code: u.code, name: u.name } : null
    }
    return {
      frequencyWeeks,
      houseblocks: units.filter(u => u.parent_id === null),
      rows: rows
        .map(r => ({
          ...r,
          unit_name: r.unit_id === null ? null : (unitById.get(r.unit_id)?.name ?? null),
          houseblock: houseblockOf(r.unit_id),
          staff_name: officerLabel({
            first_name: r.staff_first_name,
            last_name: r.staff_last_name,
            staff_number: r.staff_number,
          }),
          due: nextDue({
            lastSession: r.last_session ? String(r.last_session) : null,
            allocatedAt: r.allocated_at,
            frequencyWeeks,
            today: now.date,
          }),
        }))
        .sort(byDue),
    }
  }

  return {
    /** An officer's key work time, weekly slots first. */
    async slots(establishmentId: number, staffId: number) {
      return (await repo.slots(db.db, establishmentId, staffId))
        .map(r => ({ ...toSlot(r), description: describeKeyWorkSlot(toSlot(r)) }))
        .sort((a, b) => Number(a.onDate !== null) - Number(b.onDate !== null))
    },

    /** Adds a slot of key work time: times on 5-minute marks, not in the past, not overlapping another slot. */
    async addSlot(
      actor: Actor,
      establishmentId: number,
      staffId: number,
      input: SlotInput,
      opts: { now?: Date } = {},
    ): Promise<Result<number>> {
      const problems = slotTimeProblems(input.startsAt, input.endsAt)
      if (Object.keys(problems).length) return fail(problems)
      const today = londonNow(opts.now).date
      if (input.onDate !== null && input.onDate < today)
        return fail({ onDate: 'The date must be today or in the future' })
      if (input.onDate === null && input.validTo !== null && input.validTo < today)
        return fail({ validTo: 'The last day must be today or in the future' })
      const slot: Slot = {
        weekday: input.weekday,
        onDate: input.onDate,
        startsAt: normaliseTime(input.startsAt)!,
        endsAt: normaliseTime(input.endsAt)!,
        validFrom: input.validFrom,
        validTo: input.validTo,
      }
      return db.db.transaction().execute(async trx => {
        if (!(await repo.lockStaff(trx, establishmentId, staffId)))
          return fail<number>({ form: 'Staff member not found' })
        const existing = (await repo.slots(trx, establishmentId, staffId)).map(toSlot)
        const clash = slotClash(slot, existing)
        if (clash) return fail<number>({ startsAt: clash.message })
        const values = {
          establishment_id: establishmentId,
          staff_id: staffId,
          weekday: slot.weekday,
          on_date: slot.onDate,
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
          valid_from: slot.validFrom,
          valid_to: slot.validTo,
        }
        const id = await repo.insertSlot(trx, {
          ...values,
          created_at: new Date().toISOString(),
          created_by: actor.username,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: SLOT,
          entityId: id,
          establishmentId,
          changes: diff(null, values),
        })
        return ok(id)
      })
    },

    async removeSlot(actor: Actor, establishmentId: number, staffId: number, slotId: number): Promise<Result<string>> {
      return db.db.transaction().execute(async trx => {
        const row = await repo.slot(trx, establishmentId, staffId, slotId)
        if (!row || !(await repo.deleteSlot(trx, row.id)))
          return fail<string>({ form: 'That key work time has already been removed' })
        const { id: _id, created_at: _c, created_by: _b, ...values } = row
        await audit.record(trx, actor, {
          action: 'delete',
          entity: SLOT,
          entityId: row.id,
          establishmentId,
          changes: diff(values, null),
        })
        return ok(describeKeyWorkSlot(toSlot(row)))
      })
    },

    /**
     * When each prisoner on an officer's caseload was last seen and is next due, by prisoner id (for "My
     * caseload"). The last delivered session comes from this feature's own read of key_work_sessions.
     */
    async dueFor(establishmentId: number, staffId: number, now?: Date): Promise<Map<number, Due>> {
      const { rows } = await dueRows(establishmentId, staffId, londonNow(now))
      return new Map(rows.map(r => [r.id, r.due]))
    },

    /**
     * "My sessions" for a signed-in Key Worker: the caseload by due date, the planned bookings, and offered slots
     * (free pieces of key work time in the coming 14 days, each with the rooms free then).
     */
    async mySessions(establishmentId: number, userId: number, opts: { now?: Date } = {}) {
      const now = londonNow(opts.now)
      const [me] = await deps.staff.linkedTo(establishmentId, userId)
      if (!me) return { me: null } as const
      const [{ sessionMinutes, frequencyWeeks }, { rows }, slotRows, bookings] = await Promise.all([
        frequencyOf(establishmentId),
        dueRows(establishmentId, me.id, now),
        repo.slots(db.db, establishmentId, me.id),
        deps.hubs.officerBookings(establishmentId, me.id, opts.now),
      ])
      const slots = slotRows.map(toSlot)
      const upcoming = bookings.filter(
        b => b.date > now.date || (b.date === now.date && b.ends_at > formatTime(now.minutes)),
      )
      const plannedFor = new Map<number, (typeof upcoming)[number]>()
      for (const b of upcoming)
        if (b.prisoner_id !== null && !plannedFor.has(b.prisoner_id)) plannedFor.set(b.prisoner_id, b)
      const caseload = rows.map(r => ({ ...r, planned: plannedFor.get(r.id) ?? null }))

      const pieces = keyWorkPieces({
        slots,
        now,
        sessionMinutes,
        busy: upcoming.map(b => ({ date: b.date, startsAt: b.starts_at, endsAt: b.ends_at })),
      })
      const offers: (Piece & { rooms: Awaited<ReturnType<HubsService['bookableRooms']>> })[] = []
      for (const piece of pieces.slice(0, MAX_PIECES)) {
        if (offers.length >= MAX_OFFERS) break
        const rooms = await deps.hubs.bookableRooms(establishmentId, piece.date, piece.startsAt, piece.endsAt)
        if (rooms.length) offers.push({ ...piece, rooms })
      }
      // suggest the most urgent prisoners without a planned session for the offered slots, in order, each with the
      // rooms of his own houseblock's hub first, then central hubs, then the others
      const waiting = caseload.filter(r => !r.planned)
      const suggested = offers.map((o, i) => {
        const prisoner = waiting.length ? waiting[i % waiting.length]! : caseload[0]
        return {
          ...o,
          rooms: preferHouseblock(o.rooms, prisoner?.houseblock?.id ?? null),
          prisonerId: prisoner?.id ?? null,
        }
      })
      return {
        me,
        caseload,
        slots: slots.map(s => ({ ...s, description: describeKeyWorkSlot(s) })),
        offers: suggested,
        bookings: upcoming,
        frequencyWeeks,
        sessionMinutes,
        counts: count(caseload),
      }
    },

    /**
     * Books a hub room for an offered slot: the prisoner must be on the officer's caseload and the time inside
     * their key work time; the hubs service refuses a clash (nothing is saved) and audits the booking.
     */
    async book(
      actor: Actor,
      establishmentId: number,
      userId: number,
      input: BookInput,
      opts: { now?: Date } = {},
    ): Promise<Result<number>> {
      const [me] = await deps.staff.linkedTo(establishmentId, userId)
      if (!me) return fail({ book: 'Your account is not linked to a staff record here, so you cannot book key work' })
      const problems = slotTimeProblems(input.startsAt, input.endsAt)
      if (Object.keys(problems).length) return fail({ book: 'Choose one of the offered slots' })
      const onCaseload = (await repo.caseloads(establishmentId, me.id)).some(r => r.id === input.prisonerId)
      if (!onCaseload) return fail({ book: 'Choose a prisoner on your caseload' })
      const slots = (await repo.slots(db.db, establishmentId, me.id)).map(toSlot)
      const piece = { date: input.date, startsAt: normaliseTime(input.startsAt)!, endsAt: normaliseTime(input.endsAt)! }
      if (!withinKeyWorkTime(slots, piece))
        return fail({ book: 'That time is not in your key work time: choose one of the offered slots' })
      return deps.hubs.book(
        actor,
        establishmentId,
        { roomId: input.roomId, ...piece, staffId: me.id, prisonerId: input.prisonerId, purpose: KEY_WORK_PURPOSE },
        opts,
      )
    },

    /**
     * Sessions due for a Supervising Officer: every prisoner on a caseload, overdue first, filtered by houseblock
     * and officer, one page at a time, with counts per officer and per houseblock. One set-based read.
     */
    async sessionsDue(establishmentId: number, filter: DueFilter, opts: { now?: Date } = {}) {
      const now = londonNow(opts.now)
      const [{ rows, houseblocks, frequencyWeeks }, officers] = await Promise.all([
        dueRows(establishmentId, undefined, now),
        repo.keyWorkers(establishmentId),
      ])
      const inHouseblock = (r: (typeof rows)[number]) =>
        filter.houseblockId === undefined || r.houseblock?.id === filter.houseblockId
      const ofOfficer = (r: (typeof rows)[number]) => filter.staffId === undefined || r.staff_id === filter.staffId
      const filtered = rows.filter(r => inHouseblock(r) && ofOfficer(r))

      const byOfficer = new Map<number, { staffId: number; name: string; rows: typeof rows }>()
      for (const r of rows.filter(inHouseblock)) {
        const o = byOfficer.get(r.staff_id) ?? { staffId: r.staff_id, name: r.staff_name, rows: [] }
        o.rows.push(r)
        byOfficer.set(r.staff_id, o)
      }
      const byHouseblock = new Map<string, { id: number | null; name: string; rows: typeof rows }>()
      for (const r of rows.filter(ofOfficer)) {
        const key = String(r.houseblock?.id ?? 'none')
        const h = byHouseblock.get(key) ?? {
          id: r.houseblock?.id ?? null,
          name: r.houseblock?.name ?? 'No residential unit',
          rows: [],
        }
        h.rows.push(r)
        byHouseblock.set(key, h)
      }
      const worstFirst = (a: Counts & { name: string }, b: Counts & { name: string }) =>
        b.overdue - a.overdue || b.dueThisWeek - a.dueThisWeek || a.name.localeCompare(b.name)

      const pages = Math.max(1, Math.ceil(filtered.length / SESSIONS_DUE_PAGE_SIZE))
      const page = Math.min(Math.max(1, filter.page ?? 1), pages)
      return {
        frequencyWeeks,
        today: now.date,
        rows: filtered.slice((page - 1) * SESSIONS_DUE_PAGE_SIZE, page * SESSIONS_DUE_PAGE_SIZE),
        page,
        pages,
        totals: count(filtered),
        officers: [...byOfficer.values()]
          .map(o => ({ staffId: o.staffId, name: o.name, ...count(o.rows) }))
          .sort(worstFirst),
        houseblocks: [...byHouseblock.values()]
          .map(h => ({ id: h.id, name: h.name, ...count(h.rows) }))
          .sort(worstFirst),
        options: {
          houseblocks,
          officers: officers.map(o => ({ id: o.id, name: officerLabel(o) })),
        },
      }
    },
  }
}

export type PlanningService = ReturnType<typeof planningService>

/** Rooms of the hub serving this houseblock first, then central hubs, then the rest, each group in its own order. */
export function preferHouseblock<R extends { hub_unit_id: number | null }>(rooms: R[], houseblockId: number | null) {
  const rank = (r: R) => (houseblockId !== null && r.hub_unit_id === houseblockId ? 0 : r.hub_unit_id === null ? 1 : 2)
  return rooms
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(x => x.r)
}
