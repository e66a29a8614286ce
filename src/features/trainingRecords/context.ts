// What every part of the training records service shares: its dependencies (other features' services, as
// functions), the types of what is recorded and imported, and the repository.
// Invariants:
// - completions are append-only: a mistake is voided with a reason, never deleted or changed;
// - every query is scoped by establishment: another establishment's officer or completion is not found.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { AuditService } from '../../platform/audit/service'
import type { JournalFact, ModuleKind, Outcome, TrainingRules } from '../../domain/training'
import { trainingRecordsRepository } from './repository'

export type CompletionSource = 'course' | 'csv' | 'xapi' | 'manual'

/** One completion to record (from a course, a CSV import, an xAPI statement or by hand). */
export interface NewCompletion {
  establishmentId: number
  staffId: number
  moduleId: number | null
  moduleCode: string
  kind: ModuleKind
  title: string
  completedOn: string
  hours: number
  outcome: Outcome
  evidence?: string
  source: CompletionSource
  courseId?: number | null
  externalId?: string | null
}

/** What the records need of the catalogue (s.training): a module by its code. */
export interface ModuleLookup {
  id: number
  code: string
  title: string
  kind: ModuleKind
  hours: number
}

export interface TrainingRecordsDeps {
  audit: AuditService
  /** the establishment's training rules (s.trainingRules.rulesFor) */
  rulesFor: (establishmentId: number) => Promise<TrainingRules>
  /** the reflective journal's minutes, counted towards CPD (s.journal.minutesFor) */
  journalMinutes?: (staffIds: number[], from: string, to: string) => Promise<Map<number, JournalFact[]>>
  /** the current national module of a code, or the establishment's local one (s.training.moduleByCode) */
  moduleByCode: (code: string, establishmentId: number | null) => Promise<ModuleLookup | undefined>
  /** the modules an establishment's officers can complete: national and its local ones (s.training.modulesFor) */
  modulesFor?: (establishmentId: number) => Promise<ModuleLookup[]>
  /** an officer's open assignments of modules (s.trainingReminders.assignmentsFor) */
  assignmentsFor?: (staffId: number, establishmentId: number) => Promise<AssignmentView[]>
}

/** What the record page shows of an assignment. */
export interface AssignmentView {
  moduleCode: string
  moduleTitle: string
  reason: string
  dueOn: string
  met: boolean
  overdue: boolean
}

/** A row of a CSV import in error: the spreadsheet's row number, the column's heading, the message. */
export interface RowError {
  row: number
  column: string
  message: string
}

export type CsvImportOutcome =
  | { status: 'file-problem'; messages: string[] }
  | { status: 'rejected'; rows: number; errors: RowError[]; ignored: string[] }
  | { status: 'imported'; rows: number; recorded: number; ignored: string[] }

export type XapiOutcome =
  { ok: false; errors: string[] } | { ok: true; recorded: number; already: number; ids: string[] }

export type CertificateState = 'valid' | 'superseded' | 'revoked'

export const nameOf = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`.trim()

export interface TrainingRecordsContext {
  db: Kysely<Database>
  repo: ReturnType<typeof trainingRecordsRepository>
  audit: AuditService
  deps: TrainingRecordsDeps
}

export function trainingRecordsContext(db: Kysely<Database>, deps: TrainingRecordsDeps): TrainingRecordsContext {
  return { db, repo: trainingRecordsRepository(db), audit: deps.audit, deps }
}
