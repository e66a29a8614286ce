// The sessions service: the use cases of recording Key Work sessions, one file each, behind one object.
//   draft.ts    starting an entry and saving the form as typed
//   submit.ts   checking and recording an entry (and emailing the services referred to)
//   amend.ts    amending or deleting a submitted entry; the table of amendable fields
//   queries.ts  reading entries
//   present.ts  the words pages show for stored codes
// The rules of an entry are in src/domain/sessionEntry.ts; the form is read by schema.ts.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { EntryForm } from '../../domain/sessionEntry'
import type { Actor } from '../../platform/audit/service'
import { amendUseCases } from './amend'
import { type SessionsDeps, sessionsContext } from './context'
import { draftUseCases } from './draft'
import { queries } from './queries'
import { asResult, submitUseCase } from './submit'
import { checkForm } from './check'
import type { SessionRow } from './repository'

export type { SessionsDeps } from './context'
export type { SubmitOutcome, SubmitResult } from './submit'
export { releasedMessage } from './present'
export { formOf } from './draft'
export { columnsOf, currentValues } from './amend'
export type { EntryCheckResult, ShownHint } from './check'

export function sessionsService(db: Kysely<Database>, deps: SessionsDeps) {
  const c = sessionsContext(db, deps)
  const submitEntry = submitUseCase(c)
  return {
    ...draftUseCases(c),
    /** Checks and records the entry: what happened, for the route to answer (see submit.ts). */
    submitEntry,
    /** The same, as a Result (for scripts and tests): 'already' when the entry was submitted before. */
    submit: async (actor: Actor, establishmentId: number, id: number, form: EntryForm) =>
      asResult(await submitEntry(actor, establishmentId, id, form)),
    /** "Check my entry": the pre-check of a draft's form as typed (hints and estimates); saves nothing. */
    checkEntryForm: (row: SessionRow, form: EntryForm) => checkForm(c, row, form),
    ...amendUseCases(c),
    ...queries(c),
  }
}

export type SessionsService = ReturnType<typeof sessionsService>
