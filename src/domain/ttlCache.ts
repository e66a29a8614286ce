/**
 * A small in-process cache with a time limit. Used for what every request reads and few requests change
 * (a user's roles, the list of establishments): writers in this process clear it at once; changes made by
 * another process (the CLI, a second instance) apply within the time limit.
 */
export function ttlCache<K, V>(ttlMs: number, maxEntries = 10_000, now: () => number = Date.now) {
  const entries = new Map<K, { at: number; value: V }>()
  return {
    async get(key: K, load: () => Promise<V>): Promise<V> {
      const hit = entries.get(key)
      if (hit && now() - hit.at < ttlMs) return hit.value
      const value = await load()
      if (entries.size >= maxEntries) entries.clear()
      entries.set(key, { at: now(), value })
      return value
    },
    clear() {
      entries.clear()
    },
  }
}
