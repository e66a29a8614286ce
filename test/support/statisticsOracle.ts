// An independent reference for the statistics page: every figure counted again from the tables, read with plain
// SELECTs, in naive loops over days and rows. It shares no code with src/domain/statistics.ts or the statistics
// feature (its own date arithmetic, its own custody, caseload and "previous session" rules written from the
// definitions in docs), so a mistake there cannot cancel out here.
import type { Kysely } from 'kysely'
import type { Database } from '../../src/platform/db/types'

export type OracleScope =
  | { kind: 'national' }
  | { kind: 'establishment'; establishmentId: number }
  | { kind: 'houseblock'; establishmentId: number; unitId: number }
  | { kind: 'officer'; establishmentId: number; staffId: number }

export interface OracleFigures {
  eligible: number
  eligibleAtEnd: number
  allocated: number
  allocatedPercent: number | null
  projected: number
  delivered: number
  compliance: number | null
  notDelivered: number
  reasons: Record<string, number>
  privatePercent: number | null
  privateAnswered: number
  interpreterNeeded: number
  interpreterUsed: number
  interpreterPercent: number | null
  interpreterAnswered: number
  seen7Percent: number | null
  seen28Percent: number | null
  averageDaysBetween: number | null
  medianDaysBetween: number | null
  averageDaysToAllocation: number | null
  averageDaysToFirstSession: number | null
  referralsMade: number
  referralsAcknowledged: number
  referralsCompleted: number
  goalsSet: number
  goalsAchieved: number
}

const MS_PER_DAY = 24 * 60 * 60 * 1000
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
/** A day number: a date as it is, a timestamp by its date in London. */
const toNumber = (iso: string) => {
  const day = iso.length > 10 ? londonDay.format(new Date(iso)) : iso
  return Math.round(Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY)
}
const toIso = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10)

