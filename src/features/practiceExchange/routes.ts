import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { todayIso } from '../../domain/dates'
import { PATHWAYS, isPathwayCode, pathwayName } from '../../domain/pathways'
import {
  type FigureSnapshot,
  MEASURES,
  describeChange,
  describePeriod,
  formatMeasure,
  isMeasureCode,
  measureOf,
} from '../../domain/practiceExchange'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { answerSchema, parseSubmission, questionSchema, reviewSchema } from './schema'
import { SUBMISSION_STATUS_NAMES, codesOf } from './service'
import type { SubmissionRow } from './repository'

/** Everyone reads what is published; Supervising Officers submit; the national team reviews and answers. */
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const SUBMITTERS = ['SUPERVISING_OFFICER'] as const
const SUBMISSION_USERS = ['SUPERVISING_OFFICER', 'NATIONAL_POLICY'] as const
const QUESTION_READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const ASKERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const ANSWERERS = ['NATIONAL_POLICY'] as const

/** The national team sees every establishment's submissions; a Supervising Officer their establishment's. */
const scopeOf = (res: Response): number | null => (hasRole(res, 'NATIONAL_POLICY') ? null : establishmentOf(res).id)

/** The month whose figures are not complete yet: periods must end before it. */
const currentMonth = () => todayIso().slice(0, 7)

/** Paragraphs of a text, for pages: blank lines separate them, single line breaks stay within. */
const paragraphs = (text: string | null) =>
  (text ?? '')
    .split(/\n\s*\n/)
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => p.split('\n'))

/** '3/2026' for '2026-03': how the form shows a month. */
const monthField = (month: string) => `${Number(month.slice(5, 7))}/${month.slice(0, 4)}`

/** The figures as a page shows them: each measure's name, values with their basis, and the change. */
function figureRows(snapshot: FigureSnapshot[]) {
  return snapshot.map(f => {
    const m = measureOf(f.measure)
    const basis = (n: number | null) => (m?.basis && n !== null ? `${n.toLocaleString('en-GB')} ${m.basis}` : '')
    return {
      name: m?.name ?? f.measure,
      description: m?.description ?? '',
      before: formatMeasure(f.measure, f.before.value),
      beforeBasis: basis(f.before.n),
      after: formatMeasure(f.measure, f.after.value),
      afterBasis: basis(f.after.n),
      change: describeChange(f),
    }
  })
}

/** A submission as its pages show it. */
function present(row: SubmissionRow & { snapshot: FigureSnapshot[] }) {
  return {
    ...row,
    statusName: SUBMISSION_STATUS_NAMES[row.status] ?? row.status,
    beforePeriod: describePeriod(row.before_from, row.before_to),
    afterPeriod: describePeriod(row.after_from, row.after_to),
    figureRows: figureRows(row.snapshot),
    pathwayNames: codesOf(row.pathways).map(pathwayName),
    did: paragraphs(row.what_they_did),
    changed: paragraphs(row.what_changed),
    evidenceParagraphs: paragraphs(row.evidence),
  }
}

/** The submission form's values from a stored submission (to change it). */
const formValuesOf = (row: SubmissionRow) => ({
  title: row.title,
  whatTheyDid: row.what_they_did,
  whatChanged: row.what_changed,
  evidence: row.evidence ?? '',
  pathways: codesOf(row.pathways),
  measures: codesOf(row.measures),
  beforeFrom: monthField(row.before_from),
  beforeTo: monthField(row.before_to),
  afterFrom: monthField(row.after_from),
  afterTo: monthField(row.after_to),
})

const EMPTY_SUBMISSION = {
  title: '',
  whatTheyDid: '',
  whatChanged: '',
  evidence: '',
  pathways: [] as string[],
  measures: [] as string[],
  beforeFrom: '',
  beforeTo: '',
  afterFrom: '',
  afterTo: '',
}

/** What the submission form needs besides its values: the choices. */
const formChoices = () => ({
  measures: MEASURES.map(m => ({ code: m.code, name: m.name, description: m.description })),
  pathways: PATHWAYS.map(p => ({ code: p.code, name: p.name })),
})

/** Checkbox values kept after an error arrive as a string or a list. */
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [])

function formOf<T extends Record<string, unknown>>(req: Request, defaults: T) {
  const form = takeForm(req, defaults)
  return {
    ...form,
    values: { ...form.values, pathways: asList(form.values.pathways), measures: asList(form.values.measures) },
  }
}

