import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { pathwayName } from '../../domain/pathways'
import { type RedactionTerms, placeNames, redact } from '../../domain/redact'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { NoticesService } from '../notices/service'
import { goodPracticeRepository } from './repository'
import type { DecisionInput } from './schema'

export interface GoodPracticeDeps {
  audit: AuditService
  /** tells the nominating Supervising Officer in the service what the national team decided */
  notices?: Pick<NoticesService, 'tell'>
}

export const STATUS_NAMES: Record<string, string> = {
  nominated: 'Waiting for review',
  published: 'Published',
  declined: 'Declined',
}

/** The pathway codes of a comma-separated list, each once, in order. */
export const pathwayCodes = (list: string) => [
  ...new Set(
    list
      .split(',')
      .map(p => p.trim())
      .filter(Boolean),
  ),
]

export function goodPracticeService(db: Kysely<Database>, deps: GoodPracticeDeps) {
  const repo = goodPracticeRepository(db)
  const { audit } = deps

  /** The entry's own words: what the prisoner said, what was agreed, the goals set in it. */
  async function entryText(establishmentId: number, sessionId: number): Promise<string> {
    const [entry, goals] = await Promise.all([
      repo.entry(establishmentId, sessionId),
      repo.goals(establishmentId, sessionId),
    ])
    if (!entry) return ''
    const parts: string[] = []
    if (entry.prisoner_words?.trim()) parts.push(`In their own words:\n${entry.prisoner_words.trim()}`)
    if (entry.agreed?.trim()) parts.push(`What was agreed:\n${entry.agreed.trim()}`)
    if (goals.length)
      parts.push(
        `Goals:\n${goals.map(g => `- ${g.description.trim()}${g.measure.trim() ? ` (${g.measure.trim()})` : ''}`).join('\n')}`,
      )
    return parts.join('\n\n')
  }

  /** Everything the entry's text must lose: names of the establishment's people, and places. */
  async function termsFor(establishmentId: number, sessionId: number): Promise<RedactionTerms> {
    const [entry, staff, prisoners, users, establishments, units, locations] = await Promise.all([
      repo.entry(establishmentId, sessionId),
      repo.staffNames(establishmentId),
      repo.prisonerNames(establishmentId),
      repo.userNames(establishmentId),
      repo.establishments(),
      repo.units(establishmentId),
      repo.locations(establishmentId),
    ])
    const own = entry
      ? [
          `${entry.prisoner_first_name} ${entry.prisoner_last_name}`,
          ...(entry.staff_first_name ? [`${entry.staff_first_name} ${entry.staff_last_name}`] : []),
        ]
      : []
    return {
      names: [...own, ...staff, ...prisoners, ...users],
      places: [...establishments.flatMap(e => placeNames(e.name)), ...units.map(u => u.name), ...locations],
      codes: [...establishments.map(e => e.code), ...units.map(u => u.code)],
    }
  }

  return {
    /** A submitted entry of the establishment that may be nominated, with what the form shows of it. */
    async entry(establishmentId: number, sessionId: number) {
      const entry = await repo.entry(establishmentId, sessionId)
      if (!entry || entry.status === 'deleted') return null
      const live = await repo.liveForSession(db, establishmentId, sessionId)
      return { ...entry, text: await entryText(establishmentId, sessionId), live: live ?? null }
    },

    /** Nominates a submitted entry of the establishment for the library, with the reason, audited. */
    async nominate(
      actor: Actor,
      establishmentId: number,
      input: { session: number; reason: string },
    ): Promise<Result<number>> {
      if (actor.userId === null) return fail({ form: 'Sign in to nominate an entry' })
      return db.transaction().execute(async trx => {
        const entry = await repo.entry(establishmentId, input.session, trx)
        if (!entry || entry.status !== 'submitted')
          return fail<number>({ session: 'There is no submitted entry with that number at this establishment' })
        const live = await repo.liveForSession(trx, establishmentId, input.session)
        if (live)
          return fail<number>({
            session:
              live.status === 'published'
                ? 'This entry is already in the good-practice library'
                : 'This entry has already been nominated and is waiting for the national team',
          })
        const now = new Date().toISOString()
        const id = await repo.insert(trx, {
          establishment_id: establishmentId,
          session_id: input.session,
          nominated_by_user_id: actor.userId!,
          nominated_by: actor.username ?? 'unknown',
          nominated_at: now,
          reason: input.reason,
          status: 'nominated',
          title: null,
          text: null,
          pathways: pathwayCodes(entry.pathways).join(','),
          decided_by: null,
          decided_at: null,
          decision_note: null,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'good_practice',
          entityId: id,
          establishmentId,
          changes: { session_id: input.session, reason: input.reason, status: 'nominated' },
        })
        return ok(id)
      })
    },

    /**
     * The nominations of the establishment, or of every establishment when `scope` is null (the national team, which
     * decides them all in one list), and how many wait in each establishment.
     */
    async nominations(scope: number | null) {
      const [rows, waiting] = await Promise.all([repo.nominations(scope), repo.waitingByEstablishment()])
      return { rows, waiting: waiting.map(w => ({ ...w, n: Number(w.n) })) }
    },

    /**
     * A nomination with the entry as written and as keywork would publish it: the redacted text with each removal
     * marked, and a suggested title. Of the establishment given, or of any establishment when `scope` is null (the
     * national team's): the entry and what to redact are always read in the nomination's own establishment.
     */
    async review(scope: number | null, id: number) {
      const nomination = await repo.nomination(scope, id)
      if (!nomination) return null
      const establishmentId = nomination.establishment_id
      const [entry, original, terms] = await Promise.all([
        repo.entry(establishmentId, nomination.session_id),
        entryText(establishmentId, nomination.session_id),
        termsFor(establishmentId, nomination.session_id),
      ])
      const pathways = pathwayCodes(nomination.pathways)
      const suggestedTitle = pathways.length
        ? `Good practice: ${pathways.map(pathwayName).join(', ')}`
        : 'Good practice in a key work session'
      return { nomination, entry: entry ?? null, original, redacted: redact(original, terms), suggestedTitle, pathways }
    },

    /**
     * Publishes a nomination to the library or declines it, audited. The title and text published are redacted again
     * with the same rules, so a name typed back in by the reviewer never reaches the library; `further` counts what
     * that second pass removed. A nomination already decided (by someone else, in the meantime) is refused. `scope` as
     * for `review`: the audit and the notice belong to the nomination's own establishment.
     */
    async decide(
      actor: Actor,
      scope: number | null,
      id: number,
      input: DecisionInput,
    ): Promise<Result<{ further: number }>> {
      // what to redact is read first: the transaction's connection is the only one on SQLite
      const found = await repo.nomination(scope, id)
      const terms = found ? await termsFor(found.establishment_id, found.session_id) : {}
      return db.transaction().execute(async trx => {
        const existing = await repo.nominationIn(trx, scope, id)
        if (!existing) return fail<{ further: number }>({ decision: 'Nomination not found' })
        const establishmentId = existing.establishment_id
        if (existing.status !== 'nominated')
          return fail<{ further: number }>({
            decision: `This nomination has already been ${existing.status === 'published' ? 'published' : 'declined'}`,
          })
        const now = new Date().toISOString()
        let further = 0
        let values: { status: string; title: string | null; text: string | null }
        if (input.decision === 'publish') {
          const title = redact(input.title ?? '', terms)
          const text = redact(input.text ?? '', terms)
          further = title.removals.length + text.removals.length
          values = { status: 'published', title: title.text, text: text.text }
        } else values = { status: 'declined', title: null, text: null }
        const updated = await repo.decide(trx, id, {
          ...values,
          decided_by: actor.username ?? 'unknown',
          decided_at: now,
          decision_note: input.note,
        })
        if (updated !== 1)
          return fail<{ further: number }>({ decision: 'This nomination has just been decided by someone else' })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'good_practice',
          entityId: id,
          establishmentId,
          changes: {
            status: { from: existing.status, to: values.status },
            ...(values.title ? { title: values.title } : {}),
            ...(input.note ? { note: input.note } : {}),
            ...(further ? { further_removals: further } : {}),
          },
        })
        await deps.notices?.tell(trx, {
          userId: existing.nominated_by_user_id,
          establishmentId,
          kind: 'good-practice',
          message:
            values.status === 'published'
              ? 'An entry you nominated is now in the good-practice library'
              : 'The national team declined an entry you nominated to the good-practice library',
          link: values.status === 'published' ? `/good-practice/${id}` : `/sessions/${existing.session_id}`,
        })
        return ok({ further })
      })
    },

    /** The library: published items, of one pathway if given. */
    library: (pathway: string | null) => repo.published(pathway),
    item: (id: number) => repo.publishedItem(id),
  }
}

export type GoodPracticeService = ReturnType<typeof goodPracticeService>
