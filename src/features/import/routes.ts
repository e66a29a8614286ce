import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, establishmentOf } from '../../web/context'
import { type RouteDef, get, post } from '../../web/routing'
import { IMPORT_KINDS, type ImportKind, columnHelp } from './kinds'
import type { ImportReport } from './service'
import type { RowError } from './validate'

const ADMINS = ['ESTABLISHMENT_ADMIN'] as const

/** The error summary links to at most this many row errors; the table below it shows up to TABLE_LIMIT. */
const SUMMARY_LIMIT = 100
const TABLE_LIMIT = 2_000

/** What the results page shows; kept in the session (bounded) so a refresh does not import again. */
interface ImportResult {
  establishmentId: number
  report: ImportReport
  errorsTotal: number
}

declare module 'express-session' {
  interface SessionData {
    importResult?: ImportResult
  }
}

const KIND_NAMES: Record<ImportKind, string> = {
  prisoners: 'Prisoners',
  staff: 'Staff',
  units: 'Residential units',
  allocations: 'Key Worker allocations',
  sessions: 'Past key work sessions',
}

const LIST_PATHS: Record<ImportKind, string> = {
  prisoners: '/prisoners',
  staff: '/staff',
  units: '/units',
  allocations: '/prisoners',
  sessions: '/prisoners',
}

interface FormState {
  kind: string
  skipInvalid: boolean
  fullRoll: boolean
}

function bodyField(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name]
  return typeof v === 'string' ? v : ''
}

export function importRoutes(s: Services): RouteDef[] {
  function renderForm(
    res: Response,
    state: FormState,
    problems: { fileErrors?: string[]; kindError?: string; fullRollError?: string; report?: ImportReport } = {},
  ) {
    const errorList: { text: string; href: string }[] = []
    if (problems.kindError) errorList.push({ text: problems.kindError, href: '#kind' })
    if (problems.fullRollError) errorList.push({ text: problems.fullRollError, href: '#fullRoll' })
    for (const text of problems.fileErrors ?? []) errorList.push({ text, href: '#file' })
    const rowErrors = problems.report?.errors ?? []
    rowErrors.slice(0, SUMMARY_LIMIT).forEach((e, i) => errorList.push({ text: describe(e), href: `#row-error-${i}` }))
    res.status(errorList.length ? 422 : 200).render('import/views/form', {
      pageTitle: 'Import from a CSV file',
      kinds: IMPORT_KINDS.map(k => ({ value: k, text: KIND_NAMES[k] })),
      values: state,
      errorList,
      kindError: problems.kindError,
      fullRollError: problems.fullRollError,
      fileError: problems.fileErrors?.map(m => m.replace(/\.$/, '')).join('. '),
      report: problems.report,
      badRows: new Set(rowErrors.map(e => e.row)).size,
      rowErrors: rowErrors.slice(0, TABLE_LIMIT),
      errorsTotal: rowErrors.length,
      columnHelp: columnHelp(KIND_NAMES),
    })
  }

  return [
    get('/import', ADMINS, (_req, res) => {
      renderForm(res, { kind: '', skipInvalid: false, fullRoll: false })
    }),

    post(
      '/import',
      ADMINS,
      async (req, res) => {
        const est = establishmentOf(res)
        const kind = bodyField(req, 'kind')
        const state: FormState = {
          kind,
          skipInvalid: bodyField(req, 'skipInvalid') === 'yes',
          fullRoll: bodyField(req, 'fullRoll') === 'yes',
        }
        const kindError = (IMPORT_KINDS as readonly string[]).includes(kind)
          ? undefined
          : 'Select what the file contains'
        const fullRollError =
          state.fullRoll && !kindError && kind !== 'prisoners'
            ? 'A full roll is only for prisoners: untick it, or choose prisoners'
            : undefined
        const file = req.file
        let fileErrors: string[] | undefined
        if (!file) fileErrors = ['Select a CSV file']
        else if (/\.(xlsx?|ods|numbers)$/i.test(file.originalname))
          fileErrors = [
            'The selected file must be a CSV file. In Excel, choose File, Save as, then "CSV UTF-8 (comma delimited)".',
          ]
        if (kindError || fullRollError || fileErrors || !file)
          return renderForm(res, state, { kindError, fullRollError, fileErrors })

        const outcome = await s.imports.run(actorOf(res), est.id, kind as ImportKind, file.buffer, {
          fileName: file.originalname.slice(0, 200),
          skipInvalid: state.skipInvalid,
          fullRoll: state.fullRoll,
        })
        // wrong headings come with the errors of the rows in the columns that could be read, all listed at once
        if (outcome.status === 'file-problem')
          return renderForm(res, state, {
            fileErrors: outcome.messages,
            report: outcome.report?.errors.length ? outcome.report : undefined,
          })
        if (outcome.status === 'rejected') return renderForm(res, state, { report: outcome.report })
        const report = outcome.report
        req.session.importResult = {
          establishmentId: est.id,
          errorsTotal: report.errors.length,
          report: { ...report, errors: report.errors.slice(0, TABLE_LIMIT) },
        }
        res.redirect(303, '/import/result')
      },
      'file',
    ),

    get('/import/result', ADMINS, (req, res) => {
      const est = establishmentOf(res)
      const result = req.session.importResult
      const shown = result && result.establishmentId === est.id ? result : undefined
      res.render('import/views/result', {
        pageTitle: shown ? 'Import complete' : 'No import to show',
        result: shown,
        kindName: shown ? KIND_NAMES[shown.report.kind] : '',
        listPath: shown ? LIST_PATHS[shown.report.kind] : '',
      })
    }),
  ]
}

function describe(e: RowError): string {
  return `Row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.reason}`
}
