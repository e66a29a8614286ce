import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Role } from '../domain/roles'
import { HttpError } from './errors'

/**
 * Who may use a route, declared where it is mounted:
 * - 'public': anyone, signed in or not;
 * - 'signed-in': any signed-in user;
 * - a list of roles: a signed-in user holding one of them in the establishment they are acting in
 *   (national roles count in every establishment). Queries are then scoped to that establishment. A route for the
 *   national team alone needs no establishment: it acts on none (and on an empty database there is none to act in).
 */
export type Access = 'public' | 'signed-in' | readonly Role[]

export interface RouteDef {
  method: 'get' | 'post'
  path: string
  access: Access
  handler: RequestHandler
  /** multipart/form-data upload field name: the file is parsed before the CSRF check */
  upload?: string
  /** the same, for a route that parses its upload itself (with its own limits) and then checks the CSRF token */
  ownUpload?: string
}

export const get = (path: string, access: Access, handler: RequestHandler): RouteDef => ({
  method: 'get',
  path,
  access,
  handler,
})
export const post = (path: string, access: Access, handler: RequestHandler, upload?: string): RouteDef => ({
  method: 'post',
  path,
  access,
  handler,
  ...(upload ? { upload } : {}),
})

/** A POST whose handler parses its own multipart upload and checks the CSRF token once it has; no other route may. */
export const postOwnUpload = (path: string, access: Access, field: string, handler: RequestHandler): RouteDef => ({
  method: 'post',
  path,
  access,
  handler,
  ownUpload: field,
})

/**
 * Whether a signed-in user may use a route: `roles` are theirs in the establishment they act in (null: none). The
 * one rule both authorise and the menu apply.
 */
export function mayUse(access: Access, roles: readonly Role[], establishment: unknown): boolean {
  if (access === 'public' || access === 'signed-in') return true
  if (!access.some(r => roles.includes(r))) return false
  // national-only routes act on no establishment, so the national team can add the first one to an empty database
  return !!establishment || access.every(r => r === 'NATIONAL_POLICY')
}

export function authorise(access: Access): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (access === 'public') return next()
    const ctx = res.locals.ctx
    if (!ctx) return next(new HttpError(401))
    if (!mayUse(access, ctx.roles, ctx.establishment)) return next(new HttpError(403))
    next()
  }
}

/** Express 5 passes rejected promises to the error handler; this only narrows route params. */
export function param(req: Request, name: string): string {
  const v = req.params[name]
  return typeof v === 'string' ? v : ''
}

/**
 * A numeric id as the service writes it: digits only, no leading zero, a safe integer. Number() alone would also
 * read '1e3', '0x10', '+5', ' 5' and '05', so one record would answer to many URLs.
 */
export function intParam(req: Request, name: string): number {
  const raw = param(req, name)
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new HttpError(404)
  const v = Number(raw)
  if (!Number.isSafeInteger(v)) throw new HttpError(404)
  return v
}
