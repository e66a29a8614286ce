// Key work case notes (issue 18): each submitted session is pushed to the MoJ case notes service as a KA/KS (held) or
// KA/KE (not held) case note, and each amendment appended to it, so that officers do not type it twice.
// Invariants:
// - a row is queued in the same transaction as the submit or the amendment, so a session is never recorded without
//   its note queued, nor a note queued for a session that was not recorded; nothing is queued when the service is
//   not configured;
// - each row carries an idempotency key made when it is queued, sent as the Idempotency-Key header on every attempt;
// - one instance sends a row at a time: a conditional update claims it with a lease (claimed_by, claimed_until), and
//   only the claim's holder may write the outcome;
// - a row that failed for a while (no answer, 5xx, 429) is tried again after 1, 2, 4 … minutes (at most 4 hours), and
//   marked failed after MAX_ATTEMPTS; one the service refuses (another 4xx) is failed at once; an admin may retry it;
// - an amendment waits until its note (and any earlier amendment) is sent: it needs the case note id;
// - an attempt whose answer was lost (the service may have written the note, then the connection dropped, or this
//   instance died before recording it) is not simply repeated: the retry first looks for the note (or the amendment)
//   at the service, and records it as sent if it is there. See decision 018.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { CaseNotesConfig, HmppsAuthConfig } from '../../config'
import type { Database } from '../../platform/db/types'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import { now as clockNow } from '../../domain/clock'
import {
  type AmendCaseNote,
  type CreateCaseNote,
  MAX_ATTEMPTS,
  amendmentCaseNote,
  deletionCaseNote,
  backoffMs,
  sessionCaseNote,
  verdictOf,
} from '../../domain/caseNotes'
import { type Answer, type ApiCaseNote, type CaseNotesClient, caseNotesClient } from './client'
import { type OutboxRow, type OutboxScope, caseNotesRepository } from './repository'

export type { OutboxScope } from './repository'

/** The audit trail's name for a row of the outbox. */
export const ENTITY = 'case_note_outbox'
/** How long a claim holds: longer than the three requests an attempt may make, each with its timeout. */
export const LEASE_MS = 2 * 60_000
/** How soon an amendment waiting for its note looks again. */
export const WAIT_MS = 60_000

const SENDER = { ...SYSTEM_ACTOR, username: 'case notes sender' }

export interface CaseNotesDeps {
  audit: AuditService
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>
  /** the HTTP client; by default one over the configuration (tests may give their own) */
  client?: CaseNotesClient
}

export interface SendOutcome {
  sent: number
  /** failed this time and tried again later */
  retrying: number
  /** marked failed: refused by the service, or out of attempts */
  failed: number
  /** amendments waiting for their note */
  waiting: number
}

