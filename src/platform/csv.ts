import { CsvError, parse } from 'csv-parse/sync'
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

const NOT_UTF8 =
  'The file must be saved as UTF-8 CSV. In Excel, choose File, Save as, then "CSV UTF-8 (comma delimited)".'

/**
 * The one CSV reader of uploaded files that are read whole (training completions, trial outcome counts): refused
 * before it is decoded when larger than `maxBytes`; UTF-8 only (UTF-16 and NUL bytes refused with how to save it
 * again); an empty file and a file csv-parse cannot read (with its line) refused in words; else every record, blank
 * lines kept so that row numbers are those a spreadsheet shows.
 */
export function readCsvUpload(
  bytes: Uint8Array,
  maxBytes: number,
): { ok: true; records: string[][] } | { ok: false; messages: string[] } {
  if (bytes.length > maxBytes)
    return { ok: false, messages: [`The file must be smaller than ${Math.round(maxBytes / (1024 * 1024))} MB`] }
  let text: string
  try {
    if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
      throw new Error('utf-16')
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    if (text.includes('\u0000')) throw new Error('nul')
  } catch {
    return { ok: false, messages: [NOT_UTF8] }
  }
  if (text.trim() === '')
    return { ok: false, messages: ['The file is empty. Upload a CSV file with a row of column headings.'] }
  try {
    return { ok: true, records: parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) }
  } catch (err) {
    const line = err instanceof CsvError ? ` (line ${err.lines})` : ''
    return {
      ok: false,
      messages: [`The file is not a valid CSV file${line}. Open it in a spreadsheet and save it again as CSV UTF-8.`],
    }
  }
}
