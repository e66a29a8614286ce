import type { Request } from 'express'
import type { Services } from '../../services'
import type { Response } from 'express'
import { actorOf, ctxOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, param, post } from '../../web/routing'
import { PRISON_NUMBER } from '../../domain/prisoner'
import { formatDate } from '../../domain/dates'
import { RETENTION_MAX_YEARS, RETENTION_MIN_YEARS } from '../../domain/retention'
import { retentionSchema, sarSchema } from './schema'
import { SAR_FORMAT, SAR_SECTIONS, SAR_VERSION } from './service'
import { sarPdf } from './pdf'

/**
 * Data protection is the national team's: a subject access request reads a man's records in every establishment,
 * and the retention rule is national. Establishment admins are refused (their establishment's records are only part
 * of what he is owed, and another establishment's are not theirs to read).
 */
const NP = ['NATIONAL_POLICY'] as const

export function dataProtectionRoutes(s: Services): RouteDef[] {
  /**
   * The view of his data, audited as auditView does, but in whichever establishment the national user acts in, or
   * none: these pages are national and need no establishment chosen.
   */
  const viewed = (res: Response, prisonNumber: string, page: string) =>
    s.audit.recordAlone(actorOf(res), {
      action: 'view',
      entity: 'subject_access_request',
      entityId: prisonNumber,
      establishmentId: ctxOf(res).establishment?.id ?? null,
      changes: { page },
    })

  /** The man named by the URL, and everything held about him; 404 for a malformed or unknown number. */
  const subjectOr404 = async (req: Request) => {
    const prisonNumber = param(req, 'prisonNumber').toUpperCase()
    if (!PRISON_NUMBER.test(prisonNumber)) throw new HttpError(404)
    const data = await s.dataProtection.subject(prisonNumber)
    if (!data) throw new HttpError(404)
    return { prisonNumber, data }
  }

  return [
    get('/data-protection', NP, async (req, res) => {
      res.render('dataProtection/views/index', { pageTitle: 'Data protection' })
    }),

    get('/data-protection/subject-access', NP, async (req, res) => {
      res.render('dataProtection/views/request', {
        pageTitle: 'Subject access request',
        ...takeForm(req, { prisonNumber: '' }),
      })
    }),
    post('/data-protection/subject-access', NP, async (req, res) => {
      const parsed = parseForm(sarSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.dataProtection.request(actorOf(res), parsed.data.prisonNumber)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      res.redirect(303, `/data-protection/subject-access/${parsed.data.prisonNumber}`)
    }),

    get('/data-protection/subject-access/:prisonNumber', NP, async (req, res) => {
      const { prisonNumber, data } = await subjectOr404(req)
      await viewed(res, prisonNumber, 'summary')
      const first = data.prisonerRecords[0]!
      res.render('dataProtection/views/result', {
        pageTitle: `Subject access request: ${prisonNumber}`,
        prisonNumber,
        name: `${first.first_name} ${first.last_name}`,
        sections: SAR_SECTIONS.map(([key, heading]) => ({ heading, count: data[key].length })),
        establishments: [...new Set(data.prisonerRecords.map(p => p.establishment))],
      })
    }),

    get('/data-protection/subject-access/:prisonNumber/sar.json', NP, async (req, res) => {
      const { prisonNumber, data } = await subjectOr404(req)
      await viewed(res, prisonNumber, 'json')
      res.set('content-disposition', `attachment; filename="subject-access-${prisonNumber}.json"`).json({
        format: SAR_FORMAT,
        version: SAR_VERSION,
        prisonNumber,
        generatedAt: new Date().toISOString(),
        generatedBy: actorOf(res).username,
        sections: Object.fromEntries(SAR_SECTIONS.map(([key]) => [key, data[key]])),
      })
    }),

    get('/data-protection/subject-access/:prisonNumber/sar.pdf', NP, async (req, res) => {
      const { prisonNumber, data } = await subjectOr404(req)
      await viewed(res, prisonNumber, 'pdf')
      const pdf = await sarPdf(prisonNumber, data, new Date().toISOString())
      res
        .type('application/pdf')
        .set('Content-Disposition', `attachment; filename="subject-access-${prisonNumber}.pdf"`)
        .send(pdf)
    }),

    get('/data-protection/retention', NP, async (req, res) => {
      const [st, dry] = await Promise.all([s.dataProtection.settings(), s.dataProtection.dryRun()])
      res.render('dataProtection/views/retention', {
        pageTitle: 'Retention of personal data',
        ...takeForm(req, { years: String(st.years_after_release) }),
        dry: { ...dry, cutoffText: formatDate(dry.cutoff) },
        min: RETENTION_MIN_YEARS,
        max: RETENTION_MAX_YEARS,
      })
    }),
    post('/data-protection/retention', NP, async (req, res) => {
      const parsed = parseForm(retentionSchema, req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.dataProtection.updateSettings(actorOf(res), parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Retention rule saved')
      res.redirect(303, '/data-protection/retention')
    }),
  ]
}
