import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { todayIso } from '../../domain/dates'
import {
  type CompletionFact,
  type JournalFact,
  type ModuleKind,
  type Outcome,
  type TrainingRules,
  type TrainingStatus,
  trainingStatus,
} from '../../domain/training'
import { newCertificateCode } from './certificateCode'
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
  moduleByCode?: (code: string, establishmentId: number | null) => Promise<ModuleLookup | undefined>
}

const nameOf = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`.trim()

export function trainingRecordsService(db: Kysely<Database>, deps: TrainingRecordsDeps) {
  const repo = trainingRecordsRepository(db)
  const { audit } = deps

  /**
   * Makes the newest certificate (by completion date, then issue) of an officer's module code the current one, and
   * marks every other live one as superseded by it: a retraining supersedes the earlier certificate; voiding the
   * retraining makes the earlier one current again.
   */
  async function settleCertificates(trx: Kysely<Database>, staffId: number, moduleCode: string) {
    const live = await repo.liveCertificatesFor(trx, staffId, moduleCode)
    const first = live[0]
    if (!first) return
    const current = Number(first.id)
    if (first.superseded_by !== null) await repo.setSupersededBy(trx, [current], null)
    const stale = live.slice(1).filter(c => c.superseded_by === null || Number(c.superseded_by) !== current)
    await repo.setSupersededBy(
      trx,
      stale.map(c => Number(c.id)),
      current,
    )
  }

  async function completionsFor(staffIds: number[], k: Kysely<Database> = db) {
    const rows = await repo.liveCompletions([...new Set(staffIds)], k)
    const out = new Map<number, CompletionFact[]>()
    for (const id of staffIds) out.set(id, [])
    for (const r of rows)
      out.get(Number(r.staff_id))?.push({
        moduleCode: r.module_code,
        kind: r.kind as ModuleKind,
        completedOn: r.completed_on,
        hours: Number(r.hours),
        outcome: r.outcome as Outcome,
      })
    return out
  }

  /** The training status of officers of one establishment (their start dates, completions and journal), by id. */
  async function statusesFor(establishmentId: number, staff: { id: number; started_in_post: string | null }[]) {
    const today = todayIso()
    const rules = await deps.rulesFor(establishmentId)
    const ids = staff.map(s => Number(s.id))
    const completions = await completionsFor(ids)
    const window = trainingStatus(rules, null, [], today).cpd
    const journal = deps.journalMinutes ? await deps.journalMinutes(ids, window.from, window.to) : new Map()
    const out = new Map<number, TrainingStatus>()
    for (const s of staff)
      out.set(
        Number(s.id),
        trainingStatus(
          rules,
          s.started_in_post,
          completions.get(Number(s.id)) ?? [],
          today,
          journal.get(Number(s.id)) ?? [],
        ),
      )
    return { rules, today, statuses: out }
  }

  return {
    /**
     * Records completions in the caller's transaction (a course's completion, an import): each row inserted and
     * audited, and a certificate issued for each that did not fail, superseding the officer's earlier certificate of
     * the same module code. The new completions' ids, in order.
     */
    async recordCompletions(trx: Kysely<Database>, actor: Actor, rows: NewCompletion[]): Promise<number[]> {
      const ids: number[] = []
      const now = new Date().toISOString()
      const today = todayIso()
      const by = actor.username ?? 'system'
      const names = new Map<number, string>()
      for (const row of rows) {
        const id = await repo.insertCompletion(trx, {
          establishment_id: row.establishmentId,
          staff_id: row.staffId,
          module_id: row.moduleId,
          module_code: row.moduleCode,
          kind: row.kind,
          title: row.title,
          completed_on: row.completedOn,
          hours: row.hours,
          outcome: row.outcome,
          evidence: row.evidence ?? '',
          source: row.source,
          course_id: row.courseId ?? null,
          external_id: row.externalId ?? null,
          recorded_at: now,
          recorded_by: by,
          voided_at: null,
          voided_by: null,
          void_reason: null,
        })
        ids.push(id)
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_completion',
          entityId: id,
          establishmentId: row.establishmentId,
          changes: {
            staff_id: row.staffId,
            module_code: row.moduleCode,
            completed_on: row.completedOn,
            hours: row.hours,
            outcome: row.outcome,
            source: row.source,
            course_id: row.courseId ?? null,
            external_id: row.externalId ?? null,
          },
        })
        if (row.outcome === 'failed') continue
        let name = names.get(row.staffId)
        if (name === undefined) {
          const staff = await repo.staff(row.establishmentId, row.staffId, trx)
          if (!staff) throw new Error(`staff ${row.staffId} is not in establishment ${row.establishmentId}`)
          name = nameOf(staff)
          names.set(row.staffId, name)
        }
        const certificateId = await repo.insertCertificate(trx, {
          code: newCertificateCode(),
          completion_id: id,
          staff_id: row.staffId,
          establishment_id: row.establishmentId,
          name,
          module_title: row.title,
          completed_on: row.completedOn,
          issued_on: today,
          issued_at: now,
          issued_by: by,
          superseded_by: null,
          revoked_at: null,
          revoke_reason: null,
        })
        await settleCertificates(trx, row.staffId, row.moduleCode)
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_certificate',
          entityId: certificateId,
          establishmentId: row.establishmentId,
          changes: { completion_id: id, staff_id: row.staffId, module_code: row.moduleCode },
        })
      }
      return ids
    },

    /** The non-voided completions of these officers, oldest first, by staff id (every id given has an entry). */
    completionsFor: (staffIds: number[]) => completionsFor(staffIds),

    /** An officer's training status now, under their establishment's rules; their journal counts towards CPD. */
    async statusFor(establishmentId: number, staffId: number): Promise<TrainingStatus> {
      const staff = await repo.staff(establishmentId, staffId)
      const { statuses } = await statusesFor(establishmentId, [
        { id: staffId, started_in_post: staff?.started_in_post ?? null },
      ])
      return statuses.get(staffId)!
    },

    statusesFor,
  }
}

export type TrainingRecordsService = ReturnType<typeof trainingRecordsService>
