import type { Request, Response } from 'express'
import type { Logger } from 'pino'
import type { AuditService } from '../platform/audit/service'
import type { RequestContext } from './context'
import { actorOf, establishmentOf } from './context'

/**
 * Records that the signed-in user was shown a prisoner's personal data: one 'view' event per page (a list page names
 * the records it showed in `details`, not one event per row), in its own small transaction. Prison numbers and
 * search terms belong in the audit trail, which admins read; the logs never hold them.
 */
export function auditView(
  audit: AuditService,
  res: Response,
  what: { entity: string; entityId?: string | number | null; details?: Record<string, unknown> },
): Promise<void> {
  return audit.recordAlone(actorOf(res), {
    action: 'view',
    entity: what.entity,
    entityId: what.entityId ?? null,
    establishmentId: establishmentOf(res).id,
    ...(what.details ? { changes: what.details } : {}),
  })
}

/** The prison numbers a page's rows carry (`prison_number` at any depth of the view model), each once, in order. */
export function prisonNumbersIn(...values: unknown[]): string[] {
  const found = new Set<string>()
  const walk = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 5) return
    if (Array.isArray(v)) return v.forEach(x => walk(x, depth + 1))
    if (v instanceof Map) return [...v.values()].forEach(x => walk(x, depth + 1))
    for (const [k, x] of Object.entries(v)) {
      if (k === 'prison_number' && typeof x === 'string') found.add(x)
      else walk(x, depth + 1)
    }
  }
  values.forEach(v => walk(v, 0))
  return [...found]
}

/**
 * The route parameters that name a prisoner's personal data, most telling first: a 404 on a route with one of them is
 * an attempt to open a record that is not there or not this establishment's, and is audited like a 403. The entity
 * names match the view events of those pages.
 */
const PERSONAL_PARAMS: readonly (readonly [param: string, entity: string])[] = [
  ['prisonNumber', 'prisoner'],
  // before sessionId: an exercise's entry is refused as the exercise asked for
  ['calibrationId', 'qa_calibration'],
  ['sessionId', 'key_work_session'],
  ['referralId', 'referral'],
  ['bookingId', 'hub_booking'],
  ['emailId', 'outbox_email'],
  ['staffId', 'caseload'],
  ['hubId', 'hub'],
  ['nominationId', 'good_practice_nomination'],
  ['flagId', 'integrity_flag'],
  ['entryId', 'reflective_entry'],
  // a recruitment candidate (personal data kept apart; a user not assigned to score it is refused)
  ['candidateId', 'recruitment_candidate'],
  // a training course: its officers' names and places (another establishment's is not found)
  ['courseId', 'training_course'],
  // an officer's training completion and certificate (staff data; another establishment's is not found)
  ['completionId', 'training_completion'],
  ['certificateId', 'training_certificate'],
  // not personal data, but another establishment's training module is refused like a record (issue 16)
  ['localModuleId', 'training_module'],
]

/** A requested id is whatever the user typed: keep a short excerpt of it. */
const excerpt = (v: string) => (v.length > 80 ? `${v.slice(0, 80)}…` : v)

/**
 * The route's whole-segment parameters, read from the path again: by the time the error handler runs, Express has
 * reset req.params (req.route is still the route that refused).
 */
function paramsOf(route: string, path: string): Record<string, string> {
  const names = route.split('/')
  const values = path.split('/')
  if (names.length !== values.length) return {}
  const params: Record<string, string> = {}
  names.forEach((n, i) => {
    const m = /^:(\w+)$/.exec(n)
    if (!m) return
    try {
      params[m[1]!] = excerpt(decodeURIComponent(values[i]!))
    } catch {
      params[m[1]!] = excerpt(values[i]!)
    }
  })
  return params
}

/**
 * Audits a refused request of a signed-in user: every 403 (bar a stale form's CSRF token), and a 404 on a route that
 * names personal data. Recording it can fail (the database is down): the failure is then logged without the id, and
 * the user still gets the error page, never a 500.
 */
export async function auditRefusal(
  audit: AuditService,
  logger: Logger,
  req: Request,
  res: Response,
  status: number,
  csrfFailed: boolean,
): Promise<void> {
  try {
    await recordRefusal(audit, req, res, status, csrfFailed)
  } catch (err) {
    logger.error(
      { err, route: (req.route as { path?: unknown } | undefined)?.path, status },
      'could not audit a refusal',
    )
  }
}

async function recordRefusal(audit: AuditService, req: Request, res: Response, status: number, csrfFailed: boolean) {
  const ctx = res.locals.ctx as RequestContext | undefined
  if (!ctx || csrfFailed || (status !== 403 && status !== 404)) return
  const route = (req.route as { path?: unknown } | undefined)?.path
  const actor = { userId: ctx.userId, username: ctx.username, establishmentId: ctx.establishment?.id ?? null }
  if (typeof route !== 'string') {
    // refused before any route matched (a stage of the app, not a route's access rule): only the path is known
    if (status === 403)
      await audit.recordAlone(actor, {
        action: 'refused',
        entity: 'page',
        changes: { method: req.method, path: excerpt(req.path), status },
      })
    return
  }
  const params = paramsOf(route, req.path)
  const named = PERSONAL_PARAMS.find(([p]) => p in params)
  if (status === 404 && !named) return
  await audit.recordAlone(actor, {
    action: 'refused',
    entity: named ? named[1] : 'page',
    entityId: named ? params[named[0]] : null,
    changes: { method: req.method, route, status, ...(Object.keys(params).length ? { params } : {}) },
  })
}
