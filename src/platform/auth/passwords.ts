import { readFileSync } from 'node:fs'
import path from 'node:path'
import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id recommendation: 19 MiB memory, 2 iterations, 1 lane.
const OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id: a const enum, not importable here */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

export const PASSWORD_RULE = 'Password must be at least 12 characters'
export const COMMON_PASSWORD = 'Choose a password that is harder to guess: this one is on a list of common passwords'
export const PERSONAL_PASSWORD = 'Password must not include a username, a person’s name or the name of this service'

const SERVICE_NAMES = ['keywork']

/** Read at the first check, not at start-up: most requests never set a password. */
let common: Set<string> | undefined
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(path.join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map(line => line.trim())
      .filter(line => line && !line.startsWith('#')),
  )
  return common
}

/** Lower case without spaces or the separators usernames use, so "Key Work" and "key-work" compare alike. */
const compact = (v: string) => v.toLowerCase().replace(/[\s._-]+/g, '')

/**
 * Why a password may not be set, or null. Checked wherever a password is set, never at sign-in (an older password
 * still signs in): at least 12 characters (NCSC: length over complexity), not on the deny list of common passwords,
 * and not made from the account's username or name or the service's name.
 */
export function passwordProblem(password: string, about: { username?: string; displayName?: string } = {}) {
  if (password.length < 12) return PASSWORD_RULE
  const lower = password.toLowerCase()
  const list = commonPasswords()
  if (list.has(lower) || list.has(lower.replace(/\s+/g, ''))) return COMMON_PASSWORD
  const username = about.username ?? ''
  const name = about.displayName ?? ''
  const words = [
    ...SERVICE_NAMES,
    username,
    ...username.split(/[.-]/).filter(w => w.length >= 4),
    name,
    ...name.split(/\s+/).filter(w => w.length >= 4),
  ]
    .map(compact)
    .filter(w => w.length >= 3)
  const candidate = compact(password)
  return words.some(w => candidate.includes(w)) ? PERSONAL_PASSWORD : null
}
