import { z } from 'zod'
import { STAFF_STATUSES, WORKING_PATTERNS } from '../../domain/prisoner'
import {
  STAFF_GRADES,
  STAFF_NUMBER,
  WEEKLY_HOURS_MAX,
  WEEKLY_HOURS_MIN,
  defaultWeeklyHours,
  returnDateRule,
  staffGrade,
} from '../../domain/staff'
import { todayIso } from '../../domain/dates'
import { type FieldProblem, parsedFields, whenAnObject } from '../../forms/crossFields'
import { formText, languageList, oneOf, optionalDate, optionalText, text } from '../../forms/fields'

// Deliberately simple: one @, something on each side, a dot in the domain, no spaces. Mail systems decide the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const grade = z
  .string({ error: 'Enter the grade' })
  .trim()
  .min(1, 'Enter the grade')
  .transform((v, ctx) => {
    const g = staffGrade(v)
    if (!g) {
      ctx.addIssue({ code: 'custom', message: `Grade must be one of: ${STAFF_GRADES.join(', ')}` })
      return z.NEVER
    }
    return g
  })

const email = optionalText('email address', 254).transform((v, ctx) => {
  if (v === null) return null
  if (!EMAIL.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Enter an email address in the correct format, like name@justice.gov.uk' })
    return z.NEVER
  }
  return v.toLowerCase()
})

/** Blank means "the standard for the working pattern": resolved with the pattern below. */
const weeklyHours = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    const s = v === undefined ? '' : String(v).trim()
    if (!s) return null
    const n = /^\d{1,2}(\.\d{1,2})?$/.test(s) ? Number(s) : NaN
    if (Number.isNaN(n)) {
      ctx.addIssue({ code: 'custom', message: 'Weekly hours must be a number, like 37 or 22.5' })
      return z.NEVER
    }
    if (n < WEEKLY_HOURS_MIN || n > WEEKLY_HOURS_MAX) {
      ctx.addIssue({
        code: 'custom',
        message: `Weekly hours must be between ${WEEKLY_HOURS_MIN} and ${WEEKLY_HOURS_MAX}`,
      })
      return z.NEVER
    }
    return n
  })

/**
 * Whether the officer holds a caseload. Blank means "not said": a new officer is a Key Worker when band 3 (the
 * policy's Key Worker grade), and an existing officer keeps what they had, so a CSV without the column never
 * undoes a choice made on the staff page.
 */
const keyWorker = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    const s = (v ?? '').toLowerCase()
    if (s === '') return null
    if (['yes', 'y', 'true', '1'].includes(s)) return true
    if (['no', 'n', 'false', '0'].includes(s)) return false
    ctx.addIssue({ code: 'custom', message: 'Key Worker must be yes or no' })
    return z.NEVER
  })

/** Form checkboxes or a CSV cell: a list arrives as an array or as "Polish; Welsh". */
// a list is read through formText: join() would throw on an element JSON sends as {"toString": null} (issue 18 point 9)
const languages = z.preprocess(v => (Array.isArray(v) ? formText(v) : v), languageList('languages spoken'))

/** One member of staff as typed in a form or read from a CSV row: all text, validated and normalised. */
export const staffRecordSchema = z
  .object({
    staffNumber: z
      .string({ error: 'Enter a staff number' })
      .trim()
      .toUpperCase()
      .min(1, 'Enter a staff number')
      .regex(STAFF_NUMBER, 'Staff number must be up to 20 letters and digits, like SN12345'),
    firstName: text('first name', 60),
    lastName: text('last name', 60),
    grade,
    email,
    workingPattern: oneOf('working pattern', WORKING_PATTERNS, 'full_time'),
    weeklyHours,
    startedInPost: optionalDate('date started in post'),
    languages,
    status: oneOf('status', STAFF_STATUSES, 'active'),
    statusReturnDate: optionalDate('return date'),
    homeUnit: optionalText('home residential unit', 20).transform(v => (v ? v.toUpperCase() : null)),
    keyWorker,
  })
  .superRefine(
    (v, ctx) => {
      for (const p of staffRecordProblems(parsedFields(v, ctx.issues)))
        ctx.addIssue({ code: 'custom', path: [p.field], message: p.message })
    },
    // run even when a field failed (zod skips refinements then), so one pass lists every problem of a form or row
    { when: whenAnObject },
  )
  .transform(v => ({
    ...v,
    weeklyHours: v.weeklyHours ?? defaultWeeklyHours(v.workingPattern) ?? 0,
    // a return date only means something while away; one left over from an earlier absence is dropped
    statusReturnDate: returnDateRule(v.status) === 'none' ? null : v.statusReturnDate,
  }))

export type StaffRecord = z.infer<typeof staffRecordSchema>

type RuleFields = 'startedInPost' | 'weeklyHours' | 'workingPattern' | 'status' | 'statusReturnDate'

/**
 * The rules between an officer's fields (and today), on those that parsed: a field absent here failed its own check,
 * so its rules wait, while the others are still listed.
 */
export function staffRecordProblems(v: {
  [K in RuleFields]?: K extends 'weeklyHours' ? number | null : StaffRecord[K]
}): FieldProblem<'startedInPost' | 'weeklyHours' | 'statusReturnDate'>[] {
  const problems: FieldProblem<'startedInPost' | 'weeklyHours' | 'statusReturnDate'>[] = []
  if (v.startedInPost && v.startedInPost > todayIso())
    problems.push({ field: 'startedInPost', message: 'Date started in post must be today or in the past' })
  if (v.weeklyHours === null && v.workingPattern && defaultWeeklyHours(v.workingPattern) === null)
    problems.push({ field: 'weeklyHours', message: 'Enter weekly hours for part-time staff' })
  if (v.status && returnDateRule(v.status) === 'required' && 'statusReturnDate' in v && !v.statusReturnDate)
    problems.push({ field: 'statusReturnDate', message: 'Enter the date they return from annual leave' })
  return problems
}

export const STAFF_FIELD_LABELS: Record<keyof StaffRecord, string> = {
  staffNumber: 'Staff number',
  firstName: 'First name',
  lastName: 'Last name',
  grade: 'Grade',
  email: 'Email address',
  workingPattern: 'Working pattern',
  weeklyHours: 'Weekly hours',
  startedInPost: 'Date started in post',
  languages: 'Languages spoken',
  status: 'Status',
  statusReturnDate: 'Return date',
  homeUnit: 'Home residential unit',
  keyWorker: 'Key Worker',
}
