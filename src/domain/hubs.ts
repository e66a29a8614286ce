import { formatTime, minutesOf } from './time'
// Key Worker hubs: the pure rules for booking a room (times, opening hours, clashes) and the day timetable.
// No I/O: the hubs service reads the database and asks these functions.

import { now } from './clock'
import { addDays, formatDate } from './dates'
import type { Random } from './random'

/** Bookings start and end on 5-minute boundaries. */
export const TIME_STEP_MINUTES = 5
/** No booking may hold a room for longer than this. */
export const MAX_BOOKING_MINUTES = 180
export const DEFAULT_OPENS_AT = '08:00'
export const DEFAULT_CLOSES_AT = '20:00'
/** The day view shows the hub's opening hours in slots of this length. */
export const TIMETABLE_SLOT_MINUTES = 30
/** Lengths offered by the booking form, in minutes. */
export const DURATIONS = [15, 30, 45, 60, 75, 90, 120, 150, 180] as const

export { formatTime, minutesOf } from './time'

/** A time written the way it is stored: '9:05' → '09:05'; null if it is not a time. */
export function normaliseTime(value: string): string | null {
  const m = minutesOf(value)
  return m === null ? null : formatTime(m)
}

export interface Interval {
  start: number
  end: number
}

/** Two bookings of one room clash iff each starts before the other ends; touching (09:00–10:00, 10:00–11:00) is fine. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end
}

/** The same test on stored 'HH:MM' text (same length, so text order is time order). */
export function overlapsText(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }) {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt
}

/** Today's date and the time of day in Europe/London, which is what "in the past" means in an English prison. */
// made once: making a formatter costs a quarter of a millisecond, far more than using it
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

export function londonNow(at: Date = now()): { date: string; minutes: number } {
  const parts = LONDON.formatToParts(at)
  const get = (type: string) => parts.find(p => p.type === type)?.value ?? '00'
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  }
}

export interface OpeningHours {
  opensAt: string
  closesAt: string
}

export interface SlotRequest {
  /** 'YYYY-MM-DD', already a real date */
  date: string
  startsAt: string
  endsAt: string
}

const describeMinutes = (n: number) => {
  const h = Math.floor(n / 60)
  const m = n % 60
  const hours = h ? `${h} hour${h === 1 ? '' : 's'}` : ''
  const mins = m ? `${m} minute${m === 1 ? '' : 's'}` : ''
  return [hours, mins].filter(Boolean).join(' ')
}

/**
 * Checks a requested slot against the rules that need no database: times on 5-minute boundaries, the end after the
 * start, inside the hub's opening hours, at most 3 hours, not in the past (London time). Messages keyed by field.
 */
export function slotProblems(
  req: SlotRequest,
  hours: OpeningHours,
  now: { date: string; minutes: number },
): Record<string, string> {
  const errors: Record<string, string> = {}
  const start = minutesOf(req.startsAt)
  const end = minutesOf(req.endsAt)
  if (start === null) errors.startsAt = 'Start time must be a time on the 24-hour clock, like 09:30'
  else if (start % TIME_STEP_MINUTES) errors.startsAt = 'Start time must be on a 5-minute mark, like 09:30 or 09:35'
  if (end === null) errors.endsAt = 'End time must be a time on the 24-hour clock, like 10:15'
  else if (end % TIME_STEP_MINUTES) errors.endsAt = 'End time must be on a 5-minute mark, like 10:15 or 10:20'
  if (errors.startsAt || errors.endsAt || start === null || end === null) return errors

  if (end <= start) return { endsAt: 'End time must be after the start time' }
  if (end - start > MAX_BOOKING_MINUTES)
    return { endsAt: `A booking can be at most ${describeMinutes(MAX_BOOKING_MINUTES)} long` }
  const opens = minutesOf(hours.opensAt) ?? 0
  const closes = minutesOf(hours.closesAt) ?? 24 * 60
  if (start < opens || end > closes)
    return {
      startsAt: `The hub is open from ${formatTime(opens)} to ${formatTime(closes)}: choose a time inside those hours`,
    }
  if (req.date < now.date) return { date: 'The date must be today or in the future' }
  if (req.date === now.date && start < now.minutes) return { startsAt: 'The start time has already passed today' }
  return {}
}

/** Checks a hub's opening hours: both times on 5-minute marks and opening before closing. */
export function openingHoursProblems(hours: OpeningHours): Record<string, string> {
  const errors: Record<string, string> = {}
  const opens = minutesOf(hours.opensAt)
  const closes = minutesOf(hours.closesAt)
  if (opens === null) errors.opensAt = 'Opening time must be a time on the 24-hour clock, like 08:00'
  else if (opens % TIME_STEP_MINUTES) errors.opensAt = 'Opening time must be on a 5-minute mark, like 08:00'
  if (closes === null) errors.closesAt = 'Closing time must be a time on the 24-hour clock, like 20:00'
  else if (closes % TIME_STEP_MINUTES) errors.closesAt = 'Closing time must be on a 5-minute mark, like 20:00'
  if (opens !== null && closes !== null && !errors.opensAt && !errors.closesAt && closes <= opens)
    errors.closesAt = 'Closing time must be after the opening time'
  return errors
}

/** The end time for a start and a length in minutes, or null if it would run past midnight or is not a time. */
export function endTimeFor(startsAt: string, minutes: number): string | null {
  const start = minutesOf(startsAt)
  if (start === null || !Number.isInteger(minutes) || minutes <= 0) return null
  const end = start + minutes
  return end >= 24 * 60 ? null : formatTime(end)
}

