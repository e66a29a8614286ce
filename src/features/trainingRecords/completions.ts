// Recording completions (from a course, an import or by hand) and voiding them.
// Invariants:
// - recordCompletions writes in the caller's transaction: each row inserted and audited, and a certificate issued
//   for each that did not fail (certificates.ts); the officer must be of the row's establishment;
// - a completion is never deleted: voiding keeps the row with a reason, revokes its certificates and makes the
//   earlier certificate of the module current again, all in one transaction with the audit events;
// - a completion by hand names a module of the programme or of the establishment, and an officer of it.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor } from '../../platform/audit/service'
import { todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { TrainingCertificates } from './certificates'
import { type NewCompletion, type TrainingRecordsContext, nameOf } from './context'
import type { ManualCompletionInput } from './schema'

export function trainingCompletions(
  { db, repo, audit, deps }: TrainingRecordsContext,
  certificates: TrainingCertificates,
) {
  const settleCertificates = certificates.settle

  /**
   * Records completions in the caller's transaction (a course's completion, an import): each row inserted and
   * audited, and a certificate issued for each that did not fail, superseding the officer's earlier certificate of
   * the same module code. The new completions' ids, in order.
   */
  async function recordCompletions(trx: Kysely<Database>, actor: Actor, rows: NewCompletion[]): Promise<number[]> {
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
      await certificates.issue(trx, actor, row, id, name, now, today, by)
    }
    return ids
  }

  return {
    recordCompletions,

    /** Records a completion by hand (an SO or admin, with the evidence), audited, with its certificate. */
    async recordManual(
      actor: Actor,
      establishmentId: number,
      staffId: number,
      input: ManualCompletionInput,
    ): Promise<Result<number>> {
      const staff = await repo.staff(establishmentId, staffId)
      if (!staff) return fail({ form: 'That officer is not in this establishment' })
      const module = await deps.moduleByCode(input.moduleCode, establishmentId)
      if (!module) return fail({ moduleCode: 'Select a module of the programme or of this establishment' })
      const [id] = await db.transaction().execute(trx =>
        recordCompletions(trx, actor, [
          {
            establishmentId,
            staffId,
            moduleId: module.id,
            moduleCode: module.code,
            kind: module.kind,
            title: module.title,
            completedOn: input.completedOn,
            hours: input.hours ?? Number(module.hours),
            outcome: input.outcome,
            evidence: input.evidence,
            source: 'manual',
          },
        ]),
      )
      return ok(id!)
    },

    completion: (establishmentId: number, id: number) => repo.completion(establishmentId, id),

    /**
     * Voids a completion with a reason: the row is kept (append-only), its certificate revoked, and the officer's
     * earlier certificate of the module, if any, becomes the current one again.
     */
    async voidCompletion(actor: Actor, establishmentId: number, id: number, reason: string): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        const c = await repo.completion(establishmentId, id, trx)
        if (!c) return fail<number>({ form: 'That completion is not in this establishment' })
        const at = new Date().toISOString()
        if (!(await repo.voidCompletion(trx, id, actor.username ?? 'unknown', reason, at)))
          return fail<number>({ reason: 'This completion was already voided' })
        await audit.record(trx, actor, {
          action: 'void',
          entity: 'training_completion',
          entityId: id,
          establishmentId,
          changes: { staff_id: c.staff_id, module_code: c.module_code, reason },
        })
        const revoked = await repo.revokeForCompletion(trx, id, at, 'The completion was voided')
        for (const certificateId of revoked)
          await audit.record(trx, actor, {
            action: 'revoke',
            entity: 'training_certificate',
            entityId: certificateId,
            establishmentId,
            changes: { completion_id: id },
          })
        await settleCertificates(trx, Number(c.staff_id), c.module_code)
        return ok(Number(c.staff_id))
      })
    },
  }
}
