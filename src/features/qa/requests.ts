// What the QA routes share: who may use them, and what they read from a request (record ids, the signed-in actor).
import type { Request, Response } from 'express'
import { actorOf, ctxOf } from '../../web/context'
import { queryString } from '../../forms/forms'

export const SO = ['SUPERVISING_OFFICER'] as const
export const READERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN', 'NATIONAL_POLICY'] as const
export const SETTINGS_EDITORS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
export const AMENDERS = ['SUPERVISING_OFFICER', 'ESTABLISHMENT_ADMIN'] as const
export const KW = ['KEY_WORKER'] as const

/** A record id from the query string or a form field: digits only, no leading zero; null otherwise. */
export function idOf(v: unknown): number | null {
  if (typeof v !== 'string' || !/^[1-9]\d{0,9}$/.test(v.trim())) return null
  const n = Number(v.trim())
  return Number.isSafeInteger(n) ? n : null
}
export const queryId = (req: Request, name: string) => idOf(queryString(req, name))
export const bodyId = (req: Request, name: string) => idOf((req.body as Record<string, unknown> | undefined)?.[name])

export const signedInActor = (res: Response) => {
  const actor = actorOf(res)
  return { ...actor, userId: ctxOf(res).userId }
}
