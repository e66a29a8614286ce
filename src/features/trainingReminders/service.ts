// Training reminders and assigned modules (issue 16).
// Invariants:
// - an assignment is of a top-up or local module the establishment offers, to one of its Key Workers who has not
//   left, due today or later; it, the notice to the officer and the audit event are one transaction; the email
//   follows it;
// - an assignment is met by a non-failed, non-voided completion of its module on or after the day it was assigned;
// - another establishment's review, officer or assignment is not found (the route answers 404 and audits it).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { formatDate, londonDate, todayIso } from '../../domain/dates'
import { now } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { MailerService } from '../../platform/notify/mailer'
import type { NoticesService } from '../notices/service'
import { trainingRemindersRepository } from './repository'
import type { AssignInput } from './schema'

/** A module assigned to an officer, as their record and the establishment's list show it. */
export interface Assignment {
  id: number
  establishmentId: number
  staffId: number
  moduleCode: string
  /** the module's title as the establishment sees it; the code when the module is no longer offered */
  moduleTitle: string
  reason: string
  dueOn: string
  assignedAt: string
  assignedBy: string
  /** the QA review it was assigned from, if any */
  reviewId: number | null
  /** done: a non-failed completion of the module on or after the day it was assigned */
  met: boolean
  metOn: string | null
  /** not met and the due date has passed */
  overdue: boolean
}

/** A module an assignment may name: a top-up or one of the establishment's local modules. */
export interface AssignableModule {
  code: string
  title: string
  kind: string
}

/** What the service needs of the training catalogue. */
export interface ModuleSource {
  modulesFor(establishmentId: number | null): Promise<{ code: string; title: string; kind: string }[]>
}

export const ASSIGNABLE_KINDS = ['topup', 'local'] as const

export interface TrainingRemindersDeps {
  audit: AuditService
  notices: Pick<NoticesService, 'tell'>
  mailer: Pick<MailerService, 'send'>
  /** the catalogue (s.training); without it no module may be assigned */
  modules?: ModuleSource
}

type AssignmentRow = {
  id: number
  establishment_id: number
  staff_id: number
  module_code: string
  review_id: number | null
  reason: string
  due_on: string
  assigned_at: string
  assigned_by: string
  cancelled_at: string | null
}

type CompletionRow = { staff_id: number; module_code: string; completed_on: string; outcome: string }

/** When an assignment was met: the first non-failed completion of its module on or after the day it was assigned. */
export function metOn(a: Pick<AssignmentRow, 'staff_id' | 'module_code' | 'assigned_at'>, done: CompletionRow[]) {
  const from = londonDate(a.assigned_at)
  let first: string | null = null
  for (const c of done) {
    if (c.staff_id !== a.staff_id || c.module_code !== a.module_code || c.outcome === 'failed') continue
    if (c.completed_on < from) continue
    if (first === null || c.completed_on < first) first = c.completed_on
  }
  return first
}

