import type { Insertable, Kysely } from 'kysely'
import type { CustodyEventTable, CustodySpellTable, Database } from '../../platform/db/types'
import { ARRIVALS, spellsFrom } from '../../domain/custody'

// rows per statement: well under either engine's limit on bound parameters
const CHUNK = 500

type EventRow = Pick<Insertable<CustodyEventTable>, 'prisoner_id' | 'establishment_id' | 'kind' | 'date'> & {
  id?: number
  unit_id?: number | null
  complexity?: string | null
}

/** The spells of eligibility each record's events make (all of the record's events must be given). */
function spellRows(events: readonly EventRow[]): Insertable<CustodySpellTable>[] {
  const byPrisoner = new Map<number, EventRow[]>()
  events.forEach((e, i) => {
    const list = byPrisoner.get(e.prisoner_id)
    const row = { ...e, id: e.id ?? i }
    if (list) list.push(row)
    else byPrisoner.set(e.prisoner_id, [row])
  })
  const rows: Insertable<CustodySpellTable>[] = []
  for (const [prisonerId, list] of byPrisoner) {
    const steps = list.map(e => ({
      id: e.id!,
      kind: e.kind,
      date: e.date,
      unitId: e.unit_id ?? null,
      complexity: e.complexity ?? null,
    }))
    for (const s of spellsFrom(steps))
      rows.push({
        establishment_id: list[0]!.establishment_id,
        prisoner_id: prisonerId,
        unit_id: s.unitId,
        from_date: s.from,
        to_date: s.to,
      })
  }
  return rows
}

/** An event's date as a correction changes it. */
export interface Redated {
  id: number
  kind: string
  from: string
  to: string
}

/**
 * Which events a corrected reception date re-dates: the arrival of his latest stay moves to the new date, kept after
 * the stay before it (stays never overlap), and events of the stay dated before the new arrival move to it with it,
 * as nothing of a stay happens before he arrives. The first is the arrival; nothing when there is nothing to move.
 */
export function redatedByReception(
  events: readonly { id: number; kind: string; date: string }[],
  receptionDate: string,
): Redated[] {
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
  const i = sorted.findLastIndex(e => ARRIVALS.includes(e.kind))
  if (i < 0) return []
  const arrival = sorted[i]!
  const previous = sorted[i - 1]
  const to = previous && receptionDate < previous.date ? previous.date : receptionDate
  if (to === arrival.date) return []
  return [arrival, ...sorted.slice(i + 1).filter(e => e.date < to)].map(e => ({
    id: e.id,
    kind: e.kind,
    from: e.date,
    to,
  }))
}

/**
 * Custody events and the spells of eligibility derived from them, written together in the caller's transaction so
 * the statistics' custody_spells always match custody_events.
 */
export function custodyRepository() {
  async function insertSpells(trx: Kysely<Database>, rows: Insertable<CustodySpellTable>[]) {
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx
        .insertInto('custody_spells')
        .values(rows.slice(i, i + CHUNK))
        .execute()
  }

  return {
    /** Records one event and re-derives the record's spells from all its events. */
    async record(trx: Kysely<Database>, values: Insertable<CustodyEventTable>) {
      await trx.insertInto('custody_events').values(values).execute()
      await this.refresh(trx, [values.prisoner_id])
    },

    /**
     * A corrected reception date re-dates the arrival of his latest stay (see redatedByReception) and re-derives his
     * spells; returns the arrival as moved, for the caller's audit, or undefined when nothing moved.
     */
    async redateArrival(trx: Kysely<Database>, prisonerId: number, receptionDate: string) {
      const events = await trx
        .selectFrom('custody_events')
        .select(['id', 'kind', 'date'])
        .where('prisoner_id', '=', prisonerId)
        .execute()
      const moves = redatedByReception(events, receptionDate)
      if (moves.length === 0) return undefined
      await trx
        .updateTable('custody_events')
        .set({ date: moves[0]!.to })
        .where(
          'id',
          'in',
          moves.map(m => m.id),
        )
        .execute()
      await this.refresh(trx, [prisonerId])
      return moves[0]
    },

    /** Re-derives the spells of these records from their events. */
    async refresh(trx: Kysely<Database>, prisonerIds: readonly number[]) {
      for (let i = 0; i < prisonerIds.length; i += CHUNK) {
        const ids = prisonerIds.slice(i, i + CHUNK)
        const events = await trx
          .selectFrom('custody_events')
          .select(['id', 'prisoner_id', 'establishment_id', 'kind', 'date', 'unit_id', 'complexity'])
          .where('prisoner_id', 'in', ids)
          .execute()
        await trx.deleteFrom('custody_spells').where('prisoner_id', 'in', ids).execute()
        await insertSpells(trx, spellRows(events))
      }
    },

    /** Re-derives the spells of every record of the establishment (all establishments: null) from their events. */
    async rebuild(db: Kysely<Database>, establishmentId: number | null) {
      const ids = await db
        .selectFrom('prisoners')
        .select('id')
        .$if(establishmentId !== null, q => q.where('establishment_id', '=', establishmentId!))
        .orderBy('id')
        .execute()
      await db.transaction().execute(trx =>
        this.refresh(
          trx,
          ids.map(r => r.id),
        ),
      )
      return ids.length
    },

    /**
     * A bulk load (the demo, a test world): these events are the whole history of their records, in the order they
     * were recorded; their spells are derived in memory.
     */
    async insertHistory(trx: Kysely<Database>, events: Insertable<CustodyEventTable>[]) {
      for (let i = 0; i < events.length; i += CHUNK)
        await trx
          .insertInto('custody_events')
          .values(events.slice(i, i + CHUNK))
          .execute()
      await insertSpells(trx, spellRows(events))
    },
  }
}
