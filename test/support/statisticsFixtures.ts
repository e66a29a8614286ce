// Test support: a random little world of prisoners, allocations, sessions, referrals and goals written straight
// into the tables (the statistics read tables, whoever writes them), and the same world read back as plain
// records for the reference recount (src/domain/statistics.ts).
import type { Insertable, Kysely } from 'kysely'
import type { CustodyEventTable, Database } from '../../src/platform/db/types'
import { custodyRepository } from '../../src/features/prisoners/custodyRepository'
import { addDays } from '../../src/domain/dates'
import { Random } from '../../src/domain/random'
import { REASONS, type World } from '../../src/domain/statistics'
import type { Services } from '../../src/services'

export const TODAY = '2026-06-30'

/** An establishment written straight into `establishments` ("Prison CODE"), with no settings of its own. */
export async function insertEstablishment(db: Kysely<Database>, code: string, at = '2026-01-01T00:00:00.000Z') {
  const r = await db
    .insertInto('establishments')
    .values({
      code,
      name: `Prison ${code}`,
      category: 'c',
      region: 'r',
      enabled: 1,
      ratio: null,
      frequency_weeks: null,
      session_minutes: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** A prisoner's record written straight into `prisoners` (no custody history: see historyFromRecords); his id. */
export async function insertPrisoner(
  db: Kysely<Database>,
  p: {
    establishmentId: number
    prisonNumber: string
    firstName: string
    lastName: string
    unitId?: number | null
    status?: string
    receptionDate: string
    at?: string
  },
): Promise<number> {
  const at = p.at ?? '2026-01-01T00:00:00.000Z'
  const r = await db
    .insertInto('prisoners')
    .values({
      prison_number: p.prisonNumber,
      first_name: p.firstName,
      last_name: p.lastName,
      date_of_birth: '1990-01-01',
      establishment_id: p.establishmentId,
      unit_id: p.unitId ?? null,
      cell: null,
      reception_date: p.receptionDate,
      release_date: null,
      status: p.status ?? 'in',
      complexity: 'low',
      first_language: 'English',
      interpreter_needed: 0,
      nationality: 'British',
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** An allocation written straight into `allocations`, ended (for a change of staff) when `until` is given; its id. */
export async function insertAllocation(
  db: Kysely<Database>,
  a: { establishmentId: number; prisonerId: number; staffId: number; at: string; until?: string | null },
): Promise<number> {
  const until = a.until ?? null
  const r = await db
    .insertInto('allocations')
    .values({
      establishment_id: a.establishmentId,
      prisoner_id: a.prisonerId,
      staff_id: a.staffId,
      allocated_at: a.at,
      allocated_by: 'test',
      allocation_reason: 'manual',
      deallocated_at: until,
      deallocated_by: until ? 'test' : null,
      deallocation_reason: until ? 'staff_change' : null,
      deallocation_note: null,
      handover_note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** A plain Band 3 officer written straight into `staff` (the statistics read the table, whoever writes it). */
export async function insertOfficer(
  db: Kysely<Database>,
  o: { establishmentId: number; staffNumber: string; lastName: string; at?: string },
): Promise<number> {
  const at = o.at ?? '2026-01-01T00:00:00.000Z'
  const r = await db
    .insertInto('staff')
    .values({
      establishment_id: o.establishmentId,
      staff_number: o.staffNumber,
      first_name: 'Officer',
      last_name: o.lastName,
      grade: 'Band 3',
      email: null,
      working_pattern: 'full_time',
      weekly_hours: 37,
      started_in_post: null,
      languages: '',
      status: 'active',
      status_return_date: null,
      home_unit_id: null,
      user_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export interface Seeded {
  establishmentId: number
  unitIds: number[]
  staffIds: number[]
  prisonerIds: number[]
}

/**
 * The custody history that prisoners' records imply (as migration 016 writes it for records older than the history):
 * a reception on the reception date with the record's unit and complexity and, out of custody, a departure on the
 * release date (on the reception date without one).
 */
export async function historyFromRecords(db: Kysely<Database>, prisonerIds: readonly number[]) {
  if (prisonerIds.length === 0) return
  const rows = await db.selectFrom('prisoners').selectAll().where('id', 'in', prisonerIds).execute()
  const events: Insertable<CustodyEventTable>[] = []
  for (const p of rows) {
    const base = {
      prison_number: p.prison_number,
      establishment_id: p.establishment_id,
      prisoner_id: p.id,
      recorded_at: p.created_at,
    }
    events.push({ ...base, kind: 'reception', date: p.reception_date, unit_id: p.unit_id, complexity: p.complexity })
    if (p.status !== 'in') {
      const left = p.release_date && p.release_date > p.reception_date ? p.release_date : p.reception_date
      events.push({ ...base, kind: p.status === 'transferred' ? 'transfer_out' : 'release', date: left })
    }
  }
  await custodyRepository().insertHistory(db, events)
}

/** Units, officers and prisoners for an establishment; returns their ids. */
export async function seedPeople(db: Kysely<Database>, establishmentId: number, rng: Random, prisoners = 30) {
  const now = new Date().toISOString()
  const unitIds: number[] = []
  for (const code of ['A', 'B']) {
    const u = await db
      .insertInto('residential_units')
      .values({
        establishment_id: establishmentId,
        code,
        name: `${code} wing`,
        parent_id: null,
        capacity: 100,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    unitIds.push(u.id)
  }
  // a landing inside A: a houseblock scope counts its prisoners too
  const landing = await db
    .insertInto('residential_units')
    .values({
      establishment_id: establishmentId,
      code: 'A1',
      name: 'A1 landing',
      parent_id: unitIds[0]!,
      capacity: 50,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  unitIds.push(landing.id)
  const staffIds: number[] = []
  for (let i = 0; i < 3; i++) {
    staffIds.push(
      await insertOfficer(db, {
        establishmentId,
        staffNumber: `S${establishmentId}-${i}`,
        lastName: `Number ${i + 1}`,
        at: now,
      }),
    )
  }
  const prisonerIds: number[] = []
  for (let i = 0; i < prisoners; i++) {
    const reception = addDays(TODAY, -rng.int(0, 200))
    const status = rng.weighted([
      ['in', 6],
      ['released', 2],
      ['transferred', 1],
    ] as const)
    const release =
      status === 'in'
        ? rng.chance(0.3)
          ? addDays(TODAY, rng.int(1, 300))
          : null
        : rng.chance(0.9)
          ? addDays(reception, rng.int(0, 200))
          : null
    const p = await db
      .insertInto('prisoners')
      .values({
        prison_number: `${String.fromCharCode(65 + (establishmentId % 26))}${String(1000 + i).slice(-4)}${'AB'[rng.int(0, 1)]}${String.fromCharCode(65 + (i % 26))}`,
        first_name: 'Test',
        last_name: `Prisoner ${i}`,
        date_of_birth: '1990-01-01',
        establishment_id: establishmentId,
        unit_id: rng.pick([unitIds[0]!, unitIds[1]!, unitIds[2]!, null]),
        cell: null,
        reception_date: reception,
        release_date: release,
        status,
        complexity: rng.weighted([
          ['low', 4],
          ['medium', 3],
          ['high', 1],
        ] as const),
        first_language: 'English',
        interpreter_needed: 0,
        nationality: 'British',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    prisonerIds.push(p.id)
  }
  await historyFromRecords(db, prisonerIds)
  for (const prisonerId of prisonerIds) {
    let at = addDays(TODAY, -rng.int(0, 200))
    for (let k = rng.int(0, 2); k > 0; k--) {
      const end = rng.chance(0.5) ? null : addDays(at, rng.int(0, 60))
      await db
        .insertInto('allocations')
        .values({
          establishment_id: establishmentId,
          prisoner_id: prisonerId,
          staff_id: rng.pick(staffIds),
          allocated_at: `${at}T${String(rng.int(8, 17)).padStart(2, '0')}:00:00.000Z`,
          allocated_by: 'test',
          allocation_reason: 'manual',
          deallocated_at: end === null ? null : `${end}T12:00:00.000Z`,
          deallocated_by: null,
          deallocation_reason: null,
          deallocation_note: null,
          handover_note: null,
        })
        .execute()
      if (end === null) break
      at = addDays(end, rng.int(0, 10))
    }
  }
  return { establishmentId, unitIds, staffIds, prisonerIds }
}

const answerOrBlank = (n: number): number | null => (n === 2 ? null : n)
const PRECHECK_SCORES = [null, 1, 2.5, 8 / 3, 27 / 7] as const

/** A random session row (submitted mostly); the caller writes it and tells the statistics. */
export function randomSession(rng: Random, seeded: Seeded, key: string) {
  const delivered = rng.chance(0.6)
  const now = new Date().toISOString()
  const status = rng.weighted([
    ['submitted', 8],
    ['draft', 1],
    ['deleted', 1],
  ] as const)
  return {
    establishment_id: seeded.establishmentId,
    prisoner_id: rng.pick(seeded.prisonerIds),
    staff_id: rng.chance(0.9) ? rng.pick(seeded.staffIds) : null,
    author_user_id: null,
    author: 'test',
    status,
    on_caseload: 1,
    outcome: delivered ? 'delivered' : 'not_delivered',
    not_delivered_reason: delivered ? null : rng.pick(REASONS),
    not_delivered_detail: null,
    session_date: addDays(TODAY, -rng.int(0, 120)),
    starts_at: '10:00',
    duration_minutes: 45,
    location: 'cell',
    hub_booking_id: null,
    // a third not answered (null), as imported past sessions and entries from before the form asked (one draw each,
    // so the sequence of what follows is unchanged)
    private: answerOrBlank(rng.int(0, 2)),
    interpreter_needed: rng.chance(0.2) ? 1 : 0,
    interpreter_used: answerOrBlank(rng.int(0, 2)),
    interpreter_service: null,
    interpreter_booking_ref: null,
    interpreter_language: null,
    interpreter_why_not: null,
    pathways: '',
    concern: 0,
    concern_escalated_to: null,
    prisoner_words: 'Said things',
    agreed: null,
    client_key: key,
    // a pre-check score from the key, not a draw (the sequence of draws is unchanged): none for a fifth, else
    // whole, halves, thirds and sevenths
    precheck_score: PRECHECK_SCORES[[...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 5]!,
    created_at: now,
    updated_at: now,
    submitted_at: status === 'draft' ? null : now,
    deleted_at: status === 'deleted' ? now : null,
    deleted_by: null,
    deleted_reason: null,
  }
}

/** Writes random sessions, referrals and goals, each in a transaction telling the statistics, as sessions do. */
export async function seedSessions(s: Services, rng: Random, seeded: Seeded, count: number) {
  const db = s.db.db
  for (let i = 0; i < count; i++) {
    const row = randomSession(rng, seeded, `k-${seeded.establishmentId}-${i}-${rng.int(0, 1e9)}`)
    await db.transaction().execute(async trx => {
      const change = { establishmentId: row.establishment_id, prisonerId: row.prisoner_id, dates: [row.session_date] }
      const { id } = await s.statistics.changeSessions(trx, change, () =>
        trx.insertInto('key_work_sessions').values(row).returning('id').executeTakeFirstOrThrow(),
      )
      const created = `${row.session_date}T11:00:00.000Z`
      const moves: Parameters<Services['statistics']['followUpsMoved']>[2] = []
      if (rng.chance(0.3)) {
        const status = rng.pick(['sent', 'acknowledged', 'done', 'declined'])
        moves.push({ kind: 'referral', createdAt: created, from: null, to: status })
        await trx
          .insertInto('referrals')
          .values({
            establishment_id: seeded.establishmentId,
            prisoner_id: row.prisoner_id,
            session_id: id,
            service_id: null,
            stakeholder: 'pom',
            note: null,
            status,
            follow_up_date: null,
            created_at: created,
            created_by: 'test',
            updated_at: created,
            updated_by: null,
          })
          .execute()
      }
      if (rng.chance(0.3)) {
        const status = rng.pick(['open', 'in_progress', 'achieved', 'dropped'])
        moves.push({ kind: 'goal', createdAt: created, from: null, to: status })
        await trx
          .insertInto('session_goals')
          .values({
            establishment_id: seeded.establishmentId,
            prisoner_id: row.prisoner_id,
            set_in_session_id: id,
            description: 'A goal',
            measure: 'Measured',
            target_date: null,
            status,
            updated_in_session_id: null,
            created_at: created,
            updated_at: created,
          })
          .execute()
      }
      await s.statistics.followUpsMoved(trx, row.establishment_id, moves)
    })
  }
}

/** Random amendments: a new date, outcome or status (deleted), each with the statistics told. */
export async function amendSessions(s: Services, rng: Random, count: number) {
  const db = s.db.db
  const ids = (await db.selectFrom('key_work_sessions').select('id').execute()).map(r => r.id)
  for (let i = 0; i < count && ids.length; i++) {
    const id = rng.pick(ids)
    await db.transaction().execute(async trx => {
      const before = await trx
        .selectFrom('key_work_sessions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const change = rng.int(0, 3)
      const set =
        change === 0
          ? { session_date: addDays(before.session_date!, rng.int(-20, 0)) }
          : change === 1
            ? {
                outcome: before.outcome === 'delivered' ? 'not_delivered' : 'delivered',
                not_delivered_reason: before.outcome === 'delivered' ? 'regime_curtailed' : null,
              }
            : change === 2
              ? { status: 'deleted', deleted_at: new Date().toISOString() }
              : { status: 'submitted', private: 1 - (before.private ?? 0) }
      const what = {
        establishmentId: before.establishment_id,
        prisonerId: before.prisoner_id,
        dates: [before.session_date, 'session_date' in set ? set.session_date : null],
      }
      await s.statistics.changeSessions(trx, what, () =>
        trx.updateTable('key_work_sessions').set(set).where('id', '=', id).execute(),
      )
    })
  }
}

/** The database as plain records for the recount. */
export async function readWorld(s: Services): Promise<World> {
  const db = s.db.db
  const settings = await Promise.all((await s.establishments.all()).map(e => s.establishments.settings(e.id)))
  return {
    establishments: settings.map(x => ({ id: x!.establishment.id, frequencyWeeks: x!.effective.frequencyWeeks })),
    prisoners: (await db.selectFrom('prisoners').selectAll().execute()).map(p => ({
      id: p.id,
      establishmentId: p.establishment_id,
      unitId: p.unit_id,
      receptionDate: p.reception_date,
      releaseDate: p.release_date,
      status: p.status,
      complexity: p.complexity,
    })),
    allocations: (await db.selectFrom('allocations').selectAll().execute()).map(a => ({
      id: a.id,
      prisonerId: a.prisoner_id,
      staffId: a.staff_id,
      allocatedAt: a.allocated_at,
      deallocatedAt: a.deallocated_at,
    })),
    sessions: (await db.selectFrom('key_work_sessions').selectAll().execute()).map(x => ({
      id: x.id,
      establishmentId: x.establishment_id,
      prisonerId: x.prisoner_id,
      staffId: x.staff_id,
      status: x.status,
      outcome: x.outcome,
      reason: x.not_delivered_reason,
      date: x.session_date,
      private: x.private,
      interpreterNeeded: x.interpreter_needed,
      interpreterUsed: x.interpreter_used,
    })),
    referrals: (await db.selectFrom('referrals').selectAll().execute()).map(r => ({
      establishmentId: r.establishment_id,
      prisonerId: r.prisoner_id,
      sessionId: r.session_id,
      createdAt: r.created_at,
      status: r.status,
    })),
    goals: (await db.selectFrom('session_goals').selectAll().execute()).map(g => ({
      establishmentId: g.establishment_id,
      prisonerId: g.prisoner_id,
      sessionId: g.set_in_session_id,
      createdAt: g.created_at,
      status: g.status,
    })),
  }
}
