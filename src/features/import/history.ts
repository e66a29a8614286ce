import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import { chunks } from '../../domain/chunks'
import { formatDate } from '../../domain/dates'
import { groupBy } from '../../domain/groupBy'
import { londonNow } from '../../domain/hubs'
import { PRISON_NUMBER, normalisePrisonNumber } from '../../domain/prisoner'
import { STAFF_NUMBER, normaliseStaffNumber } from '../../domain/staff'
import { excerpt, limitedList } from '../../domain/untrusted'
import type { Actor, AuditService } from '../../platform/audit/service'
import type { StatisticsService } from '../statistics/service'
import { type AllocationRecord, type SessionRecord, pastDate, sessionRecordSchema } from './historySchema'
import type { Saved } from './service'
import type { CellProblem, CrossProblem, RowChecks, ValidRow } from './validate'

// The history imports: allocations and past sessions with their own dates, so that an establishment adopting keywork
// starts with its statistics full. Both check against what the establishment already has (its prisoners, its staff,
// its allocations and sessions) read once per file, and a second import of the same file changes nothing.

/** Imported allocations and sessions: this reason and this client key prefix mark them as brought in from a file. */
export const IMPORTED_REASON = 'imported'
export const IMPORTED_KEY_PREFIX = 'import:'

/** What one file's rows are checked against and saved with: begun once per import, with the file's prison numbers. */
export interface HistoryJob<R> {
  checks: RowChecks<R>
  save(trx: Kysely<Database>, actor: Actor, valid: ValidRow<R>[]): Promise<Saved>
}

interface PrisonerRef {
  id: number
  status: string
  reception_date: string
}

interface StaffRef {
  id: number
  key_worker: number
  name: string
}

interface AllocationRef {
  id: number
  prisoner_id: number
  staff_id: number
  from: string
  to: string | null
  reason: string
}

/** Prisoners read, or sessions written, this many at a time. */
const READ_CHUNK = 500
const INSERT_CHUNK = 200

/** The Europe/London date of a stored instant. */
function londonDate(iso: string): string {
  return londonNow(new Date(iso)).date
}

/**
 * An imported date as an instant: midday UTC is the same date in London and in UTC, winter and summer, so the day
 * is the same however a reader cuts it.
 */
export function importedInstant(date: string): string {
  return `${date}T12:00:00.000Z`
}

/** Half-open days [from, to): an allocation that ends on a day and one that starts that day do not overlap. */
function overlap(a: { from: string; to: string | null }, b: { from: string; to: string | null }): boolean {
  // an allocation ending before it starts is an error of its own, and overlaps nothing
  if ((a.to !== null && a.to < a.from) || (b.to !== null && b.to < b.from)) return false
  return (b.to === null || a.from < b.to) && (a.to === null || b.from < a.to)
}

const period = (from: string, to: string | null) =>
  to ? `${formatDate(from)} to ${formatDate(to)}` : `from ${formatDate(from)}`

async function establishmentPrisoners(db: Kysely<Database>, establishmentId: number, keys: string[]) {
  const byNumber = new Map<string, PrisonerRef>()
  for (const part of chunks([...new Set(keys)], READ_CHUNK)) {
    const rows = await db
      .selectFrom('prisoners')
      .select(['id', 'prison_number', 'status', 'reception_date'])
      .where('establishment_id', '=', establishmentId)
      .where('prison_number', 'in', part)
      .execute()
    for (const r of rows) byNumber.set(r.prison_number, r)
  }
  return byNumber
}

async function establishmentStaff(db: Kysely<Database>, establishmentId: number) {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'staff_number', 'key_worker', 'first_name', 'last_name'])
    .where('establishment_id', '=', establishmentId)
    .execute()
  return new Map<string, StaffRef>(
    rows.map(r => [
      r.staff_number.toUpperCase(),
      { id: r.id, key_worker: r.key_worker, name: `${r.first_name} ${r.last_name}` },
    ]),
  )
}

/** The allocations of these prisoners, each prisoner's in the order they began. */
async function allocationsOf(db: Kysely<Database>, establishmentId: number, prisonerIds: number[]) {
  const out: AllocationRef[] = []
  for (const part of chunks(prisonerIds, READ_CHUNK)) {
    const rows = await db
      .selectFrom('allocations')
      .select(['id', 'prisoner_id', 'staff_id', 'allocated_at', 'deallocated_at', 'allocation_reason'])
      .where('establishment_id', '=', establishmentId)
      .where('prisoner_id', 'in', part)
      .orderBy('allocated_at')
      .orderBy('id')
      .execute()
    for (const r of rows)
      out.push({
        id: r.id,
        prisoner_id: r.prisoner_id,
        staff_id: r.staff_id,
        from: londonDate(r.allocated_at),
        to: r.deallocated_at ? londonDate(r.deallocated_at) : null,
        reason: r.allocation_reason,
      })
  }
  return out
}

