import { z } from 'zod'
import { parseDate, todayIso } from '../domain/dates'
import { languageCode, parseLanguageList } from '../domain/languages'

// Field schemas shared by forms and CSV imports: both arrive as text.

export const text = (label: string, max = 100) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)

export const optionalText = (label: string, max = 100) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .optional()
    .transform(v => (v ? v : null))

export const date = (label: string, opts: { notFuture?: boolean } = {}) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .transform((v, ctx) => {
      const iso = parseDate(v)
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real date, like 27/3/2024` })
        return z.NEVER
      }
      if (opts.notFuture && iso > todayIso()) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be today or in the past` })
        return z.NEVER
      }
      return iso
    })

export const optionalDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      const iso = parseDate(v)
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real date, like 27/3/2024` })
        return z.NEVER
      }
      return iso
    })

export function oneOf<T extends string>(label: string, values: readonly T[], fallback?: T) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const norm = (v ?? '').toLowerCase().replace(/[\s-]+/g, '_')
      if (!norm && fallback !== undefined) return fallback
      const hit = values.find(x => x === norm)
      if (!hit) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)} must be one of: ${values.join(', ').replaceAll('_', ' ')}`,
        })
        return z.NEVER
      }
      return hit
    })
}

export const yesNo = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? '').toLowerCase()
      if (['', 'no', 'n', 'false', '0'].includes(s)) return false
      if (['yes', 'y', 'true', '1'].includes(s)) return true
      ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be yes or no` })
      return z.NEVER
    })

export const language = (label: string, fallback = 'en') =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return fallback
      const code = languageCode(v)
      if (!code) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)} "${v}" is not a language we know; use a name like Polish or a code like pl`,
        })
        return z.NEVER
      }
      return code
    })

export const languageList = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const { codes, unknown } = parseLanguageList(v ?? '')
      if (unknown.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)}: ${unknown.join(', ')} not recognised; use names like Polish or codes like pl`,
        })
        return z.NEVER
      }
      return codes
    })

export function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/**
 * A posted value as text: a string as it is, a number or boolean written out, a repeated field's values joined by
 * commas, and nothing for anything else a JSON body can carry. String() would throw on {"toString": 1}.
 */
export function formText(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return v.map(formText).join(',')
  return ''
}

/** GOV.UK date inputs post day, month and year separately; joins them into one 'YYYY-MM-DD' field. */
export function joinDateInputs(body: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out = { ...body }
  for (const n of names) {
    const d = formText(body[`${n}-day`]).trim()
    const m = formText(body[`${n}-month`]).trim()
    const y = formText(body[`${n}-year`]).trim()
    if (d || m || y) out[n] = `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
    else if (!(n in body)) out[n] = ''
  }
  return out
}

/** The reverse, to fill a date input from 'YYYY-MM-DD'. */
export function splitDate(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' }
  const [y = '', m = '', d = ''] = iso.split('-')
  return { day: String(Number(d) || d), month: String(Number(m) || m), year: y }
}
