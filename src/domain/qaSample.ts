import { Random } from './random'

/**
 * The Supervising Officers' quality-assurance sample for one establishment and month: a random sample of each Key
 * Worker's submitted entries (the establishment's setting, within the national bounds), plus every entry raised by
 * risk. Reproducible: the same entries, setting and seed give the same sample. Pure.
 */

export const RISK_REASONS = {
  'integrity-flag': 'An integrity check raised a flag on it',
  'low-precheck': 'Its pre-check estimate was low',
  'new-officer': 'Its Key Worker is in their first 3 months',
  'self-harm-concern': 'It records a self-harm or suicide concern',
} as const
export type RiskReason = keyof typeof RISK_REASONS

export interface SampleCandidate {
  sessionId: number
  /** the officer the entry is for (whose key work it is) */
  staffId: number
  /** the user who wrote it: never the one who reviews it */
  authorUserId: number | null
  risk: readonly RiskReason[]
}

export interface Sampled {
  sessionId: number
  staffId: number
  authorUserId: number | null
  /** picked at random for its officer's monthly sample */
  random: boolean
  risk: RiskReason[]
}

/**
 * Each officer's `perOfficer` entries at random (all of them when they have fewer), and every entry with a risk
 * reason; each entry once, in officer then entry order.
 */
export function monthlySample(entries: readonly SampleCandidate[], perOfficer: number, seed: number): Sampled[] {
  const rng = new Random(seed)
  const byOfficer = new Map<number, SampleCandidate[]>()
  for (const e of [...entries].sort((a, b) => a.staffId - b.staffId || a.sessionId - b.sessionId)) {
    const list = byOfficer.get(e.staffId)
    if (list) list.push(e)
    else byOfficer.set(e.staffId, [e])
  }
  const out: Sampled[] = []
  for (const list of byOfficer.values()) {
    const chosen = new Set(rng.shuffle([...list]).slice(0, Math.max(0, perOfficer)))
    for (const e of list)
      if (chosen.has(e) || e.risk.length)
        out.push({
          sessionId: e.sessionId,
          staffId: e.staffId,
          authorUserId: e.authorUserId,
          random: chosen.has(e),
          risk: [...new Set(e.risk)],
        })
  }
  return out
}

/** A reviewer may review any sampled entry but one they wrote themselves. */
export const mayReview = (reviewerUserId: number, entry: { authorUserId: number | null }) =>
  entry.authorUserId !== reviewerUserId
