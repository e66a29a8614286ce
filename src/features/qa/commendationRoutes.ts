import type { Services } from '../../services'
import { ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { commendSchema } from './schema'
import { SO, bodyId, queryId, signedInActor } from './requests'

/** Commending an officer or one of their entries. */
export function qaCommendationRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/commend', SO, async (req, res) => {
      const est = establishmentOf(res)
      const sessionId = queryId(req, 'session')
      const staffId = queryId(req, 'staff')
      if (sessionId === null && staffId === null)
        return res.render('qa/views/commend-officer', {
          pageTitle: 'Commend an officer',
          officers: (await s.qa.officers(est.id)).filter(o => o.user_id !== ctxOf(res).userId),
          ...takeForm(req, { staff: '', text: '' }),
        })
      const target = await s.qa.commendTarget(est.id, sessionId !== null ? { sessionId } : { staffId: staffId! })
      if (!target) throw new HttpError(404)
      if (target.entry)
        await auditView(s.audit, res, {
          entity: 'key_work_session',
          entityId: target.entry.id,
          details: { prisonNumber: target.entry.prison_number, for: 'commendation' },
        })
      res.render('qa/views/commend', {
        pageTitle: target.entry ? 'Commend an entry' : `Commend ${target.officer}`,
        target,
        own: target.officerUserId === ctxOf(res).userId,
        ...takeForm(req, { text: '' }),
      })
    }),

    post('/quality/commend', SO, async (req, res) => {
      const est = establishmentOf(res)
      const sessionId = queryId(req, 'session')
      const staffId = queryId(req, 'staff')
      if (sessionId === null && staffId === null) {
        // the officer chosen from the list
        const chosen = bodyId(req, 'staff')
        const form = parseForm(commendSchema, req.body)
        const errors = {
          ...(chosen === null ? { staff: 'Select the officer to commend' } : {}),
          ...(form.ok ? {} : form.errors),
        }
        if (chosen === null || !form.ok) return redirectWithErrors(req, res, errors, '/quality/commend')
        const r = await s.qa.commend(signedInActor(res), est.id, { staffId: chosen }, form.data.text)
        if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/commend')
        flash(req, 'Commendation sent: the officer has been told')
        return res.redirect(303, '/quality/reviews')
      }
      const by = sessionId !== null ? { sessionId } : { staffId: staffId! }
      if (!(await s.qa.commendTarget(est.id, by))) throw new HttpError(404)
      const form = parseForm(commendSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.qa.commend(signedInActor(res), est.id, by, form.data.text)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Commendation sent: the officer has been told')
      res.redirect(303, '/quality/reviews')
    }),
  ]
}
