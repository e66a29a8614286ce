// Text that came from outside (an uploaded file) or goes to a spreadsheet: pure helpers, no I/O.

/** What a spreadsheet runs as a formula (or DDE) when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/
/** A cell that was defused, or that must be defused so that it reads back as itself: apostrophes, then a formula start. */
const DEFUSED = /^'+[=+\-@\t\r]/

/**
 * A cell a spreadsheet shows as text, never as a formula: one apostrophe before a formula start (=, +, -, @, tab,
 * carriage return), and one more before a value that already is apostrophes then a formula start, so that
 * restoreFormula undoes it exactly for every value ("'=1" is written "''=1" and reads back as "'=1").
 */
export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) || DEFUSED.test(value) ? `'${value}` : value
}

/** The value defuseFormula was given: the one apostrophe it added, removed. */
export function restoreFormula(cell: string): string {
  return DEFUSED.test(cell) ? cell.slice(1) : cell
}

/** How much of an uploaded value a message repeats: enough to find it in the file. */
export const EXCERPT_LENGTH = 60

/** A value from a file, cut to a short excerpt for a message (an error page must not echo a 100 MB column name). */
export function excerpt(value: unknown, max = EXCERPT_LENGTH): string {
  const s = String(value)
  if (s.length <= max) return s
  // never cut a surrogate pair in two
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 1)) ? max - 1 : max
  return `${s.slice(0, end)}…`
}

/** At most `max` items, then "and N more". */
export function limitedList(items: readonly string[], max: number, separator = ', '): string {
  if (items.length <= max) return items.join(separator)
  return `${items.slice(0, max).join(separator)}${separator}and ${(items.length - max).toLocaleString('en-GB')} more`
}
