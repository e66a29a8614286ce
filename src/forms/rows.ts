// Repeating rows on a form: a session's goals and referrals, a service's locations, phones, contacts and opening
// times. The one convention: each row's fields are numbered (`goal0Description`, `phone2Number`); how many rows a
// list has is read from a counter field where the form keeps one (`goalRows`), else from the highest number among
// its fields; "Add another" gives the next number.
// Invariants: no list has more than MAX_ROWS rows (a list may set a lower limit); numbers past the limit are
// ignored, never an error; adding a row at the limit adds nothing.
import { MAX_ROWS, countedRows } from '../domain/rows'

export { MAX_ROWS, countedRows }

/**
 * The highest row number among the fields whose names match `field` (the number is its first group), ignoring
 * numbers past `max`; `least` when there is none higher.
 */
export function highestRow(values: Record<string, unknown>, field: RegExp, max = MAX_ROWS, least = 0): number {
  let n = least
  for (const k of Object.keys(values)) {
    const m = field.exec(k)
    const i = m ? Number(m[1]) : 0
    if (i > n && i <= max) n = i
  }
  return n
}

/** The count after "Add another" on a list of `rows` rows: one more, or null when the list is at `max`. */
export function nextRow(rows: number, max = MAX_ROWS): number | null {
  return rows < max ? rows + 1 : null
}
