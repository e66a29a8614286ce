/**
 * A large reading (hundreds of thousands of rows) copied from the reading thread in one message would be
 * deserialised on the server's event loop in one go, for a second or more, and every other request would wait. So
 * its long lists travel in parts of PART_ITEMS: the skeleton first (the reading with those lists empty), then each
 * part when the server asks for it, with the server's other work in between.
 */

export const PART_ITEMS = 2000

/** Where a part's items go: a list of the reading itself (`["problems"]`) or of an object in it (`["bundle", "phones"]`). */
export interface Part {
  path: string[]
  items: unknown[]
}

type Obj = Record<string, unknown>

const isPlain = (v: unknown): v is Obj =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype

/** The result with its long lists (at its top level and one level down) emptied, and those lists in parts. */
export function splitResult<T>(result: T): { skeleton: T; parts: Part[] } {
  const parts: Part[] = []
  const take = (list: unknown[], path: string[]): unknown[] => {
    if (list.length <= PART_ITEMS) return list
    for (let i = 0; i < list.length; i += PART_ITEMS) parts.push({ path, items: list.slice(i, i + PART_ITEMS) })
    return []
  }
  if (Array.isArray(result)) return { skeleton: take(result, []) as T, parts }
  if (!isPlain(result)) return { skeleton: result, parts }
  const skeleton: Obj = {}
  for (const [k, v] of Object.entries(result)) {
    if (Array.isArray(v)) skeleton[k] = take(v, [k])
    else if (isPlain(v)) {
      const inner: Obj = {}
      for (const [k2, v2] of Object.entries(v)) inner[k2] = Array.isArray(v2) ? take(v2, [k, k2]) : v2
      skeleton[k] = inner
    } else skeleton[k] = v
  }
  return { skeleton: skeleton as T, parts }
}

/** Puts a part back where it came from. */
export function joinPart(skeleton: unknown, part: Part) {
  let target: unknown = skeleton
  for (const key of part.path) target = (target as Obj)[key]
  ;(target as unknown[]).push(...part.items)
}