export function trainingRemindersService(db: Kysely<Database>, deps: TrainingRemindersDeps) {
  const repo = trainingRemindersRepository(db)
  const { audit } = deps

  const toAssignment = (
    a: AssignmentRow,
    titles: Map<string, string>,
    done: CompletionRow[],
    today: string,
  ): Assignment => {
    const met = metOn(a, done)
    return {
      id: a.id,
      establishmentId: a.establishment_id,
      staffId: a.staff_id,
      moduleCode: a.module_code,
      moduleTitle: titles.get(a.module_code) ?? a.module_code,
      reason: a.reason,
      dueOn: a.due_on,
      assignedAt: a.assigned_at,
      assignedBy: a.assigned_by,
      reviewId: a.review_id,
      met: met !== null,
      metOn: met,
      overdue: met === null && a.due_on < today,
    }
  }

  /** The top-up and local modules the establishment may assign, in the catalogue's order. */
  async function assignableModules(establishmentId: number): Promise<AssignableModule[]> {
    if (!deps.modules) return []
    const all = await deps.modules.modulesFor(establishmentId)
    return all
      .filter(m => (ASSIGNABLE_KINDS as readonly string[]).includes(m.kind))
      .map(m => ({ code: m.code, title: m.title, kind: m.kind }))
  }

  const officerAddress = (st: { staff_email: string | null; user_email: string | null }) =>
    st.staff_email || st.user_email || null

  return {
    repo,
    assignableModules,
    officers: (establishmentId: number) => repo.officers(establishmentId),
    staff: (establishmentId: number, staffId: number) => repo.staff(establishmentId, staffId),

    /**
     * An officer's open (not cancelled) assignments, due first, each with the module's title, the reason, the due
     * date and whether a completion since it was assigned has met it. With an establishment: only that one's.
     */
    async assignmentsFor(staffId: number, establishmentId?: number): Promise<Assignment[]> {
      const rows = await repo.assignmentsOfStaff(staffId, establishmentId)
      if (!rows.length) return []
      const [titles, done] = await Promise.all([
        repo.moduleTitles(
          rows.map(r => r.module_code),
          rows[0]!.establishment_id,
        ),
        repo.completionsOfStaff([staffId]),
      ])
      const today = todayIso()
      return rows.map(r => toAssignment(r, titles, done, today))
    },

    /** The establishment's assignments (cancelled ones too), newest first, with the officer's name. */
    async assignmentsOf(establishmentId: number) {
      const rows = await repo.assignmentsOf(establishmentId)
      const [titles, done] = await Promise.all([
        repo.moduleTitles(
          rows.map(r => r.module_code),
          establishmentId,
        ),
        repo.completionsOfStaff([...new Set(rows.map(r => r.staff_id))]),
      ])
      const today = todayIso()
      return rows.map(r => ({
        ...toAssignment(r, titles, done, today),
        officer: `${r.first_name} ${r.last_name}`,
        cancelledAt: r.cancelled_at,
      }))
    },

    /**
     * Assigns a top-up or local module to a Key Worker of the establishment (from a QA review, or by hand), tells
     * them in the service and by email. The officer is the review's when a review is given.
     */
    async assign(actor: Actor, establishmentId: number, input: AssignInput): Promise<Result<number>> {
      const modules = await assignableModules(establishmentId)
      const module = modules.find(m => m.code === input.moduleCode)
      const errors: Record<string, string> = {}
      if (!module) errors.moduleCode = 'Choose a top-up or local module'
      if (input.dueOn < todayIso()) errors.dueOn = 'The date it is due must be today or in the future'
      const staff = await repo.staff(establishmentId, input.staffId)
      if (!staff) errors.staffId = 'Choose an officer of this establishment'
      else if (staff.status === 'left') errors.staffId = 'That officer has left'
      if (Object.keys(errors).length) return fail(errors)
      const at = now().toISOString()
      const by = actor.username ?? 'unknown'
      const id = await db.transaction().execute(async trx => {
        const id = await repo.insertAssignment(trx, {
          establishment_id: establishmentId,
          staff_id: input.staffId,
          module_code: module!.code,
          review_id: input.reviewId,
          reason: input.reason,
          due_on: input.dueOn,
          assigned_at: at,
          assigned_by_user_id: actor.userId,
          assigned_by: by,
          cancelled_at: null,
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_assignment',
          entityId: id,
          establishmentId,
          changes: {
            staff_id: input.staffId,
            module_code: module!.code,
            review_id: input.reviewId,
            reason: input.reason,
            due_on: input.dueOn,
          },
        })
        if (staff!.user_id !== null)
          await deps.notices.tell(trx, {
            userId: staff!.user_id,
            establishmentId,
            kind: 'training-assigned',
            message: `${by} asked you to take “${module!.title}” by ${formatDate(input.dueOn)}`,
            link: '/training',
          })
        return id
      })
      const to = officerAddress(staff!)
      if (to)
        await deps.mailer.send(actor, {
          establishmentId,
          to,
          template: 'training-reminder',
          subject: `Training to take: ${module!.title}`,
          body:
            `${by} has asked you to take the training module “${module!.title}” by ${formatDate(input.dueOn)}.\n\n` +
            `Why: ${input.reason}\n\nYour training record in Key Work shows the courses you can book.`,
          reference: `training-assignment-${id}`,
        })
      return ok(id)
    },

    /** Cancels an open assignment of the establishment, audited; false when none is open with that id. */
    async cancel(actor: Actor, establishmentId: number, id: number): Promise<Result> {
      return db.transaction().execute(async trx => {
        const a = await repo.assignment(establishmentId, id, trx)
        if (!a) return fail({ form: 'Assignment not found' })
        const at = now().toISOString()
        const done = await repo.cancelAssignment(trx, establishmentId, id, at)
        if (!done) return fail({ form: 'This assignment was already cancelled' })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_assignment',
          entityId: id,
          establishmentId,
          changes: { cancelled_at: { from: null, to: at } },
        })
        return ok()
      })
    },
  }
}

export type TrainingRemindersService = ReturnType<typeof trainingRemindersService>
