// Grouping a list by a key, pure.
// Invariants: every item is in exactly one group; groups and the items within them keep the list's order.

/** The items of a list by key, each group in the list's order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}
