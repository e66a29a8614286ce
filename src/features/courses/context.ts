// What every part of the courses service shares: its dependencies (other features' services, as types), the
// repository, who may do what on a course, and telling an officer.
// Invariants:
// - a course is seen through repo.course, scoped to the viewer: one at their establishment or in their region (the
//   national team every regional one); anything else is not found;
// - a change locks the course row first (visibleCourse with lock; PostgreSQL; SQLite runs one write transaction at a
//   time), so places are counted and taken in one transaction;
// - an email is sent only after the change that caused it is saved, and never throws.
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import type { Dialect } from '../../platform/db/database'
import { now } from '../../domain/clock'
import { formatDate } from '../../domain/dates'
import { enrolmentClosed } from '../../domain/courses'
import type { ModuleKind } from '../../domain/training'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { MailerService } from '../../platform/notify/mailer'
import type { NoticesService } from '../notices/service'
import type { NewCompletion } from '../trainingRecords/service'
import { type CourseRow, type CourseScope, type CoursesRepository, coursesRepository } from './repository'

/** A module of the programme as the catalogue gives it (s.training). */
export interface CourseModule {
  id: number
  code: string
  title: string
  kind: ModuleKind
  hours: number
  days: number
  establishmentId: number | null
  programmeVersion: number | null
}

export interface CoursesDeps {
  audit: AuditService
  dialect?: Dialect
  notices: Pick<NoticesService, 'tell'>
  mailer: Pick<MailerService, 'send'>
  training: {
    modulesFor(establishmentId: number | null): Promise<CourseModule[]>
    moduleById(id: number): Promise<CourseModule | undefined>
  }
  trainingRecords: {
    recordCompletions(trx: Kysely<Database>, actor: Actor, rows: NewCompletion[]): Promise<number[]>
  }
  logger?: Logger
}

/** Who is looking, acting in an establishment: what they may see and do. */
export interface CourseViewer extends CourseScope {
  userId: number
  /** a Supervising Officer or admin of the establishment */
  manager: boolean
}

export const courseLink = (id: number) => `/training/courses/${id}`
export const stamp = () => now().toISOString()
export const nameOf = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`
export const who = (actor: Actor) => actor.username ?? 'unknown'

/** May manage the course (register, complete, cancel): its establishment's SO or admin, or the national team. */
export const mayManage = (c: Pick<CourseRow, 'establishment_id'>, v: CourseViewer) =>
  v.national || (c.establishment_id !== null && c.establishment_id === v.establishmentId && v.manager)
/** May take the register and complete the course: the trainer too. */
export const mayTeach = (c: Pick<CourseRow, 'establishment_id' | 'trainer_user_id'>, v: CourseViewer) =>
  mayManage(c, v) || (c.trainer_user_id !== null && c.trainer_user_id === v.userId)

export const CLOSED: Record<NonNullable<ReturnType<typeof enrolmentClosed>>, string> = {
  cancelled: 'This course has been cancelled',
  completed: 'This course has finished and been completed',
  past: 'This course has already happened',
  started: 'This course has already started: enrolment closed at the end of its first day',
}

export interface CoursesContext {
  db: Kysely<Database>
  repo: CoursesRepository
  deps: CoursesDeps
  audit: AuditService
  notices: CoursesDeps['notices']
  email(
    actor: Actor,
    e: Parameters<MailerService['send']>[1],
  ): Promise<Awaited<ReturnType<MailerService['send']>> | null>
  describe(c: Pick<CourseRow, 'module_title' | 'first_day'>): string
  visibleCourse(k: Kysely<Database>, v: CourseViewer, id: number, lock?: boolean): Promise<CourseRow | undefined>
}

export function coursesContext(db: Kysely<Database>, deps: CoursesDeps): CoursesContext {
  const repo = coursesRepository(db, deps.dialect)
  const { audit, notices, mailer, logger } = deps

  /** Sends an email after the change that caused it is saved; never throws. */
  async function email(actor: Actor, e: Parameters<MailerService['send']>[1]) {
    try {
      return await mailer.send(actor, e)
    } catch (err) {
      logger?.error({ err, reference: e.reference }, 'could not email an officer about a course')
      return null
    }
  }

  const describe = (c: Pick<CourseRow, 'module_title' | 'first_day'>) =>
    `${c.module_title}${c.first_day ? ` starting ${formatDate(String(c.first_day))}` : ''}`

  /** The course as the viewer may see it, in the caller's transaction (locked first when `lock`). */
  async function visibleCourse(k: Kysely<Database>, v: CourseViewer, id: number, lock = false) {
    if (lock) await repo.lockCourse(k, id)
    return repo.course(v, id, k)
  }

  return { db, repo, deps, audit, notices, email, describe, visibleCourse }
}
