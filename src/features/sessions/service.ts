import crypto from 'node:crypto'
import type { Kysely, Updateable } from 'kysely'
import type { Database, KeyWorkSessionTable } from '../../db/types'
import { isUniqueViolation } from '../../db/errors'
import { now as clockNow } from '../../domain/clock'
import type { BookletService } from '../../domain/directory'
import { londonNow } from '../../domain/hubs'
import { languageName } from '../../domain/languages'
import { pathwayName } from '../../domain/pathways'
import { type Result, fail, ok } from '../../domain/result'
import {
  AMENDABLE,
  type AmendableField,
  type AmendableValues,
  type EntryForm,
  type SessionEntry,
  readAmendment,
  readEntry,
} from '../../domain/sessionEntry'
import { GOAL_STATUSES, LOCATIONS, NOT_DELIVERED_REASONS, OUTCOMES, STAKEHOLDERS } from '../../domain/sessions'
import { referralTargets } from '../../domain/referTo'
import type { Actor, AuditService } from '../audit/service'
import type { StatisticsService } from '../statistics/service'
import { type DirectoryService, toBooklet } from '../directory/service'
import type { EstablishmentsService } from '../establishments/service'
import type { HubsService } from '../hubs/service'
import type { PrisonersService } from '../prisoners/service'
import type { StaffService } from '../staff/service'
import type { WorksheetsService } from '../worksheets/service'
import { type SessionRow, sessionsRepository } from './repository'

const ENTITY = 'key_work_session'

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
}

/** What a submit did: nothing new (already submitted: a double submit), or the entry with these new referrals. */
export interface SubmitResult {
  already: boolean
  referralIds: number[]
}

/** Why a session cannot be started or changed, in words for the officer. */
export function releasedMessage(p: { first_name: string; last_name: string; status: string }): string {
  const name = `${p.first_name} ${p.last_name}`
  return p.status === 'transferred'
    ? `${name} has been transferred out, so a session cannot be recorded for them here`
    : `${name} has been released, so a session cannot be recorded for them`
}

/** The form of a draft, as stored (JSON of text fields). */
export function formOf(row: { draft_form: string | null }): EntryForm {
  if (!row.draft_form) return {}
  try {
    const v = JSON.parse(row.draft_form) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as EntryForm) : {}
  } catch {
    return {}
  }
}

const yesNo = (v: number | null) => (v === null ? '' : v ? 'yes' : 'no')

/** An entry's amendable values as text, after its amendments (applied in order). */
export function currentValues(row: SessionRow, amendments: { changes: string }[]): AmendableValues {
  const v: AmendableValues = {
    sessionDate: row.session_date ?? '',
    startsAt: row.starts_at ?? '',
    durationMinutes: row.duration_minutes === null ? '' : String(row.duration_minutes),
    location: row.location ?? '',
    private: yesNo(row.private),
    concernEscalatedTo: row.concern_escalated_to ?? '',
    interpreterWhyNot: row.interpreter_why_not ?? '',
    prisonerWords: row.prisoner_words ?? '',
    agreed: row.agreed ?? '',
  }
  for (const a of amendments) {
    try {
      const changes = JSON.parse(a.changes) as Record<string, { to: string }>
      for (const [k, c] of Object.entries(changes)) if (k in AMENDABLE) v[k as AmendableField] = String(c.to)
    } catch {
      /* an unreadable amendment changes nothing */
    }
  }
  return v
}

/** The session columns an amendment's changes set (text values from the form, as stored). */
export function columnsOf(changes: Record<string, { to: string }>): Updateable<KeyWorkSessionTable> {
  const out: Updateable<KeyWorkSessionTable> = {}
  const text = (v: string) => (v === '' ? null : v)
  for (const [field, { to }] of Object.entries(changes)) {
    switch (field as AmendableField) {
      case 'sessionDate':
        out.session_date = to
        break
      case 'startsAt':
        out.starts_at = text(to)
        break
      case 'durationMinutes':
        out.duration_minutes = to === '' ? null : Number(to)
        break
      case 'location':
        out.location = text(to)
        break
      case 'private':
        out.private = to === '' ? null : to === 'yes' ? 1 : 0
        break
      case 'concernEscalatedTo':
        out.concern_escalated_to = text(to)
        break
      case 'interpreterWhyNot':
        out.interpreter_why_not = text(to)
        break
      case 'prisonerWords':
        out.prisoner_words = text(to)
        break
      case 'agreed':
        out.agreed = text(to)
        break
    }
  }
  return out
}

