/** What a service returns for user input: a value, or messages keyed by the field they are about. */
export type Result<T = void> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

export const ok = <T = void>(value?: T): Result<T> => ({ ok: true, value: value as T })
export const fail = <T = never>(errors: Record<string, string>): Result<T> => ({ ok: false, errors })
