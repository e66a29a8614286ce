import type { Kysely } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type { Database } from '../../platform/db/types'
import { statisticsProjection } from './projection'
import { statisticsQueries } from './queries'

// The statistics' database access: the report reads (queries.ts) and the upkeep of the pre-aggregates
// (projection.ts), over the SQL pieces they share (sql.ts).
export type { EventRow, Filter } from './sql'
export type { FollowUpChange } from './projection'

export function statisticsRepository(db: Kysely<Database>, dialect: Dialect) {
  return { ...statisticsQueries(db, dialect), ...statisticsProjection(db, dialect) }
}

export type StatisticsRepository = ReturnType<typeof statisticsRepository>