export function practiceExchangeRoutes(s: Services): RouteDef[] {
  return [
    get('/good-practice/shared', READERS, async (req, res) => {
      const query = queryString(req, 'q', 200)
      const pathwayParam = queryString(req, 'pathway')
      const measureParam = queryString(req, 'measure')
      const pathway = isPathwayCode(pathwayParam) ? pathwayParam : null
      const measure = isMeasureCode(measureParam) ? measureParam : null
      const rows = await s.practiceExchange.shared({ query, pathway, measure })
      res.render('practiceExchange/views/shared', {
        pageTitle: 'Good practice shared by establishments',
        items: rows.map(present),
        query,
        pathway,
        measure,
        filtered: !!(query || pathway || measure),
        ...formChoices(),
        canSubmit: hasRole(res, ...SUBMITTERS),
        canReview: hasRole(res, 'NATIONAL_POLICY'),
        canAsk: hasRole(res, ...QUESTION_READERS),
      })
    }),

    get('/good-practice/submissions', SUBMISSION_USERS, async (_req, res) => {
      const scope = scopeOf(res)
      const rows = await s.practiceExchange.submissions(scope)
      res.render('practiceExchange/views/submissions', {
        pageTitle: scope === null ? 'Good practice submitted for review' : 'Good practice from your establishment',
        national: scope === null,
        rows: rows.map(r => ({ ...r, statusName: SUBMISSION_STATUS_NAMES[r.status] ?? r.status })),
        waiting: rows.filter(r => r.status === 'submitted').length,
        canSubmit: hasRole(res, ...SUBMITTERS),
      })
    }),

    get('/good-practice/submissions/new', SUBMITTERS, (req, res) => {
      res.render('practiceExchange/views/new', {
        pageTitle: 'Submit good practice',
        ...formChoices(),
        ...formOf(req, EMPTY_SUBMISSION),
      })
    }),

    post('/good-practice/submissions/new', SUBMITTERS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseSubmission(req.body, currentMonth())
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.practiceExchange.submit(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Good practice submitted: the national team will review it before sharing it')
      res.redirect(303, `/good-practice/submissions/${r.value}`)
    }),

    get('/good-practice/submissions/:submissionId', SUBMISSION_USERS, async (req, res) => {
      const scope = scopeOf(res)
      const row = await s.practiceExchange.submission(scope, intParam(req, 'submissionId'))
      if (!row) throw new HttpError(404)
      const national = scope === null
      // the Supervising Officer may change it until it is published; the national team decides a waiting one
      const canEdit = !national && (row.status === 'submitted' || row.status === 'returned')
      const canDecide = national && row.status === 'submitted'
      const form = formOf(req, { ...formValuesOf(row), decision: '', note: '' })
      res.render('practiceExchange/views/submission', {
        pageTitle: row.title,
        item: present(row),
        national,
        canEdit,
        canDecide,
        ...formChoices(),
        ...form,
      })
    }),

    post('/good-practice/submissions/:submissionId', SUBMISSION_USERS, async (req, res) => {
      const scope = scopeOf(res)
      const id = intParam(req, 'submissionId')
      const row = await s.practiceExchange.submission(scope, id)
      if (!row) throw new HttpError(404)
      if (scope === null) {
        const form = parseForm(reviewSchema, req.body)
        if (!form.ok) return redirectWithErrors(req, res, form.errors)
        const r = await s.practiceExchange.review(actorOf(res), id, form.data)
        if (!r.ok) return redirectWithErrors(req, res, r.errors)
        flash(req, form.data.decision === 'publish' ? 'Published to every establishment' : 'Returned with your note')
        return res.redirect(303, '/good-practice/submissions')
      }
      const form = parseSubmission(req.body, currentMonth())
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.practiceExchange.resubmit(actorOf(res), scope, id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Sent to the national team again, with the figures taken again')
      res.redirect(303, `/good-practice/submissions/${id}`)
    }),

    get('/questions', QUESTION_READERS, async (req, res) => {
      const query = queryString(req, 'q', 200)
      const national = hasRole(res, 'NATIONAL_POLICY')
      const { answered, waiting } = await s.practiceExchange.questions({
        query,
        userId: ctxOf(res).userId,
        all: national,
      })
      const shape = <T extends { detail: string; answer: string | null }>(q: T) => ({
        ...q,
        detailParagraphs: paragraphs(q.detail),
        answerParagraphs: paragraphs(q.answer),
      })
      res.render('practiceExchange/views/questions', {
        pageTitle: 'Questions to the national policy team',
        query,
        national,
        answered: answered.map(shape),
        waiting: waiting.map(shape),
        canAsk: hasRole(res, ...ASKERS),
        ...takeForm(req, { title: '', detail: '' }),
      })
    }),

    post('/questions', ASKERS, async (req, res) => {
      const est = establishmentOf(res)
      const form = parseForm(questionSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, '/questions#ask')
      const r = await s.practiceExchange.ask(actorOf(res), est.id, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, '/questions#ask')
      flash(req, 'Question sent to the national policy team: you will be told here when it is answered')
      res.redirect(303, `/questions#question-${r.value}`)
    }),

    get('/questions/:questionId', ANSWERERS, async (req, res) => {
      const question = await s.practiceExchange.question(intParam(req, 'questionId'))
      if (!question) throw new HttpError(404)
      res.render('practiceExchange/views/question', {
        pageTitle: question.answer ? 'Change the answer' : 'Answer a question',
        question,
        detailParagraphs: paragraphs(question.detail),
        ...takeForm(req, { answer: question.answer ?? '' }),
      })
    }),

    post('/questions/:questionId', ANSWERERS, async (req, res) => {
      const id = intParam(req, 'questionId')
      const question = await s.practiceExchange.question(id)
      if (!question) throw new HttpError(404)
      const form = parseForm(answerSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.practiceExchange.answer(actorOf(res), id, form.data.answer)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, question.answer ? 'Answer changed: the asker has been told' : 'Answered: the asker has been told')
      res.redirect(303, `/questions#question-${id}`)
    }),
  ]
}