/** Problems of the prisoner and officer of a row, as written: unknown here, or the row before his reception. */
function peopleProblems(
  input: Record<string, string>,
  prisoners: Map<string, PrisonerRef>,
  staff: Map<string, StaffRef>,
  staffLabel: string,
  dateField: string,
): CellProblem[] {
  const problems: CellProblem[] = []
  const number = normalisePrisonNumber(input.prisonNumber ?? '')
  const prisoner = prisoners.get(number)
  if (PRISON_NUMBER.test(number) && !prisoner)
    problems.push({
      field: 'prisonNumber',
      reason: `${number} is not a prisoner of this establishment: import the prisoners first`,
    })
  const staffNumber = normaliseStaffNumber(input.staffNumber ?? '')
  if (STAFF_NUMBER.test(staffNumber) && !staff.has(staffNumber))
    problems.push({
      field: 'staffNumber',
      reason: `${excerpt(staffNumber)} is not a ${staffLabel} of this establishment: import the staff first`,
    })
  const date = pastDate(input[dateField], londonNow().date).date
  if (prisoner && date && date < prisoner.reception_date)
    problems.push({
      field: dateField,
      reason: `${formatDate(date)} is before ${number} was received here (${formatDate(prisoner.reception_date)})`,
    })
  return problems
}

