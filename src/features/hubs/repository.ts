import type { Insertable, Kysely, Updateable } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database, HubBookingTable, HubRoomTable, HubTable } from '../../platform/db/types'

// Rows per multi-row INSERT for the demo: well inside both engines' parameter limits (14 columns at most).
const CHUNK_ROWS = 500

export function hubsRepository(db: Kysely<Database>, dialect: Dialect) {
  const bookingColumns = (k: Kysely<Database>) =>
    k
      .selectFrom('hub_bookings as b')
      .innerJoin('hub_rooms as r', 'r.id', 'b.room_id')
      .innerJoin('hubs as h', 'h.id', 'r.hub_id')
      .leftJoin('prisoners as p', 'p.id', 'b.prisoner_id')
      .leftJoin('staff as s', 's.id', 'b.staff_id')
      .select([
        'b.id',
        'b.establishment_id',
        'b.room_id',
        'b.date',
        'b.starts_at',
        'b.ends_at',
        'b.staff_id',
        'b.prisoner_id',
        'b.purpose',
        'b.booked_by_user_id',
        'b.booked_by',
        'b.created_at',
        'b.cancelled_at',
        'b.cancelled_by',
        'b.cancel_reason',
        'r.name as room_name',
        'r.hub_id',
        'h.name as hub_name',
        'p.prison_number',
        'p.first_name as prisoner_first_name',
        'p.last_name as prisoner_last_name',
        's.first_name as staff_first_name',
        's.last_name as staff_last_name',
        's.user_id as staff_user_id',
      ])

  return {
    listHubs(establishmentId: number) {
      return db
        .selectFrom('hubs as h')
        .leftJoin('residential_units as u', 'u.id', 'h.unit_id')
        .selectAll('h')
        .select(['u.code as unit_code', 'u.name as unit_name'])
        .where('h.establishment_id', '=', establishmentId)
        .orderBy('h.active', 'desc')
        .orderBy('h.name')
        .execute()
    },
    hub(k: Kysely<Database>, establishmentId: number, id: number) {
      return k
        .selectFrom('hubs as h')
        .leftJoin('residential_units as u', 'u.id', 'h.unit_id')
        .selectAll('h')
        .select(['u.code as unit_code', 'u.name as unit_name'])
        .where('h.establishment_id', '=', establishmentId)
        .where('h.id', '=', id)
        .executeTakeFirst()
    },
    hubByName(k: Kysely<Database>, establishmentId: number, name: string) {
      return k
        .selectFrom('hubs')
        .select(['id'])
        .where('establishment_id', '=', establishmentId)
        .where('name', '=', name)
        .executeTakeFirst()
    },
    async insertHub(k: Kysely<Database>, values: Insertable<HubTable>) {
      const r = await k.insertInto('hubs').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateHub(k: Kysely<Database>, id: number, values: Updateable<HubTable>) {
      await k.updateTable('hubs').set(values).where('id', '=', id).execute()
    },

    /** Top-level residential units: the houseblocks a hub can serve. */
    houseblocks(k: Kysely<Database>, establishmentId: number) {
      return k
        .selectFrom('residential_units')
        .select(['id', 'code', 'name'])
        .where('establishment_id', '=', establishmentId)
        .where('parent_id', 'is', null)
        .orderBy('code')
        .execute()
    },

    listRooms(establishmentId: number) {
      return db
        .selectFrom('hub_rooms')
        .selectAll()
        .where('establishment_id', '=', establishmentId)
        .orderBy('hub_id')
        .orderBy('name')
        .execute()
    },
    room(k: Kysely<Database>, establishmentId: number, id: number) {
      return k
        .selectFrom('hub_rooms as r')
        .innerJoin('hubs as h', 'h.id', 'r.hub_id')
        .selectAll('r')
        .select(['h.name as hub_name', 'h.opens_at', 'h.closes_at', 'h.active as hub_active'])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.id', '=', id)
        .executeTakeFirst()
    },
    roomByName(k: Kysely<Database>, hubId: number, name: string) {
      return k
        .selectFrom('hub_rooms')
        .select(['id'])
        .where('hub_id', '=', hubId)
        .where('name', '=', name)
        .executeTakeFirst()
    },
    async insertRoom(k: Kysely<Database>, values: Insertable<HubRoomTable>) {
      const r = await k.insertInto('hub_rooms').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async updateRoom(k: Kysely<Database>, id: number, values: Updateable<HubRoomTable>) {
      await k.updateTable('hub_rooms').set(values).where('id', '=', id).execute()
    },

    /**
     * Locks the room's row until the transaction ends, so two bookings of one room are checked one after the other
     * (PostgreSQL). SQLite runs one write transaction at a time, so it needs no lock.
     */
    async lockRoom(trx: Kysely<Database>, establishmentId: number, roomId: number) {
      let q = trx
        .selectFrom('hub_rooms')
        .select('id')
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', roomId)
      if (dialect === 'postgres') q = q.forUpdate()
      return (await q.executeTakeFirst()) !== undefined
    },

    /** Bookings (not cancelled) of one room on one date that overlap [startsAt, endsAt): touching is fine. */
    clashes(k: Kysely<Database>, roomId: number, date: string, startsAt: string, endsAt: string) {
      return k
        .selectFrom('hub_bookings')
        .select(['id', 'starts_at', 'ends_at'])
        .where('room_id', '=', roomId)
        .where('date', '=', date)
        .where('cancelled_at', 'is', null)
        .where('starts_at', '<', endsAt)
        .where('ends_at', '>', startsAt)
        .orderBy('starts_at')
        .execute()
    },

    /** Active rooms of active hubs with no booking overlapping the slot. */
    freeRooms(establishmentId: number, date: string, startsAt: string, endsAt: string) {
      return db
        .selectFrom('hub_rooms as r')
        .innerJoin('hubs as h', 'h.id', 'r.hub_id')
        .selectAll('r')
        .select(['h.name as hub_name', 'h.opens_at', 'h.closes_at', 'h.unit_id as hub_unit_id'])
        .where('r.establishment_id', '=', establishmentId)
        .where('r.active', '=', 1)
        .where('h.active', '=', 1)
        .where('h.opens_at', '<=', startsAt)
        .where('h.closes_at', '>=', endsAt)
        .where(eb =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('hub_bookings as b')
                .select('b.id')
                .whereRef('b.room_id', '=', 'r.id')
                .where('b.date', '=', date)
                .where('b.cancelled_at', 'is', null)
                .where('b.starts_at', '<', endsAt)
                .where('b.ends_at', '>', startsAt),
            ),
          ),
        )
        .orderBy('h.name')
        .orderBy('r.name')
        .execute()
    },

    prisonerByNumber(k: Kysely<Database>, establishmentId: number, prisonNumber: string) {
      return k
        .selectFrom('prisoners')
        .select(['id', 'prison_number', 'first_name', 'last_name', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('prison_number', '=', prisonNumber)
        .executeTakeFirst()
    },
    prisonerById(k: Kysely<Database>, establishmentId: number, id: number) {
      return k
        .selectFrom('prisoners')
        .select(['id', 'prison_number', 'first_name', 'last_name', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    staffById(k: Kysely<Database>, establishmentId: number, id: number) {
      return k
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('id', '=', id)
        .executeTakeFirst()
    },
    /** Active Key Workers, for the booking form's "who is it for". */
    keyWorkers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'active')
        .where('key_worker', '=', 1)
        .orderBy('last_name')
        .orderBy('first_name')
        .execute()
    },
    staffOfUser(k: Kysely<Database>, establishmentId: number, userId: number) {
      return k
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .executeTakeFirst()
    },

    async insertBooking(k: Kysely<Database>, values: Insertable<HubBookingTable>) {
      const r = await k.insertInto('hub_bookings').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },
    async cancelBooking(k: Kysely<Database>, id: number, at: string, by: string | null, reason: string | null) {
      const r = await k
        .updateTable('hub_bookings')
        .set({ cancelled_at: at, cancelled_by: by, cancel_reason: reason })
        .where('id', '=', id)
        .where('cancelled_at', 'is', null)
        .executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },
    booking(k: Kysely<Database>, establishmentId: number, id: number) {
      return bookingColumns(k)
        .where('b.establishment_id', '=', establishmentId)
        .where('b.id', '=', id)
        .executeTakeFirst()
    },
    /** Bookings (not cancelled) on one date, optionally of one hub's rooms. */
    bookingsOn(establishmentId: number, date: string, hubId?: number) {
      let q = bookingColumns(db)
        .where('b.establishment_id', '=', establishmentId)
        .where('b.date', '=', date)
        .where('b.cancelled_at', 'is', null)
      if (hubId !== undefined) q = q.where('r.hub_id', '=', hubId)
      return q.orderBy('b.starts_at').orderBy('r.name').execute()
    },
    /** A user's bookings from a date on: booked by them, or for the staff record linked to them. */
    bookingsOfUser(establishmentId: number, userId: number, fromDate: string) {
      return bookingColumns(db)
        .where('b.establishment_id', '=', establishmentId)
        .where('b.date', '>=', fromDate)
        .where('b.cancelled_at', 'is', null)
        .where(eb => eb.or([eb('b.booked_by_user_id', '=', userId), eb('s.user_id', '=', userId)]))
        .orderBy('b.date')
        .orderBy('b.starts_at')
        .limit(200)
        .execute()
    },

    /** An officer's own bookings from a date on (not those they made for someone else). */
    bookingsOfStaff(establishmentId: number, staffId: number, fromDate: string) {
      return bookingColumns(db)
        .where('b.establishment_id', '=', establishmentId)
        .where('b.date', '>=', fromDate)
        .where('b.cancelled_at', 'is', null)
        .where('b.staff_id', '=', staffId)
        .orderBy('b.date')
        .orderBy('b.starts_at')
        .limit(200)
        .execute()
    },

    // Demo: bulk inserts inside the demo's transaction. RETURNING order is not promised, so ids come back by name.
    async insertHubs(trx: Kysely<Database>, rows: Insertable<HubTable>[]) {
      if (rows.length === 0) return new Map<string, number>()
      const out = await trx.insertInto('hubs').values(rows).returning(['id', 'name']).execute()
      return new Map(out.map(r => [r.name, r.id]))
    },
    /** Ids by `${hub_id}:${name}`. */
    async insertRooms(trx: Kysely<Database>, rows: Insertable<HubRoomTable>[]) {
      const ids = new Map<string, number>()
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const out = await trx
          .insertInto('hub_rooms')
          .values(rows.slice(i, i + CHUNK_ROWS))
          .returning(['id', 'hub_id', 'name'])
          .execute()
        for (const r of out) ids.set(`${r.hub_id}:${r.name}`, r.id)
      }
      return ids
    },
    async insertBookings(trx: Kysely<Database>, rows: Insertable<HubBookingTable>[]) {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS)
        await trx
          .insertInto('hub_bookings')
          .values(rows.slice(i, i + CHUNK_ROWS))
          .execute()
    },
    /** A few ids of Key Workers and prisoners in custody, for demo bookings. */
    async demoPeople(trx: Kysely<Database>, establishmentId: number, limit: number) {
      const staff = await trx
        .selectFrom('staff')
        .select('id')
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'active')
        .where('key_worker', '=', 1)
        .orderBy('id')
        .limit(limit)
        .execute()
      const prisoners = await trx
        .selectFrom('prisoners')
        .select('id')
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'in')
        .orderBy('id')
        .limit(limit)
        .execute()
      return { staffIds: staff.map(s => s.id), prisonerIds: prisoners.map(p => p.id) }
    },
  }
}

export type HubsRepository = ReturnType<typeof hubsRepository>
