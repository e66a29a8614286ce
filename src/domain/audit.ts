import { createHash } from 'node:crypto'

export interface ChainedFields {
  id: number
  at: string
  user_id: number | null
  username: string | null
  establishment_id: number | null
  action: string
  entity: string
  entity_id: string | null
  changes: string | null
}

export const GENESIS_HASH = '0'.repeat(64)

/** Each event's hash covers its own fields and the previous hash, so editing or removing any event breaks the chain. */
export function eventHash(prevHash: string, e: ChainedFields): string {
  const canonical = JSON.stringify([
    e.id,
    e.at,
    e.user_id,
    e.username,
    e.establishment_id,
    e.action,
    e.entity,
    e.entity_id,
    e.changes,
  ])
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex')
}

export interface ChainProblem {
  id: number
  problem: string
}

/** Walks events in id order; reports the first event where the chain breaks (and any gap in ids). */
export function verifyChain(
  events: Iterable<ChainedFields & { prev_hash: string; hash: string }>,
  start: { prevHash: string; lastId: number } = { prevHash: GENESIS_HASH, lastId: 0 },
): { ok: boolean; checked: number; problems: ChainProblem[]; lastHash: string; lastId: number } {
  let prev = start.prevHash
  let lastId = start.lastId
  let checked = 0
  const problems: ChainProblem[] = []
  for (const e of events) {
    checked++
    if (e.id !== lastId + 1) problems.push({ id: e.id, problem: `events ${lastId + 1} to ${e.id - 1} are missing` })
    if (e.prev_hash !== prev) problems.push({ id: e.id, problem: 'does not follow the previous event' })
    if (eventHash(e.prev_hash, e) !== e.hash)
      problems.push({ id: e.id, problem: 'has been changed since it was written' })
    prev = e.hash
    lastId = e.id
  }
  return { ok: problems.length === 0, checked, problems, lastHash: prev, lastId }
}

/** Field-level difference between two records, for the audit trail. */
export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  ignore: string[] = ['updated_at', 'created_at'],
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {}
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const k of keys) {
    if (ignore.includes(k)) continue
    const from = before?.[k] ?? null
    const to = after?.[k] ?? null
    if (from !== to) out[k] = { from, to }
  }
  return out
}
