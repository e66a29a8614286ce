import type { Expression, Insertable, Kysely, Updateable } from 'kysely'
import { prepared } from '../../platform/db/prepared'
import type { CustodyEventTable, Database, NewPrisoner, PrisonerTable } from '../../platform/db/types'
import { custodyRepository } from './custodyRepository'
import { CUSTODY_EVENT_KINDS, isPrisonNumber, normalisePrisonNumber, searchPrefixes } from '../../domain/prisoner'

// prison numbers per statement: well under either engine's limit on bound parameters
const CHUNK = 500

export interface PrisonerSearch {
  establishmentId: number
  query?: string
  unitId?: number
  status?: string
  interpreter?: boolean
  limit: number
  offset: number
}

/**
 * His movements that involve the establishment (it recorded them, or he came from it): which establishment, what and
 * when, nothing else; by event. `prisonNumber` may be the prisoner page's outer column (threadRepository).
 */
export function custodyEventsQuery(
  db: Kysely<Database>,
  establishmentId: number,
  prisonNumber: string | Expression<string>,
) {
  return (
    db
      .selectFrom('custody_events as c')
      .innerJoin('establishments as e', 'e.id', 'c.establishment_id')
      .leftJoin('establishments as f', 'f.id', 'c.from_establishment_id')
      .select(['c.id', 'c.kind', 'c.date', 'e.name as establishment_name', 'f.name as from_establishment_name'])
      .where('c.prison_number', '=', prisonNumber)
      // his movements between establishments; changes of complexity or unit are in the record's audit trail
      .where('c.kind', 'in', CUSTODY_EVENT_KINDS)
      .where(eb =>
        eb.or([eb('c.establishment_id', '=', establishmentId), eb('c.from_establishment_id', '=', establishmentId)]),
      )
      .orderBy('c.id')
  )
}

