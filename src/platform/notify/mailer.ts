import type { Kysely } from 'kysely'
import { NotifyClient } from 'notifications-node-client'
import type { Logger } from 'pino'
import type { NotifyConfig } from '../../config'
import type { Database } from '../db/types'
import type { Actor, AuditService } from '../audit/service'
import { type OutboxScope, outboxRepository } from './repository'

/**
 * The emails keywork sends; each maps to a GOV.UK Notify template id from the configuration. 'referral' needs one
 * whenever Notify is configured; 'qa-review' (feedback on an officer's entry) and 'commendation' are sent only when
 * theirs is configured too, and otherwise kept in the outbox.
 */
export type EmailTemplate =
  'referral' | 'qa-review' | 'commendation' | 'training-reminder' | 'training-course' | 'bulletin-digest'

export interface OutgoingEmail {
  establishmentId: number | null
  to: string
  template: EmailTemplate
  /** the subject and body as keywork composed them: kept in the outbox, and sent as personalisation */
  subject: string
  body: string
  /** our reference, also given to Notify (e.g. "referral-12") */
  reference: string
  /** further template fields; `subject` and `body` are always added */
  personalisation?: Record<string, string>
}

export type EmailStatus = 'outbox' | 'sent' | 'failed'

export interface SendOutcome {
  emailId: number
  status: EmailStatus
  error: string | null
}

export const EMAIL_STATUSES: Record<EmailStatus, string> = {
  outbox: 'In the outbox (not sent)',
  sent: 'Sent',
  failed: 'Failed',
}

const NOTIFY_TIMEOUT_MS = 10_000

/** A readable reason from a Notify client error (an axios error carrying Notify's JSON, or anything else). */
export function notifyErrorText(err: unknown): string {
  const e = err as {
    response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } }
    message?: string
  }
  const status = e?.response?.status
  const first = e?.response?.data?.errors?.[0]
  if (status && first) return `Notify ${status}: ${[first.error, first.message].filter(Boolean).join(': ')}`
  if (status) return `Notify ${status}`
  return `Notify could not be reached: ${e?.message ?? String(err)}`.slice(0, 500)
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} seconds`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Sends email through GOV.UK Notify when it is configured, and records every email in `outbox_emails` either
 * way: 'outbox' when Notify is not configured (admins read it in the service), 'sent' with Notify's id, or
 * 'failed' with the reason. Never throws for a Notify failure: the caller's record (a referral) stands.
 */
export function mailerService(
  db: Kysely<Database>,
  deps: { audit: AuditService; notify: NotifyConfig | null; logger?: Logger },
) {
  const repo = outboxRepository(db)
  const { audit, notify, logger } = deps
  const client = notify
    ? notify.baseUrl
      ? new NotifyClient(notify.baseUrl, notify.apiKey)
      : new NotifyClient(notify.apiKey)
    : null
  const templateIds: Record<EmailTemplate, string | undefined> = {
    referral: notify?.referralTemplateId,
    'qa-review': notify?.qaReviewTemplateId,
    commendation: notify?.commendationTemplateId,
    'training-reminder': notify?.trainingReminderTemplateId,
    'training-course': notify?.trainingCourseTemplateId,
    'bulletin-digest': notify?.bulletinDigestTemplateId,
  }

  return {
    /** true when emails go to GOV.UK Notify; false when they only go to the outbox */
    get configured() {
      return client !== null
    },

    async send(actor: Actor, email: OutgoingEmail): Promise<SendOutcome> {
      const now = new Date().toISOString()
      const emailId = await db.transaction().execute(async trx => {
        const id = await repo.insert(trx, {
          establishment_id: email.establishmentId,
          to_address: email.to,
          template: email.template,
          subject: email.subject,
          body: email.body,
          reference: email.reference,
          status: 'outbox',
          notify_id: null,
          error: null,
          created_at: now,
          sent_at: null,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'outbox_email',
          entityId: id,
          establishmentId: email.establishmentId,
          changes: { to_address: email.to, template: email.template, reference: email.reference },
        })
        return id
      })
      return deliver(actor, email, emailId)
    },

    /**
     * Many emails at once (a daily job's): all recorded in the outbox in one transaction with one audit event naming
     * them, then each sent through Notify when its template is configured (one by one, as send does).
     */
    async sendMany(actor: Actor, emails: OutgoingEmail[]): Promise<SendOutcome[]> {
      if (!emails.length) return []
      const now = new Date().toISOString()
      const ids = await db.transaction().execute(async trx => {
        const ids = await repo.insertMany(
          trx,
          emails.map(email => ({
            establishment_id: email.establishmentId,
            to_address: email.to,
            template: email.template,
            subject: email.subject,
            body: email.body,
            reference: email.reference,
            status: 'outbox',
            notify_id: null,
            error: null,
            created_at: now,
            sent_at: null,
          })),
        )
        const establishments = new Set(emails.map(e => e.establishmentId))
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'outbox_email',
          entityId: ids.length === 1 ? ids[0] : null,
          establishmentId: establishments.size === 1 ? emails[0]!.establishmentId : null,
          changes: { emails: ids, templates: [...new Set(emails.map(e => e.template))] },
        })
        return ids
      })
      const outcomes: SendOutcome[] = []
      for (const [i, email] of emails.entries()) outcomes.push(await deliver(actor, email, ids[i]!))
      return outcomes
    },

    list: (scope: OutboxScope, limit: number, offset: number) => repo.list(scope, limit, offset),
    count: (scope: OutboxScope) => repo.count(scope),
    get: (scope: OutboxScope, id: number) => repo.byId(scope, id),
    byReferences: (establishmentId: number, references: string[]) => repo.byReferences(establishmentId, references),
  }

  /** Sends an email recorded in the outbox through Notify, when its template is configured, and records the result. */
  async function deliver(actor: Actor, email: OutgoingEmail, emailId: number): Promise<SendOutcome> {
    const templateId = templateIds[email.template]
    if (!client || !templateId) return { emailId, status: 'outbox', error: null }

    let outcome: SendOutcome
    try {
      const response = await withTimeout(
        client.sendEmail(templateId, email.to, {
          personalisation: { ...email.personalisation, subject: email.subject, body: email.body },
          reference: email.reference,
        }),
        NOTIFY_TIMEOUT_MS,
      )
      const notifyId = String((response.data as { id?: unknown })?.id ?? '')
      outcome = { emailId, status: 'sent', error: null }
      await saveResult(actor, email, emailId, { status: 'sent', notify_id: notifyId || null })
    } catch (err) {
      const error = notifyErrorText(err)
      logger?.warn({ emailId, error }, 'GOV.UK Notify did not accept an email')
      outcome = { emailId, status: 'failed', error }
      await saveResult(actor, email, emailId, { status: 'failed', error })
    }
    return outcome
  }

  async function saveResult(
    actor: Actor,
    email: OutgoingEmail,
    emailId: number,
    result: { status: EmailStatus; notify_id?: string | null; error?: string },
  ) {
    await db.transaction().execute(async trx => {
      const values = {
        status: result.status,
        notify_id: result.notify_id ?? null,
        error: result.error ?? null,
        sent_at: result.status === 'sent' ? new Date().toISOString() : null,
      }
      await repo.update(trx, emailId, values)
      await audit.record(trx, actor, {
        action: 'update',
        entity: 'outbox_email',
        entityId: emailId,
        establishmentId: email.establishmentId,
        changes: { status: { from: 'outbox', to: result.status }, ...(result.error ? { error: result.error } : {}) },
      })
    })
  }
}

export type MailerService = ReturnType<typeof mailerService>
