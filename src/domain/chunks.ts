// Cutting a list into pieces of at most a given size, pure: for queries with a bounded number of parameters.
// Invariants: the pieces, in order, are the list; none is empty (so an empty list gives no piece, and no query).

/** The list in pieces of `size` items, the last possibly shorter; no piece for an empty list. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
