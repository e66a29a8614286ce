import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { formText, joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import {
  COURSE_DAY_ROWS,
  COURSE_OUTCOMES,
  COURSE_OUTCOME_NAMES,
  COURSE_PHASE_NAMES,
  COURSE_STATUS_NAMES,
  ENROLMENT_STATUS_NAMES,
  RATING_NAMES,
} from '../../domain/courses'
import { type CourseViewer, courseLink } from './service'
import {
  COMMENT_MAX,
  DAY_FIELDS,
  EVIDENCE_MAX,
  REASON_MAX,
  cancelSchema,
  completeSchema,
  courseSchema,
  enrolSchema,
  feedbackSchema,
  registerSchema,
  withdrawSchema,
} from './schema'

const ALL = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const SCHEDULERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const ENROLLERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const PARTICIPANTS = ['KEY_WORKER', 'SUPERVISING_OFFICER'] as const

const NAMES = {
  status: COURSE_STATUS_NAMES,
  enrolment: ENROLMENT_STATUS_NAMES,
  outcome: COURSE_OUTCOME_NAMES,
  phase: COURSE_PHASE_NAMES,
  rating: RATING_NAMES,
}

function viewerOf(res: Response): CourseViewer {
  const est = establishmentOf(res)
  const ctx = ctxOf(res)
  return {
    userId: ctx.userId,
    establishmentId: est.id,
    region: est.region,
    national: hasRole(res, 'NATIONAL_POLICY'),
    manager: hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'),
  }
}

const staffName = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`

export function courseRoutes(s: Services): RouteDef[] {
  /** The course the viewer sees, or 404 (another establishment's, or none): audited as a refusal by the error stage. */
  const courseOr404 = async (req: Request, res: Response) => {
    const v = viewerOf(res)
    const detail = await s.courses.course(v, intParam(req, 'courseId'))
    if (!detail) throw new HttpError(404)
    return { v, detail }
  }

  /** Whether the form schedules a regional course: the national team does; one who is also an SO or admin chooses. */
  const regionalFor = (v: CourseViewer, body: Record<string, unknown>) =>
    v.national && (!v.manager || body.scope === 'regional')

  const emptyCourseForm = (region: string) => {
    const values: Record<string, string> = {
      module: '',
      trainer: '',
      trainerName: '',
      place: '',
      capacity: '',
      notes: '',
      region,
      scope: '',
    }
    for (const f of DAY_FIELDS) {
      const parts = splitDate(null)
      values[`${f}-day`] = parts.day
      values[`${f}-month`] = parts.month
      values[`${f}-year`] = parts.year
      values[`${f}Start`] = ''
      values[`${f}End`] = ''
    }
    return values
  }

  return [
    get('/training/courses', ALL, async (_req, res) => {
      const v = viewerOf(res)
      const list = await s.courses.list(v)
      res.render('courses/views/list', {
        pageTitle: 'Training courses',
        ...list,
        names: NAMES,
        maySchedule: v.manager || v.national,
      })
    }),

    get('/training/courses/new', SCHEDULERS, async (req, res) => {
      const v = viewerOf(res)
      const form = takeForm(req, emptyCourseForm(v.region))
      const regional = regionalFor(v, form.values)
      const region = regional ? String(form.values.region || v.region) : null
      const [modules, trainers, regions, establishmentModules] = await Promise.all([
        s.courses.modules(v, true),
        s.courses.trainers(v, region),
        s.courses.regions(),
        v.manager ? s.courses.modules(v, false) : Promise.resolve([]),
      ])
      res.render('courses/views/new', {
        pageTitle: 'Schedule a course',
        ...form,
        modules: regional ? modules : establishmentModules,
        trainers,
        regions,
        regional,
        chooseScope: v.national && v.manager,
        dayRows: Array.from({ length: COURSE_DAY_ROWS }, (_, i) => i + 1),
      })
    }),

    post('/training/courses/new', SCHEDULERS, async (req, res) => {
      const v = viewerOf(res)
      const body = joinDateInputs(req.body as Record<string, unknown>, DAY_FIELDS)
      const form = parseForm(courseSchema, body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.courses.schedule(actorOf(res), v, form.data, regionalFor(v, body))
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Course scheduled')
      res.redirect(303, courseLink(r.value))
    }),

    get('/training/courses/:courseId', ALL, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const officers = v.manager && !detail.closed ? await s.courses.officers(v.establishmentId) : []
      const form = takeForm(req, { staffId: '', rating: '', comment: '' })
      const eligible = officers.filter(
        o => !detail.enrolments.some(e => e.staff_id === o.id && ['enrolled', 'waiting'].includes(e.status)),
      )
      res.render('courses/views/course', {
        pageTitle: detail.course.module_title,
        ...detail,
        ...form,
        names: NAMES,
        officers: eligible,
        mayEnrolOthers: v.manager,
        isKeyWorker: hasRole(res, 'KEY_WORKER'),
        userId: v.userId,
        commentMax: COMMENT_MAX,
      })
    }),

    post('/training/courses/:courseId/enrol', ENROLLERS, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const to = courseLink(detail.course.id)
      const body = req.body as Record<string, unknown>
      let staffId: number | null = null
      if (body.self !== 'yes') {
        if (!v.manager) staffId = null
        else {
          const form = parseForm(enrolSchema, body)
          if (!form.ok) return redirectWithErrors(req, res, form.errors, to)
          staffId = form.data.staffId
        }
      }
      const r = await s.courses.enrol(actorOf(res), v, detail.course.id, staffId)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, to)
      const own = staffId === null
      flash(
        req,
        r.value.status === 'enrolled'
          ? own
            ? 'You are enrolled on this course'
            : `${r.value.name} is enrolled on this course`
          : own
            ? 'The course is full: you are on the waiting list, and will be told if a place comes up'
            : `The course is full: ${r.value.name} is on the waiting list, and will be told if a place comes up`,
      )
      res.redirect(303, to)
    }),

    post('/training/courses/:courseId/withdraw', ENROLLERS, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const to = courseLink(detail.course.id)
      const form = parseForm(withdrawSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, to)
      const r = await s.courses.withdraw(actorOf(res), v, detail.course.id, form.data.staffId)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, to)
      flash(
        req,
        `${r.value.name} is withdrawn from this course` +
          (r.value.movedUp.length ? ': the first on the waiting list has the place' : ''),
      )
      res.redirect(303, to)
    }),

    get('/training/courses/:courseId/register', ALL, async (req, res) => {
      const { detail } = await courseOr404(req, res)
      if (!detail.mayTeach)
        return redirectWithErrors(
          req,
          res,
          { form: 'Only the trainer, a Supervising Officer or an admin may take the register' },
          courseLink(detail.course.id),
        )
      const asked = queryString(req, 'day', 10)
      const days = detail.days.map(d => d.day)
      const day =
        (days.includes(asked) ? asked : null) ?? [...days].reverse().find(d => d <= detail.today) ?? days[0] ?? ''
      const enrolled = detail.enrolments.filter(e => ['enrolled', 'completed', 'not_completed'].includes(e.status))
      const marked = new Map(detail.attendance.filter(a => a.day === day).map(a => [a.staff_id, a.present]))
      const defaults: Record<string, string> = { day }
      for (const e of enrolled) {
        const m = marked.get(e.staff_id)
        defaults[`present-${e.staff_id}`] = m === undefined ? '' : Number(m) === 1 ? 'yes' : 'no'
      }
      res.render('courses/views/register', {
        pageTitle: `Register: ${detail.course.module_title}`,
        ...detail,
        ...takeForm(req, defaults),
        day,
        enrolled,
        names: NAMES,
      })
    }),

    post('/training/courses/:courseId/register', ALL, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const enrolled = detail.enrolments
        .filter(e => ['enrolled', 'completed', 'not_completed'].includes(e.status))
        .map(e => ({ id: e.staff_id, name: staffName(e) }))
      const day = formText((req.body as Record<string, unknown>).day).slice(0, 10)
      const back = `${courseLink(detail.course.id)}/register${/^\d{4}-\d{2}-\d{2}$/.test(day) ? `?day=${day}` : ''}`
      const form = parseForm(registerSchema(enrolled), req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const r = await s.courses.register(actorOf(res), v, detail.course.id, form.data.day, form.data.marks)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, 'Register saved')
      res.redirect(303, back)
    }),

    get('/training/courses/:courseId/complete', ALL, async (req, res) => {
      const { detail } = await courseOr404(req, res)
      if (!detail.mayTeach)
        return redirectWithErrors(
          req,
          res,
          { form: 'Only the trainer, a Supervising Officer or an admin may complete the course' },
          courseLink(detail.course.id),
        )
      const enrolled = detail.enrolments.filter(e => e.status === 'enrolled')
      const defaults: Record<string, string> = {}
      for (const e of enrolled) {
        defaults[`outcome-${e.staff_id}`] = ''
        defaults[`evidence-${e.staff_id}`] = ''
      }
      const presentDays = new Map<number, number>()
      for (const a of detail.attendance)
        if (Number(a.present) === 1) presentDays.set(a.staff_id, (presentDays.get(a.staff_id) ?? 0) + 1)
      res.render('courses/views/complete', {
        pageTitle: `Complete: ${detail.course.module_title}`,
        ...detail,
        ...takeForm(req, defaults),
        enrolled,
        presentDays,
        outcomes: COURSE_OUTCOMES.map(o => ({ value: o, text: COURSE_OUTCOME_NAMES[o] })),
        evidenceMax: EVIDENCE_MAX,
        names: NAMES,
      })
    }),

    post('/training/courses/:courseId/complete', ALL, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const enrolled = detail.enrolments
        .filter(e => e.status === 'enrolled')
        .map(e => ({ id: e.staff_id, name: staffName(e) }))
      const form = parseForm(completeSchema(enrolled), req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.courses.complete(actorOf(res), v, detail.course.id, form.data.outcomes)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(
        req,
        `Course completed: ${r.value.recorded} ${r.value.recorded === 1 ? 'completion' : 'completions'} added to training records`,
      )
      res.redirect(303, courseLink(detail.course.id))
    }),

    get('/training/courses/:courseId/cancel', SCHEDULERS, async (req, res) => {
      const { detail } = await courseOr404(req, res)
      if (!detail.mayManage)
        return redirectWithErrors(
          req,
          res,
          { form: 'Only a Supervising Officer or an admin of the establishment (or the national team) may cancel it' },
          courseLink(detail.course.id),
        )
      res.render('courses/views/cancel', {
        pageTitle: `Cancel: ${detail.course.module_title}`,
        ...detail,
        ...takeForm(req, { reason: '' }),
        reasonMax: REASON_MAX,
        names: NAMES,
      })
    }),

    post('/training/courses/:courseId/cancel', SCHEDULERS, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const form = parseForm(cancelSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.courses.cancel(actorOf(res), v, detail.course.id, form.data.reason)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Course cancelled: ${r.value.told} ${r.value.told === 1 ? 'officer was' : 'officers were'} told`)
      res.redirect(303, courseLink(detail.course.id))
    }),

    post('/training/courses/:courseId/feedback', PARTICIPANTS, async (req, res) => {
      const { v, detail } = await courseOr404(req, res)
      const to = courseLink(detail.course.id)
      const form = parseForm(feedbackSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, to)
      const r = await s.courses.giveFeedback(actorOf(res), v, detail.course.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, to)
      flash(req, 'Thank you: your feedback is saved')
      res.redirect(303, to)
    }),

    get('/training/feedback', SCHEDULERS, async (_req, res) => {
      const v = viewerOf(res)
      const national = v.national
      const modules = await s.courses.ratings(national ? null : v.establishmentId)
      res.render('courses/views/feedback', {
        pageTitle: 'Course feedback',
        national,
        modules,
        names: NAMES,
      })
    }),
  ]
}
