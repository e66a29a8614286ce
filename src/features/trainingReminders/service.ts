// Training reminders and assigned modules (issue 16).
// Invariants:
// - an assignment is of a top-up or local module the establishment offers, to one of its Key Workers who has not
//   left, due today or later; it, the notice to the officer and the audit event are one transaction; the email
//   follows it;
// - an assignment is met by a non-failed, non-voided completion of its module on or after the day it was assigned;
// - another establishment's review, officer or assignment is not found (the route answers 404 and audits it).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { addMonths, formatDate, londonDate, todayIso } from '../../domain/dates'
import {
  type CompletionFact,
  DEFAULT_TRAINING_RULES,
  type JournalFact,
  type ModuleKind,
  type Outcome,
  type TrainingRules,
  type TrainingStatus,
  trainingStatus,
} from '../../domain/training'
import { now } from '../../domain/clock'
import { type Result, fail, ok } from '../../domain/result'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import type { MailerService, OutgoingEmail } from '../../platform/notify/mailer'
import type { NoticesService } from '../notices/service'
import { reminderKey, trainingRemindersRepository } from './repository'
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

/** The initial course's code (the seeded national programme) and the subject of top-up reminders. */
export const INITIAL_SUBJECT = 'KW-INITIAL'
export const TOPUP_SUBJECT = 'topup'

export type ReminderKind = 'due' | 'overdue' | 'expiring'

/** One thing an officer is reminded of, once: the unique key is (officer, subject, kind, date). */
export interface DueReminder {
  subject: string
  kind: ReminderKind
  aboutDate: string
  /** the sentence the officer reads, e.g. "Your initial Key Worker course is due: book it by 1 October 2026" */
  line: string
  /** the same for their Supervising Officer, after the officer's name */
  soLine: string
}

/**
 * What an officer is to be reminded of on `today`, from their training status and open assignments (worked by the
 * rules in src/domain/training.ts): the initial course once its window has opened (due) or closed (overdue), a
 * top-up expiring within 30 days or expired, an assigned module not done by its due date.
 */
export function remindersDue(
  status: TrainingStatus,
  assignments: { moduleCode: string; moduleTitle: string; dueOn: string; met: boolean }[],
  today: string,
): DueReminder[] {
  const out: DueReminder[] = []
  const { initial, topup } = status
  if (initial.state === 'in_window' && initial.windowOpens && initial.windowCloses)
    out.push({
      subject: INITIAL_SUBJECT,
      kind: 'due',
      aboutDate: initial.windowOpens,
      line: `Your initial Key Worker course is due: take it by ${formatDate(initial.windowCloses)}`,
      soLine: `initial course due, to take by ${formatDate(initial.windowCloses)}`,
    })
  if (initial.state === 'overdue' && initial.windowCloses)
    out.push({
      subject: INITIAL_SUBJECT,
      kind: 'overdue',
      aboutDate: initial.windowCloses,
      line: `Your initial Key Worker course is overdue: it was due by ${formatDate(initial.windowCloses)}`,
      soLine: `initial course overdue since ${formatDate(initial.windowCloses)}`,
    })
  if (topup.state === 'expiring' && topup.dueOn)
    out.push({
      subject: TOPUP_SUBJECT,
      kind: 'expiring',
      aboutDate: topup.dueOn,
      line: `Your top-up training expires on ${formatDate(topup.dueOn)}: take a top-up module before then`,
      soLine: `top-up training expires on ${formatDate(topup.dueOn)}`,
    })
  if (topup.state === 'expired' && topup.dueOn)
    out.push({
      subject: TOPUP_SUBJECT,
      kind: 'overdue',
      aboutDate: topup.dueOn,
      line: `Your top-up training expired on ${formatDate(topup.dueOn)}: take a top-up module`,
      soLine: `top-up training expired on ${formatDate(topup.dueOn)}`,
    })
  for (const a of assignments)
    if (!a.met && a.dueOn < today)
      out.push({
        subject: a.moduleCode,
        kind: 'overdue',
        aboutDate: a.dueOn,
        line: `“${a.moduleTitle}”, assigned to you, is overdue: it was due by ${formatDate(a.dueOn)}`,
        soLine: `assigned module “${a.moduleTitle}” overdue since ${formatDate(a.dueOn)}`,
      })
  return out
}

