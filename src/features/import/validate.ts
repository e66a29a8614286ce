import { excerpt, limitedList } from '../../domain/untrusted'
import type { ColumnMap, CsvTable } from './csv'
import type { KindSpec } from './kinds'

export interface RowError {
  /** as a spreadsheet numbers it: the headings are row 1 */
  row: number
  /** the column heading as written in the file */
  column: string
  reason: string
}

export interface ValidRow<R> {
  row: number
  record: R
  unitId: number | null
}

export interface CrossProblem {
  row: number
  field: string
  reason: string
}

export interface UnitRef {
  id: number
  code: string
  name: string
}

/** A problem found in a row's cells as written, whatever else is wrong with the row */
export interface CellProblem {
  field: string
  reason: string
}

/** Checks besides each row's schema; each sees as much of the file as it can, so one pass lists every problem. */
export interface RowChecks<R> {
  /** on every row's cells, parsed or not (a unit code, a prisoner or officer this establishment has) */
  cells?: (input: Record<string, string>, row: number) => CellProblem[]
  /** once, on every row the schema read, errors elsewhere or not (overlaps between rows, a key on two rows) */
  parsed?: (parsed: readonly ValidRow<R>[]) => CrossProblem[]
  /** across rows (a unit's parent in the file): run on the valid rows until no new problem appears */
  cross?: (valid: readonly ValidRow<R>[], invalidKeys: ReadonlySet<string>) => CrossProblem[]
}

export interface Validation<R> {
  valid: ValidRow<R>[]
  errors: RowError[]
  /** normalised keys (prison numbers...) found on rows with errors: such records must be left alone */
  invalidKeys: Set<string>
  /** rows with errors whose key itself is missing, so nobody can tell which record they are about */
  invalidRowsWithoutKey: number[]
  /** every row of each key, valid or not */
  rowsByKey: Map<string, number[]>
}

/**
 * Checks every row with the kind's record schema, then what only the file as a whole or the establishment can tell:
 * the same key on two rows, and unit codes the establishment does not have. Reports every error, never only the first:
 * a unit code is checked on a row with other errors too, and a required column missing from the file (a problem with
 * the file, reported once) does not hide the other columns' errors.
 */
export function validateRows<R, F extends keyof R & string>(
  table: CsvTable,
  map: ColumnMap<F>,
  spec: KindSpec<R, F>,
  units: readonly UnitRef[],
  checks: RowChecks<R> = {},
): Validation<R> {
  const crossCheck = checks.cross
  const fields = [...map.columns.keys()]
  // a required column the file lacks is reported once with the headings, not on every row
  const absent = new Set<string>(spec.required.filter(f => !map.columns.has(f)))
  const headingOf = (field: string) => map.headings.get(field as F) ?? spec.labels[field as F] ?? field
  const columnOrder = (field: string) => map.columns.get(field as F) ?? Number.MAX_SAFE_INTEGER
  const unitByCode = new Map(units.map(u => [u.code.toUpperCase(), u]))
  const unitByName = new Map(units.map(u => [u.name.trim().toLowerCase(), u]))
  const unitList =
    units
      .map(u => u.code)
      .slice(0, 30)
      .join(', ') + (units.length > 30 ? ' …' : '')

  const errorsByRow = new Map<number, { field: string; reason: string; column?: string }[]>()
  const addError = (row: number, field: string, reason: string, column?: string) => {
    const list = errorsByRow.get(row) ?? []
    list.push({ field, reason, ...(column ? { column } : {}) })
    errorsByRow.set(row, list)
  }
  const candidates: ValidRow<R>[] = []
  const rowsByKey = new Map<string, number[]>()
  const keyOfRow = new Map<number, string>()
  const keyIndex = map.columns.get(spec.keyField)

  for (const { row, cells } of table.rows) {
    const input: Record<string, string> = {}
    for (const f of fields) input[f] = cells[map.columns.get(f)!] ?? ''
    if (cells.length > table.headers.length && cells.slice(table.headers.length).some(c => c.trim() !== ''))
      addError(
        row,
        '',
        `The row has ${cells.length} values but there are only ${table.headers.length} column headings`,
        `Column ${table.headers.length + 1} (no heading)`,
      )

    const key = keyIndex === undefined ? '' : spec.normaliseKey(cells[keyIndex] ?? '')
    if (key) {
      keyOfRow.set(row, key)
      rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), row])
    }

    const parsed = spec.schema.safeParse(input)
    const seen = new Set<string>(absent)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '')
        if (seen.has(field)) continue // the first message for each field, as forms show
        seen.add(field)
        addError(row, field, issue.message)
      }
    }
    // the unit code as written: checked whatever else is wrong with the row
    let unitId: number | null = null
    // input holds the file's columns only: a unit column the file lacks reads as blank
    const code = spec.unitField ? (input[spec.unitField] ?? '').trim() : ''
    if (spec.unitField && code !== '' && !seen.has(spec.unitField)) {
      const unit = unitByCode.get(code.toUpperCase()) ?? unitByName.get(code.toLowerCase())
      if (unit) unitId = unit.id
      else {
        seen.add(spec.unitField)
        addError(
          row,
          spec.unitField,
          units.length
            ? `${excerpt(code)} is not a residential unit of this establishment; use one of: ${unitList}`
            : `${excerpt(code)} is not a residential unit of this establishment, which has no units yet: add the units first`,
        )
      }
    }
    for (const p of checks.cells?.(input, row) ?? []) {
      if (seen.has(p.field)) continue
      seen.add(p.field)
      addError(row, p.field, p.reason)
    }
    if (parsed.success) candidates.push({ row, record: parsed.data, unitId })
  }

  if (checks.parsed) for (const p of checks.parsed(candidates)) addError(p.row, p.field, p.reason)

  for (const [key, rows] of rowsByKey) {
    if (rows.length < 2 || spec.duplicateKeysAllowed) continue
    // one list for all the rows (a key on 10,000 rows must not make 10,000 lists of 10,000)
    const where = limitedList(rows.map(String), 10)
    for (const row of rows)
      addError(
        row,
        spec.keyField,
        `${spec.labels[spec.keyField]} ${excerpt(key)} is on more than one row (rows ${where})`,
      )
  }

  const keysOnBadRows = () => {
    const keys = new Set<string>()
    for (const row of errorsByRow.keys()) {
      const key = keyOfRow.get(row)
      if (key) keys.add(key)
    }
    return keys
  }
  if (crossCheck) {
    // removing a row can break another (a wing whose houseblock row is bad), so repeat until nothing changes
    for (;;) {
      const problems = crossCheck(
        candidates.filter(c => !errorsByRow.has(c.row)),
        keysOnBadRows(),
      )
      if (problems.length === 0) break
      for (const p of problems) addError(p.row, p.field, p.reason)
    }
  }

  const errors: RowError[] = []
  for (const [row, list] of [...errorsByRow].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => columnOrder(a.field) - columnOrder(b.field))
    for (const e of list) errors.push({ row, column: e.column ?? headingOf(e.field), reason: e.reason })
  }
  const invalidKeys = new Set<string>()
  const invalidRowsWithoutKey: number[] = []
  for (const row of errorsByRow.keys()) {
    const key = keyOfRow.get(row)
    if (key && spec.isKey(key)) invalidKeys.add(key)
    else invalidRowsWithoutKey.push(row)
  }
  invalidRowsWithoutKey.sort((a, b) => a - b)
  return {
    valid: candidates.filter(c => !errorsByRow.has(c.row)),
    errors,
    invalidKeys,
    invalidRowsWithoutKey,
    rowsByKey,
  }
}
