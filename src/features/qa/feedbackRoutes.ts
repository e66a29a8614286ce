import type { Services } from '../../services'
import { QUALITY_SCALE } from '../../domain/rubric'
import { establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { replySchema } from './schema'
import { KW, bodyId, queryId, signedInActor } from './requests'

/** A Key Worker's feedback: their reviews and commendations, reading, acknowledging and replying to a review. */
export function qaFeedbackRoutes(s: Services): RouteDef[] {
  return [
    get('/my-feedback', KW, async (req, res) => {
      const est = establishmentOf(res)
      const { reviews, commendations } = await s.qa.feedbackFor(signedInActor(res), est.id)
      await auditView(s.audit, res, {
        entity: 'qa_feedback',
        details: { reviews: reviews.map(r => r.id), shown: prisonNumbersIn(reviews, commendations) },
      })
      res.render('qa/views/my-feedback', {
        pageTitle: 'My feedback',
        reviews,
        commendations,
        scale: QUALITY_SCALE,
      })
    }),

    get('/my-feedback/review', KW, async (req, res) => {
      const est = establishmentOf(res)
      const id = queryId(req, 'id')
      if (id === null) return res.redirect(303, '/my-feedback')
      const review = await s.qa.readReview(signedInActor(res), est.id, id)
      if (!review) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'qa_review',
        entityId: id,
        details: { prisonNumber: review.prison_number },
      })
      res.render('qa/views/my-review', {
        pageTitle: 'Feedback on your entry',
        review,
        scale: QUALITY_SCALE,
        ...takeForm(req, { reply: '' }),
      })
    }),

    post('/my-feedback/acknowledge', KW, async (req, res) => {
      const est = establishmentOf(res)
      const id = bodyId(req, 'review')
      if (id === null) return res.redirect(303, '/my-feedback')
      const r = await s.qa.acknowledge(signedInActor(res), est.id, id)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/my-feedback/review?id=${id}`)
      flash(req, 'Review acknowledged')
      res.redirect(303, `/my-feedback/review?id=${id}`)
    }),

    post('/my-feedback/reply', KW, async (req, res) => {
      const est = establishmentOf(res)
      const id = bodyId(req, 'review')
      if (id === null) return res.redirect(303, '/my-feedback')
      const form = parseForm(replySchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, `/my-feedback/review?id=${id}`)
      const r = await s.qa.reply(signedInActor(res), est.id, id, form.data.reply)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/my-feedback/review?id=${id}`)
      flash(req, 'Reply sent: the reviewer has been told')
      res.redirect(303, `/my-feedback/review?id=${id}`)
    }),
  ]
}
