/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine
 * and Node version, which Math.random cannot promise. Not for anything secret.
 */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Picks from [item, weight] pairs in proportion to the weights. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of pairs) total += w
    let r = this.next() * total
    for (const [item, w] of pairs) {
      r -= w
      if (r < 0) return item
    }
    return pairs[pairs.length - 1]![0]
  }

  /** Exponentially distributed with the given mean: waiting times, lengths of stay. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[items[i], items[j]] = [items[j]!, items[i]!]
    }
    return items
  }
}

/** Mixes a seed and a stream number into an independent seed (murmur3's finaliser), e.g. one per establishment. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * A picker that favours the start of a list (Zipf-like, weight 1/(rank+k)), so that common names such as Smith
 * come up often and rare ones rarely, as they do in a real roll.
 */
export function zipf<T>(items: readonly T[], k = 2): (rng: Random) => T {
  const cumulative: number[] = []
  let total = 0
  for (let i = 0; i < items.length; i++) {
    total += 1 / (i + k)
    cumulative.push(total)
  }
  return rng => {
    const r = rng.next() * total
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! > r) hi = mid
      else lo = mid + 1
    }
    return items[lo]!
  }
}
