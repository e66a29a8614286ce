import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { joinDateInputs } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { formatDate } from '../../domain/dates'
import { MODULE_KIND_NAMES, type ModuleKind } from '../../domain/training'
import { assignFormSchema } from './schema'

/** A Supervising Officer assigns a module (from a QA review, or by hand); they and the admin list and cancel. */
const ASSIGNERS = ['SUPERVISING_OFFICER'] as const
const MANAGERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

/** A record id from the query or a form: digits only; null otherwise. */
function idOf(v: unknown): number | null {
  if (typeof v !== 'string' || !/^[1-9]\d{0,9}$/.test(v.trim())) return null
  const n = Number(v.trim())
  return Number.isSafeInteger(n) ? n : null
}

const staffName = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`

export function trainingRemindersRoutes(s: Services): RouteDef[] {
  /**
   * The review an assignment is made from (?review=ID), with its officer: not this establishment's, a calibration
   * mark or no such review is a 404, and the attempt is audited. No review asked for: null.
   */
  async function reviewOf(req: Request, res: Response) {
    const raw = queryString(req, 'review')
    if (!raw) return null
    const est = establishmentOf(res)
    const id = idOf(raw)
    const review = id === null ? null : await s.qa.review(est.id, id)
    const staff = review?.staff_id != null ? await s.trainingReminders.staff(est.id, review.staff_id) : undefined
    if (!review || review.kind === 'calibration' || !staff) {
      await s.audit.recordAlone(actorOf(res), {
        action: 'refused',
        entity: 'qa_review',
        entityId: raw.slice(0, 80),
        changes: { method: req.method, route: '/training/assign', status: 404 },
      })
      throw new HttpError(404)
    }
    return { review, staff }
  }

  const formPath = (reviewId: number | null) =>
    reviewId === null ? '/training/assign' : `/training/assign?review=${reviewId}`

  return [
    get('/training/assign', ASSIGNERS, async (req, res) => {
      const est = establishmentOf(res)
      const from = await reviewOf(req, res)
      const [modules, officers] = await Promise.all([
        s.trainingReminders.assignableModules(est.id),
        from ? Promise.resolve([]) : s.trainingReminders.officers(est.id),
      ])
      const form = takeForm(req, {
        staffId: '',
        moduleCode: '',
        reason: from?.review.session_date
          ? `From your review of the entry of ${formatDate(from.review.session_date)}: `
          : '',
        'dueOn-day': '',
        'dueOn-month': '',
        'dueOn-year': '',
      })
      res.render('trainingReminders/views/assign', {
        pageTitle: from ? `Assign a top-up module to ${staffName(from.staff)}` : 'Assign a training module',
        from: from
          ? { reviewId: from.review.id, officer: staffName(from.staff), own: from.staff.user_id === ctxOf(res).userId }
          : null,
        officerItems: [
          { value: '', text: 'Choose an officer' },
          ...officers.map(o => ({
            value: String(o.id),
            text: staffName(o),
            selected: form.values.staffId === String(o.id),
          })),
        ],
        moduleItems: [
          { value: '', text: modules.length ? 'Choose a module' : 'No top-up or local modules are published yet' },
          ...modules.map(m => ({
            value: m.code,
            text: `${m.title} (${MODULE_KIND_NAMES[m.kind as ModuleKind] ?? 'Module'})`,
            selected: form.values.moduleCode === m.code,
          })),
        ],
        action: formPath(from?.review.id ?? null),
        ...form,
      })
    }),

    post('/training/assign', ASSIGNERS, async (req, res) => {
      const est = establishmentOf(res)
      const from = await reviewOf(req, res)
      const back = formPath(from?.review.id ?? null)
      const form = parseForm(assignFormSchema(!from), joinDateInputs(req.body as Record<string, unknown>, ['dueOn']))
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const staffId = from ? from.staff.id : form.data.staffId!
      const r = await s.trainingReminders.assign({ ...actorOf(res), userId: ctxOf(res).userId }, est.id, {
        staffId,
        reviewId: from?.review.id ?? null,
        moduleCode: form.data.moduleCode,
        reason: form.data.reason,
        dueOn: form.data.dueOn,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, 'Module assigned: the officer has been told')
      res.redirect(303, from ? `/quality/review?id=${from.review.id}` : '/training/assignments')
    }),

    get('/training/assignments', MANAGERS, async (req, res) => {
      const est = establishmentOf(res)
      const rows = await s.trainingReminders.assignmentsOf(est.id)
      await auditView(s.audit, res, {
        entity: 'training_assignment_list',
        details: { assignments: rows.map(r => r.id) },
      })
      res.render('trainingReminders/views/assignments', {
        pageTitle: 'Training assigned to officers',
        rows,
        canAssign: ctxOf(res).roles.includes('SUPERVISING_OFFICER'),
        ...takeForm(req, {}),
      })
    }),

    post('/training/assignments/cancel', MANAGERS, async (req, res) => {
      const est = establishmentOf(res)
      const raw = (req.body as Record<string, unknown> | undefined)?.assignment
      const id = idOf(raw)
      if (id === null)
        return redirectWithErrors(req, res, { form: 'Choose an assignment to cancel' }, '/training/assignments')
      const r = await s.trainingReminders.cancel(actorOf(res), est.id, id)
      if (!r.ok) {
        if (r.errors.form === 'Assignment not found') {
          await s.audit.recordAlone(actorOf(res), {
            action: 'refused',
            entity: 'training_assignment',
            entityId: id,
            changes: { method: req.method, route: '/training/assignments/cancel', status: 404 },
          })
          throw new HttpError(404)
        }
        return redirectWithErrors(req, res, r.errors, '/training/assignments')
      }
      flash(req, 'Assignment cancelled')
      res.redirect(303, '/training/assignments')
    }),
  ]
}
