// Scheduling courses and reading them: the modules and trainers to choose from, the list, one course in full.
// Invariants:
// - an establishment's course is scheduled by its SO or admin, a regional one (region among the establishments')
//   only by the national team; the module is one the catalogue offers there (regional: national modules only);
// - the trainer is a user of the establishment (regional: of the region, or national), or a typed name;
// - a course has at least one day; scheduling is one transaction with its audit event;
// - whoever manages or teaches a course sees all its enrolments; anyone else only their establishment's and their own.
import { todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { coursePhase, enrolmentClosed, placesLeft } from '../../domain/courses'
import type { Actor } from '../../platform/audit/service'
import { type CourseViewer, type CoursesContext, mayManage, mayTeach, stamp, who } from './context'
import type { CourseInput } from './schema'

export function courseSchedule(ctx: CoursesContext) {
  const { db, repo, audit, deps } = ctx

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
  }
}
