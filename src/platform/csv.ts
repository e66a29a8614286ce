import { defuseFormula } from '../domain/untrusted'

/**
 * The one CSV writer (RFC 4180) for every download: a field is quoted when it holds a comma, a quote, a line break
 * or space at either end; text a spreadsheet would run as a formula is defused (`defuseFormula`, which the HSDS
 * import undoes, so a round trip is exact); numbers are written as numbers, and a number that is not finite, like
 * null and undefined, as an empty field. Lines end in CRLF.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const s = typeof value === 'string' ? defuseFormula(value) : String(value)
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n'
}
