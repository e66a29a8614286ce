import type { Kysely } from 'kysely'
import type { Db } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { addDays } from '../../domain/dates'
import { Random } from '../../domain/random'
import { demoHubPlan } from '../../domain/hubs'
import { demoSlotsFor } from '../../domain/planning'
import { demoDirectory } from '../generator/directory'
import type { Actor } from '../../platform/audit/service'
import type { DirectoryService } from '../../features/directory/service'
import type { GuidanceService } from '../../features/guidance/service'
import { guidanceRepository } from '../../features/guidance/repository'
import { hubsRepository } from '../../features/hubs/repository'
import { planningRepository } from '../../features/planning/repository'

// The demo's bulk loaders for hubs, key work time and the booklet's local introductions: rows straight into the
// features' tables through their repositories, inside the demo's transaction, whose own audit event per
// establishment covers them. Demo code, kept out of the production services.

/**
 * A hub per houseblock (2 to 4 rooms, some with a computer or phone) and a central hub, and bookings over the
 * coming days.
 */
export async function loadDemoHubs(
  db: Db,
  trx: Kysely<Database>,
  actor: Actor,
  opts: {
    establishmentId: number
    houseblocks: { id: number; code: string; name: string }[]
    today: string
    seed: number
  },
) {
  const repo = hubsRepository(db.db, db.dialect)
  const rng = new Random(opts.seed * 7919 + opts.establishmentId)
  const plan = demoHubPlan(rng, opts.houseblocks, opts.today)
  const now = new Date().toISOString()
  const unitIdOf = new Map(opts.houseblocks.map(h => [h.code, h.id]))
  const hubIds = await repo.insertHubs(
    trx,
    plan.hubs.map(h => ({
      establishment_id: opts.establishmentId,
      name: h.name,
      unit_id: h.unitCode === null ? null : (unitIdOf.get(h.unitCode) ?? null),
      opens_at: '08:00',
      closes_at: '20:00',
      active: 1,
      created_at: now,
      updated_at: now,
    })),
  )
  const roomIds = await repo.insertRooms(
    trx,
    plan.hubs.flatMap(h =>
      h.rooms.map(r => ({
        establishment_id: opts.establishmentId,
        hub_id: hubIds.get(h.name)!,
        name: r.name,
        kind: r.kind,
        is_private: r.isPrivate ? 1 : 0,
        has_computer: r.hasComputer ? 1 : 0,
        has_phone: r.hasPhone ? 1 : 0,
        active: 1,
        created_at: now,
        updated_at: now,
      })),
    ),
  )
  const people = await repo.demoPeople(trx, opts.establishmentId, 40)
  await repo.insertBookings(
    trx,
    plan.bookings.map((b, i) => {
      const hub = plan.hubs[b.hubIndex]!
      const room = hub.rooms[b.roomIndex]!
      return {
        establishment_id: opts.establishmentId,
        room_id: roomIds.get(`${hubIds.get(hub.name)}:${room.name}`)!,
        date: b.date,
        starts_at: b.startsAt,
        ends_at: b.endsAt,
        staff_id: people.staffIds.length ? people.staffIds[i % people.staffIds.length]! : null,
        prisoner_id: people.prisonerIds.length ? people.prisonerIds[(i * 7) % people.prisonerIds.length]! : null,
        purpose: b.purpose,
        booked_by_user_id: null,
        booked_by: actor.username,
        created_at: now,
      }
    }),
  )
  return { hubs: plan.hubs.length, rooms: roomIds.size, bookings: plan.bookings.length }
}

/** Key work time for every active Key Worker: two weekly slots each, valid from four weeks before `today`. */
export async function loadDemoSlots(
  db: Db,
  trx: Kysely<Database>,
  actor: Actor,
  opts: { establishmentId: number; today: string },
) {
  const repo = planningRepository(db.db, db.dialect)
  const ids = await repo.keyWorkerIds(trx, opts.establishmentId)
  const createdAt = new Date().toISOString()
  const rows = ids.flatMap(({ id }) =>
    demoSlotsFor(id, addDays(opts.today, -28)).map(s => ({
      establishment_id: opts.establishmentId,
      staff_id: id,
      weekday: s.weekday,
      on_date: s.onDate,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      valid_from: s.validFrom,
      valid_to: s.validTo,
      created_at: createdAt,
      created_by: actor.username,
    })),
  )
  await repo.insertSlots(trx, rows)
  return { slots: rows.length }
}

/** The national guide and worksheets (a reset emptied them) and each establishment's booklet introduction. */
export async function loadDemoGuidance(
  db: Db,
  trx: Kysely<Database>,
  guidance: GuidanceService,
  actor: Actor,
  establishments: { id: number; name: string }[],
) {
  await guidance.ensureNationalContent(trx)
  const repo = guidanceRepository(db.db)
  const now = new Date().toISOString()
  for (const e of establishments)
    await repo.saveIntroduction(trx, {
      establishment_id: e.id,
      body: demoIntroduction(e.name),
      updated_at: now,
      updated_by: actor.username,
    })
}

/** A short local introduction for a demo establishment (part 2 of its booklet). */
export function demoIntroduction(name: string): string {
  return `Welcome to Key Work at ${name}.

This part of the booklet lists the services in our prison and in the community, grouped by pathway, and the people to contact. Use it in every session to signpost the men on your caseload.

- Key work time is ring-fenced: if you are detailed to Key Work, you do Key Work.
- Book a private room in your houseblock's Key Worker hub, or the central hub.
- Your Supervising Officer is your first contact for questions about the role, cover and training.
- If a contact or phone number here is wrong, tell your establishment admin so it can be fixed for everyone.
`
}

/** The demo directory: the national services once (in their own batch), and each establishment's own. */
export async function loadDemoDirectory(
  directory: DirectoryService,
  trx: Kysely<Database>,
  establishments: { id: number; code: string; name: string }[],
  today: string,
): Promise<{ services: number }> {
  const demo = demoDirectory(today)
  const national = await directory.insertInBulk(trx, [{ establishmentId: null, services: demo.national }])
  const own = await directory.insertInBulk(
    trx,
    establishments.map(e => ({ establishmentId: e.id, services: demo.forEstablishment(e) })),
  )
  return { services: national + own }
}
