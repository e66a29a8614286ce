import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { errorList, flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { addDays, todayIso } from '../../domain/dates'
import {
  NATIONAL_QUESTIONS,
  SCALE,
  SURVEY_ROLE_NAMES,
  type SurveyRole,
  closedDay,
  roundStatus,
  surveyRoleOf,
} from '../../domain/survey'
import { rewordSchema, roundSchema, settingsSchema } from './schema'

/** Staff with a role in an establishment answer; the national team runs rounds; SOs and admins read their own. */
const STAFF = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const NATIONAL = ['NATIONAL_POLICY'] as const
const READERS = ['NATIONAL_POLICY', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const COOKIE = 'kw_survey'
const STATUS_NAMES = { scheduled: 'Not open yet', open: 'Open', closed: 'Closed' } as const

/** The one-time token the browser keeps: `<user id>.<round id>.<token>` (the server keeps only the token's hash). */
function cookieToken(req: Request, userId: number, roundId: number): string | null {
  const raw = (req.headers.cookie ?? '')
    .split(';')
    .map(c => c.trim())
    .find(c => c.startsWith(`${COOKIE}=`))
  if (!raw) return null
  const [u, r, token] = decodeURIComponent(raw.slice(COOKIE.length + 1)).split('.')
  return u === String(userId) && r === String(roundId) && token ? token : null
}

const dateValues = (name: string, iso: string) => {
  const d = splitDate(iso)
  return { [`${name}-day`]: d.day, [`${name}-month`]: d.month, [`${name}-year`]: d.year }
}

const oneDecimal = (v: number) => (Math.round(v * 10) / 10).toFixed(1)

export function surveyRoutes(s: Services): RouteDef[] {
  /** The role a person answers under in the establishment they act in: their own grants there, not national ones. */
  const staffRole = (res: Response): SurveyRole | null => {
    const ctx = ctxOf(res)
    const est = establishmentOf(res)
    return surveyRoleOf(ctx.grants.filter(g => g.establishmentId === est.id).map(g => g.role))
  }

  /** The questionnaire, shown again with what was typed when it has problems (never kept in the session). */
  const renderForm = async (
    res: Response,
    round: { id: number; title: string; closes_on: string },
    token: string,
    errors: Record<string, string> = {},
    values: Record<string, unknown> = {},
  ) => {
    const questions = await s.survey.questions(round.id)
    res.status(Object.keys(errors).length ? 400 : 200).render('survey/views/answer', {
      pageTitle: Object.keys(errors).length ? `Error: ${round.title}` : round.title,
      round,
      token,
      errors,
      errorList: errorList(errors),
      questions: questions.map((q, i) => ({
        ...q,
        number: i + 1,
        name: `q${q.id}`,
        value: typeof values[`q${q.id}`] === 'string' ? values[`q${q.id}`] : '',
      })),
      scale: SCALE,
    })
  }

  return [
    get('/survey', STAFF, async (req, res) => {
      const ctx = ctxOf(res)
      const round = await s.survey.openRound()
      const kept = takeForm(req, { understood: '' })
      if (!round) return res.render('survey/views/none', { pageTitle: 'Staff survey', ...kept })
      const token = cookieToken(req, ctx.userId, round.id)
      const state = token ? await s.survey.tokenState(token, round.id) : 'unknown'
      if (state === 'ready' && token) return renderForm(res, round, token)
      const taken = await s.survey.hasTakenToken(round.id, ctx.userId)
      res.render('survey/views/start', {
        pageTitle: round.title,
        round,
        state: state === 'used' ? 'done' : taken ? 'lost' : 'start',
        role: staffRole(res),
        roleNames: SURVEY_ROLE_NAMES,
        threshold: (await s.survey.settings()).threshold,
        statements: (await s.survey.questions(round.id)).filter(q => q.kind === 'scale').length,
        ...kept,
      })
    }),

    post('/survey', STAFF, async (req, res) => {
      const ctx = ctxOf(res)
      const est = establishmentOf(res)
      const body = req.body as Record<string, unknown>
      const round = await s.survey.openRound()
      if (body.action === 'start') {
        if (body.understood !== 'yes')
          return redirectWithErrors(req, res, {
            understood: 'Confirm you understand you can answer this round once',
          })
        const role = staffRole(res)
        if (!round || !role) return redirectWithErrors(req, res, { understood: 'This survey is not open to you' })
        const r = await s.survey.takeToken({ ...actorOf(res), userId: ctx.userId }, round.id, est.id, role)
        if (!r.ok) return redirectWithErrors(req, res, { understood: r.errors.form ?? 'The survey could not start' })
        res.cookie(COOKIE, `${ctx.userId}.${round.id}.${r.value}`, {
          httpOnly: true,
          sameSite: 'lax',
          secure: s.config.secureCookies,
          path: '/survey',
          // until the day after the round closes
          expires: new Date(`${addDays(round.closes_on, 2)}T00:00:00Z`),
        })
        return res.redirect(303, '/survey')
      }
      const token =
        typeof body.token === 'string' ? body.token : (round && cookieToken(req, ctx.userId, round.id)) || ''
      const values = { ...body }
      delete values._csrf
      delete values.token
      const r = await s.survey.submit(token, values)
      if (!r.ok) {
        if (round && (await s.survey.tokenState(token, round.id)) === 'ready')
          return renderForm(res, round, token, r.errors, values)
        return redirectWithErrors(req, res, { understood: r.errors.form ?? 'Your answers could not be sent' })
      }
      // no flash message: even that would sit in the session beside the user id
      res.redirect(303, '/survey')
    }),

    get('/survey/rounds', NATIONAL, async (_req, res) => {
      const today = todayIso()
      const rounds = await s.survey.rounds()
      res.render('survey/views/rounds', {
        pageTitle: 'Staff survey rounds',
        rounds: rounds.map(r => ({ ...r, status: STATUS_NAMES[roundStatus(r, today)], closedDay: closedDay(r) })),
        settings: await s.survey.settings(),
      })
    }),

    get('/survey/rounds/new', NATIONAL, async (req, res) => {
      const today = todayIso()
      const kept = takeForm(req, {
        title: '',
        ...dateValues('opensOn', today),
        ...dateValues('closesOn', addDays(today, 27)),
        askComments: 'yes',
        ...Object.fromEntries(NATIONAL_QUESTIONS.map(q => [`q_${q.code}`, q.text])),
      } as Record<string, unknown>)
      res.render('survey/views/new', {
        pageTitle: 'Publish a survey round',
        questions: NATIONAL_QUESTIONS.map((q, i) => ({ ...q, number: i + 1, name: `q_${q.code}` })),
        ...kept,
      })
    }),

    post('/survey/rounds/new', NATIONAL, async (req, res) => {
      const body = joinDateInputs(req.body as Record<string, unknown>, ['opensOn', 'closesOn'])
      if (!('askComments' in body)) body.askComments = 'no'
      const parsed = parseForm(roundSchema, body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const d = parsed.data
      const questions = NATIONAL_QUESTIONS.filter(q => q.kind === 'scale' || d.askComments).map(q => ({
        code: q.code,
        kind: q.kind,
        text: d[`q_${q.code}`]!,
      }))
      const r = await s.survey.publishRound(actorOf(res), {
        title: d.title,
        opensOn: d.opensOn,
        closesOn: d.closesOn,
        questions,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Survey round published')
      res.redirect(303, `/survey/rounds/${r.value}`)
    }),

    get('/survey/rounds/:roundId', READERS, async (req, res) => {
      const r = await s.survey.results(intParam(req, 'roundId'))
      if (!r) throw new HttpError(404)
      const national = hasRole(res, 'NATIONAL_POLICY')
      const own = national ? null : establishmentOf(res).id
      const names = new Map((await s.survey.establishments()).map(e => [e.id, e.name]))
      const closed = r.status === 'closed'
      // a viewer outside the national team sees the national total and their own establishment only
      const cells = r.cells.filter(c => c.level === 'national' || own === null || c.establishmentId === own)
      const rows = cells
        .sort(
          (a, b) =>
            (a.level === 'national' ? -1 : 0) - (b.level === 'national' ? -1 : 0) ||
            (names.get(a.establishmentId ?? 0) ?? '').localeCompare(names.get(b.establishmentId ?? 0) ?? '') ||
            (a.role === null ? -1 : 0) - (b.role === null ? -1 : 0) ||
            (a.role ?? '').localeCompare(b.role ?? ''),
        )
        .map(c => ({
          level: c.level,
          name:
            c.level === 'national'
              ? 'All establishments'
              : c.level === 'establishment'
                ? (names.get(c.establishmentId!) ?? 'An establishment')
                : (SURVEY_ROLE_NAMES[c.role as SurveyRole] ?? 'Other staff'),
          shown: c.shown,
          n: c.n,
          means: r.scale.map(q => (c.means ? oneDecimal(c.means[q.code]!) : null)),
        }))
      const shownRows = rows.filter(row => row.shown)
      const hiddenCount = rows.filter(row => !row.shown && row.level !== 'role').length
      // free text: the national list, and each establishment's that may show, to the viewer allowed to read it
      const textLists: { name: string; texts: string[] }[] = []
      if (closed) {
        if (national && r.textShown.national)
          textLists.push({ name: 'All establishments', texts: r.texts.map(t => t.answer_text ?? '') })
        for (const [id, name] of names)
          if (r.textShown.establishments.has(id) && (own === null || own === id))
            textLists.push({
              name,
              texts: r.texts.filter(t => t.establishment_id === id).map(t => t.answer_text ?? ''),
            })
      }
      const nationalCell = r.cells.find(c => c.level === 'national')
      const staff = national && closed && nationalCell?.shown ? await s.survey.staffCount() : 0
      const kept = takeForm(req, {})
      res.render('survey/views/results', {
        mayReword: national && (await s.survey.mayReword(r.round.id)),
        pageTitle: r.round.title,
        round: r.round,
        status: STATUS_NAMES[r.status],
        closed,
        national,
        questions: r.scale.map((q, i) => ({ ...q, number: i + 1 })),
        rows: closed ? shownRows : [],
        hiddenCount: closed ? hiddenCount : 0,
        textLists,
        textAsked: r.questions.some(q => q.kind === 'text'),
        settings: r.settings,
        // the national response rate only, and no closer than "more than 95%": see docs/design/survey.md
        responseRate:
          staff > 0 && nationalCell
            ? nationalCell.n / staff > 0.95
              ? 'more than 95%'
              : `${Math.round((100 * nationalCell.n) / staff)}%`
            : null,
        ...kept,
      })
    }),

    get('/survey/rounds/:roundId/edit', NATIONAL, async (req, res) => {
      const round = await s.survey.round(intParam(req, 'roundId'))
      if (!round) throw new HttpError(404)
      const questions = await s.survey.questions(round.id)
      const kept = takeForm(req, {
        title: round.title,
        ...Object.fromEntries(questions.map(q => [`q_${q.code}`, q.text])),
      } as Record<string, unknown>)
      res.render('survey/views/edit', {
        pageTitle: `Change the wording of ${round.title}`,
        round,
        editable: await s.survey.mayReword(round.id),
        questions: questions.map(q => ({ ...q, name: `q_${q.code}` })),
        ...kept,
      })
    }),

    post('/survey/rounds/:roundId/edit', NATIONAL, async (req, res) => {
      const round = await s.survey.round(intParam(req, 'roundId'))
      if (!round) throw new HttpError(404)
      const questions = await s.survey.questions(round.id)
      const parsed = parseForm(rewordSchema(questions), req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.survey.rewordRound(actorOf(res), round.id, {
        title: parsed.data.title,
        questions: questions.map(q => ({ code: q.code, text: parsed.data[`q_${q.code}`]! })),
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Wording saved')
      res.redirect(303, `/survey/rounds/${round.id}`)
    }),

    post('/survey/rounds/:roundId/close', NATIONAL, async (req, res) => {
      const id = intParam(req, 'roundId')
      if (!(await s.survey.round(id))) throw new HttpError(404)
      if ((req.body as Record<string, unknown>).confirm !== 'yes')
        return redirectWithErrors(
          req,
          res,
          { confirm: 'Confirm you want to close this round now' },
          `/survey/rounds/${id}`,
        )
      const r = await s.survey.closeRound(actorOf(res), id)
      if (!r.ok) {
        if (!(await s.survey.round(id))) throw new HttpError(404)
        return redirectWithErrors(req, res, r.errors, `/survey/rounds/${id}`)
      }
      flash(req, 'Survey round closed')
      res.redirect(303, `/survey/rounds/${id}`)
    }),

    get('/survey/settings', NATIONAL, async (req, res) => {
      const current = await s.survey.settings()
      const kept = takeForm(req, {
        threshold: String(current.threshold),
        freeTextThreshold: String(current.free_text_threshold),
      } as Record<string, unknown>)
      res.render('survey/views/settings', { pageTitle: 'Staff survey settings', current, ...kept })
    }),

    post('/survey/settings', NATIONAL, async (req, res) => {
      const parsed = parseForm(settingsSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.survey.saveSettings(actorOf(res), parsed.data.threshold, parsed.data.freeTextThreshold)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Survey settings saved')
      res.redirect(303, '/survey/settings')
    }),
  ]
}
