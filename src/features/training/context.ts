// What every part of the training catalogue shares: its dependencies, the views other features see of a module,
// a version and a contributor, and the rows they are read from.
// Invariants:
// - a module's outcomes are stored one a line and its prerequisites as comma-separated codes; codes compare without
//   regard to case;
// - a module the other features see is national (with its programme version) or local (establishmentId, no version).
import type { Kysely, Selectable } from 'kysely'
import type { Database, TrainingContributorTable, TrainingModuleTable } from '../../platform/db/types'
import type { ContributorRole, ModuleFormat, ModuleKind } from '../../domain/training'
import { type ModuleText, prerequisiteProblems } from '../../domain/trainingProgramme'
import type { Actor, AuditService } from '../../platform/audit/service'
import { trainingRepository } from './repository'

export type TrainingRepository = ReturnType<typeof trainingRepository>

export interface TrainingDeps {
  audit: AuditService
  /** PostgreSQL takes locks to serialise concurrent changes; SQLite needs none */
  dialect?: 'sqlite' | 'postgres'
}

/** A module as the other training features see it: national (of a programme version) or an establishment's local one. */
export interface ModuleView {
  id: number
  code: string
  title: string
  kind: ModuleKind
  format: ModuleFormat
  hours: number
  days: number
  summary: string
  outcomes: string[]
  prerequisites: string[]
  establishmentId: number | null
  programmeVersion: number | null
}

/** An establishment's own module with whether it is still offered. */
export type LocalModule = ModuleView & { active: boolean }

export interface ContributorView {
  id: number
  name: string
  role: ContributorRole
  organisation: string
}

export interface ProgrammeVersionView {
  id: number
  version: number
  status: 'draft' | 'published' | 'superseded'
  summary: string
  createdAt: string
  createdBy: string
  publishedAt: string | null
  publishedBy: string | null
}

export interface ProgrammeVersionFull {
  version: ProgrammeVersionView
  modules: ModuleView[]
  contributors: ContributorView[]
}

/** What a local module may be given: its kind is always 'local'. */
export type LocalModuleText = Omit<ModuleText, 'kind'>

export type ModuleRow = Selectable<TrainingModuleTable>
export type VersionRow = { id: number; version: number; status: string; summary: string } & Record<string, unknown>

export const actorName = (actor: Actor) => actor.username ?? 'system'
export const splitCodes = (s: string) =>
  s
    .split(',')
    .map(c => c.trim())
    .filter(Boolean)
export const splitLines = (s: string) =>
  s
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)

export function viewOf(r: ModuleRow, programmeVersion: number | null): ModuleView {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind as ModuleKind,
    format: r.format as ModuleFormat,
    hours: Number(r.hours),
    days: Number(r.days),
    summary: r.summary,
    outcomes: splitLines(r.outcomes),
    prerequisites: splitCodes(r.prerequisites),
    establishmentId: r.establishment_id,
    programmeVersion,
  }
}

export const localOf = (r: ModuleRow): LocalModule => ({ ...viewOf(r, null), active: r.active === 1 })

export const contributorOf = (r: Selectable<TrainingContributorTable>): ContributorView => ({
  id: r.id,
  name: r.name,
  role: r.role as ContributorRole,
  organisation: r.organisation,
})

export const versionOf = (v: Selectable<Database['training_programme_versions']>): ProgrammeVersionView => ({
  id: v.id,
  version: v.version,
  status: v.status as ProgrammeVersionView['status'],
  summary: v.summary,
  createdAt: v.created_at,
  createdBy: v.created_by,
  publishedAt: v.published_at,
  publishedBy: v.published_by,
})

/** The columns a module's text is stored in. */
export const columnsOf = (t: ModuleText) => ({
  code: t.code,
  title: t.title,
  kind: t.kind,
  summary: t.summary,
  outcomes: t.outcomes.join('\n'),
  format: t.format,
  hours: t.hours,
  days: t.days,
  prerequisites: t.prerequisites.join(','),
})

/** The changed columns, each from → to, for the audit trail. */
export function changesOf(before: ModuleRow, after: ReturnType<typeof columnsOf>) {
  return Object.fromEntries(
    Object.entries(after)
      .filter(([k, v]) => String(before[k as keyof ModuleRow]) !== String(v))
      .map(([k, v]) => [k, { from: before[k as keyof ModuleRow], to: v }]),
  )
}

export const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase()

/** The prerequisite problems of a set of modules, as form errors on the prerequisites field (null when none). */
export function prerequisiteError(
  modules: { code: string; prerequisites: readonly string[] }[],
  known: string[],
  code: string,
): string | null {
  const problems = prerequisiteProblems(modules, known)
  if (!problems.size) return null
  return problems.get(code.toUpperCase()) ?? [...problems.values()][0]!
}

export interface TrainingContext {
  db: Kysely<Database>
  repo: TrainingRepository
  audit: AuditService
}

export function trainingContext(db: Kysely<Database>, deps: TrainingDeps): TrainingContext {
  return { db, repo: trainingRepository(db, deps.dialect), audit: deps.audit }
}
