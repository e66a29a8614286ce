// Ids of the directory's rows (HSDS asks only for a UUID).
// Invariants: every id is a UUID version 7; ids made later in this process sort after earlier ones (the millisecond,
// then a 12-bit counter within it), so a service's contacts, phones and opening times, read back in id order, come
// in the order they were written, on either engine.
import crypto from 'node:crypto'

let lastMs = 0
let seq = 0
let pool = Buffer.alloc(0)
let poolAt = 0

/** A time-ordered UUID version 7. */
export function orderedUuid(): string {
  let ms = Date.now()
  if (ms <= lastMs) {
    seq++
    if (seq > 0xfff) {
      lastMs++
      seq = 0
    }
    ms = lastMs
  } else {
    lastMs = ms
    seq = 0
  }
  if (poolAt + 8 > pool.length) {
    pool = crypto.randomBytes(8 * 4096)
    poolAt = 0
  }
  const rand = pool.subarray(poolAt, poolAt + 8)
  poolAt += 8
  rand[0] = (rand[0]! & 0x3f) | 0x80
  const hex = ms.toString(16).padStart(12, '0') + '7' + seq.toString(16).padStart(3, '0') + rand.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}
