/**
 * Transfer handovers: what a sending establishment shares with the one a man moves to. Pure rules; the feature is in
 * src/features/handover.
 */

export const HANDOVER_KINDS = ['goal', 'referral', 'agreed'] as const
export type HandoverKind = (typeof HANDOVER_KINDS)[number]

/** His record's statuses at the sender for which a handover may be prepared: in custody (being transferred) or gone. */
export const HANDOVER_STATUSES = ['in', 'transferred'] as const

export const mayHandOver = (status: string) => (HANDOVER_STATUSES as readonly string[]).includes(status)

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What a handover holds, in a phrase: "2 open goals, 1 open referral, what was agreed at 1 session and a note". */
export function handoverContents(counts: Record<HandoverKind, number>, hasNote: boolean): string {
  const parts = [
    counts.goal ? plural(counts.goal, 'open goal', 'open goals') : '',
    counts.referral ? plural(counts.referral, 'open referral', 'open referrals') : '',
    counts.agreed ? `what was agreed at ${plural(counts.agreed, 'session', 'sessions')}` : '',
    hasNote ? 'a note' : '',
  ].filter(Boolean)
  if (parts.length === 0) return 'nothing'
  if (parts.length === 1) return parts[0]!
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}

/** Counts a handover's items by kind (unknown kinds are not counted). */
export function countByKind(items: readonly { kind: string }[]): Record<HandoverKind, number> {
  const counts: Record<HandoverKind, number> = { goal: 0, referral: 0, agreed: 0 }
  for (const i of items) if ((HANDOVER_KINDS as readonly string[]).includes(i.kind)) counts[i.kind as HandoverKind]++
  return counts
}
