import type { Services } from '../../services'
import { formatDate } from '../../domain/dates'
import { actorOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { MAX_BYTES } from './csv'
import { presentReport, reportPdf } from './present'
import { COUNT_MEASURES, KINDS, type TrialDefinition, trialFormSchema } from './schema'

/** The national team defines trials and imports outcomes; Supervising Officers and admins read the reports. */
const NATIONAL = ['NATIONAL_POLICY'] as const
const READERS = ['NATIONAL_POLICY', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

const EMPTY = { name: '', kind: '', description: '', adoptions: '', comparison: 'all', comparisons: '', outcomes: [] }

export function trialsRoutes(s: Services): RouteDef[] {
  const formPage = async (
    res: Parameters<Parameters<typeof get>[2]>[1],
    state: ReturnType<typeof takeForm>,
    trial: { id: number; name: string } | null,
    history: { version: number; changed_at: string; changed_by: string }[] = [],
  ) => {
    const measures = await s.trials.measures()
    const chosen = new Set(
      ([] as string[]).concat((state.values as { outcomes?: string | string[] }).outcomes ?? []).filter(Boolean),
    )
    res.render('trials/views/form', {
      pageTitle: trial ? `Change the trial: ${trial.name}` : 'Define an intervention to trial',
      trial,
      kinds: Object.entries(KINDS).map(([value, text]) => ({ value, text })),
      measures: measures.map(m => ({ value: m.code, text: m.name, checked: chosen.has(m.code) })),
      history: history.map(h => ({ ...h, when: formatDate(h.changed_at) })),
      ...state,
    })
  }

  /** The form's text as the service's definition (on a page that shows a trial to change). */
  const asForm = async (def: TrialDefinition) => {
    const establishments = await s.establishments.all()
    const code = new Map(establishments.map(e => [e.id, e.code]))
    return {
      name: def.name,
      kind: def.kind,
      description: def.description,
      adoptions: def.adoptions.map(a => `${code.get(a.establishmentId)}, ${ukDate(a.startDate)}`).join('\n'),
      comparison: def.comparisons.length ? 'chosen' : 'all',
      comparisons: def.comparisons.map(id => code.get(id)).join(', '),
      outcomes: def.outcomes,
    }
  }

  return [
    get('/trials', READERS, async (_req, res) => {
      const trials = await s.trials.list()
      res.render('trials/views/list', {
        pageTitle: 'Trials and evaluation',
        trials: trials.map(t => ({
          ...t,
          kindName: KINDS[t.kind as keyof typeof KINDS] ?? t.kind,
          adopters: Number(t.adopters),
          firstText: t.first ? formatDate(String(t.first)) : 'not given',
        })),
        canDefine: hasRole(res, 'NATIONAL_POLICY'),
      })
    }),

    get('/trials/new', NATIONAL, async (req, res) => {
      await formPage(res, takeForm(req, EMPTY), null)
    }),

    post('/trials/new', NATIONAL, async (req, res) => {
      const form = parseForm(trialFormSchema, req.body)
      if (!form.ok) {
        // the rest of the form checked too, so every problem shows at once
        return redirectWithErrors(req, res, await allErrors(s, req.body, form.errors))
      }
      const def = await s.trials.validate(form.data)
      if (!def.ok) return redirectWithErrors(req, res, def.errors)
      const id = await s.trials.create(actorOf(res), def.value)
      flash(req, 'Trial saved: its report is below')
      res.redirect(303, `/trials/${id}`)
    }),

    get('/trials/outcomes', NATIONAL, async (_req, res) => {
      const { summary, imports } = await s.trials.outcomes()
      res.render('trials/views/outcomes', {
        pageTitle: 'Outcome counts from outside keywork',
        summary,
        imports: imports.map(i => ({ ...i, when: formatDate(i.imported_at.slice(0, 10)) })),
      })
    }),

    get('/trials/outcomes/import', NATIONAL, (_req, res) => {
      res.render('trials/views/import', {
        pageTitle: 'Import outcome counts',
        measures: Object.entries(COUNT_MEASURES).map(([code, name]) => ({ code, name })),
        maxMb: MAX_BYTES / 1024 / 1024,
      })
    }),

    post(
      '/trials/outcomes/import',
      NATIONAL,
      async (req, res) => {
        const file = req.file
        const render = (messages: string[]) =>
          res.status(422).render('trials/views/import', {
            pageTitle: 'Import outcome counts',
            measures: Object.entries(COUNT_MEASURES).map(([code, name]) => ({ code, name })),
            maxMb: MAX_BYTES / 1024 / 1024,
            messages,
            errorList: [
              {
                text:
                  messages.length === 1
                    ? messages[0]
                    : `The file has ${messages.length} problems: nothing was imported`,
                href: '#file',
              },
            ],
          })
        if (!file) return render(['Select a CSV file'])
        if (/\.(xlsx?|ods|numbers)$/i.test(file.originalname))
          return render([
            'The selected file must be a CSV file. In Excel, choose File, Save as, then "CSV UTF-8 (comma delimited)".',
          ])
        const r = await s.trials.importCounts(actorOf(res), file.buffer, file.originalname.slice(0, 200))
        if (!r.ok) return render(r.messages)
        flash(
          req,
          `Imported ${r.added} new ${r.added === 1 ? 'count' : 'counts'}${r.replaced ? `; ${r.replaced} replaced the counts held for the same establishment, month and measure` : ''}`,
        )
        res.redirect(303, '/trials/outcomes')
      },
      'file',
    ),

    get('/trials/:trialId', READERS, async (req, res) => {
      const report = await s.trials.report(intParam(req, 'trialId'))
      if (!report) throw new HttpError(404)
      res.render('trials/views/report', {
        pageTitle: `Trial report: ${report.trial.name}`,
        report: presentReport(report),
        canChange: hasRole(res, 'NATIONAL_POLICY'),
      })
    }),

    get('/trials/:trialId/report.pdf', READERS, async (req, res) => {
      const report = await s.trials.report(intParam(req, 'trialId'))
      if (!report) throw new HttpError(404)
      const pdf = await reportPdf(report)
      res
        .type('application/pdf')
        .set('Content-Disposition', `inline; filename="trial-${report.trial.id}.pdf"`)
        .send(pdf)
    }),

    get('/trials/:trialId/edit', NATIONAL, async (req, res) => {
      const id = intParam(req, 'trialId')
      const found = await s.trials.get(id)
      if (!found) throw new HttpError(404)
      const def: TrialDefinition = {
        name: found.trial.name,
        kind: found.trial.kind as TrialDefinition['kind'],
        description: found.trial.description,
        adoptions: found.adoptions,
        comparisons: found.comparisons,
        outcomes: found.outcomes,
      }
      const revisions = await s.trials.revisions(id)
      await formPage(res, takeForm(req, await asForm(def)), { id, name: found.trial.name }, revisions)
    }),

    post('/trials/:trialId/edit', NATIONAL, async (req, res) => {
      const id = intParam(req, 'trialId')
      if (!(await s.trials.get(id))) throw new HttpError(404)
      const form = parseForm(trialFormSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, await allErrors(s, req.body, form.errors))
      const def = await s.trials.validate(form.data)
      if (!def.ok) return redirectWithErrors(req, res, def.errors)
      const r = await s.trials.update(actorOf(res), id, def.value)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Trial changed: version ${r.value} saved, the earlier versions kept in its history`)
      res.redirect(303, `/trials/${id}`)
    }),
  ]
}

/**
 * The form's own errors and the establishments' checks in one list: the parts that parsed are checked with
 * harmless stand-ins for the parts that did not.
 */
async function allErrors(s: Services, body: unknown, errors: Record<string, string>) {
  const b = (body ?? {}) as Record<string, unknown>
  const loose = trialFormSchema.safeParse({
    ...b,
    name: 'x',
    kind: 'other',
    description: '',
    comparison: b.comparison === 'chosen' ? 'chosen' : 'all',
  })
  if (!loose.success) return errors
  const more = await s.trials.validate(loose.data)
  return more.ok
    ? errors
    : { ...errors, ...Object.fromEntries(Object.entries(more.errors).filter(([k]) => !(k in errors))) }
}

const ukDate = (iso: string) => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`
