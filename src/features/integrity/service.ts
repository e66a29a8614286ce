// Integrity flags (issue 15): checks of submitted key work entries that raise a flag for a Supervising Officer to look
// at, explain and resolve. Never an automatic sanction: a flag says why it was raised and what it rests on.
// Invariants: every flag is one row per establishment and key (kind and the entries it is about), so checking the
// same entry twice, or scanning twice, raises nothing new; a flag raised is audited in the same transaction; the
// near-duplicate index (integrity_bands) holds the band hashes of each submitted entry's narrative, as signed 32-bit
// integers, and every candidate pair is checked by the exact Jaccard similarity of shingles recomputed from the texts.
import type { Insertable, Kysely } from 'kysely'
import type { Database, IntegrityFlagTable } from '../../platform/db/types'
import { now as clockNow } from '../../domain/clock'
import { addDays, addMonths, londonDate } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { type Slot } from '../../domain/planning'
import { BANDS, BandTable, bandHashes, jaccard, normalise, shingles, signature } from '../../domain/nearDuplicates'
import {
  type FlagKind,
  type FlagOutcome,
  type TimedSession,
  type Match,
  NEAR_DUPLICATE_MIN_SHINGLES,
  NEAR_DUPLICATE_THRESHOLD,
  THIN_DEFAULT_CHARS,
  awayOn,
  awayPeriods,
  BURST_LATE_DAYS,
  bursts,
  isLate,
  custodyStays,
  flagKey,
  isFlagOutcome,
  isThin,
  narrativeOf,
  outOfCustodyOn,
  overTimeDays,
  overlappingPairs,
  overlapsOf,
  pairKey,
  removalWords,
  setKey,
  statusChanges,
  topMatches,
} from '../../domain/integrity'
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit/service'
import { type CheckedEntry, type FlagListFilter, integrityRepository } from './repository'

export const PAGE_SIZE = 50
const ENTITY = 'integrity_flag'
/** how far back the burst rule looks from an entry's submit, so a run is named by the same first entry */
const BURST_LOOKBACK_MS = 12 * 3_600_000
/** the candidates one submit checks at most (earliest first): a text copied thousands of times stays quick */
const MAX_CANDIDATES = 1000
/** candidate pairs checked at a time by the full scan */
const PAIR_CHUNK = 20_000
/** the texts' shingle sets the full scan keeps between chunks of pairs, at most (about 1 kB each) */
const HELD_TEXTS = 50_000

export interface IntegrityDeps {
  audit: AuditService
}

type NewFlag = Omit<Insertable<IntegrityFlagTable>, 'raised_at' | 'status' | 'evidence' | 'establishment_id'> & {
  kind: FlagKind
  evidence: Record<string, unknown>
}

export interface ScanOutcome {
  /** entries whose narratives were compared (long enough), and how many distinct texts they hold */
  entries: number
  distinct: number
  candidatePairs: number
  raised: number
  byKind: Record<string, number>
  milliseconds: number
}

type Trx = Kysely<Database>

/** Whose session: the officer's staff id, or the author's name when no officer is linked. */
const officerOf = (r: { staff_id: number | null; author: string }) =>
  r.staff_id === null ? `author:${r.author}` : `staff:${r.staff_id}`
const authorOf = (r: { author_user_id: number | null; author: string }) =>
  r.author_user_id === null ? `name:${r.author}` : `user:${r.author_user_id}`

/** An entry's narrative as compared: names, prison numbers, dates and boilerplate removed; its shingles. */
export function entryShingles(
  e: Pick<
    CheckedEntry,
    'prisoner_words' | 'agreed' | 'first_name' | 'last_name' | 'staff_first_name' | 'staff_last_name' | 'author'
  >,
) {
  const words = normalise(
    narrativeOf(e.prisoner_words, e.agreed),
    removalWords([e.first_name, e.last_name, e.staff_first_name, e.staff_last_name, e.author]),
  )
  return shingles(words)
}

