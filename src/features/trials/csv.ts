import { readCsvUpload } from '../../platform/csv'
import { COUNT_MEASURES, isCountMeasure } from './schema'

// Reading an outcome counts CSV: pure, no I/O. Every problem of every row listed at once, with its row number as a
// spreadsheet shows it (the headings are row 1).

/** The largest file taken: 1 MB holds about 30,000 rows (120 establishments, 3 measures, 7 years). */
export const MAX_BYTES = 1024 * 1024
export const MAX_ROWS = 50_000

export const COLUMNS = ['establishment', 'month', 'measure', 'count', 'population'] as const
type Column = (typeof COLUMNS)[number]

const ALIASES: Record<string, Column> = {
  establishment: 'establishment',
  establishmentcode: 'establishment',
  code: 'establishment',
  prison: 'establishment',
  month: 'month',
  measure: 'measure',
  count: 'count',
  population: 'population',
  prisoners: 'population',
  roll: 'population',
}

export interface CountRow {
  row: number
  establishmentId: number
  month: string
  measure: string
  count: number
  population: number | null
}

export type CsvOutcome = { ok: true; rows: CountRow[] } | { ok: false; messages: string[] }

const WHOLE = /^[0-9]{1,9}$/

/**
 * Reads and checks the file: establishment codes against those known, months YYYY-MM not after `thisMonth`, a measure
 * of COUNT_MEASURES, a whole count of 0 or more, a population (when given) of 1 or more, one row per establishment,
 * month and measure.
 */
export function readOutcomeCsv(bytes: Uint8Array, codes: ReadonlyMap<string, number>, thisMonth: string): CsvOutcome {
  const read = readCsvUpload(bytes, MAX_BYTES)
  if (!read.ok) return read
  const records = read.records
  const [head, ...body] = records
  const columns = (head ?? []).map(h => ALIASES[h.toLowerCase().replace(/[^a-z]/g, '')] ?? null)
  const missing = (['establishment', 'month', 'measure', 'count'] as const).filter(c => !columns.includes(c))
  if (missing.length)
    return {
      ok: false,
      messages: [
        `The file needs the columns establishment, month, measure and count (and population if you have it). Missing: ${missing.join(', ')}.`,
      ],
    }
  if (body.length > MAX_ROWS) return { ok: false, messages: [`The file must have ${MAX_ROWS} rows or fewer`] }
  const messages: string[] = []
  const rows: CountRow[] = []
  const seen = new Map<string, number>()
  body.forEach((record, i) => {
    const row = i + 2
    if (record.every(v => v.trim() === '')) return
    const v = (c: Column) => {
      const at = columns.indexOf(c)
      return at < 0 ? '' : (record[at] ?? '').trim()
    }
    const problems: string[] = []
    const code = v('establishment').toUpperCase()
    const establishmentId = codes.get(code)
    if (!code) problems.push('enter the establishment code')
    else if (establishmentId === undefined) problems.push(`no establishment has the code ${code}`)
    const month = v('month')
    const m = /^(\d{4})-(\d{2})$/.exec(month)
    if (!month) problems.push('enter the month, like 2026-03')
    else if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
      problems.push(`the month must be a year and month, like 2026-03 (not ${month})`)
    else if (month > thisMonth) problems.push(`the month ${month} is in the future`)
    const measure = v('measure')
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
    if (!measure) problems.push('enter the measure')
    else if (!isCountMeasure(measure))
      problems.push(`the measure must be one of ${Object.keys(COUNT_MEASURES).join(', ')} (not ${v('measure')})`)
    const count = v('count')
    if (!count) problems.push('enter the count')
    else if (!WHOLE.test(count)) problems.push(`the count must be a whole number, 0 or more (not ${count})`)
    const population = v('population')
    if (population && (!WHOLE.test(population) || Number(population) < 1))
      problems.push(`the population must be a whole number, 1 or more (not ${population})`)
    if (establishmentId !== undefined && m && isCountMeasure(measure)) {
      const key = `${establishmentId}|${month}|${measure}`
      const first = seen.get(key)
      if (first !== undefined) problems.push(`${code}, ${month}, ${measure} is already in row ${first}`)
      else seen.set(key, row)
    }
    if (problems.length) {
      messages.push(`Row ${row}: ${problems.join('; ')}`)
      return
    }
    rows.push({
      row,
      establishmentId: establishmentId!,
      month,
      measure,
      count: Number(count),
      population: population ? Number(population) : null,
    })
  })
  if (messages.length) return { ok: false, messages }
  if (rows.length === 0) return { ok: false, messages: ['The file has no rows of counts under its headings'] }
  return { ok: true, rows }
}
