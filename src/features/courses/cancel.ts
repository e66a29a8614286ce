// Cancelling a course with a reason, and telling everyone on it.
// Invariants:
// - only whoever manages the course cancels it, and only a scheduled one;
// - its enrolled and waiting officers' enrolments are cancelled, each officer told (notices), in the one transaction
//   with the course's status and its audit event; the emails (their account's address, else their staff record's)
//   go after it is saved and never throw.
import { formatDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import type { Actor } from '../../platform/audit/service'
import { type CourseViewer, type CoursesContext, courseLink, mayManage, nameOf, stamp, who } from './context'
import type { CourseRow, EnrolmentRow } from './repository'

export function courseCancel(ctx: CoursesContext) {
  const { db, repo, audit, notices, email, describe, visibleCourse } = ctx

  return {
    /**
     * Cancels the course with a reason (who manages it): every officer enrolled or waiting is told in the service and
     * by email (their account's address, else their staff record's), after the change is saved.
     */
    async cancel(actor: Actor, v: CourseViewer, courseId: number, reason: string): Promise<Result<{ told: number }>> {
      const r = await db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId, true)
        if (!c) return fail<{ c: CourseRow; told: EnrolmentRow[] }>({ form: 'Course not found' })
        if (!mayManage(c, v))
          return fail<{ c: CourseRow; told: EnrolmentRow[] }>({
            form: 'Only a Supervising Officer or an admin of the establishment (or the national team) may cancel it',
          })
        if (c.status !== 'scheduled')
          return fail<{ c: CourseRow; told: EnrolmentRow[] }>({
            form:
              c.status === 'cancelled' ? 'This course is already cancelled' : 'A completed course cannot be cancelled',
          })
        const told = (await repo.enrolments(c.id, trx)).filter(e => e.status === 'enrolled' || e.status === 'waiting')
        const at = stamp()
        await repo.updateCourse(trx, c.id, {
          status: 'cancelled',
          cancelled_at: at,
          cancelled_by: who(actor),
          cancel_reason: reason,
        })
        const moved = await repo.moveEnrolments(trx, c.id, ['enrolled', 'waiting'], {
          status: 'cancelled',
          updated_at: at,
          updated_by: who(actor),
        })
        for (const e of told)
          if (e.user_id !== null)
            await notices.tell(trx, {
              userId: e.user_id,
              establishmentId: e.establishment_id,
              kind: 'training-course',
              message: `${describe(c)} is cancelled: ${reason}`,
              link: courseLink(c.id),
            })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_course',
          entityId: c.id,
          establishmentId: c.establishment_id,
          changes: { status: { from: 'scheduled', to: 'cancelled' }, reason, enrolments_cancelled: moved },
        })
        return ok({ c, told })
      })
      if (!r.ok) return r
      const { c, told } = r.value
      const days = await repo.days([c.id])
      const when = days.map(d => `${formatDate(d.day)}, ${d.starts_at} to ${d.ends_at}`).join('\n')
      for (const e of told) {
        const to = (e.user_id !== null ? await repo.userEmail(e.user_id) : null) || e.staff_email
        if (!to) continue
        await email(actor, {
          establishmentId: e.establishment_id,
          to,
          template: 'training-course',
          subject: `Cancelled: ${c.module_title}`,
          body:
            `Dear ${nameOf(e)},\n\nThe course ${c.module_title} at ${c.place} is cancelled, so your ` +
            `${e.status === 'waiting' ? 'place on the waiting list' : 'place'} is too.\n\n` +
            `It was to run on:\n${when}\n\nThe reason: ${reason}\n\n` +
            `Your Supervising Officer can enrol you on another course.`,
          reference: `training-course-${c.id}-cancelled-${e.staff_id}`,
          personalisation: { course: c.module_title, reason },
        })
      }
      return ok({ told: told.length })
    },
  }
}
