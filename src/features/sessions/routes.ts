import crypto from 'node:crypto'
import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { normalisePrisonNumber } from '../../domain/prisoner'
import { AMENDABLE, type EntryForm, MAX_ROWS, rowCount } from '../../domain/sessionEntry'
import { LOCATIONS, NOT_DELIVERED_REASONS, OUTCOMES } from '../../domain/sessions'
import { PATHWAYS } from '../../domain/pathways'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { flash, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, param, post } from '../../web/routing'
import { entryFormOf, withExtraRow } from './schema'
import { formOf } from './draft'
import { releasedMessage } from './present'
import { takeUnsavedEntry } from './unsaved'

/** Who records sessions (a Supervising Officer records for cover), and who reads them. */
const RECORDERS = ['KEY_WORKER', 'SUPERVISING_OFFICER'] as const
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const AMENDERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const DELETERS = ['ESTABLISHMENT_ADMIN'] as const

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json'

export function sessionRoutes(s: Services): RouteDef[] {
  const prisonerOr404 = async (establishmentId: number, raw: string) => {
    const prisoner = await s.prisoners.get(establishmentId, normalisePrisonNumber(raw))
    if (!prisoner) throw new HttpError(404)
    return prisoner
  }

  /**
   * The entry the request is about. Another establishment's, or another user's draft: 404. An entry already
   * submitted or deleted: its read-only page. Otherwise the user's draft.
   */
  async function draftOrRedirect(req: Request, res: Response) {
    const est = establishmentOf(res)
    const id = intParam(req, 'sessionId')
    const row = await s.sessions.get(est.id, id)
    if (!row) throw new HttpError(404)
    if (row.status !== 'draft') {
      if (wantsJson(req)) return void res.status(409).json({ saved: false, status: row.status })
      return void res.redirect(303, `/sessions/${row.id}`)
    }
    if (row.author_user_id !== ctxOf(res).userId) throw new HttpError(404)
    return row
  }

  return [
    get('/prisoners/:prisonNumber/sessions/new', RECORDERS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const info = await s.sessions.startInfo(est.id, prisoner.prison_number, ctxOf(res).userId)
      if (!info) throw new HttpError(404)
      if (info.draftId && info.prisoner.status === 'in') return res.redirect(303, `/sessions/${info.draftId}/edit`)
      await auditView(s.audit, res, {
        entity: 'prisoner',
        entityId: prisoner.prison_number,
        details: { page: 'new session' },
      })
      res.render('sessions/views/start', {
        pageTitle: `Record a session with ${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        info,
        released: prisoner.status !== 'in' ? releasedMessage(prisoner) : null,
        clientKey: crypto.randomUUID(),
        ...takeForm(req, {}),
      })
    }),

    // POST to the collection: the start page and its form are on different paths (the form has nothing to fill)
    post('/prisoners/:prisonNumber/sessions', RECORDERS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const body = req.body as Record<string, unknown> | undefined
      const key = typeof body?.client_key === 'string' ? body.client_key : undefined
      const r = await s.sessions.start(actorOf(res), est.id, prisoner.prison_number, key)
      if (r === 'not-found') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/prisoners/${prisoner.prison_number}/sessions/new`)
      if (!r.value.created) flash(req, 'You already had a draft for this prisoner: carry on with it')
      res.redirect(303, `/sessions/${r.value.id}/edit`)
    }),

    get('/sessions/drafts', RECORDERS, async (_req, res) => {
      const est = establishmentOf(res)
      const userId = ctxOf(res).userId
      const [drafts, recent] = await Promise.all([
        s.sessions.draftsOf(est.id, userId),
        s.sessions.recent(est.id, userId, 20),
      ])
      await auditView(s.audit, res, {
        entity: 'session_list',
        details: { page: 'your entries', sessions: [...drafts, ...recent].map(r => r.id) },
      })
      res.render('sessions/views/drafts', { pageTitle: 'Your session entries', drafts, recent, outcomes: OUTCOMES })
    }),

    get('/sessions/:sessionId/edit', RECORDERS, async (req, res) => {
      const row = await draftOrRedirect(req, res)
      if (!row) return
      const est = establishmentOf(res)
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: row.id,
        details: { page: 'draft', prisonNumber: row.prison_number },
      })
      // a form posted after the sign-in expired comes back as it was typed, not saved until sent again
      const unsaved = takeUnsavedEntry(req, row)
      const stored = unsaved ?? formOf(row)
      const kept = takeForm(req, stored)
      const values = kept.values as Record<string, unknown>
      const options = await s.sessions.formOptions(est.id, row, values as Record<string, string>)
      const list = (k: string) => {
        const v = values[k]
        return Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []
      }
      // "Check my entry" without JavaScript: the draft was saved, and the page shows the hints for what it holds
      const check = req.query.check === undefined ? null : await s.sessions.checkEntryForm(row, values as EntryForm)
      res.render('sessions/views/edit', {
        pageTitle: `Key work session with ${row.first_name} ${row.last_name}`,
        row,
        ...kept,
        check,
        clientKey: row.client_key,
        unsaved: unsaved !== null,
        checkedPathways: list('pathways'),
        checkedWorksheets: list('worksheets').map(Number),
        goalRows: Array.from({ length: rowCount(values as Record<string, string>, 'goalRows') }, (_, i) => i),
        referralRows: Array.from({ length: rowCount(values as Record<string, string>, 'referralRows') }, (_, i) => i),
        maxRows: MAX_ROWS,
        options,
        outcomes: OUTCOMES,
        reasons: NOT_DELIVERED_REASONS,
        locations: LOCATIONS,
        pathways: PATHWAYS,
        stakeholders: options.stakeholders,
      })
    }),

    // Every "save and continue" (without JavaScript) and every field change (with it) saves the draft here.
    // the save reads the entry and checks whose it is; this answers what it did
    post('/sessions/:sessionId/draft', RECORDERS, async (req, res) => {
      const id = intParam(req, 'sessionId')
      const body = (req.body ?? {}) as Record<string, unknown>
      let form = entryFormOf(body)
      const action = typeof body.action === 'string' ? body.action : 'save'
      if (action === 'add-goal') form = withExtraRow(form, 'goalRows')
      if (action === 'add-referral') form = withExtraRow(form, 'referralRows')
      const r = await s.sessions.saveDraft(actorOf(res), establishmentOf(res).id, id, form)
      if (r.kind === 'not-found') throw new HttpError(404)
      if (r.kind === 'not-draft') {
        if (wantsJson(req)) return void res.status(409).json({ saved: false, status: r.status })
        return res.redirect(303, `/sessions/${id}`)
      }
      if (wantsJson(req)) return void res.json({ saved: true, at: new Date().toISOString() })
      if (action === 'check') return res.redirect(303, `/sessions/${id}/edit?check=1#check-results`)
      const anchor =
        action === 'add-goal'
          ? `#goal${rowCount(form, 'goalRows') - 1}Description`
          : action === 'add-referral'
            ? `#referral${rowCount(form, 'referralRows') - 1}To`
            : ''
      flash(req, 'Draft saved')
      res.redirect(303, `/sessions/${id}/edit${anchor}`)
    }),

    // "Check my entry" as the officer types (JavaScript): the hints for the form as posted, as JSON; saves nothing.
    // Without JavaScript the button saves the draft and shows the hints on the form instead (the draft route).
    post('/sessions/:sessionId/check', RECORDERS, async (req, res) => {
      const row = await draftOrRedirect(req, res)
      if (!row) return
      if (!wantsJson(req)) return res.redirect(303, `/sessions/${row.id}/edit?check=1#check-results`)
      const check = await s.sessions.checkEntryForm(row, entryFormOf(req.body))
      const html = await new Promise<string>((resolve, reject) =>
        res.render('sessions/views/_checkResults', { check }, (err, out) => (err ? reject(err) : resolve(out))),
      )
      res.json({ hints: check.hints, estimates: check.estimates, html })
    }),

    // the submit use case reads the entry and checks whose it is; this answers what it did
    post('/sessions/:sessionId/submit', RECORDERS, async (req, res) => {
      const id = intParam(req, 'sessionId')
      const r = await s.sessions.submitEntry(actorOf(res), establishmentOf(res).id, id, entryFormOf(req.body))
      switch (r.kind) {
        case 'not-found':
          throw new HttpError(404)
        case 'not-draft':
          if (wantsJson(req)) return void res.status(409).json({ saved: false, status: r.status })
          return res.redirect(303, `/sessions/${id}`)
        case 'locked':
          return res.redirect(303, `/sessions/${id}`)
        case 'invalid':
          return redirectWithErrors(req, res, r.errors, `/sessions/${id}/edit`)
        case 'submitted':
          flash(req, `Session with ${r.prisoner.first_name} ${r.prisoner.last_name} recorded`)
          return res.redirect(303, `/sessions/${id}`)
      }
    }),

    get('/sessions/:sessionId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const id = intParam(req, 'sessionId')
      const row = await s.sessions.get(est.id, id)
      if (!row) throw new HttpError(404)
      const ctx = ctxOf(res)
      if (row.status === 'draft') {
        if (row.author_user_id === ctx.userId && hasRole(res, ...RECORDERS))
          return res.redirect(303, `/sessions/${row.id}/edit`)
        throw new HttpError(404)
      }
      const entry = await s.sessions.entry(est.id, id)
      if (!entry) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: id,
        details: { prisonNumber: row.prison_number },
      })
      res.render('sessions/views/show', {
        pageTitle: `Key work session with ${row.first_name} ${row.last_name}`,
        ...entry,
        outcomes: OUTCOMES,
        reasons: NOT_DELIVERED_REASONS,
        locations: LOCATIONS,
        amendable: AMENDABLE,
        canAmend: hasRole(res, ...AMENDERS) && s.sessions.mayAmend(row, ctx.userId, ctx.roles),
        canDelete: hasRole(res, ...DELETERS) && row.status === 'submitted',
      })
    }),

    get('/sessions/:sessionId/amend', AMENDERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const entry = await s.sessions.entry(est.id, intParam(req, 'sessionId'))
      if (!entry || !s.sessions.mayAmend(entry.row, ctx.userId, ctx.roles)) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: entry.row.id,
        details: { page: 'amend form', prisonNumber: entry.row.prison_number },
      })
      res.render('sessions/views/amend', {
        pageTitle: 'Amend a session entry',
        row: entry.row,
        amendable: AMENDABLE,
        locations: LOCATIONS,
        ...takeForm(req, { ...entry.current, reason: '' }),
      })
    }),

    post('/sessions/:sessionId/amend', AMENDERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const id = intParam(req, 'sessionId')
      const row = await s.sessions.get(est.id, id)
      if (!row || !s.sessions.mayAmend(row, ctx.userId, ctx.roles)) throw new HttpError(404)
      const body = (req.body ?? {}) as Record<string, unknown>
      const form = Object.fromEntries(
        [...Object.keys(AMENDABLE), 'reason'].map(k => [k, typeof body[k] === 'string' ? body[k] : '']),
      ) as Record<string, string>
      const r = await s.sessions.amend(actorOf(res), est.id, id, form)
      if (r === 'not-found') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Amendment added to the entry')
      res.redirect(303, `/sessions/${id}`)
    }),

    get('/sessions/:sessionId/delete', DELETERS, async (req, res) => {
      const est = establishmentOf(res)
      const row = await s.sessions.get(est.id, intParam(req, 'sessionId'))
      if (!row || row.status === 'draft') throw new HttpError(404)
      if (row.status === 'deleted') return res.redirect(303, `/sessions/${row.id}`)
      await auditView(s.audit, res, {
        entity: 'key_work_session',
        entityId: row.id,
        details: { page: 'delete form', prisonNumber: row.prison_number },
      })
      res.render('sessions/views/delete', {
        pageTitle: 'Delete a session entry',
        row,
        ...takeForm(req, { reason: '' }),
      })
    }),

    post('/sessions/:sessionId/delete', DELETERS, async (req, res) => {
      const est = establishmentOf(res)
      const id = intParam(req, 'sessionId')
      const row = await s.sessions.get(est.id, id)
      if (!row || row.status === 'draft') throw new HttpError(404)
      if (row.status === 'deleted') return res.redirect(303, `/sessions/${row.id}`)
      const body = (req.body ?? {}) as Record<string, unknown>
      const r = await s.sessions.remove(actorOf(res), est.id, id, typeof body.reason === 'string' ? body.reason : '')
      if (r === 'not-found') throw new HttpError(404)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Session entry deleted')
      res.redirect(303, `/sessions/${id}`)
    }),
  ]
}
