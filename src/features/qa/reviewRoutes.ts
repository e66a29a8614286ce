import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { QUALITY_SCALE } from '../../domain/rubric'
import { pathwayName } from '../../domain/pathways'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { NOT_APPLICABLE, amendSchema, reviewSchema } from './schema'
import { AMENDERS, READERS, SO, bodyId, queryId, signedInActor } from './requests'

/** The entry a review form is for, from the query: by its sample, else by its number; null: neither is given. */
function entryQuery(req: Request): { sampleId: number } | { sessionId: number } | null {
  const sampleId = queryId(req, 'sample')
  if (sampleId !== null) return { sampleId }
  const sessionId = queryId(req, 'session')
  return sessionId === null ? null : { sessionId }
}

/**
 * What the review form needs for the entry: another establishment's or no such entry is a 404; an entry the reviewer
 * may not review (their own, or reviewed already) is flashed and sent back to the queue, and gives null.
 */
async function reviewTargetOf(
  s: Services,
  req: Request,
  res: Response,
  by: { sampleId: number } | { sessionId: number },
) {
  const target = await s.qa.reviewTarget(establishmentOf(res).id, ctxOf(res).userId, by)
  if (target.kind === 'not-found') throw new HttpError(404)
  if (target.kind === 'refused') {
    flash(req, target.message)
    res.redirect(303, '/quality/queue')
    return null
  }
  return target
}

/** The fields of a review form filled from a saved review (to amend it). */
function reviewValues(review: {
  overall_score: number
  feedback_good: string
  feedback_change: string
  scores: { criterion_id: number; score: number | null; comment: string | null }[]
}) {
  const values: Record<string, string> = {
    overall: String(review.overall_score),
    good: review.feedback_good,
    change: review.feedback_change,
    reason: '',
  }
  for (const s of review.scores) {
    values[`score-${s.criterion_id}`] = s.score === null ? NOT_APPLICABLE : String(s.score)
    values[`comment-${s.criterion_id}`] = s.comment ?? ''
  }
  return values
}

/** What the entry under review says, for the reviewer (the full entry is linked). */
function entrySummary(e: {
  session_date: string | null
  duration_minutes: number | null
  outcome: string | null
  pathways: string
  concern: number
  concern_escalated_to: string | null
  interpreter_needed: number | null
  interpreter_used: number | null
  prisoner_words: string | null
  agreed: string | null
}) {
  const pathways = e.pathways ? e.pathways.split(',').filter(Boolean).map(pathwayName) : []
  return [
    { key: { text: 'Date' }, value: { text: e.session_date ?? '' }, date: true },
    {
      key: { text: 'Outcome' },
      value: {
        text:
          e.outcome === 'delivered'
            ? `Delivered${e.duration_minutes ? `, ${e.duration_minutes} minutes` : ''}`
            : e.outcome === 'not_delivered'
              ? 'Not delivered'
              : 'Not recorded',
      },
    },
    { key: { text: 'Pathways' }, value: { text: pathways.length ? pathways.join(', ') : 'None' } },
    {
      key: { text: 'Interpreter' },
      value: {
        text: e.interpreter_needed ? (e.interpreter_used ? 'Needed and used' : 'Needed, not used') : 'Not needed',
      },
    },
    {
      key: { text: 'Wellbeing or self-harm concern' },
      value: {
        text: e.concern
          ? `Yes${e.concern_escalated_to ? `, escalated to ${e.concern_escalated_to}` : ', not escalated'}`
          : 'No',
      },
    },
    { key: { text: 'In the prisoner’s words' }, value: { text: e.prisoner_words || 'Nothing written' } },
    { key: { text: 'What was agreed' }, value: { text: e.agreed || 'Nothing written' } },
  ]
}

