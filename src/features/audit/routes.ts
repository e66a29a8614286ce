import type { Request } from 'express'
import type { Services } from '../../services'
import { establishmentOf } from '../../web/context'
import { queryString } from '../../web/forms'
import { type RouteDef, get } from '../../web/routing'

const ENTITIES = [
  'prisoner',
  'staff',
  'residential_unit',
  'user',
  'user_roles',
  'establishment',
  'national_policy',
  'import',
  'demo',
]

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
      res.render('audit/views/list', {
        pageTitle: 'Audit trail',
        events: events.map(e => ({ ...e, changesText: describeChanges(e.changes) })),
        filters,
        entities: ENTITIES,
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
  return typeof v === 'string' ? v : JSON.stringify(v)
}
