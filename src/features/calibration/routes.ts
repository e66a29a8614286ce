import crypto from 'node:crypto'
import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { formatDate, todayIso } from '../../domain/dates'
import { ALPHA_WORDS, alphaBand, lastMonths, monthLabel } from '../../domain/quality'
import { QUALITY_SCALE, SCORES } from '../../domain/rubric'
import { PATHWAYS } from '../../domain/pathways'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { calibrationSchema, criterionScores, markSchema } from './schema'
import type { Viewer } from './service'

const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
/** who sets up and closes exercises */
const OWNERS = ['SUPERVISING_OFFICER', 'NATIONAL_POLICY'] as const
/** who marks: Supervising Officers (of the exercise's markers) */
const MARKERS = ['SUPERVISING_OFFICER'] as const

const alphaShown = (a: number | null) => (a === null ? 'Not measurable' : a.toFixed(2))

export function calibrationRoutes(s: Services): RouteDef[] {
  function viewerOf(res: Response): Viewer {
    const ctx = ctxOf(res)
    return {
      userId: ctx.userId,
      username: ctx.username,
      establishmentId: establishmentOf(res).id,
      national: hasRole(res, 'NATIONAL_POLICY'),
      supervising: hasRole(res, 'SUPERVISING_OFFICER'),
    }
  }

  /**
   * The exercise's entry the Supervising Officer marks, from the route's ids; null having redirected (an exercise
   * they may see but do not mark: back to it, saying so); anything else is not found.
   */
  async function entryToMark(req: Request, res: Response) {
    const viewer = viewerOf(res)
    const id = intParam(req, 'calibrationId')
    const sessionId = intParam(req, 'sessionId')
    const t = await s.calibration.entryToMark(viewer, id, sessionId)
    if (t) return { viewer, id, sessionId, t }
    if (await s.calibration.exercise(viewer, id)) {
      flash(req, 'Only the markers of this exercise mark its entries')
      res.redirect(303, `/quality/calibration/${id}`)
      return null
    }
    throw new HttpError(404)
  }

  return [
    get('/quality/calibration', READERS, async (_req, res) => {
      const viewer = viewerOf(res)
      const rows = await s.calibration.list(viewer)
      res.render('calibration/views/list', {
        pageTitle: 'Calibration',
        exercises: rows.map(r => ({
          ...r,
          statusText: r.status === 'closed' ? 'Closed' : 'Open',
          createdText: formatDate(r.created_at),
          whose: r.establishment_id === null ? 'National' : (r.establishment_name ?? ''),
        })),
        canCreate: hasRole(res, ...OWNERS),
      })
    }),

    get('/quality/calibration/new', OWNERS, async (req, res) => {
      const viewer = viewerOf(res)
      const candidates = await s.calibration.markerCandidates(viewer)
      const form = takeForm(req, {
        title: '',
        pick: 'random',
        month: '',
        count: '10',
        ids: '',
        markers: [] as string[],
      })
      const chosen = new Set(
        (Array.isArray(form.values.markers) ? form.values.markers : [form.values.markers]).map(String),
      )
      res.render('calibration/views/new', {
        pageTitle: 'New calibration exercise',
        national: viewer.national,
        ...form,
        monthItems: lastMonths(todayIso(), 12)
          .reverse()
          .map(m => ({ value: m, text: monthLabel(m), selected: form.values.month === m })),
        markerItems: candidates.map(c => ({
          value: String(c.id),
          text: c.display_name,
          hint: viewer.national && c.establishment_name ? { text: c.establishment_name } : undefined,
          checked: chosen.has(String(c.id)),
        })),
      })
    }),

    post('/quality/calibration/new', OWNERS, async (req, res) => {
      const viewer = viewerOf(res)
      const form = parseForm(calibrationSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const seed = crypto.randomInt(0, 2 ** 31)
      const r = await s.calibration.create(actorOf(res), viewer, form.data, seed)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Calibration exercise set up: each marker can now mark its entries')
      res.redirect(303, `/quality/calibration/${r.value}`)
    }),

    get('/quality/calibration/:calibrationId', READERS, async (req, res) => {
      const viewer = viewerOf(res)
      const id = intParam(req, 'calibrationId')
      const x = await s.calibration.exercise(viewer, id)
      if (!x) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'qa_calibration',
        entityId: id,
        details: { entries: x.entries.map(e => e.id) },
      })
      const report = x.report
      res.render('calibration/views/show', {
        pageTitle: x.calibration.title,
        c: x.calibration,
        open: x.calibration.status === 'open',
        national: x.calibration.establishment_id === null,
        entries: x.entries.map(e => ({
          ...e,
          dateText: formatDate(e.session_date),
          officer: e.staff_first_name ? `${e.staff_first_name} ${e.staff_last_name}` : e.author,
        })),
        markers: x.markers,
        isMarker: x.isMarker,
        isOwner: x.isOwner,
        myDone: x.entries.filter(e => e.markedByMe).length,
        report: report
          ? {
              ...report,
              overallText: alphaShown(report.overall.alpha),
              overallWords: ALPHA_WORDS[alphaBand(report.overall.alpha)],
              precheckText: alphaShown(report.precheck.alpha),
              precheckWords: ALPHA_WORDS[alphaBand(report.precheck.alpha)],
              criteria: report.criteria.map(c => ({
                ...c,
                alphaText: alphaShown(c.alpha.alpha),
                words: ALPHA_WORDS[alphaBand(c.alpha.alpha)],
              })),
            }
          : null,
        ...takeForm(req, {}),
      })
    }),

    post('/quality/calibration/:calibrationId/close', OWNERS, async (req, res) => {
      const id = intParam(req, 'calibrationId')
      const r = await s.calibration.close(actorOf(res), viewerOf(res), id)
      if (r === null) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/quality/calibration/${id}`)
      flash(req, 'Exercise closed: the agreement report is below')
      res.redirect(303, `/quality/calibration/${id}`)
    }),

    get('/quality/calibration/:calibrationId/entries/:sessionId', MARKERS, async (req, res) => {
      const m = await entryToMark(req, res)
      if (!m) return
      const { id, sessionId, t } = m
      await auditView(s.audit, res, {
        entity: 'qa_calibration',
        entityId: id,
        details: { session: sessionId, prisonNumber: t.entry.prison_number },
      })
      const pathways = new Set(t.entry.pathways.split(',').filter(Boolean))
      const defaults: Record<string, string> = { overall: String(t.mine?.overall ?? ''), good: '', change: '' }
      for (const c of t.criteria) {
        const mine = t.mine?.scores.get(c.id)
        defaults[`score-${c.id}`] = t.mine ? (mine === null || mine === undefined ? 'na' : String(mine)) : ''
      }
      const form = takeForm(req, defaults)
      res.render('calibration/views/mark', {
        pageTitle: `Mark an entry: ${t.calibration.title}`,
        c: t.calibration,
        open: t.calibration.status === 'open',
        entry: {
          ...t.entry,
          dateText: formatDate(t.entry.session_date),
          officer: t.entry.staff_first_name ? `${t.entry.staff_first_name} ${t.entry.staff_last_name}` : t.entry.author,
          outcomeText: t.entry.outcome === 'delivered' ? 'Delivered' : 'Not delivered',
          pathwayNames: PATHWAYS.filter(p => pathways.has(p.code)).map(p => p.name),
        },
        marked: !!t.mine,
        ownEntry: t.ownEntry,
        criteria: t.criteria.map(c => ({
          ...c,
          items: [
            ...SCORES.map(sc => ({
              value: String(sc),
              text: `${sc} – ${QUALITY_SCALE[sc]}`,
              hint: { text: c.descriptors[sc - 1] },
              checked: form.values[`score-${c.id}`] === String(sc),
            })),
            { value: 'na', text: 'Not applicable to this entry', checked: form.values[`score-${c.id}`] === 'na' },
          ],
        })),
        overallItems: SCORES.map(sc => ({
          value: String(sc),
          text: `${sc} – ${QUALITY_SCALE[sc]}`,
          checked: form.values.overall === String(sc),
        })),
        ...form,
      })
    }),

    post('/quality/calibration/:calibrationId/entries/:sessionId', MARKERS, async (req, res) => {
      const m = await entryToMark(req, res)
      if (!m) return
      const { viewer, id, sessionId, t } = m
      const body = req.body as Record<string, unknown>
      const parsed = parseForm(markSchema, body)
      const scores = criterionScores(body, t.criteria)
      const errors = { ...scores.errors, ...(parsed.ok ? {} : parsed.errors) }
      if (!parsed.ok || Object.keys(errors).length) return redirectWithErrors(req, res, errors)
      const r = await s.calibration.mark(actorOf(res), viewer, id, sessionId, { ...parsed.data, scores: scores.scores })
      if (r === null) throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Mark saved: nobody else sees it until the exercise closes')
      res.redirect(303, `/quality/calibration/${id}`)
    }),
  ]
}