export function sessionsService(db: Kysely<Database>, deps: SessionsDeps) {
  const repo = sessionsRepository(db)
  const today = () => londonNow().date

  async function officerOf(establishmentId: number, userId: number | null) {
    if (userId === null) return null
    const [me] = await deps.staff.linkedTo(establishmentId, userId)
    return me ?? null
  }

  /**
   * The form of a new entry: today, and what the prisoner's record says (whether he needs an interpreter, his first
   * language). Where and how long the session was and whether it was private are left to answer: a value filled in
   * for the officer would be recorded as a fact nobody confirmed (the form suggests them in hints).
   */
  function defaults(prisoner: { interpreter_needed: number; first_language: string | null }, clientKey: string) {
    const [y, m, d] = today().split('-')
    return {
      client_key: clientKey,
      'sessionDate-day': String(Number(d)),
      'sessionDate-month': String(Number(m)),
      'sessionDate-year': y!,
      interpreterNeeded: prisoner.interpreter_needed === 1 ? 'yes' : 'no',
      ...(prisoner.first_language ? { interpreterLanguage: languageName(prisoner.first_language) } : {}),
      goalRows: '1',
      referralRows: '1',
    } satisfies EntryForm
  }

  /** A draft the user may edit: theirs, in this establishment, still a draft. */
  async function ownDraft(k: Kysely<Database>, establishmentId: number, id: number, userId: number | null) {
    const row = await repo.byId(k, establishmentId, id)
    if (!row || row.author_user_id !== userId || userId === null) return null
    return row
  }

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

  async function saveForm(
    k: Kysely<Database>,
    actor: Actor,
    row: SessionRow,
    form: EntryForm,
  ): Promise<'saved' | 'unchanged' | 'locked'> {
    const before = formOf(row)
    const keys = new Set([...Object.keys(before), ...Object.keys(form)])
    const changed = [...keys].filter(key => JSON.stringify(before[key] ?? '') !== JSON.stringify(form[key] ?? ''))
    if (!changed.length) return 'unchanged'
    const n = await repo.updateDraft(k, row.id, {
      draft_form: JSON.stringify(form),
      updated_at: clockNow().toISOString(),
    })
    if (!n) return 'locked'
    // the words stay in the draft; the trail records which fields changed
    await deps.audit.record(k, actor, {
      action: 'update',
      entity: ENTITY,
      entityId: row.id,
      establishmentId: row.establishment_id,
      changes: { draft: changed.sort() },
    })
    return 'saved'
  }

  return {
    /** What the start page needs: the prisoner, whether they are on the officer's caseload, an open draft. */
    async startInfo(establishmentId: number, prisonNumber: string, userId: number) {
      const prisoner = await deps.prisoners.get(establishmentId, prisonNumber)
      if (!prisoner) return null
      const officer = await officerOf(establishmentId, userId)
      const [onCaseload, draft] = await Promise.all([
        officer ? repo.onCaseload(db, establishmentId, prisoner.id, officer.id) : false,
        repo.draftFor(db, establishmentId, prisoner.id, userId),
      ])
      return { prisoner, officer, onCaseload, draftId: draft?.id ?? null }
    },

    /**
     * Starts a draft for a prisoner, or returns the author's open draft for them. The client key (from the start
     * page) makes a repeated start return the same draft. 'not-found': not a prisoner of this establishment.
     */
    async start(
      actor: Actor,
      establishmentId: number,
      prisonNumber: string,
      clientKey?: string,
    ): Promise<Result<{ id: number; created: boolean }> | 'not-found'> {
      const prisoner = await deps.prisoners.get(establishmentId, prisonNumber)
      if (!prisoner || actor.userId === null) return 'not-found'
      if (prisoner.status !== 'in') return fail({ form: releasedMessage(prisoner) })
      const key = clientKey && /^[\w-]{8,64}$/.test(clientKey) ? clientKey : crypto.randomUUID()
      const existingDraft = await repo.draftFor(db, establishmentId, prisoner.id, actor.userId)
      if (existingDraft) return ok({ id: existingDraft.id, created: false })
      const officer = await officerOf(establishmentId, actor.userId)
      const onCaseload = officer ? await repo.onCaseload(db, establishmentId, prisoner.id, officer.id) : false
      const form = defaults(prisoner, key)
      const now = clockNow().toISOString()
      try {
        const id = await db.transaction().execute(async trx => {
          const id = await repo.insert(trx, {
            establishment_id: establishmentId,
            prisoner_id: prisoner.id,
            staff_id: officer?.id ?? null,
            author_user_id: actor.userId,
            author: actor.username ?? 'unknown',
            status: 'draft',
            on_caseload: onCaseload ? 1 : 0,
            interpreter_needed: prisoner.interpreter_needed,
            pathways: '',
            concern: 0,
            client_key: key,
            draft_form: JSON.stringify(form),
            created_at: now,
            updated_at: now,
          })
          await deps.audit.record(trx, actor, {
            action: 'create',
            entity: ENTITY,
            entityId: id,
            establishmentId,
            changes: { status: 'draft', prisoner: prisoner.prison_number, on_caseload: onCaseload ? 1 : 0 },
          })
          return id
        })
        return ok({ id, created: true })
      } catch (err) {
        if (!isUniqueViolation(err)) throw err
        // the same start form sent twice: the first one made the draft
        const first = await repo.byClientKey(db, key)
        if (first && first.establishment_id === establishmentId && first.author_user_id === actor.userId)
          return ok({ id: first.id, created: false })
        return fail({ form: 'This form has already been used: start the session again' })
      }
    },

    /** Any entry of the establishment (draft, submitted or deleted), with its prisoner. */
    get: (establishmentId: number, id: number) => repo.byId(db, establishmentId, id),

    /** The user's own draft, or null (another user's draft, another establishment's, or not a draft). */
    ownDraft: (establishmentId: number, id: number, userId: number) => ownDraft(db, establishmentId, id, userId),

    /** What the entry form shows besides the draft: open goals, services, stakeholders, worksheets, bookings. */
    async formOptions(establishmentId: number, row: SessionRow, form: EntryForm) {
      const [y, m, d] = ['sessionDate-year', 'sessionDate-month', 'sessionDate-day'].map(k => String(form[k] ?? ''))
      const date = /^\d{4}$/.test(y!) ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : today()
      const [openGoals, services, worksheets, bookings, settings] = await Promise.all([
        repo.openGoals(db, establishmentId, row.prisoner_id),
        deps.directory.servicesForBooklet(establishmentId),
        deps.worksheets.list(establishmentId),
        /^\d{4}-\d{2}-\d{2}$/.test(date) ? deps.hubs.bookingsFor(establishmentId, date) : Promise.resolve([]),
        deps.establishments.settings(establishmentId),
      ])
      // each service once, and only the teams no directory service stands for (src/domain/referTo.ts)
      const targets = referralTargets(
        services.filter(s => s.status === 'active').sort((a, b) => a.name.localeCompare(b.name, 'en')),
        STAKEHOLDERS,
      )
      // a team already chosen in this entry stays on offer, so reopening the form does not drop it
      const chosen = new Set(
        Object.values(form).flatMap(v => (typeof v === 'string' && v.startsWith('stakeholder:') ? [v.slice(12)] : [])),
      )
      return {
        openGoals,
        services: targets.services,
        stakeholders: Object.fromEntries(
          Object.entries(STAKEHOLDERS).filter(([code]) => code in targets.stakeholders || chosen.has(code)),
        ),
        worksheets,
        bookings,
        defaultMinutes: settings?.effective.sessionMinutes ?? null,
      }
    },

    /** Saves the form as typed into the user's draft. 'not-found': not their draft; 'locked': submitted. */
    async saveDraft(
      actor: Actor,
      establishmentId: number,
      id: number,
      form: EntryForm,
    ): Promise<'saved' | 'unchanged' | 'locked' | 'not-found'> {
      return db.transaction().execute(async trx => {
        const row = await ownDraft(trx, establishmentId, id, actor.userId)
        if (!row) return 'not-found'
        if (row.status !== 'draft') return 'locked'
        return saveForm(trx, actor, row, form)
      })
    },

    /**
     * Checks everything and in one transaction locks the entry and writes its goals, goal reviews, referrals,
     * worksheets, statistics and an audit event. An entry with errors is saved as the draft instead, so nothing typed
     * is lost. Submitting an entry already submitted (a double submit) changes nothing and says so ('already'). The
     * ids of the new referrals come back for the email step.
     */
    async submit(
      actor: Actor,
      establishmentId: number,
      id: number,
      form: EntryForm,
    ): Promise<Result<SubmitResult> | 'not-found'> {
      const row = await ownDraft(db, establishmentId, id, actor.userId)
      if (!row || row.status === 'deleted') return 'not-found'
      if (row.status === 'submitted') return ok({ already: true, referralIds: [] })
      // an entry that cannot be submitted keeps what was typed in the draft, to put right
      const refuse = async (errors: Record<string, string>) => {
        const saved = await db.transaction().execute(trx => saveForm(trx, actor, row, form))
        return saved === 'locked' ? ok({ already: true, referralIds: [] }) : fail<SubmitResult>(errors)
      }
      if (row.prisoner_status !== 'in' || row.prisoner_establishment_id !== establishmentId)
        return refuse({ form: releasedMessage(row) })
      const openGoals = await repo.openGoals(db, establishmentId, row.prisoner_id)
      const read = readEntry(form, {
        today: today(),
        receptionDate: row.reception_date,
        openGoalIds: openGoals.map(g => g.id),
      })
      if (!read.ok) return refuse(read.errors)
      const entry = read.entry
      const refErrors = await checkReferences(establishmentId, entry)
      if (Object.keys(refErrors).length) return refuse(refErrors)

      // a valid entry is locked in one transaction: its draft form is done with, so it is not saved first
      return db.transaction().execute(async trx => {
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
          }),
        )
        // submitted meanwhile (the same form twice at once): the first one wrote everything
        if (!locked) return ok({ already: true, referralIds: [] as number[] })
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
        return ok({ already: false, referralIds })
      })
    },

    /** A submitted or deleted entry with everything hung off it, for the read-only page. */
    async entry(establishmentId: number, id: number) {
      const row = await repo.byId(db, establishmentId, id)
      if (!row || row.status === 'draft') return null
      const [goals, reviews, referrals, worksheets, amendments] = await Promise.all([
        repo.goalsSetIn([row.id]),
        repo.reviewsIn([row.id]),
        repo.referralsIn([row.id]),
        repo.worksheetsIn([row.id]),
        repo.amendmentsOf(row.id),
      ])
      const names = await repo.displayNames([row.author, row.deleted_by ?? '', ...amendments.map(a => a.amended_by)])
      // the contact details as the form showed them (phones and places as text, not records)
      const services = new Map<string, BookletService | null>()
      for (const r of referrals)
        if (r.service_id && !services.has(r.service_id)) {
          const detail = await deps.directory.get(establishmentId, r.service_id)
          services.set(r.service_id, detail ? toBooklet(detail) : null)
        }
      return {
        row,
        goals,
        reviews,
        referrals: referrals.map(r => ({
          ...r,
          service: r.service_id ? (services.get(r.service_id) ?? null) : null,
          stakeholderName: r.stakeholder
            ? (STAKEHOLDERS[r.stakeholder as keyof typeof STAKEHOLDERS] ?? r.stakeholder)
            : null,
        })),
        worksheets,
        amendments: amendments.map(a => ({
          ...a,
          changes: JSON.parse(a.changes) as Record<string, { from: string; to: string }>,
        })),
        current: currentValues(row, amendments),
        /** username → name, for who recorded, amended or deleted the entry */
        names,
        pathways: row.pathways ? row.pathways.split(',').map(pathwayName) : [],
      }
    },

    /** The author, a Supervising Officer or an admin of the establishment may amend a submitted entry. */
    mayAmend(row: SessionRow, userId: number, roles: readonly string[]) {
      return (
        row.status === 'submitted' &&
        (row.author_user_id === userId ||
          roles.includes('SUPERVISING_OFFICER') ||
          roles.includes('ESTABLISHMENT_ADMIN'))
      )
    },

    /**
     * Appends an amendment: which fields change, from what, to what, and why. The entry then shows (and counts) the
     * amended values; the values as first submitted stay in the amendments, shown on the entry's page.
     */
    async amend(
      actor: Actor,
      establishmentId: number,
      id: number,
      form: EntryForm,
    ): Promise<Result<number> | 'not-found'> {
      return db.transaction().execute(async trx => {
        const row = await repo.byId(trx, establishmentId, id)
        if (!row || row.status !== 'submitted') return 'not-found' as const
        const amendments = await trx
          .selectFrom('session_amendments')
          .select('changes')
          .where('session_id', '=', row.id)
          .orderBy('id')
          .execute()
        const read = readAmendment(currentValues(row, amendments), form, {
          today: today(),
          receptionDate: row.reception_date,
        })
        if (!read.ok) return fail<number>(read.errors)
        const now = clockNow().toISOString()
        const amendmentId = await repo.insertAmendment(trx, {
          session_id: row.id,
          amended_at: now,
          amended_by: actor.username ?? 'unknown',
          reason: read.reason,
          changes: JSON.stringify(read.changes),
        })
        // the row holds the entry's current values, so that statistics, due dates and the timeline count the amended
        // date, length and privacy; what it held before is in the amendment's "from" values
        const dates = [row.session_date, read.changes.sessionDate?.to]
        await deps.statistics.changeSessions(trx, { establishmentId, prisonerId: row.prisoner_id, dates }, () =>
          repo.update(trx, row.id, columnsOf(read.changes)),
        )
        await deps.audit.record(trx, actor, {
          action: 'amend',
          entity: ENTITY,
          entityId: row.id,
          establishmentId,
          changes: { amendment: amendmentId, reason: read.reason, ...read.changes },
        })
        return ok(amendmentId)
      })
    },

    /** Marks an entry deleted, with the reason (admins only; nothing is ever removed from the database). */
    async remove(actor: Actor, establishmentId: number, id: number, reason: string): Promise<Result | 'not-found'> {
      const why = reason.trim()
      if (!why) return fail({ reason: 'Enter why the entry is being deleted' })
      if (why.length > 1000) return fail({ reason: 'The reason must be 1,000 characters or fewer' })
      return db.transaction().execute(async trx => {
        const row = await repo.byId(trx, establishmentId, id)
        if (!row || row.status === 'deleted') return 'not-found' as const
        const now = clockNow().toISOString()
        const change = { establishmentId, prisonerId: row.prisoner_id, dates: [row.session_date] }
        await deps.statistics.changeSessions(trx, change, () =>
          repo.update(trx, row.id, {
            status: 'deleted',
            deleted_at: now,
            deleted_by: actor.username ?? 'unknown',
            deleted_reason: why,
            updated_at: now,
          }),
        )
        await deps.audit.record(trx, actor, {
          action: 'delete',
          entity: ENTITY,
          entityId: row.id,
          establishmentId,
          changes: { status: { from: row.status, to: 'deleted' }, reason: why },
        })
        return ok()
      })
    },

    draftsOf: (establishmentId: number, userId: number) => repo.draftsOf(establishmentId, userId),
    recent: (establishmentId: number, authorUserId: number | null, limit = 50) =>
      repo.recent(establishmentId, authorUserId, limit),

    /** The date of each prisoner's last delivered session (submitted, delivered; drafts and deleted never count). */
    async lastDelivered(establishmentId: number): Promise<Map<number, string>> {
      const rows = await repo.lastDelivered(establishmentId)
      return new Map(rows.filter(r => r.last).map(r => [r.prisoner_id, String(r.last)]))
    },

    /** A prisoner's submitted entries, newest first, each with its goals, reviews, referrals and worksheets. */
    async forPrisoner(establishmentId: number, prisonerId: number) {
      const rows = await repo.forPrisoner(establishmentId, prisonerId)
      const ids = rows.map(r => r.id)
      const [goals, reviews, referrals, worksheets] = await Promise.all([
        repo.goalsSetIn(ids),
        repo.reviewsIn(ids),
        repo.referralsIn(ids),
        repo.worksheetsIn(ids),
      ])
      return rows.map(r => ({
        ...r,
        outcomeName: r.outcome ? (OUTCOMES[r.outcome as keyof typeof OUTCOMES] ?? r.outcome) : '',
        reasonName: r.not_delivered_reason
          ? (NOT_DELIVERED_REASONS[r.not_delivered_reason as keyof typeof NOT_DELIVERED_REASONS] ??
            r.not_delivered_reason)
          : null,
        locationName: r.location ? (LOCATIONS[r.location as keyof typeof LOCATIONS] ?? r.location) : null,
        pathwayNames: r.pathways ? r.pathways.split(',').map(pathwayName) : [],
        goals: goals.filter(g => g.set_in_session_id === r.id),
        reviews: reviews.filter(g => g.session_id === r.id),
        referrals: referrals
          .filter(x => x.session_id === r.id)
          .map(x => ({
            ...x,
            to:
              x.service_name ??
              (x.stakeholder ? (STAKEHOLDERS[x.stakeholder as keyof typeof STAKEHOLDERS] ?? x.stakeholder) : ''),
          })),
        worksheets: worksheets.filter(w => w.session_id === r.id),
      }))
    },

    /** The prisoner's open goals (open or in progress). */
    openGoals: (establishmentId: number, prisonerId: number) => repo.openGoals(db, establishmentId, prisonerId),

    goalStatusName: (s: string) => GOAL_STATUSES[s as keyof typeof GOAL_STATUSES] ?? s,
  }
}

export type SessionsService = ReturnType<typeof sessionsService>
