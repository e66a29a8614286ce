import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { addDays, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { type JournalFact, addMonthsIso } from '../../domain/training'
import {
  type CaseloadName,
  type JournalForm,
  type ReflectionField,
  type ReflectionFlag,
  checkReflection,
  flagsKey,
  parseFlags,
} from '../../domain/reflection'
import type { Actor, AuditService } from '../../platform/audit/service'
import { type ReflectiveEntryRow, journalRepository } from './repository'
import type { JournalInput } from './schema'

export interface JournalDeps {
  audit: AuditService
}

/** Who is asking to read an entry: their account, and whether they supervise in the establishment acted in. */
export interface Reader {
  userId: number
  supervisor: boolean
}

/** The error key under which a save waits for the writer to confirm what the check found. */
export const CONFIRM_FIELD = 'confirmFlags'

/** The columns of an entry from the form: a short reflection keeps its text in the description. */
function columns(input: JournalInput) {
  const stages =
    input.form === 'gibbs'
      ? {
          description: input.description,
          feelings: input.feelings,
          evaluation: input.evaluation,
          analysis: input.analysis,
          conclusion: input.conclusion,
          action_plan: input.actionPlan,
        }
      : { description: input.text, feelings: '', evaluation: '', analysis: '', conclusion: '', action_plan: '' }
  return { form: input.form, title: input.title, written_on: input.writtenOn, minutes: input.minutes, ...stages }
}

/** The fields the check reads, named as the form names them. */
export function checkedFields(input: JournalInput): Partial<Record<ReflectionField, string>> {
  const c = columns(input)
  return {
    title: c.title,
    description: c.description,
    feelings: c.feelings,
    evaluation: c.evaluation,
    analysis: c.analysis,
    conclusion: c.conclusion,
    actionPlan: c.action_plan,
  }
}

/** The first day of the 12 months to `today` (the period CPD hours count over). */
export const yearFrom = (today: string) => addDays(addMonthsIso(today, -12), 1)

export function journalService(db: Kysely<Database>, deps: JournalDeps) {
  const repo = journalRepository(db)
  const { audit } = deps

  const caseloadOf = async (establishmentId: number, staffId: number, k: Kysely<Database> = db) =>
    (await repo.caseloadNames(establishmentId, staffId, k)).map((p): CaseloadName => ({
      firstName: p.first_name,
      lastName: p.last_name,
    }))

  /** The entry if this reader may read it: its writer, or (once shared) a Supervising Officer of its establishment. */
  const readable = async (establishmentId: number, id: number, reader: Reader) => {
    const entry = await repo.byId(establishmentId, id)
    if (!entry) return undefined
    if (entry.user_id === reader.userId) return { entry, asWriter: true }
    if (reader.supervisor && entry.shared === 1) return { entry, asWriter: false }
    return undefined
  }

  /** The entry if this user wrote it (in the establishment acted in). */
  const own = async (establishmentId: number, id: number, userId: number, k: Kysely<Database> = db) => {
    const entry = await repo.byId(establishmentId, id, k)
    return entry && entry.user_id === userId ? entry : undefined
  }

  return {
    /**
     * Each officer's journal entries written between two dates (inclusive), for their CPD hours: every staff id
     * asked for is a key, with no entries when they wrote none.
     */
    async minutesFor(staffIds: number[], from: string, to: string): Promise<Map<number, JournalFact[]>> {
      const out = new Map<number, JournalFact[]>(staffIds.map(id => [id, []]))
      if (!staffIds.length || from > to) return out
      for (const r of await repo.minutes([...new Set(staffIds)], from, to))
        out.get(Number(r.staff_id))?.push({ writtenOn: r.written_on, minutes: Number(r.minutes) })
      return out
    },

    /** The staff record in this establishment that is this user's: whose journal they keep. */
    async staffOf(establishmentId: number, userId: number) {
      const [me] = await repo.staffOfUser(establishmentId, userId)
      return me
    },

    staff: (establishmentId: number, staffId: number) => repo.staff(establishmentId, staffId),

    /** The names of the prisoners allocated to a member of staff now: what the check looks for. */
    caseload: (establishmentId: number, staffId: number) => caseloadOf(establishmentId, staffId),

    /** A writer's own entries, newest first, and the minutes written in the 12 months to today. */
    async mine(establishmentId: number, userId: number) {
      const today = todayIso()
      const from = yearFrom(today)
      const entries = await repo.forUser(establishmentId, userId)
      const minutes = entries
        .filter(e => e.written_on >= from && e.written_on <= today)
        .reduce((sum, e) => sum + Number(e.minutes), 0)
      return { entries, minutes, from, to: today }
    },

    /** What the check finds in an entry, against the caseload of the member of staff it is written by. */
    async check(establishmentId: number, staffId: number, input: JournalInput): Promise<ReflectionFlag[]> {
      return checkReflection(checkedFields(input), await caseloadOf(establishmentId, staffId))
    },

    readable,
    own: (establishmentId: number, id: number, userId: number) => own(establishmentId, id, userId),
    flagsOf: (entry: Pick<ReflectiveEntryRow, 'flags'>) => parseFlags(entry.flags),

    /** The entries shared with the establishment's Supervising Officers (one officer's, if given). */
    shared: (establishmentId: number, staffId?: number) => repo.shared(establishmentId, staffId),

    /**
     * Writes a new entry (no `id`) or changes the writer's own. The check runs against the writer's caseload: when it
     * finds something, the entry is saved only if the writer confirmed exactly these findings (`confirmed` is their
     * flagsKey); otherwise nothing is saved and the findings come back to be confirmed or edited away.
     */
    async save(
      actor: Actor,
      establishmentId: number,
      input: JournalInput,
      opts: { id?: number; confirmed?: string } = {},
    ): Promise<Result<{ id: number; flags: ReflectionFlag[] }>> {
      if (actor.userId === null) return fail({ form: 'Sign in to write in your journal' })
      const userId = actor.userId
      return db.transaction().execute(async trx => {
        let staffId: number
        let existing: ReflectiveEntryRow | undefined
        if (opts.id !== undefined) {
          existing = await own(establishmentId, opts.id, userId, trx)
          if (!existing) return fail({ form: 'Journal entry not found' })
          staffId = existing.staff_id
        } else {
          const [me] = await repo.staffOfUser(establishmentId, userId, trx)
          if (!me)
            return fail({
              form: 'Your account is not linked to a staff record here: ask your establishment admin to link it',
            })
          staffId = me.id
        }
        const flags = checkReflection(checkedFields(input), await caseloadOf(establishmentId, staffId, trx))
        if (flags.length && opts.confirmed !== flagsKey(flags))
          return fail({
            [CONFIRM_FIELD]:
              'Your entry may identify a prisoner: remove the names and prison numbers shown, or confirm you want to save it as it is',
          })
        const values = columns(input)
        const now = new Date().toISOString()
        const stored = JSON.stringify(flags)
        if (!existing) {
          const id = await repo.insert(trx, {
            establishment_id: establishmentId,
            staff_id: staffId,
            user_id: userId,
            ...values,
            flags: stored,
            created_at: now,
            updated_at: now,
          })
          // the trail is read by admins: it names what was written, never the reflection itself
          await audit.record(trx, actor, {
            action: 'create',
            entity: 'reflective_entry',
            entityId: id,
            establishmentId,
            changes: {
              staff_id: staffId,
              form: values.form,
              written_on: values.written_on,
              minutes: values.minutes,
              flags: flags.length,
            },
          })
          return ok({ id, flags })
        }
        const changed: Record<string, unknown> = {}
        for (const k of ['form', 'written_on', 'minutes'] as const)
          if (existing[k] !== values[k]) changed[k] = { from: existing[k], to: values[k] }
        const texts = (
          ['title', 'description', 'feelings', 'evaluation', 'analysis', 'conclusion', 'action_plan'] as const
        ).filter(k => existing[k] !== values[k])
        if (texts.length) changed.texts_changed = texts
        if (existing.flags !== stored) changed.flags = { from: parseFlags(existing.flags).length, to: flags.length }
        if (!Object.keys(changed).length) return ok({ id: existing.id, flags })
        await repo.update(trx, establishmentId, existing.id, { ...values, flags: stored, updated_at: now })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'reflective_entry',
          entityId: existing.id,
          establishmentId,
          changes: changed,
        })
        return ok({ id: existing.id, flags })
      })
    },

    /** Shares the writer's own entry with their Supervising Officers, or withdraws it. */
    async setShared(actor: Actor, establishmentId: number, id: number, shared: boolean): Promise<Result> {
      if (actor.userId === null) return fail({ form: 'Journal entry not found' })
      const userId = actor.userId
      return db.transaction().execute(async trx => {
        const entry = await own(establishmentId, id, userId, trx)
        if (!entry) return fail({ form: 'Journal entry not found' })
        if ((entry.shared === 1) === shared) return ok()
        const now = new Date().toISOString()
        await repo.update(trx, establishmentId, id, { shared: shared ? 1 : 0, shared_at: shared ? now : null })
        await audit.record(trx, actor, {
          action: shared ? 'share' : 'unshare',
          entity: 'reflective_entry',
          entityId: id,
          establishmentId,
          changes: { shared: { from: entry.shared === 1, to: shared } },
        })
        return ok()
      })
    },

    /** Deletes the writer's own entry (its minutes stop counting); the trail keeps that it was, not what it said. */
    async remove(actor: Actor, establishmentId: number, id: number): Promise<Result> {
      if (actor.userId === null) return fail({ form: 'Journal entry not found' })
      const userId = actor.userId
      return db.transaction().execute(async trx => {
        const entry = await own(establishmentId, id, userId, trx)
        if (!entry) return fail({ form: 'Journal entry not found' })
        await repo.remove(trx, establishmentId, id)
        await audit.record(trx, actor, {
          action: 'delete',
          entity: 'reflective_entry',
          entityId: id,
          establishmentId,
          changes: { staff_id: entry.staff_id, written_on: entry.written_on, minutes: Number(entry.minutes) },
        })
        return ok()
      })
    },
  }
}

export type JournalService = ReturnType<typeof journalService>
export type { JournalForm }