export function caseNotesService(
  db: Kysely<Database>,
  config: { caseNotes: CaseNotesConfig | null; hmppsAuth: HmppsAuthConfig | null },
  deps: CaseNotesDeps,
) {
  const repo = caseNotesRepository(db)
  const client =
    deps.client ?? (config.caseNotes && config.hmppsAuth ? caseNotesClient(config.caseNotes, config.hmppsAuth) : null)
  const configured = config.caseNotes !== null && client !== null

  async function queue(
    trx: Kysely<Database>,
    row: { establishmentId: number; sessionId: number; amendmentId: number | null; prisonNumber: string },
    kind: 'create' | 'amend',
    payload: CreateCaseNote | AmendCaseNote,
    source = kind === 'create' ? `session:${row.sessionId}` : `amendment:${row.amendmentId}`,
  ) {
    const at = clockNow().toISOString()
    await repo.insert(trx, {
      establishment_id: row.establishmentId,
      session_id: row.sessionId,
      amendment_id: row.amendmentId,
      prison_number: row.prisonNumber,
      kind,
      source,
      payload: JSON.stringify(payload),
      idempotency_key: crypto.randomUUID(),
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      created_at: at,
      updated_at: at,
    })
  }

  /** The note is at the service already (an earlier attempt's answer was lost): its id, else null. */
  async function foundNote(row: OutboxRow, caseloadId: string, note: CreateCaseNote): Promise<Answer | string | null> {
    const a = await client!.find(row.prison_number, caseloadId, note)
    if (a.status === null || verdictOf(a.status) === 'retry') return a
    if (verdictOf(a.status) !== 'sent') return null // cannot look: the idempotency key is what is left
    const known = await repo.knownCaseNoteIds(row.prison_number)
    const content = (a.body as { content?: ApiCaseNote[] } | null)?.content ?? []
    const same = content.find(
      n =>
        typeof n.caseNoteId === 'string' &&
        !known.has(n.caseNoteId) &&
        n.subType === note.subType &&
        n.text === note.text &&
        n.occurrenceDateTime?.slice(0, 16) === note.occurrenceDateTime.slice(0, 16),
    )
    return same ? same.caseNoteId : null
  }

  /** The amendment is on the note already (an earlier attempt's answer was lost). */
  async function foundAmendment(row: OutboxRow, caseloadId: string, caseNoteId: string, text: string) {
    const a = await client!.get(row.prison_number, caseNoteId, caseloadId)
    if (a.status === null || verdictOf(a.status) === 'retry') return a
    if (verdictOf(a.status) !== 'sent') return false
    const note = a.body as ApiCaseNote | null
    return (note?.amendments ?? []).some(x => x.additionalNoteText === text)
  }

  /** One attempt at one claimed row; writes its outcome if the claim still holds. */
  async function attempt(row: OutboxRow, token: string, caseloadId: string): Promise<keyof SendOutcome> {
    const at = clockNow()
    const settle = (values: Parameters<typeof repo.settle>[2]) => repo.settle(row.id, token, values)
    const sent = async (caseNoteId: string) => {
      if (
        await settle({
          status: 'sent',
          // the text is at the service now: keywork keeps the session, not a second copy of its note
          payload: '',
          case_note_id: caseNoteId,
          last_error: null,
          sent_at: clockNow().toISOString(),
          updated_at: clockNow().toISOString(),
        })
      )
        await deps.audit.recordAlone(SENDER, {
          action: 'send',
          entity: ENTITY,
          entityId: row.id,
          establishmentId: row.establishment_id,
          changes: { kind: row.kind, session: row.session_id, caseNoteId, attempts: row.attempts },
        })
      return 'sent' as const
    }
    const unsent = async (status: number | null, error: string) => {
      const attempts = row.attempts
      const verdict = verdictOf(status)
      const failed = verdict === 'failed' || attempts >= MAX_ATTEMPTS
      await settle({
        status: failed ? 'failed' : 'pending',
        last_error: error,
        next_attempt_at: new Date(at.getTime() + (failed ? 0 : backoffMs(attempts))).toISOString(),
        updated_at: clockNow().toISOString(),
      })
      if (failed)
        deps.logger?.warn({ outbox: row.id, attempts, error }, 'a key work case note could not be sent: marked failed')
      return failed ? ('failed' as const) : ('retrying' as const)
    }
    const answered = (a: Answer) =>
      a.status === null ? a.error : `The case notes service answered ${a.status}${reasonOf(a.status)}`

    // tried before (counted at the claim, or failed before an admin's retry): the answer to that try may have been lost
    const triedBefore = row.attempts > 1 || row.last_error !== null
    if (row.kind === 'create') {
      const note = JSON.parse(row.payload) as CreateCaseNote
      if (triedBefore) {
        const found = await foundNote(row, caseloadId, note)
        if (typeof found === 'string') return sent(found)
        if (found !== null) return unsent(found.status, `Looking for the note: ${answered(found)}`)
      }
      const a = await client!.create(row.prison_number, caseloadId, note, row.idempotency_key)
      if (a.status !== null && verdictOf(a.status) === 'sent') {
        const id = (a.body as ApiCaseNote | null)?.caseNoteId
        if (typeof id === 'string' && id) return sent(id)
        return unsent(null, `The case notes service answered ${a.status} without a case note id`)
      }
      return unsent(a.status, answered(a))
    }

    // an amendment: after its note and any earlier amendment of the session
    const earlier = await repo.earlierOfSession(row.session_id, row.id)
    const note = earlier.find(r => r.kind === 'create')
    if (!note?.case_note_id || earlier.some(r => r.status !== 'sent')) {
      // not an attempt: the claim's count is given back
      await settle({
        attempts: row.attempts - 1,
        next_attempt_at: new Date(at.getTime() + WAIT_MS).toISOString(),
        updated_at: clockNow().toISOString(),
      })
      return 'waiting'
    }
    const body = JSON.parse(row.payload) as AmendCaseNote
    if (triedBefore) {
      const found = await foundAmendment(row, caseloadId, note.case_note_id, body.text)
      if (found === true) return sent(note.case_note_id)
      if (found !== false) return unsent(found.status, `Looking for the amendment: ${answered(found)}`)
    }
    const a = await client!.amend(row.prison_number, note.case_note_id, caseloadId, body, row.idempotency_key)
    if (a.status !== null && verdictOf(a.status) === 'sent') return sent(note.case_note_id)
    return unsent(a.status, answered(a))
  }

  return {
    /** Whether case notes are pushed (CASE_NOTES_API_URL and HMPPS Auth set). */
    configured,

    /** Queues the note of a session just submitted: call it in the submit's transaction. Nothing when unconfigured. */
    async sessionSubmitted(trx: Kysely<Database>, establishmentId: number, sessionId: number): Promise<void> {
      if (!configured) return
      const s = await repo.sessionForNote(trx, establishmentId, sessionId)
      if (!s || !s.session_date) return
      const note = sessionCaseNote({
        establishmentCode: s.establishment_code,
        outcome: s.outcome,
        notDeliveredReason: s.not_delivered_reason,
        notDeliveredDetail: s.not_delivered_detail,
        sessionDate: s.session_date,
        startsAt: s.starts_at,
        durationMinutes: s.duration_minutes,
        location: s.location,
        private: s.private,
        pathways: s.pathways,
        concern: s.concern,
        concernEscalatedTo: s.concern_escalated_to,
        prisonerWords: s.prisoner_words,
        agreed: s.agreed,
        author: s.display_name ?? s.author,
      })
      await queue(trx, { establishmentId, sessionId, amendmentId: null, prisonNumber: s.prison_number }, 'create', note)
    },

    /** Queues an amendment of a submitted session: call it in the amendment's transaction. Nothing when unconfigured. */
    async sessionAmended(
      trx: Kysely<Database>,
      establishmentId: number,
      sessionId: number,
      amendmentId: number,
    ): Promise<void> {
      if (!configured) return
      const s = await repo.sessionForNote(trx, establishmentId, sessionId)
      const a = await repo.amendment(trx, sessionId, amendmentId)
      // a session submitted before case notes were configured has no note to amend
      if (!s || !a || !(await repo.noteOf(trx, sessionId))) return
      let changes: Record<string, { from: string; to: string }> = {}
      try {
        changes = JSON.parse(a.changes) as typeof changes
      } catch {
        /* an unreadable amendment is sent with its reason alone */
      }
      const who = (await repo.displayName(trx, a.amended_by))?.display_name ?? a.amended_by
      await queue(
        trx,
        { establishmentId, sessionId, amendmentId, prisonNumber: s.prison_number },
        'amend',
        amendmentCaseNote(changes, a.reason, who),
      )
    },

    /**
     * Queues the amendment that says an entry was deleted, and why: call it in the deletion's transaction. Nothing when
     * unconfigured or when the session has no note (submitted before case notes were configured).
     */
    async sessionDeleted(
      trx: Kysely<Database>,
      establishmentId: number,
      sessionId: number,
      deletion: { reason: string; by: string },
    ): Promise<void> {
      if (!configured) return
      const note = await repo.noteOf(trx, sessionId)
      if (!note) return
      const who = (await repo.displayName(trx, deletion.by))?.display_name ?? deletion.by
      await queue(
        trx,
        { establishmentId, sessionId, amendmentId: null, prisonNumber: note.prison_number },
        'amend',
        deletionCaseNote(deletion.reason, who),
        `deletion:${sessionId}`,
      )
    },

    /**
     * Sends what is due: claims each due row (one instance at a time holds it), tries it once, records the outcome.
     * Safe to run from every instance at once and from the command line.
     */
    async sendDue(limit = 200): Promise<SendOutcome> {
      const out: SendOutcome = { sent: 0, retrying: 0, failed: 0, waiting: 0 }
      if (!configured) return out
      const now = clockNow()
      const due = await repo.dueIds(now.toISOString(), limit)
      const codes = new Map<number, string>()
      for (const { id } of due) {
        const token = crypto.randomUUID()
        const at = clockNow()
        const row = await repo.claim(id, token, at.toISOString(), new Date(at.getTime() + LEASE_MS).toISOString())
        if (!row) continue // another instance has it
        let code = codes.get(row.establishment_id)
        if (!code) {
          code = (await repo.establishmentCode(row.establishment_id)) ?? ''
          codes.set(row.establishment_id, code)
        }
        try {
          out[await attempt(row, token, code)]++
        } catch (err) {
          // a fault of ours (the database): the lease runs out and the row is tried again
          deps.logger?.error({ err, outbox: row.id }, 'sending a key work case note failed')
        }
      }
      if (out.sent || out.failed) deps.logger?.info(out, 'key work case notes sent')
      return out
    },

    /** What is not sent yet in scope (pending and failed rows), and how many rows of each status there are. */
    async unsent(scope: OutboxScope, limit = 500) {
      const [rows, counts] = await Promise.all([repo.unsent(scope, limit), repo.counts(scope)])
      return { rows, counts }
    },

    /**
     * Puts a failed row back to be sent now, audited. 'not-found': no row of that id in scope; 'not-failed': sent or
     * waiting already (another admin retried it, say), nothing changed.
     */
    async retry(actor: Actor, scope: OutboxScope, id: number): Promise<'retried' | 'not-failed' | 'not-found'> {
      return db.transaction().execute(async trx => {
        const row = await repo.byId(trx, scope, id)
        if (!row) return 'not-found'
        if (row.status !== 'failed' || !(await repo.requeue(trx, id, clockNow().toISOString()))) return 'not-failed'
        await deps.audit.record(trx, actor, {
          action: 'retry',
          entity: ENTITY,
          entityId: id,
          establishmentId: row.establishment_id,
          changes: { status: { from: 'failed', to: 'pending' }, attempts: row.attempts, lastError: row.last_error },
        })
        return 'retried'
      })
    },
  }
}

/** A few words for a status an admin may meet, so the page says more than a number. */
function reasonOf(status: number): string {
  const words: Record<number, string> = {
    400: ' (the note was refused as it is)',
    401: ' (the token was refused)',
    403: ' (keywork may not write case notes for this prisoner)',
    404: ' (the prisoner or the note was not found)',
    409: ' (a conflict)',
    429: ' (too many requests)',
    500: ' (its own error)',
    502: ' (unavailable)',
    503: ' (unavailable)',
    504: ' (unavailable)',
  }
  return words[status] ?? ''
}

export type CaseNotesService = ReturnType<typeof caseNotesService>
