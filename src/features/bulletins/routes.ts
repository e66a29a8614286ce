import type { Request, Response } from 'express'
import type { Services } from '../../services'
import { actorOf, ctxOf, establishmentOf, hasRole } from '../../web/context'
import { HttpError } from '../../web/errors'
import { auditView } from '../../web/audit'
import { flash, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { londonDate } from '../../domain/dates'
import {
  AUDIENCE_NAMES,
  AUDIENCE_ROLES,
  BULLETIN_SUMMARY_MAX,
  BULLETIN_TITLE_MAX,
  RECENT_DAYS,
} from '../../domain/bulletins'
import { bulletinView } from './service'
import { parseNotice } from './schema'

/** The national team publishes; establishment staff read and mark read; SOs and admins see who has not. */
const NATIONAL = ['NATIONAL_POLICY'] as const
const READERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const MARKERS = ['KEY_WORKER', 'SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
const REACH = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const PAGE = 50
/** The newest bulletins the national reach table shows as columns. */
const REACH_COLUMNS = 6

/** Where a "Mark as read" form may send the user back to: the home page or the bulletin itself. */
function backTo(req: Request, id: number): string {
  const v = (req.body as Record<string, unknown>).returnTo
  return v === '/' ? '/' : `/bulletins/${id}`
}

export function bulletinsRoutes(s: Services): RouteDef[] {
  const formDefaults = { title: '', summary: '', link: '', audience: '', roles: [] as string[] }
  const renderNew = (req: Request, res: Response) => {
    const kept = takeForm(req, formDefaults)
    const roles = kept.values.roles
    res.render('bulletins/views/new', {
      pageTitle: 'Publish a notice',
      titleMax: BULLETIN_TITLE_MAX,
      summaryMax: BULLETIN_SUMMARY_MAX,
      roleItems: AUDIENCE_ROLES.map(r => ({
        value: r,
        text: AUDIENCE_NAMES[r],
        checked: Array.isArray(roles) ? roles.includes(r) : roles === r,
      })),
      ...kept,
    })
  }

  return [
    get('/bulletins', NATIONAL, async (req, res) => {
      const raw = typeof req.query.page === 'string' ? req.query.page : '1'
      const page = /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : 1
      const { rows, total } = await s.bulletins.list(PAGE, (page - 1) * PAGE)
      res.render('bulletins/views/list', {
        ...takeForm(req, {}),
        pageTitle: 'Bulletins published',
        bulletins: rows.map(b => bulletinView(b)),
        total,
        page,
        previous: page > 1 ? page - 1 : null,
        next: page * PAGE < total ? page + 1 : null,
      })
    }),

    get('/bulletins/new', NATIONAL, renderNew),

    post('/bulletins/new', NATIONAL, async (req, res) => {
      const parsed = parseNotice(req.body)
      if (!parsed.ok) return redirectWithErrors(req, res, parsed.errors)
      const r = await s.bulletins.publishNotice(actorOf(res), parsed.data)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Notice published: establishment staff see it on their home page until they mark it read')
      res.redirect(303, `/bulletins/${r.value}`)
    }),

    get('/bulletins/reach', REACH, async (req, res) => {
      const ctx = ctxOf(res)
      if (ctx.national) {
        const reach = await s.bulletins.nationalReach()
        // a table a phone can stack: the newest few bulletins as columns
        return res.render('bulletins/views/nationalReach', {
          ...takeForm(req, {}),
          pageTitle: 'Reach of bulletins by establishment',
          recentDays: RECENT_DAYS,
          columns: REACH_COLUMNS,
          more: Math.max(0, reach.bulletins.length - REACH_COLUMNS),
          bulletins: reach.bulletins.slice(0, REACH_COLUMNS).map(b => bulletinView(b)),
          establishments: reach.establishments.map(e => ({ ...e, cells: e.cells.slice(0, REACH_COLUMNS) })),
        })
      }
      const est = establishmentOf(res)
      const rows = await s.bulletins.reach(est.id)
      // the page names the establishment's staff who have not read each bulletin
      await auditView(s.audit, res, {
        entity: 'bulletin_reach',
        details: { bulletins: rows.map(r => r.bulletin.id) },
      })
      res.render('bulletins/views/reach', {
        ...takeForm(req, {}),
        pageTitle: `Who has read the national team’s bulletins in ${est.name}`,
        recentDays: RECENT_DAYS,
        rows: rows.map(r => ({ ...r, view: bulletinView(r.bulletin) })),
      })
    }),

    get('/bulletins/:bulletinId', READERS, async (req, res) => {
      const ctx = ctxOf(res)
      const b = await s.bulletins.readable(intParam(req, 'bulletinId'), ctx.roles)
      if (!b) throw new HttpError(404)
      const readAt = await s.bulletins.readAt(b.id, ctx.userId)
      res.render('bulletins/views/bulletin', {
        ...takeForm(req, {}),
        pageTitle: b.title,
        bulletin: bulletinView(b),
        readOn: readAt ? londonDate(readAt) : null,
        canMark: hasRole(res, ...MARKERS) && !readAt && s.bulletins.isFor(b, ctx.roles),
        national: ctx.national,
      })
    }),

    post('/bulletins/:bulletinId/read', MARKERS, async (req, res) => {
      const ctx = ctxOf(res)
      const id = intParam(req, 'bulletinId')
      const b = await s.bulletins.readable(id, ctx.roles)
      if (!b) throw new HttpError(404)
      const r = await s.bulletins.markRead(actorOf(res), id, ctx.roles)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, backTo(req, id))
      flash(req, `Marked as read: ${b.title}`)
      res.redirect(303, backTo(req, id))
    }),
  ]
}
