import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { now } from '../../domain/clock'
import type { Actor, AuditService } from '../../platform/audit/service'
import { noticesRepository } from './repository'

/** What a user is told in the service: a review to read, a commendation. */
export interface Notice {
  userId: number
  establishmentId: number | null
  /** e.g. 'qa-review', 'commendation', 'qa-review-amended' */
  kind: string
  /** one sentence, without prisoners' names or numbers: the page it links to shows those */
  message: string
  /** a local path, e.g. /my-feedback/review?id=3 */
  link: string
}

export const NOTICE_LIST_SIZE = 100

/** Only local paths: a notice never sends anyone off the service. */
export const isLocalLink = (link: string) => link.startsWith('/') && !link.startsWith('//') && !link.includes('\\')

export function noticesService(db: Kysely<Database>, deps: { audit: AuditService }) {
  const repo = noticesRepository(db)
  const { audit } = deps
  return {
    /**
     * Tells a user something, in the caller's transaction: the notice is part of the caller's change (a review, a
     * commendation), which the caller audits.
     */
    async tell(trx: Kysely<Database>, notice: Notice): Promise<number> {
      if (!isLocalLink(notice.link)) throw new Error(`a notice links to a page of the service, not ${notice.link}`)
      return repo.insert(trx, {
        user_id: notice.userId,
        establishment_id: notice.establishmentId,
        kind: notice.kind,
        message: notice.message.slice(0, 500),
        link: notice.link,
        created_at: now().toISOString(),
        read_at: null,
      })
    },

    /** Tells many users at once (a daily job's notices), in the caller's transaction, as tell does each. */
    async tellMany(trx: Kysely<Database>, notices: Notice[]): Promise<void> {
      const at = now().toISOString()
      for (const n of notices)
        if (!isLocalLink(n.link)) throw new Error(`a notice links to a page of the service, not ${n.link}`)
      await repo.insertMany(
        trx,
        notices.map(n => ({
          user_id: n.userId,
          establishment_id: n.establishmentId,
          kind: n.kind,
          message: n.message.slice(0, 500),
          link: n.link,
          created_at: at,
          read_at: null,
        })),
      )
    },

    list: (userId: number) => repo.list(userId, NOTICE_LIST_SIZE),
    unreadCount: (userId: number) => repo.unreadCount(userId),

    /** Opens one of the user's own notices: marks it read (audited) and gives the page it links to; null if not theirs. */
    async open(actor: Actor & { userId: number }, id: number): Promise<string | null> {
      return db.transaction().execute(async trx => {
        const notice = await repo.byId(trx, actor.userId, id)
        if (!notice) return null
        if (!notice.read_at) {
          await repo.markRead(trx, actor.userId, id, now().toISOString())
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'user_notice',
            entityId: id,
            establishmentId: notice.establishment_id,
            changes: { read_at: { from: null, to: 'read' } },
          })
        }
        return isLocalLink(notice.link) ? notice.link : '/notices'
      })
    },

    /** Marks read the user's notices about a page they have just opened (a reply to their review), on its own. */
    async readPageAlone(actor: Actor & { userId: number }, link: string) {
      return db.transaction().execute(async trx => {
        const ids = await repo.markReadByLink(trx, actor.userId, link, now().toISOString())
        if (ids.length)
          await audit.record(trx, actor, {
            action: 'update',
            entity: 'user_notice',
            entityId: ids.join(','),
            changes: { read_at: { from: null, to: 'read' } },
          })
        return ids
      })
    },

    /** Marks read the user's notices about a page they have just read (a review), in the caller's transaction. */
    async readPage(trx: Kysely<Database>, userId: number, link: string) {
      return repo.markReadByLink(trx, userId, link, now().toISOString())
    },
  }
}

export type NoticesService = ReturnType<typeof noticesService>
