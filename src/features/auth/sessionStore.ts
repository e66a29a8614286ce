import session from 'express-session'
import type { Kysely } from 'kysely'
import { prepared } from '../../db/prepared'
import type { Database } from '../../db/types'

type Callback = (err?: unknown, data?: session.SessionData | null) => void

/** express-session store in our own database, so sessions survive a restart on either engine. */
export class DatabaseSessionStore extends session.Store {
  private lastSweep = 0
  /** when each session's expiry was last written, so touches within a minute cost nothing */
  private readonly written = new Map<string, number>()
  /** read on every request */
  private readonly bySid

  constructor(
    private readonly db: Kysely<Database>,
    private readonly idleMs: number,
  ) {
    super()
    this.bySid = prepared(db, 1, (sid: string) =>
      db.selectFrom('web_sessions').select(['data', 'expires_at']).where('sid', '=', sid),
    )
  }

  private expiry(sess: session.SessionData): string {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : 0
    return new Date(cookieExpiry || Date.now() + this.idleMs).toISOString()
  }

  override get(sid: string, cb: Callback): void {
    this.bySid(this.db, sid).then(([row]) => {
      if (!row || row.expires_at <= new Date().toISOString()) return cb(null, null)
      cb(null, JSON.parse(row.data) as session.SessionData)
    }, cb)
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const row = { sid, data: JSON.stringify(sess), expires_at: this.expiry(sess) }
    this.remember(sid)
    this.db
      .insertInto('web_sessions')
      .values(row)
      .onConflict(oc => oc.column('sid').doUpdateSet({ data: row.data, expires_at: row.expires_at }))
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
    await this.db.deleteFrom('web_sessions').where('expires_at', '<=', new Date().toISOString()).execute()
  }
}
