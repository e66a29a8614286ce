import type { Kysely } from 'kysely'
import type { Db } from '../../platform/db/database'
import { isUniqueViolation } from '../../platform/db/errors'
import type { Database } from '../../platform/db/types'
import { diff } from '../../domain/audit'
import { formatDate, parseDate } from '../../domain/dates'
import {
  daySlots,
  londonNow,
  mayCancel,
  normaliseTime,
  openingHoursProblems,
  minutesOf,
  slotProblems,
  timetable,
} from '../../domain/hubs'
import { PRISON_NUMBER } from '../../domain/prisoner'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import { hubsRepository } from './repository'
import type { RoomKind } from './schema'

export interface HubInput {
  name: string
  /** the houseblock it serves; null: a central hub */
  unitId: number | null
  opensAt: string
  closesAt: string
  active: boolean
}

export interface RoomInput {
  name: string
  kind: RoomKind
  isPrivate: boolean
  hasComputer: boolean
  hasPhone: boolean
  active: boolean
}

export interface BookingRequest {
  roomId: number
  /** 'YYYY-MM-DD' */
  date: string
  /** 'HH:MM' */
  startsAt: string
  endsAt: string
  /** the officer the room is for; by default the staff record linked to the person booking */
  staffId?: number | null
  /** the prisoner, by id or by prison number; either must be in custody in this establishment */
  prisonerId?: number | null
  prisonNumber?: string | null
  purpose: string
}

export interface CancelOptions {
  /** Supervising Officers and admins may cancel anyone's booking; Key Workers only their own */
  anyBooking: boolean
  /** why it is cancelled, kept with the booking and in the audit trail */
  reason?: string | null
  now?: Date
}

const HUB = 'hub'
const ROOM = 'hub_room'
const BOOKING = 'hub_booking'

