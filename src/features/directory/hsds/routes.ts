import type { Request, Response } from 'express'
import multer from 'multer'
import { csrfSync } from 'csrf-sync'
import { ROLES } from '../../../domain/roles'
import type { Services } from '../../../services'
import { actorOf, establishmentOf, hasRole } from '../../../web/context'
import { redirectWithErrors, takeForm } from '../../../forms/forms'
import { type RouteDef, get, post, postOwnUpload } from '../../../web/routing'
import type { Problem } from './model'
import type { Owner, Scope } from './repository'
import { HSDS_FILE_LIMIT_BYTES, type HsdsImportReport } from './service'
import { limitsText } from './unzip'

const EVERYONE = ROLES
const IMPORTERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

/** The error summary links to at most this many problems; the table shows up to TABLE_LIMIT. */
const SUMMARY_LIMIT = 50
const TABLE_LIMIT = 2_000

const LIMIT_MB = HSDS_FILE_LIMIT_BYTES / 1024 / 1024

declare module 'express-session' {
  interface SessionData {
    hsdsImportResult?: { owner: Owner; report: HsdsImportReport }
  }
}

/**
 * HSDS files are larger than the app's other uploads (20 MB, not 10), so this upload is parsed here rather than by
 * the app's shared multer; the CSRF token, which the app checks after a shared upload, is checked here too.
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: HSDS_FILE_LIMIT_BYTES, files: 1, fields: 20 },
}).single('file')
const csrf = csrfSync({ getTokenFromRequest: req => (req.body as Record<string, string> | undefined)?._csrf })

function parseUpload(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => upload(req, res, err => (err ? reject(err) : resolve())))
}

/** A national policy user works on the national directory; everyone else on their establishment's. */
function ownerOf(res: Response): Owner {
  return hasRole(res, 'NATIONAL_POLICY') ? null : establishmentOf(res).id
}

function directoryName(res: Response, owner: Owner): string {
  return owner === null ? 'the national directory' : `the directory of ${establishmentOf(res).name}`
}

export function hsdsRoutes(s: Services): RouteDef[] {
  const hsds = s.hsds

  function renderImport(res: Response, owner: Owner, extra: { problems?: Problem[]; fileName?: string } = {}) {
    const problems = extra.problems ?? []
    const errorList: { text: string; href: string }[] = (res.locals.errorList as typeof errorList | undefined) ?? []
    problems
      .slice(0, SUMMARY_LIMIT)
      .forEach((p, i) => errorList.push({ text: `${p.path}: ${p.message}`, href: `#problem-${i}` }))
    res.status(problems.length ? 422 : 200).render('directory/hsds/views/import', {
      pageTitle: 'Import a services directory (HSDS)',
      directoryName: directoryName(res, owner),
      errorList,
      problems: problems.slice(0, TABLE_LIMIT),
      problemsTotal: problems.length,
      fileName: extra.fileName,
      limitMb: LIMIT_MB,
      zipLimits: limitsText(),
    })
  }

  return [
    get('/directory/export', EVERYONE, (req, res) => {
      const owner = ownerOf(res)
      const form = takeForm(req, { format: '', national: '' })
      res.render('directory/hsds/views/export', {
        pageTitle: 'Export the services directory (HSDS)',
        directoryName: directoryName(res, owner),
        national: owner === null,
        canImport: hasRole(res, ...IMPORTERS),
        ...form,
      })
    }),

    post('/directory/export', EVERYONE, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const format = body.format
      if (format !== 'json' && format !== 'zip') return redirectWithErrors(req, res, { format: 'Select a file format' })
      const owner = ownerOf(res)
      const scope: Scope =
        owner === null
          ? { establishmentId: null, includeNational: false }
          : { establishmentId: owner, includeNational: body.national === 'yes' }
      const code = owner === null ? 'national' : establishmentOf(res).code.toLowerCase()
      if (format === 'json') {
        const services = await hsds.exportJson(scope)
        res.attachment(`directory-${code}-hsds.json`)
        res.type('application/json').send(JSON.stringify(services, null, 2) + '\n')
      } else {
        const zip = await hsds.exportZip(scope)
        res.attachment(`directory-${code}-hsds.zip`)
        res.type('application/zip').send(Buffer.from(zip))
      }
    }),

    get('/directory/import', IMPORTERS, (req, res) => {
      const { errorList } = takeForm(req, {})
      res.locals.errorList = errorList
      renderImport(res, ownerOf(res))
    }),

    postOwnUpload('/directory/import', IMPORTERS, 'file', async (req, res) => {
      const owner = ownerOf(res)
      try {
        await parseUpload(req, res)
      } catch (e) {
        if ((e as { code?: string }).code === 'LIMIT_FILE_SIZE') {
          // the rest of the upload is not read: close the connection once the page is sent
          res.set('Connection', 'close')
          return res.status(413).render('directory/hsds/views/too-large', {
            pageTitle: 'The file is too large',
            limitMb: LIMIT_MB,
          })
        }
        throw e
      }
      if (!csrf.isRequestValid(req)) throw csrf.invalidCsrfTokenError
      const file = req.file
      if (!file) return redirectWithErrors(req, res, { file: 'Select an HSDS file (JSON, or a zip of CSV files)' })
      const fileName = file.originalname.slice(0, 200)
      const outcome = await hsds.import(actorOf(res), owner, file.buffer, fileName)
      if (outcome.status === 'rejected') return renderImport(res, owner, { problems: outcome.problems, fileName })
      req.session.hsdsImportResult = { owner, report: outcome.report }
      res.redirect(303, '/directory/import/result')
    }),

    get('/directory/import/result', IMPORTERS, (req, res) => {
      const owner = ownerOf(res)
      const result = req.session.hsdsImportResult
      const shown = result && result.owner === owner ? result.report : undefined
      const tables = shown
        ? Object.keys({ ...shown.created, ...shown.updated }).map(t => ({
            table: t.replaceAll('_', ' '),
            created: shown.created[t as keyof typeof shown.created] ?? 0,
            updated: shown.updated[t as keyof typeof shown.updated] ?? 0,
          }))
        : []
      res.render('directory/hsds/views/result', {
        pageTitle: shown ? 'Import complete' : 'No import to show',
        directoryName: directoryName(res, owner),
        report: shown,
        tables,
      })
    }),
    // the HSDS API itself: api.ts
  ]
}
