import { randomInt } from 'node:crypto'

/**
 * 25 letters and digits none of which can be read as another (no 0/O, 1/I/L, 2/Z, 5/S, 8/B): 12 of them make
 * 25^12, about 6 × 10^16 codes, so guessing one that exists is hopeless.
 */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679'
const GROUPS = 3
const GROUP = 4

/** A new verification code: 12 characters drawn by the system's secure random source, written XXXX-XXXX-XXXX. */
export function newCertificateCode(): string {
  const chars = Array.from({ length: GROUPS * GROUP }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)])
  return [0, 1, 2].map(g => chars.slice(g * GROUP, g * GROUP + GROUP).join('')).join('-')
}

/**
 * A code as typed (any case, spaces or hyphens anywhere) in its stored form, or null when it cannot be one: the
 * length and the alphabet are checked before the database is asked.
 */
export function normaliseCertificateCode(input: string): string | null {
  const bare = input.toUpperCase().replace(/[\s-]/g, '')
  if (bare.length !== GROUPS * GROUP) return null
  if ([...bare].some(c => !CODE_ALPHABET.includes(c))) return null
  return `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8, 12)}`
}