/** The figures the statistics page shows for a scope and the days from..to (both included). */
export async function oracleFigures(
  db: Kysely<Database>,
  scope: OracleScope,
  from: string,
  to: string,
  reasonCodes: readonly string[],
  /** a Key Worker's sessions with prisoners not on their caseload that day are cover: counted apart, not as theirs */
  options: { cover?: boolean } = {},
): Promise<OracleFigures & { coverDelivered: number }> {
  const establishments = await db.selectFrom('establishments').select(['id', 'frequency_weeks']).execute()
  const policy = await db.selectFrom('national_policy').selectAll().executeTakeFirst()
  const prisoners = await db.selectFrom('prisoners').selectAll().execute()
  const allocations = await db.selectFrom('allocations').selectAll().execute()
  const sessions = await db.selectFrom('key_work_sessions').selectAll().execute()
  const referrals = await db.selectFrom('referrals').selectAll().execute()
  const goals = await db.selectFrom('session_goals').selectAll().execute()
  const units = await db.selectFrom('residential_units').select(['id', 'parent_id']).execute()

  const first = toNumber(from)
  const last = toNumber(to)
  const est = scope.kind === 'national' ? null : scope.establishmentId

  // the houseblock and every unit inside it, however deep
  let houseblock: number[] = []
  if (scope.kind === 'houseblock') {
    houseblock = [scope.unitId]
    let grew = true
    while (grew) {
      grew = false
      for (const u of units)
        if (u.parent_id !== null && houseblock.includes(u.parent_id) && !houseblock.includes(u.id)) {
          houseblock.push(u.id)
          grew = true
        }
    }
  }

  const frequencyOf = (establishmentId: number) => {
    // the establishment's own frequency, or the national default (the tests keep own values within the bounds)
    const e = establishments.find(x => x.id === establishmentId)
    const weeks = e?.frequency_weeks ?? policy?.frequency_weeks_default
    if (!weeks) throw new Error(`no frequency for establishment ${establishmentId}`)
    return weeks
  }
  const prisonerById = (id: number) => prisoners.find(p => p.id === id)!
  // a session, allocation, referral or goal is in a houseblock when its prisoner was there that day: the unit of his
  // last arrival or move up to it (replayed by stateOn below), his record's when none names one
  const prisonerInScope = (p: (typeof prisoners)[number], day: number) => {
    if (est !== null && p.establishment_id !== est) return false
    if (scope.kind !== 'houseblock') return true
    const unit = stateOn(p, day).unit ?? p.unit_id
    return unit !== null && houseblock.includes(unit)
  }
  // custody from the history alone: each record's events replayed in date order (one day's events in the order they
  // were recorded) up to the end of the day; a man is eligible while received or transferred in and not yet gone,
  // with a complexity of need other than high, and in the houseblock he was in that day
  const custody = await db.selectFrom('custody_events').selectAll().execute()
  const stateOn = (p: (typeof prisoners)[number], day: number) => {
    let inCustody = false
    let unit: number | null = null
    let complexity: string | null = null
    const mine = custody
      .filter(e => e.prisoner_id === p.id && toNumber(e.date) <= day)
      .sort((a, b) => toNumber(a.date) - toNumber(b.date) || a.id - b.id)
    for (const e of mine) {
      if (e.kind === 'reception' || e.kind === 'transfer_in') {
        inCustody = true
        unit = e.unit_id
        if (e.complexity !== null) complexity = e.complexity
      }
      if (e.kind === 'release' || e.kind === 'transfer_out') inCustody = false
      if (e.kind === 'complexity') complexity = e.complexity
      if (e.kind === 'moved') unit = e.unit_id
    }
    return { inCustody, unit, complexity }
  }
  const inScopeOn = (p: (typeof prisoners)[number], unit: number | null) => {
    if (est !== null && p.establishment_id !== est) return false
    if (scope.kind === 'houseblock') return unit !== null && houseblock.includes(unit)
    return true
  }
  const onCaseloadOn = (prisonerId: number, day: number, staffId: number | null) => {
    for (const a of allocations) {
      if (a.prisoner_id !== prisonerId) continue
      if (staffId !== null && a.staff_id !== staffId) continue
      if (toNumber(a.allocated_at) > day) continue
      if (a.deallocated_at !== null && toNumber(a.deallocated_at) <= day) continue
      return true
    }
    return false
  }
  const eligibleOn = (p: (typeof prisoners)[number], day: number) => {
    const state = stateOn(p, day)
    if (!state.inCustody || state.complexity === 'high' || !inScopeOn(p, state.unit)) return false
    if (scope.kind === 'officer') return onCaseloadOn(p.id, day, scope.staffId)
    return true
  }

  let eligibleDays = 0
  let projected = 0
  for (let day = first; day <= last; day++)
    for (const p of prisoners)
      if (eligibleOn(p, day)) {
        eligibleDays += 1
        projected += 1 / (frequencyOf(p.establishment_id) * 7)
      }

  const deliveredAt = (p: (typeof prisoners)[number], fromDay: number) => {
    for (const s of sessions)
      if (
        s.prisoner_id === p.id &&
        s.establishment_id === p.establishment_id &&
        s.status === 'submitted' &&
        s.outcome === 'delivered' &&
        s.session_date !== null &&
        toNumber(s.session_date) >= fromDay &&
        toNumber(s.session_date) <= last
      )
        return true
    return false
  }
  let eligibleAtEnd = 0
  let allocatedAtEnd = 0
  let seen7 = 0
  let seen28 = 0
  for (const p of prisoners) {
    if (!eligibleOn(p, last)) continue
    eligibleAtEnd++
    if (onCaseloadOn(p.id, last, scope.kind === 'officer' ? scope.staffId : null)) allocatedAtEnd++
    if (deliveredAt(p, last - 6)) seen7++
    if (deliveredAt(p, last - 27)) seen28++
  }

  let delivered = 0
  let notDelivered = 0
  const reasons: Record<string, number> = {}
  for (const r of reasonCodes) reasons[r] = 0
  // the answers given, one per delivered session that has one: a question left blank (null) is not an answer
  const privacyAnswers: boolean[] = []
  let interpreterNeeded = 0
  const interpreterUseAnswers: boolean[] = []
  let coverDelivered = 0
  const gaps: number[] = []
  const firsts: number[] = []
  for (const s of sessions) {
    if (s.status !== 'submitted' || s.session_date === null) continue
    const day = toNumber(s.session_date)
    if (day < first || day > last) continue
    if (est !== null && s.establishment_id !== est) continue
    if (scope.kind === 'houseblock' && !prisonerInScope(prisonerById(s.prisoner_id), day)) continue
    if (scope.kind === 'officer' && s.staff_id !== scope.staffId) continue
    if (scope.kind === 'officer' && options.cover && !onCaseloadOn(s.prisoner_id, day, scope.staffId)) {
      if (s.outcome === 'delivered') coverDelivered++
      continue
    }
    if (s.outcome !== 'delivered') {
      notDelivered++
      const code =
        s.not_delivered_reason !== null && reasonCodes.includes(s.not_delivered_reason)
          ? s.not_delivered_reason
          : 'other'
      reasons[code] = (reasons[code] ?? 0) + 1
      continue
    }
    delivered++
    if (s.private === 0 || s.private === 1) privacyAnswers.push(s.private === 1)
    if (s.interpreter_needed === 1) interpreterNeeded++
    if (s.interpreter_needed === 1 && (s.interpreter_used === 0 || s.interpreter_used === 1))
      interpreterUseAnswers.push(s.interpreter_used === 1)
    // the latest earlier delivered session of the same prisoner at the same establishment (same day: lower id)
    let previous: number | null = null
    for (const o of sessions) {
      if (o.prisoner_id !== s.prisoner_id || o.establishment_id !== s.establishment_id) continue
      if (o.status !== 'submitted' || o.outcome !== 'delivered' || o.session_date === null) continue
      const d = toNumber(o.session_date)
      if (d > day || (d === day && o.id >= s.id)) continue
      if (previous === null || d > previous) previous = d
    }
    if (previous === null) firsts.push(day - toNumber(prisonerById(s.prisoner_id).reception_date))
    else gaps.push(day - previous)
  }

  const toAllocation: number[] = []
  for (const a of allocations) {
    const day = toNumber(a.allocated_at)
    if (day < first || day > last) continue
    const p = prisonerById(a.prisoner_id)
    if (!prisonerInScope(p, day)) continue
    if (scope.kind === 'officer' && a.staff_id !== scope.staffId) continue
    let earliest = true
    for (const o of allocations)
      if (
        o.prisoner_id === a.prisoner_id &&
        (o.allocated_at < a.allocated_at || (o.allocated_at === a.allocated_at && o.id < a.id))
      )
        earliest = false
    if (earliest) toAllocation.push(day - toNumber(p.reception_date))
  }

  const followUpCounts = (
    row: { establishment_id: number; prisoner_id: number; created_at: string },
    sessionId: number,
  ) => {
    const day = toNumber(row.created_at)
    if (day < first || day > last) return false
    if (est !== null && row.establishment_id !== est) return false
    if (scope.kind === 'houseblock') return prisonerInScope(prisonerById(row.prisoner_id), day)
    if (scope.kind === 'officer') return sessions.find(s => s.id === sessionId)?.staff_id === scope.staffId
    return true
  }
  let referralsMade = 0
  let referralsAcknowledged = 0
  let referralsCompleted = 0
  for (const r of referrals) {
    if (!followUpCounts(r, r.session_id)) continue
    referralsMade++
    if (r.status === 'acknowledged' || r.status === 'done') referralsAcknowledged++
    if (r.status === 'done') referralsCompleted++
  }
  let goalsSet = 0
  let goalsAchieved = 0
  for (const g of goals) {
    if (!followUpCounts(g, g.set_in_session_id)) continue
    goalsSet++
    if (g.status === 'achieved') goalsAchieved++
  }

  const pct = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole)
  const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length)
  const sortedGaps = [...gaps].sort((a, b) => a - b)
  const middle = Math.floor(sortedGaps.length / 2)
  const median =
    sortedGaps.length === 0
      ? null
      : sortedGaps.length % 2 === 1
        ? sortedGaps[middle]!
        : (sortedGaps[middle - 1]! + sortedGaps[middle]!) / 2
  return {
    eligible: eligibleDays / (last - first + 1),
    eligibleAtEnd,
    allocated: allocatedAtEnd,
    allocatedPercent: pct(allocatedAtEnd, eligibleAtEnd),
    projected,
    delivered,
    compliance: pct(delivered, projected),
    notDelivered,
    reasons,
    privatePercent: pct(privacyAnswers.filter(yes => yes).length, privacyAnswers.length),
    privateAnswered: privacyAnswers.length,
    interpreterNeeded,
    interpreterUsed: interpreterUseAnswers.filter(yes => yes).length,
    interpreterPercent: pct(interpreterUseAnswers.filter(yes => yes).length, interpreterUseAnswers.length),
    interpreterAnswered: interpreterUseAnswers.length,
    seen7Percent: pct(seen7, eligibleAtEnd),
    seen28Percent: pct(seen28, eligibleAtEnd),
    averageDaysBetween: avg(gaps),
    medianDaysBetween: median,
    averageDaysToAllocation: avg(toAllocation),
    averageDaysToFirstSession: avg(firsts),
    referralsMade,
    referralsAcknowledged,
    referralsCompleted,
    goalsSet,
    goalsAchieved,
    coverDelivered,
  }
}

export const oracleDay = toIso
