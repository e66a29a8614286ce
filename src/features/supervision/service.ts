import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { addDays, formatDate, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { NoticesService } from '../notices/service'
import { type SupervisionRow, supervisionRepository } from './repository'
import type { SupervisionInput } from './schema'

/** The supervision interval when the establishment's QA settings set none. */
export const DEFAULT_SUPERVISION_WEEKS = 6

export interface SupervisionStatus {
  /** the date the next supervision is due: the date agreed, else the interval after the last one; null: never held */
  nextDue: string | null
  overdue: boolean
}

/**
 * Whether a Key Worker's supervision is overdue on `today`: the next date agreed has passed, or none was held within
 * the last `weeks` weeks (the interval after the last one ended before `today`), or none was ever held.
 */
export function supervisionStatus(
  last: { held_on: string; next_due_on: string | null } | null | undefined,
  today: string,
  weeks: number,
): SupervisionStatus {
  if (!last) return { nextDue: null, overdue: true }
  const byInterval = addDays(last.held_on, 7 * weeks)
  const nextDue = last.next_due_on ?? byInterval
  const overdue = (last.next_due_on !== null && last.next_due_on < today) || byInterval < today
  return { nextDue, overdue }
}

export interface SupervisionDeps {
  audit: AuditService
  /** tells the Key Worker in the service that a supervision was recorded */
  notices?: Pick<NoticesService, 'tell'>
}

export function supervisionService(db: Kysely<Database>, deps: SupervisionDeps) {
  const repo = supervisionRepository(db)
  const { audit } = deps

  const weeksOf = async (establishmentId: number) =>
    (await repo.supervisionWeeks(establishmentId)) ?? DEFAULT_SUPERVISION_WEEKS

  const values = (input: SupervisionInput) => ({
    held_on: input.heldOn,
    topics: input.topics,
    agreed: input.agreed,
    next_due_on: input.nextDueOn,
  })

  return {
    weeks: weeksOf,
    staff: (establishmentId: number, staffId: number) => repo.staff(establishmentId, staffId),
    /** The staff record(s) of the establishment that are this user's. */
    staffOfUser: (establishmentId: number, userId: number) => repo.staffOfUser(establishmentId, userId),

    /** Every Key Worker of the establishment with their last supervision and when the next is due, overdue first. */
    async overview(establishmentId: number) {
      const today = todayIso()
      const [keyWorkers, latest, weeks] = await Promise.all([
        repo.keyWorkers(establishmentId),
        repo.latest(establishmentId),
        weeksOf(establishmentId),
      ])
      const last = new Map(latest.map(l => [Number(l.staff_id), l]))
      const rows = keyWorkers.map(k => {
        const l = last.get(Number(k.id)) ?? null
        return { ...k, last: l, ...supervisionStatus(l, today, weeks) }
      })
      return { weeks, today, rows, overdue: rows.filter(r => r.overdue).length }
    },

    /** A member of staff's supervisions, most recent first, with whether the next is overdue. */
    async history(establishmentId: number, staffId: number) {
      const [rows, weeks] = await Promise.all([repo.forStaff(establishmentId, staffId), weeksOf(establishmentId)])
      return { rows, weeks, ...supervisionStatus(rows[0], todayIso(), weeks) }
    },

    get: (establishmentId: number, id: number): Promise<SupervisionRow | undefined> =>
      repo.byId(db, establishmentId, id),

    /** Records a supervision of a Key Worker of the establishment, audited. */
    async record(
      actor: Actor,
      establishmentId: number,
      staffId: number,
      input: SupervisionInput,
    ): Promise<Result<number>> {
      if (actor.userId === null) return fail({ form: 'Sign in to record a supervision' })
      return db.transaction().execute(async trx => {
        const staff = await repo.staff(establishmentId, staffId, trx)
        if (!staff) return fail<number>({ form: 'That member of staff is not in this establishment' })
        if (staff.user_id !== null && staff.user_id === actor.userId)
          return fail<number>({ form: 'You cannot record your own supervision' })
        const now = new Date().toISOString()
        const id = await repo.insert(trx, {
          establishment_id: establishmentId,
          staff_id: staffId,
          supervisor_user_id: actor.userId!,
          supervisor: actor.username ?? 'unknown',
          ...values(input),
          created_at: now,
          updated_at: now,
          updated_by: actor.username ?? 'unknown',
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'supervision',
          entityId: id,
          establishmentId,
          changes: { staff_id: staffId, ...values(input) },
        })
        if (staff.user_id !== null)
          await deps.notices?.tell(trx, {
            userId: staff.user_id,
            establishmentId,
            kind: 'supervision',
            message: `${actor.username ?? 'Your Supervising Officer'} recorded your supervision of ${formatDate(input.heldOn)}`,
            link: '/my-supervision',
          })
        return ok(id)
      })
    },

    /** Changes a supervision record: only the Supervising Officer who wrote it may, audited with what changed. */
    async update(actor: Actor, establishmentId: number, id: number, input: SupervisionInput): Promise<Result> {
      return db.transaction().execute(async trx => {
        const existing = await repo.byId(trx, establishmentId, id)
        if (!existing) return fail({ form: 'Supervision record not found' })
        if (existing.supervisor_user_id !== actor.userId)
          return fail({ form: 'Only the Supervising Officer who recorded this supervision can change it' })
        const next = values(input)
        const changes: Record<string, { from: unknown; to: unknown }> = {}
        for (const [k, v] of Object.entries(next)) {
          const was = existing[k as keyof typeof next]
          if (was !== v) changes[k] = { from: was, to: v }
        }
        if (!Object.keys(changes).length) return ok()
        await repo.update(trx, establishmentId, id, {
          ...next,
          updated_at: new Date().toISOString(),
          updated_by: actor.username ?? 'unknown',
        })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'supervision',
          entityId: id,
          establishmentId,
          changes,
        })
        return ok()
      })
    },
  }
}

export type SupervisionService = ReturnType<typeof supervisionService>
