// Training courses (issue 16): the public surface the routes call (s.courses.enrol, s.courses.complete, …), composed
// of one part per job, each with its invariants at its top: schedule.ts (scheduling and reading courses),
// enrolment.ts (enrolling, the waiting list, withdrawing), register.ts (the register and completion), cancel.ts,
// feedback.ts (participants' feedback and module ratings); context.ts (what the parts share: deps, who may do what).
// Invariants of the whole:
// - a course is at one establishment or regional (its region's establishments' officers may enrol); a user acting in
//   an establishment sees its courses and its region's (the national team every regional one); anything else is
//   not found;
// - places are never exceeded: the count and the insert are one transaction, the course row locked (PostgreSQL;
//   SQLite runs one write transaction at a time); past capacity an officer goes on the waiting list, which moves up
//   earliest first when a place frees;
// - completion writes the completions (training records) in the same transaction as the course's status;
// - every change is one transaction with its audit event; emails go after the change is saved and never throw.
import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { courseCancel } from './cancel'
import { type CoursesDeps, coursesContext } from './context'
import { courseEnrolment } from './enrolment'
import { courseFeedback } from './feedback'
import { courseRegister } from './register'
import { courseSchedule } from './schedule'

export { type CourseModule, type CourseViewer, type CoursesDeps, courseLink, mayManage, mayTeach } from './context'

export function coursesService(db: Kysely<Database>, deps: CoursesDeps) {
  const ctx = coursesContext(db, deps)
  return {
    ...courseSchedule(ctx),
    ...courseEnrolment(ctx),
    ...courseRegister(ctx),
    ...courseCancel(ctx),
    ...courseFeedback(ctx),
  }
}

export type CoursesService = ReturnType<typeof coursesService>
