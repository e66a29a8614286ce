import type { Request, Response } from 'express'
import type { Services } from '../../services'
import type { Role } from '../../domain/roles'
import { formatDate } from '../../domain/dates'
import { INITIAL_STATE_NAMES, MODULE_KIND_NAMES, OUTCOME_NAMES, TOPUP_STATE_NAMES } from '../../domain/training'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { joinDateInputs } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { HEADINGS, MAX_ROWS } from './csv'
import { manualCompletionSchema, voidSchema } from './schema'
import type { RowError } from './service'

/** Supervising Officers and admins keep the records; the national team reads them. */
const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const KEEPERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
/** The training dashboard's readers (features/trainingDashboard). */
const DASHBOARD: Role[] = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY']

export const XAPI_PATH = '/api/xapi/statements'
/** The error summary links to at most this many row errors; the table shows up to TABLE_LIMIT. */
const SUMMARY_LIMIT = 50
const TABLE_LIMIT = 1_000

const SOURCE_NAMES: Record<string, string> = {
  course: 'Course',
  csv: 'Imported (CSV)',
  xapi: 'E-learning (xAPI)',
  manual: 'Recorded by hand',
}

const baseUrl = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`

/** The record's words for people: state names, kinds, outcomes (never the stored codes). */
function describeRecord(r: NonNullable<Awaited<ReturnType<Services['trainingRecords']['record']>>>) {
  return {
    ...r,
    initialName: INITIAL_STATE_NAMES[r.status.initial.state],
    topupName: TOPUP_STATE_NAMES[r.status.topup.state],
    completions: r.completions.map(c => ({
      ...c,
      kindName: MODULE_KIND_NAMES[c.kind as keyof typeof MODULE_KIND_NAMES] ?? 'Other',
      outcomeName: OUTCOME_NAMES[c.outcome as keyof typeof OUTCOME_NAMES] ?? 'Recorded',
      sourceName: SOURCE_NAMES[c.source] ?? 'Recorded',
    })),
    next: nextStep(r.status),
  }
}

/** What is due next, in words, from the status. */
function nextStep(st: Awaited<ReturnType<Services['trainingRecords']['statusFor']>>): string {
  const i = st.initial
  if (i.state === 'no_start_date')
    return 'The start date in post is not recorded: ask your establishment admin to add it.'
  if (i.state === 'not_yet_due') return `The initial Key Worker course falls due from ${fmt(i.windowOpens)}.`
  if (i.state === 'in_window') return `Take the initial Key Worker course by ${fmt(i.windowCloses)}.`
  if (i.state === 'overdue') return `The initial Key Worker course is overdue: it was due by ${fmt(i.windowCloses)}.`
  if (st.topup.state === 'expired') return `A top-up module is overdue: it was due by ${fmt(st.topup.dueOn)}.`
  if (st.topup.state === 'expiring') return `Take a top-up module by ${fmt(st.topup.dueOn)}.`
  if (!st.cpd.met)
    return `Continuing development: ${round(st.cpd.hours)} of ${st.cpd.target} hours in the last 12 months.`
  return st.topup.dueOn ? `Next top-up module due by ${fmt(st.topup.dueOn)}.` : 'Nothing is due.'
}
const fmt = (iso: string | null) => (iso ? formatDate(iso) : 'a date not yet known')
const round = (n: number) => Math.round(n * 10) / 10

const describeRowError = (e: RowError) => `Row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`

function manualDefaults() {
  return {
    moduleCode: '',
    'completedOn-day': '',
    'completedOn-month': '',
    'completedOn-year': '',
    hours: '',
    outcome: 'completed',
    evidence: '',
  }
}

export function trainingRecordsRoutes(s: Services): RouteDef[] {
  const officerOr404 = async (req: Request, res: Response) => {
    const est = establishmentOf(res)
    const staff = await s.trainingRecords.staff(est.id, intParam(req, 'staffId'))
    if (!staff) throw new HttpError(404)
    return staff
  }

  /** A JSON answer of the xAPI routes; errors listed. */
  const send = (res: Response, status: number, body: Record<string, unknown>) => void res.status(status).json(body)

  /**
   * The establishment a request to the xAPI routes speaks for, or undefined once answered (401/403): an
   * establishment's API token made for training records (scope 'xapi', features/directory/hsds/tokens), sent as
   * `Authorization: Bearer <token>`; a token for the services directory, or a national one, is a 403. A session
   * never counts: the learning record store is a machine.
   */
  async function xapiCaller(req: Request, res: Response) {
    const header = req.get('authorization')
    if (header === undefined) {
      res.set('WWW-Authenticate', 'Bearer realm="keywork xAPI"')
      send(res, 401, { status: 401, message: 'Send an establishment’s xAPI token as Authorization: Bearer <token>' })
      return undefined
    }
    const m = /^Bearer +(\S+) *$/i.exec(header)
    const check = await s.hsdsTokens.check(m ? m[1]! : '', { method: req.method, path: req.path }, 'xapi')
    if (!check.ok && check.reason === 'scope') {
      send(res, 403, {
        status: 403,
        message:
          check.owner === null
            ? 'This is a national token: training records take an establishment’s training records (xAPI) token'
            : 'This token is for the services directory (HSDS API), not training records: the establishment’s ' +
              'admin makes a training records (xAPI) token on the API tokens page',
      })
      return undefined
    }
    if (!check.ok) {
      res.set('WWW-Authenticate', 'Bearer realm="keywork xAPI", error="invalid_token"')
      send(res, 401, {
        status: 401,
        message: 'The API token is not valid: it is unknown, revoked or not a keywork token',
      })
      return undefined
    }
    const { owner, name, tokenId } = check.caller
    if (owner === null) throw new Error('an xAPI token is an establishment’s (tokens.check)')
    return {
      establishmentId: owner,
      actor: { userId: null, username: `API token: ${name}`, establishmentId: owner },
      tokenId,
    }
  }

  return [
    get('/training', 'signed-in', async (_req, res) => {
      const ctx = ctxOf(res)
      const est = ctx.establishment
      const me = est ? await s.trainingRecords.staffOfUser(est.id, ctx.userId) : undefined
      const record = me && est ? await s.trainingRecords.record(est.id, Number(me.id)) : undefined
      if (record && est)
        await auditView(s.audit, res, {
          entity: 'training_record',
          entityId: Number(me!.id),
          details: { completions: record.completions.map(c => c.id) },
        })
      res.render('trainingRecords/views/home', {
        pageTitle: 'Training',
        record: record ? describeRecord(record) : null,
        hasEstablishment: !!est,
        canOfficers: hasRole(res, ...READERS) && !!est,
        canDashboard: hasRole(res, ...DASHBOARD),
        canJournal: hasRole(res, 'KEY_WORKER'),
        canSharedJournal: hasRole(res, 'SUPERVISING_OFFICER'),
        canImport: hasRole(res, ...KEEPERS) && !!est,
      })
    }),

    get('/training/officers', READERS, async (req, res) => {
      const est = establishmentOf(res)
      // Key Workers by default (the training is theirs); every officer on asking, to plan who trains next
      const everyone = req.query.show === 'all'
      const all = await s.trainingRecords.officers(est.id)
      const rows = everyone ? all.rows : all.rows.filter(r => r.key_worker === 1)
      await auditView(s.audit, res, { entity: 'training_officers', details: { staff: rows.map(r => r.id) } })
      res.render('trainingRecords/views/officers', {
        pageTitle: 'Officers’ training',
        rules: all.rules,
        everyone,
        rows: rows.map(r => ({
          ...r,
          initialName: INITIAL_STATE_NAMES[r.status.initial.state],
          topupName: TOPUP_STATE_NAMES[r.status.topup.state],
          cpdHours: round(r.status.cpd.hours),
        })),
        canImport: hasRole(res, ...KEEPERS),
      })
    }),

    get('/training/officers/:staffId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const staff = await officerOr404(req, res)
      const record = (await s.trainingRecords.record(est.id, Number(staff.id)))!
      await auditView(s.audit, res, {
        entity: 'training_record',
        entityId: Number(staff.id),
        details: { completions: record.completions.map(c => c.id) },
      })
      res.render('trainingRecords/views/officer', {
        pageTitle: `Training record of ${record.staff.name}`,
        record: describeRecord(record),
        canKeep: hasRole(res, ...KEEPERS),
      })
    }),

    get('/training/officers/:staffId/completions/new', KEEPERS, async (req, res) => {
      const est = establishmentOf(res)
      const staff = await officerOr404(req, res)
      const modules = await s.trainingRecords.modulesFor(est.id)
      res.render('trainingRecords/views/manual', {
        pageTitle: `Record a completion for ${staff.first_name} ${staff.last_name}`,
        staff,
        modules,
        outcomes: Object.entries(OUTCOME_NAMES).map(([value, text]) => ({ value, text })),
        ...takeForm(req, manualDefaults()),
      })
    }),

    post('/training/officers/:staffId/completions/new', KEEPERS, async (req, res) => {
      const est = establishmentOf(res)
      const staff = await officerOr404(req, res)
      const form = parseForm(
        manualCompletionSchema,
        joinDateInputs(req.body as Record<string, unknown>, ['completedOn']),
      )
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.trainingRecords.recordManual(actorOf(res), est.id, Number(staff.id), form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Completion recorded')
      res.redirect(303, `/training/officers/${staff.id}`)
    }),

    get('/training/completions/:completionId/void', KEEPERS, async (req, res) => {
      const est = establishmentOf(res)
      const c = await s.trainingRecords.completion(est.id, intParam(req, 'completionId'))
      if (!c) throw new HttpError(404)
      const staff = (await s.trainingRecords.staff(est.id, Number(c.staff_id)))!
      await auditView(s.audit, res, { entity: 'training_completion', entityId: Number(c.id) })
      res.render('trainingRecords/views/void', {
        pageTitle: 'Void a completion',
        completion: { ...c, outcomeName: OUTCOME_NAMES[c.outcome as keyof typeof OUTCOME_NAMES] ?? 'Recorded' },
        staff,
        ...takeForm(req, { reason: '' }),
      })
    }),

    post('/training/completions/:completionId/void', KEEPERS, async (req, res) => {
      const est = establishmentOf(res)
      const c = await s.trainingRecords.completion(est.id, intParam(req, 'completionId'))
      if (!c) throw new HttpError(404)
      const form = parseForm(voidSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.trainingRecords.voidCompletion(actorOf(res), est.id, Number(c.id), form.data.reason)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Completion voided: its certificate is revoked')
      res.redirect(303, `/training/officers/${c.staff_id}`)
    }),

    get('/training/certificates/:certificateId', 'signed-in', async (req, res) => {
      const ctx = ctxOf(res)
      const est = ctx.establishment
      if (!est) throw new HttpError(404)
      const c = await s.trainingRecords.certificate(est.id, intParam(req, 'certificateId'))
      if (!c) throw new HttpError(404)
      // the officer's own, or one an SO, admin or the national team reads on the officer's record
      if (!hasRole(res, ...READERS)) {
        const staff = await s.trainingRecords.staff(est.id, Number(c.staff_id))
        if (!staff || staff.user_id !== ctx.userId) throw new HttpError(404)
      }
      await auditView(s.audit, res, { entity: 'training_certificate', entityId: Number(c.id) })
      const { pdf } = await s.trainingRecords.certificatePdf(c, `${baseUrl(req)}/certificates/verify`)
      res.type('application/pdf').set('Content-Disposition', `inline; filename="certificate-${c.id}.pdf"`).send(pdf)
    }),

    get('/training/import', KEEPERS, (_req, res) => {
      res.render('trainingRecords/views/import', {
        pageTitle: 'Import completions',
        headings: HEADINGS,
        maxRows: MAX_ROWS,
      })
    }),

    post(
      '/training/import',
      KEEPERS,
      async (req, res) => {
        const est = establishmentOf(res)
        const file = req.file
        const render = (fileErrors: string[], rowErrors: RowError[] = [], rows = 0) => {
          const errorList = [
            ...fileErrors.map(text => ({ text, href: '#file' })),
            ...rowErrors
              .slice(0, SUMMARY_LIMIT)
              .map((e, i) => ({ text: describeRowError(e), href: `#row-error-${i}` })),
          ]
          res.status(422).render('trainingRecords/views/import', {
            pageTitle: 'Import completions',
            headings: HEADINGS,
            maxRows: MAX_ROWS,
            errorList,
            fileError: fileErrors.map(m => m.replace(/\.$/, '')).join('. ') || undefined,
            rowErrors: rowErrors.slice(0, TABLE_LIMIT),
            errorsTotal: rowErrors.length,
            badRows: new Set(rowErrors.map(e => e.row)).size,
            rows,
            fileName: file?.originalname.slice(0, 200),
          })
        }
        if (!file) return render(['Select a CSV file'])
        if (/\.(xlsx?|ods|numbers)$/i.test(file.originalname))
          return render([
            'The selected file must be a CSV file. In Excel, choose File, Save as, then "CSV UTF-8 (comma delimited)".',
          ])
        const outcome = await s.trainingRecords.importCsv(
          actorOf(res),
          est.id,
          file.buffer,
          file.originalname.slice(0, 200),
        )
        if (outcome.status === 'file-problem') return render(outcome.messages)
        if (outcome.status === 'rejected') return render([], outcome.errors, outcome.rows)
        flash(req, `${outcome.recorded} ${outcome.recorded === 1 ? 'completion' : 'completions'} imported`)
        res.redirect(303, '/training/officers')
      },
      'file',
    ),

    get('/certificates/verify', 'public', async (req, res) => {
      const code = queryString(req, 'code', 40)
      if (!code) {
        // the form sent empty: say what is missing
        const error = 'code' in req.query ? 'Enter the verification code printed on the certificate' : undefined
        return res.render('trainingRecords/views/verify', {
          pageTitle: 'Check a training certificate',
          error,
          errorList: error ? [{ text: error, href: '#code' }] : [],
        })
      }
      const found = await s.trainingRecords.verify(code)
      // an unknown code: a 404 that says only that; no hint whether it was close, or whose it might be
      if (!found)
        return res.status(404).render('trainingRecords/views/verify', {
          pageTitle: 'Certificate not found',
          notFound: true,
          code,
          errorList: [],
        })
      res.render('trainingRecords/views/verify', {
        pageTitle: 'Training certificate',
        certificate: { ...found, moduleTitle: found.moduleTitle },
        errorList: [],
      })
    }),

    post(XAPI_PATH, 'public', async (req, res) => {
      const caller = await xapiCaller(req, res)
      if (!caller) return
      if (!req.is('application/json'))
        return send(res, 400, { status: 400, errors: ['Send the statements as JSON (Content-Type: application/json)'] })
      const r = await s.trainingRecords.xapiIn(caller.actor, caller.establishmentId, req.body)
      if (!r.ok) return send(res, 400, { status: 400, errors: r.errors })
      // the xAPI answer to a POST: the statement ids, in order
      send(res, 200, { ids: r.ids, recorded: r.recorded, already: r.already } as Record<string, unknown>)
    }),

    get(XAPI_PATH, 'public', async (req, res) => {
      const caller = await xapiCaller(req, res)
      if (!caller) return
      const sinceText = queryString(req, 'since', 40)
      const since = sinceText ? Date.parse(sinceText) : 0
      if (sinceText && (!/^\d{4}-\d{2}-\d{2}T/.test(sinceText) || Number.isNaN(since)))
        return send(res, 400, {
          status: 400,
          errors: ['since must be a date and time with its offset, like 2026-03-27T00:00:00Z'],
        })
      const afterText = queryString(req, 'after', 12)
      if (afterText && !/^\d{1,12}$/.test(afterText))
        return send(res, 400, { status: 400, errors: ['after must be the number from the previous page’s more link'] })
      const sinceIso = sinceText ? new Date(since).toISOString() : ''
      const out = await s.trainingRecords.xapiOut(
        caller.establishmentId,
        sinceIso,
        Number(afterText || 0),
        baseUrl(req),
      )
      const more =
        out.after === null
          ? ''
          : `${XAPI_PATH}?${new URLSearchParams({ ...(sinceText ? { since: sinceIso } : {}), after: String(out.after) })}`
      res.set('X-Experience-API-Version', '1.0.3')
      send(res, 200, { statements: out.statements, more })
    }),
  ]
}

/** The xAPI routes answer for themselves (JSON, their own bearer token): src/routes.ts adds them to isApi. */
export const isXapi = (req: { path: string }) => req.path === XAPI_PATH