/** Slots of `step` minutes covering the opening hours (a last short slot if the hours do not divide evenly). */
export function daySlots(hours: OpeningHours, step = TIMETABLE_SLOT_MINUTES): { startsAt: string; endsAt: string }[] {
  const opens = minutesOf(hours.opensAt) ?? minutesOf(DEFAULT_OPENS_AT)!
  const closes = minutesOf(hours.closesAt) ?? minutesOf(DEFAULT_CLOSES_AT)!
  const out: { startsAt: string; endsAt: string }[] = []
  for (let t = opens; t < closes; t += step)
    out.push({ startsAt: formatTime(t), endsAt: formatTime(Math.min(t + step, closes)) })
  return out
}

export interface TimetableBooking {
  id: number
  roomId: number
  startsAt: string
  endsAt: string
}

export type TimetableCell<B extends TimetableBooking> =
  | { state: 'booked'; booking: B; /** the first slot of this booking: the cell says more there */ first: boolean }
  | { state: 'free'; bookable: boolean }

/**
 * The day view: for each slot, each room's state. A slot is booked for a room if any booking of the room overlaps
 * it; free slots are bookable unless they have started already (London time) or the room cannot be booked.
 */
export function timetable<B extends TimetableBooking>(
  rooms: readonly { id: number; bookable: boolean }[],
  bookings: readonly B[],
  slots: readonly { startsAt: string; endsAt: string }[],
  date: string,
  now: { date: string; minutes: number },
): { startsAt: string; endsAt: string; cells: TimetableCell<B>[] }[] {
  const byRoom = new Map<number, B[]>()
  for (const b of bookings) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b])
  const past = (startsAt: string) => date < now.date || (date === now.date && minutesOf(startsAt)! < now.minutes)
  const shown = new Set<number>()
  return slots.map(slot => ({
    ...slot,
    cells: rooms.map((room): TimetableCell<B> => {
      const booking = (byRoom.get(room.id) ?? []).find(b => overlapsText(b, slot))
      if (booking) {
        const first = !shown.has(booking.id)
        shown.add(booking.id)
        return { state: 'booked', booking, first }
      }
      return { state: 'free', bookable: room.bookable && !past(slot.startsAt) }
    }),
  }))
}

/** '4 December 2026, 09:00 to 09:45' */
export function describeSlot(date: string, startsAt: string, endsAt: string): string {
  return `${formatDate(date)}, ${startsAt} to ${endsAt}`
}

// Demo data: a hub per houseblock and a central hub, 2 to 4 rooms each, and bookings over the coming days.

export interface DemoHub {
  name: string
  /** the houseblock's code, or null for the central hub */
  unitCode: string | null
  rooms: { name: string; kind: 'room' | 'desk'; isPrivate: boolean; hasComputer: boolean; hasPhone: boolean }[]
}

export interface DemoBooking {
  hubIndex: number
  roomIndex: number
  date: string
  startsAt: string
  endsAt: string
  purpose: string
}

const DEMO_PURPOSES = ['Key work session', 'Key work session', 'Key work session', 'Interpreter call', 'Review meeting']

export function demoHubPlan(
  rng: Random,
  houseblocks: readonly { code: string; name: string }[],
  today: string,
  days = 5,
): { hubs: DemoHub[]; bookings: DemoBooking[] } {
  const hubs: DemoHub[] = [
    ...houseblocks.map(h => ({ name: `${h.name} hub`, unitCode: h.code as string | null })),
    { name: 'Central hub', unitCode: null },
  ].map(h => {
    const n = rng.int(2, 4)
    const rooms: DemoHub['rooms'] = []
    for (let i = 1; i <= n; i++) {
      const desk = i === n && n > 2
      rooms.push({
        name: desk ? `Desk ${i}` : `Interview room ${i}`,
        kind: desk ? 'desk' : 'room',
        isPrivate: !desk,
        hasComputer: rng.chance(0.6),
        hasPhone: rng.chance(0.5),
      })
    }
    return { ...h, rooms }
  })
  const bookings: DemoBooking[] = []
  for (let d = 1; d <= days; d++) {
    const date = addDays(today, d)
    hubs.forEach((hub, hubIndex) =>
      hub.rooms.forEach((_room, roomIndex) => {
        // a few sessions a day per room, on half-hour marks, never clashing: each starts after the last ends
        let at = 9 * 60
        const count = rng.int(0, 3)
        for (let i = 0; i < count; i++) {
          at += rng.int(0, 4) * 30
          const length = rng.pick([45, 45, 60, 30])
          if (at + length > 17 * 60) break
          bookings.push({
            hubIndex,
            roomIndex,
            date,
            startsAt: formatTime(at),
            endsAt: formatTime(at + length),
            purpose: rng.pick(DEMO_PURPOSES),
          })
          at += length + 15
          at = Math.ceil(at / 30) * 30
        }
      }),
    )
  }
  return { hubs, bookings }
}

/** A Key Worker may cancel a booking they made or one made for them; Supervising Officers and admins any. */
export function mayCancel(
  booking: { bookedByUserId: number | null; staffUserId: number | null },
  userId: number | null,
  anyBooking: boolean,
): boolean {
  if (anyBooking) return true
  return userId !== null && (booking.bookedByUserId === userId || booking.staffUserId === userId)
}
