import { z } from 'zod'
import { optionalDate } from '../../forms/fields'
import { parseDate } from '../../domain/dates'

const time = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)

const id = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)

/** One slot of key work time: weekly (a weekday, valid from a date, optionally to one) or one-off (a date). */
export const slotSchema = z
  .object({
    kind: z.enum(['weekly', 'once'], { error: 'Choose weekly or one day only' }),
    weekday: z.string().trim().optional(),
    onDate: z.string().trim().optional(),
    startsAt: time('start time'),
    endsAt: time('end time'),
    validFrom: z.string().trim().optional(),
    validTo: optionalDate('the last day'),
  })
  .transform((v, ctx) => {
    if (v.kind === 'weekly') {
      const weekday = Number(v.weekday)
      if (!/^[1-7]$/.test(v.weekday ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'Choose the day of the week' })
        return z.NEVER
      }
      const validFrom = v.validFrom ? parseDate(v.validFrom) : null
      if (!validFrom) {
        ctx.addIssue({
          code: 'custom',
          path: ['validFrom'],
          message: v.validFrom ? 'The first day must be a real date, like 1/6/2026' : 'Enter the first day',
        })
        return z.NEVER
      }
      if (v.validTo && v.validTo < validFrom) {
        ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'The last day must be on or after the first day' })
        return z.NEVER
      }
      return {
        weekday,
        onDate: null,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        validFrom,
        validTo: v.validTo,
      }
    }
    const onDate = v.onDate ? parseDate(v.onDate) : null
    if (!onDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['onDate'],
        message: v.onDate ? 'The date must be a real date, like 4/6/2026' : 'Enter the date',
      })
      return z.NEVER
    }
    return { weekday: null, onDate, startsAt: v.startsAt, endsAt: v.endsAt, validFrom: onDate, validTo: onDate }
  })

export type SlotInput = z.infer<typeof slotSchema>

/** "Book" on an offered slot of My sessions. */
export const bookSchema = z.object({
  prisonerId: id('Choose the prisoner'),
  roomId: id('Choose a room'),
  date: z
    .string({ error: 'Choose a slot' })
    .trim()
    .transform((v, ctx) => {
      const iso = parseDate(v)
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: 'Choose a slot' })
        return z.NEVER
      }
      return iso
    }),
  startsAt: time('start time'),
  endsAt: time('end time'),
})

export type BookInput = z.infer<typeof bookSchema>
