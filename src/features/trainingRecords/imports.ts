// Completions from e-learning systems: a CSV import and xAPI statements in, and the records as xAPI statements out.
// Invariants:
// - all or nothing: every row or statement is checked (officer, module, date, outcome, hours, duplicates in the
//   request and of what is already recorded) and every problem listed; only a request without any is recorded, in
//   one transaction with its audit event;
// - a statement whose id was recorded before is skipped, so a re-post (even two at once) records nothing twice;
// - a completion not received as a statement is sent with an id made from its own, the same every time.
import type { Kysely } from 'kysely'
import { createHash } from 'node:crypto'
import type { Database } from '../../platform/db/types'
import type { Actor } from '../../platform/audit/service'
import { formatDate, todayIso } from '../../domain/dates'
import type { Outcome } from '../../domain/training'
import { type XapiCompletion, parseStatement, statementOf, statementsOf } from '../../domain/xapi'
import {
  type CsvImportOutcome,
  type ModuleLookup,
  type NewCompletion,
  type RowError,
  type TrainingRecordsContext,
  type XapiOutcome,
  nameOf,
} from './context'
import { type Column, HEADINGS, readCompletionsCsv } from './csv'
import { completionRowSchema } from './schema'
import type { TrainingStatuses } from './status'

/** An id for a completion not received as a statement: a UUID made from its id, the same every time. */
export function statementIdOf(completionId: number): string {
  const h = createHash('sha256').update(`keywork-training-completion-${completionId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function trainingImports(
  { db, repo, audit, deps }: TrainingRecordsContext,
  { completionsFor }: TrainingStatuses,
  recordCompletions: (trx: Kysely<Database>, actor: Actor, rows: NewCompletion[]) => Promise<number[]>,
) {
  return {
    /**
     * Imports a CSV of completions from an e-learning system: all or nothing. Every row is checked (officer, module,
     * date, outcome, hours, duplicates in the file and of what is already recorded) and every error listed; only a
     * file without any is recorded, in one transaction with an 'import' audit event.
     */
    async importCsv(
      actor: Actor,
      establishmentId: number,
      bytes: Uint8Array,
      fileName: string,
    ): Promise<CsvImportOutcome> {
      const read = readCompletionsCsv(bytes)
      if (!read.ok) return { status: 'file-problem', messages: read.messages }
      const errors: RowError[] = []
      const parsed: { row: number; data: ReturnType<typeof completionRowSchema.parse> }[] = []
      for (const r of read.rows) {
        const p = completionRowSchema.safeParse(r.values)
        if (p.success) parsed.push({ row: r.row, data: p.data })
        else
          for (const issue of p.error.issues) {
            const col = String(issue.path[0] ?? '') as Column
            errors.push({ row: r.row, column: HEADINGS[col] ?? '', message: issue.message })
          }
      }
      const numbers = [...new Set(parsed.map(p => p.data.staffNumber))]
      const staff = await repo.staffByNumbersOrEmails(establishmentId, numbers, [])
      const byNumber = new Map(staff.map(s => [s.staff_number.toUpperCase(), s]))
      const modules = new Map<string, ModuleLookup | undefined>()
      for (const code of new Set(parsed.map(p => p.data.moduleCode)))
        modules.set(code, await deps.moduleByCode(code, establishmentId))
      const external = parsed.map(p => p.data.externalId).filter((x): x is string => !!x)
      const known = await repo.knownExternalIds('csv', external)
      const existing = await completionsFor(staff.map(s => Number(s.id)))
      const seenKeys = new Map<string, number>()
      const seenExternal = new Map<string, number>()
      const rows: NewCompletion[] = []
      for (const { row, data } of parsed) {
        const officer = byNumber.get(data.staffNumber)
        const module = modules.get(data.moduleCode)
        if (!officer)
          errors.push({
            row,
            column: HEADINGS.staffNumber,
            message: `No officer of this establishment has staff number ${data.staffNumber}`,
          })
        if (!module)
          errors.push({
            row,
            column: HEADINGS.moduleCode,
            message: `${data.moduleCode} is not a module of the programme or of this establishment`,
          })
        if (data.externalId) {
          const first = seenExternal.get(data.externalId)
          if (first !== undefined)
            errors.push({
              row,
              column: HEADINGS.externalId,
              message: `External id ${data.externalId} is also on row ${first}`,
            })
          else if (known.has(data.externalId))
            errors.push({
              row,
              column: HEADINGS.externalId,
              message: `External id ${data.externalId} was imported before`,
            })
          else seenExternal.set(data.externalId, row)
        }
        if (!officer || !module) continue
        const key = `${officer.id}|${module.code}|${data.completedOn}`
        const first = seenKeys.get(key)
        if (first !== undefined)
          errors.push({ row, column: '', message: `Row ${first} records the same officer, module and date` })
        else if (
          (existing.get(Number(officer.id)) ?? []).some(
            c => c.moduleCode === module.code && c.completedOn === data.completedOn,
          )
        )
          errors.push({
            row,
            column: '',
            message: `${data.staffNumber} already has ${module.code} recorded on ${formatDate(data.completedOn)}`,
          })
        else seenKeys.set(key, row)
        rows.push({
          establishmentId,
          staffId: Number(officer.id),
          moduleId: module.id,
          moduleCode: module.code,
          kind: module.kind,
          title: module.title,
          completedOn: data.completedOn,
          hours: data.hours ?? Number(module.hours),
          outcome: data.outcome,
          evidence: `Imported from ${fileName}`.slice(0, 2000),
          source: 'csv',
          externalId: data.externalId,
        })
      }
      errors.sort((a, b) => a.row - b.row)
      if (errors.length) return { status: 'rejected', rows: read.rows.length, errors, ignored: read.ignored }
      await db.transaction().execute(async trx => {
        await recordCompletions(trx, actor, rows)
        await audit.record(trx, actor, {
          action: 'import',
          entity: 'training_completions',
          establishmentId,
          changes: { file: fileName, rows: rows.length },
        })
      })
      return { status: 'imported', rows: read.rows.length, recorded: rows.length, ignored: read.ignored }
    },

    /**
     * Records xAPI statements (one, or an array) for an establishment: all or nothing. Each is read (actor, verb,
     * object, result, timestamp) and matched to an officer and a module; any problem refuses the whole request with
     * every problem listed. A statement whose id was recorded before is skipped, so a re-post records nothing twice.
     */
    async xapiIn(actor: Actor, establishmentId: number, body: unknown): Promise<XapiOutcome> {
      const list = statementsOf(body)
      if (!list)
        return { ok: false, errors: ['The body must be a statement (a JSON object) or an array of statements'] }
      if (list.length > 500) return { ok: false, errors: ['Send at most 500 statements a request'] }
      const today = todayIso()
      const errors: string[] = []
      const read: { i: number; v: XapiCompletion }[] = []
      list.forEach((raw, i) => {
        const p = parseStatement(raw, today)
        const where = list.length > 1 ? `statement ${i + 1}: ` : ''
        if (p.ok) read.push({ i, v: p.value })
        else errors.push(...p.errors.map(e => where + e))
      })
      const emails = [...new Set(read.map(r => r.v.actor.email).filter((x): x is string => !!x))]
      const numbers = [...new Set(read.map(r => r.v.actor.account).filter((x): x is string => !!x))]
      const staff = await repo.staffByNumbersOrEmails(establishmentId, numbers, emails)
      const modules = new Map<string, ModuleLookup | undefined>()
      for (const code of new Set(read.map(r => r.v.moduleCode)))
        modules.set(code, await deps.moduleByCode(code, establishmentId))
      const known = await repo.knownExternalIds(
        'xapi',
        read.map(r => r.v.id),
      )
      const seen = new Set<string>()
      const rows: NewCompletion[] = []
      let already = 0
      for (const { i, v } of read) {
        const where = list.length > 1 ? `statement ${i + 1}: ` : ''
        const matches = staff.filter(s =>
          v.actor.email
            ? (s.email ?? '').toLowerCase() === v.actor.email
            : s.staff_number.toUpperCase() === v.actor.account,
        )
        const who = v.actor.email ? `mbox mailto:${v.actor.email}` : `account ${v.actor.account}`
        if (matches.length === 0) errors.push(`${where}actor ${who} is not an officer of this establishment`)
        else if (matches.length > 1)
          errors.push(`${where}actor ${who} matches more than one officer: use the staff number`)
        const module = modules.get(v.moduleCode)
        if (!module)
          errors.push(`${where}object ${v.moduleCode} is not a module of the programme or of this establishment`)
        if (seen.has(v.id)) errors.push(`${where}id ${v.id} is sent twice in this request`)
        seen.add(v.id)
        if (known.has(v.id)) {
          already++
          continue
        }
        const officer = matches[0]
        if (!officer || matches.length > 1 || !module) continue
        rows.push({
          establishmentId,
          staffId: Number(officer.id),
          moduleId: module.id,
          moduleCode: module.code,
          kind: module.kind,
          title: module.title,
          completedOn: v.completedOn,
          hours: v.hours ?? Number(module.hours),
          outcome: v.outcome,
          evidence: `xAPI statement ${v.id} (${v.activityId})`.slice(0, 2000),
          source: 'xapi',
          externalId: v.id,
        })
      }
      if (errors.length) return { ok: false, errors }
      const ids = read.map(r => r.v.id)
      if (rows.length)
        try {
          await db.transaction().execute(async trx => {
            await recordCompletions(trx, actor, rows)
            await audit.record(trx, actor, {
              action: 'import',
              entity: 'xapi_statements',
              establishmentId,
              changes: { statements: list.length, recorded: rows.length, already },
            })
          })
        } catch (err) {
          // the same statements sent twice at once: the other request recorded them (the unique external id)
          const now = await repo.knownExternalIds('xapi', ids)
          if (rows.every(r => now.has(r.externalId!))) return { ok: true, recorded: 0, already: ids.length, ids }
          throw err
        }
      return { ok: true, recorded: rows.length, already, ids }
    },

    /** The establishment's completions recorded since a time, as xAPI statements, oldest first (at most `limit`). */
    async xapiOut(establishmentId: number, since: string, afterId: number, baseUrl: string, limit = 500) {
      const rows = await repo.recordedSince(establishmentId, since, afterId, limit + 1)
      const more = rows.length > limit
      const statements = rows
        .slice(0, limit)
        .filter(r => r.voided_at === null)
        .map(r =>
          statementOf({
            id: r.source === 'xapi' && r.external_id ? r.external_id : statementIdOf(Number(r.id)),
            actor: { name: nameOf(r), email: r.email, staffNumber: r.staff_number, homePage: baseUrl },
            activityId: `${baseUrl}/training/modules/${encodeURIComponent(r.module_code)}`,
            title: r.title,
            outcome: r.outcome as Outcome,
            hours: Number(r.hours),
            completedOn: r.completed_on,
            stored: r.recorded_at,
          }),
        )
      // the next page continues after the last completion of this one (its id: a batch shares one recorded_at)
      return { statements, after: more ? Number(rows[limit - 1]!.id) : null }
    },
  }
}
