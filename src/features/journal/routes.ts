import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { todayIso } from '../../domain/dates'
import {
  FIELD_NAMES,
  FLAG_KIND_NAMES,
  GIBBS_STAGES,
  JOURNAL_FORM_NAMES,
  type JournalForm,
  MAX_MINUTES,
  type ReflectionField,
  type ReflectionFlag,
  SHORT_TEXT_NAME,
  STAGE_MAX,
  TITLE_MAX,
  checkReflection,
  flagsKey,
} from '../../domain/reflection'
import { gibbsSchema, type JournalInput, shortSchema } from './schema'
import { CONFIRM_FIELD } from './service'
import type { ReflectiveEntryRow } from './repository'

/** Officers keep a journal (their reflective log); Supervising Officers read what is shared with them. */
const WRITERS = ['KEY_WORKER'] as const
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER'] as const
const SUPERVISORS = ['SUPERVISING_OFFICER'] as const
const DATES = ['writtenOn']

const staffName = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`

/** "2 hours 15 minutes", "45 minutes", "no time" */
export function duration(minutes: number): string {
  if (!minutes) return 'no time'
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  const hours = h ? `${h} ${h === 1 ? 'hour' : 'hours'}` : ''
  const mins = m ? `${m} ${m === 1 ? 'minute' : 'minutes'}` : ''
  return [hours, mins].filter(Boolean).join(' ')
}

/** Where a finding is, in words: the field's name as the form shows it. */
function describeFlags(flags: readonly ReflectionFlag[], form: string, asWriter = true) {
  return flags.map(f => ({
    field: f.field === 'description' && form === 'short' ? SHORT_TEXT_NAME : FIELD_NAMES[f.field],
    // a Supervising Officer reads the writer's findings: the caseload is the officer's, not theirs
    kind: asWriter ? FLAG_KIND_NAMES[f.kind] : FLAG_KIND_NAMES[f.kind].replace('your caseload', 'their caseload'),
    text: f.text,
  }))
}

function formValues(row: ReflectiveEntryRow | null): Record<string, string> {
  const d = splitDate(row ? row.written_on : todayIso())
  return {
    title: row?.title ?? '',
    'writtenOn-day': d.day,
    'writtenOn-month': d.month,
    'writtenOn-year': d.year,
    minutes: row ? String(row.minutes) : '',
    description: row?.description ?? '',
    feelings: row?.feelings ?? '',
    evaluation: row?.evaluation ?? '',
    analysis: row?.analysis ?? '',
    conclusion: row?.conclusion ?? '',
    actionPlan: row?.action_plan ?? '',
    text: row?.description ?? '',
  }
}

/** The texts of a form as typed, for the check to show what it found before the entry is saved. */
function typedFields(form: JournalForm, v: Record<string, unknown>): Partial<Record<ReflectionField, string>> {
  const s = (k: string) => (typeof v[k] === 'string' ? v[k] : '')
  if (form === 'short') return { title: s('title'), description: s('text') }
  return Object.fromEntries([['title', s('title')], ...GIBBS_STAGES.map(st => [st.key, s(st.key)])]) as Partial<
    Record<ReflectionField, string>
  >
}

function parseEntry(form: JournalForm, body: Record<string, unknown>) {
  const joined = joinDateInputs(body, DATES)
  if (form === 'gibbs') {
    const r = parseForm(gibbsSchema, joined)
    return r.ok ? { ok: true as const, data: { form, ...r.data } as JournalInput } : r
  }
  const r = parseForm(shortSchema, joined)
  return r.ok ? { ok: true as const, data: { form, ...r.data } as JournalInput } : r
}

export function journalRoutes(s: Services): RouteDef[] {
  /** The signed-in user's own entry, or 404 (audited as a refusal: the route names an entry). */
  const ownOr404 = async (req: Request, res: Response) => {
    const entry = await s.journal.own(establishmentOf(res).id, intParam(req, 'entryId'), ctxOf(res).userId)
    if (!entry) throw new HttpError(404)
    return entry
  }

  /** Renders the form of a new entry or of the writer's own, with what the check found if it waits to be confirmed. */
  const renderForm = async (
    req: Request,
    res: Response,
    form: JournalForm,
    entry: ReflectiveEntryRow | null,
    staffId: number | null,
  ) => {
    const est = establishmentOf(res)
    const kept = takeForm(req, formValues(entry))
    let flags: ReflectionFlag[] = []
    if (kept.errors[CONFIRM_FIELD] && staffId !== null) {
      const caseload = await s.journal.caseload(est.id, staffId)
      flags = checkReflection(typedFields(form, kept.values), caseload)
    }
    res.render('journal/views/form', {
      pageTitle: entry ? `Change “${entry.title}”` : `New entry: ${JOURNAL_FORM_NAMES[form].toLowerCase()}`,
      form,
      formName: JOURNAL_FORM_NAMES[form],
      entry,
      linked: staffId !== null,
      stages: GIBBS_STAGES,
      maxMinutes: MAX_MINUTES,
      stageMax: STAGE_MAX,
      titleMax: TITLE_MAX,
      flags: describeFlags(flags, form),
      confirmKey: flagsKey(flags),
      confirmField: CONFIRM_FIELD,
      ...kept,
    })
  }

  const saveNew = (form: JournalForm) => async (req: Request, res: Response) => {
    const est = establishmentOf(res)
    const body = req.body as Record<string, unknown>
    const parsed = parseEntry(form, body)
    if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
    const confirmed = typeof body[CONFIRM_FIELD] === 'string' ? body[CONFIRM_FIELD] : undefined
    const r = await s.journal.save(actorOf(res), est.id, parsed.data, { confirmed })
    if (!r.ok) return redirectWithErrors(req, res, r.errors)
    flash(req, 'Journal entry saved: only you can read it')
    res.redirect(303, `/journal/${r.value.id}`)
  }

  return [
    get('/journal', WRITERS, async (_req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const me = await s.journal.staffOf(est.id, ctx.userId)
      const mine = await s.journal.mine(est.id, ctx.userId)
      res.render('journal/views/list', {
        pageTitle: 'My reflective journal',
        linked: !!me,
        entries: mine.entries.map(e => ({
          ...e,
          formName: JOURNAL_FORM_NAMES[e.form as JournalForm] ?? 'Reflection',
          time: duration(Number(e.minutes)),
          flagged: s.journal.flagsOf(e).length > 0,
        })),
        total: duration(mine.minutes),
        from: mine.from,
        canReadShared: hasRole(res, ...SUPERVISORS),
      })
    }),

    get('/journal/new', WRITERS, async (_req, res) => {
      const me = await s.journal.staffOf(establishmentOf(res).id, ctxOf(res).userId)
      res.render('journal/views/choose', { pageTitle: 'New journal entry', linked: !!me })
    }),

    ...(['gibbs', 'short'] as const).flatMap(form => [
      get(`/journal/new/${form}`, WRITERS, async (req, res) => {
        const me = await s.journal.staffOf(establishmentOf(res).id, ctxOf(res).userId)
        await renderForm(req, res, form, null, me?.id ?? null)
      }),
      post(`/journal/new/${form}`, WRITERS, saveNew(form)),
    ]),

    get('/journal/shared', SUPERVISORS, async (req, res) => {
      const est = establishmentOf(res)
      const officerParam = queryString(req, 'officer', 20)
      let officer: Awaited<ReturnType<typeof s.journal.staff>> | undefined
      if (officerParam) {
        if (!/^[1-9][0-9]{0,15}$/.test(officerParam)) throw new HttpError(404)
        officer = await s.journal.staff(est.id, Number(officerParam))
        if (!officer) throw new HttpError(404)
      }
      const rows = await s.journal.shared(est.id, officer?.id)
      await auditView(s.audit, res, {
        entity: 'reflective_entry_list',
        entityId: officer?.id ?? null,
        details: { entries: rows.map(r => r.id) },
      })
      res.render('journal/views/shared', {
        pageTitle: officer ? `Reflections shared by ${staffName(officer)}` : 'Reflections shared with you',
        officer: officer ?? null,
        rows: rows.map(r => ({
          ...r,
          name: staffName(r),
          time: duration(Number(r.minutes)),
          flagged: s.journal.flagsOf(r).length > 0,
        })),
      })
    }),

    get('/journal/:entryId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const found = await s.journal.readable(est.id, intParam(req, 'entryId'), {
        userId: ctx.userId,
        supervisor: hasRole(res, ...SUPERVISORS),
      })
      if (!found) throw new HttpError(404)
      const { entry, asWriter } = found
      // the writer reading their own is not audited; anyone else reading it is
      if (!asWriter) await auditView(s.audit, res, { entity: 'reflective_entry', entityId: entry.id })
      const officer = await s.journal.staff(est.id, entry.staff_id)
      const kept = takeForm(req, {})
      res.render('journal/views/entry', {
        pageTitle: entry.title,
        entry,
        asWriter,
        officer: officer ?? null,
        formName: JOURNAL_FORM_NAMES[entry.form as JournalForm] ?? 'Reflection',
        stages:
          entry.form === 'gibbs'
            ? GIBBS_STAGES.map(st => ({
                label: st.label,
                text: entry[st.key === 'actionPlan' ? 'action_plan' : st.key],
              }))
            : [{ label: SHORT_TEXT_NAME, text: entry.description }],
        time: duration(Number(entry.minutes)),
        flags: describeFlags(s.journal.flagsOf(entry), entry.form, asWriter),
        ...kept,
      })
    }),

    get('/journal/:entryId/edit', WRITERS, async (req, res) => {
      const entry = await ownOr404(req, res)
      await renderForm(req, res, entry.form === 'short' ? 'short' : 'gibbs', entry, entry.staff_id)
    }),

    post('/journal/:entryId/edit', WRITERS, async (req, res) => {
      const est = establishmentOf(res)
      const entry = await ownOr404(req, res)
      const body = req.body as Record<string, unknown>
      const parsed = parseEntry(entry.form === 'short' ? 'short' : 'gibbs', body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const confirmed = typeof body[CONFIRM_FIELD] === 'string' ? body[CONFIRM_FIELD] : undefined
      const r = await s.journal.save(actorOf(res), est.id, parsed.data, { id: entry.id, confirmed })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Journal entry changed')
      res.redirect(303, `/journal/${entry.id}`)
    }),

    post('/journal/:entryId/sharing', WRITERS, async (req, res) => {
      const est = establishmentOf(res)
      const entry = await ownOr404(req, res)
      const share = (req.body as Record<string, unknown>).share
      if (share !== 'yes' && share !== 'no')
        return redirectWithErrors(
          req,
          res,
          { share: 'Choose whether to share this entry with your Supervising Officers' },
          `/journal/${entry.id}`,
        )
      const r = await s.journal.setShared(actorOf(res), est.id, entry.id, share === 'yes')
      if (!r.ok) return redirectWithErrors(req, res, r.errors, `/journal/${entry.id}`)
      flash(
        req,
        share === 'yes'
          ? 'Entry shared: your Supervising Officers can read it'
          : 'Entry no longer shared: only you can read it',
      )
      res.redirect(303, `/journal/${entry.id}`)
    }),

    get('/journal/:entryId/delete', WRITERS, async (req, res) => {
      const entry = await ownOr404(req, res)
      res.render('journal/views/delete', {
        pageTitle: `Delete “${entry.title}”`,
        entry,
        ...takeForm(req, { confirm: '' }),
      })
    }),

    post('/journal/:entryId/delete', WRITERS, async (req, res) => {
      const est = establishmentOf(res)
      const entry = await ownOr404(req, res)
      const confirm = (req.body as Record<string, unknown>).confirm
      if (confirm !== 'yes' && confirm !== 'no')
        return redirectWithErrors(req, res, { confirm: 'Choose yes to delete this entry, or no to keep it' })
      if (confirm === 'no') return res.redirect(303, `/journal/${entry.id}`)
      const r = await s.journal.remove(actorOf(res), est.id, entry.id)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Journal entry deleted')
      res.redirect(303, '/journal')
    }),
  ]
}
