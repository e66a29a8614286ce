import type { Request } from 'express'
import { z } from 'zod'
import type { Services } from '../../services'
import { actorOf, ctxOf } from '../../web/context'
import { flash, parseForm, redirectWithErrors, takeForm } from '../../forms/forms'
import { formText } from '../../forms/fields'
import { type RouteDef, get, post } from '../../web/routing'
import { isLocalPath } from '../../domain/localPath'

export { isLocalPath }

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

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate(err => (err ? reject(err) : resolve())))
}

export function authRoutes(s: Services): RouteDef[] {
  return [
    get('/sign-in', 'public', (req, res) => {
      if (res.locals.ctx) return res.redirect('/')
      res.render('auth/views/sign-in', {
        ...takeForm(req, { username: '' }),
        localPasswords: s.config.localPasswords,
        ssoName: s.config.oidc?.providerName ?? null,
      })
    }),

    post('/sign-in', 'public', async (req, res) => {
      if (res.locals.ctx) return res.redirect(303, '/')
      // local passwords turned off (LOCAL_PASSWORDS=off): only single sign-on
      if (!s.config.localPasswords) {
        return res.status(403).render('sso/views/refused', {
          message: `Passwords are turned off. Sign in with ${s.config.oidc?.providerName ?? 'single sign-on'}.`,
        })
      }
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
      // signed in through the OpenID provider: signed out there too (RP-initiated logout)
      const endSession = await s.sso.endSessionUrl(req.session.oidcIdToken)
      await new Promise<void>(resolve => req.session.destroy(() => resolve()))
      res.clearCookie('keywork.sid')
      res.redirect(303, endSession ?? '/sign-in')
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
      const code = formText((req.body as Record<string, unknown>).establishment)
      const target = ctx.establishments.find(e => e.code === code)
      if (!target) return redirectWithErrors(req, res, { establishment: 'Select an establishment you work in' }, '/')
      req.session.establishmentId = target.id
      flash(req, `You are now working in ${target.name}`)
      // a drill-down from the national overview goes on to one of the establishment's pages (a fixed list: no open redirect)
      const next = formText((req.body as Record<string, unknown>).next)
      res.redirect(303, SWITCH_NEXT.includes(next) ? next : '/')
    }),
  ]
}
