import type { RawBuilder, SelectQueryBuilder } from 'kysely'
import { jsonArrayFrom as postgresArray } from 'kysely/helpers/postgres'
import { jsonArrayFrom as sqliteArray } from 'kysely/helpers/sqlite'
import type { Dialect } from './database'

// Rows of a subquery as one JSON array column, so that a page's several lists come back in one statement: on
// PostgreSQL every statement is a round trip to the server, and the prisoner page made nine. The subquery's columns
// must be listed (SQLite's json_object needs their names: no selectAll). The array's order is not the subquery's
// ORDER BY (SQL does not promise it through an aggregate): a caller that needs an order sorts what it gets.

/** The rows of `query` as a JSON array column (json_agg on PostgreSQL, json_group_array on SQLite). */
export function jsonRows<DB, TB extends keyof DB, O>(
  dialect: Dialect,
  query: SelectQueryBuilder<DB, TB, O>,
): RawBuilder<O[]> {
  // the columns keywork puts in JSON are text, numbers and nulls, which JSON keeps as they are
  return (dialect === 'postgres' ? postgresArray(query) : sqliteArray(query)) as RawBuilder<O[]>
}

/**
 * A JSON array column as rows: node-postgres parses json itself, SQLite gives the text. Anything else (a value no
 * jsonRows column can hold) is an error, not an empty list.
 */
export function parseRows<T>(value: T[] | string): T[] {
  const rows: unknown = typeof value === 'string' ? JSON.parse(value) : value
  if (!Array.isArray(rows)) throw new TypeError('expected a JSON array of rows')
  return rows as T[]
}
