import type { Request, Response } from 'express'
import { z } from 'zod'
import type { Services } from '../../services'
import { ROLES, ROLE_NAMES, type Role, isRole } from '../../domain/roles'
import { actorOf, ctxOf, establishmentOf } from '../../web/context'
import { HttpError } from '../../web/errors'
import { optionalText, text } from '../../forms/fields'
import { flash, parseForm, redirectWithErrors, takeForm, queryString } from '../../forms/forms'
import { pagination } from '../../web/pagination'
import { type RouteDef, get, intParam, post } from '../../web/routing'
import { passwordProblem } from '../../platform/auth/passwords'

const MANAGERS = ['ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
const LOCAL_ROLES = ROLES.filter(r => r !== 'NATIONAL_POLICY')
const PAGE_SIZE = 50

// Deliberately simple: one @, something on each side, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Checkboxes post nothing, one value or several. */
const roleList = z.preprocess(
  v => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.string())
    .max(ROLES.length * 2)
    .transform((values, ctx) => {
      const roles = [...new Set(values)]
      if (!roles.every(isRole)) {
        ctx.addIssue({ code: 'custom', message: 'Choose roles from the list' })
        return z.NEVER
      }
      if (roles.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'Select at least one role' })
        return z.NEVER
      }
      return roles
    }),
)

