import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/types'
import { GENESIS_HASH, eventHash, verifyChain } from '../../domain/audit'
import { auditRepository } from './repository'

export interface Actor {
  userId: number | null
  username: string | null
  establishmentId: number | null
}

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', establishmentId: null }

export interface AuditInput {
  action: 'create' | 'update' | 'delete' | 'view' | 'import' | 'sign-in' | 'sign-out' | 'sign-in-failed' | string
  entity: string
  entityId?: string | number | null
  changes?: unknown
  establishmentId?: number | null
}

export function auditService(db: Kysely<Database>, dialect: 'sqlite' | 'postgres' = 'sqlite') {
  const repo = auditRepository(db)
  return {
    /** Writes one event; call it with the transaction that makes the change, so both land or neither does. */
    async record(trx: Kysely<Database>, actor: Actor, input: AuditInput): Promise<void> {
      const { id, prevHash } = await repo.advanceHead(trx)
      const fields = {
        id,
        at: new Date().toISOString(),
        user_id: actor.userId,
        username: actor.username,
        establishment_id: input.establishmentId === undefined ? actor.establishmentId : input.establishmentId,
        action: input.action,
        entity: input.entity,
        entity_id: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
        changes: input.changes === undefined ? null : JSON.stringify(input.changes),
      }
      const hash = eventHash(prevHash, fields)
      await repo.insert(trx, { ...fields, prev_hash: prevHash, hash })
      await repo.setHeadHash(trx, hash)
    },

    /** For changes that are only an audit event (a view, a sign-in): its own small transaction. */
    recordAlone(actor: Actor, input: AuditInput): Promise<void> {
      return db.transaction().execute(async trx => {
        // A view changes nothing, so its event need not wait for the disk: on PostgreSQL a crash could lose the
        // last fraction of a second of view events, never a change, and never break the chain.
        if (dialect === 'postgres' && input.action === 'view')
          await sql`set local synchronous_commit = off`.execute(trx)
        await this.record(trx, actor, input)
      })
    },

    /** Re-computes every hash in id order, in pages, and checks the head still points at the last event. */
    async verify() {
      const head = await repo.head(db)
      let cursor = { prevHash: GENESIS_HASH, lastId: 0 }
      let checked = 0
      const problems: { id: number; problem: string }[] = []
      for (;;) {
        const page = await repo.page(db, cursor.lastId, 5000)
        if (page.length === 0) break
        const r = verifyChain(page, cursor)
        checked += r.checked
        problems.push(...r.problems)
        cursor = { prevHash: r.lastHash, lastId: r.lastId }
      }
      if (cursor.lastId !== head.last_id) {
        problems.push({ id: head.last_id, problem: `the last ${head.last_id - cursor.lastId} event(s) are missing` })
      } else if (cursor.prevHash !== head.hash) {
        problems.push({ id: cursor.lastId, problem: 'the chain head does not match the last event' })
      }
      return { ok: problems.length === 0, checked, problems }
    },

    forEntity: (entity: string, entityId: string, limit?: number) => repo.forEntity(db, entity, entityId, limit),
    recent: (filter: Parameters<typeof repo.recent>[1], limit = 200) => repo.recent(db, filter, limit),
  }
}

export type AuditService = ReturnType<typeof auditService>
