import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/types'

export interface ThrottleRule {
  maxFailures: number
  windowMs: number
  lockMs: number
}

export const ACCOUNT_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }

export interface ThrottleKey {
  key: string
  rule: ThrottleRule
}

/** Thrown inside the transaction to undo the counts of an attempt that is refused. */
class Refused extends Error {}

/**
 * Sign-in attempts counted per key ("account:NAME", "address:IP") in the database, so limits hold across restarts.
 *
 * An attempt takes a slot before its password is checked: one statement counts it and reads the count back, so
 * however many attempts arrive at once, at most the limit of them are checked. A failed check keeps its slot; a
 * success gives it back (the account's count starts again).
 */
export function signInThrottle(db: Kysely<Database>) {
  return {
    /**
     * Counts an attempt against every key, in one transaction (in the order given, so concurrent ones cannot
     * deadlock). False, with nothing counted, when any key has reached its limit: the attempt must not be checked.
     */
    async take(keys: ThrottleKey[], now = new Date()): Promise<boolean> {
      try {
        await db.transaction().execute(async trx => {
          for (const { key, rule } of keys) {
            const windowStart = new Date(now.getTime() - rule.windowMs).toISOString()
            const lockUntil = new Date(now.getTime() + rule.lockMs).toISOString()
            const at = now.toISOString()
            // still counting: the window since the first attempt is open, or a lock has not yet run out
            const counting = sql<boolean>`(sign_in_attempts.first_failure_at > ${windowStart}
              or coalesce(sign_in_attempts.locked_until, '') > ${at})`
            const failures = sql<number>`case when ${counting} then sign_in_attempts.failures + 1 else 1 end`
            const row = await trx
              .insertInto('sign_in_attempts')
              .values({
                key,
                failures: 1,
                first_failure_at: at,
                locked_until: rule.maxFailures <= 1 ? lockUntil : null,
              })
              .onConflict(oc =>
                oc.column('key').doUpdateSet({
                  failures,
                  first_failure_at: sql<string>`case when ${counting} then sign_in_attempts.first_failure_at
                    else ${at} end`,
                  // the attempt that reaches the limit starts the lock; attempts refused later do not extend it
                  locked_until: sql<string | null>`case
                    when ${counting} and sign_in_attempts.locked_until > ${at} then sign_in_attempts.locked_until
                    when ${failures} >= ${rule.maxFailures} then ${lockUntil}
                    else null end`,
                }),
              )
              .returning('failures')
              .executeTakeFirstOrThrow()
            if (Number(row.failures) > rule.maxFailures) throw new Refused()
          }
        })
        return true
      } catch (err) {
        if (err instanceof Refused) return false
        throw err
      }
    },

    /** The account's count starts again. */
    async clear(key: string): Promise<void> {
      await db.deleteFrom('sign_in_attempts').where('key', '=', key).execute()
    },

    /** Gives back a successful attempt's slot (an address's count: other people sign in from the same address). */
    async release(key: string, rule: ThrottleRule): Promise<void> {
      await db
        .updateTable('sign_in_attempts')
        .set({
          failures: sql<number>`failures - 1`,
          locked_until: sql<
            string | null
          >`case when failures - 1 < ${rule.maxFailures} then null else locked_until end`,
        })
        .where('key', '=', key)
        .where('failures', '>', 0)
        .execute()
    },
  }
}
