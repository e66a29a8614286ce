import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { createHash } from 'node:crypto'
import { formatDate, todayIso } from '../../domain/dates'
import { type Result, fail, ok } from '../../domain/result'
import { type XapiCompletion, parseStatement, statementOf, statementsOf } from '../../domain/xapi'
import { finishPdf, newPdf, paragraph, pdfSafe } from '../../platform/pdf'
import {
  type CompletionFact,
  type JournalFact,
  type ModuleKind,
  type Outcome,
  type TrainingRules,
  type TrainingStatus,
  trainingStatus,
} from '../../domain/training'
import { newCertificateCode, normaliseCertificateCode } from './certificateCode'
import { type Column, HEADINGS, readCompletionsCsv } from './csv'
import { trainingRecordsRepository } from './repository'
import { type ManualCompletionInput, completionRowSchema } from './schema'

export type CompletionSource = 'course' | 'csv' | 'xapi' | 'manual'

/** One completion to record (from a course, a CSV import, an xAPI statement or by hand). */
export interface NewCompletion {
  establishmentId: number
  staffId: number
  moduleId: number | null
  moduleCode: string
  kind: ModuleKind
  title: string
  completedOn: string
  hours: number
  outcome: Outcome
  evidence?: string
  source: CompletionSource
  courseId?: number | null
  externalId?: string | null
}

/** What the records need of the catalogue (s.training): a module by its code. */
export interface ModuleLookup {
  id: number
  code: string
  title: string
  kind: ModuleKind
  hours: number
}

export interface TrainingRecordsDeps {
  audit: AuditService
  /** the establishment's training rules (s.trainingRules.rulesFor) */
  rulesFor: (establishmentId: number) => Promise<TrainingRules>
  /** the reflective journal's minutes, counted towards CPD (s.journal.minutesFor) */
  journalMinutes?: (staffIds: number[], from: string, to: string) => Promise<Map<number, JournalFact[]>>
  /** the current national module of a code, or the establishment's local one (s.training.moduleByCode) */
  moduleByCode: (code: string, establishmentId: number | null) => Promise<ModuleLookup | undefined>
  /** the modules an establishment's officers can complete: national and its local ones (s.training.modulesFor) */
  modulesFor?: (establishmentId: number) => Promise<ModuleLookup[]>
  /** an officer's open assignments of modules (s.trainingReminders.assignmentsFor) */
  assignmentsFor?: (staffId: number, establishmentId: number) => Promise<AssignmentView[]>
}

/** What the record page shows of an assignment. */
export interface AssignmentView {
  moduleCode: string
  moduleTitle: string
  reason: string
  dueOn: string
  met: boolean
  overdue: boolean
}

/** A row of a CSV import in error: the spreadsheet's row number, the column's heading, the message. */
export interface RowError {
  row: number
  column: string
  message: string
}

export type CsvImportOutcome =
  | { status: 'file-problem'; messages: string[] }
  | { status: 'rejected'; rows: number; errors: RowError[]; ignored: string[] }
  | { status: 'imported'; rows: number; recorded: number; ignored: string[] }

export type XapiOutcome =
  { ok: false; errors: string[] } | { ok: true; recorded: number; already: number; ids: string[] }

export type CertificateState = 'valid' | 'superseded' | 'revoked'

