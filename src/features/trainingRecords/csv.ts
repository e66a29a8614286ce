import { readCsvUpload } from '../../platform/csv'

// Reading a CSV of completions into rows: pure, no I/O. A problem with the whole file is a list of messages.

/** More rows than any establishment's officers finish in years: a bigger file is a mistake. */
export const MAX_ROWS = 20_000
/** The largest file taken (1 MB holds about 15,000 rows of six columns). */
export const MAX_BYTES = 1024 * 1024

export const COLUMNS = ['staffNumber', 'moduleCode', 'completedOn', 'outcome', 'hours', 'externalId'] as const
export type Column = (typeof COLUMNS)[number]
export const REQUIRED: readonly Column[] = ['staffNumber', 'moduleCode', 'completedOn']

/** The heading each column is written with in a file (and in error messages). */
export const HEADINGS: Record<Column, string> = {
  staffNumber: 'staff_number',
  moduleCode: 'module_code',
  completedOn: 'completed_on',
  outcome: 'outcome',
  hours: 'hours',
  externalId: 'external_id',
}

const ALIASES: Record<string, Column> = {
  staffnumber: 'staffNumber',
  staffno: 'staffNumber',
  staffid: 'staffNumber',
  employeenumber: 'staffNumber',
  modulecode: 'moduleCode',
  module: 'moduleCode',
  coursecode: 'moduleCode',
  completedon: 'completedOn',
  completed: 'completedOn',
  completiondate: 'completedOn',
  date: 'completedOn',
  outcome: 'outcome',
  result: 'outcome',
  status: 'outcome',
  hours: 'hours',
  duration: 'hours',
  externalid: 'externalId',
  id: 'externalId',
  recordid: 'externalId',
}

export type CsvRead =
  | { ok: true; rows: { row: number; values: Partial<Record<Column, string>> }[]; ignored: string[] }
  | { ok: false; messages: string[] }

/** Decodes and reads the file: its headings matched to columns, each non-blank row numbered as a spreadsheet shows. */
export function readCompletionsCsv(bytes: Uint8Array): CsvRead {
  const read = readCsvUpload(bytes, MAX_BYTES)
  if (!read.ok) return read
  const records = read.records
  const [head, ...body] = records
  const columns = (head ?? []).map(h => ALIASES[h.toLowerCase().replace(/[^a-z]/g, '')] ?? null)
  const ignored = (head ?? []).filter((h, i) => columns[i] === null && h.trim() !== '')
  const messages: string[] = []
  for (const c of REQUIRED) if (!columns.includes(c)) messages.push(`The file has no ${HEADINGS[c]} column`)
  const seen = new Set<Column>()
  for (const c of columns)
    if (c !== null) {
      if (seen.has(c)) messages.push(`The file has more than one ${HEADINGS[c]} column`)
      seen.add(c)
    }
  const rows = body.map((cells, i) => ({ row: i + 2, cells })).filter(r => r.cells.some(c => c.trim() !== ''))
  if (rows.length === 0) messages.push('The file has headings but no rows')
  if (rows.length > MAX_ROWS) messages.push(`The file has more than ${MAX_ROWS.toLocaleString('en-GB')} rows: split it`)
  if (messages.length) return { ok: false, messages }
  return {
    ok: true,
    ignored,
    rows: rows.map(r => {
      const values: Partial<Record<Column, string>> = {}
      columns.forEach((c, i) => {
        if (c !== null) values[c] = (r.cells[i] ?? '').trim()
      })
      return { row: r.row, values }
    }),
  }
}
