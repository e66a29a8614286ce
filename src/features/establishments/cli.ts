import type { Command } from 'commander'
import { withServices } from '../../cli/withServices'
import { parseForm } from '../../forms/forms'
import type { Services } from '../../services'
import { SYSTEM_ACTOR } from '../../platform/audit/service'
import { newEstablishmentSchema } from './routes'

export interface Io {
  out(line: string): void
  err(line: string): void
}

const consoleIo: Io = { out: l => console.log(l), err: l => console.error(l) }

export interface CreateEstablishmentOptions {
  code: string
  name: string
  category: string
  region: string
}

/** `keywork establishments create`: the same checks as the web form. Returns the exit code (0 added, 1 refused). */
export async function createEstablishment(s: Services, opts: CreateEstablishmentOptions, io: Io = consoleIo) {
  const form = parseForm(newEstablishmentSchema, { ...opts })
  if (!form.ok) {
    for (const message of Object.values(form.errors)) io.err(message)
    return 1
  }
  const actor = { ...SYSTEM_ACTOR, username: 'keywork establishments create' }
  const r = await s.establishments.create(actor, form.data)
  if (!r.ok) {
    for (const message of Object.values(r.errors)) io.err(message)
    return 1
  }
  io.out(`Added ${form.data.name} (${form.data.code}), id ${r.value}`)
  return 0
}

/** `keywork establishments create|list`: the first establishment of a new deployment comes from here or the web. */
export function registerEstablishments(program: Command) {
  const establishments = program.command('establishments').description('establishments (prisons)')
  establishments
    .command('create')
    .description('add an establishment (a new deployment: see "First run" in the README)')
    .requiredOption('--code <code>', 'its 3-letter code, like LEI')
    .requiredOption('--name <name>', 'its name, like "Leeds (HMP)"')
    .requiredOption('--category <category>', 'like "Category B local"')
    .requiredOption('--region <region>', 'like "Yorkshire"')
    .action((opts: CreateEstablishmentOptions) =>
      withServices(async s => {
        process.exitCode = await createEstablishment(s, opts)
      }),
    )
  establishments
    .command('list')
    .description('list the establishments: code, name, and whether enabled')
    .action(() =>
      withServices(async s => {
        const all = await s.establishments.all()
        if (all.length === 0) console.log('No establishments yet: add one with keywork establishments create.')
        for (const e of all) console.log(`${e.code}  ${e.name}${e.enabled ? '' : '  (disabled)'}`)
      }),
    )
}
