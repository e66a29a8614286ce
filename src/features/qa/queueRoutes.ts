import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { auditView, prisonNumbersIn } from '../../web/audit'
import { flash, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'
import { DUE_LABELS, monthName } from './rules'
import { READERS, SO } from './requests'

/** The Supervising Officers' queue of sampled entries, and drawing the month so far. */
export function qaQueueRoutes(s: Services): RouteDef[] {
  return [
    get('/quality/queue', READERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      // each complete month is drawn the first time the queue is opened after it (idempotent)
      await s.qa.ensureDrawn(actorOf(res), est.id)
      const queue = await s.qa.queue(est.id, hasRole(res, 'SUPERVISING_OFFICER') ? ctx.userId : null)
      await auditView(s.audit, res, {
        entity: 'qa_queue',
        details: { samples: queue.rows.map(r => r.id), shown: prisonNumbersIn(queue.rows) },
      })
      res.render('qa/views/queue', {
        pageTitle: 'Quality assurance queue',
        ...queue,
        dueLabels: DUE_LABELS,
        canReview: hasRole(res, 'SUPERVISING_OFFICER'),
        currentMonth: monthName(s.qa.currentMonth()),
        ...takeForm(req, {}),
      })
    }),

    post('/quality/queue/draw', SO, async (req, res) => {
      const est = establishmentOf(res)
      const { added, month } = await s.qa.draw(actorOf(res), est.id, s.qa.currentMonth())
      flash(
        req,
        added.length
          ? `${added.length} ${added.length === 1 ? 'entry' : 'entries'} of ${monthName(month)} added to the queue`
          : `No entries of ${monthName(month)} to add: the month so far is already sampled`,
      )
      res.redirect(303, '/quality/queue')
    }),
  ]
}
