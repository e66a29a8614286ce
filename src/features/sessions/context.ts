// What every use case of the sessions feature works with: the database, the repository, the other features it
// reaches through their services, and the establishment's today. Built once by service.ts.
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import { londonNow } from '../../domain/hubs'
import type { AuditService } from '../../platform/audit/service'
import type { DirectoryService } from '../directory/service'
import type { EstablishmentsService } from '../establishments/service'
import type { HubsService } from '../hubs/service'
import type { PrisonersService } from '../prisoners/service'
import type { ReferralsService } from '../referrals/service'
import type { RubricService } from '../rubric/service'
import type { StaffService } from '../staff/service'
import type { StatisticsService } from '../statistics/service'
import type { WorksheetsService } from '../worksheets/service'
import { type SessionsRepository, sessionsRepository } from './repository'

/** The audit trail's name for a session entry. */
export const ENTITY = 'key_work_session'

export interface SessionsDeps {
  audit: AuditService
  prisoners: Pick<PrisonersService, 'get'>
  staff: Pick<StaffService, 'linkedTo'>
  establishments: Pick<EstablishmentsService, 'settings'>
  directory: Pick<DirectoryService, 'get' | 'servicesForBooklet'>
  worksheets: Pick<WorksheetsService, 'list' | 'get'>
  hubs: Pick<HubsService, 'bookingsFor'>
  /** keeps the pre-aggregated statistics exact: called in the same transaction as a submit or a delete */
  statistics: Pick<StatisticsService, 'changeSessions' | 'followUpsMoved'>
  /** emails the services a submitted entry refers the prisoner to (optional: without it, no email is sent) */
  referrals?: Pick<ReferralsService, 'sendForNewReferrals'>
  /** the integrity checks of an entry (issue 15): called in the same transaction as a submit or an amendment */
  integrity?: { onSubmitted(trx: Kysely<Database>, establishmentId: number, sessionId: number): Promise<unknown> }
  /** queues the key work case note of a submit or an amendment (issue 18): called in the same transaction */
  caseNotes?: {
    sessionSubmitted(trx: Kysely<Database>, establishmentId: number, sessionId: number): Promise<unknown>
    sessionAmended(
      trx: Kysely<Database>,
      establishmentId: number,
      sessionId: number,
      amendmentId: number,
    ): Promise<unknown>
    sessionDeleted(
      trx: Kysely<Database>,
      establishmentId: number,
      sessionId: number,
      deletion: { reason: string; by: string },
    ): Promise<unknown>
  }
  /** the quality rubric the pre-check ("Check my entry") is stored against (optional: without it, version 1) */
  rubric?: Pick<RubricService, 'current'>
  logger?: Pick<Logger, 'error'>
}

export interface SessionsContext {
  db: Kysely<Database>
  repo: SessionsRepository
  deps: SessionsDeps
  /** today in London, 'YYYY-MM-DD' */
  today(): string
}

export function sessionsContext(db: Kysely<Database>, deps: SessionsDeps): SessionsContext {
  return { db, repo: sessionsRepository(db), deps, today: () => londonNow().date }
}

/** The officer record linked to this user in the establishment, if any. */
export async function officerOf(c: SessionsContext, establishmentId: number, userId: number | null) {
  if (userId === null) return null
  const [me] = await c.deps.staff.linkedTo(establishmentId, userId)
  return me ?? null
}
