// Repeating rows of a form, the rules with no I/O (src/forms/rows.ts is the helper forms use).
// Invariants: no list on any form has more than MAX_ROWS rows; a counted list has at least one row.

/** The most rows of one repeating list on any form (a session's goals or referrals, a service's locations...). */
export const MAX_ROWS = 20

/** How many rows a list's counter field says it has: a whole number from 1 to `max`; anything else is 1. */
export function countedRows(counter: string, max = MAX_ROWS): number {
  const n = Number(counter)
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : 1
}
