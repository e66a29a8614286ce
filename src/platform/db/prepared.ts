import { type Compilable, CompiledQuery, type Kysely } from 'kysely'
import type { Database } from './types'

/**
 * A query built once and run many times. Kysely builds and compiles a query's SQL on every call, which costs
 * several times what SQLite takes to run a small indexed query; for the few queries every request runs (the
 * session, the prisoner page, the audit write) the SQL is compiled once and only the values are bound per call.
 *
 * `build` receives placeholder arguments, one per value, and must use each only as a bound value.
 */
export function prepared<A extends unknown[], R>(
  db: Kysely<Database>,
  arity: A['length'],
  build: (...args: A) => Compilable<R>,
) {
  const placeholders = Array.from({ length: arity }, (_, i) => `\u0000keywork-param-${i}\u0000`)
  let compiled: CompiledQuery<R> | undefined
  return async (executor: Kysely<Database>, ...args: A): Promise<R[]> => {
    compiled ??= build(...(placeholders as unknown as A)).compile()
    const parameters = compiled.parameters.map(p => {
      const i = typeof p === 'string' ? placeholders.indexOf(p) : -1
      return i >= 0 ? args[i] : p
    })
    const result = await executor.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters))
    return result.rows
  }
}
