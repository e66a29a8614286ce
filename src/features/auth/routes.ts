import type { Request } from 'express'
import { z } from 'zod'
import type { Services } from '../../services'
import { actorOf, ctxOf } from '../../web/context'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { type RouteDef, get, post } from '../../web/routing'

const signInSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(100),
  password: z.string().min(1, 'Enter your password').max(1000),
})

const passwordSchema = z
  .object({
    currentPassword: z.string().max(1000).default(''),
    newPassword: z.string().min(1, 'Enter a new password').max(1000),
    confirmPassword: z.string().max(1000).default(''),
  })
  .refine(v => v.newPassword === v.confirmPassword, {
    message: 'The passwords do not match',
    path: ['confirmPassword'],
  })

/** Where the establishment switch may go on to after switching, besides the home page. */
const SWITCH_NEXT = ['/statistics', '/comparison', '/quality/dashboard', '/training/dashboard']

/**
 * A path of this service to return to after sign-in, never another site: one leading slash not followed by another
 * slash or a backslash (browsers read '//x' and '/\x' as another host), no backslash or control character anywhere
 * (browsers drop tabs and newlines and read '\' as '/'), and nothing a URL parser reads as another origin.
 */
export function isLocalPath(url: string): boolean {
  if (!url.startsWith('/') || url[1] === '/' || url.includes('\\')) return false
  for (const c of url) if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) return false
  try {
    return new URL(url, 'http://keywork.invalid').origin === 'http://keywork.invalid'
  } catch {
    return false
  }
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate(err => (err ? reject(err) : resolve())))
}

export function authRoutes(s: Services): RouteDef[] {
  return [
    get('/sign-in', 'public', (req, res) => {
      if (res.locals.ctx) return res.redirect('/')
      res.render('auth/views/sign-in', takeForm(req, { username: '' }))
    }),

    post('/sign-in', 'public', async (req, res) => {
      if (res.locals.ctx) return res.redirect(303, '/')
      const form = parseForm(signInSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const result = await s.users.signIn(form.data.username, form.data.password, req.ip ?? 'unknown')
      if (!result.ok) {
        const message =
          result.reason === 'locked'
            ? 'Too many failed attempts to sign in. Wait 15 minutes and try again.'
            : 'The username or password is incorrect'
        return redirectWithErrors(req, res, { username: message })
      }
      const { returnTo, unsaved } = req.session
      // a new session id at sign-in defeats session fixation
      await regenerate(req)
      req.session.userId = result.user.id
      // a form posted while signed out goes back to its page (which shows it only to the user it belongs to)
      if (unsaved && returnTo === unsaved.page) req.session.unsaved = unsaved
      const first = result.grants.find(g => g.establishmentId !== null)
      if (first?.establishmentId) req.session.establishmentId = first.establishmentId
      res.redirect(303, returnTo && isLocalPath(returnTo) ? returnTo : '/')
    }),

    post('/sign-out', 'signed-in', async (req, res) => {
      await s.audit.recordAlone(actorOf(res), { action: 'sign-out', entity: 'user', entityId: ctxOf(res).userId })
      await new Promise<void>(resolve => req.session.destroy(() => resolve()))
      res.clearCookie('keywork.sid')
      res.redirect(303, '/sign-in')
    }),

    get('/account/password', 'signed-in', async (req, res) => {
      const { user } = await s.users.access(ctxOf(res).userId)
      res.render('auth/views/password', { mustChange: user?.must_change_password === 1, ...takeForm(req, {}) })
    }),

    post('/account/password', 'signed-in', async (req, res) => {
      const form = parseForm(passwordSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors)
      const ctx = ctxOf(res)
      const { currentPassword, newPassword } = form.data
      // every other session of the user ends; this one stays
      const r = await s.users.changePassword(actorOf(res), ctx.userId, currentPassword, newPassword, req.sessionID)
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, 'Your password has been changed. You have been signed out everywhere else.')
      res.redirect(303, '/')
    }),

    post('/establishment/switch', 'signed-in', (req, res) => {
      const ctx = ctxOf(res)
      const code = String((req.body as Record<string, unknown>).establishment ?? '')
      const target = ctx.establishments.find(e => e.code === code)
      if (!target) return redirectWithErrors(req, res, { establishment: 'Select an establishment you work in' }, '/')
      req.session.establishmentId = target.id
      flash(req, `You are now working in ${target.name}`)
      // a drill-down from the national overview goes on to one of the establishment's pages (a fixed list: no open redirect)
      const next = String((req.body as Record<string, unknown>).next ?? '')
      res.redirect(303, SWITCH_NEXT.includes(next) ? next : '/')
    }),
  ]
}
