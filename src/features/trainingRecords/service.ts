// Training records (issue 16): the public surface (s.trainingRecords) composed of one part per job, each with its
// invariants at its top: completions.ts (recording completions, by hand, voiding), certificates.ts (issue,
// supersede, PDF, the public check), status.ts (officers' training status and the record page), imports.ts (CSV
// import, xAPI in and out); context.ts (what they share: dependencies and types).
// Invariants of the whole: completions are append-only (voided, never deleted); every query is scoped by
// establishment; every change is audited in its own transaction (or the caller's, for recordCompletions).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { trainingCertificates } from './certificates'
import { trainingCompletions } from './completions'
import { type TrainingRecordsDeps, trainingRecordsContext } from './context'
import { trainingImports } from './imports'
import { trainingStatuses } from './status'

export type {
  AssignmentView,
  CertificateState,
  CompletionSource,
  CsvImportOutcome,
  ModuleLookup,
  NewCompletion,
  RowError,
  TrainingRecordsDeps,
  XapiOutcome,
} from './context'
export { statementIdOf } from './imports'

export function trainingRecordsService(db: Kysely<Database>, deps: TrainingRecordsDeps) {
  const ctx = trainingRecordsContext(db, deps)
  const certificates = trainingCertificates(ctx)
  const statuses = trainingStatuses(ctx)
  const completions = trainingCompletions(ctx, certificates)
  return {
    ...completions,
    ...statuses.surface,
    ...certificates.surface,
    ...trainingImports(ctx, statuses, completions.recordCompletions),
  }
}

export type TrainingRecordsService = ReturnType<typeof trainingRecordsService>
