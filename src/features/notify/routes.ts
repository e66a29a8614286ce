import type { Response } from 'express'
import type { Services } from '../../services'
import { establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { queryString } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam } from '../../web/routing'
import { EMAIL_STATUSES } from '../../platform/notify/mailer'
import type { OutboxScope } from '../../platform/notify/repository'

const READERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const PAGE_SIZE = 50

/** An establishment admin reads its own emails; the national team also those tied to no establishment. */
function scopeOf(res: Response): OutboxScope {
  return { establishmentId: establishmentOf(res).id, includeNational: hasRole(res, 'NATIONAL_POLICY') }
}

export function notifyRoutes(s: Services): RouteDef[] {
  return [
    get('/outbox', READERS, async (req, res) => {
      const scope = scopeOf(res)
      const total = await s.mailer.count(scope)
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const page = Math.max(1, Math.min(pages, Number(queryString(req, 'page')) || 1))
      const emails = await s.mailer.list(scope, PAGE_SIZE, (page - 1) * PAGE_SIZE)
      // their subjects name the prisoner a referral is about
      await auditView(s.audit, res, { entity: 'outbox_email_list', details: { page, emails: emails.map(e => e.id) } })
      res.render('notify/views/list', {
        pageTitle: 'Emails',
        emails,
        total,
        pagination: pagination(page, pages, p => `/outbox?page=${p}`),
        pages,
        statuses: EMAIL_STATUSES,
        notifyConfigured: s.mailer.configured,
      })
    }),

    get('/outbox/:emailId', READERS, async (req, res) => {
      const email = await s.mailer.get(scopeOf(res), intParam(req, 'emailId'))
      if (!email) throw new HttpError(404)
      await auditView(s.audit, res, { entity: 'outbox_email', entityId: email.id })
      const referralId = /^referral-(\d+)$/.exec(email.reference ?? '')?.[1]
      res.render('notify/views/show', {
        pageTitle: email.subject,
        email,
        statuses: EMAIL_STATUSES,
        referralId,
      })
    }),
  ]
}
