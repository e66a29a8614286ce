import type { Request } from 'express'
import type { Services } from '../../services'
import { auditView } from '../../web/audit'
import { establishmentOf } from '../../web/context'
import { queryString } from '../../forms/forms'
import { type RouteDef, get } from '../../web/routing'

/** What the page calls each action: the stored names are internal. An unknown one shows as stored. */
export const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  view: 'Viewed',
  refused: 'Refused access',
  import: 'Imported',
  submit: 'Submitted',
  amend: 'Amended',
  'sign-in': 'Signed in',
  'sign-out': 'Signed out',
  'sign-in-failed': 'Sign-in failed',
  revoke: 'Revoked',
}

/** The record types, named as people call them; the filter offers these, in this order. */
export const ENTITY_LABELS: Record<string, string> = {
  prisoner: 'Prisoner',
  prisoner_search: 'Prisoner search',
  key_work_session: 'Session entry',
  session_list: 'Your session entries',
  referral: 'Referral',
  referral_list: 'Referrals list',
  caseload: 'Caseload',
  allocation: 'Allocation',
  allocation_list: 'Prisoners to allocate',
  sessions_due: 'Sessions due',
  hub: 'Hub bookings for a day',
  hub_booking: 'Hub booking',
  hub_booking_list: 'Your hub bookings',
  outbox_email: 'Email',
  outbox_email_list: 'Emails list',
  audit_trail: 'Audit trail',
  page: 'Page',
  staff: 'Staff member',
  residential_unit: 'Residential unit',
  user: 'User',
  user_roles: 'User roles',
  establishment: 'Establishment',
  national_policy: 'National policy',
  import: 'Import',
  demo: 'Demo data',
  api_token: 'API token',
  hsds_api: 'Directory API read with a token',
  xapi_api: 'Training records (xAPI) used with a token',
}
const ENTITIES = Object.keys(ENTITY_LABELS)

const label = (labels: Record<string, string>, name: string) =>
  labels[name] ?? name.replaceAll('_', ' ').replace(/^./, c => c.toUpperCase())

const q = (req: Request, name: string) => queryString(req, name, 60)

export function auditRoutes(s: Services): RouteDef[] {
  return [
    get('/audit', ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'], async (req, res) => {
      const est = establishmentOf(res)
      const filters = {
        entity: ENTITIES.includes(q(req, 'entity')) ? q(req, 'entity') : '',
        entityId: q(req, 'entityId'),
        username: q(req, 'username'),
      }
      const events = await s.audit.recent({ establishmentId: est.id, ...filters }, 200)
      // the trail holds what was seen and changed of prisoners: reading it is audited too
      await auditView(s.audit, res, { entity: 'audit_trail', details: { ...filters, shown: events.length } })
      res.render('audit/views/list', {
        pageTitle: 'Audit trail',
        events: events.map(e => ({
          ...e,
          actionText: label(ACTION_LABELS, e.action),
          entityText: label(ENTITY_LABELS, e.entity),
          changesText: describeChanges(e.changes),
        })),
        filters,
        entities: ENTITIES.map(e => ({ value: e, text: ENTITY_LABELS[e]! })),
      })
    }),
  ]
}

/** "status: in → released; cell: A-1-001 → A-2-003" */
export function describeChanges(changes: string | null): string {
  if (!changes) return ''
  try {
    const parsed = JSON.parse(changes) as Record<string, unknown>
    return Object.entries(parsed)
      .map(([k, v]) => {
        if (v && typeof v === 'object' && 'from' in v && 'to' in v) {
          const c = v as { from: unknown; to: unknown }
          return `${k}: ${fmt(c.from)} → ${fmt(c.to)}`
        }
        return `${k}: ${fmt(v)}`
      })
      .join('; ')
  } catch {
    return changes
  }
}

function fmt(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(blank)'
  if (Array.isArray(v)) return v.length ? v.map(fmt).join(', ') : 'none'
  if (typeof v === 'object')
    return Object.entries(v)
      .map(([k, x]) => `${k} ${fmt(x)}`)
      .join(', ')
  return typeof v === 'string' ? v : JSON.stringify(v)
}
