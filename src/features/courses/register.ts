// The register and completion: who was present each day, and the outcome of every officer enrolled.
// Invariants:
// - only the trainer or whoever manages the course takes the register (on a day of the course, on the day or after)
//   or completes it (from its last day, once, never a cancelled course);
// - completion gives an outcome for every officer enrolled and no one else; completed, passed and failed are written
//   to their training records (s.trainingRecords) in the same transaction as the course's status and its audit event.
import type { NewCompletion } from '../trainingRecords/service'
import { formatDate, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { COURSE_OUTCOME_NAMES, type CourseOutcome } from '../../domain/courses'
import type { Actor } from '../../platform/audit/service'
import { CLOSED, type CourseViewer, type CoursesContext, courseLink, mayTeach, nameOf, stamp, who } from './context'
import type { Mark, OutcomeInput } from './schema'

export function courseRegister(ctx: CoursesContext) {
  const { db, repo, audit, notices, deps, describe, visibleCourse } = ctx

  return {
    /** Marks each enrolled officer present or absent on one day of the course (the trainer, or who manages it). */
    async register(actor: Actor, v: CourseViewer, courseId: number, day: string, marks: Mark[]): Promise<Result> {
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId, true)
        if (!c) return fail({ form: 'Course not found' })
        if (!mayTeach(c, v))
          return fail({ form: 'Only the trainer, a Supervising Officer or an admin may take the register' })
        if (c.status === 'cancelled') return fail({ form: CLOSED.cancelled })
        const days = await repo.days([c.id], trx)
        if (!days.some(d => d.day === day)) return fail({ form: 'Choose a day of this course' })
        if (day > todayIso())
          return fail({ form: `The register of ${formatDate(day)} can be taken on the day or after it` })
        const enrolled = (await repo.enrolments(c.id, trx)).filter(e =>
          ['enrolled', 'completed', 'not_completed'].includes(e.status),
        )
        const ids = new Set(enrolled.map(e => e.staff_id))
        if (!marks.length || marks.some(m => !ids.has(m.staffId)))
          return fail({ form: 'Mark only the officers enrolled on this course' })
        const at = stamp()
        await repo.saveAttendance(
          trx,
          marks.map(m => ({
            course_id: c.id,
            day,
            staff_id: m.staffId,
            present: m.present ? 1 : 0,
            recorded_at: at,
            recorded_by: who(actor),
          })),
        )
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_attendance',
          entityId: `${c.id}:${day}`,
          establishmentId: c.establishment_id,
          changes: {
            course_id: c.id,
            day,
            present: marks.filter(m => m.present).map(m => m.staffId),
            absent: marks.filter(m => !m.present).map(m => m.staffId),
          },
        })
        return ok()
      })
    },

    /**
     * Completes the course (the trainer, or who manages it), from its last day: an outcome and evidence for every
     * officer enrolled; completed, passed and failed are written to their training records in the same transaction.
     */
    async complete(
      actor: Actor,
      v: CourseViewer,
      courseId: number,
      outcomes: OutcomeInput[],
    ): Promise<Result<{ recorded: number }>> {
      const c0 = await repo.course(v, courseId)
      const mod = c0 ? await deps.training.moduleById(c0.module_id) : undefined
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId, true)
        if (!c) return fail({ form: 'Course not found' })
        if (!mayTeach(c, v))
          return fail({ form: 'Only the trainer, a Supervising Officer or an admin may complete the course' })
        if (c.status === 'cancelled') return fail({ form: 'This course was cancelled: it cannot be completed' })
        if (c.status === 'completed') return fail({ form: 'This course has already been completed' })
        const last = String(c.last_day)
        if (todayIso() < last)
          return fail({
            form: `This course has not happened yet: it can be completed from its last day, ${formatDate(last)}`,
          })
        if (!mod) return fail({ form: 'The module of this course is no longer in the programme' })
        const enrolled = (await repo.enrolments(c.id, trx)).filter(e => e.status === 'enrolled')
        const given = new Map(outcomes.map(o => [o.staffId, o]))
        const missing = enrolled.filter(e => !given.has(e.staff_id))
        if (missing.length)
          return fail(
            Object.fromEntries(missing.map(e => [`outcome-${e.staff_id}`, `Choose the outcome for ${nameOf(e)}`])),
          )
        if (outcomes.some(o => !enrolled.some(e => e.staff_id === o.staffId)))
          return fail({ form: 'Give outcomes only for the officers enrolled on this course' })
        if (!enrolled.length) return fail({ form: 'There is no one enrolled on this course to assess' })
        const at = stamp()
        const rows: NewCompletion[] = []
        for (const e of enrolled) {
          const o = given.get(e.staff_id)!
          const status = o.outcome === 'not_completed' ? 'not_completed' : 'completed'
          await repo.updateEnrolment(trx, e.id, { status, updated_at: at, updated_by: who(actor) })
          if (o.outcome !== 'not_completed')
            rows.push({
              establishmentId: e.establishment_id,
              staffId: e.staff_id,
              moduleId: mod.id,
              moduleCode: mod.code,
              kind: mod.kind,
              title: mod.title,
              completedOn: last,
              hours: mod.hours,
              outcome: o.outcome,
              evidence: o.evidence,
              source: 'course',
              courseId: c.id,
            })
          if (e.user_id !== null)
            await notices.tell(trx, {
              userId: e.user_id,
              establishmentId: e.establishment_id,
              kind: 'training-course',
              message: `Your outcome of ${describe(c)}: ${COURSE_OUTCOME_NAMES[o.outcome as CourseOutcome]}`,
              link: courseLink(c.id),
            })
        }
        const ids = rows.length ? await deps.trainingRecords.recordCompletions(trx, actor, rows) : []
        await repo.updateCourse(trx, c.id, { status: 'completed', completed_at: at, completed_by: who(actor) })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_course',
          entityId: c.id,
          establishmentId: c.establishment_id,
          changes: {
            status: { from: 'scheduled', to: 'completed' },
            outcomes: Object.fromEntries(outcomes.map(o => [o.staffId, o.outcome])),
            completion_ids: ids,
          },
        })
        return ok({ recorded: rows.length })
      })
    },
  }
}
