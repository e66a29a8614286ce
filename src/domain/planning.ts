// Planning Key Work sessions: ring-fenced key work time (rota slots), when each prisoner's next session is due,
// and the session-length pieces of key work time to offer. Pure: the planning service reads the database.

import { addDays, daysBetween, formatDate, londonDate } from './dates'
import { formatTime, overlaps, minutesOf } from './hubs'

/** Key work time starts and ends on 5-minute boundaries. */
export const SLOT_STEP_MINUTES = 5
/** How far ahead "My sessions" offers key work time. */
export const OFFER_DAYS = 14

export const WEEKDAYS: Record<number, string> = {
  1: 'Monday',
  2: 'Tuesday',
  3: 'Wednesday',
  4: 'Thursday',
  5: 'Friday',
  6: 'Saturday',
  7: 'Sunday',
}

/** 1 = Monday … 7 = Sunday for an ISO date. */
export function weekdayOf(iso: string): number {
  const d = new Date(`${iso}T00:00:00Z`).getUTCDay()
  return d === 0 ? 7 : d
}

/** A slot of key work time: weekly (weekday set, valid from/to) or one-off (onDate set). */
export interface Slot {
  id?: number
  weekday: number | null
  onDate: string | null
  startsAt: string
  endsAt: string
  validFrom: string
  validTo: string | null
}

/** Problems with a slot's times: 'HH:MM' on 5-minute marks, the end after the start. Messages by field. */
export function slotTimeProblems(startsAt: string, endsAt: string): Record<string, string> {
  const errors: Record<string, string> = {}
  const start = minutesOf(startsAt)
  const end = minutesOf(endsAt)
  if (start === null) errors.startsAt = 'Start time must be a time on the 24-hour clock, like 14:00'
  else if (start % SLOT_STEP_MINUTES) errors.startsAt = 'Start time must be on a 5-minute mark, like 14:00 or 14:05'
  if (end === null) errors.endsAt = 'End time must be a time on the 24-hour clock, like 16:30'
  else if (end % SLOT_STEP_MINUTES) errors.endsAt = 'End time must be on a 5-minute mark, like 16:30 or 16:35'
  if (start !== null && end !== null && !errors.startsAt && !errors.endsAt && end <= start)
    errors.endsAt = 'End time must be after the start time'
  return errors
}

/** Whether a slot gives key work time on a date. */
export function slotAppliesOn(slot: Slot, date: string): boolean {
  if (slot.onDate !== null) return slot.onDate === date
  if (slot.weekday !== weekdayOf(date)) return false
  return slot.validFrom <= date && (slot.validTo === null || date <= slot.validTo)
}

const interval = (s: { startsAt: string; endsAt: string }) => ({
  start: minutesOf(s.startsAt) ?? 0,
  end: minutesOf(s.endsAt) ?? 0,
})

/** Whether two slots could ever give overlapping key work time on the same day. */
export function slotsClash(a: Slot, b: Slot): boolean {
  if (!overlaps(interval(a), interval(b))) return false
  if (a.onDate !== null && b.onDate !== null) return a.onDate === b.onDate
  if (a.onDate !== null) return slotAppliesOn(b, a.onDate)
  if (b.onDate !== null) return slotAppliesOn(a, b.onDate)
  if (a.weekday !== b.weekday) return false
  // two weekly slots on the same weekday: their validity ranges must share a day (which is then that weekday,
  // as long as the shared range is a week long or contains one)
  const from = a.validFrom > b.validFrom ? a.validFrom : b.validFrom
  const to =
    a.validTo === null ? b.validTo : b.validTo === null ? a.validTo : a.validTo < b.validTo ? a.validTo : b.validTo
  if (to === null) return true
  if (to < from) return false
  const first = addDays(from, ((((a.weekday ?? 1) - weekdayOf(from)) % 7) + 7) % 7)
  return first <= to
}

/** How a slot reads: "Tuesday 14:00 to 16:30, from 1 June 2026" or "4 June 2026, 09:00 to 11:00". */
export function describeKeyWorkSlot(slot: Slot): string {
  const times = `${slot.startsAt} to ${slot.endsAt}`
  if (slot.onDate !== null) return `${formatDate(slot.onDate)}, ${times}`
  const validity = `from ${formatDate(slot.validFrom)}${slot.validTo ? ` to ${formatDate(slot.validTo)}` : ''}`
  return `Every ${WEEKDAYS[slot.weekday ?? 0] ?? ''} ${times}, ${validity}`
}

