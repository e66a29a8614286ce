import type { StatisticsService } from '../statistics/service'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import { londonNow } from '../../domain/hubs'
import { type Result, fail, ok } from '../../domain/result'
import type { ReferralStatus } from '../../domain/sessions'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { DirectoryServiceDetail } from '../directory/service'
import type { MailerService, SendOutcome } from '../../platform/notify/mailer'
import { type ReferralListFilter, referralsRepository } from './repository'
import {
  followUpProblems,
  isOpen,
  isOverdue,
  nextStatuses,
  referralEmail,
  referralTarget,
} from '../../domain/referrals'

export const PAGE_SIZE = 50

/** What happened to each new referral's email. */
export type ReferralSend =
  | ({ referralId: number; kind: 'email'; to: string } & SendOutcome)
  | { referralId: number; kind: 'no_address' | 'stakeholder' | 'not_found' | 'error'; error?: string }

export interface ReferralsDeps {
  audit: AuditService
  mailer: MailerService
  directory: { get(establishmentId: number, serviceId: string): Promise<DirectoryServiceDetail | null> }
  establishments: { byId(id: number): Promise<{ name: string } | undefined> }
  /** keeps the referral counts of the statistics exact: called in the same transaction as a status change */
  statistics: Pick<StatisticsService, 'followUpsMoved'>
  logger?: Logger
}

/** The address a directory service takes referrals at: its own email, else its first contact with one. */
export function serviceAddress(service: DirectoryServiceDetail): { email: string; name: string | null } | null {
  if (service.email) return { email: service.email, name: null }
  const contact = service.contactsWithPhones.find(c => c.email)
  return contact?.email ? { email: contact.email, name: contact.name } : null
}

export const today = () => londonNow().date

export function referralsService(db: Kysely<Database>, deps: ReferralsDeps) {
  const repo = referralsRepository(db)
  const { audit, mailer, directory, establishments, logger } = deps

  return {
    /**
     * Emails the directory service of each new referral (called after the session that made them is saved).
     * Referrals to stakeholders are recorded only: there is no address to send them to. Never throws: a
     * failure is recorded in the outbox as 'failed' and the referral stands.
     */
    async sendForNewReferrals(actor: Actor, establishmentId: number, referralIds: number[]): Promise<ReferralSend[]> {
      const out: ReferralSend[] = []
      let rows: Awaited<ReturnType<typeof repo.byIds>> = []
      try {
        rows = await repo.byIds(establishmentId, referralIds)
      } catch (err) {
        logger?.error({ err, referralIds }, 'could not read new referrals to email them')
        return referralIds.map(referralId => ({ referralId, kind: 'error', error: String(err) }))
      }
      const found = new Set(rows.map(r => r.id))
      for (const id of referralIds) if (!found.has(id)) out.push({ referralId: id, kind: 'not_found' })
      const establishmentName =
        (await establishments.byId(establishmentId).catch(() => undefined))?.name ?? 'the prison'
      for (const r of rows) {
        try {
          if (!r.service_id) {
            out.push({ referralId: r.id, kind: 'stakeholder' })
            continue
          }
          const service = await directory.get(establishmentId, r.service_id)
          const address = service ? serviceAddress(service) : null
          if (!service || !address) {
            out.push({ referralId: r.id, kind: 'no_address' })
            continue
          }
          const email = referralEmail({
            establishmentName,
            serviceName: service.name,
            contactName: address.name,
            prisonerName: `${r.prisoner_first_name} ${r.prisoner_last_name}`,
            prisonNumber: r.prison_number,
            keyWorkerName: r.staff_first_name ? `${r.staff_first_name} ${r.staff_last_name}` : r.author,
            keyWorkerEmail: r.staff_email,
            note: r.note,
            followUpDate: r.follow_up_date,
          })
          const sent = await mailer.send(actor, {
            establishmentId,
            to: address.email,
            template: 'referral',
            reference: `referral-${r.id}`,
            ...email,
          })
          out.push({ referralId: r.id, kind: 'email', to: address.email, ...sent })
        } catch (err) {
          logger?.error({ err, referralId: r.id }, 'could not email a referral')
          out.push({ referralId: r.id, kind: 'error', error: String(err) })
        }
      }
      return out
    },

    get: (establishmentId: number, id: number) => repo.byId(establishmentId, id),

    /** The emails sent (or not) for a referral, newest first. */
    emailsFor: (establishmentId: number, referralId: number) =>
      mailer.byReferences(establishmentId, [`referral-${referralId}`]),

    async list(filter: Omit<ReferralListFilter, 'today'>) {
      const f = { ...filter, today: today() }
      const [rows, total] = await Promise.all([repo.list(f), repo.count(f)])
      return {
        total,
        rows: rows.map(r => ({ ...r, target: referralTarget(r), overdue: isOverdue(r, f.today) })),
      }
    },

    officers: (establishmentId: number) => repo.officers(establishmentId),

    /**
     * Moves a referral on (sent → acknowledged → done or declined) and/or changes its follow-up date, with a note,
     * audited: the note is part of the audited change, which is the referral's history. A status it may not move
     * to, a closed referral, or a follow-up without what it needs (see followUpProblems) is refused with a message.
     */
    async update(
      actor: Actor,
      establishmentId: number,
      referralId: number,
      input: { status: ReferralStatus; followUpDate: string | null; note?: string | null },
    ): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byIdIn(trx, establishmentId, referralId)
        if (!existing) return fail({ status: 'Referral not found' })
        const note = input.note ?? null
        const statusChanged = input.status !== existing.status
        if (statusChanged && !nextStatuses(existing.status).includes(input.status))
          return fail({ status: `A referral that is ${existing.status} cannot become ${input.status}` })
        if (!statusChanged && nextStatuses(existing.status).length === 0)
          return fail({ status: `This referral is ${existing.status}: it cannot change any more` })
        // closing keeps the date it had: there is nothing left to follow up
        const followUpDate = isOpen(input.status) ? input.followUpDate : existing.follow_up_date
        const problems = followUpProblems({ from: existing.status, to: input.status, followUpDate, note }, today())
        if (Object.keys(problems).length) return fail(problems)
        const dateChanged = followUpDate !== existing.follow_up_date
        if (!statusChanged && !dateChanged && !note)
          return fail({ status: 'Choose a new status, change the follow-up date or add a note' })
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        if (statusChanged) changes.status = { from: existing.status, to: input.status }
        if (dateChanged) changes.follow_up_date = { from: existing.follow_up_date, to: followUpDate }
        if (note) changes.follow_up_note = { from: null, to: note }
        await repo.update(trx, referralId, {
          status: input.status,
          follow_up_date: followUpDate,
          updated_at: new Date().toISOString(),
          updated_by: actor.username,
        })
        if (statusChanged)
          await deps.statistics.followUpsMoved(trx, establishmentId, [
            { kind: 'referral', createdAt: existing.created_at, from: existing.status, to: input.status },
          ])
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'referral',
          entityId: referralId,
          establishmentId,
          changes,
        })
        return ok()
      })
    },
  }
}

export type ReferralsService = ReturnType<typeof referralsService>
