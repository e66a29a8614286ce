// Submitting an entry: the one use case that turns a draft into a record.
// Invariants: the entry is read and its ownership checked once, here (only its author submits it, in its
// establishment, while it is a draft and the prisoner is still in); every rule is checked before anything is
// written; a valid entry is locked and its goals, goal reviews, referrals, worksheets, statistics and audit event
// are written in one transaction, by whichever submit locks it first (a double submit writes nothing more); an
// entry with errors keeps what was typed in its draft; the services referred to are emailed after the commit, and
// an email that fails never undoes the entry.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { now as clockNow } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import type { EntryForm, SessionEntry } from '../../domain/sessionEntry'
import { readEntry } from './schema'
import type { Actor } from '../../platform/audit/service'
import type { StatisticsService } from '../statistics/service'
import { ENTITY, type SessionsContext } from './context'
import { checkForm, type EntryCheckResult } from './check'
import { saveForm } from './draft'
import { releasedMessage } from './present'
import type { SessionRow } from './repository'

/** What a submit did, for the route to answer. */
export type SubmitOutcome =
  /** recorded now: the new referrals' ids, and whose entry it is (for the confirmation) */
  | { kind: 'submitted'; referralIds: number[]; prisoner: { first_name: string; last_name: string } }
  /** nothing recorded: the messages, keyed by the form field they are about (the draft keeps what was typed) */
  | { kind: 'invalid'; errors: Record<string, string> }
  /** not a draft when read: submitted or deleted before (mine: the user wrote it) */
  | { kind: 'not-draft'; status: string; mine: boolean }
  /** a draft when read, but another submit of it locked it first: that one wrote everything */
  | { kind: 'locked' }
  /** no entry of this establishment, or another user's draft */
  | { kind: 'not-found' }

/** What `submit` did, as a Result: nothing new (already submitted: a double submit), or these new referrals. */
export interface SubmitResult {
  already: boolean
  referralIds: number[]
}

/** The outcome as the Result scripts and tests take: another user's or a deleted entry is not found. */
export function asResult(o: SubmitOutcome): Result<SubmitResult> | 'not-found' {
  switch (o.kind) {
    case 'submitted':
      return ok({ already: false, referralIds: o.referralIds })
    case 'invalid':
      return fail(o.errors)
    case 'not-draft':
      return o.mine && o.status === 'submitted' ? ok({ already: true, referralIds: [] }) : 'not-found'
    case 'locked':
      return ok({ already: true, referralIds: [] })
    case 'not-found':
      return 'not-found'
  }
}

