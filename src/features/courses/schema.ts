import { z } from 'zod'
import { parseDate, todayIso } from '../../domain/dates'
import {
  COURSE_CAPACITY_MAX,
  COURSE_CAPACITY_MIN,
  COURSE_DAY_ROWS,
  COURSE_OUTCOMES,
  COURSE_OUTCOME_NAMES,
  type CourseOutcome,
  RATING_MAX,
  RATING_MIN,
  parseTime,
} from '../../domain/courses'
import { optionalText, text } from '../../forms/fields'

export const EVIDENCE_MAX = 2000
export const COMMENT_MAX = 2000
export const REASON_MAX = 1000

/** The names of a day row's fields: day1 (a GOV.UK date input joined to one field), day1Start, day1End. */
export const dayField = (i: number) => `day${i}`
export const DAY_FIELDS = Array.from({ length: COURSE_DAY_ROWS }, (_, i) => dayField(i + 1))

export interface CourseDay {
  day: string
  startsAt: string
  endsAt: string
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/**
 * A course: a module, one or more days (a date, a start and an end time, the end after the start; a row left blank is
 * not a day), the trainer (a user of the establishment, or a name typed), the place and the capacity. The region is
 * for the national team's regional courses. Every problem is listed at once.
 */
export const courseSchema = z.record(z.string(), z.unknown()).transform((body, ctx) => {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
  const moduleRaw = str(body.module)
  if (!/^\d{1,9}$/.test(moduleRaw)) problem('module', 'Choose the module')

  const days: CourseDay[] = []
  const today = todayIso()
  for (let i = 1; i <= COURSE_DAY_ROWS; i++) {
    const f = dayField(i)
    const dateRaw = str(body[f])
    const startRaw = str(body[`${f}Start`])
    const endRaw = str(body[`${f}End`])
    if (!dateRaw && !startRaw && !endRaw) continue
    const day = dateRaw ? parseDate(dateRaw) : null
    const startsAt = parseTime(startRaw)
    const endsAt = parseTime(endRaw)
    if (!dateRaw) problem(f, `Enter the date of day ${i}`)
    else if (!day) problem(f, `The date of day ${i} must be a real date, like 27 3 2027`)
    else if (day < today) problem(f, `The date of day ${i} must be today or in the future`)
    else if (days.some(d => d.day === day)) problem(f, `Day ${i} is the same date as an earlier day`)
    if (!startRaw) problem(`${f}Start`, `Enter the start time of day ${i}`)
    else if (!startsAt) problem(`${f}Start`, `The start time of day ${i} must be a time like 09:30`)
    if (!endRaw) problem(`${f}End`, `Enter the end time of day ${i}`)
    else if (!endsAt) problem(`${f}End`, `The end time of day ${i} must be a time like 16:30`)
    else if (startsAt && endsAt <= startsAt) problem(`${f}End`, `The end time of day ${i} must be after its start`)
    if (day && startsAt && endsAt) days.push({ day, startsAt, endsAt })
  }
  const anyDayTyped = DAY_FIELDS.some(f => str(body[f]) || str(body[`${f}Start`]) || str(body[`${f}End`]))
  if (!anyDayTyped) problem(dayField(1), 'Enter the date, start and end time of at least one day')

  const trainerRaw = str(body.trainer)
  const trainerName = str(body.trainerName)
  let trainerUserId: number | null = null
  if (trainerRaw === 'other' || trainerRaw === '') {
    if (!trainerName)
      problem(trainerRaw === 'other' ? 'trainerName' : 'trainer', 'Choose the trainer, or type their name')
    else if (trainerName.length > 100) problem('trainerName', 'The trainer’s name must be 100 characters or fewer')
  } else if (/^\d{1,9}$/.test(trainerRaw)) trainerUserId = Number(trainerRaw)
  else problem('trainer', 'Choose the trainer, or type their name')

  const place = str(body.place)
  if (!place) problem('place', 'Enter the place')
  else if (place.length > 200) problem('place', 'The place must be 200 characters or fewer')

  const capacityRaw = str(body.capacity)
  const capacity = Number(capacityRaw)
  if (!capacityRaw) problem('capacity', 'Enter the number of places')
  else if (!/^\d{1,4}$/.test(capacityRaw) || capacity < COURSE_CAPACITY_MIN || capacity > COURSE_CAPACITY_MAX)
    problem(
      'capacity',
      `The number of places must be a whole number from ${COURSE_CAPACITY_MIN} to ${COURSE_CAPACITY_MAX}`,
    )

  const notes = str(body.notes)
  if (notes.length > 2000) problem('notes', 'The notes must be 2,000 characters or fewer')

  const region = str(body.region)
  return {
    moduleId: Number(moduleRaw),
    days: days.sort((a, b) => (a.day < b.day ? -1 : 1)),
    trainerUserId,
    trainerName: trainerUserId === null ? trainerName : '',
    place,
    capacity,
    notes,
    region: region || null,
  }
})

export type CourseInput = z.infer<typeof courseSchema>

/** The reason a course is cancelled: everyone enrolled or waiting is told it. */
export const cancelSchema = z.object({ reason: text('the reason the course is cancelled', REASON_MAX) })

/** An officer to enrol (by their Supervising Officer or an admin). */
export const enrolSchema = z.object({
  staffId: z
    .string({ error: 'Choose the officer to enrol' })
    .trim()
    .regex(/^\d{1,9}$/, 'Choose the officer to enrol')
    .transform(Number),
})

export const withdrawSchema = z.object({
  staffId: z
    .string({ error: 'Choose the officer to withdraw' })
    .trim()
    .regex(/^\d{1,9}$/, 'Choose the officer to withdraw')
    .transform(Number),
})

/** A participant's rating of a course (1 to 5) and comment. */
export const feedbackSchema = z.object({
  rating: z
    .string({ error: 'Choose a rating from 1 to 5' })
    .trim()
    .regex(/^[1-5]$/, 'Choose a rating from 1 to 5')
    .transform(Number)
    .refine(v => v >= RATING_MIN && v <= RATING_MAX, 'Choose a rating from 1 to 5'),
  comment: optionalText('your comment', COMMENT_MAX).transform(v => v ?? ''),
})

export interface Mark {
  staffId: number
  present: boolean
}

/**
 * The register of one day: `present-<staffId>` is yes or no for each officer listed in `officers` (their ids). Every
 * officer must be marked.
 */
export function registerSchema(officers: { id: number; name: string }[]) {
  return z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const marks: Mark[] = []
    if (!officers.length)
      ctx.addIssue({ code: 'custom', path: ['form'], message: 'There is no one enrolled to mark on this day' })
    for (const o of officers) {
      const v = str(body[`present-${o.id}`])
      if (v === 'yes' || v === 'no') marks.push({ staffId: o.id, present: v === 'yes' })
      else
        ctx.addIssue({ code: 'custom', path: [`present-${o.id}`], message: `Choose present or absent for ${o.name}` })
    }
    return { day: str(body.day), marks }
  })
}

