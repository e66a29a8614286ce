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
export function passwordProblem(password: string): string | null {
  return password.length >= 12 ? null : PASSWORD_RULE
}
