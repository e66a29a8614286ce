// The national Key Worker training programme (issue 16): numbered versions (the national team drafts a copy of the
// published version, changes its modules and contributors, and publishes it with a change summary; the previous one
// is superseded, and completions count by module code so nothing is lost) and each establishment's local modules
// (added, changed, retired, never deleted). The public surface (s.training) is composed of one part per job, each
// with its invariants at its top: national.ts (the seed and the published programme other features read), draft.ts
// (the draft version: modules, contributors, publishing), local.ts (local modules); context.ts (what they share).
// Invariants of the whole: every change is one transaction with its audit event; module codes never change.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { type TrainingDeps, trainingContext } from './context'
import { trainingDraft } from './draft'
import { trainingLocal } from './local'
import { trainingNational } from './national'

export type {
  ContributorView,
  LocalModule,
  LocalModuleText,
  ModuleView,
  ProgrammeVersionFull,
  ProgrammeVersionView,
  TrainingDeps,
} from './context'

export function trainingService(db: Kysely<Database>, deps: TrainingDeps) {
  const ctx = trainingContext(db, deps)
  const national = trainingNational(ctx)
  return {
    ...national.surface,
    ...trainingDraft(ctx, national),
    ...trainingLocal(ctx, national),
  }
}

export type TrainingService = ReturnType<typeof trainingService>
