import { z } from 'zod'
import { DEFAULT_CLOSES_AT, DEFAULT_OPENS_AT, DURATIONS } from '../../domain/hubs'
import { PRISON_NUMBER } from '../../domain/prisoner'
import { date, oneOf, text } from '../../forms/fields'

export const ROOM_KINDS = ['room', 'desk'] as const
export type RoomKind = (typeof ROOM_KINDS)[number]
export const EQUIPMENT = ['computer', 'phone'] as const

/** Opening hours are checked by the service (domain rules); an empty field takes the default. */
const timeText = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform(v => (v ? v.slice(0, 20) : fallback))

const yesNoChoice = (question: string) =>
  z
    .string({ error: question })
    .trim()
    .refine(v => v === 'yes' || v === 'no', question)
    .transform(v => v === 'yes')

const id = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)

/** A hub: its name, the houseblock it serves (or none: central), its opening hours, and whether it is in use. */
export const hubSchema = z.object({
  name: text('the hub name', 60),
  unit: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v || v === 'central') return null
      if (!/^\d{1,9}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'Choose a houseblock, or central' })
        return z.NEVER
      }
      return Number(v)
    }),
  opensAt: timeText(DEFAULT_OPENS_AT),
  closesAt: timeText(DEFAULT_CLOSES_AT),
  active: z
    .string()
    .trim()
    .optional()
    .transform(v => v !== 'no'),
})
export type HubForm = z.infer<typeof hubSchema>

/** A room or desk in a hub, with its equipment. */
export const roomSchema = z.object({
  name: text('the room name', 60),
  kind: oneOf('type', ROOM_KINDS, 'room'),
  private: yesNoChoice('Select whether the room is private'),
  equipment: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(v => {
      const list = v === undefined ? [] : Array.isArray(v) ? v : [v]
      return { hasComputer: list.includes('computer'), hasPhone: list.includes('phone') }
    }),
  active: z
    .string()
    .trim()
    .optional()
    .transform(v => v !== 'no'),
})
export type RoomForm = z.infer<typeof roomSchema>

/** The booking form: the end comes from the start and a length. */
export const bookingSchema = z.object({
  roomId: id('Choose a room'),
  date: date('the date'),
  startsAt: text('the start time', 5),
  duration: z
    .string({ error: 'Choose how long you need the room' })
    .trim()
    .refine(v => (DURATIONS as readonly number[]).includes(Number(v)), 'Choose how long you need the room')
    .transform(Number),
  prisonNumber: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      if (!PRISON_NUMBER.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Prison number must be a letter, 4 digits and 2 letters, like A1234BC',
        })
        return z.NEVER
      }
      return v
    }),
  purpose: text('the purpose', 100),
  /** blank: the person booking (their staff record, if linked) */
  staffId: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null
      if (!/^\d{1,9}$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'Choose a Key Worker from the list' })
        return z.NEVER
      }
      return Number(v)
    }),
})
export type BookingForm = z.infer<typeof bookingSchema>

export const cancelSchema = z.object({ reason: text('why the booking is cancelled', 200) })
