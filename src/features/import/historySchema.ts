import { z } from 'zod'
import { parseDate } from '../../domain/dates'
import { londonNow, normaliseTime } from '../../domain/hubs'
import { PRISON_NUMBER } from '../../domain/prisoner'
import { DURATION_MAX, DURATION_MIN, NOT_DELIVERED_REASONS, type NotDeliveredReason } from '../../domain/sessions'
import { NARRATIVE_MAX } from '../../domain/sessionEntry'
import { STAFF_NUMBER } from '../../domain/staff'
import { DEALLOCATION_REASONS, type DeallocationReason } from '../allocations/schema'

// The rows of the history imports (allocations and past sessions): each field is checked on its own, so a row with
// several bad values reports each; what depends on two fields or on the database is checked by history.ts.

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const prisonNumber = z
  .string({ error: 'Enter a prison number' })
  .trim()
  .toUpperCase()
  .min(1) // blank: the schema's own message
  .regex(PRISON_NUMBER, 'Enter a prison number in the format A1234BC')

const staffNumber = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .trim()
    .toUpperCase()
    .min(1) // blank: the schema's own message
    .regex(STAFF_NUMBER, `${capitalise(label)} must be letters and digits, 20 or fewer`)

/** Why a value is not a past date: not a real date, or after today. */
export type PastDateProblem = 'not-a-date' | 'future'

/**
 * A past date: day/month/year or ISO, today or before (today is the Europe/London day given); nothing for a blank
 * value. The caller words the problem with its own label (pastDateMessage).
 */
export function pastDate(value: string | undefined, today: string): { date?: string; problem?: PastDateProblem } {
  const v = (value ?? '').trim()
  if (!v) return {}
  const iso = parseDate(v)
  if (!iso) return { problem: 'not-a-date' }
  if (iso > today) return { problem: 'future' }
  return { date: iso }
}

export function pastDateMessage(label: string, problem: PastDateProblem): string {
  return problem === 'future'
    ? `${capitalise(label)} must be today or in the past`
    : `${capitalise(label)} must be a real date, like 27/3/2024`
}

const requiredPastDate = (label: string) =>
  z.string({ error: `Enter ${label}` }).transform((v, ctx) => {
    const r = pastDate(v, londonNow().date)
    if (r.date) return r.date
    ctx.addIssue(r.problem ? pastDateMessage(label, r.problem) : `Enter ${label}`)
    return z.NEVER
  })

const optionalPastDate = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const r = pastDate(v, londonNow().date)
      if (!r.problem) return r.date ?? null
      ctx.addIssue(pastDateMessage(label, r.problem))
      return z.NEVER
    })

/** A code or its name, whatever the case ("Prisoner refused", "prisoner_refused"); null when blank. */
function codeOf<C extends string>(names: Record<C, string>, value: string | undefined): C | null | undefined {
  const v = (value ?? '').trim()
  if (!v) return null
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')
  for (const [code, name] of Object.entries(names) as [C, string][])
    if (squash(code) === squash(v) || squash(name) === squash(v)) return code
  return undefined
}

// ---------------------------------------------------------------------------------------------------------------

export const allocationRecordSchema = z.object({
  prisonNumber,
  staffNumber: staffNumber('the Key Worker’s staff number'),
  from: requiredPastDate('the date the allocation started'),
  to: optionalPastDate('the date the allocation ended'),
  /** why it ended: a known reason's code, or 'manual' with the text as the note */
  reason: z
    .string()
    .trim()
    .max(500, 'The reason must be 500 characters or fewer')
    .optional()
    .transform(v => {
      if (!v) return null
      const code = codeOf(DEALLOCATION_REASONS, v)
      return code && code !== 'manual'
        ? { code: code as DeallocationReason, note: null }
        : { code: 'manual' as const, note: v }
    }),
})
export type AllocationRecord = z.infer<typeof allocationRecordSchema>

export const ALLOCATION_FIELD_LABELS: Record<keyof AllocationRecord, string> = {
  prisonNumber: 'Prison number',
  staffNumber: 'Key Worker staff number',
  from: 'From',
  to: 'To',
  reason: 'Reason',
}

// ---------------------------------------------------------------------------------------------------------------

export const sessionRecordSchema = z.object({
  date: requiredPastDate('the date of the session'),
  staffNumber: staffNumber('the officer’s staff number'),
  prisonNumber,
  delivered: z
    .string({ error: 'Enter yes or no for delivered' })
    .trim()
    .transform((v, ctx) => {
      const s = v.toLowerCase()
      if (['yes', 'y', 'true', '1', 'delivered'].includes(s)) return true
      if (['no', 'n', 'false', '0', 'not delivered', 'not_delivered'].includes(s)) return false
      ctx.addIssue(s ? 'Delivered must be yes or no' : 'Enter yes or no for delivered')
      return z.NEVER
    }),
  notDeliveredReason: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const code = codeOf<NotDeliveredReason>(NOT_DELIVERED_REASONS, v)
      if (code === undefined) {
        ctx.addIssue(
          `The reason it was not delivered must be one of: ${Object.values(NOT_DELIVERED_REASONS)
            .map(n => n.replace(' (say why)', ''))
            .join(', ')}`,
        )
        return z.NEVER
      }
      return code
    }),
  startTime: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return null
      const t = normaliseTime(v)
      if (t) return t
      ctx.addIssue('The start time must be a time like 14:30')
      return z.NEVER
    }),
  duration: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v?.trim()
      if (!s) return null
      const n = Number(s)
      if (/^\d+$/.test(s) && n >= DURATION_MIN && n <= DURATION_MAX) return n
      ctx.addIssue(`The duration must be a whole number of minutes from ${DURATION_MIN} to ${DURATION_MAX}`)
      return z.NEVER
    }),
  caseNote: z
    .string()
    .trim()
    .max(NARRATIVE_MAX, `The case note must be ${NARRATIVE_MAX.toLocaleString('en-GB')} characters or fewer`)
    .optional()
    .transform(v => (v ? v : null)),
})
export type SessionRecord = z.infer<typeof sessionRecordSchema>

export const SESSION_FIELD_LABELS: Record<keyof SessionRecord, string> = {
  date: 'Date',
  staffNumber: 'Officer staff number',
  prisonNumber: 'Prison number',
  delivered: 'Delivered',
  notDeliveredReason: 'Not delivered reason',
  startTime: 'Start time',
  duration: 'Duration',
  caseNote: 'Case note',
}