/** An id for a completion not received as a statement: a UUID made from its id, the same every time. */
export function statementIdOf(completionId: number): string {
  const h = createHash('sha256').update(`keywork-training-completion-${completionId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const STATE_NAMES: Record<CertificateState, string> = {
  valid: 'Valid',
  superseded: 'Superseded by a later certificate',
  revoked: 'Revoked',
}
const stateOf = (c: { superseded_by: number | null; revoked_at: string | null }): CertificateState =>
  c.revoked_at !== null ? 'revoked' : c.superseded_by !== null ? 'superseded' : 'valid'

const nameOf = (s: { first_name: string; last_name: string }) => `${s.first_name} ${s.last_name}`.trim()

export function trainingRecordsService(db: Kysely<Database>, deps: TrainingRecordsDeps) {
  const repo = trainingRecordsRepository(db)
  const { audit } = deps

  /**
   * Makes the newest certificate (by completion date, then issue) of an officer's module code the current one, and
   * marks every other live one as superseded by it: a retraining supersedes the earlier certificate; voiding the
   * retraining makes the earlier one current again.
   */
  async function settleCertificates(trx: Kysely<Database>, staffId: number, moduleCode: string) {
    const live = await repo.liveCertificatesFor(trx, staffId, moduleCode)
    const first = live[0]
    if (!first) return
    const current = Number(first.id)
    if (first.superseded_by !== null) await repo.setSupersededBy(trx, [current], null)
    const stale = live.slice(1).filter(c => c.superseded_by === null || Number(c.superseded_by) !== current)
    await repo.setSupersededBy(
      trx,
      stale.map(c => Number(c.id)),
      current,
    )
  }

  async function completionsFor(staffIds: number[], k: Kysely<Database> = db) {
    const rows = await repo.liveCompletions([...new Set(staffIds)], k)
    const out = new Map<number, CompletionFact[]>()
    for (const id of staffIds) out.set(id, [])
    for (const r of rows)
      out.get(Number(r.staff_id))?.push({
        moduleCode: r.module_code,
        kind: r.kind as ModuleKind,
        completedOn: r.completed_on,
        hours: Number(r.hours),
        outcome: r.outcome as Outcome,
      })
    return out
  }

  /** The training status of officers of one establishment (their start dates, completions and journal), by id. */
  async function statusesFor(establishmentId: number, staff: { id: number; started_in_post: string | null }[]) {
    const today = todayIso()
    const rules = await deps.rulesFor(establishmentId)
    const ids = staff.map(s => Number(s.id))
    const completions = await completionsFor(ids)
    const window = trainingStatus(rules, null, [], today).cpd
    const journal = deps.journalMinutes ? await deps.journalMinutes(ids, window.from, window.to) : new Map()
    const out = new Map<number, TrainingStatus>()
    for (const s of staff)
      out.set(
        Number(s.id),
        trainingStatus(
          rules,
          s.started_in_post,
          completions.get(Number(s.id)) ?? [],
          today,
          journal.get(Number(s.id)) ?? [],
        ),
      )
    return { rules, today, statuses: out }
  }

  /**
   * Records completions in the caller's transaction (a course's completion, an import): each row inserted and
   * audited, and a certificate issued for each that did not fail, superseding the officer's earlier certificate of
   * the same module code. The new completions' ids, in order.
   */
  async function recordCompletions(trx: Kysely<Database>, actor: Actor, rows: NewCompletion[]): Promise<number[]> {
    const ids: number[] = []
    const now = new Date().toISOString()
    const today = todayIso()
    const by = actor.username ?? 'system'
    const names = new Map<number, string>()
    for (const row of rows) {
      const id = await repo.insertCompletion(trx, {
        establishment_id: row.establishmentId,
        staff_id: row.staffId,
        module_id: row.moduleId,
        module_code: row.moduleCode,
        kind: row.kind,
        title: row.title,
        completed_on: row.completedOn,
        hours: row.hours,
        outcome: row.outcome,
        evidence: row.evidence ?? '',
        source: row.source,
        course_id: row.courseId ?? null,
        external_id: row.externalId ?? null,
        recorded_at: now,
        recorded_by: by,
        voided_at: null,
        voided_by: null,
        void_reason: null,
      })
      ids.push(id)
      await audit.record(trx, actor, {
        action: 'create',
        entity: 'training_completion',
        entityId: id,
        establishmentId: row.establishmentId,
        changes: {
          staff_id: row.staffId,
          module_code: row.moduleCode,
          completed_on: row.completedOn,
          hours: row.hours,
          outcome: row.outcome,
          source: row.source,
          course_id: row.courseId ?? null,
          external_id: row.externalId ?? null,
        },
      })
      if (row.outcome === 'failed') continue
      let name = names.get(row.staffId)
      if (name === undefined) {
        const staff = await repo.staff(row.establishmentId, row.staffId, trx)
        if (!staff) throw new Error(`staff ${row.staffId} is not in establishment ${row.establishmentId}`)
        name = nameOf(staff)
        names.set(row.staffId, name)
      }
      const certificateId = await repo.insertCertificate(trx, {
        code: newCertificateCode(),
        completion_id: id,
        staff_id: row.staffId,
        establishment_id: row.establishmentId,
        name,
        module_title: row.title,
        completed_on: row.completedOn,
        issued_on: today,
        issued_at: now,
        issued_by: by,
        superseded_by: null,
        revoked_at: null,
        revoke_reason: null,
      })
      await settleCertificates(trx, row.staffId, row.moduleCode)
      await audit.record(trx, actor, {
        action: 'create',
        entity: 'training_certificate',
        entityId: certificateId,
        establishmentId: row.establishmentId,
        changes: { completion_id: id, staff_id: row.staffId, module_code: row.moduleCode },
      })
    }
    return ids
  }

  return {
    recordCompletions,

    /** The non-voided completions of these officers, oldest first, by staff id (every id given has an entry). */
    completionsFor: (staffIds: number[]) => completionsFor(staffIds),

    /** An officer's training status now, under their establishment's rules; their journal counts towards CPD. */
    async statusFor(establishmentId: number, staffId: number): Promise<TrainingStatus> {
      const staff = await repo.staff(establishmentId, staffId)
      const { statuses } = await statusesFor(establishmentId, [
        { id: staffId, started_in_post: staff?.started_in_post ?? null },
      ])
      return statuses.get(staffId)!
    },

    statusesFor,

    /** The staff record of the establishment linked to this user, if any. */
    staffOfUser: (establishmentId: number, userId: number) => repo.staffOfUser(establishmentId, userId),
    staff: (establishmentId: number, staffId: number) => repo.staff(establishmentId, staffId),
    modulesFor: (establishmentId: number) => deps.modulesFor?.(establishmentId) ?? Promise.resolve([]),

    /** The establishment's officers (staff not inactive), each with their training status, by name. */
    async officers(establishmentId: number) {
      const staff = await repo.officers(establishmentId)
      const { statuses, rules } = await statusesFor(establishmentId, staff)
      return { rules, rows: staff.map(o => ({ ...o, name: nameOf(o), status: statuses.get(Number(o.id))! })) }
    },

    /**
     * An officer's record and plan: status, every completion (voided ones kept and marked) with its certificates,
     * the certificates' history, the modules assigned to them. Undefined when they are not of the establishment.
     */
    async record(establishmentId: number, staffId: number) {
      const staff = await repo.staff(establishmentId, staffId)
      if (!staff) return undefined
      const [{ statuses, rules, today }, completions, certificates, assignments] = await Promise.all([
        statusesFor(establishmentId, [staff]),
        repo.completionsOf(establishmentId, staffId),
        repo.certificatesOf(establishmentId, staffId),
        deps.assignmentsFor ? deps.assignmentsFor(staffId, establishmentId) : Promise.resolve([]),
      ])
      const certs = certificates.map(c => ({ ...c, state: stateOf(c), stateName: STATE_NAMES[stateOf(c)] }))
      return {
        staff: { ...staff, name: nameOf(staff) },
        status: statuses.get(staffId)!,
        rules,
        today,
        completions: completions.map(c => ({
          ...c,
          hours: Number(c.hours),
          certificates: certs.filter(x => Number(x.completion_id) === Number(c.id)),
        })),
        certificates: certs,
        assignments,
      }
    },

    /** Records a completion by hand (an SO or admin, with the evidence), audited, with its certificate. */
    async recordManual(
      actor: Actor,
      establishmentId: number,
      staffId: number,
      input: ManualCompletionInput,
    ): Promise<Result<number>> {
      const staff = await repo.staff(establishmentId, staffId)
      if (!staff) return fail({ form: 'That officer is not in this establishment' })
      const module = await deps.moduleByCode(input.moduleCode, establishmentId)
      if (!module) return fail({ moduleCode: 'Select a module of the programme or of this establishment' })
      const [id] = await db.transaction().execute(trx =>
        recordCompletions(trx, actor, [
          {
            establishmentId,
            staffId,
            moduleId: module.id,
            moduleCode: module.code,
            kind: module.kind,
            title: module.title,
            completedOn: input.completedOn,
            hours: input.hours ?? Number(module.hours),
            outcome: input.outcome,
            evidence: input.evidence,
            source: 'manual',
          },
        ]),
      )
      return ok(id!)
    },

    completion: (establishmentId: number, id: number) => repo.completion(establishmentId, id),

    /**
     * Voids a completion with a reason: the row is kept (append-only), its certificate revoked, and the officer's
     * earlier certificate of the module, if any, becomes the current one again.
     */
    async voidCompletion(actor: Actor, establishmentId: number, id: number, reason: string): Promise<Result<number>> {
      return db.transaction().execute(async trx => {
        const c = await repo.completion(establishmentId, id, trx)
        if (!c) return fail<number>({ form: 'That completion is not in this establishment' })
        const at = new Date().toISOString()
        if (!(await repo.voidCompletion(trx, id, actor.username ?? 'unknown', reason, at)))
          return fail<number>({ reason: 'This completion was already voided' })
        await audit.record(trx, actor, {
          action: 'void',
          entity: 'training_completion',
          entityId: id,
          establishmentId,
          changes: { staff_id: c.staff_id, module_code: c.module_code, reason },
        })
        const revoked = await repo.revokeForCompletion(trx, id, at, 'The completion was voided')
        for (const certificateId of revoked)
          await audit.record(trx, actor, {
            action: 'revoke',
            entity: 'training_certificate',
            entityId: certificateId,
            establishmentId,
            changes: { completion_id: id },
          })
        await settleCertificates(trx, Number(c.staff_id), c.module_code)
        return ok(Number(c.staff_id))
      })
    },

    /**
     * What the public verification page may show of a certificate: the name, module and date, and whether it was
     * superseded or revoked. Undefined for a code that is not one (nothing else is revealed).
     */
    async verify(code: string) {
      const norm = normaliseCertificateCode(code)
      if (!norm) return undefined
      const c = await repo.certificateByCode(norm)
      if (!c) return undefined
      const state = stateOf(c)
      return { code: c.code, name: c.name, moduleTitle: c.module_title, completedOn: c.completed_on, state }
    },

    certificate: (establishmentId: number, id: number) => repo.certificate(establishmentId, id),

    /** The certificate as an A5 PDF: name, module, date, the code and where to check it. */
    async certificatePdf(
      c: { code: string; name: string; module_title: string; completed_on: string; issued_on: string },
      verifyUrl: string,
    ) {
      const doc = newPdf(`Certificate: ${c.module_title}`)
      doc.y += 30
      paragraph(doc, 'Key Work training', { size: 11, colour: '#505a5f' })
      doc.font('Helvetica-Bold').fontSize(20).text('Certificate of completion', { align: 'left' })
      doc.font('Helvetica').fontSize(10)
      doc.y += 16
      paragraph(doc, 'This is to certify that', { size: 11 })
      doc.font('Helvetica-Bold').fontSize(16).text(pdfSafe(c.name))
      doc.font('Helvetica').fontSize(10)
      doc.y += 8
      paragraph(doc, 'completed', { size: 11 })
      doc.font('Helvetica-Bold').fontSize(14).text(pdfSafe(c.module_title))
      doc.font('Helvetica').fontSize(10)
      doc.y += 8
      paragraph(doc, `on ${formatDate(c.completed_on)}.`, { size: 11 })
      doc.y += 30
      paragraph(doc, `Verification code: ${c.code}`, { size: 12 })
      paragraph(doc, `Anyone can check it with this code at ${verifyUrl}`, { size: 9 })
      paragraph(doc, `Issued on ${formatDate(c.issued_on)}.`, { size: 9, colour: '#505a5f' })
      return finishPdf(doc, 'Key Work training certificate')
    },

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

export type TrainingRecordsService = ReturnType<typeof trainingRecordsService>
