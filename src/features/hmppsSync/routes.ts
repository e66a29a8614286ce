import type { Response } from 'express'
import type { Services } from '../../services'
import { auditView } from '../../web/audit'
import { establishmentOf, hasRole } from '../../web/context'
import { type RouteDef, get, post } from '../../web/routing'
import { formatDate, londonDate } from '../../domain/dates'

/** Where a queue listener posts HMPPS domain events (decision 017). */
export const EVENTS_PATH = '/api/hmpps/events'

/** The events endpoint answers for itself (JSON, its own shared secret): src/routes.ts adds it to isApi. */
export const isHmppsEvents = (req: { path: string }) => req.path === EVENTS_PATH

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})
const when = (iso: string | null) => (iso ? `${formatDate(londonDate(iso))} ${LONDON_TIME.format(new Date(iso))}` : '')

const OUTCOME_NAMES: Record<string, string> = {
  ok: 'Done',
  failed: 'Failed',
  running: 'Running',
  applied: 'Applied',
  unchanged: 'No change',
  ignored: 'Ignored',
}

export function hmppsSyncRoutes(s: Services): RouteDef[] {
  const send = (res: Response, status: number, body: Record<string, unknown>) => void res.status(status).json(body)

  return [
    /**
     * HMPPS domain events from a queue listener (SQS → HTTP), one per request, as the event or its SNS notification.
     * Public to the access rule: it checks the shared secret (HMPPS_EVENTS_TOKEN) itself and never takes a session,
     * so a signed-in browser's post is refused by the CSRF stage (only a request with no session skips it).
     */
    post(EVENTS_PATH, 'public', async (req, res) => {
      const check = s.hmppsSync.checkEventsToken(req.get('authorization'))
      if (check !== 'ok') {
        res.set('WWW-Authenticate', 'Bearer realm="keywork HMPPS events"')
        return send(res, 401, {
          status: 401,
          message:
            check === 'off'
              ? 'HMPPS events are not enabled on this keywork (HMPPS_EVENTS_TOKEN is not set)'
              : 'Send the events secret as Authorization: Bearer <secret>',
        })
      }
      if (!req.is('application/json'))
        return send(res, 400, { status: 400, errors: ['Send the event as JSON (Content-Type: application/json)'] })
      const answer = await s.hmppsSync.takeEvent(req.body)
      send(res, answer.status, answer.body)
    }),

    /**
     * The last roll syncs and the latest events with what each did: an establishment admin sees their establishment's,
     * the national team every establishment's. Events name prison numbers: the view is audited.
     */
    get('/hmpps', ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'], async (req, res) => {
      const national = hasRole(res, 'NATIONAL_POLICY')
      const est = establishmentOf(res)
      const recent = await s.hmppsSync.recent(national ? null : est.id)
      const numbers = [...new Set(recent.events.map(e => e.prison_number).filter((n): n is string => !!n))]
      await auditView(s.audit, res, {
        entity: 'hmpps_events',
        details: { scope: national ? 'all establishments' : est.code, prisonNumbers: numbers },
      })
      res.render('hmppsSync/views/index', {
        pageTitle: 'HMPPS systems',
        national,
        enabled: s.hmppsSync.enabled,
        runs: recent.runs.map(r => ({
          ...r,
          startedText: when(r.started_at),
          outcomeText: OUTCOME_NAMES[r.outcome] ?? r.outcome,
        })),
        events: recent.events.map(e => ({
          ...e,
          occurredText: when(e.occurred_at),
          outcomeText: OUTCOME_NAMES[e.outcome] ?? e.outcome,
        })),
      })
    }),
  ]
}
