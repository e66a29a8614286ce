import type { Kysely } from 'kysely'
import type { Database } from '../../platform/db/types'
import type { Actor, AuditService } from '../../platform/audit/service'
import { heldElsewhereMessage, normalisePrisonNumber, refusedWhileHeldElsewhere } from '../../domain/prisoner'
import { prisonerRecordSchema } from '../prisoners/schema'
import type { PrisonersService } from '../prisoners/service'
import type { StatisticsService } from '../statistics/service'
import type { StaffService } from '../staff/service'
import { type UnitLink, parentProblems } from '../../domain/unitHierarchy'
import type { UnitRecord } from '../units/schema'
import type { UnitsService } from '../units/service'
import { FileProblem, decodeUtf8, parseCsv, readColumns } from './csv'
import { type HistoryJob, allocationImport, sessionImport } from './history'
import { type ImportKind, type KindSpec, allocationKind, prisonerKind, sessionKind, staffKind, unitKind } from './kinds'
import {
  type CrossProblem,
  type RowChecks,
  type RowError,
  type ValidRow,
  type Validation,
  validateRows,
} from './validate'

export interface ImportOptions {
  fileName: string
  /** import the valid rows and report the rest, instead of importing nothing */
  skipInvalid: boolean
  /** prisoners only: mark the establishment's prisoners missing from the file as released */
  fullRoll: boolean
}

export interface ImportCounts {
  created: number
  updated: number
  unchanged: number
  released: number
  skipped: number
}

export interface ImportReport {
  kind: ImportKind
  fileName: string
  /** prisoners only: the import was a full roll */
  fullRoll: boolean
  /** data rows in the file, blank ones not counted */
  rows: number
  ignoredColumns: string[]
  /** every row error; with skipInvalid these rows were skipped, otherwise nothing was imported */
  errors: RowError[]
  warnings: string[]
  counts: ImportCounts
}

export type ImportOutcome =
  /** report: with headings that are wrong, the rows' errors in the columns that could still be read */
  | { status: 'file-problem'; messages: string[]; report?: ImportReport }
  | { status: 'rejected'; report: ImportReport }
  | { status: 'imported'; report: ImportReport }

export interface ImportDeps {
  audit: AuditService
  prisoners: PrisonersService
  units: UnitsService
  staff: StaffService
  statistics: Pick<StatisticsService, 'rebuild' | 'changeSessions'>
}

export type Saved = Omit<ImportCounts, 'skipped' | 'released'> & { released?: number }

