import type { Insertable, Kysely } from 'kysely'
import type { CustodyEventTable, CustodySpellTable, Database } from '../../db/types'
import { spellsFrom } from '../../domain/custody'

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
