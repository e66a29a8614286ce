// Enrolment: enrolling an officer (a place or the waiting list), withdrawing, the waiting list moving up.
// Invariants:
// - places are never exceeded: the count and the insert are one transaction, the course row locked first; past
//   capacity an officer goes on the waiting list, which moves up earliest first when a place frees (in the same
//   transaction as the withdrawal that freed it);
// - an officer is enrolled by themself or by an SO or admin of their establishment, only on a course open to it, and
//   never twice (a withdrawn officer may enrol again); enrolment closes at the end of the course's first day;
// - each change is audited in its transaction; an officer enrolled or moved up by someone else is told (notices).
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { enrolmentClosed, movingUp, placementFor } from '../../domain/courses'
import type { Actor } from '../../platform/audit/service'
import { CLOSED, type CourseViewer, type CoursesContext, courseLink, mayManage, nameOf, stamp, who } from './context'
import type { CourseRow } from './repository'

export function courseEnrolment(ctx: CoursesContext) {
  const { db, repo, audit, notices, describe, visibleCourse } = ctx

  /** Whether the officer may go on the course: of its establishment, or of one in its region. */
  const officerFits = (c: CourseRow, staff: { establishment_id: number; region: string }) =>
    c.establishment_id !== null ? staff.establishment_id === c.establishment_id : staff.region === c.region

  /** Tells the first on the waiting list that places freed up; in the caller's transaction. */
  async function moveUp(trx: Kysely<Database>, actor: Actor, c: CourseRow) {
    const enrolled = await repo.countEnrolled(trx, c.id)
    const waiting = await repo.waiting(trx, c.id)
    const n = movingUp(c.capacity, enrolled, waiting.length)
    const at = stamp()
    for (const w of waiting.slice(0, n)) {
      await repo.updateEnrolment(trx, w.id, { status: 'enrolled', updated_at: at, updated_by: who(actor) })
      await audit.record(trx, actor, {
        action: 'update',
        entity: 'training_enrolment',
        entityId: w.id,
        establishmentId: w.establishment_id,
        changes: { status: { from: 'waiting', to: 'enrolled' }, course_id: c.id, staff_id: w.staff_id },
      })
      if (w.user_id !== null)
        await notices.tell(trx, {
          userId: w.user_id,
          establishmentId: w.establishment_id,
          kind: 'training-course',
          message: `A place came up: you are now enrolled on ${describe(c)}`,
          link: courseLink(c.id),
        })
    }
    return waiting.slice(0, n).map(w => w.staff_id)
  }

  return {
    /**
     * Enrols an officer: `staffId` null is the viewer's own staff record; another officer only by an SO or admin of
     * their establishment. A place if one is left, else the waiting list; enrolling twice is refused.
     */
    async enrol(
      actor: Actor,
      v: CourseViewer,
      courseId: number,
      staffId: number | null,
    ): Promise<Result<{ status: 'enrolled' | 'waiting'; name: string }>> {
      let target = staffId
      if (target === null) {
        const [mine] = await repo.staffOfUser(v.establishmentId, v.userId)
        if (!mine)
          return fail({
            form: 'Your account is not linked to a staff record at this establishment: ask your Supervising Officer to enrol you',
          })
        target = mine.id
      }
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId, true)
        if (!c) return fail({ form: 'Course not found' })
        const [first, last] = [String(c.first_day), String(c.last_day)]
        const closed = enrolmentClosed(c.status, first, last, todayIso())
        if (closed) return fail({ form: CLOSED[closed] })
        const staff = await repo.staff(trx, target)
        if (!staff || staff.establishment_id !== v.establishmentId || staff.status === 'inactive')
          return fail({ staffId: 'Choose an officer of this establishment' })
        if (staff.user_id !== v.userId && !v.manager)
          return fail({ form: 'Only a Supervising Officer or an admin may enrol another officer' })
        if (!officerFits(c, staff))
          return fail({ staffId: 'This course is not open to officers of this establishment' })
        const name = nameOf(staff)
        const existing = await repo.enrolment(trx, c.id, staff.id)
        if (existing?.status === 'enrolled') return fail({ staffId: `${name} is already enrolled on this course` })
        if (existing?.status === 'waiting')
          return fail({ staffId: `${name} is already on the waiting list for this course` })
        if (existing && existing.status !== 'withdrawn')
          return fail({ staffId: `${name} cannot be enrolled on this course again` })
        const enrolled = await repo.countEnrolled(trx, c.id)
        const status = placementFor(c.capacity, enrolled)
        const at = stamp()
        const values = {
          status,
          enrolled_at: at,
          enrolled_by: who(actor),
          waiting_since: status === 'waiting' ? at : null,
          updated_at: at,
          updated_by: who(actor),
        }
        let id: number
        if (existing) {
          id = Number(existing.id)
          await repo.updateEnrolment(trx, id, values)
        } else id = await repo.insertEnrolment(trx, { course_id: c.id, staff_id: staff.id, ...values })
        await audit.record(trx, actor, {
          action: existing ? 'update' : 'create',
          entity: 'training_enrolment',
          entityId: id,
          establishmentId: staff.establishment_id,
          changes: {
            course_id: c.id,
            staff_id: staff.id,
            status: existing ? { from: existing.status, to: status } : status,
          },
        })
        if (staff.user_id !== null && staff.user_id !== v.userId)
          await notices.tell(trx, {
            userId: staff.user_id,
            establishmentId: staff.establishment_id,
            kind: 'training-course',
            message:
              status === 'enrolled'
                ? `You are enrolled on ${describe(c)}`
                : `You are on the waiting list for ${describe(c)}`,
            link: courseLink(c.id),
          })
        return ok({ status, name })
      })
    },

    /**
     * Withdraws an officer (themself, or by an SO or admin of their establishment, or whoever manages the course): the
     * place is freed and the first on the waiting list moves up, told in the service.
     */
    async withdraw(
      actor: Actor,
      v: CourseViewer,
      courseId: number,
      staffId: number,
    ): Promise<Result<{ name: string; movedUp: number[] }>> {
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId, true)
        if (!c) return fail({ form: 'Course not found' })
        const closed = enrolmentClosed(c.status, String(c.first_day), String(c.last_day), todayIso())
        if (closed) return fail({ form: CLOSED[closed] })
        const staff = await repo.staff(trx, staffId)
        const e = staff ? await repo.enrolment(trx, c.id, staff.id) : undefined
        if (!staff || !e || (e.status !== 'enrolled' && e.status !== 'waiting'))
          return fail({ staffId: 'That officer is not enrolled or waiting on this course' })
        const own = staff.user_id !== null && staff.user_id === v.userId
        const theirManager = v.manager && staff.establishment_id === v.establishmentId
        if (!own && !theirManager && !mayManage(c, v))
          return fail({ form: 'Only the officer, their Supervising Officer or an admin may withdraw them' })
        const at = stamp()
        await repo.updateEnrolment(trx, Number(e.id), { status: 'withdrawn', updated_at: at, updated_by: who(actor) })
        await audit.record(trx, actor, {
          action: 'update',
          entity: 'training_enrolment',
          entityId: Number(e.id),
          establishmentId: staff.establishment_id,
          changes: { course_id: c.id, staff_id: staff.id, status: { from: e.status, to: 'withdrawn' } },
        })
        const movedUp = e.status === 'enrolled' ? await moveUp(trx, actor, c) : []
        return ok({ name: nameOf(staff), movedUp })
      })
    },
  }
}