export function hubsService(db: Db, deps: { audit: AuditService }) {
  const repo = hubsRepository(db.db, db.dialect)
  const { audit } = deps

  /** Checks a hub's houseblock and opening hours; the values to store, or messages by field. */
  async function hubValues(trx: Kysely<Database>, establishmentId: number, input: HubInput) {
    const errors: Record<string, string> = { ...openingHoursProblems(input) }
    if (input.unitId !== null) {
      const houseblocks = await repo.houseblocks(trx, establishmentId)
      if (!houseblocks.some(h => h.id === input.unitId))
        errors.unit = 'Choose a houseblock of this establishment, or central'
    }
    const name = input.name.trim()
    if (!name) errors.name = 'Enter the hub name'
    if (Object.keys(errors).length) return { ok: false as const, errors }
    return {
      ok: true as const,
      values: {
        establishment_id: establishmentId,
        name,
        unit_id: input.unitId,
        opens_at: normaliseTime(input.opensAt)!,
        closes_at: normaliseTime(input.closesAt)!,
        active: input.active ? 1 : 0,
      },
    }
  }

  function roomValues(input: RoomInput) {
    return {
      name: input.name.trim(),
      kind: input.kind,
      is_private: input.isPrivate ? 1 : 0,
      has_computer: input.hasComputer ? 1 : 0,
      has_phone: input.hasPhone ? 1 : 0,
      active: input.active ? 1 : 0,
    }
  }

  const duplicateHub = (name: string) => ({ name: `A hub called ${name} already exists` })
  const duplicateRoom = (name: string) => ({ name: `This hub already has a room or desk called ${name}` })

  /** Runs a save, turning a unique violation from a concurrent save into the same message as the check before it. */
  async function saving<T>(work: () => Promise<Result<T>>, onDuplicate: Record<string, string>): Promise<Result<T>> {
    try {
      return await work()
    } catch (err) {
      if (isUniqueViolation(err)) return fail(onDuplicate)
      throw err
    }
  }

  const service = {
    /** Hubs with their rooms, in name order, active first. */
    async overview(establishmentId: number) {
      const [hubs, rooms] = await Promise.all([repo.listHubs(establishmentId), repo.listRooms(establishmentId)])
      return hubs.map(h => ({ ...h, rooms: rooms.filter(r => r.hub_id === h.id) }))
    },
    hub: (establishmentId: number, hubId: number) => repo.hub(db.db, establishmentId, hubId),
    room: (establishmentId: number, roomId: number) => repo.room(db.db, establishmentId, roomId),
    houseblocks: (establishmentId: number) => repo.houseblocks(db.db, establishmentId),
    keyWorkers: (establishmentId: number) => repo.keyWorkers(establishmentId),
    /** Every room of the establishment with its hub, for the booking form. */
    async roomOptions(establishmentId: number) {
      const [hubs, rooms] = await Promise.all([repo.listHubs(establishmentId), repo.listRooms(establishmentId)])
      const hubById = new Map(hubs.map(h => [h.id, h]))
      return rooms
        .filter(r => r.active && hubById.get(r.hub_id)?.active)
        .map(r => ({ ...r, hub_name: hubById.get(r.hub_id)!.name }))
        .sort((a, b) => a.hub_name.localeCompare(b.hub_name) || a.name.localeCompare(b.name))
    },

    async createHub(actor: Actor, establishmentId: number, input: HubInput): Promise<Result<number>> {
      return saving(
        () =>
          db.db.transaction().execute(async trx => {
            const checked = await hubValues(trx, establishmentId, input)
            if (!checked.ok) return fail(checked.errors)
            if (await repo.hubByName(trx, establishmentId, checked.values.name))
              return fail(duplicateHub(checked.values.name))
            const now = new Date().toISOString()
            const id = await repo.insertHub(trx, { ...checked.values, created_at: now, updated_at: now })
            await audit.record(trx, actor, {
              action: 'create',
              entity: HUB,
              entityId: id,
              establishmentId,
              changes: diff(null, checked.values),
            })
            return ok(id)
          }),
        duplicateHub(input.name.trim()),
      )
    },

    async updateHub(actor: Actor, establishmentId: number, hubId: number, input: HubInput): Promise<Result> {
      return saving(
        () =>
          db.db.transaction().execute(async trx => {
            const existing = await repo.hub(trx, establishmentId, hubId)
            if (!existing) return fail({ name: 'Hub not found' })
            const checked = await hubValues(trx, establishmentId, input)
            if (!checked.ok) return fail(checked.errors)
            const other = await repo.hubByName(trx, establishmentId, checked.values.name)
            if (other && other.id !== hubId) return fail(duplicateHub(checked.values.name))
            const before = {
              name: existing.name,
              unit_id: existing.unit_id,
              opens_at: existing.opens_at,
              closes_at: existing.closes_at,
              active: existing.active,
            }
            const { establishment_id: _e, ...after } = checked.values
            const changes = diff(before, after)
            if (Object.keys(changes).length === 0) return ok()
            await repo.updateHub(trx, hubId, { ...after, updated_at: new Date().toISOString() })
            await audit.record(trx, actor, { action: 'update', entity: HUB, entityId: hubId, establishmentId, changes })
            return ok()
          }),
        duplicateHub(input.name.trim()),
      )
    },

    async addRoom(actor: Actor, establishmentId: number, hubId: number, input: RoomInput): Promise<Result<number>> {
      const values = roomValues(input)
      if (!values.name) return fail({ name: 'Enter the room name' })
      return saving(
        () =>
          db.db.transaction().execute(async trx => {
            if (!(await repo.hub(trx, establishmentId, hubId))) return fail({ name: 'Hub not found' })
            if (await repo.roomByName(trx, hubId, values.name)) return fail(duplicateRoom(values.name))
            const now = new Date().toISOString()
            const row = { ...values, establishment_id: establishmentId, hub_id: hubId }
            const id = await repo.insertRoom(trx, { ...row, created_at: now, updated_at: now })
            await audit.record(trx, actor, {
              action: 'create',
              entity: ROOM,
              entityId: id,
              establishmentId,
              changes: diff(null, row),
            })
            return ok(id)
          }),
        duplicateRoom(values.name),
      )
    },

    async updateRoom(actor: Actor, establishmentId: number, roomId: number, input: RoomInput): Promise<Result> {
      const values = roomValues(input)
      if (!values.name) return fail({ name: 'Enter the room name' })
      return saving(
        () =>
          db.db.transaction().execute(async trx => {
            const existing = await repo.room(trx, establishmentId, roomId)
            if (!existing) return fail({ name: 'Room not found' })
            const other = await repo.roomByName(trx, existing.hub_id, values.name)
            if (other && other.id !== roomId) return fail(duplicateRoom(values.name))
            const before = Object.fromEntries(
              Object.keys(values).map(k => [k, (existing as unknown as Record<string, unknown>)[k]]),
            )
            const changes = diff(before, values)
            if (Object.keys(changes).length === 0) return ok()
            await repo.updateRoom(trx, roomId, { ...values, updated_at: new Date().toISOString() })
            await audit.record(trx, actor, {
              action: 'update',
              entity: ROOM,
              entityId: roomId,
              establishmentId,
              changes,
            })
            return ok()
          }),
        duplicateRoom(values.name),
      )
    },

    /** Rooms that could be booked for this slot: in use, inside their hub's hours, and free. */
    async bookableRooms(establishmentId: number, date: string, startsAt: string, endsAt: string) {
      const iso = parseDate(date)
      const start = normaliseTime(startsAt)
      const end = normaliseTime(endsAt)
      if (!iso || !start || !end || end <= start) return []
      return repo.freeRooms(establishmentId, iso, start, end)
    },

    /**
     * Books a room, in one transaction: the room's row is locked first (PostgreSQL), so of two bookings of the
     * same slot made at the same moment the second waits, then sees the first and is refused.
     */
    async book(
      actor: Actor,
      establishmentId: number,
      request: BookingRequest,
      opts: { now?: Date } = {},
    ): Promise<Result<number>> {
      const date = parseDate(request.date ?? '')
      if (!date) return fail({ date: 'The date must be a real date, like 27/3/2026' })
      const purpose = (request.purpose ?? '').trim()
      if (!purpose) return fail({ purpose: 'Enter the purpose' })
      if (purpose.length > 100) return fail({ purpose: 'The purpose must be 100 characters or fewer' })

      return db.db.transaction().execute(async trx => {
        if (!(await repo.lockRoom(trx, establishmentId, request.roomId)))
          return fail({ roomId: 'Choose a room of this establishment' })
        const room = (await repo.room(trx, establishmentId, request.roomId))!
        if (!room.active || !room.hub_active)
          return fail({ roomId: `${room.name} in ${room.hub_name} is not in use: choose another room` })

        const problems = slotProblems(
          { date, startsAt: request.startsAt ?? '', endsAt: request.endsAt ?? '' },
          { opensAt: room.opens_at, closesAt: room.closes_at },
          londonNow(opts.now),
        )
        if (Object.keys(problems).length) return fail(problems)
        const startsAt = normaliseTime(request.startsAt)!
        const endsAt = normaliseTime(request.endsAt)!

        let prisonerId: number | null = null
        if (request.prisonerId != null || request.prisonNumber) {
          const number = (request.prisonNumber ?? '').trim().toUpperCase()
          const prisoner =
            request.prisonerId != null
              ? await repo.prisonerById(trx, establishmentId, request.prisonerId)
              : PRISON_NUMBER.test(number)
                ? await repo.prisonerByNumber(trx, establishmentId, number)
                : undefined
          const label = request.prisonerId != null ? 'That prisoner' : `Prison number ${number}`
          if (!prisoner) return fail({ prisonNumber: `${label} is not a prisoner in this establishment` })
          if (prisoner.status !== 'in')
            return fail({ prisonNumber: `${prisoner.first_name} ${prisoner.last_name} is not in custody here` })
          prisonerId = prisoner.id
        }

        let staffId: number | null = null
        if (request.staffId != null) {
          const officer = await repo.staffById(trx, establishmentId, request.staffId)
          if (!officer) return fail({ staffId: 'Choose a member of staff of this establishment' })
          staffId = officer.id
        } else if (actor.userId !== null) {
          staffId = (await repo.staffOfUser(trx, establishmentId, actor.userId))?.id ?? null
        }

        const clash = (await repo.clashes(trx, room.id, date, startsAt, endsAt))[0]
        if (clash)
          return fail({
            roomId: `${room.name} in ${room.hub_name} is already booked from ${clash.starts_at} to ${clash.ends_at} on ${formatDate(date)}. Choose another time or room.`,
          })

        const values = {
          establishment_id: establishmentId,
          room_id: room.id,
          date,
          starts_at: startsAt,
          ends_at: endsAt,
          staff_id: staffId,
          prisoner_id: prisonerId,
          purpose,
          booked_by_user_id: actor.userId,
          booked_by: actor.username,
        }
        const id = await repo.insertBooking(trx, { ...values, created_at: new Date().toISOString() })
        await audit.record(trx, actor, {
          action: 'create',
          entity: BOOKING,
          entityId: id,
          establishmentId,
          changes: diff(null, values),
        })
        return ok(id)
      })
    },

    /** Cancels a booking that has not started yet; a Key Worker only their own (see CancelOptions). */
    async cancel(actor: Actor, establishmentId: number, bookingId: number, opts: CancelOptions): Promise<Result> {
      return db.db.transaction().execute(async trx => {
        const booking = await repo.booking(trx, establishmentId, bookingId)
        if (!booking) return fail({ booking: 'Booking not found' })
        if (booking.cancelled_at) return fail({ booking: 'This booking has already been cancelled' })
        const owner = { bookedByUserId: booking.booked_by_user_id, staffUserId: booking.staff_user_id }
        if (!mayCancel(owner, actor.userId, opts.anyBooking))
          return fail({
            booking: 'You can only cancel your own bookings. Ask a Supervising Officer to cancel this one.',
          })
        const now = londonNow(opts.now)
        if (booking.date < now.date || (booking.date === now.date && minutesOf(booking.starts_at)! <= now.minutes))
          return fail({ booking: 'This booking has already started, so it cannot be cancelled' })
        const at = new Date().toISOString()
        const reason = opts.reason?.trim().slice(0, 200) || null
        if (!(await repo.cancelBooking(trx, bookingId, at, actor.username, reason)))
          return fail({ booking: 'This booking has already been cancelled' })
        await audit.record(trx, actor, {
          action: 'delete',
          entity: BOOKING,
          entityId: bookingId,
          establishmentId,
          changes: {
            cancelled_at: { from: null, to: at },
            cancel_reason: { from: null, to: reason },
            room_id: booking.room_id,
            date: booking.date,
            starts_at: booking.starts_at,
            ends_at: booking.ends_at,
          },
        })
        return ok()
      })
    },

    booking: (establishmentId: number, bookingId: number) => repo.booking(db.db, establishmentId, bookingId),
    /** Every booking (not cancelled) on a date, across the establishment's hubs. */
    bookingsFor: (establishmentId: number, date: string) => repo.bookingsOn(establishmentId, date),
    /** The signed-in user's bookings from today on: made by them or for them. */
    myBookings: (establishmentId: number, userId: number, now?: Date) =>
      repo.bookingsOfUser(establishmentId, userId, londonNow(now).date),
    /** "My sessions": the bookings for this officer, whoever made them; not those they made for others. */
    officerBookings: (establishmentId: number, staffId: number, now?: Date) =>
      repo.bookingsOfStaff(establishmentId, staffId, londonNow(now).date),
    mayCancel,

    /** One hub's day: rooms in use × slots of the opening hours, each free (bookable or not) or booked. */
    async dayView(establishmentId: number, hubId: number, date: string, now?: Date) {
      const hub = await repo.hub(db.db, establishmentId, hubId)
      if (!hub) return null
      const rooms = (await repo.listRooms(establishmentId)).filter(r => r.hub_id === hubId && r.active)
      const bookings = (await repo.bookingsOn(establishmentId, date, hubId)).map(b => ({
        ...b,
        roomId: b.room_id,
        startsAt: b.starts_at,
        endsAt: b.ends_at,
      }))
      const slots = daySlots({ opensAt: hub.opens_at, closesAt: hub.closes_at })
      const rows = timetable(
        rooms.map(r => ({ id: r.id, bookable: !!hub.active })),
        bookings,
        slots,
        date,
        londonNow(now),
      )
      return { hub, rooms, rows, bookings }
    },
  }
  return service
}

export type HubsService = ReturnType<typeof hubsService>
