// Officers' training status and the record page: completions counted under the establishment's rules.
// Invariants:
// - only non-voided completions count; a failed outcome never counts as done;
// - the reflective journal's minutes count towards CPD over the same twelve months;
// - an officer of another establishment has no record (undefined).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { todayIso } from '../../domain/dates'
import {
  type CompletionFact,
  type ModuleKind,
  type Outcome,
  type TrainingStatus,
  trainingStatus,
} from '../../domain/training'
import { STATE_NAMES, stateOf } from './certificates'
import { type TrainingRecordsContext, nameOf } from './context'

export function trainingStatuses({ db, repo, deps }: TrainingRecordsContext) {
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
    completionsFor,
    surface: {
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

      /** The staff record of the establishment linked to this user, if any. */
      staffOfUser: (establishmentId: number, userId: number) => repo.staffOfUser(establishmentId, userId),
      staff: (establishmentId: number, staffId: number) => repo.staff(establishmentId, staffId),
      modulesFor: (establishmentId: number) => deps.modulesFor?.(establishmentId) ?? Promise.resolve([]),

      /** The establishment's officers (staff not inactive), each with their training status, by name. */
      async officers(establishmentId: number) {
        const staff = await repo.officers(establishmentId)
        const { statuses, rules } = await statusesFor(establishmentId, staff)
        return { rules, rows: staff.map(o => ({ ...o, name: nameOf(o), status: statuses.get(Number(o.id))! })) }
      },

      /**
       * An officer's record and plan: status, every completion (voided ones kept and marked) with its certificates,
       * the certificates' history, the modules assigned to them. Undefined when they are not of the establishment.
       */
      async record(establishmentId: number, staffId: number) {
        const staff = await repo.staff(establishmentId, staffId)
        if (!staff) return undefined
        const [{ statuses, rules, today }, completions, certificates, assignments] = await Promise.all([
          statusesFor(establishmentId, [staff]),
          repo.completionsOf(establishmentId, staffId),
          repo.certificatesOf(establishmentId, staffId),
          deps.assignmentsFor ? deps.assignmentsFor(staffId, establishmentId) : Promise.resolve([]),
        ])
        const certs = certificates.map(c => ({ ...c, state: stateOf(c), stateName: STATE_NAMES[stateOf(c)] }))
        return {
          staff: { ...staff, name: nameOf(staff) },
          status: statuses.get(staffId)!,
          rules,
          today,
          completions: completions.map(c => ({
            ...c,
            hours: Number(c.hours),
            certificates: certs.filter(x => Number(x.completion_id) === Number(c.id)),
          })),
          certificates: certs,
          assignments,
        }
      },
    },
  }
}

export type TrainingStatuses = ReturnType<typeof trainingStatuses>
