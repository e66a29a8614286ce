import type { Request } from 'express'
import type { Services } from '../../services'
import { normalisePrisonNumber } from '../../domain/prisoner'
import { actorOf, ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, param, post } from '../../web/routing'
import { formText, joinDateInputs, splitDate } from '../../forms/fields'
import { formatDate } from '../../domain/dates'
import { officerLabel } from '../../domain/officerLabel'
import { AUTO_OFF, type ConfirmRow, type PreviewFilter } from './auto'
import { DEALLOCATION_REASONS, allocateSchema, coverSchema, deallocateSchema } from './schema'
import { ALLOCATE_ANYWAY } from './service'

const ALLOCATORS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const

export function allocationRoutes(s: Services): RouteDef[] {
  const prisonerOr404 = async (establishmentId: number, raw: string) => {
    const prisoner = await s.prisoners.get(establishmentId, normalisePrisonNumber(raw))
    if (!prisoner) throw new HttpError(404)
    return prisoner
  }

  const filterOf = (req: Request): PreviewFilter => {
    const unitCode = queryString(req, 'unit')
    const waitingDays = Number(queryString(req, 'waitingDays'))
    return {
      ...(unitCode ? { unitCode } : {}),
      ...(queryString(req, 'interpreter') === 'yes' ? { interpreter: true } : {}),
      ...(Number.isInteger(waitingDays) && waitingDays > 0 && waitingDays < 10_000 ? { waitingDays } : {}),
    }
  }
  const filterQuery = (f: PreviewFilter) =>
    new URLSearchParams({
      ...(f.unitCode ? { unit: f.unitCode } : {}),
      ...(f.interpreter ? { interpreter: 'yes' } : {}),
      ...(f.waitingDays ? { waitingDays: String(f.waitingDays) } : {}),
    }).toString()

  return [
    get('/allocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const filter = filterOf(req)
      const [state, units] = await Promise.all([
        s.autoAllocation.unallocated(est.id, filter),
        s.prisoners.units(est.id),
      ])
      await auditView(s.audit, res, {
        entity: 'allocation_list',
        details: { page: 'unallocated', ...filter, shown: prisonNumbersIn(state.prisoners) },
      })
      // room only with Key Workers who may be given prisoners (not those the training rules refuse)
      const room = state.officers
        .filter(o => o.keyWorker && !o.closed)
        .reduce((n, o) => n + Math.max(0, o.capacity - o.load), 0)
      // say why and what would help when the men waiting cannot all be given a Key Worker
      const waiting = (await s.autoAllocation.unallocated(est.id)).prisoners.length
      res.render('allocations/views/unallocated', {
        pageTitle: 'Allocate Key Workers',
        autoAllocation: est.auto_allocation === 1,
        prisoners: state.prisoners,
        keyWorkers: state.officers.filter(o => o.keyWorker),
        room,
        explanation: waiting > room ? await s.autoAllocation.explain(est.id, waiting) : null,
        units,
        filter,
        query: filterQuery(filter),
        ...takeForm(req, {}),
      })
    }),

    // A preview changes nothing, so it is a GET: it can be refreshed and bookmarked.
    get('/allocate/preview', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const filter = filterOf(req)
      const strategy = queryString(req, 'strategy') === 'greedy' ? 'greedy' : 'optimal'
      if (est.auto_allocation === 0) return redirectWithErrors(req, res, { form: AUTO_OFF }, '/allocate')
      const preview = await s.autoAllocation.preview(est.id, filter, strategy)
      await auditView(s.audit, res, {
        entity: 'allocation_list',
        details: { page: 'proposed allocations', ...filter, shown: prisonNumbersIn(preview) },
      })
      res.render('allocations/views/preview', {
        pageTitle: 'Check the proposed allocations',
        preview,
        filter,
        query: filterQuery(filter),
        strategy,
        ...takeForm(req, {} as Record<string, string>),
      })
    }),

    post('/allocate/confirm', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const body = req.body as Record<string, unknown>
      const fingerprint = typeof body.fingerprint === 'string' ? body.fingerprint : ''
      const filter: PreviewFilter = {
        ...(typeof body.unit === 'string' && body.unit ? { unitCode: body.unit } : {}),
        ...(body.interpreter === 'yes' ? { interpreter: true } : {}),
        ...(Number(body.waitingDays) > 0 ? { waitingDays: Number(body.waitingDays) } : {}),
      }
      const back = `/allocate?${filterQuery(filter)}`
      if (!fingerprint)
        return redirectWithErrors(req, res, { form: 'Run the automatic allocation and check the proposal first' }, back)
      const rows: ConfirmRow[] = []
      for (const [key, value] of Object.entries(body)) {
        const m = /^staff_([A-Z]\d{4}[A-Z]{2})$/.exec(key)
        if (!m || typeof value !== 'string') continue
        const proposed = formText(body[`proposed_${m[1]}`])
        const staffId = value === 'none' || !/^\d+$/.test(value) ? null : Number(value)
        rows.push({ prisonNumber: m[1]!, staffId, overridden: value !== proposed })
      }
      const r = await s.autoAllocation.confirm(actorOf(res), est.id, filter, fingerprint, rows)
      if (!r.ok) {
        // an error in a row goes back to the same preview with the Supervising Officer's choices kept
        const rowError = Object.keys(r.errors).some(k => k.startsWith('staff_'))
        const strategy = body.strategy === 'greedy' ? '&strategy=greedy' : ''
        return redirectWithErrors(
          req,
          res,
          r.errors,
          rowError ? `/allocate/preview?${filterQuery(filter)}${strategy}` : back,
        )
      }
      // where the training rules warn, say who among those given prisoners has not done the initial course
      const untrained = await s.autoAllocation.untrainedAmong(
        est.id,
        rows.flatMap(row => (row.staffId === null ? [] : [row.staffId])),
      )
      flash(
        req,
        `${r.value} ${r.value === 1 ? 'prisoner' : 'prisoners'} allocated a Key Worker` +
          (untrained.length
            ? `. Not yet trained (no initial course): ${untrained.join(', ')}; book them onto the course`
            : ''),
      )
      res.redirect(303, back)
    }),

    get('/allocate/rebalance', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      if (est.auto_allocation === 0) return redirectWithErrors(req, res, { form: AUTO_OFF }, '/allocate')
      const moveRecentlySeen = queryString(req, 'recent') === 'yes'
      const preview = await s.rebalance.preview(est.id, { moveRecentlySeen })
      await auditView(s.audit, res, {
        entity: 'allocation_list',
        details: { page: 'proposed moves', shown: prisonNumbersIn(preview) },
      })
      res.render('allocations/views/rebalance', {
        pageTitle: 'Rebalance caseloads',
        preview,
        moveRecentlySeen,
        ...takeForm(req, {}),
      })
    }),

    post('/allocate/rebalance/confirm', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const body = req.body as Record<string, unknown>
      const moveRecentlySeen = body.recent === 'yes'
      const back = `/allocate/rebalance${moveRecentlySeen ? '?recent=yes' : ''}`
      const fingerprint = typeof body.fingerprint === 'string' ? body.fingerprint : ''
      if (!fingerprint) return redirectWithErrors(req, res, { form: 'Check the proposed moves first' }, back)
      const chosen = (Array.isArray(body.move) ? body.move : [body.move]).filter(
        (v): v is string => typeof v === 'string' && v.length > 0,
      )
      const r = await s.rebalance.confirm(actorOf(res), est.id, { moveRecentlySeen }, fingerprint, chosen)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `${r.value} ${r.value === 1 ? 'prisoner' : 'prisoners'} moved to another Key Worker`)
      res.redirect(303, '/allocate')
    }),

    get('/staff/:staffId/cover', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const officer = await s.staff.get(est.id, intParam(req, 'staffId'))
      if (!officer) throw new HttpError(404)
      const caseload = await s.allocations.caseload(est.id, officer.id)
      await auditView(s.audit, res, {
        entity: 'caseload',
        entityId: officer.id,
        details: { page: 'cover', shown: prisonNumbersIn(caseload) },
      })
      const until = splitDate(officer.status_return_date)
      const others = (await s.allocations.officers(est.id)).filter(o => o.id !== officer.id)
      res.render('allocations/views/cover', {
        pageTitle: `Arrange cover for ${officer.first_name} ${officer.last_name}`,
        officer,
        caseload,
        // where the training rules warn and some Key Workers have not done the initial course: ask first
        askUntrained: others.some(o => o.trainingCheck === 'warn'),
        refusedUntrained: others.filter(o => o.trainingCheck === 'refuse').map(o => officerLabel(o)),
        allocateAnyway: ALLOCATE_ANYWAY,
        ...takeForm(req, {
          'until-day': until.day,
          'until-month': until.month,
          'until-year': until.year,
          untrainedConfirmed: '',
        }),
      })
    }),

    post('/staff/:staffId/cover', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const officer = await s.staff.get(est.id, intParam(req, 'staffId'))
      if (!officer) throw new HttpError(404)
      const form = parseForm(coverSchema, joinDateInputs(req.body as Record<string, unknown>, ['until']))
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.cover.arrange(actorOf(res), est.id, officer.id, form.data.until, {
        untrainedConfirmed: form.data.untrainedConfirmed,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      const left = r.value.uncovered.length
      flash(
        req,
        `${r.value.covered} ${r.value.covered === 1 ? 'prisoner' : 'prisoners'} covered until ${formatDate(form.data.until)}` +
          (left ? `; ${left} stay with ${officer.first_name} ${officer.last_name} because nobody has room` : ''),
      )
      res.redirect(303, `/staff/${officer.id}`)
    }),

    get('/caseload', ['KEY_WORKER', 'SUPERVISING_OFFICER'], async (_req, res) => {
      const est = establishmentOf(res)
      const [me] = await s.staff.linkedTo(est.id, ctxOf(res).userId)
      const [rows, due] = me
        ? await Promise.all([s.allocations.caseload(est.id, me.id), s.planning.dueFor(est.id, me.id)])
        : [[], new Map()]
      const caseload = rows.map(p => ({ ...p, due: due.get(p.id) ?? null }))
      await auditView(s.audit, res, {
        entity: 'caseload',
        entityId: me?.id ?? null,
        details: { shown: prisonNumbersIn(rows) },
      })
      res.render('allocations/views/caseload', { pageTitle: 'My caseload', me, caseload })
    }),

    get('/prisoners/:prisonNumber/allocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const [officers, history] = await Promise.all([
        s.allocations.officers(est.id),
        s.allocations.historyForPrisoner(est.id, prisoner.id),
      ])
      const current = history.find(h => h.deallocated_at === null)
      await auditView(s.audit, res, {
        entity: 'prisoner',
        entityId: prisoner.prison_number,
        details: { page: 'allocate' },
      })
      // where the training rules refuse, a Key Worker without the initial course is not offered (and named)
      const choices = officers.filter(o => (o.hasRoom && o.trainingCheck !== 'refuse') || o.id === current?.staff_id)
      const waiting = choices.some(o => o.hasRoom) ? 0 : (await s.autoAllocation.unallocated(est.id)).prisoners.length
      res.render('allocations/views/allocate', {
        pageTitle: `Choose a Key Worker for ${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        officers: choices.map(o => ({ ...o, label: officerLabel(o) })),
        refusedUntrained: officers.filter(o => o.hasRoom && o.trainingCheck === 'refuse').map(o => officerLabel(o)),
        askUntrained: choices.some(o => o.trainingCheck === 'warn'),
        allocateAnyway: ALLOCATE_ANYWAY,
        explanation: choices.some(o => o.hasRoom) ? null : await s.autoAllocation.explain(est.id, Math.max(1, waiting)),
        current,
        ...takeForm(req, { staffId: '', handoverNote: '', untrainedConfirmed: '' }),
      })
    }),

    post('/prisoners/:prisonNumber/allocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const form = parseForm(allocateSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.allocations.allocate(actorOf(res), est.id, prisoner.prison_number, form.data.staffId, {
        reason: 'manual',
        handoverNote: form.data.handoverNote,
        untrainedConfirmed: form.data.untrainedConfirmed,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Key Worker allocated to ${prisoner.first_name} ${prisoner.last_name}`)
      res.redirect(303, `/prisoners/${prisoner.prison_number}`)
    }),

    get('/prisoners/:prisonNumber/deallocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      await auditView(s.audit, res, {
        entity: 'prisoner',
        entityId: prisoner.prison_number,
        details: { page: 'deallocate' },
      })
      res.render('allocations/views/deallocate', {
        pageTitle: `Remove the Key Worker of ${prisoner.first_name} ${prisoner.last_name}`,
        prisoner,
        reasons: DEALLOCATION_REASONS,
        ...takeForm(req, { reason: '', note: '' }),
      })
    }),

    post('/prisoners/:prisonNumber/deallocate', ALLOCATORS, async (req, res) => {
      const est = establishmentOf(res)
      const prisoner = await prisonerOr404(est.id, param(req, 'prisonNumber'))
      const form = parseForm(deallocateSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.allocations.deallocate(
        actorOf(res),
        est.id,
        prisoner.prison_number,
        form.data.reason,
        form.data.note,
      )
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `Key Worker removed from ${prisoner.first_name} ${prisoner.last_name}`)
      res.redirect(303, `/prisoners/${prisoner.prison_number}`)
    }),
  ]
}
