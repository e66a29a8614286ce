/**
 * A prisoner's custody history at one establishment, as spells of eligibility for a Key Worker: the days he was in
 * its custody with a complexity of need other than high, and the residential unit he was in. The spells are derived
 * from his dated custody events alone, so eligible prisoners on any past day come from the history, not from
 * today's record.
 */

/** A custody event as the spells need it. */
export interface CustodyStep {
  id: number
  /** reception, transfer_in, transfer_out, release, complexity (a change of complexity of need), moved (a new unit) */
  kind: string
  /** yyyy-mm-dd */
  date: string
  /** on an arrival or a move: his unit from that day */
  unitId: number | null
  /** on an arrival or a complexity change: his complexity of need from that day */
  complexity: string | null
}

/** Days from `from` (included) to `to` (excluded; null while it lasts) when he was eligible, in one unit. */
export interface Spell {
  from: string
  to: string | null
  unitId: number | null
}

export const ARRIVALS = ['reception', 'transfer_in']
export const DEPARTURES = ['transfer_out', 'release']

/** Complexity of need that makes a prisoner eligible for a Key Worker. */
export const eligibleComplexity = (complexity: string | null) => complexity !== 'high'

/**
 * The spells of eligibility that a prisoner's events at one establishment make, in date order (events of one day in
 * the order they were recorded). A change on a day takes effect that day; a spell that a change ends the day it
 * starts is no spell. Adjacent spells in the same unit are one.
 */
export function spellsFrom(events: readonly CustodyStep[]): Spell[] {
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
  let inCustody = false
  let unitId: number | null = null
  let complexity: string | null = null
  const spells: Spell[] = []
  let open: Spell | null = null
  const close = (day: string) => {
    if (open && open.from < day) {
      const last = spells[spells.length - 1]
      if (last && last.to === open.from && last.unitId === open.unitId) last.to = day
      else spells.push({ ...open, to: day })
    }
    open = null
  }
  for (const e of sorted) {
    if (ARRIVALS.includes(e.kind)) {
      inCustody = true
      unitId = e.unitId
      complexity = e.complexity ?? complexity
    } else if (DEPARTURES.includes(e.kind)) inCustody = false
    else if (e.kind === 'complexity') complexity = e.complexity
    else if (e.kind === 'moved') unitId = e.unitId
    else continue
    const eligible = inCustody && eligibleComplexity(complexity)
    const o = open as Spell | null
    if (o && (!eligible || o.unitId !== unitId)) close(e.date)
    if (eligible && !open) open = { from: e.date, to: null, unitId }
  }
  const o = open as Spell | null
  if (o) {
    const last = spells[spells.length - 1]
    if (last && last.to === o.from && last.unitId === o.unitId) last.to = null
    else spells.push(o)
  }
  return spells
}

/** A custody event that places a prisoner in a unit (an arrival or a move), as unitOnDay needs it. */
export interface UnitStep {
  id: number
  kind: string
  date: string
  unitId: number | null
}

/**
 * The unit a prisoner was in on a day, from his events at one establishment: the unit of the last arrival or move
 * on or before the day (events of one day in the order they were recorded); null when none placed him anywhere.
 * A departure does not clear it: whether he was in custody that day is the spells' question, not this one.
 */
export function unitOnDay(events: readonly UnitStep[], day: string): number | null {
  let best: UnitStep | null = null
  for (const e of events) {
    if (!(ARRIVALS.includes(e.kind) || e.kind === 'moved') || e.date > day) continue
    if (!best || e.date > best.date || (e.date === best.date && e.id > best.id)) best = e
  }
  return best ? best.unitId : null
}
