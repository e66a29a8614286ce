import type { Kysely } from 'kysely'
import type { Database } from '../db/types'
import {
  CHAIN_START,
  type ChainProblem,
  chainOf,
  checkHead,
  eventHash,
  hashedJsonAround,
  verifyChain,
} from '../../domain/audit'
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
  const repo = auditRepository(db, dialect)
  return {
    /** Writes one event; call it with the transaction that makes the change, so both land or neither does. */
    async record(trx: Kysely<Database>, actor: Actor, input: AuditInput): Promise<void> {
      const establishmentId = input.establishmentId === undefined ? actor.establishmentId : input.establishmentId
      const chain = chainOf(establishmentId)
      const values = {
        chain,
        at: new Date().toISOString(),
        user_id: actor.userId,
        username: actor.username,
        establishment_id: establishmentId,
        action: input.action,
        entity: input.entity,
        entity_id: input.entityId === undefined || input.entityId === null ? null : String(input.entityId),
        changes: input.changes === undefined ? null : JSON.stringify(input.changes),
      }
      // PostgreSQL numbers, hashes and appends in one statement, holding the chain's head for that statement only
      if (dialect === 'postgres') {
        await repo.appendInOne(trx, values, hashedJsonAround(values))
        return
      }
      const { id, seq, prevHash } = await repo.advanceHead(trx, chain)
      const fields = { ...values, id, seq }
      const hash = eventHash(prevHash, fields)
      await repo.append(trx, { ...fields, prev_hash: prevHash, hash })
    },

    /**
     * Call first in a transaction that audits several establishments (a transfer closes another establishment's record):
     * takes their chains' heads in one order, so two such transactions never wait for each other in a circle.
     */
    async holdChains(trx: Kysely<Database>, establishmentIds: readonly (number | null)[]): Promise<void> {
      const chains = [...new Set(establishmentIds.map(chainOf))]
      if (chains.length > 1) await repo.holdHeads(trx, chains)
    },

    /**
     * For changes that are only an audit event (a view, a sign-in): its own small transaction. On PostgreSQL the one
     * statement of record() is that transaction, holding the chain's head only while it runs (in a transaction of
     * BEGIN, the append and COMMIT the head waited for two more round trips, and every view of an establishment
     * queued behind it: decision 021).
     */
    recordAlone(actor: Actor, input: AuditInput): Promise<void> {
      if (dialect === 'postgres') return this.record(db, actor, input)
      return db.transaction().execute(trx => this.record(trx, actor, input))
    },

    /**
     * Re-computes every hash of every chain in its order, in pages, and checks each chain's head still points at its
     * last event; a chain whose events have no head, or whose last events are gone, is reported too.
     */
    async verify(): Promise<{ ok: boolean; checked: number; chains: number; problems: ChainProblem[] }> {
      const heads = new Map((await repo.heads(db)).map(h => [h.chain, h]))
      const chains = [...new Set([...heads.keys(), ...(await repo.chains(db))])].sort()
      let checked = 0
      const problems: ChainProblem[] = []
      for (const chain of chains) {
        let cursor = CHAIN_START
        for (;;) {
          const page = await repo.chainPage(db, chain, cursor.lastSeq, 5000)
          if (page.length === 0) break
          const r = verifyChain(chain, page, cursor)
          checked += r.checked
          problems.push(...r.problems)
          cursor = { prevHash: r.prevHash, lastSeq: r.lastSeq, lastId: r.lastId }
        }
        problems.push(...checkHead(chain, heads.get(chain), cursor))
      }
      return { ok: problems.length === 0, checked, chains: chains.length, problems }
    },

    forEntity: (entity: string, entityId: string, limit?: number) => repo.forEntity(db, entity, entityId, limit),
    recent: (filter: Parameters<typeof repo.recent>[1], limit = 200) => repo.recent(db, filter, limit),
  }
}

export type AuditService = ReturnType<typeof auditService>
