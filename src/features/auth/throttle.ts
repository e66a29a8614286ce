import type { Kysely } from 'kysely'
import type { Database } from '../../db/types'

export interface ThrottleRule {
  maxFailures: number
  windowMs: number
  lockMs: number
}

export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }

/** Failed sign-ins counted per key ("account:NAME", "address:IP") in the database, so limits hold across restarts. */
export function signInThrottle(db: Kysely<Database>) {
  return {
    async lockedUntil(keys: string[], now = new Date()): Promise<Date | null> {
      const rows = await db.selectFrom('sign_in_attempts').select('locked_until').where('key', 'in', keys).execute()
      const until = rows
        .map(r => r.locked_until)
        .filter((v): v is string => v !== null && v > now.toISOString())
        .sort()
        .pop()
      return until ? new Date(until) : null
    },

    async fail(key: string, rule: ThrottleRule, now = new Date()): Promise<void> {
      const row = await db.selectFrom('sign_in_attempts').selectAll().where('key', '=', key).executeTakeFirst()
      const inWindow = row && Date.parse(row.first_failure_at) > now.getTime() - rule.windowMs
      const failures = inWindow ? row.failures + 1 : 1
      const first = inWindow ? row.first_failure_at : now.toISOString()
      const locked = failures >= rule.maxFailures ? new Date(now.getTime() + rule.lockMs).toISOString() : null
      await db
        .insertInto('sign_in_attempts')
        .values({ key, failures, first_failure_at: first, locked_until: locked })
        .onConflict(oc => oc.column('key').doUpdateSet({ failures, first_failure_at: first, locked_until: locked }))
        .execute()
    },

    async clear(key: string): Promise<void> {
      await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute()
    },
  }
}
