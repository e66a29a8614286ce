import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'

// Headline figures of every establishment at once, for the national overview: two grouped queries, however many
// establishments there are.

export function nationalRepository(db: Kysely<Database>) {
  return {
    /** Per establishment: prisoners in custody eligible for a Key Worker (not high complexity), and how many have one. */
    eligibleAndAllocated() {
      return db
        .selectFrom('prisoners as p')
        .leftJoin('allocations as a', join =>
          join
            .onRef('a.prisoner_id', '=', 'p.id')
            .onRef('a.establishment_id', '=', 'p.establishment_id')
            .on('a.deallocated_at', 'is', null),
        )
        .select(eb => [
          'p.establishment_id',
          eb.fn.count<number>('p.id').distinct().as('eligible'),
          eb.fn.count<number>('a.prisoner_id').distinct().as('allocated'),
        ])
        .where('p.status', '=', 'in')
        .where('p.complexity', '!=', 'high')
        .groupBy('p.establishment_id')
        .execute()
    },

    /** Per establishment: key work sessions delivered from `from` to `to` (ISO dates, both included). */
    deliveredBetween(from: string, to: string) {
      return db
        .selectFrom('key_work_sessions')
        .select(eb => ['establishment_id', eb.fn.countAll<number>().as('delivered')])
        .where('status', '=', 'submitted')
        .where('outcome', '=', 'delivered')
        .where('session_date', '>=', from)
        .where('session_date', '<=', to)
        .groupBy('establishment_id')
        .execute()
    },
  }
}