/**
 * What an entry's shingles depend on, cheaply: its narrative and those of its names' words that occur in it (a name
 * that does not occur removes nothing). Entries with one key have one shingle set, so a check shingles each once.
 */
function entryTextKey(
  e: Pick<
    CheckedEntry,
    'prisoner_words' | 'agreed' | 'first_name' | 'last_name' | 'staff_first_name' | 'staff_last_name' | 'author'
  >,
) {
  const narrative = narrativeOf(e.prisoner_words, e.agreed)
  const lower = narrative.toLowerCase()
  const names = removalWords([e.first_name, e.last_name, e.staff_first_name, e.staff_last_name, e.author])
  return `${narrative}\u0000${names.filter(w => lower.includes(w)).join('\u0000')}`
}

const signed = (hashes: Uint32Array) => Array.from(hashes, h => h | 0)

const timed = (r: {
  id: number
  staff_id: number | null
  author: string
  session_date: string | null
  starts_at: string | null
  duration_minutes: number | null
}): TimedSession => ({
  id: r.id,
  officer: officerOf(r),
  date: r.session_date ?? '',
  startsAt: r.starts_at,
  durationMinutes: r.duration_minutes,
})

const slotOf = (s: {
  weekday: number | null
  on_date: string | null
  starts_at: string
  ends_at: string
  valid_from: string
  valid_to: string | null
}): Slot => ({
  weekday: s.weekday,
  onDate: s.on_date,
  startsAt: s.starts_at,
  endsAt: s.ends_at,
  validFrom: s.valid_from,
  validTo: s.valid_to,
})

/** Reads a staff audit event's changes: the status and return date it set, if any. */
function statusEvent(e: { at: string; changes: string | null }) {
  try {
    const c = JSON.parse(e.changes ?? '{}') as Record<string, { to?: unknown } | undefined>
    return {
      date: londonDate(e.at),
      ...(c.status ? { status: typeof c.status.to === 'string' ? c.status.to : null } : {}),
      ...(c.status_return_date
        ? { returnDate: typeof c.status_return_date.to === 'string' ? c.status_return_date.to : null }
        : {}),
    }
  } catch {
    return { date: londonDate(e.at) }
  }
}