export function importService(db: Kysely<Database>, deps: ImportDeps) {
  const { audit, prisoners, units, staff } = deps
  const history = {
    allocations: allocationImport(db, audit),
    sessions: sessionImport(db, { audit, statistics: deps.statistics }),
  }

  /**
   * Reads and checks the file, then saves its valid records with save() in one transaction together with an
   * 'import' audit event; nothing is saved if any row is bad, unless skipInvalid.
   */
  async function importFile<R, F extends keyof R & string>(
    spec: KindSpec<R, F>,
    actor: Actor,
    establishmentId: number,
    bytes: Uint8Array,
    opts: ImportOptions,
    save: (trx: Kysely<Database>, valid: ValidRow<R>[], v: Validation<R>, report: ImportReport) => Promise<Saved>,
    /** the checks besides the schema, given the file's keys (what the database says about them is read once) */
    checksFor: (keys: string[]) => Promise<RowChecks<R>> = async () => ({}),
  ): Promise<ImportOutcome> {
    const table = parseCsv(decodeUtf8(bytes))
    // wrong headings are a problem with the file, but the rows are still checked in the columns that were read
    const { map, problems } = readColumns(table.headers, spec.aliases, spec.required, spec.labels)
    const establishmentUnits = (await units.list(establishmentId)).map(u => ({ id: u.id, code: u.code, name: u.name }))
    const keyIndex = map.columns.get(spec.keyField)
    const keys =
      keyIndex === undefined ? [] : table.rows.map(r => spec.normaliseKey(r.cells[keyIndex] ?? '')).filter(spec.isKey)
    const v = validateRows(table, map, spec, establishmentUnits, await checksFor(keys))
    const report: ImportReport = {
      kind: spec.kind,
      fileName: opts.fileName,
      fullRoll: opts.fullRoll,
      rows: table.rows.length,
      ignoredColumns: map.ignored,
      errors: v.errors,
      warnings: [],
      counts: { created: 0, updated: 0, unchanged: 0, released: 0, skipped: 0 },
    }
    if (problems.length) return { status: 'file-problem', messages: problems, report }
    if (v.errors.length && (!opts.skipInvalid || v.valid.length === 0)) return { status: 'rejected', report }
    const skipped = new Set(v.errors.map(e => e.row)).size
    await db.transaction().execute(async trx => {
      const saved = await save(trx, v.valid, v, report)
      report.counts = { released: 0, ...saved, skipped }
      await audit.record(trx, actor, {
        action: 'import',
        entity: 'import',
        entityId: spec.kind,
        establishmentId,
        changes: {
          file: report.fileName,
          rows: report.rows,
          ...report.counts,
          fullRoll: opts.fullRoll,
          skipInvalid: opts.skipInvalid,
        },
      })
    })
    return { status: 'imported', report }
  }

  function importPrisoners(actor: Actor, establishmentId: number, bytes: Uint8Array, opts: ImportOptions) {
    return importFile(
      prisonerKind,
      actor,
      establishmentId,
      bytes,
      opts,
      async (trx, valid, v, report) => {
        let fullRoll = opts.fullRoll
        if (fullRoll && v.invalidRowsWithoutKey.length) {
          // a skipped row without a usable prison number could be anyone in the roll: releasing nobody is the safe choice
          fullRoll = false
          const n = v.invalidRowsWithoutKey.length
          report.warnings.push(
            `Nobody was marked as released: ${plural(n, 'row')} without a valid prison number ` +
              `(${rowList(v.invalidRowsWithoutKey)}) could be any prisoner. Fix ${n === 1 ? 'it' : 'them'} and import the full roll again.`,
          )
        } else if (fullRoll && v.invalidKeys.size) {
          const n = v.invalidKeys.size
          report.warnings.push(
            `${plural(n, 'prisoner')} on skipped rows ${n === 1 ? 'was' : 'were'} not marked as released.`,
          )
        }
        return prisoners.saveMany(trx, actor, establishmentId, valid, { fullRoll, keep: v.invalidKeys })
      },
      async keys => {
        // a prisoner another establishment holds in custody is theirs: his row is an error, and nothing of him changes;
        // judged on the cells, so a row with other errors says so too
        const { heldElsewhere, own } = await prisoners.custody(establishmentId, keys)
        return {
          cells: input => {
            const number = normalisePrisonNumber(input.prisonNumber ?? '')
            if (!heldElsewhere.has(number)) return []
            const status = prisonerRecordSchema.shape.status.safeParse(input.status ?? '')
            // a status that cannot be read is an error of its own; judged as the default, in custody
            if (!refusedWhileHeldElsewhere(own.has(number), status.success ? status.data : 'in')) return []
            return [{ field: 'prisonNumber', reason: heldElsewhereMessage(number) }]
          },
        }
      },
    )
  }

  function importStaff(actor: Actor, establishmentId: number, bytes: Uint8Array, opts: ImportOptions) {
    return importFile(staffKind, actor, establishmentId, bytes, opts, (trx, valid) =>
      staff.saveMany(
        trx,
        actor,
        establishmentId,
        valid.map(r => ({ record: r.record, homeUnitId: r.unitId })),
      ),
    )
  }

  async function importUnits(actor: Actor, establishmentId: number, bytes: Uint8Array, opts: ImportOptions) {
    const existing = await units.list(establishmentId)
    const codeOf = new Map(existing.map(u => [u.id, u.code]))
    const links: UnitLink[] = existing.map(u => ({
      code: u.code,
      parent: u.parent_id === null ? null : (codeOf.get(u.parent_id) ?? null),
    }))
    // a parent may be a unit already there or one further down the file, but not one on a row with errors
    const crossCheck = (valid: readonly ValidRow<UnitRecord>[], onBadRows: ReadonlySet<string>): CrossProblem[] =>
      parentProblems(
        links,
        valid.map(r => ({ code: r.record.code, parent: r.record.parent })),
      ).map(p => {
        const row = valid[p.index]!
        const parent = row.record.parent ?? ''
        const parentIsBad = onBadRows.has(parent) && !links.some(l => l.code === parent)
        return {
          row: row.row,
          field: 'parent',
          reason: parentIsBad ? `Parent unit ${parent} is on a row with errors` : p.message,
        }
      })
    return importFile(
      unitKind,
      actor,
      establishmentId,
      bytes,
      opts,
      (trx, valid) =>
        units.saveMany(
          trx,
          actor,
          establishmentId,
          valid.map(r => r.record),
        ),
      async () => ({ cross: crossCheck }),
    )
  }

  /** Allocations or past sessions: checked against what the establishment has, read once when the file is read. */
  function importHistory<R, F extends keyof R & string>(
    spec: KindSpec<R, F>,
    begin: (establishmentId: number, keys: string[]) => Promise<HistoryJob<R>>,
    actor: Actor,
    establishmentId: number,
    bytes: Uint8Array,
    opts: ImportOptions,
  ) {
    let job: HistoryJob<R> | undefined
    return importFile(
      spec,
      actor,
      establishmentId,
      bytes,
      opts,
      (trx, valid) => job!.save(trx, actor, valid),
      async keys => (job = await begin(establishmentId, keys)).checks,
    )
  }

  return {
    /**
     * Imports one file all-or-nothing (or, with skipInvalid, its valid rows) in one transaction: the records,
     * their audit events and one 'import' event summarising the file land together or not at all.
     */
    async run(
      actor: Actor,
      establishmentId: number,
      kind: ImportKind,
      bytes: Uint8Array,
      opts: ImportOptions,
    ): Promise<ImportOutcome> {
      if (opts.fullRoll && kind !== 'prisoners')
        return { status: 'file-problem', messages: ['A full roll import is only for prisoners'] }
      try {
        if (kind === 'prisoners') return await importPrisoners(actor, establishmentId, bytes, opts)
        if (kind === 'units') return await importUnits(actor, establishmentId, bytes, opts)
        if (kind === 'allocations')
          return await importHistory(allocationKind, history.allocations.begin, actor, establishmentId, bytes, opts)
        if (kind === 'sessions')
          return await importHistory(sessionKind, history.sessions.begin, actor, establishmentId, bytes, opts)
        return await importStaff(actor, establishmentId, bytes, opts)
      } catch (err) {
        if (err instanceof FileProblem) return { status: 'file-problem', messages: err.messages }
        throw err
      }
    },
  }
}

function plural(n: number, word: string) {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`
}

function rowList(rows: number[]) {
  const shown = rows.slice(0, 10).join(', ')
  return `${rows.length === 1 ? 'row' : 'rows'} ${shown}${rows.length > 10 ? ' and more' : ''}`
}

export type ImportService = ReturnType<typeof importService>
