import { type Insertable, type Kysely, type Updateable, sql } from 'kysely'
import type { Dialect } from '../../platform/db/database'
import type {
  Database,
  TrainingCourseTable,
  TrainingEnrolmentTable,
  TrainingFeedbackTable,
} from '../../platform/db/types'

/**
 * Training courses (issue 16). Writes training_courses, training_course_days, training_enrolments,
 * training_attendance and training_feedback; reads establishments, staff, users and their roles, and the modules of
 * the programme (title, code and version for lists), read-only.
 */

/** Which courses a user acting in an establishment sees: its own, its region's, and (national team) every regional one. */
export interface CourseScope {
  establishmentId: number
  region: string
  national: boolean
}

export function coursesRepository(db: Kysely<Database>, dialect: Dialect = 'sqlite') {
  const visible = (scope: CourseScope) =>
    sql<boolean>`(c.establishment_id = ${scope.establishmentId} or c.region = ${scope.region}${
      scope.national ? sql` or c.region is not null` : sql``
    })`

  const courseColumns = (k: Kysely<Database>) =>
    k
      .selectFrom('training_courses as c')
      .innerJoin('training_modules as m', 'm.id', 'c.module_id')
      .leftJoin('establishments as e', 'e.id', 'c.establishment_id')
      .select([
        'c.id',
        'c.module_id',
        'c.establishment_id',
        'c.region',
        'c.trainer_user_id',
        'c.trainer',
        'c.place',
        'c.capacity',
        'c.status',
        'c.notes',
        'c.created_at',
        'c.created_by',
        'c.cancelled_at',
        'c.cancel_reason',
        'c.completed_at',
        'c.completed_by',
        'm.code as module_code',
        'm.title as module_title',
        'm.kind as module_kind',
        'm.hours as module_hours',
        'e.name as establishment_name',
      ])
      .select(eb => [
        eb
          .selectFrom('training_course_days as d')
          .select(d => d.fn.min('d.day').as('x'))
          .whereRef('d.course_id', '=', 'c.id')
          .as('first_day'),
        eb
          .selectFrom('training_course_days as d')
          .select(d => d.fn.max('d.day').as('x'))
          .whereRef('d.course_id', '=', 'c.id')
          .as('last_day'),
        eb
          .selectFrom('training_enrolments as n')
          .select(n => n.fn.countAll<number>().as('x'))
          .whereRef('n.course_id', '=', 'c.id')
          .where('n.status', 'in', ['enrolled', 'completed', 'not_completed'])
          .as('enrolled'),
        eb
          .selectFrom('training_enrolments as n')
          .select(n => n.fn.countAll<number>().as('x'))
          .whereRef('n.course_id', '=', 'c.id')
          .where('n.status', '=', 'waiting')
          .as('waiting'),
      ])

  return {
    /**
     * Locks the course's row until the transaction ends, so enrolments in one course are counted one after the
     * other (PostgreSQL). SQLite runs one write transaction at a time, so it needs no lock.
     */
    async lockCourse(trx: Kysely<Database>, id: number) {
      let q = trx.selectFrom('training_courses').select('id').where('id', '=', id)
      if (dialect === 'postgres') q = q.forUpdate()
      await q.executeTakeFirst()
    },

    /** The courses the scope sees, with their module, first and last day, places taken and the waiting list. */
    courses(scope: CourseScope, k: Kysely<Database> = db) {
      return courseColumns(k).where(visible(scope)).orderBy('c.id').execute()
    },

    course(scope: CourseScope, id: number, k: Kysely<Database> = db) {
      return courseColumns(k).where('c.id', '=', id).where(visible(scope)).executeTakeFirst()
    },

    days(courseIds: number[], k: Kysely<Database> = db) {
      if (!courseIds.length) return Promise.resolve([])
      return k
        .selectFrom('training_course_days')
        .selectAll()
        .where('course_id', 'in', courseIds)
        .orderBy('course_id')
        .orderBy('day')
        .execute()
    },

    async insertCourse(trx: Kysely<Database>, row: Insertable<TrainingCourseTable>): Promise<number> {
      const r = await trx.insertInto('training_courses').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async insertDays(
      trx: Kysely<Database>,
      courseId: number,
      days: { day: string; startsAt: string; endsAt: string }[],
    ) {
      await trx
        .insertInto('training_course_days')
        .values(days.map(d => ({ course_id: courseId, day: d.day, starts_at: d.startsAt, ends_at: d.endsAt })))
        .execute()
    },
    async updateCourse(trx: Kysely<Database>, id: number, values: Updateable<TrainingCourseTable>) {
      await trx.updateTable('training_courses').set(values).where('id', '=', id).execute()
    },

    /** A course's enrolments with each officer's name, establishment and user account. */
    enrolments(courseId: number, k: Kysely<Database> = db) {
      return k
        .selectFrom('training_enrolments as n')
        .innerJoin('staff as s', 's.id', 'n.staff_id')
        .innerJoin('establishments as e', 'e.id', 's.establishment_id')
        .select([
          'n.id',
          'n.course_id',
          'n.staff_id',
          'n.status',
          'n.enrolled_at',
          'n.enrolled_by',
          'n.waiting_since',
          'n.updated_at',
          's.first_name',
          's.last_name',
          's.staff_number',
          's.user_id',
          's.email as staff_email',
          's.establishment_id',
          'e.name as establishment_name',
        ])
        .where('n.course_id', '=', courseId)
        .orderBy('s.last_name')
        .orderBy('s.first_name')
        .orderBy('n.id')
        .execute()
    },
    enrolment(k: Kysely<Database>, courseId: number, staffId: number) {
      return k
        .selectFrom('training_enrolments')
        .selectAll()
        .where('course_id', '=', courseId)
        .where('staff_id', '=', staffId)
        .executeTakeFirst()
    },
    async countEnrolled(k: Kysely<Database>, courseId: number): Promise<number> {
      const r = await k
        .selectFrom('training_enrolments')
        .select(eb => eb.fn.countAll<number>().as('n'))
        .where('course_id', '=', courseId)
        .where('status', '=', 'enrolled')
        .executeTakeFirstOrThrow()
      return Number(r.n)
    },
    /** The waiting list, first come first served. */
    waiting(k: Kysely<Database>, courseId: number) {
      return k
        .selectFrom('training_enrolments as n')
        .innerJoin('staff as s', 's.id', 'n.staff_id')
        .select(['n.id', 'n.staff_id', 's.user_id', 's.establishment_id', 's.first_name', 's.last_name'])
        .where('n.course_id', '=', courseId)
        .where('n.status', '=', 'waiting')
        .orderBy('n.waiting_since')
        .orderBy('n.id')
        .execute()
    },
    async insertEnrolment(trx: Kysely<Database>, row: Insertable<TrainingEnrolmentTable>): Promise<number> {
      const r = await trx.insertInto('training_enrolments').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    async updateEnrolment(trx: Kysely<Database>, id: number, values: Updateable<TrainingEnrolmentTable>) {
      await trx.updateTable('training_enrolments').set(values).where('id', '=', id).execute()
    },
    /** Moves every enrolment of the course in one of `from` to `to`; the ids moved. */
    async moveEnrolments(
      trx: Kysely<Database>,
      courseId: number,
      from: string[],
      values: Updateable<TrainingEnrolmentTable>,
    ): Promise<number[]> {
      const rows = await trx
        .updateTable('training_enrolments')
        .set(values)
        .where('course_id', '=', courseId)
        .where('status', 'in', from)
        .returning('id')
        .execute()
      return rows.map(r => Number(r.id))
    },

    attendance(courseId: number, k: Kysely<Database> = db) {
      return k.selectFrom('training_attendance').selectAll().where('course_id', '=', courseId).execute()
    },
    async saveAttendance(
      trx: Kysely<Database>,
      rows: {
        course_id: number
        day: string
        staff_id: number
        present: number
        recorded_at: string
        recorded_by: string
      }[],
    ) {
      if (!rows.length) return
      await trx
        .insertInto('training_attendance')
        .values(rows)
        .onConflict(oc =>
          oc.columns(['course_id', 'day', 'staff_id']).doUpdateSet(eb => ({
            present: eb.ref('excluded.present'),
            recorded_at: eb.ref('excluded.recorded_at'),
            recorded_by: eb.ref('excluded.recorded_by'),
          })),
        )
        .execute()
    },

    /** Staff of the establishment who may go on a course (not inactive), by name. */
    officers(establishmentId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id'])
        .where('establishment_id', '=', establishmentId)
        .where('status', '<>', 'inactive')
        .orderBy('last_name')
        .orderBy('first_name')
        .orderBy('id')
        .execute()
    },
    staff(k: Kysely<Database>, staffId: number) {
      return k
        .selectFrom('staff as s')
        .innerJoin('establishments as e', 'e.id', 's.establishment_id')
        .select([
          's.id',
          's.establishment_id',
          's.first_name',
          's.last_name',
          's.staff_number',
          's.user_id',
          's.status',
          's.email',
          'e.region',
        ])
        .where('s.id', '=', staffId)
        .executeTakeFirst()
    },
    staffOfUser(establishmentId: number, userId: number) {
      return db
        .selectFrom('staff')
        .select(['id', 'first_name', 'last_name', 'staff_number', 'user_id', 'status'])
        .where('establishment_id', '=', establishmentId)
        .where('user_id', '=', userId)
        .where('status', '<>', 'inactive')
        .orderBy('id')
        .execute()
    },

    /** Enabled users holding a role in the establishments given (and, with `national`, the national team), by name. */
    users(establishmentIds: number[], national: boolean) {
      return db
        .selectFrom('users as u')
        .select(['u.id', 'u.display_name', 'u.username'])
        .where('u.enabled', '=', 1)
        .where(eb =>
          eb.exists(
            eb
              .selectFrom('user_roles as r')
              .select('r.id')
              .whereRef('r.user_id', '=', 'u.id')
              .where(w => {
                const ors = []
                if (establishmentIds.length) ors.push(w('r.establishment_id', 'in', establishmentIds))
                if (national) ors.push(w('r.establishment_id', 'is', null))
                return ors.length ? w.or(ors) : w.val(false)
              }),
          ),
        )
        .orderBy('u.display_name')
        .orderBy('u.id')
        .execute()
    },
    establishmentsIn(region: string) {
      return db
        .selectFrom('establishments')
        .select(['id', 'name'])
        .where('region', '=', region)
        .where('enabled', '=', 1)
        .execute()
    },
    async regions(): Promise<string[]> {
      const rows = await db
        .selectFrom('establishments')
        .select('region')
        .distinct()
        .where('enabled', '=', 1)
        .orderBy('region')
        .execute()
      return rows.map(r => r.region).filter(r => r.trim() !== '')
    },
    async userEmail(userId: number): Promise<string | null> {
      const r = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst()
      return r?.email ?? null
    },

    feedback(k: Kysely<Database>, courseId: number, staffId: number) {
      return k
        .selectFrom('training_feedback')
        .selectAll()
        .where('course_id', '=', courseId)
        .where('staff_id', '=', staffId)
        .executeTakeFirst()
    },
    async insertFeedback(trx: Kysely<Database>, row: Insertable<TrainingFeedbackTable>): Promise<number> {
      const r = await trx.insertInto('training_feedback').values(row).returning('id').executeTakeFirstOrThrow()
      return Number(r.id)
    },
    /**
     * Every rating with its module and the programme version the module belongs to (null: a local module), given by
     * officers of the establishment (null: everywhere).
     */
    ratings(establishmentId: number | null) {
      let q = db
        .selectFrom('training_feedback as f')
        .innerJoin('training_modules as m', 'm.id', 'f.module_id')
        .leftJoin('training_programme_versions as v', 'v.id', 'm.programme_version_id')
        .innerJoin('staff as s', 's.id', 'f.staff_id')
        .select([
          'f.id',
          'f.rating',
          'f.comment',
          'f.created_at',
          'm.id as module_id',
          'm.code as module_code',
          'm.title as module_title',
          'm.establishment_id as module_establishment_id',
          'v.version as programme_version',
        ])
      if (establishmentId !== null) q = q.where('s.establishment_id', '=', establishmentId)
      return q.orderBy('m.code').orderBy('v.version').orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').execute()
    },
  }
}

export type CoursesRepository = ReturnType<typeof coursesRepository>
export type CourseRow = NonNullable<Awaited<ReturnType<CoursesRepository['course']>>>
export type EnrolmentRow = Awaited<ReturnType<CoursesRepository['enrolments']>>[number]
