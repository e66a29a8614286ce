// Drafts: starting an entry and saving the form as typed.
// Invariants: a user has at most one open draft per prisoner (a repeated start returns it; the client key makes
// the same start form sent twice make one draft); a draft is seen and changed only by its author, in its
// establishment; a draft stores the form as typed (text, not checked), and a save after the entry was submitted
// changes nothing ('locked'); every save that changes something writes an audit event naming the fields, not
// their words.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { isUniqueViolation } from '../../platform/db/errors'
import { now as clockNow } from '../../domain/clock'
import { languageName } from '../../domain/languages'
import { referralTargets } from '../../domain/referTo'
import { type Result, fail, ok } from '../../domain/result'
import type { EntryForm } from '../../domain/sessionEntry'
import { STAKEHOLDERS } from '../../domain/sessions'
import type { Actor } from '../../platform/audit/service'
import { ENTITY, type SessionsContext, officerOf } from './context'
import { releasedMessage } from './present'
import type { SessionRow } from './repository'

/** What a draft save did, for the route to answer. */
export type DraftSave = { kind: 'saved' | 'unchanged' } | { kind: 'not-draft'; status: string } | { kind: 'not-found' }

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

/**
 * The form of a new entry: today, and what the prisoner's record says (whether he needs an interpreter, his first
 * language). Where and how long the session was and whether it was private are left to answer: a value filled in
 * for the officer would be recorded as a fact nobody confirmed (the form suggests them in hints).
 */
function defaults(today: string, prisoner: { interpreter_needed: number; first_language: string | null }, key: string) {
  const [y, m, d] = today.split('-')
  return {
    client_key: key,
    'sessionDate-day': String(Number(d)),
    'sessionDate-month': String(Number(m)),
    'sessionDate-year': y!,
    interpreterNeeded: prisoner.interpreter_needed === 1 ? 'yes' : 'no',
    ...(prisoner.first_language ? { interpreterLanguage: languageName(prisoner.first_language) } : {}),
    goalRows: '1',
    referralRows: '1',
  } satisfies EntryForm
}

/** Saves the form into the draft row, if it changed; 'locked' when the entry was submitted meanwhile. */
export async function saveForm(
  c: SessionsContext,
  k: Kysely<Database>,
  actor: Actor,
  row: SessionRow,
  form: EntryForm,
): Promise<'saved' | 'unchanged' | 'locked'> {
  const before = formOf(row)
  const keys = new Set([...Object.keys(before), ...Object.keys(form)])
  const changed = [...keys].filter(key => JSON.stringify(before[key] ?? '') !== JSON.stringify(form[key] ?? ''))
  if (!changed.length) return 'unchanged'
  const n = await c.repo.updateDraft(k, row.id, {
    draft_form: JSON.stringify(form),
    updated_at: clockNow().toISOString(),
  })
  if (!n) return 'locked'
  // the words stay in the draft; the trail records which fields changed
  await c.deps.audit.record(k, actor, {
    action: 'update',
    entity: ENTITY,
    entityId: row.id,
    establishmentId: row.establishment_id,
    changes: { draft: changed.sort() },
  })
  return 'saved'
}

export function draftUseCases(c: SessionsContext) {
  const { db, repo, deps } = c

  /** A draft the user may edit: theirs, in this establishment (any status: the caller checks it). */
  async function ownDraft(k: Kysely<Database>, establishmentId: number, id: number, userId: number | null) {
    const row = await repo.byId(k, establishmentId, id)
    if (!row || row.author_user_id !== userId || userId === null) return null
    return row
  }

  return {
    /** What the start page needs: the prisoner, whether they are on the officer's caseload, an open draft. */
    async startInfo(establishmentId: number, prisonNumber: string, userId: number) {
      const prisoner = await deps.prisoners.get(establishmentId, prisonNumber)
      if (!prisoner) return null
      const officer = await officerOf(c, establishmentId, userId)
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
      const officer = await officerOf(c, establishmentId, actor.userId)
      const onCaseload = officer ? await repo.onCaseload(db, establishmentId, prisoner.id, officer.id) : false
      const form = defaults(c.today(), prisoner, key)
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

    /** The user's own draft, or null (another user's draft, another establishment's, or not a draft). */
    ownDraft: (establishmentId: number, id: number, userId: number) => ownDraft(db, establishmentId, id, userId),

    /** What the entry form shows besides the draft: open goals, services, stakeholders, worksheets, bookings. */
    async formOptions(establishmentId: number, row: SessionRow, form: EntryForm) {
      const [y, m, d] = ['sessionDate-year', 'sessionDate-month', 'sessionDate-day'].map(k => String(form[k] ?? ''))
      const date = /^\d{4}$/.test(y!) ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : c.today()
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

    /**
     * Saves the form as typed into the user's draft, reading the entry and checking whose it is once. 'not-draft':
     * submitted or deleted (by anyone); 'not-found': no entry of this establishment, or another user's draft.
     */
    async saveDraft(actor: Actor, establishmentId: number, id: number, form: EntryForm): Promise<DraftSave> {
      return db.transaction().execute(async (trx): Promise<DraftSave> => {
        const row = await repo.byId(trx, establishmentId, id)
        if (!row) return { kind: 'not-found' }
        if (row.status !== 'draft') return { kind: 'not-draft', status: row.status }
        if (actor.userId === null || row.author_user_id !== actor.userId) return { kind: 'not-found' }
        const saved = await saveForm(c, trx, actor, row, form)
        return saved === 'locked' ? { kind: 'not-draft', status: 'submitted' } : { kind: saved }
      })
    },
  }
}
