// The monthly outcome panel of a trial, worked out from grouped figures: pure, no I/O.

/** The months from one to another, both included (YYYY-MM). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  const [ty, tm] = to.split('-').map(Number) as [number, number]
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m++
    if (m > 12) [y, m] = [y + 1, 1]
  }
  return out
}

/** The month before (or after, for a positive step) a month. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const k = y * 12 + (m - 1) + by
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}

export const daysInMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

export const lastDayOf = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`

const dayNumber = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000

/**
 * Eligible prisoner-days per establishment and month of the months given: each spell counts the days from its
 * from_date up to the day before its to_date (none: still open), within each month.
 */
export function spellDaysByMonth(
  spells: { establishment_id: number; from_date: string; to_date: string | null }[],
  months: string[],
): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>()
  if (months.length === 0) return out
  const bounds = months.map(m => ({ m, from: dayNumber(`${m}-01`), to: dayNumber(lastDayOf(m)) + 1 }))
  for (const s of spells) {
    const from = dayNumber(s.from_date)
    const to = s.to_date === null ? Infinity : dayNumber(s.to_date)
    let e = out.get(s.establishment_id)
    for (const b of bounds) {
      const days = Math.min(to, b.to) - Math.max(from, b.from)
      if (days <= 0) continue
      if (!e) out.set(s.establishment_id, (e = new Map()))
      e.set(b.m, (e.get(b.m) ?? 0) + days)
    }
  }
  return out
}

/** Compliance: sessions delivered ÷ sessions projected × 100, projected = eligible days ÷ (7 × weeks between sessions). */
export function compliance(delivered: number, eligibleDays: number, frequencyWeeks: number): number | null {
  if (eligibleDays <= 0) return null
  return (delivered / (eligibleDays / (7 * frequencyWeeks))) * 100
}

export const ratio = (a: number, b: number, scale = 1): number | null => (b > 0 ? (a / b) * scale : null)

/**
 * A count per 1,000 prisoners. The population is the imported one; when the file gave none, keywork's eligible roll
 * that month (eligible prisoner-days ÷ days in the month, the mean number held on a day).
 */
export function per1000(count: number, population: number | null, eligibleDays: number, month: string) {
  const roll = population ?? (eligibleDays > 0 ? eligibleDays / daysInMonth(month) : 0)
  return roll > 0 ? (count / roll) * 1000 : null
}