/** What one run of the daily job did. */
export interface ReminderRun {
  /** reminders recorded (and told) by this run */
  sent: number
  /** Key Workers checked */
  officers: number
  /** officers told something new */
  officersTold: number
  /** Supervising Officers sent a digest */
  digests: number
  emails: number
}

const JOB_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'training reminders' }

export interface TrainingRemindersDeps {
  audit: AuditService
  notices: Pick<NoticesService, 'tell' | 'tellMany'>
  mailer: Pick<MailerService, 'send' | 'sendMany'>
  /** the catalogue (s.training); without it no module may be assigned */
  modules?: ModuleSource
  /** the establishment's training rules (s.trainingRules.rulesFor); without it the national defaults */
  rulesFor?: (establishmentId: number) => Promise<TrainingRules>
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

const personName = (o: { first_name: string; last_name: string }) => `${o.first_name} ${o.last_name}`

/** A Supervising Officer's digest in one notice (500 characters at most): each officer and what is due. */
export function digestMessage(rows: { name: string; lines: { soLine: string }[] }[]): string {
  const head = `Training reminders for ${rows.length} ${rows.length === 1 ? 'officer' : 'officers'}: `
  const parts = rows.map(r => `${r.name}, ${r.lines.map(l => l.soLine).join('; ')}`)
  let message = head
  for (let i = 0; i < parts.length; i++) {
    const next = (i ? '. ' : '') + parts[i]
    const more = ` and ${parts.length - i} more`
    if (message.length + next.length + (i < parts.length - 1 ? more.length : 0) > 490) return message + more
    message += next
  }
  return message
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

  /** The daily job for one establishment: see run. */
  async function runEstablishment(establishmentId: number, today: string): Promise<ReminderRun> {
    const result: ReminderRun = { sent: 0, officers: 0, officersTold: 0, digests: 0, emails: 0 }
    const officers = await repo.keyWorkers(establishmentId)
    result.officers = officers.length
    if (!officers.length) return result
    const journalFrom = addMonths(today, -12)
    const [rules, completions, journal, assignments, known] = await Promise.all([
      deps.rulesFor ? deps.rulesFor(establishmentId) : Promise.resolve(DEFAULT_TRAINING_RULES),
      repo.completionsOf(establishmentId),
      repo.journalOf(establishmentId, journalFrom, today),
      repo.openAssignmentsOf(establishmentId),
      repo.reminderKeys(establishmentId),
    ])
    const titles = await repo.moduleTitles(
      assignments.map(a => a.module_code),
      establishmentId,
    )
    const factsOf = new Map<number, CompletionFact[]>()
    for (const c of completions) {
      const list = factsOf.get(c.staff_id) ?? []
      list.push({
        moduleCode: c.module_code,
        kind: c.kind as ModuleKind,
        completedOn: c.completed_on,
        hours: Number(c.hours),
        outcome: c.outcome as Outcome,
      })
      factsOf.set(c.staff_id, list)
    }
    const journalOf = new Map<number, JournalFact[]>()
    for (const j of journal) {
      const list = journalOf.get(j.staff_id) ?? []
      list.push({ writtenOn: j.written_on, minutes: Number(j.minutes) })
      journalOf.set(j.staff_id, list)
    }
    const assignedTo = new Map<number, Assignment[]>()
    for (const a of assignments) {
      const list = assignedTo.get(a.staff_id) ?? []
      list.push(toAssignment(a, titles, completions, today))
      assignedTo.set(a.staff_id, list)
    }

    // what is new for each officer: not recorded before
    const pending = officers
      .map(o => {
        const status = trainingStatus(rules, o.started_in_post, factsOf.get(o.id) ?? [], today, journalOf.get(o.id))
        const due = remindersDue(status, assignedTo.get(o.id) ?? [], today).filter(
          d => !known.has(reminderKey({ staff_id: o.id, subject: d.subject, kind: d.kind, about_date: d.aboutDate })),
        )
        return { officer: o, due }
      })
      .filter(p => p.due.length > 0)
    if (!pending.length) return result

    const sos = await repo.supervisingOfficers(establishmentId)
    const at = now().toISOString()
    type Told = { officer: (typeof officers)[number]; lines: DueReminder[] }
    const told: Told[] = await db.transaction().execute(async trx => {
      const inserted = await repo.insertReminders(
        trx,
        pending.flatMap(p =>
          p.due.map(d => ({
            establishment_id: establishmentId,
            staff_id: p.officer.id,
            subject: d.subject,
            kind: d.kind,
            about_date: d.aboutDate,
            sent_on: today,
            sent_at: at,
          })),
        ),
      )
      // only what this run recorded is told: another run at the same time records (and tells) the rest
      const told = pending
        .map(p => ({
          officer: p.officer,
          lines: p.due.filter(d =>
            inserted.has(
              reminderKey({ staff_id: p.officer.id, subject: d.subject, kind: d.kind, about_date: d.aboutDate }),
            ),
          ),
        }))
        .filter(t => t.lines.length > 0)
      if (!told.length) return told
      const digest = digestMessage(told.map(t => ({ name: personName(t.officer), lines: t.lines })))
      await deps.notices.tellMany(trx, [
        ...told.flatMap(t =>
          t.officer.user_id === null
            ? []
            : [
                {
                  userId: t.officer.user_id,
                  establishmentId,
                  kind: 'training-reminder',
                  message: t.lines.map(l => l.line).join('. '),
                  link: '/training',
                },
              ],
        ),
        ...sos.map(so => ({
          userId: so.id,
          establishmentId,
          kind: 'training-reminder-digest',
          message: digest,
          link: '/training/dashboard',
        })),
      ])
      await audit.record(trx, JOB_ACTOR, {
        action: 'create',
        entity: 'training_reminder',
        establishmentId,
        changes: {
          today,
          reminders: inserted.size,
          officers: told.map(t => t.officer.id),
          supervisingOfficers: sos.map(so => so.id),
        },
      })
      return told
    })
    if (!told.length) return result
    result.sent = told.reduce((n, t) => n + t.lines.length, 0)
    result.officersTold = told.length
    result.digests = sos.length

    // the emails follow the transaction, all recorded at once: the notices stand whatever Notify says
    const emails: OutgoingEmail[] = []
    for (const t of told) {
      const to = t.officer.staff_email || t.officer.user_email
      if (!to) continue
      emails.push({
        establishmentId,
        to,
        template: 'training-reminder',
        subject: 'Your Key Worker training',
        body: `${t.lines.map(l => `${l.line}.`).join('\n\n')}\n\nYour training record in Key Work shows the courses you can book.`,
        reference: `training-reminder-${t.officer.id}-${today}`,
      })
    }
    const digest = told.map(t => `${personName(t.officer)}: ${t.lines.map(l => l.soLine).join('; ')}`).join('\n')
    for (const so of sos) {
      if (!so.email) continue
      emails.push({
        establishmentId,
        to: so.email,
        template: 'training-reminder',
        subject: `Key Worker training: ${told.length} ${told.length === 1 ? 'officer' : 'officers'} to follow up`,
        body: `Training reminders sent today to Key Workers of your establishment:\n\n${digest}`,
        reference: `training-digest-${so.id}-${today}`,
      })
    }
    await deps.mailer.sendMany({ ...JOB_ACTOR, establishmentId }, emails)
    result.emails = emails.length
    return result
  }

  return {
    repo,
    assignableModules,

    /**
     * The daily job: tells each Key Worker who has not left, and their establishment's Supervising Officers in one
     * digest each, what has fallen due since the last run (see remindersDue). Each reminder is recorded once (the
     * unique key of training_reminders) in the transaction of its notices, so a second run the same day or the next
     * tells nobody anything twice. Emails follow each establishment's transaction.
     */
    async run(today: string = todayIso()): Promise<ReminderRun> {
      const total: ReminderRun = { sent: 0, officers: 0, officersTold: 0, digests: 0, emails: 0 }
      for (const est of await repo.establishments()) {
        const r = await runEstablishment(est.id, today)
        total.sent += r.sent
        total.officers += r.officers
        total.officersTold += r.officersTold
        total.digests += r.digests
        total.emails += r.emails
      }
      return total
    },

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
      else if (staff.status === 'inactive') errors.staffId = 'That officer is no longer active'
      else if (staff.user_id !== null && staff.user_id === actor.userId)
        errors.staffId = 'You cannot assign training to yourself: another Supervising Officer does'
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