export function integrityService(db: Kysely<Database>, deps: IntegrityDeps) {
  const repo = integrityRepository(db)
  const { audit } = deps

  /** Raises a flag unless its key exists; audited. The new flag's id, or null. */
  async function raise(trx: Trx, establishmentId: number, flag: NewFlag): Promise<number | null> {
    const id = await repo.raise(trx, {
      ...flag,
      establishment_id: establishmentId,
      evidence: JSON.stringify(flag.evidence),
      raised_at: clockNow().toISOString(),
      status: 'open',
    })
    if (id !== null)
      await audit.record(
        trx,
        { ...SYSTEM_ACTOR, establishmentId },
        {
          action: 'raise',
          entity: ENTITY,
          entityId: id,
          establishmentId,
          changes: {
            kind: flag.kind,
            key: flag.flag_key,
            session: flag.session_id,
            ...(flag.other_session_id ? { other: flag.other_session_id } : {}),
          },
        },
      )
    return id
  }

  /** The status history of an officer as away periods (see statusChanges for what history there is). */
  function awayPeriodsOf(
    staff: { status: string; status_return_date: string | null; updated_at: string },
    events: { at: string; changes: string | null }[],
  ) {
    return awayPeriods(
      statusChanges(events.map(statusEvent), {
        status: staff.status,
        returnDate: staff.status_return_date,
        since: londonDate(staff.updated_at),
      }),
    )
  }

  /** The stays in custody of a prisoner: from his custody events, else from his record. */
  function staysOf(
    events: { id: number; kind: string; date: string }[],
    record: { reception_date: string; release_date: string | null; status: string } | undefined,
  ) {
    if (events.length) return custodyStays(events)
    if (!record) return []
    return custodyStays([
      { id: 1, kind: 'reception', date: record.reception_date },
      ...(record.status !== 'in' && record.release_date
        ? [{ id: 2, kind: record.status === 'released' ? 'release' : 'transfer_out', date: record.release_date }]
        : []),
    ])
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The flags each rule raises, from what it found

  const nearDuplicateFlag = (
    a: { id: number; staff_id: number | null },
    otherId: number,
    similarity: number,
  ): NewFlag => ({
    kind: 'near_duplicate',
    flag_key: pairKey('near_duplicate', a.id, otherId),
    session_id: Math.max(a.id, otherId),
    other_session_id: Math.min(a.id, otherId),
    staff_id: a.staff_id,
    similarity,
    evidence: { similarity: Math.round(similarity * 1000) / 1000 },
  })

  const thinFlag = (
    e: { id: number; staff_id: number | null; duration_minutes: number | null },
    chars: number,
    minChars: number,
  ): NewFlag => ({
    kind: 'thin',
    flag_key: flagKey('thin', e.id),
    session_id: e.id,
    staff_id: e.staff_id,
    evidence: { chars, minChars, durationMinutes: e.duration_minutes },
  })

  const overlapFlag = (a: TimedSession, b: TimedSession, staffId: number | null): NewFlag => ({
    kind: 'overlap',
    flag_key: pairKey('overlap', a.id, b.id),
    session_id: b.id,
    other_session_id: a.id,
    staff_id: staffId,
    evidence: {
      date: a.date,
      sessions: [a, b].map(s => ({ id: s.id, startsAt: s.startsAt, durationMinutes: s.durationMinutes })),
    },
  })

  /** Everything the checks of one new or amended entry raise: the submit hook. */
  async function checkEntry(trx: Trx, establishmentId: number, sessionId: number): Promise<number> {
    const e = await repo.entry(trx, establishmentId, sessionId)
    if (!e) return 0
    const flags: NewFlag[] = []

    // near-duplicates: the entry's bands replace any it had; candidates through the bands, earliest first, each
    // distinct text checked exactly once (copies of one text are one candidate: its earliest entry)
    const set = entryShingles(e)
    const compared = set.length >= NEAR_DUPLICATE_MIN_SHINGLES
    const hashes = compared ? signed(bandHashes(signature(set))) : []
    await repo.setBands(trx, establishmentId, e.id, hashes)
    if (compared) {
      const ids = (await repo.candidates(trx, establishmentId, hashes, e.id)).sort((a, b) => a - b)
      const seen = new Set<string>()
      const texts = new Set<string>()
      const matches: Match[] = []
      for (let i = 0; i < Math.min(ids.length, MAX_CANDIDATES); i += 200)
        for (const c of await repo.entriesByIds(trx, establishmentId, ids.slice(i, i + 200))) {
          // a copy of a text already compared is skipped before it is shingled (copies are what near-duplicates are)
          const textKey = entryTextKey(c)
          if (texts.has(textKey)) continue
          texts.add(textKey)
          const other = entryShingles(c)
          const key = setKey(other)
          if (seen.has(key)) continue
          seen.add(key)
          const similarity = jaccard(set, other)
          if (similarity >= NEAR_DUPLICATE_THRESHOLD) matches.push({ id: c.id, similarity })
        }
      for (const m of topMatches(matches)) flags.push(nearDuplicateFlag(e, m.id, m.similarity))
    }

    // thin
    const minChars = (await repo.thinChars(trx, establishmentId)) ?? THIN_DEFAULT_CHARS
    const narrative = narrativeOf(e.prisoner_words, e.agreed)
    if (isThin({ outcome: e.outcome, durationMinutes: e.duration_minutes, narrative }, minChars))
      flags.push(thinFlag(e, narrative.replace(/\s+/g, ' ').trim().length, minChars))

    if (e.outcome === 'delivered' && e.session_date) {
      const date = e.session_date
      // overlap and over time: the officer's delivered sessions that day
      const day = (await repo.officerDay(trx, establishmentId, { staffId: e.staff_id, author: e.author }, date)).map(
        timed,
      )
      const own = day.find(s => s.id === e.id)
      if (own) for (const { a, b } of overlapsOf(own, day)) flags.push(overlapFlag(a, b, e.staff_id))
      const slots = e.staff_id === null ? [] : (await repo.slots(trx, establishmentId, e.staff_id)).map(slotOf)
      for (const o of overTimeDays(day, () => slots)) flags.push(overTimeFlag(o, e.staff_id))

      // out of custody
      const events = await repo.custodyEvents(trx, establishmentId, e.prisoner_id)
      const [record] = events.length ? [] : await repo.prisoners(trx, establishmentId, [e.prisoner_id])
      const out = outOfCustodyOn(date, staysOf(events, record))
      if (out) flags.push(outOfCustodyFlag(e, date, out))

      // officer away
      if (e.staff_id !== null) {
        const [staff] = await repo.staff(trx, establishmentId, e.staff_id)
        if (staff) {
          const periods = awayPeriodsOf(staff, await repo.staffEvents(trx, establishmentId, staff.staff_number))
          const away = awayOn(date, periods)
          if (away) flags.push(awayFlag(e, date, away))
        }
      }
    }

    // a burst of late entries: this author's late entries submitted in the hours before this one (only a late entry
    // can be in a burst, and only late entries make one: an entry on time reads nothing)
    if (e.submitted_at && e.session_date && isLate({ sessionDate: e.session_date, submittedAt: e.submitted_at })) {
      const to = e.submitted_at
      const from = new Date(Date.parse(to) - BURST_LOOKBACK_MS).toISOString()
      const recent = await repo.submittedBetween(
        trx,
        establishmentId,
        { userId: e.author_user_id, author: e.author },
        { from, to, datedBy: addDays(londonDate(to), -BURST_LATE_DAYS) },
      )
      for (const b of bursts(recent.map(submittedEntry)))
        if (b.ids.includes(e.id)) await raiseBurst(trx, establishmentId, b, e.staff_id)
    }

    let raised = 0
    for (const f of flags) if ((await raise(trx, establishmentId, f)) !== null) raised++
    return raised
  }

  const submittedEntry = (r: {
    id: number
    author_user_id: number | null
    author: string
    session_date: string | null
    submitted_at: string | null
  }) => ({
    id: r.id,
    author: authorOf(r),
    sessionDate: r.session_date ?? '',
    submittedAt: r.submitted_at ?? '',
  })

  function overTimeFlag(o: ReturnType<typeof overTimeDays>[number], staffId: number | null): NewFlag {
    return {
      kind: 'over_time',
      flag_key: flagKey('over_time', o.officer, o.date),
      session_id: o.sessionIds[o.sessionIds.length - 1]!,
      other_session_id: o.sessionIds[0]!,
      staff_id: staffId,
      evidence: {
        date: o.date,
        minutes: o.minutes,
        keyWorkMinutes: o.keyWorkMinutes,
        limit: o.limit,
        sessions: o.sessionIds,
      },
    }
  }

  function outOfCustodyFlag(
    e: { id: number; staff_id: number | null },
    date: string,
    out: NonNullable<ReturnType<typeof outOfCustodyOn>>,
  ): NewFlag {
    return {
      kind: 'out_of_custody',
      flag_key: flagKey('out_of_custody', e.id),
      session_id: e.id,
      staff_id: e.staff_id,
      evidence: { date, reason: out.reason, on: out.on },
    }
  }

  function awayFlag(
    e: { id: number; staff_id: number | null },
    date: string,
    away: NonNullable<ReturnType<typeof awayOn>>,
  ): NewFlag {
    return {
      kind: 'officer_away',
      flag_key: flagKey('officer_away', e.id),
      session_id: e.id,
      staff_id: e.staff_id,
      evidence: { date, status: away.status, from: away.from, to: away.to },
    }
  }

  /** Raises a burst's flag, named by its first entry; a burst that grew updates the open flag's evidence. */
  async function raiseBurst(
    trx: Trx,
    establishmentId: number,
    b: ReturnType<typeof bursts>[number],
    staffId: number | null,
  ) {
    const key = flagKey('burst', b.ids[0]!)
    const evidence = { count: b.ids.length, sessions: b.ids, from: b.from, to: b.to }
    const id = await raise(trx, establishmentId, {
      kind: 'burst',
      flag_key: key,
      session_id: b.ids[0]!,
      other_session_id: b.ids[b.ids.length - 1]!,
      staff_id: staffId,
      evidence,
    })
    if (id === null)
      await repo.updateOpenEvidence(trx, establishmentId, key, JSON.stringify(evidence), b.ids[b.ids.length - 1]!)
    return id
  }

  /**
   * Near-duplicate pairs of the establishment. Pass 1, in batches: every entry's bands written to the index; entries
   * with the same text (equal shingle sets) grouped, the first of each text its representative, and only the band
   * hashes of representatives held. Pass 2: candidate pairs of representatives from the bands, checked exactly a
   * chunk at a time (only that chunk's texts held), each representative keeping its best earlier matches. Pass 3:
   * each copy checked exactly against its text's first entry. So a text copied a thousand times costs one entry in
   * the pairs, and memory is the band hashes of the distinct texts plus one chunk.
   */
  async function scanNearDuplicates(establishmentId: number) {
    // the index as it is: only the entries whose bands changed are written again, and those gone are removed
    const indexed = await repo.bands(db, establishmentId)
    const reps: number[] = []
    const staffOfRep: (number | null)[] = []
    const repOfKey = new Map<string, number>()
    const copies: { id: number; staffId: number | null; rep: number }[] = []
    let hashes = new Uint32Array(1024 * BANDS)
    let entries = 0
    const stale: number[] = []
    const thin: NewFlag[] = []
    const minChars = (await repo.thinChars(db, establishmentId)) ?? THIN_DEFAULT_CHARS
    // a month of entries at a time, then those with no date
    const range = await repo.dateRange(db, establishmentId)
    const months: [string | null, string | null][] = []
    if (range?.first && range.last)
      for (let from = `${range.first.slice(0, 7)}-01`; from <= range.last; from = addMonths(from, 1))
        months.push([from, addMonths(from, 1)])
    months.push([null, null])
    for (const [from, to] of months) {
      const batch = await repo.entriesDated(db, establishmentId, from, to)
      const rows: { session_id: number; establishment_id: number; band: number; hash: number }[] = []
      for (const e of batch) {
        const narrative = narrativeOf(e.prisoner_words, e.agreed)
        if (isThin({ outcome: e.outcome, durationMinutes: e.duration_minutes, narrative }, minChars))
          thin.push(thinFlag(e, narrative.replace(/\s+/g, ' ').trim().length, minChars))
        const set = entryShingles(e)
        if (set.length < NEAR_DUPLICATE_MIN_SHINGLES) continue
        entries++
        const h = bandHashes(signature(set))
        const before = indexed.get(e.id)
        indexed.delete(e.id)
        if (!before || before.some((hash, band) => hash !== (h[band]! | 0))) {
          if (before) stale.push(e.id)
          h.forEach((hash, band) =>
            rows.push({ session_id: e.id, establishment_id: establishmentId, band, hash: hash | 0 }),
          )
        }
        const key = setKey(set)
        const rep = repOfKey.get(key)
        if (rep !== undefined) {
          // the first entry of a text is its smallest id (as a submit's check takes it): an earlier one found in a
          // later month takes the place (equal texts have equal band hashes)
          if (e.id < reps[rep]!) {
            copies.push({ id: reps[rep]!, staffId: staffOfRep[rep]!, rep })
            reps[rep] = e.id
            staffOfRep[rep] = e.staff_id
          } else copies.push({ id: e.id, staffId: e.staff_id, rep })
          continue
        }
        if ((reps.length + 1) * BANDS > hashes.length) {
          const grown = new Uint32Array(hashes.length * 2)
          grown.set(hashes)
          hashes = grown
        }
        hashes.set(h, reps.length * BANDS)
        repOfKey.set(key, reps.length)
        reps.push(e.id)
        staffOfRep.push(e.staff_id)
      }
      if (rows.length || stale.length)
        await db.transaction().execute(async trx => {
          await repo.removeBands(trx, establishmentId, stale.splice(0))
          await repo.insertBands(trx, rows)
        })
    }
    // entries indexed before but not compared now (deleted, or amended too short)
    if (indexed.size) await db.transaction().execute(trx => repo.removeBands(trx, establishmentId, [...indexed.keys()]))
    indexed.clear()
    repOfKey.clear()

    // pass 2: representatives' candidate pairs, a chunk at a time
    const matches = new Map<number, Match[]>()
    let candidatePairs = 0
    // texts read for one chunk are kept for the next ones (chunks share most of their texts), up to a bound
    const sets = new Map<number, Uint32Array>()
    const check = async (chunk: [number, number][]) => {
      if (sets.size > HELD_TEXTS) sets.clear()
      const ids = [...new Set(chunk.flat())]
        .sort((a, b) => a - b)
        .map(i => reps[i]!)
        .filter(id => !sets.has(id))
      for (let i = 0; i < ids.length; i += 500)
        for (const e of await repo.entriesByIds(db, establishmentId, ids.slice(i, i + 500)))
          sets.set(e.id, entryShingles(e))
      for (const [i, j] of chunk) {
        const a = sets.get(reps[i]!)
        const b = sets.get(reps[j]!)
        if (!a || !b) continue
        const similarity = jaccard(a, b)
        if (similarity < NEAR_DUPLICATE_THRESHOLD) continue
        const list = matches.get(j) ?? []
        list.push({ id: reps[i]!, similarity })
        matches.set(j, topMatches(list))
      }
    }
    let chunk: [number, number][] = []
    for (const p of new BandTable(hashes.subarray(0, reps.length * BANDS)).pairs()) {
      candidatePairs++
      chunk.push(p)
      if (chunk.length >= PAIR_CHUNK) {
        await check(chunk)
        chunk = []
      }
    }
    if (chunk.length) await check(chunk)
    const found: NewFlag[] = []
    for (const [j, list] of matches)
      for (const m of list)
        found.push(nearDuplicateFlag({ id: reps[j]!, staff_id: staffOfRep[j]! }, m.id, m.similarity))

    // pass 3: each copy against its text's first entry, checked exactly (equal keys could, rarely, be unequal sets)
    for (let i = 0; i < copies.length; i += 250) {
      const part = copies.slice(i, i + 250)
      const ids = [...new Set(part.flatMap(c => [c.id, reps[c.rep]!]))]
      const sets = new Map<number, Uint32Array>()
      for (const e of await repo.entriesByIds(db, establishmentId, ids)) sets.set(e.id, entryShingles(e))
      for (const c of part) {
        const a = sets.get(reps[c.rep]!)
        const b = sets.get(c.id)
        if (!a || !b) continue
        const similarity = jaccard(a, b)
        if (similarity >= NEAR_DUPLICATE_THRESHOLD)
          found.push(nearDuplicateFlag({ id: c.id, staff_id: c.staffId }, reps[c.rep]!, similarity))
      }
    }
    return { entries, distinct: reps.length, candidatePairs, flags: found, thin }
  }

  /** The timing and thin flags of the establishment's submitted entries. */
  async function scanTiming(establishmentId: number) {
    const rows = await repo.timingRows(db, establishmentId)
    const delivered = rows.filter(r => r.outcome === 'delivered' && r.session_date)
    const staffOf = new Map(rows.map(r => [r.id, r.staff_id]))
    const flags: NewFlag[] = []
    const sessions = delivered.map(timed)
    for (const { a, b } of overlappingPairs(sessions)) flags.push(overlapFlag(a, b, staffOf.get(a.id) ?? null))

    const slotsByOfficer = new Map<string, Slot[]>()
    for (const s of await repo.slots(db, establishmentId)) {
      const key = `staff:${s.staff_id}`
      slotsByOfficer.set(key, [...(slotsByOfficer.get(key) ?? []), slotOf(s)])
    }
    for (const o of overTimeDays(sessions, officer => slotsByOfficer.get(officer) ?? []))
      flags.push(overTimeFlag(o, staffOf.get(o.sessionIds[0]!) ?? null))

    // out of custody
    const eventsOf = new Map<number, { id: number; kind: string; date: string }[]>()
    for (const ev of await repo.custodyEvents(db, establishmentId))
      eventsOf.set(ev.prisoner_id, [...(eventsOf.get(ev.prisoner_id) ?? []), ev])
    const noEvents = [...new Set(delivered.map(r => r.prisoner_id))].filter(p => !eventsOf.has(p))
    const records = new Map<number, { reception_date: string; release_date: string | null; status: string }>()
    for (let i = 0; i < noEvents.length; i += 500)
      for (const p of await repo.prisoners(db, establishmentId, noEvents.slice(i, i + 500))) records.set(p.id, p)
    const stays = new Map<number, ReturnType<typeof custodyStays>>()
    for (const r of delivered) {
      if (!stays.has(r.prisoner_id))
        stays.set(r.prisoner_id, staysOf(eventsOf.get(r.prisoner_id) ?? [], records.get(r.prisoner_id)))
      const out = outOfCustodyOn(r.session_date!, stays.get(r.prisoner_id)!)
      if (out) flags.push(outOfCustodyFlag(r, r.session_date!, out))
    }

    // officer away
    const eventsByNumber = new Map<string, { at: string; changes: string | null }[]>()
    for (const ev of await repo.staffEvents(db, establishmentId))
      if (ev.entity_id) eventsByNumber.set(ev.entity_id, [...(eventsByNumber.get(ev.entity_id) ?? []), ev])
    const periods = new Map<number, ReturnType<typeof awayPeriods>>()
    for (const st of await repo.staff(db, establishmentId))
      periods.set(st.id, awayPeriodsOf(st, eventsByNumber.get(st.staff_number) ?? []))
    for (const r of delivered) {
      if (r.staff_id === null) continue
      const away = awayOn(r.session_date!, periods.get(r.staff_id) ?? [])
      if (away) flags.push(awayFlag(r, r.session_date!, away))
    }

    const burstsFound = bursts(rows.filter(r => r.submitted_at && r.session_date).map(submittedEntry))
    return { flags, bursts: burstsFound, staffOf }
  }

  return {
    /**
     * The submit hook: checks one entry just submitted (or amended), in the caller's transaction, and raises what it
     * finds. Its bands replace any it had.
     */
    onSubmitted: (trx: Trx, establishmentId: number, sessionId: number) => checkEntry(trx, establishmentId, sessionId),

    /**
     * The full check of every submitted entry of the establishment: the band index rebuilt, every rule run, new flags
     * raised (idempotent: a flag whose key exists, open or resolved, is not raised again). Batched: the narratives
     * are read a thousand at a time and only the band hashes of all of them are held.
     */
    async scan(establishmentId: number, actor: Actor): Promise<ScanOutcome> {
      const started = Date.now()
      const near = await scanNearDuplicates(establishmentId)
      const timing = await scanTiming(establishmentId)
      const existing = await repo.keys(db, establishmentId)
      const byKind: Record<string, number> = {}
      let raised = 0
      const fresh = [...near.flags, ...near.thin, ...timing.flags].filter(f => !existing.has(f.flag_key))
      const raisedAt = clockNow().toISOString()
      // a transaction and one audit event (naming every flag) per thousand flags
      for (let i = 0; i < fresh.length; i += 1000)
        await db.transaction().execute(async trx => {
          const rows = await repo.raiseMany(
            trx,
            fresh.slice(i, i + 1000).map(({ evidence, ...f }) => ({
              ...f,
              establishment_id: establishmentId,
              evidence: JSON.stringify(evidence),
              raised_at: raisedAt,
              status: 'open',
            })),
          )
          if (!rows.length) return
          for (const r of rows) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1
          raised += rows.length
          await audit.record(
            trx,
            { ...SYSTEM_ACTOR, establishmentId },
            {
              action: 'raise',
              entity: ENTITY,
              establishmentId,
              changes: { by: 'scan', flags: rows.map(r => r.id) },
            },
          )
        })
      await db.transaction().execute(async trx => {
        for (const b of timing.bursts)
          if ((await raiseBurst(trx, establishmentId, b, timing.staffOf.get(b.ids[0]!) ?? null)) !== null) {
            raised++
            byKind.burst = (byKind.burst ?? 0) + 1
          }
        await audit.record(trx, actor, {
          action: 'scan',
          entity: ENTITY,
          establishmentId,
          changes: {
            entries: near.entries,
            distinct: near.distinct,
            candidatePairs: near.candidatePairs,
            raised,
            byKind,
          },
        })
      })
      return {
        entries: near.entries,
        distinct: near.distinct,
        candidatePairs: near.candidatePairs,
        raised,
        byKind,
        milliseconds: Date.now() - started,
      }
    },

    /**
     * Sessions dated from `from` to `to` (both included) that a flag is about, as its entry or the other entry; flags
     * resolved with no concern leave their sessions out. For the QA sample's risk reasons.
     */
    flaggedSessionIds: (establishmentId: number, from: string, to: string) =>
      repo.flaggedSessionIds(establishmentId, from, to),

    async list(filter: FlagListFilter) {
      const { limit: _l, offset: _o, ...counted } = filter
      const [rows, total] = await Promise.all([repo.list(filter), repo.count(counted)])
      return { rows, total }
    },

    countsByKind: (establishmentId: number) => repo.countsByKind(establishmentId),

    get: (establishmentId: number, id: number) => repo.byId(db, establishmentId, id),

    /** The entries a flag is about, with what the pages show (submitted or not: a deleted entry still shows). */
    entries: (establishmentId: number, ids: number[]) => repo.entriesAny(db, establishmentId, ids),

    /**
     * Resolves an open flag with an outcome and a note (both required). Refused, nothing saved, when either is
     * missing or the flag is resolved already.
     */
    async resolve(
      actor: Actor,
      establishmentId: number,
      id: number,
      input: { outcome: unknown; note: unknown },
    ): Promise<Result<number> | 'not-found'> {
      const errors: Record<string, string> = {}
      const outcome = isFlagOutcome(input.outcome) ? (input.outcome as FlagOutcome) : null
      const note = typeof input.note === 'string' ? input.note.trim() : ''
      if (!outcome) errors.outcome = 'Select the outcome of your look at this flag'
      if (!note) errors.note = 'Enter a note of what you found and did'
      else if (note.length > 2000) errors.note = 'The note must be 2,000 characters or fewer'
      return db.transaction().execute(async trx => {
        const flag = await repo.byId(trx, establishmentId, id)
        if (!flag) return 'not-found' as const
        if (flag.status !== 'open') return fail<number>({ outcome: 'This flag has been resolved already' })
        if (Object.keys(errors).length) return fail<number>(errors)
        const done = await repo.resolve(trx, establishmentId, id, {
          outcome: outcome!,
          note,
          resolved_by_user_id: actor.userId,
          resolved_by: actor.username ?? 'unknown',
          resolved_at: clockNow().toISOString(),
        })
        if (!done) return fail<number>({ outcome: 'This flag has been resolved already' })
        await audit.record(trx, actor, {
          action: 'resolve',
          entity: ENTITY,
          entityId: id,
          establishmentId,
          changes: { outcome, note },
        })
        return ok(id)
      })
    },
  }
}

export type IntegrityService = ReturnType<typeof integrityService>
