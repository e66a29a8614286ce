// Changing a submitted entry: amendments and deletion.
// Invariants: a submitted entry is never edited in place without a trace: an amendment records which fields
// changed, from what, to what, why and by whom, and the row then holds the current values (so statistics, due
// dates and the timeline count them) while the values as first submitted stay in the amendments; only the fields
// of AMENDABLE_FIELDS change; a deleted entry keeps its row, marked deleted with who, when and why; the statistics
// change in the same transaction as the row.
import type { Updateable } from 'kysely'
import type { KeyWorkSessionTable } from '../../platform/db/types'
import { now as clockNow } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import { AMENDABLE, type AmendableField, type AmendableValues, type EntryForm } from '../../domain/sessionEntry'
import type { Actor } from '../../platform/audit/service'
import { ENTITY, type SessionsContext } from './context'
import type { SessionRow } from './repository'
import { readAmendment } from './schema'

type Stored = string | number | null

/**
 * How each amendable field is kept: the column it is stored in, how the stored value reads as the text the
 * amendment form shows and amendments compare ('' for none), and how that text is stored again.
 */
interface AmendableColumn {
  column: keyof KeyWorkSessionTable & keyof SessionRow
  text(stored: Stored): string
  stored(text: string): Stored
}

/** A column of text: blank is stored as null. */
const textColumn = (column: AmendableColumn['column']): AmendableColumn => ({
  column,
  text: v => (v === null ? '' : String(v)),
  stored: t => (t === '' ? null : t),
})

/** The amendable fields (labels in AMENDABLE, in the order the form shows them) and how each is stored. */
export const AMENDABLE_FIELDS: Readonly<Record<AmendableField, AmendableColumn>> = {
  sessionDate: { column: 'session_date', text: v => (v === null ? '' : String(v)), stored: t => t },
  startsAt: textColumn('starts_at'),
  durationMinutes: {
    column: 'duration_minutes',
    text: v => (v === null ? '' : String(v)),
    stored: t => (t === '' ? null : Number(t)),
  },
  location: textColumn('location'),
  private: {
    column: 'private',
    text: v => (v === null ? '' : v ? 'yes' : 'no'),
    stored: t => (t === '' ? null : t === 'yes' ? 1 : 0),
  },
  concernEscalatedTo: textColumn('concern_escalated_to'),
  interpreterWhyNot: textColumn('interpreter_why_not'),
  prisonerWords: textColumn('prisoner_words'),
  agreed: textColumn('agreed'),
}

const FIELDS = Object.keys(AMENDABLE) as AmendableField[]

/** An entry's amendable values as text, after its amendments (applied in order). */
export function currentValues(row: SessionRow, amendments: { changes: string }[]): AmendableValues {
  const v = Object.fromEntries(
    FIELDS.map(f => [f, AMENDABLE_FIELDS[f].text(row[AMENDABLE_FIELDS[f].column] as Stored)]),
  ) as AmendableValues
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
  const out: Record<string, unknown> = {}
  for (const [field, { to }] of Object.entries(changes)) {
    if (!Object.hasOwn(AMENDABLE_FIELDS, field)) continue
    const f = AMENDABLE_FIELDS[field as AmendableField]
    out[f.column] = f.stored(to)
  }
  return out as Updateable<KeyWorkSessionTable>
}

/** The author, a Supervising Officer or an admin of the establishment may amend a submitted entry. */
export function mayAmend(row: SessionRow, userId: number, roles: readonly string[]) {
  return (
    row.status === 'submitted' &&
    (row.author_user_id === userId || roles.includes('SUPERVISING_OFFICER') || roles.includes('ESTABLISHMENT_ADMIN'))
  )
}

export function amendUseCases(c: SessionsContext) {
  const { db, repo, deps } = c
  return {
    mayAmend,

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
        const amendments = await repo.amendmentChanges(trx, row.id)
        const read = readAmendment(currentValues(row, amendments), form, {
          today: c.today(),
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
        // the narrative or the times may have changed: the integrity checks look at the entry again
        if (deps.integrity) await deps.integrity.onSubmitted(trx, establishmentId, row.id)
        // appended to its key work case note at the MoJ case notes service, queued with the amendment
        if (deps.caseNotes) await deps.caseNotes.sessionAmended(trx, establishmentId, row.id, amendmentId)
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
        // its key work case note at the MoJ case notes service says so, queued with the deletion
        if (deps.caseNotes && row.status === 'submitted')
          await deps.caseNotes.sessionDeleted(trx, establishmentId, row.id, {
            reason: why,
            by: actor.username ?? 'unknown',
          })
        return ok()
      })
    },
  }
}
