import { createHash } from 'node:crypto'

/**
 * The audit trail is a set of hash chains (decision 021): one per establishment, one for events with no establishment
 * (sign-ins, national actions), and the legacy chain of every event written before migration 042 (one chain for the
 * nation, hashed by the old rule). An event's place is its chain and its number in it (`seq`, from 1 without gaps).
 */
export interface ChainedFields {
  id: number
  chain: string
  seq: number
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

/** The chain of events with no establishment: sign-ins, national actions. */
export const NATIONAL_CHAIN = 'national'
/** The one national chain of the events written before migration 042, verified by the rule they were written with. */
export const LEGACY_CHAIN = 'legacy'

/** The chain an event belongs to: its establishment's (the id in decimal), or the national one. */
export function chainOf(establishmentId: number | null): string {
  return establishmentId === null ? NATIONAL_CHAIN : String(establishmentId)
}

/**
 * Each event's hash covers every column of the event but the hash itself (its chain and number in the chain too) and
 * the previous event's hash, so editing, removing, reordering or moving any event to another chain breaks the chain.
 */
export function eventHash(prevHash: string, e: ChainedFields): string {
  return chained(prevHash, [e.chain, e.seq, e.id, ...described(e)])
}

/** What an event says, in the order every hash rule takes it, after its place (chain, number, id). */
const described = (e: Omit<ChainedFields, 'chain' | 'seq' | 'id'>) => [
  e.at,
  e.user_id,
  e.username,
  e.establishment_id,
  e.action,
  e.entity,
  e.entity_id,
  e.changes,
]

/**
 * The JSON that eventHash hashes, around the two values a database assigns as it appends (the number in the chain and
 * the id): `before + seq + ',' + id + after` is that JSON, for PostgreSQL to finish and hash in the append itself.
 */
export function hashedJsonAround(e: Omit<ChainedFields, 'seq' | 'id'>): { before: string; after: string } {
  const rest = JSON.stringify(described(e))
  return { before: `[${JSON.stringify(e.chain)},`, after: `,${rest.slice(1)}` }
}

/** sha256 over the previous hash, a line end and the event's values as a JSON array. */
const chained = (prevHash: string, values: unknown[]) =>
  createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(values)).digest('hex')

/** The rule of the events written before migration 042 (the legacy chain): their id stood for their place. */
export function legacyEventHash(prevHash: string, e: Omit<ChainedFields, 'chain' | 'seq'>): string {
  return chained(prevHash, [e.id, ...described(e)])
}

export interface ChainProblem {
  chain: string
  id: number
  problem: string
}

export interface ChainCursor {
  prevHash: string
  lastSeq: number
  lastId: number
}

export const CHAIN_START: ChainCursor = { prevHash: GENESIS_HASH, lastSeq: 0, lastId: 0 }

/**
 * Walks one chain's events in `seq` order from a cursor (the start, or where the previous page ended); reports every
 * event where the chain breaks, each by its id. The chain's head is checked by the caller against the cursor returned.
 */
export function verifyChain(
  chain: string,
  events: Iterable<ChainedFields & { prev_hash: string; hash: string }>,
  start: ChainCursor = CHAIN_START,
): { ok: boolean; checked: number; problems: ChainProblem[] } & ChainCursor {
  let { prevHash, lastSeq, lastId } = start
  let checked = 0
  const problems: ChainProblem[] = []
  const report = (id: number, problem: string) => problems.push({ chain, id, problem })
  const legacy = chain === LEGACY_CHAIN
  for (const e of events) {
    checked++
    if (e.chain !== chain) report(e.id, `is not in chain ${chain}`)
    if (e.seq > lastSeq + 1) report(e.id, `events ${lastSeq + 1} to ${e.seq - 1} of the chain are missing`)
    else if (e.seq <= lastSeq) report(e.id, 'is out of order in the chain')
    if (legacy ? e.seq !== e.id : chainOf(e.establishment_id) !== chain)
      report(e.id, legacy ? 'is out of place in the legacy chain' : 'is in the chain of another establishment')
    if (e.prev_hash !== prevHash) report(e.id, 'does not follow the previous event')
    if ((legacy ? legacyEventHash(e.prev_hash, e) : eventHash(e.prev_hash, e)) !== e.hash)
      report(e.id, 'has been changed since it was written')
    prevHash = e.hash
    lastSeq = e.seq
    lastId = e.id
  }
  return { ok: problems.length === 0, checked, problems, prevHash, lastSeq, lastId }
}

/** A chain's head against where its events ended: the deleted last events, or a head that was changed. */
export function checkHead(
  chain: string,
  head: { seq: number; hash: string; last_id: number } | undefined,
  end: ChainCursor,
): ChainProblem[] {
  if (!head) return [{ chain, id: end.lastId, problem: 'the chain has no head: its last events cannot be checked' }]
  if (end.lastSeq < head.seq)
    return [{ chain, id: head.last_id, problem: `the last ${head.seq - end.lastSeq} event(s) are missing` }]
  if (end.lastSeq !== head.seq || end.prevHash !== head.hash || end.lastId !== head.last_id)
    return [{ chain, id: end.lastId, problem: 'the chain head does not match the last event' }]
  return []
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
