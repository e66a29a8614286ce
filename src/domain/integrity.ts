/**
 * Integrity checks of key work entries (issue 15): the rules that raise a flag for a Supervising Officer to look at,
 * pure. A flag is a question, never a finding: it says why it was raised and what it rests on, and an SO resolves it
 * with an outcome and a note. Nothing here sanctions anyone.
 *
 * - near_duplicate: two entries for different prisoners or sessions whose narratives (the prisoner's words and what
 *   was agreed, with names, prison numbers, dates and the form's own words removed) have an exact Jaccard
 *   similarity of NEAR_DUPLICATE_THRESHOLD or more (candidates found by MinHash bands: nearDuplicates.ts); each
 *   entry is flagged against at most NEAR_DUPLICATE_MAX_MATCHES earlier entries (topMatches), and an exact copy of
 *   an earlier entry against the first entry with that text;
 * - overlap: two delivered sessions of one officer on one day whose times overlap;
 * - out_of_custody: a session dated while the prisoner was not in this establishment's custody (before his
 *   reception, after a release or transfer out and before he came back);
 * - officer_away: a session dated while its officer was marked away (annual leave, long-term absence, no prisoner
 *   contact, inactive);
 * - over_time: more delivered session minutes in a day than the officer's key work time that day (dayAllowance)
 *   plus a margin;
 * - burst: BURST_MIN_ENTRIES or more entries dated BURST_LATE_DAYS or more before they were submitted, submitted by
 *   one person within BURST_WINDOW_MINUTES;
 * - thin: a delivered session of THIN_MIN_MINUTES or more whose narrative is shorter than the establishment's set
 *   length (THIN_DEFAULT_CHARS when it has set none).
 */
import { addDays, daysBetween, londonDate } from './dates'
import { type Slot, slotAppliesOn } from './planning'
import { minutesOf } from './time'

export const NEAR_DUPLICATE_THRESHOLD = 0.8
/**
 * Narratives with fewer shingles than this (about ten words once names and dates are out) are not compared: a short
 * stock phrase ("all fine, no issues") is the same in many entries without being copied, and the thin-entry rule is
 * the one that speaks to it.
 */
export const NEAR_DUPLICATE_MIN_SHINGLES = 8
/**
 * The earlier entries one entry is flagged against at most (the most similar, then the earliest): an entry copied
 * twenty times raises one flag per copy, not one per pair of copies.
 */
export const NEAR_DUPLICATE_MAX_MATCHES = 3
export const OVER_TIME_MARGIN_MINUTES = 30
/** the day's limit for an officer with no key work time planned at all: a working day */
export const NO_PLAN_DAY_MINUTES = 7.5 * 60
export const BURST_MIN_ENTRIES = 5
export const BURST_LATE_DAYS = 7
export const BURST_WINDOW_MINUTES = 30
export const THIN_MIN_MINUTES = 30
export const THIN_DEFAULT_CHARS = 300

export const FLAG_KINDS = {
  near_duplicate: 'Near-duplicate narrative',
  overlap: 'Overlapping sessions',
  out_of_custody: 'Prisoner not in custody',
  officer_away: 'Officer marked away',
  over_time: 'More session time than key work time',
  burst: 'Many late entries at once',
  thin: 'Thin entry',
} as const
export type FlagKind = keyof typeof FLAG_KINDS

export const FLAG_OUTCOMES = {
  no_concern: 'No concern',
  advice_given: 'Advice given',
  entry_amended: 'Entry amended',
  referred_on: 'Referred on',
} as const
export type FlagOutcome = keyof typeof FLAG_OUTCOMES

export const isFlagKind = (v: unknown): v is FlagKind => typeof v === 'string' && Object.hasOwn(FLAG_KINDS, v)
export const isFlagOutcome = (v: unknown): v is FlagOutcome => typeof v === 'string' && Object.hasOwn(FLAG_OUTCOMES, v)

/** The key that makes a flag unique in its establishment: the kind and the entries (or officer and day) it is about. */
export function flagKey(kind: FlagKind, ...parts: (string | number)[]): string {
  return [kind, ...parts].join(':')
}

/** A near-duplicate pair's key: the smaller session id first, so either entry finds the same flag. */
export const pairKey = (kind: FlagKind, a: number, b: number) => flagKey(kind, Math.min(a, b), Math.max(a, b))

// ---------------------------------------------------------------------------------------------------------------
// Near-duplicates: what is compared

