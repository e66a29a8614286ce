import { z } from 'zod'
import { capitalise, oneOf, text } from '../../forms/fields'
import { CONTRIBUTOR_ROLES, MODULE_FORMATS, type ContributorRole, type ModuleFormat } from '../../domain/training'
import {
  CHANGE_SUMMARY_MAX,
  DAYS_MAX,
  HOURS_MAX,
  MODULE_CODE,
  NATIONAL_KINDS,
  OUTCOME_MAX,
  OUTCOMES_MAX,
  SUMMARY_MAX,
  TITLE_MAX,
  type ContributorText,
  type ModuleText,
  parseCodes,
  parseOutcomes,
} from '../../domain/trainingProgramme'

const code = text('a module code', 40)
  .transform(v => v.toUpperCase())
  .refine(v => MODULE_CODE.test(v), {
    message: 'The module code must start with a letter and have only letters, numbers and hyphens, 2 to 40 of them',
  })

/** A number typed as text, within bounds. */
const number = (label: string, opts: { min: number; max: number; whole?: boolean; minExclusive?: boolean }) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .transform((v, ctx) => {
      const n = Number(v)
      const pattern = opts.whole ? /^\d+$/ : /^\d+(\.\d{1,2})?$/
      if (!pattern.test(v) || !Number.isFinite(n)) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)} must be ${opts.whole ? 'a whole number, like 2' : 'a number, like 2 or 1.5'}`,
        })
        return z.NEVER
      }
      if (opts.minExclusive ? n <= opts.min : n < opts.min) {
        ctx.addIssue({
          code: 'custom',
          message: `${capitalise(label)} must be ${opts.minExclusive ? 'more than' : 'at least'} ${opts.min}`,
        })
        return z.NEVER
      }
      if (n > opts.max) {
        ctx.addIssue({ code: 'custom', message: `${capitalise(label)} must be ${opts.max} or fewer` })
        return z.NEVER
      }
      return n
    })

const outcomes = z.string({ error: 'Enter at least one learning outcome' }).transform((v, ctx) => {
  const lines = parseOutcomes(v)
  if (!lines.length) ctx.addIssue({ code: 'custom', message: 'Enter at least one learning outcome' })
  else if (lines.length > OUTCOMES_MAX)
    ctx.addIssue({ code: 'custom', message: `Enter ${OUTCOMES_MAX} learning outcomes or fewer` })
  else {
    const long = lines.findIndex(l => l.length > OUTCOME_MAX)
    if (long >= 0)
      ctx.addIssue({
        code: 'custom',
        message: `Learning outcome ${long + 1} must be ${OUTCOME_MAX} characters or fewer`,
      })
  }
  return lines
})

const prerequisites = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const codes = parseCodes(v ?? '')
    const bad = codes.filter(c => !MODULE_CODE.test(c))
    if (bad.length)
      ctx.addIssue({
        code: 'custom',
        message: `Prerequisites must be module codes, like KW-INITIAL, separated by commas: ${bad.join(', ')} is not one`,
      })
    return codes
  })

const moduleFields = {
  title: text('a title', TITLE_MAX),
  format: oneOf('the format', MODULE_FORMATS),
  hours: number('the hours', { min: 0, max: HOURS_MAX, minExclusive: true }),
  days: number('the days', { min: 1, max: DAYS_MAX, whole: true }),
  summary: text('what the module is about', SUMMARY_MAX),
  outcomes,
  prerequisites,
}

type Fields = {
  title: string
  format: ModuleFormat
  hours: number
  days: number
  summary: string
  outcomes: string[]
  prerequisites: string[]
}
const textOf = (v: Fields) => ({
  title: v.title,
  format: v.format,
  hours: v.hours,
  days: v.days,
  summary: v.summary,
  outcomes: v.outcomes,
  prerequisites: v.prerequisites,
})

/** A national module of the draft: code (kept when changing one), kind (initial, top-up or CPD) and the rest. */
export const nationalModuleSchema = z
  .object({ code, kind: oneOf('the kind', NATIONAL_KINDS), ...moduleFields })
  .transform((v): ModuleText => ({ code: v.code, kind: v.kind, ...textOf(v) }))

/** An establishment's local module: its kind is always local. */
export const localModuleSchema = z
  .object({ code, ...moduleFields })
  .transform((v): Omit<ModuleText, 'kind'> => ({ code: v.code, ...textOf(v) }))

/** A person who co-created the draft version, with their role. */
export const contributorSchema = z.object({
  name: text('their name', 120),
  role: oneOf('their role', CONTRIBUTOR_ROLES).transform(r => r as ContributorRole),
  organisation: z
    .string()
    .trim()
    .max(200, 'Their organisation must be 200 characters or fewer')
    .optional()
    .transform(v => v ?? ''),
}) satisfies z.ZodType<ContributorText>

/** Publishing the draft: the version the page showed and what changed since the published one. */
export const publishSchema = z.object({
  version: z
    .string({ error: 'Publish the draft from its page' })
    .trim()
    .regex(/^[1-9]\d{0,5}$/, 'Publish the draft from its page')
    .transform(Number),
  summary: text('what changed in this version', CHANGE_SUMMARY_MAX),
})

/** The form's fields from a module, to fill the form. */
export type ModuleForm = Record<
  'code' | 'kind' | 'title' | 'format' | 'hours' | 'days' | 'summary' | 'outcomes' | 'prerequisites',
  string
>
export function formOfModule(m: (Omit<ModuleText, 'kind'> & { kind?: string }) | null): ModuleForm {
  return {
    code: m?.code ?? '',
    kind: m?.kind ?? '',
    title: m?.title ?? '',
    format: m?.format ?? '',
    hours: m ? String(m.hours) : '',
    days: m ? String(m.days) : '1',
    summary: m?.summary ?? '',
    outcomes: m?.outcomes.join('\n') ?? '',
    prerequisites: m?.prerequisites.join(', ') ?? '',
  }
}

/** The raw code and prerequisites a form carried, for the checks against the database when other fields fail. */
export function codesOf(body: unknown): { code: string; prerequisites: string[] } | null {
  const b = (body ?? {}) as Record<string, unknown>
  const c = typeof b.code === 'string' ? b.code.trim().toUpperCase() : ''
  if (!MODULE_CODE.test(c)) return null
  const p = parseCodes(typeof b.prerequisites === 'string' ? b.prerequisites : '')
  return { code: c, prerequisites: p.filter(x => MODULE_CODE.test(x)) }
}
