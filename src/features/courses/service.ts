// Training courses (issue 16): scheduled runs of a module, enrolment with a waiting list, a register per day,
// completion by the trainer, cancellation with notice, and participants' feedback.
// Invariants:
// - a course is at one establishment or regional (its region's establishments' officers may enrol); a user acting in
//   an establishment sees its courses and its region's (the national team every regional one); anything else is
//   not found;
// - places are never exceeded: the count and the insert are one transaction, the course row locked (PostgreSQL;
//   SQLite runs one write transaction at a time); past capacity an officer goes on the waiting list, which moves up
//   earliest first when a place frees;
// - completion writes the completions (training records) in the same transaction as the course's status;
// - every change is one transaction with its audit event; emails go after the change is saved and never throw.
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Database } from '../../platform/db/types'
import type { Dialect } from '../../platform/db/database'
import { now } from '../../domain/clock'
import { formatDate, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import {
  COURSE_OUTCOME_NAMES,
  type CourseOutcome,
  type RatingSummary,
  coursePhase,
  enrolmentClosed,
  movingUp,
  placementFor,
  placesLeft,
  ratingSummary,
} from '../../domain/courses'
import type { ModuleKind, Outcome } from '../../domain/training'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { MailerService } from '../../platform/notify/mailer'
import type { NoticesService } from '../notices/service'
import { type CourseRow, type CourseScope, type EnrolmentRow, coursesRepository } from './repository'
import type { CourseInput, Mark, OutcomeInput } from './schema'

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

/** A completion for the training record (s.trainingRecords.recordCompletions). */
export interface CourseCompletion {
  establishmentId: number
  staffId: number
  moduleId: number | null
  moduleCode: string
  kind: ModuleKind
  title: string
  completedOn: string
  hours: number
  outcome: Outcome
  evidence?: string
  source: 'course'
  courseId?: number | null
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
    recordCompletions(trx: Kysely<Database>, actor: Actor, rows: CourseCompletion[]): Promise<number[]>
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
const stamp = () => now().toISOString()
const nameOf = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`
const who = (actor: Actor) => actor.username ?? 'unknown'

/** May manage the course (register, complete, cancel): its establishment's SO or admin, or the national team. */
export const mayManage = (c: Pick<CourseRow, 'establishment_id'>, v: CourseViewer) =>
  v.national || (c.establishment_id !== null && c.establishment_id === v.establishmentId && v.manager)
/** May take the register and complete the course: the trainer too. */
export const mayTeach = (c: Pick<CourseRow, 'establishment_id' | 'trainer_user_id'>, v: CourseViewer) =>
  mayManage(c, v) || (c.trainer_user_id !== null && c.trainer_user_id === v.userId)

const CLOSED: Record<NonNullable<ReturnType<typeof enrolmentClosed>>, string> = {
  cancelled: 'This course has been cancelled',
  completed: 'This course has finished and been completed',
  past: 'This course has already happened',
  started: 'This course has already started: enrolment closed at the end of its first day',
}

export function coursesService(db: Kysely<Database>, deps: CoursesDeps) {
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

  /** Users who may be picked as the trainer: of the establishment, or (regional) of the region and national. */
  async function trainers(v: CourseViewer, region: string | null) {
    if (region === null) return repo.users([v.establishmentId], false)
    const ests = await repo.establishmentsIn(region)
    return repo.users(
      ests.map(e => e.id),
      true,
    )
  }

  return {
    trainers,
    regions: () => repo.regions(),
    /** The modules a course may run: national and the establishment's local ones; regional: national only. */
    modules: (v: CourseViewer, regional: boolean) => deps.training.modulesFor(regional ? null : v.establishmentId),
    officers: (establishmentId: number) => repo.officers(establishmentId),
    /** The viewer's own staff record in the establishment, if they have one. */
    async me(v: CourseViewer) {
      const [mine] = await repo.staffOfUser(v.establishmentId, v.userId)
      return mine ?? null
    },

    /**
     * Schedules a course: at the viewer's establishment (SO or admin), or regional (the national team: `input.region`).
     */
    async schedule(actor: Actor, v: CourseViewer, input: CourseInput, regional: boolean): Promise<Result<number>> {
      if (regional && !v.national) return fail({ form: 'Only the national team schedules regional courses' })
      if (!regional && !v.manager)
        return fail({ form: 'Only a Supervising Officer or an admin schedules a course at the establishment' })
      const errors: Record<string, string> = {}
      const region = regional ? input.region : null
      if (regional) {
        if (!region) errors.region = 'Choose the region'
        else if (!(await repo.regions()).includes(region)) errors.region = 'Choose one of the regions listed'
      }
      const modules = await deps.training.modulesFor(regional ? null : v.establishmentId)
      const mod = modules.find(m => m.id === input.moduleId)
      if (!mod) errors.module = 'Choose one of the modules listed'
      let trainer = input.trainerName
      if (input.trainerUserId !== null) {
        const users = region || !regional ? await trainers(v, region) : []
        const u = users.find(x => x.id === input.trainerUserId)
        if (!u) errors.trainer = 'Choose one of the trainers listed, or type their name'
        else trainer = u.display_name
      }
      if (!input.days.length && !errors.day1) errors.day1 = 'Enter the date, start and end time of at least one day'
      if (Object.keys(errors).length) return fail(errors)
      return db.transaction().execute(async trx => {
        const at = stamp()
        const id = await repo.insertCourse(trx, {
          module_id: mod!.id,
          establishment_id: regional ? null : v.establishmentId,
          region,
          trainer_user_id: input.trainerUserId,
          trainer,
          place: input.place,
          capacity: input.capacity,
          status: 'scheduled',
          notes: input.notes,
          created_at: at,
          created_by: who(actor),
          cancelled_at: null,
          cancelled_by: null,
          cancel_reason: null,
          completed_at: null,
          completed_by: null,
        })
        await repo.insertDays(trx, id, input.days)
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_course',
          entityId: id,
          establishmentId: regional ? null : v.establishmentId,
          changes: {
            module_id: mod!.id,
            module_code: mod!.code,
            region,
            trainer,
            trainer_user_id: input.trainerUserId,
            place: input.place,
            capacity: input.capacity,
            days: input.days,
          },
        })
        return ok(id)
      })
    },

    /** The courses the viewer sees, upcoming (and running) first by date, then past ones, latest first. */
    async list(v: CourseViewer) {
      const today = todayIso()
      const rows = (await repo.courses(v)).map(c => {
        const first = String(c.first_day ?? '')
        const last = String(c.last_day ?? '')
        const enrolled = Number(c.enrolled)
        return {
          ...c,
          first_day: first,
          last_day: last,
          enrolled,
          waiting: Number(c.waiting),
          placesLeft: placesLeft(c.capacity, enrolled),
          phase: coursePhase(first, last, today),
        }
      })
      const upcoming = rows
        .filter(c => c.status === 'scheduled' && c.phase !== 'past')
        .sort((a, b) => (a.first_day < b.first_day ? -1 : a.first_day > b.first_day ? 1 : a.id - b.id))
      const past = rows
        .filter(c => !(c.status === 'scheduled' && c.phase !== 'past'))
        .sort((a, b) => (a.last_day > b.last_day ? -1 : a.last_day < b.last_day ? 1 : b.id - a.id))
      return { today, upcoming, past }
    },

    /**
     * A course the viewer sees, with its days, enrolments (all of them for whoever manages or teaches it; otherwise
     * only the viewer's establishment's officers), the register and the viewer's own enrolment; undefined if not seen.
     */
    async course(v: CourseViewer, id: number) {
      const c = await repo.course(v, id)
      if (!c) return undefined
      const [days, all, attendance, me] = await Promise.all([
        repo.days([id]),
        repo.enrolments(id),
        repo.attendance(id),
        repo.staffOfUser(v.establishmentId, v.userId),
      ])
      const today = todayIso()
      const first = days[0]?.day ?? ''
      const last = days.at(-1)?.day ?? ''
      const teach = mayTeach(c, v)
      const myIds = new Set(me.map(m => m.id))
      const enrolments = all.filter(e => teach || e.establishment_id === v.establishmentId || myIds.has(e.staff_id))
      const mine = all.find(e => myIds.has(e.staff_id)) ?? null
      const enrolled = all.filter(
        e => e.status === 'enrolled' || e.status === 'completed' || e.status === 'not_completed',
      )
      const waiting = all
        .filter(e => e.status === 'waiting')
        .sort((a, b) => (String(a.waiting_since) < String(b.waiting_since) ? -1 : 1))
      const myFeedback = mine ? await repo.feedback(db, id, mine.staff_id) : undefined
      return {
        course: c,
        days,
        firstDay: first,
        lastDay: last,
        phase: coursePhase(first, last, today),
        today,
        enrolments,
        enrolledCount: enrolled.length,
        waitingCount: waiting.length,
        waitingOrder: new Map(waiting.map((w, i) => [w.staff_id, i + 1])),
        placesLeft: placesLeft(c.capacity, enrolled.length),
        attendance,
        closed: enrolmentClosed(c.status, first, last, today),
        mine,
        me: me[0] ?? null,
        mayManage: mayManage(c, v),
        mayTeach: teach,
        mayGiveFeedback: !!mine && mine.status === 'completed' && !myFeedback,
        myFeedback: myFeedback ?? null,
      }
    },

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
        const rows: CourseCompletion[] = []
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

    /** A participant who completed the course rates it (1 to 5) with a comment, once. */
    async giveFeedback(
      actor: Actor,
      v: CourseViewer,
      courseId: number,
      input: { rating: number; comment: string },
    ): Promise<Result> {
      const me = await repo.staffOfUser(v.establishmentId, v.userId)
      return db.transaction().execute(async trx => {
        const c = await visibleCourse(trx, v, courseId)
        if (!c) return fail({ form: 'Course not found' })
        const enrolments = await repo.enrolments(c.id, trx)
        const mine = enrolments.find(e => me.some(m => m.id === e.staff_id))
        if (!mine || mine.status !== 'completed')
          return fail({ form: 'Only an officer who completed this course may give feedback on it' })
        if (await repo.feedback(trx, c.id, mine.staff_id))
          return fail({ form: 'You have already given your feedback on this course' })
        const id = await repo.insertFeedback(trx, {
          course_id: c.id,
          module_id: c.module_id,
          staff_id: mine.staff_id,
          rating: input.rating,
          comment: input.comment,
          created_at: stamp(),
        })
        await audit.record(trx, actor, {
          action: 'create',
          entity: 'training_feedback',
          entityId: id,
          establishmentId: mine.establishment_id,
          changes: { course_id: c.id, module_id: c.module_id, rating: input.rating },
        })
        return ok()
      })
    },

    /**
     * Module ratings by module and programme version: nationally (null), or given by an establishment's officers.
     * Comments are shown without names, the latest first.
     */
    async ratings(establishmentId: number | null) {
      const rows = await repo.ratings(establishmentId)
      const groups = new Map<
        string,
        {
          moduleCode: string
          moduleTitle: string
          programmeVersion: number | null
          local: boolean
          ratings: number[]
          comments: { comment: string; rating: number; on: string }[]
        }
      >()
      for (const r of rows) {
        const key = `${r.module_code}\u0000${r.programme_version ?? 'local'}\u0000${r.module_establishment_id ?? ''}`
        let g = groups.get(key)
        if (!g) {
          g = {
            moduleCode: r.module_code,
            moduleTitle: r.module_title,
            programmeVersion: r.programme_version === null ? null : Number(r.programme_version),
            local: r.module_establishment_id !== null,
            ratings: [],
            comments: [],
          }
          groups.set(key, g)
        }
        g.ratings.push(Number(r.rating))
        if (r.comment.trim()) g.comments.push({ comment: r.comment, rating: Number(r.rating), on: r.created_at })
      }
      return [...groups.values()].map(g => ({
        ...g,
        summary: ratingSummary(g.ratings) as RatingSummary,
        comments: g.comments.slice(0, 20),
      }))
    },
  }
}

export type CoursesService = ReturnType<typeof coursesService>
