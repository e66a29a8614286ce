import { CsvError, parse } from 'csv-parse/sync'
import { excerpt } from '../../domain/untrusted'

// Reading a CSV file into a table: pure, no I/O. Every problem with the file as a whole is a FileProblem
// with a message written for the person who uploaded it.

/** More rows than any establishment has prisoners or staff: a bigger file is a mistake, or several files in one. */
export const MAX_ROWS = 100_000

export class FileProblem extends Error {
  readonly messages: string[]
  constructor(messages: string | string[]) {
    const list = typeof messages === 'string' ? [messages] : messages
    super(list.join('\n'))
    this.messages = list
  }
}

export const NOT_UTF8 =
  'The file must be saved as UTF-8 CSV. In Excel, choose File, Save as, then "CSV UTF-8 (comma delimited)".'

export interface CsvTable {
  headers: string[]
  /** non-blank data rows; row is the number a spreadsheet shows for it (the headings are row 1) */
  rows: { row: number; cells: string[] }[]
}

/**
 * Decodes UTF-8 (a byte order mark is dropped); anything else, UTF-16 and binary files included, is refused. UTF-16
 * with a byte order mark is not UTF-8 at all (the bytes 0xFF and 0xFE never are); UTF-16 of plain letters without
 * one is valid UTF-8 full of NUL bytes, which no CSV file has.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new FileProblem(NOT_UTF8)
  }
  if (text.includes('\u0000')) throw new FileProblem(NOT_UTF8)
  return text
}

export function parseCsv(text: string): CsvTable {
  let records: string[][]
  try {
    records = parse(text, {
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
    })
  } catch (err) {
    if (err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new FileProblem(
        'The file has a quotation mark (") that is never closed, so the rows after it cannot be read. ' +
          'Open the file in a spreadsheet and save it again as CSV UTF-8.',
      )
    if (err instanceof CsvError)
      throw new FileProblem(`The file is not a valid CSV file (line ${err.lines}): ${excerpt(err.message, 200)}`)
    throw err
  }
  const isBlank = (cells: string[]) => cells.every(c => c.trim() === '')
  const headerIndex = records.findIndex(r => !isBlank(r))
  const header = records[headerIndex]
  // a file of blank lines (or nothing) has no row that is not blank
  if (!header) throw new FileProblem('The file is empty. Upload a CSV file with a row of column headings.')
  if (headerIndex > 0)
    throw new FileProblem(
      'The first row of the file must be the column headings, but it is blank. Remove blank rows at the top.',
    )
  if (header.length === 1 && /[;\t|]/.test(header[0]!))
    throw new FileProblem('The columns must be separated by commas. Save the file from a spreadsheet as CSV UTF-8.')
  const headers = header.map(h => h.trim())
  const rows: CsvTable['rows'] = []
  for (let i = 1; i < records.length; i++) {
    const cells = records[i]!
    if (!isBlank(cells)) rows.push({ row: i + 1, cells })
  }
  if (rows.length === 0)
    throw new FileProblem('The file has column headings but no rows. Add a row for each record under the headings.')
  if (rows.length > MAX_ROWS)
    throw new FileProblem(
      `The file has ${rows.length.toLocaleString('en-GB')} rows; the most one file can have is ${MAX_ROWS.toLocaleString('en-GB')}.`,
    )
  return { headers, rows }
}

/** "Prison_Number", "prison number" and "PRISON-NUMBER" are all "prisonnumber". */
export function normaliseHeader(h: string): string {
  return h.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

/** The ignored columns a report names: the rest are counted ("and 3 more"). */
export const IGNORED_SHOWN = 20

export interface ColumnMap<F extends string> {
  /** field -> index of its column in the file */
  columns: Map<F, number>
  /** the heading of each mapped field as written in the file (an excerpt of it), for error messages */
  headings: Map<F, string>
  /** the headings of the ignored columns, as excerpts; after IGNORED_SHOWN of them, "and N more" */
  ignored: string[]
}

/**
 * Matches the file's headings to fields by their aliases. Missing required columns and two columns for the same
 * field are problems with the file; columns nobody asked for are ignored and listed.
 */
export function mapColumns<F extends string>(
  headers: string[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
  labels: Record<F, string>,
): ColumnMap<F> {
  const { map, problems } = readColumns(headers, aliases, required, labels)
  if (problems.length) throw new FileProblem(problems)
  return map
}

/**
 * As mapColumns, but the problems with the headings are returned beside the columns that could be read (of two
 * columns for the same field, the first), so that the rows can still be checked and every problem listed at once.
 */
export function readColumns<F extends string>(
  headers: string[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
  labels: Record<F, string>,
): { map: ColumnMap<F>; problems: string[] } {
  const byAlias = new Map<string, F>()
  for (const field of Object.keys(aliases) as F[])
    for (const a of [field, labels[field], ...aliases[field]]) byAlias.set(normaliseHeader(a), field)
  const columns = new Map<F, number>()
  const headings = new Map<F, string>()
  const ignored: string[] = []
  const problems: string[] = []
  headers.forEach((h, i) => {
    const field = byAlias.get(normaliseHeader(h))
    if (!field) {
      ignored.push(h || `column ${i + 1} (no heading)`)
      return
    }
    const first = headings.get(field)
    if (first !== undefined) {
      problems.push(
        `The columns "${first}" and "${excerpt(h)}" both give the ${labels[field].toLowerCase()}: keep only one of them`,
      )
      return
    }
    columns.set(field, i)
    headings.set(field, excerpt(h))
  })
  if (ignored.length > IGNORED_SHOWN)
    ignored.splice(IGNORED_SHOWN, Infinity, `and ${(ignored.length - IGNORED_SHOWN).toLocaleString('en-GB')} more`)
  ignored.forEach((h, i) => (ignored[i] = excerpt(h)))
  const missing = required.filter(f => !columns.has(f)).map(f => `"${labels[f]}"`)
  if (missing.length)
    problems.unshift(
      `The file is missing ${missing.length === 1 ? 'a required column' : 'required columns'}: ${missing.join(', ')}`,
    )
  return { map: { columns, headings, ignored }, problems }
}
