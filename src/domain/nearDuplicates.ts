/**
 * Near-duplicate narratives: MinHash signatures with locality-sensitive hashing (banding), every candidate pair
 * then checked with the exact Jaccard similarity of the two texts' shingles. Pure, deterministic, 32-bit arithmetic
 * only (Math.imul and unsigned shifts), so the same text gives the same signature on every machine.
 *
 * - A text is normalised first: lower case; prison numbers, dates, times, numbers and the words the caller names
 *   (the prisoner's and the officer's names, the form's boilerplate) removed; punctuation dropped. What is left is
 *   what an officer wrote.
 * - Its shingles are the hashes of every run of SHINGLE words (whole text when shorter); similarity is the Jaccard
 *   similarity of the two sets: |A ∩ B| ÷ |A ∪ B|.
 * - A signature is, for each of HASHES seeded mixing functions, the least hash over the shingles: two texts agree
 *   at one position with probability equal to their Jaccard similarity.
 * - Banding: BANDS bands of ROWS positions; texts sharing any whole band are candidates. With 16 × 6 a pair at
 *   similarity 0.8 becomes a candidate with probability 1 − (1 − 0.8⁶)¹⁶ ≈ 0.992, at 0.5 about 0.22, at 0.3 about
 *   0.012; the exact check then keeps only pairs at or above the threshold. (16 × 5 let through five times as many
 *   unrelated pairs of a million narratives, 8.8 million, for the exact check to throw away.)
 */

export const SHINGLE = 3
export const BANDS = 16
export const ROWS = 6
export const HASHES = BANDS * ROWS

const PRISON_NUMBER = /\b[a-z]\d{4}[a-z]{2}\b/g
const DATE =
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(\s+\d{4})?\b/g
const TIME = /\b\d{1,2}[:.]\d{2}\b/g

/** The words of a text that count: see the module comment. `remove`: names and boilerplate, each a word or phrase. */
export function normalise(text: string, remove: readonly string[] = []): string[] {
  const words = tokens(text.toLowerCase().replace(PRISON_NUMBER, ' ').replace(DATE, ' ').replace(TIME, ' '))
  if (!remove.length) return words
  // the phrases by their first word, in the order given (the first that matches at a word wins): a text's words are
  // each looked up once instead of tried against every phrase, which made normalising the cost of a submission
  const byFirst = new Map<string, string[][]>()
  for (const p of remove) {
    const phrase = phraseTokens(p)
    if (!phrase.length) continue
    const list = byFirst.get(phrase[0]!)
    if (list) list.push(phrase)
    else byFirst.set(phrase[0]!, [phrase])
  }
  const out: string[] = []
  for (let i = 0; i < words.length;) {
    const hit = byFirst.get(words[i]!)?.find(p => p.every((w, k) => words[i + k] === w))
    if (hit) i += hit.length
    else out.push(words[i++]!)
  }
  return out
}

/** A phrase's words; the same boilerplate and names recur with every text, so they are split once (bounded). */
const phraseCache = new Map<string, string[]>()
function phraseTokens(phrase: string): string[] {
  let t = phraseCache.get(phrase)
  if (!t) {
    t = tokens(phrase.toLowerCase())
    if (phraseCache.size >= 10_000) phraseCache.clear()
    phraseCache.set(phrase, t)
  }
  return t
}

/**
 * Words: runs of letters (Latin, with accents) and apostrophes; digits and punctuation separate them. (Splitting on
 * \p{L} took a third of the whole scan.)
 */