export function allocationImport(db: Kysely<Database>, audit: AuditService) {
  return {
    async begin(establishmentId: number, keys: string[]): Promise<HistoryJob<AllocationRecord>> {
      const prisoners = await establishmentPrisoners(db, establishmentId, keys)
      const staff = await establishmentStaff(db, establishmentId)
      const existing = await allocationsOf(
        db,
        establishmentId,
        [...prisoners.values()].map(p => p.id),
      )
      const existingOf = groupBy(existing, a => a.prisoner_id)
      const staffName = new Map([...staff.values()].map(s => [s.id, s.name]))
      /** rows already imported by an earlier import of the same allocation: left as they are */
      const unchanged = new Set<number>()

      const cells = (input: Record<string, string>): CellProblem[] => {
        const problems = peopleProblems(input, prisoners, staff, 'member of staff', 'from')
        const today = londonNow().date
        const from = pastDate(input.from, today).date
        const to = pastDate(input.to, today).date
        if (from && to && to < from)
          problems.push({
            field: 'to',
            reason: `The allocation ends (${formatDate(to)}) before it starts (${formatDate(from)})`,
          })
        if (!(input.to ?? '').trim()) {
          // an allocation without an end is a current one: of a man here now, to a Key Worker
          const prisoner = prisoners.get(normalisePrisonNumber(input.prisonNumber ?? ''))
          if (prisoner && prisoner.status !== 'in')
            problems.push({
              field: 'to',
              reason: 'Enter the date the allocation ended: the prisoner is no longer in custody here',
            })
          const officer = staff.get(normaliseStaffNumber(input.staffNumber ?? ''))
          if (officer && !officer.key_worker)
            problems.push({
              field: 'staffNumber',
              reason: `${officer.name} is not a Key Worker: a current allocation needs one (or enter the date it ended)`,
            })
          if ((input.reason ?? '').trim())
            problems.push({
              field: 'reason',
              reason: 'A reason is for an allocation that ended: enter the To date too',
            })
        }
        return problems
      }

      const parsed = (rows: readonly ValidRow<AllocationRecord>[]): CrossProblem[] => {
        const problems: CrossProblem[] = []
        // a row of a man who is not here is an error of its own, with nothing to overlap
        const known = rows.filter(r => prisoners.has(r.record.prisonNumber))
        const byPrisoner = groupBy(known, r => prisoners.get(r.record.prisonNumber)!.id)
        for (const [prisonerId, list] of byPrisoner) {
          let mine = existingOf.get(prisonerId) ?? []
          for (const r of list) {
            const rec = r.record
            const staffId = staff.get(rec.staffNumber)?.id
            // the same allocation imported before: nothing to do, and it is no overlap with itself
            const same = mine.find(
              a => a.reason === IMPORTED_REASON && a.staff_id === staffId && a.from === rec.from && a.to === rec.to,
            )
            if (same) {
              unchanged.add(r.row)
              mine = mine.filter(a => a !== same)
            }
          }
          for (const r of list) {
            const rec = r.record
            // in the order they began (allocationsOf reads them so)
            const over = mine.filter(a => overlap(rec, a))
            if (over.length)
              problems.push({
                row: r.row,
                field: 'from',
                reason:
                  `${rec.prisonNumber} already has ${over.length === 1 ? 'an allocation' : 'allocations'} in keywork that ` +
                  `${over.length === 1 ? 'overlaps' : 'overlap'} it (` +
                  over
                    .slice(0, 5)
                    .map(a => `${staffName.get(a.staff_id) ?? 'a Key Worker'}, ${period(a.from, a.to)}`)
                    .join('; ') +
                  '): an imported allocation must end before those in keywork begin',
              })
            const clashes = list.filter(o => o !== r && overlap(rec, o.record)).map(o => String(o.row))
            if (clashes.length)
              problems.push({
                row: r.row,
                field: 'from',
                reason: `${rec.prisonNumber}'s allocation ${period(rec.from, rec.to)} overlaps ${clashes.length === 1 ? 'row' : 'rows'} ${limitedList(clashes, 10)}`,
              })
          }
        }
        return problems
      }

      return {
        checks: { cells, parsed },
        async save(trx, actor, valid) {
          let created = 0
          for (const r of valid) {
            if (unchanged.has(r.row)) continue
            const rec = r.record
            const prisoner = prisoners.get(rec.prisonNumber)!
            const officer = staff.get(rec.staffNumber)!
            const ended = rec.to !== null
            const id = (
              await trx
                .insertInto('allocations')
                .values({
                  establishment_id: establishmentId,
                  prisoner_id: prisoner.id,
                  staff_id: officer.id,
                  allocated_at: importedInstant(rec.from),
                  allocated_by: actor.username,
                  allocation_reason: IMPORTED_REASON,
                  deallocated_at: ended ? importedInstant(rec.to!) : null,
                  deallocated_by: ended ? actor.username : null,
                  deallocation_reason: ended ? (rec.reason?.code ?? null) : null,
                  deallocation_note: ended ? (rec.reason?.note ?? null) : null,
                  handover_note: null,
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id
            await audit.record(trx, actor, {
              action: 'create',
              entity: 'allocation',
              entityId: id,
              establishmentId,
              changes: {
                prisoner: rec.prisonNumber,
                staff: rec.staffNumber,
                from: rec.from,
                to: rec.to,
                reason: rec.reason?.note ?? rec.reason?.code ?? null,
                imported: true,
              },
            })
            created++
          }
          return { created, updated: 0, unchanged: valid.filter(r => unchanged.has(r.row)).length }
        },
      }
    },
  }
}

/**
 * Above this many prisoners in a file the statistics are recounted for the whole establishment instead of moved
 * prisoner by prisoner (measured on 10,000 rows: docs/CSV.md). Changeable for the measurement only.
 */
export const SESSION_IMPORT = { rebuildAbovePrisoners: 50 }

/** The natural key of an imported session: prisoner, date, officer and start time (blank when not given). */
export function sessionKey(establishmentId: number, r: SessionRecord): string {
  return `${IMPORTED_KEY_PREFIX}${establishmentId}:${r.prisonNumber}:${r.date}:${r.staffNumber}:${r.startTime ?? ''}`
}

export function sessionImport(
  db: Kysely<Database>,
  deps: { audit: AuditService; statistics: Pick<StatisticsService, 'rebuild' | 'changeSessions'> },
) {
  return {
    async begin(establishmentId: number, keys: string[]): Promise<HistoryJob<SessionRecord>> {
      const prisoners = await establishmentPrisoners(db, establishmentId, keys)
      const staff = await establishmentStaff(db, establishmentId)
      const prisonerIds = [...prisoners.values()].map(p => p.id)
      const allocations = groupBy(await allocationsOf(db, establishmentId, prisonerIds), a => a.prisoner_id)
      /** the client keys of the sessions imported before (the query's pattern leaves out those without one) */
      const imported = new Set<string | null>()
      for (const part of chunks(prisonerIds, READ_CHUNK)) {
        const rows = await db
          .selectFrom('key_work_sessions')
          .select('client_key')
          .where('prisoner_id', 'in', part)
          .where('client_key', 'like', `${IMPORTED_KEY_PREFIX}${establishmentId}:%`)
          .execute()
        for (const r of rows) imported.add(r.client_key)
      }
      const unchanged = new Set<number>()

      const cells = (input: Record<string, string>): CellProblem[] => {
        const problems = peopleProblems(input, prisoners, staff, 'member of staff', 'date')
        const delivered = sessionRecordSchema.shape.delivered.safeParse(input.delivered ?? '')
        const reason = sessionRecordSchema.shape.notDeliveredReason.safeParse(input.notDeliveredReason)
        if (delivered.success && reason.success) {
          if (delivered.data && reason.data)
            problems.push({
              field: 'notDeliveredReason',
              reason: 'The session was delivered: leave the reason it was not delivered blank',
            })
          if (!delivered.data && !reason.data)
            problems.push({ field: 'notDeliveredReason', reason: 'Enter the reason the session was not delivered' })
          if (!delivered.data && reason.data === 'other' && !(input.caseNote ?? '').trim())
            problems.push({ field: 'caseNote', reason: 'Say in the case note why the session was not delivered' })
        }
        return problems
      }

      const parsed = (rows: readonly ValidRow<SessionRecord>[]): CrossProblem[] => {
        const rowsOf = groupBy(rows, r => sessionKey(establishmentId, r.record))
        const problems: CrossProblem[] = []
        for (const [key, list] of rowsOf) {
          if (imported.has(key)) for (const r of list) unchanged.add(r.row)
          if (list.length < 2) continue
          const where = limitedList(
            list.map(r => String(r.row)),
            10,
          )
          for (const { row } of list)
            problems.push({
              row,
              field: 'date',
              reason: `The same session (prisoner, date, officer and start time) is on rows ${where}: give each its start time, or remove the copies`,
            })
        }
        return problems
      }

      return {
        checks: { cells, parsed },
        async save(trx, actor, valid) {
          const now = new Date().toISOString()
          const fresh = valid.filter(r => !unchanged.has(r.row))
          const insert = async (rows: ValidRow<SessionRecord>[]) => {
            for (const part of chunks(rows, INSERT_CHUNK)) await insertPart(part)
          }
          const insertPart = async (part: ValidRow<SessionRecord>[]) => {
            const values = part.map(({ record: rec }) => {
              const prisoner = prisoners.get(rec.prisonNumber)!
              const officer = staff.get(rec.staffNumber)!
              // on the officer's caseload that day: allocated to him then (an allocation ends on its To day)
              const onCaseload = (allocations.get(prisoner.id) ?? []).some(
                a => a.staff_id === officer.id && a.from <= rec.date && (a.to === null || rec.date < a.to),
              )
              return {
                establishment_id: establishmentId,
                prisoner_id: prisoner.id,
                staff_id: officer.id,
                author_user_id: actor.userId,
                author: actor.username ?? 'import',
                status: 'submitted',
                on_caseload: onCaseload ? 1 : 0,
                outcome: rec.delivered ? 'delivered' : 'not_delivered',
                not_delivered_reason: rec.delivered ? null : rec.notDeliveredReason,
                not_delivered_detail: rec.delivered ? null : rec.caseNote,
                session_date: rec.date,
                starts_at: rec.startTime,
                duration_minutes: rec.duration,
                location: null,
                hub_booking_id: null,
                private: null,
                interpreter_needed: null,
                interpreter_used: null,
                interpreter_service: null,
                interpreter_booking_ref: null,
                interpreter_language: null,
                interpreter_why_not: null,
                pathways: '',
                concern: 0,
                concern_escalated_to: null,
                prisoner_words: null,
                agreed: rec.delivered ? rec.caseNote : null,
                client_key: sessionKey(establishmentId, rec),
                draft_form: null,
                created_at: now,
                updated_at: now,
                submitted_at: now,
                deleted_at: null,
                deleted_by: null,
                deleted_reason: null,
              }
            })
            const ids = await trx.insertInto('key_work_sessions').values(values).returning('id').execute()
            for (const [i, { id }] of ids.entries()) {
              const rec = part[i]!.record
              await deps.audit.record(trx, actor, {
                action: 'create',
                entity: 'key_work_session',
                entityId: id,
                establishmentId,
                changes: {
                  prisoner: rec.prisonNumber,
                  staff: rec.staffNumber,
                  date: rec.date,
                  outcome: values[i]!.outcome,
                  imported: true,
                },
              })
            }
          }
          const byPrisoner = groupBy(fresh, r => prisoners.get(r.record.prisonNumber)!.id)
          if (byPrisoner.size <= SESSION_IMPORT.rebuildAbovePrisoners) {
            // a few prisoners: their contribution to the statistics moved as the sessions service moves it
            for (const [prisonerId, rows] of byPrisoner)
              await deps.statistics.changeSessions(
                trx,
                { establishmentId, prisonerId, dates: rows.map(r => r.record.date) },
                () => insert(rows),
              )
          } else {
            // many: the establishment's statistics recounted once in the same transaction, exact and cheaper than
            // moving them prisoner by prisoner (docs/CSV.md gives the measurements)
            await insert(fresh)
            await deps.statistics.rebuild(establishmentId, trx)
          }
          return { created: fresh.length, updated: 0, unchanged: valid.filter(r => unchanged.has(r.row)).length }
        },
      }
    },
  }
}