// The password field's name keeps it out of the values a form keeps after an error; signInMethod must not match.
const newUserSchema = z.object({
  username: z
    .string({ error: 'Enter a username' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter a username')
    .regex(/^[a-z0-9.-]{3,50}$/, 'Username must be 3 to 50 lowercase letters, digits, dots or hyphens'),
  displayName: text('their full name', 100),
  email: optionalText('email address', 254).refine(v => v === null || EMAIL.test(v), {
    message: 'Enter an email address in the correct format, like name@justice.gov.uk',
  }),
  signInMethod: z.enum(['password', 'none'], { error: 'Choose how they will sign in' }),
  password: z.string().optional(),
  roles: roleList,
})

/** Checked apart from the schema so that its message shows together with every other field's. */
function passwordError(body: Record<string, unknown>): Record<string, string> {
  if (body.signInMethod !== 'password') return {}
  const field = (name: string) => (typeof body[name] === 'string' ? body[name] : '')
  const problem = passwordProblem(field('password'), { username: field('username'), displayName: field('displayName') })
  return problem ? { password: problem } : {}
}

const rolesSchema = z.object({ roles: roleList })
const removeSchema = z.object({
  remove: z.literal('yes', { error: 'Confirm that they should be removed from this establishment' }),
})
const newPasswordSchema = z.object({
  newPassword: z.string({ error: 'Enter a new password' }).min(1, 'Enter a new password').max(1000),
})
const enabledSchema = z.object({
  enabled: z.enum(['yes', 'no'], { error: 'Choose whether to enable or disable the account' }),
})

/** National users may look across every establishment: ?scope=all. Everyone else sees their establishment's users. */
function scopeOf(req: Request, res: Response): { establishmentId: number | null; all: boolean } {
  const all = ctxOf(res).national && req.query.scope === 'all'
  return { establishmentId: all ? null : establishmentOf(res).id, all }
}

const userPath = (userId: number, all: boolean) => `/users/${userId}${all ? '?scope=all' : ''}`

/** Roles in a steady order on both engines: by establishment, then as ROLES lists them. */
function byRole(a: { role: string; code: string | null }, b: { role: string; code: string | null }) {
  return (a.code ?? '').localeCompare(b.code ?? '') || ROLES.indexOf(a.role as Role) - ROLES.indexOf(b.role as Role)
}

function roleOptions(res: Response): Role[] {
  return ctxOf(res).national ? [...ROLES] : LOCAL_ROLES
}

export function userRoutes(s: Services): RouteDef[] {
  /** The user, if the actor may see them in this scope; otherwise a 404, revealing nothing. */
  async function visibleUser(req: Request, res: Response) {
    const { establishmentId, all } = scopeOf(req, res)
    const userId = intParam(req, 'userId')
    const user = await s.users.visible(userId, establishmentId)
    if (!user) throw new HttpError(404)
    return { user, all }
  }

  return [
    get('/users', MANAGERS, async (req, res) => {
      const est = establishmentOf(res)
      const { establishmentId, all } = scopeOf(req, res)
      const q = queryString(req, 'q')
      const page = Math.max(1, Math.min(10_000, Number(queryString(req, 'page')) || 1))
      const { rows, total } = await s.users.search(establishmentId, q, PAGE_SIZE, (page - 1) * PAGE_SIZE)
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
      const link = (p: number) => {
        const params = new URLSearchParams({ q, page: String(p) })
        if (all) params.set('scope', 'all')
        return `/users?${params}`
      }
      res.render('users/views/list', {
        pageTitle: 'Users',
        rows: rows.map(u => ({
          ...u,
          href: userPath(u.id, all || !u.roles.some(r => r.establishment_id === est.id)),
          rolesText: [...u.roles]
            .sort(byRole)
            .filter(r => all || r.establishment_id === est.id || r.establishment_id === null)
            .map(r => (all && r.code ? `${r.code}: ` : '') + (ROLE_NAMES[r.role as Role] ?? r.role))
            .join(', '),
        })),
        total,
        page,
        pages,
        pagination: pagination(page, pages, link),
        filters: { q, all },
        national: ctxOf(res).national,
      })
    }),

    get('/users/new', MANAGERS, (req, res) => {
      res.render('users/views/new', {
        pageTitle: 'Add a user',
        roleOptions: roleOptions(res),
        roleNames: ROLE_NAMES,
        ...takeForm(req, { username: '', displayName: '', email: '', signInMethod: 'password', roles: [] }),
      })
    }),

    post('/users/new', MANAGERS, async (req, res) => {
      const body = req.body as Record<string, unknown>
      const form = parseForm(newUserSchema, body)
      const errors = { ...(form.ok ? {} : form.errors), ...passwordError(body) }
      if (!form.ok || Object.keys(errors).length) return redirectWithErrors(req, res, errors)
      const est = establishmentOf(res)
      const d = form.data
      if (d.roles.includes('NATIONAL_POLICY') && !ctxOf(res).national)
        return redirectWithErrors(req, res, {
          roles: 'Only the national policy team can give the national policy role',
        })
      const r = await s.users.create(actorOf(res), {
        username: d.username,
        displayName: d.displayName,
        email: d.email,
        password: d.signInMethod === 'password' ? (d.password ?? '') : null,
        roles: d.roles.map(role => ({ role, establishmentId: role === 'NATIONAL_POLICY' ? null : est.id })),
        // the admin knows it: its owner chooses their own at first sign-in
        mustChangePassword: true,
      })
      if (!r.ok) return redirectWithErrors(req, res, r.errors)
      flash(req, `${d.displayName} (${d.username}) has been added`)
      const local = d.roles.some(role => role !== 'NATIONAL_POLICY')
      res.redirect(303, userPath(r.value, !local))
    }),

    get('/users/:userId', MANAGERS, async (req, res) => {
      const est = establishmentOf(res)
      const ctx = ctxOf(res)
      const { user, all } = await visibleUser(req, res)
      const byEstablishment = new Map<string, { name: string; roles: string[] }>()
      for (const r of [...user.roles].sort(byRole)) {
        const key = r.establishment_id === null ? '' : String(r.establishment_id)
        const entry = byEstablishment.get(key) ?? {
          name: r.establishment_id === null ? 'All establishments' : `${r.name} (${r.code})`,
          roles: [],
        }
        entry.roles.push(ROLE_NAMES[r.role as Role] ?? r.role)
        byEstablishment.set(key, entry)
      }
      const held = user.roles
        .filter(r => r.establishment_id === est.id || (r.establishment_id === null && ctx.national))
        .map(r => r.role)
      res.render('users/views/show', {
        pageTitle: user.display_name,
        user,
        all,
        action: (what: string) => `/users/${user.id}/${what}${all ? '?scope=all' : ''}`,
        roleTable: [...byEstablishment.values()],
        roleOptions: roleOptions(res),
        roleNames: ROLE_NAMES,
        staffRecords: await s.staff.linkedTo(est.id, user.id),
        isSelf: user.id === ctx.userId,
        manageAccount: await s.users.mayManageAccount(ctx.grants, user.id),
        worksHere: user.roles.some(r => r.establishment_id === est.id),
        ...takeForm(req, { roles: held }),
      })
    }),

    post('/users/:userId/roles', MANAGERS, async (req, res) => {
      const { user, all } = await visibleUser(req, res)
      const back = userPath(user.id, all)
      const form = parseForm(rolesSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const ctx = ctxOf(res)
      const roles = form.data.roles
      if (user.id === ctx.userId) {
        const holds = (role: Role, establishmentId: number | null) =>
          user.roles.some(r => r.role === role && r.establishment_id === establishmentId)
        const est = establishmentOf(res).id
        if (holds('ESTABLISHMENT_ADMIN', est) && !roles.includes('ESTABLISHMENT_ADMIN'))
          return redirectWithErrors(req, res, { roles: 'You cannot remove your own establishment admin role' }, back)
        if (holds('NATIONAL_POLICY', null) && !roles.includes('NATIONAL_POLICY'))
          return redirectWithErrors(req, res, { roles: 'You cannot remove your own national policy role' }, back)
      }
      const r = await s.users.setRoles(actorOf(res), ctx.grants, user.id, establishmentOf(res).id, roles)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `Roles saved for ${user.display_name}`)
      // without a role here, the user is only in view across all establishments
      const local = roles.some(role => role !== 'NATIONAL_POLICY')
      res.redirect(303, userPath(user.id, all || !local))
    }),

    post('/users/:userId/enabled', MANAGERS, async (req, res) => {
      const { user, all } = await visibleUser(req, res)
      const back = userPath(user.id, all)
      const form = parseForm(enabledSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const enable = form.data.enabled === 'yes'
      const ctx = ctxOf(res)
      if (!enable && user.id === ctx.userId)
        return redirectWithErrors(req, res, { enabled: 'You cannot disable your own account' }, back)
      if (!ctx.national && user.roles.some(r => r.role === 'NATIONAL_POLICY'))
        return redirectWithErrors(
          req,
          res,
          { enabled: 'Only the national policy team can enable or disable a national policy team account' },
          back,
        )
      if ((user.enabled === 1) !== enable) {
        const r = await s.users.setEnabled(actorOf(res), ctx.grants, user.id, enable)
        if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      }
      flash(req, `${user.display_name}’s account has been ${enable ? 'enabled' : 'disabled'}`)
      res.redirect(303, back)
    }),

    post('/users/:userId/password', MANAGERS, async (req, res) => {
      const { user, all } = await visibleUser(req, res)
      const back = userPath(user.id, all)
      if (user.id === ctxOf(res).userId)
        return redirectWithErrors(req, res, { newPassword: 'Change your own password from your account' }, back)
      const form = parseForm(newPasswordSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const r = await s.users.setPassword(actorOf(res), ctxOf(res).grants, user.id, form.data.newPassword)
      if (!r.ok) return redirectWithErrors(req, res, r.errors, back)
      flash(req, `A new password has been set for ${user.display_name}. They must change it when they next sign in.`)
      res.redirect(303, back)
    }),

    // what an admin who may not disable the whole account does instead: their roles elsewhere stay
    post('/users/:userId/remove', MANAGERS, async (req, res) => {
      const { user, all } = await visibleUser(req, res)
      const back = userPath(user.id, all)
      const form = parseForm(removeSchema, req.body)
      if (!form.ok) return redirectWithErrors(req, res, form.errors, back)
      const est = establishmentOf(res)
      if (user.id === ctxOf(res).userId)
        return redirectWithErrors(req, res, { remove: 'You cannot remove yourself from this establishment' }, back)
      if (!user.roles.some(r => r.establishment_id === est.id))
        return redirectWithErrors(req, res, { remove: `${user.display_name} has no roles in ${est.name}` }, back)
      await s.users.removeFromEstablishment(actorOf(res), user.id, est.id)
      flash(req, `${user.display_name} has been removed from ${est.name}`)
      res.redirect(303, all ? back : '/users')
    }),
  ]
}