const tokens = (t: string) => t.split(/[^a-z\u00c0-\u024f']+/).filter(w => w && w !== "'")

/** FNV-1a over a string's UTF-16 code units, 32-bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** murmur3's finaliser: a 32-bit mixing function, x ^ seed → well-spread bits. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The seeds of the HASHES functions, fixed so signatures are comparable across runs. */
const SEEDS = (() => {
  const seeds = new Uint32Array(HASHES)
  let s = 0x9e3779b9
  for (let i = 0; i < HASHES; i++) {
    s = mix(s, 0x7f4a7c15 + i)
    seeds[i] = s
  }
  return seeds
})()

/** The text's shingles as sorted, distinct 32-bit hashes (none for a text with no words). */
export function shingles(words: readonly string[], size = SHINGLE): Uint32Array {
  if (!words.length) return new Uint32Array(0)
  // each word hashed once; a shingle's hash combines its words' in order
  const h = words.map(hashString)
  const combine = (from: number, to: number) => {
    let x = 0x9747b28c
    for (let k = from; k < to; k++) x = mix(Math.imul(x, 0x01000193) ^ h[k]!, k - from)
    return x
  }
  const all =
    words.length <= size
      ? Uint32Array.of(combine(0, words.length))
      : Uint32Array.from({ length: words.length - size + 1 }, (_, i) => combine(i, i + size))
  all.sort()
  // distinct, in place
  let n = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!
  return all.slice(0, n)
}

/** |A ∩ B| ÷ |A ∪ B| of two sorted sets; 0 when both are empty. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0
  let j = 0
  let both = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++
      i++
      j++
    } else if (a[i]! < b[j]!) i++
    else j++
  }
  const union = a.length + b.length - both
  return union === 0 ? 0 : both / union
}

/** The MinHash signature of a set of shingles (all 0xffffffff for an empty set, which matches nothing real). */
export function signature(set: Uint32Array): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff)
  for (let s = 0; s < set.length; s++) {
    const x = set[s]!
    for (let i = 0; i < HASHES; i++) {
      const h = mix(x, SEEDS[i]!)
      if (h < sig[i]!) sig[i] = h
    }
  }
  return sig
}

/** One 32-bit hash per band, of its ROWS values: texts with an equal hash in some band are candidates. */
export function bandHashes(sig: Uint32Array): Uint32Array {
  const out = new Uint32Array(BANDS)
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b
    for (let r = 0; r < ROWS; r++) {
      h ^= sig[b * ROWS + r]!
      h = Math.imul(h, 0x01000193)
      h = mix(h, r)
    }
    out[b] = h >>> 0
  }
  return out
}

export interface Entry<Id> {
  id: Id
  set: Uint32Array
}

export interface SimilarPair<Id> {
  a: Id
  b: Id
  similarity: number
}

/**
 * An index of entries by their band keys: adding is O(bands); asking which entries are at least `threshold`
 * similar to a text costs the band lookups plus one exact Jaccard per candidate.
 */
export class NearDuplicateIndex<Id> {
  private readonly buckets = Array.from({ length: BANDS }, () => new Map<number, Entry<Id>[]>())
  private count = 0

  get size() {
    return this.count
  }

  add(id: Id, set: Uint32Array) {
    if (!set.length) return
    const entry = { id, set }
    bandHashes(signature(set)).forEach((h, band) => {
      const list = this.buckets[band]!.get(h)
      if (list) list.push(entry)
      else this.buckets[band]!.set(h, [entry])
    })
    this.count++
  }

  /** Entries at least `threshold` similar to the set, most similar first (the set's own id excluded). */
  similar(set: Uint32Array, threshold: number, self?: Id): SimilarPair<Id>[] {
    if (!set.length) return []
    const seen = new Set<Entry<Id>>()
    const out: { id: Id; similarity: number }[] = []
    const hashes = bandHashes(signature(set))
    for (let band = 0; band < BANDS; band++)
      for (const e of this.buckets[band]!.get(hashes[band]!) ?? []) {
        if (seen.has(e) || e.id === self) continue
        seen.add(e)
        const similarity = jaccard(set, e.set)
        if (similarity >= threshold) out.push({ id: e.id, similarity })
      }
    return out
      .sort((x, y) => y.similarity - x.similarity)
      .map(x => ({ a: self as Id, b: x.id, similarity: x.similarity }))
  }
}

/**
 * Every pair of entries at least `threshold` similar, each pair once (in the order the entries were given), found
 * through the bands and checked exactly.
 */
export function similarPairs<Id>(entries: readonly Entry<Id>[], threshold: number): SimilarPair<Id>[] {
  const index = new NearDuplicateIndex<number>()
  const out: SimilarPair<Id>[] = []
  entries.forEach((e, i) => {
    for (const p of index.similar(e.set, threshold))
      out.push({ a: entries[p.b]!.id, b: e.id, similarity: p.similarity })
    index.add(i, e.set)
  })
  return out
}

/**
 * The passages two texts share, for showing them side by side: for each text, the word ranges (start, end
 * exclusive, in its own words as split on white space) that belong to a run of at least `min` words found in both.
 */
