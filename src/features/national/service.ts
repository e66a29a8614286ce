import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { addDays } from '../../domain/dates'
import { londonNow } from '../../domain/hubs'
import { nationalRepository } from './repository'

/** The window of "sessions delivered" on the overview: the last 28 days, today included. */
export const DELIVERED_DAYS = 28

export function nationalService(db: Kysely<Database>) {
  const repo = nationalRepository(db)
  return {
    /**
     * The national overview: each establishment given, in that order, with its eligible prisoners, the % of them
     * with a Key Worker (null when none is eligible) and the sessions delivered in the last DELIVERED_DAYS days.
     */
    async overview(establishments: readonly { id: number; code: string; name: string }[]) {
      const today = londonNow().date
      const from = addDays(today, -(DELIVERED_DAYS - 1))
      const [people, delivered] = await Promise.all([repo.eligibleAndAllocated(), repo.deliveredBetween(from, today)])
      const peopleOf = new Map(people.map(r => [r.establishment_id, r]))
      const deliveredOf = new Map(delivered.map(r => [r.establishment_id, Number(r.delivered)]))
      const rows = establishments.map(e => {
        const eligible = Number(peopleOf.get(e.id)?.eligible ?? 0)
        const allocated = Number(peopleOf.get(e.id)?.allocated ?? 0)
        return {
          code: e.code,
          name: e.name,
          eligible,
          allocatedPercent: eligible ? Math.round((allocated / eligible) * 100) : null,
          delivered: deliveredOf.get(e.id) ?? 0,
        }
      })
      return { rows, from, today }
    },
  }
}

export type NationalService = ReturnType<typeof nationalService>