export interface OutcomeInput {
  staffId: number
  outcome: CourseOutcome
  evidence: string
}

/** The trainer's outcome and evidence for each officer enrolled: `outcome-<staffId>`, `evidence-<staffId>`. */
export function completeSchema(officers: { id: number; name: string }[]) {
  return z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const outcomes: OutcomeInput[] = []
    if (!officers.length)
      ctx.addIssue({ code: 'custom', path: ['form'], message: 'There is no one enrolled on this course to assess' })
    for (const o of officers) {
      const v = str(body[`outcome-${o.id}`]) as CourseOutcome
      const evidence = str(body[`evidence-${o.id}`])
      if (!COURSE_OUTCOMES.includes(v))
        ctx.addIssue({
          code: 'custom',
          path: [`outcome-${o.id}`],
          message: `Choose the outcome for ${o.name}: ${COURSE_OUTCOMES.map(x => COURSE_OUTCOME_NAMES[x].toLowerCase()).join(', ')}`,
        })
      if (evidence.length > EVIDENCE_MAX)
        ctx.addIssue({
          code: 'custom',
          path: [`evidence-${o.id}`],
          message: `The evidence for ${o.name} must be ${EVIDENCE_MAX.toLocaleString('en-GB')} characters or fewer`,
        })
      if (COURSE_OUTCOMES.includes(v)) outcomes.push({ staffId: o.id, outcome: v, evidence })
    }
    return { outcomes }
  })
}