export function submitUseCase(c: SessionsContext) {
  const { db, repo, deps } = c

  /** Checks the entry's references to other records: services, worksheets, hub bookings. */
  async function checkReferences(establishmentId: number, entry: SessionEntry) {
    const errors: Record<string, string> = {}
    for (const r of entry.referrals) {
      if (r.serviceId === null) continue
      const service = await deps.directory.get(establishmentId, r.serviceId)
      if (!service) errors[r.field] ??= 'Select a service from this establishment’s directory or a national one'
      else if (service.status !== 'active') errors[r.field] ??= `${service.name} is not taking referrals at the moment`
    }
    for (const id of entry.worksheetIds)
      if (!(await deps.worksheets.get(establishmentId, id))) errors.worksheets ??= 'Select worksheets from the list'
    if (entry.hubBookingId !== null) {
      const bookings = await deps.hubs.bookingsFor(establishmentId, entry.sessionDate)
      if (!bookings.some(b => b.id === entry.hubBookingId))
        errors.hubBookingId = 'Select a hub room booking on the day of the session'
    }
    return errors
  }

  /** Locks the entry and writes everything hung off it; null when another submit locked it first. */
  async function lock(
    trx: Kysely<Database>,
    actor: Actor,
    row: SessionRow,
    entry: SessionEntry,
    check: EntryCheckResult,
  ) {
    const establishmentId = row.establishment_id
    const now = clockNow().toISOString()
    const change = { establishmentId, prisonerId: row.prisoner_id, dates: [row.session_date, entry.sessionDate] }
    const locked = await deps.statistics.changeSessions(trx, change, () =>
      repo.updateDraft(trx, row.id, {
        status: 'submitted',
        submitted_at: now,
        updated_at: now,
        outcome: entry.outcome,
        not_delivered_reason: entry.notDeliveredReason,
        not_delivered_detail: entry.notDeliveredDetail,
        session_date: entry.sessionDate,
        starts_at: entry.startsAt,
        duration_minutes: entry.durationMinutes,
        location: entry.location,
        hub_booking_id: entry.location === 'hub_room' ? entry.hubBookingId : null,
        private: entry.private === null ? null : entry.private ? 1 : 0,
        interpreter_needed: entry.interpreterNeeded ? 1 : 0,
        interpreter_used: entry.interpreterUsed ? 1 : 0,
        interpreter_service: entry.interpreterService,
        interpreter_booking_ref: entry.interpreterBookingRef,
        interpreter_language: entry.interpreterLanguage,
        interpreter_why_not: entry.interpreterWhyNot,
        pathways: entry.pathways.join(','),
        concern: entry.concern ? 1 : 0,
        concern_escalated_to: entry.concernEscalatedTo,
        prisoner_words: entry.prisonerWords,
        agreed: entry.agreed,
        draft_form: null,
        // the pre-check ("Check my entry") as it stood at the submit: kept for sampling, the dashboard, calibration
        precheck: JSON.stringify(check.stored),
        precheck_score: check.score,
      }),
    )
    // submitted meanwhile (the same form twice at once): the first one wrote everything
    if (!locked) return null
    const goalIds: number[] = []
    for (const g of entry.goals)
      goalIds.push(
        await repo.insertGoal(trx, {
          establishment_id: establishmentId,
          prisoner_id: row.prisoner_id,
          set_in_session_id: row.id,
          description: g.description,
          measure: g.measure,
          target_date: g.targetDate,
          status: 'open',
          updated_in_session_id: null,
          created_at: now,
          updated_at: now,
        }),
      )
    const moves: Parameters<StatisticsService['followUpsMoved']>[2] = []
    for (const r of entry.reviews) {
      const before = await repo.reviewGoal(trx, r.goalId, row.id, r.status, r.note, now)
      if (before) moves.push({ kind: 'goal', createdAt: before.createdAt, from: before.from, to: r.status })
    }
    const referralIds: number[] = []
    for (const r of entry.referrals)
      referralIds.push(
        await repo.insertReferral(trx, {
          establishment_id: establishmentId,
          prisoner_id: row.prisoner_id,
          session_id: row.id,
          service_id: r.serviceId,
          stakeholder: r.stakeholder,
          note: r.note,
          status: 'sent',
          follow_up_date: r.followUpDate,
          created_at: now,
          created_by: actor.username ?? 'unknown',
          updated_at: now,
          updated_by: null,
        }),
      )
    await repo.insertWorksheets(trx, row.id, entry.worksheetIds)
    // referrals and goals made today, and the goals reviewed (their status counts on the day they were set)
    moves.push(...goalIds.map(() => ({ kind: 'goal' as const, createdAt: now, from: null, to: 'open' })))
    moves.push(...referralIds.map(() => ({ kind: 'referral' as const, createdAt: now, from: null, to: 'sent' })))
    if (moves.length) await deps.statistics.followUpsMoved(trx, establishmentId, moves)
    await deps.audit.record(trx, actor, {
      action: 'submit',
      entity: ENTITY,
      entityId: row.id,
      establishmentId,
      changes: {
        prisoner: row.prison_number,
        outcome: entry.outcome,
        not_delivered_reason: entry.notDeliveredReason,
        session_date: entry.sessionDate,
        duration_minutes: entry.durationMinutes,
        on_caseload: row.on_caseload,
        goals: goalIds,
        reviews: entry.reviews.map(r => ({ goal: r.goalId, status: r.status })),
        referrals: referralIds,
        worksheets: entry.worksheetIds,
      },
    })
    if (deps.integrity) await deps.integrity.onSubmitted(trx, establishmentId, row.id)
    // its key work case note for the MoJ case notes service, queued with the entry (sent later, from the outbox)
    if (deps.caseNotes) await deps.caseNotes.sessionSubmitted(trx, establishmentId, row.id)
    return referralIds
  }

  /**
   * The emails to the services referred to. The outbox writes its own transaction and may then call GOV.UK Notify,
   * so it runs once the entry is committed, never inside the entry's transaction; a failure is logged, not raised.
   */
  async function emailReferrals(actor: Actor, establishmentId: number, referralIds: number[]) {
    if (!referralIds.length || !deps.referrals) return
    try {
      await deps.referrals.sendForNewReferrals(actor, establishmentId, referralIds)
    } catch (err) {
      deps.logger?.error({ err, referralIds }, 'sending referral emails failed; the referrals are saved')
    }
  }

  /** Checks everything and records the entry (see the invariants above). */
  return async function submitEntry(
    actor: Actor,
    establishmentId: number,
    id: number,
    form: EntryForm,
  ): Promise<SubmitOutcome> {
    const row = await repo.byId(db, establishmentId, id)
    if (!row) return { kind: 'not-found' }
    const mine = actor.userId !== null && row.author_user_id === actor.userId
    if (row.status !== 'draft') return { kind: 'not-draft', status: row.status, mine }
    if (!mine) return { kind: 'not-found' }
    // an entry that cannot be submitted keeps what was typed in the draft, to put right
    const refuse = async (errors: Record<string, string>): Promise<SubmitOutcome> => {
      const saved = await db.transaction().execute(trx => saveForm(c, trx, actor, row, form))
      return saved === 'locked' ? { kind: 'locked' } : { kind: 'invalid', errors }
    }
    if (row.prisoner_status !== 'in' || row.prisoner_establishment_id !== establishmentId)
      return refuse({ form: releasedMessage(row) })
    const openGoals = await repo.openGoals(db, establishmentId, row.prisoner_id)
    const read = readEntry(form, {
      today: c.today(),
      receptionDate: row.reception_date,
      openGoalIds: openGoals.map(g => g.id),
    })
    if (!read.ok) return refuse(read.errors)
    const refErrors = await checkReferences(establishmentId, read.entry)
    if (Object.keys(refErrors).length) return refuse(refErrors)
    // a valid entry is locked in one transaction: its draft form is done with, so it is not saved first
    const check = await checkForm(
      c,
      row,
      form,
      openGoals.map(g => g.id),
    )
    const referralIds = await db.transaction().execute(trx => lock(trx, actor, row, read.entry, check))
    if (!referralIds) return { kind: 'locked' }
    await emailReferrals(actor, establishmentId, referralIds)
    return { kind: 'submitted', referralIds, prisoner: { first_name: row.first_name, last_name: row.last_name } }
  }
}