/** Reviews: the list, reviewing an entry (sampled or chosen), a review and amending it. */
export function qaReviewRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/reviews', READERS, async (_req, res) => {
      const est = establishmentOf(res)
      const [reviews, commendations] = await Promise.all([s.qa.reviews(est.id), s.qa.commendations(est.id)])
      await auditView(s.audit, res, {
        entity: 'qa_review_list',
        details: { reviews: reviews.map(r => r.id), shown: prisonNumbersIn(reviews) },
      })
      res.render('qa/views/reviews', {
        pageTitle: 'Reviews and commendations',
        reviews,
        commendations,
        scale: QUALITY_SCALE,
        canCommend: hasRole(res, 'SUPERVISING_OFFICER'),
      })
    }),

    get('/quality/reviews/new', SO, async (req, res) => {
      const by = entryQuery(req)
      // without an entry: the Supervising Officer chooses one by its number
      if (!by)
        return res.render('qa/views/choose', {
          pageTitle: 'Review an entry you choose',
          ...takeForm(req, { session: '' }),
        })
      const target = await reviewTargetOf(s, req, res, by)
      if (!target) return
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: target.entry.id,
        details: { prisonNumber: target.entry.prison_number, for: 'qa_review' },
      })
      res.render('qa/views/review-form', {
        pageTitle: 'Review an entry',
        mode: 'new',
        entry: target.entry,
        summary: entrySummary(target.entry),
        sample: target.sample,
        criteria: target.rubric.criteria,
        rubricVersion: target.rubric.version,
        scale: QUALITY_SCALE,
        ...takeForm(req, {} as Record<string, string>),
      })
    }),

    post('/quality/reviews/new', SO, async (req, res) => {
      const by = entryQuery(req)
      if (!by) {
        const chosen = bodyId(req, 'session')
        if (chosen === null)
          return redirectWithErrors(
            req,
            res,
            { session: 'Enter the number of an entry, like 1234' },
            '/quality/reviews/new',
          )
        return res.redirect(303, `/quality/reviews/new?session=${chosen}`)
      }
      const target = await reviewTargetOf(s, req, res, by)
      if (!target) return
      const form = parseForm(reviewSchema(target.rubric.criteria), req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.qa.recordReview(actorOf(res), {
        sessionId: target.entry.id,
        kind: target.sample ? 'sample' : 'chosen',
        sampleId: target.sample?.id ?? null,
        ...form.data,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Review saved: the officer has been told')
      res.redirect(303, `/quality/review?id=${r.value.reviewId}`)
    }),

    get('/quality/review', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const id = queryId(req, 'id')
      if (id === null) return res.redirect(303, '/quality/reviews')
      const review = await s.qa.review(est.id, id)
      if (!review) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'qa_review',
        entityId: id,
        details: { prisonNumber: review.prison_number },
      })
      const ctx = ctxOf(res)
      // the reviewer reading the review has read the notice of the officer's reply
      await s.notices.readPageAlone(signedInActor(res), `/quality/review?id=${id}`)
      res.render('qa/views/review', {
        pageTitle: `Review of an entry by ${review.officer}`,
        review,
        scale: QUALITY_SCALE,
        canAmend: s.qa.mayAmend(review, ctx.userId, ctx.roles),
        canCommend: hasRole(res, 'SUPERVISING_OFFICER') && review.officer_user_id !== ctx.userId,
        // the amend form, filled with what the review says now
        criteria: review.scores.map(sc => ({
          id: sc.criterion_id,
          code: sc.code,
          title: sc.title,
          guidance: sc.guidance,
          descriptors: sc.descriptors,
          national: sc.national,
        })),
        ...takeForm(req, reviewValues(review)),
      })
    }),

    post('/quality/review/amend', AMENDERS, async (req, res) => {
      const est = establishmentOf(res)
      const id = queryId(req, 'id')
      if (id === null) return res.redirect(303, '/quality/reviews')
      const review = await s.qa.review(est.id, id)
      if (!review) throw new HttpError(404)
      const ctx = ctxOf(res)
      if (!s.qa.mayAmend(review, ctx.userId, ctx.roles)) throw new HttpError(403)
      const form = parseForm(amendSchema(review.scores.map(sc => ({ id: sc.criterion_id, title: sc.title }))), req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, `/quality/review?id=${id}`)
      const r = await s.qa.amend(signedInActor(res), ctx.roles, est.id, id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/quality/review?id=${id}`)
      flash(req, 'Review amended: the change and its reason are kept in its history')
      res.redirect(303, `/quality/review?id=${id}`)
    }),
  ]
}