/** The first existing slot the candidate clashes with, and a message saying so; null when it fits. */
export function slotClash(candidate: Slot, existing: readonly Slot[]): { slot: Slot; message: string } | null {
  const hit = existing.find(s => slotsClash(candidate, s))
  if (!hit) return null
  return {
    slot: hit,
    message: `This overlaps key work time already set: ${describeKeyWorkSlot(hit)}. Change the times or remove that slot first.`,
  }
}

export interface Due {
  /** the last delivered session, or null if none yet */
  lastSession: string | null
  /** the date the next session is due */
  due: string
  overdue: boolean
  /** days past the due date; 0 when not overdue */
  daysOverdue: number
  /** not overdue, and due within the next 7 days (today to 6 days on) */
  dueThisWeek: boolean
}

/**
 * The next session is due `frequencyWeeks × 7` days after the last delivered session or, if there has been none,
 * after the allocation. It is overdue when the due date is before today (due today is not overdue).
 */
export function nextDue(input: {
  lastSession: string | null
  allocatedAt: string
  frequencyWeeks: number
  today: string
}): Due {
  const base = input.lastSession ?? londonDate(input.allocatedAt)
  const due = addDays(base, input.frequencyWeeks * 7)
  const overdue = due < input.today
  return {
    lastSession: input.lastSession,
    due,
    overdue,
    daysOverdue: overdue ? daysBetween(due, input.today) : 0,
    dueThisWeek: !overdue && due <= addDays(input.today, 6),
  }
}

/** Overdue first (most overdue first), then soonest due; ties by name. */
export function byDue<T extends { due: Due; last_name: string; first_name: string }>(a: T, b: T): number {
  // plain code-point comparisons: this sorts a whole establishment's caseloads on every "Sessions due" page
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  return cmp(a.due.due, b.due.due) || cmp(a.last_name, b.last_name) || cmp(a.first_name, b.first_name)
}

export interface Piece {
  date: string
  startsAt: string
  endsAt: string
}

/**
 * Session-length pieces of the officer's key work time from today for `days` days, in time order: each slot that
 * applies on a day is cut from its start into pieces of `sessionMinutes` (a remainder too short is dropped).
 * Pieces that start before `now` today, or overlap the officer's own bookings that day, are left out.
 */
export function keyWorkPieces(input: {
  slots: readonly Slot[]
  now: { date: string; minutes: number }
  sessionMinutes: number
  days?: number
  busy?: readonly Piece[]
}): Piece[] {
  const out: Piece[] = []
  const minutes = Math.max(SLOT_STEP_MINUTES, Math.round(input.sessionMinutes))
  for (let i = 0; i < (input.days ?? OFFER_DAYS); i++) {
    const date = addDays(input.now.date, i)
    const busy = (input.busy ?? []).filter(b => b.date === date).map(interval)
    const day = input.slots
      .filter(s => slotAppliesOn(s, date))
      .map(interval)
      .sort((a, b) => a.start - b.start)
    for (const slot of day) {
      for (let start = slot.start; start + minutes <= slot.end; start += minutes) {
        const piece = { start, end: start + minutes }
        if (date === input.now.date && start < input.now.minutes) continue
        if (busy.some(b => overlaps(b, piece))) continue
        if (out.some(p => p.date === date && overlaps(interval(p), piece))) continue
        out.push({ date, startsAt: formatTime(start), endsAt: formatTime(piece.end) })
      }
    }
  }
  return out
}

/** Whether a requested time lies wholly inside one of the officer's slots on that date. */
export function withinKeyWorkTime(slots: readonly Slot[], piece: Piece): boolean {
  const want = interval(piece)
  return slots.some(s => {
    if (!slotAppliesOn(s, piece.date)) return false
    const i = interval(s)
    return i.start <= want.start && want.end <= i.end
  })
}

/**
 * Demo key work time for one officer: two weekly slots of 2 to 2.5 hours on different weekdays (Monday to Friday),
 * chosen from the officer's id so the same database gets the same rota.
 */
export function demoSlotsFor(staffId: number, validFrom: string): Slot[] {
  const first = (staffId % 5) + 1
  const second = ((staffId + 2) % 5) + 1
  const starts = ['09:00', '09:30', '13:30', '14:00']
  const lengths = [120, 135, 150]
  return [first, second].map((weekday, i) => {
    const startsAt = starts[(staffId + i * 3) % starts.length]!
    const start = minutesOf(startsAt)!
    return {
      weekday,
      onDate: null,
      startsAt,
      endsAt: formatTime(start + lengths[(staffId + i) % lengths.length]!),
      validFrom,
      validTo: null,
    }
  })
}