export function sharedPassages(a: string, b: string, min = SHINGLE): { a: [number, number][]; b: [number, number][] } {
  const wa = a.split(/\s+/).filter(Boolean)
  const wb = b.split(/\s+/).filter(Boolean)
  const key = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '')
  const grams = (ws: string[]) => {
    const m = new Map<string, number[]>()
    for (let i = 0; i + min <= ws.length; i++) {
      const g = ws
        .slice(i, i + min)
        .map(key)
        .join(' ')
      const list = m.get(g)
      if (list) list.push(i)
      else m.set(g, [i])
    }
    return m
  }
  const ga = grams(wa)
  const gb = grams(wb)
  const marks = (mine: Map<string, number[]>, other: Map<string, number[]>, length: number) => {
    const on = new Uint8Array(length)
    for (const [g, starts] of mine) if (other.has(g)) for (const s of starts) on.fill(1, s, s + min)
    const ranges: [number, number][] = []
    for (let i = 0; i < length; i++)
      if (on[i] && (i === 0 || !on[i - 1])) {
        let j = i
        while (j < length && on[j]) j++
        ranges.push([i, j])
      }
    return ranges
  }
  return { a: marks(ga, gb, wa.length), b: marks(gb, ga, wb.length) }
}

/**
 * The band hashes of many entries at once, sorted per band, for a scan of a whole collection and for looking up
 * one new text against it without a hash map per band (a million entries would need sixteen million keys).
 * Entry i's hashes are hashes[i × BANDS .. i × BANDS + BANDS).
 */
export class BandTable {
  /** per band: the entries' hashes in ascending order, and the entry each belongs to */
  private readonly sorted: { hash: Uint32Array; entry: Uint32Array }[] = []

  constructor(private readonly hashes: Uint32Array) {
    const n = hashes.length / BANDS
    for (let b = 0; b < BANDS; b++) {
      // (hash, entry) packed into one double, hash × 2²¹ + entry, sorts natively without a comparator (16 sorts of a
      // million took 16 s with one); exact below 2⁵³, so up to 2²¹ entries, and a comparator beyond
      const hash = new Uint32Array(n)
      const entry = new Uint32Array(n)
      if (n <= 2 ** 21) {
        const packed = new Float64Array(n)
        for (let i = 0; i < n; i++) packed[i] = hashes[i * BANDS + b]! * 2 ** 21 + i
        packed.sort()
        for (let i = 0; i < n; i++) {
          const e = packed[i]! % 2 ** 21
          entry[i] = e
          hash[i] = (packed[i]! - e) / 2 ** 21
        }
      } else {
        const order = Array.from({ length: n }, (_, i) => i)
        order.sort((x, y) => hashes[x * BANDS + b]! - hashes[y * BANDS + b]! || x - y)
        order.forEach((e, i) => {
          entry[i] = e
          hash[i] = hashes[e * BANDS + b]!
        })
      }
      this.sorted.push({ hash, entry })
    }
  }

  /** Entries sharing a band hash with these hashes (each once). */
  candidates(hashes: Uint32Array): Set<number> {
    const out = new Set<number>()
    for (let b = 0; b < BANDS; b++) {
      const { hash, entry } = this.sorted[b]!
      const h = hashes[b]!
      let lo = 0
      let hi = hash.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (hash[mid]! < h) lo = mid + 1
        else hi = mid
      }
      for (let i = lo; i < hash.length && hash[i] === h; i++) out.add(entry[i]!)
    }
    return out
  }

  /**
   * Every pair of entries sharing some band hash, as [i, j] with i < j, each pair once: a pair is given in the first
   * band where its hashes agree (checked against the earlier bands' hashes, so no set of pairs is kept).
   */
  *pairs(): Generator<[number, number]> {
    const { hashes } = this
    for (let band = 0; band < BANDS; band++) {
      const { hash, entry } = this.sorted[band]!
      for (let start = 0; start < hash.length;) {
        let end = start + 1
        while (end < hash.length && hash[end] === hash[start]) end++
        for (let x = start; x < end; x++)
          for (let y = x + 1; y < end; y++) {
            const i = Math.min(entry[x]!, entry[y]!)
            const j = Math.max(entry[x]!, entry[y]!)
            let earlier = false
            for (let b = 0; b < band && !earlier; b++) earlier = hashes[i * BANDS + b] === hashes[j * BANDS + b]
            if (!earlier) yield [i, j]
          }
        start = end
      }
    }
  }
}