/** Words of the entry form itself, which officers copy in and which say nothing about the session. */
export const BOILERPLATE: readonly string[] = [
  'in their own words',
  'in his own words',
  'in her own words',
  'what was agreed',
  'what the prisoner said',
  'prisoner said',
  'key work session',
  'key worker',
  'key work',
]

/** The narrative of an entry: the prisoner's words and what was agreed. */
export function narrativeOf(prisonerWords: string | null, agreed: string | null): string {
  return [prisonerWords ?? '', agreed ?? ''].filter(t => t.trim()).join('\n')
}

/** The words to remove before comparing: each word of the names given (first and last names), then the boilerplate. */
export function removalWords(names: readonly (string | null | undefined)[]): string[] {
  const words = new Set<string>()
  for (const n of names)
    for (const w of (n ?? '').toLowerCase().split(/[^a-z\u00c0-\u024f']+/)) if (w.length > 1 && w !== "'") words.add(w)
  return [...BOILERPLATE, ...words]
}

export interface Match {
  id: number
  similarity: number
}

/** The matches one entry is flagged against: the most similar first, then the earliest; at most `max`. */
export function topMatches(matches: readonly Match[], max = NEAR_DUPLICATE_MAX_MATCHES): Match[] {
  return [...matches].sort((a, b) => b.similarity - a.similarity || a.id - b.id).slice(0, max)
}

/** A key for a set of shingles that equal sets share (two 32-bit hashes and the size; a collision is checked). */
export function setKey(set: Uint32Array): string {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < set.length; i++) {
    a = Math.imul(a ^ set[i]!, 0x01000193)
    b = Math.imul(b ^ (set[i]! >>> 7) ^ (set[i]! << 25), 0x5bd1e995)
  }
  return `${set.length}:${a >>> 0}:${b >>> 0}`
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

/** A delivered session as the timing rules need it. */
export interface TimedSession {
  id: number
  /** whose session: the officer's staff id, or the author's name when no officer is linked */
  officer: string
  date: string
  /** 'HH:MM', or null when not recorded */
  startsAt: string | null
  durationMinutes: number | null
}

/** Minutes from midnight of a session's start and end, or null when its time is not recorded. */
export function sessionInterval(s: Pick<TimedSession, 'startsAt' | 'durationMinutes'>) {
  const start = s.startsAt === null ? null : minutesOf(s.startsAt)
  if (start === null || s.durationMinutes === null || s.durationMinutes <= 0) return null
  return { start, end: start + s.durationMinutes }
}

/** Pairs of one officer's sessions on one day whose times overlap (touching end to start is no overlap). */
export function overlappingPairs(sessions: readonly TimedSession[]): { a: TimedSession; b: TimedSession }[] {
  const groups = new Map<string, { s: TimedSession; start: number; end: number }[]>()
  for (const s of sessions) {
    const i = sessionInterval(s)
    if (!i) continue
    const key = `${s.officer}\u0000${s.date}`
    const list = groups.get(key)
    if (list) list.push({ s, ...i })
    else groups.set(key, [{ s, ...i }])
  }
  const out: { a: TimedSession; b: TimedSession }[] = []
  for (const list of groups.values()) {
    list.sort((x, y) => x.start - y.start || x.s.id - y.s.id)
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length && list[j]!.start < list[i]!.end; j++) {
        const [a, b] = list[i]!.s.id < list[j]!.s.id ? [list[i]!.s, list[j]!.s] : [list[j]!.s, list[i]!.s]
        out.push({ a, b })
      }
  }
  return out
}

/**
 * The pairs overlappingPairs gives that include one session, in the same order, found in one pass over the others
 * (the submit of one entry needs only its own overlaps: all pairs of a crowded day is quadratic).
 */
export function overlapsOf(
  entry: TimedSession,
  sessions: readonly TimedSession[],
): { a: TimedSession; b: TimedSession }[] {
  const own = sessionInterval(entry)
  if (!own) return []
  const others: { s: TimedSession; start: number; end: number }[] = []
  for (const s of sessions) {
    if (s.id === entry.id || s.officer !== entry.officer || s.date !== entry.date) continue
    const i = sessionInterval(s)
    if (i) others.push({ s, ...i })
  }
  others.sort((x, y) => x.start - y.start || x.s.id - y.s.id)
  const out: { a: TimedSession; b: TimedSession }[] = []
  for (const o of others) {
    // as overlappingPairs walks the day in order: the earlier of the two must still be going when the later starts
    const earlier = o.start < own.start || (o.start === own.start && o.s.id < entry.id)
    if (earlier ? own.start < o.end : o.start < own.end)
      out.push(o.s.id < entry.id ? { a: o.s, b: entry } : { a: entry, b: o.s })
  }
  return out
}

/** Minutes of key work time an officer's slots give on a date (null: the officer has no slots at all). */
export function keyWorkMinutes(slots: readonly Slot[], date: string): number | null {
  if (!slots.length) return null
  let total = 0
  for (const slot of slots)
    if (slotAppliesOn(slot, date)) total += Math.max(0, (minutesOf(slot.endsAt) ?? 0) - (minutesOf(slot.startsAt) ?? 0))
  return total
}

/**
 * The key work time a day's sessions are measured against: the officer's key work time that day; on a day without
 * any, the most they have on any day of that week (a session held on another day than planned is ordinary; many
 * more minutes than any planned day are not); null when they have none that week (slots are kept from the day they
 * start, so weeks before them have no plan) or none at all: a working day counts then.
 */
export function dayAllowance(slots: readonly Slot[], date: string): number | null {
  const planned = keyWorkMinutes(slots, date)
  if (planned === null || planned > 0) return planned
  let most = 0
  for (let d = -3; d <= 3; d++) most = Math.max(most, keyWorkMinutes(slots, addDays(date, d)) ?? 0)
  return most > 0 ? most : null
}

export interface OverTime {
  officer: string
  date: string
  /** delivered session minutes that day */
  minutes: number
  /** key work time that day, or the most of any day that week on a day without any (dayAllowance); null: none
   * planned at all, so a working day counts */
  keyWorkMinutes: number | null
  /** the limit: key work time (or a working day) plus the margin */
  limit: number
  sessionIds: number[]
}

/** Officer-days with more delivered minutes than their key work time plus the margin. */
export function overTimeDays(
  sessions: readonly TimedSession[],
  slotsOf: (officer: string) => readonly Slot[],
  margin = OVER_TIME_MARGIN_MINUTES,
): OverTime[] {
  const days = new Map<string, { officer: string; date: string; minutes: number; ids: number[] }>()
  for (const s of sessions) {
    if (!s.durationMinutes || s.durationMinutes <= 0) continue
    const key = `${s.officer}\u0000${s.date}`
    const d = days.get(key) ?? { officer: s.officer, date: s.date, minutes: 0, ids: [] }
    d.minutes += s.durationMinutes
    d.ids.push(s.id)
    days.set(key, d)
  }
  const out: OverTime[] = []
  for (const d of days.values()) {
    const planned = dayAllowance(slotsOf(d.officer), d.date)
    const limit = (planned ?? NO_PLAN_DAY_MINUTES) + margin
    if (d.minutes > limit)
      out.push({
        officer: d.officer,
        date: d.date,
        minutes: d.minutes,
        keyWorkMinutes: planned,
        limit,
        sessionIds: d.ids.sort((a, b) => a - b),
      })
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.officer < b.officer ? -1 : 1))
}

/** An entry as the burst rule needs it. */
export interface SubmittedEntry {
  id: number
  /** who submitted it (the author) */
  author: string
  sessionDate: string
  /** UTC ISO timestamp */
  submittedAt: string
}

export interface Burst {
  author: string
  /** the late entries of the burst, in the order submitted */
  ids: number[]
  from: string
  to: string
}

/** Whether an entry was submitted BURST_LATE_DAYS or more (London days) after the date of its session. */
export const isLate = (e: Pick<SubmittedEntry, 'sessionDate' | 'submittedAt'>, lateDays = BURST_LATE_DAYS) =>
  daysBetween(e.sessionDate, londonDate(e.submittedAt)) >= lateDays

/**
 * Bursts of late entries: one author's late entries, in the order submitted, run together while each follows the
 * last within the window; a run is a burst when some window of BURST_WINDOW_MINUTES in it holds BURST_MIN_ENTRIES
 * or more. The burst is the whole run (so its first entry, which names it, does not change as it grows).
 */
export function bursts(
  entries: readonly SubmittedEntry[],
  opts: { min?: number; windowMinutes?: number; lateDays?: number } = {},
): Burst[] {
  const min = opts.min ?? BURST_MIN_ENTRIES
  const window = (opts.windowMinutes ?? BURST_WINDOW_MINUTES) * 60_000
  const byAuthor = new Map<string, { e: SubmittedEntry; t: number }[]>()
  for (const e of entries) {
    if (!isLate(e, opts.lateDays)) continue
    const list = byAuthor.get(e.author) ?? []
    list.push({ e, t: Date.parse(e.submittedAt) })
    byAuthor.set(e.author, list)
  }
  const out: Burst[] = []
  for (const [author, list] of byAuthor) {
    list.sort((a, b) => a.t - b.t || a.e.id - b.e.id)
    for (let start = 0; start < list.length;) {
      let end = start + 1
      while (end < list.length && list[end]!.t - list[end - 1]!.t <= window) end++
      // the most entries in any window inside the run
      let most = 0
      for (let i = start, j = start; i < end; i++) {
        while (list[i]!.t - list[j]!.t > window) j++
        most = Math.max(most, i - j + 1)
      }
      if (most >= min)
        out.push({
          author,
          ids: list.slice(start, end).map(x => x.e.id),
          from: list[start]!.e.submittedAt,
          to: list[end - 1]!.e.submittedAt,
        })
      start = end
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Custody and absence

/** A custody event as the out-of-custody rule needs it (custody_events of this establishment). */
export interface CustodyMove {
  id: number
  /** reception, transfer_in (arrivals); transfer_out, release (departures); others are ignored */
  kind: string
  date: string
}

export interface CustodyStay {
  from: string
  /** the day he left (a session that day is possible), null while he is still here */
  to: string | null
  /** how the stay ended */
  leftBy: string | null
}

const ARRIVING = ['reception', 'transfer_in']
const LEAVING = ['transfer_out', 'release']

/**
 * The stays in this establishment's custody from its custody events: from an arrival to the departure after it
 * (both days included). Complexity changes and moves between units do not end a stay (unlike the spells of
 * eligibility in custody.ts, which they do).
 */
export function custodyStays(events: readonly CustodyMove[]): CustodyStay[] {
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
  const stays: CustodyStay[] = []
  let open: string | null = null
  for (const e of sorted) {
    if (ARRIVING.includes(e.kind)) {
      if (open === null) open = e.date
    } else if (LEAVING.includes(e.kind) && open !== null) {
      stays.push({ from: open, to: e.date, leftBy: e.kind })
      open = null
    }
  }
  if (open !== null) stays.push({ from: open, to: null, leftBy: null })
  return stays
}

export interface OutOfCustody {
  /** before_reception: dated before he first arrived; released / transferred: after he left and before any return */
  reason: 'before_reception' | 'released' | 'transferred'
  /** the day he left (released, transferred) or first arrived (before_reception) */
  on: string
}

/** Why a session dated `date` falls outside every stay, or null when it falls inside one (or no stays are known). */
export function outOfCustodyOn(date: string, stays: readonly CustodyStay[]): OutOfCustody | null {
  if (!stays.length) return null
  if (stays.some(s => s.from <= date && (s.to === null || date <= s.to))) return null
  if (date < stays[0]!.from) return { reason: 'before_reception', on: stays[0]!.from }
  // the last stay that ended before the date
  const before = stays.filter(s => s.to !== null && s.to < date).pop()!
  return { reason: before.leftBy === 'release' ? 'released' : 'transferred', on: before.to! }
}

/** Staff statuses that mean the officer was not holding sessions. */
export const AWAY_STATUSES = ['annual_leave', 'long_term_absence', 'no_prisoner_contact', 'inactive']

/** A change of an officer's status: the London day it was recorded, the new status, and the day they are back. */
export interface StatusChange {
  date: string
  status: string
  returnDate: string | null
}

export interface AwayPeriod {
  status: string
  from: string
  /** the first day back (excluded), or null while it lasts */
  to: string | null
}

/**
 * The periods an officer was marked away, from the changes of their status in order: each away status lasts from
 * the day it was recorded until the next change or the return date given with it, whichever is first.
 */
export function awayPeriods(changes: readonly StatusChange[]): AwayPeriod[] {
  const sorted = [...changes].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const out: AwayPeriod[] = []
  sorted.forEach((c, i) => {
    if (!AWAY_STATUSES.includes(c.status)) return
    const next = sorted[i + 1]?.date ?? null
    const ends = [next, c.returnDate].filter((d): d is string => d !== null).sort()[0] ?? null
    if (ends !== null && ends <= c.date) return
    out.push({ status: c.status, from: c.date, to: ends })
  })
  return out
}

/**
 * An officer's status changes from the staff events of the audit trail (each a London day and the fields it set),
 * with the record as it is now: the audit trail is the only history of a status (the staff table keeps only the
 * status now and its return date). When the trail does not end in the status now (records loaded without events,
 * like the demo's), the status now counts from the day the record last changed.
 */
export function statusChanges(
  events: readonly { date: string; status?: string | null; returnDate?: string | null }[],
  now: { status: string; returnDate: string | null; since: string },
): StatusChange[] {
  const out: StatusChange[] = []
  let status = 'active'
  let returnDate: string | null = null
  for (const e of events) {
    if (e.status === undefined && e.returnDate === undefined) continue
    if (e.status !== undefined && e.status !== null) status = e.status
    if (e.returnDate !== undefined) returnDate = e.returnDate
    out.push({ date: e.date, status, returnDate })
  }
  if (status !== now.status || returnDate !== now.returnDate)
    out.push({ date: now.since, status: now.status, returnDate: now.returnDate })
  return out
}

/** The away period a date falls in, if any. */
export function awayOn(date: string, periods: readonly AwayPeriod[]): AwayPeriod | null {
  return periods.find(p => p.from <= date && (p.to === null || date < p.to)) ?? null
}

// ---------------------------------------------------------------------------------------------------------------
// Thin entries

/** Whether a delivered entry is thin: THIN_MIN_MINUTES or more with a narrative shorter than `minChars`. */
export function isThin(
  e: { outcome: string | null; durationMinutes: number | null; narrative: string },
  minChars = THIN_DEFAULT_CHARS,
): boolean {
  return (
    e.outcome === 'delivered' &&
    (e.durationMinutes ?? 0) >= THIN_MIN_MINUTES &&
    e.narrative.replace(/\s+/g, ' ').trim().length < minChars
  )
}

// ---------------------------------------------------------------------------------------------------------------
// Why a flag was raised, in words

export const STATUS_WORDS: Record<string, string> = {
  annual_leave: 'on annual leave',
  long_term_absence: 'on long-term absence',
  no_prisoner_contact: 'marked as having no prisoner contact',
  inactive: 'marked inactive',
}

const OUT_WORDS = {
  before_reception: 'before he arrived',
  released: 'after his release',
  transferred: 'after his transfer out',
}

/** The reason a flag was raised, as a sentence, from its kind and evidence (dates formatted by `date`). */
export function reasonOf(kind: string, evidence: Record<string, unknown>, date: (iso: string) => string): string {
  const e = evidence
  const n = (k: string) => Number(e[k] ?? 0)
  const d = (k: string) => (typeof e[k] === 'string' ? date(e[k]) : 'an unknown date')
  switch (kind) {
    case 'near_duplicate':
      return `The narratives of two entries are ${Math.round(n('similarity') * 100)}% the same once names, prison numbers, dates and the form’s own words are taken out.`
    case 'overlap':
      return `Two sessions of the same officer on ${d('date')} overlap in time.`
    case 'out_of_custody':
      return `The session is dated ${d('date')}, ${OUT_WORDS[e.reason as keyof typeof OUT_WORDS] ?? 'when he was not here'} (${d('on')}).`
    case 'officer_away':
      return `The session is dated ${d('date')}, while the officer was ${STATUS_WORDS[String(e.status)] ?? 'marked away'} (from ${d('from')}${typeof e.to === 'string' ? ` until ${date(e.to)}` : ''}).`
    case 'over_time':
      return `${n('minutes')} minutes of sessions were delivered on ${d('date')}, more than ${e.keyWorkMinutes === null ? 'a working day' : `the officer’s ${n('keyWorkMinutes')} minutes of key work time`} plus ${OVER_TIME_MARGIN_MINUTES} minutes.`
    case 'burst':
      return `${n('count')} entries for sessions ${BURST_LATE_DAYS} or more days earlier were submitted within a short time (${BURST_MIN_ENTRIES} or more within ${BURST_WINDOW_MINUTES} minutes).`
    case 'thin':
      return `A delivered session of ${n('durationMinutes')} minutes has a narrative of ${n('chars')} characters, under the ${n('minChars')} set for this establishment.`
    default:
      return 'Raised by an integrity check.'
  }
}