export function prisonersRepository(db: Kysely<Database>) {
  const custody = custodyRepository()
  // the prisoner page is the most used page: its query is compiled once
  const byPrisonNumber = prepared(db, 2, (establishmentId: number, prisonNumber: string) =>
    db
      .selectFrom('prisoners')
      .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
      .selectAll('prisoners')
      .select(['residential_units.name as unit_name', 'residential_units.code as unit_code'])
      .where('prisoners.establishment_id', '=', establishmentId)
      .where('prisoners.prison_number', '=', prisonNumber),
  )

  function searchQuery(s: PrisonerSearch) {
    let q = db
      .selectFrom('prisoners')
      .leftJoin('residential_units', 'residential_units.id', 'prisoners.unit_id')
      .where('prisoners.establishment_id', '=', s.establishmentId)
    if (s.status) q = q.where('prisoners.status', '=', s.status)
    if (s.unitId) q = q.where('prisoners.unit_id', '=', s.unitId)
    if (s.interpreter) q = q.where('prisoners.interpreter_needed', '=', 1)
    const text = s.query?.trim()
    if (text) {
      const number = normalisePrisonNumber(text)
      if (isPrisonNumber(number)) q = q.where('prisoners.prison_number', '=', number)
      else {
        // every word must start the first or last name: "smi jo" finds John Smith
        for (const like of searchPrefixes(text)) {
          q = q.where(eb =>
            eb.or([
              eb(eb.fn('lower', ['prisoners.last_name']), 'like', like),
              eb(eb.fn('lower', ['prisoners.first_name']), 'like', like),
              eb('prisoners.prison_number', 'like', like.toUpperCase()),
            ]),
          )
        }
      }
    }
    return q
  }

  return {
    async search(s: PrisonerSearch) {
      const base = searchQuery(s)
      const rows = await base
        .select([
          'prisoners.id',
          'prisoners.prison_number',
          'prisoners.first_name',
          'prisoners.last_name',
          'prisoners.cell',
          'prisoners.status',
          'prisoners.complexity',
          'prisoners.interpreter_needed',
          'prisoners.first_language',
          'prisoners.reception_date',
          'residential_units.name as unit_name',
        ])
        .orderBy('prisoners.last_name')
        .orderBy('prisoners.first_name')
        .orderBy('prisoners.prison_number')
        .limit(s.limit)
        .offset(s.offset)
        .execute()
      // a short first page is the whole result: no need to count
      if (s.offset === 0 && rows.length < s.limit) return { rows, total: rows.length }
      const total = await base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      return { rows, total: Number(total.n) }
    },

    /** Scoped to an establishment: another establishment's prisoner is simply not found. */
    async byPrisonNumber(establishmentId: number, prisonNumber: string) {
      const [row] = await byPrisonNumber(db, establishmentId, prisonNumber)
      return row
    },

    /** Every establishment's record of him (one per establishment that has held him): which, and his status there. */
    recordsOf(prisonNumber: string) {
      return db
        .selectFrom('prisoners')
        .select(['id', 'establishment_id', 'status', 'reception_date', 'updated_at'])
        .where('prison_number', '=', prisonNumber)
        .orderBy('id')
        .execute()
    },

    /** The establishment's own record of him, inside the caller's transaction (for upserts by prison number). */
    own(trx: Kysely<Database>, establishmentId: number, prisonNumber: string) {
      return trx
        .selectFrom('prisoners')
        .selectAll()
        .where('prison_number', '=', prisonNumber)
        .where('establishment_id', '=', establishmentId)
        .executeTakeFirst()
    },

    /**
     * Of these prison numbers, those another establishment holds in custody, and those this establishment has a
     * record of. Nothing else of the other establishment's records is read.
     */
    async custody(trx: Kysely<Database>, establishmentId: number, prisonNumbers: readonly string[]) {
      const heldElsewhere = new Set<string>()
      const own = new Set<string>()
      const unique = [...new Set(prisonNumbers)]
      for (let i = 0; i < unique.length; i += CHUNK) {
        const rows = await trx
          .selectFrom('prisoners')
          .select(['prison_number', 'establishment_id', 'status'])
          .where('prison_number', 'in', unique.slice(i, i + CHUNK))
          .where(eb => eb.or([eb('establishment_id', '=', establishmentId), eb('status', '=', 'in')]))
          .execute()
        for (const r of rows) (r.establishment_id === establishmentId ? own : heldElsewhere).add(r.prison_number)
      }
      return { heldElsewhere, own }
    },

    /** The other establishment that last changed its record of him (the one he comes from), if any. */
    previousEstablishment(trx: Kysely<Database>, establishmentId: number, prisonNumber: string) {
      return trx
        .selectFrom('prisoners')
        .innerJoin('establishments', 'establishments.id', 'prisoners.establishment_id')
        .select(['establishments.id', 'establishments.code'])
        .where('prisoners.prison_number', '=', prisonNumber)
        .where('prisoners.establishment_id', '!=', establishmentId)
        .orderBy('prisoners.updated_at', 'desc')
        .orderBy('prisoners.id', 'desc')
        .executeTakeFirst()
    },

    /** Records the event and re-derives his spells of eligibility from his events (for the statistics). */
    async insertCustodyEvent(trx: Kysely<Database>, values: Insertable<CustodyEventTable>) {
      await custody.record(trx, values)
    },

    /** His movements that involve the establishment (it recorded them, or he came from it), oldest first. */
    custodyEvents(establishmentId: number, prisonNumber: string) {
      return custodyEventsQuery(db, establishmentId, prisonNumber).execute()
    },

    async insert(trx: Kysely<Database>, values: NewPrisoner) {
      const r = await trx.insertInto('prisoners').values(values).returning('id').executeTakeFirstOrThrow()
      return r.id
    },

    async update(trx: Kysely<Database>, id: number, values: Updateable<PrisonerTable>) {
      await trx.updateTable('prisoners').set(values).where('id', '=', id).execute()
    },

    inEstablishment(trx: Kysely<Database>, establishmentId: number) {
      return trx
        .selectFrom('prisoners')
        .select(['id', 'prison_number', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'in')
        .execute()
    },

    async summary(establishmentId: number) {
      const r = await db
        .selectFrom('prisoners')
        .select(eb => [
          eb.fn.countAll<number>().as('prisoners'),
          eb.fn.sum<number>(eb.case().when('complexity', '!=', 'high').then(1).else(0).end()).as('eligible'),
          eb.fn.sum<number>('interpreter_needed').as('interpreter'),
        ])
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'in')
        .executeTakeFirstOrThrow()
      const staff = await db
        .selectFrom('staff')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('establishment_id', '=', establishmentId)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
      return {
        prisoners: Number(r.prisoners),
        eligible: Number(r.eligible ?? 0),
        interpreter: Number(r.interpreter ?? 0),
        activeStaff: Number(staff.n),
      }
    },
  }
}

export type PrisonersRepository = ReturnType<typeof prisonersRepository>
