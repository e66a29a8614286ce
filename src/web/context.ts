import type { Response } from 'express'
import type { Establishment } from '../platform/db/types'
import type { Role, RoleGrant } from '../domain/roles'
import type { Actor } from '../platform/audit/service'
import { HttpError } from './errors'

export interface RequestContext {
  userId: number
  username: string
  displayName: string
  grants: RoleGrant[]
  national: boolean
  /** roles held in the active establishment, national ones included */
  roles: Role[]
  establishments: Establishment[]
  establishment: Establishment | null
  /** a password someone else set: nothing but changing it (and signing out) until it is changed */
  mustChangePassword: boolean
}

declare module 'express-session' {
  interface SessionData {
    userId?: number
    establishmentId?: number
    returnTo?: string
    form?: { errors: Record<string, string>; values: Record<string, unknown> }
    flash?: string
    /** a form posted after the sign-in expired, not saved: shown again on its page once signed in */
    unsaved?: { page: string; values: Record<string, unknown> }
  }
}

export function ctxOf(res: Response): RequestContext {
  const ctx = res.locals.ctx as RequestContext | undefined
  if (!ctx) throw new HttpError(401)
  return ctx
}

/** The establishment the user is acting in; routes with role rules always have one. */
export function establishmentOf(res: Response): Establishment {
  const est = ctxOf(res).establishment
  if (!est) throw new HttpError(403)
  return est
}

export function actorOf(res: Response): Actor {
  const ctx = ctxOf(res)
  return { userId: ctx.userId, username: ctx.username, establishmentId: ctx.establishment?.id ?? null }
}

export function hasRole(res: Response, ...roles: Role[]): boolean {
  const ctx = res.locals.ctx as RequestContext | undefined
  return !!ctx && roles.some(r => ctx.roles.includes(r))
}
