import type { Request, Response } from 'express'
import type { z } from 'zod'
import { formText } from './fields'

export interface FormErrors {
  errors: Record<string, string>
  /** for govukErrorSummary: in field order */
  errorList: { text: string; href: string }[]
}

export function errorList(errors: Record<string, string>): FormErrors['errorList'] {
  return Object.entries(errors).map(([field, text]) => ({ text, href: `#${field}` }))
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> }

/** Validates a form body with its zod schema; the first message for each field. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): Parsed<z.infer<S>> {
  const r = schema.safeParse(body ?? {})
  if (r.success) return { ok: true, data: r.data }
  const errors: Record<string, string> = {}
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}

/** Post/redirect/get: keep the errors and what was typed, then show the form again. */
export function redirectWithErrors(req: Request, res: Response, errors: Record<string, string>, to?: string) {
  // kept as text (a repeated field as a list of text): the form shown again writes each value out, and a value JSON
  // carries as an object String() cannot convert ({"toString": 1}) failed that page (issue 18 point 9)
  const values: Record<string, unknown> = {}
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
    values[k] = Array.isArray(v) ? v.map(formText) : formText(v)
  delete values._csrf
  for (const k of Object.keys(values)) if (/password/i.test(k)) delete values[k]
  req.session.form = { errors, values }
  res.redirect(303, to ?? req.originalUrl)
}

/** Takes the kept errors and values (once) for the form about to be shown. */
export function takeForm<T extends Record<string, unknown>>(req: Request, defaults: T): FormErrors & { values: T } {
  const kept = req.session.form
  delete req.session.form
  const errors = kept?.errors ?? {}
  return { errors, errorList: errorList(errors), values: { ...defaults, ...(kept?.values ?? {}) } as T }
}

export function flash(req: Request, message: string) {
  req.session.flash = message
}

/** A query-string parameter as text (arrays and objects ignored), trimmed and capped in length. */
export function queryString(req: Request, name: string, max = 100): string {
  const v = req.query[name]
  return typeof v === 'string' ? v.trim().slice(0, max) : ''
}
