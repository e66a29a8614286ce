/**
 * Times of day, one way everywhere: stored as 'HH:MM' text (fixed width, so text order is time order), typed by
 * people in whatever way they write them. Pure.
 */

const STORED = /^(\d{1,2}):(\d{2})$/
const TYPED = /^([01]?\d|2[0-3])[:.]?([0-5]\d)$/

/** A time of day as a person types it: '9:30', '09:30', '9.30', '0930' or '930' → '09:30'; null if it is not one. */
export function parseTime(raw: string): string | null {
  const m = TYPED.exec(raw.trim())
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null
}

/** Minutes after midnight of a stored time, 'HH:MM' (or 'H:MM'); null if it is not a time of day. */
export function minutesOf(value: string): number | null {
  const m = STORED.exec(value.trim())
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 23 || min > 59) return null
  return h * 60 + min
}

/** 'HH:MM' for minutes after midnight (24:00 for the end of the day). */
export function formatTime(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}
