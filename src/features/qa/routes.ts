import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { QUALITY_SCALE } from '../../domain/rubric'
import { pathwayName } from '../../domain/pathways'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { DUE_LABELS, QA_LIMITS, monthName } from './rules'
import {
  NOT_APPLICABLE,
  amendSchema,
  boundsSchema,
  commendSchema,
  replySchema,
  reviewSchema,
  settingsSchema,
} from './schema'

const SO = ['SUPERVISING_OFFICER'] as const
const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const SETTINGS_EDITORS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const AMENDERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const KW = ['KEY_WORKER'] as const

/** A record id from the query string or a form field: digits only, no leading zero; null otherwise. */
function idOf(v: unknown): number | null {
  if (typeof v !== 'string' || !/^[1-9]\d{0,9}$/.test(v.trim())) return null
  const n = Number(v.trim())
  return Number.isSafeInteger(n) ? n : null
}
const queryId = (req: Request, name: string) => idOf(queryString(req, name))
const bodyId = (req: Request, name: string) => idOf((req.body as Record<string, unknown> | undefined)?.[name])

const signedInActor = (res: Response) => {
  const actor = actorOf(res)
  return { ...actor, userId: ctxOf(res).userId }
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

export function qaRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/settings', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const current = await s.qa.settings(est.id)
      const national = hasRole(res, 'NATIONAL_POLICY')
      res.render('qa/views/settings', {
        pageTitle: 'Quality assurance settings',
        current,
        limits: QA_LIMITS,
        canEdit: hasRole(res, ...SETTINGS_EDITORS),
        national,
        ...takeForm(req, {
          samplePerOfficer: String(current.samplePerOfficer),
          reviewDueDays: String(current.reviewDueDays),
          thinEntryChars: String(current.thinEntryChars),
          supervisionWeeks: String(current.supervisionWeeks),
          sampleMin: String(current.bounds.min),
          sampleDefault: String(current.bounds.default),
          sampleMax: String(current.bounds.max),
        }),
      })
    }),

    post('/quality/settings', SETTINGS_EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(settingsSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.qa.saveSettings(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Quality assurance settings saved')
      res.redirect(303, '/quality/settings')
    }),

    post('/quality/settings/national', ['NATIONAL_POLICY'], async (req, res) => {
      const form = parseForm(boundsSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/quality/settings')
      const r = await s.qa.saveBounds(actorOf(res), {
        min: form.data.sampleMin,
        default: form.data.sampleDefault,
        max: form.data.sampleMax,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/quality/settings')
      flash(req, 'National bounds of the sample saved')
      res.redirect(303, '/quality/settings')
    }),

    get('/quality/queue', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      // each complete month is drawn the first time the queue is opened after it (idempotent)
      await s.qa.ensureDrawn(actorOf(res), est.id)
      const queue = await s.qa.queue(est.id, hasRole(res, 'SUPERVISING_OFFICER') ? ctx.userId : null)
      await auditView(s.audit, res, {
        entity: 'qa_queue',
        details: { samples: queue.rows.map(r => r.id), shown: prisonNumbersIn(queue.rows) },
      })
      res.render('qa/views/queue', {
        pageTitle: 'Quality assurance queue',
        ...queue,
        dueLabels: DUE_LABELS,
        canReview: hasRole(res, 'SUPERVISING_OFFICER'),
        currentMonth: monthName(s.qa.currentMonth()),
        ...takeForm(req, {}),
      })
    }),

    post('/quality/queue/draw', SO, async (req, res) => {
      const est = establishmentOf(res)
      const { added, month } = await s.qa.draw(actorOf(res), est.id, s.qa.currentMonth())
      flash(
        req,
        added.length
          ? `${added.length} ${added.length === 1 ? 'entry' : 'entries'} of ${monthName(month)} added to the queue`
          : `No entries of ${monthName(month)} to add: the month so far is already sampled`,
      )
      res.redirect(303, '/quality/queue')
    }),

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
      const est = establishmentOf(res)
      const sampleId = queryId(req, 'sample')
      const sessionId = queryId(req, 'session')
      // without an entry: the Supervising Officer chooses one by its number
      if (sampleId === null && sessionId === null)
        return res.render('qa/views/choose', {
          pageTitle: 'Review an entry you choose',
          ...takeForm(req, { session: '' }),
        })
      const target = await s.qa.reviewTarget(
        est.id,
        ctxOf(res).userId,
        sampleId !== null ? { sampleId } : { sessionId: sessionId! },
      )
      if (target.kind === 'not-found') throw new HttpError(404)
      if (target.kind === 'refused') {
        flash(req, target.message)
        return res.redirect(303, '/quality/queue')
      }
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
      const est = establishmentOf(res)
      const sampleId = queryId(req, 'sample')
      const sessionId = queryId(req, 'session')
      if (sampleId === null && sessionId === null) {
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
      const target = await s.qa.reviewTarget(
        est.id,
        ctxOf(res).userId,
        sampleId !== null ? { sampleId } : { sessionId: sessionId! },
      )
      if (target.kind === 'not-found') throw new HttpError(404)
      if (target.kind === 'refused') {
        flash(req, target.message)
        return res.redirect(303, '/quality/queue')
      }
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
