// What every part of the QA service shares: its dependencies (other features' services, as types), the repository,
// the London clock, and telling an officer by email.
// Invariants:
// - an email is sent only after the change that caused it is saved, and never throws: a Notify failure or an outbox
//   error is logged, the change stands;
// - an officer's address is their user account's, else their staff record's;
// - "today" and month boundaries are Europe/London days (londonNow), stamps are UTC instants.
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import { londonNow } from '../../domain/hubs'
import type { Rubric } from '../../domain/rubric'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { MailerService, OutgoingEmail, SendOutcome } from '../../platform/notify/mailer'
import type { NoticesService } from '../notices/service'
import { type QaRepository, qaRepository } from './repository'

/** The rubric a review is scored against (from the rubric service). */
export type QaRubric = Rubric

export interface QaDeps {
  audit: AuditService
  mailer: MailerService
  notices: Pick<NoticesService, 'tell' | 'readPage'>
  rubric: {
    current(establishmentId: number): Promise<QaRubric>
    forReview(rubricVersionId: number, establishmentId: number): Promise<QaRubric>
  }
  /** the entries an integrity check flagged (the integrity feature); none until it is wired */
  integrity?: { flaggedSessionIds(establishmentId: number, fromDate: string, toDate: string): Promise<Set<number>> }
  logger?: Logger
}

/** How many reviews or commendations a list shows. */
export const REVIEWS_SHOWN = 200

export const today = () => londonNow().date
export const stamp = () => now().toISOString()
export const reviewLink = (id: number) => `/my-feedback/review?id=${id}`
export const trimmed = (v: string | null | undefined) => (typeof v === 'string' ? v.trim() : '')
export const personName = (first: string | null | undefined, last: string | null | undefined, fallback = '') =>
  first ? `${first} ${last ?? ''}`.trim() : fallback

export interface QaContext {
  db: Kysely<Database>
  repo: QaRepository
  deps: QaDeps
  audit: AuditService
  notices: QaDeps['notices']
  email(actor: Actor, e: OutgoingEmail): Promise<SendOutcome | null>
  officerAddress(userId: number | null, staffEmail: string | null | undefined): Promise<string | null>
}

export function qaContext(db: Kysely<Database>, deps: QaDeps): QaContext {
  const repo = qaRepository(db)
  const { mailer, logger } = deps

  /** Sends an email after the change that caused it is saved; never throws. */
  async function email(actor: Actor, e: OutgoingEmail) {
    try {
      return await mailer.send(actor, e)
    } catch (err) {
      logger?.error({ err, reference: e.reference }, 'could not email an officer')
      return null
    }
  }

  /** The officer's address: their user account's, else their staff record's. */
  async function officerAddress(userId: number | null, staffEmail: string | null | undefined) {
    const user = userId === null ? undefined : await repo.userEmail(userId)
    return user?.email || staffEmail || null
  }

  return { db, repo, deps, audit: deps.audit, notices: deps.notices, email, officerAddress }
}
