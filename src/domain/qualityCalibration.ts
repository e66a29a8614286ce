/**
 * Calibration (issue 15): several Supervising Officers mark the same entries blind; the report gives Krippendorff's
 * alpha (ordinal) per criterion and for the overall score, and the agreement between the pre-check's estimates and
 * the officers' scores. Pure.
 */
import { type Alpha, krippendorffAlpha } from './agreement'
import { Random } from './random'

/** The most entries one exercise takes (each marker scores every one). */
export const MAX_CALIBRATION_ENTRIES = 40

/** `count` of the ids at random (all of them when there are fewer), reproducible with the seed, in id order. */
export function pickEntries(ids: readonly number[], count: number, seed: number): number[] {
  const pool = [...ids]
  const rng = new Random(seed)
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, Math.max(0, count)).sort((a, b) => a - b)
}

/** One marker's mark of one entry: the overall score and a score (or null: not applicable) per criterion id. */
export interface Mark {
  sessionId: number
  markerId: number
  overall: number
  scores: ReadonlyMap<number, number | null>
}

export interface CalibrationReport {
  entries: number
  markers: number
  /** marks made (entries × markers when everyone finished) */
  marks: number
  overall: Alpha
  criteria: { id: number; code: string; title: string; alpha: Alpha }[]
  /** the pre-check's estimate against each marker's score, over every criterion the pre-check estimated */
  precheck: Alpha
}

/**
 * The report of an exercise. `prechecks`: each entry's pre-check estimates by criterion code (absent: none kept).
 * A unit is one entry; its values are the markers' scores, in marker order.
 */
export function calibrationReport(input: {
  sessionIds: readonly number[]
  markerIds: readonly number[]
  criteria: readonly { id: number; code: string; title: string }[]
  marks: readonly Mark[]
  prechecks: ReadonlyMap<number, Readonly<Record<string, number | null>>>
}): CalibrationReport {
  const markOf = new Map(input.marks.map(m => [`${m.sessionId}:${m.markerId}`, m]))
  const unitsOf = (value: (m: Mark) => number | null | undefined) =>
    input.sessionIds.map(s =>
      input.markerIds.map(k => {
        const m = markOf.get(`${s}:${k}`)
        return m ? (value(m) ?? null) : null
      }),
    )
  const pairs: (number | null)[][] = []
  for (const m of input.marks) {
    const estimates = input.prechecks.get(m.sessionId)
    if (!estimates) continue
    for (const c of input.criteria) {
      const estimate = estimates[c.code]
      const score = m.scores.get(c.id)
      if (typeof estimate === 'number' && typeof score === 'number') pairs.push([estimate, score])
    }
  }
  return {
    entries: input.sessionIds.length,
    markers: input.markerIds.length,
    marks: input.marks.length,
    overall: krippendorffAlpha(unitsOf(m => m.overall)),
    criteria: input.criteria.map(c => ({ ...c, alpha: krippendorffAlpha(unitsOf(m => m.scores.get(c.id))) })),
    precheck: krippendorffAlpha(pairs),
  }
}

/** The pre-check's estimates by criterion code, from the JSON kept with an entry; null when none or unreadable. */
export function precheckEstimates(json: string | null | undefined): Record<string, number | null> | null {
  if (!json) return null
  try {
    const parsed = JSON.parse(json) as { estimates?: unknown }
    const e = parsed?.estimates
    if (!e || typeof e !== 'object') return null
    const out: Record<string, number | null> = {}
    for (const [code, v] of Object.entries(e as Record<string, unknown>))
      out[code] = typeof v === 'number' && v >= 1 && v <= 4 ? v : null
    return out
  } catch {
    return null
  }
}
