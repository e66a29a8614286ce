import type { Services } from '../../services'
import { REFERRAL_STATUSES } from '../../domain/sessions'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { joinDateInputs, splitDate } from '../../forms/fields'
import { flash, parseForm, queryString, redirectWithErrors, takeForm } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { EMAIL_STATUSES } from '../../platform/notify/mailer'
import { isOverdue, nextStatuses, referralTarget } from '../../domain/referrals'
import { referralUpdateSchema } from './schema'
import { PAGE_SIZE, type ReferralsService, today } from './service'

const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const EDITORS = ['KEY_WORKER', 'SUPERVISING_OFFICER'] as const
const FILTERS = ['open', 'overdue', 'sent', 'acknowledged', 'done', 'declined'] as const
type StatusFilter = (typeof FILTERS)[number]

const FILTER_NAMES: Record<StatusFilter, string> = {
  open: 'Open (sent or acknowledged)',
  overdue: 'Past the follow-up date',
  ...REFERRAL_STATUSES,
}

export function referralRoutes(s: Services): RouteDef[] {
  return [
    get('/referrals', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      // a Key Worker sees their own referrals; Supervising Officers and admins the establishment's
      const wholeEstablishment = hasRole(res, 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY')
      const statusParam = queryString(req, 'status')
      const status = (FILTERS as readonly string[]).includes(statusParam) ? (statusParam as StatusFilter) : undefined
      const officers = wholeEstablishment ? await s.referrals.officers(est.id) : []
      const officerParam = Number(queryString(req, 'officer'))
      const officer = officers.find(o => o.id === officerParam)
      const [me] = wholeEstablishment ? [] : await s.staff.linkedTo(est.id, ctx.userId)
      const page = Math.max(1, Math.min(10_000, Number(queryString(req, 'page')) || 1))
      const filter: Parameters<ReferralsService['list']>[0] = {
        establishmentId: est.id,
        ...(wholeEstablishment ? {} : { mine: { staffId: me?.id ?? null, username: ctx.username } }),
        ...(status ? { status } : {}),
        ...(officer ? { staffId: officer.id } : {}),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }
      const { rows, total } = await s.referrals.list(filter)
      await auditView(s.audit, res, {
        entity: 'referral_list',
        details: {
          ...(status ? { status } : {}),
          ...(officer ? { officer: officer.id } : {}),
          page,
          referrals: rows.map(r => r.id),
          shown: prisonNumbersIn(rows),
        },
      })
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const link = (p: number) => {
        const params = new URLSearchParams({ page: String(p) })
        if (status) params.set('status', status)
        if (officer) params.set('officer', String(officer.id))
        return `/referrals?${params}`
      }
      res.render('referrals/views/list', {
        pageTitle: wholeEstablishment ? 'Referrals' : 'My referrals',
        wholeEstablishment,
        referrals: rows,
        total,
        pages,
        pagination: pagination(page, pages, link),
        filters: { status: status ?? '', officer: officer?.id ?? '' },
        filterNames: FILTER_NAMES,
        officers,
        statuses: REFERRAL_STATUSES,
      })
    }),

    get('/referrals/:referralId', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const referralId = intParam(req, 'referralId')
      const referral = await s.referrals.get(est.id, referralId)
      if (!referral) throw new HttpError(404)
      await auditView(s.audit, res, {
        entity: 'referral',
        entityId: referralId,
        details: { prisonNumber: referral.prison_number },
      })
      const [emails, history] = await Promise.all([
        s.referrals.emailsFor(est.id, referralId),
        s.audit.forEntity('referral', String(referralId)),
      ])
      const next = nextStatuses(referral.status)
      const follow = splitDate(referral.follow_up_date)
      res.render('referrals/views/show', {
        pageTitle: `Referral of ${referral.prisoner_first_name} ${referral.prisoner_last_name}`,
        referral,
        target: referralTarget(referral),
        overdue: isOverdue(referral, today()),
        emails,
        emailStatuses: EMAIL_STATUSES,
        history: history
          .filter(e => e.action === 'update' && e.changes)
          .map(e => ({ at: e.at, username: e.username, changes: JSON.parse(e.changes!) as Record<string, unknown> }))
          .map(e => ({
            ...e,
            status: e.changes.status as { from: string; to: string } | undefined,
            followUp: e.changes.follow_up_date as { from: string | null; to: string | null } | undefined,
            note: (e.changes.follow_up_note as { to: string } | undefined)?.to,
          })),
        statuses: REFERRAL_STATUSES,
        canEdit: hasRole(res, ...EDITORS) && next.length > 0,
        options: [referral.status, ...next],
        ...takeForm(req, {
          status: '',
          note: '',
          'followUpDate-day': follow.day,
          'followUpDate-month': follow.month,
          'followUpDate-year': follow.year,
        }),
      })
    }),

    post('/referrals/:referralId', EDITORS, async (req, res) => {
      const est = establishmentOf(res)
      const referralId = intParam(req, 'referralId')
      if (!(await s.referrals.get(est.id, referralId))) throw new HttpError(404)
      const form = parseForm(
        referralUpdateSchema,
        joinDateInputs(req.body as Record<string, unknown>, ['followUpDate']),
      )
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const r = await s.referrals.update(actorOf(res), est.id, referralId, form.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Referral updated')
      res.redirect(303, `/referrals/${referralId}`)
    }),
  ]
}
