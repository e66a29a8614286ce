import type { Response } from 'express'
import type { Services } from '../../services'
import { actorOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { flash } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { formatDate, londonDate } from '../../domain/dates'
import type { OutboxScope } from './service'

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** A UTC timestamp as people in the establishment read it: '6 December 2026 at 09:41'. */
const londonDateTime = (at: string) => `${formatDate(londonDate(at))} at ${LONDON_TIME.format(new Date(at))}`

/** An establishment admin sees and retries its own establishment's notes; the national team every establishment's. */
const ADMINS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const

const scopeOf = (res: Response): OutboxScope =>
  hasRole(res, 'NATIONAL_POLICY') ? 'all' : { establishmentId: establishmentOf(res).id }

export function caseNotesRoutes(s: Services): RouteDef[] {
  return [
    get('/case-notes', ADMINS, async (req, res) => {
      const scope = scopeOf(res)
      const { rows, counts } = await s.caseNotes.unsent(scope)
      // the rows name prisoners by prison number
      await auditView(s.audit, res, { entity: 'case_note_outbox_list', details: { rows: rows.map(r => r.id) } })
      res.render('caseNotes/views/list', {
        pageTitle: 'Case notes to the MoJ case notes service',
        rows: rows.map(r => ({ ...r, nextTry: r.status === 'pending' ? londonDateTime(r.next_attempt_at) : null })),
        counts,
        national: scope === 'all',
        configured: s.caseNotes.configured,
      })
    }),

    post('/case-notes/:outboxId/retry', ADMINS, async (req, res) => {
      const id = intParam(req, 'outboxId')
      const r = await s.caseNotes.retry(actorOf(res), scopeOf(res), id)
      if (r === 'not-found') throw new HttpError(404)
      flash(
        req,
        r === 'retried'
          ? 'The case note will be sent again within a minute'
          : 'That case note has not failed: it is sent, or waiting to be sent',
      )
      res.redirect(303, '/case-notes')
    }),
  ]
}
