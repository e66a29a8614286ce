import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Services } from '../../services'
import type { Actor } from '../../platform/audit/service'
import { IMPORT_KINDS, type ImportKind } from './kinds'
import type { ImportOutcome, ImportReport } from './service'
import type { RowError } from './validate'

/** The same limit as an upload in the web service. */
export const CLI_FILE_LIMIT_BYTES = 10 * 1024 * 1024

export interface ImportCommandOptions {
  establishment: string
  skipInvalid?: boolean
  fullRoll?: boolean
  json?: boolean
}

export interface Io {
  out(line: string): void
  err(line: string): void
}

const consoleIo: Io = { out: l => console.log(l), err: l => console.error(l) }

/**
 * `keywork import KIND FILE --establishment CODE`: returns the exit code (0 imported, 1 nothing imported because
 * of the file or its rows, 2 a wrong command). Everything is printed through io so tests can read it.
 */
export async function importCommand(
  s: Services,
  kind: string,
  file: string,
  opts: ImportCommandOptions,
  io: Io = consoleIo,
): Promise<number> {
  const usage = (message: string) => {
    if (opts.json) io.out(JSON.stringify({ status: 'usage', messages: [message] }))
    else io.err(message)
    return 2
  }
  if (!(IMPORT_KINDS as readonly string[]).includes(kind))
    return usage(`Unknown kind "${kind}": use one of ${IMPORT_KINDS.join(', ')}`)
  if (opts.fullRoll && kind !== 'prisoners') return usage('--full-roll is only for prisoners')
  const est = await s.establishments.byCode(opts.establishment.trim()) // in any case
  if (!est) return usage(`There is no establishment with the code ${opts.establishment}`)

  const problem = (messages: string[]) => print({ status: 'file-problem', messages }, file, est.code, opts, io)
  let stat
  try {
    stat = await fs.stat(file)
  } catch {
    return problem([`Cannot find the file ${file}`])
  }
  if (!stat.isFile()) return problem([`${file} is not a file`])
  // checked before reading, so a huge file is never loaded into memory
  if (stat.size > CLI_FILE_LIMIT_BYTES)
    return problem([
      `The file is ${megabytes(stat.size)} MB; the largest file that can be imported is ${megabytes(CLI_FILE_LIMIT_BYTES)} MB`,
    ])
  const bytes = await fs.readFile(file)
  const outcome = await s.imports.run(cliActor(est.id), est.id, kind as ImportKind, bytes, {
    fileName: path.basename(file),
    skipInvalid: !!opts.skipInvalid,
    fullRoll: !!opts.fullRoll,
  })
  return print(outcome, file, est.code, opts, io)
}

function cliActor(establishmentId: number): Actor {
  let who = 'unknown'
  try {
    who = os.userInfo().username
  } catch {
    // no passwd entry in some containers
  }
  return { userId: null, username: `cli:${who}`, establishmentId }
}

function print(outcome: ImportOutcome, file: string, code: string, opts: ImportCommandOptions, io: Io): number {
  const exit = outcome.status === 'imported' ? 0 : 1
  if (opts.json) {
    io.out(JSON.stringify(outcome))
    return exit
  }
  if (outcome.status === 'file-problem') {
    io.err(`Nothing was imported from ${file}:`)
    for (const m of outcome.messages) io.err(`  ${m}`)
    // the rows' errors in the columns that could be read, so one pass lists everything
    if (outcome.report?.errors.length) io.err(errorTable(outcome.report.errors))
    return exit
  }
  const r = outcome.report
  if (outcome.status === 'rejected') {
    const badRows = new Set(r.errors.map(e => e.row)).size
    io.err(
      `Nothing was imported from ${file}: ${count(badRows, 'row')} of ${r.rows.toLocaleString('en-GB')} ` +
        `${badRows === 1 ? 'has' : 'have'} errors (${count(r.errors.length, 'error')}).`,
    )
    io.err(errorTable(r.errors))
    io.err('Fix the rows and import the file again, or use --skip-invalid to import the valid rows only.')
    printNotes(r, io)
    return exit
  }
  const c = r.counts
  io.out(
    `Imported ${r.kind} from ${file} into ${code}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged` +
      `${opts.fullRoll ? `, ${c.released} released` : ''}, ${c.skipped} skipped.`,
  )
  if (r.errors.length) {
    io.err(`Skipped ${count(c.skipped, 'row')} with errors:`)
    io.err(errorTable(r.errors))
  }
  printNotes(r, io)
  return exit
}

function printNotes(r: ImportReport, io: Io) {
  if (r.ignoredColumns.length) io.err(`Ignored columns (not recognised): ${r.ignoredColumns.join(', ')}`)
  for (const w of r.warnings) io.err(w)
}

/** A plain text table: Row | Column | Reason. */
export function errorTable(errors: RowError[]): string {
  const rows = errors.map(e => [String(e.row), e.column, e.reason])
  const head = ['Row', 'Column', 'Reason']
  const w0 = Math.max(head[0]!.length, ...rows.map(r => r[0]!.length))
  const w1 = Math.max(head[1]!.length, ...rows.map(r => r[1]!.length))
  const line = (r: string[]) => `${r[0]!.padStart(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`.trimEnd()
  return [line(head), `${'-'.repeat(w0)}  ${'-'.repeat(w1)}  ${'-'.repeat(6)}`, ...rows.map(line)].join('\n')
}

function count(n: number, word: string) {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`
}

function megabytes(bytes: number) {
  return (bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)
}
