import session from 'express-session'
import type { Kysely } from 'kysely'
import { prepared } from '../db/prepared'
import type { Database } from '../db/types'

type Callback = (err?: unknown, data?: session.SessionData | null) => void

/**
 * express-session store in our own database, so sessions survive a restart on either engine. A row names its user and
 * when they signed in (its first write with a user: sign-in always starts a new session id), so that a password change
 * can end the user's other sessions and a session ends at an absolute age however active it is.
 */
export class DatabaseSessionStore extends session.Store {
  private lastSweep = 0
  /** when each session's expiry was last written, so touches within a minute cost nothing */
  private readonly written = new Map<string, number>()
  /** read on every request */
  private readonly bySid

  constructor(
    private readonly db: Kysely<Database>,
    private readonly idleMs: number,
    private readonly absoluteMs: number,
  ) {
    super()
    this.bySid = prepared(db, 1, (sid: string) =>
      db.selectFrom('web_sessions').select(['data', 'expires_at', 'signed_in_at']).where('sid', '=', sid),
    )
  }

  /** Sessions signed in before this moment have outlived the absolute lifetime. */
  private oldestSignIn(): string {
    return new Date(Date.now() - this.absoluteMs).toISOString()
  }

  private expiry(sess: session.SessionData): string {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : 0
    return new Date(cookieExpiry || Date.now() + this.idleMs).toISOString()
  }

  override get(sid: string, cb: Callback): void {
    this.bySid(this.db, sid).then(([row]) => {
      if (!row || row.expires_at <= new Date().toISOString()) return cb(null, null)
      if (row.signed_in_at !== null && row.signed_in_at <= this.oldestSignIn())
        return this.destroy(sid, err => cb(err, null))
      cb(null, JSON.parse(row.data) as session.SessionData)
    }, cb)
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const userId = sess.userId ?? null
    const row = {
      sid,
      data: JSON.stringify(sess),
      expires_at: this.expiry(sess),
      user_id: userId,
      signed_in_at: userId === null ? null : new Date().toISOString(),
    }
    this.remember(sid)
    this.db
      .insertInto('web_sessions')
      .values(row)
      .onConflict(oc =>
        oc.column('sid').doUpdateSet(eb => ({
          data: row.data,
          expires_at: row.expires_at,
          user_id: row.user_id,
          // the first write with a user is the sign-in; later writes keep its time
          signed_in_at: eb.fn.coalesce('web_sessions.signed_in_at', eb.ref('excluded.signed_in_at')),
        })),
      )
      .execute()
      .then(() => this.sweep())
      .then(() => cb?.(), cb)
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    // rolling sessions touch on every request; extending the expiry once a minute is enough for an idle timeout
    // measured in minutes, and spares a database write per page view
    const last = this.written.get(sid)
    if (last !== undefined && Date.now() - last < 60_000) return void cb?.()
    this.remember(sid)
    this.db
      .updateTable('web_sessions')
      .set({ expires_at: this.expiry(sess) })
      .where('sid', '=', sid)
      .execute()
      .then(() => cb?.(), cb)
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.written.delete(sid)
    this.db
      .deleteFrom('web_sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => cb?.(), cb)
  }

  private remember(sid: string) {
    if (this.written.size > 100_000) this.written.clear()
    this.written.set(sid, Date.now())
  }

  /** Removes expired sessions at most once a minute, piggy-backed on writes. */
  private async sweep() {
    if (Date.now() - this.lastSweep < 60_000) return
    this.lastSweep = Date.now()
    await this.db
      .deleteFrom('web_sessions')
      .where(eb =>
        eb.or([eb('expires_at', '<=', new Date().toISOString()), eb('signed_in_at', '<=', this.oldestSignIn())]),
      )
      .execute()
  }
}

/** Ends every session of the user but the one given (a password change keeps the session that changed it). */
export async function endSessionsOf(db: Kysely<Database>, userId: number, exceptSid: string | null): Promise<void> {
  let q = db.deleteFrom('web_sessions').where('user_id', '=', userId)
  if (exceptSid !== null) q = q.where('sid', '<>', exceptSid)
  await q.execute()
}
