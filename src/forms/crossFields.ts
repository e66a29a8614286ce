// Rules between fields of a form or CSV row. zod skips refinements once a field has failed, which hid (say) a release
// date before the reception date behind a bad date of birth; these run the rules on the fields that did parse instead.

export interface FieldProblem<F extends string = string> {
  field: F
  message: string
}

/** The fields of a partly parsed object that parsed: a field with an issue holds no usable value, so it is left out. */
export function parsedFields<T extends object>(v: T, issues: readonly { path?: readonly PropertyKey[] }[]): Partial<T> {
  const failed = new Set(issues.map(i => i.path?.[0]))
  return Object.fromEntries(Object.entries(v).filter(([k]) => !failed.has(k))) as Partial<T>
}

/** For superRefine's `when`: run the rules whenever the input was an object at all, other fields' errors or not. */
export const whenAnObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null
