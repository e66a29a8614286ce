import fs from 'node:fs/promises'
import type { Command } from 'commander'
import { withServices } from '../../../cli/withServices'
import type { Services } from '../../../services'
import { SYSTEM_ACTOR } from '../../../platform/audit/service'
import type { Owner } from './repository'
import { HSDS_FILE_LIMIT_BYTES } from './service'

export interface DirectoryCommandOptions {
  /** an establishment code, or "national" */
  establishment: string
  national?: boolean
}

export interface Io {
  out(line: string): void
  err(line: string): void
}

const consoleIo: Io = { out: l => console.log(l), err: l => console.error(l) }

async function ownerFor(s: Services, code: string, io: Io): Promise<Owner | undefined> {
  if (code.trim().toLowerCase() === 'national') return null
  const est = await s.establishments.byCode(code.trim().toUpperCase())
  if (!est) io.err(`There is no establishment with the code ${code} (or use --establishment national)`)
  return est ? est.id : undefined
}

/**
 * `keywork directory export FILE --establishment CODE [--national]`: a .zip file name writes the tabular form,
 * anything else the JSON form. Returns the exit code (0 done, 2 a wrong command).
 */
export async function directoryExport(s: Services, file: string, opts: DirectoryCommandOptions, io: Io = consoleIo) {
  const owner = await ownerFor(s, opts.establishment, io)
  if (owner === undefined) return 2
  const scope = { establishmentId: owner, includeNational: owner !== null && !!opts.national }
  if (file.toLowerCase().endsWith('.zip')) await fs.writeFile(file, await s.hsds.exportZip(scope))
  else await fs.writeFile(file, JSON.stringify(await s.hsds.exportJson(scope), null, 2) + '\n')
  io.out(`Exported the ${owner === null ? 'national directory' : `directory of ${opts.establishment}`} to ${file}`)
  return 0
}

/** `keywork directory import FILE --establishment CODE`: 0 imported, 1 nothing imported (problems listed), 2 usage. */
export async function directoryImport(s: Services, file: string, opts: DirectoryCommandOptions, io: Io = consoleIo) {
  const owner = await ownerFor(s, opts.establishment, io)
  if (owner === undefined) return 2
  let stat
  try {
    stat = await fs.stat(file)
  } catch {
    io.err(`Cannot find the file ${file}`)
    return 1
  }
  if (stat.size > HSDS_FILE_LIMIT_BYTES) {
    io.err(`The file must be smaller than ${HSDS_FILE_LIMIT_BYTES / 1024 / 1024} MB`)
    return 1
  }
  const bytes = await fs.readFile(file)
  const actor = { ...SYSTEM_ACTOR, username: 'keywork directory import', establishmentId: owner }
  const outcome = await s.hsds.import(actor, owner, bytes, file)
  if (outcome.status === 'rejected') {
    io.err(`Nothing was imported: ${outcome.problems.length} problem(s) in ${file}`)
    for (const p of outcome.problems) io.err(`${p.path}: ${p.message}`)
    return 1
  }
  const r = outcome.report
  const sum = (o: Record<string, number | undefined>) => Object.values(o).reduce<number>((a, b) => a + (b ?? 0), 0)
  io.out(
    `Imported ${r.services} service(s) from ${file}: ${sum(r.created)} record(s) created, ${sum(r.updated)} updated, ${r.unchanged} unchanged`,
  )
  if (r.foreignTerms.created || r.foreignTerms.updated)
    io.out(
      `Terms of other taxonomies: ${r.foreignTerms.created} new, ${r.foreignTerms.updated} changed (map them to pathways on the taxonomy terms page)`,
    )
  return 0
}

export function registerDirectory(program: Command) {
  const directory = program.command('directory').description('the services directory as Open Referral HSDS 3.0')
  directory
    .command('export')
    .description('write the directory as HSDS: FILE.json (nested services) or FILE.zip (tabular CSV files)')
    .argument('<file>', 'the file to write')
    .requiredOption('--establishment <code>', 'an establishment code like MDI, or "national"')
    .option('--national', 'with an establishment: include the national services')
    .action((file: string, opts: DirectoryCommandOptions) =>
      withServices(async s => {
        process.exitCode = await directoryExport(s, file, opts)
      }),
    )
  directory
    .command('import')
    .description('import an HSDS file (JSON or a zip of CSV files); any problem and nothing is imported')
    .argument('<file>', 'the HSDS file, 20 MB at most')
    .requiredOption('--establishment <code>', 'an establishment code like MDI, or "national"')
    .action((file: string, opts: DirectoryCommandOptions) =>
      withServices(async s => {
        process.exitCode = await directoryImport(s, file, opts)
      }),
    )
}
